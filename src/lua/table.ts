/**
 * Lua 5.1 tables: an array part and a hash part laid out like ltable.c, so
 * that next()/pairs() visit keys in the same order as the C implementation
 * for the same sequence of stores.
 *
 * The hash part is a power-of-two array of nodes. A key goes to its main
 * position; on a collision the free pointer scans down for an empty node and
 * either the newcomer or the intruder (a node not in its own main position)
 * moves there, linked through `next`. When no free node is left the table is
 * rehashed: the array part gets the largest power of two n such that more
 * than n/2 of the slots 1..n are in use (computesizes), everything else goes
 * to a hash part sized to the next power of two. A JS Map from key to node
 * index mirrors the chains, so lookups do not walk them.
 */
import type { StringHash } from './hash.js';

/** What a table needs from its state: the string hash and identities for reference keys. */
export interface TableContext {
  readonly strhash: StringHash;
  newId(): number;
}

/** Anything that can be a table key by identity (tables, functions, coroutines, userdata). */
export interface Identity { readonly hid: number }

const MAXBITS = 26;
const MAXASIZE = 1 << MAXBITS;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function log2(x: number): number {
  // floor(log2(x)) for x >= 1; -1 for 0 (luaO_log2)
  return x === 0 ? -1 : 31 - Math.clz32(x);
}
function ceillog2(x: number): number {
  return log2(x - 1) + 1;
}

/** The integer a number key would take in the array part, or -1 (arrayindex). */
function arrayIndex(k: unknown): number {
  if (typeof k === 'number') {
    const i = k | 0;
    if (i === k) return i;
  }
  return -1;
}

export class TableError extends Error {}

/**
 * The dummy node of an empty hash part (ltable.c's dummynode), shared by
 * every table without one: never written, as any new key first rehashes.
 */
const DUMMY_KEYS: readonly unknown[] = Object.freeze([undefined]);
const DUMMY_NEXTS = new Int32Array([-1]);
const DUMMY_INDEX: ReadonlyMap<unknown, number> = new Map();

export class LuaTable implements Identity {
  readonly hid: number;
  metatable: LuaTable | undefined = undefined;
  readonly = false;
  /** Array part, slots 1..arr.length (nil slots are undefined or holes). */
  arr: unknown[] = [];
  /** Hash part; `dummy` stands for the shared empty node of size 1. */
  private dummy = true;
  private lsize = 0;
  private keys = DUMMY_KEYS as unknown[];
  private vals = DUMMY_KEYS as unknown[];
  private nexts: Int32Array = DUMMY_NEXTS;
  private lastfree = 0;
  /** Key → node; the shared empty map while the hash part is the dummy node. */
  private index = DUMMY_INDEX as Map<unknown, number>;

  constructor(readonly ctx: TableContext, narray = 0, nhash = 0) {
    this.hid = ctx.newId();
    if (narray > 0) this.arr = new Array<unknown>(narray);
    if (nhash > 0) this.setNodeVector(nhash);
  }

  get sizeArray(): number { return this.arr.length; }
  get sizeNode(): number { return this.dummy ? 0 : 1 << this.lsize; }

  /** Main position of a key in the current hash part. */
  private mainPosition(k: unknown): number {
    const size = 1 << this.lsize;
    switch (typeof k) {
      case 'string': return this.ctx.strhash(k) & (size - 1);
      case 'number': {
        if (k === 0) return 0;
        f64[0] = k;
        const h = (u32[0]! + u32[1]!) >>> 0;
        return h % ((size - 1) | 1);
      }
      case 'boolean': return (k ? 1 : 0) & (size - 1);
      default: return ((k as Identity).hid >>> 0) % ((size - 1) | 1);
    }
  }

  get(k: unknown): unknown {
    if (typeof k === 'number') {
      if (k >= 1 && k <= this.arr.length && (k | 0) === k) return this.arr[k - 1];
    } else if (typeof k === 'string') {
      const i = this.index.get(k);
      return i === undefined ? undefined : this.vals[i];
    }
    if (this.dummy) return undefined;
    const i = this.index.get(k);
    return i === undefined ? undefined : this.vals[i];
  }

