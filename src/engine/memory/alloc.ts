/**
 * Allocation sizes as Valkey 9.1.2 sees them: jemalloc's size classes (its
 * bundled jemalloc is built with an 8-byte quantum) and sds header sizes.
 */

/** je_malloc_usable_size of an n-byte request (size classes with an 8-byte quantum). */
export function jeSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 64) return (n + 7) & ~7;
  const lg = Math.floor(Math.log2(n - 1));
  const step = 2 ** (lg - 2);
  return Math.ceil(n / step) * step;
}

/** sdsReqType's header size for a string of `len` bytes (type 5 allowed unless `no5`). */
export function sdsHdr(len: number, no5 = false): number {
  if (len < 32 && !no5) return 1;
  if (len <= 252) return 3;
  if (len <= 65530) return 5;
  if (len <= 4294967286) return 9;
  return 17;
}

/** sdsReqSize(len, sdsReqType(len)). */
export function sdsReqSize(len: number, no5 = false): number {
  return sdsHdr(len, no5) + len + 1;
}

