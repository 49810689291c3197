/**
 * Listpacks (listpack.c) as bytes: what Valkey's small lists, sets, sorted
 * sets and hashes look like in memory and in a DUMP payload.
 *
 * Layout: total bytes (u32 LE), element count (u16 LE, 65535 when unknown),
 * the entries, 0xFF. An entry is its encoding (an integer in 7, 13, 16, 24,
 * 32 or 64 bits when the element reads as one, else a string with a 6, 12 or
 * 32-bit length), then its own length backwards in 1 to 5 bytes.
 */
import type { Bytes } from '../../protocol/index.js';
import { isIntEncodable } from '../keyspace/keyspace.js';
import { ByteWriter } from './bytes.js';

const HDR = 6;
const EOF_BYTE = 0xff;
const NUMELE_UNKNOWN = 65535;

/** lpEncodeBacklen's size for an entry of `l` bytes. */
export function backlenSize(l: number): number {
  return l <= 127 ? 1 : l <= 16383 ? 2 : l <= 2097151 ? 3 : l <= 268435455 ? 4 : 5;
}

function writeBacklen(w: ByteWriter, l: number): void {
  const n = backlenSize(l);
  if (n === 1) {
    w.byte(l);
    return;
  }
  // most significant group first; every byte but the first has bit 7 set
  for (let i = n - 1; i >= 0; i--) {
    const group = Math.floor(l / 2 ** (7 * i)) & 127;
    w.byte(i === n - 1 ? group : group | 128);
  }
}

/** Writes one entry (encoding, data, backlen). */
function writeEntry(w: ByteWriter, v: Bytes): void {
  const start = w.length;
  if (v.length <= 20 && isIntEncodable(v)) {
    const big = v.length > 15 ? BigInt(v) : null;
    const x = big === null ? Number(v) : 0;
    if (big === null && x >= 0 && x <= 127) w.byte(x);
    else if (big === null && x >= -4096 && x <= 4095) {
      const u = x < 0 ? 8192 + x : x;
      w.byte((u >> 8) | 0xc0);
      w.byte(u & 0xff);
    } else if (big === null && x >= -32768 && x <= 32767) {
      w.byte(0xf1);
      w.uintLE(x < 0 ? 65536 + x : x, 2);
    } else if (big === null && x >= -8388608 && x <= 8388607) {
      w.byte(0xf2);
      w.uintLE(x < 0 ? 16777216 + x : x, 3);
    } else if (big === null && x >= -2147483648 && x <= 2147483647) {
      w.byte(0xf3);
      w.uintLE(x < 0 ? 4294967296 + x : x, 4);
    } else {
      w.byte(0xf4);
      w.i64LE(big ?? BigInt(v));
    }
  } else {
    const n = v.length;
    if (n < 64) w.byte(0x80 | n);
    else if (n < 4096) {
      w.byte(0xe0 | (n >> 8));
      w.byte(n & 0xff);
    } else {
      w.byte(0xf0);
      w.uintLE(n, 4);
    }
    w.str(v);
  }
  writeBacklen(w, w.length - start);
}

/** The listpack holding `items` in order (lpAppend of each). */
export function encodeListpack(items: Iterable<Bytes>): Uint8Array {
  const w = new ByteWriter();
  w.uintLE(0, 4);
  w.uintLE(0, 2);
  let n = 0;
  for (const v of items) {
    writeEntry(w, v);
    n++;
  }
  w.byte(EOF_BYTE);
  w.patchLE(0, w.length, 4);
  w.patchLE(4, n < NUMELE_UNKNOWN ? n : NUMELE_UNKNOWN, 2);
  return w.view();
}

/** lpCurrentEncodedSizeBytes: bytes of encoding and length; 0 for an invalid encoding. */
function encSizeBytes(b: number): number {
  if ((b & 0x80) === 0) return 1;
  if ((b & 0xc0) === 0x80) return 1;
  if ((b & 0xe0) === 0xc0) return 1;
  if (b >= 0xf1 && b <= 0xf4) return 1;
  if ((b & 0xf0) === 0xe0) return 2;
  if (b === 0xf0) return 5;
  if (b === EOF_BYTE) return 1;
  return 0;
}

