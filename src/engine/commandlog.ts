/**
 * The command log (Valkey's commandlog.c): the latest commands that ran
 * slower than a threshold, or whose request or reply was larger than one.
 * SLOWLOG is the `slow` type under its old name.
 *
 * Execution times come from the engine's clock: on a VirtualClock a command
 * takes no time unless the test makes it so (DEBUG SLEEP, a fault delay).
 */
import type { Bytes } from '../protocol/index.js';
import type { Client } from './client.js';
import type { Config } from './config.js';

export type CommandLogType = 'slow' | 'large-request' | 'large-reply';

export const COMMANDLOG_TYPES: readonly CommandLogType[] = ['slow', 'large-request', 'large-reply'];

/** COMMANDLOG_ENTRY_MAX_ARGC and COMMANDLOG_ENTRY_MAX_STRING. */
const MAX_ARGC = 32;
const MAX_STRING = 128;

/** What Valkey writes in place of an argument a command marked sensitive (shared.redacted). */
export const REDACTED = '(redacted)';

export interface CommandLogEntry {
  readonly id: number;
  /** Unix seconds. */
  readonly time: number;
  /** Microseconds (slow) or bytes (large-request, large-reply). */
  readonly value: number;
  readonly argv: readonly Bytes[];
  readonly peer: string;
  readonly name: Bytes;
}

/** The configuration names of each type: [threshold, max-len]. */
const CONFIG: Record<CommandLogType, readonly [string, string]> = {
  slow: ['commandlog-execution-slower-than', 'commandlog-slow-execution-max-len'],
  'large-request': ['commandlog-request-larger-than', 'commandlog-large-request-max-len'],
  'large-reply': ['commandlog-reply-larger-than', 'commandlog-large-reply-max-len'],
};

/** One command's figures, as call() measured them. */
export interface CommandMeasure {
  readonly durationUs: number;
  readonly requestBytes: number;
  readonly replyBytes: number;
}

export class CommandLog {
  /** Newest first, as Valkey's list (listAddNodeHead). */
  private readonly entries: Record<CommandLogType, CommandLogEntry[]> = { slow: [], 'large-request': [], 'large-reply': [] };
  private readonly nextId: Record<CommandLogType, number> = { slow: 0, 'large-request': 0, 'large-reply': 0 };

  /** [threshold, max-len] per type, kept current by CONFIG SET (read on every command). */
  private readonly limits: Record<CommandLogType, { threshold: number; maxLen: number }>;

  constructor(config: Config) {
    const names = Object.values(CONFIG).flat();
    this.limits = config.live(names, (cfg) => {
      const l = (type: CommandLogType) => ({ threshold: cfg.getInt(CONFIG[type][0]), maxLen: cfg.getInt(CONFIG[type][1]) });
      return { slow: l('slow'), 'large-request': l('large-request'), 'large-reply': l('large-reply') };
    });
  }

  /**
   * commandlogPushCurrentCommand: `client` ran `argv` (its arguments marked
   * for redaction in `redacted`); `caller` is the connection the entry names
   * (the script's caller for a command run from a script).
   */
  push(client: Client, caller: Client, argv: readonly Bytes[], m: CommandMeasure, nowMs: number): void {
    this.pushIfNeeded('slow', client, caller, argv, m.durationUs, nowMs);
    this.pushIfNeeded('large-request', client, caller, argv, m.requestBytes, nowMs);
    this.pushIfNeeded('large-reply', client, caller, argv, m.replyBytes, nowMs);
  }

  /** A type records anything at all: threshold not -1 and a non-zero length. */
  enabled(type: CommandLogType): boolean {
    const l = this.limits[type];
    return l.threshold >= 0 && l.maxLen !== 0;
  }

  private pushIfNeeded(type: CommandLogType, client: Client, caller: Client, argv: readonly Bytes[], value: number, nowMs: number): void {
    if (!this.enabled(type)) return;
    const { threshold, maxLen } = this.limits[type];
    const list = this.entries[type];
    if (value >= threshold) {
      list.unshift({
        id: this.nextId[type]++,
        time: Math.floor(nowMs / 1000),
        value: Math.floor(value),
        argv: loggedArgv(argv, client.redacted),
        peer: caller.conn.addr,
        name: caller.name,
      });
    }
    if (list.length > maxLen) list.length = maxLen;
  }

  /** The newest `count` entries (all of them when count exceeds the length). */
  get(type: CommandLogType, count: number): readonly CommandLogEntry[] {
    return this.entries[type].slice(0, count);
  }

  len(type: CommandLogType): number {
    return this.entries[type].length;
  }

  reset(type: CommandLogType): void {
    this.entries[type].length = 0;
  }
}

/** net_input_bytes_curr_cmd for a request of `argv` sent as a RESP multibulk (how clients send commands). */
export function requestLength(argv: readonly Bytes[]): number {
  let n = digits(argv.length) + 3;
  for (const a of argv) n += digits(a.length) + a.length + 5;
  return n;
}

/** The decimal digits of a length (String(n).length without making the string: this runs for every request). */
function digits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/**
 * commandlogCreateEntry's copy of the arguments: at most 32 (the last one
 * then says how many more there were), each at most 128 bytes, redacted
 * arguments replaced.
 */
function loggedArgv(argv: readonly Bytes[], redacted: ReadonlySet<number>): Bytes[] {
  const argc = Math.min(argv.length, MAX_ARGC);
  const out: Bytes[] = [];
  for (let j = 0; j < argc; j++) {
    if (argc !== argv.length && j === argc - 1) {
      out.push(`... (${argv.length - argc + 1} more arguments)`);
    } else if (isRedacted(redacted, j)) {
      out.push(REDACTED);
    } else {
      const a = argv[j]!;
      out.push(a.length > MAX_STRING ? `${a.slice(0, MAX_STRING)}... (${a.length - MAX_STRING} more bytes)` : a);
    }
  }
  return out;
}

/**
 * clientCommandArgShouldBeRedacted: the command name never is; an index of
 * 32 or more is redacted when any argument from 32 on was (Valkey's bitmap
 * keeps one sentinel bit for all of them).
 */
function isRedacted(redacted: ReadonlySet<number>, j: number): boolean {
  if (j < 1) return false;
  if (j >= 32) {
    for (const i of redacted) if (i >= 32) return true;
    return false;
  }
  return redacted.has(j);
}
