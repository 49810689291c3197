/**
 * HyperLogLog values, as Valkey's hyperloglog.c lays them out in a plain
 * string: a 16-byte header ("HYLL", encoding byte, 3 unused bytes, the cached
 * cardinality as a little-endian uint64 whose top bit marks it stale), then
 * either the sparse opcodes (ZERO 00xxxxxx, XZERO 01xxxxxx yyyyyyyy, VAL
 * 1vvvvvxx) or 16384 dense 6-bit registers packed LSB first.
 *
 * Stored values stay Bytes (GET must see exactly what Valkey stores); a
 * command works on an `Hll`, a growable byte buffer loaded from them and
 * written back. Every in-place edit follows the C code step by step (sparse
 * splits, the 5-opcode merge scan, promotion on size or value) so that the
 * resulting bytes are Valkey's.
 */
import type { Bytes } from '../../protocol/index.js';

export const HLL_P = 14;
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
const HLL_P_MASK = HLL_REGISTERS - 1;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + Math.floor((HLL_REGISTERS * 6 + 7) / 8);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HLL_MAX_ENCODING = 1;
const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
/** Valkey's seed for element hashing (hllPatLen). */
export const HLL_SEED = 0xadc83b19;
/** 0.5/ln(2): Valkey writes 0.721347520444481703680, which is this double. */
const HLL_ALPHA_INF = 0.7213475204444817;

// --- MurmurHash64A over two 32-bit halves --------------------------------

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
const M_LO0 = M_LO & 0xffff;
const M_LO1 = M_LO >>> 16;

// Results of mulM and murmurHash64A, to avoid an allocation per call.
let rHi = 0;
let rLo = 0;

/** (hi:lo) * m mod 2^64 into rHi:rLo. */
function mulM(hi: number, lo: number): void {
  const a0 = lo & 0xffff;
  const a1 = lo >>> 16;
  const p00 = a0 * M_LO0;
  const p01 = a0 * M_LO1;
  const p10 = a1 * M_LO0;
  const p11 = a1 * M_LO1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  rLo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const carry = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  rHi = (carry + Math.imul(hi, M_LO) + Math.imul(lo, M_HI)) >>> 0;
}

/**
 * MurmurHash64A (Valkey's endian-neutral variant) of a byte string, as
 * [high 32 bits, low 32 bits] of the unsigned 64-bit hash.
 */
export function murmurHash64A(data: Bytes, seed: number): [number, number] {
  murmur(data, seed);
  return [rHi, rLo];
}

