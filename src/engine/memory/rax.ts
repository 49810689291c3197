/**
 * raxAllocSize for radix trees of fixed-length binary keys (stream IDs: the
 * stream's nodes, the PELs): the rax struct and every node, each as rax.c
 * lays it out (4-byte header, its chars padded to a pointer, child
 * pointers, a value pointer on key nodes), in jemalloc size classes. The
 * shape is the one rax keeps for a set of keys: a compressed node for every
 * run of shared bytes, a branching node where keys part, a leaf per key.
 */
import { jeSize } from './alloc.js';

/** sizeof(rax). */
const RAX_STRUCT = 32;

/** raxNodeCurrentLength. */
function nodeLen(size: number, compressed: boolean, valued: boolean): number {
  const pad = (8 - ((size + 4) % 8)) & 7;
  return 4 + size + pad + (compressed ? 8 : 8 * size) + (valued ? 8 : 0);
}

function subtree(keys: readonly Uint8Array[], lo: number, hi: number, depth: number, len: number): number {
  if (depth === len) return jeSize(nodeLen(0, false, true));
  const a = keys[lo]!;
  const z = keys[hi - 1]!;
  let lcp = depth;
  while (lcp < len && a[lcp] === z[lcp]) lcp++;
  if (lcp > depth) return jeSize(nodeLen(lcp - depth, true, false)) + subtree(keys, lo, hi, lcp, len);
  let children = 0;
  let sum = 0;
  let i = lo;
  while (i < hi) {
    const c = keys[i]![depth];
    let j = i + 1;
    while (j < hi && keys[j]![depth] === c) j++;
    sum += subtree(keys, i, j, depth + 1, len);
    children++;
    i = j;
  }
  return jeSize(nodeLen(children, false, false)) + sum;
}

/** raxAllocSize of a rax holding `keys` (sorted, distinct, all of length `len`), every value non-NULL. */
export function raxAllocSize(keys: readonly Uint8Array[], len = 16): number {
  if (keys.length === 0) return jeSize(RAX_STRUCT) + jeSize(nodeLen(0, false, false));
  return jeSize(RAX_STRUCT) + subtree(keys, 0, keys.length, 0, len);
}
