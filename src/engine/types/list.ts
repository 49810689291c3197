/**
 * The list value: a deque of byte strings laid out the way Valkey 9.1.2
 * lays out a list, so OBJECT ENCODING and the encoding conversions come out
 * exactly as on the real server (t_list.c, quicklist.c, listpack.c).
 *
 * - encoding 'listpack': one node holding every element; its size is the
 *   byte size the real listpack would have (header, entries, terminator).
 * - encoding 'quicklist': a doubly linked list of nodes, each the listpack
 *   Valkey would hold there ("packed"), or one oversized element ("plain").
 *   Nodes fill, split and merge with quicklist.c's rules (fill, size
 *   estimates, merge thresholds), which decides when a shrinking list
 *   can turn back into a listpack (a single packed node below half the limit).
 *
 * Each node is a small deque (an array with a moving start), so pushes and
 * pops at both ends are O(1) amortized; nodes stay bounded in size (at most
 * 64 KiB of listpack), so edits in the middle cost what a listpack memmove
 * costs in Valkey.
 */
import type { Bytes } from '../../protocol/index.js';
import { isIntEncodable } from '../keyspace/keyspace.js';

export type Where = 'head' | 'tail';

/** Bytes of an empty listpack: 4 (total bytes) + 2 (count) + 1 (terminator). */
const LP_EMPTY_BYTES = 7;
/** quicklist.c SIZE_SAFETY_LIMIT: the byte cap of a node limited by count. */
const SIZE_SAFETY_LIMIT = 8192;
/** quicklist.c SIZE_ESTIMATE_OVERHEAD: the per-entry overhead an insert assumes. */
const SIZE_ESTIMATE_OVERHEAD = 8;
/** quicklist.c optimization_level: byte limits of fill -1 .. -5. */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536] as const;
/** quicklist.c FILL_MAX: a quicklist keeps its fill in 16 signed bits. */
const FILL_MAX = 32767;

/** Bytes one element takes in a listpack: encoding + data + back-length (lpEncodeGetType, lpEncodeBacklen). */
export function lpEntrySize(v: Bytes): number {
  const n = v.length;
  if (n <= 20 && isIntEncodable(v)) {
    if (n > 11) return 10; // beyond 32 bits: 64-bit integer (1 + 8) + back-length
    const x = Number(v);
    const enc = x >= 0 && x <= 127 ? 1
      : x >= -4096 && x <= 4095 ? 2
        : x >= -32768 && x <= 32767 ? 3
          : x >= -8388608 && x <= 8388607 ? 4
            : x >= -2147483648 && x <= 2147483647 ? 5 : 9;
    return enc + 1;
  }
  const enc = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
  return enc + (enc <= 127 ? 1 : enc <= 16383 ? 2 : enc <= 2097151 ? 3 : enc <= 268435455 ? 4 : 5);
}

function negFillLimit(fill: number): number {
  let offset = -fill - 1;
  if (offset >= OPTIMIZATION_LEVEL.length) offset = OPTIMIZATION_LEVEL.length - 1;
  return OPTIMIZATION_LEVEL[offset]!;
}

/** quicklistNodeLimit: [byte limit, count limit] of a fill (Infinity = none). */
function nodeLimit(fill: number): [number, number] {
  if (fill >= 0) return [Infinity, fill === 0 ? 1 : fill];
  return [negFillLimit(fill), Infinity];
}

/** quicklistNodeExceedsLimit. */
function exceedsLimit(fill: number, newSz: number, newCount: number): boolean {
  if (fill < 0) return newSz > negFillLimit(fill);
  if (newSz > SIZE_SAFETY_LIMIT) return true;
  return newCount > (fill === 0 ? 1 : fill);
}

/**
 * isLargeElement: an element this big gets a plain node of its own. A packed
 * threshold (DEBUG QUICKLIST-PACKED-THRESHOLD, 0 = off) replaces the rule.
 */
function isLarge(sz: number, fill: number, packedThreshold = 0): boolean {
  if (packedThreshold !== 0) return sz >= packedThreshold;
  return fill >= 0 ? sz > SIZE_SAFETY_LIMIT : sz > negFillLimit(fill);
}

/** quicklistSetFill's clamp. */
function clampFill(fill: number): number {
  return fill > FILL_MAX ? FILL_MAX : fill < -5 ? -5 : fill;
}

