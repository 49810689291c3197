/**
 * One numbered database: keys to entries, key expiry (lazy on access, active
 * through the ExpiryIndex when the clock moves), WATCH bookkeeping, and a
 * stable iteration order for SCAN.
 */
import type { Bytes } from '../../protocol/index.js';
import { ExpiryIndex } from './expiry-index.js';
import { upperBound } from './upper-bound.js';

export type ValueType = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream';

export interface Entry {
  readonly type: ValueType;
  /** string: Bytes; the collection types define their own structures. */
  value: unknown;
  /**
   * Absolute expiry in epoch ms; 0 when the key is persistent. A key is
   * expired once the time is past it (now > expireAt), as in Valkey.
   */
  expireAt: number;
  /** The exact expiry when it is beyond 2^53 ms (PEXPIREAT 9223372036854775807); see `expireTimeOf`. */
  expireExact?: bigint | undefined;
  /** Last access, epoch ms (OBJECT IDLETIME). */
  lru: number;
  /**
   * LFU state when an LFU maxmemory-policy touched the key: Valkey's packed
   * (minutes << 8 | counter). Undefined until then (see keyspace/lfu.ts).
   */
  lfu?: number | undefined;
  /**
   * Strings only: the value is encoded 'raw' rather than 'int'/'embstr'. Set
   * when it was built in place (APPEND, SETRANGE, SETBIT...), and by the
   * keyspace when the object no longer fits in an embedded allocation with
   * its key and expiry (a long key, RENAME, EXPIRE): once raw, always raw.
   */
  raw: boolean;
  /** Strings only: stored without tryObjectEncoding (INCRBYFLOAT), so integer-looking yet 'embstr'. */
  notIntEncoded?: boolean;
  /** Position in SCAN order. */
  seq: number;
  /**
   * The object has room for an expiry (Valkey 9 keeps it in the robj): set
   * once the key got a TTL, kept when the TTL goes (PERSIST, SET without
   * KEEPTTL replacing a value that had one). Sizes embstr/raw decisions and
   * MEMORY USAGE.
   */
  expireSlot?: boolean;
  /**
   * Raw strings grown in place (APPEND, SETRANGE, SETBIT...): the sds
   * allocation (usable bytes) and header size sdsMakeRoomFor left, for MEMORY
   * USAGE. Undefined when the sds is exactly sized (made in one go).
   */
  sds?: { alloc: number; hdr: number } | undefined;
}

/**
 * Valkey 9 embeds the key, the expiry and a short string value in one
 * allocation of at most 128 bytes (object.c shouldEmbedStringObject). A string
 * that stops fitting (longer key, expiry added) becomes 'raw' for good.
 */
export function embstrFits(keyLen: number, valLen: number, hasExpire: boolean): boolean {
  if (valLen > 255) return false;
  const keyHdr = keyLen < 32 ? 1 : keyLen <= 252 ? 3 : keyLen <= 65530 ? 5 : 9;
  // robj without its value pointer (8) + key sds with its 1-byte header-size prefix
  // + optional expiry (8) + the value as an sds8 (3-byte header, NUL).
  const size = 8 + (1 + keyHdr + keyLen + 1) + (hasExpire ? 8 : 0) + (3 + valLen + 1);
  return size <= 128;
}

/** Would Valkey store this string as an integer (tryObjectEncoding: string2l)? */
export function isIntEncodable(v: string): boolean {
  const n = v.length;
  if (n === 0 || n > 20) return false;
  let i = 0;
  if (v.charCodeAt(0) === 45) {
    if (n === 1) return false;
    i = 1;
  }
  const first = v.charCodeAt(i);
  if (first === 48) return n === 1; // "0" only: no leading zeros, no "-0"
  if (first < 49 || first > 57) return false;
  for (let j = i + 1; j < n; j++) {
    const c = v.charCodeAt(j);
    if (c < 48 || c > 57) return false;
  }
  if (n - i < 19) return true;
  const b = BigInt(v);
  return b <= 9223372036854775807n && b >= -9223372036854775808n;
}

