export { ValkeyServer, createServer } from './server.js';
export type { ServerOptions } from './server.js';
export { Connection } from './connection.js';
export { linkReplica, ReplicaLink, ReplicationHub, type LinkOptions } from './replication.js';
