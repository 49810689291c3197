/**
 * Cluster commands (Valkey group "cluster"): the CLUSTER container, READONLY,
 * READWRITE and ASKING. They read and change the topology through
 * `engine.cluster` (src/engine/cluster.ts), which the cluster layer attaches;
 * without it (or with cluster-enabled no) they answer as a standalone Valkey.
 * Texts and formats follow Valkey 9.1.2's cluster.c and cluster_legacy.c.
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { getLong, getRangeLong, isToken, parseLongLong } from '../args.js';
import { CLUSTER_SLOTS, type ClusterHooks, type ClusterNode } from '../cluster.js';
import type { CommandGroup, Handler } from '../command.js';
import type { Context } from '../context.js';
import type { Engine } from '../engine.js';
import { Err } from '../errors.js';
import { helpReply, subcommandSyntaxError } from '../help.js';
import { keyHashSlot } from '../keyslot.js';

/** The view, or Valkey's answer when cluster mode is off. */
function view(ctx: Context): ClusterHooks {
  const c = ctx.engine.cluster;
  if (!c || !ctx.engine.config.getBool('cluster-enabled')) throw Err.generic('This instance has cluster support disabled');
  return c;
}

/** A cluster subcommand: the view first (cluster support disabled otherwise). */
export function sub(fn: (ctx: Context, c: ClusterHooks, argv: readonly Bytes[]) => Reply): Handler {
  return (ctx, argv) => fn(ctx, view(ctx), argv);
}

// ------------------------------------------------------------- rendering ---

/** nodeEpoch: a replica shows its primary's config epoch. */
function nodeEpoch(n: ClusterNode): number {
  return n.primary ? n.primary.configEpoch : n.configEpoch;
}

/** representClusterNodeFlags. */
function flagString(c: ClusterHooks, n: ClusterNode): string {
  const f: string[] = [];
  if (n === c.myself) f.push('myself');
  f.push(n.primary ? 'slave' : 'master');
  if (n.pfail) f.push('fail?');
  if (n.failed) f.push('fail');
  if (n.noFailover) f.push('nofailover');
  return f.join(',');
}

/** clusterGenNodeDescription: one line of CLUSTER NODES. */
export function nodeDescription(c: ClusterHooks, n: ClusterNode): string {
  let s = `${n.id} ${n.ip}:${n.port}@${n.cport}`;
  if (n.hostname) s += `,${n.hostname}`;
  s += ` ${flagString(c, n)} ${n.primary ? n.primary.id : '-'} ${n.pingSent} ${n.pongReceived} ${nodeEpoch(n)} ${n === c.myself || n.connected ? 'connected' : 'disconnected'}`;
  for (const [a, b] of n.slotRanges) s += a === b ? ` ${a}` : ` ${a}-${b}`;
  if (n === c.myself) {
    for (let slot = 0; slot < CLUSTER_SLOTS; slot++) {
      const to = c.migratingTo(slot);
      const from = to ? null : c.importingFrom(slot);
      if (to) s += ` [${slot}->-${to.id}]`;
      else if (from) s += ` [${slot}-<-${from.id}]`;
    }
  }
  return s;
}

function nodesText(c: ClusterHooks): string {
  return c.nodes().map((n) => nodeDescription(c, n) + '\n').join('');
}

/** The endpoint as cluster-preferred-endpoint-type says (clusterNodePreferredEndpoint). */
function endpoint(engine: Engine, n: ClusterNode): Reply {
  const type = engine.config.get('cluster-preferred-endpoint-type');
  if (type === 'ip') return R.bulk(n.ip);
  if (type === 'hostname') return R.bulk(n.hostname !== '' ? n.hostname : '?');
  return R.null;
}

