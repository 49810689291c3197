import { describe, expect, test } from 'vitest';
import { encode, type Reply } from '../../protocol/index.js';
import { VirtualClock } from '../../time/index.js';
import { BLOCKED } from '../command.js';
import { Engine } from '../engine.js';
import { parseScanCursor } from './generic.js';

const T0 = 1_700_000_000_000;

function setup(opts: { seed?: number } = {}) {
  const clock = new VirtualClock({ start: T0 });
  const engine = new Engine({ clock, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
  const delivered: string[] = [];
  const client = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:6379', fd: 7 }, {
    deliver: (r) => delivered.push(encode(r, 2)),
    close() {},
  });
  const exec = (...argv: string[]) => engine.execute(client, argv);
  const run = (...argv: string[]): string => {
    const r = exec(...argv);
    if (r === undefined || r === BLOCKED) throw new Error(`${argv.join(' ')}: no reply`);
    return encode(r as Reply, 2);
  };
  const events: string[] = [];
  engine.onKeyspaceEvent((cls, ev, key, db) => events.push(`${cls} ${ev} ${key}@${db}`));
  return { clock, engine, client, run, exec, delivered, events };
}

const int = (n: number) => `:${n}\r\n`;
const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const err = (s: string) => `-${s}\r\n`;
const OK = '+OK\r\n';

describe('DEL, UNLINK, EXISTS, TOUCH, TYPE', () => {
  test('counts, repeats and events', () => {
    const { run, events } = setup();
    run('SET', 'a', '1');
    run('SET', 'b', '1');
    events.length = 0;
    expect(run('EXISTS', 'a', 'a', 'b', 'c')).toBe(int(3));
    expect(run('DEL', 'a', 'a', 'c')).toBe(int(1));
    expect(run('UNLINK', 'b', 'b')).toBe(int(1));
    expect(events).toEqual(['m keymiss c@0', 'g del a@0', 'g del b@0']);
  });

  test('DEL of an expired key reports it expired, not deleted', () => {
    const { run, clock, events, engine } = setup();
    run('SET', 'a', '1');
    run('PEXPIRE', 'a', '10');
    engine.close(); // no active expiry: the lazy path is under test
    clock.advance(11);
    events.length = 0;
    expect(run('DEL', 'a')).toBe(int(0));
    expect(events).toEqual(['x expired a@0']);
  });

  test('TYPE names every type', () => {
    const { run, engine } = setup();
    const db = engine.db(0);
    for (const t of ['list', 'set', 'zset', 'hash', 'stream'] as const) db.set(`k-${t}`, t, null, T0);
    run('SET', 'k-string', 'v');
    for (const t of ['string', 'list', 'set', 'zset', 'hash', 'stream']) expect(run('TYPE', `k-${t}`)).toBe(`+${t}\r\n`);
    expect(run('TYPE', 'nokey')).toBe('+none\r\n');
  });

  test('TOUCH updates the access time, EXISTS and TYPE do not', () => {
    const { run, clock } = setup();
    run('SET', 'a', '1');
    clock.advance(5000);
    run('EXISTS', 'a');
    run('TYPE', 'a');
    expect(run('OBJECT', 'IDLETIME', 'a')).toBe(int(5));
    expect(run('TOUCH', 'a', 'nokey')).toBe(int(1));
    expect(run('OBJECT', 'IDLETIME', 'a')).toBe(int(0));
  });

  test('hits and misses: EXISTS counts, DEL does not', () => {
    const { run, engine } = setup();
    run('SET', 'a', '1');
    const { keyspaceHits: h, keyspaceMisses: m } = engine.stats;
    run('EXISTS', 'a', 'b');
    run('DEL', 'zz');
    run('OBJECT', 'ENCODING', 'a');
    expect(engine.stats.keyspaceHits - h).toBe(2);
    expect(engine.stats.keyspaceMisses - m).toBe(1);
  });
});

