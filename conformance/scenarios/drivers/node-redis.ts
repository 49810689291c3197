/**
 * node-redis (the `redis` package) as a scenario driver, with the library's
 * defaults: reconnect with its strategy, the offline queue, resubscribing.
 * A pipeline is commands sent in one tick (node-redis writes them together).
 */
import { importClient } from '../../drivers/driver.js';
import type { Outcome, ScenarioClient, ScenarioDriver, Subscription } from '../types.js';
import { packageVersion, toVal } from './common.js';

interface NrClient {
  connect(): Promise<unknown>;
  sendCommand(args: string[], opts?: { timeout?: number }): Promise<unknown>;
  multi(): { addCommand(args: string[]): unknown; exec(): Promise<unknown[]> };
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  duplicate(): NrClient;
  destroy(): void;
  on(event: string, fn: (...a: unknown[]) => void): unknown;
}
interface NrModule {
  createClient(opts: Record<string, unknown>): NrClient;
  ErrorReply?: new (...a: unknown[]) => Error;
}

export function nodeRedisScenarioDriver(): ScenarioDriver {
  let mod: NrModule | undefined;
  return {
    name: 'node-redis',
    version: packageVersion('redis'),
    protocols: [2, 3],
    settings: 'library defaults (reconnect strategy, offline queue, resubscribe); the per-command timeout option where the scenario sets one',
    async connect(endpoint, opts) {
      mod ??= await importClient<NrModule>('node-redis', 'redis');
      const ErrorReply = mod.ErrorReply;
      const outcomeOf = (e: unknown): Outcome => {
        const message = e instanceof Error ? e.message : String(e);
        if (ErrorReply && e instanceof ErrorReply) return { ok: false, error: message, kind: 'reply' };
        const name = e instanceof Error ? e.name : '';
        return { ok: false, error: message, kind: /timeout/i.test(name) || /timeout/i.test(message) ? 'timeout' : 'closed' };
      };
      const client = mod.createClient({ socket: { host: endpoint.host, port: endpoint.port }, RESP: opts.resp });
      client.on('error', () => {});
      await client.connect();
      const subs: NrClient[] = [];
      const cmdOpts = opts.commandTimeoutMs !== undefined ? { timeout: opts.commandTimeoutMs } : undefined;
      const settle = async (p: Promise<unknown>): Promise<Outcome> => {
        try {
          return { ok: true, value: toVal(await p) };
        } catch (e) {
          return outcomeOf(e);
        }
      };
      const api: ScenarioClient = {
        call: (args) => settle(client.sendCommand([...args], cmdOpts)),
        pipeline: (cmds) => Promise.all(cmds.map((c) => settle(client.sendCommand([...c], cmdOpts)))),
        async multi(cmds) {
          const m = client.multi();
          for (const c of cmds) m.addCommand([...c]);
          return settle(m.exec());
        },
        async subscribe(channel) {
          const sub = client.duplicate();
          sub.on('error', () => {});
          subs.push(sub);
          const messages: string[] = [];
          await sub.connect();
          await sub.subscribe(channel, (m) => messages.push(m));
          const s: Subscription = { messages, close: async () => sub.destroy() };
          return s;
        },
        async close() {
          for (const s of subs) s.destroy();
          client.destroy();
        },
      };
      return api;
    },
  };
}