/** addNodeToNodeReply: endpoint, port, id, and a map of the other endpoints. */
function nodeToNodeReply(engine: Engine, n: ClusterNode): Reply {
  const type = engine.config.get('cluster-preferred-endpoint-type');
  const extra: [Reply, Reply][] = [];
  if (type !== 'ip') extra.push([R.bulk('ip'), R.bulk(n.ip)]);
  if (type !== 'hostname' && n.hostname !== '') extra.push([R.bulk('hostname'), R.bulk(n.hostname)]);
  return R.array([endpoint(engine, n), R.int(n.port), R.bulk(n.id), R.map(extra)]);
}

/** isNodeAvailable: not failing, and a replica that has data. */
function available(n: ClusterNode): boolean {
  return !n.failed && n.replicationOffset !== 0;
}

/** CLUSTER SLOTS: ranges of consecutive slots with one owner, in slot order. */
function slotsReply(engine: Engine, c: ClusterHooks): Reply {
  const out: Reply[] = [];
  let owner: ClusterNode | null = null;
  let start = 0;
  const flush = (end: number) => {
    if (!owner) return;
    const replicas = owner.replicas.filter(available).map((r) => nodeToNodeReply(engine, r));
    out.push(R.array([R.int(start), R.int(end), nodeToNodeReply(engine, owner), ...replicas]));
  };
  for (let slot = 0; slot < CLUSTER_SLOTS; slot++) {
    const n = c.slotOwner(slot);
    if (n === owner) continue;
    flush(slot - 1);
    owner = n;
    start = slot;
  }
  flush(CLUSTER_SLOTS - 1);
  return R.array(out);
}

/** addNodeDetailsToShardReply. */
function shardNodeReply(engine: Engine, n: ClusterNode): Reply {
  const m: [Reply, Reply][] = [[R.bulk('id'), R.bulk(n.id)]];
  if (n.port) m.push([R.bulk('port'), R.int(n.port)]);
  m.push([R.bulk('ip'), R.bulk(n.ip)], [R.bulk('endpoint'), endpoint(engine, n)]);
  if (n.hostname !== '') m.push([R.bulk('hostname'), R.bulk(n.hostname)]);
  const health = n.failed ? 'fail' : n.primary && n.replicationOffset === 0 ? 'loading' : 'online';
  m.push(
    [R.bulk('role'), R.bulk(n.primary ? 'replica' : 'master')],
    [R.bulk('replication-offset'), R.int(n.replicationOffset)],
    [R.bulk('health'), R.bulk(health)],
  );
  return R.map(m);
}

function shardsReply(engine: Engine, c: ClusterHooks): Reply {
  return R.array(c.shards().map((nodes) => {
    const withSlots = nodes.find((n) => n.numSlots > 0);
    const slots = withSlots ? withSlots.slotRanges.flatMap(([a, b]) => [R.int(a), R.int(b)]) : [];
    return R.map([
      [R.bulk('slots'), R.array(slots)],
      [R.bulk('nodes'), R.array(nodes.map((n) => shardNodeReply(engine, n)))],
      [R.bulk('id'), R.bulk(nodes[0]!.shardId)],
    ]);
  }));
}

/** genClusterInfoString. The bus message counters stay 0: there is no cluster bus. */
function infoText(c: ClusterHooks): string {
  let assigned = 0;
  let ok = 0;
  let pfailSlots = 0;
  let failSlots = 0;
  let nodesPfail = 0;
  let nodesFail = 0;
  let votingPfail = 0;
  let votingFail = 0;
  for (const n of c.nodes()) {
    if (n.numSlots) {
      assigned += n.numSlots;
      if (n.failed) failSlots += n.numSlots;
      else if (n.pfail) pfailSlots += n.numSlots;
      else ok += n.numSlots;
    }
    const voting = !n.primary && n.numSlots > 0;
    if (n.pfail) {
      nodesPfail++;
      if (voting) votingPfail++;
    }
    if (n.failed) {
      nodesFail++;
      if (voting) votingFail++;
    }
  }
  return [
    `cluster_state:${c.state}`,
    `cluster_slots_assigned:${assigned}`,
    `cluster_slots_ok:${ok}`,
    `cluster_slots_pfail:${pfailSlots}`,
    `cluster_slots_fail:${failSlots}`,
    `cluster_nodes_pfail:${nodesPfail}`,
    `cluster_nodes_fail:${nodesFail}`,
    `cluster_voting_nodes_pfail:${votingPfail}`,
    `cluster_voting_nodes_fail:${votingFail}`,
    `cluster_known_nodes:${c.nodes().length}`,
    `cluster_size:${c.size}`,
    `cluster_current_epoch:${c.currentEpoch}`,
    `cluster_my_epoch:${nodeEpoch(c.myself)}`,
    'cluster_stats_messages_sent:0',
    'cluster_stats_messages_received:0',
    'cluster_stats_bytes_sent:0',
    'cluster_stats_bytes_received:0',
    'cluster_stats_pubsub_bytes_sent:0',
    'cluster_stats_pubsub_bytes_received:0',
    'cluster_stats_module_bytes_sent:0',
    'cluster_stats_module_bytes_received:0',
    'total_cluster_links_buffer_limit_exceeded:0',
    '',
  ].join('\r\n');
}

