/**
 * A whole Valkey cluster in one process: one engine and one ValkeyServer per
 * node, each on its own loopback port, all on one clock, sharing one
 * topology (src/cluster/topology.ts).
 *
 *   const cluster = await createCluster({ primaries: 3, replicasPerPrimary: 1 });
 *   cluster.nodes;        // [{ id, role, host, port, shardId, slots, server, engine }, ...] primaries first
 *   new Cluster([{ host: cluster.nodes[0].host, port: cluster.nodes[0].port }]);   // ioredis
 *   await cluster.close();
 */
import { ValkeyServer } from '../server/index.js';
import { SystemClock, VirtualClock, type Clock } from '../time/index.js';
import { Group, NodeView, Topology, type RoleChanges, type TopologyNode } from './topology.js';
import { createAssignment } from './slots.js';
import { redirectBlockedClients } from '../engine/cluster-routing.js';
import { InProcessReplication } from './replication.js';
import { keyHashSlot } from '../engine/keyslot.js';
import { Failover } from './failover.js';
import { SlotMigrations } from './migration.js';

export interface ClusterOptions<C extends Clock = Clock> {
  /** Primaries (default 3). */
  primaries?: number;
  /** Replicas of each primary (default 0). */
  replicasPerPrimary?: number;
  /** cluster-databases of every node (default 1, as Valkey). */
  databases?: number;
  clock?: C | 'system' | 'virtual';
  /** Node i listens on basePort + i (primaries first); by default every node gets a free port. */
  basePort?: number;
  /** Interface to listen on (default 127.0.0.1); also the address the nodes announce. */
  host?: string;
  requirepass?: string;
  /** Config parameters of every node, as valkey.conf takes them. */
  config?: Readonly<Record<string, string>>;
  /** Seed of node ids, shard ids and the engines' rngs (default 1). */
  seed?: number;
  /**
   * 'created' (default): the nodes form a cluster, slots and replicas assigned
   * as `valkey-cli --cluster create` does. 'empty': every node starts alone,
   * without slots, as fresh `valkey-server --cluster-enabled yes` processes,
   * for a test (or valkey-cli) to build the cluster with CLUSTER MEET,
   * ADDSLOTS and REPLICATE.
   */
  topology?: 'created' | 'empty';
  /**
   * Whether nodes listen on TCP (default true). With false nothing binds:
   * `basePort` (required then) only names the nodes' addresses, and clients
   * reach a node through `node.server.connectInProcess()`. Large topologies
   * (thousands of nodes) are built this way.
   */
  listen?: boolean;
  /**
   * Data replication between the nodes' engines: by default every replica
   * follows its primary in process (InProcessReplication, immediate delivery);
   * NO_REPLICATION for none. With `listen: false` the default is none (a
   * link would make every node's engine at once).
   */
  replication?: ReplicationLink;
}

/**
 * Where data replication plugs into the cluster: told when a replica starts
 * or stops following a primary, with both nodes' handles (their servers and
 * engines). The default, NO_REPLICATION, does nothing: replicas hold their
 * role and primary in the topology but receive no data.
 */
export interface ReplicationLink {
  /** `replica`'s engine should follow `primary`'s from now on (a full sync: its data is replaced). */
  attach(replica: ClusterNodeHandle, primary: ClusterNodeHandle): void;
  /** `replica`'s engine stops following its primary. */
  detach(replica: ClusterNodeHandle): void;
  /** The link is down (a node was killed): `replica` keeps its primary but receives nothing until attach(). */
  suspend?(replica: ClusterNodeHandle): void;
  /** A manual failover: `replica` applies everything its primary sent before it is promoted. */
  catchUp?(replica: ClusterNodeHandle): void;
}

export const NO_REPLICATION: ReplicationLink = { attach: () => {}, detach: () => {} };

