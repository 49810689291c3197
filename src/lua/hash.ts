/**
 * String hashes used to place string keys in a table's hash part.
 *
 * Valkey's bundled Lua (deps/lua/src/lstring.c) hashes every string with
 * MurmurHash3 (x86, 32 bit) seeded with the string's length; stock Lua 5.1
 * uses its own shift/xor hash that samples at most 32 characters. Strings are
 * byte strings held as latin1 JS strings (one char per byte).
 */
export type StringHash = (s: string) => number;

/** MurmurHash3_x86_32 of the bytes of `s`, seed = length (Valkey's luaS_newlstr). */
export const valkeyStringHash: StringHash = (s) => {
  const len = s.length;
  let h = len >>> 0;
  const nblocks = len >>> 2;
  for (let b = 0; b < nblocks; b++) {
    const i = b << 2;
    let k = (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24)) >>> 0;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const t = nblocks << 2;
  let k1 = 0;
  const rem = len & 3;
  if (rem >= 3) k1 ^= s.charCodeAt(t + 2) << 16;
  if (rem >= 2) k1 ^= s.charCodeAt(t + 1) << 8;
  if (rem >= 1) {
      k1 ^= s.charCodeAt(t);
      k1 = Math.imul(k1, 0xcc9e2d51);
      k1 = (k1 << 15) | (k1 >>> 17);
      k1 = Math.imul(k1, 0x1b873593);
      h ^= k1;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** Stock Lua 5.1's luaS_newlstr hash (what /usr/bin/lua5.1 uses). */
export const lua51StringHash: StringHash = (s) => {
  const l = s.length;
  let h = l >>> 0;
  const step = (l >> 5) + 1;
  for (let l1 = l; l1 >= step; l1 -= step) {
    h = (h ^ (((h << 5) >>> 0) + (h >>> 2) + s.charCodeAt(l1 - 1))) >>> 0;
  }
  return h;
};
