/**
 * The stream type (t_stream.c of Valkey 9.1.2, "low level" half): entries in
 * macro nodes the way Valkey keeps them in listpacks under a radix tree, so
 * that node splits, approximate trimming and XINFO's radix-tree figures come
 * out as Valkey's do; consumer groups with their pending entries lists.
 *
 * A node is a listpack holding a primary entry (the first entry's fields) and
 * entries delta-encoded against the node's key (its first entry's ID). Deleted
 * entries stay as tombstones until their whole node goes. The byte size of
 * each node is tracked exactly (listpack encoding sizes), because Valkey
 * starts a new node when `stream-node-max-bytes` would be reached.
 */
import type { Bytes } from '../../protocol/index.js';
import { lpEntrySize } from './list.js';

// --- IDs --------------------------------------------------------------------

export interface StreamID {
  readonly ms: bigint;
  readonly seq: bigint;
}

export const UINT64_MAX = 0xffffffffffffffffn;
export const ID_ZERO: StreamID = { ms: 0n, seq: 0n };
export const ID_MAX: StreamID = { ms: UINT64_MAX, seq: UINT64_MAX };

/** streamCompareID: -1, 0 or 1. */
export function cmpId(a: StreamID, b: StreamID): number {
  if (a.ms !== b.ms) return a.ms > b.ms ? 1 : -1;
  if (a.seq !== b.seq) return a.seq > b.seq ? 1 : -1;
  return 0;
}

export function idEqZero(id: StreamID): boolean {
  return id.ms === 0n && id.seq === 0n;
}

/** streamID2string: "<ms>-<seq>". */
export function idString(id: StreamID): Bytes {
  return `${id.ms}-${id.seq}`;
}

/** streamIncrID: the successor, or null when `id` is the last possible ID. */
export function incrId(id: StreamID): StreamID | null {
  if (id.seq === UINT64_MAX) {
    if (id.ms === UINT64_MAX) return null;
    return { ms: id.ms + 1n, seq: 0n };
  }
  return { ms: id.ms, seq: id.seq + 1n };
}

/** streamDecrID: the predecessor, or null when `id` is 0-0. */
export function decrId(id: StreamID): StreamID | null {
  if (id.seq === 0n) {
    if (id.ms === 0n) return null;
    return { ms: id.ms - 1n, seq: UINT64_MAX };
  }
  return { ms: id.ms, seq: id.seq - 1n };
}

// --- a map ordered by ID (the PELs) -------------------------------------------

/** A radix tree of 128-bit big-endian IDs, as the PELs are: ordered by ID. */
export class IdMap<V> {
  private ids: StreamID[] = [];
  private vals: V[] = [];

  get size(): number {
    return this.ids.length;
  }

