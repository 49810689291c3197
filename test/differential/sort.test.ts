/**
 * Differential tests of SORT and SORT_RO against a real Valkey 9.1.2, in
 * RESP2 and RESP3: every option (BY, LIMIT, GET, ASC/DESC, ALPHA, STORE) and
 * error path over lists, sets (intset, listpack, hashtable) and sorted sets
 * (listpack, skiplist); BY/GET patterns (string keys, hash fields, '#',
 * constants, NUL bytes); the numeric parser; the tie orders of the stable
 * sort and of the partial quicksort used with BY + LIMIT; STORE's list
 * encodings, deletions, dirty counts and wake-ups; expiry of the keys the
 * patterns name; plus a fast-check property over random SORT invocations on
 * small random data sets.
 *
 * Order: SORT defines the order of every reply compared exactly here. The
 * exceptions are the iteration order of a hashtable set (BY nosort without
 * STORE: compared unordered) and of a sorted set's dictionary (loading
 * order: only visible through ties under ALPHA with BY, which the sorted-set
 * tests avoid).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Arg, RawClient } from '../../conformance/targets/raw-client.js';
import { ignore, sleep, unordered, useDifferential, type StepLike } from './harness.js';

const d = useDifferential();
const check = (steps: readonly StepLike[]) => d.check(steps);
const enc = (k: string): StepLike => ['OBJECT', 'ENCODING', k];
const lrange = (k: string): StepLike => ['LRANGE', k, '0', '-1'];
/** `n` strings from f(0) .. f(n-1). */
const gen = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));
/** A deterministic pseudo-random sequence (LCG), for data sets that must be the same on both servers. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// --- numeric and ALPHA order ------------------------------------------------------

describe('numeric order', () => {
  test('ASC, DESC, ties broken by the bytes of the element', () =>
    check([
      ['RPUSH', 'l', '3', '1', '2', '10', '-5', '1.5', '+1', '1.0', '01', '1e0', '.5', '-0', '0', 'inf', '-inf', '+inf', 'INF', '-Infinity',
        '1e308', '-1e308', '4.9e-324', '2.5e-310', '0.1', '1E1', '10.', '9007199254740993', '9007199254740992', '-9223372036854775808',
        '9223372036854775807', '18446744073709551616', '1e-5', '0e-999', '1.7976931348623157e308', '3'],
      ['SORT', 'l'], ['SORT', 'l', 'DESC'], ['SORT', 'l', 'ASC'], ['SORT_RO', 'l'], ['SORT', 'l', 'DESC', 'ASC'], ['SORT', 'l', 'ASC', 'DESC'],
      ['sort', 'l', 'desc'], ['SORT', 'l', 'LIMIT', '3', '5'], ['SORT', 'l', 'DESC', 'LIMIT', '0', '4'],
    ]));

  test('integer-encoded elements, duplicates, a quicklist', () =>
    check([
      ['RPUSH', 'l', ...gen(300, (i) => String((i * 7919) % 211 - 100))], enc('l'),
      ['SORT', 'l'], ['SORT', 'l', 'DESC'], ['SORT', 'l', 'LIMIT', '150', '20'], ['SORT', 'l', 'DESC', 'LIMIT', '290', '20'],
    ]));

  const bad = ['abc', '', 'nan', '-nan', 'NaN', 'nan(1)', '1e400', '-1e400', '1e-400', ' 1', '1 ', '\t1', '0x10', '1e', '1e+', '1.2.3',
    'infinit', 'infinityx', '++1', '+-1', '1_000', '\x00', '\x001', '.', '-', '+', 'e5', '1,5'];
  test('values that are not doubles: "One or more scores can\'t be converted into double"', () =>
    check(bad.flatMap((v): StepLike[] => [['DEL', 'l'], ['RPUSH', 'l', '1', v, '2'], ['SORT', 'l'], ['SORT', 'l', 'DESC', 'LIMIT', '0', '1'], ['SORT', 'l', 'ALPHA']])));

  test('a double followed by a NUL byte is accepted; what follows the NUL only breaks ties', () =>
    check([
      ['RPUSH', 'l', '2\x00zz', '1\x00b', '1\x00a', '1', '+1e0\x00', 'inf\x00x', '-3\x00\xff'],
      ['SORT', 'l'], ['SORT', 'l', 'DESC'], ['SORT', 'l', 'STORE', 'd'], lrange('d'),
    ]));

  test('an error leaves STORE\'s destination alone', () =>
    check([
      ['RPUSH', 'l', '1', 'x'], ['SET', 'd', 'keep'], ['SORT', 'l', 'STORE', 'd'], ['GET', 'd'],
      ['SET', 'w_1', '1'], ['SET', 'w_x', 'bad'], ['SORT', 'l', 'BY', 'w_*', 'STORE', 'd'], ['GET', 'd'],
      ['SORT', 'l', 'BY', 'w_*', 'ALPHA', 'STORE', 'd'], lrange('d'),
    ]));
});

describe('ALPHA', () => {
  const elems = ['b', 'a', 'B', 'A', '', 'a\x00b', 'a\x00a', 'a', '\x7f', '\x80', '\xc3\xa9', '\xc3', '\xff', 'ab', 'a b', '10', '9', '-1', '\x00', 'Z'];
  test('byte order; without STORE strcoll stops at NUL bytes (ties keep the list order)', () =>
    check([
      ['RPUSH', 'l', ...elems], ['SORT', 'l', 'ALPHA'], ['SORT', 'l', 'ALPHA', 'DESC'], ['SORT', 'l', 'alpha', 'limit', '2', '6'],
      ['SORT_RO', 'l', 'ALPHA', 'DESC', 'LIMIT', '0', '100'],
    ]));
  test('with STORE every byte counts', () =>
    check([
      ['RPUSH', 'l', ...elems], ['SORT', 'l', 'ALPHA', 'STORE', 'd'], lrange('d'), ['SORT', 'l', 'ALPHA', 'DESC', 'STORE', 'd'], lrange('d'),
    ]));
  test('integers sort as strings', () =>
    check([['RPUSH', 'l', '2', '1', '3', '10', '-1', '-10', '100'], ['SORT', 'l', 'ALPHA'], ['SORT', 'l', 'ALPHA', 'DESC']]));
});

// --- LIMIT ------------------------------------------------------------------------

describe('LIMIT', () => {
  const offsets = ['-10', '-1', '0', '1', '5', '6', '7', '9223372036854775807', '-9223372036854775808'];
  const counts = ['-10', '-1', '0', '1', '2', '6', '100', '9223372036854775807', '-9223372036854775808'];
  const all = offsets.flatMap((o) => counts.map((c) => [o, c] as const));
  test('every offset and count, sorted', () =>
    check([['RPUSH', 'l', '5', '3', '6', '1', '4', '2'], ...all.map(([o, c]): StepLike => ['SORT', 'l', 'LIMIT', o, c])]));
  test('every offset and count, BY nosort (native order, DESC reversed)', () =>
    check([
      ['RPUSH', 'l', '5', '3', '6', '1', '4', '2'],
      ...all.map(([o, c]): StepLike => ['SORT', 'l', 'BY', 'nosort', 'LIMIT', o, c]),
      ...all.map(([o, c]): StepLike => ['SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', o, c]),
    ]));
  test('with GET: the count is per element', () =>
    check([['RPUSH', 'l', '2', '1', '3'], ...all.map(([o, c]): StepLike => ['SORT', 'l', 'LIMIT', o, c, 'GET', '#', 'GET', 'nokey'])]));
  test('on a missing key', () => check(all.slice(0, 20).map(([o, c]): StepLike => ['SORT', 'nokey', 'LIMIT', o, c])));
  test('bad values and missing arguments', () =>
    check([
      ['RPUSH', 'l', '1'], ['SORT', 'l', 'LIMIT', 'x', '1'], ['SORT', 'l', 'LIMIT', '1', 'x'], ['SORT', 'l', 'LIMIT', '1.5', '1'],
      ['SORT', 'l', 'LIMIT', '9223372036854775808', '1'], ['SORT', 'l', 'LIMIT', '0', '-9223372036854775809'], ['SORT', 'l', 'LIMIT', '+1', '1'],
      ['SORT', 'l', 'LIMIT', ' 1', '1'], ['SORT', 'l', 'LIMIT', '', '1'], ['SORT', 'l', 'LIMIT'], ['SORT', 'l', 'LIMIT', '1'], ['SORT', 'l', 'ALPHA', 'LIMIT', '0'],
      ['SORT', 'l', 'LIMIT', '0', '1', 'LIMIT', '1', '1'], ['SORT', 'l', 'LIMIT', '01', '1'],
    ]));
});

// --- BY ---------------------------------------------------------------------------

describe('BY', () => {
  const data: StepLike[] = [
    ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f'],
    ['MSET', 'w_a', '3', 'w_b', '1', 'w_c', '2', 'w_d', '-1.5', 'w_f', '1'],
    ['HSET', 'h_a', 'f', '10', 'g', 'z'], ['HSET', 'h_b', 'f', '30', 'g', 'y'], ['HSET', 'h_c', 'f', '20'], ['HSET', 'h_d', 'g', 'x'],
    ['SET', 'h_e', '5'], ['RPUSH', 'w_e', '100'],
  ];
  test('string keys: missing or non-string keys weigh 0, ties by element', () =>
    check([...data, ['SORT', 'l', 'BY', 'w_*'], ['SORT', 'l', 'BY', 'w_*', 'DESC'], ['SORT', 'l', 'by', 'W_*'], ['SORT', 'l', 'BY', 'w_*', 'ALPHA'],
      ['SORT', 'l', 'BY', 'w_*', 'ALPHA', 'DESC'], ['SORT', 'l', 'BY', 'w_*', 'GET', '#', 'GET', 'w_*']]));
  test('hash fields: missing fields, hashes that are strings', () =>
    check([...data, ['SORT', 'l', 'BY', 'h_*->f'], ['SORT', 'l', 'BY', 'h_*->f', 'DESC'], ['SORT', 'l', 'BY', 'h_*->g', 'ALPHA'],
      ['SORT', 'l', 'BY', 'h_*->g', 'ALPHA', 'DESC'], ['SORT', 'l', 'BY', 'h_*->nofield'], ['SORT', 'l', 'BY', 'h_*->g']]));
  test('pattern shapes: "->" at the end, before the "*", several "*", a lone "*"', () =>
    check([
      ['RPUSH', 'l', 'a', 'b', 'c'], ['MSET', 'x:a->', '3', 'x:b->', '1', 'x:c->', '2', 'a', '2', 'b', '1', 'c', '0'],
      ['MSET', 'h->a', '1', 'h->b', '3', 'h->c', '2', 'k_a_*', '2', 'k_b_*', '1', 'k_c_*', '3'],
      ['HSET', 'y_a', 'f->g', '3', 'f*', '1'], ['HSET', 'y_b', 'f->g', '1', 'f*', '2'], ['HSET', 'y_c', 'f->g', '2', 'f*', '3'],
      ['SORT', 'l', 'BY', 'x:*->'], ['SORT', 'l', 'BY', 'x:*->', 'GET', 'x:*->'], ['SORT', 'l', 'BY', '*'], ['SORT', 'l', 'BY', '*', 'GET', '*'],
      ['SORT', 'l', 'BY', 'h->*'], ['SORT', 'l', 'BY', 'k_*_*'], ['SORT', 'l', 'BY', 'y_*->f->g'], ['SORT', 'l', 'BY', 'y_*->f*'],
      ['SORT', 'l', 'BY', 'y_*->f->g', 'GET', 'y_*->f*', 'GET', 'y_*->f->g'], ['SORT', 'l', 'BY', '*->'], ['SORT', 'l', 'BY', '->*'],
    ]));
  test('NUL bytes in patterns: a "*" after a NUL is no "*"; the key and field keep the bytes after a NUL', () =>
    check([
      ['RPUSH', 'l', 'b', 'a', 'c'], ['MSET', 'w_a\x00x', '3', 'w_b\x00x', '1', 'w_c\x00x', '2', 'w\x00a', '1'],
      ['HSET', 'h_a', 'f\x00g', '1'], ['HSET', 'h_b', 'f\x00g', '3'], ['HSET', 'h_c', 'f\x00g', '2', 'f', '9'],
      ['SORT', 'l', 'BY', 'w_*\x00x'], ['SORT', 'l', 'BY', 'w\x00*'], ['SORT', 'l', 'BY', 'h_*->f\x00g'], ['SORT', 'l', 'BY', 'h_*\x00->f'],
      ['SORT', 'l', 'BY', 'w_*\x00x', 'GET', 'w_*\x00x', 'GET', 'h_*->f\x00g', 'GET', 'w\x00*', 'GET', '#\x00x', 'GET', '#x'],
      ['SORT', 'l', 'BY', 'h_*->\x00', 'GET', 'h_*->\x00'],
    ]));
  test('ALPHA with BY: a missing value sorts first, ties keep the list order (stable sort)', () =>
    check([
      ['RPUSH', 'l', 'e', 'c', 'a', 'd', 'b', 'f', 'g', 'h', 'i', 'j'], ['MSET', 'w_c', 'x', 'w_d', 'x', 'w_j', 'a', 'w_b', 'x\x00b', 'w_f', 'x\x00a'],
      ['SORT', 'l', 'BY', 'w_*', 'ALPHA'], ['SORT', 'l', 'BY', 'w_*', 'ALPHA', 'DESC'], ['SORT', 'l', 'BY', 'nokey_*', 'ALPHA'],
      ['SORT', 'l', 'BY', 'w_*', 'ALPHA', 'STORE', 'd'], lrange('d'), ['SORT', 'l', 'BY', 'w_*', 'ALPHA', 'DESC', 'STORE', 'd'], lrange('d'),
      ['SORT', 'l', 'BY', 'w_*', 'ALPHA', 'LIMIT', '0', '10'], ['SORT', 'l', 'BY', 'w_*', 'ALPHA', 'LIMIT', '0', '-1'],
    ]));
  test('numeric BY with errors in the weights', () =>
    check([
      ['RPUSH', 'l', 'a', 'b', 'c'], ['MSET', 'w_a', '1', 'w_b', 'x', 'w_c', ''], ['SORT', 'l', 'BY', 'w_*'], ['SORT', 'l', 'BY', 'w_*', 'ALPHA'],
      ['MSET', 'w_b', '2', 'w_c', 'nan'], ['SORT', 'l', 'BY', 'w_*'], ['SET', 'w_c', '1e999'], ['SORT', 'l', 'BY', 'w_*', 'LIMIT', '0', '1'],
      ['SET', 'w_c', '3'], ['SORT', 'l', 'BY', 'w_*'],
      // the elements themselves are not parsed when a BY pattern gives the weights
      ['RPUSH', 'm', 'not', 'numbers'], ['MSET', 'w_not', '2', 'w_numbers', '1'], ['SORT', 'm', 'BY', 'w_*'], ['SORT', 'm', 'BY', 'nosort'],
    ]));

  // BY with a LIMIT that cuts the result runs Valkey's partial quicksort: its order among ties is visible.
  const rnd = lcg(42);
  const sizes = [3, 6, 7, 8, 12, 40, 41, 60, 130];
  for (const n of sizes) {
    test(`partial quicksort tie order over ${n} elements (ALPHA with BY, LIMIT)`, () => {
      const elems = gen(n, (i) => `e${i}`);
      const weights = elems.flatMap((e) => (rnd() < 0.2 ? [] : [`w_${e}`, 'abc'[Math.floor(rnd() * 3)]!]));
      const limits: [string, string][] = [['0', '1'], ['1', '3'], ['0', String(n - 1)], [String(n >> 1), '2'], [String(n - 2), '5'], ['2', '100'], [String(n), '1'], ['0', '0']];
      return check([
        ['RPUSH', 'l', ...elems], ...(weights.length ? [['MSET', ...weights] as StepLike] : []),
        ...limits.flatMap(([o, c]): StepLike[] => [
          ['SORT', 'l', 'BY', 'w_*', 'ALPHA', 'LIMIT', o, c], ['SORT', 'l', 'BY', 'w_*', 'ALPHA', 'DESC', 'LIMIT', o, c],
          ['SORT', 'l', 'BY', 'w_*', 'LIMIT', o, c], ['SORT', 'l', 'BY', 'w_*', 'ALPHA', 'LIMIT', o, c, 'GET', 'w_*', 'GET', '#'],
        ]),
        ['SORT', 'l', 'BY', 'w_*', 'ALPHA', 'LIMIT', '1', '3', 'STORE', 'd'], lrange('d'),
      ]);
    });
  }
  test('partial quicksort with distinct and with all-equal weights', () => {
    const elems = gen(100, (i) => `e${(i * 37) % 100}`);
    return check([
      ['RPUSH', 'l', ...elems], ['MSET', ...elems.flatMap((e, i) => [`w_${e}`, String((i * 53) % 100)])],
      ['SORT', 'l', 'BY', 'w_*', 'LIMIT', '10', '5'], ['SORT', 'l', 'BY', 'w_*', 'ALPHA', 'LIMIT', '90', '50'],
      ['SORT', 'l', 'BY', 'nokey_*', 'ALPHA', 'LIMIT', '10', '5'], ['SORT', 'l', 'BY', 'nokey_*', 'ALPHA', 'LIMIT', '1', '99'],
      ['SORT', 'l', 'BY', 'nokey_*', 'ALPHA', 'DESC', 'LIMIT', '50', '1'], ['SORT', 'l', 'BY', 'nokey_*', 'LIMIT', '50', '10'],
    ]);
  });
});

// --- BY nosort ----------------------------------------------------------------------

describe('BY without "*" (no sorting)', () => {
  test('lists keep their order, DESC reverses it, ALPHA is ignored', () =>
    check([
      ['LPUSH', 'l', '2', '1', '4', '3', '5'], ['SORT', 'l', 'BY', 'nosort'], ['SORT', 'l', 'BY', 'nosort', 'DESC'], ['SORT', 'l', 'BY', 'nosort', 'ALPHA'],
      ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '1', '2'], ['SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2'], ['SORT_RO', 'l', 'BY', 'x:'],
      ['SORT', 'l', 'BY', '#'], ['SORT', 'l', 'BY', ''], ['SORT', 'l', 'BY', '#\x00*'],
      ['SORT', 'l', 'BY', 'nosort', 'STORE', 'd'], lrange('d'), ['SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '0', '3', 'STORE', 'd'], lrange('d'),
      ['RPUSH', 'x', 'a', 'b'], ['SORT', 'x', 'BY', 'nosort'], ['SORT', 'x'],
    ]));
  test('a quicklist, with LIMIT from both ends', () =>
    check([
      ['RPUSH', 'l', ...gen(500, (i) => `v${i}`)], ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '250', '3'], ['SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '250', '3'],
      ['SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '495', '10'], ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '0', '2', 'GET', '#', 'GET', 'k*'],
    ]));
  test('the last BY pattern is used, but a constant BY anywhere means no sorting', () =>
    check([['RPUSH', 'l', 'b', 'c', 'a'], ['MSET', 'w_a', '1', 'w_b', '2', 'w_c', '3'], ['SORT', 'l', 'BY', 'w_*', 'BY', 'nosort'], ['SORT', 'l', 'BY', 'nosort', 'BY', 'w_*'],
      ['SORT', 'l', 'BY', 'nosort', 'BY', 'w_*', 'ALPHA', 'DESC'], ['SORT', 'l', 'BY', 'nosort', 'BY', 'w_*', 'GET', '#', 'GET', 'w_*'],
      ['SADD', 's', 'b', 'c', 'a'], ['SORT', 's', 'BY', 'nosort', 'BY', 'w_*'], ['SORT', 's', 'BY', 'nosort', 'BY', 'w_*', 'DESC', 'STORE', 'd'], lrange('d'),
      ['SORT', 's', 'BY', 'w_*', 'BY', 'nosort', 'LIMIT', '0', '2', 'STORE', 'd'], lrange('d'),
      ['ZADD', 'z', '1', 'c', '2', 'a', '3', 'b'], ['SORT', 'z', 'BY', 'nosort', 'BY', 'w_*', 'LIMIT', '1', '5'], ['SORT', 'z', 'BY', 'w_*', 'BY', 'nosort', 'DESC']]));
});

// --- GET ------------------------------------------------------------------------------

describe('GET', () => {
  test('#, string keys, hash fields, constants, missing values (nil)', () =>
    check([
      ['RPUSH', 'l', '3', '1', '2'], ['MSET', 'o_1', 'one', 'o_3', 'three'], ['HSET', 'h_1', 'f', 'x'], ['HSET', 'h_2', 'g', 'y'], ['RPUSH', 'o_2', 'list'],
      ['SORT', 'l', 'GET', '#'], ['SORT', 'l', 'GET', 'o_*'], ['SORT', 'l', 'GET', 'o_*', 'GET', '#', 'GET', 'h_*->f', 'GET', 'h_*->g'],
      ['SORT', 'l', 'GET', 'foo'], ['SET', 'foo', 'bar'], ['SORT', 'l', 'GET', 'foo'], ['SORT_RO', 'l', 'GET', 'foo', 'GET', '#'],
      ['SORT', 'l', 'DESC', 'GET', '#', 'GET', '#'], ['SORT', 'l', 'GET', 'h_*->f', 'STORE', 'd'], lrange('d'),
      ['SORT', 'l', 'GET', 'o_*', 'GET', 'nokey', 'STORE', 'd'], lrange('d'), ['LLEN', 'd'], ['SORT', 'l', 'get', '#', 'LIMIT', '1', '1'],
      ['SORT', 'nokey', 'GET', '#'], ['SORT', 'l', 'GET', '*'], ['SET', '2', 'two'], ['SORT', 'l', 'GET', '*'], ['SORT', 'l', 'GET', '#*'],
    ]));
  test('GET of a key that is the element itself', () =>
    check([['RPUSH', 'l', 'l', 'x'], ['SET', 'x', 'xv'], ['SORT', 'l', 'ALPHA', 'GET', '*', 'GET', '#'], ['SORT', 'l', 'ALPHA', 'GET', '*', 'STORE', 'x'], lrange('x')]));
});

// --- STORE ------------------------------------------------------------------------------

describe('STORE', () => {
  test('the stored list, its encoding, the destination replaced (type and TTL)', () =>
    check([
      ['RPUSH', 'l', '3', '1', '2'], ['SET', 'd', 'str', 'EX', '100'], ['SORT', 'l', 'STORE', 'd'], lrange('d'), ['TTL', 'd'], ['TYPE', 'd'], enc('d'),
      ['SORT', 'l', 'DESC', 'store', 'd'], lrange('d'), ['SORT', 'l', 'STORE', 'l'], lrange('l'), ['SORT', 'l', 'STORE', 'a', 'STORE', 'b'],
      ['EXISTS', 'a'], lrange('b'), ['ZADD', 'z', '1', 'x'], ['SORT', 'l', 'STORE', 'z'], ['TYPE', 'z'],
    ]));
  test('an empty result deletes the destination, or creates nothing', () =>
    check([
      ['RPUSH', 'l', 'x'], ['SET', 'd', 'v'], ['SORT', 'nokey', 'STORE', 'd'], ['EXISTS', 'd'], ['SORT', 'nokey', 'STORE', 'd'], ['EXISTS', 'd'],
      ['SORT', 'l', 'ALPHA', 'LIMIT', '10', '10', 'STORE', 'd'], ['EXISTS', 'd'], ['SET', 'd', 'v'], ['SORT', 'l', 'LIMIT', '0', '0', 'STORE', 'd'], ['EXISTS', 'd'],
      ['SET', 'd', 'v'], ['SORT', 'l', 'LIMIT', '0', '0', 'GET', '#', 'STORE', 'd'], ['EXISTS', 'd'],
    ]));
  test('listpack / quicklist by length and element size', () =>
    check([
      ['RPUSH', 'l', ...gen(200, (i) => String(i))], ['SORT', 'l', 'STORE', 'd'], enc('d'), ['LLEN', 'd'],
      ['SORT', 'l', 'LIMIT', '0', '128', 'STORE', 'd'], enc('d'), ['SORT', 'l', 'LIMIT', '0', '129', 'STORE', 'd'], enc('d'),
      ['SORT', 'l', 'LIMIT', '0', '20', 'GET', '#', 'GET', '#', 'STORE', 'd'], enc('d'), ['LLEN', 'd'],
      ['RPUSH', 'big', 'a'.repeat(5000), 'b'.repeat(5000)], ['SORT', 'big', 'ALPHA', 'STORE', 'd'], enc('d'),
      ['SORT', 'big', 'ALPHA', 'LIMIT', '0', '1', 'STORE', 'd'], enc('d'), ['RPUSH', 'huge', 'x'.repeat(9000)], ['SORT', 'huge', 'ALPHA', 'STORE', 'd'], enc('d'),
      ['RPUSH', 'm', ...gen(60, () => 'y'.repeat(100))], ['SORT', 'm', 'ALPHA', 'STORE', 'd'], enc('d'), ['SORT', 'm', 'ALPHA', 'LIMIT', '0', '40', 'STORE', 'd'], enc('d'),
    ]));
  test('under other list-max-listpack-size settings', async () => {
    const sizes = ['-1', '-5', '1', '2', '5', '0'];
    try {
      await check(sizes.flatMap((s): StepLike[] => [
        ['CONFIG', 'SET', 'list-max-listpack-size', s], ['DEL', 'l', 'd'], ['RPUSH', 'l', ...gen(6, (i) => 'v'.repeat(i * 700))],
        ['SORT', 'l', 'ALPHA', 'STORE', 'd'], enc('d'), ['SORT', 'l', 'ALPHA', 'LIMIT', '0', '2', 'STORE', 'd'], enc('d'),
        ['SORT', 'l', 'ALPHA', 'LIMIT', '0', '1', 'STORE', 'd'], enc('d'), ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '0', '3', 'STORE', 'd'], enc('d'),
        ['RPUSH', 's', '1', '2', '3'], ['SORT', 's', 'STORE', 'd'], enc('d'),
      ]));
    } finally {
      await d.check([ignore('CONFIG', 'SET', 'list-max-listpack-size', '-2')], { noFlush: true, resp: [2] });
    }
  });
  test('an expired destination', () =>
    check([
      ['RPUSH', 'l', '1'], ['SET', 'd', 'v', 'PX', '1'], ['SET', 'e', 'v', 'PX', '1'], sleep(20, 'PING'), ['SORT', 'l', 'STORE', 'd'], lrange('d'), ['TTL', 'd'],
      ['SORT', 'nokey', 'STORE', 'e'], ['EXISTS', 'e'],
    ]));
  test('wakes a client blocked on the destination', async () => {
    if (!d.available) return;
    const run = async (which: 'oracle' | 'mock') => {
      const a = await d.connect(which);
      const b = await d.connect(which);
      try {
        await a.send(['FLUSHALL']);
        await a.send(['RPUSH', 'src', 'b', 'a', 'c']);
        const blocked = a.send(['BLPOP', 'dst', '5']);
        await new Promise((r) => setTimeout(r, 50));
        const stored = await b.send(['SORT', 'src', 'ALPHA', 'STORE', 'dst']);
        return [stored.raw, (await blocked).raw, (await b.send(['LRANGE', 'dst', '0', '-1'])).raw];
      } finally {
        a.close();
        b.close();
      }
    };
    expect(await run('mock')).toEqual(await run('oracle'));
  });
  test('write counts (rdb_changes_since_last_save) and keyspace hits/misses', async () => {
    if (!d.available) return;
    const info = async (c: RawClient): Promise<number[]> => {
      const r = (await c.send(['INFO'])).raw;
      return ['rdb_changes_since_last_save', 'keyspace_hits', 'keyspace_misses'].map((f) => Number(new RegExp(`${f}:(\\d+)`).exec(r)![1]));
    };
    const script: Arg[][] = [
      ['RPUSH', 'l', '3', '1', '2'], ['SORT', 'l'], ['SORT', 'l', 'STORE', 'd'], ['SORT', 'l', 'GET', '#', 'GET', 'x_*', 'STORE', 'd'],
      ['SORT', 'l', 'LIMIT', '0', '0', 'STORE', 'd'], ['SORT', 'l', 'LIMIT', '0', '0', 'STORE', 'd'], ['SORT', 'nokey', 'STORE', 'd'],
      ['SET', 'w_1', '5'], ['SORT', 'l', 'BY', 'w_*'], ['SORT', 'l', 'BY', 'w_*', 'GET', 'w_*', 'GET', 'foo', 'GET', '#'], ['SORT', 'l', 'BY', 'nosort', 'GET', 'w_*'],
      ['SORT', 'l', 'BY', 'nosort', 'STORE', 'd'], ['SORT_RO', 'l', 'BY', 'w_*->f'], ['SET', 'x', 'y'], ['SORT', 'x'], ['SORT', 'l', 'foo'],
      ['RPUSH', 'e', 'a'], ['SORT', 'e'], ['SORT', 'e', 'BY', 'w_*', 'STORE', 'd'],
      ['SET', 'w_2', '1', 'PX', '1'], ['PING'], ['SORT', 'l', 'BY', 'w_*'],
    ];
    const deltas: Record<string, number[][]> = { oracle: [], mock: [] };
    for (const which of ['oracle', 'mock'] as const) {
      const c = await d.connect(which);
      await c.send(['FLUSHALL']);
      for (const cmd of script) {
        const before = await info(c);
        await c.send(cmd);
        if (cmd[0] === 'PING') await new Promise((r) => setTimeout(r, 20));
        const after = await info(c);
        deltas[which]!.push(after.map((v, i) => v - before[i]!));
      }
      c.close();
    }
    expect(deltas['mock']).toEqual(deltas['oracle']);
  });
  test('WATCH sees the destination change; MULTI/EXEC', () =>
    check([
      ['RPUSH', 'l', '2', '1'], ['WATCH', 'd'], ['SORT', 'l', 'STORE', 'd'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'd'], ['SORT', 'nokey', 'STORE', 'nothere'], ['MULTI'], ['SORT', 'l'], ['SORT', 'l', 'STORE', 'd'], ['SORT_RO', 'l', 'DESC'], ['SORT', 'l', 'LIMIT', 'x', '1'], ['EXEC'],
      ['MULTI'], ['SORT_RO', 'l', 'STORE', 'd'], ['EXEC'],
    ]));
});

// --- errors -------------------------------------------------------------------------------

describe('errors', () => {
  test('WRONGTYPE, syntax errors, and which comes first', () =>
    check([
      ['SET', 's', 'x'], ['HSET', 'h', 'f', 'v'], ['RPUSH', 'l', '1'],
      ['SORT', 's'], ['SORT', 'h'], ['SORT_RO', 's'], ['SORT', 's', 'BY', 'nosort'], ['SORT', 'h', 'STORE', 'd'], ['EXISTS', 'd'],
      ['SORT', 's', 'LIMIT', 'a', 'b'], ['SORT', 's', 'foo'], ['SORT', 's', 'BY'], ['SORT', 's', 'GET'], ['SORT', 's', 'STORE'],
      ['SORT', 'l', 'BY'], ['SORT', 'l', 'GET'], ['SORT', 'l', 'STORE'], ['SORT', 'l', 'ALPHA', 'foo'], ['SORT', 'l', 'ASC', 'DESC', 'bar', 'ALPHA'],
      ['SORT', 'l', 'LIMIT', '0', '1', 'x'], ['SORT', 'l', 'GET', '#', 'BY'], ['SORT', 'l', 'LIMIT', 'x', '1', 'foo'], ['SORT', 'l', 'foo', 'LIMIT', 'x', '1'],
      ['SORT'], ['SORT_RO'], ['sort_ro'],
    ]));
  test('SORT_RO refuses STORE', () =>
    check([['RPUSH', 'l', '1'], ['SORT_RO', 'l', 'STORE', 'd'], ['SORT_RO', 'foolist', 'STORE', 'bar'], ['SORT_RO', 'l', 'store'], ['SORT_RO', 'l', 'GET', '#', 'STORE', 'd'], ['EXISTS', 'd']]));
  test('option words are matched case-insensitively, up to a NUL byte', () =>
    check([
      ['RPUSH', 'l', '2', '10', '1'], ['SORT', 'l', 'Alpha'], ['SORT', 'l', 'alpha\x00x'], ['SORT', 'l', 'desc\x00'], ['SORT', 'l', 'LiMiT', '0', '1'],
      ['SORT', 'l', 'limit\x00z', '0', '1'], ['SORT', 'l', 'by\x00', 'nosort', 'DESC'], ['SORT', 'l', 'get\x00', '#'], ['SORT', 'l', 'store\x00', 'd'], lrange('d'),
      ['SORT', 'l', 'alph'], ['SORT', 'l', 'alphaa'], ['SORT', 'l', '\x00alpha'],
    ]));
});

// --- sets ---------------------------------------------------------------------------------------

describe('sets', () => {
  test('intset: sorted, and BY nosort in the intset order', () =>
    check([
      ['SADD', 's', '5', '-3', '100', '0', '7', '12'], enc('s'), ['SORT', 's'], ['SORT', 's', 'DESC'], ['SORT', 's', 'ALPHA'], ['SORT', 's', 'BY', 'nosort'],
      ['SORT', 's', 'BY', 'nosort', 'DESC'], ['SORT', 's', 'BY', 'nosort', 'LIMIT', '1', '3'], ['SORT', 's', 'BY', 'nosort', 'GET', '#', 'GET', 'w_*'],
      ['SORT', 's', 'BY', 'nosort', 'STORE', 'd'], lrange('d'), ['SORT', 's', 'BY', 'nosort', 'DESC', 'LIMIT', '0', '4', 'STORE', 'd'], lrange('d'),
      ['MSET', 'w_5', '1', 'w_100', '2'], ['SORT', 's', 'BY', 'w_*'], ['SORT', 's', 'BY', 'w_*', 'LIMIT', '0', '3'], ['SORT', 's', 'BY', 'w_*', 'ALPHA', 'LIMIT', '2', '2'],
      enc('s'),
    ]));
  test('listpack: BY nosort in insertion order; STORE sorts ALPHA (bytes)', () =>
    check([
      ['SADD', 's', 'b', 'c', 'a', '10', '9', 'a\x00b', 'a\x00a', ''], enc('s'), ['SORT', 's', 'ALPHA'], ['SORT', 's', 'ALPHA', 'DESC', 'LIMIT', '1', '4'],
      ['SORT', 's', 'BY', 'nosort'], ['SORT', 's', 'BY', 'nosort', 'DESC'], ['SORT', 's', 'BY', 'nosort', 'LIMIT', '2', '3'], ['SORT', 's'],
      ['SORT', 's', 'BY', 'nosort', 'STORE', 'd'], lrange('d'), ['SORT', 's', 'BY', 'nosort', 'DESC', 'STORE', 'd'], lrange('d'),
      ['SORT', 's', 'BY', 'nosort', 'LIMIT', '2', '3', 'GET', '#', 'GET', 'nokey', 'STORE', 'd'], lrange('d'),
      ['SREM', 's', 'c'], ['SADD', 's', 'c'], ['SORT_RO', 's', 'BY', 'nosort'],
      ['MSET', 'w_b', '3', 'w_c', '1', 'w_a', '2'], ['SORT', 's', 'BY', 'w_*', 'LIMIT', '0', '4'], ['SORT', 's', 'BY', 'w_*', 'ALPHA'], ['SORT', 's', 'BY', 'w_*', 'ALPHA', 'LIMIT', '1', '3'],
    ]));
  const many = gen(300, (i) => `m${(i * 131) % 300}`);
  test('hashtable: sorted replies exact, BY nosort unordered, BY nosort + STORE sorted', () =>
    check([
      ['SADD', 's', ...many], enc('s'), ['SORT', 's', 'ALPHA'], ['SORT', 's', 'ALPHA', 'DESC', 'LIMIT', '10', '20'], unordered('SORT', 's', 'BY', 'nosort'),
      unordered('SORT', 's', 'BY', 'nosort', 'LIMIT', '0', '1000'), ['SORT', 's', 'BY', 'nosort', 'STORE', 'd'], lrange('d'), enc('d'),
      ['SORT', 's', 'BY', 'nosort', 'DESC', 'LIMIT', '5', '10', 'STORE', 'd'], lrange('d'), ['LLEN', 'd'],
      ['MSET', ...many.flatMap((m, i) => [`w_${m}`, String((i * 7) % 300)])], ['SORT', 's', 'BY', 'w_*'], ['SORT', 's', 'BY', 'w_*', 'LIMIT', '100', '10'],
      ['SORT', 's', 'BY', 'w_*', 'DESC', 'LIMIT', '0', '5', 'GET', 'w_*', 'GET', '#'], ['SORT', 's', 'BY', 'w_*', 'ALPHA', 'LIMIT', '3', '4'],
    ]));
  test('hashtable of integers (numeric sort)', () =>
    check([['SADD', 's', ...gen(600, (i) => String((i * 7919) % 1000 - 500))], enc('s'), ['SORT', 's'], ['SORT', 's', 'DESC', 'LIMIT', '0', '10'], ['SORT', 's', 'BY', 'nosort', 'STORE', 'd'], lrange('d')]));
});

// --- sorted sets ------------------------------------------------------------------------------------

describe('sorted sets', () => {
  const zdata: StepLike[] = [['ZADD', 'z', '1', 'a', '5', 'b', '2', 'c', '10', 'd', '3', 'e', '-inf', 'min', '+inf', 'max', '3', 'aa']];
  test('SORT converts a listpack sorted set to a skiplist, even SORT_RO, even BY nosort', () =>
    check([
      ...zdata, enc('z'), ['SORT_RO', 'z', 'ALPHA'], enc('z'), ['ZADD', 'y', '1', 'x'], enc('y'), ['SORT', 'y', 'BY', 'nosort', 'LIMIT', '5', '5'], enc('y'),
      ['ZADD', 'w', '1', 'x'], ['SORT', 'w'], enc('w'), ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZADD', 'v', '-0', 'x'], ['SORT', 'v', 'ALPHA'], ['ZSCORE', 'v', 'x'],
    ]));
  test('ALPHA and numeric order of the members', () =>
    check([
      ...zdata, ['SORT', 'z', 'ALPHA'], ['SORT', 'z', 'ALPHA', 'DESC'], ['SORT', 'z'], ['ZADD', 'n', '1', '10', '2', '9', '3', '-1', '4', '1.5'],
      ['SORT', 'n'], ['SORT', 'n', 'DESC', 'LIMIT', '1', '2'], ['SORT', 'n', 'ALPHA', 'STORE', 'd'], lrange('d'),
    ]));
  const offsets = ['-1', '0', '1', '3', '7', '8', '100'];
  const counts = ['-1', '0', '1', '2', '7', '8', '100'];
  test('BY nosort: the sorted set order (reversed by DESC), LIMIT from either end', () =>
    check([
      ...zdata,
      ...offsets.flatMap((o) => counts.flatMap((c): StepLike[] => [['SORT', 'z', 'BY', 'nosort', 'LIMIT', o, c], ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', o, c]])),
      ['SORT', 'z', 'BY', 'nosort'], ['SORT', 'z', 'BY', 'nosort', 'DESC'], ['SORT', 'z', 'BY', 'nosort', 'DESC', 'STORE', 'd'], lrange('d'),
      ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '2', '3', 'GET', '#', 'GET', 'w_*'],
    ]));
  test('a big sorted set (skiplist), BY weights and nosort', () => {
    const members = gen(200, (i) => `m${i}`);
    return check([
      ['ZADD', 'z', ...members.flatMap((m, i) => [String((i * 37) % 200), m])], enc('z'),
      ['MSET', ...members.flatMap((m, i) => [`w_${m}`, String((i * 91) % 200)])],
      ['SORT', 'z', 'BY', 'w_*'], ['SORT', 'z', 'BY', 'w_*', 'LIMIT', '50', '7'], ['SORT', 'z', 'BY', 'w_*', 'DESC', 'LIMIT', '0', '5', 'GET', '#', 'GET', 'w_*'],
      ['SORT', 'z', 'BY', 'w_*', 'ALPHA', 'LIMIT', '10', '10'], ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '100', '5'], ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '100', '5'],
      ['SORT', 'z', 'ALPHA', 'LIMIT', '150', '100'], ['SORT', 'z', 'BY', 'nosort', 'STORE', 'd'], ['LRANGE', 'd', '0', '9'], ['LLEN', 'd'],
    ]);
  });
});

// --- expiry -----------------------------------------------------------------------------------------

describe('expiry of the keys the patterns name', () => {
  test('expired BY and GET keys are missing; expired hash fields are invisible', () =>
    check([
      ['RPUSH', 'l', 'a', 'b', 'c'], ['SET', 'w_a', '3', 'PX', '1'], ['SET', 'w_b', '2'], ['SET', 'w_c', '1', 'PX', '100000'],
      ['HSET', 'h_a', 'f', '1', 'g', 'x'], ['HSET', 'h_b', 'f', '2'], ['HSET', 'h_c', 'f', '3'], ['HPEXPIRE', 'h_c', '1', 'FIELDS', '1', 'f'], ['HPEXPIRE', 'h_b', '1', 'FIELDS', '1', 'f'],
      sleep(20, 'PING'),
      ['SORT', 'l', 'BY', 'w_*'], ['SORT', 'l', 'BY', 'w_*', 'GET', 'w_*'], ['EXISTS', 'w_a'], ['SORT', 'l', 'BY', 'h_*->f', 'GET', 'h_*->f', 'GET', '#'],
      ['SORT', 'l', 'BY', 'h_*->f', 'DESC', 'STORE', 'd'], lrange('d'), ['SORT', 'l', 'GET', 'h_*->f', 'ALPHA', 'STORE', 'd'], lrange('d'),
      ['HLEN', 'h_a'],
    ]));
  test('an expired key to sort is missing', () =>
    check([['RPUSH', 'l', '1', '2'], ['PEXPIRE', 'l', '1'], sleep(20, 'PING'), ['SORT', 'l'], ['SORT', 'l', 'STORE', 'd'], ['EXISTS', 'd']]));
});

// --- property -----------------------------------------------------------------------------------------

describe('property: random SORT invocations on small random data sets', () => {
  const ELEMS = ['1', '2', '3', '10', '-1', '1.5', '01', 'a', 'b', 'B', 'ab', '', 'x\x00y', 'inf', '3e2', '\xff'];
  const WEIGHTS = ['1', '2', '2', '-1', '0.5', 'a', 'b', 'b', '', '1e400', 'x\x00z', '10'];
  const elem = fc.constantFrom(...ELEMS);
  const data = fc.record({
    list: fc.array(elem, { maxLength: 10 }),
    set: fc.uniqueArray(elem, { maxLength: 9 }),
    zset: fc.uniqueArray(fc.tuple(elem, fc.integer({ min: -3, max: 3 })), { maxLength: 9, selector: ([m]) => m }),
    weights: fc.array(fc.tuple(elem, fc.constantFrom(...WEIGHTS)), { maxLength: 12 }),
    hashes: fc.array(fc.tuple(elem, fc.constantFrom(...WEIGHTS)), { maxLength: 12 }),
    dst: fc.constantFrom('none', 'string', 'list'),
  });
  const limitVal = fc.constantFrom('-1', '0', '1', '2', '3', '5', '20', '-5');
  const invocation = fc.record({
    cmd: fc.constantFrom('SORT', 'SORT', 'SORT_RO'),
    key: fc.constantFrom('l', 'l', 's', 'z', 'nokey', 'str'),
    by: fc.option(fc.constantFrom('w_*', 'h_*->f', 'nosort', 'w_*', 'h_*->g'), { nil: undefined }),
    limit: fc.option(fc.tuple(limitVal, limitVal), { nil: undefined }),
    gets: fc.array(fc.constantFrom('#', 'w_*', 'h_*->f', 'const'), { maxLength: 3 }),
    desc: fc.option(fc.constantFrom('ASC', 'DESC'), { nil: undefined }),
    alpha: fc.boolean(),
    store: fc.boolean(),
  });

  test('replies and stored lists are identical', async () => {
    if (!d.available) return;
    const runs = Number(process.env['SORT_RUNS'] ?? 150);
    let compared = 0;
    await fc.assert(fc.asyncProperty(data, fc.array(invocation, { minLength: 1, maxLength: 8 }), fc.constantFrom(2 as const, 3 as const), async (ds, invs, resp) => {
      const [o, m] = await Promise.all([d.connect('oracle', resp), d.connect('mock', resp)]);
      try {
        const both = async (c: Arg[]) => Promise.all([o.send(c), m.send(c)]);
        await both(['FLUSHALL']);
        if (ds.list.length) await both(['RPUSH', 'l', ...ds.list]);
        if (ds.set.length) await both(['SADD', 's', ...ds.set]);
        if (ds.zset.length) await both(['ZADD', 'z', ...ds.zset.flatMap(([mm, sc]) => [String(sc), mm])]);
        for (const [e, w] of ds.weights) await both(['SET', `w_${e}`, w]);
        for (const [e, w] of ds.hashes) await both(['HSET', `h_${e}`, 'f', w]);
        await both(['SET', 'str', 'v']);
        if (ds.dst === 'string') await both(['SET', 'dst', 'old']);
        if (ds.dst === 'list') await both(['RPUSH', 'dst', 'old']);
        const log: string[] = [];
        for (const inv of invs) {
          // A sorted set loads its members in dictionary order: ties under ALPHA with BY would show it.
          if (inv.key === 'z' && inv.alpha && inv.by !== undefined && inv.by !== 'nosort') continue;
          const c: Arg[] = [inv.cmd, inv.key];
          if (inv.by !== undefined) c.push('BY', inv.by);
          if (inv.limit !== undefined) c.push('LIMIT', ...inv.limit);
          for (const g of inv.gets) c.push('GET', g);
          if (inv.desc !== undefined) c.push(inv.desc);
          if (inv.alpha) c.push('ALPHA');
          if (inv.store) c.push('STORE', 'dst');
          const [ro, rm] = await both(c);
          compared++;
          log.push(`${c.map((a) => JSON.stringify(a)).join(' ')} -> ${JSON.stringify(ro.raw)}`);
          expect(rm.raw, log.join('\n')).toBe(ro.raw);
          const [lo, lm] = await both(['LRANGE', 'dst', '0', '-1']);
          expect(lm.raw, `${log.join('\n')}\n  LRANGE dst`).toBe(lo.raw);
          const [eo, em] = await both(['OBJECT', 'ENCODING', 'dst']);
          expect(em.raw, `${log.join('\n')}\n  OBJECT ENCODING dst`).toBe(eo.raw);
        }
      } finally {
        o.close();
        m.close();
      }
    }), { numRuns: runs });
    expect(compared).toBeGreaterThan(runs);
  }, 300_000);
});
