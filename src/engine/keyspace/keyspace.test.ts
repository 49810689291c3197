import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encode, type Bytes, type Reply } from '../../protocol/index.js';
import { Rng, VirtualClock } from '../../time/index.js';
import { BLOCKED } from '../command.js';
import { Engine } from '../engine.js';
import { embstrFits, expireTimeOf, isIntEncodable, Keyspace, type KeyspaceHooks } from './keyspace.js';
import { lfuDecay, lfuInit, lfuTouch } from './lfu.js';

const T0 = 1_700_000_000_000;

function bareKeyspace(): { ks: Keyspace; expired: Bytes[]; added: Bytes[] } {
  const expired: Bytes[] = [];
  const added: Bytes[] = [];
  const hooks: KeyspaceHooks = { expired: (_db, k) => expired.push(k), added: (_db, k) => added.push(k) };
  return { ks: new Keyspace(0, hooks), expired, added };
}

function engineWithClient() {
  const clock = new VirtualClock({ start: T0 });
  const engine = new Engine({ clock });
  const client = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:6379', fd: 7 }, { deliver() {}, close() {} });
  const run = (...argv: string[]): string => {
    const r = engine.execute(client, argv);
    if (r === undefined || r === BLOCKED) throw new Error('no reply');
    return encode(r as Reply, 2);
  };
  return { clock, engine, client, run };
}

describe('expiry semantics', () => {
  test('a key is expired only once the time is past its expiry (now > expireAt)', () => {
    const { ks, expired } = bareKeyspace();
    const e = ks.set('k', 'string', 'v', T0);
    ks.setExpire(e, 'k', T0 + 100);
    expect(ks.lookup('k', T0 + 100)).toBe(e);
    expect(ks.isExpired(e, T0 + 100)).toBe(false);
    expect(ks.isExpired(e, T0 + 101)).toBe(true);
    expect(ks.lookup('k', T0 + 101)).toBeUndefined();
    expect(expired).toEqual(['k']);
    expect(ks.size).toBe(0);
    expect(ks.volatileCount).toBe(0);
  });

  test('active expiry removes keys whose time has passed, and nextDeadline is one past the earliest expiry', () => {
    const { ks, expired } = bareKeyspace();
    for (const [k, at] of [['a', 10], ['b', 20], ['c', 30]] as const) ks.setExpire(ks.set(k, 'string', 'v', T0), k, T0 + at);
    expect(ks.nextDeadline()).toBe(T0 + 11);
    ks.expireDue(T0 + 20);
    expect(expired).toEqual(['a']);
    ks.expireDue(T0 + 31);
    expect(expired).toEqual(['a', 'b', 'c']);
    expect(ks.nextDeadline()).toBe(Infinity);
  });

  test('rescheduled and persisted keys are not expired by stale heap entries', () => {
    const { ks, expired } = bareKeyspace();
    const a = ks.set('a', 'string', 'v', T0);
    ks.setExpire(a, 'a', T0 + 10);
    ks.setExpire(a, 'a', T0 + 1000);
    const b = ks.set('b', 'string', 'v', T0);
    ks.setExpire(b, 'b', T0 + 10);
    expect(ks.persist(b)).toBe(true);
    expect(ks.persist(b)).toBe(false);
    ks.expireDue(T0 + 500);
    expect(expired).toEqual([]);
    expect(ks.size).toBe(2);
    expect(ks.volatileCount).toBe(1);
  });

  test('expiries beyond 2^53 ms stay exact', () => {
    const { ks } = bareKeyspace();
    const e = ks.set('k', 'string', 'v', T0);
    ks.setExpire(e, 'k', 9223372036854775807n);
    expect(expireTimeOf(e)).toBe(9223372036854775807n);
    ks.setExpire(e, 'k', 5000n + BigInt(T0));
    expect(e.expireExact).toBeUndefined();
    expect(expireTimeOf(e)).toBe(BigInt(T0 + 5000));
    ks.persist(e);
    expect(expireTimeOf(e)).toBe(-1n);
  });

  test('set() without keepTtl drops the TTL, with keepTtl keeps it', () => {
    const { ks } = bareKeyspace();
    const e = ks.set('k', 'string', 'v', T0);
    ks.setExpire(e, 'k', T0 + 100);
    expect(ks.set('k', 'string', 'w', T0, { keepTtl: true }).expireAt).toBe(T0 + 100);
    expect(ks.volatileCount).toBe(1);
    expect(ks.set('k', 'string', 'x', T0).expireAt).toBe(0);
    expect(ks.volatileCount).toBe(0);
  });

  test('deleteExpired reports the key as expired', () => {
    const { ks, expired } = bareKeyspace();
    ks.set('k', 'string', 'v', T0);
    expect(ks.deleteExpired('k')).toBe(true);
    expect(ks.deleteExpired('k')).toBe(false);
    expect(expired).toEqual(['k']);
  });

  test('adopt moves the same entry under a new name with a fresh access time', () => {
    const { ks, added, expired } = bareKeyspace();
    const e = ks.set('a', 'string', 'v', T0);
    ks.setExpire(e, 'a', T0 + 100);
    e.lfu = 1234;
    ks.delete('a');
    expect(ks.volatileCount).toBe(0);
    ks.adopt('b', e, T0 + 50);
    expect(ks.peek('b')).toBe(e);
    expect(e.lru).toBe(T0 + 50);
    expect(e.lfu).toBeUndefined();
    expect(ks.volatileCount).toBe(1);
    expect(added).toEqual(['a', 'b']);
    expect([...ks.keys()]).toEqual(['b']);
    ks.expireDue(T0 + 101);
    expect(expired).toEqual(['b']); // the stale heap entry of 'a' is ignored, 'b' is scheduled
    expect(ks.scan(0, 10)).toEqual({ keys: [], next: 0 });
  });

  test('the added hook fires for new keys only', () => {
    const { ks, added } = bareKeyspace();
    ks.set('a', 'string', '1', T0);
    ks.set('a', 'string', '2', T0);
    ks.delete('a');
    ks.set('a', 'string', '3', T0);
    expect(added).toEqual(['a', 'a']);
  });
});