/** One listpack (or one plain element) of the list: a deque of elements. */
export class ListNode {
  private buf: (Bytes | undefined)[];
  private lo: number;
  private hi: number;
  /** Valkey's node->sz: the listpack's bytes, or the element's length for a plain node. */
  sz: number;
  readonly plain: boolean;
  prev: ListNode | null = null;
  next: ListNode | null = null;

  constructor(items: Bytes[], plain = false, sz?: number) {
    this.buf = items;
    this.lo = 0;
    this.hi = items.length;
    this.plain = plain;
    if (sz !== undefined) this.sz = sz;
    else if (plain) this.sz = items[0]!.length;
    else {
      let s = LP_EMPTY_BYTES;
      for (const v of items) s += lpEntrySize(v);
      this.sz = s;
    }
  }

  get count(): number {
    return this.hi - this.lo;
  }

  get(i: number): Bytes {
    return this.buf[this.lo + i]!;
  }

  set(i: number, v: Bytes): void {
    this.buf[this.lo + i] = v;
  }

  pushBack(v: Bytes): void {
    this.buf[this.hi++] = v;
  }

  pushFront(v: Bytes): void {
    if (this.lo === 0) {
      const n = this.hi;
      const room = Math.max(8, n);
      const nb = new Array<Bytes | undefined>(room + n);
      for (let i = 0; i < n; i++) nb[room + i] = this.buf[i];
      this.buf = nb;
      this.lo = room;
      this.hi = room + n;
    }
    this.buf[--this.lo] = v;
  }

  popFront(): Bytes {
    const v = this.buf[this.lo]!;
    this.buf[this.lo++] = undefined;
    this.settle();
    return v;
  }

  popBack(): Bytes {
    const v = this.buf[--this.hi]!;
    this.buf[this.hi] = undefined;
    this.settle();
    return v;
  }

  /** Keeps the dead space in front bounded (a queue pushed at one end and popped at the other). */
  private settle(): void {
    if (this.lo === this.hi) {
      this.buf = [];
      this.lo = this.hi = 0;
    } else if (this.lo > 64 && this.lo > this.hi - this.lo) {
      this.buf = this.buf.slice(this.lo, this.hi);
      this.hi -= this.lo;
      this.lo = 0;
    }
  }

  insertAt(i: number, v: Bytes): void {
    if (i === 0) this.pushFront(v);
    else if (i === this.count) this.pushBack(v);
    else {
      this.buf.splice(this.lo + i, 0, v);
      this.hi++;
    }
  }

  /** Removes `n` elements from position `i`; returns the bytes they took in the listpack. */
  removeRange(i: number, n: number): number {
    let bytes = 0;
    for (let j = 0; j < n; j++) bytes += lpEntrySize(this.buf[this.lo + i + j]!);
    if (i === 0) {
      for (let j = 0; j < n; j++) this.buf[this.lo + j] = undefined;
      this.lo += n;
      this.settle();
    } else if (i + n === this.count) {
      for (let j = 0; j < n; j++) this.buf[this.hi - 1 - j] = undefined;
      this.hi -= n;
      this.settle();
    } else {
      this.buf.splice(this.lo + i, n);
      this.hi -= n;
    }
    return bytes;
  }

  /** The elements, in order. */
  items(): Bytes[] {
    return this.buf.slice(this.lo, this.hi) as Bytes[];
  }

  /** Replaces the whole content (LREM's filtering). */
  reset(items: Bytes[]): void {
    this.buf = items;
    this.lo = 0;
    this.hi = items.length;
  }

  clone(): ListNode {
    return new ListNode(this.items(), this.plain, this.sz);
  }
}

/** A list value: see the file comment. */
export class ListValue {
  encoding: 'listpack' | 'quicklist' = 'listpack';
  /** The quicklist's own fill, fixed when it was created (CONFIG SET later does not change it). */
  fill = -2;
  /**
   * Valkey's process-wide quicklist packed_threshold (DEBUG
   * QUICKLIST-PACKED-THRESHOLD; 0 = off), set on the list by the command
   * that is about to insert into it.
   */
  packedThreshold = 0;
  head: ListNode | null;
  tail: ListNode | null;
  /** Number of nodes (quicklist->len); 1 for a listpack. */
  nodes: number;
  length = 0;

  constructor() {
    const n = new ListNode([]);
    this.head = this.tail = n;
    this.nodes = 1;
  }

