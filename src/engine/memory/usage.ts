/**
 * MEMORY USAGE: Valkey's estimate (object.c objectComputeSize) of what a
 * key and its value take, computed from the layout Valkey 9.1.2 would give
 * the value: jemalloc size classes (Valkey's bundled jemalloc, 8-byte
 * quantum), sds headers, the robj with its embedded key (and expiry, and a
 * short string value), listpacks, intsets, quicklist nodes, skiplist nodes,
 * hashtable buckets and hash entries.
 *
 * Exact for strings, listpacks, intsets and quicklists. For hashtables the
 * real figure also depends on the per-process random hash seed (overflow
 * "child" buckets) and on whether an incremental rehash is under way; here
 * the table is taken as settled, sized as growth by doubling leaves it, and
 * the child buckets at their expected number: close to the real figure, not
 * equal to it. Skiplist node heights are random in Valkey; their expected
 * size stands in.
 */
import type { Bytes } from '../../protocol/index.js';
import { formatDouble } from '../../protocol/index.js';
import { Err } from '../errors.js';
import type { Entry } from '../keyspace/keyspace.js';
import type { HashValue } from '../types/hash.js';
import { lpEntrySize, type ListValue } from '../types/list.js';
import type { SetValue } from '../types/set.js';
import { stringEncoding } from '../types/string.js';
import { encodeId, nodeBytes as streamNodeBytes, sortedNames, type StreamID, type StreamValue } from '../types/stream.js';
import type { ZSet } from '../types/zset.js';
import { jeSize, sdsReqSize } from './alloc.js';
import { raxAllocSize } from './rax.js';
import { LzfCompressor } from '../rdb/lzf.js';
import { compressNode, inCompressedRange, nodeBytes } from '../rdb/quicklist.js';

/** sdsAllocSize of an sds made by sdsnewlen (a type 5 only when not empty). */
export function sdsAlloc(len: number): number {
  return jeSize(sdsReqSize(len, len === 0));
}

/** The robj holding a non-embedded value, with its embedded key (and expiry) (createUnembeddedObjectWithKeyAndExpire). */
export function robjSize(keyLen: number, hasExpire: boolean): number {
  let n = 16 + 1 + sdsReqSize(keyLen);
  if (hasExpire || keyLen >= 128) n += 8;
  return jeSize(n);
}

/** A string value embedded with its key (createEmbeddedStringObjectWithKeyAndExpire). */
function embstrSize(keyLen: number, valLen: number, hasExpire: boolean): number {
  return jeSize(8 + (hasExpire ? 8 : 0) + 1 + sdsReqSize(keyLen) + Math.max(3 + valLen + 1, 8));
}

/** Bytes of a listpack holding `items`. */
export function listpackBytes(items: Iterable<Bytes>): number {
  let n = 7;
  for (const v of items) n += lpEntrySize(v);
  return n;
}

const SIZEOF_HASHTABLE = 80;
const SIZEOF_BUCKET = 64;
const ENTRIES_PER_BUCKET = 7;
const SIZEOF_QUICKLIST = 40;
const SIZEOF_QUICKLIST_NODE = 40;
/** sizeof(zset) + zslGetAllocSize() (the header node with 32 levels). */
const ZSET_FIXED = 16 + 32 + 31 * 16;

/**
 * hashtableMemUsage for `n` entries (metadata of `meta` bytes): buckets as
 * growth by doubling leaves them (7 entries each, grown once full), plus the
 * child buckets that overflowing buckets chain, at their expected number for
 * entries hashed uniformly (Poisson occupancy): Valkey's own count depends on
 * its per-process random hash seed.
 */
function hashtableMem(n: number, meta: number): number {
  let exp = 0;
  while (ENTRIES_PER_BUCKET * 2 ** exp < n) exp++;
  const nb = 2 ** exp;
  const lambda = n / nb;
  let p = Math.exp(-lambda);
  let child = 0;
  for (let k = 1; k < 200; k++) {
    p *= lambda / k;
    if (k > ENTRIES_PER_BUCKET) child += p * Math.ceil((k - ENTRIES_PER_BUCKET) / (ENTRIES_PER_BUCKET - 1));
    if (k > lambda && p < 1e-12) break;
  }
  return SIZEOF_HASHTABLE + meta + SIZEOF_BUCKET * (nb + Math.round(nb * child));
}

