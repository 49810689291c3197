/**
 * maxmemory (Valkey's evict.c): the used-memory estimate the limit is
 * compared with, performEvictions with every maxmemory-policy, and the OOM
 * verdict processCommand gives denyoom commands.
 *
 * Memory is an estimate: a fixed startup figure, a per-connection figure,
 * and each key's MEMORY USAGE (Valkey's own estimator for our encodings,
 * cached per entry until the key is modified). It is computed only while
 * maxmemory is set. Keys to evict are sampled as Valkey samples them
 * (maxmemory-samples per database into a 16-entry pool, the idlest first;
 * one random key for the random policies), drawn from the engine's seeded rng.
 */
import type { Bytes } from '../protocol/index.js';
import type { Engine } from './engine.js';
import type { Entry, Keyspace } from './keyspace/keyspace.js';
import { lfuCounter, lfuDecay, lfuInit } from './keyspace/lfu.js';
import { memoryUsage, robjSize } from './memory/usage.js';
import type { StreamValue } from './types/stream.js';

/** shared.oomerr */
export const OOM_ERROR = "OOM command not allowed when used memory > 'maxmemory'.";

/** What the process takes before any data (INFO used_memory_startup) and per connection. */
export const STARTUP_MEMORY = 927232;
export const CLIENT_MEMORY = 20480;

/** EVPOOL_SIZE */
const POOL_SIZE = 16;

/** MEMORY USAGE's default sampling (OBJ_COMPUTE_SIZE_DEF_SAMPLES). */
const SAMPLES = 5;

interface PoolEntry {
  key: Bytes;
  idle: number;
  db: Keyspace;
}

type Policy = 'volatile-lru' | 'volatile-lfu' | 'volatile-random' | 'volatile-ttl' | 'allkeys-lru' | 'allkeys-lfu' | 'allkeys-random' | 'noeviction';

export class Evictor {
  private readonly pool: PoolEntry[] = [];
  /** next_db of the random policies. */
  private nextDb = 0;
  /** Per-entry cached MEMORY USAGE, dropped when the key is modified. */
  private readonly cache = new WeakMap<Entry, number>();
  /**
   * server.pre_command_oom_state: whether memory was over the limit when the
   * current command started (processCommand). A script's first deny-oom
   * command is refused on it, not on memory the script itself allocated.
   */
  oomAtCommandStart = false;

  /** maxmemory, kept current by CONFIG SET (read before every command). */
  private readonly limit: { maxmemory: number };

  constructor(private readonly engine: Engine) {
    this.limit = engine.config.live(['maxmemory'], (cfg) => ({ maxmemory: cfg.getInt('maxmemory') }));
  }

  /** The estimate's data part: the keys' MEMORY USAGE. */
  datasetMemory(): number {
    const depth = this.engine.config.getInt('list-compress-depth');
    let n = 0;
    for (const db of this.engine.allDbs()) {
      for (const [k, e] of db.entries()) n += this.keyMemory(k, e, depth);
    }
    return n;
  }

  usedMemory(): number {
    return STARTUP_MEMORY + this.engine.clients.size * CLIENT_MEMORY + this.datasetMemory();
  }

  /** A key's value changed: its cached size is stale (signalModifiedKey). */
  modified(e: Entry | undefined): void {
    if (e) this.cache.delete(e);
  }

  private keyMemory(key: Bytes, e: Entry, depth: number): number {
    let n = this.cache.get(e);
    if (n === undefined) {
      n = e.type === 'stream' ? streamEstimate(key, e) : memoryUsage(key, e, SAMPLES, depth);
      this.cache.set(e, n);
    }
    return n;
  }

  /**
   * performEvictions: false (EVICT_FAIL) when memory is over the limit and
   * nothing more may be evicted: the policy is noeviction, the server is in
   * import mode, or no key is left to evict.
   */
  perform(now: number): boolean {
    const maxmemory = this.limit.maxmemory;
    // isSafeToPerformEvictions: not while CLIENT PAUSE holds writes and expiry back.
    if (maxmemory === 0 || this.engine.pause.expiryPaused) return true;
    let used = this.usedMemory();
    if (used <= maxmemory) return true;
    const policy = this.engine.config.get('maxmemory-policy') as Policy;
    if (policy === 'noeviction' || this.engine.config.getBool('import-mode')) return false;
    const depth = this.engine.config.getInt('list-compress-depth');
    while (used > maxmemory) {
      const best = policy.endsWith('-random') ? this.randomVictim(policy) : this.pooledVictim(policy, now);
      if (!best) return false;
      const e = best.db.peek(best.key);
      if (!e) continue;
      used -= this.keyMemory(best.key, e, depth);
      this.engine.evictKey(best.db, best.key);
    }
    return true;
  }