/** CLUSTER LINKS: an outbound and an inbound link to every other node. */
function linksReply(c: ClusterHooks): Reply {
  const out: Reply[] = [];
  const link = (dir: string, n: ClusterNode) => R.map([
    [R.bulk('direction'), R.bulk(dir)],
    [R.bulk('node'), R.bulk(n.id)],
    [R.bulk('create-time'), R.int(n.pongReceived)],
    [R.bulk('events'), R.bulk('r')],
    [R.bulk('send-buffer-allocated'), R.int(0)],
    [R.bulk('send-buffer-used'), R.int(0)],
  ]);
  for (const n of c.nodes()) {
    if (n === c.myself) continue;
    out.push(link('to', n), link('from', n));
  }
  return R.array(out);
}

// ---------------------------------------------------------------- slots ---

/** Keys of every database... of the client's database in `slot` (countKeysInSlotForDb). */
function keysInSlot(ctx: Context, slot: number, max = Infinity): Bytes[] {
  const out: Bytes[] = [];
  if (max <= 0) return out;
  for (const k of ctx.db.keys()) {
    if (keyHashSlot(k) !== slot) continue;
    out.push(k);
    if (out.length >= max) break;
  }
  return out;
}

function anyKeysInSlot(engine: Engine, slot: number): boolean {
  for (const db of engine.allDbs()) for (const k of db.keys()) if (keyHashSlot(k) === slot) return true;
  return false;
}

function dbsEmpty(engine: Engine): boolean {
  return engine.allDbs().every((db) => db.size === 0);
}

/** getSlotOrReply. */
export function slotArg(s: Bytes): number {
  const v = parseLongLong(s);
  if (v === null || v < 0n || v >= BigInt(CLUSTER_SLOTS)) throw Err.generic('Invalid or out of range slot');
  return Number(v);
}

/** checkSlotAssignmentsOrReply over [a, b], marking `seen`. */
function checkAssignments(c: ClusterHooks, seen: Uint8Array, del: boolean, a: number, b: number): void {
  for (let slot = a; slot <= b; slot++) {
    const owner = c.slotOwner(slot);
    if (del && owner === null) throw Err.generic(`Slot ${slot} is already unassigned`);
    if (!del && owner !== null) throw Err.generic(`Slot ${slot} is already busy`);
    if (seen[slot]++ === 1) throw Err.generic(`Slot ${slot} specified multiple times`);
  }
}

function updateSlots(c: ClusterHooks, seen: Uint8Array, del: boolean): Reply {
  const slots: number[] = [];
  for (let s = 0; s < CLUSTER_SLOTS; s++) if (seen[s]) slots.push(s);
  c.assignSlots(slots, del);
  return R.ok;
}

const addDelSlots = (del: boolean) => sub((_ctx, c, argv) => {
  for (let j = 2; j < argv.length; j++) slotArg(argv[j]!);
  const seen = new Uint8Array(CLUSTER_SLOTS);
  for (let j = 2; j < argv.length; j++) {
    const s = slotArg(argv[j]!);
    checkAssignments(c, seen, del, s, s);
  }
  return updateSlots(c, seen, del);
});

