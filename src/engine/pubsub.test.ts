import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encode, type Reply } from '../protocol/index.js';
import { VirtualClock } from '../time/index.js';
import { BLOCKED } from './command.js';
import { Engine } from './engine.js';
import { globMatch } from './keyspace/glob.js';

/** A client whose replies and deliveries (pushes, late replies) are kept as RESP text, in arrival order. */
function open(engine: Engine, resp: 2 | 3 = 2) {
  const got: string[] = [];
  const c = engine.connect({ addr: '127.0.0.1:5000', laddr: '127.0.0.1:6379', fd: 8 }, {
    deliver: (r: Reply) => got.push(encode(r, c.resp)),
    close: () => {},
  });
  c.resp = resp;
  const run = (...argv: string[]) => {
    const r = engine.execute(c, argv);
    if (r === undefined || r === BLOCKED) return r;
    return encode(r, c.resp);
  };
  return { c, run, got };
}

const fresh = () => {
  const clock = new VirtualClock({ start: 1_700_000_000_000 });
  return { clock, engine: new Engine({ clock }) };
};

describe('Pub/Sub in the engine', () => {
  test('a message reaches channel and pattern subscribers once each, in publish order', () => {
    const { engine } = fresh();
    const a = open(engine);
    const b = open(engine);
    expect(b.run('SUBSCRIBE', 'n.1', 'n.2')).toBe('*3\r\n$9\r\nsubscribe\r\n$3\r\nn.1\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$3\r\nn.2\r\n:2\r\n');
    b.run('PSUBSCRIBE', 'n.*');
    expect(a.run('PUBLISH', 'n.1', 'x')).toBe(':2\r\n');
    expect(a.run('PUBLISH', 'n.2', 'y')).toBe(':2\r\n');
    expect(b.got).toEqual([
      '*3\r\n$7\r\nmessage\r\n$3\r\nn.1\r\n$1\r\nx\r\n', '*4\r\n$8\r\npmessage\r\n$3\r\nn.*\r\n$3\r\nn.1\r\n$1\r\nx\r\n',
      '*3\r\n$7\r\nmessage\r\n$3\r\nn.2\r\n$1\r\ny\r\n', '*4\r\n$8\r\npmessage\r\n$3\r\nn.*\r\n$3\r\nn.2\r\n$1\r\ny\r\n',
    ]);
  });

  test('a push to the client running the command follows its reply; disconnect and RESET clean up', () => {
    const { engine } = fresh();
    const a = open(engine, 3);
    a.run('SUBSCRIBE', 'c');
    expect(a.run('PUBLISH', 'c', 'm')).toBe(':1\r\n>3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n');
    const b = open(engine);
    b.run('SUBSCRIBE', 'c', 'd');
    b.run('PSUBSCRIBE', '*');
    engine.disconnect(b.c);
    expect([...engine.pubsub.channels.keys()]).toEqual(['c']);
    expect(engine.pubsub.patterns.size).toBe(0);
    a.run('RESET');
    expect(engine.pubsub.channels.size).toBe(0);
  });

  test('keyspace events are published when the class is on', () => {
    const { engine } = fresh();
    const a = open(engine);
    const s = open(engine);
    s.run('PSUBSCRIBE', '__key*');
    a.run('SET', 'k', 'v');
    expect(s.got).toEqual([]);
    a.run('CONFIG', 'SET', 'notify-keyspace-events', 'E$');
    a.run('SET', 'k', 'v');
    a.run('LPUSH', 'l', 'x');
    expect(s.got).toEqual(['*4\r\n$8\r\npmessage\r\n$6\r\n__key*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nk\r\n']);
  });

  test('active expiry on the injected clock fires expired events and invalidations', () => {
    const { engine, clock } = fresh();
    const a = open(engine);
    const t = open(engine, 3);
    a.run('CONFIG', 'SET', 'notify-keyspace-events', 'Ex');
    const s = open(engine);
    s.run('SUBSCRIBE', '__keyevent@0__:expired');
    t.run('CLIENT', 'TRACKING', 'on');
    a.run('SET', 'k', 'v', 'PX', '50');
    t.run('GET', 'k');
    clock.advance(49);
    expect(s.got).toEqual([]);
    clock.advance(2);
    expect(s.got).toEqual(['*3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@0__:expired\r\n$1\r\nk\r\n']);
    expect(t.got).toEqual(['>2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n']);
  });
});

