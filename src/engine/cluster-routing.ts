/**
 * Cluster routing: the gate of Valkey's processCommand that asks
 * getNodeByQuery (cluster.c) which node serves a command, and answers
 * MOVED, ASK, TRYAGAIN, CROSSSLOT or CLUSTERDOWN when it is not this one.
 * Keys come from the command metadata's key specs; the topology from
 * `engine.cluster` (src/engine/cluster.ts).
 */
import { R, type Bytes, type ErrorReply } from '../protocol/index.js';
import { getKeysFromCommand, getKeysUsingKeySpecs } from '../meta/index.js';
import type { Client } from './client.js';
import type { ClusterHooks, ClusterNode } from './cluster.js';
import type { CommandEntry } from './command.js';
import type { Engine } from './engine.js';
import { keyHashSlot } from './keyslot.js';
import { countError } from './dispatch.js';

/** A command's slot: -1 without keys, 'cross' when its keys hash to different slots (clusterSlotByCommand). */
export function commandSlot(cmd: CommandEntry, argv: readonly Bytes[]): number | 'cross' {
  let slot = -1;
  // Sharded Pub/Sub routes by its channels (NOT_KEY specs, as Valkey's legacy key range counts them).
  const keys = cmd.flags.has('pubsub') ? getKeysUsingKeySpecs(cmd.spec.keySpecs, argv, { includeNotKeys: true }) ?? [] : getKeysFromCommand(cmd.spec, argv);
  for (const k of keys) {
    const s = keyHashSlot(argv[k.pos]!);
    if (slot === -1) slot = s;
    else if (s !== slot) return 'cross';
  }
  return slot;
}

const CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";
const TRYAGAIN = 'TRYAGAIN Multiple keys request during rehashing of slot';

function redirect(kind: 'MOVED' | 'ASK', slot: number, engine: Engine, n: ClusterNode): ErrorReply {
  const type = engine.config.get('cluster-preferred-endpoint-type');
  const ep = type === 'ip' ? n.ip : type === 'hostname' ? (n.hostname !== '' ? n.hostname : '?') : '';
  return R.error(`${kind} ${slot} ${ep}:${n.port}`);
}

/** Is the cluster healthy from this node's view (isClusterHealthy)? */
function healthy(c: ClusterHooks): boolean {
  return c.state === 'ok';
}

/**
 * The error that sends the command elsewhere, or undefined when this node
 * serves it. `writes`: the command (for EXEC, one of its queued commands)
 * is a write, script flags considered.
 */
