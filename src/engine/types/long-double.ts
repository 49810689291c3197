/**
 * x87 80-bit extended precision ("long double" on x86-64 Linux), as INCRBYFLOAT
 * and HINCRBYFLOAT compute: parsing with glibc strtold's rules (correctly
 * rounded, decimal and hex forms, inf/nan words), addition rounded to nearest
 * even on a 64-bit significand (with subnormals and overflow to infinity), and
 * printing as "%.17Lf" with trailing zeros trimmed (ld2string LD_STR_HUMAN).
 *
 * Everything is exact BigInt arithmetic: a finite value is sign × m × 2^e with
 * m < 2^64 normalised (m ≥ 2^63) unless it is subnormal (then e = E_MIN).
 */
import type { Bytes } from '../../protocol/index.js';

export type LongDouble =
  | { readonly kind: 'finite'; readonly neg: boolean; readonly m: bigint; readonly e: number }
  | { readonly kind: 'zero'; readonly neg: boolean }
  | { readonly kind: 'inf'; readonly neg: boolean }
  | { readonly kind: 'nan' };

/** Significand width. */
const P = 64;
/** Exponent of the subnormal quantum: the smallest positive value is 2^-16445. */
const E_MIN = -16445;
/** Largest exponent a normalised significand may carry: values stay below 2^16384. */
const E_MAX = 16384 - P;
/** MAX_LONG_DOUBLE_CHARS in Valkey: string2ld refuses inputs this long or longer. */
export const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

const TWO_P = 1n << BigInt(P);
const TWO_P1 = 1n << BigInt(P - 1);

export const LD_ZERO: LongDouble = { kind: 'zero', neg: false };

function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  const hex = n.toString(16);
  const top = parseInt(hex[0]!, 16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(top));
}

/**
 * Rounds the positive exact value num/den × 2^e0 to a long double (nearest,
 * ties to even), with gradual underflow to zero and overflow to infinity.
 */
function roundExact(neg: boolean, num: bigint, den: bigint, e0: number): LongDouble {
  // num/den lies in [2^(bl-1), 2^(bl+1)).
  const bl = bitLength(num) - bitLength(den);
  let e = Math.max(bl - P + e0, E_MIN);
  for (;;) {
    const shift = e - e0; // we want q = floor(num / den / 2^shift)
    let n = num;
    let d = den;
    if (shift < 0) n <<= BigInt(-shift);
    else if (shift > 0) d <<= BigInt(shift);
    let q = n / d;
    if (q >= TWO_P) {
      e++;
      continue;
    }
    const r2 = (n - q * d) * 2n;
    if (r2 > d || (r2 === d && (q & 1n) === 1n)) q++;
    if (q === TWO_P) {
      q = TWO_P1;
      e++;
    }
    if (q === 0n) return { kind: 'zero', neg };
    if (e > E_MAX) return { kind: 'inf', neg };
    return { kind: 'finite', neg, m: q, e };
  }
}

/** The long double nearest to an integer (exact for every int64). */
export function ldFromBigInt(v: bigint): LongDouble {
  if (v === 0n) return LD_ZERO;
  const neg = v < 0n;
  return roundExact(neg, neg ? -v : v, 1n, 0);
}

export function isFinite(x: LongDouble): boolean {
  return x.kind === 'finite' || x.kind === 'zero';
}

/** a + b in long double arithmetic (round to nearest even). */
export function ldAdd(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === 'nan' || b.kind === 'nan') return { kind: 'nan' };
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === 'inf' && b.kind === 'inf' && a.neg !== b.neg) return { kind: 'nan' };
    return a.kind === 'inf' ? a : b;
  }
  if (a.kind === 'zero') return b.kind === 'zero' ? { kind: 'zero', neg: a.neg && b.neg } : b;
  if (b.kind === 'zero') return a;
  const e0 = Math.min(a.e, b.e);
  const sa = a.m << BigInt(a.e - e0);
  const sb = b.m << BigInt(b.e - e0);
  const s = (a.neg ? -sa : sa) + (b.neg ? -sb : sb);
  if (s === 0n) return LD_ZERO;
  return s < 0n ? roundExact(true, -s, 1n, e0) : roundExact(false, s, 1n, e0);
}