/** The exact expiry of an entry (epoch ms) as a bigint, or -1n when it has none. */
export function expireTimeOf(e: Entry): bigint {
  if (e.expireAt === 0) return -1n;
  return e.expireExact ?? BigInt(e.expireAt);
}

/** A client's WATCH on one key of one database. */
export interface WatchedKey {
  readonly watcher: Watcher;
  readonly db: Keyspace;
  readonly key: Bytes;
  /** The key was already logically expired when WATCH ran. */
  expired: boolean;
}

export interface Watcher {
  /** Set when a watched key is touched; EXEC then fails. */
  /**
   * A watched key changed: EXEC will fail. `unwatch` also drops all the
   * watcher's watches (touchWatchedKey does; touchAllWatchedKeysInDb does not).
   */
  markDirty(unwatch?: boolean): void;
}

export interface KeyspaceHooks {
  /** A key was removed by expiry (lazy or active): notify, count, wake. */
  expired(db: Keyspace, key: Bytes): void;
  /** A key was added (dbAdd): the 'new' keyspace event. */
  added?(db: Keyspace, key: Bytes): void;
  /**
   * Active expiry removed `count` items (hash fields) of `key`; `deleted`
   * when that emptied the value and the key went with it.
   */
  itemsExpired?(db: Keyspace, key: Bytes, count: number, deleted: boolean, items: readonly Bytes[]): void;
  /**
   * What a logically expired key is for the command running now (Valkey's
   * getExpirationPolicyWithFlags), asked only once a key's time has passed:
   * 'delete' it (the default), 'keep' it stored but hidden (import mode,
   * later replicas), or 'ignore' its expiry (the import source). `write`
   * for lookupKeyWrite, which deletes even where reads keep.
   */
  expirePolicy?(write: boolean): ExpirePolicy;
}

export type ExpirePolicy = 'delete' | 'keep' | 'ignore';

/**
 * A value whose items expire on their own (hash fields with TTLs). The
 * keyspace keeps the keys of such values in an index of their earliest item
 * deadline (Valkey's keys_with_volatile_items) and reclaims due items when
 * the clock moves; reads hide expired items themselves.
 */
export interface VolatileItems {
  /** Earliest item deadline (epoch ms), or Infinity when no item has one. */
  nextItemDeadline(): number;
  /** Deletes every item whose deadline is before `now`; returns how many went (their names pushed to `out`). */
  reclaimExpired(now: number, out?: Bytes[]): number;
  /** Items held, expired ones not yet reclaimed included. */
  readonly size: number;
}

function hasVolatileItems(v: unknown): v is VolatileItems {
  return typeof v === 'object' && v !== null && typeof (v as Partial<VolatileItems>).nextItemDeadline === 'function';
}

/** The contents of a database, apart from its number and watchers, so SWAPDB can exchange them. */
class KeyData {
  readonly map = new Map<Bytes, Entry>();
  readonly expiry = new ExpiryIndex<Bytes>();
  expiresCount = 0;
  /** SCAN order: keys by ascending seq; deleted slots are null until compaction. */
  orderKeys: (Bytes | null)[] = [];
  orderSeqs: number[] = [];
  holes = 0;
  nextSeq = 1;
  /** Keys whose value has volatile items → the time their active expiry is scheduled at. */
  readonly itemKeys = new Map<Bytes, number>();
  /** (scheduled time, key) for itemKeys; stale entries are skipped when popped. */
  readonly itemExpiry = new ExpiryIndex<Bytes>();
}

export class Keyspace {
  private d = new KeyData();
  readonly watched = new Map<Bytes, Set<WatchedKey>>();

  constructor(readonly id: number, private readonly hooks: KeyspaceHooks) {}

  get size(): number {
    return this.d.map.size;
  }

  /** Keys with a TTL (INFO keyspace "expires="). */
  get volatileCount(): number {
    return this.d.expiresCount;
  }

  /** Keys whose value has items with a TTL: hashes with volatile fields (INFO keyspace "keys_with_volatile_items="). */
  get volatileItemsCount(): number {
    return this.d.itemKeys.size;
  }

