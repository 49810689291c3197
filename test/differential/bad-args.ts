/**
 * The bad-argument matrix: for every implemented command, scripts of wrong
 * calls generated from its metadata (src/meta), run on the oracle and on
 * valkey-double by test/differential/bad-args.test.ts.
 *
 * From a command's argument tree comes a base call: each required argument
 * with a plain sample value (keys k1, k2...; integers 1; doubles 1.5), each
 * optional one left out. The cases around it:
 * - arity: one argument too few, one too many (fixed arity);
 * - wrong type: each key holding a string, then a list;
 * - numbers: each integer, double or time argument replaced by a non-number
 *   or an out-of-range one (LLONG_MAX+1, -0, nan, inf...), with the keys
 *   absent and then holding the command group's type; likewise the numbers
 *   of each optional argument (EX seconds, LIMIT offset count...) added to
 *   the base call;
 * - options: an unknown option, each optional token given twice, each pair
 *   of alternatives of a one-of given together.
 *
 * The arity cases are safe for every command (Valkey rejects them before
 * running anything). The others run only for commands that cannot change the
 * server or the connection in ways later steps would see (`deepCases`).
 */
import { keyPositions, type ArgSpec, type CommandSpec } from '../../src/meta/index.js';
import type { Step } from './harness.js';

export interface Command {
  /** "get", "client|list" */
  fullname: string;
  spec: CommandSpec;
}

/** Out-of-range and malformed numbers. */
export const BAD_NUMBERS = ['abc', '', '9223372036854775808', '-9223372036854775809', '-0', 'nan', 'inf', '-inf', '1.5', '0x10', '1e3', ' 1', '+1'];

/**
 * Commands the deep cases leave out: they block, end or change the
 * connection (protocol, database, transaction, subscriptions, replies), or
 * reach outside it (replication, cluster, persistence, other clients).
 * Commands flagged admin or blocking are left out too.
 */
const SHALLOW_ONLY = new Set([
  'quit', 'reset', 'hello', 'auth', 'select', 'swapdb', 'move', 'multi', 'exec', 'discard', 'watch', 'unwatch',
  'subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe', 'monitor',
  'client|reply', 'client|tracking', 'client|caching', 'client|setname', 'client|setinfo', 'client|no-evict', 'client|no-touch',
  'client|kill', 'client|pause', 'client|unpause', 'client|unblock', 'client|capa', 'client|import-source',
  'wait', 'waitaof', 'migrate', 'readonly', 'readwrite', 'asking', 'shutdown', 'flushall', 'flushdb',
  'script|kill', 'function|kill', 'function|restore', 'function|flush', 'function|load', 'function|delete', 'script|flush',
  'debug', 'double.fault', 'double.clock', 'sync', 'psync', 'replconf', 'failover', 'replicaof', 'slaveof',
]);

/** Admin and ACL commands that only read, given the deep cases all the same. */
const READ_ONLY_ADMIN = new Set([
  'config|get', 'acl|getuser', 'acl|cat', 'acl|dryrun', 'acl|genpass', 'acl|log', 'acl|whoami', 'acl|list', 'acl|users',
  'client|list', 'client|info', 'client|getname', 'slowlog|get', 'slowlog|len', 'commandlog|get', 'commandlog|len',
  'latency|history', 'latency|latest', 'latency|histogram', 'latency|graph', 'latency|doctor',
]);

export function deepCases(c: Command): boolean {
  if (READ_ONLY_ADMIN.has(c.fullname)) return true;
  const f = c.spec.flags;
  if (f.includes('admin') || f.includes('blocking')) return false;
  if (c.fullname.startsWith('cluster') || c.fullname.startsWith('acl') || c.fullname.startsWith('config')) return false;
  return !SHALLOW_ONLY.has(c.fullname) && !SHALLOW_ONLY.has(c.fullname.split('|')[0]!);
}