const addDelSlotsRange = (del: boolean) => sub((_ctx, c, argv) => {
  if (argv.length % 2 === 1) throw Err.wrongArity(`cluster|${del ? 'delslotsrange' : 'addslotsrange'}`);
  const seen = new Uint8Array(CLUSTER_SLOTS);
  for (let j = 2; j < argv.length; j += 2) {
    const a = slotArg(argv[j]!);
    const b = slotArg(argv[j + 1]!);
    if (a > b) throw Err.generic(`start slot number ${a} is greater than end slot number ${b}`);
    checkAssignments(c, seen, del, a, b);
  }
  return updateSlots(c, seen, del);
});

/** CLUSTER SETSLOT <slot> MIGRATING|IMPORTING <id> | STABLE | NODE <id> [TIMEOUT ms] (clusterParseSetSlotCommand). */
function setSlot(ctx: Context, c: ClusterHooks, argv: readonly Bytes[]): Reply {
  const me = c.myself;
  if (me.primary) throw Err.generic('Please use SETSLOT only with masters.');
  const slot = slotArg(argv[2]!);
  const action = argv[3]!.toLowerCase();
  const target = (unknown: (id: string) => string): ClusterNode => {
    const n = c.lookup(argv[4]!);
    if (!n) throw Err.generic(unknown(argv[4]!));
    return n;
  };
  let n: ClusterNode | null = null;
  let optPos = 0;
  if ((action === 'migrating' || action === 'importing') && argv.length >= 5) {
    if (action === 'migrating' && c.slotOwner(slot) !== me) throw Err.generic(`I'm not the owner of hash slot ${slot}`);
    if (action === 'importing' && c.slotOwner(slot) === me) throw Err.generic(`I'm already the owner of hash slot ${slot}`);
    n = target((id) => `I don't know about node ${id}`);
    if (n === me) throw Err.generic('Target node is myself');
    if (n.primary) throw Err.generic('Target node is not a master');
    if (argv.length > 5) optPos = 5;
  } else if (action === 'stable') {
    if (argv.length > 4) optPos = 4;
  } else if (action === 'node' && argv.length >= 5) {
    n = target((id) => `Unknown node ${id}`);
    if (n.primary) throw Err.generic('Target node is not a master');
    if (c.slotOwner(slot) === me && n !== me && anyKeysInSlot(ctx.engine, slot)) {
      throw Err.generic(`Can't assign hashslot ${slot} to a different node while I still hold keys for this hash slot.`);
    }
    if (argv.length > 5) optPos = 5;
  } else {
    throw Err.generic('Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP');
  }
  if (optPos) {
    for (let i = optPos; i < argv.length; i++) {
      if (!isToken(argv[i], 'TIMEOUT')) continue;
      if (i + 1 >= argv.length) throw Err.generic('Missing timeout value');
      timeoutArg(argv[i + 1]!);
    }
  }
  if (action === 'migrating') c.setMigrating(slot, n);
  else if (action === 'importing') c.setImporting(slot, n);
  else if (action === 'stable') {
    c.setImporting(slot, null);
    c.setMigrating(slot, null);
  } else {
    if (!anyKeysInSlot(ctx.engine, slot) && c.migratingTo(slot)) c.setMigrating(slot, null);
    c.setSlotNode(slot, n!);
  }
  return R.ok;
}

/** getTimeoutFromObjectOrReply in milliseconds: a non-negative integer (or float) within range. */
function timeoutArg(s: Bytes): void {
  const v = Number(s);
  if (s === '' || !Number.isFinite(v) || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s)) throw Err.generic('timeout is not a float or out of range');
  if (v < 0) throw Err.generic('timeout is negative');
}

// ------------------------------------------------------------ SLOT-STATS ---

