/**
 * The topology of a cluster in one process: nodes (ids, shard ids, epochs,
 * roles), which primary serves each of the 16,384 slots, and each node's
 * MIGRATING / IMPORTING states. It has no sockets and no engines: a node's
 * view of it (`NodeView`) is what its engine sees as `engine.cluster`.
 *
 * Nodes that know each other form a group: they share one slot table and one
 * current epoch, as a real cluster converges to by gossip. Here gossip is
 * instantaneous: a change made on one node is seen by every node of its group
 * at once. CLUSTER MEET joins two groups (slot claims resolved by config
 * epoch, equal primary epochs resolved as clusterHandleConfigEpochCollision
 * does); RESET and FORGET take a node out of its group.
 */
import { CLUSTER_SLOTS, type ClusterHooks, type ClusterNode, type SlotMigrationHooks } from '../engine/cluster.js';
import type { Clock } from '../time/index.js';
import { Rng } from '../time/index.js';

/** What the rest of the process tells the topology about a node (its engine's config, its replication offset). */
export interface NodeHost {
  /** cluster-require-full-coverage, per node. */
  requireFullCoverage(): boolean;
  /** cluster-allow-replica-migration, per node. */
  allowReplicaMigration(): boolean;
  /** The node's replication offset, as CLUSTER SHARDS reports it. */
  replicationOffset(): number;
  /** cluster-announce-hostname. */
  hostname(): string;
}

export class TopologyNode implements ClusterNode {
  primary: TopologyNode | null = null;
  readonly replicas: TopologyNode[] = [];
  configEpoch = 0;
  pfail = false;
  failed = false;
  noFailover = false;
  pingSent = 0;
  /** Clock time the node was killed (ValkeyCluster.killNode), null while it runs. */
  downSince: number | null = null;
  readonly migrating = new Map<number, TopologyNode>();
  readonly importing = new Map<number, TopologyNode>();
  /** Node ids FORGET put aside (clusterBlacklistAddNode), with their expiry (epoch ms). */
  readonly blacklist = new Map<string, number>();
  group: Group;
  host: NodeHost | undefined;
  /** When this node joined its group (link create-time, pong times). */
  joinedAt: number;

  constructor(
    readonly topology: Topology,
    public id: string,
    shardId: string,
    readonly ip: string,
    readonly port: number,
    readonly cport: number,
    group?: Group,
  ) {
    this.group = group ?? new Group(topology);
    this.group.add(this);
    this.joinedAt = topology.clock.now();
    this.shardId = shardId;
  }

  private shard = '';
  /** When the node joined its shard (a counter): SHARDS lists a shard's nodes in that order, as Valkey's shard lists. */
  shardSeq = 0;

  get shardId(): string {
    return this.shard;
  }

  set shardId(v: string) {
    if (v === this.shard) return;
    this.shard = v;
    this.shardSeq = this.topology.nextShardSeq++;
  }

  get hostname(): string {
    return this.host?.hostname() ?? '';
  }

  get pongReceived(): number {
    // A peer answers every ping at once: its last pong is "now", to the millisecond (a killed one: when it died).
    return this.downSince ?? this.topology.clock.now();
  }

  get connected(): boolean {
    return this.downSince === null;
  }

  get replicationOffset(): number {
    return this.host?.replicationOffset() ?? 0;
  }

  get slotRanges(): readonly (readonly [number, number])[] {
    return this.group.ranges().get(this) ?? [];
  }

  get numSlots(): number {
    let n = 0;
    for (const [a, b] of this.slotRanges) n += b - a + 1;
    return n;
  }

  /** This node's primary, or itself (clusterNodeGetPrimary). */
  get shardPrimary(): TopologyNode {
    return this.primary ?? this;
  }
}

/** Nodes that know each other: one slot table, one current epoch. */
export class Group {
  readonly nodes: TopologyNode[] = [];
  readonly slots: (TopologyNode | null)[] = new Array<TopologyNode | null>(CLUSTER_SLOTS).fill(null);
  currentEpoch = 0;
  private rangeCache: Map<TopologyNode, [number, number][]> | undefined;

  constructor(readonly topology: Topology) {}