export interface ClusterNodeHandle {
  readonly id: string;
  readonly role: 'primary' | 'replica';
  readonly host: string;
  readonly port: number;
  readonly shardId: string;
  /** Slot ranges the node serves, [start, end] inclusive (a replica: none). */
  readonly slots: readonly (readonly [number, number])[];
  /** The id of its primary, for a replica. */
  readonly primaryId: string | null;
  /** The node's server (its engine is `server.engine`). */
  readonly server: ValkeyServer;
}

export class ValkeyCluster<C extends Clock = Clock> {
  private link: ReplicationLink = NO_REPLICATION;
  private closing: Promise<void> | undefined;
  /** The topology's role changes, passed on to the replication link with the nodes' handles. */
  readonly roles: RoleChanges = {
    attach: (r, p) => this.link.attach(this.handle(r), this.handle(p)),
    detach: (r) => this.link.detach(this.handle(r)),
    failover: (r, mode) => this.failover.replacePrimary(r, mode),
  };
  private readonly failover: Failover;

  /** Atomic slot migrations (CLUSTER MIGRATESLOTS), and the test's handle to hold them at a phase (see migration.ts). */
  readonly migrations: SlotMigrations;

  constructor(
    readonly clock: C,
    readonly topology: Topology,
    private readonly members: readonly Member[],
  ) {
    const server = (n: TopologyNode) => this.members.find((m) => m.node === n)!.server;
    this.failover = new Failover({
      clock,
      roles: this.roles,
      suspend: (r) => this.link.suspend?.(this.handle(r)),
      catchUp: (r) => this.link.catchUp?.(this.handle(r)),
      nodeTimeout: (n) => server(n).engine.config.getInt('cluster-node-timeout'),
      crash: (n) => server(n).crash(),
      restart: async (n) => {
        await server(n).restart();
      },
    });
    this.migrations = new SlotMigrations(topology, (n) => this.members.find((m) => m.node === n)!.server.engine);
  }

  /**
   * Kills a node (by id or port): its port refuses connections, its clients
   * are reset, its replication links go down. After cluster-node-timeout on
   * the cluster's clock the other nodes flag it `fail?` then `fail`; a failed
   * primary's replica is promoted 500 ms later (see src/cluster/failover.ts).
   */
  async killNode(idOrPort: string | number): Promise<void> {
    await this.failover.kill(this.memberOf(idOrPort).node);
  }

  /** Brings a killed node back on its port: an old primary whose slots were taken returns as a replica of the new primary. */
  async restartNode(idOrPort: string | number): Promise<void> {
    await this.failover.restart(this.memberOf(idOrPort).node);
  }

  /** Whether the node was killed and not restarted. */
  isDown(n: TopologyNode): boolean {
    return this.failover.isDown(n);
  }

  private memberOf(idOrPort: string | number): Member {
    const m = this.members.find((x) => x.node.id === idOrPort || x.node.port === idOrPort);
    if (!m) throw new Error(`no node ${idOrPort}`);
    return m;
  }

  /**
   * The replication link (see ReplicationLink). Setting it attaches every
   * current replica to its primary through the new link (and detaches them
   * from the old one).
   */
  get replication(): ReplicationLink {
    return this.link;
  }

  set replication(link: ReplicationLink) {
    const replicas = this.members.filter((m) => m.node.primary);
    // The old link's replicas keep their role (their link is down) until the new link attaches them.
    for (const m of replicas) {
      const h = this.handle(m.node);
      if (this.link.suspend) this.link.suspend(h);
      else this.link.detach(h);
    }
    this.link = link;
    for (const m of replicas) link.attach(this.handle(m.node), this.handle(m.node.primary!));
  }

  /** The nodes as they are now, in creation order (primaries first). */
  get nodes(): ClusterNodeHandle[] {
    return this.members.map((m) => this.handleOf(m));
  }

  private handle(n: TopologyNode): ClusterNodeHandle {
    return this.handleOf(this.members.find((m) => m.node === n)!);
  }

  private handleOf(m: Member): ClusterNodeHandle {
    const node = m.node;
    return {
      id: node.id,
      role: node.primary ? 'replica' : 'primary',
      host: node.ip,
      port: node.port,
      shardId: node.shardId,
      slots: node.slotRanges,
      primaryId: node.primary?.id ?? null,
      get server() {
        return m.server;
      },
    };
  }

