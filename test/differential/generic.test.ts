/**
 * Differential tests of the generic (keyspace) command group against a real
 * Valkey 9.1.2: DEL, UNLINK, EXISTS, TYPE, RENAME(NX), COPY, MOVE, KEYS, SCAN,
 * RANDOMKEY, TOUCH, OBJECT, the EXPIRE and TTL families, PERSIST, WAIT and
 * WAITAOF, with their options and error paths.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { RawClient } from '../../conformance/targets/raw-client.js';
import type { RawValue } from '../../src/protocol/reply-parser.js';
import { approx, ignore, sameType, sleep, unordered, useDifferential, type StepLike } from './harness.js';

const d = useDifferential();
const x = (n: number, c = 'x') => c.repeat(n);

describe('DEL, UNLINK, EXISTS, TOUCH, TYPE', () => {
  test('DEL and UNLINK count each deleted key once', () =>
    d.check([
      ['SET', 'a', '1'], ['SET', 'b', '2'], ['SET', 'c', '3'],
      ['DEL', 'a', 'a', 'nokey'], ['EXISTS', 'a'],
      ['UNLINK', 'b', 'c', 'b', 'c'], ['EXISTS', 'b', 'c'],
      ['DEL', 'nokey'], ['UNLINK', 'nokey'], ['DEL'], ['UNLINK'],
    ]));
  test('EXISTS counts repeated keys every time', () =>
    d.check([['SET', 'a', '1'], ['EXISTS', 'a', 'a', 'a', 'b'], ['EXISTS', 'b'], ['EXISTS'], ['EXISTS', '']]));
  test('TOUCH counts existing keys', () =>
    d.check([['SET', 'a', '1'], ['SET', 'b', '1'], ['TOUCH', 'a', 'b', 'c', 'a'], ['TOUCH', 'zz'], ['TOUCH']]));
  test('TYPE', () => d.check([['SET', 'a', 'v'], ['TYPE', 'a'], ['TYPE', 'nokey'], ['TYPE'], ['TYPE', 'a', 'b']]));
  test('binary and empty key names', () =>
    d.check([['SET', '', 'empty'], ['SET', 'k\0\r\n\xff', 'v'], ['EXISTS', '', 'k\0\r\n\xff'], unordered('KEYS', '*'),
      ['DEL', 'k\0\r\n\xff'], ['TYPE', '']]));
});

describe('RENAME, RENAMENX', () => {
  test('rename moves the value and replaces the target', () =>
    d.check([
      ['SET', 'a', 'va'], ['SET', 'b', 'vb'],
      ['RENAME', 'a', 'b'], ['GET', 'a'], ['GET', 'b'], ['EXISTS', 'a'],
      ['RENAME', 'b', 'c'], ['GET', 'c'],
    ]));
  test('errors and same-key cases', () =>
    d.check([
      ['RENAME', 'nokey', 'x'], ['RENAMENX', 'nokey', 'x'], ['RENAME', 'nokey', 'nokey'], ['RENAMENX', 'nokey', 'nokey'],
      ['SET', 'a', '1'], ['RENAME', 'a', 'a'], ['RENAMENX', 'a', 'a'], ['GET', 'a'],
      ['RENAME', 'a'], ['RENAME', 'a', 'b', 'c'], ['RENAMENX', 'a'],
    ]));
  test('RENAMENX only to a missing key', () =>
    d.check([
      ['SET', 'a', '1'], ['SET', 'b', '2'], ['RENAMENX', 'a', 'b'], ['GET', 'a'], ['GET', 'b'],
      ['RENAMENX', 'a', 'c'], ['GET', 'c'], ['EXISTS', 'a'],
    ]));
  test('the TTL goes with the key; the target loses its own', () =>
    d.check([
      ['SET', 'a', '1'], ['PEXPIREAT', 'a', '99999999999999'], ['SET', 'b', '2'], ['EXPIRE', 'b', '1000'],
      ['RENAME', 'a', 'b'], ['PEXPIRETIME', 'b'], ['TTL', 'a'],
      ['SET', 'c', '3'], ['RENAME', 'c', 'b'], ['TTL', 'b'],
      ['SET', 'd', '4'], ['EXPIRE', 'd', '500'], ['RENAMENX', 'd', 'e'], approx(1, 'TTL', 'e'), ['TTL', 'd'],
    ]));
});

describe('COPY', () => {
  test('copy within the db, REPLACE', () =>
    d.check([
      ['SET', 'a', 'va'], ['COPY', 'a', 'b'], ['GET', 'b'], ['COPY', 'a', 'b'], ['SET', 'a', 'new'],
      ['COPY', 'a', 'b', 'REPLACE'], ['GET', 'b'], ['COPY', 'a', 'b', 'replace', 'REPLACE'], ['GET', 'a'],
      ['COPY', 'nokey', 'b'], ['COPY', 'nokey', 'b', 'REPLACE'], ['GET', 'b'],
    ]));
  test('copy to another db', () =>
    d.check([
      ['SET', 'a', 'va'], ['COPY', 'a', 'a', 'DB', '1'], ['COPY', 'a', 'a', 'DB', '1'], ['COPY', 'a', 'a', 'db', '1', 'REPLACE'],
      ['COPY', 'a', 'z', 'DB', '0'], ['GET', 'z'], ['COPY', 'a', 'a', 'DB', '0'],
      ['MOVE', 'a', '1'], ['COPY', 'a', 'a', 'DB', '15'], ['MOVE', 'a', '15'],
    ]));
  test('errors', () =>
    d.check([
      ['SET', 'a', '1'],
      ['COPY', 'a', 'a'], ['COPY', 'nokey', 'nokey'], ['COPY', 'a', 'b', 'DB'], ['COPY', 'a', 'b', 'DB', '16'],
      ['COPY', 'a', 'b', 'DB', '-1'], ['COPY', 'a', 'b', 'DB', 'abc'], ['COPY', 'a', 'b', 'DB', '2147483648'],
      ['COPY', 'a', 'b', 'DB', '1.0'], ['COPY', 'a', 'b', 'FOO'], ['COPY', 'a', 'b', 'REPLACE', 'x'], ['COPY', 'a'],
      ['COPY', 'a', 'b', 'DB', '99', 'FOO'], ['COPY', 'a', 'b', 'FOO', 'DB', '99'], ['EXISTS', 'b'],
    ]));
  test('the TTL is copied', () =>
    d.check([
      ['SET', 'a', '1'], ['PEXPIREAT', 'a', '99999999999999'], ['COPY', 'a', 'b'], ['PEXPIRETIME', 'b'],
      ['SET', 'c', '1'], ['EXPIRE', 'c', '100'], ['COPY', 'a', 'c', 'REPLACE'], ['PEXPIRETIME', 'c'],
      ['SET', 'p', '1'], ['COPY', 'p', 'c', 'REPLACE'], ['TTL', 'c'],
    ]));
});

describe('MOVE', () => {
  test('moves a key, keeps the TTL, refuses an existing target', () =>
    d.check([
      ['SET', 'a', '1'], ['PEXPIREAT', 'a', '99999999999999'], ['MOVE', 'a', '1'], ['EXISTS', 'a'],
      ['COPY', 'a', 'a', 'DB', '1'], ['MOVE', 'nokey', '1'],
      ['SET', 'a', '2'], ['MOVE', 'a', '1'], ['GET', 'a'],
      ['SET', 'b', 'v'], ['MOVE', 'b', '3'], ['SET', 'b', 'w'], ['MOVE', 'b', '3'], ['GET', 'b'],
    ]));
  test('errors', () =>
    d.check([
      ['SET', 'a', '1'], ['MOVE', 'a', '0'], ['MOVE', 'nokey', '0'], ['MOVE', 'a', '16'], ['MOVE', 'a', '-1'],
      ['MOVE', 'a', 'x'], ['MOVE', 'a', '99999999999'], ['MOVE', 'a', ' 1'], ['MOVE', 'a'], ['MOVE', 'a', '1', '2'], ['GET', 'a'],
    ]));
});

describe('across databases and with WATCH', () => {
  test('MOVE and COPY DB seen from the target db', () =>
    d.check([
      ['SET', 'a', 'va'], ['PEXPIREAT', 'a', '99999999999999'], ['COPY', 'a', 'c', 'DB', '5'], ['MOVE', 'a', '5'],
      ['SELECT', '5'], ['GET', 'a'], ['PEXPIRETIME', 'a'], ['GET', 'c'], ['PEXPIRETIME', 'c'], unordered('KEYS', '*'),
      ['MOVE', 'a', '0'], ['COPY', 'c', 'c', 'DB', '0'], ['SELECT', '0'], unordered('KEYS', '*'), ['PEXPIRETIME', 'c'],
      ['SELECT', '5'], ['RANDOMKEY'], ['RENAME', 'c', 'd'], ['TYPE', 'd'], ['SELECT', '0'], ['TYPE', 'd'],
    ]));
  const watched = (cmd: string[], setup: string[][] = []): StepLike[] => [
    ['SET', 'a', '1'], ['SET', 'b', '1'], ...setup, ['WATCH', 'a'], cmd, ['MULTI'], ['PING'], ['EXEC'], ['UNWATCH'],
  ];
  for (const [name, cmd, setup] of [
    ['DEL', ['DEL', 'a']], ['UNLINK', ['UNLINK', 'a', 'zz']], ['DEL of another key', ['DEL', 'b']],
    ['EXPIRE', ['EXPIRE', 'a', '100']], ['EXPIRE in the past', ['EXPIRE', 'a', '-1']], ['EXPIRE refused by NX', ['EXPIRE', 'a', '100', 'NX'], [['EXPIRE', 'a', '50']]],
    ['PERSIST', ['PERSIST', 'a'], [['EXPIRE', 'a', '50']]], ['PERSIST of a persistent key', ['PERSIST', 'a']],
    ['RENAME from', ['RENAME', 'a', 'c']], ['RENAME to', ['RENAME', 'b', 'a']], ['RENAMENX refused', ['RENAMENX', 'b', 'a']],
    ['MOVE', ['MOVE', 'a', '1']], ['COPY onto', ['COPY', 'b', 'a', 'REPLACE']], ['COPY from', ['COPY', 'a', 'c']],
    ['TOUCH', ['TOUCH', 'a']], ['EXISTS', ['EXISTS', 'a']], ['OBJECT', ['OBJECT', 'ENCODING', 'a']],
  ] as [string, string[], string[][]?][]) {
    test(`WATCH then ${name}`, () => d.check(watched(cmd, setup)));
  }
});

describe('KEYS', () => {
  const setup: StepLike[] = ['foo', 'foobar', 'fo', 'f', 'bar', 'hello', 'hallo', 'hxllo', 'h\\llo', 'h*llo', 'a[b]c', '', 'A', '\xff', '\x80x']
    .map((k) => ['SET', k, '1']);
  test('glob patterns', () =>
    d.check([
      ...setup,
      ...['*', 'f*', 'fo?', '*o*', 'h[ae]llo', 'h[^e]llo', 'h[a-b]llo', 'h[b-a]llo', 'h\\*llo', 'h\\\\llo', '?', '', 'a\\[b\\]c',
        'a[[]b]c', '[', '[a', 'h[', '*[', 'fo[o', '\\', 'a\\', '**', '*?*', '[\\]]', '[^]', '[a-]', 'h?llo*', '[\x80-\xff]*',
        '[a-z]', '[A-Z]', '[]', 'x*', 'foo*bar', 'f*o*o*b*a*r*']
        .map((p) => unordered('KEYS', p)),
      ['KEYS'], ['KEYS', '*', '*'],
    ]));
  test('expired keys are not listed', () =>
    d.check([['SET', 'a', '1'], ['SET', 'b', '1'], ['PEXPIRE', 'b', '50'], sleep(150, 'SET', 'c', '1'), unordered('KEYS', '*'),
      ['EXISTS', 'a', 'b', 'c']]));
});

/** Runs a whole SCAN iteration on one connection and returns every key seen (as a sorted unique list). */
async function fullScan(c: RawClient, extra: string[]): Promise<{ keys: string[]; error?: string }> {
  let cursor = '0';
  const seen = new Set<string>();
  for (let guard = 0; guard < 100_000; guard++) {
    const r = await c.send(['SCAN', cursor, ...extra]);
    if (r.value.type === 'error') return { keys: [], error: r.value.value };
    const v = (r.value as { value: RawValue[] }).value;
    cursor = (v[0] as { value: string }).value;
    for (const k of (v[1] as { value: RawValue[] }).value) seen.add((k as { value: string }).value);
    if (cursor === '0') break;
  }
  return { keys: [...seen].sort() };
}