  /** The entry as stored, expired or not: no side effects. */
  peek(key: Bytes): Entry | undefined {
    return this.d.map.get(key);
  }

  /**
   * objectIsExpired: a key is expired once `now` is past its expiry, unless
   * the running command ignores expiry (the import source).
   */
  isExpired(e: Entry, now: number): boolean {
    return e.expireAt !== 0 && now > e.expireAt && this.hooks.expirePolicy?.(false) !== 'ignore';
  }

  /**
   * The live entry; a logically expired key is deleted first (expireIfNeeded),
   * or only hidden, or seen, as the expiry policy says.
   */
  lookup(key: Bytes, now: number, write = false): Entry | undefined {
    const e = this.d.map.get(key);
    if (e === undefined) return undefined;
    if (e.expireAt !== 0 && now > e.expireAt) {
      const policy = this.hooks.expirePolicy?.(write) ?? 'delete';
      if (policy === 'ignore') return e;
      if (policy === 'delete') this.expireKey(key);
      return undefined;
    }
    return e;
  }

  has(key: Bytes, now: number): boolean {
    return this.lookup(key, now) !== undefined;
  }

  /**
   * Adds a new key or replaces the value (and type) of an existing one, keeping
   * its SCAN position. A new key fires the 'new' event (dbAdd); a replaced one
   * keeps its LFU state (dbSetValue).
   */
  set(key: Bytes, type: ValueType, value: unknown, now: number, opts: { keepTtl?: boolean; raw?: boolean } = {}): Entry {
    const old = this.d.map.get(key);
    const entry: Entry = { type, value, expireAt: 0, expireExact: undefined, lru: now, lfu: undefined, raw: opts.raw ?? false, seq: 0 };
    if (old) {
      entry.seq = old.seq;
      entry.lfu = old.lfu;
      // dbSetValue: the new object takes the old expiry (then maybe drops it, keeping the room); two
      // collections swap values inside the old object, which keeps its room.
      entry.expireSlot = old.expireAt !== 0 || (old.expireSlot === true && old.type !== 'string' && type !== 'string');
      if (opts.keepTtl) {
        entry.expireAt = old.expireAt;
        entry.expireExact = old.expireExact;
      } else if (old.expireAt !== 0) this.d.expiresCount--;
      if (this.d.itemKeys.size !== 0) this.d.itemKeys.delete(key);
    } else {
      entry.seq = this.d.nextSeq++;
      this.d.orderKeys.push(key);
      this.d.orderSeqs.push(entry.seq);
    }
    this.d.map.set(key, entry);
    if (type === 'string' && !entry.raw) this.fitString(entry, key);
    else if (typeof value === 'object' && hasVolatileItems(value)) this.trackItems(key, entry);
    if (!old) this.hooks.added?.(this, key);
    return entry;
  }

  /**
   * dbAdd of a value that left another key (RENAME, MOVE): the same entry
   * object, expiry included, under a name that must be free; its access
   * time and LFU state start over (initObjectLRUOrLFU).
   */
  adopt(key: Bytes, e: Entry, now: number): void {
    e.seq = this.d.nextSeq++;
    e.lru = now;
    e.lfu = undefined;
    e.expireSlot = e.expireAt !== 0;
    this.d.orderKeys.push(key);
    this.d.orderSeqs.push(e.seq);
    this.d.map.set(key, e);
    if (e.expireAt !== 0) {
      this.d.expiresCount++;
      this.d.expiry.push(e.expireAt, key);
    }
    if (e.type === 'string' && !e.raw) this.fitString(e, key);
    else if (hasVolatileItems(e.value)) this.trackItems(key, e);
    this.hooks.added?.(this, key);
  }

  /** A string re-embedded with its key and expiry that no longer fits one allocation turns raw. */
  private fitString(e: Entry, key: Bytes): void {
    const v = e.value as string;
    if (!embstrFits(key.length, v.length, e.expireAt !== 0 || e.expireSlot === true) && !isIntEncodable(v)) e.raw = true;
  }

