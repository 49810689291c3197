/**
 * Differential tests of DUMP and RESTORE against a real Valkey 9.1.2.
 *
 * DUMP payloads are compared byte for byte for every value whose layout is
 * deterministic: strings (integer-encoded, verbatim, LZF-compressed), lists
 * (listpack and quicklist with packed and plain nodes), intsets and listpack
 * sets, sorted sets (listpack and skiplist), listpack hashes. A hashtable
 * set or hash is serialized in hashtable iteration order, which Valkey does
 * not define (and seeds per process): those payloads are checked by
 * restoring each server's payload into the other server and comparing the
 * contents there (`crossRestore`), and by comparing their length.
 *
 * RESTORE: options and their errors, BUSYKEY, REPLACE, TTLs (relative,
 * ABSTTL, already expired), IDLETIME/FREQ, corrupted payloads (checksum,
 * version, truncation, bad listpacks/intsets), the encoding a restored value
 * gets under the current limits, WATCH, dirty counts and keyspace events.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Arg, RawClient } from '../../conformance/targets/raw-client.js';
import { crc64Bytes } from '../../src/engine/rdb/crc64.js';
import { approx, ignore, useDifferential, type StepLike } from './harness.js';

const d = useDifferential();

const enc = (k: string): Arg[] => ['OBJECT', 'ENCODING', k];
const ints = (a: number, b: number, f = (i: number) => String(i)): string[] => Array.from({ length: b - a }, (_, i) => f(a + i));
/** 0..n-1. */
const nums = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
/** Deterministic pseudo-random bytes (incompressible) of length n. */
function noise(n: number, seed = 1): string {
  let x = seed >>> 0 || 1;
  let s = '';
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    s += String.fromCharCode(x & 0xff);
  }
  return s;
}
const text = (n: number): string => 'The quick brown fox jumps over the lazy dog. '.repeat(Math.ceil(n / 45)).slice(0, n);

/** A payload with a correct footer: body + RDB version + CRC64. */
function payload(body: string, version = 80): string {
  const b = Buffer.concat([Buffer.from(body, 'latin1'), Buffer.from([version & 0xff, version >> 8])]);
  return Buffer.concat([b, Buffer.from(crc64Bytes(new Uint8Array(b)))]).toString('latin1');
}

