/**
 * MONITOR (Valkey's replicationFeedMonitors): every command a client runs,
 * as one status line per command to each monitoring client:
 * `+<sec>.<usec> [<db> <addr>] "arg" "arg"...`, arguments quoted as
 * sdscatrepr does, passwords shown as "(redacted)".
 */
import { R, type Bytes } from '../protocol/index.js';
import type { Client } from './client.js';

/** sdscatrepr: a double-quoted string with C escapes; bytes outside isprint as \xhh. */
export function catRepr(s: Bytes): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (c >= 0x20 && c <= 0x7e) out += ch;
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return out + '"';
}

/** One monitor line for `argv`, run by `c` in `db` (`lua` for commands a script runs). */
export function monitorLine(nowUs: number, c: Client, db: number, argv: readonly Bytes[], lua: boolean): string {
  const sec = Math.floor(nowUs / 1e6);
  const usec = Math.floor(nowUs - sec * 1e6);
  const where = lua ? `[${db} lua]` : `[${db} ${c.conn.addr}]`;
  // The arguments the command itself marked (redactClientCommandArgument), as Valkey's monitor feed shows them.
  const args = argv.map((a, j) => (j > 0 && c.redacted.has(j) ? '"(redacted)"' : catRepr(a))).join(' ');
  return `${sec}.${String(usec).padStart(6, '0')} ${where} ${args}`;
}

/** Feeds a command to every monitor. */
export function feedMonitors(monitors: Iterable<Client>, push: (m: Client, r: ReturnType<typeof R.simple>) => void, line: string): void {
  const r = R.simple(line);
  for (const m of monitors) push(m, r);
}
