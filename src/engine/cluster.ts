/**
 * What the engine knows of a cluster: one node's view of it, implemented by
 * the cluster layer (src/cluster) and attached as `engine.cluster`. The engine
 * stays cluster-agnostic: its CLUSTER handlers (commands/cluster.ts) and the
 * routing gate (cluster-routing.ts) read and change the topology only through
 * this interface. With no view attached the engine is a standalone server.
 */

export const CLUSTER_SLOTS = 16384;

/** A node as this node sees it (Valkey's clusterNode, the fields the commands show). */
export interface ClusterNode {
  /** 40 lower-case hex characters. */
  readonly id: string;
  readonly shardId: string;
  readonly ip: string;
  readonly port: number;
  /** The cluster bus port (NODES shows ip:port@cport). */
  readonly cport: number;
  /** cluster-announce-hostname, or ''. */
  readonly hostname: string;
  /** The primary of a replica; null for a primary. */
  readonly primary: ClusterNode | null;
  /** Replicas of a primary, in the order they attached. */
  readonly replicas: readonly ClusterNode[];
  readonly configEpoch: number;
  /** PFAIL: this node has not heard from it in cluster-node-timeout. */
  readonly pfail: boolean;
  /** FAIL: the cluster agreed it failed. */
  readonly failed: boolean;
  /** cluster-replica-no-failover. */
  readonly noFailover: boolean;
  /** The bus link to it is up (a killed node: false; NODES shows "disconnected"). */
  readonly connected: boolean;
  /** Epoch ms of the last ping sent without a pong yet (0: none). */
  readonly pingSent: number;
  /** Epoch ms of the last pong received. */
  readonly pongReceived: number;
  /** The replication offset the node reports (CLUSTER SHARDS; 0 hides a replica from CLUSTER SLOTS). */
  readonly replicationOffset: number;
  /** Slots this node serves, as [start, end] ranges, ascending. */
  readonly slotRanges: readonly (readonly [number, number])[];
  /** Number of slots it serves. */
  readonly numSlots: number;
}

/** One slot migration job as CLUSTER GETSLOTMIGRATIONS shows it (slotMigrationJob). */
export interface SlotMigrationJobView {
  readonly name: string;
  readonly operation: 'EXPORT' | 'IMPORT';
  /** "a-b c-d", as representSlotRangeList. */
  readonly slotRanges: string;
  readonly targetNode: string;
  readonly sourceNode: string;
  /** Unix seconds. */
  readonly createTime: number;
  readonly lastUpdateTime: number;
  readonly lastAckTime: number;
  readonly state: string;
  readonly message: string;
}

/** Atomic slot migration on one node (CLUSTER MIGRATESLOTS / GETSLOTMIGRATIONS / CANCELSLOTMIGRATIONS). */
export interface SlotMigrationHooks {
  /** An unfinished export job covers `slot` (clusterIsSlotExporting). */
  exporting(slot: number): boolean;
  /** Starts one export job per entry (the handler validated them). */
  start(jobs: readonly { readonly ranges: readonly (readonly [number, number])[]; readonly target: ClusterNode }[]): void;
  /** CANCELSLOTMIGRATIONS: every export in progress cancelled; false when none was unfinished. */
  cancelAll(): boolean;
  /** This node's jobs, newest first. */
  jobs(): readonly SlotMigrationJobView[];
}

/** A change the CLUSTER commands ask of the topology (validated by the handler first, as Valkey does). */
export interface ClusterHooks {
  /** This node. */
  readonly myself: ClusterNode;
  /** Every known node, myself included, in the order CLUSTER NODES lists them. */
  nodes(): readonly ClusterNode[];
  /** The shards, each its nodes (primary first), in the order CLUSTER SHARDS lists them. */
  shards(): readonly (readonly ClusterNode[])[];
  lookup(id: string): ClusterNode | undefined;
  /** The primary serving `slot`, or null when unassigned. */
  slotOwner(slot: number): ClusterNode | null;
  /** This node's MIGRATING state for `slot`: the destination. */
  migratingTo(slot: number): ClusterNode | null;
  /** This node's IMPORTING state for `slot`: the source. */
  importingFrom(slot: number): ClusterNode | null;
  readonly currentEpoch: number;
  /** cluster_state: 'ok' or 'fail', per this node's configuration. */
  readonly state: 'ok' | 'fail';
  /** Primaries serving at least one slot (cluster_size). */
  readonly size: number;
  /** Node ids forgotten less than cluster-blacklist-ttl ago (FORGET of one of them answers OK). */
  isBlacklisted(id: string): boolean;

  // --- changes ---
  /** ADDSLOTS / DELSLOTS on myself (the handler checked them). */
  assignSlots(slots: readonly number[], del: boolean): void;
  /** FLUSHSLOTS: myself serves nothing. */
  flushSlots(): void;
  setMigrating(slot: number, to: ClusterNode | null): void;
  setImporting(slot: number, from: ClusterNode | null): void;
  /** SETSLOT <slot> NODE <id>: `owner` serves the slot from now on (epoch handling inside). */
  setSlotNode(slot: number, owner: ClusterNode): void;
  /** MEET: join the node at ip:port (false when no node answers there: the handshake never completes). */
  meet(ip: string, port: number, cport: number): boolean;
  forget(node: ClusterNode): void;
  /** REPLICATE <primary> (null: NO ONE, myself becomes an empty primary in a new shard). */
  replicate(primary: ClusterNode | null): void;
  /** RESET: forget every other node; HARD also new id and epochs 0. */
  reset(hard: boolean): void;
  setConfigEpoch(epoch: number): void;
  /** PUBLISH (to every node) / SPUBLISH (to my shard's nodes) over the bus: delivered on the other nodes. */
  publish(channel: string, message: string, kind: 'channel' | 'shard'): void;
  /** FAILOVER on myself, a replica (the handler checked it): promotion, epoch, slots, the old primary follows. */
  failover(mode: 'default' | 'force' | 'takeover'): void;
  /** BUMPEPOCH: true when the epoch was bumped ("BUMPED"), false ("STILL"). */
  bumpEpoch(): boolean;
  /** Atomic slot migration, when the cluster layer provides it. */
  readonly slotMigrations?: SlotMigrationHooks | undefined;
}