/** The expected allocation of a skiplist node for a member of `len` bytes: heights are random (p = 1/4 per level) in Valkey. */
function expectedNodeSize(len: number): number {
  const tail = 1 + sdsReqSize(len);
  let e = 0;
  let p = 0.75;
  for (let h = 1; h <= 32; h++) {
    e += p * jeSize(32 + (h - 1) * 16 + tail);
    p *= 0.25;
  }
  return e;
}

/** The sampled average of `sizes` (the first `samples`, all with 0) times `total`, as objectComputeSize adds it. */
function sampled(sizes: Iterable<number>, samples: number, total: number): number {
  let sum = 0;
  let k = 0;
  for (const s of sizes) {
    if (k >= samples) break;
    sum += s;
    k++;
  }
  return k === 0 ? 0 : (sum / k) * total;
}

function* take<T>(it: Iterable<T>, n: number): Iterable<T> {
  if (n <= 0) return;
  let i = 0;
  for (const x of it) {
    yield x;
    if (++i >= n) return;
  }
}

/** entryMemUsage of a hash field (entry.c entryReqSize): field and value embedded when they fit in 128 bytes. */
function hashEntrySize(f: Bytes, v: Bytes, hasExpiry: boolean): number {
  const exp = hasExpiry ? 8 : 0;
  let fieldSize = sdsReqSize(f.length, hasExpiry);
  const valEmb = v.length + 3 + 1;
  if (fieldSize + exp + valEmb <= 128) return jeSize(fieldSize + exp + valEmb);
  fieldSize = sdsReqSize(f.length, true);
  return jeSize(fieldSize + exp + 8) + jeSize(sdsReqSize(v.length));
}

/** objectComputeSize(key, value, samples): `samples` 0 means every element; `compressDepth` is list-compress-depth. */
export function memoryUsage(key: Bytes, e: Entry, samples: number, compressDepth = 0): number {
  const ttl = e.expireAt !== 0 || e.expireSlot === true;
  const all = samples === 0 ? Infinity : samples;
  switch (e.type) {
    case 'string': {
      const v = e.value as Bytes;
      const enc = stringEncoding(e);
      if (enc === 'int') return robjSize(key.length, ttl);
      if (enc === 'embstr') return embstrSize(key.length, v.length, ttl);
      return robjSize(key.length, ttl) + (e.sds?.alloc ?? sdsAlloc(v.length));
    }
    case 'list': {
      const l = e.value as ListValue;
      const base = robjSize(key.length, ttl);
      if (l.encoding === 'listpack') return base + jeSize(l.head!.sz);
      const sizes = (function* () {
        let lzf: LzfCompressor | undefined;
        let i = 0;
        for (let n = l.head; n !== null; n = n.next, i++) {
          // A compressed node holds a quicklistLZF: its 8-byte length and the compressed bytes.
          const c = inCompressedRange(l, i, compressDepth) ? compressNode(nodeBytes(n), (lzf ??= new LzfCompressor())) : null;
          yield SIZEOF_QUICKLIST_NODE + (c === null ? jeSize(n.sz) : jeSize(8 + c.length));
        }
      })();
      return Math.floor(base + SIZEOF_QUICKLIST + sampled(sizes, all, l.nodes));
    }
    case 'set': {
      const s = e.value as SetValue;
      const base = robjSize(key.length, ttl);
      if (s.enc === 'intset') return base + jeSize(8 + s.size * s.intsetWidth);
      const members = s.members();
      if (s.enc === 'listpack') return base + jeSize(listpackBytes(members));
      const sizes = (function* () {
        for (const m of members) yield sdsAlloc(m.length);
      })();
      return Math.floor(base + hashtableMem(members.length, 0) + sampled(sizes, all, members.length));
    }
    case 'zset': {
      const z = e.value as ZSet;
      const base = robjSize(key.length, ttl);
      if (z.listpack) {
        let n = 7;
        for (let x = z.first(); x !== null; x = x.next[0]!) n += lpEntrySize(x.member) + lpEntrySize(formatDouble(x.score) as Bytes);
        return base + jeSize(n);
      }
      const sizes = (function* () {
        for (let x = z.first(); x !== null; x = x.next[0]!) yield expectedNodeSize(x.member.length);
      })();
      return Math.floor(base + ZSET_FIXED + hashtableMem(z.size, 0) + sampled(sizes, all, z.size));
    }
    case 'hash': {
      const h = e.value as HashValue;
      const base = robjSize(key.length, ttl);
      if (h.encoding === 'listpack') {
        let n = 7;
        for (const [f, v] of h.fields) n += lpEntrySize(f) + lpEntrySize(v);
        return base + jeSize(n);
      }
      const fields = [...h.fields.keys()];
      const sizes = (function* () {
        for (const [f, v] of take(h.fields, all)) yield hashEntrySize(f, v, h.rawDeadline(f) !== 0);
      })();
      return Math.floor(base + hashtableMem(fields.length, 8) + sampled(sizes, all, fields.length) + volatileSetMem(h.volatileCount));
    }
    case 'stream':
      return Math.floor(robjSize(key.length, ttl) + streamSize(e.value as StreamValue, all));
    default:
      throw Err.generic(`MEMORY USAGE of a ${e.type} value is not implemented by valkey-double yet`);
  }
}

