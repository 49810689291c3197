/**
 * Number formatting as Valkey writes doubles on the wire: `d2string` in
 * util.c. Integers within ±2^62 print through ll2string; every other finite
 * value goes through fpconv_dtoa (deps/fpconv), a Grisu2 digit generator with
 * its own plain / scientific layout.
 *
 * Grisu2 is not always the shortest round-trip representation (JS's
 * Number#toString is), and its last digit is not always the closest one, so
 * the digits here come from our own implementation of the same algorithm,
 * with C's exact uint64 arithmetic done on pairs of 32-bit halves held in
 * doubles.
 */

const TWO32 = 4294967296;
/** POW2[i] = 2^i (Math.pow with a variable exponent is slow). */
const POW2 = new Float64Array(65).map((_, i) => 2 ** i);

/** Whether a double is printed by ll2string: an integer within ±2^62 (util.c double2ll). */
const LL_LIMIT = 4611686018427387904;

export function formatDouble(d: number): string {
  if (d !== d) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return 1 / d < 0 ? '-0' : '0';
  if (d >= -LL_LIMIT && d <= LL_LIMIT && Math.floor(d) === d) {
    return d >= -9007199254740991 && d <= 9007199254740991 ? String(d) : BigInt(d).toString();
  }
  return fpconvDtoa(d);
}

// ---------------------------------------------------------------------------
// Cached powers of ten: 10^k for k = -348, -340, ..., 340, each as a 64-bit
// significand f (2^63 <= f < 2^64, rounded to nearest) and a binary exponent e
// with 10^k ≈ f × 2^e. Computed once, exactly, with BigInt.

const FIRST_POWER = -348;
const POWER_STEP = 8;
const NPOWERS = 87;
const POW_HI: number[] = [];
const POW_LO: number[] = [];
const POW_E: number[] = [];

(function buildPowers(): void {
  const two64 = 1n << 64n;
  const two63 = 1n << 63n;
  for (let i = 0; i < NPOWERS; i++) {
    const k = FIRST_POWER + POWER_STEP * i;
    const num = k >= 0 ? 10n ** BigInt(k) : 1n;
    const den = k >= 0 ? 1n : 10n ** BigInt(-k);
    // Find e with 2^63 <= num / den / 2^e < 2^64, then round num / den / 2^e to nearest.
    let e = num.toString(2).length - den.toString(2).length - 64;
    let n: bigint;
    let q: bigint;
    for (;;) {
      n = e >= 0 ? num : num << BigInt(-e);
      q = e >= 0 ? den << BigInt(e) : den;
      const f = n / q;
      if (f >= two64) e++;
      else if (f < two63) e--;
      else break;
    }
    let f = (2n * n + q) / (2n * q);
    if (f === two64) {
      f >>= 1n;
      e++;
    }
    POW_HI.push(Number(f >> 32n));
    POW_LO.push(Number(f & 0xffffffffn));
    POW_E.push(e);
  }
})();

// ---------------------------------------------------------------------------
// 64-bit arithmetic on (high, low) uint32 halves held in doubles. Helpers
// write their result to a scratch typed array (unboxed: no allocation), and
// avoid double division and `%` (slow): powers of two are multiplied by their
// exact inverse.

const RES = new Float64Array(2);
const INV32 = 1 / TWO32;
/** INV_POW2[i] = 2^-i, exact. */
const INV_POW2 = new Float64Array(65).map((_, i) => 2 ** -i);
const POW10 = new Float64Array(10).map((_, i) => 10 ** i);
const INV_POW10 = new Float64Array(10).map((_, i) => 1 / 10 ** i);

/** Exact product of two uint32 values into RES (high, low). */
function mul32(x: number, y: number): void {
  const lo = Math.imul(x, y) >>> 0;
  // x*y rounded to a double is within 2^11 of the exact product, so this rounds to the exact high word.
  RES[0] = Math.round((x * y - lo) * INV32);
  RES[1] = lo;
}

/**
 * fpconv's multiply(): the high 64 bits of the 128-bit product of a and the
 * cached power c, rounded by adding 2^31 to the discarded middle word.
 */
function mulHigh(ah: number, al: number, ch: number, cl: number): void {
  mul32(ah, cl);
  const p1h = RES[0]!;
  const p1l = RES[1]!;
  mul32(al, ch);
  const p2h = RES[0]!;
  const p2l = RES[1]!;
  mul32(al, cl);
  const p3h = RES[0]!;
  mul32(ah, ch);
  const tmp = p1l + p2l + p3h + 2147483648;
  const low = RES[1]! + p1h + p2h + Math.floor(tmp * INV32);
  const carry = Math.floor(low * INV32);
  RES[0] = RES[0]! + carry;
  RES[1] = low - carry * TWO32;
}

/** (h, l) << n into RES, for a result known to fit in 64 bits. */
function shl(h: number, l: number, n: number): void {
  if (n >= 32) {
    RES[0] = l * POW2[n - 32]!;
    RES[1] = 0;
  } else if (n > 0) {
    const top = Math.floor(l * INV_POW2[32 - n]!); // the bits of l that move to the high word
    RES[0] = h * POW2[n]! + top;
    RES[1] = (l - top * POW2[32 - n]!) * POW2[n]!;
  } else {
    RES[0] = h;
    RES[1] = l;
  }
}

