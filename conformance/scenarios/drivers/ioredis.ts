/**
 * ioredis and iovalkey (an ioredis fork) as scenario drivers, with the
 * libraries' defaults: reconnect with its retry strategy, the offline queue,
 * resending unanswered commands after a reconnect, resubscribing.
 */
import { importClient } from '../../drivers/driver.js';
import type { Outcome, ScenarioClient, ScenarioDriver, Subscription } from '../types.js';
import { packageVersion, toVal } from './common.js';

interface IoClient {
  connect(): Promise<void>;
  call(command: string, ...args: string[]): Promise<unknown>;
  pipeline(cmds: string[][]): { exec(): Promise<[Error | null, unknown][] | null> };
  multi(cmds: string[][]): { exec(): Promise<[Error | null, unknown][] | null> };
  subscribe(channel: string): Promise<unknown>;
  duplicate(): IoClient;
  disconnect(): void;
  on(event: string, fn: (...a: unknown[]) => void): unknown;
}
interface IoModule {
  Redis?: new (opts: Record<string, unknown>) => IoClient;
  default?: unknown;
  ReplyError?: new (...a: unknown[]) => Error;
}

export function makeIoDriver(name: string, pkg: string, protocols: readonly (2 | 3)[], protocolOption: boolean): ScenarioDriver {
  let mod: IoModule | undefined;
  return {
    name,
    version: packageVersion(pkg),
    protocols,
    settings: 'library defaults (reconnect, offline queue, autoResendUnfulfilledCommands, autoResubscribe); commandTimeout where the scenario sets one',
    async connect(endpoint, opts) {
      mod ??= await importClient<IoModule>(name, pkg);
      const Ctor = (mod.Redis ?? mod.default) as new (o: Record<string, unknown>) => IoClient;
      const ReplyError = mod.ReplyError;
      const outcomeOf = (e: unknown): Outcome => {
        const message = e instanceof Error ? e.message : String(e);
        if (ReplyError && e instanceof ReplyError) return { ok: false, error: message, kind: 'reply' };
        return { ok: false, error: message, kind: /timed out/i.test(message) ? 'timeout' : 'closed' };
      };
      const make = () => {
        const c = new Ctor({
          host: endpoint.host,
          port: endpoint.port,
          lazyConnect: true,
          ...(protocolOption && opts.resp === 3 ? { protocol: 3 } : {}),
          ...(opts.commandTimeoutMs !== undefined ? { commandTimeout: opts.commandTimeoutMs } : {}),
        });
        c.on('error', () => {});
        return c;
      };
      const client = make();
      await client.connect();
      const subs: IoClient[] = [];
      const settle = async (p: Promise<unknown>): Promise<Outcome> => {
        try {
          return { ok: true, value: toVal(await p) };
        } catch (e) {
          return outcomeOf(e);
        }
      };
      const api: ScenarioClient = {
        call: (args) => settle(client.call(args[0]!, ...args.slice(1))),
        async pipeline(cmds) {
          try {
            const res = await client.pipeline(cmds.map((c) => [c[0]!.toLowerCase(), ...c.slice(1)])).exec();
            return (res ?? []).map(([err, v]) => (err ? outcomeOf(err) : { ok: true, value: toVal(v) }));
          } catch (e) {
            return cmds.map(() => outcomeOf(e));
          }
        },
        async multi(cmds) {
          try {
            const res = await client.multi(cmds.map((c) => [c[0]!.toLowerCase(), ...c.slice(1)])).exec();
            if (res === null) return { ok: true, value: null };
            return { ok: true, value: res.map(([err, v]) => (err ? `!${err.message}` : toVal(v))) };
          } catch (e) {
            return outcomeOf(e);
          }
        },
        async subscribe(channel) {
          const sub = make();
          subs.push(sub);
          const messages: string[] = [];
          sub.on('message', (_ch: unknown, msg: unknown) => messages.push(String(msg)));
          await sub.connect();
          await sub.subscribe(channel);
          const s: Subscription = { messages, close: async () => sub.disconnect() };
          return s;
        },
        async close() {
          for (const s of subs) s.disconnect();
          client.disconnect();
        },
      };
      return api;
    },
  };
}

export const ioredisScenarioDriver = (): ScenarioDriver => makeIoDriver('ioredis', 'ioredis', [2, 3], true);
export const iovalkeyScenarioDriver = (): ScenarioDriver => makeIoDriver('iovalkey', 'iovalkey', [2], false);