/** A value of the command group's type at key `k`, to meet the type checks (bitmaps are strings). */
const GROUP_SETUP: Record<string, (k: string) => string[]> = {
  string: (k) => ['SET', k, '1'],
  bitmap: (k) => ['SET', k, '1'],
  list: (k) => ['RPUSH', k, '1', '2'],
  hash: (k) => ['HSET', k, 'f', '1'],
  set: (k) => ['SADD', k, '1', 'm'],
  sorted_set: (k) => ['ZADD', k, '1', 'm'],
  geo: (k) => ['GEOADD', k, '1', '1', 'm'],
  hyperloglog: (k) => ['PFADD', k, 'm'],
  stream: (k) => ['XADD', k, '1-1', 'f', 'v'],
};

const RELATIVE_TIMES = new Set(['milliseconds', 'seconds', 'ttl']);

interface Sample {
  argv: string[];
  /** argv indexes holding numbers. */
  numbers: number[];
}

/** The required part of an argument tree, with sample values. */
function sample(args: readonly ArgSpec[] | undefined, keys: { n: number }, out: Sample): void {
  for (const a of args ?? []) {
    if (a.flags?.includes('optional')) continue;
    one(a, keys, out);
  }
}

function one(a: ArgSpec, keys: { n: number }, out: Sample): void {
  if (a.token && a.type !== 'pure-token') out.argv.push(a.token);
  switch (a.type) {
    case 'pure-token': out.argv.push(a.token ?? a.name); break;
    case 'key': out.argv.push(`k${++keys.n}`); break;
    // Relative times long enough not to pass during the script; other integers 1 (counts, numkeys...).
    case 'integer': case 'unix-time': out.numbers.push(out.argv.length); out.argv.push(RELATIVE_TIMES.has(a.name) ? '100000' : '1'); break;
    case 'double': out.numbers.push(out.argv.length); out.argv.push('1.5'); break;
    case 'pattern': out.argv.push('*'); break;
    case 'oneof': if (a.arguments?.[0]) one(a.arguments[0], keys, out); break;
    case 'block': sample(a.arguments, keys, out); break;
    default: out.argv.push('v');
  }
}

function baseCall(c: Command): Sample {
  const prefix = c.fullname.split('|').map((s) => s.toUpperCase());
  const out: Sample = { argv: [...prefix], numbers: [] };
  sample(c.spec.arguments, { n: 0 }, out);
  return out;
}

/**
 * Commands whose successful replies are the process's own (ids, random art,
 * the allocator's statistics): compared by type only, or not at all.
 */
const OUTPUT_COMPARE: Record<string, Step['compare']> = {
  'client|id': { kind: 'sameType' },
  'acl|genpass': { kind: 'sameType' },
  // What the logs hold depends on how long commands took on each server.
  'slowlog|get': { kind: 'errors' },
  'commandlog|get': { kind: 'errors' },
  'slowlog|len': { kind: 'errors' },
  'commandlog|len': { kind: 'errors' },
  lolwut: { kind: 'ignore' },
  // Valkey's jemalloc statistics; valkey-double answers as Valkey built with libc malloc does.
  'memory|malloc-stats': { kind: 'ignore' },
};

/** How replies compare: commands with random output compare by type, unordered output as a multiset. */
function compareOf(fullname: string, spec: CommandSpec): Step['compare'] {
  const own = OUTPUT_COMPARE[fullname];
  if (own) return own;
  if (spec.tips.includes('nondeterministic_output')) return { kind: 'sameType' };
  if (spec.tips.includes('nondeterministic_output_order')) return { kind: 'unordered' };
  return { kind: 'exact' };
}

/** An optional argument's sample (keys beyond the base call's), with its number positions. */
const optionSample = (a: ArgSpec): Sample => {
  const s: Sample = { argv: [], numbers: [] };
  one(a, { n: 100 }, s);
  return s;
};

const tokensOf = (a: ArgSpec): string[] | undefined => {
  const s = optionSample(a);
  return s.argv.length > 0 ? s.argv : undefined;
};

