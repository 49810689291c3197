import { describe, expect, test } from 'vitest';
import { encode, type Reply } from '../../protocol/index.js';
import { VirtualClock } from '../../time/index.js';
import { BLOCKED } from '../command.js';
import { Engine } from '../engine.js';
import type { SetValue } from '../types/set.js';

const T0 = 1_700_000_000_000;

function setup(seed?: number) {
  const clock = new VirtualClock({ start: T0 });
  const engine = new Engine({ clock, ...(seed !== undefined ? { seed } : {}) });
  const connect = () => engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:6379', fd: 7 }, { deliver() {}, close() {} });
  const client = connect();
  const exec = (c: typeof client, resp: 2 | 3, argv: string[]): string => {
    const r = engine.execute(c, argv);
    if (r === undefined || r === BLOCKED) throw new Error(`${argv.join(' ')}: no reply`);
    return encode(r as Reply, resp);
  };
  const run = (...argv: string[]): string => exec(client, 2, argv);
  const run3 = (...argv: string[]): string => exec(client, 3, argv);
  const events: string[] = [];
  engine.onKeyspaceEvent((cls, ev, key) => {
    if (cls !== 'm') events.push(`${ev} ${key}`);
  });
  const db = engine.db(0);
  const enc = (k: string) => (db.peek(k)?.value as SetValue | undefined)?.enc;
  const members = (k: string) => [...((db.peek(k)?.value as SetValue | undefined)?.members() ?? [])];
  return { clock, engine, client, connect, exec, run, run3, events, db, enc, members };
}

const int = (n: number | string) => `:${n}\r\n`;
const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const arr = (...items: string[]) => `*${items.length}\r\n${items.join('')}`;
const set3 = (...items: string[]) => `~${items.length}\r\n${items.join('')}`;
const bulks = (...ms: string[]) => arr(...ms.map(bulk));
const err = (s: string) => `-${s}\r\n`;
const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');
const range = (a: number, b: number, p = '') => Array.from({ length: b - a }, (_, i) => p + String(a + i));

/** Parses a flat RESP2 array of bulk strings. */
function parseBulks(raw: string): string[] {
  const lines = raw.split('\r\n');
  const n = Number(lines[0]!.slice(1));
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(lines[2 + 2 * i]!);
  return out;
}

describe('replies', () => {
  test('SMEMBERS, SINTER, SUNION, SDIFF and SPOP with a count are sets in RESP3; SRANDMEMBER and SMISMEMBER arrays', () => {
    const { run, run3 } = setup();
    run('SADD', 's', '2', '1');
    expect(run3('SMEMBERS', 's')).toBe(set3(bulk('1'), bulk('2')));
    expect(run('SMEMBERS', 's')).toBe(bulks('1', '2'));
    expect(run3('SMEMBERS', 'nokey')).toBe('~0\r\n');
    expect(run('SMEMBERS', 'nokey')).toBe('*0\r\n');
    expect(run3('SINTER', 's', 's')).toBe(set3(bulk('1'), bulk('2')));
    expect(run3('SUNION', 's', 'nokey')).toBe(set3(bulk('1'), bulk('2')));
    expect(run3('SDIFF', 's', 'nokey')).toBe(set3(bulk('1'), bulk('2')));
    expect(run3('SRANDMEMBER', 's', '5')).toBe(arr(bulk('1'), bulk('2')));
    expect(run3('SRANDMEMBER', 'nokey', '5')).toBe('*0\r\n');
    expect(run3('SRANDMEMBER', 'nokey')).toBe('_\r\n');
    expect(run3('SMISMEMBER', 's', '1', '3')).toBe(arr(int(1), int(0)));
    expect(run3('SPOP', 'nokey', '2')).toBe('~0\r\n');
    expect(run3('SPOP', 's', '0')).toBe('~0\r\n');
    expect(run3('SSCAN', 's', '0')).toBe(arr(bulk('0'), bulks('1', '2')));
    expect(run3('SSCAN', 'nokey', '0')).toBe(arr(bulk('0'), '*0\r\n'));
    expect(run3('SPOP', 's', '2')).toBe(set3(bulk('1'), bulk('2')));
  });

  test('intsets reply in integer order, listpacks in insertion order', () => {
    const { run } = setup();
    run('SADD', 'i', '10', '-5', '3', '9223372036854775807', '-9223372036854775808');
    expect(run('SMEMBERS', 'i')).toBe(bulks('-9223372036854775808', '-5', '3', '10', '9223372036854775807'));
    run('SADD', 'l', 'b', '10', 'a', '-5');
    expect(run('SMEMBERS', 'l')).toBe(bulks('b', '10', 'a', '-5'));
    run('SREM', 'l', '10');
    run('SADD', 'l', '10');
    expect(run('SMEMBERS', 'l')).toBe(bulks('b', 'a', '-5', '10'));
  });
});

