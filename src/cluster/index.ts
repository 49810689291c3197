/** A Valkey cluster in one process: createCluster and its topology. */
export { createCluster, ValkeyCluster } from './create.js';
export type { ClusterOptions, ClusterNodeHandle } from './create.js';
export { createAssignment } from './slots.js';
export type { CreatePlan } from './slots.js';
export { NO_REPLICATION, NodeView, Topology, TopologyNode } from './topology.js';
export type { ReplicationLink, NodeHost } from './topology.js';