  /** A list of `items` (a new key): a listpack, converted as listTypeTryConversionAppend would before pushing them. */
  static of(items: readonly Bytes[], fill: number): ListValue {
    const l = new ListValue();
    let bytes = 0;
    for (const v of items) bytes += v.length;
    l.tryConvertGrowing(bytes, items.length, fill);
    for (const v of items) l.push(v, 'tail');
    return l;
  }

  /**
   * A list built in one go the way SORT ... STORE builds it: a fresh
   * quicklist, every element pushed at the tail, then
   * listTypeTryConversion(LIST_CONV_AUTO) (skipped with `convert` false:
   * RESTORE of an old ziplist list keeps the quicklist).
   */
  static built(items: readonly Bytes[], fill: number, convert = true): ListValue {
    const l = ListValue.emptyQuicklist(fill);
    for (const v of items) l.push(v, 'tail');
    if (convert) l.tryConvertAuto(fill);
    return l;
  }

  /**
   * A list from serialized quicklist nodes (RESTORE, RDB): nodes appended as
   * they are (empty packed ones skipped), then LIST_CONV_AUTO. Undefined when
   * no element is left (an empty key).
   */
  static fromNodes(nodes: readonly { readonly items: readonly Bytes[]; readonly plain: boolean }[], fill: number): ListValue | undefined {
    const l = ListValue.emptyQuicklist(fill);
    for (const n of nodes) {
      if (n.items.length === 0) continue;
      l.linkNode(l.tail, new ListNode([...n.items], n.plain), true);
      l.length += n.items.length;
    }
    if (l.length === 0) return undefined;
    l.tryConvertAuto(fill);
    return l;
  }

  private static emptyQuicklist(fill: number): ListValue {
    const l = new ListValue();
    l.encoding = 'quicklist';
    l.fill = clampFill(fill);
    l.head = l.tail = null;
    l.nodes = 0;
    return l;
  }

  // --- encoding conversions ------------------------------------------------

  /**
   * listTypeTryConvertListpack: before adding `addCount` elements of
   * `addBytes` bytes (string lengths), a listpack that would exceed the
   * `fill` limit (list-max-listpack-size) becomes a quicklist.
   */
  tryConvertGrowing(addBytes: number, addCount: number, fill: number): void {
    if (this.encoding !== 'listpack') return;
    const lp = this.head!;
    if (!exceedsLimit(fill, lp.sz + addBytes, lp.count + addCount)) return;
    this.encoding = 'quicklist';
    this.fill = clampFill(fill);
    if (lp.count === 0) {
      this.head = this.tail = null;
      this.nodes = 0;
    }
  }

  /**
   * listTypeTryConvertQuicklist (shrinking): a quicklist of one packed node
   * within half the limits turns back into a listpack.
   */
  tryConvertShrinking(fill: number): void {
    if (this.encoding !== 'quicklist') return;
    const h = this.head;
    if (this.nodes !== 1 || h === null || h.plain) return;
    let [szLimit, countLimit] = nodeLimit(fill);
    szLimit = Math.floor(szLimit / 2);
    countLimit = Math.floor(countLimit / 2);
    if (h.sz > szLimit || this.length > countLimit) return;
    this.encoding = 'listpack';
  }

  /** listTypeTryConversion(LIST_CONV_AUTO), for a list built in one go (SORT STORE...). */
  tryConvertAuto(fill: number): void {
    if (this.encoding === 'quicklist') {
      const h = this.head;
      if (this.nodes !== 1 || h === null || h.plain) return;
      const [szLimit, countLimit] = nodeLimit(fill);
      if (h.sz > szLimit || this.length > countLimit) return;
      this.encoding = 'listpack';
    } else {
      this.tryConvertGrowing(0, 0, fill);
    }
  }

  // --- node plumbing ---------------------------------------------------------

  private allowInsert(node: ListNode | null, sz: number): boolean {
    if (node === null || node.plain || isLarge(sz, this.fill, this.packedThreshold)) return false;
    return !exceedsLimit(this.fill, node.sz + sz + SIZE_ESTIMATE_OVERHEAD, node.count + 1);
  }

  private allowMerge(a: ListNode | null, b: ListNode | null): boolean {
    if (a === null || b === null || a.plain || b.plain) return false;
    return !exceedsLimit(this.fill, a.sz + b.sz - LP_EMPTY_BYTES, a.count + b.count);
  }