  /** The node with this id or port. */
  node(idOrPort: string | number): ClusterNodeHandle | undefined {
    return this.nodes.find((n) => n.id === idOrPort || n.port === idOrPort);
  }

  /** Every database of every node emptied (as FLUSHALL on each). */
  flushAll(): void {
    for (const m of this.members) m.started?.flushAll();
  }

  /** Closes every node's server. Idempotent. */
  close(): Promise<void> {
    this.failover.close();
    this.closing ??= Promise.all(this.members.map((m) => m.started?.close())).then(() => undefined);
    return this.closing;
  }
}

function makeClock<C extends Clock>(c: ClusterOptions<C>['clock']): Clock {
  if (c === undefined || c === 'system') return new SystemClock();
  if (c === 'virtual') return new VirtualClock();
  return c;
}

/** Without data replication, a node of a shard with replicas reports offset 1 (0 would hide its replicas from CLUSTER SLOTS). */
function defaultOffset(n: TopologyNode): number {
  return n.primary || n.replicas.length > 0 ? 1 : 0;
}

/** A node and its server, made when first asked for (at once for listening nodes). */
class Member {
  constructor(readonly node: TopologyNode, private readonly make: () => ValkeyServer, private made?: ValkeyServer) {}
  get server(): ValkeyServer {
    return (this.made ??= this.make());
  }
  get started(): ValkeyServer | undefined {
    return this.made;
  }
}

/** The cluster bus port a node announces: port + 10000 (Valkey's default), or 0 past 65535. */
function busPort(port: number): number {
  return port + 10000 <= 65535 ? port + 10000 : 0;
}