describe('encodings', () => {
  test('OBJECT ENCODING follows the conversions, and CONFIG SET changes the limits', () => {
    const { run, enc } = setup();
    run('SADD', 'k', '1', '2');
    expect(run('OBJECT', 'ENCODING', 'k')).toBe(bulk('intset'));
    run('SADD', 'k', 'x');
    expect(run('OBJECT', 'ENCODING', 'k')).toBe(bulk('listpack'));
    run('SADD', 'k', 'y'.repeat(65));
    expect(enc('k')).toBe('hashtable');
    run('CONFIG', 'SET', 'set-max-intset-entries', '2', 'set-max-listpack-entries', '2', 'set-max-listpack-value', '3');
    run('SADD', 'a', '1', '2');
    expect(enc('a')).toBe('intset');
    run('SADD', 'a', '3');
    expect(enc('a')).toBe('hashtable');
    run('SADD', 'b', 'abc');
    run('SADD', 'b', 'abcd');
    expect(enc('b')).toBe('hashtable');
    run('SADD', 'c', '1', '2', '3');
    expect(enc('c')).toBe('hashtable');
  });

  test('SPOP strategy 3 rebuilds a hashtable as a listpack when the rest fits', () => {
    const { run, enc } = setup();
    run('SADD', 'h', ...range(0, 200, 'm'));
    expect(enc('h')).toBe('hashtable');
    expect(parseBulks(run('SPOP', 'h', '190')).length).toBe(190);
    expect(enc('h')).toBe('listpack');
    expect(run('SCARD', 'h')).toBe(int(10));
    // Strategy 2 pops in place: still a hashtable.
    run('SADD', 'g', ...range(0, 200, 'm'));
    run('SPOP', 'g', '100');
    expect(enc('g')).toBe('hashtable');
    // An intset stays an intset.
    run('SADD', 'i', ...range(0, 100));
    run('SPOP', 'i', '95');
    expect(enc('i')).toBe('intset');
    expect(run('SCARD', 'i')).toBe(int(5));
  });

  test('STORE results: SINTERSTORE of integers is an intset, SUNIONSTORE starts from an intset', () => {
    const { run, enc, members } = setup();
    run('SADD', 'a', 'x', '3', '1', 'y');
    run('SADD', 'b', '1', '3', 'x');
    run('SINTERSTORE', 'r', 'a', 'b');
    expect(enc('r')).toBe('listpack');
    // The smallest set (b) leads: its order.
    expect(members('r')).toEqual(['1', '3', 'x']);
    run('SREM', 'b', 'x');
    run('SINTERSTORE', 'r', 'a', 'b');
    expect(enc('r')).toBe('intset');
    expect(members('r')).toEqual(['1', '3']);
    run('SADD', 'i', '9', '7');
    run('SUNIONSTORE', 'u', 'i', 'a');
    expect(enc('u')).toBe('listpack');
    expect(members('u')).toEqual(['7', '9', 'x', '3', '1', 'y']);
  });
});