describe('RENAME, RENAMENX, MOVE, COPY', () => {
  test('RENAME keeps the TTL and notifies from/to', () => {
    const { run, events, clock } = setup();
    run('SET', 'a', 'v');
    run('PEXPIRE', 'a', '5000');
    run('SET', 'b', 'old');
    events.length = 0;
    expect(run('RENAME', 'a', 'b')).toBe(OK);
    expect(events).toEqual(['n new b@0', 'g rename_from a@0', 'g rename_to b@0']);
    expect(run('PTTL', 'b')).toBe(int(5000));
    expect(run('EXISTS', 'a')).toBe(int(0));
    clock.advance(5001);
    expect(run('EXISTS', 'b')).toBe(int(0));
  });

  test('RENAME errors and same key', () => {
    const { run } = setup();
    expect(run('RENAME', 'x', 'y')).toBe(err('ERR no such key'));
    expect(run('RENAME', 'x', 'x')).toBe(err('ERR no such key'));
    run('SET', 'x', '1');
    expect(run('RENAME', 'x', 'x')).toBe(OK);
    expect(run('RENAMENX', 'x', 'x')).toBe(int(0));
    run('SET', 'y', '2');
    expect(run('RENAMENX', 'x', 'y')).toBe(int(0));
    expect(run('RENAMENX', 'x', 'z')).toBe(int(1));
    expect(run('GET', 'z')).toBe(bulk('1'));
  });

  test('MOVE carries the TTL to the other db and notifies both', () => {
    const { run, events, engine } = setup();
    run('SET', 'a', 'v');
    run('PEXPIRE', 'a', '7000');
    events.length = 0;
    expect(run('MOVE', 'a', '3')).toBe(int(1));
    expect(events).toEqual(['n new a@3', 'g move_from a@0', 'g move_to a@3']);
    const e = engine.db(3).peek('a')!;
    expect(e.value).toBe('v');
    expect(e.expireAt).toBe(T0 + 7000);
    expect(engine.db(3).volatileCount).toBe(1);
    expect(engine.db(0).volatileCount).toBe(0);
    expect(run('MOVE', 'a', '0')).toBe(err('ERR source and destination objects are the same'));
    expect(run('MOVE', 'a', '16')).toBe(err('ERR DB index is out of range'));
    expect(run('MOVE', 'a', '2147483648')).toBe(err('ERR value is out of range, value must between -2147483648 and 2147483647'));
  });

  test('COPY to another db with REPLACE and the TTL', () => {
    const { run, events, engine } = setup();
    run('SET', 'a', 'v');
    run('PEXPIRE', 'a', '9000');
    engine.db(2).set('b', 'string', 'old', T0);
    events.length = 0;
    expect(run('COPY', 'a', 'b', 'DB', '2')).toBe(int(0));
    expect(run('COPY', 'a', 'b', 'DB', '2', 'REPLACE')).toBe(int(1));
    expect(events).toEqual(['n new b@2', 'g copy_to b@2']);
    expect(engine.db(2).peek('b')!.value).toBe('v');
    expect(engine.db(2).peek('b')!.expireAt).toBe(T0 + 9000);
    expect(run('COPY', 'a', 'a')).toBe(err('ERR source and destination objects are the same'));
    expect(run('COPY', 'a', 'a', 'DB', '0')).toBe(err('ERR source and destination objects are the same'));
    expect(run('COPY', 'a', 'c', 'DB')).toBe(err('ERR syntax error'));
  });

  test('COPY of a stream is an independent copy', () => {
    const { run, engine } = setup();
    run('XADD', 'l', '1-1', 'f', 'v');
    expect(run('COPY', 'l', 'm')).toBe(int(1));
    run('XDEL', 'm', '1-1');
    expect(run('XLEN', 'l')).toBe(int(1));
    expect(engine.db(0).peek('m')!.value).not.toBe(engine.db(0).peek('l')!.value);
  });
});