export function createCluster(opts: ClusterOptions & { clock: 'virtual' }): Promise<ValkeyCluster<VirtualClock>>;
export function createCluster<C extends Clock>(opts: ClusterOptions<C> & { clock: C }): Promise<ValkeyCluster<C>>;
export function createCluster(opts?: ClusterOptions): Promise<ValkeyCluster>;
export async function createCluster(opts: ClusterOptions = {}): Promise<ValkeyCluster> {
  const primaries = opts.primaries ?? 3;
  const perPrimary = opts.replicasPerPrimary ?? 0;
  if (!Number.isInteger(primaries) || primaries < 1) throw new Error('primaries must be a positive integer');
  if (!Number.isInteger(perPrimary) || perPrimary < 0) throw new Error('replicasPerPrimary must be a non-negative integer');
  const listen = opts.listen ?? true;
  if (!listen && opts.basePort === undefined) throw new Error('listen: false needs basePort (the addresses nodes announce)');
  const total = primaries * (1 + perPrimary);
  const host = opts.host ?? '127.0.0.1';
  const clock = makeClock(opts.clock);
  const seed = opts.seed ?? 1;
  const topology = new Topology(clock, seed);
  const config: Record<string, string> = { ...(opts.config ?? {}), 'cluster-enabled': 'yes' };
  if (opts.databases !== undefined) config['cluster-databases'] = String(opts.databases);

  const created = (opts.topology ?? 'created') === 'created';
  const shared = created ? new Group(topology) : undefined;
  const members: Member[] = [];
  const cluster = new ValkeyCluster(clock, topology, members);
  const fullCoverage = (config['cluster-require-full-coverage'] ?? 'yes') === 'yes';
  const replicaMigration = (config['cluster-allow-replica-migration'] ?? 'yes') === 'yes';
  const newServer = (i: number, port: number) => new ValkeyServer({
    clock, host, seed: seed * 100_003 + i, config, port,
    ...(opts.requirepass !== undefined ? { requirepass: opts.requirepass } : {}),
  });
  /** The node's engine sees the topology through its view. */
  const attach = (server: ValkeyServer, node: TopologyNode): ValkeyServer => {
    const engine = server.engine;
    node.host = {
      requireFullCoverage: () => engine.config.getBool('cluster-require-full-coverage'),
      allowReplicaMigration: () => engine.config.getBool('cluster-allow-replica-migration'),
      replicationOffset: () => (cluster.replication === NO_REPLICATION ? defaultOffset(node) : engine.repl.prop.offset),
      hostname: () => engine.config.get('cluster-announce-hostname'),
    };
    const view = new NodeView(node, cluster.roles);
    view.slotMigrations = cluster.migrations.forNode(node);
    engine.cluster = view;
    return server;
  };
  try {
    if (listen) {
      // Every node listens at once; nodes are then named in order, primaries first.
      const servers = Array.from({ length: total }, (_, i) => newServer(i, opts.basePort !== undefined ? opts.basePort + i : 0));
      const bound = await Promise.allSettled(servers.map((sv) => sv.listen()));
      const failed = bound.find((b) => b.status === 'rejected');
      if (failed) {
        await Promise.all(servers.map((sv) => sv.close()));
        throw (failed as PromiseRejectedResult).reason;
      }
      servers.forEach((server) => {
        const node = topology.addNode(host, server.port, busPort(server.port), shared);
        attach(server, node);
        members.push(new Member(node, () => server, server));
      });
    } else {
      for (let i = 0; i < total; i++) {
        const port = opts.basePort! + i;
        const node = topology.addNode(host, port, busPort(port), shared);
        // Until something asks for its server, the node has no engine: its view answers from the defaults.
        node.host = {
          requireFullCoverage: () => fullCoverage,
          allowReplicaMigration: () => replicaMigration,
          replicationOffset: () => defaultOffset(node),
          hostname: () => '',
        };
        members.push(new Member(node, () => attach(newServer(i, port), node)));
      }
    }
  } catch (e) {
    await cluster.close();
    throw e;
  }
  if (created) buildAsCreated(topology, members.map((m) => m.node), perPrimary, cluster.roles);
  const replication = opts.replication ?? (listen ? new InProcessReplication() : NO_REPLICATION);
  if (replication !== NO_REPLICATION) cluster.replication = replication;
  // Clients blocked on keys whose slot moved away get MOVED (or CLUSTERDOWN), as Valkey's cron gives them.
  const byNode = new Map(members.map((m) => [m.node, m]));
  topology.onChange = (g) => {
    for (const n of g.nodes) {
      const engine = byNode.get(n)?.started?.engine;
      if (!engine?.cluster) continue;
      redirectBlockedClients(engine, engine.cluster);
      // Shard channels of slots no longer served by the node's shard are dropped (removeAllNotOwnedShardChannelSubscriptions).
      engine.pubsub.dropShardChannels((ch) => g.slots[keyHashSlot(ch)] !== n.shardPrimary);
    }
  };
  topology.onPublish = (from, channel, message, kind) => {
    for (const n of from.group.nodes) {
      if (n === from || cluster.isDown(n) || (kind === 'shard' && n.shardId !== from.shardId)) continue;
      byNode.get(n)?.started?.engine.pubsub.publish(channel, message, kind);
    }
  };
  return cluster;
}

/**
 * What `valkey-cli --cluster create <nodes> --cluster-replicas R --cluster-yes`
 * leaves: slots split over the first nodes, the others their replicas, config
 * epochs 1..N in node order, every node knowing every other.
 */
function buildAsCreated(topology: Topology, nodes: readonly TopologyNode[], replicas: number, roles: RoleChanges): void {
  const plan = createAssignment(nodes.length, replicas);
  // Every node is in one group already (they met); epochs 1..N as set-config-epoch gave them.
  const g = nodes[0]!.group;
  nodes.forEach((n, i) => {
    n.configEpoch = i + 1;
  });
  g.currentEpoch = nodes.length;
  plan.slots.forEach(([a, b], i) => {
    for (let s = a; s <= b; s++) g.slots[s] = nodes[i]!;
  });
  g.changed();
  for (const [replica, primary] of plan.replicaOf) {
    topology.setPrimary(nodes[replica]!, nodes[primary]!);
    roles.attach(nodes[replica]!, nodes[primary]!);
  }
}
