/**
 * Set values and their three Valkey encodings (t_set.c), so that OBJECT
 * ENCODING, reply order and every conversion match Valkey 9.1.2:
 *
 * - 'intset': integers only (64-bit, canonical text), kept sorted as
 *   integers; replies list them in that order.
 * - 'listpack': small sets, members in insertion order (deletions keep the
 *   order of the rest).
 * - 'hashtable': anything else. Valkey does not define its order; here it is
 *   insertion order with holes left by deletions (compacted now and then),
 *   which gives O(1) random picks and SSCAN cursors that survive changes.
 *
 * Members are byte strings. An integer member is always in its canonical
 * form (string2ll accepts nothing else), so the text stored is the text
 * Valkey replies with whatever the encoding.
 *
 * Conversions are the ones of setTypeAddAux / setTypeCreate /
 * setTypeMaybeConvert / maybeConvertToIntset; nothing ever converts back to
 * a smaller encoding except where t_set.c builds a new set (SPOP's third
 * strategy, the STORE commands), which the commands do by building one.
 */
import type { Bytes } from '../../protocol/index.js';
import { isIntEncodable } from '../keyspace/keyspace.js';
import { upperBound } from '../keyspace/upper-bound.js';

export type SetEncoding = 'intset' | 'listpack' | 'hashtable';

/** The set-max-* parameters as the conversions use them. */
export interface SetLimits {
  /** set-max-intset-entries as configured (setTypeCreate, setTypeMaybeConvert). */
  intsetEntries: number;
  /** intsetMaxEntries(): the same, capped at 2^30 (growth and maybeConvertToIntset). */
  intsetCap: number;
  /** set-max-listpack-entries. */
  listpackEntries: number;
  /** set-max-listpack-value (bytes). */
  listpackValue: number;
}

/** The parameters SetLimits derive from. */
export const SET_LIMIT_PARAMS = ['set-max-intset-entries', 'set-max-listpack-entries', 'set-max-listpack-value'] as const;

/** The set limits of a configuration (the engine keeps them live: engine.setLimits). */
export function readSetLimits(cfg: { getInt(name: string): number }): SetLimits {
  const intsetEntries = cfg.getInt('set-max-intset-entries');
  return {
    intsetEntries,
    intsetCap: Math.min(intsetEntries, 2 ** 30),
    listpackEntries: cfg.getInt('set-max-listpack-entries'),
    listpackValue: cfg.getInt('set-max-listpack-value'),
  };
}

/** Compares two canonical integer strings as integers. */
export function cmpInt(a: Bytes, b: Bytes): number {
  const na = a.charCodeAt(0) === 45;
  const nb = b.charCodeAt(0) === 45;
  if (na !== nb) return na ? -1 : 1;
  const r = a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
  return na ? 0 - r : r;
}

/** The element width (2, 4, 8 bytes) an intset needs for a canonical integer (_intsetValueEncoding). */
export function intsetWidthOf(v: Bytes): 2 | 4 | 8 {
  if (v.length <= 4) return 2;
  const b = BigInt(v);
  if (b < -2147483648n || b > 2147483647n) return 8;
  if (b < -32768n || b > 32767n) return 4;
  return 2;
}

/** A uniform random integer in [0, n). */
export type RandInt = (n: number) => number;

export class SetValue {
  private encoding: SetEncoding;
  /**
   * intset: members sorted as integers; listpack: insertion order;
   * hashtable: slots in insertion order, null where a member was removed.
   */
  private items: (Bytes | null)[] = [];
  /** hashtable: member -> slot. */
  private slotOf: Map<Bytes, number> | null = null;
  /** hashtable: each slot's sequence number (ascending), the SSCAN cursor space. */
  private seqs: number[] = [];
  private nextSeq = 1;
  private holes = 0;
  /** intset: its element width, which only grows while the intset lives (intsetUpgradeAndAdd). */
  private width: 2 | 4 | 8 = 2;

  private constructor(enc: SetEncoding) {
    this.encoding = enc;
    if (enc === 'hashtable') this.slotOf = new Map();
  }

  /** An empty set of the given encoding. */
  static empty(enc: SetEncoding): SetValue {
    return new SetValue(enc);
  }