/** Keys per slot over every database (countKeysInSlot for all slots at once). */
function keyCounts(engine: Engine): Uint32Array {
  const counts = new Uint32Array(CLUSTER_SLOTS);
  for (const db of engine.allDbs()) for (const k of db.keys()) counts[keyHashSlot(k)]!++;
  return counts;
}

/**
 * CLUSTER SLOT-STATS SLOTSRANGE start end | ORDERBY metric [LIMIT n] [ASC|DESC]
 * (cluster_slot_stats.c), for the slots of this node's shard. Only key-count
 * is kept: with cluster-slot-stats-enabled the other metrics are not implemented.
 */
function slotStats(ctx: Context, c: ClusterHooks, argv: readonly Bytes[]): Reply {
  if (ctx.engine.config.getBool('cluster-slot-stats-enabled')) throw Err.notImplemented('cluster|slot-stats (cpu-usec and network-bytes metrics)');
  const primary = c.myself.primary ?? c.myself;
  const mine = (slot: number) => c.slotOwner(slot) === primary;
  const counts = keyCounts(ctx.engine);
  const stat = (slot: number) => R.array([R.int(slot), R.map([[R.bulk('key-count'), R.int(counts[slot]!)]])]);
  if (argv.length === 5 && isToken(argv[2], 'SLOTSRANGE')) {
    const a = slotArg(argv[3]!);
    const b = slotArg(argv[4]!);
    if (a > b) throw Err.generic(`Start slot number ${a} is greater than end slot number ${b}`);
    const out: Reply[] = [];
    for (let slot = a; slot <= b; slot++) if (mine(slot)) out.push(stat(slot));
    return R.array(out);
  }
  if (argv.length >= 4 && isToken(argv[2], 'ORDERBY')) {
    if (!isToken(argv[3], 'KEY-COUNT')) throw Err.generic('Unrecognized sort metric for ORDERBY.');
    let desc = true;
    let limit = CLUSTER_SLOTS;
    let limits = 0;
    let orders = 0;
    for (let i = 4; i < argv.length; i++) {
      if (isToken(argv[i], 'LIMIT') && i + 1 < argv.length) {
        limit = getRangeLong(argv[++i]!, 1, CLUSTER_SLOTS, 'Limit has to lie in between 1 and 16384 (maximum number of slots).');
        limits++;
      } else if (isToken(argv[i], 'ASC')) {
        desc = false;
        orders++;
      } else if (isToken(argv[i], 'DESC')) {
        desc = true;
        orders++;
      } else {
        throw Err.syntax();
      }
      if (limits > 1 || orders > 1) throw Err.generic('Multiple filters of the same type are disallowed.');
    }
    const slots: number[] = [];
    for (let slot = 0; slot < CLUSTER_SLOTS; slot++) if (mine(slot)) slots.push(slot);
    // By the metric, ties by slot ascending.
    slots.sort((x, y) => (counts[x] === counts[y] ? x - y : desc ? counts[y]! - counts[x]! : counts[x]! - counts[y]!));
    return R.array(slots.slice(0, limit).map(stat));
  }
  throw subcommandSyntaxError(argv);
}

// --------------------------------------------------------------- topology ---

function meet(c: ClusterHooks, argv: readonly Bytes[]): Reply {
  const port = parseLongLong(argv[3]!);
  if (port === null) throw Err.generic(`Invalid base port specified: ${argv[3]!}`);
  if (port <= 0n || port > 65535n) throw Err.generic('Port number is out of range');
  let cport = port + 10000n;
  if (argv.length === 5) {
    const v = parseLongLong(argv[4]!);
    if (v === null) throw Err.generic(`Invalid bus port specified: ${argv[4]!}`);
    cport = v;
  }
  if (cport <= 0n || cport > 65535n) throw Err.generic('Cluster bus port number is out of range');
  if (!validIp(argv[2]!)) throw Err.generic(`Invalid node address specified: ${argv[2]!}:${argv[3]!}`);
  c.meet(normalizeIp(argv[2]!), Number(port), Number(cport));
  return R.ok;
}