/** An RDB string: 6/14-bit length and the bytes. */
function rdbStr(b: string): string {
  return (b.length < 64 ? String.fromCharCode(b.length) : String.fromCharCode(0x40 | (b.length >> 8), b.length & 0xff)) + b;
}
/** A ziplist (ziplist.c) of strings and integers, each in the encoding Redis would pick. */
function ziplist(items: (string | number)[]): string {
  const entries: string[] = [];
  let prev = 0;
  for (const it of items) {
    let body: string;
    if (typeof it === 'number') {
      const le = (v: number, n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(Math.floor(((v % 2 ** (8 * n)) + 2 ** (8 * n)) % 2 ** (8 * n) / 2 ** (8 * i)) & 0xff)).join('');
      if (it >= 0 && it <= 12) body = String.fromCharCode(0xf1 + it);
      else if (it >= -128 && it <= 127) body = '\xfe' + le(it, 1);
      else if (it >= -32768 && it <= 32767) body = '\xc0' + le(it, 2);
      else if (it >= -8388608 && it <= 8388607) body = '\xf0' + le(it, 3);
      else body = '\xd0' + le(it, 4);
    } else if (it.length < 64) body = String.fromCharCode(it.length) + it;
    else body = String.fromCharCode(0x40 | (it.length >> 8), it.length & 0xff) + it;
    const pre = prev < 254 ? String.fromCharCode(prev) : '\xfe' + String.fromCharCode(prev & 0xff, (prev >> 8) & 0xff, 0, 0);
    entries.push(pre + body);
    prev = pre.length + body.length;
  }
  const data = entries.join('');
  const total = 10 + data.length + 1;
  const tail = items.length === 0 ? 10 : 10 + data.length - entries[entries.length - 1]!.length;
  const u32 = (v: number) => String.fromCharCode(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
  return u32(total) + u32(tail) + String.fromCharCode(items.length & 0xff, items.length >> 8) + data + '\xff';
}
/** A zipmap (zipmap.c) of field/value pairs. */
function zipmap(pairs: [string, string][]): string {
  return String.fromCharCode(pairs.length) + pairs.map(([f, v]) => String.fromCharCode(f.length) + f + String.fromCharCode(v.length) + '\x00' + v).join('') + '\xff';
}

const DEFAULTS: Arg[][] = [
  ['CONFIG', 'SET', 'set-max-intset-entries', '512', 'set-max-listpack-entries', '128', 'set-max-listpack-value', '64'],
  ['CONFIG', 'SET', 'zset-max-listpack-entries', '128', 'zset-max-listpack-value', '64'],
  ['CONFIG', 'SET', 'hash-max-listpack-entries', '512', 'hash-max-listpack-value', '64'],
  ['CONFIG', 'SET', 'list-max-listpack-size', '-2', 'rdbcompression', 'yes', 'rdb-version-check', 'strict', 'list-compress-depth', '0'],
  ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
];
async function checkRestoringDefaults(steps: readonly StepLike[]): Promise<void> {
  try {
    await d.check(steps);
  } finally {
    await d.check(DEFAULTS.map((c) => ignore(...c)), { noFlush: true, resp: [2] });
  }
}

// --- DUMP: byte-identical payloads -----------------------------------------------

describe('DUMP payloads', () => {
  test('strings: integers, verbatim, compressed', () =>
    d.check([
      ...['0', '-1', '127', '128', '-128', '-129', '32767', '32768', '-32769', '2147483647', '2147483648', '-2147483648', '-2147483649',
        '9223372036854775807', '-9223372036854775808', '9223372036854775808', '007', '-0', '+1', ' 1', '1.5', '', 'bar', '12345678901',
        '123456789012'].flatMap((v, i): Arg[][] => [['SET', `s${i}`, v], ['DUMP', `s${i}`]]),
      ['SET', 'a', 'a'.repeat(20)], ['DUMP', 'a'], ['SET', 'a', 'a'.repeat(21)], ['DUMP', 'a'],
      ['SET', 'a', 'ab'.repeat(40)], ['DUMP', 'a'], ['SET', 'a', noise(21)], ['DUMP', 'a'], ['SET', 'a', noise(300)], ['DUMP', 'a'],
      ['SET', 'a', text(1000)], ['DUMP', 'a'], ['SET', 'a', text(70000)], ['DUMP', 'a'], ['SET', 'a', noise(20000, 7)], ['DUMP', 'a'],
      ['SET', 'a', 'x'.repeat(100000)], ['DUMP', 'a'], ['SET', 'a', noise(40, 3) + noise(40, 3) + 'zz' + noise(40, 3)], ['DUMP', 'a'],
      ['SET', 'f', '1'], ['INCRBYFLOAT', 'f', '1'], ['DUMP', 'f'], ['APPEND', 'g', '12'], ['APPEND', 'g', '3'], ['DUMP', 'g'],
      ['SETRANGE', 'h', '30', 'x'], ['DUMP', 'h'], ['DUMP', 'nokey'],
    ]));
  test('strings with rdbcompression off', () =>
    checkRestoringDefaults([
      ['CONFIG', 'SET', 'rdbcompression', 'no'], ['SET', 'a', text(1000)], ['DUMP', 'a'], ['SET', 'b', '12'], ['DUMP', 'b'],
    ]));
  test('lists: listpack with every entry encoding', () =>
    d.check([
      ['RPUSH', 'l', '0', '127', '128', '-1', '4095', '-4096', '4096', '32767', '-32768', '32768', '8388607', '-8388608', '8388608',
        '2147483647', '-2147483648', '2147483648', '9223372036854775807', '-9223372036854775808', '007', '', 'a', '1.0'], enc('l'), ['DUMP', 'l'],
      ['RPUSH', 'm', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(127), 'w'.repeat(200)], enc('m'), ['DUMP', 'm'],
      ['RPUSH', 'n', noise(4095), noise(10, 2)], enc('n'), ['DUMP', 'n'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '-5'], ['RPUSH', 'o', noise(5000, 4)], enc('o'), ['DUMP', 'o'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
    ]));
  test('lists: quicklists with packed and plain nodes', () =>
    d.check([
      ['RPUSH', 'q', ...ints(0, 3000)], enc('q'), ['DUMP', 'q'],
      ['RPUSH', 'r', ...ints(0, 300, (i) => `element-${i}-${'v'.repeat(i % 50)}`)], enc('r'), ['DUMP', 'r'],
      ['RPUSH', 'p', 'a', 'x'.repeat(10000), 'b'], enc('p'), ['DUMP', 'p'], ['LPUSH', 'p', noise(9000, 9)], ['DUMP', 'p'],
      ['LINSERT', 'r', 'BEFORE', 'element-150-' + 'v'.repeat(0), 'ins'], ['LREM', 'r', '0', 'element-7-vvvvvvv'], ['DUMP', 'r'],
      ['LTRIM', 'q', '100', '-100'], ['DUMP', 'q'],
    ]));
  test('lists under list-compress-depth: compressed nodes are written as their LZF blobs', () =>
    checkRestoringDefaults([
      ...[1, 2, 3].flatMap((depth): Arg[][] => [
        ['CONFIG', 'SET', 'list-compress-depth', String(depth)], ['DEL', 'q', 'p'],
        ['RPUSH', 'q', ...ints(0, 3000, (i) => `element-${i}`)], ['DUMP', 'q'], ['LPUSH', 'p', 'x'.repeat(9000), 'y'.repeat(9000), 'z', noise(9000)], ['DUMP', 'p'],
        ['CONFIG', 'SET', 'rdbcompression', 'no'], ['DUMP', 'q'], ['DUMP', 'p'], ['CONFIG', 'SET', 'rdbcompression', 'yes'],
      ]),
    ]));
  test('sets: intsets of every width and listpacks', () =>
    d.check([
      ['SADD', 'i', '5', '-3', '17', '0'], enc('i'), ['DUMP', 'i'],
      ['SADD', 'j', '1', '40000'], ['DUMP', 'j'], ['SADD', 'k', '1', '-5000000000'], ['DUMP', 'k'],
      ['SREM', 'k', '-5000000000'], ['DUMP', 'k'], ['SREM', 'j', '40000'], ['DUMP', 'j'],
      ['SADD', 'i2', ...ints(0, 500)], ['DUMP', 'i2'],
      ['SADD', 's', 'foo', 'bar', '1', '2', 'baz'], enc('s'), ['DUMP', 's'], ['SREM', 's', 'bar'], ['DUMP', 's'],
      ['SADD', 't', ...ints(0, 100, (i) => `member:${i}`)], enc('t'), ['DUMP', 't'],
      ['SADD', 'u', '1', '2', '3'], ['SADD', 'u', 'x'], enc('u'), ['DUMP', 'u'],
      ['SADD', 'v', '3', '1'], ['SINTERSTORE', 'w', 'v', 'v'], ['DUMP', 'w'],
    ]));
  test('sorted sets: listpack scores and skiplists', () =>
    d.check([
      ['ZADD', 'z', '1', 'a', '1.5', 'b', '-0', 'c', 'inf', 'd', '-inf', 'e', '1e20', 'f', '0.1', 'g', '4611686018427387904', 'h', '-2.5e-300', 'i',
        '3', '1000000', '12345.678', 'j'], enc('z'), ['DUMP', 'z'],
      ['ZADD', 'y', ...nums(200).flatMap((i) => [String(i / 3), `m${i}`])], enc('y'), ['DUMP', 'y'],
      ['ZADD', 'x', '-0', 'neg0', '2', 'a', '2', 'b'], ['ZADD', 'x', ...nums(130).flatMap((i) => [String(i), `k${i}`])], enc('x'), ['DUMP', 'x'],
      ['ZADD', 'w', '1', 'x'.repeat(65)], enc('w'), ['DUMP', 'w'],
      ['ZINCRBY', 'z', '0.25', 'a'], ['ZREM', 'z', 'b'], ['DUMP', 'z'],
    ]));
  test('hashes: listpacks', () =>
    d.check([
      ['HSET', 'h', 'f1', 'v1', 'n', '12', 'big', '9223372036854775807', 'e', '', '', 'empty'], enc('h'), ['DUMP', 'h'],
      ['HSET', 'h', 'f1', 'changed', 'txt', text(60)], ['HDEL', 'h', 'n'], ['DUMP', 'h'],
      ['HSET', 'g', ...nums(300).flatMap((i) => [`field${i}`, `value${i}`])], enc('g'), ['DUMP', 'g'],
    ]));
});

describe('DUMP payloads of streams', () => {
  const xadds = (k: string, n: number, from = 1): Arg[][] =>
    nums(n).map((i) => ['XADD', k, `${from + i}-${i % 3}`, ...(i % 4 === 0 ? ['other', String(i)] : ['f', `v${i}`, 'n', String(i * 7)])]);
  test('entries: master fields, other fields, tombstones, several nodes, trims', () =>
    d.check([
      ['XADD', 's', '5-1', 'a', '1'], ['DUMP', 's'],
      ...xadds('s', 30, 10), ['DUMP', 's'],
      ['XDEL', 's', '12-2', '20-1'], ['DUMP', 's'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '7'], ...xadds('t', 40), ['DUMP', 't'],
      ['XTRIM', 't', 'MAXLEN', '33'], ['DUMP', 't'], ['XTRIM', 't', 'MINID', '~', '20'], ['DUMP', 't'],
      ['XADD', 'u', '18446744073709551615-18446744073709551614', 'x', 'y'], ['DUMP', 'u'],
      ['XADD', 'e', 'MAXLEN', '0', '3-3', 'f', 'v'], ['DUMP', 'e'],
      ['XSETID', 'e', '9-9', 'ENTRIESADDED', '77', 'MAXDELETEDID', '4-4'], ['DUMP', 'e'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '100'],
    ]));
  test('groups without times: group IDs, entries-read, an invalid one', () =>
    d.check([
      ...xadds('s', 10), ['XGROUP', 'CREATE', 's', 'g2', '3-0'], ['XGROUP', 'CREATE', 's', 'g1', '$', 'ENTRIESREAD', '4'],
      ['XGROUP', 'CREATE', 's', 'a', '0'], ['XDEL', 's', '2-1'], ['XGROUP', 'SETID', 's', 'a', '5-1'], ['DUMP', 's'],
    ]));
});

// --- DUMP on one server, RESTORE on the other ------------------------------------------

/**
 * Builds `setup` on both servers, DUMPs `key` on each and RESTOREs each
 * payload into the other server (as key `r`), then runs `probe` on both
 * and expects equal replies (compared unordered when `unord`). Also checks
 * that both payloads have the same length.
 */
async function crossRestore(setup: Arg[][], key: string, probe: Arg[][], unord = false): Promise<void> {
  if (!d.available) return;
  const conns: Record<'oracle' | 'mock', RawClient> = { oracle: await d.connect('oracle'), mock: await d.connect('mock') };
  try {
    const dumps: Record<string, string> = {};
    for (const w of ['oracle', 'mock'] as const) {
      await conns[w].send(['FLUSHALL']);
      for (const c of setup) await conns[w].send(c);
      const r = await conns[w].send(['DUMP', key]);
      dumps[w] = (r.value as { value: string }).value;
    }
    expect(dumps.mock!.length, 'payload length').toBe(dumps.oracle!.length);
    const out: Record<string, string[]> = { oracle: [], mock: [] };
    for (const [from, to] of [['oracle', 'mock'], ['mock', 'oracle']] as const) {
      const rr = await conns[to].send(['RESTORE', 'r', '0', dumps[from]!]);
      expect(rr.raw, `RESTORE of the ${from}'s payload on the ${to}`).toBe('+OK\r\n');
    }
    for (const w of ['oracle', 'mock'] as const) {
      for (const c of probe) {
        const r = await conns[w].send(c.map((a) => (a === '$' ? 'r' : a === '@' ? key : a)));
        out[w]!.push(unord ? canon(r.value) : r.raw);
      }
    }
    expect(out.mock).toEqual(out.oracle);
  } finally {
    conns.oracle.close();
    conns.mock.close();
  }
}

function canon(v: unknown): string {
  const x = v as { type: string; value: unknown };
  if (Array.isArray(x.value)) return `${x.type}[${(x.value as unknown[]).map(canon).sort().join(',')}]`;
  return `${x.type}:${String(x.value)}`;
}

describe('cross RESTORE (payloads of one server restored on the other)', () => {
  const types = (k: string): Arg[][] => [['TYPE', k], ['OBJECT', 'ENCODING', k]];
  test('hashtable set', () =>
    crossRestore([['SADD', 's', ...ints(0, 300, (i) => `m${i}`)]], 's', [...types('$'), ['SMEMBERS', '$'], ['SCARD', '$'], ['SDIFF', '$', '@']], true));
  test('big intset set to hashtable', () =>
    crossRestore([['SADD', 's', ...ints(0, 600)]], 's', [...types('$'), ['SMEMBERS', '$'], ['SCARD', '$']], true));
  test('hashtable hash', () =>
    crossRestore([['HSET', 'h', ...nums(700).flatMap((i) => [`f${i}`, i % 3 ? `v${i}` : text(i)])]], 'h', [...types('$'), ['HGETALL', '$'], ['HLEN', '$']], true));
  test('hash with a long value', () =>
    crossRestore([['HSET', 'h', 'a', '1', 'b', 'x'.repeat(100)]], 'h', [...types('$'), ['HGETALL', '$']], true));
  test('hash with field TTLs', () =>
    crossRestore(
      [['HSET', 'h', 'a', '1', 'b', '2', 'c', '3', 'd', '4'], ['HPEXPIREAT', 'h', '4102444800000', 'FIELDS', '2', 'a', 'b'], ['HPEXPIREAT', 'h', '4102444800123', 'FIELDS', '1', 'c']],
      'h', [...types('$'), ['HGETALL', '$'], ['HPEXPIRETIME', '$', 'FIELDS', '4', 'a', 'b', 'c', 'd'], ['HLEN', '$']], true));
  test('stream with groups, consumers and PELs', () =>
    crossRestore(
      [
        ...nums(20).map((i): Arg[] => ['XADD', 's', `${i + 1}-0`, 'f', `v${i}`]),
        ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 's', 'h', '5-0'], ['XGROUP', 'CREATECONSUMER', 's', 'h', 'idle'],
        ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '5', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '3', 'STREAMS', 's', '>'],
        ['XACK', 's', 'g', '2-0'], ['XCLAIM', 's', 'g', 'bob', '0', '3-0'], ['XDEL', 's', '4-0', '9-0'],
      ],
      's',
      [
        ['TYPE', '$'], ['XLEN', '$'], ['XRANGE', '$', '-', '+'], ['XINFO', 'GROUPS', '$'], ['XPENDING', '$', 'g'], ['XPENDING', '$', 'h'],
        ['XREADGROUP', 'GROUP', 'g', 'carol', 'COUNT', '2', 'STREAMS', '$', '>'],
        ['XAUTOCLAIM', '$', 'g', 'dan', '0', '0-0', 'COUNT', '2', 'JUSTID'],
      ]));
  for (const [name, setup, key, probe] of [
    ['string', [['SET', 'k', text(500)]], 'k', [['GET', '$']]],
    ['int string', [['SET', 'k', '-77']], 'k', [['GET', '$']]],
    ['listpack list', [['RPUSH', 'k', 'a', '1', '-9', text(50)]], 'k', [['LRANGE', '$', '0', '-1']]],
    ['quicklist', [['RPUSH', 'k', ...ints(0, 2000)], ['RPUSH', 'k', 'x'.repeat(9000)]], 'k', [['LRANGE', '$', '0', '-1'], ['LLEN', '$']]],
    ['intset', [['SADD', 'k', '1', '100000', '-7']], 'k', [['SMEMBERS', '$']]],
    ['listpack set', [['SADD', 'k', 'a', 'b', '3']], 'k', [['SMEMBERS', '$']]],
    ['listpack zset', [['ZADD', 'k', '1', 'a', '2.5', 'b', '-inf', 'c']], 'k', [['ZRANGE', '$', '0', '-1', 'WITHSCORES']]],
    ['skiplist zset', [['ZADD', 'k', ...nums(300).flatMap((i) => [String(i * 0.7), `m${i}`])]], 'k', [['ZRANGE', '$', '0', '-1', 'WITHSCORES']]],
    ['listpack hash', [['HSET', 'k', 'a', '1', 'b', '2']], 'k', [['HGETALL', '$']]],
  ] as [string, Arg[][], string, Arg[][]][]) {
    test(name, () => crossRestore(setup, key, [...types('$'), ...probe]));
  }
});

