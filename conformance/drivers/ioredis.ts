/**
 * ioredis (6: RESP2 and RESP3). Commands go through `callBuffer`, so bulk
 * strings arrive as Buffers (bytes kept), with `stringNumbers` so integers
 * and doubles arrive as exact decimal text. RESP3 uses replyMapping 'resp3'
 * (no per-command reshaping of replies); its maps arrive as plain objects,
 * which lose entry order and read keys as UTF-8 text (profile below).
 * iovalkey (iovalkey.ts) is the same client API and reuses this adapter.
 */
import { isRecord } from './convert.js';
import { importClient, toBuffer, type Driver } from './driver.js';
import type { Value } from '../value.js';

/** The part of the ioredis API the adapter uses. */
export interface IoredisLike {
  connect(): Promise<void>;
  callBuffer(command: string, ...args: (string | Buffer | number)[]): Promise<unknown>;
  disconnect(): void;
  on(event: string, fn: (...a: unknown[]) => void): unknown;
}
export interface IoredisModule {
  Redis?: new (opts: Record<string, unknown>) => IoredisLike;
  default?: unknown;
  ReplyError?: new (...a: unknown[]) => Error;
}

/** An ioredis reply (callBuffer, stringNumbers) in the common value shape. */
export function fromIoredis(x: unknown, isReplyError: (e: unknown) => boolean): Value {
  if (x === null || x === undefined) return null;
  if (Buffer.isBuffer(x)) return x.toString('latin1');
  if (typeof x === 'string') return { num: x };
  if (x instanceof String) return Buffer.from(String(x), 'utf8').toString('latin1'); // a VerbatimString
  if (typeof x === 'number') return { num: String(x) };
  if (typeof x === 'boolean') return x;
  if (x instanceof Error) {
    if (isReplyError(x)) return { err: x.message };
    throw x;
  }
  if (Array.isArray(x)) return x.map((e) => fromIoredis(e, isReplyError));
  if (isRecord(x)) {
    return { map: Object.entries(x).map(([k, v]) => [Buffer.from(k, 'utf8').toString('latin1'), fromIoredis(v, isReplyError)] as const) };
  }
  throw new Error(`unexpected reply from the client: ${String(x)}`);
}

export function makeIoredisDriver(name: string, pkg: string, protocols: readonly (2 | 3)[], protocolOption: boolean): Driver {
  let mod: IoredisModule | undefined;
  return {
    name,
    protocols,
    profile: { mapKeysUtf8: true, mapsUnordered: true, mapKeysCollapse: true },
    async connect(endpoint, { resp }) {
      mod ??= await importClient<IoredisModule>(name, pkg);
      const Ctor = (mod.Redis ?? mod.default) as new (opts: Record<string, unknown>) => IoredisLike;
      const ReplyError = mod.ReplyError;
      const isReplyError = (e: unknown) => (ReplyError ? e instanceof ReplyError : e instanceof Error && /Error$/.test(e.name) && !('code' in e));
      const client = new Ctor({
        host: endpoint.host,
        port: endpoint.port,
        ...(endpoint.username ? { username: endpoint.username } : {}),
        ...(endpoint.password ? { password: endpoint.password } : {}),
        ...(protocolOption ? { protocol: resp, ...(resp === 3 ? { replyMapping: 'resp3' } : {}) } : {}),
        stringNumbers: true,
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        autoResubscribe: false,
        autoResendUnfulfilledCommands: false,
      });
      client.on('error', () => {});
      await client.connect();
      return {
        async send(args) {
          let r: unknown;
          try {
            r = await client.callBuffer(String(args[0]), ...args.slice(1).map(toBuffer));
          } catch (e) {
            if (isReplyError(e)) return { value: { err: (e as Error).message } };
            throw e;
          }
          return { value: fromIoredis(r, isReplyError) };
        },
        async close() {
          client.disconnect();
        },
      };
    },
  };
}

export function ioredisDriver(): Driver {
  return makeIoredisDriver('ioredis', 'ioredis', [2, 3], true);
}