async function setupBoth(cmds: (string | number)[][]): Promise<[RawClient, RawClient]> {
  const [a, b] = await Promise.all([d.connect('oracle'), d.connect('mock')]);
  for (const c of [a, b]) {
    await c.send(['FLUSHALL']);
    for (const cmd of cmds) await c.send(cmd);
  }
  return [a, b];
}

describe('SCAN', () => {
  test('full iterations agree as sets, with MATCH, COUNT and TYPE', async () => {
    if (!d.available) return;
    const keys = Array.from({ length: 300 }, (_, i) => `key:${i}:${i % 7 === 0 ? 'seven' : 'other'}`);
    const [a, b] = await setupBoth(keys.map((k) => ['SET', k, 'v']));
    try {
      for (const extra of [[], ['COUNT', '1'], ['COUNT', '7'], ['COUNT', '1000'], ['MATCH', '*seven'], ['MATCH', 'key:1?:*', 'COUNT', '3'],
        ['TYPE', 'string'], ['TYPE', 'STRING', 'MATCH', '*:2*'], ['TYPE', 'list'], ['TYPE', 'hash'], ['TYPE', 'zset'], ['TYPE', 'set'],
        ['TYPE', 'stream'], ['MATCH', '*'], ['MATCH', 'nomatch*'], ['count', '5', 'match', '*1*', 'type', 'string']]) {
        const [ra, rb] = await Promise.all([fullScan(a, extra), fullScan(b, extra)]);
        expect(rb, `SCAN ${extra.join(' ')}`).toEqual(ra);
      }
    } finally {
      a.close();
      b.close();
    }
  });

  test('expired keys are not returned', async () => {
    if (!d.available) return;
    const [a, b] = await setupBoth([['SET', 'a', '1'], ['SET', 'b', '1'], ['PEXPIRE', 'b', '30'], ['SET', 'c', '1']]);
    try {
      await new Promise((r) => setTimeout(r, 100));
      const [ra, rb] = await Promise.all([fullScan(a, []), fullScan(b, [])]);
      expect(rb).toEqual(ra);
      expect(ra.keys).toEqual(['a', 'c']);
    } finally {
      a.close();
      b.close();
    }
  });

  test('empty database and cursor syntax', () =>
    d.check([
      ['SCAN', '0'], ['SCAN', '00'], ['SCAN', '+0'], ['SCAN', '-0'], ['SCAN', ' 0'], ['SCAN', '0', 'COUNT', '10'],
      ['SCAN', '123'], ['SCAN', '18446744073709551615'], ['SCAN', '-18446744073709551615'],
      ['SCAN', '-1'], ['SCAN', 'abc'], ['SCAN', '1.5'], ['SCAN', ''], ['SCAN', '0x10'], ['SCAN', '18446744073709551616'],
      ['SCAN', '1 '], ['SCAN'],
    ]));

  test('option errors', () =>
    d.check([
      ['SET', 'a', '1'],
      ['SCAN', '0', 'COUNT', '0'], ['SCAN', '0', 'COUNT', '-1'], ['SCAN', '0', 'COUNT', 'abc'], ['SCAN', '0', 'COUNT'],
      ['SCAN', '0', 'MATCH'], ['SCAN', '0', 'TYPE'], ['SCAN', '0', 'TYPE', 'foo'], ['SCAN', '0', 'TYPE', 'none'],
      ['SCAN', '0', 'NOVALUES'], ['SCAN', '0', 'NOSCORES'], ['SCAN', '0', 'FOO'], ['SCAN', '0', 'SLOT', '1'],
      ['SCAN', '0', 'COUNT', '1', 'COUNT', '0'], ['SCAN', '0', 'COUNT', '99999999999999999999'],
      ['SCAN', '-1', 'COUNT', '0'], ['SCAN', '0', 'TYPE', 'foo', 'COUNT', '0'], ['SCAN', '0', 'MATCH', '*', 'NOVALUES'],
      ['SCAN', '0', 'COUNT', '100'],
    ]));
});