describe('SPOP and SRANDMEMBER', () => {
  test('the engine seed makes random replies reproducible', () => {
    const script = (seed: number) => {
      const { run } = setup(seed);
      run('SADD', 'l', ...range(0, 30, 'x'));
      run('SADD', 'h', ...range(0, 300, 'y'));
      return [run('SPOP', 'l'), run('SPOP', 'l', '3'), run('SPOP', 'h', '7'), run('SRANDMEMBER', 'h', '-5'), run('SRANDMEMBER', 'l', '4'), run('SPOP', 'h', '250')];
    };
    expect(script(1)).toEqual(script(1));
    expect(script(1)).not.toEqual(script(2));
  });

  test('every strategy returns distinct members and leaves the rest', () => {
    const { run, members } = setup();
    const cases: [string[], number][] = [];
    for (const [ms, counts] of [[range(0, 40), [1, 5, 20, 35, 39]], [range(0, 40, 's'), [1, 5, 20, 35, 39]], [range(0, 300, 'h'), [1, 5, 150, 260, 299]]] as const) {
      for (const n of counts) cases.push([[...ms], n]);
    }
    for (const [ms, n] of cases) {
      run('DEL', 'k');
      run('SADD', 'k', ...ms);
      const popped = parseBulks(run('SPOP', 'k', String(n)));
      expect(popped.length).toBe(n);
      expect(new Set(popped).size).toBe(n);
      const left = members('k');
      expect([...popped, ...left].sort()).toEqual([...ms].sort());
    }
  });

  test('SRANDMEMBER: positive counts are distinct, negative counts repeat', () => {
    const { run } = setup();
    for (const ms of [range(0, 40), range(0, 40, 's'), range(0, 300, 'h')]) {
      run('DEL', 'k');
      run('SADD', 'k', ...ms);
      for (const n of [1, 2, 10, 20, 39, 40, 100]) {
        const got = parseBulks(run('SRANDMEMBER', 'k', String(n)));
        expect(got.length).toBe(Math.min(n, ms.length));
        expect(new Set(got).size).toBe(got.length);
        for (const m of got) expect(ms).toContain(m);
      }
      const many = parseBulks(run('SRANDMEMBER', 'k', String(-20 * ms.length)));
      expect(many.length).toBe(20 * ms.length);
      expect(new Set(many).size).toBe(ms.length);
      expect(run('SCARD', 'k')).toBe(int(ms.length));
    }
  });

  test('count errors', () => {
    const { run } = setup();
    run('SADD', 's', 'a');
    expect(run('SPOP', 's', '-1')).toBe(err('ERR value is out of range, must be positive'));
    expect(run('SPOP', 's', 'x')).toBe(err('ERR value is out of range, must be positive'));
    expect(run('SPOP', 's', '1', '2')).toBe(err('ERR syntax error'));
    expect(run('SRANDMEMBER', 's', '-9223372036854775808')).toBe(err('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807'));
    expect(run('SRANDMEMBER', 's', '9223372036854775808')).toBe(err('ERR value is not an integer or out of range'));
    expect(run('SRANDMEMBER', 's', '1', '2')).toBe(err('ERR syntax error'));
    run('SET', 'str', 'v');
    expect(run('SPOP', 'str', '0')).toBe(WRONGTYPE);
    expect(run('SRANDMEMBER', 'str', '0')).toBe(WRONGTYPE);
  });
});

describe('SINTERCARD, SSCAN arguments', () => {
  test('SINTERCARD errors in Valkey order', () => {
    const { run } = setup();
    run('SADD', 's', 'a', 'b');
    expect(run('SINTERCARD', '0', 's')).toBe(err('ERR numkeys should be greater than 0'));
    expect(run('SINTERCARD', 'x', 's')).toBe(err('ERR numkeys should be greater than 0'));
    expect(run('SINTERCARD', '2', 's')).toBe(err("ERR Number of keys can't be greater than number of args"));
    expect(run('SINTERCARD', '1', 's', 'LIMIT')).toBe(err('ERR syntax error'));
    expect(run('SINTERCARD', '1', 's', 'LIMIT', '-1')).toBe(err("ERR LIMIT can't be negative"));
    expect(run('SINTERCARD', '1', 's', 'LIMIT', '1')).toBe(int(1));
    expect(run('SINTERCARD', '1', 's', 'limit\0junk', '0')).toBe(int(2));
  });

  test('SSCAN: the cursor is checked before the key, the options after it', () => {
    const { run } = setup();
    expect(run('SSCAN', 'nokey', 'x')).toBe(err('ERR invalid cursor'));
    expect(run('SSCAN', 'nokey', '0', 'BAD')).toBe(arr(bulk('0'), '*0\r\n'));
    run('SADD', 's', 'a');
    expect(run('SSCAN', 's', '0', 'BAD')).toBe(err('ERR syntax error'));
    expect(run('SSCAN', 's', '0', 'TYPE', 'set')).toBe(err('ERR syntax error'));
    expect(run('SSCAN', 's', '0', 'NOVALUES')).toBe(err('ERR NOVALUES option can only be used in HSCAN'));
    expect(run('SSCAN', 's', '0', 'COUNT', '0')).toBe(err('ERR syntax error'));
  });

  test('SSCAN over a hashtable visits every member across calls', () => {
    const { run } = setup();
    const all = range(0, 500, 'm');
    run('SADD', 'h', ...all);
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const raw = run('SSCAN', 'h', cursor, 'COUNT', '20', 'MATCH', 'm*');
      const lines = raw.split('\r\n');
      cursor = lines[2]!;
      const rest = raw.slice(raw.indexOf('\r\n', raw.indexOf(cursor) ) + 2);
      for (const m of parseBulks(rest)) seen.add(m);
      calls++;
    } while (cursor !== '0');
    expect(calls).toBeGreaterThanOrEqual(25);
    expect([...seen].sort()).toEqual([...all].sort());
  });
});

