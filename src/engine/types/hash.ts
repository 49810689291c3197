/**
 * Hash values: the "hash type API" half of Valkey's t_hash.c, with per-field
 * expiration.
 *
 * Model. Fields and values live in one Map in insertion order, which is the
 * listpack order Valkey replies in (an update keeps the field's place, a new
 * field goes last). The encoding is a label with Valkey's conversion rules:
 * 'listpack' until the hash outgrows hash-max-listpack-entries, a field or
 * value outgrows hash-max-listpack-value, or a field gets a TTL; then
 * 'hashtable' for good (Valkey never converts back).
 *
 * Field TTLs (hashtable only, as in Valkey) are kept in `ttl` with a min-heap
 * of deadlines (lazy deletion) so the earliest one is found without scanning.
 * A field is expired once the time is past its deadline (now > deadline).
 * As in Valkey, an expired field is hidden from every read (HGET, HEXISTS,
 * HGETALL, HSCAN, HTTL, HRANDFIELD...) but stays in the hash, and in HLEN,
 * until active expiry reclaims it (`reclaimExpired`, driven by the keyspace
 * when the clock passes the deadline). HDEL cannot delete a hidden field;
 * writes overwrite it as if it were absent.
 */
import type { Bytes } from '../../protocol/index.js';
import { ExpiryIndex } from '../keyspace/expiry-index.js';
import type { VolatileItems } from '../keyspace/keyspace.js';
import { upperBound } from '../keyspace/upper-bound.js';

/** A field deadline, epoch ms: a bigint only beyond 2^53 (HPEXPIREAT near LLONG_MAX stays exact). */
export type Deadline = number | bigint;

/** The listpack limits (hash-max-listpack-entries, hash-max-listpack-value). */
export interface HashLimits {
  readonly maxEntries: number;
  readonly maxValue: number;
}

/** hashTypeSet outcomes. */
export const SET_CREATED = 0;
export const SET_UPDATED = 1;
/** An expired (hidden) field was overwritten: counts as created, reported as expired ('hexpired'). */
export const SET_REVIVED = 2;

/** HEXPIRE conditions (EXPIRE_NX...). */
export const EXPIRE_NX = 1;
export const EXPIRE_XX = 2;
export const EXPIRE_GT = 4;
export const EXPIRE_LT = 8;

/** hashTypeSetExpire / hashTypePersist results, as the commands reply them. */
export const FIELD_NOT_FOUND = -2;
export const FIELD_NO_TTL = -1;
export const FIELD_CONDITION_FAILED = 0;
export const FIELD_UPDATED = 1;
export const FIELD_DELETED = 2;

/** A bigint deadline as a Deadline (a number when exact). */
export function toDeadline(ms: bigint): Deadline {
  const n = Number(ms);
  return Number.isSafeInteger(n) ? n : ms;
}

function ms(t: Deadline): number {
  return typeof t === 'number' ? t : Number(t);
}

/** HSCAN order of a hashtable-encoded hash: fields by ascending sequence number, deleted slots null until compaction. */
interface ScanOrder {
  readonly seqOf: Map<Bytes, number>;
  fields: (Bytes | null)[];
  seqs: number[];
  holes: number;
  next: number;
}

export class HashValue implements VolatileItems {
  /** field → value, in listpack (insertion) order. */
  readonly fields = new Map<Bytes, Bytes>();
  encoding: 'listpack' | 'hashtable' = 'listpack';
  /** Deadlines of the fields that have one (Valkey's volatile set); undefined when none has. */
  private ttl: Map<Bytes, Deadline> | undefined;
  /** (deadline ms, field) for `ttl`; entries whose deadline changed are skipped when they surface. */
  private heap: ExpiryIndex<Bytes> | undefined;
  /** Built by the first HSCAN of a hashtable-encoded hash, then kept up to date. */
  private scanOrder: ScanOrder | undefined;

  /** Fields held, expired ones not yet reclaimed included (hashTypeLength, HLEN). */
  get size(): number {
    return this.fields.size;
  }

  /** Some field has a TTL (hashTypeHasVolatileFields). */
  get hasVolatile(): boolean {
    return this.ttl !== undefined;
  }

  /** Fields with a TTL. */
  get volatileCount(): number {
    return this.ttl?.size ?? 0;
  }

  // --- reads (expired fields are hidden) --------------------------------------

  /** A field's deadline as stored, expired or not: 0 when it has none (DUMP writes expired fields too). */
  rawDeadline(field: Bytes): Deadline {
    return this.ttl?.get(field) ?? 0;
  }

  /** The field exists but its TTL has passed: hidden until reclaimed. */
  isExpired(field: Bytes, now: number): boolean {
    const t = this.ttl?.get(field);
    return t !== undefined && now > t;
  }

  /** The value of a live field (hashTypeGetValue). */
  get(field: Bytes, now: number): Bytes | undefined {
    const v = this.fields.get(field);
    if (v === undefined || this.ttl === undefined) return v;
    return this.isExpired(field, now) ? undefined : v;
  }

  /** hashTypeExists. */
  has(field: Bytes, now: number): boolean {
    return this.get(field, now) !== undefined;
  }