  /** __quicklistInsertNode: `node` goes after (or before) `old` (null: the list is empty). */
  private linkNode(old: ListNode | null, node: ListNode, after: boolean): void {
    if (old === null) {
      node.prev = node.next = null;
      this.head = this.tail = node;
    } else if (after) {
      node.prev = old;
      node.next = old.next;
      if (old.next) old.next.prev = node;
      else this.tail = node;
      old.next = node;
    } else {
      node.next = old;
      node.prev = old.prev;
      if (old.prev) old.prev.next = node;
      else this.head = node;
      old.prev = node;
    }
    this.nodes++;
  }

  private unlinkNode(node: ListNode): void {
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = node.next = null;
    this.nodes--;
  }

  /** _quicklistListpackMerge: b's elements join a (a is left of b); the merged node takes their place. */
  private mergeNodes(a: ListNode, b: ListNode): ListNode {
    if (a.count >= b.count) {
      for (const v of b.items()) a.pushBack(v);
      a.sz = a.sz + b.sz - LP_EMPTY_BYTES;
      this.unlinkNode(b);
      return a;
    }
    const items = a.items();
    for (let i = items.length - 1; i >= 0; i--) b.pushFront(items[i]!);
    b.sz = a.sz + b.sz - LP_EMPTY_BYTES;
    this.unlinkNode(a);
    return b;
  }

  /** _quicklistMergeNodes: merge around `center` where the fill allows. */
  private mergeAround(center: ListNode): ListNode {
    const prev = center.prev;
    const prevPrev = prev?.prev ?? null;
    const next = center.next;
    const nextNext = next?.next ?? null;
    if (this.allowMerge(prev, prevPrev)) this.mergeNodes(prevPrev!, prev!);
    if (this.allowMerge(next, nextNext)) this.mergeNodes(next!, nextNext!);
    let target = center;
    if (this.allowMerge(center, center.prev)) target = this.mergeNodes(center.prev!, center);
    if (this.allowMerge(target, target.next)) target = this.mergeNodes(target, target.next!);
    return target;
  }

  /**
   * _quicklistSplitNode: with `after`, `node` keeps [0, offset] and the
   * returned node has the rest; without, the returned node has [0, offset)
   * and `node` keeps [offset, end]. The new node is not linked.
   */
  private splitNode(node: ListNode, offset: number, after: boolean): ListNode {
    const items = node.items();
    const cut = after ? offset + 1 : offset;
    const left = items.slice(0, cut);
    const right = items.slice(cut);
    const keep = after ? left : right;
    const moved = after ? right : left;
    const nn = new ListNode(moved);
    node.reset(keep);
    node.sz -= nn.sz - LP_EMPTY_BYTES;
    return nn;
  }

  /** The node holding element `index` (0-based, non-negative) and the position in it. */
  private locate(index: number): [ListNode, number] {
    if (index <= (this.length - 1) / 2) {
      let acc = 0;
      for (let n = this.head!; ; n = n.next!) {
        if (acc + n.count > index) return [n, index - acc];
        acc += n.count;
      }
    }
    let acc = this.length;
    for (let n = this.tail!; ; n = n.prev!) {
      acc -= n.count;
      if (acc <= index) return [n, index - acc];
    }
  }

  /** A Valkey index (negative counts from the tail) as a position, or -1 when out of range. */
  private position(index: number): number {
    const i = index < 0 ? this.length + index : index;
    return i < 0 || i >= this.length ? -1 : i;
  }

  // --- operations --------------------------------------------------------------

  /** listTypePush. */
  push(v: Bytes, where: Where): void {
    this.length++;
    if (this.encoding === 'listpack') {
      const n = this.head!;
      if (where === 'head') n.pushFront(v);
      else n.pushBack(v);
      n.sz += lpEntrySize(v);
      return;
    }
    const sz = v.length;
    const end = where === 'head' ? this.head : this.tail;
    if (isLarge(sz, this.fill, this.packedThreshold)) {
      this.linkNode(end, new ListNode([v], true), where === 'tail');
    } else if (this.allowInsert(end, sz)) {
      if (where === 'head') end!.pushFront(v);
      else end!.pushBack(v);
      end!.sz += lpEntrySize(v);
    } else {
      this.linkNode(end, new ListNode([v]), where === 'tail');
    }
  }

