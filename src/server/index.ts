export { ValkeyServer, createServer } from './server.js';
export type { ServerOptions } from './server.js';
export { Connection } from './connection.js';