/** (h, l) × 10 into RES (the callers' values stay below 2^64). */
function mul10(h: number, l: number): void {
  const t = l * 10;
  const carry = Math.floor(t * INV32);
  RES[0] = h * 10 + carry;
  RES[1] = t - carry * TWO32;
}

/** Compares (ah, al) with (bh, bl); lows are < 2^32, highs may exceed 2^32. */
function cmp(ah: number, al: number, bh: number, bl: number): number {
  return ah !== bh ? (ah < bh ? -1 : 1) : al < bl ? -1 : al > bl ? 1 : 0;
}

/** Number of significant bits of a value < 2^64 given as (h, l). */
function bitLength(h: number, l: number): number {
  return h > 0 ? 64 - Math.clz32(h) : 32 - Math.clz32(l);
}

// ---------------------------------------------------------------------------

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

const DIGITS = new Uint8Array(32);
const DIGIT_CHARS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
/** The decimal exponent of the last grisu2() result: value = DIGITS × 10^K. */
let K = 0;

/**
 * round_digit(): moves the last digit down while that brings the value closer
 * to w without leaving the interval. Every operand is a 64-bit (high, low) pair.
 */
function roundDigit(
  ndigits: number,
  remH: number, remL: number,
  kapH: number, kapL: number,
  dH: number, dL: number,
  fH: number, fL: number,
): void {
  for (;;) {
    if (cmp(remH, remL, fH, fL) >= 0) return; // rem < frac
    let sL = remL + kapL; // rem + kappa
    let sH = remH + kapH;
    if (sL >= TWO32) {
      sL -= TWO32;
      sH += 1;
    }
    if (cmp(sH, sL, dH, dL) > 0) return; // delta - rem >= kappa
    if (cmp(sH, sL, fH, fL) >= 0) {
      // rem + kappa < frac  ||  frac - rem > rem + kappa - frac, i.e. 2 frac > 2 rem + kappa
      let tL = 2 * remL + kapL;
      let tH = 2 * remH + kapH;
      const c = Math.floor(tL * INV32);
      tL -= c * TWO32;
      tH += c;
      let f2L = 2 * fL;
      let f2H = 2 * fH;
      if (f2L >= TWO32) {
        f2L -= TWO32;
        f2H += 1;
      }
      if (cmp(f2H, f2L, tH, tL) <= 0) return;
    }
    DIGITS[ndigits - 1]!--;
    remH = sH;
    remL = sL;
  }
}

/**
 * Grisu2 as fpconv implements it, for a finite non-zero double given by its
 * two 32-bit words: fills DIGITS and K (value ≈ DIGITS × 10^K), returns the
 * digit count.
 */
