/**
 * node-redis (the `redis` package, v5+/v6: RESP2 and RESP3). Commands go
 * through `sendCommand` (no per-command reply transforms), with a type
 * mapping that keeps what the wire says: bulk, simple and verbatim strings
 * as Buffers (bytes kept), integers, doubles and big numbers as their exact
 * decimal text, maps as JS Maps (entry order kept; keys come as UTF-8 text).
 */
import { isRecord } from './convert.js';
import { importClient, toBuffer, type Driver } from './driver.js';
import type { Value } from '../value.js';

interface NodeRedisClient {
  connect(): Promise<unknown>;
  sendCommand(args: Buffer[]): Promise<unknown>;
  close?(): Promise<void>;
  destroy?(): void;
  disconnect?(): Promise<void>;
  on(event: string, fn: (...a: unknown[]) => void): unknown;
  withTypeMapping(m: Record<string | number, unknown>): NodeRedisClient;
}
interface NodeRedisModule {
  createClient(opts: Record<string, unknown>): NodeRedisClient;
  RESP_TYPES: Record<string, number>;
  ErrorReply?: new (...a: unknown[]) => Error;
}

/** A node-redis reply (with the type mapping above) in the common value shape. */
export function fromNodeRedis(x: unknown, isReplyError: (e: unknown) => boolean): Value {
  if (x === null || x === undefined) return null;
  if (Buffer.isBuffer(x)) return x.toString('latin1');
  if (typeof x === 'string') return { num: x };
  if (typeof x === 'number' || typeof x === 'bigint') return { num: String(x) };
  if (typeof x === 'boolean') return x;
  if (x instanceof Error) {
    if (isReplyError(x)) return { err: x.message };
    throw x;
  }
  if (Array.isArray(x)) return x.map((e) => fromNodeRedis(e, isReplyError));
  if (x instanceof Set) return [...x].map((e) => fromNodeRedis(e, isReplyError));
  if (x instanceof Map) {
    return { map: [...x.entries()].map(([k, v]) => [mapKey(k, isReplyError), fromNodeRedis(v, isReplyError)] as const) };
  }
  if (isRecord(x)) {
    return { map: Object.entries(x).map(([k, v]) => [Buffer.from(k, 'utf8').toString('latin1'), fromNodeRedis(v, isReplyError)] as const) };
  }
  throw new Error(`unexpected reply from the client: ${String(x)}`);
}

/** Map keys come decoded as text (node-redis does not apply the blob mapping to them). */
function mapKey(k: unknown, isReplyError: (e: unknown) => boolean): Value {
  if (typeof k === 'string') return Buffer.from(k, 'utf8').toString('latin1');
  return fromNodeRedis(k, isReplyError);
}

export function nodeRedisDriver(): Driver {
  let mod: NodeRedisModule | undefined;
  return {
    name: 'node-redis',
    protocols: [2, 3],
    profile: { mapKeysUtf8: true, mapsUnordered: false, mapKeysCollapse: true },
    async connect(endpoint, { resp }) {
      mod ??= await importClient<NodeRedisModule>('node-redis', 'redis');
      const T = mod.RESP_TYPES;
      const ErrorReply = mod.ErrorReply;
      const isReplyError = (e: unknown) => (ErrorReply ? e instanceof ErrorReply : e instanceof Error && e.constructor.name.endsWith('Error') && !('code' in e));
      const client = mod.createClient({
        socket: { host: endpoint.host, port: endpoint.port, reconnectStrategy: false },
        RESP: resp,
        ...(endpoint.username ? { username: endpoint.username } : {}),
        ...(endpoint.password ? { password: endpoint.password } : {}),
      }).withTypeMapping({
        [T['BLOB_STRING']!]: Buffer,
        [T['SIMPLE_STRING']!]: Buffer,
        [T['VERBATIM_STRING']!]: Buffer,
        [T['NUMBER']!]: String,
        [T['DOUBLE']!]: String,
        [T['BIG_NUMBER']!]: String,
        [T['MAP']!]: Map,
      });
      client.on('error', () => {});
      await client.connect();
      return {
        async send(args) {
          let r: unknown;
          try {
            r = await client.sendCommand(args.map(toBuffer));
          } catch (e) {
            if (isReplyError(e)) return { value: { err: (e as Error).message } };
            throw e;
          }
          return { value: fromNodeRedis(r, isReplyError) };
        },
        async close() {
          if (client.destroy) client.destroy();
          else if (client.close) await client.close().catch(() => {});
        },
      };
    },
  };
}
