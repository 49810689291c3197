/**
 * An engine on a VirtualClock with in-memory clients, for handler unit tests:
 * no socket, replies encoded as the wire would carry them.
 */
import { encode, type Reply } from '../../src/protocol/index.js';
import { VirtualClock } from '../../src/time/index.js';
import type { Client } from '../../src/engine/client.js';
import { BLOCKED } from '../../src/engine/command.js';
import { Engine } from '../../src/engine/engine.js';

export const T0 = 1_700_000_000_000;

export interface BenchOptions {
  /** Keyspace event classes left out of `events` ('m' keymiss, 'n' new...). */
  skipEventClasses?: readonly string[];
}

export function engineBench(opts: BenchOptions = {}) {
  const skip = new Set(opts.skipEventClasses ?? ['m']);
  const clock = new VirtualClock({ start: T0 });
  const engine = new Engine({ clock });
  const delivered = new Map<Client, string[]>();
  const connect = (resp: 2 | 3 = 2) => {
    const box: string[] = [];
    const c = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:6379', fd: 7 }, {
      deliver: (r: Reply) => box.push(encode(r, c.resp)),
      close() {},
    });
    c.resp = resp;
    delivered.set(c, box);
    return c;
  };
  const main = connect();
  /** Runs a command; the encoded reply, or 'BLOCKED'. */
  const exec = (c: Client, ...argv: string[]): string => {
    const r = engine.execute(c, argv);
    if (r === BLOCKED) return 'BLOCKED';
    if (r === undefined) throw new Error(`${argv.join(' ')}: no reply`);
    return encode(r, c.resp);
  };
  const run = (...argv: string[]) => exec(main, ...argv);
  /** Keyspace events as "event key", in order. */
  const events: string[] = [];
  engine.onKeyspaceEvent((cls, ev, key) => {
    if (!skip.has(cls)) events.push(`${ev} ${key}`);
  });
  /** Replies delivered later to a client (a blocked command ending). */
  const later = (c: Client) => delivered.get(c)!;
  return { clock, engine, main, connect, exec, run, events, later };
}
