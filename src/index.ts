/**
 * valkey-double: an in-process Valkey 9 server for tests.
 *
 *   const server = await createServer({ clock: new VirtualClock() });
 *   // connect any client to server.url; server.clock.advance(1000); await server.close();
 */
export { createServer, ValkeyServer } from './server/index.js';
export type { ServerOptions } from './server/index.js';
export { VirtualClock, SystemClock, Rng } from './time/index.js';
export type { Clock, Timer, VirtualClockOptions } from './time/index.js';
export { Engine } from './engine/index.js';
export type { EngineOptions } from './engine/index.js';
export { R, encode, RequestDecoder, ReplyParser, formatDouble } from './protocol/index.js';
export type { Reply, Bytes, RespVersion, RawReply } from './protocol/index.js';