function grisu2(hi: number, lo: number): number {
  const biased = (hi >>> 20) & 0x7ff;
  let fh = hi & 0xfffff;
  const fl = lo;
  let e: number;
  if (biased !== 0) {
    fh += 0x100000; // hidden bit
    e = biased - 1075;
  } else {
    e = -1074;
  }

  // Upper boundary (2f + 1) × 2^(e-1), shifted so that its top bit is bit 63.
  let uh = fh * 2;
  let ul = fl * 2 + 1;
  if (ul >= TWO32) {
    ul -= TWO32;
    uh += 1;
  }
  const uShift = 64 - bitLength(uh, ul);
  shl(uh, ul, uShift);
  uh = RES[0]!;
  ul = RES[1]!;
  const ue = e - 1 - uShift;

  // Lower boundary (f << s) - 1 with s = 2 when f is exactly the hidden bit (the
  // lower neighbour is closer), aligned to the upper boundary's exponent.
  const lShift = fh === 0x100000 && fl === 0 ? 2 : 1;
  let lh = fh * POW2[lShift]!;
  let ll = fl * POW2[lShift]! - 1;
  const lc = Math.floor(ll * INV32); // -1, 0 or a small carry
  ll -= lc * TWO32;
  lh += lc;
  shl(lh, ll, e - lShift - ue);
  lh = RES[0]!;
  ll = RES[1]!;

  // w normalized: top bit at bit 63 (the same exponent as upper).
  shl(fh, fl, 64 - bitLength(fh, fl));
  const wh = RES[0]!;
  const wl = RES[1]!;

  // The cached power that brings upper's exponent into [-60, -32].
  const approx = Math.trunc(-(ue + NPOWERS) * 0.30102999566398114);
  let idx = Math.trunc((approx - FIRST_POWER) / POWER_STEP);
  for (;;) {
    const current = ue + POW_E[idx]! + 64;
    if (current < -60) idx++;
    else if (current > -32) idx--;
    else break;
  }
  const ch = POW_HI[idx]!;
  const cl = POW_LO[idx]!;
  const shift = -(ue + POW_E[idx]! + 64); // -one.exp, in [32, 60]
  K = -(FIRST_POWER + idx * POWER_STEP);

  mulHigh(wh, wl, ch, cl);
  const Wh = RES[0]!;
  const Wl = RES[1]!;
  mulHigh(uh, ul, ch, cl);
  let Uh = RES[0]!;
  let Ul = RES[1]! - 1; // upper.frac--
  if (Ul < 0) {
    Ul += TWO32;
    Uh -= 1;
  }
  mulHigh(lh, ll, ch, cl);
  let Lh = RES[0]!;
  let Ll = RES[1]! + 1; // lower.frac++
  if (Ll === TWO32) {
    Ll = 0;
    Lh += 1;
  }

  // wfrac = upper - w, delta = upper - lower
  let wfL = Ul - Wl;
  let wfH = Uh - Wh;
  if (wfL < 0) {
    wfL += TWO32;
    wfH -= 1;
  }
  let dL = Ul - Ll;
  let dH = Uh - Lh;
  if (dL < 0) {
    dL += TWO32;
    dH -= 1;
  }

  // part1 = upper >> shift (taken from the high word alone, as shift >= 32), part2 = the bits below.
  const hiDiv = POW2[shift - 32]!;
  const hiInv = INV_POW2[shift - 32]!;
  let part1 = Math.floor(Uh * hiInv);
  let p2h = Uh - part1 * hiDiv;
  let p2l = Ul;

  // Leading zero digits are skipped; the exit test cannot pass before the first
  // non-zero digit (the remainder is then all of upper, and lower > 0).
  let top = 9;
  while (top > 0 && part1 < POW10[top]!) top--;
  let ndigits = 0;
  for (let kappa = top; kappa >= 0; kappa--) {
    const div = POW10[kappa]!;
    let digit = Math.floor(part1 * INV_POW10[kappa]!);
    let rest = part1 - digit * div;
    if (rest < 0) {
      digit--;
      rest += div;
    } else if (rest >= div) {
      digit++;
      rest -= div;
    }
    DIGITS[ndigits++] = digit;
    part1 = rest;
    // (part1 << shift) + part2 <= delta: done, with kappa digits left over.
    const tH = part1 * hiDiv + p2h;
    if (cmp(tH, p2l, dH, dL) <= 0) {
      K += kappa;
      roundDigit(ndigits, tH, p2l, div * hiDiv, 0, dH, dL, wfH, wfL);
      return ndigits;
    }
  }

  for (let kappa = -1; ; kappa--) {
    mul10(p2h, p2l);
    p2h = RES[0]!;
    p2l = RES[1]!;
    mul10(dH, dL);
    dH = RES[0]!;
    dL = RES[1]!;
    mul10(wfH, wfL); // wfrac × unit, unit = 10^-kappa
    wfH = RES[0]!;
    wfL = RES[1]!;
    const digit = Math.floor(p2h * hiInv);
    DIGITS[ndigits++] = digit; // never a leading zero: the integer part had a digit
    p2h -= digit * hiDiv;
    if (cmp(p2h, p2l, dH, dL) < 0) {
      K += kappa;
      roundDigit(ndigits, p2h, p2l, hiDiv, 0, dH, dL, wfH, wfL);
      return ndigits;
    }
  }
}

/**
 * fpconv_dtoa(): Grisu2 digits of a finite double laid out as fpconv does
 * (plain integer, plain decimal, or d.ddde±x with at most 17 digits when
 * negative, 18 otherwise).
 */
export function fpconvDtoa(d: number): string {
  F64[0] = d;
  const hi = U32[HI]!;
  const lo = U32[LO]!;
  const neg = hi >>> 31 === 1;
  const sign = neg ? '-' : '';
  if (d === 0) return sign + '0';
  if (d !== d) return sign + 'nan';
  if (d === Infinity || d === -Infinity) return sign + 'inf';
  const ndigits = grisu2(hi, lo);
  let digits = '';
  for (let i = 0; i < ndigits; i++) digits += DIGIT_CHARS[DIGITS[i]!]!;
  return sign + layout(digits, K, neg);
}

/** emit_digits(): the layout of `digits × 10^k`. */
function layout(digits: string, k: number, neg: boolean): string {
  let nd = digits.length;
  let exp = Math.abs(k + nd - 1);
  if (k >= 0 && exp < nd + 7) return k === 0 ? digits : digits + '0'.repeat(k);
  if (k < 0 && (k > -7 || exp < 4)) {
    const offset = nd + k;
    if (offset <= 0) return '0.' + '0'.repeat(-offset) + digits;
    return digits.slice(0, offset) + '.' + digits.slice(offset);
  }
  nd = Math.min(nd, neg ? 17 : 18);
  let out = nd > 1 ? digits[0]! + '.' + digits.slice(1, nd) : digits[0]!;
  out += k + nd - 1 < 0 ? 'e-' : 'e+';
  // The exponent has no leading zeros, except that a hundreds digit forces the tens digit.
  let cent = 0;
  if (exp > 99) {
    cent = Math.floor(exp / 100);
    out += cent;
    exp -= cent * 100;
  }
  if (exp > 9) {
    const dec = Math.floor(exp / 10);
    out += dec;
    exp -= dec * 10;
  } else if (cent !== 0) {
    out += '0';
  }
  return out + exp;
}