describe('EXPIRE family and TTLs on a virtual clock', () => {
  test('exact TTL values, rounding and expiry on advance', () => {
    const { run, clock } = setup();
    run('SET', 'a', '1');
    expect(run('PEXPIRE', 'a', '2499')).toBe(int(1));
    expect(run('TTL', 'a')).toBe(int(2));
    expect(run('PTTL', 'a')).toBe(int(2499));
    expect(run('PEXPIRETIME', 'a')).toBe(int(T0 + 2499));
    expect(run('EXPIRETIME', 'a')).toBe(int(Math.floor((T0 + 2499 + 500) / 1000)));
    clock.advance(1000);
    expect(run('TTL', 'a')).toBe(int(1)); // 1499 ms rounds to 1
    clock.advance(1499);
    expect(run('PTTL', 'a')).toBe(int(0));
    clock.advance(1);
    expect(run('TTL', 'a')).toBe(int(-2));
  });

  test('a past time deletes with an expired event; a future one notifies expire', () => {
    const { run, events, engine } = setup();
    run('SET', 'a', '1');
    events.length = 0;
    expect(run('EXPIRE', 'a', '10')).toBe(int(1));
    expect(run('EXPIREAT', 'a', String(T0 / 1000))).toBe(int(1)); // exactly now counts as past
    expect(events).toEqual(['g expire a@0', 'x expired a@0']);
    expect(engine.stats.expiredKeys).toBe(1);
    expect(run('EXISTS', 'a')).toBe(int(0));
  });

  test('GT/LT against a persistent key', () => {
    const { run } = setup();
    run('SET', 'a', '1');
    expect(run('EXPIRE', 'a', '10', 'GT')).toBe(int(0));
    expect(run('EXPIRE', 'a', '10', 'LT')).toBe(int(1));
    expect(run('EXPIRE', 'a', '20', 'LT')).toBe(int(0));
    expect(run('EXPIRE', 'a', '20', 'GT')).toBe(int(1));
    expect(run('PTTL', 'a')).toBe(int(20000));
  });

  test('huge expiries stay exact', () => {
    const { run } = setup();
    run('SET', 'a', '1');
    expect(run('PEXPIREAT', 'a', '9223372036854775807')).toBe(int(1));
    expect(run('PEXPIRETIME', 'a')).toBe(':9223372036854775807\r\n');
    expect(run('EXPIRETIME', 'a')).toBe(':9223372036854776\r\n');
    expect(run('PTTL', 'a')).toBe(`:${9223372036854775807n - BigInt(T0)}\r\n`);
    expect(run('PEXPIREAT', 'a', '9223372036854775806', 'LT')).toBe(int(1));
    expect(run('PEXPIRETIME', 'a')).toBe(':9223372036854775806\r\n');
    expect(run('PEXPIREAT', 'a', '9223372036854775807', 'LT')).toBe(int(0));
    expect(run('EXPIRE', 'a', String(9223372036854775n))).toBe(err("ERR invalid expire time in 'expire' command"));
    expect(run('PEXPIRE', 'a', '9223372036854775807')).toBe(err("ERR invalid expire time in 'pexpire' command"));
  });

  test('PERSIST', () => {
    const { run, events } = setup();
    run('SET', 'a', '1');
    run('EXPIRE', 'a', '100');
    events.length = 0;
    expect(run('PERSIST', 'a')).toBe(int(1));
    expect(run('PERSIST', 'a')).toBe(int(0));
    expect(run('TTL', 'a')).toBe(int(-1));
    expect(events).toEqual(['g persist a@0']);
  });

  test('EXPIRE makes a WATCHing transaction fail', () => {
    const { run, engine, client } = setup();
    run('SET', 'a', '1');
    engine.db(0).watch({ watcher: client, db: engine.db(0), key: 'a', expired: false });
    run('EXPIRE', 'a', '100');
    expect(client.dirtyCas).toBe(true);
  });
});