/** The optional arguments that take numbers (EX seconds, LIMIT offset count...), one-of alternatives each on its own. */
function numericOptions(args: readonly ArgSpec[] | undefined): Sample[] {
  const out: Sample[] = [];
  for (const a of args ?? []) {
    if (!a.flags?.includes('optional')) continue;
    const alts = a.type === 'oneof' && a.arguments ? a.arguments : [a];
    for (const alt of alts) {
      const s = optionSample(alt);
      if (s.numbers.length > 0) out.push(s);
    }
  }
  return out;
}

/** The script of wrong calls for one command. */
export function badArgScript(c: Command): Step[] {
  const base = baseCall(c);
  const cmp = compareOf(c.fullname, c.spec);
  const steps: Step[] = [];
  const run = (argv: readonly string[]) => steps.push({ cmd: argv, compare: cmp });
  const arity = c.spec.arity;
  const need = Math.abs(arity);
  const pad = (argv: string[], n: number) => {
    const a = argv.slice(0, n);
    while (a.length < n) a.push('x');
    return a;
  };
  // Arity: one too few (when the command takes arguments; for a subcommand, not the bare
  // container, which is a call of its own), one too many (fixed arity).
  if (need >= (c.fullname.includes('|') ? 3 : 2)) run(pad(base.argv, need - 1));
  if (arity > 0) run(pad(base.argv, arity + 1));
  if (!deepCases(c)) return steps;

  let keys: number[] = [];
  try {
    keys = keyPositions(c.spec, base.argv).filter((p) => p < base.argv.length);
  } catch {
    keys = [];
  }
  const keyNames = [...new Set(keys.map((p) => base.argv[p]!))];
  const clear = () => { if (keyNames.length > 0) steps.push({ cmd: ['DEL', ...keyNames], compare: { kind: 'exact' } }); };
  const setup = GROUP_SETUP[c.spec.group];
  const fill = () => {
    clear();
    if (setup) for (const k of keyNames) steps.push({ cmd: setup(k), compare: { kind: 'exact' } });
  };

  // The base call, keys absent, then holding the group's type.
  clear();
  run(base.argv);
  // Wrong types: each key a string, then a list.
  for (const k of keyNames) {
    for (const make of [GROUP_SETUP['string']!, GROUP_SETUP['list']!]) {
      clear();
      steps.push({ cmd: make(k), compare: { kind: 'exact' } });
      run(base.argv);
    }
  }
  // Numbers: keys absent, then present.
  for (const withKeys of [false, true]) {
    if (withKeys && (!setup || keyNames.length === 0)) continue;
    for (const pos of base.numbers) {
      for (const bad of BAD_NUMBERS) {
        if (withKeys) fill();
        else clear();
        const argv = [...base.argv];
        argv[pos] = bad;
        run(argv);
      }
    }
  }
  // Numbers in options: keys holding the group's type.
  for (const opt of numericOptions(c.spec.arguments)) {
    for (const pos of opt.numbers) {
      for (const bad of BAD_NUMBERS) {
        fill();
        const argv = [...opt.argv];
        argv[pos] = bad;
        run([...base.argv, ...argv]);
      }
    }
  }
  // Options: unknown, repeated, mutually exclusive.
  fill();
  run([...base.argv, 'NOSUCHOPT']);
  for (const a of c.spec.arguments ?? []) {
    if (!a.flags?.includes('optional')) continue;
    const t = tokensOf(a);
    if (t && (a.token || a.type === 'oneof' || a.type === 'pure-token')) {
      fill();
      run([...base.argv, ...t, ...t]);
    }
    if (a.type === 'oneof' && a.arguments && a.arguments.length >= 2) {
      for (let i = 0; i + 1 < a.arguments.length; i++) {
        const x = tokensOf(a.arguments[i]!);
        const y = tokensOf(a.arguments[i + 1]!);
        if (!x || !y) continue;
        fill();
        run([...base.argv, ...x, ...y]);
      }
    }
  }
  clear();
  return steps;
}
