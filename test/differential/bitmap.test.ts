/**
 * Differential tests of the bitmap group against a real Valkey 9.1.2: SETBIT,
 * GETBIT, BITCOUNT and BITPOS (BYTE/BIT ranges), BITOP, BITFIELD and
 * BITFIELD_RO, with their error paths, plus fast-check properties (random
 * BITFIELD programs, random ranges).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { useDifferential, type StepLike } from './harness.js';

const d = useDifferential();
const check = (steps: readonly StepLike[]) => d.check(steps);
const enc = (k: string): StepLike => ['OBJECT', 'ENCODING', k];

describe('SETBIT / GETBIT', () => {
  test('set, clear, grow', () => check([
    ['SETBIT', 'k', '7', '1'], ['GET', 'k'], ['SETBIT', 'k', '7', '1'], ['SETBIT', 'k', '7', '0'], ['GETBIT', 'k', '7'],
    ['SETBIT', 'k', '100', '1'], ['STRLEN', 'k'], ['GET', 'k'], ['GETBIT', 'k', '100'], ['GETBIT', 'k', '99'],
    ['GETBIT', 'k', '10000'], ['GETBIT', 'nokey', '0'], enc('k'), ['SET', 'n', '1'], ['GETBIT', 'n', '2'], ['GETBIT', 'n', '7'],
    ['SETBIT', 'n', '6', '1'], ['GET', 'n'], enc('n'), ['SET', 's', 'a'], ['SETBIT', 's', '0', '0'], enc('s'),
    ['SETBIT', 'z', '0', '0'], ['GET', 'z'], ['EXISTS', 'z'],
  ]));

  test('errors', () => check([
    ['SETBIT', 'k', '-1', '1'], ['SETBIT', 'k', 'x', '1'], ['SETBIT', 'k', '0', '2'], ['SETBIT', 'k', '0', '-1'],
    ['SETBIT', 'k', '0', 'x'], ['SETBIT', 'k', '4294967296', '1'], ['SETBIT', 'k', '9223372036854775807', '1'],
    ['SETBIT', 'k', '9223372036854775808', '1'], ['GETBIT', 'k', '-1'], ['GETBIT', 'k', '4294967296'], ['GETBIT', 'k', 'a'],
    ['SETBIT', 'k', '1.5', '1'], ['SETBIT', 'k', ' 1', '1'], ['EXISTS', 'k'], ['GETBIT', 'k', '4294967295'],
  ]));

  test('keeps the TTL', () => check([
    ['SET', 'k', 'a', 'EX', '100'], ['SETBIT', 'k', '0', '1'], ['TTL', 'k'],
  ]));
});

describe('BITCOUNT', () => {
  test('whole string and byte ranges', () => check([
    ['SET', 'k', 'foobar'], ['BITCOUNT', 'k'], ['BITCOUNT', 'k', '0', '0'], ['BITCOUNT', 'k', '1', '1'], ['BITCOUNT', 'k', '1', '-2'],
    ['BITCOUNT', 'k', '-2', '-1'], ['BITCOUNT', 'k', '-1', '-2'], ['BITCOUNT', 'k', '3', '1'], ['BITCOUNT', 'k', '0', '100'],
    ['BITCOUNT', 'k', '-100', '-1'], ['BITCOUNT', 'k', '-100', '-99'], ['BITCOUNT', 'k', '2'], ['BITCOUNT', 'k', '-2'],
    ['BITCOUNT', 'k', '0', '-1', 'BYTE'], ['BITCOUNT', 'nokey'], ['BITCOUNT', 'nokey', '0', '1'],
    ['BITCOUNT', 'k', '-9223372036854775808', '9223372036854775807'], ['SET', 'n', '12345'], ['BITCOUNT', 'n'],
    ['SET', 'e', ''], ['BITCOUNT', 'e'], ['BITCOUNT', 'e', '0', '-1'],
  ]));

  test('bit ranges', () => check([
    ['SET', 'k', 'foobar'], ['BITCOUNT', 'k', '5', '30', 'BIT'], ['BITCOUNT', 'k', '0', '0', 'bit'], ['BITCOUNT', 'k', '1', '1', 'BIT'],
    ['BITCOUNT', 'k', '0', '7', 'BIT'], ['BITCOUNT', 'k', '-1', '-1', 'BIT'], ['BITCOUNT', 'k', '-10', '-3', 'BIT'],
    ['BITCOUNT', 'k', '7', '8', 'BIT'], ['BITCOUNT', 'k', '47', '47', 'BIT'], ['BITCOUNT', 'k', '3', '2', 'BIT'],
    ['BITCOUNT', 'k', '0', '1000', 'BIT'], ['BITCOUNT', 'k', '-1000', '1000', 'BIT'],
    ['BITCOUNT', 'k', '-9223372036854775808', '9223372036854775807', 'BIT'],
  ]));

  test('errors', () => check([
    ['SET', 'k', 'foobar'], ['BITCOUNT', 'k', 'a'], ['BITCOUNT', 'k', '0', 'b'], ['BITCOUNT', 'k', '0', '1', 'FOO'],
    ['BITCOUNT', 'k', 'a', '1', 'FOO'], ['BITCOUNT', 'k', '0', 'b', 'FOO'], ['BITCOUNT', 'k', '0', '1', 'BIT', 'x'],
    ['BITCOUNT', 'k', 'a', 'b', 'c', 'd'], ['BITCOUNT', 'nokey', 'a'], ['BITCOUNT', 'k', '0', '1', 'BIT\x00x'],
    ['BITCOUNT'],
  ]));
});

describe('BITPOS', () => {
  test('byte ranges', () => check([
    ['SET', 'k', '\xff\xf0\x00'], ['BITPOS', 'k', '0'], ['BITPOS', 'k', '1'], ['BITPOS', 'k', '0', '2'], ['BITPOS', 'k', '1', '2'],
    ['BITPOS', 'k', '1', '-1'], ['BITPOS', 'k', '0', '0', '0'], ['SET', 'f', '\xff\xff\xff'], ['BITPOS', 'f', '0'],
    ['BITPOS', 'f', '0', '1'], ['BITPOS', 'f', '0', '0', '-1'], ['BITPOS', 'f', '0', '0', '-1', 'BYTE'], ['BITPOS', 'f', '1', '2'],
    ['SET', 'z', '\x00\x00\x00'], ['BITPOS', 'z', '1'], ['BITPOS', 'z', '0'], ['BITPOS', 'z', '1', '1', '2'],
    ['BITPOS', 'nokey', '0'], ['BITPOS', 'nokey', '1'], ['BITPOS', 'nokey', '0', '5', '10'], ['BITPOS', 'k', '1', '2', '1'],
    ['BITPOS', 'k', '0', '-100', '100'], ['BITPOS', 'k', '1', '-9223372036854775808', '9223372036854775807'],
    ['SET', 'e', ''], ['BITPOS', 'e', '0'], ['BITPOS', 'e', '1'], ['SET', 'n', '5'], ['BITPOS', 'n', '1'],
    ['SET', 'long', '\x00'.repeat(40) + '\x01' + '\xff'.repeat(20)], ['BITPOS', 'long', '1'], ['BITPOS', 'long', '0', '41'],
    ['BITPOS', 'long', '0', '41', '-1'],
  ]));

  test('bit ranges', () => check([
    ['SET', 'k', '\x00\xff\x00'], ['BITPOS', 'k', '1', '7', '15', 'BIT'], ['BITPOS', 'k', '0', '8', '15', 'BIT'],
    ['BITPOS', 'k', '1', '0', '7', 'BIT'], ['BITPOS', 'k', '0', '9', '14', 'bit'], ['BITPOS', 'k', '1', '15', '16', 'BIT'],
    ['BITPOS', 'k', '0', '15', '16', 'BIT'], ['BITPOS', 'k', '1', '-8', '-1', 'BIT'], ['BITPOS', 'k', '0', '3', '2', 'BIT'],
    ['BITPOS', 'k', '1', '3', '3', 'BIT'], ['BITPOS', 'k', '1', '8', '8', 'BIT'], ['BITPOS', 'k', '0', '0', '100', 'BIT'],
    ['BITPOS', 'k', '1', '17', '100', 'BIT'], ['BITPOS', 'k', '0', '4', '20', 'BIT'],
  ]));

  test('errors', () => check([
    ['SET', 'k', 'a'], ['BITPOS', 'k', '2'], ['BITPOS', 'k', '-1'], ['BITPOS', 'k', 'x'], ['BITPOS', 'k', '1', 'x'],
    ['BITPOS', 'k', '1', '0', 'x'], ['BITPOS', 'k', '1', '0', '1', 'FOO'], ['BITPOS', 'k', '1', 'x', '1', 'FOO'],
    ['BITPOS', 'k', '1', '0', '1', 'BIT', 'x'], ['BITPOS', 'nokey', '2'], ['BITPOS', 'k'],
  ]));
});

describe('BITOP', () => {
  test('AND / OR / XOR / NOT', () => check([
    ['SET', 'a', 'foobar'], ['SET', 'b', 'abcdef'], ['SET', 'c', 'xy'], ['BITOP', 'AND', 'dest', 'a', 'b'], ['GET', 'dest'],
    ['BITOP', 'OR', 'dest', 'a', 'c'], ['GET', 'dest'], ['BITOP', 'XOR', 'dest', 'a', 'b', 'c'], ['GET', 'dest'],
    ['BITOP', 'NOT', 'dest', 'a'], ['GET', 'dest'], ['BITOP', 'and', 'dest', 'a', 'nokey'], ['GET', 'dest'],
    ['BITOP', 'Or', 'dest', 'nokey', 'c'], ['GET', 'dest'], enc('dest'), ['BITOP', 'AND', 'dest', 'nokey', 'nokey2'],
    ['EXISTS', 'dest'], ['BITOP', 'NOT', 'dest', 'nokey'], ['BITOP', 'AND', 'a', 'a', 'c'], ['GET', 'a'],
    ['SET', 'n', '123'], ['BITOP', 'XOR', 'dest', 'n', 'c'], ['GET', 'dest'], ['SET', 't', 'v', 'EX', '100'],
    ['BITOP', 'OR', 't', 'c'], ['TTL', 't'],
  ]));

  test('long inputs (word fast path)', () => check([
    ['SET', 'a', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
    ['SET', 'b', '\xff\x00'.repeat(40)], ['SET', 'c', 'The quick brown fox jumps over the lazy dog, twice over.'],
    ['BITOP', 'AND', 'd', 'a', 'b', 'c'], ['GET', 'd'], ['BITOP', 'OR', 'd', 'a', 'b', 'c'], ['GET', 'd'],
    ['BITOP', 'XOR', 'd', 'a', 'b', 'c'], ['GET', 'd'], ['BITOP', 'NOT', 'd', 'b'], ['GET', 'd'],
  ]));

  test('errors', () => check([
    ['SET', 'a', 'x'], ['BITOP', 'NOT', 'dest', 'a', 'a'], ['BITOP', 'NAND', 'dest', 'a'], ['BITOP', 'DIFF', 'dest', 'a', 'a'],
    ['BITOP', 'ANDOR', 'dest', 'a', 'a'], ['BITOP', 'ONE', 'dest', 'a', 'a'], ['BITOP', 'and\x00x', 'dest', 'a'],
    ['BITOP', 'AND', 'dest'], ['BITOP', 'NOT', 'dest'],
  ]));
});

describe('BITFIELD / BITFIELD_RO', () => {
  test('GET / SET / INCRBY', () => check([
    ['BITFIELD', 'k', 'SET', 'u8', '0', '255', 'GET', 'u8', '0', 'GET', 'i8', '0'], ['GET', 'k'],
    ['BITFIELD', 'k', 'INCRBY', 'u2', '100', '1', 'OVERFLOW', 'SAT', 'INCRBY', 'u2', '102', '1'], ['STRLEN', 'k'],
    ['BITFIELD', 'k', 'SET', 'i16', '#1', '-300', 'GET', 'i16', '#1', 'GET', 'u16', '16'],
    ['BITFIELD', 'k', 'SET', 'i64', '0', '-9223372036854775808', 'GET', 'i64', '0', 'GET', 'u63', '1'],
    ['BITFIELD', 'k', 'INCRBY', 'i64', '0', '-1'], ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'INCRBY', 'i64', '0', '-1'],
    ['BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'INCRBY', 'i64', '0', '-1', 'GET', 'i64', '0'], ['BITFIELD', 'k'],
    ['BITFIELD', 'nokey', 'GET', 'u8', '0'], ['EXISTS', 'nokey'], ['BITFIELD', 'k', 'GET', 'u8', '1000'],
    ['SET', 'n', '12'], ['BITFIELD', 'n', 'GET', 'u16', '0'], enc('n'), ['BITFIELD', 'n', 'SET', 'u8', '0', '52'], ['GET', 'n'], enc('n'),
  ]));

  test('overflow semantics', () => check([
    ['BITFIELD', 'k', 'SET', 'u8', '0', '256'], ['BITFIELD', 'k', 'SET', 'u8', '0', '-1'], ['GET', 'k'],
    ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'SET', 'u8', '0', '300', 'SET', 'u8', '8', '-5', 'SET', 'i8', '16', '200', 'SET', 'i8', '24', '-200'],
    ['BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'SET', 'u8', '0', '300', 'SET', 'i8', '8', '-129', 'SET', 'i8', '8', '127'],
    ['BITFIELD', 'k', 'OVERFLOW', 'WRAP', 'INCRBY', 'i8', '0', '200', 'INCRBY', 'u4', '0', '-20', 'INCRBY', 'i4', '4', '100'],
    ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'INCRBY', 'i8', '0', '-1000', 'INCRBY', 'u8', '8', '-1000', 'INCRBY', 'u8', '8', '1000'],
    ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'SET', 'i8', '0', '-9223372036854775808', 'SET', 'i8', '8', '9223372036854775807'],
    ['BITFIELD', 'k', 'SET', 'i8', '0', '-9223372036854775808', 'SET', 'u8', '8', '-9223372036854775808'],
    ['BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'SET', 'i8', '0', '-9223372036854775808'],
    ['BITFIELD', 'k', 'SET', 'i64', '0', '9223372036854775807', 'INCRBY', 'i64', '0', '1', 'OVERFLOW', 'SAT', 'INCRBY', 'i64', '0', '9223372036854775807'],
    ['BITFIELD', 'k', 'SET', 'u63', '0', '9223372036854775807', 'INCRBY', 'u63', '0', '1', 'OVERFLOW', 'SAT', 'INCRBY', 'u63', '0', '5'],
    ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'INCRBY', 'u63', '0', '-9223372036854775808', 'INCRBY', 'i64', '0', '-9223372036854775808'],
    ['BITFIELD', 'k', 'INCRBY', 'i1', '0', '1', 'INCRBY', 'i1', '0', '1', 'INCRBY', 'u1', '1', '3'], ['GET', 'k'],
    ['BITFIELD', 'f', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '100', '300'], ['EXISTS', 'f'], ['STRLEN', 'f'],
  ]));

  test('errors', () => check([
    ['BITFIELD', 'k', 'GET', 'u64', '0'], ['BITFIELD', 'k', 'GET', 'i65', '0'], ['BITFIELD', 'k', 'GET', 'i0', '0'],
    ['BITFIELD', 'k', 'GET', 'U8', '0'], ['BITFIELD', 'k', 'GET', 'x8', '0'], ['BITFIELD', 'k', 'GET', 'u', '0'],
    ['BITFIELD', 'k', 'GET', 'u08', '0'], ['BITFIELD', 'k', 'GET', 'u8', '-1'], ['BITFIELD', 'k', 'GET', 'u8', '#-1'],
    ['BITFIELD', 'k', 'GET', 'u8', '4294967296'], ['BITFIELD', 'k', 'GET', 'u8', '#536870912'], ['BITFIELD', 'k', 'GET', 'u8', 'x'],
    ['BITFIELD', 'k', 'GET', 'i64', '#9223372036854775807'], ['BITFIELD', 'k', 'GET', 'u8', '##1'],
    ['BITFIELD', 'k', 'SET', 'u8', '0', 'x'], ['BITFIELD', 'k', 'SET', 'u8', '0'], ['BITFIELD', 'k', 'GET', 'u8'],
    ['BITFIELD', 'k', 'INCRBY', 'u8', '0', '1.5'], ['BITFIELD', 'k', 'OVERFLOW', 'BAD'], ['BITFIELD', 'k', 'OVERFLOW'],
    ['BITFIELD', 'k', 'FOO'], ['BITFIELD', 'k', 'GET', 'u8', '0', 'FOO'], ['BITFIELD', 'k', 'SET', 'u8', '0', '1', 'GET', 'u64', '0'],
    ['EXISTS', 'k'], ['BITFIELD', 'k', 'OVERFLOW', 'WRAP', 'OVERFLOW', 'sat', 'OVERFLOW', 'Fail'],
  ]));

  test('BITFIELD_RO', () => check([
    ['SET', 'k', 'ab'], ['BITFIELD_RO', 'k', 'GET', 'u8', '0', 'GET', 'i4', '#1'], ['BITFIELD_RO', 'k'],
    ['BITFIELD_RO', 'k', 'SET', 'u8', '0', '1'], ['BITFIELD_RO', 'k', 'INCRBY', 'u8', '0', '1'], ['BITFIELD_RO', 'k', 'OVERFLOW', 'SAT'],
    ['BITFIELD_RO', 'k', 'GET', 'u64', '0'], ['BITFIELD_RO', 'k', 'SET', 'u8', '0', 'x'], ['BITFIELD_RO', 'nokey', 'GET', 'u8', '0'],
    ['GET', 'k'], enc('k'),
  ]));

  test('property: random BITFIELD programs', async () => {
    if (!d.available) return;
    const type = fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 64 })).map(([s, b]) => (s || b === 64 ? `i${b}` : `u${b}`));
    const offset = fc.oneof(fc.integer({ min: 0, max: 80 }).map(String), fc.integer({ min: 0, max: 6 }).map((n) => `#${n}`));
    const value = fc.oneof(fc.integer({ min: -300, max: 300 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })).map(String);
    const op = fc.oneof(
      fc.tuple(type, offset).map(([t, o]) => ['GET', t, o]),
      fc.tuple(type, offset, value).map(([t, o, v]) => ['SET', t, o, v]),
      fc.tuple(type, offset, value).map(([t, o, v]) => ['INCRBY', t, o, v]),
      fc.constantFrom('WRAP', 'SAT', 'FAIL').map((w) => ['OVERFLOW', w]),
    );
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 6 }), fc.array(fc.array(op, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }),
      async (init, programs) => {
        const steps: StepLike[] = [['SET', 'k', init], ...programs.map((p) => ['BITFIELD', 'k', ...p.flat()]), ['GET', 'k']];
        const problems = await d.diff(steps, { resp: [2] });
        expect(problems, problems.join('\n')).toEqual([]);
      }), { numRuns: Number(process.env['BF_RUNS'] ?? 100) });
  }, 120_000);
});

describe('ranges (properties)', () => {
  test('property: BITCOUNT and BITPOS over random ranges', async () => {
    if (!d.available) return;
    const idx = fc.integer({ min: -30, max: 30 }).map(String);
    const bytes = fc.string({ unit: fc.constantFrom('\x00', '\xff', '\x0f', '\xf0', '\x81', 'a'), maxLength: 5 });
    await fc.assert(fc.asyncProperty(bytes, fc.array(fc.tuple(idx, idx, fc.constantFrom('BIT', 'BYTE'), fc.constantFrom('0', '1')), { minLength: 1, maxLength: 6 }),
      async (v, ranges) => {
        const steps: StepLike[] = [['SET', 'k', v]];
        for (const [s, e, unit, bit] of ranges) {
          steps.push(['BITCOUNT', 'k', s, e, unit], ['BITCOUNT', 'k', s, e], ['BITCOUNT', 'k', s],
            ['BITPOS', 'k', bit, s, e, unit], ['BITPOS', 'k', bit, s, e], ['BITPOS', 'k', bit, s]);
        }
        const problems = await d.diff(steps, { resp: [2] });
        expect(problems, problems.join('\n')).toEqual([]);
      }), { numRuns: Number(process.env['BF_RUNS'] ?? 60) });
  }, 120_000);
});

/** Commands against a key of another type: a list. */
describe('against other types (WRONGTYPE)', () => {
  const withList = (name: string, steps: readonly StepLike[]) =>
    test(name, () => check([['LPUSH', 'l', 'x'], ...steps]));
  withList('bit commands', [
    ['SETBIT', 'l', '0', '1'], ['SETBIT', 'l', '-1', '1'], ['SETBIT', 'l', '0', '5'], ['GETBIT', 'l', '0'], ['GETBIT', 'l', 'x'],
    ['BITCOUNT', 'l'], ['BITCOUNT', 'l', '0', '1', 'BIT'], ['BITCOUNT', 'l', 'x'], ['BITPOS', 'l', '1'], ['BITPOS', 'l', '3'],
    ['SET', 'a', 'x'], ['BITOP', 'AND', 'd', 'a', 'l'], ['EXISTS', 'd'], ['BITOP', 'NOT', 'l2', 'l'],
    ['BITFIELD', 'l'], ['BITFIELD', 'l', 'GET', 'u8', '0'], ['BITFIELD', 'l', 'SET', 'u8', '0', '1'], ['BITFIELD', 'l', 'GET', 'u64', '0'],
    ['BITFIELD_RO', 'l', 'GET', 'u8', '0'], ['BITFIELD_RO', 'l', 'SET', 'u8', '0', '1'], ['TYPE', 'l'],
    ['BITOP', 'OR', 'l', 'a'], ['TYPE', 'l'], ['GET', 'l'],
  ]);
});