describe('KEYS, SCAN, RANDOMKEY', () => {
  test('SCAN walks the whole keyspace in COUNT-sized steps', () => {
    const { run } = setup();
    for (let i = 0; i < 25; i++) run('SET', `k${i}`, '1');
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const r = run('SCAN', cursor, 'COUNT', '10');
      const parts = r.split('\r\n');
      cursor = parts[2]!;
      for (let i = 5; i < parts.length; i += 2) if (parts[i] !== undefined && parts[i] !== '') seen.add(parts[i]!);
      calls++;
    } while (cursor !== '0');
    expect(calls).toBe(3);
    expect(seen.size).toBe(25);
  });

  test('SCAN with TYPE and MATCH filters, and deletes the expired keys it meets', () => {
    const { run, engine, clock, client } = setup();
    const during: string[] = [];
    engine.onKeyspaceEvent((_c, ev, key) => during.push(`${client.currentCmd?.fullname ?? 'active expiry'}: ${ev} ${key}`));
    run('SET', 'a1', '1');
    run('SET', 'a2', '1');
    run('SET', 'b1', '1');
    engine.db(0).set('l1', 'list', [], T0);
    run('PEXPIRE', 'a2', '5');
    run('PEXPIRE', 'b1', '5');
    engine.close(); // no active expiry until the next command re-arms it
    clock.advance(10);
    during.length = 0;
    expect(run('KEYS', '*')).toBe('*2\r\n$2\r\na1\r\n$2\r\nl1\r\n');
    expect(during).toEqual(['active expiry: expired a2', 'active expiry: expired b1']); // KEYS deleted nothing
    run('SET', 'a2', '1');
    run('SET', 'b1', '1');
    run('PEXPIRE', 'a2', '5');
    run('PEXPIRE', 'b1', '5');
    engine.close();
    clock.advance(10);
    during.length = 0;
    expect(run('SCAN', '0', 'MATCH', 'a*', 'TYPE', 'string')).toBe('*2\r\n$1\r\n0\r\n*1\r\n$2\r\na1\r\n');
    // a2 matched the filters and was deleted by SCAN; b1 did not match and was left to active expiry.
    expect(during).toEqual(['scan: expired a2', 'active expiry: expired b1']);
    expect(run('SCAN', '0', 'TYPE', 'LIST')).toBe('*2\r\n$1\r\n0\r\n*1\r\n$2\r\nl1\r\n');
  });

  test('SCAN errors', () => {
    const { run } = setup();
    expect(run('SCAN', '-1')).toBe(err('ERR invalid cursor'));
    expect(run('SCAN', '0', 'COUNT', '0')).toBe(err('ERR syntax error'));
    expect(run('SCAN', '0', 'TYPE', 'foo\0bar')).toBe(err("ERR unknown type name 'foo'"));
    expect(run('SCAN', '0', 'NOVALUES')).toBe(err('ERR NOVALUES option can only be used in HSCAN'));
    expect(run('SCAN', '0', 'NOSCORES')).toBe(err('ERR NOSCORES option can only be used in ZSCAN'));
  });

  test('parseScanCursor is string2ull', () => {
    expect(parseScanCursor('0')).toBe(0n);
    expect(parseScanCursor('18446744073709551615')).toBe(18446744073709551615n);
    expect(parseScanCursor('18446744073709551616')).toBeNull();
    expect(parseScanCursor('-1')).toBeNull();
    expect(parseScanCursor('-01')).toBe(18446744073709551615n);
    expect(parseScanCursor(' +7')).toBe(7n);
    expect(parseScanCursor('7 ')).toBeNull();
    expect(parseScanCursor('7\0junk')).toBe(7n);
    expect(parseScanCursor('')).toBeNull();
    expect(parseScanCursor('0x1')).toBeNull();
  });

  test('RANDOMKEY is driven by the engine rng: same seed, same sequence', () => {
    const seq = (seed: number) => {
      const { run } = setup({ seed });
      for (let i = 0; i < 50; i++) run('SET', `k${i}`, '1');
      return Array.from({ length: 20 }, () => run('RANDOMKEY'));
    };
    expect(seq(1)).toEqual(seq(1));
    expect(seq(1)).not.toEqual(seq(2));
    expect(new Set(seq(3)).size).toBeGreaterThan(5);
  });

  test('RANDOMKEY skips and deletes expired keys', () => {
    const { run, engine, clock } = setup();
    for (let i = 0; i < 20; i++) {
      run('SET', `k${i}`, '1');
      if (i > 0) run('PEXPIRE', `k${i}`, '5');
    }
    engine.close(); // no active expiry: the lazy path is under test
    clock.advance(10);
    expect(engine.db(0).size).toBe(20);
    expect(run('RANDOMKEY')).toBe(bulk('k0'));
    run('DEL', 'k0');
    expect(run('RANDOMKEY')).toBe('$-1\r\n');
    expect(engine.db(0).size).toBe(0);
  });
});