// --- RESTORE ------------------------------------------------------------------------

describe('RESTORE', () => {
  const bar = payload('\x00\x03bar');
  test('a simple key, TTLs, REPLACE, BUSYKEY', () =>
    d.check([
      ['RESTORE', 'k', '0', bar], ['GET', 'k'], ['TTL', 'k'], enc('k'),
      ['RESTORE', 'k', '0', bar], ['RESTORE', 'k', '0', bar, 'REPLACE'], ['GET', 'k'],
      ['SET', 'x', '1'], ['RESTORE', 'x', '0', bar, 'replace'], ['GET', 'x'],
      ['RESTORE', 't', '3000000000', bar], ['TYPE', 't'], approx(1000, 'PTTL', 't'),
      ['RESTORE', 'u', '4102444800000', bar, 'ABSTTL'], ['PEXPIRETIME', 'u'],
      ['RESTORE', 'v', '1000', bar, 'ABSTTL'], ['EXISTS', 'v'],
      ['RESTORE', 'o1', '9223372036854775807', bar], ['EXISTS', 'o1'], ['RESTORE', 'o2', '9223372036854775807', bar, 'ABSTTL'], ['PEXPIRETIME', 'o2'],
      ['SET', 'w', '1'], ['RESTORE', 'w', '1000', bar, 'ABSTTL', 'REPLACE'], ['EXISTS', 'w'],
      ['RESTORE', 'n', '0', payload('\x00\xc0\x7b')], ['GET', 'n'], enc('n'),
      ['RESTORE', 'e', '0', payload('\x00\x1e' + 'x'.repeat(30))], enc('e'),
      ['RESTORE', 'r', '0', payload('\x00\x40\xc8' + 'x'.repeat(200))], enc('r'),
    ]));
  test('option errors', () =>
    d.check([
      ['RESTORE', 'k', '0', bar, 'invalid-option'], ['RESTORE', 'k', '-1', bar], ['RESTORE', 'k', 'x', bar], ['RESTORE', 'k', '1.5', bar],
      ['RESTORE', 'k', '0', bar, 'IDLETIME'], ['RESTORE', 'k', '0', bar, 'IDLETIME', '-1'], ['RESTORE', 'k', '0', bar, 'IDLETIME', 'x'],
      ['RESTORE', 'k', '0', bar, 'FREQ', '256'], ['RESTORE', 'k', '0', bar, 'FREQ', '-1'], ['RESTORE', 'k', '0', bar, 'FREQ', 'x'],
      ['RESTORE', 'k', '0', bar, 'IDLETIME', '10', 'FREQ', '5'], ['RESTORE', 'k', '0', bar, 'FREQ', '5', 'IDLETIME', '10'],
      ['SET', 'k', 'v'], ['RESTORE', 'k', '-1', bar], ['RESTORE', 'k', '0', 'garbage'], ['RESTORE', 'k', 'x', bar, 'REPLACE'],
      ['RESTORE', 'k', '0', bar, 'REPLACE', 'FREQ', '300'],
    ]));
  test('IDLETIME and FREQ', () =>
    checkRestoringDefaults([
      ['RESTORE', 'k', '0', bar, 'IDLETIME', '1000'], ['OBJECT', 'IDLETIME', 'k'],
      ['RESTORE', 'j', '0', bar, 'FREQ', '100'], ['OBJECT', 'IDLETIME', 'j'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'],
      ['RESTORE', 'l', '0', bar, 'FREQ', '100'], ['OBJECT', 'FREQ', 'l'], ['RESTORE', 'm', '0', bar, 'IDLETIME', '100'], ['OBJECT', 'FREQ', 'm'],
    ]));
  test('corrupt payloads', () =>
    d.check([
      ['RESTORE', 'k', '0', ''], ['RESTORE', 'k', '0', '\x00\x03bar\x50\x00'],
      ['RESTORE', 'k', '0', bar.slice(0, -1) + String.fromCharCode(bar.charCodeAt(bar.length - 1) ^ 1)],
      ['RESTORE', 'k', '0', '\x00\x03\x62\x61\x72\xde\x00\x0fYUza\xd3\xec\xe0'],
      ['RESTORE', 'k', '0', payload('\x00\x03bar', 0)], ['RESTORE', 'k', '0', payload('\x00\x03bar', 81)],
      ['RESTORE', 'k', '0', payload('\x00\x03bar', 11)], ['RESTORE', 'k', '0', payload('\x00\x03bar', 40)],
      ['RESTORE', 'k', '0', payload('\x08\x03bar')], ['RESTORE', 'k', '0', payload('\x17\x03bar')], ['RESTORE', 'k', '0', payload('\xff')],
      ['RESTORE', 'k', '0', payload('\x00\x09bar')], ['RESTORE', 'k', '0', payload('\x00\xc4')], ['RESTORE', 'k', '0', payload('\x00\xc3\x05\x10abc')], ['RESTORE', 'k', '0', payload('\x00\xc3\x02\x80\x40\x00\x00\x00\x01ab')],
      ['RESTORE', 'k', '0', payload('\x00\x81\x00\x00\x00\x00\x40\x00\x00\x00ab')], ['RESTORE', 'k', '0', payload('\x02\x80\x40\x00\x00\x00\x01a')],
      ['RESTORE', 'k', '0', payload('\x12\x00')], ['RESTORE', 'k', '0', payload('\x12\x01\x03\x01a')], ['RESTORE', 'k', '0', payload('\x12\x01\x02\x03abc')],
      ['RESTORE', 'k', '0', payload('\x12\x01\x02\x0b\x0b\x00\x00\x00\x01\x00\x81a\x02\x01\xff')],
      ['RESTORE', 'k', '0', payload('\x14\x0b\x0b\x00\x00\x00\x02\x00\x81a\x02\x81a\x02\xff'.slice(0, 2) + '\x0d\x00\x00\x00\x02\x00\x81a\x02\x81a\x02\xff')],
      ['RESTORE', 'k', '0', payload('\x0b\x0c\x02\x00\x00\x00\x02\x00\x00\x00\x05\x00\x03\x00')],
      ['RESTORE', 'k', '0', payload('\x0b\x0c\x02\x00\x00\x00\x02\x00\x00\x00\x03\x00\x05\x00')], ['SMEMBERS', 'k'], enc('k'),
      ['RESTORE', 'k2', '0', payload('\x0b\x0a\x02\x00\x00\x00\x00\x00\x00\x00')],
      ['RESTORE', 'k3', '0', payload('\x02\x02\x01a\x01a')], ['RESTORE', 'k4', '0', payload('\x04\x01\x01a\x01b\x01c')],
      ['RESTORE', 'k5', '0', payload('\x05\x01\x01a' + '\x00\x00\x00\x00\x00\x00\xf8\x7f')],
      ['RESTORE', 'k6', '0', payload('\x02\x00')], ['RESTORE', 'k7', '0', payload('\x04\x02\x01a\x01b\x01a\x01c')],
      ['KEYS', '*'],
    ]));
  test('relaxed version check', () =>
    checkRestoringDefaults([
      ['CONFIG', 'SET', 'rdb-version-check', 'relaxed'],
      ['RESTORE', 'foo', '0', '\x00\x03\x62\x61\x72\xde\x00\x0fYUza\xd3\xec\xe0', 'REPLACE'], ['GET', 'foo'],
      ['RESTORE', 'k', '0', payload('\x00\x03bar', 40)], ['GET', 'k'], ['RESTORE', 'k2', '0', payload('\x16\x00', 40)],
    ]));
  test('old RDB types: plain list, set, zset, hash', () =>
    d.check([
      ['RESTORE', 'l', '0', payload('\x01\x03\x01a\xc0\x05\x01b')], ['LRANGE', 'l', '0', '-1'], enc('l'),
      ['RESTORE', 's', '0', payload('\x02\x03\xc0\x05\xc0\x01\x01x')], ['SMEMBERS', 's'], enc('s'),
      ['RESTORE', 's2', '0', payload('\x02\x02\xc0\x05\xc1\x00\x10')], ['SMEMBERS', 's2'], enc('s2'),
      ['RESTORE', 'z', '0', payload('\x03\x02\x01a\x031.5\x01b\xfe')], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], enc('z'),
      ['RESTORE', 'h', '0', payload('\x04\x02\x01a\x011\x01b\x012')], ['HGETALL', 'h'], enc('h'),
    ]));
  test('payloads of older servers: ziplists, quicklists of ziplists, zipmaps', () =>
    checkRestoringDefaults([
      ['RESTORE', 'l', '0', payload('\x0a' + rdbStr(ziplist(['a', 5, -100, 1000, 100000, -3000000, 'x'.repeat(70), 12, 0])), 9)],
      ['LRANGE', 'l', '0', '-1'], enc('l'),
      ['RESTORE', 'q', '0', payload('\x0e\x02' + rdbStr(ziplist(['a', 'b', 1])) + rdbStr(ziplist(['c', 77])), 9)], ['LRANGE', 'q', '0', '-1'], enc('q'),
      ['RESTORE', 'q2', '0', payload('\x0e\x02' + rdbStr(ziplist([])) + rdbStr(ziplist(['c'])), 9)], ['LRANGE', 'q2', '0', '-1'],
      ['RESTORE', 'z', '0', payload('\x0c' + rdbStr(ziplist(['a', 1, 'b', '2.5', 'c', 'inf'])), 9)], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], enc('z'),
      ['RESTORE', 'h', '0', payload('\x0d' + rdbStr(ziplist(['f', 'v', 'g', 7])), 9)], ['HGETALL', 'h'], enc('h'),
      ['RESTORE', 'm', '0', payload('\x09' + rdbStr(zipmap([['f', 'v'], ['g', 'w']])), 9)], ['HGETALL', 'm'], enc('m'),
      ['RESTORE', 'm2', '0', payload('\x09' + rdbStr(zipmap([['f', 'v'], ['g', 'x'.repeat(100)]])), 9)], enc('m2'),
      ['RESTORE', 'bad1', '0', payload('\x0d' + rdbStr(ziplist(['f', 'v', 'f', 'w'])), 9)],
      ['RESTORE', 'bad2', '0', payload('\x0d' + rdbStr(ziplist(['f', 'v', 'g'])), 9)],
      ['RESTORE', 'bad3', '0', payload('\x0c' + rdbStr(ziplist(['a', 'nan'])), 9)],
      ['RESTORE', 'bad4', '0', payload('\x0a' + rdbStr(ziplist([])), 9)],
      ['RESTORE', 'bad5', '0', payload('\x0a' + rdbStr(ziplist(['a', 'b']).slice(0, -2) + '\x00\xff'), 9)],
      ['RESTORE', 'bad6', '0', payload('\x09' + rdbStr('\x02\xfe\x03\x00\x00\x00abc\x03\x00def\x03ghi\x03\x00jkl\xff'), 9)],
      ['RESTORE', 'bad7', '0', payload('\x09' + rdbStr(zipmap([['f', 'v'], ['f', 'w']])), 9)],
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '1', 'zset-max-listpack-entries', '1'],
      ['RESTORE', 'h2', '0', payload('\x0d' + rdbStr(ziplist(['f', 'v', 'g', 7])), 9)], enc('h2'),
      ['RESTORE', 'z2', '0', payload('\x0c' + rdbStr(ziplist(['a', 1, 'b', 2])), 9)], enc('z2'),
      ['KEYS', 'bad*'],
    ]));
  test('encodings follow the limits in force at RESTORE', async () => {
    if (!d.available) return;
    const setup: Arg[][] = [
      ['SADD', 'ls', 'a', 'b', 'c', 'd'], ['SADD', 'is', '1', '2', '3', '4'], ['ZADD', 'lz', '1', 'a', '2', 'b', '3', 'c'],
      ['HSET', 'lh', 'a', '1', 'b', '2', 'c', '3'], ['RPUSH', 'll', 'a', 'b', 'c', 'd', 'e'], ['RPUSH', 'ql', ...ints(0, 1000)],
      ['ZADD', 'sz', '1', 'x'.repeat(100), '2', 'b'], ['SADD', 'hs', 'x'.repeat(100), 'y'], ['HSET', 'hh', 'a', 'x'.repeat(100)],
      ['SADD', 'hs2', ...ints(0, 200, (i) => `m${i}`)], ['ZADD', 'sz2', ...nums(200).flatMap((i) => [String(i), `m${i}`])],
      ['HSET', 'hh2', ...nums(600).flatMap((i) => [`f${i}`, 'v'])], ['SADD', 'mix', ...ints(0, 200), 'x'],
    ];
    const keys = ['ls', 'is', 'lz', 'lh', 'll', 'ql', 'sz', 'hs', 'hh', 'hs2', 'sz2', 'hh2', 'mix'];
    const limits: Arg[][][] = [
      [['CONFIG', 'SET', 'set-max-listpack-entries', '2', 'set-max-intset-entries', '2', 'zset-max-listpack-entries', '2'],
        ['CONFIG', 'SET', 'hash-max-listpack-entries', '2', 'list-max-listpack-size', '2']],
      [['CONFIG', 'SET', 'set-max-listpack-entries', '1000', 'set-max-intset-entries', '1000', 'set-max-listpack-value', '200'],
        ['CONFIG', 'SET', 'zset-max-listpack-entries', '1000', 'zset-max-listpack-value', '200', 'hash-max-listpack-entries', '1000'],
        ['CONFIG', 'SET', 'hash-max-listpack-value', '200', 'list-max-listpack-size', '-5']],
    ];
    const results: Record<string, string[]> = { oracle: [], mock: [] };
    for (const w of ['oracle', 'mock'] as const) {
      const c = await d.connect(w);
      try {
        for (const lim of limits) {
          await c.send(['FLUSHALL']);
          for (const cmd of DEFAULTS) await c.send(cmd);
          for (const cmd of setup) await c.send(cmd);
          const dumps: string[] = [];
          for (const k of keys) dumps.push(((await c.send(['DUMP', k])).value as { value: string }).value);
          for (const cmd of lim) await c.send(cmd);
          for (let i = 0; i < keys.length; i++) {
            results[w]!.push((await c.send(['RESTORE', `${keys[i]}:r`, '0', dumps[i]!])).raw);
            results[w]!.push(`${keys[i]} ${(await c.send(['OBJECT', 'ENCODING', `${keys[i]}:r`])).raw}`);
          }
        }
      } finally {
        for (const cmd of DEFAULTS) await c.send(cmd);
        c.close();
      }
    }
    expect(results.mock).toEqual(results.oracle);
  });
});

