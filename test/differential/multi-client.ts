/**
 * Multi-client scripts for the differential suites: the same script runs on
 * the oracle and the mock with clients a..d on each (blocking commands, wake
 * ups, disconnects), and every reply of every client is compared byte for byte.
 */
import { expect } from 'vitest';
import { encodeCommand, type Arg, type RawClient } from '../../conformance/targets/raw-client.js';
import type { RawReply } from '../../src/index.js';
import type { Differential } from './harness.js';

export type Who = 'a' | 'b' | 'c' | 'd';
/**
 * A step of a multi-client script: a command whose reply is awaited; `bg` a
 * command sent without waiting (it blocks); `wait` collects the oldest
 * pending reply of a client; `pending` records whether it is still pending;
 * `sleep` lets real time pass; `close` drops a connection.
 */
export type MStep =
  | readonly [Who, ...Arg[]]
  | { bg: Who; cmd: readonly Arg[] }
  | { pipe: Who; cmds: readonly (readonly Arg[])[] }
  | { wait: Who }
  | { pending: Who }
  | { sleep: number }
  | { close: Who }
  /** The next reply a client got unasked (a message, a push, SUBSCRIBE's further confirmations); `ms` bounds the wait. */
  | { read: Who; ms?: number };

/**
 * Runs the same script on the oracle and the mock, with clients a..d on each,
 * and compares every reply of every client byte for byte.
 */
/**
 * A named loosening: a connection the server closes is seen either as an
 * orderly end (FIN) or as a reset (ECONNRESET, EPIPE). The kernel sends a reset
 * when the server closes while bytes it has not read are still in its socket
 * buffer, so which of the two a client sees depends on timing, for the real
 * server as for ours. Both are "closed by the server".
 */
function failure(e: unknown): string {
  const m = (e as Error).message;
  return /ECONNRESET|EPIPE|connection closed/.test(m) ? 'closed by the server' : m;
}

export async function clients(dd: Differential, steps: readonly MStep[], resp: 2 | 3 = 2): Promise<void> {
  if (!dd.available) return;
  const run = async (which: 'oracle' | 'mock'): Promise<string[]> => {
    const cs = new Map<Who, RawClient>();
    const pendings = new Map<Who, { p: Promise<RawReply | RawReply[]>; done: boolean }[]>();
    const get = async (w: Who) => {
      let c = cs.get(w);
      if (!c) {
        c = await dd.connect(which, resp);
        cs.set(w, c);
        pendings.set(w, []);
      }
      return c;
    };
    const out: string[] = [];
    const timed = <T>(p: Promise<T>) => Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error('no reply')), 3000))]);
    try {
      const admin = await get('a');
      await admin.send(['FLUSHALL']);
      for (const s of steps) {
        if (Array.isArray(s)) {
          const [w, ...cmd] = s as [Who, ...Arg[]];
          const c = await get(w);
          try {
            out.push(`${w}: ${(await timed(c.send(cmd))).raw}`);
          } catch (e) {
            out.push(`${w}: <${failure(e)}>`);
          }
        } else if ('bg' in s) {
          const c = await get(s.bg);
          const entry = { p: c.send(s.cmd), done: false };
          entry.p.then(() => { entry.done = true; }, () => { entry.done = true; });
          pendings.get(s.bg)!.push(entry);
          await new Promise((r) => setTimeout(r, 40)); // let the server take it before the next step
        } else if ('pipe' in s) {
          const c = await get(s.pipe);
          const entry = { p: c.sendRawMany(Buffer.concat(s.cmds.map((x) => encodeCommand(x))), s.cmds.length), done: false };
          entry.p.then(() => { entry.done = true; }, () => { entry.done = true; });
          pendings.get(s.pipe)!.push(entry);
          await new Promise((r) => setTimeout(r, 40));
        } else if ('wait' in s) {
          const entry = pendings.get(s.wait)?.shift();
          if (!entry) out.push(`${s.wait}: <nothing pending>`);
          else {
            try {
              const r = await timed(entry.p);
              out.push(`${s.wait}: ${Array.isArray(r) ? r.map((x) => x.raw).join('') : r.raw}`);
            } catch (e) {
              out.push(`${s.wait}: <${failure(e)}>`);
            }
          }
        } else if ('pending' in s) {
          await new Promise((r) => setTimeout(r, 20));
          const entry = pendings.get(s.pending)?.[0];
          out.push(`${s.pending}: pending=${entry !== undefined && !entry.done}`);
        } else if ('read' in s) {
          const c = await get(s.read);
          try {
            out.push(`${s.read} read: ${(await c.read(s.ms ?? 1000)).raw}`);
          } catch (e) {
            out.push(`${s.read} read: <${failure(e)}>`);
          }
        } else if ('sleep' in s) {
          await new Promise((r) => setTimeout(r, s.sleep));
        } else if ('close' in s) {
          cs.get(s.close)?.close();
          cs.delete(s.close);
          await new Promise((r) => setTimeout(r, 30));
        }
      }
    } finally {
      for (const c of cs.values()) c.close();
    }
    return out;
  };
  const oracle = await run('oracle');
  const mock = await run('mock');
  expect(mock).toEqual(oracle);
}