describe('OBJECT', () => {
  test('IDLETIME follows the engine clock', () => {
    const { run, clock } = setup();
    run('SET', 'a', '1');
    clock.advance(10_000);
    expect(run('OBJECT', 'IDLETIME', 'a')).toBe(int(10));
    run('GET', 'a');
    expect(run('OBJECT', 'IDLETIME', 'a')).toBe(int(0));
    clock.advance(999);
    expect(run('OBJECT', 'IDLETIME', 'a')).toBe(int(0));
    clock.advance(1);
    expect(run('OBJECT', 'IDLETIME', 'a')).toBe(int(1));
  });

  test('a NO-TOUCH client does not update the access time, except with TOUCH', () => {
    const { run, clock, client } = setup();
    run('SET', 'a', '1');
    client.noTouch = true;
    clock.advance(3000);
    run('GET', 'a');
    expect(run('OBJECT', 'IDLETIME', 'a')).toBe(int(3));
    run('TOUCH', 'a');
    expect(run('OBJECT', 'IDLETIME', 'a')).toBe(int(0));
  });

  test('ENCODING and REFCOUNT of strings', () => {
    const { run } = setup();
    run('SET', 'i', '123');
    run('SET', 'e', 'hello');
    run('SET', 'r', 'x'.repeat(113));
    expect(run('OBJECT', 'ENCODING', 'i')).toBe(bulk('int'));
    expect(run('OBJECT', 'ENCODING', 'e')).toBe(bulk('embstr'));
    expect(run('OBJECT', 'ENCODING', 'r')).toBe(bulk('raw'));
    expect(run('OBJECT', 'ENCODING', 'nokey')).toBe('$-1\r\n');
    expect(run('OBJECT', 'REFCOUNT', 'i')).toBe(int(1));
    expect(run('OBJECT', 'REFCOUNT', 'nokey')).toBe('$-1\r\n');
  });

  test('FREQ and IDLETIME depend on the maxmemory policy', () => {
    const { run, engine, clock } = setup({ seed: 7 });
    run('SET', 'a', '1');
    expect(run('OBJECT', 'FREQ', 'a')).toMatch(/^-ERR An LFU maxmemory policy is not selected/);
    engine.config.force('maxmemory-policy', 'allkeys-lfu');
    expect(run('OBJECT', 'IDLETIME', 'a')).toMatch(/^-ERR An LFU maxmemory policy is selected, idle time not tracked/);
    expect(run('OBJECT', 'FREQ', 'a')).toBe(int(5));
    run('GET', 'a'); // counter 5 -> 6 with probability 1
    expect(run('OBJECT', 'FREQ', 'a')).toBe(int(6));
    for (let i = 0; i < 2000; i++) run('GET', 'a');
    const f = Number(run('OBJECT', 'FREQ', 'a').slice(1, -2));
    expect(f).toBeGreaterThan(8);
    expect(f).toBeLessThan(40);
    clock.advance(3 * 60_000); // one step of decay per minute (lfu-decay-time 1)
    expect(run('OBJECT', 'FREQ', 'a')).toBe(int(f - 3));
    run('SET', 'b', '1');
    run('RENAME', 'a', 'b'); // a renamed key starts over
    expect(run('OBJECT', 'FREQ', 'b')).toBe(int(5));
    engine.config.force('maxmemory-policy', 'noeviction');
    expect(run('OBJECT', 'FREQ', 'b')).toMatch(/^-ERR An LFU maxmemory policy is not selected/);
  });

  test('HELP', () => {
    const { run } = setup();
    const r = run('object', 'help');
    expect(r.startsWith('*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n')).toBe(true);
    expect(r.endsWith('+HELP\r\n+    Print this help.\r\n')).toBe(true);
  });
});