function validIp(s: string): boolean {
  if (/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s)) return s.split('.').every((p) => Number(p) <= 255);
  return s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s);
}

function normalizeIp(s: string): string {
  return s.includes(':') ? s.toLowerCase() : s.split('.').map((p) => String(Number(p))).join('.');
}

function forget(c: ClusterHooks, argv: readonly Bytes[]): Reply {
  const n = c.lookup(argv[2]!);
  if (!n) {
    if (c.isBlacklisted(argv[2]!)) return R.ok;
    throw Err.generic(`Unknown node ${argv[2]!}`);
  }
  if (n === c.myself) throw Err.generic("I tried hard but I can't forget myself...");
  if (c.myself.primary === n) throw Err.generic("Can't forget my master!");
  c.forget(n);
  return R.ok;
}

function replicate(ctx: Context, c: ClusterHooks, argv: readonly Bytes[]): Reply {
  if (argv.length === 4) {
    if (!isToken(argv[2], 'NO') || !isToken(argv[3], 'ONE')) throw subcommandSyntaxError(argv);
    if (!c.myself.primary) return R.ok;
    ctx.engine.emptyData(-1, ctx.now);
    c.replicate(null);
    return R.ok;
  }
  const n = c.lookup(argv[2]!);
  if (!n) throw Err.generic(`Unknown node ${argv[2]!}`);
  if (n === c.myself) throw Err.generic("Can't replicate myself");
  if (n.primary) throw Err.generic('I can only replicate a master, not a replica.');
  if (!c.myself.primary && (c.myself.numSlots !== 0 || !dbsEmpty(ctx.engine))) {
    throw Err.generic('To set a master the node must be empty and without assigned slots.');
  }
  if (c.myself.primary === n) return R.ok;
  c.replicate(n);
  return R.ok;
}

function reset(ctx: Context, c: ClusterHooks, argv: readonly Bytes[]): Reply {
  let hard = false;
  if (argv.length === 3) {
    if (isToken(argv[2], 'HARD')) hard = true;
    else if (!isToken(argv[2], 'SOFT')) throw Err.syntax();
  }
  if (!c.myself.primary && !dbsEmpty(ctx.engine)) throw Err.generic("CLUSTER RESET can't be called with master nodes containing keys");
  // A replica turns into an empty primary (its data goes, as clusterReset flushes it).
  if (c.myself.primary) ctx.engine.emptyData(-1, ctx.now);
  c.reset(hard);
  return R.ok;
}

/** CLUSTER FAILOVER [FORCE|TAKEOVER] (REPLICAID <id> only from the primary's client). */
function failover(ctx: Context, c: ClusterHooks, argv: readonly Bytes[]): Reply {
  let force = false;
  let takeover = false;
  let replicaId: Bytes | undefined;
  for (let j = 2; j < argv.length; j++) {
    if (isToken(argv[j], 'FORCE')) force = true;
    else if (isToken(argv[j], 'TAKEOVER')) takeover = force = true;
    else if (ctx.client.isPrimary && isToken(argv[j], 'REPLICAID') && j < argv.length - 1) replicaId = argv[++j];
    else throw Err.syntax();
  }
  if (replicaId !== undefined && replicaId !== c.myself.id) return R.ok;
  const primary = c.myself.primary;
  if (!primary) throw Err.generic('You should send CLUSTER FAILOVER to a replica');
  if (!force && (primary.failed || !primary.connected)) throw Err.generic('Master is down or failed, please use CLUSTER FAILOVER FORCE');
  c.failover(takeover ? 'takeover' : force ? 'force' : 'default');
  return R.ok;
}

function setConfigEpoch(c: ClusterHooks, argv: readonly Bytes[]): Reply {
  const epoch = getLong(argv[2]!);
  if (epoch < 0) throw Err.generic(`Invalid config epoch specified: ${argv[2]!}`);
  if (c.nodes().length > 1) throw Err.generic('The user can assign a config epoch only when the node does not know any other node.');
  if (c.myself.configEpoch !== 0) throw Err.generic('Node config epoch is already non-zero');
  c.setConfigEpoch(epoch);
  return R.ok;
}