/** vsetMemUsage: nothing for one volatile field (a single pointer); a pointer vector beyond. */
function volatileSetMem(n: number): number {
  if (n <= 1) return 0;
  return jeSize(8 + 8 * n);
}

/** sizeof(stream), sizeof(streamCG), sizeof(streamConsumer), sizeof(streamNACK). */
const STREAM_STRUCT = 80;
const CG_STRUCT = 40;
const CONSUMER_STRUCT = 32;
const NACK_STRUCT = 24;
/** STREAM_LISTPACK_MAX_PRE_ALLOCATE. */
const LP_PREALLOC = 4096;

const idKeys = (ids: Iterable<[StreamID, unknown]>): Uint8Array[] => [...ids].map(([id]) => encodeId(id));

/**
 * objectComputeSize of a stream: the struct, its rax, the listpacks (the
 * first `samples` averaged over all but the last, which counts as
 * allocated: preallocated to 4096 bytes, or stream-node-max-bytes when
 * smaller, until it outgrows that; full nodes are shrunk to fit), and the
 * consumer groups with their PELs and consumers, sampled the same way.
 * (The preallocation taken is the default stream-node-max-bytes'.)
 */
function streamSize(s: StreamValue, samples: number): number {
  const nodes = s.listpackNodes;
  let size = STREAM_STRUCT + raxAllocSize(nodes.map((n) => encodeId(n.master)));
  // A rax whose last key went keeps its head node's allocation (a 16-byte compressed node: 32 bytes).
  if (nodes.length === 0 && s.entriesAdded > 0n) size += 24;
  const alloc = (i: number) => (i === nodes.length - 1 ? jeSize(Math.max(LP_PREALLOC, streamNodeBytes(nodes[i]!))) : jeSize(streamNodeBytes(nodes[i]!)));
  const n = Math.min(samples, nodes.length);
  let lp = 0;
  for (let i = 0; i < n; i++) lp += alloc(i);
  if (nodes.length <= n) size += lp;
  else size += Math.floor(lp / n) * (nodes.length - 1) + alloc(nodes.length - 1);
  const groups = s.groups;
  if (groups && groups.size > 0) {
    let ele = 0;
    let k = 0;
    for (const name of sortedNames(groups)) {
      if (k >= samples) break;
      const g = groups.get(name)!;
      ele += CG_STRUCT + raxAllocSize(idKeys(g.pel.entries())) + NACK_STRUCT * g.pel.size;
      let inner = 0;
      let m = 0;
      for (const cname of sortedNames(g.consumers)) {
        if (m >= samples) break;
        const c = g.consumers.get(cname)!;
        inner += CONSUMER_STRUCT + cname.length + raxAllocSize(idKeys(c.pel.entries()));
        m++;
      }
      if (m) ele += (inner / m) * g.consumers.size;
      k++;
    }
    if (k) size += (ele / k) * groups.size;
  }
  return size;
}