  /** The random policies: a random key (or volatile key) of the next database that has one. */
  private randomVictim(policy: Policy): { db: Keyspace; key: Bytes } | undefined {
    const dbs = this.engine.allDbs();
    for (let i = 0; i < dbs.length; i++) {
      this.nextDb = (this.nextDb + 1) % dbs.length;
      const db = dbs[this.nextDb]!;
      const key = policy === 'allkeys-random' ? db.randomKey((n) => this.engine.rng.int(n)) : this.randomVolatile(db);
      if (key !== undefined) return { db, key };
    }
    return undefined;
  }

  private randomVolatile(db: Keyspace): Bytes | undefined {
    if (db.volatileCount === 0) return undefined;
    const keys: Bytes[] = [];
    for (const [k, e] of db.entries()) if (e.expireAt !== 0) keys.push(k);
    return keys[this.engine.rng.int(keys.length)];
  }

  /** The LRU, LFU and TTL policies: sample every database into the pool, take the idlest key still there. */
  private pooledVictim(policy: Policy, now: number): { db: Keyspace; key: Bytes } | undefined {
    const samples = this.engine.config.getInt('maxmemory-samples');
    const allkeys = policy.startsWith('allkeys');
    for (;;) {
      let total = 0;
      for (const db of this.engine.allDbs()) {
        const n = allkeys ? db.size : db.volatileCount;
        if (n === 0) continue;
        total += n;
        this.populate(db, allkeys, samples, policy, now);
      }
      if (total === 0) return undefined;
      while (this.pool.length) {
        const p = this.pool.pop()!;
        const e = p.db.peek(p.key);
        if (e && (allkeys || e.expireAt !== 0)) return { db: p.db, key: p.key };
      }
    }
  }

  /** evictionPoolPopulate: up to `samples` keys of `db`, kept in the pool in ascending idleness. */
  private populate(db: Keyspace, allkeys: boolean, samples: number, policy: Policy, now: number): void {
    const rand = (n: number) => this.engine.rng.int(n);
    const candidates: Bytes[] = [];
    if (allkeys) {
      const seen = new Set<Bytes>();
      for (let i = 0; i < samples && seen.size < db.size; i++) {
        const k = db.randomKey(rand);
        if (k !== undefined && !seen.has(k)) seen.add(k);
      }
      candidates.push(...seen);
    } else {
      const volatile: Bytes[] = [];
      for (const [k, e] of db.entries()) if (e.expireAt !== 0) volatile.push(k);
      for (let i = 0; i < samples && volatile.length; i++) candidates.push(volatile.splice(rand(volatile.length), 1)[0]!);
    }
    for (const key of candidates) {
      const e = db.peek(key)!;
      const idle = idleness(e, policy, now, this.engine.config.getInt('lfu-decay-time'));
      if (this.pool.some((p) => p.db === db && p.key === key)) continue;
      let k = 0;
      while (k < this.pool.length && this.pool[k]!.idle < idle) k++;
      if (k === 0 && this.pool.length === POOL_SIZE) continue; // idler keys fill the pool
      this.pool.splice(k, 0, { key, idle, db });
      if (this.pool.length > POOL_SIZE) this.pool.shift();
    }
  }
}

/**
 * MEMORY USAGE has no figure for streams yet: a stream counts as its key
 * object, the stream header and rax, and about 64 bytes per entry.
 */
function streamEstimate(key: Bytes, e: Entry): number {
  return robjSize(key.length, e.expireAt !== 0) + 224 + 64 * (e.value as StreamValue).length;
}

/** objectGetIdleness for the pool: LRU idle ms, 255 minus the decayed LFU counter, or how soon the key expires. */
function idleness(e: Entry, policy: Policy, now: number, decayTime: number): number {
  if (policy === 'volatile-ttl') return Number.MAX_SAFE_INTEGER - e.expireAt;
  if (policy.endsWith('-lfu')) return 255 - lfuCounter(lfuDecay(e.lfu ?? lfuInit(e.lru), now, decayTime));
  return Math.max(0, now - e.lru);
}