export function clusterRoute(engine: Engine, c: ClusterHooks, client: Client, cmd: CommandEntry, argv: readonly Bytes[], writes: boolean): ErrorReply | undefined {
  const isExec = cmd.fullname === 'exec';
  // processCommand: commands without key specs (EXEC aside) are not routed.
  if (!isExec && cmd.spec.keySpecs.length === 0) return undefined;
  let slot: number;
  const queue = isExec && client.multi ? client.multi.queue : null;
  if (queue) {
    slot = -1;
    for (const q of queue) {
      const s = commandSlot(q.cmd, q.argv);
      if (s === 'cross') return R.error(CROSSSLOT); // (cannot be queued: rejected at queue time)
      if (slot === -1) slot = s;
      else if (s !== -1 && s !== slot) return R.error(CROSSSLOT);
    }
  } else if (isExec) {
    return undefined;
  } else {
    const s = commandSlot(cmd, argv);
    if (s === 'cross') return R.error(CROSSSLOT);
    slot = s;
  }
  if (slot === -1) return undefined;

  const myself = c.myself;
  const n = c.slotOwner(slot);
  if (n === null) return R.error('CLUSTERDOWN Hash slot not served');

  const myPrimary = myself.primary ?? myself;
  let migrating = false;
  let importing = false;
  if (!myself.primary || client.readonly) {
    if (n === myPrimary && c.migratingTo(slot) !== null) migrating = true;
    else if (c.importingFrom(slot) !== null) importing = true;
  }

  let multipleKeys = false;
  let missing = 0;
  let existing = 0;
  if (migrating || importing) {
    const commands = queue ?? [{ cmd, argv }];
    const now = engine.clock.now();
    let db = client.db;
    let first: Bytes | undefined;
    for (const q of commands) {
      const keys = getKeysFromCommand(q.cmd.spec, q.argv);
      let currentDb = db;
      if (q.cmd.fullname === 'select') {
        const id = Number(q.argv[1]);
        if (/^(0|-?[1-9]\d*)$/.test(q.argv[1]!) && id >= 0 && id < engine.databases) currentDb = id;
        db = currentDb;
      }
      for (const k of keys) {
        const key = q.argv[k.pos]!;
        if (first === undefined) first = key;
        else if (importing && !multipleKeys && key !== first) multipleKeys = true;
        // MOVE, and COPY to another database, are refused while the slot moves.
        if (q.cmd.fullname === 'move') return R.error(TRYAGAIN);
        if (q.cmd.fullname === 'copy') {
          for (let i = 3; i + 1 < q.argv.length; i++) {
            if (q.argv[i]!.toLowerCase() !== 'db') continue;
            if (!/^(0|-?[1-9]\d*)$/.test(q.argv[i + 1]!) || Number(q.argv[i + 1]) !== currentDb) return R.error(TRYAGAIN);
            i++;
          }
        }
        // Inside MULTI the keys are counted at EXEC.
        if (!client.multi || isExec) {
          const ks = engine.db(currentDb);
          const e = ks.peek(key);
          if (e === undefined || ks.isExpired(e, now)) missing++;
          else existing++;
        }
      }
    }
  }

  const pubsubShard = cmd.flags.has('pubsub') || (queue?.some((q) => q.cmd.flags.has('pubsub')) ?? false);
  if (!healthy(c)) {
    if (pubsubShard) {
      if (!engine.config.getBool('cluster-allow-pubsubshard-when-down')) return R.error('CLUSTERDOWN The cluster is down');
    } else if (!engine.config.getBool('cluster-allow-reads-when-down')) return R.error('CLUSTERDOWN The cluster is down');
    else if (writes) return R.error('CLUSTERDOWN The cluster is down and only accepts read commands');
  }

  // MIGRATE works on this node while the slot is open, to move keys freely.
  if ((migrating || importing) && cmd.fullname === 'migrate' && !myself.primary) return undefined;
  if (migrating && missing) {
    if (existing) return R.error(TRYAGAIN);
    return redirect('ASK', slot, engine, c.migratingTo(slot)!);
  }
  if (importing && (client.asking || cmd.flags.has('asking'))) {
    if (multipleKeys && missing) return R.error(TRYAGAIN);
    return undefined;
  }
  if ((client.readonly || pubsubShard) && !writes && myself.primary && myself.primary === n) return undefined;
  if (n !== myself) return redirect('MOVED', slot, engine, n);
  return undefined;
}

/**
 * clusterRedirectBlockedClientIfNeeded, for every client of `engine` blocked
 * on keys: once the cluster is down, or the keys' slot is served elsewhere
 * (and not imported here), the client is unblocked with CLUSTERDOWN or MOVED.
 * Valkey checks this from its cron; the cluster layer calls it when the
 * topology changes.
 */
export function redirectBlockedClients(engine: Engine, c: ClusterHooks): void {
  for (const [client, keys] of engine.keyBlockedClients()) {
    let reply: ErrorReply | undefined;
    if (!healthy(c)) {
      reply = R.error('CLUSTERDOWN The cluster is down');
    } else {
      const slot = keyHashSlot(keys[0]!);
      let n: ClusterNode | null = c.slotOwner(slot);
      const lastWrites = engine.commands.get(client.lastCmd.split('|')[0]!)?.flags.has('write') ?? false;
      if (client.readonly && !lastWrites && c.myself.primary && c.myself.primary === n) n = c.myself;
      if (n !== c.myself && c.importingFrom(slot) === null) {
        reply = n === null ? R.error('CLUSTERDOWN Hash slot not served') : redirect('MOVED', slot, engine, n);
      }
    }
    if (reply && engine.unblockWith(client, reply)) countError(engine, reply.v);
  }
}