describe('RANDOMKEY', () => {
  test('empty, one key, many keys', () =>
    d.check([
      ['RANDOMKEY'], ['SET', 'only', '1'], ['RANDOMKEY'], ['RANDOMKEY'],
      ['SET', 'b', '1'], ['SET', 'c', '1'], sameType('RANDOMKEY'), ['RANDOMKEY', 'x'],
    ]));
  test('expired keys are never returned', () =>
    d.check([['SET', 'a', '1'], ['SET', 'b', '1'], ['PEXPIRE', 'b', '20'], sleep(80, 'PEXPIRE', 'a', '20'), sleep(80, 'SET', 'c', '1'),
      ['RANDOMKEY'], ['RANDOMKEY'], ['RANDOMKEY']]));
});

describe('EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT', () => {
  test('relative and absolute expiries', () =>
    d.check([
      ['SET', 'a', '1'], ['EXPIRE', 'a', '100'], approx(1, 'TTL', 'a'), approx(1000, 'PTTL', 'a'),
      ['PEXPIRE', 'a', '200000'], approx(1, 'TTL', 'a'),
      ['EXPIREAT', 'a', '33177600000'], ['EXPIRETIME', 'a'], ['PEXPIRETIME', 'a'],
      ['PEXPIREAT', 'a', '33177600000123'], ['EXPIRETIME', 'a'], ['PEXPIRETIME', 'a'],
      ['PEXPIREAT', 'a', '33177600000499'], ['EXPIRETIME', 'a'], ['PEXPIREAT', 'a', '33177600000500'], ['EXPIRETIME', 'a'],
      ['EXPIRE', 'nokey', '100'], ['PEXPIRE', 'nokey', '100'], ['EXPIREAT', 'nokey', '1'], ['PEXPIREAT', 'nokey', '1'],
    ]));
  test('times in the past delete the key', () =>
    d.check([
      ['SET', 'a', '1'], ['EXPIRE', 'a', '0'], ['EXISTS', 'a'],
      ['SET', 'a', '1'], ['EXPIRE', 'a', '-5'], ['EXISTS', 'a'],
      ['SET', 'a', '1'], ['PEXPIRE', 'a', '-1'], ['EXISTS', 'a'],
      ['SET', 'a', '1'], ['EXPIREAT', 'a', '1'], ['EXISTS', 'a'],
      ['SET', 'a', '1'], ['PEXPIREAT', 'a', '0'], ['EXISTS', 'a'],
      ['SET', 'a', '1'], ['PEXPIREAT', 'a', '-9223372036854775808'], ['EXISTS', 'a'],
      ['SET', 'a', '1'], ['PEXPIRE', 'a', '-9223372036854775808'], ['EXISTS', 'a'],
      ['SET', 'a', '1'], ['EXPIRE', 'a', '-9223372036854775'], ['EXISTS', 'a'],
    ]));
  test('overflow and parse errors', () =>
    d.check([
      ['SET', 'a', '1'],
      ['EXPIRE', 'a', '9223372036854775'], ['EXPIRE', 'a', '9223372036854776'], ['EXPIRE', 'a', '-9223372036854776'],
      ['PEXPIRE', 'a', '9223372036854775807'], ['EXPIREAT', 'a', '9223372036854776'], ['EXPIREAT', 'a', '-9223372036854776'],
      ['PEXPIREAT', 'a', '9223372036854775807'], ['PEXPIRETIME', 'a'], ['EXPIRETIME', 'a'], approx(2, 'TTL', 'a'),
      ['EXPIREAT', 'a', '9223372036854775'], ['PEXPIRETIME', 'a'],
      ['EXPIRE', 'a', 'abc'], ['EXPIRE', 'a', '1.5'], ['EXPIRE', 'a', ''], ['EXPIRE', 'a', '9223372036854775808'],
      ['PEXPIRE', 'a', ' 1'], ['EXPIRE', 'a'], ['PEXPIREAT', 'a'], ['TTL', 'a', 'b'], ['TTL'],
    ]));
  test('NX XX GT LT', () =>
    d.check([
      ['SET', 'a', '1'],
      ['EXPIRE', 'a', '100', 'XX'], ['TTL', 'a'], ['EXPIRE', 'a', '100', 'GT'], ['TTL', 'a'],
      ['EXPIRE', 'a', '100', 'LT'], approx(1, 'TTL', 'a'), ['EXPIRE', 'a', '200', 'NX'], approx(1, 'TTL', 'a'),
      ['EXPIRE', 'a', '200', 'XX'], approx(1, 'TTL', 'a'), ['EXPIRE', 'a', '100', 'GT'], ['EXPIRE', 'a', '300', 'GT'],
      approx(1, 'TTL', 'a'), ['EXPIRE', 'a', '400', 'LT'], ['EXPIRE', 'a', '50', 'lt'], approx(1, 'TTL', 'a'),
      ['EXPIRE', 'a', '40', 'XX', 'GT'], ['EXPIRE', 'a', '60', 'xx', 'gt'], approx(1, 'TTL', 'a'),
      ['EXPIRE', 'a', '10', 'XX', 'LT'], approx(1, 'TTL', 'a'), ['EXPIRE', 'a', '5', 'GT', 'GT'],
      ['PEXPIREAT', 'a', '1', 'GT'], ['EXISTS', 'a'], ['PEXPIREAT', 'a', '1', 'LT'], ['EXISTS', 'a'],
      ['SET', 'b', '1'], ['EXPIRE', 'b', '-1', 'LT'], ['EXISTS', 'b'],
      ['SET', 'b', '1'], ['EXPIRE', 'b', '-1', 'GT'], ['EXISTS', 'b'], ['EXPIRE', 'b', '-1', 'XX'], ['EXISTS', 'b'],
      ['EXPIRE', 'b', '-1', 'NX'], ['EXISTS', 'b'],
      ['PEXPIREAT', 'nokey', '1', 'NX'], ['PEXPIREAT', 'nokey', '1', 'GT'],
    ]));
  test('option errors come before the key and the number', () =>
    d.check([
      ['EXPIRE', 'nokey', '10', 'NX', 'XX'], ['EXPIRE', 'nokey', '10', 'NX', 'GT'], ['EXPIRE', 'nokey', '10', 'NX', 'LT'],
      ['EXPIRE', 'nokey', '10', 'GT', 'LT'], ['EXPIRE', 'nokey', '10', 'XX', 'LT', 'GT'], ['PEXPIRE', 'nokey', 'abc', 'NX', 'XX'],
      ['EXPIRE', 'nokey', 'abc', 'FOO'], ['EXPIREAT', 'nokey', '10', 'NX', 'FOO', 'XX'], ['PEXPIREAT', 'nokey', 'abc'],
      ['EXPIRE', 'nokey', '10', 'a\r\nb'], ['EXPIRE', 'nokey', '10', 'x\0y'], ['EXPIRE', 'nokey', '99999999999999999', 'XX'],
    ]));
  test('a key expires on its own', () =>
    d.check([['SET', 'a', '1'], sleep(120, 'PEXPIRE', 'a', '40'), ['EXISTS', 'a'], ['TTL', 'a'], ['PTTL', 'a'], ['GET', 'a'],
      ['SET', 'b', '1'], sleep(120, 'PEXPIREAT', 'b', String(Date.now() + 40)), ['EXPIRETIME', 'b'], ['TYPE', 'b']]));
});

