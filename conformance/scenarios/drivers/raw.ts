/**
 * A minimal RESP2 client as a scenario driver, with flaws to switch on: the
 * checkers' own test (scenarios.test.ts) shows that each flaw is caught, and
 * that the flawless client passes. Not a client to use.
 *
 *   resend         after a reconnect, sends again the commands left unanswered (a duplicate when one had run);
 *   shiftOnTimeout a timed-out command leaves the queue, so its late reply answers the next request;
 *   ackOnClose     commands cut off by a closed connection "succeed" with a made-up reply;
 *   noReconnect    once the connection is lost, every call fails;
 *   noResubscribe  a subscriber reconnects but does not subscribe again;
 *   followMoved    follows MOVED without a limit (here, to the same node).
 */
import { connect, type Socket } from 'node:net';
import { ReplyParser, type RawReply } from '../../../src/index.js';
import { encodeCommand } from '../../targets/raw-client.js';
import { valOf } from '../stage.js';
import type { Outcome, ScenarioClient, ScenarioDriver, Subscription } from '../types.js';

export interface RawFlaws {
  resend?: boolean;
  shiftOnTimeout?: boolean;
  ackOnClose?: boolean;
  noReconnect?: boolean;
  noResubscribe?: boolean;
  followMoved?: boolean;
}

interface Waiter {
  args: readonly string[];
  resolve(o: Outcome): void;
  done: boolean;
}

class RawConn {
  private socket: Socket | undefined;
  private parser = new ReplyParser();
  private queue: Waiter[] = [];
  private closedByUser = false;
  onMessage?: (r: RawReply) => void;
  onReconnect?: () => void;

  constructor(
    private readonly endpoint: { host: string; port: number },
    private readonly flaws: RawFlaws,
    private readonly timeoutMs: number | undefined,
  ) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: this.endpoint.host, port: this.endpoint.port });
      s.once('connect', () => {
        s.off('error', reject);
        s.on('error', () => {});
        this.socket = s;
        this.parser = new ReplyParser();
        s.on('data', (b: Buffer) => this.onData(b));
        s.on('close', () => this.onClose(s));
        resolve();
      });
      s.once('error', reject);
    });
  }

  private onData(b: Buffer): void {
    this.parser.push(b);
    let r: RawReply | null;
    while ((r = this.parser.next()) !== null) {
      const v = r.value;
      if (this.onMessage && v.type === 'array' && v.value?.[0]?.type === 'bulk' && /message$/.test(v.value[0].value) && this.queue.length === 0) {
        this.onMessage(r);
        continue;
      }
      const w = this.queue.shift();
      if (!w || w.done) continue;
      w.done = true;
      w.resolve(v.type === 'error' ? { ok: false, error: v.value, kind: 'reply' } : { ok: true, value: valOf(v) });
    }
  }

  private onClose(s: Socket): void {
    if (s !== this.socket) return;
    this.socket = undefined;
    const left = this.queue.splice(0);
    if (this.closedByUser) return;
    if (this.flaws.resend) {
      void this.reopen().then(() => {
        for (const w of left) this.write(w);
      }, () => left.forEach((w) => this.finish(w, { ok: false, error: 'reconnect failed', kind: 'closed' })));
      return;
    }
    for (const w of left) {
      this.finish(w, this.flaws.ackOnClose && w.args[0] === 'INCRBY' ? { ok: true, value: w.args[2]! } : { ok: false, error: 'connection closed', kind: 'closed' });
    }
    if (this.onReconnect) void this.reopen().then(() => this.onReconnect?.(), () => {});
  }

  private async reopen(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      try {
        await this.open();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error('cannot reconnect');
  }

  private finish(w: Waiter, o: Outcome): void {
    if (w.done) return;
    w.done = true;
    w.resolve(o);
  }

  private write(w: Waiter): void {
    this.queue.push(w);
    this.socket!.write(encodeCommand(w.args));
  }

  async send(args: readonly string[]): Promise<Outcome> {
    if (!this.socket) {
      if (this.flaws.noReconnect) return { ok: false, error: 'connection closed', kind: 'closed' };
      try {
        await this.reopen();
      } catch {
        return { ok: false, error: 'cannot connect', kind: 'closed' };
      }
    }
    return new Promise<Outcome>((resolve) => {
      const w: Waiter = { args, resolve, done: false };
      this.write(w);
      if (this.timeoutMs === undefined) return;
      setTimeout(() => {
        if (w.done) return;
        if (this.flaws.shiftOnTimeout) {
          const i = this.queue.indexOf(w);
          if (i >= 0) this.queue.splice(i, 1);
        }
        this.finish(w, { ok: false, error: 'timed out', kind: 'timeout' });
      }, this.timeoutMs);
    });
  }

  close(): void {
    this.closedByUser = true;
    this.socket?.destroy();
  }
}

export function rawScenarioDriver(flaws: RawFlaws = {}): ScenarioDriver {
  const on = Object.entries(flaws).filter(([, v]) => v).map(([k]) => k);
  return {
    name: on.length ? `raw(${on.join(',')})` : 'raw',
    version: '-',
    protocols: [2],
    settings: 'a minimal RESP2 client of the scenario tests',
    async connect(endpoint, opts) {
      const conn = new RawConn(endpoint, flaws, opts.commandTimeoutMs);
      await conn.open();
      const subs: RawConn[] = [];
      const api: ScenarioClient = {
        async call(args) {
          for (;;) {
            const o = await conn.send(args);
            if (!(flaws.followMoved && !o.ok && o.error.startsWith('MOVED '))) return o;
          }
        },
        pipeline: (cmds) => Promise.all(cmds.map((c) => conn.send(c))),
        async multi(cmds) {
          const outs = await Promise.all([['MULTI'], ...cmds, ['EXEC']].map((c) => conn.send(c)));
          return outs[outs.length - 1]!;
        },
        async subscribe(channel) {
          const sub = new RawConn(endpoint, {}, undefined);
          subs.push(sub);
          const messages: string[] = [];
          sub.onMessage = (r) => {
            const v = valOf(r.value);
            if (Array.isArray(v)) messages.push(String(v[2]));
          };
          sub.onReconnect = flaws.noResubscribe ? () => {} : () => void sub.send(['SUBSCRIBE', channel]);
          await sub.open();
          await sub.send(['SUBSCRIBE', channel]);
          const s: Subscription = { messages, close: async () => sub.close() };
          return s;
        },
        async close() {
          subs.forEach((s) => s.close());
          conn.close();
        },
      };
      return api;
    },
  };
}