describe('WAIT and WAITAOF on a virtual clock', () => {
  test('WAIT 0 answers at once; WAIT 1 <ms> blocks until the engine clock passes the timeout', () => {
    const { exec, run, clock, delivered } = setup();
    expect(run('WAIT', '0', '0')).toBe(int(0));
    expect(exec('WAIT', '1', '1000')).toBe(BLOCKED);
    clock.advance(1000); // at the deadline: still waiting (Valkey times out when now > deadline)
    expect(delivered).toEqual([]);
    clock.advance(1);
    expect(delivered).toEqual([int(0)]);
  });

  test('WAIT 1 0 waits forever', () => {
    const { exec, clock, delivered, client } = setup();
    expect(exec('WAIT', '1', '0')).toBe(BLOCKED);
    clock.advance(365 * 24 * 3600 * 1000);
    expect(delivered).toEqual([]);
    expect(client.blocked?.cmd).toBe('wait');
  });

  test('WAITAOF blocks for replicas and answers [0, 0]', () => {
    const { exec, clock, delivered, run } = setup();
    expect(run('WAITAOF', '0', '0', '0')).toBe('*2\r\n:0\r\n:0\r\n');
    expect(run('WAITAOF', '1', '0', '0')).toBe(err('ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.'));
    expect(exec('WAITAOF', '0', '1', '50')).toBe(BLOCKED);
    clock.advance(50);
    expect(delivered).toEqual([]);
    clock.advance(1);
    expect(delivered).toEqual(['*2\r\n:0\r\n:0\r\n']);
  });

  test('argument errors', () => {
    const { run } = setup();
    expect(run('WAIT', 'x', '0')).toBe(err('ERR value is not an integer or out of range'));
    expect(run('WAIT', '1', 'x')).toBe(err('ERR timeout is not an integer or out of range'));
    expect(run('WAIT', '1', '-1')).toBe(err('ERR timeout is negative'));
    expect(run('WAIT', '1', '9223372036854775807')).toBe(err('ERR timeout is out of range'));
  });
});

describe('types without generic hooks yet', () => {
  test('RENAME and MOVE move any value as is; OBJECT ENCODING of a stream', () => {
    const { run, engine } = setup();
    const list = ['x'];
    engine.db(0).set('l', 'list', list, T0);
    expect(run('RENAME', 'l', 'm')).toBe(OK);
    expect(run('MOVE', 'm', '1')).toBe(int(1));
    expect(engine.db(1).peek('m')!.value).toBe(list);
    expect(run('TYPE', 'm')).toBe('+none\r\n');
    run('XADD', 'h', '1-1', 'f', 'v');
    expect(run('OBJECT', 'ENCODING', 'h')).toBe('$6\r\nstream\r\n');
  });
});