  getStr(k: string): unknown {
    const i = this.index.get(k);
    return i === undefined ? undefined : this.vals[i];
  }

  getInt(k: number): unknown {
    if (k >= 1 && k <= this.arr.length) return this.arr[k - 1];
    const i = this.index.get(k);
    return i === undefined ? undefined : this.vals[i];
  }

  /** Raw set (luaH_set + store). Throws TableError for nil/NaN keys. */
  set(k: unknown, v: unknown): void {
    if (typeof k === 'number') {
      if (k >= 1 && k <= this.arr.length && (k | 0) === k) { this.arr[k - 1] = v; return; }
      if (k !== k) throw new TableError('table index is NaN');
    } else if (k === undefined) {
      throw new TableError('table index is nil');
    }
    const i = this.index.get(k);
    if (i !== undefined) { this.vals[i] = v; return; }
    this.newKey(k === 0 ? 0 : k, v);
  }

  setInt(k: number, v: unknown): void {
    if (k >= 1 && k <= this.arr.length) { this.arr[k - 1] = v; return; }
    const i = this.index.get(k);
    if (i !== undefined) { this.vals[i] = v; return; }
    this.newKey(k, v);
  }

  private getFreePos(): number {
    while (this.lastfree-- > 0) {
      if (this.keys[this.lastfree] === undefined) return this.lastfree;
    }
    return -1;
  }

  private newKey(k: unknown, v: unknown): void {
    if (this.dummy) { this.rehash(k); this.set(k, v); return; }
    let mp = this.mainPosition(k);
    const keys = this.keys, vals = this.vals, nexts = this.nexts;
    if (vals[mp] !== undefined) {
      const n = this.getFreePos();
      if (n < 0) { this.rehash(k); this.set(k, v); return; }
      const ck = keys[mp];
      let othern = this.mainPosition(ck);
      if (othern !== mp) {
        while (nexts[othern] !== mp) othern = nexts[othern]!;
        nexts[othern] = n;
        keys[n] = ck; vals[n] = vals[mp]; nexts[n] = nexts[mp]!;
        this.index.set(ck, n);
        nexts[mp] = -1;
        vals[mp] = undefined;
        keys[mp] = undefined;
      } else {
        nexts[n] = nexts[mp]!;
        nexts[mp] = n;
        mp = n;
      }
    } else if (keys[mp] !== undefined) {
      // a dead key (nil value) at the main position is simply overwritten
      this.index.delete(keys[mp]);
    }
    keys[mp] = k;
    vals[mp] = v;
    this.index.set(k, mp);
  }

  private setNodeVector(size: number): void {
    if (size === 0) {
      this.dummy = true; this.lsize = 0;
      this.keys = DUMMY_KEYS as unknown[]; this.vals = DUMMY_KEYS as unknown[]; this.nexts = DUMMY_NEXTS;
      this.lastfree = 0;
      this.index = DUMMY_INDEX as Map<unknown, number>;
    } else {
      const lsize = ceillog2(size);
      if (lsize > MAXBITS) throw new TableError('table overflow');
      const n = 1 << lsize;
      this.dummy = false; this.lsize = lsize;
      this.keys = new Array<unknown>(n).fill(undefined);
      this.vals = new Array<unknown>(n).fill(undefined);
      this.nexts = new Int32Array(n).fill(-1);
      this.lastfree = n;
      this.index = new Map();
    }
  }

  private resize(nasize: number, nhsize: number): void {
    const oldasize = this.arr.length;
    const oldkeys = this.keys, oldvals = this.vals, olddummy = this.dummy;
    const oldhsize = olddummy ? 0 : oldkeys.length;
    if (nasize > oldasize) {
      // Empty slots stay holes (they read as nil): an array part of numbers keeps V8's unboxed
      // double elements, and no slot is written twice (pushing slot by slot is several times slower).
      const old = this.arr;
      const grown = new Array<unknown>(nasize);
      for (let i = 0; i < oldasize; i++) {
        const v = old[i];
        if (v !== undefined) grown[i] = v;
      }
      this.arr = grown;
    }
    this.setNodeVector(nhsize);
    if (nasize < oldasize) {
      const old = this.arr;
      this.arr = old.slice(0, nasize);
      for (let i = nasize; i < oldasize; i++) {
        if (old[i] !== undefined) this.setInt(i + 1, old[i]);
      }
    }
    for (let i = oldhsize - 1; i >= 0; i--) {
      if (oldvals[i] !== undefined) this.set(oldkeys[i], oldvals[i]);
    }
  }

