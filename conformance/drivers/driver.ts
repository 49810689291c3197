/**
 * A driver sends the corpus's commands through one client: the raw RESP
 * driver (exact bytes) or a client library. Adding a client is one file that
 * exports a `Driver`:
 *
 *   export const myClient: Driver = {
 *     name: 'my-client',
 *     protocols: [2, 3],
 *     profile: { mapKeysUtf8: true, mapsUnordered: false },
 *     async connect(endpoint, { resp }) {
 *       const c = await MyClient.connect(endpoint.host, endpoint.port, { resp });
 *       return {
 *         send: async (args) => toValue(await c.command(args)),   // errors as { err: message }
 *         close: () => c.quit(),
 *       };
 *     },
 *   };
 *
 * `send` never throws for an error reply: it returns `{ value: { err } }`.
 * It throws only when the connection fails.
 */
import type { RawValue } from '../../src/index.js';
import type { ClientProfile } from '../normalize.js';
import type { Endpoint } from '../targets/target.js';
import type { Value } from '../value.js';

export type Arg = string | Buffer | number;

export interface DriverReply {
  /** The reply in the common value shape (value.ts). */
  readonly value: Value;
  /** Raw driver only: the reply's exact bytes (latin1) and its parsed form. */
  readonly raw?: string;
  readonly rawValue?: RawValue;
}

export interface DriverConnection {
  /** Sends one command (arguments are byte strings: a string is taken as latin1) and returns its reply. */
  send(args: readonly Arg[]): Promise<DriverReply>;
  /**
   * Raw driver only: writes bytes as they are and reads `replies` replies, or
   * everything until the server closes the connection ('close').
   */
  sendRaw?(bytes: string, replies: number | 'close'): Promise<{ replies: DriverReply[]; closed: boolean }>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  resp: 2 | 3;
}

export interface Driver {
  readonly name: string;
  /** RESP versions the client speaks. */
  readonly protocols: readonly (2 | 3)[];
  /** What the client cannot tell apart beyond the common shape; the raw driver is exact. */
  readonly profile: ClientProfile;
  /** True for the raw driver: replies carry exact bytes, compared byte for byte. */
  readonly exact?: boolean;
  connect(endpoint: Endpoint, opts: ConnectOptions): Promise<DriverConnection>;
}

/** A driver whose client library is not installed, with the reason. */
export class DriverUnavailable extends Error {
  constructor(readonly driver: string, reason: string) {
    super(`client ${driver} is unavailable: ${reason}`);
  }
}

export const DRIVER_NAMES = ['raw', 'ioredis', 'node-redis', 'iovalkey'] as const;
export type DriverName = (typeof DRIVER_NAMES)[number];

/** Loads a driver by name (its client library only then), or a module path exporting `driver` or a default Driver. */
export async function loadDriver(name: string): Promise<Driver> {
  switch (name) {
    case 'raw': return (await import('./raw.js')).rawDriver;
    case 'ioredis': return (await import('./ioredis.js')).ioredisDriver();
    case 'node-redis': return (await import('./node-redis.js')).nodeRedisDriver();
    case 'iovalkey': return (await import('./iovalkey.js')).iovalkeyDriver();
    default: {
      if (!/[/\\.]/.test(name)) throw new Error(`unknown client '${name}' (one of ${DRIVER_NAMES.join(', ')}, or a path to a driver module)`);
      const { pathToFileURL } = await import('node:url');
      const { resolve } = await import('node:path');
      const m = (await import(pathToFileURL(resolve(name)).href)) as { driver?: Driver; default?: Driver };
      const d = m.driver ?? m.default;
      if (!d || typeof d.connect !== 'function') throw new Error(`${name} exports no driver (export const driver: Driver, or a default export)`);
      return d;
    }
  }
}

/** Converts a latin1 string argument to the Buffer a client library must send (strings would go out as UTF-8). */
export function toBuffer(a: Arg): Buffer {
  return Buffer.isBuffer(a) ? a : Buffer.from(String(a), typeof a === 'string' ? 'latin1' : 'utf8');
}

/** Imports an optional client library, or throws DriverUnavailable. */
export async function importClient<T>(driver: string, pkg: string): Promise<T> {
  try {
    return (await import(pkg)) as T;
  } catch (e) {
    throw new DriverUnavailable(driver, `the '${pkg}' package is not installed (npm i -D ${pkg}): ${(e as Error).message.split('\n')[0]}`);
  }
}