describe('DUMP, RESTORE', () => {
  /** The payload of a bulk reply. */
  const payloadOf = (reply: string): string => reply.slice(reply.indexOf('\r\n') + 2, -2);
  test('every type round-trips with its encoding', () => {
    const { run } = setup();
    run('SET', 's', 'x'.repeat(100));
    run('SET', 'i', '-12345');
    run('RPUSH', 'l', 'a', '1', 'b');
    run('RPUSH', 'q', ...Array.from({ length: 500 }, (_, i) => `e${i}`));
    run('SADD', 'is', '3', '1', '2');
    run('SADD', 'ls', 'a', 'b');
    run('SADD', 'hs', ...Array.from({ length: 200 }, (_, i) => `m${i}`));
    run('ZADD', 'lz', '1.5', 'a', '2', 'b');
    run('ZADD', 'sz', ...Array.from({ length: 200 }, (_, i) => [String(i), `m${i}`]).flat());
    run('HSET', 'lh', 'f', 'v', 'g', '1');
    run('HSET', 'hh', ...Array.from({ length: 600 }, (_, i) => [`f${i}`, `v${i}`]).flat());
    const reads: Record<string, string[]> = {
      s: ['GET'], i: ['GET'], l: ['LRANGE', '0', '-1'], q: ['LRANGE', '0', '-1'], is: ['SMEMBERS'], ls: ['SMEMBERS'], hs: ['SMEMBERS'],
      lz: ['ZRANGE', '0', '-1', 'WITHSCORES'], sz: ['ZRANGE', '0', '-1', 'WITHSCORES'], lh: ['HGETALL'], hh: ['HGETALL'],
    };
    for (const [k, [cmd, ...rest]] of Object.entries(reads)) {
      const p = payloadOf(run('DUMP', k));
      expect(run('RESTORE', `${k}:r`, '0', p), k).toBe(OK);
      expect(run(cmd!, `${k}:r`, ...rest), k).toBe(run(cmd!, k, ...rest));
      expect(run('OBJECT', 'ENCODING', `${k}:r`), k).toBe(run('OBJECT', 'ENCODING', k));
      expect(payloadOf(run('DUMP', `${k}:r`)), k).toBe(p);
    }
  });
  test('a hash with field TTLs keeps them; expired fields are reclaimed after RESTORE', () => {
    const { run, clock } = setup();
    run('HSET', 'h', 'a', '1', 'b', '2');
    run('HPEXPIRE', 'h', '100', 'FIELDS', '1', 'a');
    const p = payloadOf(run('DUMP', 'h'));
    expect(run('RESTORE', 'r', '0', p)).toBe(OK);
    expect(run('HPTTL', 'r', 'FIELDS', '2', 'a', 'b')).toBe('*2\r\n:100\r\n:-1\r\n');
    clock.advance(101);
    expect(run('HLEN', 'r')).toBe(int(1));
  });
  test('BUSYKEY, REPLACE, TTLs, events', () => {
    const { run, events, clock } = setup();
    run('SET', 'k', 'v');
    const p = payloadOf(run('DUMP', 'k'));
    events.length = 0;
    expect(run('RESTORE', 'k', '0', p)).toBe(err('BUSYKEY Target key name already exists.'));
    expect(run('RESTORE', 'k', '500', p, 'REPLACE')).toBe(OK);
    expect(run('PTTL', 'k')).toBe(int(500));
    expect(run('RESTORE', 'k', String(T0 - 1), p, 'REPLACE', 'ABSTTL')).toBe(OK);
    expect(run('EXISTS', 'k')).toBe(int(0));
    expect(events).toEqual(['n new k@0', 'g restore k@0', 'g del k@0', 'm keymiss k@0']);
    expect(run('RESTORE', 'k', '0', p.slice(0, -1) + 'x')).toBe(err('ERR DUMP payload version or checksum are wrong'));
    expect(run('RESTORE', 'k', '0', p, 'IDLETIME', '100')).toBe(OK);
    expect(run('OBJECT', 'IDLETIME', 'k')).toBe(int(100));
    clock.advance(1000);
    expect(run('OBJECT', 'IDLETIME', 'k')).toBe(int(101));
  });
});