// --- WATCH, dirty, events ------------------------------------------------------------

describe('WATCH, dirty counts, keyspace events', () => {
  const bar = payload('\x00\x03bar');
  test('RESTORE touches WATCHed keys; a failed one does not', () =>
    d.check([
      ['WATCH', 'k'], ['RESTORE', 'k', '0', bar], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'k'], ['RESTORE', 'k', '0', bar], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'k'], ['RESTORE', 'k', '1', bar, 'ABSTTL', 'REPLACE'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'k'], ['RESTORE', 'k', '1', bar, 'ABSTTL', 'REPLACE'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'j'], ['DUMP', 'j'], ['MULTI'], ['PING'], ['EXEC'],
    ]));
  test('dirty counts', async () => {
    if (!d.available) return;
    const script: Arg[][] = [
      ['RESTORE', 'k', '0', bar], ['RESTORE', 'k', '0', bar], ['RESTORE', 'k', '0', bar, 'REPLACE'], ['RESTORE', 'k', '1', bar, 'ABSTTL', 'REPLACE'],
      ['RESTORE', 'k', '1', bar, 'ABSTTL', 'REPLACE'], ['DUMP', 'k'], ['RESTORE', 'j', '0', 'bad'],
    ];
    const deltas: number[] = [];
    for (const w of ['oracle', 'mock'] as const) {
      const c = await d.connect(w);
      await c.send(['FLUSHALL']);
      const read = async () => Number(/rdb_changes_since_last_save:(\d+)/.exec(((await c.send(['INFO', 'persistence'])).value as { value: string }).value)![1]);
      const before = await read();
      for (const s of script) await c.send(s);
      deltas.push((await read()) - before);
      c.close();
    }
    expect(deltas[1]).toBe(deltas[0]);
  });
  test('keyspace events', async () => {
    if (!d.available) return;
    const events = await d.keyspaceEvents([
      ['RESTORE', 'k', '0', bar], ['RESTORE', 'k', '0', bar, 'REPLACE'], ['RESTORE', 'k', '1', bar, 'ABSTTL', 'REPLACE'], ['RESTORE', 'j', '5000', bar],
      ['DUMP', 'j'],
    ]);
    expect(events[1]).toEqual(events[0]);
  });
});


