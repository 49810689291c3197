/** A Valkey cluster in one process: createCluster and its topology. */
export { createCluster, ValkeyCluster, NO_REPLICATION } from './create.js';
export { InProcessReplication } from './replication.js';
export type { ClusterOptions, ClusterNodeHandle, ReplicationLink } from './create.js';
export { createAssignment } from './slots.js';
export type { CreatePlan } from './slots.js';
export { NodeView, Topology, TopologyNode } from './topology.js';
export type { NodeHost, RoleChanges } from './topology.js';
export { SlotMigrations, MIGRATION_PHASES, moveSlotKeys } from './migration.js';
export type { MigrationPhase, MigrationInfo } from './migration.js';