  add(n: TopologyNode): void {
    this.nodes.push(n);
    n.group = this;
  }

  remove(n: TopologyNode): void {
    const i = this.nodes.indexOf(n);
    if (i >= 0) this.nodes.splice(i, 1);
    for (let s = 0; s < CLUSTER_SLOTS; s++) if (this.slots[s] === n) this.slots[s] = null;
    for (const m of this.nodes) {
      for (const [s, t] of m.migrating) if (t === n) m.migrating.delete(s);
      for (const [s, t] of m.importing) if (t === n) m.importing.delete(s);
    }
    this.changed();
  }

  setSlot(slot: number, n: TopologyNode | null): void {
    this.slots[slot] = n;
    this.changed();
  }

  /** Slot ranges per owner, computed once per change (clusterGenNodesSlotsInfo). */
  ranges(): Map<TopologyNode, [number, number][]> {
    if (this.rangeCache) return this.rangeCache;
    const m = new Map<TopologyNode, [number, number][]>();
    let start = 0;
    for (let s = 1; s <= CLUSTER_SLOTS; s++) {
      if (s < CLUSTER_SLOTS && this.slots[s] === this.slots[start]) continue;
      const owner = this.slots[start];
      if (owner) {
        let list = m.get(owner);
        if (!list) m.set(owner, (list = []));
        list.push([start, s - 1]);
      }
      start = s;
    }
    this.rangeCache = m;
    return m;
  }

  changed(): void {
    this.rangeCache = undefined;
    this.topology.onChange?.(this);
  }

  maxEpoch(): number {
    let max = this.currentEpoch;
    for (const n of this.nodes) if (n.configEpoch > max) max = n.configEpoch;
    return max;
  }
}

/** Every node of one process's cluster(s), by id and by address (where MEET finds them). */
export class Topology {
  readonly rng: Rng;
  /** Called after the slot table or the roles of a group changed (the cluster layer redirects blocked clients). */
  onChange: ((g: Group) => void) | undefined;
  /** A PUBLISH / SPUBLISH on `from`, for the cluster layer to deliver on the other nodes. */
  onPublish: ((from: TopologyNode, channel: string, message: string, kind: 'channel' | 'shard') => void) | undefined;
  private readonly byAddr = new Map<string, TopologyNode>();
  readonly all: TopologyNode[] = [];
  /** The next TopologyNode.shardSeq. */
  nextShardSeq = 0;

  constructor(readonly clock: Clock, seed: number) {
    this.rng = new Rng(seed);
  }

  /**
   * A fresh node, a primary with no slots and epoch 0: alone in its own group
   * (a new `valkey-server --cluster-enabled yes`), or in `group`.
   */
  addNode(ip: string, port: number, cport: number, group?: Group): TopologyNode {
    const n = new TopologyNode(this, this.rng.hex(40), this.rng.hex(40), ip, port, cport, group);
    this.byAddr.set(`${ip}:${port}`, n);
    this.all.push(n);
    return n;
  }

  at(ip: string, port: number): TopologyNode | undefined {
    return this.byAddr.get(`${ip}:${port}`);
  }

  /** `a` meets `b`: their groups become one. */
  join(a: TopologyNode, b: TopologyNode): void {
    const ga = a.group;
    const gb = b.group;
    if (ga === gb) return;
    for (let s = 0; s < CLUSTER_SLOTS; s++) {
      const x = ga.slots[s];
      const y = gb.slots[s];
      if (y && (!x || epochOf(y) > epochOf(x))) ga.slots[s] = y;
    }
    ga.currentEpoch = Math.max(ga.currentEpoch, gb.currentEpoch);
    for (const n of gb.nodes) ga.add(n);
    gb.nodes.length = 0;
    ga.changed();
    resolveEpochCollisions(ga);
  }

  /** `n` leaves its group: alone again, serving nothing. */
  isolate(n: TopologyNode): void {
    const old = n.group;
    old.remove(n);
    const g = new Group(this);
    g.currentEpoch = old.currentEpoch;
    g.add(n);
    n.joinedAt = this.clock.now();
  }

