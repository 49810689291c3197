/**
 * valkey-double: an in-process Valkey 9 server for tests.
 *
 *   const server = await createServer({ clock: 'virtual' });  // or a VirtualClock of your own
 *   // connect any client to server.url; server.clock.advance(1000); await server.close();
 *
 * Test-framework helpers: valkey-double/vitest and valkey-double/jest (useValkeyDouble).
 */
export { createServer, ValkeyServer } from './server/index.js';
export type { ServerOptions } from './server/index.js';
export { linkReplica, ReplicaLink, ReplicationHub, type LinkOptions } from './server/index.js';
export type { PipeEnd } from './server/in-process.js';
// A whole cluster in one process.
export { createCluster, ValkeyCluster, createAssignment, NO_REPLICATION } from './cluster/index.js';
export type { ClusterOptions, ClusterNodeHandle, ReplicationLink } from './cluster/index.js';
// Fault injection: server.faults, or a Faults shared by several servers.
export { Faults, FaultScope, Interceptor, PendingFaultsError, FAULT_ERRORS, keyHashSlot, movedError, askError, RemoteFaults } from './server/faults/index.js';
export type {
  FaultEffect, FaultSpec, FaultDelay, FaultsOptions, CallRecord, FiredFault, ClientView, FaultMatch, ConnectionMatch, TextMatcher,
  FaultErrorName, RedirectTarget, RemoteRule,
} from './server/faults/index.js';
export { VirtualClock, SystemClock, Rng } from './time/index.js';
export type { Clock, Timer, VirtualClockOptions } from './time/index.js';
export { Engine } from './engine/index.js';
export type { EngineOptions, CommandGroup, Handler } from './engine/index.js';
export { R, encode, RequestDecoder, ReplyParser, formatDouble } from './protocol/index.js';
export type { Reply, Bytes, RespVersion, RawReply } from './protocol/index.js';
// For the conformance corpus (conformance/ imports only this file): the Valkey 9 command
// metadata it generates command sequences from, the parsed-reply shape, and the default
// command groups (to build an engine with one group replaced).
export { COMMAND_SPECS, METADATA_VERSION } from './meta/index.js';
export type { CommandSpec, ArgSpec } from './meta/index.js';
export type { RawValue } from './protocol/reply-parser.js';
export { ALL_GROUPS } from './engine/commands/index.js';
// The fault proxy: the same fault rules in front of a real Valkey.
export { createProxy, FaultProxy } from './proxy/index.js';
export type { ProxyOptions } from './proxy/index.js';
