/**
 * formatDouble = Valkey's d2string: ll2string for integers within ±2^62,
 * otherwise fpconv_dtoa (Grisu2, which is not always the shortest
 * representation JS prints). The table was read from a real Valkey 9.1.2
 * (ZADD on a skiplist-encoded sorted set, then ZSCORE);
 * test/differential/protocol.test.ts compares thousands more with the server.
 * An independent BigInt implementation of the same algorithm checks many
 * random doubles here.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatDouble } from './double.js';

// [the double, written with 17 significant digits; what Valkey prints]
const FROM_VALKEY: [number, string][] = [
    [0.10000000000000001, '0.1'],
    [0.20000000000000001, '0.2'],
    [0.30000000000000004, '0.30000000000000004'],
    [0.33333333333333331, '0.3333333333333333'],
    [-0.66666666666666663, '-0.6666666666666666'],
    [1.0000000000000000e+21, '1e+21'],
    [1.0000000000000000e+22, '1e+22'],
    [1000000000000000.0, '1000000000000000'],
    [10000000000000000, '10000000000000000'],
    [1.0000000000000000e+17, '100000000000000000'],
    [1.2345678901234568e+20, '123456789012345680000'],
    [9.9999999999999995e-8, '1e-7'],
    [9.9999999999999995e-7, '0.000001'],
    [1.4999999999999999e-7, '1.5e-7'],
    [0.00012300000000000001, '0.000123'],
    [0.000010000000000000001, '0.00001'],
    [4.6116860184273879e+18, '4611686018427387904'],
    [4.6116860184273889e+18, '4611686018427389000'],
    [-4.6116860184273879e+18, '-4611686018427387904'],
    [-4.6116860184273889e+18, '-4611686018427389000'],
    [9.2233720368547758e+18, '9223372036854776000'],
    [9007199254740992.0, '9007199254740992'],
    [1.7976931348623157e+308, '1.7976931348623157e+308'],
    [-1.7976931348623157e+308, '-1.7976931348623157e+308'],
    [4.9406564584124654e-324, '5e-324'],
    [-4.9406564584124654e-324, '-5e-324'],
    [2.2250738585072014e-308, '2.2250738585072014e-308'],
    [1.0000000000000000e+100, '1e+100'],
    [1.5000000000000000, '1.5'],
    [-0.50000000000000000, '-0.5'],
    [100.25000000000000, '100.25'],
    [3.1410000000000000, '3.141'],
    [1.0000000000000000e-300, '1e-300'],
    [1.2345678000000000e-16, '1.2345678e-16'],
    [9.9999999999999992e+22, '99999999999999990000000'],
    [4.9999999999999996e+22, '49999999999999996000000'],
    [-129294288246754.13, '-129294288246754.13'],
    [1.6627468238696498e+199, '1.6627468238696499e+199'],
    [-735510464104074.25, '-735510464104074.3'],
    [2.4704896306072428e+57, '2.4704896306072428e+57'],
    [-3.6690159608228677e+254, '-3.6690159608228677e+254'],
    [-2209153152057715.8, '-2209153152057715.7'],
    [-1.5245427653036709e-223, '-1.5245427653036709e-223'],
    [2189988670006969.3, '2189988670006969.3'],
    [0.29999999999999999, '0.3'],
    [1234567.1250000000, '1234567.125'],
    [10000000.500000000, '10000000.5'],
    [999999999999999.88, '999999999999999.9'],
    [0.0010000000000000000, '0.001'],
    [0.00010000000000000000, '0.0001'],
    [0.0012500000000000000, '0.00125'],
];

describe('formatDouble', () => {
  test('specials (util.c d2string)', () => {
    expect(formatDouble(NaN)).toBe('nan');
    expect(formatDouble(Infinity)).toBe('inf');
    expect(formatDouble(-Infinity)).toBe('-inf');
    expect(formatDouble(0)).toBe('0');
    expect(formatDouble(-0)).toBe('-0');
  });

  test('values as the real server prints them, including where Grisu2 differs from JS', () => {
    for (const [d, s] of FROM_VALKEY) expect(formatDouble(d), String(d)).toBe(s);
    // Where JS's shortest digits differ: Grisu2 keeps a 17th digit, or picks another last digit.
    expect(String(1e23)).not.toBe(formatDouble(1e23));
    expect(String(-129294288246754.13)).not.toBe(formatDouble(-129294288246754.13));
  });

  test('integers within ±2^62 print every digit; beyond, fpconv layout', () => {
    expect(formatDouble(2 ** 62)).toBe('4611686018427387904');
    expect(formatDouble(-(2 ** 62))).toBe('-4611686018427387904');
    expect(formatDouble(2 ** 62 - 1024)).toBe('4611686018427386880');
    expect(formatDouble(2 ** 53 + 2)).toBe('9007199254740994');
    expect(formatDouble(12345)).toBe('12345');
    expect(formatDouble(-1)).toBe('-1');
  });

  test('agrees with an independent BigInt Grisu2 on random doubles', () => {
    const f64 = new Float64Array(1);
    const u32 = new Uint32Array(f64.buffer);
    const fromBits = (hi: number, lo: number) => ((u32[1] = hi), (u32[0] = lo), f64[0]!);
    const word = fc.integer({ min: 0, max: 0xffffffff });
    const arb = fc.oneof(
      fc.tuple(word, word).map(([hi, lo]) => fromBits(hi, lo)),
      fc.tuple(fc.integer({ min: 0, max: 0xfffff }), word, fc.boolean()).map(([hi, lo, neg]) => fromBits(hi | (neg ? 0x80000000 : 0), lo)),
      // Subnormals with few significant bits (where the boundaries are far apart, relatively).
      fc.tuple(fc.integer({ min: 0, max: 51 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()).map(([bits, r, neg]) => {
        const f = Math.min(Math.floor(2 ** bits * (1 + r)), 2 ** 52 - 1);
        return fromBits(Math.floor(f / 2 ** 32) | (neg ? 0x80000000 : 0), f >>> 0);
      }),
      fc.tuple(fc.integer({ min: -99999999, max: 99999999 }), fc.integer({ min: -30, max: 30 })).map(([m, e]) => m * 10 ** e),
      fc.double(),
    ).filter((x) => Number.isFinite(x));
    fc.assert(fc.property(arb, (d) => {
      expect(formatDouble(d), String(d)).toBe(referenceD2string(d));
    }), { numRuns: 20_000 });
  });

  test('what it prints reads back as the same double', () => {
    fc.assert(fc.property(fc.double({ noNaN: true }), (d) => Object.is(Number(formatDouble(d).replace('inf', 'Infinity')), d)), { numRuns: 20_000 });
  });
});

// ---------------------------------------------------------------------------
// Reference: the same algorithm in BigInt, written for clarity rather than
// speed, emulating C's uint64 arithmetic (wrapping with M64).

const M64 = (1n << 64n) - 1n;
const HIDDEN = 1n << 52n;

const POWERS: [bigint, number][] = [];
for (let i = 0; i < 87; i++) {
  const k = -348 + 8 * i;
  const num = k >= 0 ? 10n ** BigInt(k) : 1n;
  const den = k >= 0 ? 1n : 10n ** BigInt(-k);
  // The e with 2^63 <= 10^k / 2^e < 2^64, and 10^k / 2^e rounded to nearest.
  let e = -400;
  while ((e >= 0 ? num / (den << BigInt(e)) : (num << BigInt(-e)) / den) >= 1n << 64n) e++;
  while (e > -2000 && (e >= 0 ? num / (den << BigInt(e)) : (num << BigInt(-e)) / den) < 1n << 63n) e--;
  const n = e >= 0 ? num : num << BigInt(-e);
  const q = e >= 0 ? den << BigInt(e) : den;
  let f = (2n * n + q) / (2n * q);
  if (f === 1n << 64n) {
    f >>= 1n;
    e++;
  }
  POWERS.push([f, e]);
}

function referenceGrisu2(d: number): [number[], number] {
  const bits = new BigUint64Array(new Float64Array([d]).buffer)[0]!;
  let frac = bits & (HIDDEN - 1n);
  let exp = Number((bits >> 52n) & 0x7ffn);
  if (exp) {
    frac += HIDDEN;
    exp -= 1075;
  } else exp = -1074;
  let uf = (frac << 1n) + 1n;
  let ue = exp - 1;
  while ((uf & (HIDDEN << 1n)) === 0n) {
    uf <<= 1n;
    ue--;
  }
  uf = (uf << 10n) & M64;
  ue -= 10;
  const ls = frac === HIDDEN ? 2 : 1;
  const lf = ((((frac << BigInt(ls)) - 1n) & M64) << BigInt(exp - ls - ue)) & M64;
  let wf = frac;
  while ((wf & HIDDEN) === 0n) wf <<= 1n;
  wf = (wf << 11n) & M64;
  let idx = Math.trunc((Math.trunc(-(ue + 87) * 0.30102999566398114) + 348) / 8);
  for (;;) {
    const cur = ue + POWERS[idx]![1] + 64;
    if (cur < -60) idx++;
    else if (cur > -32) idx--;
    else break;
  }
  const [cf, ce] = POWERS[idx]!;
  const mul = (a: bigint): bigint => {
    const lo = 0xffffffffn;
    const tmp = (((a >> 32n) * (cf & lo)) & lo) + (((a & lo) * (cf >> 32n)) & lo) + (((a & lo) * (cf & lo)) >> 32n) + (1n << 31n);
    return ((a >> 32n) * (cf >> 32n) + (((a >> 32n) * (cf & lo)) >> 32n) + (((a & lo) * (cf >> 32n)) >> 32n) + (tmp >> 32n)) & M64;
  };
  const W = mul(wf);
  const U = (mul(uf) - 1n) & M64;
  const L = (mul(lf) + 1n) & M64;
  let K = -(-348 + idx * 8);
  const wfrac = (U - W) & M64;
  let delta = (U - L) & M64;
  const sh = BigInt(-(ue + ce + 64));
  const one = 1n << sh;
  let part1 = U >> sh;
  let part2 = U & (one - 1n);
  const digits: number[] = [];
  const round = (rem: bigint, kap: bigint, fr: bigint) => {
    while (rem < fr && ((delta - rem) & M64) >= kap && (rem + kap < fr || ((fr - rem) & M64) > ((rem + kap - fr) & M64))) {
      digits[digits.length - 1]!--;
      rem = (rem + kap) & M64;
    }
  };
  for (let kappa = 9; kappa >= 0; kappa--) {
    const div = 10n ** BigInt(kappa);
    const digit = part1 / div;
    if (digit || digits.length) digits.push(Number(digit));
    part1 -= digit * div;
    const tmp = ((part1 << sh) + part2) & M64;
    if (tmp <= delta) {
      round(tmp, (div << sh) & M64, wfrac);
      return [digits, K + kappa];
    }
  }
  for (let kappa = -1, unit = 10n; ; kappa--, unit *= 10n) {
    part2 = (part2 * 10n) & M64;
    delta = (delta * 10n) & M64;
    const digit = part2 >> sh;
    if (digit || digits.length) digits.push(Number(digit));
    part2 &= one - 1n;
    if (part2 < delta) {
      round(part2, one, (wfrac * unit) & M64);
      K += kappa;
      return [digits, K];
    }
  }
}

function referenceD2string(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (!Number.isFinite(d)) return d > 0 ? 'inf' : '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  if (Number.isInteger(d) && Math.abs(d) <= 2 ** 62) return BigInt(d).toString();
  const neg = d < 0;
  const [digits, K] = referenceGrisu2(d);
  const ds = digits.join('');
  let nd = ds.length;
  const exp = Math.abs(K + nd - 1);
  let out: string;
  if (K >= 0 && exp < nd + 7) out = ds + '0'.repeat(K);
  else if (K < 0 && (K > -7 || exp < 4)) {
    const off = nd + K;
    out = off <= 0 ? '0.' + '0'.repeat(-off) + ds : ds.slice(0, off) + '.' + ds.slice(off);
  } else {
    nd = Math.min(nd, neg ? 17 : 18);
    out = ds[0]! + (nd > 1 ? '.' + ds.slice(1, nd) : '') + 'e' + (K + nd - 1 < 0 ? '-' : '+') + (exp >= 100 ? String(exp).padStart(3, '0') : String(exp));
  }
  return (neg ? '-' : '') + out;
}