function murmur(data: Bytes, seed: number): void {
  const len = data.length;
  mulM(0, len);
  let hHi = rHi;
  let hLo = (rLo ^ seed) >>> 0;
  const blocks = len - (len & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    const kLo = (data.charCodeAt(i) | (data.charCodeAt(i + 1) << 8) | (data.charCodeAt(i + 2) << 16) | (data.charCodeAt(i + 3) << 24)) >>> 0;
    const kHi = (data.charCodeAt(i + 4) | (data.charCodeAt(i + 5) << 8) | (data.charCodeAt(i + 6) << 16) | (data.charCodeAt(i + 7) << 24)) >>> 0;
    mulM(kHi, kLo);
    // k ^= k >> 47; k *= m
    mulM(rHi, (rLo ^ (rHi >>> 15)) >>> 0);
    // h ^= k; h *= m
    mulM((hHi ^ rHi) >>> 0, (hLo ^ rLo) >>> 0);
    hHi = rHi;
    hLo = rLo;
  }
  const tail = len & 7;
  if (tail !== 0) {
    let tLo = 0;
    let tHi = 0;
    for (let j = tail - 1; j >= 0; j--) {
      const c = data.charCodeAt(i + j);
      if (j >= 4) tHi |= c << ((j - 4) * 8);
      else tLo |= c << (j * 8);
    }
    mulM((hHi ^ tHi) >>> 0, (hLo ^ tLo) >>> 0);
    hHi = rHi;
    hLo = rLo;
  }
  // h ^= h >> 47; h *= m; h ^= h >> 47
  mulM(hHi, (hLo ^ (hHi >>> 15)) >>> 0);
  rLo = (rLo ^ (rHi >>> 15)) >>> 0;
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * hllPatLen: the register an element maps to and the length of its
 * "000..1" pattern, packed as count * 16384 + index.
 */
export function hllPatLen(ele: Bytes): number {
  murmur(ele, HLL_SEED);
  const index = rLo & HLL_P_MASK;
  const lo = ((rLo >>> HLL_P) | (rHi << (32 - HLL_P))) >>> 0;
  const hi = (rHi >>> HLL_P) | (1 << (HLL_Q - 32));
  const count = 1 + (lo !== 0 ? ctz32(lo) : 32 + ctz32(hi));
  return count * HLL_REGISTERS + index;
}

// --- the value as bytes --------------------------------------------------

/**
 * isHLLObjectOrReply's checks on a string: long enough for the header,
 * "HYLL", a known encoding, and a dense value of the exact dense size.
 */
export function isValidHll(v: Bytes): boolean {
  if (v.length < HLL_HDR_SIZE) return false;
  if (v.charCodeAt(0) !== 72 || v.charCodeAt(1) !== 89 || v.charCodeAt(2) !== 76 || v.charCodeAt(3) !== 76) return false;
  const enc = v.charCodeAt(4);
  if (enc > HLL_MAX_ENCODING) return false;
  if (enc === HLL_DENSE && v.length !== HLL_DENSE_SIZE) return false;
  return true;
}

/** The encoding byte of a (valid) HLL string. */
export function hllEncodingOf(v: Bytes): number {
  return v.charCodeAt(4);
}

/** createHLLObject: an empty sparse HLL (one XZERO:16384), cached cardinality 0. */
export const EMPTY_HLL: Bytes = 'HYLL\x01' + '\0'.repeat(11) + '\x7f\xff';

/** The cached cardinality, when its valid bit says it can be used; undefined otherwise. */
export function cachedCardinality(v: Bytes): number | bigint | undefined {
  if (v.charCodeAt(15) & 0x80) return undefined;
  const lo = (v.charCodeAt(8) | (v.charCodeAt(9) << 8) | (v.charCodeAt(10) << 16) | (v.charCodeAt(11) << 24)) >>> 0;
  const hi = (v.charCodeAt(12) | (v.charCodeAt(13) << 8) | (v.charCodeAt(14) << 16) | (v.charCodeAt(15) << 24)) >>> 0;
  if (hi < 0x200000) return hi * 0x100000000 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** The value with its cached cardinality (an unsigned 64-bit count) stored in the header. */
export function withCachedCardinality(v: Bytes, card: bigint): Bytes {
  let s = '';
  let c = card;
  for (let i = 0; i < 8; i++) {
    s += String.fromCharCode(Number(c & 0xffn));
    c >>= 8n;
  }
  return v.slice(0, 8) + s + v.slice(16);
}

/**
 * A working copy of an HLL string: `buf[0..len)` are the bytes, and the
 * byte at `len` plays the part of the sds NUL terminator (the C code reads
 * it, for the last dense register and a trailing XZERO's second byte).
 */
export class Hll {
  buf: Uint8Array;
  len: number;

  private constructor(buf: Uint8Array, len: number) {
    this.buf = buf;
    this.len = len;
  }

  static from(v: Bytes): Hll {
    const len = v.length;
    const cap = v.charCodeAt(4) === HLL_DENSE ? len + 1 : Math.max(len * 2, len + 8, 64);
    const buf = Buffer.alloc(cap);
    buf.write(v, 0, len, 'latin1');
    return new Hll(buf, len);
  }

  static empty(): Hll {
    return Hll.from(EMPTY_HLL);
  }

  get encoding(): number {
    return this.buf[4]!;
  }

  toBytes(): Bytes {
    return Buffer.from(this.buf.buffer, this.buf.byteOffset, this.len).toString('latin1');
  }

  /** HLL_INVALIDATE_CACHE */
  invalidateCache(): void {
    this.buf[15]! |= 0x80;
  }

  /** Room for `n` bytes plus the terminator, contents (terminator included) kept. */
  reserve(n: number): void {
    if (this.buf.length > n) return;
    const nb = Buffer.alloc(Math.max(n + 1, this.buf.length * 2));
    nb.set(this.buf);
    this.buf = nb;
  }

  /** Sets the length as sdsIncrLen does: the byte at the new end becomes the terminator. */
  setLen(n: number): void {
    this.len = n;
    this.buf[n] = 0;
  }
}

// --- dense registers -----------------------------------------------------

export function denseGet(b: Uint8Array, reg: number): number {
  const bit = reg * 6;
  const byte = HLL_HDR_SIZE + (bit >>> 3);
  const fb = bit & 7;
  return ((b[byte]! >> fb) | (b[byte + 1]! << (8 - fb))) & 63;
}

export function denseSetRegister(b: Uint8Array, reg: number, v: number): void {
  const bit = reg * 6;
  const byte = HLL_HDR_SIZE + (bit >>> 3);
  const fb = bit & 7;
  const fb8 = 8 - fb;
  b[byte] = (b[byte]! & ~(63 << fb)) | (v << fb);
  b[byte + 1] = (b[byte + 1]! & ~(63 >> fb8)) | (v >> fb8);
}

/** A dense register read straight from the stored string. */
export function denseGetFromBytes(v: Bytes, reg: number): number {
  const bit = reg * 6;
  const byte = HLL_HDR_SIZE + (bit >>> 3);
  const fb = bit & 7;
  const b1 = byte + 1 < v.length ? v.charCodeAt(byte + 1) : 0;
  return ((v.charCodeAt(byte) >> fb) | (b1 << (8 - fb))) & 63;
}

/** hllDenseSet: raises the register to `count` when lower; 1 if it changed. */
export function denseSet(b: Uint8Array, reg: number, count: number): number {
  if (count > denseGet(b, reg)) {
    denseSetRegister(b, reg, count);
    return 1;
  }
  return 0;
}

// --- sparse <-> dense ----------------------------------------------------

/**
 * hllSparseToDense: the sparse HLL rewritten dense (header copied, cached
 * cardinality included). False, and `h` untouched, when the sparse opcodes
 * don't cover exactly 16384 registers.
 */
export function sparseToDense(h: Hll): boolean {
  if (h.encoding === HLL_DENSE) return true;
  const src = h.buf;
  const end = h.len;
  const dense = Buffer.alloc(HLL_DENSE_SIZE + 1);
  dense.set(src.subarray(0, HLL_HDR_SIZE));
  dense[4] = HLL_DENSE;
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < end) {
    const op = src[p]!;
    if ((op & 0xc0) === 0) {
      const run = (op & 0x3f) + 1;
      if (run + idx > HLL_REGISTERS) return false;
      idx += run;
      p++;
    } else if ((op & 0xc0) === 0x40) {
      const run = (((op & 0x3f) << 8) | src[p + 1]!) + 1;
      if (run + idx > HLL_REGISTERS) return false;
      idx += run;
      p += 2;
    } else {
      let run = (op & 3) + 1;
      const val = ((op >> 2) & 0x1f) + 1;
      if (run + idx > HLL_REGISTERS) return false;
      while (run--) denseSetRegister(dense, idx++, val);
      p++;
    }
  }
  if (idx !== HLL_REGISTERS) return false;
  h.buf = dense;
  h.len = HLL_DENSE_SIZE;
  return true;
}

const valOp = (val: number, len: number): number => (((val - 1) << 2) | (len - 1) | 0x80);

/**
 * hllSparseSet: raises register `index` to `count` in a sparse HLL, in place,
 * splitting the opcode that covers it and merging equal neighbours; promotes
 * to dense when the value doesn't fit a VAL opcode or the string would grow
 * past `maxBytes` (hll-sparse-max-bytes). 1 when the register changed, 0 when
 * not, -1 when the representation is corrupt.
 */
export function sparseSet(h: Hll, index: number, count: number, maxBytes: number): number {
  if (count > SPARSE_VAL_MAX_VALUE) return promote(h, index, count);
  h.reserve(h.len + 3);
  const b = h.buf;
  let end = h.len;

  // Step 1: find the opcode covering the register.
  let p = HLL_HDR_SIZE;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < end) {
    const op = b[p]!;
    let oplen = 1;
    if ((op & 0xc0) === 0) span = (op & 0x3f) + 1;
    else if (op & 0x80) span = (op & 3) + 1;
    else {
      span = (((op & 0x3f) << 8) | b[p + 1]!) + 1;
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;

  const op = b[p]!;
  const isXzero = (op & 0xc0) === 0x40;
  const isZero = (op & 0xc0) === 0;
  const isVal = (op & 0x80) !== 0;
  let next = isXzero ? p + 2 : p + 1;
  if (next >= end) next = -1;
  const runlen = isZero ? (op & 0x3f) + 1 : isXzero ? (((op & 0x3f) << 8) | b[p + 1]!) + 1 : (op & 3) + 1;

  let updatedInPlace = false;
  if (isVal) {
    const old = ((op >> 2) & 0x1f) + 1;
    if (old >= count) return 0; // Case A
    if (runlen === 1) {
      b[p] = valOp(count, 1); // Case B
      updatedInPlace = true;
    }
  }
  if (!updatedInPlace && isZero && runlen === 1) {
    b[p] = valOp(count, 1); // Case C
    updatedInPlace = true;
  }

  if (!updatedInPlace) {
    // Case D: split the opcode into up to three.
    const seq: number[] = [];
    const last = first + span - 1;
    if (isZero || isXzero) {
      if (index !== first) pushZeros(seq, index - first);
      seq.push(valOp(count, 1));
      if (index !== last) pushZeros(seq, last - index);
    } else {
      const cur = ((op >> 2) & 0x1f) + 1;
      if (index !== first) seq.push(valOp(cur, index - first));
      seq.push(valOp(count, 1));
      if (index !== last) seq.push(valOp(cur, last - index));
    }
    // Step 3: put the new sequence in place of the old opcode.
    const seqlen = seq.length;
    const delta = seqlen - (isXzero ? 2 : 1);
    if (delta > 0 && h.len + delta > maxBytes) return promote(h, index, count);
    if (delta !== 0 && next >= 0) b.copyWithin(next + delta, next, end);
    h.setLen(h.len + delta);
    for (let i = 0; i < seqlen; i++) b[p + i] = seq[i]!;
    end += delta;
  }

  // Step 4: merge adjacent VAL opcodes with the same value, scanning up to 5 opcodes from prev.
  p = prev >= 0 ? prev : HLL_HDR_SIZE;
  let scanlen = 5;
  while (p < end && scanlen-- !== 0) {
    const op1 = b[p]!;
    if ((op1 & 0xc0) === 0x40) {
      p += 2;
      continue;
    }
    if ((op1 & 0xc0) === 0) {
      p++;
      continue;
    }
    if (p + 1 < end && (b[p + 1]! & 0x80) !== 0) {
      const v1 = ((op1 >> 2) & 0x1f) + 1;
      const op2 = b[p + 1]!;
      if (v1 === ((op2 >> 2) & 0x1f) + 1) {
        const len = (op1 & 3) + 1 + (op2 & 3) + 1;
        if (len <= SPARSE_VAL_MAX_LEN) {
          b[p + 1] = valOp(v1, len);
          b.copyWithin(p, p + 1, end + 1);
          h.setLen(h.len - 1);
          end--;
          continue;
        }
      }
    }
    p++;
  }
  h.invalidateCache();
  return 1;
}

function pushZeros(seq: number[], len: number): void {
  if (len > SPARSE_ZERO_MAX_LEN) {
    const l = len - 1;
    seq.push((l >> 8) | 0x40, l & 0xff);
  } else {
    seq.push(len - 1);
  }
}

function promote(h: Hll, index: number, count: number): number {
  if (!sparseToDense(h)) return -1;
  denseSet(h.buf, index, count);
  return 1;
}

/** hllAdd: 1 when a register changed, 0 when not, -1 on a corrupt sparse HLL. */
export function hllAdd(h: Hll, ele: Bytes, maxBytes: number): number {
  const pl = hllPatLen(ele);
  const index = pl & HLL_P_MASK;
  const count = (pl - index) / HLL_REGISTERS;
  if (h.encoding === HLL_DENSE) return denseSet(h.buf, index, count);
  if (h.encoding === HLL_SPARSE) return sparseSet(h, index, count, maxBytes);
  return -1;
}

// --- counting --------------------------------------------------------------

/** Register histogram of an HLL string; false when a sparse one is corrupt (the histogram is still filled). */
export function registerHistogram(v: Bytes, histo: Int32Array): boolean {
  if (v.charCodeAt(4) === HLL_DENSE) {
    const n = HLL_HDR_SIZE + HLL_REGISTERS * 6 / 8;
    for (let i = HLL_HDR_SIZE; i < n; i += 3) {
      const b0 = v.charCodeAt(i);
      const b1 = v.charCodeAt(i + 1);
      const b2 = v.charCodeAt(i + 2);
      histo[b0 & 63]!++;
      histo[((b0 >> 6) | (b1 << 2)) & 63]!++;
      histo[((b1 >> 4) | (b2 << 4)) & 63]!++;
      histo[b2 >> 2]!++;
    }
    return true;
  }
  let idx = 0;
  let p = HLL_HDR_SIZE;
  const end = v.length;
  while (p < end) {
    const op = v.charCodeAt(p);
    if ((op & 0xc0) === 0) {
      const run = (op & 0x3f) + 1;
      if (run + idx > HLL_REGISTERS) return false;
      idx += run;
      histo[0]! += run;
      p++;
    } else if ((op & 0xc0) === 0x40) {
      const run = (((op & 0x3f) << 8) | (p + 1 < end ? v.charCodeAt(p + 1) : 0)) + 1;
      if (run + idx > HLL_REGISTERS) return false;
      idx += run;
      histo[0]! += run;
      p += 2;
    } else {
      const run = (op & 3) + 1;
      if (run + idx > HLL_REGISTERS) return false;
      idx += run;
      histo[((op >> 2) & 0x1f) + 1]! += run;
      p++;
    }
  }
  return idx === HLL_REGISTERS;
}

/** Histogram of raw registers (one byte each), as for a multi-key PFCOUNT. */
export function rawHistogram(regs: Uint8Array, histo: Int32Array): void {
  for (let i = 0; i < HLL_REGISTERS; i++) histo[regs[i]!]!++;
}

/** hllSigma (Ertl, arXiv:1702.01284). */
function sigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

/** hllTau (Ertl, arXiv:1702.01284). */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const t = 1 - x;
    z -= t * t * y;
  } while (zPrime !== z);
  return z / 3;
}