  /** `r` replicates `p` (p null: `r` becomes a primary). The shard id follows the primary. */
  setPrimary(r: TopologyNode, p: TopologyNode | null): void {
    if (r.primary) {
      const list = r.primary.replicas;
      list.splice(list.indexOf(r), 1);
    }
    r.primary = p;
    if (p) {
      p.replicas.push(r);
      r.shardId = p.shardId;
      // A primary that becomes a replica gives up the slots it served.
      for (let s = 0; s < CLUSTER_SLOTS; s++) if (r.group.slots[s] === r) r.group.slots[s] = null;
      r.group.changed();
    }
  }
}

function epochOf(n: TopologyNode): number {
  return n.primary ? n.primary.configEpoch : n.configEpoch;
}

/**
 * clusterHandleConfigEpochCollision, run to its fixed point: of two primaries
 * with the same config epoch, the one with the smaller id takes a new epoch.
 */
function resolveEpochCollisions(g: Group): void {
  for (;;) {
    const seen = new Map<number, TopologyNode>();
    let bumped = false;
    for (const n of [...g.nodes].filter((x) => !x.primary).sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const other = seen.get(n.configEpoch);
      if (other) {
        const loser = other.id < n.id ? other : n;
        g.currentEpoch++;
        loser.configEpoch = g.currentEpoch;
        bumped = true;
        break;
      }
      seen.set(n.configEpoch, n);
    }
    if (!bumped) return;
  }
}

/** Role changes of the topology, told to the cluster layer (which maps them to engines: see ReplicationLink). */
export interface RoleChanges {
  /** `replica` now follows `primary`. */
  attach(replica: TopologyNode, primary: TopologyNode): void;
  /** `replica` stopped following its primary (it became a primary, or follows another next). */
  detach(replica: TopologyNode): void;
  /** CLUSTER FAILOVER on `replica` (src/cluster/failover.ts). */
  failover(replica: TopologyNode, mode: 'default' | 'force' | 'takeover'): void;
}

/** One node's view: what its engine sees as `engine.cluster`. */
export class NodeView implements ClusterHooks {
  /** Atomic slot migration on this node (src/cluster/migration.ts sets it). */
  slotMigrations: SlotMigrationHooks | undefined;

  constructor(readonly node: TopologyNode, private readonly roles: RoleChanges) {}

  get myself(): ClusterNode {
    return this.node;
  }

  nodes(): readonly ClusterNode[] {
    return this.node.group.nodes;
  }

  shards(): readonly (readonly ClusterNode[])[] {
    const m = new Map<string, TopologyNode[]>();
    for (const n of this.node.group.nodes) {
      let list = m.get(n.shardId);
      if (!list) m.set(n.shardId, (list = []));
      list.push(n);
    }
    return [...m.values()].map((list) => list.sort((a, b) => a.shardSeq - b.shardSeq));
  }

  lookup(id: string): TopologyNode | undefined {
    return this.node.group.nodes.find((n) => n.id === id);
  }

  slotOwner(slot: number): ClusterNode | null {
    return this.node.group.slots[slot] ?? null;
  }

  migratingTo(slot: number): ClusterNode | null {
    return this.node.migrating.get(slot) ?? null;
  }

  importingFrom(slot: number): ClusterNode | null {
    return this.node.importing.get(slot) ?? null;
  }

  get currentEpoch(): number {
    return this.node.group.currentEpoch;
  }

  /** clusterUpdateState: every slot served by a live node (when full coverage is required), and a majority of primaries reachable. */
  get state(): 'ok' | 'fail' {
    const g = this.node.group;
    const full = this.node.host?.requireFullCoverage() ?? true;
    if (full) {
      for (let s = 0; s < CLUSTER_SLOTS; s++) {
        const o = g.slots[s];
        if (!o || o.failed) return 'fail';
      }
    }
    const serving = g.nodes.filter((n) => !n.primary && n.numSlots > 0);
    const reachable = serving.filter((n) => !n.failed && !n.pfail).length;
    if (serving.length === 0 || reachable < Math.floor(serving.length / 2) + 1) return 'fail';
    return 'ok';
  }

  get size(): number {
    return this.node.group.nodes.filter((n) => !n.primary && n.numSlots > 0).length;
  }

