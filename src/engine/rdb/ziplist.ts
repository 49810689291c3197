/**
 * The encodings of RDB versions before listpacks, read for RESTORE of
 * payloads from older servers: ziplists (ziplist.c, Redis 2.6 - 6.2 lists,
 * sorted sets and hashes, and quicklist nodes) and zipmaps (zipmap.c, hashes
 * of Redis before 2.6). Both are validated as ziplistValidateIntegrity and
 * zipmapValidateIntegrity do with deep checks.
 */
import type { Bytes } from '../../protocol/index.js';

const ZL_HEADER = 10;
const ZL_END = 0xff;

function latin1(u: Uint8Array, at: number, n: number): Bytes {
  return Buffer.from(u.buffer, u.byteOffset + at, n).toString('latin1') as Bytes;
}

function u32le(u: Uint8Array, at: number): number {
  return (u[at]! | (u[at + 1]! << 8) | (u[at + 2]! << 16)) + u[at + 3]! * 16777216;
}

/** The elements of a ziplist, or null when it is malformed. */
export function decodeZiplist(zl: Uint8Array): Bytes[] | null {
  const size = zl.length;
  if (size < ZL_HEADER + 1) return null;
  if (u32le(zl, 0) !== size) return null;
  if (zl[size - 1] !== ZL_END) return null;
  const tail = u32le(zl, 4);
  if (tail > size - 1) return null;
  const headerCount = zl[8]! | (zl[9]! << 8);
  const last = size - 1;
  const out: Bytes[] = [];
  let p = ZL_HEADER;
  let prev = -1;
  let prevRaw = 0;
  const outOfRange = (q: number): boolean => q < ZL_HEADER || q > last;
  while (zl[p] !== ZL_END) {
    if (outOfRange(p)) return null;
    const prevSize = zl[p]! < 254 ? 1 : 5;
    if (outOfRange(p + prevSize)) return null;
    const prevLen = prevSize === 1 ? zl[p]! : u32le(zl, p + 1);
    const q = p + prevSize;
    let enc = zl[q]!;
    if (enc < 0xc0) enc &= 0xc0;
    let lenSize: number;
    let len: number;
    if (enc === 0x00) {
      lenSize = 1;
      len = zl[q]! & 0x3f;
    } else if (enc === 0x40) {
      lenSize = 2;
      if (outOfRange(q + 1)) return null;
      len = ((zl[q]! & 0x3f) << 8) | zl[q + 1]!;
    } else if (enc === 0x80) {
      lenSize = 5;
      if (outOfRange(q + 4)) return null;
      len = zl[q + 1]! * 16777216 + ((zl[q + 2]! << 16) | (zl[q + 3]! << 8) | zl[q + 4]!);
    } else {
      lenSize = 1;
      if (enc === 0xc0) len = 2;
      else if (enc === 0xd0) len = 4;
      else if (enc === 0xe0) len = 8;
      else if (enc === 0xf0) len = 3;
      else if (enc === 0xfe) len = 1;
      else if (enc >= 0xf1 && enc <= 0xfd) len = 0;
      else return null;
    }
    if (outOfRange(q + lenSize)) return null;
    const header = prevSize + lenSize;
    if (outOfRange(p + header + len)) return null;
    if (outOfRange(p - prevLen) && prevLen !== 0) return null;
    if (prevLen !== prevRaw) return null;
    const d = p + header;
    if (enc < 0xc0) out.push(latin1(zl, d, len));
    else out.push(zipInt(zl, d, enc));
    prevRaw = header + len;
    prev = p;
    p += header + len;
  }
  if (p !== size - 1) return null;
  if (prev !== -1 && prev !== tail) return null;
  if (headerCount !== 65535 && out.length !== headerCount) return null;
  return out;
}

function zipInt(zl: Uint8Array, d: number, enc: number): Bytes {
  const dv = new DataView(zl.buffer, zl.byteOffset);
  let v: number | bigint;
  if (enc === 0xc0) v = dv.getInt16(d, true);
  else if (enc === 0xd0) v = dv.getInt32(d, true);
  else if (enc === 0xe0) v = dv.getBigInt64(d, true);
  else if (enc === 0xf0) v = (zl[d]! | (zl[d + 1]! << 8) | (zl[d + 2]! << 16)) << 8 >> 8;
  else if (enc === 0xfe) v = dv.getInt8(d);
  else v = (enc & 0x0f) - 1;
  return String(v) as Bytes;
}

const ZIPMAP_BIGLEN = 254;
const ZIPMAP_END = 0xff;

/** The field/value pairs of a zipmap, or null when it is malformed (an overlong length encoding included). */
export function decodeZipmap(zm: Uint8Array): [Bytes, Bytes][] | null {
  const size = zm.length;
  if (size < 2) return null;
  if (zm[size - 1] !== ZIPMAP_END) return null;
  const outOfRange = (q: number): boolean => q < 2 || q > size - 1;
  const out: [Bytes, Bytes][] = [];
  let p = 1;
  const readLen = (): number | null => {
    const s = zm[p]! < ZIPMAP_BIGLEN ? 1 : 5;
    if (outOfRange(p + s)) return null;
    const l = s === 1 ? zm[p]! : u32le(zm, p + 1);
    if (l < ZIPMAP_BIGLEN && s !== 1) return null;
    p += s;
    return l;
  };
  while (zm[p] !== ZIPMAP_END) {
    if (p >= size) return null;
    const fl = readLen();
    if (fl === null || fl > size - 1 - p) return null;
    const field = latin1(zm, p, fl);
    p += fl;
    if (outOfRange(p)) return null;
    const vl = readLen();
    if (vl === null) return null;
    const free = zm[p++]!;
    if (vl + free > size - 1 - p) return null;
    const value = latin1(zm, p, vl);
    p += vl + free;
    out.push([field, value]);
    if (outOfRange(p)) return null;
  }
  if (out.length === 0) return null;
  if (zm[0] !== ZIPMAP_BIGLEN && zm[0] !== out.length) return null;
  return out;
}