describe('TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST', () => {
  test('missing, persistent and volatile keys', () =>
    d.check([
      ['TTL', 'nokey'], ['PTTL', 'nokey'], ['EXPIRETIME', 'nokey'], ['PEXPIRETIME', 'nokey'],
      ['SET', 'a', '1'], ['TTL', 'a'], ['PTTL', 'a'], ['EXPIRETIME', 'a'], ['PEXPIRETIME', 'a'],
      ['PEXPIRE', 'a', '1499'], approx(1, 'TTL', 'a'), approx(30, 'PTTL', 'a'),
      ['PEXPIRE', 'a', '100000'], ['PERSIST', 'a'], ['TTL', 'a'], ['PERSIST', 'a'], ['PERSIST', 'nokey'], ['PEXPIRETIME', 'a'],
      ['PERSIST'], ['PERSIST', 'a', 'b'], ['PTTL'], ['EXPIRETIME', 'a', 'b'],
    ]));
  test('TTL rounds to the nearest second', () =>
    d.check([['SET', 'a', '1'], ['PEXPIRE', 'a', '2600'], approx(1, 'TTL', 'a'), ['PEXPIRE', 'a', '100000000'], approx(1, 'TTL', 'a')]));
});

describe('OBJECT', () => {
  const key = (n: number) => 'k'.repeat(n);
  test('ENCODING of strings: int, embstr, raw by value length, key length and expiry', () =>
    d.check([
      ['SET', 'a', '12345'], ['OBJECT', 'ENCODING', 'a'], ['SET', 'a', '-9223372036854775808'], ['OBJECT', 'ENCODING', 'a'],
      ['SET', 'a', '9223372036854775808'], ['OBJECT', 'ENCODING', 'a'], ['SET', 'a', '012'], ['OBJECT', 'ENCODING', 'a'],
      ['SET', 'a', '-0'], ['OBJECT', 'ENCODING', 'a'], ['SET', 'a', '0'], ['OBJECT', 'encoding', 'a'], ['SET', 'a', ''], ['OBJECT', 'ENCODING', 'a'],
      ['SET', 'a', x(112)], ['OBJECT', 'ENCODING', 'a'], ['SET', 'a', x(113)], ['OBJECT', 'ENCODING', 'a'],
      ['SET', key(31), x(84)], ['OBJECT', 'ENCODING', key(31)], ['SET', key(31), x(85)], ['OBJECT', 'ENCODING', key(31)],
      ['SET', key(32), x(80)], ['OBJECT', 'ENCODING', key(32)], ['SET', key(32), x(81)], ['OBJECT', 'ENCODING', key(32)],
      ['SET', key(120), '1'], ['OBJECT', 'ENCODING', key(120)], ['SET', key(120), 'x'], ['OBJECT', 'ENCODING', key(120)],
      ['SET', 'b', x(104)], ['EXPIRE', 'b', '100'], ['OBJECT', 'ENCODING', 'b'],
      ['SET', 'b', x(105)], ['EXPIRE', 'b', '100'], ['OBJECT', 'ENCODING', 'b'], ['PERSIST', 'b'], ['OBJECT', 'ENCODING', 'b'],
      ['SET', 'c', x(60)], ['RENAME', 'c', key(60)], ['OBJECT', 'ENCODING', key(60)], ['RENAME', key(60), 'c'], ['OBJECT', 'ENCODING', 'c'],
      ['SET', 'd', x(100)], ['COPY', 'd', key(40)], ['OBJECT', 'ENCODING', key(40)], ['OBJECT', 'ENCODING', 'd'],
      ['COPY', key(40), 'e'], ['OBJECT', 'ENCODING', 'e'], ['MOVE', 'd', '2'], ['COPY', 'e', 'f', 'DB', '3'],
      ['SET', 'n', '42'], ['EXPIRE', 'n', '100'], ['RENAME', 'n', key(200)], ['OBJECT', 'ENCODING', key(200)],
      ['OBJECT', 'ENCODING', 'nokey'],
    ]));
  test('ENCODING survives RENAME, MOVE and COPY (integer-looking embstr, raw)', () =>
    d.check([
      ['SET', 'f', '1.5'], ['INCRBYFLOAT', 'f', '0.5'], ['OBJECT', 'ENCODING', 'f'],
      ['COPY', 'f', 'g'], ['OBJECT', 'ENCODING', 'g'], ['RENAME', 'f', 'h'], ['OBJECT', 'ENCODING', 'h'],
      ['COPY', 'h', key(120)], ['OBJECT', 'ENCODING', key(120)], ['RENAME', 'h', key(121)], ['OBJECT', 'ENCODING', key(121)],
      ['MOVE', 'g', '1'], ['SELECT', '1'], ['OBJECT', 'ENCODING', 'g'], ['SELECT', '0'],
      ['SET', 'r', 'ab'], ['APPEND', 'r', 'cd'], ['OBJECT', 'ENCODING', 'r'], ['COPY', 'r', 's'], ['OBJECT', 'ENCODING', 's'],
      ['RENAME', 'r', 't'], ['OBJECT', 'ENCODING', 't'],
      ['SET', 'i', '77'], ['COPY', 'i', key(122)], ['OBJECT', 'ENCODING', key(122)], ['RENAME', 'i', key(123)], ['OBJECT', 'ENCODING', key(123)],
    ]));
  test('REFCOUNT, IDLETIME, FREQ without an LFU policy', () =>
    d.check([
      ['SET', 'a', '5'], ['SET', 'b', 'hello'], ['SET', 'c', x(200)],
      ['OBJECT', 'REFCOUNT', 'a'], ['OBJECT', 'REFCOUNT', 'b'], ['OBJECT', 'REFCOUNT', 'c'], ['OBJECT', 'REFCOUNT', 'nokey'],
      approx(1, 'OBJECT', 'IDLETIME', 'a'), ['OBJECT', 'IDLETIME', 'nokey'],
      ['OBJECT', 'FREQ', 'a'], ['OBJECT', 'FREQ', 'nokey'],
    ]));
  test('HELP, unknown subcommands, arity', () =>
    d.check([
      ['OBJECT', 'HELP'], ['object', 'help'], ['OBJECT', 'HELP', 'x'], ['OBJECT'], ['OBJECT', 'FOO'], ['OBJECT', 'FOO', 'a'],
      ['OBJECT', 'ENCODING'], ['OBJECT', 'ENCODING', 'a', 'b'], ['OBJECT', 'REFCOUNT'], ['OBJECT', 'IDLETIME'], ['OBJECT', 'FREQ'],
    ]));
  test('FREQ and IDLETIME under an LFU policy', async () => {
    const script: StepLike[] = [
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'],
      ['SET', 'a', '1'], ['OBJECT', 'FREQ', 'a'], ['OBJECT', 'IDLETIME', 'a'], ['OBJECT', 'IDLETIME', 'nokey'],
      ['GET', 'a'], ['OBJECT', 'FREQ', 'a'], ['EXISTS', 'a'], ['TYPE', 'a'], ['TTL', 'a'], ['OBJECT', 'FREQ', 'a'],
      ['SET', 'b', '1'], ['RENAME', 'a', 'b'], ['OBJECT', 'FREQ', 'b'], ['OBJECT', 'FREQ', 'nokey'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lfu'], ['OBJECT', 'FREQ', 'b'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'], ['OBJECT', 'FREQ', 'b'],
    ];
    try {
      await d.check(script);
    } finally {
      await d.check([ignore('CONFIG', 'SET', 'maxmemory-policy', 'noeviction')], { noFlush: true, resp: [2] });
    }
  });
});