const TWO63 = 2 ** 63;

/**
 * hllCount's estimate from a register histogram (Ertl's improved estimator),
 * as the unsigned 64-bit integer Valkey computes: llroundl of the estimate,
 * where an infinite estimate (every register at its maximum) gives 2^63.
 */
export function estimate(histo: Int32Array): bigint {
  const m = HLL_REGISTERS;
  let z = m * tau((m - histo[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += histo[j]!;
    z *= 0.5;
  }
  z += m * sigma(histo[0]! / m);
  const e = (HLL_ALPHA_INF * m * m) / z;
  if (!(e < TWO63)) return 1n << 63n; // llroundl out of range: the x86 "integer indefinite"
  return BigInt(Math.round(e));
}

/** hllMerge: max[i] = MAX(max[i], register i); false when a sparse HLL is corrupt. */
export function mergeInto(max: Uint8Array, v: Bytes): boolean {
  if (v.charCodeAt(4) === HLL_DENSE) {
    let r = 0;
    const n = HLL_HDR_SIZE + HLL_REGISTERS * 6 / 8;
    for (let i = HLL_HDR_SIZE; i < n; i += 3) {
      const b0 = v.charCodeAt(i);
      const b1 = v.charCodeAt(i + 1);
      const b2 = v.charCodeAt(i + 2);
      const a = b0 & 63;
      const b = ((b0 >> 6) | (b1 << 2)) & 63;
      const c = ((b1 >> 4) | (b2 << 4)) & 63;
      const d = b2 >> 2;
      if (a > max[r]!) max[r] = a;
      if (b > max[r + 1]!) max[r + 1] = b;
      if (c > max[r + 2]!) max[r + 2] = c;
      if (d > max[r + 3]!) max[r + 3] = d;
      r += 4;
    }
    return true;
  }
  let i = 0;
  let p = HLL_HDR_SIZE;
  const end = v.length;
  while (p < end) {
    const op = v.charCodeAt(p);
    if ((op & 0xc0) === 0) {
      const run = (op & 0x3f) + 1;
      if (run + i > HLL_REGISTERS) return false;
      i += run;
      p++;
    } else if ((op & 0xc0) === 0x40) {
      const run = (((op & 0x3f) << 8) | (p + 1 < end ? v.charCodeAt(p + 1) : 0)) + 1;
      if (run + i > HLL_REGISTERS) return false;
      i += run;
      p += 2;
    } else {
      let run = (op & 3) + 1;
      const val = ((op >> 2) & 0x1f) + 1;
      if (run + i > HLL_REGISTERS) return false;
      while (run--) {
        if (val > max[i]!) max[i] = val;
        i++;
      }
      p++;
    }
  }
  return i === HLL_REGISTERS;
}

/** hllDenseCompress: writes raw registers into a dense HLL's registers. */
export function denseCompress(b: Uint8Array, max: Uint8Array): void {
  let r = 0;
  const n = HLL_HDR_SIZE + HLL_REGISTERS * 6 / 8;
  for (let i = HLL_HDR_SIZE; i < n; i += 3) {
    const a = max[r]!;
    const bb = max[r + 1]!;
    const c = max[r + 2]!;
    const d = max[r + 3]!;
    b[i] = a | (bb << 6);
    b[i + 1] = (bb >> 2) | (c << 4);
    b[i + 2] = (c >> 4) | (d << 2);
    r += 4;
  }
}

/** PFDEBUG DECODE's text of a sparse HLL ("Z:16384", "z:3 v:2,1 ..."). */
export function decodeSparse(v: Bytes): string {
  const parts: string[] = [];
  let p = HLL_HDR_SIZE;
  const end = v.length;
  while (p < end) {
    const op = v.charCodeAt(p);
    if ((op & 0xc0) === 0) {
      parts.push(`z:${(op & 0x3f) + 1}`);
      p++;
    } else if ((op & 0xc0) === 0x40) {
      parts.push(`Z:${(((op & 0x3f) << 8) | (p + 1 < end ? v.charCodeAt(p + 1) : 0)) + 1}`);
      p += 2;
    } else {
      parts.push(`v:${((op >> 2) & 0x1f) + 1},${(op & 3) + 1}`);
      p++;
    }
  }
  return parts.join(' ');
}