  /**
   * setTypeCreate: the encoding a new set gets for its first member and the
   * number of members about to be added.
   */
  static create(first: Bytes, sizeHint: number, lim: SetLimits): SetValue {
    if (isIntEncodable(first) && sizeHint <= lim.intsetEntries) return new SetValue('intset');
    if (sizeHint <= lim.listpackEntries) return new SetValue('listpack');
    return new SetValue('hashtable');
  }

  get enc(): SetEncoding {
    return this.encoding;
  }

  /** intset: the element width in bytes (2, 4 or 8). */
  get intsetWidth(): 2 | 4 | 8 {
    return this.width;
  }

  /**
   * A set as a payload describes it (RESTORE): the members in their stored
   * order (an intset's ascending) with no conversion; an intset keeps its width.
   */
  static restored(enc: SetEncoding, members: readonly Bytes[], width: 2 | 4 | 8 = 2): SetValue {
    const s = new SetValue(enc);
    if (enc === 'hashtable') for (const m of members) s.htPush(m);
    else s.items = members.slice();
    if (enc === 'intset') s.width = width;
    return s;
  }

  get size(): number {
    return this.slotOf !== null ? this.slotOf.size : this.items.length;
  }

  /** setTypeMaybeConvert: an existing set about to receive `sizeHint` members. */
  maybeConvert(sizeHint: number, lim: SetLimits): void {
    if ((this.encoding === 'listpack' && sizeHint > lim.listpackEntries) || (this.encoding === 'intset' && sizeHint > lim.intsetEntries)) {
      this.toHashtable();
    }
  }

  has(m: Bytes): boolean {
    if (this.slotOf !== null) return this.slotOf.has(m);
    if (this.encoding === 'listpack') return this.items.indexOf(m) >= 0;
    return isIntEncodable(m) && this.intsetFind(m) >= 0;
  }

  /** setTypeAddAux: adds `m` (converting as Valkey does); false when already a member. */
  add(m: Bytes, lim: SetLimits): boolean {
    const items = this.items;
    if (this.slotOf !== null) {
      if (this.slotOf.has(m)) return false;
      this.htPush(m);
      return true;
    }
    if (this.encoding === 'listpack') {
      if (items.indexOf(m) >= 0) return false;
      if (items.length < lim.listpackEntries && m.length <= lim.listpackValue) {
        items.push(m);
      } else {
        this.toHashtable();
        this.htPush(m);
      }
      return true;
    }
    // intset
    if (isIntEncodable(m)) {
      const i = this.intsetFind(m);
      if (i >= 0) return false;
      items.splice(-i - 1, 0, m);
      const w = intsetWidthOf(m);
      if (w > this.width) this.width = w;
      if (items.length > lim.intsetCap) this.toHashtable();
      return true;
    }
    // A string member: listpack when it and the widest integer fit, else hashtable.
    const n = items.length;
    const widest = n === 0 ? 0 : Math.max(items[0]!.length, items[n - 1]!.length);
    if (n < lim.listpackEntries && m.length <= lim.listpackValue && widest <= lim.listpackValue) {
      this.encoding = 'listpack';
      items.push(m);
    } else {
      this.toHashtable();
      this.htPush(m);
    }
    return true;
  }

  /** setTypeRemoveAux: false when `m` was not a member. */
  remove(m: Bytes): boolean {
    if (this.slotOf !== null) {
      const slot = this.slotOf.get(m);
      if (slot === undefined) return false;
      this.htRemoveSlot(m, slot);
      return true;
    }
    let i: number;
    if (this.encoding === 'listpack') {
      i = this.items.indexOf(m);
    } else {
      if (!isIntEncodable(m)) return false;
      i = this.intsetFind(m);
    }
    if (i < 0) return false;
    this.items.splice(i, 1);
    return true;
  }

  /** The members in iteration order (setTypeNext): a snapshot. */
  members(): Bytes[] {
    if (this.slotOf === null) return this.items.slice() as Bytes[];
    if (this.holes === 0) return this.items.slice() as Bytes[];
    const out: Bytes[] = [];
    for (const m of this.items) if (m !== null) out.push(m);
    return out;
  }

  /** setTypeRandomElement: a uniformly random member of a non-empty set. */
  random(rand: RandInt): Bytes {
    if (this.slotOf === null) return this.items[rand(this.items.length)]!;
    if (this.holes * 2 > this.items.length) this.compact();
    while (true) {
      const m = this.items[rand(this.items.length)];
      if (m !== null && m !== undefined) return m;
    }
  }

