/**
 * Example cases: scripts of commands with the exact reply Valkey 9 gives to
 * each. A case runs on a freshly emptied server (FLUSHALL) over a new
 * connection per driver and protocol version.
 *
 *   example('append', 'APPEND creates, then extends', [
 *     [['APPEND', 'k', 'ab'], 2],
 *     [['APPEND', 'k', 'c'], 3],
 *     [['GET', 'k'], 'abc'],
 *   ]);
 *
 * Tags say what a case needs, so the same corpus runs anywhere (like
 * Valkey's `external:skip`):
 *   needs:virtual-clock  jumps time further than a real server can be waited on
 *   needs:faults         injects faults (mock only)
 *   needs:raw            drives the connection itself (HELLO, QUIT, RESET, CLIENT REPLY,
 *                        raw bytes), which a client library manages on its own
 *   resp:2 / resp:3      only meaningful in that protocol version
 */
import type { Expect } from '../expect.js';
import type { Arg } from '../drivers/driver.js';

export type Tag = 'needs:virtual-clock' | 'needs:faults' | 'needs:raw' | 'resp:2' | 'resp:3';

export type Step =
  /** A command and the reply it gets, on the default connection. */
  | readonly [readonly Arg[], Expect]
  | {
      readonly cmd: readonly Arg[];
      readonly expect: Expect;
      /** Another connection (opened on first use): 'b', 'c'... */
      readonly on?: string;
      /** Let this much time pass (elapse) after sending, before the reply: a blocking command's timeout. */
      readonly elapseDuring?: number;
    }
  /** Lets time pass for the server (virtual clock: advance; real server: sleep). */
  | { readonly elapse: number }
  /** Sends a command without waiting for its reply (a blocking command); `reply` collects it later. */
  | { readonly send: readonly Arg[]; readonly on?: string }
  /** The reply to the oldest command `send` left waiting on that connection. */
  | { readonly reply: Expect; readonly on?: string }
  /**
   * Raw bytes written as they are, and the replies expected (needs:raw);
   * with `thenClose`, the server must then close the connection.
   */
  | { readonly raw: string; readonly expectRaw: readonly Expect[]; readonly thenClose?: boolean };

export interface ExampleCase {
  readonly kind: 'example';
  /** Command group as Valkey names it ('string', 'sorted_set'). */
  readonly group: string;
  /** The commands under test, by full name ('append', 'client|list'): the rows of the report. */
  readonly commands: readonly string[];
  readonly name: string;
  readonly tags: readonly Tag[];
  readonly steps: readonly Step[];
}

export interface CaseOptions {
  tags?: readonly Tag[];
}

/** Builds example cases of one group. */
export function group(name: string): {
  cases: ExampleCase[];
  example(commands: string | readonly string[], title: string, steps: readonly Step[], opts?: CaseOptions): void;
} {
  const cases: ExampleCase[] = [];
  return {
    cases,
    example(commands, title, steps, opts = {}) {
      const cmds = typeof commands === 'string' ? [commands] : commands;
      let tags = [...(opts.tags ?? [])];
      if (steps.some((s) => !Array.isArray(s) && 'raw' in s) && !tags.includes('needs:raw')) tags = [...tags, 'needs:raw'];
      cases.push({ kind: 'example', group: name, commands: cmds, name: title, tags, steps });
    },
  };
}

export function stepCommand(s: Step): { cmd: readonly Arg[]; expect: Expect; on: string; elapseDuring: number } | undefined {
  if (Array.isArray(s)) return { cmd: s[0] as readonly Arg[], expect: s[1] as Expect, on: 'a', elapseDuring: 0 };
  const o = s as { cmd?: readonly Arg[]; expect?: Expect; on?: string; elapseDuring?: number };
  if (o.cmd) return { cmd: o.cmd, expect: o.expect as Expect, on: o.on ?? 'a', elapseDuring: o.elapseDuring ?? 0 };
  return undefined;
}
