/**
 * Differential tests of the string group against a real Valkey 9.1.2: every
 * command with its options and error paths, OBJECT ENCODING after each kind of
 * write, TTL effects, and fast-check properties (GETRANGE indexes,
 * INCRBYFLOAT's long double arithmetic, SET option combinations).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { approx, useDifferential, type StepLike } from './harness.js';

const d = useDifferential();
const check = (steps: readonly StepLike[]) => d.check(steps);
const enc = (k: string): StepLike => ['OBJECT', 'ENCODING', k];
const a = (n: number, c = 'a') => c.repeat(n);

describe('GET / SET', () => {
  test('plain values, binary, empty, overwrite of other types', () => check([
    ['SET', 'k', 'v'], ['GET', 'k'], ['GET', 'nokey'], ['SET', 'k', ''], ['GET', 'k'], ['STRLEN', 'k'],
    ['SET', 'bin', '\x00\xff\r\n\x80'], ['GET', 'bin'], ['STRLEN', 'bin'],
    ['SET', 'k', 'v', 'extra'], ['GET', 'k'],
  ]));

  test('NX / XX', () => check([
    ['SET', 'k', 'v', 'NX'], ['SET', 'k', 'w', 'NX'], ['GET', 'k'], ['SET', 'k2', 'v', 'XX'], ['EXISTS', 'k2'],
    ['SET', 'k', 'w', 'XX'], ['GET', 'k'], ['SET', 'k', 'v', 'nx', 'xx'], ['SET', 'k', 'v', 'XX', 'NX'],
    ['SET', 'k', 'v', 'NX', 'NX'], ['SET', 'k3', 'v', 'xx', 'xx'], ['SET', 'k', 'v', 'nx\x00junk'],
  ]));

  test('GET option', () => check([
    ['SET', 'k', 'v1', 'GET'], ['SET', 'k', 'v2', 'GET'], ['GET', 'k'], ['SET', 'k', 'v3', 'GET', 'NX'], ['GET', 'k'],
    ['SET', 'k', 'v4', 'XX', 'GET'], ['SET', 'nokey', 'v', 'XX', 'GET'], ['EXISTS', 'nokey'],
    ['SET', 'k', 'v5', 'GET', 'GET'], ['GET', 'k'],
    ['SET', 'k', 'v6', 'GET', 'EX', '100'], approx(1, 'TTL', 'k'),
  ]));

  test('GET option against other types and errors before it', () => check([
    ['EXPIRE', 'nokey', '10'], ['SET', 'k', 'v', 'GET', 'EX', 'abc'], ['SET', 'k', 'v', 'GET', 'EX', '0'],
  ]));

  test('IFEQ', () => check([
    ['SET', 'k', 'v', 'IFEQ', 'v'], ['EXISTS', 'k'], ['SET', 'k', 'v'], ['SET', 'k', 'w', 'IFEQ', 'x'], ['GET', 'k'],
    ['SET', 'k', 'w', 'IFEQ', 'v'], ['GET', 'k'], ['SET', 'k', 'z', 'IFEQ', 'w', 'GET'], ['GET', 'k'],
    ['SET', 'k', 'q', 'IFEQ', 'nope', 'GET'], ['GET', 'k'], ['SET', 'nokey', 'q', 'IFEQ', 'x', 'GET'],
    ['SET', 'k', 'v', 'IFEQ'], ['SET', 'k', 'v', 'IFEQ', 'z', 'NX'], ['SET', 'k', 'v', 'NX', 'IFEQ', 'z'],
    ['SET', 'k', 'v', 'XX', 'IFEQ', 'z'], ['SET', 'k', 'v', 'IFEQ', 'a', 'IFEQ', 'b'],
    ['SET', 'k', '12', 'IFEQ', 'z'], ['SET', 'k', '12'], ['SET', 'k', 'r', 'IFEQ', '12', 'EX', '50'], approx(1, 'TTL', 'k'),
    ['SET', 'k', 'r2', 'IFEQ', 'r', 'KEEPTTL'], approx(1, 'TTL', 'k'), ['GET', 'k'],
  ]));

  test('expire options', () => check([
    ['SET', 'k', 'v', 'EX', '100'], approx(1, 'TTL', 'k'), ['SET', 'k', 'v', 'PX', '100000'], approx(1000, 'PTTL', 'k'),
    ['SET', 'k', 'v', 'EXAT', '4102444800'], ['EXPIRETIME', 'k'], ['SET', 'k', 'v', 'PXAT', '4102444800123'], ['PEXPIRETIME', 'k'],
    ['SET', 'k', 'v2', 'KEEPTTL'], ['PEXPIRETIME', 'k'], ['SET', 'k', 'v3'], ['TTL', 'k'],
    ['SET', 'k', 'v', 'ex', '10', 'px', '10'], ['SET', 'k', 'v', 'EX', '10', 'EX', '10'], ['SET', 'k', 'v', 'EX', '10', 'KEEPTTL'],
    ['SET', 'k', 'v', 'KEEPTTL', 'EX', '10'], ['SET', 'k', 'v', 'KEEPTTL', 'KEEPTTL'], ['SET', 'k', 'v', 'EX'], ['SET', 'k', 'v', 'PXAT'],
    ['SET', 'k', 'v', 'PERSIST'], ['SET', 'k', 'v', 'EXAT', '10', 'PXAT', '10'], ['SET', 'k', 'v', 'EX', '5', 'PXAT', '10'],
  ]));

  test('invalid expire times', () => check([
    ['SET', 'k', 'v', 'EX', '0'], ['SET', 'k', 'v', 'EX', '-1'], ['SET', 'k', 'v', 'PX', '0'], ['SET', 'k', 'v', 'EXAT', '0'],
    ['SET', 'k', 'v', 'PXAT', '-5'], ['SET', 'k', 'v', 'EX', 'abc'], ['SET', 'k', 'v', 'EX', '1.5'], ['SET', 'k', 'v', 'EX', ' 1'],
    ['SET', 'k', 'v', 'EX', '9223372036854775'], ['SET', 'k', 'v', 'EX', '9223372036854776'],
    ['SET', 'k', 'v', 'EXAT', '9223372036854776'], ['SET', 'k', 'v', 'PX', '9223372036854775807'],
    ['SET', 'k', 'v', 'PX', '9223372036854775808'], ['SET', 'k', 'v', 'EX', '9223372036854775807'],
    ['EXISTS', 'k'], ['SET', 'k', 'v', 'PXAT', '9223372036854775807'], ['GET', 'k'],
  ]));

  test('times in the past delete the key', () => check([
    ['SET', 'k', 'v'], ['SET', 'k', 'w', 'EXAT', '1'], ['EXISTS', 'k'], ['SET', 'k', 'w', 'PXAT', '1000'], ['EXISTS', 'k'],
    ['SET', 'k', 'v'], ['SET', 'k', 'w', 'PXAT', '1', 'GET'], ['EXISTS', 'k'],
    ['SET', 'k', 'v'], ['SET', 'k', 'w', 'EXAT', '1', 'NX'], ['GET', 'k'], ['SET', 'k', 'w', 'EXAT', '1', 'XX'], ['GET', 'k'],
  ]));


  test('arity', () => check([['SET'], ['SET', 'k'], ['GET'], ['GET', 'a', 'b']]));

  test('property: random option lists of SET, GETEX and MSETEX', async () => {
    if (!d.available) return;
    const num = fc.constantFrom('0', '-1', '1', '100', '4102444800', '9223372036854775807', 'x', '1.5');
    // Relative milliseconds stay far from "expires before the next command" (PX 1 would race the real clock).
    const ms = fc.constantFrom('0', '-1', '100000', '4102444800', '9223372036854775807', 'x', '1.5');
    const opt = fc.oneof(
      fc.constantFrom(['NX'], ['XX'], ['GET'], ['KEEPTTL'], ['PERSIST'], ['nx'], ['Get'], ['FOO'], ['EX']),
      fc.tuple(fc.constantFrom('IFEQ', 'ifeq'), fc.constantFrom('v', 'w')).map((t) => [...t]),
      fc.tuple(fc.constantFrom('EX', 'EXAT', 'PXAT', 'ex', 'pXaT'), num).map((t) => [...t]),
      fc.tuple(fc.constantFrom('PX', 'px'), ms).map((t) => [...t]),
    );
    const opts = fc.array(opt, { maxLength: 4 }).map((xs) => xs.flat());
    const state = fc.constantFrom<StepLike[]>([], [['SET', 'k', 'v']], [['SET', 'k', 'v', 'EX', '50']], [['SET', 'k', '12']]);
    await fc.assert(fc.asyncProperty(state, opts, opts, opts, async (init, o1, o2, o3) => {
      const problems = await d.diff([
        ...init, ['SET', 'k', 'w', ...o1], ['GET', 'k'], approx(1, 'TTL', 'k'),
        ['GETEX', 'k', ...o2], approx(1, 'TTL', 'k'),
        ['MSETEX', '2', 'k', 'z', 'j', 'y', ...o3], ['MGET', 'k', 'j'], approx(1, 'TTL', 'j'),
      ], { resp: [2] });
      expect(problems, problems.join('\n')).toEqual([]);
    }), { numRuns: Number(process.env['OPT_RUNS'] ?? 120) });
  }, 120_000);
});

describe('SETNX / SETEX / PSETEX / GETSET / GETDEL / GETEX', () => {
  test('SETNX', () => check([
    ['SETNX', 'k', 'v'], ['SETNX', 'k', 'w'], ['GET', 'k'], enc('k'),
    ['SETNX', 'n', '42'], enc('n'),
  ]));

  test('SETEX / PSETEX', () => check([
    ['SETEX', 'k', '100', 'v'], approx(1, 'TTL', 'k'), ['GET', 'k'], ['PSETEX', 'k', '100000', 'w'], approx(1000, 'PTTL', 'k'),
    ['SETEX', 'k', '0', 'v'], ['SETEX', 'k', '-10', 'v'], ['PSETEX', 'k', '0', 'v'], ['SETEX', 'k', 'x', 'v'],
    ['SETEX', 'k', '9223372036854776', 'v'], ['PSETEX', 'k', '9223372036854775807', 'v'], ['GET', 'k'],
    ['SETEX', 'n', '100', '7'], enc('n'),
  ]));

  test('GETSET', () => check([
    ['GETSET', 'k', 'v'], ['GETSET', 'k', 'w'], ['GET', 'k'], ['SET', 'k', 'v', 'EX', '100'], ['GETSET', 'k', '1'],
    ['TTL', 'k'], enc('k'),
  ]));

  test('GETDEL', () => check([
    ['SET', 'k', 'v'], ['GETDEL', 'k'], ['EXISTS', 'k'], ['GETDEL', 'k'],
  ]));

  test('GETEX', () => check([
    ['SET', 'k', 'v'], ['GETEX', 'k'], ['TTL', 'k'], ['GETEX', 'k', 'EX', '100'], approx(1, 'TTL', 'k'),
    ['GETEX', 'k', 'PX', '50000'], approx(1000, 'PTTL', 'k'), ['GETEX', 'k', 'EXAT', '4102444800'], ['EXPIRETIME', 'k'],
    ['GETEX', 'k', 'PXAT', '4102444800500'], ['PEXPIRETIME', 'k'], ['GETEX', 'k', 'PERSIST'], ['TTL', 'k'],
    ['GETEX', 'k', 'PERSIST'], ['GETEX', 'nokey', 'EX', '10'], ['GETEX', 'nokey', 'PERSIST'],
    ['GETEX', 'k', 'EX', '0'], ['GETEX', 'k', 'EX', '-1'], ['GETEX', 'k', 'EX', 'x'], ['GETEX', 'k', 'EX'],
    ['GETEX', 'k', 'EX', '10', 'PX', '10'], ['GETEX', 'k', 'PERSIST', 'EX', '10'], ['GETEX', 'k', 'EX', '10', 'PERSIST'],
    ['GETEX', 'k', 'KEEPTTL'], ['GETEX', 'k', 'NX'], ['GETEX', 'k', 'GET'], ['GETEX', 'k', 'PERSIST', 'PERSIST'],
    ['GETEX', 'k', 'EX', '9223372036854776'], ['GETEX', 'nokey', 'EX', 'bad'],
    ['GETEX', 'k', 'EXAT', '1'], ['EXISTS', 'k'], ['SET', 'k', 'v'], ['GETEX', 'k', 'PXAT', '1'], ['EXISTS', 'k'],
  ]));
});

describe('MGET / MSET / MSETNX / MSETEX', () => {
  test('MGET', () => check([
    ['MSET', 'a', '1', 'b', '2'], ['MGET', 'a', 'b', 'c', 'a'], ['MGET', 'nokey'],
  ]));

  test('MSET', () => check([
    ['MSET', 'a', '1', 'b', 'x', 'a', '3'], ['MGET', 'a', 'b'], enc('a'), enc('b'), ['MSET', 'a'], ['MSET', 'a', '1', 'b'],
    ['SET', 't', 'v', 'EX', '100'], ['MSET', 't', 'w'], ['TTL', 't'],
  ]));

  test('MSETNX', () => check([
    ['MSETNX', 'a', '1', 'b', '2'], ['MSETNX', 'b', '3', 'c', '4'], ['MGET', 'a', 'b', 'c'], ['MSETNX', 'x', '1', 'x', '2'],
    ['GET', 'x'], ['MSETNX', 'a'], ['MSETNX', 'y', '1', 'z'],
  ]));

  test('MSETEX', () => check([
    ['MSETEX', '2', 'a', '1', 'b', '2'], ['MGET', 'a', 'b'], ['TTL', 'a'],
    ['MSETEX', '2', 'a', '1', 'b', '2', 'EX', '100'], approx(1, 'TTL', 'a'), approx(1, 'TTL', 'b'),
    ['MSETEX', '1', 'a', 'x', 'KEEPTTL'], approx(1, 'TTL', 'a'), ['MSETEX', '1', 'a', 'y'], ['TTL', 'a'],
    ['MSETEX', '1', 'a', 'z', 'PX', '5000'], approx(1000, 'PTTL', 'a'), ['MSETEX', '1', 'a', 'z', 'EXAT', '4102444800'],
    ['EXPIRETIME', 'a'], ['MSETEX', '1', 'a', 'z', 'PXAT', '4102444800999'], ['PEXPIRETIME', 'a'],
    ['MSETEX', '2', 'a', '1', 'c', '2', 'NX'], ['EXISTS', 'c'], ['MSETEX', '2', 'c', '1', 'd', '2', 'NX'], ['MGET', 'c', 'd'],
    ['MSETEX', '2', 'a', '1', 'e', '2', 'XX'], ['EXISTS', 'e'], ['MSETEX', '2', 'a', '9', 'b', '9', 'XX'], ['MGET', 'a', 'b'],
    enc('a'),
  ]));

  test('MSETEX errors', () => check([
    ['MSETEX', '0', 'a', '1'], ['MSETEX', '-1', 'a', '1'], ['MSETEX', 'x', 'a', '1'], ['MSETEX', '2', 'a', '1'],
    ['MSETEX', '2147483648', 'a', '1'], ['MSETEX', '1', 'a', '1', 'b'], ['MSETEX', '1', 'a', '1', 'NX', 'XX'],
    ['MSETEX', '1', 'a', '1', 'GET'], ['MSETEX', '1', 'a', '1', 'IFEQ', 'x'], ['MSETEX', '1', 'a', '1', 'PERSIST'],
    ['MSETEX', '1', 'a', '1', 'EX', '0'], ['MSETEX', '1', 'a', '1', 'EX', 'x'], ['MSETEX', '1', 'a', '1', 'EX'],
    ['MSETEX', '1', 'a', '1', 'EX', '10', 'PX', '10'], ['MSETEX', '1', 'a', '1', 'KEEPTTL', 'EX', '10'],
    ['MSETEX', '1', 'a', '1', 'EX', '9223372036854776'], ['EXISTS', 'a'], ['MSETEX', '1'], ['MSETEX', '1', 'a'],
  ]));

  test('MSETEX with a time in the past keeps nothing visible', () => check([
    ['MSETEX', '2', 'a', '1', 'b', '2', 'PXAT', '1'], ['EXISTS', 'a', 'b'], ['MGET', 'a', 'b'],
  ]));

});

describe('INCR family', () => {
  test('INCR / DECR / INCRBY / DECRBY', () => check([
    ['INCR', 'n'], ['INCR', 'n'], ['DECR', 'n'], ['INCRBY', 'n', '100'], ['DECRBY', 'n', '50'], ['INCRBY', 'n', '-1000'],
    ['GET', 'n'], enc('n'), ['DECR', 'fresh'], ['DECRBY', 'fresh2', '-5'],
  ]));

  test('INCR errors and overflow', () => check([
    ['SET', 'n', '9223372036854775806'], ['INCR', 'n'], ['INCR', 'n'], ['GET', 'n'], ['INCRBY', 'n', '-1'],
    ['SET', 'm', '-9223372036854775807'], ['DECR', 'm'], ['DECR', 'm'], ['DECRBY', 'm', '1'],
    ['DECRBY', 'x', '-9223372036854775808'], ['INCRBY', 'x', '-9223372036854775808'], ['INCRBY', 'x', '9223372036854775807'],
    ['INCRBY', 'x', '1'], ['INCRBY', 'x', '9223372036854775808'], ['INCRBY', 'x', 'a'], ['INCRBY', 'x', '1.0'],
    ['SET', 's', 'abc'], ['INCR', 's'], ['SET', 's', '1.5'], ['INCR', 's'], ['SET', 's', ' 1'], ['INCR', 's'],
    ['SET', 's', '01'], ['INCR', 's'], ['SET', 's', '+1'], ['INCR', 's'], ['SET', 's', '-0'], ['INCR', 's'],
    ['SET', 's', ''], ['INCR', 's'], ['SET', 's', '12345678901234567890'], ['INCR', 's'],
  ]));

  test('INCR keeps the TTL and makes an int', () => check([
    ['SET', 'n', '10', 'EX', '100'], ['INCR', 'n'], approx(1, 'TTL', 'n'), enc('n'),
    ['APPEND', 'r', '5'], ['APPEND', 'r', '5'], enc('r'), ['INCR', 'r'], enc('r'),
    ['SET', 'f', '1.5'], ['INCRBYFLOAT', 'f', '0.5'], enc('f'), ['INCR', 'f'], enc('f'),
  ]));
});

describe('INCRBYFLOAT', () => {
  test('long double results', () => check([
    ['SET', 'k', '10.5'], ['INCRBYFLOAT', 'k', '0.1'], ['INCRBYFLOAT', 'k', '-5'], ['INCRBYFLOAT', 'k', '1.0e3'],
    ['INCRBYFLOAT', 'new', '3'], enc('new'), ['INCRBYFLOAT', 'new', '0.25'], enc('new'), ['GET', 'new'],
    ['SET', 'k', '0'], ['INCRBYFLOAT', 'k', '0.000003814697265625'], ['SET', 'k', '1.1'], ['INCRBYFLOAT', 'k', '-0.00000000000000001'],
    ['SET', 'k', '5'], ['INCRBYFLOAT', 'k', '-5'], ['INCRBYFLOAT', 'k', '-0.0'], ['INCRBYFLOAT', 'k', '1e-20'],
    ['INCRBYFLOAT', 'k', '-1e-20'], ['INCRBYFLOAT', 'k', '1e30'], ['INCRBYFLOAT', 'k', '0x1p3'], ['INCRBYFLOAT', 'k', '0X.8P1'],
    ['INCRBYFLOAT', 'k', '1e4000'], ['INCRBYFLOAT', 'k', '-1e4000'], ['INCRBYFLOAT', 'k', '.5'], ['INCRBYFLOAT', 'k', '5.'],
    ['INCRBYFLOAT', 'k', '+1.5'], ['INCRBYFLOAT', 'k', '1E+2'], ['SET', 'k', '3.0e-4951'], ['INCRBYFLOAT', 'k', '0'],
  ]));

  test('errors', () => check([
    ['SET', 'k', '1'], ['INCRBYFLOAT', 'k', 'abc'], ['INCRBYFLOAT', 'k', 'inf'], ['INCRBYFLOAT', 'k', '-inf'],
    ['INCRBYFLOAT', 'k', 'nan'], ['INCRBYFLOAT', 'k', 'NaN'], ['INCRBYFLOAT', 'k', 'Infinity'], ['INCRBYFLOAT', 'k', ' 1'],
    ['INCRBYFLOAT', 'k', '1 '], ['INCRBYFLOAT', 'k', ''], ['INCRBYFLOAT', 'k', '1e'], ['INCRBYFLOAT', 'k', '0x'],
    ['INCRBYFLOAT', 'k', '1e5000'], ['INCRBYFLOAT', 'k', '1e-5000'], ['INCRBYFLOAT', 'k', '0e-5000'], ['INCRBYFLOAT', 'k', '1\x002'],
    ['INCRBYFLOAT', 'k', '1.7976931348623157e308'], ['INCRBYFLOAT', 'k', '1.18973149535723176502e+4932'],
    ['INCRBYFLOAT', 'k', 'nan(123)'], ['INCRBYFLOAT', 'k', 'infinity'], ['INCRBYFLOAT', 'k', 'infinit'],
    ['SET', 's', 'abc'], ['INCRBYFLOAT', 's', '1'], ['SET', 's', 'inf'], ['INCRBYFLOAT', 's', '1'],
    ['SET', 's', '\t1'], ['INCRBYFLOAT', 's', '1'],
    ['INCRBYFLOAT', 'k', a(5119, '1')], ['INCRBYFLOAT', 'k', a(5120, '1')], ['GET', 'k'],
  ]));

  test('keeps the TTL', () => check([
    ['SET', 'k', '1', 'EX', '100'], ['INCRBYFLOAT', 'k', '1.5'], approx(1, 'TTL', 'k'),
  ]));

  test('property: random decimals match the oracle', async () => {
    if (!d.available) return;
    const decimal = fc.tuple(
      fc.constantFrom('', '-', '+'),
      fc.stringMatching(/^[0-9]{1,25}$/),
      fc.option(fc.stringMatching(/^[0-9]{0,25}$/), { nil: undefined }),
      fc.option(fc.integer({ min: -4960, max: 4940 }), { nil: undefined }),
    ).map(([s, i, f, e]) => `${s}${i}${f !== undefined ? '.' + f : ''}${e !== undefined ? 'e' + e : ''}`);
    const small = fc.tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 8 }))
      .map(([n, p]) => (n / 10 ** p).toFixed(p));
    const hex = fc.tuple(fc.constantFrom('0x', '-0X'), fc.stringMatching(/^[0-9a-f]{1,20}$/), fc.stringMatching(/^[0-9A-F]{0,20}$/),
      fc.integer({ min: -16500, max: 16400 })).map(([p, i, f, e]) => `${p}${i}.${f}p${e}`);
    const value = fc.oneof(decimal, small, hex, fc.double({ noNaN: true, noDefaultInfinity: true }).map(String));
    await fc.assert(fc.asyncProperty(value, value, value, async (x, y, z) => {
      const problems = await d.diff([['SET', 'k', x], ['INCRBYFLOAT', 'k', y], ['INCRBYFLOAT', 'k', z], ['GET', 'k']], { resp: [2] });
      expect(problems, problems.join('\n')).toEqual([]);
    }), { numRuns: Number(process.env["LD_RUNS"] ?? 150) });
  }, 120_000);
});

describe('APPEND / STRLEN / GETRANGE / SETRANGE', () => {
  test('APPEND', () => check([
    ['APPEND', 'k', 'abc'], ['APPEND', 'k', 'def'], ['GET', 'k'], enc('k'), ['APPEND', 'n', '12'], enc('n'),
    ['APPEND', 'n', '3'], enc('n'), ['GET', 'n'], ['SET', 'e', 'x'], ['APPEND', 'e', ''], enc('e'),
    ['SET', 't', 'v', 'EX', '100'], ['APPEND', 't', 'w'], approx(1, 'TTL', 't'),
    ['APPEND', 'empty', ''], ['EXISTS', 'empty'], enc('empty'),
  ]));

  test('STRLEN', () => check([
    ['STRLEN', 'nokey'], ['SET', 'k', 'hello'], ['STRLEN', 'k'], ['SET', 'n', '-12345'], ['STRLEN', 'n'],
  ]));

  test('GETRANGE / SUBSTR', () => check([
    ['SET', 'k', 'Hello World'], ['GETRANGE', 'k', '0', '4'], ['GETRANGE', 'k', '-5', '-1'], ['GETRANGE', 'k', '-1', '-5'],
    ['GETRANGE', 'k', '5', '3'], ['GETRANGE', 'k', '0', '-1'], ['GETRANGE', 'k', '0', '1000'], ['GETRANGE', 'k', '-1000', '2'],
    ['GETRANGE', 'k', '-1000', '-999'], ['GETRANGE', 'k', '20', '30'], ['GETRANGE', 'k', '-9223372036854775808', '9223372036854775807'],
    ['GETRANGE', 'k', '-9223372036854775807', '-9223372036854775808'], ['GETRANGE', 'k', '9223372036854775807', '9223372036854775807'],
    ['GETRANGE', 'nokey', '0', '-1'], ['GETRANGE', 'k', 'a', '1'], ['GETRANGE', 'k', '1', '9223372036854775808'],
    ['GETRANGE', 'nokey', 'a', '1'], ['SUBSTR', 'k', '1', '3'], ['SET', 'n', '12345'], ['GETRANGE', 'n', '1', '2'],
    ['SET', 'e', ''], ['GETRANGE', 'e', '0', '-1'], ['GETRANGE', 'e', '0', '0'],
  ]));

  test('property: GETRANGE indexes', async () => {
    if (!d.available) return;
    const idx = fc.oneof(fc.integer({ min: -15, max: 15 }), fc.constantFrom(-9223372036854775808n, 9223372036854775807n).map(String))
      .map(String);
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 10 }), fc.array(fc.tuple(idx, idx), { minLength: 1, maxLength: 8 }),
      async (v, ranges) => {
        const steps: StepLike[] = [['SET', 'k', v], ...ranges.map(([s, e]) => ['GETRANGE', 'k', s, e])];
        const problems = await d.diff(steps, { resp: [2] });
        expect(problems, problems.join('\n')).toEqual([]);
      }), { numRuns: 60 });
  }, 120_000);

  test('SETRANGE', () => check([
    ['SETRANGE', 'k', '0', 'Hello'], ['SETRANGE', 'k', '6', 'World'], ['GET', 'k'], ['SETRANGE', 'k', '1', 'ipp'], ['GET', 'k'],
    enc('k'), ['SETRANGE', 'nokey', '5', ''], ['EXISTS', 'nokey'], ['SETRANGE', 'k', '100', ''], ['STRLEN', 'k'],
    ['SETRANGE', 'k', '-1', 'x'], ['SETRANGE', 'k', 'x', 'x'], ['SETRANGE', 'k', '536870911', 'xx'],
    ['SETRANGE', 'k', '536870912', 'x'], ['SETRANGE', 'nokey', '536870912', 'x'], ['SETRANGE', 'nokey', '9223372036854775807', 'x'],
    ['SETRANGE', 'k', '9223372036854775808', 'x'], ['SET', 'n', '123'], ['SETRANGE', 'n', '1', '9'], ['GET', 'n'], enc('n'),
    ['SETRANGE', 'z', '3', 'ab'], ['GET', 'z'], enc('z'),
    ['SET', 't', 'v', 'EX', '100'], ['SETRANGE', 't', '0', 'w'], approx(1, 'TTL', 't'),
  ]));
});

describe('LCS', () => {
  test('string, LEN, IDX', () => check([
    ['MSET', 'a', 'ohmytext', 'b', 'mynewtext'], ['LCS', 'a', 'b'], ['LCS', 'a', 'b', 'LEN'], ['LCS', 'a', 'b', 'IDX'],
    ['LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN'], ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4'], ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '-3'],
    ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'], ['LCS', 'a', 'nokey'], ['LCS', 'nokey', 'nokey2', 'IDX'],
    ['LCS', 'a', 'a', 'idx', 'withmatchlen'], ['LCS', 'b', 'a', 'IDX', 'WITHMATCHLEN'], ['LCS', 'a', 'b', 'LEN', 'MINMATCHLEN', '2'],
  ]));

  test('errors', () => check([
    ['MSET', 'a', 'abc', 'b', 'abd'], ['LCS', 'a', 'b', 'LEN', 'IDX'], ['LCS', 'a', 'b', 'FOO'], ['LCS', 'a', 'b', 'MINMATCHLEN'],
    ['LCS', 'a', 'b', 'MINMATCHLEN', 'x'], ['LCS', 'a'],
  ]));

  test('property: random strings', async () => {
    if (!d.available) return;
    const s = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 14 });
    await fc.assert(fc.asyncProperty(s, s, fc.integer({ min: 0, max: 3 }), async (x, y, m) => {
      const problems = await d.diff([['MSET', 'a', x, 'b', y], ['LCS', 'a', 'b'], ['LCS', 'a', 'b', 'LEN'],
        ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', String(m), 'WITHMATCHLEN']]);
      expect(problems, problems.join('\n')).toEqual([]);
    }), { numRuns: 40 });
  }, 120_000);
});

describe('DELIFEQ', () => {
  test('deletes only on a match', () => check([
    ['SET', 'k', 'v'], ['DELIFEQ', 'k', 'w'], ['EXISTS', 'k'], ['DELIFEQ', 'k', 'v'], ['EXISTS', 'k'], ['DELIFEQ', 'k', 'v'],
    ['SET', 'n', '12'], ['DELIFEQ', 'n', '12'], ['DELIFEQ', 'k'],
  ]));
});

/** Commands against a key of another type: a list. */
describe('against other types (WRONGTYPE)', () => {
  const withList = (name: string, steps: readonly StepLike[]) =>
    test(name, () => check([['LPUSH', 'l', 'x'], ...steps]));
  withList('SET family', [
    ['SET', 'l', 'v', 'GET'], ['SET', 'l', 'v', 'IFEQ', 'x'], ['SET', 'l', 'v', 'IFEQ', 'x', 'GET'], ['TYPE', 'l'],
    ['SET', 'l', 'v', 'NX'], ['SETNX', 'l', 'v'], ['TYPE', 'l'], ['SET', 'l', 'v', 'XX'], ['TYPE', 'l'], ['GET', 'l'],
    ['LPUSH', 'l', 'x'], ['SET', 'l', 'w', 'PXAT', '1'], ['EXISTS', 'l'],
    ['LPUSH', 'l', 'x'], ['SETEX', 'l', '10', 'v'], ['TYPE', 'l'], ['TTL', 'l'],
    ['LPUSH', 'l2', 'x'], ['GETSET', 'l2', 'v'], ['TYPE', 'l2'], ['GETDEL', 'l2'], ['TYPE', 'l2'],
    ['GETEX', 'l2'], ['GETEX', 'l2', 'EX', '10'], ['TTL', 'l2'], ['GETEX', 'l2', 'EX', 'bad'],
  ]);
  withList('MGET / MSET / MSETNX / MSETEX', [
    ['SET', 'a', '1'], ['MGET', 'a', 'l', 'nokey'], ['MSETNX', 'l', 'v', 'q', '1'], ['EXISTS', 'q'],
    ['MSETEX', '1', 'l', 'v', 'NX'], ['TYPE', 'l'], ['MSETEX', '1', 'l', 'v', 'XX'], ['TYPE', 'l'],
    ['LPUSH', 'l3', 'x'], ['MSET', 'l3', 'v'], ['TYPE', 'l3'],
  ]);
  withList('INCR family, APPEND, STRLEN, ranges', [
    ['INCR', 'l'], ['DECR', 'l'], ['INCRBY', 'l', 'x'], ['DECRBY', 'l', '1'], ['INCRBYFLOAT', 'l', '1'],
    ['INCRBYFLOAT', 'l', 'bad'], ['APPEND', 'l', 'v'], ['STRLEN', 'l'], ['GETRANGE', 'l', '0', '1'], ['GETRANGE', 'l', 'x', '1'],
    ['SUBSTR', 'l', '0', '1'], ['SETRANGE', 'l', '0', 'v'], ['SETRANGE', 'l', '0', ''], ['SETRANGE', 'l', '-1', 'v'],
  ]);
  withList('LCS and DELIFEQ', [
    ['SET', 'a', 'abc'], ['LCS', 'a', 'l'], ['LCS', 'l', 'a', 'FOO'], ['LCS', 'l', 'nokey', 'LEN', 'IDX'],
    ['DELIFEQ', 'l', 'x'], ['TYPE', 'l'],
  ]);
});

