/**
 * The whole dataset as an RDB file holds it, and back (file.ts writes a
 * snapshot into an RDB file and reads one into a snapshot). Every value is serialized
 * with rdbSaveObject's encoding (dump.ts) and loaded with rdbLoadObject's
 * conversions (restore.ts), so encodings come back as after a real reload:
 * a quicklist that fits turns into a listpack, a set of integers into an
 * intset, and so on. Key expiry and hash-field TTLs are kept; as on a primary,
 * keys (and hash fields) already expired at load time are dropped.
 *
 * The function libraries travel as their code, as RDB_OPCODE_FUNCTION2 does.
 */
import type { Bytes } from '../../protocol/index.js';
import type { Engine } from '../engine.js';
import { CommandError } from '../errors.js';
import type { Entry, ValueType } from '../keyspace/keyspace.js';
import { lfuCounter, lfuDecay, lfuInit } from '../keyspace/lfu.js';
import type { HashValue } from '../types/hash.js';
import { readSetLimits } from '../types/set.js';
import { toU8 } from './bytes.js';
import { createDumpPayload, dumpOptionsOf } from './dump.js';
import { loadDumpObject, type LoadLimits } from './restore.js';

/** One saved key: its payload (a DUMP payload, footer included), or its value already loaded (from an RDB file). */
export interface SavedKey {
  key: Bytes;
  type: ValueType;
  payload?: Bytes;
  value?: unknown;
  expireAt: number;
  expireExact: bigint | undefined;
  /** Saved when the maxmemory-policy is an LRU one (RDB_OPCODE_IDLE): seconds idle. */
  idleSecs?: number;
  /** Saved when it is an LFU one (RDB_OPCODE_FREQ): the decayed counter. */
  freq?: number;
}

export interface Snapshot {
  /** Per database number, its keys (databases without keys are absent). */
  readonly dbs: ReadonlyMap<number, readonly SavedKey[]>;
  /** The function libraries' code (RDB_OPCODE_FUNCTION2), saved before the keys. */
  readonly functions?: readonly Bytes[];
}

/** rdbLoadObject's conversion limits, from the configuration now in force. */
export function loadLimits(engine: Engine): LoadLimits {
  const cfg = engine.config;
  return {
    listFill: cfg.getInt('list-max-listpack-size'),
    set: readSetLimits(cfg),
    zset: engine.zsetLimits,
    hash: { maxEntries: cfg.getInt('hash-max-listpack-entries'), maxValue: cfg.getInt('hash-max-listpack-value') },
  };
}

function policy(engine: Engine): 'lru' | 'lfu' | 'none' {
  const p = engine.config.get('maxmemory-policy');
  return p.includes('lfu') ? 'lfu' : p.includes('lru') ? 'lru' : 'none';
}

/** rdbSave: every key of every database, as stored (logically expired keys included, as rdbSave writes them). */
export function takeSnapshot(engine: Engine, now: number): Snapshot {
  const cfg = engine.config;
  const opts = dumpOptionsOf(cfg);
  const pol = policy(engine);
  const dbs = new Map<number, SavedKey[]>();
  for (const db of engine.allDbs()) {
    if (db.size === 0) continue;
    const keys: SavedKey[] = [];
    for (const [key, e] of db.entries()) {
      const s: SavedKey = { key, type: e.type, expireAt: e.expireAt, expireExact: e.expireExact };
      s.payload = createDumpPayload(e, opts);
      if (pol === 'lru') s.idleSecs = Math.max(0, Math.floor(now / 1000) - Math.floor(e.lru / 1000));
      else if (pol === 'lfu') s.freq = lfuOf(engine, e, now);
      keys.push(s);
    }
    dbs.set(db.id, keys);
  }
  return { dbs, functions: [...engine.scripting.libraries.values()].map((l) => l.code) };
}

function lfuOf(engine: Engine, e: Entry, now: number): number {
  // The counter after decay, as rdbSaveKeyValuePair writes LFUDecrAndReturn.
  return lfuCounter(lfuDecay(e.lfu ?? lfuInit(e.lru), now, engine.lfu.decayTime));
}

export interface LoadOptions {
  /** RDBFLAGS_EMPTY_DATA: empty every database first (DEBUG RELOAD without NOFLUSH). */
  flush: boolean;
  /** RDBFLAGS_ALLOW_DUP: a loaded key replaces one of the same name. */
  merge: boolean;
}

/** What loading found: keys loaded, keys skipped as expired, or the first duplicate key (which makes Valkey panic). */
export interface LoadResult {
  loaded: number;
  expired: number;
  duplicate?: { db: number; key: Bytes };
  /** A library failed to load (rdbFunctionLoad): the load stops there. */
  functionError?: string;
}

/**
 * rdbLoad of a snapshot. Without `merge`, a key that already exists is a
 * fatal error in Valkey: it is reported before anything changes.
 */
export function loadSnapshot(engine: Engine, snap: Snapshot, opts: LoadOptions, now: number): LoadResult {
  // emptyData takes the functions too; libraries come first in the file, and one that exists fails the load unless MERGE.
  if (opts.flush) engine.scripting.flushFunctions();
  for (const code of snap.functions ?? []) {
    try {
      engine.scripting.loadLibrary(code, opts.merge);
    } catch (e) {
      if (e instanceof CommandError) return { loaded: 0, expired: 0, functionError: e.reply.v };
      throw e;
    }
  }
  if (!opts.flush && !opts.merge) {
    for (const [id, keys] of snap.dbs) {
      const db = engine.db(id);
      for (const k of keys) if (db.peek(k.key) !== undefined) return { loaded: 0, expired: 0, duplicate: { db: id, key: k.key } };
    }
  }
  if (opts.flush) engine.emptyData(-1, now);
  const lim = loadLimits(engine);
  const pol = policy(engine);
  const result: LoadResult = { loaded: 0, expired: 0 };
  for (const [id, keys] of snap.dbs) {
    if (id >= engine.databases) continue;
    const db = engine.db(id);
    for (const k of keys) {
      let type = k.type;
      let value: unknown;
      if (k.payload !== undefined) {
        const p = toU8(k.payload);
        const v = loadDumpObject(p[0]!, p, lim);
        if (v === undefined) continue;
        type = v.type;
        value = v.value;
      } else {
        value = k.value;
      }
      if (type === 'hash' && dropExpiredFields(value as HashValue, now)) continue; // RDB_LOAD_ERR_ALL_ITEMS_EXPIRED
      if (k.expireAt !== 0 && k.expireAt < now) {
        result.expired++;
        continue;
      }
      result.loaded++;
      if (db.peek(k.key) !== undefined) db.delete(k.key); // MERGE (dbSyncDelete, no notification)
      const e = db.set(k.key, type, value, now);
      if (k.expireAt !== 0) db.setExpire(e, k.key, k.expireExact ?? k.expireAt);
      if (pol === 'lru' && k.idleSecs !== undefined) e.lru = (Math.floor(now / 1000) - k.idleSecs) * 1000;
      else if (pol === 'lfu' && k.freq !== undefined) e.lfu = ((Math.floor(now / 60000) & 0xffff) << 8) | k.freq;
    }
  }
  return result;
}

/** Hash fields whose TTL passed before the load are not loaded; true when none is left. */
function dropExpiredFields(h: HashValue, now: number): boolean {
  if (!h.hasVolatile) return false;
  for (const f of [...h.fields.keys()]) {
    const t = h.rawDeadline(f);
    if (t !== 0 && t < now) h.delete(f, now, true);
  }
  return h.size === 0;
}
