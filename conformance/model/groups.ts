/**
 * Which commands a model-based run generates, per command group, straight
 * from the metadata: every command of the group that is not kept out by
 * normalize.ts (EXCLUDED, blocking, nondeterministic output without a
 * structural comparison). A per-group run mixes in a few commands of other
 * types on the same keys, so WRONGTYPE paths come up; `joint` mixes all.
 */
import { allCommandSpecs, exclusionReason } from '../normalize.js';

/** The groups the corpus covers, in report order (Valkey's group names). */
export const CORPUS_GROUPS = [
  'string', 'bitmap', 'generic', 'connection', 'server', 'transactions', 'hash', 'list', 'set', 'sorted_set',
  'geo', 'hyperloglog',
] as const;

/** Groups with properties but no example cases or model runs yet (their IDs and idle times follow the clock). */
export const PROPERTY_ONLY_GROUPS: readonly string[] = ['stream'];

/** Commands that make keys of every type, mixed into each group's run. */
export const MIXERS = ['set', 'append', 'rpush', 'hset', 'sadd', 'zadd', 'geoadd', 'pfadd', 'del', 'get', 'type'] as const;

export interface ModelGroup {
  readonly name: string;
  /** Commands of the group (full names) that may be generated. */
  readonly commands: readonly string[];
  /** Commands from other groups mixed in at a lower weight. */
  readonly mixers: readonly string[];
  /** Commands of the group kept out, with the reason. */
  readonly excluded: readonly { command: string; reason: string }[];
}

export function modelGroup(name: string): ModelGroup {
  const commands: string[] = [];
  const excluded: { command: string; reason: string }[] = [];
  const specs = allCommandSpecs();
  for (const [full, spec] of specs) {
    if (name !== 'joint' && spec.group !== name) continue;
    const why = exclusionReason(full);
    if (why) excluded.push({ command: full, reason: why });
    else commands.push(full);
  }
  if (name === 'joint') {
    const inCorpus = new Set<string>(CORPUS_GROUPS);
    const keep = commands.filter((c) => inCorpus.has(specs.get(c)!.group));
    return { name, commands: keep, mixers: [], excluded };
  }
  // A transaction needs something to queue.
  const mixers = name === 'transactions' ? [...MIXERS, 'incr', 'mget', 'lpop', 'hgetall', 'smembers'] : MIXERS.filter((m) => !commands.includes(m));
  return { name, commands, mixers, excluded };
}