describe('a moving VirtualClock: every view agrees at once', () => {
  test('DBSIZE-like size, KEYS, SCAN, EXISTS, RANDOMKEY after clock.advance', () => {
    const { clock, engine, run } = engineWithClient();
    run('SET', 'keep', '1');
    run('SET', 'a', '1');
    run('SET', 'b', '1');
    expect(run('PEXPIRE', 'a', '100')).toBe(':1\r\n');
    expect(run('EXPIRE', 'b', '10')).toBe(':1\r\n');
    clock.advance(100);
    // At exactly its expiry the key still lives (Valkey: expired when now > when).
    expect(run('EXISTS', 'a')).toBe(':1\r\n');
    expect(run('PTTL', 'a')).toBe(':0\r\n');
    clock.advance(1);
    expect(engine.db(0).size).toBe(2); // removed by active expiry, not by a lookup
    expect(run('DBSIZE')).toBe(':2\r\n');
    expect(run('KEYS', '*')).toBe('*2\r\n$4\r\nkeep\r\n$1\r\nb\r\n');
    expect(run('EXISTS', 'a', 'b', 'keep')).toBe(':2\r\n');
    expect(run('SCAN', '0', 'COUNT', '100')).toBe('*2\r\n$1\r\n0\r\n*2\r\n$4\r\nkeep\r\n$1\r\nb\r\n');
    clock.advance(10_000);
    expect(engine.db(0).size).toBe(1);
    expect(run('SCAN', '0')).toBe('*2\r\n$1\r\n0\r\n*1\r\n$4\r\nkeep\r\n');
    expect(run('RANDOMKEY')).toBe('$4\r\nkeep\r\n');
    expect(engine.stats.expiredKeys).toBe(2);
  });

  test('expired events fire from active expiry in deadline order', () => {
    const { clock, engine, run } = engineWithClient();
    const events: string[] = [];
    engine.onKeyspaceEvent((cls, ev, key) => events.push(`${cls}:${ev}:${key}`));
    run('SET', 'x', '1');
    run('SET', 'y', '1');
    run('PEXPIRE', 'y', '5');
    run('PEXPIRE', 'x', '50');
    events.length = 0;
    clock.advance(1000);
    expect(events).toEqual(['x:expired:y', 'x:expired:x']);
  });
});

