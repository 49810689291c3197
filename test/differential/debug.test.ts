/**
 * DEBUG against the oracle, both started with enable-debug-command yes (and
 * one pair without it, for the gate's error).
 */
import { describe, expect, test } from 'vitest';
import { ignore, useDifferential, type StepLike } from './harness.js';

const d = useDifferential({ oracleArgs: ['--enable-debug-command', 'yes'], server: { config: { 'enable-debug-command': 'yes' } } });

/** A few keys of every type, with and without expiry. */
const DATA: StepLike[] = [
  ['SET', 'str', 'hello'],
  ['SET', 'int', '12345'],
  ['SET', 'big', 'x'.repeat(200)],
  ['SET', 'exp', 'v', 'EX', '1000'],
  ['RPUSH', 'list', 'a', 'b', 'c', '1', '2'],
  ['SADD', 'iset', '1', '2', '3', '-7'],
  ['SADD', 'lset', 'a', 'b', 'c'],
  ['ZADD', 'z', '1', 'a', '2.5', 'b', '-3', 'c', '1e20', 'd', '0.1', 'e', 'inf', 'f'],
  ['HSET', 'h', 'f1', 'v1', 'f2', '2', 'f3', 'v3'],
  ['XADD', 'st', '1-1', 'a', '1', 'b', '2'],
  ['XADD', 'st', '2-5', 'c', 'hello'],
];

/** The same keys, made large enough to change encodings. */
const BIG_DATA: StepLike[] = [
  ['CONFIG', 'SET', 'list-max-listpack-size', '4'],
  ['RPUSH', 'ql', ...Array.from({ length: 20 }, (_, i) => `e${i}`)],
  ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
  ['CONFIG', 'SET', 'set-max-intset-entries', '4'],
  ['SADD', 'hset', '1', '2', '3', '4', '5', '6'],
  ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
  ['CONFIG', 'SET', 'zset-max-listpack-entries', '2'],
  ['ZADD', 'sz', '1', 'a', '2', 'b', '3', 'c', '3.75', 'd'],
  ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
  ['CONFIG', 'SET', 'hash-max-listpack-entries', '2'],
  ['HSET', 'hh', 'a', '1', 'b', '2', 'c', '3'],
  ['CONFIG', 'SET', 'hash-max-listpack-entries', '128'],
];