  delete(key: Bytes): boolean {
    const e = this.d.map.get(key);
    if (!e) return false;
    this.d.map.delete(key);
    if (e.expireAt !== 0) this.d.expiresCount--;
    if (this.d.itemKeys.size !== 0) this.d.itemKeys.delete(key);
    const i = this.indexOfSeq(e.seq);
    if (i >= 0) {
      this.d.orderKeys[i] = null;
      this.d.holes++;
      if (this.d.holes > 64 && this.d.holes * 2 > this.d.orderKeys.length) this.compact();
    }
    return true;
  }

  /**
   * Sets an absolute expiry (ms). The caller has checked that `at` is in the
   * future (or, in import mode, keeps a past one). A bigint keeps values
   * beyond 2^53 exact for PEXPIRETIME.
   */
  setExpire(e: Entry, key: Bytes, at: number | bigint): void {
    let ms: number;
    if (typeof at === 'bigint') {
      ms = Number(at);
      e.expireExact = Number.isSafeInteger(ms) ? undefined : at;
    } else {
      ms = at;
      e.expireExact = undefined;
    }
    if (ms === 0) {
      // Epoch 0 is a real expiry (import mode keeps past times): expireAt 0 means none, so a value just below it stands in.
      ms = -Number.MIN_VALUE;
      e.expireExact = 0n;
    }
    const added = e.expireAt === 0;
    if (added) this.d.expiresCount++;
    e.expireSlot = true;
    e.expireAt = ms;
    if (added && e.type === 'string' && !e.raw) this.fitString(e, key);
    this.d.expiry.push(ms, key);
    // Rescheduling leaves stale heap entries behind; rebuild when they dominate.
    if (this.d.expiry.size > 1024 && this.d.expiry.size > 4 * this.d.expiresCount) this.rebuildExpiry();
  }

  /** Removes the TTL; true when there was one. */
  persist(e: Entry): boolean {
    if (e.expireAt === 0) return false;
    e.expireAt = 0;
    e.expireExact = undefined;
    this.d.expiresCount--;
    return true;
  }

  /** Deletes a logically expired key and reports it. */
  private expireKey(key: Bytes): void {
    this.delete(key);
    this.hooks.expired(this, key);
  }

  /**
   * Deletes an existing key as expired ('expired' event, expired_keys stat):
   * EXPIRE with a time in the past, or GETEX/SET with one.
   */
  deleteExpired(key: Bytes): boolean {
    if (!this.d.map.has(key)) return false;
    this.expireKey(key);
    return true;
  }

  /** Active expiry: removes every key whose expiry is before `now`, then the due items of volatile values. */
  expireDue(now: number): void {
    this.d.expiry.popDue(now - 1, (key, at) => {
      const e = this.d.map.get(key);
      if (e && e.expireAt === at) this.expireKey(key);
    });
    const d = this.d;
    d.itemExpiry.popDue(now - 1, (key, at) => {
      if (d.itemKeys.get(key) !== at) return; // rescheduled or gone
      d.itemKeys.delete(key);
      const e = d.map.get(key);
      if (e === undefined || !hasVolatileItems(e.value)) return;
      const v = e.value;
      const items: Bytes[] = [];
      const n = v.reclaimExpired(now, items);
      const emptied = v.size === 0;
      if (emptied) this.delete(key);
      else this.trackItems(key, e);
      if (n > 0) this.hooks.itemsExpired?.(this, key, n, emptied, items);
    });
  }

  /**
   * Keeps the active expiry of a value with volatile items (a hash whose
   * field TTLs changed) scheduled at its earliest item deadline, or drops the
   * key from the index when no item has a TTL any more.
   */
  trackItems(key: Bytes, e: Entry): void {
    const d = this.d;
    const t = hasVolatileItems(e.value) ? e.value.nextItemDeadline() : Infinity;
    const cur = d.itemKeys.get(key);
    if (t === Infinity) {
      if (cur !== undefined) d.itemKeys.delete(key);
      return;
    }
    if (cur !== undefined && cur <= t) return; // wakes up early and reschedules
    d.itemKeys.set(key, t);
    d.itemExpiry.push(t, key);
    if (d.itemExpiry.size > 1024 && d.itemExpiry.size > 4 * d.itemKeys.size) {
      d.itemExpiry.clear();
      for (const [k, at] of d.itemKeys) d.itemExpiry.push(at, k);
    }
  }