describe('tracking, MONITOR and CLIENT PAUSE in the engine', () => {
  test('BCAST invalidations are batched until beforeSleep, sorted by key', () => {
    const { engine } = fresh();
    const a = open(engine);
    const t = open(engine, 3);
    t.run('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'u:');
    a.run('SET', 'u:2', 'x');
    a.run('SET', 'u:1', 'x');
    a.run('SET', 'v:1', 'x');
    expect(t.got).toEqual([]);
    engine.beforeSleep();
    expect(t.got).toEqual(['>2\r\n$10\r\ninvalidate\r\n*2\r\n$3\r\nu:1\r\n$3\r\nu:2\r\n']);
  });

  test('MONITOR lines carry the time, db and address, and quote arguments', () => {
    const { engine } = fresh();
    const m = open(engine);
    const a = open(engine);
    m.run('MONITOR');
    a.run('SET', 'k', 'a"\n\x01');
    a.run('CONFIG', 'GET', 'x');
    expect(m.got).toEqual(['+1700000000.000000 [0 127.0.0.1:5000] "SET" "k" "a\\"\\n\\x01"\r\n']);
  });

  test('CLIENT PAUSE WRITE postpones writes until its end on the clock; reads and expiry wait too', () => {
    const { engine, clock } = fresh();
    const a = open(engine);
    const b = open(engine);
    a.run('SET', 'e', 'v', 'PX', '10');
    a.run('CLIENT', 'PAUSE', '100', 'WRITE');
    expect(b.run('SET', 'k', 'v')).toBe(BLOCKED);
    expect(a.run('GET', 'k')).toBe('$-1\r\n');
    clock.advance(20);
    expect(a.run('GET', 'e')).toBe('$-1\r\n');
    expect(a.run('DBSIZE')).toBe(':1\r\n');
    expect(b.got).toEqual([]);
    clock.advance(81);
    expect(b.got).toEqual(['+OK\r\n']);
    expect(a.run('GET', 'k')).toBe('$1\r\nv\r\n');
    expect(a.run('DBSIZE')).toBe(':1\r\n');
    expect(engine.stats.expiredKeys).toBe(1);
  });

  test('CLIENT UNPAUSE releases postponed clients in the order they came', () => {
    const { engine } = fresh();
    const a = open(engine);
    const [b, c] = [open(engine), open(engine)];
    a.run('CLIENT', 'PAUSE', '100000', 'ALL');
    expect(b.run('RPUSH', 'l', 'b')).toBe(BLOCKED);
    expect(c.run('RPUSH', 'l', 'c')).toBe(BLOCKED);
    expect(a.run('CLIENT', 'UNPAUSE')).toBe(BLOCKED);
    engine.pause.unpause();
    expect([b.got, c.got, a.got]).toEqual([[':1\r\n'], [':2\r\n'], ['+OK\r\n']]);
  });
});

describe('shutdown', () => {
  test('close() cancels a running pause: no timer is left on the clock', () => {
    const { engine, clock } = fresh();
    const a = open(engine);
    const b = open(engine);
    a.run('CLIENT', 'PAUSE', '100000', 'WRITE');
    expect(b.run('SET', 'k', 'v')).toBe(BLOCKED);
    expect(clock.nextDue()).toBe(clock.now() + 100000);
    engine.close();
    expect(clock.nextDue()).toBeUndefined();
    clock.advance(200_000);
    expect(b.got).toEqual([]);
  });
});

describe('property: every message published reaches each matching subscription once, in publish order', () => {
  const CHANNELS = ['a', 'b', 'ab', 'ba', '*'];
  const PATTERNS = ['a*', '*', '?b', '[ab]', 'b\\*', 'x*'];
  type Op =
    | { k: 'sub' | 'unsub' | 'psub' | 'punsub'; who: number; names: string[] }
    | { k: 'pub'; who: number; ch: string; n: number };
  const who = fc.integer({ min: 0, max: 2 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ k: fc.constantFrom('sub' as const, 'unsub' as const), who, names: fc.subarray(CHANNELS) }),
    fc.record({ k: fc.constantFrom('psub' as const, 'punsub' as const), who, names: fc.subarray(PATTERNS) }),
    fc.record({ k: fc.constant('pub' as const), who, ch: fc.constantFrom(...CHANNELS), n: fc.nat(99) }),
  );

  test('RESP3 clients that keep running commands', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      const { engine } = fresh();
      const cs = [open(engine, 3), open(engine, 3), open(engine, 3)];
      const model = cs.map(() => ({ channels: new Set<string>(), patterns: new Set<string>() }));
      // Per client: one entry per publish it should hear, the messages of that publish as a sorted list.
      const want: string[][][] = cs.map(() => []);
      for (const [i, o] of ops.entries()) {
        const c = cs[o.who]!;
        const m = model[o.who]!;
        if (o.k === 'pub') {
          const msg = `m${i}-${o.n}`;
          let receivers = 0;
          model.forEach((mm, j) => {
            const got: string[] = [];
            if (mm.channels.has(o.ch)) got.push(`message ${o.ch} ${msg}`);
            for (const p of mm.patterns) if (globMatch(p, o.ch)) got.push(`pmessage ${p} ${o.ch} ${msg}`);
            receivers += got.length;
            if (got.length) want[j]!.push(got.sort());
          });
          // The publisher's own messages follow its reply (collected by run(), not delivered).
          const r = c.run('PUBLISH', o.ch, msg) as string;
          expect(r.startsWith(`:${receivers}\r\n`)).toBe(true);
          if (r.length > `:${receivers}\r\n`.length) c.got.push(r.slice(`:${receivers}\r\n`.length));
          continue;
        }
        const names = o.names;
        if (o.k === 'sub') { c.run('SUBSCRIBE', ...(names.length ? names : ['a'])); for (const n of names.length ? names : ['a']) m.channels.add(n); }
        if (o.k === 'psub') { c.run('PSUBSCRIBE', ...(names.length ? names : ['*'])); for (const n of names.length ? names : ['*']) m.patterns.add(n); }
        if (o.k === 'unsub') { c.run('UNSUBSCRIBE', ...names); if (names.length) for (const n of names) m.channels.delete(n); else m.channels.clear(); }
        if (o.k === 'punsub') { c.run('PUNSUBSCRIBE', ...names); if (names.length) for (const n of names) m.patterns.delete(n); else m.patterns.clear(); }
      }
      cs.forEach((c, j) => {
        // Decode the pushes: >3 message / >4 pmessage, bulk strings only.
        const heard: string[] = [];
        for (const chunk of c.got) {
          const parts = chunk.split('\r\n');
          for (let x = 0; x < parts.length; x++) {
            const h = /^>(\d)$/.exec(parts[x]!);
            if (!h) continue;
            const n = Number(h[1]);
            const fields: string[] = [];
            for (let y = 0; y < n; y++) fields.push(parts[x + 2 + 2 * y]!);
            heard.push(fields.join(' '));
            x += 2 * n;
          }
        }
        // Group what was heard by message id (the publish it came from), in arrival order.
        const groups: string[][] = [];
        let last = '';
        for (const h of heard) {
          const id = h.slice(h.lastIndexOf(' ') + 1);
          if (id !== last) groups.push([]);
          groups[groups.length - 1]!.push(h);
          last = id;
        }
        expect(groups.map((g) => g.sort())).toEqual(want[j]);
      });
    }));
  });
});