describe('WAIT, WAITAOF', () => {
  test('no replicas: immediate answers and argument errors', () =>
    d.check([
      ['WAIT', '0', '0'], ['WAIT', '-1', '0'], ['WAIT', '0', '100'],
      ['WAIT', 'abc', '0'], ['WAIT', '1', 'abc'], ['WAIT', '1', '-1'], ['WAIT', '1', '9223372036854775807'], ['WAIT', '1', '1.5'],
      ['WAIT', '99999999999999999999', '0'], ['WAIT', 'abc', 'abc'], ['WAIT', '1'], ['WAIT', '1', '2', '3'],
      ['WAITAOF', '0', '0', '0'], ['WAITAOF', '1', '0', '0'], ['WAITAOF', '2', '0', '0'], ['WAITAOF', '-1', '0', '0'],
      ['WAITAOF', '0', '-1', '0'], ['WAITAOF', '0', 'x', '0'], ['WAITAOF', '0', '0', '-1'], ['WAITAOF', 'x', 'y', 'z'],
    ]));
  test('waiting for a replica lasts until the timeout', async () => {
    if (!d.available) return;
    for (const which of ['oracle', 'mock'] as const) {
      const c = await d.connect(which);
      try {
        const t0 = Date.now();
        const r = await c.send(['WAIT', '1', '150']);
        const took = Date.now() - t0;
        expect(r.raw, which).toBe(':0\r\n');
        expect(took, which).toBeGreaterThanOrEqual(140);
        expect(took, which).toBeLessThan(1000);
        const t1 = Date.now();
        const r2 = await c.send(['WAITAOF', '0', '1', '100']);
        expect(r2.raw, which).toBe('*2\r\n:0\r\n:0\r\n');
        expect(Date.now() - t1, which).toBeGreaterThanOrEqual(90);
      } finally {
        c.close();
      }
    }
  });
  test('WAIT 1 0 blocks forever', async () => {
    if (!d.available) return;
    for (const which of ['oracle', 'mock'] as const) {
      const c = await d.connect(which);
      try {
        const result = await Promise.race([c.send(['WAIT', '1', '0']).then(() => 'replied'), new Promise((r) => setTimeout(() => r('blocked'), 300))]);
        expect(result, which).toBe('blocked');
      } finally {
        c.close();
      }
    }
  });
  test('inside MULTI, WAIT does not block', () =>
    d.check([['MULTI'], ['WAIT', '1', '0'], ['WAITAOF', '0', '1', '0'], ['EXEC']]));
});