/** lpCurrentEncodedSizeUnsafe: encoding, length and data. */
function encSize(lp: Uint8Array, p: number): number {
  const b = lp[p]!;
  if ((b & 0x80) === 0) return 1;
  if ((b & 0xc0) === 0x80) return 1 + (b & 0x3f);
  if ((b & 0xe0) === 0xc0) return 2;
  if (b === 0xf1) return 3;
  if (b === 0xf2) return 4;
  if (b === 0xf3) return 5;
  if (b === 0xf4) return 9;
  if ((b & 0xf0) === 0xe0) return 2 + (((b & 0xf) << 8) | lp[p + 1]!);
  if (b === 0xf0) return 5 + (lp[p + 1]! | (lp[p + 2]! << 8) | (lp[p + 3]! << 16)) + lp[p + 4]! * 16777216;
  return 1;
}

/** lpDecodeBacklen reading backwards from `p`; -1 when longer than 5 bytes. */
function decodeBacklen(lp: Uint8Array, p: number): number {
  let val = 0;
  let shift = 0;
  for (;;) {
    val += (lp[p]! & 127) * 2 ** shift;
    if (!(lp[p]! & 128)) break;
    shift += 7;
    p--;
    if (shift > 28 || p < 0) return -1;
  }
  return val;
}

/** The element at `p` (already validated) as Bytes. */
function readEntry(lp: Uint8Array, p: number): Bytes {
  const b = lp[p]!;
  let v: number;
  if ((b & 0x80) === 0) return String(b) as Bytes;
  if ((b & 0xc0) === 0x80) return latin1(lp, p + 1, b & 0x3f);
  if ((b & 0xe0) === 0xc0) {
    v = ((b & 0x1f) << 8) | lp[p + 1]!;
    if (v >= 4096) v -= 8192;
  } else if (b === 0xf1) {
    v = lp[p + 1]! | (lp[p + 2]! << 8);
    if (v >= 32768) v -= 65536;
  } else if (b === 0xf2) {
    v = lp[p + 1]! | (lp[p + 2]! << 8) | (lp[p + 3]! << 16);
    if (v >= 8388608) v -= 16777216;
  } else if (b === 0xf3) {
    v = (lp[p + 1]! | (lp[p + 2]! << 8) | (lp[p + 3]! << 16) | (lp[p + 4]! << 24)) >> 0;
  } else if (b === 0xf4) {
    let u = 0n;
    for (let i = 8; i >= 1; i--) u = (u << 8n) | BigInt(lp[p + i]!);
    return BigInt.asIntN(64, u).toString() as Bytes;
  } else if ((b & 0xf0) === 0xe0) {
    return latin1(lp, p + 2, ((b & 0xf) << 8) | lp[p + 1]!);
  } else {
    return latin1(lp, p + 5, encSize(lp, p) - 5);
  }
  return String(v) as Bytes;
}

function latin1(u: Uint8Array, at: number, n: number): Bytes {
  return Buffer.from(u.buffer, u.byteOffset + at, n).toString('latin1') as Bytes;
}

/**
 * lpValidateIntegrity, then the elements: null when the bytes are not a
 * well-formed listpack (sizes, terminator, back-lengths, element count).
 */
export function decodeListpack(lp: Uint8Array): Bytes[] | null {
  const size = lp.length;
  if (size < HDR + 1) return null;
  const bytes = (lp[0]! | (lp[1]! << 8) | (lp[2]! << 16)) + lp[3]! * 16777216;
  if (bytes !== size) return null;
  if (lp[size - 1] !== EOF_BYTE) return null;
  const numele = lp[4]! | (lp[5]! << 8);
  const out: Bytes[] = [];
  const outOfRange = (q: number): boolean => q < HDR || q > size - 1;
  let p = HDR;
  while (lp[p] !== EOF_BYTE) {
    if (outOfRange(p)) return null;
    const lenbytes = encSizeBytes(lp[p]!);
    if (lenbytes === 0) return null;
    if (outOfRange(p + lenbytes)) return null;
    let entrylen = encSize(lp, p);
    const bl = backlenSize(entrylen);
    entrylen += bl;
    if (outOfRange(p + entrylen)) return null;
    const prevlen = decodeBacklen(lp, p + entrylen - 1);
    if (prevlen < 0 || prevlen + bl !== entrylen) return null;
    out.push(readEntry(lp, p));
    p += entrylen;
  }
  if (p !== size - 1) return null;
  if (numele !== NUMELE_UNKNOWN && numele !== out.length) return null;
  return out;
}