  private rebuildExpiry(): void {
    this.d.expiry.clear();
    for (const [k, e] of this.d.map) if (e.expireAt !== 0) this.d.expiry.push(e.expireAt, k);
  }

  /**
   * The earliest time (ms) at which a key may be expired, or Infinity: one
   * past the smallest scheduled expiry (may be stale).
   */
  nextDeadline(): number {
    return Math.min(this.d.expiry.peekTime(), this.d.itemExpiry.peekTime()) + 1;
  }

  /** All keys with entries (including logically expired ones not yet removed). */
  keys(): IterableIterator<Bytes> {
    return this.d.map.keys();
  }

  entries(): IterableIterator<[Bytes, Entry]> {
    return this.d.map.entries();
  }

  /** Removes every key; returns how many there were. */
  clear(): number {
    const n = this.d.map.size;
    this.d = new KeyData();
    return n;
  }

  /** Exchanges contents with `other` (SWAPDB); numbers and watch lists stay. */
  swapContents(other: Keyspace): void {
    const d = this.d;
    this.d = other.d;
    other.d = d;
  }

  /**
   * One SCAN step from `cursor` (0 starts): visits up to `count` positions in
   * SCAN order and returns the keys found there and the next cursor (0 at the
   * end). A key present for the whole iteration is returned at least once.
   */
  scan(cursor: number, count: number): { keys: Bytes[]; next: number } {
    let i = upperBound(this.d.orderSeqs, cursor);
    const out: Bytes[] = [];
    let visited = 0;
    const n = this.d.orderKeys.length;
    while (i < n && visited < count) {
      const k = this.d.orderKeys[i];
      if (k !== null && k !== undefined) {
        out.push(k);
        visited++;
      }
      i++;
    }
    while (i < n && this.d.orderKeys[i] === null) i++;
    const next = i >= n ? 0 : this.d.orderSeqs[i - 1]!;
    return { keys: out, next };
  }

  /** A uniformly random live key, or undefined when empty (RANDOMKEY). */
  randomKey(rand: (n: number) => number): Bytes | undefined {
    if (this.d.map.size === 0) return undefined;
    if (this.d.holes * 2 > this.d.orderKeys.length) this.compact();
    while (true) {
      const k = this.d.orderKeys[rand(this.d.orderKeys.length)];
      if (k !== null && k !== undefined) return k;
    }
  }

  // --- WATCH ---

  watch(w: WatchedKey): void {
    let set = this.watched.get(w.key);
    if (!set) this.watched.set(w.key, (set = new Set()));
    set.add(w);
  }

  unwatch(w: WatchedKey): void {
    const set = this.watched.get(w.key);
    if (!set) return;
    set.delete(w);
    if (set.size === 0) this.watched.delete(w.key);
  }

  /** signalModifiedKey's WATCH half (touchWatchedKey): mark every client watching `key` dirty. */
  touch(key: Bytes): void {
    if (this.watched.size === 0) return;
    const set = this.watched.get(key);
    if (!set) return;
    for (const wk of [...set]) {
      if (wk.expired) {
        if (!this.d.map.has(key)) {
          // The already-expired key was deleted: logically nothing changed.
          wk.expired = false;
          continue;
        }
        // Valkey leaves the loop here: neither this watcher nor the ones after it are touched.
        break;
      }
      wk.watcher.markDirty(true);
    }
  }

  private indexOfSeq(seq: number): number {
    const a = this.d.orderSeqs;
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = a[mid]!;
      if (v === seq) return mid;
      if (v < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }


  private compact(): void {
    const keys: Bytes[] = [];
    const seqs: number[] = [];
    for (let i = 0; i < this.d.orderKeys.length; i++) {
      const k = this.d.orderKeys[i];
      if (k !== null && k !== undefined) {
        keys.push(k);
        seqs.push(this.d.orderSeqs[i]!);
      }
    }
    this.d.orderKeys = keys;
    this.d.orderSeqs = seqs;
    this.d.holes = 0;
  }
}