describe('KEYS glob property (stringmatchlen)', () => {
  const alphabet = ['a', 'b', 'c', 'A', '-', '*', '?', '[', ']', '^', '\\', '\xe9', '\x00'];
  const keyArb = fc.array(fc.constantFrom('a', 'b', 'c', 'A', '-', '*', '?', '[', ']', '^', '\\', '\xe9'), { maxLength: 6 }).map((a) => a.join(''));
  const patternPart = fc.oneof(
    fc.constantFrom(...alphabet),
    fc.constantFrom('*', '?', '**'),
    fc.tuple(fc.boolean(), fc.array(fc.constantFrom('a', 'b', 'c', 'a-c', 'c-a', '\\]', '\\-', '-', '^', '\\', ']', '\xe9'), { maxLength: 3 }), fc.boolean())
      .map(([neg, items, close]) => '[' + (neg ? '^' : '') + items.join('') + (close ? ']' : '')),
    fc.constantFrom('\\*', '\\?', '\\[', '\\\\', '\\a'),
  );
  const patternArb = fc.array(patternPart, { maxLength: 5 }).map((p) => p.join(''));

  test('KEYS agrees with Valkey on random patterns over random keys', async () => {
    if (!d.available) return;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(keyArb, { minLength: 1, maxLength: 25 }), fc.array(patternArb, { minLength: 1, maxLength: 25 }), async (keys, patterns) => {
        await d.check([...keys.map((k) => ['SET', k, '1']), ...patterns.map((p) => unordered('KEYS', p))], { resp: [2] });
      }),
      { numRuns: 40, seed: 20240917 },
    );
  }, 120_000);
});