const POW10_17 = 10n ** 17n;

/**
 * printf("%.17Lf") of a finite value: exact decimal expansion rounded to 17
 * fraction digits, ties to even (glibc in round-to-nearest mode).
 */
export function formatFixed17(x: LongDouble): string {
  if (x.kind === 'nan') return 'nan';
  if (x.kind === 'inf') return x.neg ? '-inf' : 'inf';
  let n: bigint;
  if (x.kind === 'zero') n = 0n;
  else if (x.e >= 0) n = (x.m << BigInt(x.e)) * POW10_17;
  else {
    const shift = BigInt(-x.e);
    const num = x.m * POW10_17;
    n = num >> shift;
    const r2 = (num - (n << shift)) << 1n;
    const d = 1n << shift;
    if (r2 > d || (r2 === d && (n & 1n) === 1n)) n++;
  }
  const digits = n.toString().padStart(18, '0');
  return (x.neg ? '-' : '') + digits.slice(0, -17) + '.' + digits.slice(-17);
}

/** ld2string(LD_STR_HUMAN): "%.17Lf" with trailing zeros (and a bare '.') removed, "-0" as "0". */
export function formatHuman(x: LongDouble): string {
  if (x.kind === 'nan') return 'nan';
  if (x.kind === 'inf') return x.neg ? '-inf' : 'inf';
  let s = formatFixed17(x);
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  s = s.slice(0, end);
  return s === '-0' ? '0' : s;
}

// --- parsing ---

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const hexVal = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;

/** Upper bound on an exponent's magnitude that still matters (larger ones saturate). */
const EXP_CAP = 100_000_000;

/**
 * strtold on a NUL-free string: the value and how many characters it
 * consumed (0 when there is no number). Leading whitespace is skipped, as
 * strtold does; string2ld refuses it separately.
 */
export function strtold(s: string): { value: LongDouble; end: number; erange: boolean } {
  const len = s.length;
  let i = 0;
  while (i < len && isCSpace(s.charCodeAt(i))) i++;
  let neg = false;
  const c0 = s.charCodeAt(i);
  if (c0 === 43 || c0 === 45) {
    neg = c0 === 45;
    i++;
  }
  const none = { value: LD_ZERO, end: 0, erange: false };
  // inf / infinity / nan / nan(chars)
  const word = s.slice(i, i + 8).toLowerCase();
  if (word.startsWith('inf')) {
    return { value: { kind: 'inf', neg }, end: i + (word === 'infinity' ? 8 : 3), erange: false };
  }
  if (word.startsWith('nan')) {
    let end = i + 3;
    if (s.charCodeAt(end) === 40) {
      let j = end + 1;
      while (j < len) {
        const c = s.charCodeAt(j);
        if (isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) j++;
        else break;
      }
      if (s.charCodeAt(j) === 41) end = j + 1;
    }
    return { value: { kind: 'nan' }, end, erange: false };
  }
  // hexadecimal
  if (s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 0x20) === 120) {
    const r = parseHex(s, i + 2, neg);
    if (r) return r;
    // "0x" without hex digits: the "0" alone is the number.
    return { value: { kind: 'zero', neg }, end: i + 1, erange: false };
  }
  // decimal
  let j = i;
  let intDigits = '';
  while (j < len && isDigit(s.charCodeAt(j))) j++;
  intDigits = s.slice(i, j);
  let fracDigits = '';
  if (s.charCodeAt(j) === 46) {
    const k0 = j + 1;
    let k = k0;
    while (k < len && isDigit(s.charCodeAt(k))) k++;
    fracDigits = s.slice(k0, k);
    if (intDigits.length > 0 || fracDigits.length > 0) j = k;
  }
  if (intDigits.length === 0 && fracDigits.length === 0) return none;
  let exp = 0;
  const ce = s.charCodeAt(j);
  if (ce === 101 || ce === 69) {
    let k = j + 1;
    let eneg = false;
    const cs = s.charCodeAt(k);
    if (cs === 43 || cs === 45) {
      eneg = cs === 45;
      k++;
    }
    if (isDigit(s.charCodeAt(k))) {
      while (k < len && isDigit(s.charCodeAt(k))) {
        if (exp < EXP_CAP) exp = exp * 10 + (s.charCodeAt(k) - 48);
        k++;
      }
      if (eneg) exp = -exp;
      j = k;
    }
  }
  const value = decimalToLd(neg, intDigits + fracDigits, exp - fracDigits.length);
  return { value, end: j, erange: isRange(value, intDigits + fracDigits) };
}

