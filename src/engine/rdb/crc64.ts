/**
 * CRC-64/Jones as Valkey's crc64.c computes it (reflected, polynomial
 * 0xad93d23594c935a9, reversed 0x95ac9329ac4bc9b5; init 0, no final xor):
 * the checksum at the end of a DUMP payload. Byte-at-a-time with a 256-entry
 * table, the 64-bit state held as two 32-bit halves.
 */

const REV_HI = 0x95ac9329;
const REV_LO = 0xac4bc9b5;

/** T_HI[b], T_LO[b]: the CRC of byte b as two halves. Built once (a constant). */
const T_HI = new Uint32Array(256);
const T_LO = new Uint32Array(256);
for (let b = 0; b < 256; b++) {
  let hi = 0;
  let lo = b;
  for (let k = 0; k < 8; k++) {
    const bit = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi >>>= 1;
    if (bit) {
      hi = (hi ^ REV_HI) >>> 0;
      lo = (lo ^ REV_LO) >>> 0;
    }
  }
  T_HI[b] = hi;
  T_LO[b] = lo;
}

/** crc64(crc, data): continues `crc` over `data[start, end)`. */
export function crc64(data: Uint8Array, start = 0, end = data.length, crc = 0n): bigint {
  let hi = Number(crc >> 32n) >>> 0;
  let lo = Number(crc & 0xffffffffn) >>> 0;
  for (let i = start; i < end; i++) {
    const idx = (lo ^ data[i]!) & 0xff;
    // state >> 8, then xor the table entry
    const nlo = ((lo >>> 8) | ((hi & 0xff) << 24)) >>> 0;
    const nhi = hi >>> 8;
    lo = (nlo ^ T_LO[idx]!) >>> 0;
    hi = (nhi ^ T_HI[idx]!) >>> 0;
  }
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** The CRC as the 8 little-endian bytes a DUMP footer ends with. */
export function crc64Bytes(data: Uint8Array, start = 0, end = data.length): Uint8Array {
  const c = crc64(data, start, end);
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[i] = Number((c >> BigInt(8 * i)) & 0xffn);
  return out;
}