describe('keyspace events, WATCH, dirty', () => {
  test('events in Valkey 9.1.2 order (checked against the real server)', () => {
    const { run, events } = setup();
    const script = [
      ['SADD', 'a', '1', '2'], ['SADD', 'a', '1'], ['SMOVE', 'a', 'b', '1'], ['SMOVE', 'a', 'b', '2'], ['SMOVE', 'b', 'b', '2'],
      ['SADD', 'c', 'x', 'y', 'z'], ['SPOP', 'c', '1'], ['SPOP', 'c'], ['SPOP', 'c'], ['SADD', 'd', '1', '2'], ['SREM', 'd', '1', '2', '3'],
      ['SADD', 'e', 'a'], ['SINTERSTORE', 'e', 'e', 'nokey'], ['SADD', 'f', '1'], ['SDIFFSTORE', 'g', 'f', 'nokey'], ['SUNIONSTORE', 'g', 'f'],
      ['SINTERSTORE', 'h', 'f', 'f'], ['SREM', 'f', '9'],
    ];
    for (const s of script) run(...s);
    expect(events).toEqual([
      'new a', 'sadd a', 'srem a', 'new b', 'sadd b', 'srem a', 'del a', 'sadd b', 'new c', 'sadd c', 'spop c', 'spop c', 'spop c', 'del c',
      'new d', 'sadd d', 'srem d', 'del d', 'new e', 'sadd e', 'del e', 'new f', 'sadd f', 'new g', 'sdiffstore g', 'sunionstore g',
      'new h', 'sinterstore h',
    ]);
  });

  test('SPOP of the whole set: spop then del', () => {
    const { run, events } = setup();
    run('SADD', 's', 'a', 'b');
    events.length = 0;
    run('SPOP', 's', '10');
    expect(events).toEqual(['spop s', 'del s']);
  });

  test('WATCH: a change aborts EXEC, a no-op does not', () => {
    const { engine, connect, exec } = setup();
    const a = connect();
    const b = connect();
    const tx = (change: string[]) => {
      exec(a, 2, ['WATCH', 'k']);
      exec(b, 2, change);
      exec(a, 2, ['MULTI']);
      exec(a, 2, ['PING']);
      return exec(a, 2, ['EXEC']);
    };
    exec(b, 2, ['SADD', 'k', 'a']);
    expect(tx(['SADD', 'k', 'a'])).toBe(arr('+PONG\r\n'));
    expect(tx(['SADD', 'k', 'b'])).toBe('*-1\r\n');
    expect(tx(['SREM', 'k', 'zz'])).toBe(arr('+PONG\r\n'));
    expect(tx(['SMOVE', 'k', 'k', 'a'])).toBe(arr('+PONG\r\n'));
    expect(tx(['SMOVE', 'k', 'o', 'a'])).toBe('*-1\r\n');
    expect(tx(['SINTERSTORE', 'k', 'nokey'])).toBe('*-1\r\n');
    expect(tx(['SINTERSTORE', 'k', 'nokey'])).toBe(arr('+PONG\r\n'));
    expect(tx(['SDIFFSTORE', 'k', 'o', 'o'])).toBe(arr('+PONG\r\n'));
    expect(tx(['SUNIONSTORE', 'k', 'o'])).toBe('*-1\r\n');
    expect(tx(['SPOP', 'k', '0'])).toBe(arr('+PONG\r\n'));
    expect(tx(['SPOP', 'k'])).toBe('*-1\r\n');
    expect(engine.db(0).peek('k')).toBeUndefined();
  });

  test('dirty counts members added or removed', () => {
    const { engine, run } = setup();
    const d = () => engine.stats.dirty;
    let before = d();
    run('SADD', 's', 'a', 'b', 'a', 'c');
    expect(d() - before).toBe(3);
    before = d();
    run('SREM', 's', 'a', 'zz', 'b');
    expect(d() - before).toBe(2);
    before = d();
    run('SMOVE', 's', 'o', 'c');
    expect(d() - before).toBe(2);
    before = d();
    run('SADD', 's', ...range(0, 10));
    run('SPOP', 's', '4');
    expect(d() - before).toBe(14);
    before = d();
    run('SPOP', 's', '100');
    expect(d() - before).toBe(6);
  });
});

describe('expiry', () => {
  test('an expired key is a missing set; a STORE destination loses its TTL', () => {
    const { run, clock } = setup();
    run('SADD', 's', 'a', 'b');
    run('PEXPIRE', 's', '100');
    run('SADD', 'd', 'x');
    run('EXPIRE', 'd', '100');
    run('SUNIONSTORE', 'd', 's');
    expect(run('TTL', 'd')).toBe(int(-1));
    clock.advance(101);
    expect(run('SCARD', 's')).toBe(int(0));
    expect(run('SADD', 's', 'c')).toBe(int(1));
    expect(run('SMEMBERS', 's')).toBe(bulks('c'));
    expect(run('TTL', 's')).toBe(int(-1));
  });
});
