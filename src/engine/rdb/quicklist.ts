/**
 * Quicklist node compression (quicklist.c __quicklistCompress,
 * __quicklistCompressNode) under list-compress-depth: every node more than
 * `depth` nodes away from both ends is held LZF-compressed, when it is at
 * least 48 bytes and compression saves more than 8 of them. DUMP writes such
 * a node as its LZF blob and MEMORY USAGE counts the blob's allocation.
 */
import type { ListNode, ListValue } from '../types/list.js';
import { toU8 } from './bytes.js';
import { encodeListpack } from './listpack.js';
import type { LzfCompressor } from './lzf.js';

const MIN_COMPRESS_BYTES = 48;
const MIN_COMPRESS_IMPROVE = 8;

/** The node's bytes as the quicklist holds them uncompressed: its listpack, or a plain node's element. */
export function nodeBytes(n: ListNode): Uint8Array {
  return n.plain ? toU8(n.get(0)) : encodeListpack(n.items());
}

/** Is the node at `index` of `l` (a quicklist) inside the compressed middle for `depth`? */
export function inCompressedRange(l: ListValue, index: number, depth: number): boolean {
  if (depth <= 0 || l.encoding !== 'quicklist' || l.nodes < depth * 2) return false;
  return index >= depth && index < l.nodes - depth;
}

/** __quicklistCompressNode: the LZF blob of `raw`, or null when the node stays uncompressed. */
export function compressNode(raw: Uint8Array, lzf: LzfCompressor): Uint8Array | null {
  if (raw.length < MIN_COMPRESS_BYTES) return null;
  const c = lzf.compress(raw, raw.length);
  if (c === null || c.length + MIN_COMPRESS_IMPROVE >= raw.length) return null;
  return c;
}
