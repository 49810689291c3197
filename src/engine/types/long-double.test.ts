import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseDouble } from '../args.js';
import { formatFixed17, formatHuman, ldAdd, ldFromBigInt, parseLongDouble, type LongDouble } from './long-double.js';

const ld = (s: string): LongDouble => {
  const v = parseLongDouble(s);
  if (v === null) throw new Error(`not a long double: ${s}`);
  return v;
};
const add = (a: string, b: string) => formatHuman(ldAdd(ld(a), ld(b)));

describe('string2ld acceptance', () => {
  test.each([
    '1', '-1', '+1', '.5', '5.', '1e5', '1E+5', '1e-5', '0x10', '0X1p-2', '0x.8', '0x1.P1', 'inf', '-INF', 'Infinity', '-infinity',
    '0e-99999', '3.0e-4951', '1.18973149535723176502e+4932', '1.18973149535723176505e+4932', '00012', '-0',
  ])('accepts %j', (s) => expect(parseLongDouble(s)).not.toBeNull());

  test.each([
    '', ' 1', '\t1', '1 ', '1e', '1e+', 'e5', '.', '-', '+', '0x', '0xg', '0x1p', 'nan', '-nan', 'NaN(123)', 'infinit', 'infinityy',
    '1e5000', '-1e5000', '1e-5000', '1\x002', '1.2.3', '--1', '+-1', '1.18973149535723176506e+4932', '1'.repeat(5120),
  ])('refuses %j', (s) => expect(parseLongDouble(s)).toBeNull());

  test('a string just below MAX_LONG_DOUBLE_CHARS is accepted', () => {
    expect(parseLongDouble('0.' + '1'.repeat(5117))).not.toBeNull();
  });

  test('values are correctly rounded to a 64-bit significand', () => {
    // The ulp at 2^64 is 2: 2^64 + 1 is a tie and goes to the even significand, 2^64 + 3 too (upwards).
    expect(formatHuman(ld('18446744073709551617'))).toBe('18446744073709551616');
    expect(formatHuman(ld('18446744073709551619'))).toBe('18446744073709551620');
    // The ulp at 1 is 2^-63: 1 + 3·2^-64 is 1.5 ulp, a tie that rounds to 1 + 2^-62.
    expect(ldAdd(ld('0x1.0000000000000003p0'), ld('-1'))).toEqual(ld('0x1p-62'));
    expect(ldAdd(ld('0x1.0000000000000001p0'), ld('-1')).kind).toBe('zero');
  });
});

describe('addition and formatting', () => {
  test('known Valkey results', () => {
    expect(add('10.5', '0.1')).toBe('10.6');
    expect(add('0', '0.000003814697265625')).toBe('0.00000381469726562'); // exact tie at the 18th digit: to even
    expect(add('1.1', '-0.00000000000000001')).toBe('1.09999999999999999');
    expect(add('5', '-5')).toBe('0');
    expect(add('-0', '-0')).toBe('0');
    expect(add('0x1p3', '0x.8')).toBe('8.5');
    expect(add('3.0e-4951', '0')).toBe('0');
    expect(add('1e20', '1')).toBe('100000000000000000000'); // below the ulp (8) at 1e20
    expect(add('1e18', '1')).toBe('1000000000000000001');
    expect(add('-1e-18', '0')).toBe('0');
  });

  test('overflow to infinity', () => {
    const big = ld('1e4932');
    expect(ldAdd(big, big).kind).toBe('inf');
    expect(ldAdd(ld('inf'), ld('-inf')).kind).toBe('nan');
    expect(ldAdd(ld('inf'), ld('1')).kind).toBe('inf');
  });

  test('%.17Lf layout', () => {
    expect(formatFixed17(ld('1.5'))).toBe('1.50000000000000000');
    expect(formatFixed17(ld('-0.25'))).toBe('-0.25000000000000000');
    expect(formatFixed17(ldFromBigInt(-9223372036854775808n))).toBe('-9223372036854775808.00000000000000000');
  });

  test('property: integers add exactly below 2^63', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), (a, b) => {
      expect(formatHuman(ldAdd(ldFromBigInt(a), ldFromBigInt(b)))).toBe((a + b).toString());
    }));
  });

  test('property: a long double formatted and parsed back is the same to 17 decimals', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }), (x) => {
      const s = formatHuman(ld(String(x)));
      expect(formatHuman(ld(s))).toBe(s);
    }));
  });
});

describe('parseDouble (string2d, fast_float rules)', () => {
  test.each([
    ['1.5', 1.5], ['+1.5', 1.5], ['-.5', -0.5], ['5.', 5], ['1e3', 1000], ['1.e2', 100], ['inf', Infinity], ['-Infinity', -Infinity],
    ['+INF', Infinity], ['4e-324', 5e-324], ['0e-999', 0], ['1.7976931348623157e308', 1.7976931348623157e308],
  ])('accepts %j', (s, v) => expect(parseDouble(s)).toBe(v));

  test.each(['', ' 1', '1 ', 'nan', 'NaN', '0x10', '1e', '.', '-', '1e400', '-1e400', '1e-400', '2e-324', 'infinit', '1_0', '1\x00'])(
    'refuses %j', (s) => expect(parseDouble(s)).toBeNull());
});