describe('DEBUG', () => {
  test('HELP, unknown subcommands, wrong counts', () =>
    d.check([
      ['DEBUG', 'HELP'],
      ['debug', 'help'],
      ['DEBUG'],
      ['DEBUG', 'JMAP'],
      ['DEBUG', 'nosuch', 'x'],
      ['DEBUG', 'SLEEP'],
      ['DEBUG', 'LOG'],
      ['DEBUG', 'OBJECT'],
      ['DEBUG', 'DIGEST', 'x'],
      ['DEBUG', 'POPULATE', '1', 'p', '1', 'x'],
      ['DEBUG', 'HELP', 'extra'],
      ['DEBUG', 'MALLCTL', 'x'],
      ['DEBUG', 'SLOTMIGRATION', 'nope', '1'],
      ['DEBUG', 'REPLYBUFFER', 'nope', '1'],
    ]));

  test('DIGEST and DIGEST-VALUE of every type, byte for byte', () =>
    d.check([
      ['DEBUG', 'DIGEST'],
      ...DATA,
      ['DEBUG', 'DIGEST'],
      ['DEBUG', 'DIGEST-VALUE', 'str', 'int', 'big', 'exp', 'list', 'iset', 'lset', 'z', 'h', 'st', 'nokey'],
      ['DEBUG', 'DIGEST-VALUE'],
      ...BIG_DATA,
      ['DEBUG', 'DIGEST'],
      ['DEBUG', 'DIGEST-VALUE', 'ql', 'hset', 'sz', 'hh'],
      ['SELECT', '3'],
      ['SET', 'str', 'hello'],
      ['DEBUG', 'DIGEST'],
      ['DEBUG', 'DIGEST-VALUE', 'str'],
      ['FLUSHDB'],
      ['SELECT', '0'],
      ['HSET', 'ttl', 'a', '1', 'b', '2'],
      ['HEXPIRE', 'ttl', '100', 'FIELDS', '1', 'a'],
      ['DEBUG', 'DIGEST-VALUE', 'ttl'],
      ['DEBUG', 'DIGEST'],
    ]));

  test('RELOAD keeps the digest and converts encodings; its options', () =>
    d.check([
      ...DATA,
      ...BIG_DATA,
      ['CONFIG', 'SET', 'set-max-listpack-entries', '1'],
      ['SADD', 'shrink', 'a', 'b'],
      ['CONFIG', 'SET', 'set-max-listpack-entries', '128'],
      ['OBJECT', 'ENCODING', 'shrink'],
      ['DEBUG', 'DIGEST'],
      ['DEBUG', 'RELOAD'],
      ['DEBUG', 'DIGEST'],
      ['OBJECT', 'ENCODING', 'shrink'],
      ['OBJECT', 'ENCODING', 'ql'],
      ['OBJECT', 'ENCODING', 'hset'],
      ['TTL', 'exp'],
      ['DEBUG', 'RELOAD', 'NOSAVE'],
      ['DBSIZE'],
      ['SET', 'extra', '1'],
      ['DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE'],
      ['DBSIZE'],
      ['DEBUG', 'RELOAD', 'MERGE', 'BOGUS'],
      ['DEBUG', 'DIGEST'],
    ]));

  test('RELOAD carries the function libraries: NOFLUSH fails on a library that exists, MERGE replaces it', () => {
    const lib = (name: string, ret: string) => `#!lua name=${name}\nserver.register_function('${name}_f', function() return '${ret}' end)`;
    return d.check([
      ['FUNCTION', 'FLUSH'], ['SET', 'x', '1'], ['FUNCTION', 'LOAD', lib('relib', 'one')],
      ['DEBUG', 'RELOAD'], ['FCALL', 'relib_f', '0'], ['FUNCTION', 'LIST'],
      ['DEBUG', 'RELOAD', 'NOFLUSH'], ['FUNCTION', 'LIST'],
      ['DEBUG', 'RELOAD', 'NOFLUSH', 'MERGE'], ['FUNCTION', 'LIST'], ['GET', 'x'],
      ['FUNCTION', 'LOAD', lib('other', 'two')], ['DEBUG', 'RELOAD', 'NOSAVE'], ['FUNCTION', 'LIST'], ['FCALL', 'other_f', '0'],
      ['FUNCTION', 'FLUSH'], ['DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE'], ['FCALL', 'relib_f', '0'],
      ['DEBUG', 'SLEEP', '0'], ['EVAL', "local a = redis.call('TIME') redis.call('DEBUG', 'SLEEP', '0.01') local b = redis.call('TIME') return a[1] == b[1] and a[2] == b[2]", '0'],
      ['FUNCTION', 'FLUSH'],
    ]);
  });

  test('OBJECT: encoding, serialized length, quicklist fields (address, LRU clock and idle time masked: they follow the clock of each server)', async () => {
    if (!d.available) return;
    const lines: string[][] = [];
    for (const which of ['oracle', 'mock'] as const) {
      const c = await d.connect(which);
      await c.send(['FLUSHALL']);
      await c.send(['CONFIG', 'SET', 'list-compress-depth', '1']);
      for (const s of [...DATA, ...BIG_DATA]) await c.send(s as string[]);
      await c.send(['RPUSH', 'cl', ...Array.from({ length: 300 }, (_, i) => `element-${i}-${'y'.repeat(40)}`)]);
      // (list-compress-depth stays 1 while the keys are read: valkey-double's ql_compressed follows the
      // setting in force, Valkey's the one the quicklist was made with.)
      const out: string[] = [];
      for (const k of ['str', 'int', 'big', 'exp', 'list', 'iset', 'lset', 'z', 'h', 'ql', 'hset', 'sz', 'hh', 'cl']) {
        for (const extra of [[], ['fast']]) {
          const r = await c.send(['DEBUG', 'OBJECT', k, ...extra]);
          out.push(r.raw.replace(/Value at:0x[0-9a-f]+/, 'Value at:*').replace(/ lru:\d+ lru_seconds_idle:\d+/, ' lru:* lru_seconds_idle:*'));
        }
      }
      out.push((await c.send(['DEBUG', 'OBJECT', 'nokey'])).raw);
      await c.send(['CONFIG', 'SET', 'list-compress-depth', '0']);
      // Under an LFU policy the line shows the LFU counter and its minutes instead.
      await c.send(['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu']);
      await c.send(['SET', 'lfu', 'v']);
      out.push((await c.send(['DEBUG', 'OBJECT', 'lfu'])).raw.replace(/Value at:0x[0-9a-f]+/, 'Value at:*'));
      await c.send(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
      c.close();
      lines.push(out);
    }
    expect(lines[1]).toEqual(lines[0]);
  });

  test('QUICKLIST-PACKED-THRESHOLD: elements at least that long get plain nodes (DEBUG OBJECT masked)', async () => {
    if (!d.available) return;
    const seen: string[][] = [];
    for (const which of ['oracle', 'mock'] as const) {
      const c = await d.connect(which);
      await c.send(['FLUSHALL']);
      const out: string[] = [];
      for (const step of [
        ['CONFIG', 'SET', 'list-max-listpack-size', '4'],
        ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '5b'],
        ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f'],
        ['RPUSH', 'l', 'long-element', 'x', 'another-long-one'],
        ['LINSERT', 'l', 'BEFORE', 'x', 'yyyyyyy'],
        ['LSET', 'l', '0', 'zzzzzz'],
        ['LRANGE', 'l', '0', '-1'],
        ['DEBUG', 'OBJECT', 'l'],
        ['DEBUG', 'RELOAD'],
        ['DEBUG', 'OBJECT', 'l'],
        ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'],
        ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
      ]) {
        const r = await c.send(step);
        out.push(r.raw.replace(/Value at:0x[0-9a-f]+/, 'Value at:*').replace(/ lru:\d+ lru_seconds_idle:\d+/, ' lru:* lru_seconds_idle:*'));
      }
      c.close();
      seen.push(out);
    }
    expect(seen[1]).toEqual(seen[0]);
  });

  test('PROTOCOL, every type', () =>
    d.check([
      ...['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'push', 'verbatim', 'true', 'false', 'STRING', 'nope']
        .map((t) => ({ raw: `*3\r\n$5\r\nDEBUG\r\n$8\r\nPROTOCOL\r\n$${t.length}\r\n${t}\r\n`, replies: 1, compare: { kind: 'exact' } }) as StepLike),
    ], { resp: [2] }).then(() =>
    d.check([
      ['DEBUG', 'PROTOCOL', 'string'], ['DEBUG', 'PROTOCOL', 'integer'], ['DEBUG', 'PROTOCOL', 'double'],
      ['DEBUG', 'PROTOCOL', 'bignum'], ['DEBUG', 'PROTOCOL', 'null'], ['DEBUG', 'PROTOCOL', 'array'],
      ['DEBUG', 'PROTOCOL', 'set'], ['DEBUG', 'PROTOCOL', 'map'], ['DEBUG', 'PROTOCOL', 'attrib'],
      ['DEBUG', 'PROTOCOL', 'verbatim'], ['DEBUG', 'PROTOCOL', 'true'], ['DEBUG', 'PROTOCOL', 'false'],
      { raw: '*3\r\n$5\r\nDEBUG\r\n$8\r\nPROTOCOL\r\n$4\r\npush\r\n', replies: 2, compare: { kind: 'exact' } },
      ['PING'],
    ], { resp: [3] })));

  // STRINGMATCH-TEST is left out: the real server fuzzes stringmatchlen for about 20 s (the reply is in debug.test.ts beside the code).
  test('SLEEP, SET-ACTIVE-EXPIRE and the switches', () =>
    d.check([
      ['DEBUG', 'SLEEP', '0'],
      ['DEBUG', 'SLEEP', '0.01'],
      ['DEBUG', 'SLEEP', 'abc'],
      ['DEBUG', 'SLEEP', '-1'],
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['SET', 'k', 'v', 'PX', '1'],
      { cmd: ['PING'], compare: { kind: 'exact' }, sleepAfter: 150 },
      ['DBSIZE'],
      ['GET', 'k'],
      ['DBSIZE'],
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
      ['DEBUG', 'LOG', 'hello from the test'],
      ['DEBUG', 'LEAK', 'x'],
      ['DEBUG', 'ERROR', 'MYERR something\nwent wrong'],
      ['DEBUG', 'ERROR', ''],
      ['DEBUG', 'PAUSE-CRON', '0'],
      ['DEBUG', 'DICT-RESIZING', '1'],
      ['DEBUG', 'HASHTABLE-CAN-ABORT-SHRINK', '1'],
      ['DEBUG', 'CLIENT-ENFORCE-REPLY-LIST', '0'],
      ['DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', 'never'],
      ['DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', 'reset'],
      ['DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', 'abc'],
      ['DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', '100'],
      ['DEBUG', 'REPLYBUFFER', 'RESIZING', '1'],
      ['DEBUG', 'SET-DISABLE-DENY-SCRIPTS', '0'],
      ['DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '0'],
      ['DEBUG', 'AOF-FLUSH-SLEEP', '0'],
      ['DEBUG', 'CHANGE-REPL-ID'],
      ['DEBUG', 'STRUCTSIZE'],
      ['DEBUG', 'DROP-CLUSTER-PACKET-FILTER', 'x'],
      ['DEBUG', 'DROP-CLUSTER-PACKET-FILTER', '-1'],
      ['DEBUG', 'DISABLE-CLUSTER-RECONNECTION', '0'],
      ['DEBUG', 'CLUSTERLINK', 'KILL', 'to', 'x'],
      ['DEBUG', 'SLOTMIGRATION', 'PREVENT-PAUSE', '0'],
      ['DEBUG', 'CONFIG-REWRITE-FORCE-ALL'],
      ['DEBUG', 'CLIENT-EVICTION'],
      ['DEBUG', 'FORCE-TLS-WRITE-ERROR', '1'],
      ['DEBUG', 'PROTECT-CLIENT', 'abc'],
      ['DEBUG', 'PROTECT-CLIENT', '999999'],
      ['DEBUG', 'RESTART', 'abc'],
    ]));

  test('POPULATE, QUICKLIST-PACKED-THRESHOLD, LISTPACK, QUICKLIST', () =>
    d.check([
      ['DEBUG', 'POPULATE', '5'],
      ['DBSIZE'],
      ['MGET', 'key:0', 'key:4', 'key:5'],
      ['DEBUG', 'POPULATE', '3', 'p', '20'],
      ['GET', 'p:2'],
      ['OBJECT', 'ENCODING', 'p:2'],
      ['DEBUG', 'POPULATE', '3', 'q', '3'],
      ['GET', 'q:1'],
      ['DEBUG', 'POPULATE', '10', 'key'],
      ['DBSIZE'],
      ['DEBUG', 'POPULATE', '-1'],
      ['DEBUG', 'POPULATE', 'x'],
      ['DEBUG', 'POPULATE', '1', 'r', '-1'],
      ['DEBUG', 'POPULATE', '0'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1b'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '100kb'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '4gb'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', 'abc'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '-1'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'],
      ['RPUSH', 'l', 'a', 'b'],
      ['DEBUG', 'LISTPACK', 'l'],
      ['DEBUG', 'QUICKLIST', 'l'],
      ['DEBUG', 'LISTPACK', 'key:0'],
      ['DEBUG', 'LISTPACK', 'nokey'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '1'],
      ['RPUSH', 'ql', 'a', 'b', 'c'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
      ['DEBUG', 'QUICKLIST', 'ql'],
      ['DEBUG', 'QUICKLIST', 'ql', '1'],
      ['DEBUG', 'SDSLEN', 'nokey'],
      ['SET', 'n', '5'],
      ['DEBUG', 'SDSLEN', 'n'],
      ['DEBUG', 'SDSLEN', 'l'],
      ['SET', 'a', 'hello'],
      ['APPEND', 'a', 'world'],
      ['DEBUG', 'SDSLEN', 'a'],
      ['SET', 'b', 'x'.repeat(100)],
      ['DEBUG', 'SDSLEN', 'b'],
      ['SET', 'c', 'hello', 'EX', '100'],
      ['DEBUG', 'SDSLEN', 'c'],
      ['SET', 'd', ''],
      ['DEBUG', 'SDSLEN', 'd'],
      ['SET', 'e', 'x'.repeat(60)],
      ['DEBUG', 'SDSLEN', 'e'],
      ['SET', 'quux', 'xyzzy'],
      ['DEBUG', 'SDSLEN', 'quux'],
      ['SET', 'f', 'y'.repeat(300)],
      ['DEBUG', 'SDSLEN', 'f'],
      ['SET', 'longer-key-name-for-the-test', 'v', 'PX', '100000'],
      ['DEBUG', 'SDSLEN', 'longer-key-name-for-the-test'],
    ]));

  test('SET-SKIP-CHECKSUM-VALIDATION: RESTORE takes a payload with a wrong checksum', async () => {
    if (!d.available) return;
    const replies: string[][] = [];
    for (const which of ['oracle', 'mock'] as const) {
      const c = await d.connect(which);
      await c.send(['FLUSHALL']);
      await c.send(['SET', 'k', 'value']);
      const dump = (await c.send(['DUMP', 'k'])).value as { value: string };
      const p = Buffer.from(dump.value, 'latin1');
      p[p.length - 1] = p[p.length - 1]! ^ 0xff;
      const bad = p.toString('latin1');
      const out = [
        (await c.send(['RESTORE', 'k2', '0', bad])).raw,
        (await c.send(['DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '1'])).raw,
        (await c.send(['RESTORE', 'k2', '0', bad])).raw,
        (await c.send(['GET', 'k2'])).raw,
        (await c.send(['DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '0'])).raw,
      ];
      c.close();
      replies.push(out);
    }
    expect(replies[1]).toEqual(replies[0]);
  });

  test('LOADAOF without AOF files empties the data and fails', () => d.check([['SET', 'k', 'v'], ['DEBUG', 'LOADAOF'], ['DBSIZE'], ignore('DEBUG', 'SET-ACTIVE-EXPIRE', '1')]));
});

describe('DEBUG without enable-debug-command', () => {
  const off = useDifferential();
  test('is refused after the arity check, in and out of MULTI', () =>
    off.check([
      ['DEBUG'],
      ['DEBUG', 'HELP'],
      ['DEBUG', 'SLEEP', '0'],
      ['MULTI'],
      ['DEBUG', 'HELP'],
      ['EXEC'],
      ['CONFIG', 'GET', 'enable-debug-command'],
      ['CONFIG', 'SET', 'enable-debug-command', 'yes'],
    ]));
});

describe('BGREWRITEAOF and DEBUG LOADAOF with appendonly no', () => {
  test('LOADAOF brings back the dataset as the rewrite saw it', () =>
    d.check([
      ['SET', 'a', '1'], ['RPUSH', 'l', 'x', 'y'], ['SET', 't', 'v', 'PXAT', '4102444800000'],
      { cmd: ['BGREWRITEAOF'], compare: { kind: 'exact' }, sleepAfter: 300 },
      ['SET', 'b', '2'], ['DEL', 'a'], ['DEBUG', 'LOADAOF'], ['MGET', 'a', 'b'], ['LRANGE', 'l', '0', '-1'], ['PEXPIRETIME', 't'],
      ['MULTI'], ['BGREWRITEAOF'], { cmd: ['EXEC'], compare: { kind: 'exact' }, sleepAfter: 300 },
    ], { resp: [2] }));
});
