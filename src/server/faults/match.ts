/**
 * What a fault rule matches: a request's node, connection, command and keys.
 * Strings are Valkey glob patterns (`*`, `?`, `[a-z]`); a RegExp, a
 * `{ regex }` object (for rules sent as JSON) or a predicate also work.
 */
import { globMatch } from '../../engine/keyspace/glob.js';
import { arityOk, COMMAND_SPECS, getKeysFromCommand, type CommandSpec } from '../../meta/index.js';
import type { Bytes } from '../../protocol/index.js';

export type TextMatcher = string | RegExp | { regex: string; flags?: string } | ((s: string) => boolean);

/** Which connections a rule applies to; every given field must match. */
export interface ConnectionMatch {
  /** CLIENT SETNAME name (glob). A connection without a name has the name "". */
  name?: TextMatcher;
  /** Client id (CLIENT ID), or one of several. */
  id?: number | readonly number[];
  /** CLIENT SETINFO LIB-NAME (glob). */
  lib?: TextMatcher;
  /** The client's address "ip:port" (glob). */
  addr?: TextMatcher;
}

/** Which requests a rule applies to; every given field must match. */
export interface FaultMatch {
  /**
   * The node that serves the request: its name ("host:port" of a single server,
   * or the name given in the server's `faults.node` option). Clusters will name their nodes.
   */
  node?: TextMatcher;
  /**
   * The command: a name or glob, case-insensitive ("GET", "H*"); a subcommand as
   * "CLIENT SETNAME" or "client|setname"; a container name ("CLIENT") matches all of
   * its subcommands. An array matches any of its names.
   */
  command?: TextMatcher | readonly string[];
  /** One of the command's keys (found with the command's key specs, as COMMAND GETKEYS does). */
  key?: TextMatcher;
  client?: ConnectionMatch;
  /** Any test of the whole argv (name first). Not available over the wire. */
  args?: (argv: readonly Bytes[]) => boolean;
  /** Fires from the nth matching request on (1 = the first, the default); with times(1), on the nth only. */
  nth?: number;
  /** Fires on a matching request with this probability, drawn from the faults' seeded generator. */
  probability?: number;
}

/** A compiled text test. */
export type TextTest = (s: string) => boolean;

export function compileText(m: TextMatcher, nocase = false): TextTest {
  if (typeof m === 'function') return m;
  if (m instanceof RegExp) return (s) => { m.lastIndex = 0; return m.test(s); };
  if (typeof m === 'object' && m !== null && typeof m.regex === 'string') {
    const re = new RegExp(m.regex, m.flags);
    return (s) => { re.lastIndex = 0; return re.test(s); };
  }
  if (typeof m !== 'string') throw new TypeError(`not a pattern: ${JSON.stringify(m)}`);
  const p = m;
  if (!/[*?[\\]/.test(p)) return nocase ? (s) => s.length === p.length && s.toLowerCase() === p.toLowerCase() : (s) => s === p;
  return (s) => globMatch(p, s, nocase);
}

/** A command's spec and full name ("client|setname"), from the Valkey 9 metadata. */
export interface CommandInfo {
  name: string;
  base: string;
  spec: CommandSpec | undefined;
}

const TOP = new Map<string, CommandSpec>(COMMAND_SPECS.map((s) => [s.name, s]));
const SUBS = new Map<CommandSpec, Map<string, CommandSpec>>();

export function commandInfo(argv: readonly Bytes[]): CommandInfo {
  const base = (argv[0] ?? '').toLowerCase();
  const spec = TOP.get(base);
  if (!spec?.subcommands || argv.length < 2) return { name: base, base, spec };
  let subs = SUBS.get(spec);
  if (!subs) {
    subs = new Map(spec.subcommands.map((s) => [s.name, s]));
    SUBS.set(spec, subs);
  }
  const subName = argv[1]!.toLowerCase();
  const sub = subs.get(subName);
  return { name: `${base}|${subName}`, base, spec: sub };
}

/** The keys of a request, by its key specs; none for an unknown command or a wrong arity. */
export function requestKeys(info: CommandInfo, argv: readonly Bytes[]): Bytes[] {
  const spec = info.spec;
  if (!spec || !arityOk(spec.arity, argv.length)) return [];
  try {
    return getKeysFromCommand(spec, argv).map((k) => argv[k.pos]!);
  } catch {
    return [];
  }
}

/** The request as a rule sees it. Keys are found only when a rule asks for them. */
export interface RequestView {
  node: string;
  argv: readonly Bytes[];
  info: CommandInfo;
  keys(): Bytes[];
  client: { id: number; name: string; lib: string; addr: string };
}

/** A FaultMatch compiled into one predicate (nth and probability are the rule's business). */
export function compileMatch(m: FaultMatch): (r: RequestView) => boolean {
  const tests: ((r: RequestView) => boolean)[] = [];
  if (m.node !== undefined) {
    const t = compileText(m.node);
    tests.push((r) => t(r.node));
  }
  if (m.command !== undefined) {
    const list = Array.isArray(m.command) ? (m.command as readonly string[]) : [m.command as TextMatcher];
    const ts = list.map((c) => compileText(typeof c === 'string' ? c.trim().replace(/\s+/g, '|').toLowerCase() : c, true));
    tests.push((r) => ts.some((t) => t(r.info.name) || (r.info.name !== r.info.base && t(r.info.base))));
  }
  if (m.key !== undefined) {
    const t = compileText(m.key);
    tests.push((r) => r.keys().some(t));
  }
  const c = m.client;
  if (c) {
    if (c.id !== undefined) {
      const ids = typeof c.id === 'number' ? [c.id] : c.id;
      tests.push((r) => ids.includes(r.client.id));
    }
    if (c.name !== undefined) {
      const t = compileText(c.name);
      tests.push((r) => t(r.client.name));
    }
    if (c.lib !== undefined) {
      const t = compileText(c.lib);
      tests.push((r) => t(r.client.lib));
    }
    if (c.addr !== undefined) {
      const t = compileText(c.addr);
      tests.push((r) => t(r.client.addr));
    }
  }
  if (m.args) {
    const f = m.args;
    tests.push((r) => f(r.argv));
  }
  return (r) => tests.every((t) => t(r));
}

/** The connection part only (accepting or pausing a connection, pushing to it). */
export function compileConnectionMatch(node: TextMatcher | undefined, c: ConnectionMatch | undefined): (node: string, client: RequestView['client']) => boolean {
  const m = compileMatch({ ...(node !== undefined ? { node } : {}), ...(c ? { client: c } : {}) });
  const info: CommandInfo = { name: '', base: '', spec: undefined };
  return (n, client) => m({ node: n, argv: [], info, keys: () => [], client });
}