  /** Index of the first ID >= `id`. */
  lowerBound(id: StreamID): number {
    let lo = 0;
    let hi = this.ids.length;
    // Appends are the common case: check the end first.
    if (hi > 0 && cmpId(this.ids[hi - 1]!, id) < 0) return hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmpId(this.ids[mid]!, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(id: StreamID): V | undefined {
    const i = this.lowerBound(id);
    return i < this.ids.length && cmpId(this.ids[i]!, id) === 0 ? this.vals[i] : undefined;
  }

  has(id: StreamID): boolean {
    return this.get(id) !== undefined;
  }

  /** raxTryInsert: false when the ID is already there (nothing changes). */
  tryInsert(id: StreamID, v: V): boolean {
    const i = this.lowerBound(id);
    if (i < this.ids.length && cmpId(this.ids[i]!, id) === 0) return false;
    this.ids.splice(i, 0, id);
    this.vals.splice(i, 0, v);
    return true;
  }

  /** raxInsert: adds or overwrites. */
  set(id: StreamID, v: V): void {
    const i = this.lowerBound(id);
    if (i < this.ids.length && cmpId(this.ids[i]!, id) === 0) this.vals[i] = v;
    else {
      this.ids.splice(i, 0, id);
      this.vals.splice(i, 0, v);
    }
  }

  delete(id: StreamID): boolean {
    const i = this.lowerBound(id);
    if (i < this.ids.length && cmpId(this.ids[i]!, id) === 0) {
      this.ids.splice(i, 1);
      this.vals.splice(i, 1);
      return true;
    }
    return false;
  }

  idAt(i: number): StreamID {
    return this.ids[i]!;
  }

  valAt(i: number): V {
    return this.vals[i]!;
  }

  *entries(): IterableIterator<[StreamID, V]> {
    for (let i = 0; i < this.ids.length; i++) yield [this.ids[i]!, this.vals[i]!];
  }
}

// --- consumer groups --------------------------------------------------------

/** A pending (delivered, not acknowledged) entry. */
export interface Nack {
  deliveryTime: number;
  deliveryCount: bigint;
  consumer: Consumer | null;
}

export interface Consumer {
  readonly name: Bytes;
  seenTime: number;
  /** -1 until the consumer first read or claimed something. */
  activeTime: number;
  readonly pel: IdMap<Nack>;
}

/** SCG_INVALID_ENTRIES_READ. */
export const INVALID_ENTRIES_READ = -1n;

export interface ConsumerGroup {
  lastId: StreamID;
  /** The group's logical read counter, or INVALID_ENTRIES_READ. */
  entriesRead: bigint;
  readonly pel: IdMap<Nack>;
  readonly consumers: Map<Bytes, Consumer>;
}

/** Names in radix-tree order (bytewise, a prefix first). */
export function sortedNames<T>(m: ReadonlyMap<Bytes, T>): Bytes[] {
  return [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

// --- listpack sizes ---------------------------------------------------------

/** Bytes an integer takes as a listpack element (lpEncodeIntegerGetType + back-length). */
export function lpIntSize(v: bigint | number): number {
  const x = typeof v === 'bigint' ? v : BigInt(v);
  if (x >= 0n && x <= 127n) return 2;
  if (x >= -4096n && x <= 4095n) return 3;
  if (x >= -32768n && x <= 32767n) return 4;
  if (x >= -8388608n && x <= 8388607n) return 5;
  if (x >= -2147483648n && x <= 2147483647n) return 6;
  return 10;
}

/** A uint64 difference stored with lpAppendInteger (an int64: it wraps). */
function asInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** STREAM_LISTPACK_MAX_SIZE. */
export const STREAM_LISTPACK_MAX_SIZE = 1 << 30;
const FLAG_SAMEFIELDS = 2;

// --- entries and nodes ------------------------------------------------------

export interface StreamEntry {
  readonly id: StreamID;
  readonly fields: readonly Bytes[];
  readonly values: readonly Bytes[];
  deleted: boolean;
}

export interface StreamNode {
  /** The radix tree key: the ID of the node's first entry. */
  readonly master: StreamID;
  readonly masterFields: readonly Bytes[];
  /** Entries in ID order, tombstones included. */
  readonly entries: StreamEntry[];
  live: number;
  deleted: number;
  /** Listpack bytes apart from the header, the terminator and the two counters. */
  bytes: number;
}

/** The listpack size of a node (lpBytes). */
export function nodeBytes(n: StreamNode): number {
  return 7 + lpIntSize(n.live) + lpIntSize(n.deleted) + n.bytes;
}

/** Index of the first entry of `n` with ID >= id. */
function entryLowerBound(n: StreamNode, id: StreamID): number {
  const es = n.entries;
  let lo = 0;
  let hi = es.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmpId(es[mid]!.id, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first entry of `n` with ID > id. */
function entryUpperBound(n: StreamNode, id: StreamID): number {
  const es = n.entries;
  let lo = 0;
  let hi = es.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmpId(es[mid]!.id, id) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface NodeLimits {
  /** stream-node-max-entries (0: no limit). */
  maxEntries: number;
  /** stream-node-max-bytes (0: the listpack maximum). */
  maxBytes: number;
}

export type TrimStrategy = 'none' | 'maxlen' | 'minid';

export interface TrimArgs {
  strategy: TrimStrategy;
  approx: boolean;
  /** At most this many entries removed (0: no limit). */
  limit: number;
  maxlen: bigint;
  minid: StreamID;
}

export type AppendResult = StreamID | 'EDOM' | 'ERANGE';

export class StreamValue {
  private nodes: StreamNode[] = [];
  length = 0;
  lastId: StreamID = ID_ZERO;
  /** The first non-tombstone entry, 0-0 when empty. */
  firstId: StreamID = ID_ZERO;
  maxDeletedId: StreamID = ID_ZERO;
  entriesAdded = 0n;
  groups: Map<Bytes, ConsumerGroup> | null = null;

  /** The listpack nodes in ID order, as the RDB format serializes them (rdb/stream.ts). */
  get listpackNodes(): readonly StreamNode[] {
    return this.nodes;
  }

  /** Replaces the nodes (RDB loading: the caller gives each its `bytes`). */
  loadNodes(nodes: StreamNode[]): void {
    this.nodes = nodes;
  }

  /** Number of listpack nodes (XINFO radix-tree-keys). */
  get nodeCount(): number {
    return this.nodes.length;
  }

  /**
   * streamAppendItem: adds an entry. `useId` is an explicit ID (with
   * `seqGiven` false for "<ms>-*"); without it the ID follows `now`.
   */
  append(fields: readonly Bytes[], values: readonly Bytes[], now: number, limits: NodeLimits,
    useId?: StreamID, seqGiven = true): AppendResult {
    let id: StreamID;
    if (useId) {
      if (seqGiven) id = useId;
      else if (this.lastId.ms === useId.ms) {
        if (this.lastId.seq === UINT64_MAX) return 'EDOM';
        id = { ms: this.lastId.ms, seq: this.lastId.seq + 1n };
      } else id = useId;
    } else {
      const ms = BigInt(now);
      id = ms > this.lastId.ms ? { ms, seq: 0n } : (incrId(this.lastId) ?? ID_ZERO);
    }
    if (cmpId(id, this.lastId) <= 0) return 'EDOM';

    let totelelen = 0;
    for (let i = 0; i < fields.length; i++) totelelen += fields[i]!.length + values[i]!.length;
    if (totelelen > STREAM_LISTPACK_MAX_SIZE) return 'ERANGE';

    let node: StreamNode | undefined = this.nodes[this.nodes.length - 1];
    if (node !== undefined) {
      let maxBytes = limits.maxBytes;
      if (maxBytes === 0 || maxBytes > STREAM_LISTPACK_MAX_SIZE) maxBytes = STREAM_LISTPACK_MAX_SIZE;
      if (nodeBytes(node) + totelelen >= maxBytes) node = undefined;
      else if (limits.maxEntries && node.live + node.deleted >= limits.maxEntries) node = undefined;
    }

    const numfields = fields.length;
    let same = false;
    if (node === undefined) {
      let bytes = lpIntSize(numfields) + lpIntSize(0);
      for (const f of fields) bytes += lpEntrySize(f);
      node = { master: id, masterFields: [...fields], entries: [], live: 0, deleted: 0, bytes };
      this.nodes.push(node);
      same = true;
    } else if (numfields === node.masterFields.length) {
      same = fields.every((f, i) => f === node!.masterFields[i]);
    }

    const flags = same ? FLAG_SAMEFIELDS : 0;
    let bytes = lpIntSize(flags) + lpIntSize(asInt64(id.ms - node.master.ms)) + lpIntSize(asInt64(id.seq - node.master.seq));
    if (!same) bytes += lpIntSize(numfields);
    for (let i = 0; i < numfields; i++) {
      if (!same) bytes += lpEntrySize(fields[i]!);
      bytes += lpEntrySize(values[i]!);
    }
    const lpCount = same ? numfields + 3 : numfields * 2 + 4;
    bytes += lpIntSize(lpCount);
    node.bytes += bytes;
    node.entries.push({ id, fields: same ? node.masterFields : [...fields], values: [...values], deleted: false });
    node.live++;

    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
    return id;
  }

  /** Live entries within [start, end] (inclusive), in order or reversed. */
  *range(start: StreamID = ID_ZERO, end: StreamID = ID_MAX, rev = false): Generator<StreamEntry> {
    const nodes = this.nodes;
    if (nodes.length === 0 || cmpId(start, end) > 0) return;
    if (!rev) {
      let ni = this.nodeFor(start);
      let ei = entryLowerBound(nodes[ni]!, start);
      for (; ni < nodes.length; ni++, ei = 0) {
        const es = nodes[ni]!.entries;
        for (; ei < es.length; ei++) {
          const e = es[ei]!;
          if (e.deleted) continue;
          if (cmpId(e.id, end) > 0) return;
          yield e;
        }
      }
    } else {
      let ni = this.nodeFor(end);
      let ei = entryUpperBound(nodes[ni]!, end) - 1;
      while (ni >= 0) {
        const es = nodes[ni]!.entries;
        for (; ei >= 0; ei--) {
          const e = es[ei]!;
          if (e.deleted) continue;
          if (cmpId(e.id, start) < 0) return;
          yield e;
        }
        ni--;
        if (ni >= 0) ei = nodes[ni]!.entries.length - 1;
      }
    }
  }

  /** The node that may hold `id`: the last one whose key is <= id (else the first). */
  private nodeFor(id: StreamID): number {
    const nodes = this.nodes;
    let lo = 0;
    let hi = nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmpId(nodes[mid]!.master, id) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : lo - 1;
  }

  /** The live entry with this ID. */
  get(id: StreamID): StreamEntry | undefined {
    if (this.nodes.length === 0) return undefined;
    const n = this.nodes[this.nodeFor(id)]!;
    const i = entryLowerBound(n, id);
    const e = n.entries[i];
    return e !== undefined && !e.deleted && cmpId(e.id, id) === 0 ? e : undefined;
  }

  /** streamEntryExists. */
  has(id: StreamID): boolean {
    return this.get(id) !== undefined;
  }

  /** streamDeleteItem (tombstone; a node whose last live entry goes is dropped). Does not touch first/max-deleted IDs. */
  deleteEntry(id: StreamID): boolean {
    if (this.nodes.length === 0) return false;
    const ni = this.nodeFor(id);
    const n = this.nodes[ni]!;
    const e = n.entries[entryLowerBound(n, id)];
    if (e === undefined || e.deleted || cmpId(e.id, id) !== 0) return false;
    e.deleted = true;
    if (n.live === 1) this.nodes.splice(ni, 1);
    else {
      n.live--;
      n.deleted++;
    }
    this.length--;
    return true;
  }

  /** streamGetEdgeID(first, skip tombstones): the first or last live ID, or MAX/ZERO when there is none. */
  edgeId(first: boolean): StreamID {
    const it = this.range(ID_ZERO, ID_MAX, !first).next();
    if (it.done) return first ? ID_MAX : ID_ZERO;
    return it.value.id;
  }

  /** streamLastValidID. */
  lastValidId(): StreamID {
    return this.edgeId(false);
  }

  /** The first entry ID, tombstones included (streamGetEdgeID with skip_tombstones 0). */
  firstIdWithTombstones(): StreamID {
    for (const n of this.nodes) if (n.entries.length) return n.entries[0]!.id;
    return ID_MAX;
  }

  /** streamTrim: returns how many entries went. */
  trim(args: TrimArgs): number {
    if (args.strategy === 'none') return 0;
    if (args.strategy === 'maxlen' && BigInt(this.length) <= args.maxlen) return 0;
    const maxlen = args.maxlen;
    let deleted = 0;
    while (this.nodes.length > 0) {
      if (args.strategy === 'maxlen' && BigInt(this.length) <= maxlen) break;
      const n = this.nodes[0]!;
      const entries = n.live;
      if (args.limit && deleted + entries > args.limit) break;
      let removeNode: boolean;
      if (args.strategy === 'maxlen') {
        removeNode = BigInt(this.length - entries) >= maxlen;
      } else {
        // The node's last entry, tombstone or not (lpGetEdgeStreamID).
        const last = n.entries[n.entries.length - 1];
        const lastId = last ? last.id : ID_ZERO;
        removeNode = cmpId(lastId, args.minid) < 0;
      }
      if (removeNode) {
        this.nodes.shift();
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (args.approx) break;
      let fromNode = 0;
      for (const e of n.entries) {
        const stop = args.strategy === 'maxlen' ? BigInt(this.length) <= maxlen : cmpId(e.id, args.minid) >= 0;
        if (stop) break;
        if (!e.deleted) {
          e.deleted = true;
          fromNode++;
          this.length--;
        }
      }
      deleted += fromNode;
      n.live -= fromNode;
      n.deleted += fromNode;
      break;
    }
    if (this.length === 0) this.firstId = ID_ZERO;
    else if (deleted) this.firstId = this.edgeId(true);
    return deleted;
  }

  /** The radix tree's node count (rax->numnodes) for the node keys, as a compressed trie of 128-bit keys. */
  radixTreeNodes(): number {
    const keys = this.nodes.map((n) => encodeId(n.master));
    if (keys.length === 0) return 1;
    return trieNodes(keys, 0, keys.length, 0);
  }

  lookupGroup(name: Bytes): ConsumerGroup | undefined {
    return this.groups?.get(name);
  }

  /** streamCreateCG: undefined when the name is taken. */
  createGroup(name: Bytes, lastId: StreamID, entriesRead: bigint): ConsumerGroup | undefined {
    if (this.groups === null) this.groups = new Map();
    if (this.groups.has(name)) return undefined;
    const g: ConsumerGroup = { lastId, entriesRead, pel: new IdMap(), consumers: new Map() };
    this.groups.set(name, g);
    return g;
  }

  /** streamEstimateDistanceFromFirstEverEntry: the logical read counter of `id`, or INVALID_ENTRIES_READ. */
  estimateDistance(id: StreamID): bigint {
    if (this.entriesAdded === 0n) return 0n;
    if (this.length === 0 && cmpId(id, this.lastId) < 1) return this.entriesAdded;
    if (!idEqZero(id) && cmpId(id, this.maxDeletedId) < 0) return INVALID_ENTRIES_READ;
    const cmpLast = cmpId(id, this.lastId);
    if (cmpLast === 0) return this.entriesAdded;
    if (cmpLast > 0) return INVALID_ENTRIES_READ;
    const cmpFirst = cmpId(id, this.firstId);
    if (idEqZero(this.maxDeletedId) || cmpId(this.maxDeletedId, this.firstId) < 0) {
      if (cmpFirst < 0) return this.entriesAdded - BigInt(this.length);
      if (cmpFirst === 0) return this.entriesAdded - BigInt(this.length) + 1n;
    }
    return INVALID_ENTRIES_READ;
  }

  /** streamRangeHasTombstones from `start` to the end. */
  rangeHasTombstones(start: StreamID): boolean {
    if (this.length === 0 || idEqZero(this.maxDeletedId)) return false;
    return cmpId(start, this.maxDeletedId) <= 0;
  }

  /** streamReplyWithCGLag: the group's lag, or null when it cannot be known. */
  groupLag(g: ConsumerGroup): bigint | null {
    if (this.entriesAdded === 0n) return 0n;
    if (g.entriesRead !== INVALID_ENTRIES_READ && !this.rangeHasTombstones(g.lastId)) return this.entriesAdded - g.entriesRead;
    const read = this.estimateDistance(g.lastId);
    return read !== INVALID_ENTRIES_READ ? this.entriesAdded - read : null;
  }

  /** streamDup (COPY): same nodes, counters, groups, PELs and consumers. */
  dup(): StreamValue {
    const s = new StreamValue();
    s.nodes = this.nodes.map((n) => {
      const masterFields = [...n.masterFields];
      return {
        master: n.master,
        masterFields,
        entries: n.entries.map((e) => ({ id: e.id, fields: e.fields === n.masterFields ? masterFields : e.fields, values: e.values, deleted: e.deleted })),
        live: n.live,
        deleted: n.deleted,
        bytes: n.bytes,
      };
    });
    s.length = this.length;
    s.lastId = this.lastId;
    s.firstId = this.firstId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    if (this.groups === null) return s;
    s.groups = new Map();
    for (const [name, g] of this.groups) {
      const ng = s.createGroup(name, g.lastId, g.entriesRead)!;
      const copies = new Map<Nack, Nack>();
      for (const [id, nack] of g.pel.entries()) {
        const c: Nack = { deliveryTime: nack.deliveryTime, deliveryCount: nack.deliveryCount, consumer: null };
        copies.set(nack, c);
        ng.pel.set(id, c);
      }
      for (const [cname, consumer] of g.consumers) {
        const nc: Consumer = { name: cname, seenTime: consumer.seenTime, activeTime: consumer.activeTime, pel: new IdMap() };
        ng.consumers.set(cname, nc);
        for (const [id, nack] of consumer.pel.entries()) {
          const c = copies.get(nack)!;
          c.consumer = nc;
          nc.pel.set(id, c);
        }
      }
    }
    return s;
  }
}

// --- consumer group operations ------------------------------------------------

/** streamCreateConsumer without the event: undefined when the name is taken. */
export function createConsumer(g: ConsumerGroup, name: Bytes, now: number): Consumer | undefined {
  if (g.consumers.has(name)) return undefined;
  const c: Consumer = { name, seenTime: now, activeTime: -1, pel: new IdMap() };
  g.consumers.set(name, c);
  return c;
}

/** streamDelConsumer: its pending entries leave the group PEL too. */
export function deleteConsumer(g: ConsumerGroup, c: Consumer): void {
  for (const [id] of c.pel.entries()) g.pel.delete(id);
  g.consumers.delete(c.name);
}

// --- the radix tree's shape ---------------------------------------------------

/** An ID as its radix-tree key: 128 bits, big-endian. */
export function encodeId(id: StreamID): Uint8Array {
  const b = new Uint8Array(16);
  let ms = id.ms;
  let seq = id.seq;
  for (let i = 7; i >= 0; i--) {
    b[i] = Number(ms & 0xffn);
    b[8 + i] = Number(seq & 0xffn);
    ms >>= 8n;
    seq >>= 8n;
  }
  return b;
}

/**
 * Nodes of a rax holding the sorted 16-byte keys [lo, hi) below a node that
 * starts at `depth`: a chain of shared bytes is one compressed node, a byte
 * where keys part is one branching node, and every key ends in a leaf.
 */
function trieNodes(keys: readonly Uint8Array[], lo: number, hi: number, depth: number): number {
  if (depth === 16) return 1;
  const a = keys[lo]!;
  const z = keys[hi - 1]!;
  let lcp = depth;
  while (lcp < 16 && a[lcp] === z[lcp]) lcp++;
  if (lcp > depth) return 1 + trieNodes(keys, lo, hi, lcp);
  let n = 1;
  let i = lo;
  while (i < hi) {
    const c = keys[i]![depth];
    let j = i + 1;
    while (j < hi && keys[j]![depth] === c) j++;
    n += trieNodes(keys, i, j, depth + 1);
    i = j;
  }
  return n;
}