  /** listTypePop: the element, or undefined when the list is empty. */
  pop(where: Where): Bytes | undefined {
    if (this.length === 0) return undefined;
    const n = where === 'head' ? this.head! : this.tail!;
    const v = where === 'head' ? n.popFront() : n.popBack();
    this.length--;
    if (n.plain) this.unlinkNode(n);
    else {
      n.sz -= lpEntrySize(v);
      if (n.count === 0 && this.encoding === 'quicklist') this.unlinkNode(n);
    }
    return v;
  }

  /**
   * Removes `count` elements from position `start` (0-based, in range):
   * quicklistDelRange / lpDeleteRange. Emptied nodes go away; nothing merges.
   */
  deleteRange(start: number, count: number): void {
    if (count <= 0) return;
    if (start + count > this.length) count = this.length - start;
    let [node, off] = this.locate(start);
    this.length -= count;
    while (count > 0) {
      const next = node.next;
      const del = Math.min(count, node.count - off);
      if (off === 0 && del === node.count && this.encoding === 'quicklist') {
        this.unlinkNode(node);
      } else {
        node.sz -= node.removeRange(off, del);
        if (node.count === 0 && this.encoding === 'quicklist') this.unlinkNode(node);
      }
      count -= del;
      node = next!;
      off = 0;
    }
  }

  /** Elements [start, end] (normalised, in range), head to tail, or tail to head with `reverse`. */
  range(start: number, end: number, reverse = false): Bytes[] {
    const out = new Array<Bytes>(end - start + 1);
    let [node, off] = this.locate(start);
    for (let i = 0; i <= end - start; i++) {
      while (off >= node.count) {
        node = node.next!;
        off = 0;
      }
      out[reverse ? end - start - i : i] = node.get(off++);
    }
    return out;
  }

  /** Pops up to `n` elements from one end, in popping order (LPOP/RPOP with a count, LMPOP). */
  popMany(where: Where, n: number): Bytes[] {
    const len = Math.min(n, this.length);
    if (len === 0) return [];
    const start = where === 'head' ? 0 : this.length - len;
    const out = this.range(start, start + len - 1, where === 'tail');
    this.deleteRange(start, len);
    return out;
  }

  /** LINDEX: the element at a Valkey index, or undefined. */
  get(index: number): Bytes | undefined {
    const i = this.position(index);
    if (i < 0) return undefined;
    const [n, off] = this.locate(i);
    return n.get(off);
  }

  /** listTypeReplaceAtIndex (LSET): false when the index is out of range. */
  set(index: number, v: Bytes): boolean {
    const i = this.position(index);
    if (i < 0) return false;
    const [node, off] = this.locate(i);
    if (this.encoding === 'listpack') {
      node.sz += lpEntrySize(v) - lpEntrySize(node.get(off));
      node.set(off, v);
      return true;
    }
    // quicklistReplaceEntry
    const sz = v.length;
    const large = isLarge(sz, this.fill, this.packedThreshold);
    if (!node.plain && !large) {
      node.sz += lpEntrySize(v) - lpEntrySize(node.get(off));
      node.set(off, v);
    } else if (node.plain) {
      if (large) {
        node.set(0, v);
        node.sz = sz;
      } else {
        this.insertAt(node, 0, v, true);
        this.length--; // the plain node goes: its element is the one replaced
        this.unlinkNode(node);
      }
    } else {
      // A large element in a packed node: it gets a plain node of its own at that place.
      const split = off !== node.count - 1 ? this.splitNode(node, off, true) : null;
      const pn = new ListNode([v], true);
      this.linkNode(node, pn, true);
      if (split) this.linkNode(pn, split, true);
      if (node.count === 1) {
        this.unlinkNode(node);
      } else {
        node.sz -= lpEntrySize(node.popBack());
        this.mergeAround(pn);
      }
    }
    return true;
  }

  /**
   * LINSERT: inserts `v` before or after the first element equal to
   * `pivot` (from the head). False when there is no such element.
   */
  insert(pivot: Bytes, v: Bytes, after: boolean): boolean {
    for (let n = this.head; n !== null; n = n.next) {
      const c = n.count;
      for (let i = 0; i < c; i++) {
        if (n.get(i) === pivot) {
          if (this.encoding === 'listpack') {
            n.insertAt(after ? i + 1 : i, v);
            n.sz += lpEntrySize(v);
            this.length++;
          } else {
            this.insertAt(n, i, v, after);
          }
          return true;
        }
      }
    }
    return false;
  }