  /** The deadline of a live field, 0 when it has none, undefined when it is absent or expired (hashTypeGetExpiry). */
  expiry(field: Bytes, now: number): Deadline | undefined {
    if (!this.fields.has(field)) return undefined;
    const t = this.ttl?.get(field);
    if (t === undefined) return 0;
    return now > t ? undefined : t;
  }

  /** Calls `fn` for every live field in order (hashTypeNext). */
  forEachLive(now: number, fn: (field: Bytes, value: Bytes) => void): void {
    if (this.ttl === undefined) {
      for (const [f, v] of this.fields) fn(f, v);
      return;
    }
    for (const [f, v] of this.fields) if (!this.isExpired(f, now)) fn(f, v);
  }

  /** Live fields in order. */
  liveFields(now: number): Bytes[] {
    if (this.ttl === undefined) return [...this.fields.keys()];
    const out: Bytes[] = [];
    for (const f of this.fields.keys()) if (!this.isExpired(f, now)) out.push(f);
    return out;
  }

  // --- writes -----------------------------------------------------------------

  /**
   * hashTypeTryConversion: before a write of the arguments `argv[start..end]`
   * (field/value pairs), a listpack that would hold more pairs than allowed, or
   * any argument longer than allowed, becomes a hashtable.
   */
  tryConversion(argv: readonly Bytes[], start: number, end: number, limits: HashLimits): void {
    if (this.encoding !== 'listpack') return;
    if (Math.floor((end - start + 1) / 2) > limits.maxEntries) {
      this.convert();
      return;
    }
    for (let i = start; i <= end; i++) {
      if (argv[i]!.length > limits.maxValue) {
        this.convert();
        return;
      }
    }
  }

  /** listpack → hashtable (never back). */
  convert(): void {
    this.encoding = 'hashtable';
  }

  /**
   * hashTypeSet: adds or overwrites a field. `expiry` is the new deadline (0:
   * none); with `keepTtl` a live field keeps its deadline instead. A field
   * whose deadline is reached (deadline <= now, checkAlreadyExpired) is
   * overwritten as a new one: SET_REVIVED.
   */
  set(field: Bytes, value: Bytes, now: number, expiry: Deadline, keepTtl: boolean, limits: HashLimits): number {
    if (this.encoding === 'listpack') {
      if (expiry !== 0 || field.length > limits.maxValue || value.length > limits.maxValue) this.convert();
    }
    if (this.encoding === 'listpack') {
      const had = this.fields.has(field);
      this.fields.set(field, value);
      if (this.fields.size > limits.maxEntries) this.convert();
      return had ? SET_UPDATED : SET_CREATED;
    }
    if (!this.fields.has(field)) {
      this.insert(field, value);
      if (expiry !== 0) this.setTtl(field, expiry);
      return SET_CREATED;
    }
    const cur = this.ttl?.get(field);
    const expired = cur !== undefined && cur <= now;
    this.fields.set(field, value);
    this.setTtl(field, !expired && keepTtl ? (cur ?? 0) : expiry);
    return expired ? SET_REVIVED : SET_UPDATED;
  }

  /** hashTypeDelete: removes a live field (an expired one too with `includeExpired`). */
  delete(field: Bytes, now: number, includeExpired = false): boolean {
    if (!this.fields.has(field)) return false;
    if (!includeExpired && this.isExpired(field, now)) return false;
    this.remove(field);
    return true;
  }

  /**
   * hashTypeSetExpire: sets a field's deadline under the NX/XX/GT/LT
   * conditions (`flags`): FIELD_UPDATED, FIELD_CONDITION_FAILED, FIELD_NOT_FOUND,
   * or FIELD_DELETED when `when` is not in the future (the field goes at once).
   * A listpack counts its fields as having no TTL and converts only when a
   * TTL is really set.
   */
  setExpire(field: Bytes, when: Deadline, now: number, flags: number): number {
    const past = when <= now;
    if (this.encoding === 'listpack') {
      if (!this.fields.has(field)) return FIELD_NOT_FOUND;
      if (flags & (EXPIRE_XX | EXPIRE_GT)) return FIELD_CONDITION_FAILED;
      if (past) {
        this.remove(field);
        return FIELD_DELETED;
      }
      this.convert();
    }
    if (!this.fields.has(field) || this.isExpired(field, now)) return FIELD_NOT_FOUND;
    const cur = this.ttl?.get(field);
    if (flags & EXPIRE_NX && cur !== undefined) return FIELD_CONDITION_FAILED;
    if (flags & EXPIRE_XX && cur === undefined) return FIELD_CONDITION_FAILED;
    if (flags & EXPIRE_GT && (cur === undefined || when <= cur)) return FIELD_CONDITION_FAILED;
    if (flags & EXPIRE_LT && cur !== undefined && when >= cur) return FIELD_CONDITION_FAILED;
    if (past) {
      this.remove(field);
      return FIELD_DELETED;
    }
    this.setTtl(field, when);
    return FIELD_UPDATED;
  }