const EXTENDED_HELP = [
  'COUNTKEYSINSLOT <slot>', '    Return the number of keys in <slot>.',
  'GETKEYSINSLOT <slot> <count>', '    Return key names stored by current node in a slot.',
  'INFO', '    Return information about the cluster.',
  'KEYSLOT <key>', '    Return the hash slot for <key>.',
  'MYID', '    Return the node id.',
  'MYSHARDID', "    Return the node's shard id.",
  'NODES', '    Return cluster configuration seen by node. Output format:',
  '    <id> <ip:port@bus-port[,hostname]> <flags> <primary> <pings> <pongs> <epoch> <link> <slot> ...',
  'REPLICAS <node-id>', '    Return <node-id> replicas.',
  'SLOTS', '    Return information about slots range mappings. Each range is made of:',
  '    start, end, primary and replicas IP addresses, ports and ids',
  'SLOT-STATS', '    Return an array of slot usage statistics for slots assigned to the current node.',
  'SHARDS', '    Return information about slot range mappings and the nodes associated with them.',
  'ADDSLOTS <slot> [<slot> ...]', '    Assign slots to current node.',
  'ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]',
  '    Assign slots which are between <start-slot> and <end-slot> to current node.',
  'BUMPEPOCH', '    Advance the cluster config epoch.',
  'COUNT-FAILURE-REPORTS <node-id>', '    Return number of failure reports for <node-id>.',
  'DELSLOTS <slot> [<slot> ...]', '    Delete slots information from current node.',
  'DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]',
  '    Delete slots information which are between <start-slot> and <end-slot> from current node.',
  'FAILOVER [FORCE|TAKEOVER]', '    Promote current replica node to being a master.',
  'FORGET <node-id>', '    Remove a node from the cluster.',
  'FLUSHSLOTS', '    Delete current node own slots information.',
  'MEET <ip> <port> [<bus-port>]', '    Connect nodes into a working cluster.',
  'REPLICATE <node-id>', '    Configure current node as replica to <node-id>.',
  'RESET [HARD|SOFT]', '    Reset current node (default: soft).',
  'SET-CONFIG-EPOCH <epoch>', '    Set config epoch of current node.',
  'SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)', '    Set slot state.',
  'SAVECONFIG', '    Force saving cluster configuration on disk.',
  'LINKS', '    Return information about all network links between this node and its peers.',
  '    Output format is an array where each array element is a map containing attributes of a link',
  'MIGRATESLOTS SLOTSRANGE start-slot end-slot [start-slot end-slot ...] NODE node-id [SLOTSRANGE start-slot end-slot [start-slot end-slot ...] NODE node-id ...]',
  '    Migrate the specified slot ranges from this node to the specified node.',
  'CANCELSLOTMIGRATIONS ALL', '    Cancel all migrations.',
  'GETSLOTMIGRATIONS', '    Get information about ongoing and recently finished slot imports and exports.',
];

/** The node named by argv[2] (REPLICAS, COUNT-FAILURE-REPORTS), or "Unknown node". */
function namedNode(c: ClusterHooks, id: Bytes): ClusterNode {
  const n = c.lookup(id);
  if (!n) throw Err.generic(`Unknown node ${id}`);
  return n;
}

function replicas(c: ClusterHooks, argv: readonly Bytes[]): Reply {
  const n = namedNode(c, argv[2]!);
  if (n.primary) throw Err.generic('The specified node is not a master');
  return R.array(n.replicas.map((r) => R.bulk(nodeDescription(c, r))));
}

