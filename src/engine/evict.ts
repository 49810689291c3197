/**
 * maxmemory eviction (Valkey's performEvictions), against the engine's own
 * memory estimate (INFO used_memory): while it is over `maxmemory`, keys
 * go by the policy: the least recently or least frequently used, a random
 * one, or the nearest to expire (volatile-* among keys with a TTL). Each
 * eviction is an 'evicted' event, a modified key (WATCH, tracking) and a
 * count in INFO evicted_keys. Valkey samples its candidates; here the exact
 * order is taken, or the seeded rng for the random policies.
 */
import type { Bytes } from '../protocol/index.js';
import type { Engine } from './engine.js';
import { estimateMemory } from './info.js';
import type { Entry, Keyspace } from './keyspace/keyspace.js';
import { lfuCounter, lfuDecay, lfuInit } from './keyspace/lfu.js';

export type EvictResult = 'ok' | 'fail';

/** performEvictions: 'fail' when memory stays over the limit (the policy forbids, or nothing is left to evict). */
export function performEvictions(engine: Engine): EvictResult {
  const max = engine.config.getInt('maxmemory');
  if (max <= 0 || engine.pause.expiryPaused) return 'ok';
  let used = estimateMemory(engine).used;
  if (used <= max) return 'ok';
  const policy = engine.config.get('maxmemory-policy');
  if (policy === 'noeviction') return 'fail';
  const volatile = policy.startsWith('volatile-');
  const now = engine.clock.now();
  const cands: { db: Keyspace; key: Bytes; e: Entry }[] = [];
  for (const db of engine.allDbs()) {
    for (const key of db.keys()) {
      const e = db.peek(key)!;
      if (volatile && e.expireAt === 0) continue;
      cands.push({ db, key, e });
    }
  }
  const decay = engine.lfu.decayTime;
  if (policy.endsWith('-lru')) cands.sort((a, b) => a.e.lru - b.e.lru);
  else if (policy.endsWith('-lfu')) {
    const f = (e: Entry) => lfuCounter(lfuDecay(e.lfu ?? lfuInit(e.lru), now, decay));
    cands.sort((a, b) => f(a.e) - f(b.e));
  } else if (policy === 'volatile-ttl') cands.sort((a, b) => a.e.expireAt - b.e.expireAt);
  const random = policy.endsWith('-random');
  while (used > max && cands.length) {
    let c;
    if (random) {
      const i = engine.rng.int(cands.length);
      c = cands[i]!;
      cands[i] = cands[cands.length - 1]!;
      cands.pop();
    } else {
      c = cands.shift()!;
    }
    if (c.db.peek(c.key) !== c.e) continue;
    c.db.delete(c.key);
    engine.stats.evictedKeys++;
    engine.signalModifiedKey(c.db, c.key, null);
    engine.notifyKeyspaceEvent('e', 'evicted', c.key, c.db.id);
    used = estimateMemory(engine).used;
  }
  return used <= max ? 'ok' : 'fail';
}