describe('OBJECT ENCODING after each kind of write', () => {
  test('int / embstr / raw boundaries', () => check([
    ['SET', 'i', '123'], enc('i'), ['SET', 'i', '-9223372036854775808'], enc('i'), ['SET', 'i', '9223372036854775808'], enc('i'),
    ['SET', 'i', '007'], enc('i'), ['SET', 'i', '-0'], enc('i'), ['SET', 'i', '1.5'], enc('i'),
    ['SET', 'k', a(112)], enc('k'), ['SET', 'k', a(113)], enc('k'), ['SET', a(50), a(61)], enc(a(50)),
    ['SET', a(50, 'b'), a(62)], enc(a(50, 'b')), ['SET', 'e', a(104), 'EX', '100'], enc('e'),
    ['SET', 'e2', a(105), 'EX', '100'], enc('e2'), ['SET', 'e3', a(105)], enc('e3'), ['EXPIRE', 'e3', '100'], enc('e3'),
    ['PERSIST', 'e3'], enc('e3'),
  ]));

  test('in-place writes are raw', () => check([
    ['SET', 'a', 'x'], ['SETRANGE', 'a', '0', 'y'], enc('a'), ['SET', 'b', '1'], ['SETBIT', 'b', '0', '0'], enc('b'),
    ['SET', 'c', 'xy'], ['BITFIELD', 'c', 'GET', 'u8', '0'], enc('c'), ['BITFIELD', 'c', 'SET', 'u8', '0', '65'], enc('c'),
    ['BITOP', 'OR', 'd', 'c'], enc('d'), ['INCRBYFLOAT', 'f', '1.5'], enc('f'), ['INCRBYFLOAT', 'g', '2'], enc('g'),
    ['GETEX', 'g', 'EX', '100'], enc('g'), ['GETSET', 'g', '5'], enc('g'), ['MSETEX', '1', 'h', '77', 'EX', '10'], enc('h'),
  ]));
});