  /** _quicklistInsert: `v` before or after element `off` of `node`. */
  private insertAt(node: ListNode, off: number, v: Bytes, after: boolean): void {
    const sz = v.length;
    this.length++;
    const full = !this.allowInsert(node, sz);
    const atTail = after && off === node.count - 1;
    const atHead = !after && off === 0;
    const availNext = atTail && this.allowInsert(node.next, sz);
    const availPrev = atHead && this.allowInsert(node.prev, sz);
    if (isLarge(sz, this.fill, this.packedThreshold)) {
      if (node.plain || atTail || atHead) {
        this.linkNode(node, new ListNode([v], true), after);
      } else {
        const nn = this.splitNode(node, off, after);
        const pn = new ListNode([v], true);
        this.linkNode(node, pn, after);
        this.linkNode(pn, nn, after);
      }
      return;
    }
    const esz = lpEntrySize(v);
    if (!full) {
      node.insertAt(after ? off + 1 : off, v);
      node.sz += esz;
    } else if (atTail && availNext) {
      node.next!.pushFront(v);
      node.next!.sz += esz;
    } else if (atHead && availPrev) {
      node.prev!.pushBack(v);
      node.prev!.sz += esz;
    } else if (atTail || atHead) {
      this.linkNode(node, new ListNode([v]), after);
    } else {
      const nn = this.splitNode(node, off, after);
      if (after) nn.pushFront(v);
      else nn.pushBack(v);
      nn.sz += esz;
      this.linkNode(node, nn, after);
      this.mergeAround(node);
    }
  }

  /**
   * LREM: removes up to `limit` elements equal to `v` (0: all), scanning
   * from the head, or from the tail with `fromTail`. Returns how many.
   */
  remove(v: Bytes, limit: number, fromTail: boolean): number {
    let removed = 0;
    let n = fromTail ? this.tail : this.head;
    while (n !== null && (limit === 0 || removed < limit)) {
      const next = fromTail ? n.prev : n.next;
      let hit = false;
      for (let i = 0, c = n.count; i < c; i++) {
        if (n.get(i) === v) {
          hit = true;
          break;
        }
      }
      if (hit) {
        const items = n.items();
        const kept: Bytes[] = [];
        let bytes = 0;
        if (fromTail) {
          for (let j = items.length - 1; j >= 0; j--) {
            const x = items[j]!;
            if (x === v && (limit === 0 || removed < limit)) {
              removed++;
              bytes += lpEntrySize(x);
            } else kept.push(x);
          }
          kept.reverse();
        } else {
          for (const x of items) {
            if (x === v && (limit === 0 || removed < limit)) {
              removed++;
              bytes += lpEntrySize(x);
            } else kept.push(x);
          }
        }
        this.length -= items.length - kept.length;
        n.reset(kept);
        if (n.plain) {
          if (kept.length === 0) this.unlinkNode(n);
        } else {
          n.sz -= bytes;
          if (kept.length === 0 && this.encoding === 'quicklist') this.unlinkNode(n);
        }
      }
      n = next;
    }
    return removed;
  }

  /**
   * Visits elements from the head (or from the tail), with their index from
   * that end, until `fn` returns true.
   */
  scan(fromTail: boolean, fn: (v: Bytes, i: number) => boolean): void {
    let i = 0;
    if (fromTail) {
      for (let n = this.tail; n !== null; n = n.prev) {
        for (let j = n.count - 1; j >= 0; j--) if (fn(n.get(j), i++)) return;
      }
    } else {
      for (let n = this.head; n !== null; n = n.next) {
        const c = n.count;
        for (let j = 0; j < c; j++) if (fn(n.get(j), i++)) return;
      }
    }
  }

  /** Every element, head to tail. */
  toArray(): Bytes[] {
    return this.length === 0 ? [] : this.range(0, this.length - 1);
  }

  /** listTypeDup (COPY): same encoding, same nodes. */
  dup(): ListValue {
    const l = new ListValue();
    l.encoding = this.encoding;
    l.fill = this.fill;
    l.packedThreshold = this.packedThreshold;
    l.length = this.length;
    l.head = l.tail = null;
    l.nodes = 0;
    for (let n = this.head; n !== null; n = n.next) l.linkNode(l.tail, n.clone(), true);
    return l;
  }

  /** Node sizes and kinds, for tests: [sz, count, plain][]. */
  layout(): [number, number, boolean][] {
    const out: [number, number, boolean][] = [];
    for (let n = this.head; n !== null; n = n.next) out.push([n.sz, n.count, n.plain]);
    return out;
  }
}