/** strtold sets ERANGE on overflow, and on underflow to zero of a non-zero input. */
function isRange(v: LongDouble, digits: string): boolean {
  if (v.kind === 'inf') return true;
  if (v.kind === 'zero') return /[1-9]/.test(digits);
  return false;
}

function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Value of the decimal digit string × 10^exp10. */
function decimalToLd(neg: boolean, digits: string, exp10: number): LongDouble {
  let k = 0;
  while (k < digits.length && digits.charCodeAt(k) === 48) k++;
  const sig = digits.slice(k);
  if (sig.length === 0) return { kind: 'zero', neg };
  // Magnitude in [10^(mag-1), 10^mag).
  const mag = sig.length + exp10;
  if (mag > 4940) return { kind: 'inf', neg };
  if (mag < -4955) return { kind: 'zero', neg };
  const d = BigInt(sig);
  if (exp10 >= 0) return roundExact(neg, d * 10n ** BigInt(exp10), 1n, 0);
  return roundExact(neg, d, 10n ** BigInt(-exp10), 0);
}

function parseHex(s: string, start: number, neg: boolean): { value: LongDouble; end: number; erange: boolean } | null {
  const len = s.length;
  let j = start;
  let mant = 0n;
  let ndig = 0;
  let fracDigits = 0;
  while (j < len && hexVal(s.charCodeAt(j)) >= 0) {
    mant = (mant << 4n) | BigInt(hexVal(s.charCodeAt(j)));
    ndig++;
    j++;
  }
  if (s.charCodeAt(j) === 46) {
    let k = j + 1;
    let nfrac = 0;
    while (k < len && hexVal(s.charCodeAt(k)) >= 0) {
      mant = (mant << 4n) | BigInt(hexVal(s.charCodeAt(k)));
      nfrac++;
      k++;
    }
    if (ndig + nfrac > 0) {
      j = k;
      fracDigits = nfrac;
      ndig += nfrac;
    }
  }
  if (ndig === 0) return null;
  let exp = 0;
  if ((s.charCodeAt(j) | 0x20) === 112) {
    let k = j + 1;
    let eneg = false;
    const cs = s.charCodeAt(k);
    if (cs === 43 || cs === 45) {
      eneg = cs === 45;
      k++;
    }
    if (isDigit(s.charCodeAt(k))) {
      while (k < len && isDigit(s.charCodeAt(k))) {
        if (exp < EXP_CAP) exp = exp * 10 + (s.charCodeAt(k) - 48);
        k++;
      }
      if (eneg) exp = -exp;
      j = k;
    }
  }
  let value: LongDouble;
  if (mant === 0n) value = { kind: 'zero', neg };
  else {
    const e2 = exp - 4 * fracDigits;
    const top = bitLength(mant) + e2;
    if (top > 16400) value = { kind: 'inf', neg };
    else if (top < -16500) value = { kind: 'zero', neg };
    else value = roundExact(neg, mant, 1n, e2);
  }
  return { value, end: j, erange: value.kind === 'inf' || (value.kind === 'zero' && mant !== 0n) };
}

/**
 * string2ld: the whole string must be a number (no leading space, nothing
 * after), shorter than MAX_LONG_DOUBLE_CHARS; overflow, underflow to zero and
 * NaN are refused. Infinity is accepted.
 */
export function parseLongDouble(s: Bytes): LongDouble | null {
  const n = s.length;
  if (n === 0 || n >= MAX_LONG_DOUBLE_CHARS) return null;
  if (isCSpace(s.charCodeAt(0))) return null;
  const r = strtold(s);
  if (r.end !== n) return null; // also covers an embedded NUL
  if (r.value.kind === 'nan' || r.erange) return null;
  return r.value;
}