describe('SCAN guarantee', () => {
  // A full iteration returns every key that exists from its start to its end,
  // whatever is added or removed between the calls, and never loops forever.
  const op = fc.oneof(
    fc.record({ t: fc.constant('add' as const), k: fc.integer({ min: 0, max: 60 }) }),
    fc.record({ t: fc.constant('del' as const), k: fc.integer({ min: 0, max: 60 }) }),
    fc.record({ t: fc.constant('scan' as const), count: fc.integer({ min: 1, max: 8 }) }),
  );
  test('keys present for the whole iteration are returned', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 40 }), fc.array(op, { maxLength: 200 }), (initial, ops) => {
        const { ks } = bareKeyspace();
        for (const k of initial) ks.set(`k${k}`, 'string', 'v', T0);
        const start = new Set(ks.keys());
        const removed = new Set<Bytes>();
        const seen = new Set<Bytes>();
        let cursor = 0;
        let calls = 0;
        let done = false;
        const step = (count: number) => {
          const r = ks.scan(cursor, count);
          for (const k of r.keys) {
            expect(ks.peek(k)).toBeDefined(); // never a deleted key
            seen.add(k);
          }
          cursor = r.next;
          calls++;
          if (cursor === 0) done = true;
        };
        for (const o of ops) {
          if (done) break;
          if (o.t === 'add') ks.set(`k${o.k}`, 'string', 'v', T0);
          else if (o.t === 'del') {
            if (ks.delete(`k${o.k}`)) removed.add(`k${o.k}`);
          } else step(o.count);
        }
        while (!done) {
          step(3);
          expect(calls).toBeLessThan(10_000);
        }
        for (const k of start) if (!removed.has(k)) expect(seen.has(k)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('compaction keeps cursors valid', () => {
    const { ks } = bareKeyspace();
    for (let i = 0; i < 1000; i++) ks.set(`k${i}`, 'string', 'v', T0);
    const first = ks.scan(0, 100);
    for (let i = 0; i < 900; i++) ks.delete(`k${i}`); // triggers compaction
    const seen = new Set(first.keys);
    let cursor = first.next;
    while (cursor !== 0) {
      const r = ks.scan(cursor, 50);
      r.keys.forEach((k) => seen.add(k));
      cursor = r.next;
    }
    for (let i = 900; i < 1000; i++) expect(seen.has(`k${i}`)).toBe(true);
  });

  test('randomKey only returns live keys, and is uniform enough', () => {
    const { ks } = bareKeyspace();
    for (let i = 0; i < 200; i++) ks.set(`k${i}`, 'string', 'v', T0);
    for (let i = 0; i < 190; i++) ks.delete(`k${i}`);
    const rng = new Rng(42);
    const rand = (n: number) => rng.int(n);
    const counts = new Map<Bytes, number>();
    for (let i = 0; i < 2000; i++) {
      const k = ks.randomKey(rand)!;
      expect(ks.peek(k)).toBeDefined();
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(10);
  });
});

describe('string layout', () => {
  test('embstrFits follows Valkey 9 (128-byte allocation with key and expiry)', () => {
    expect(embstrFits(1, 112, false)).toBe(true);
    expect(embstrFits(1, 113, false)).toBe(false);
    expect(embstrFits(1, 104, true)).toBe(true);
    expect(embstrFits(1, 105, true)).toBe(false);
    expect(embstrFits(31, 82, false)).toBe(true);
    expect(embstrFits(31, 83, false)).toBe(false);
    expect(embstrFits(32, 79, false)).toBe(true);
    expect(embstrFits(32, 80, false)).toBe(false);
    expect(embstrFits(0, 300, false)).toBe(false);
  });

  test('isIntEncodable is string2l', () => {
    for (const s of ['0', '1', '-1', '123', '9223372036854775807', '-9223372036854775808']) expect(isIntEncodable(s), s).toBe(true);
    for (const s of ['', '-', '-0', '01', '+1', ' 1', '1 ', '1.0', '9223372036854775808', '-9223372036854775809', 'abc', '123456789012345678901'])
      expect(isIntEncodable(s), s).toBe(false);
  });

  test('a string that stops fitting turns raw for good', () => {
    const { ks } = bareKeyspace();
    const v = 'x'.repeat(110);
    const e = ks.set('a', 'string', v, T0);
    expect(e.raw).toBe(false);
    ks.setExpire(e, 'a', T0 + 1000);
    expect(e.raw).toBe(true);
    ks.persist(e);
    expect(e.raw).toBe(true);
    expect(ks.set('b'.repeat(60), 'string', 'x'.repeat(60), T0).raw).toBe(true);
    expect(ks.set('c'.repeat(100), 'string', '12345', T0).raw).toBe(false); // int stays int
  });
});

describe('LFU counter', () => {
  test('init, logarithmic increment and decay', () => {
    const p = { logFactor: 10, decayTime: 1 };
    let lfu = lfuInit(T0);
    expect(lfu & 0xff).toBe(5);
    lfu = lfuTouch(lfu, T0, p, () => 0.999); // counter 5: p = 1
    expect(lfu & 0xff).toBe(6);
    expect(lfuTouch(lfu, T0, p, () => 0.5) & 0xff).toBe(6); // p = 1/11
    expect(lfuTouch(lfu, T0, p, () => 0.05) & 0xff).toBe(7);
    expect(lfuDecay(lfu, T0 + 3 * 60_000, 1) & 0xff).toBe(3);
    expect(lfuDecay(lfu, T0 + 30 * 60_000, 1) & 0xff).toBe(0);
    expect(lfuDecay(lfu, T0 + 30 * 60_000, 0) & 0xff).toBe(6);
    expect(lfuTouch(lfuInit(T0) | 0xff, T0, p, () => 0) & 0xff).toBe(255);
  });
});