  /** hashTypePersist: FIELD_UPDATED when a TTL was removed, FIELD_NO_TTL, or FIELD_NOT_FOUND. */
  persist(field: Bytes, now: number): number {
    if (!this.fields.has(field) || this.isExpired(field, now)) return FIELD_NOT_FOUND;
    if (this.ttl?.get(field) === undefined) return FIELD_NO_TTL;
    this.setTtl(field, 0);
    return FIELD_UPDATED;
  }

  // --- active expiry (VolatileItems) --------------------------------------------

  nextItemDeadline(): number {
    const ttl = this.ttl;
    if (ttl === undefined) return Infinity;
    const heap = this.heap!;
    for (;;) {
      const f = heap.peekItem();
      if (f === undefined) return Infinity;
      const at = heap.peekTime();
      const t = ttl.get(f);
      if (t !== undefined && ms(t) === at) return at;
      heap.shift(); // stale: the field's deadline changed or it went
    }
  }

  reclaimExpired(now: number, out?: Bytes[]): number {
    let n = 0;
    while (this.nextItemDeadline() < now) {
      const f = this.heap!.peekItem()!;
      this.heap!.shift();
      this.remove(f);
      out?.push(f);
      n++;
    }
    return n;
  }

  // --- HSCAN ------------------------------------------------------------------

  /**
   * One HSCAN step of a hashtable-encoded hash from `cursor` (0 starts):
   * visits up to `count` live fields and returns the next cursor (0 at the
   * end). A field present for the whole iteration is visited exactly once.
   */
  scan(cursor: number, count: number, now: number, fn: (field: Bytes, value: Bytes) => void): number {
    const o = this.order();
    const n = o.fields.length;
    let i = upperBound(o.seqs, cursor);
    let visited = 0;
    while (i < n && visited < count) {
      const f = o.fields[i];
      if (f !== null && f !== undefined && !this.isExpired(f, now)) {
        fn(f, this.fields.get(f)!);
        visited++;
      }
      i++;
    }
    while (i < n && o.fields[i] === null) i++;
    return i >= n ? 0 : o.seqs[i - 1]!;
  }

  // --- COPY -----------------------------------------------------------------

  /** hashTypeDup: same encoding, order and TTLs; fields expired at `now` are left out, as Valkey's iterator skips them. */
  clone(now: number): HashValue {
    const h = new HashValue();
    h.encoding = this.encoding;
    for (const [f, v] of this.fields) {
      const t = this.ttl?.get(f);
      if (t !== undefined && now > t) continue;
      h.fields.set(f, v);
      if (t !== undefined) h.setTtl(f, t);
    }
    return h;
  }

  // --- internals ----------------------------------------------------------------

  private insert(field: Bytes, value: Bytes): void {
    this.fields.set(field, value);
    const o = this.scanOrder;
    if (o !== undefined) {
      const seq = o.next++;
      o.seqOf.set(field, seq);
      o.fields.push(field);
      o.seqs.push(seq);
    }
  }

  private remove(field: Bytes): void {
    this.fields.delete(field);
    if (this.ttl !== undefined) this.setTtl(field, 0);
    const o = this.scanOrder;
    if (o !== undefined) {
      const seq = o.seqOf.get(field)!;
      o.seqOf.delete(field);
      const i = upperBound(o.seqs, seq) - 1;
      o.fields[i] = null;
      o.holes++;
      if (o.holes > 64 && o.holes * 2 > o.fields.length) this.compactOrder(o);
    }
  }

  /** Sets (t > 0) or clears (t === 0) a field's deadline. */
  private setTtl(field: Bytes, t: Deadline): void {
    if (t === 0) {
      const ttl = this.ttl;
      if (ttl === undefined || !ttl.delete(field)) return;
      if (ttl.size === 0) {
        this.ttl = undefined;
        this.heap = undefined;
      }
      return;
    }
    if (this.ttl === undefined) {
      this.ttl = new Map();
      this.heap = new ExpiryIndex();
    }
    const ttl = this.ttl;
    const heap = this.heap!;
    ttl.set(field, t);
    heap.push(ms(t), field);
    if (heap.size > 64 && heap.size > 4 * ttl.size) {
      heap.clear();
      for (const [f, d] of ttl) heap.push(ms(d), f);
    }
  }

  private order(): ScanOrder {
    if (this.scanOrder !== undefined) return this.scanOrder;
    const o: ScanOrder = { seqOf: new Map(), fields: [], seqs: [], holes: 0, next: 1 };
    for (const f of this.fields.keys()) {
      const seq = o.next++;
      o.seqOf.set(f, seq);
      o.fields.push(f);
      o.seqs.push(seq);
    }
    this.scanOrder = o;
    return o;
  }

  private compactOrder(o: ScanOrder): void {
    const fields: Bytes[] = [];
    const seqs: number[] = [];
    for (let i = 0; i < o.fields.length; i++) {
      const f = o.fields[i];
      if (f !== null && f !== undefined) {
        fields.push(f);
        seqs.push(o.seqs[i]!);
      }
    }
    o.fields = fields;
    o.seqs = seqs;
    o.holes = 0;
  }
}