// --- property -----------------------------------------------------------------------

describe('property: DUMP after random edits', () => {
  const elem = fc.oneof(
    fc.constantFrom('a', 'b', 'c', '', '0', '1', '-1', '127', '128', '4095', '-4096', '32768', '9223372036854775807', '1.5', 'x'.repeat(70)),
    fc.integer({ min: -100000, max: 100000 }).map(String),
    fc.string({ unit: 'binary-ascii', maxLength: 12 }),
    fc.nat(300).map((n) => 'ab'.repeat(n)),
  );
  const elems = fc.array(elem, { minLength: 1, maxLength: 12 });
  const score = fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.constantFrom('1.5', '-0', 'inf', '-inf', '0.1', '1e20'));
  type Cmd = Arg[];
  const cmd: fc.Arbitrary<Cmd> = fc.oneof(
    elems.map((es) => ['RPUSH', 'l', ...es]), elems.map((es) => ['LPUSH', 'l', ...es]), fc.nat(5).map((n) => ['LPOP', 'l', n + 1]),
    fc.tuple(elem, elem).map(([a, b]) => ['LINSERT', 'l', 'BEFORE', a, b]), elem.map((e) => ['LREM', 'l', '0', e]),
    fc.tuple(fc.integer({ min: -5, max: 5 }), elem).map(([i, e]) => ['LSET', 'l', i, e]),
    elems.map((es) => ['SADD', 's', ...es]), elems.map((es) => ['SREM', 's', ...es]),
    fc.array(fc.tuple(score, elem), { minLength: 1, maxLength: 8 }).map((ps) => ['ZADD', 'z', ...ps.flat()]), elems.map((es) => ['ZREM', 'z', ...es]),
    fc.array(fc.tuple(elem, elem), { minLength: 1, maxLength: 8 }).map((ps) => ['HSET', 'h', ...ps.flat()]), elems.map((es) => ['HDEL', 'h', ...es]),
    elem.map((e) => ['APPEND', 'str', e]), elem.map((e) => ['SET', 'str', e]),
  );
  const limits = fc.record({
    list: fc.constantFrom(-2, -1, 1, 2, 4),
    entries: fc.constantFrom(1, 3, 128),
    value: fc.constantFrom(2, 10, 64),
    intset: fc.constantFrom(1, 4, 512),
  });
  test('payloads equal the oracle\'s (hashtables: restored across and compared unordered)', async () => {
    if (!d.available) return;
    const [o, m] = await Promise.all([d.connect('oracle'), d.connect('mock')]);
    const both = (c: Arg[]) => Promise.all([o.send(c), m.send(c)]);
    const reads: Record<string, Arg[]> = { l: ['LRANGE', '$', '0', '-1'], s: ['SMEMBERS', '$'], z: ['ZRANGE', '$', '0', '-1', 'WITHSCORES'], h: ['HGETALL', '$'], str: ['GET', '$'] };
    let dumps = 0;
    try {
      await fc.assert(fc.asyncProperty(limits, fc.array(cmd, { minLength: 1, maxLength: 25 }), async (lim, cmds) => {
        await both(['FLUSHALL']);
        await both(['CONFIG', 'SET', 'list-max-listpack-size', lim.list, 'set-max-listpack-entries', lim.entries, 'set-max-listpack-value', lim.value]);
        await both(['CONFIG', 'SET', 'set-max-intset-entries', lim.intset, 'zset-max-listpack-entries', lim.entries, 'zset-max-listpack-value', lim.value]);
        await both(['CONFIG', 'SET', 'hash-max-listpack-entries', lim.entries, 'hash-max-listpack-value', lim.value]);
        const log: string[] = [];
        for (const c of cmds) {
          const [ro, rm] = await both(c);
          log.push(c.map(String).join(' ').slice(0, 120));
          expect(rm.raw, log.join('\n')).toBe(ro.raw);
        }
        for (const k of Object.keys(reads)) {
          const [eo, em] = await both(['OBJECT', 'ENCODING', k]);
          expect(em.raw, `${log.join('\n')}\nencoding of ${k}`).toBe(eo.raw);
          const [po, pm] = await both(['DUMP', k]);
          if (po.value.type === 'bulk') dumps++;
          if (eo.raw.includes('hashtable')) {
            const read = reads[k]!.map((a) => (a === '$' ? 'r' : a));
            expect((await m.send(['RESTORE', 'r', '0', (po.value as { value: string }).value, 'REPLACE'])).raw).toBe('+OK\r\n');
            expect((await o.send(['RESTORE', 'r', '0', (pm.value as { value: string }).value, 'REPLACE'])).raw).toBe('+OK\r\n');
            const [ao, am] = await both(read);
            expect(canon(am.value), `${log.join('\n')}\ncontents of ${k}`).toBe(canon(ao.value));
          } else {
            expect(pm.raw, `${log.join('\n')}\nDUMP ${k}`).toBe(po.raw);
          }
        }
      }), { numRuns: Number(process.env['DUMP_RUNS'] ?? 60), seed: 20261207 });
      expect(dumps).toBeGreaterThan(Number(process.env['DUMP_RUNS'] ?? 60));
    } finally {
      for (const c of DEFAULTS) await both(c);
      o.close();
      m.close();
    }
  }, 300_000);
});