  /** lua_createtable / luaH_resizearray */
  resizeArray(nasize: number): void {
    this.resize(nasize, this.sizeNode);
  }

  private rehash(extra: unknown): void {
    const nums = new Array<number>(MAXBITS + 1).fill(0);
    let nasize = this.numUseArray(nums);
    let totaluse = nasize;
    // numusehash
    let ause = 0;
    if (!this.dummy) {
      for (let i = this.keys.length - 1; i >= 0; i--) {
        if (this.vals[i] !== undefined) { ause += countInt(this.keys[i], nums); totaluse++; }
      }
    }
    nasize += ause;
    nasize += countInt(extra, nums);
    totaluse++;
    // computesizes
    let a = 0, na = 0, n = 0;
    for (let i = 0, twotoi = 1; twotoi / 2 < nasize; i++, twotoi *= 2) {
      if (nums[i]! > 0) {
        a += nums[i]!;
        if (a > twotoi / 2) { n = twotoi; na = a; }
      }
      if (a === nasize) break;
    }
    this.resize(n, totaluse - na);
  }

  private numUseArray(nums: number[]): number {
    let ause = 0, i = 1;
    const size = this.arr.length;
    for (let lg = 0, ttlg = 1; lg <= MAXBITS; lg++, ttlg *= 2) {
      let lc = 0;
      let lim = ttlg;
      if (lim > size) {
        lim = size;
        if (i > lim) break;
      }
      for (; i <= lim; i++) if (this.arr[i - 1] !== undefined) lc++;
      nums[lg]! += lc;
      ause += lc;
    }
    return ause;
  }

  /** The border used by the # operator (luaH_getn). */
  length(): number {
    let j = this.arr.length;
    if (j > 0 && this.arr[j - 1] === undefined) {
      let i = 0;
      while (j - i > 1) {
        const m = Math.floor((i + j) / 2);
        if (this.arr[m - 1] === undefined) j = m; else i = m;
      }
      return i;
    }
    if (this.dummy) return j;
    // unbound_search
    let i = j;
    j++;
    while (this.getInt(j) !== undefined) {
      i = j;
      j *= 2;
      if (j > 2147483647) {
        i = 1;
        while (this.getInt(i) !== undefined) i++;
        return i - 1;
      }
    }
    while (j - i > 1) {
      const m = Math.floor((i + j) / 2);
      if (this.getInt(m) === undefined) j = m; else i = m;
    }
    return i;
  }

  /**
   * luaH_next: the entry after `k` (undefined = start), or undefined at the end.
   * Throws TableError("invalid key to 'next'") for a key not in the table.
   */
  next(k: unknown): [unknown, unknown] | undefined {
    let i: number;
    const asize = this.arr.length;
    if (k === undefined) i = -1;
    else {
      const ai = arrayIndex(k);
      if (ai > 0 && ai <= asize) i = ai - 1;
      else {
        const ni = this.dummy ? undefined : this.index.get(k);
        if (ni === undefined) throw new TableError("invalid key to 'next'");
        i = ni + asize;
      }
    }
    for (i++; i < asize; i++) {
      if (this.arr[i] !== undefined) return [i + 1, this.arr[i]];
    }
    if (this.dummy) return undefined;
    const size = this.keys.length;
    for (i -= asize; i < size; i++) {
      if (this.vals[i] !== undefined) return [this.keys[i], this.vals[i]];
    }
    return undefined;
  }
}

function countInt(k: unknown, nums: number[]): number {
  const i = arrayIndex(k);
  if (i > 0 && i <= MAXASIZE) { nums[ceillog2(i)]!++; return 1; }
  return 0;
}