  /** setTypePopRandom: removes and returns a random member of a non-empty set. */
  popRandom(rand: RandInt): Bytes {
    const m = this.random(rand);
    this.remove(m);
    return m;
  }

  /**
   * lpNextRandom over the whole set: `k` distinct positions (0 <= k <= size)
   * chosen uniformly, in ascending order (listpack sampling keeps set order).
   */
  static orderedSample(size: number, k: number, rand: RandInt): number[] {
    const out: number[] = [];
    for (let i = 0; i < size && out.length < k; i++) {
      // Selection sampling: keep position i with probability (needed / left).
      if (rand(size - i) < k - out.length) out.push(i);
    }
    return out;
  }

  /** Removes the members at the given positions of members() (ascending). */
  removePositions(positions: readonly number[]): void {
    if (this.slotOf !== null) {
      const all = this.members();
      for (const p of positions) this.remove(all[p]!);
      return;
    }
    const drop = new Set(positions);
    this.items = this.items.filter((_, i) => !drop.has(i));
  }

  /**
   * maybeConvertToIntset: a set whose members are all integers becomes an
   * intset when it is small enough.
   */
  maybeConvertToIntset(lim: SetLimits): void {
    if (this.encoding === 'intset' || this.size > lim.intsetCap) return;
    const all = this.members();
    all.sort(cmpInt);
    this.items = all;
    this.width = all.length === 0 ? 2 : Math.max(intsetWidthOf(all[0]!), intsetWidthOf(all[all.length - 1]!)) as 2 | 4 | 8;
    this.slotOf = null;
    this.seqs = [];
    this.holes = 0;
    this.encoding = 'intset';
  }

  /** setTypeDup (COPY): an independent copy with the same encoding. */
  dup(): SetValue {
    const c = new SetValue(this.encoding);
    if (this.slotOf === null) {
      c.items = this.items.slice();
      c.width = this.width;
    } else {
      for (const m of this.items) if (m !== null) c.htPush(m);
    }
    return c;
  }

  /**
   * One SSCAN step over a hashtable set from `cursor` (0 starts): up to
   * `count` members and the next cursor (0 at the end). A member present for
   * the whole iteration is returned at least once.
   */
  scan(cursor: number, count: number): { members: Bytes[]; next: number } {
    const items = this.items;
    const n = items.length;
    let i = upperBound(this.seqs, cursor);
    const out: Bytes[] = [];
    while (i < n && out.length < count) {
      const m = items[i++];
      if (m !== null && m !== undefined) out.push(m);
    }
    while (i < n && items[i] === null) i++;
    return { members: out, next: i >= n ? 0 : this.seqs[i - 1]! };
  }

  /** Converts to a hashtable (setTypeConvert), keeping the iteration order. */
  toHashtable(): void {
    if (this.slotOf !== null) return;
    const old = this.items as Bytes[];
    this.items = [];
    this.seqs = [];
    this.holes = 0;
    this.slotOf = new Map();
    this.encoding = 'hashtable';
    for (const m of old) this.htPush(m);
  }

  // --- internals ---

  /** Binary search of an intset: the index, or -(insertion point) - 1. */
  private intsetFind(m: Bytes): number {
    const items = this.items;
    let lo = 0;
    let hi = items.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = cmpInt(items[mid]!, m);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  private htPush(m: Bytes): void {
    this.slotOf!.set(m, this.items.length);
    this.items.push(m);
    this.seqs.push(this.nextSeq++);
  }

  private htRemoveSlot(m: Bytes, slot: number): void {
    this.slotOf!.delete(m);
    if (slot === this.items.length - 1) {
      // The last slot: drop it (and any holes before it) outright.
      this.items.pop();
      this.seqs.pop();
      while (this.items.length > 0 && this.items[this.items.length - 1] === null) {
        this.items.pop();
        this.seqs.pop();
        this.holes--;
      }
      return;
    }
    this.items[slot] = null;
    this.holes++;
    if (this.holes > 64 && this.holes * 2 > this.items.length) this.compact();
  }

  private compact(): void {
    const items: Bytes[] = [];
    const seqs: number[] = [];
    const slotOf = this.slotOf!;
    for (let i = 0; i < this.items.length; i++) {
      const m = this.items[i];
      if (m === null || m === undefined) continue;
      slotOf.set(m, items.length);
      items.push(m);
      seqs.push(this.seqs[i]!);
    }
    this.items = items;
    this.seqs = seqs;
    this.holes = 0;
  }

}