export const clusterCommands: CommandGroup = {
  'cluster|help': sub((_ctx, _c, argv) => helpReply(argv[0]!, EXTENDED_HELP)),
  'cluster|info': sub((_ctx, c) => R.verbatim(infoText(c))),
  'cluster|myid': sub((_ctx, c) => R.bulk(c.myself.id)),
  'cluster|myshardid': sub((_ctx, c) => R.bulk(c.myself.shardId)),
  'cluster|nodes': sub((_ctx, c) => R.verbatim(nodesText(c))),
  'cluster|slots': sub((ctx, c) => slotsReply(ctx.engine, c)),
  'cluster|shards': sub((ctx, c) => shardsReply(ctx.engine, c)),
  'cluster|links': sub((_ctx, c) => linksReply(c)),
  'cluster|replicas': sub((_ctx, c, argv) => replicas(c, argv)),
  'cluster|slaves': sub((_ctx, c, argv) => replicas(c, argv)),
  'cluster|count-failure-reports': sub((_ctx, c, argv) => {
    namedNode(c, argv[2]!);
    return R.int(0);
  }),
  // KEYSLOT has its own proc in Valkey: it answers without cluster mode too.
  'cluster|keyslot': (_ctx, argv) => R.int(keyHashSlot(argv[2]!)),
  'cluster|countkeysinslot': sub((ctx, _c, argv) => {
    const slot = getLong(argv[2]!);
    if (slot < 0 || slot >= CLUSTER_SLOTS) throw Err.generic('Invalid slot');
    return R.int(keysInSlot(ctx, slot).length);
  }),
  'cluster|getkeysinslot': sub((ctx, _c, argv) => {
    const slot = getLong(argv[2]!);
    const max = getLong(argv[3]!);
    if (slot < 0 || slot >= CLUSTER_SLOTS || max < 0) throw Err.generic('Invalid slot or number of keys');
    return R.bulks(keysInSlot(ctx, slot, max));
  }),
  'cluster|addslots': addDelSlots(false),
  'cluster|delslots': addDelSlots(true),
  'cluster|addslotsrange': addDelSlotsRange(false),
  'cluster|delslotsrange': addDelSlotsRange(true),
  'cluster|flushslots': sub((ctx, c) => {
    if (!dbsEmpty(ctx.engine)) throw Err.generic('DB must be empty to perform CLUSTER FLUSHSLOTS.');
    c.flushSlots();
    return R.ok;
  }),
  'cluster|flushslot': sub((ctx, _c, argv) => {
    // CLUSTER FLUSHSLOT <slot> [ASYNC|SYNC] (delKeysInSlot): every database's keys of the slot, as DEL would.
    const slot = slotArg(argv[2]!);
    if (argv.length === 4 && !isToken(argv[3], 'ASYNC') && !isToken(argv[3], 'SYNC')) throw Err.syntax();
    for (const db of ctx.engine.allDbs()) {
      for (const key of [...db.keys()]) {
        if (keyHashSlot(key) !== slot) continue;
        db.delete(key);
        ctx.wrote(key, 'g', 'del', db);
      }
    }
    return R.ok;
  }),
  'cluster|setslot': sub(setSlot),
  'cluster|slot-stats': sub(slotStats),
  'cluster|meet': sub((_ctx, c, argv) => meet(c, argv)),
  'cluster|forget': sub((_ctx, c, argv) => forget(c, argv)),
  'cluster|replicate': sub(replicate),
  'cluster|reset': sub(reset),
  'cluster|failover': sub(failover),
  'cluster|set-config-epoch': sub((_ctx, c, argv) => setConfigEpoch(c, argv)),
  'cluster|bumpepoch': sub((_ctx, c) => {
    const bumped = c.bumpEpoch();
    return R.simple(`${bumped ? 'BUMPED' : 'STILL'} ${c.myself.configEpoch}`);
  }),
  'cluster|saveconfig': sub(() => R.ok),
  asking: (ctx) => {
    view(ctx);
    ctx.client.asking = true;
    return R.ok;
  },
  readonly: (ctx) => {
    ctx.client.readonly = true;
    return R.ok;
  },
  readwrite: (ctx) => {
    ctx.client.readonly = false;
    return R.ok;
  },
};