describe('property: corrupted payloads', () => {
  /** Payloads of every kind, with each server's own bytes (deterministic encodings only). */
  const sources: Arg[][] = [
    ['SET', 's', text(200)], ['SET', 'i', '12345'], ['RPUSH', 'l', 'a', '1', '-300', 'x'.repeat(70)], ['RPUSH', 'q', ...ints(0, 400)],
    ['RPUSH', 'p', 'x'.repeat(9000), 'y'], ['SADD', 'is', '1', '70000', '-3'], ['SADD', 'ls', 'a', 'b', '3'], ['ZADD', 'lz', '1', 'a', '2.5', 'b'],
    ['ZADD', 'sz', ...nums(200).flatMap((i) => [String(i), `m${i}`])], ['HSET', 'lh', 'f', 'v', 'g', '12'],
    ['SADD', 'hs', ...ints(0, 150, (i) => `m${i}`)], ['HSET', 'hh', ...nums(20).flatMap((i) => [`f${i}`, 'x'.repeat(70)])],
    ['HSET', 'ht', 'a', '1', 'b', '2'], ['HPEXPIRE', 'ht', '100000', 'FIELDS', '1', 'a'],
  ];
  const keys = ['s', 'i', 'l', 'q', 'p', 'is', 'ls', 'lz', 'sz', 'lh', 'hs', 'hh', 'ht'];
  test('a flipped byte (checksum fixed up) gets the same verdict', async () => {
    if (!d.available) return;
    const [o, m] = await Promise.all([d.connect('oracle'), d.connect('mock')]);
    const both = (c: Arg[]) => Promise.all([o.send(c), m.send(c)]);
    try {
      await both(['FLUSHALL']);
      for (const c of sources) await both(c);
      const payloads: string[] = [];
      for (const k of keys) payloads.push(((await o.send(['DUMP', k])).value as { value: string }).value);
      await fc.assert(fc.asyncProperty(fc.nat(keys.length - 1), fc.nat(100000), fc.integer({ min: 1, max: 255 }), async (ki, pos, x) => {
        const p = payloads[ki]!;
        const body = p.slice(0, -10);
        const at = pos % body.length;
        const flipped = body.charCodeAt(at) ^ x;
        // Stream types: valkey-double answers "not implemented" rather than judging the bytes.
        if (at === 0 && [15, 19, 21].includes(flipped)) return;
        const bad = payload(body.slice(0, at) + String.fromCharCode(flipped) + body.slice(at + 1));
        const [ro, rm] = await both(['RESTORE', 'r', '0', bad, 'REPLACE']);
        const what = `${keys[ki]} byte ${at} ^ ${x}`;
        expect(rm.raw, what).toBe(ro.raw);
        // What a corrupt payload that still parses turns into (an unsorted listpack, a score that reads as 0) is
        // kept verbatim by Valkey and normalized here: only the verdict and the type are compared.
        const [to, tm] = await both(['TYPE', 'r']);
        expect(tm.raw, what).toBe(to.raw);
        const [ok] = await both(['PING']);
        expect(ok.raw, `the oracle survived ${what}`).toBe('+PONG\r\n');
      }), { numRuns: Number(process.env['DUMP_RUNS'] ?? 300), seed: Number(process.env['DUMP_SEED'] ?? 7) });
    } finally {
      o.close();
      m.close();
    }
  }, 300_000);
});
