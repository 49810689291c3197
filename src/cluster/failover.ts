/**
 * Failover in a cluster in one process: the manual CLUSTER FAILOVER
 * [FORCE|TAKEOVER] of a replica, and automatic failover after a node was
 * killed (ValkeyCluster.killNode): after cluster-node-timeout on the
 * cluster's clock the others flag it PFAIL and, when a majority of the
 * slot-serving primaries are up to agree, FAIL; a failed primary's best
 * replica (largest offset) is elected 500 ms later (Valkey's fixed part of
 * the election delay; its random part and the rank delay are left out: one
 * replica is elected, the one Valkey ranks first) and replaces it, with a
 * new config epoch. A restarted node comes back: an old primary that lost
 * its slots as a replica of the node that took them (resynced in full), a
 * replica re-linked to its primary.
 *
 * Every delay is a timer of the cluster's clock: on a VirtualClock nothing
 * happens until the test advances it.
 */
import type { Clock, Timer } from '../time/index.js';
import type { Group, RoleChanges, TopologyNode } from './topology.js';

export type FailoverMode = 'default' | 'force' | 'takeover';

/** What the failover needs of the cluster: its clock, role changes, and the nodes' links and servers. */
export interface FailoverHost {
  readonly clock: Clock;
  readonly roles: RoleChanges;
  /** The node's replication link is down (it, or its primary, was killed). */
  suspend(replica: TopologyNode): void;
  /** The replica applies everything its primary sent (manual failover's offset agreement). */
  catchUp(replica: TopologyNode): void;
  /** cluster-node-timeout (ms) as `n` is configured. */
  nodeTimeout(n: TopologyNode): number;
  crash(n: TopologyNode): Promise<void>;
  restart(n: TopologyNode): Promise<void>;
}

/** clusterHandleReplicaFailover's fixed delay before a replica asks for votes. */
const ELECTION_DELAY_MS = 500;

export class Failover {
  private readonly down = new Set<TopologyNode>();
  private readonly timers = new Map<TopologyNode, Timer[]>();
  /** An old primary that lost its slots while down → the node that took them. */
  private readonly replacedBy = new Map<TopologyNode, TopologyNode>();

  constructor(private readonly host: FailoverHost) {}

  isDown(n: TopologyNode): boolean {
    return this.down.has(n);
  }

  /**
   * clusterFailoverReplaceYourPrimary, after the epoch of the mode: an
   * election (default, force, and the automatic one) takes currentEpoch + 1;
   * TAKEOVER bumps without consensus (clusterBumpConfigEpochWithoutConsensus).
   */
  replacePrimary(replica: TopologyNode, mode: FailoverMode): void {
    const old = replica.primary;
    if (!old) return;
    const g = replica.group;
    if (mode !== 'takeover' || replica.configEpoch === 0 || replica.configEpoch !== g.maxEpoch()) {
      g.currentEpoch++;
      replica.configEpoch = g.currentEpoch;
    }
    // The manual failover waits for the replica to reach its primary's offset; FORCE and TAKEOVER do not.
    if (mode === 'default') this.host.catchUp(replica);
    const t = replica.topology;
    this.host.roles.detach(replica);
    t.setPrimary(replica, null);
    for (let s = 0; s < g.slots.length; s++) if (g.slots[s] === old) g.slots[s] = replica;
    // The old primary's other replicas, and the old primary when it is up, follow the new one.
    for (const r of [...old.replicas]) this.follow(r, replica);
    if (this.down.has(old)) this.replacedBy.set(old, replica);
    else this.follow(old, replica);
    g.changed();
  }

  /** `r` replicates `p` (a full resync when it is up). */
  private follow(r: TopologyNode, p: TopologyNode): void {
    r.topology.setPrimary(r, p);
    if (!this.down.has(r)) this.host.roles.attach(r, p);
  }

  /** The node's process stops: its port refuses connections, its links go down, failure detection starts. */
  async kill(n: TopologyNode): Promise<void> {
    if (this.down.has(n)) return;
    this.down.add(n);
    n.downSince = this.host.clock.now();
    if (n.primary) this.host.suspend(n);
    for (const r of n.replicas) this.host.suspend(r);
    await this.host.crash(n);
    this.at(n, this.host.clock.now() + this.host.nodeTimeout(n), () => this.timedOut(n));
  }

  /** The node is back on its port, flags cleared, re-linked (an old primary that was replaced: as a replica). */
  async restart(n: TopologyNode): Promise<void> {
    if (!this.down.has(n)) return;
    for (const tm of this.timers.get(n) ?? []) tm.cancel();
    this.timers.delete(n);
    await this.host.restart(n);
    this.down.delete(n);
    n.downSince = null;
    n.pfail = false;
    n.failed = false;
    const winner = this.replacedBy.get(n);
    this.replacedBy.delete(n);
    if (winner && !n.primary && n.numSlots === 0) {
      this.follow(n, winner.shardPrimary);
    } else if (n.primary && !this.down.has(n.primary)) {
      this.host.roles.attach(n, n.primary);
    }
    for (const r of n.replicas) if (!this.down.has(r)) this.host.roles.attach(r, n);
    n.group.changed();
  }

  /** Cancels every pending timer (the cluster closes). */
  close(): void {
    for (const list of this.timers.values()) for (const tm of list) tm.cancel();
    this.timers.clear();
  }

  private at(n: TopologyNode, due: number, fn: () => void): void {
    let list = this.timers.get(n);
    if (!list) this.timers.set(n, (list = []));
    list.push(this.host.clock.schedule(due, fn));
  }

  /** Primaries serving slots, and how many of them (the killed one aside) are up to report or vote. */
  private quorum(g: Group, except: TopologyNode): boolean {
    const serving = g.nodes.filter((m) => !m.primary && m.numSlots > 0);
    const up = serving.filter((m) => m !== except && !this.down.has(m)).length;
    return up >= Math.floor(serving.length / 2) + 1;
  }

  /** cluster-node-timeout passed without a pong: PFAIL, then FAIL once a majority of primaries agree (markNodeAsFailingIfNeeded). */
  private timedOut(n: TopologyNode): void {
    if (!this.down.has(n)) return;
    const g = n.group;
    n.pfail = true;
    if (this.quorum(g, n)) {
      n.pfail = false;
      n.failed = true;
      if (!n.primary && n.numSlots > 0) this.at(n, this.host.clock.now() + ELECTION_DELAY_MS, () => this.elect(n));
    }
    g.changed();
  }

  /** The failed primary's replica with the largest offset, up and not nofailover, wins with a majority of the primaries' votes. */
  private elect(old: TopologyNode): void {
    if (!this.down.has(old) || old.primary || !this.quorum(old.group, old)) return;
    const candidates = old.replicas.filter((r) => !this.down.has(r) && !r.noFailover);
    candidates.sort((a, b) => b.replicationOffset - a.replicationOffset);
    if (candidates[0]) this.replacePrimary(candidates[0], 'force');
  }
}
