/**
 * Intsets (intset.c) as bytes: encoding (element width 2, 4 or 8, u32 LE),
 * length (u32 LE), then the integers ascending, little-endian, all of the
 * one width. The width only grows while the set lives (intsetUpgradeAndAdd).
 */
import type { Bytes } from '../../protocol/index.js';
import { ByteWriter } from './bytes.js';

/** The intset blob of sorted canonical integers at `width` bytes each. */
export function encodeIntset(sorted: readonly Bytes[], width: 2 | 4 | 8): Uint8Array {
  const w = new ByteWriter();
  w.uintLE(width, 4);
  w.uintLE(sorted.length, 4);
  for (const v of sorted) {
    if (width === 8) w.i64LE(BigInt(v));
    else {
      const x = Number(v);
      w.uintLE(x < 0 ? 2 ** (8 * width) + x : x, width);
    }
  }
  return w.view();
}

/**
 * intsetValidateIntegrity (deep): the members as canonical text and the
 * width, or null when the blob is malformed, empty, unsorted or has duplicates.
 */
export function decodeIntset(u: Uint8Array): { members: Bytes[]; width: 2 | 4 | 8 } | null {
  if (u.length < 8) return null;
  const dv = new DataView(u.buffer, u.byteOffset, u.length);
  const enc = dv.getUint32(0, true);
  if (enc !== 2 && enc !== 4 && enc !== 8) return null;
  const count = dv.getUint32(4, true);
  if (8 + count * enc !== u.length) return null;
  if (count === 0) return null;
  const members: Bytes[] = [];
  let prev: bigint | null = null;
  for (let i = 0; i < count; i++) {
    const at = 8 + i * enc;
    const v = enc === 2 ? BigInt(dv.getInt16(at, true)) : enc === 4 ? BigInt(dv.getInt32(at, true)) : dv.getBigInt64(at, true);
    if (prev !== null && v <= prev) return null;
    prev = v;
    members.push(v.toString() as Bytes);
  }
  return { members, width: enc };
}