  isBlacklisted(id: string): boolean {
    const until = this.node.blacklist.get(id);
    return until !== undefined && until > this.node.topology.clock.now();
  }

  assignSlots(slots: readonly number[], del: boolean): void {
    const g = this.node.group;
    for (const s of slots) {
      if (!del) this.node.importing.delete(s);
      g.slots[s] = del ? null : this.node;
    }
    g.changed();
  }

  flushSlots(): void {
    const g = this.node.group;
    for (let s = 0; s < CLUSTER_SLOTS; s++) if (g.slots[s] === this.node) g.slots[s] = null;
    g.changed();
  }

  setMigrating(slot: number, to: ClusterNode | null): void {
    if (to) this.node.migrating.set(slot, to as TopologyNode);
    else this.node.migrating.delete(slot);
  }

  setImporting(slot: number, from: ClusterNode | null): void {
    if (from) this.node.importing.set(slot, from as TopologyNode);
    else this.node.importing.delete(slot);
  }

  setSlotNode(slot: number, owner: ClusterNode): void {
    const n = owner as TopologyNode;
    const me = this.node;
    const g = me.group;
    const myPrimary = me.shardPrimary;
    const wasMine = g.slots[slot] === myPrimary;
    g.setSlot(slot, n);
    // Replica migration: a primary that lost its last slot follows the new owner.
    if (wasMine && myPrimary.numSlots === 0 && n !== myPrimary && me === myPrimary && (me.host?.allowReplicaMigration() ?? true)) {
      this.becomeReplica(n);
    }
    if ((n === me || n === me.primary) && me.importing.has(slot)) {
      me.importing.delete(slot);
      if (n === me) this.bumpEpoch();
    }
  }

  meet(ip: string, port: number): boolean {
    const other = this.node.topology.at(ip, port);
    if (!other || other === this.node) return false;
    this.node.topology.join(this.node, other);
    return true;
  }

  forget(n: ClusterNode): void {
    const t = n as TopologyNode;
    this.node.blacklist.set(t.id, this.node.topology.clock.now() + 60_000);
    if (t.primary) this.roles.detach(t);
    this.node.topology.setPrimary(t, null);
    this.node.topology.isolate(t);
  }

  replicate(primary: ClusterNode | null): void {
    if (primary) {
      this.becomeReplica(primary as TopologyNode);
      return;
    }
    this.roles.detach(this.node);
    this.node.topology.setPrimary(this.node, null);
    this.node.migrating.clear();
    this.node.importing.clear();
    this.node.shardId = this.node.topology.rng.hex(40);
  }

  private becomeReplica(p: TopologyNode): void {
    if (this.node.primary) this.roles.detach(this.node);
    this.node.migrating.clear();
    this.node.importing.clear();
    this.node.topology.setPrimary(this.node, p);
    this.roles.attach(this.node, p);
  }

  reset(hard: boolean): void {
    const me = this.node;
    const t = me.topology;
    if (me.primary) this.roles.detach(me);
    t.setPrimary(me, null);
    for (const r of [...me.replicas]) {
      this.roles.detach(r);
      t.setPrimary(r, null);
    }
    me.migrating.clear();
    me.importing.clear();
    me.blacklist.clear();
    t.isolate(me);
    if (hard) {
      me.group.currentEpoch = 0;
      me.configEpoch = 0;
      me.id = t.rng.hex(40);
      me.shardId = t.rng.hex(40);
    }
  }

  publish(channel: string, message: string, kind: 'channel' | 'shard'): void {
    this.node.topology.onPublish?.(this.node, channel, message, kind);
  }

  failover(mode: 'default' | 'force' | 'takeover'): void {
    this.roles.failover(this.node, mode);
  }

  setConfigEpoch(epoch: number): void {
    this.node.configEpoch = epoch;
    const g = this.node.group;
    if (g.currentEpoch < epoch) g.currentEpoch = epoch;
  }

  bumpEpoch(): boolean {
    const g = this.node.group;
    const max = g.maxEpoch();
    if (this.node.configEpoch !== 0 && this.node.configEpoch === max) return false;
    g.currentEpoch++;
    this.node.configEpoch = g.currentEpoch;
    return true;
  }
}
