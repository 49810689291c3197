/**
 * COMMAND and its subcommands against a real Valkey 9: every command's INFO
 * and DOCS entry byte for byte (containers, whose subcommands come in hash
 * order, as multisets), the whole-table replies as multisets, COMMAND LIST
 * filters, lookups by full name, and COMMAND GETKEYS / GETKEYSANDFLAGS for
 * every command of the table with argument lists generated from its grammar.
 */
import { describe, test } from 'vitest';
import { COMMAND_SPECS, type ArgSpec, type CommandSpec } from '../../src/meta/index.js';
import { unordered, useDifferential, type StepLike } from './harness.js';

/** Every command and subcommand: [full name, spec, argv prefix]. */
const ALL: readonly (readonly [string, CommandSpec, readonly string[]])[] = COMMAND_SPECS.flatMap((s) => [
  [s.name, s, [s.name.toUpperCase()]] as const,
  ...(s.subcommands ?? []).map((sub) => [`${s.name}|${sub.name}`, sub, [s.name.toUpperCase(), sub.name.toUpperCase()]] as const),
]);

const isContainer = (spec: CommandSpec) => (spec.subcommands?.length ?? 0) > 0;

type Mode = 'min' | 'full' | 'alt';

/** An argument list for a command's grammar: required arguments only, everything, or everything with the other choices. */
function generate(args: readonly ArgSpec[] | undefined, mode: Mode): string[] {
  const out: string[] = [];
  let n = 0;
  const value = (a: ArgSpec): string[] => {
    switch (a.type) {
      case 'key': return [`key${++n}`];
      case 'integer': return [mode === 'min' ? '1' : '2'];
      case 'double': return ['1.5'];
      case 'unix-time': return ['1700000000'];
      case 'pattern': return ['*'];
      case 'pure-token': return [];
      case 'oneof': {
        const subs = a.arguments ?? [];
        const pick = mode === 'alt' ? subs[subs.length - 1] : subs[0];
        return pick ? one(pick) : [];
      }
      case 'block': return walk(a.arguments ?? []);
      default: return [`v${++n}`];
    }
  };
  const one = (a: ArgSpec): string[] => (a.token !== undefined ? [a.token, ...value(a)] : value(a));
  const walk = (list: readonly ArgSpec[]): string[] => {
    const r: string[] = [];
    for (const a of list) {
      if (a.flags?.includes('optional') && mode === 'min') continue;
      const times = a.flags?.includes('multiple') && mode !== 'min' ? 2 : 1;
      if (a.flags?.includes('multiple') && !a.flags.includes('multiple_token') && a.token !== undefined) {
        r.push(a.token);
        for (let i = 0; i < times; i++) r.push(...value(a));
      } else {
        for (let i = 0; i < times; i++) r.push(...one(a));
      }
    }
    return r;
  };
  out.push(...walk(args ?? []));
  return out;
}

describe('COMMAND introspection', () => {
  const d = useDifferential();

  test('COMMAND COUNT, HELP and errors', () =>
    d.check([
      ['COMMAND', 'COUNT'], ['COMMAND', 'HELP'], ['command', 'help'], ['COMMAND', 'NOSUCH'], ['COMMAND', 'COUNT', 'x'],
      ['COMMAND', 'HELP', 'x'], ['COMMAND', 'GETKEYS'], ['COMMAND', 'GETKEYSANDFLAGS'],
    ]));

  test('COMMAND, COMMAND INFO and COMMAND DOCS without names: the whole table (hash order: compared as multisets)', () =>
    d.check([unordered('COMMAND'), unordered('COMMAND', 'INFO'), unordered('COMMAND', 'DOCS')]));

  test('COMMAND INFO of every command and subcommand', () =>
    d.check(ALL.map(([name, spec]): StepLike => (isContainer(spec) ? unordered('COMMAND', 'INFO', name) : ['COMMAND', 'INFO', name]))));

  test('COMMAND DOCS of every command and subcommand', () =>
    d.check(ALL.map(([name, spec]): StepLike => (isContainer(spec) ? unordered('COMMAND', 'DOCS', name) : ['COMMAND', 'DOCS', name]))));

  test('COMMAND INFO and DOCS by name: case, unknown names, malformed full names', () =>
    d.check([
      ['COMMAND', 'INFO', 'GET', 'Set', 'nosuch', 'CLIENT|LIST', 'client|nosuch', 'get|', 'get|x', '|get', '', 'config|get|x', 'client|'],
      ['COMMAND', 'DOCS', 'GET', 'nosuch', 'object|ENCODING', 'get|x', ''],
      ['COMMAND', 'DOCS', 'get', 'get'],
      ['COMMAND', 'DOCS', 'nosuch'],
      ['COMMAND', 'INFO', 'nosuch'],
      ['COMMAND', 'INFO', 'multi', 'exec', 'watch'],
    ]));

  test('COMMAND LIST with and without filters', () =>
    d.check([
      unordered('COMMAND', 'LIST'),
      unordered('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'read'),
      unordered('COMMAND', 'LIST', 'filterby', 'aclcat', 'TRANSACTION'),
      unordered('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nosuchcategory'),
      unordered('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'x*'),
      unordered('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'CLIENT|*'),
      unordered('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', '*get*'),
      unordered('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', '[a-c]?'),
      unordered('COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'nosuchmodule'),
      ['COMMAND', 'LIST', 'FILTERBY'],
      ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN'],
      ['COMMAND', 'LIST', 'FILTERBY', 'NOSUCH', 'x'],
      ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'a', 'b'],
      ['COMMAND', 'LIST', 'NOSUCH'],
      ['COMMAND', 'LIST', 'PATTERN', 'x'],
    ]));

  test('COMMAND GETKEYS errors', () =>
    d.check([
      ['COMMAND', 'GETKEYS', 'NOSUCH', 'a'], ['COMMAND', 'GETKEYS', 'CLIENT', 'NOSUCH'], ['COMMAND', 'GETKEYS', 'PING'],
      ['COMMAND', 'GETKEYS', 'CLIENT'], ['COMMAND', 'GETKEYS', 'CLIENT', 'LIST'], ['COMMAND', 'GETKEYS', 'GET'],
      ['COMMAND', 'GETKEYS', 'GET', 'a', 'b'], ['COMMAND', 'GETKEYS', 'OBJECT', 'ENCODING'], ['COMMAND', 'GETKEYS', 'SPUBLISH', 'c', 'm'],
      ['COMMAND', 'GETKEYS', 'ZUNIONSTORE', 'd', '3', 'a', 'b'], ['COMMAND', 'GETKEYS', 'EVAL', 's', '0'],
      ['COMMAND', 'GETKEYS', 'EVAL', 's', 'x', 'a'], ['COMMAND', 'GETKEYS', 'MIGRATE', 'h', '1', 'k', '0', '10', 'KEYS', 'a'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'NOSUCH'], ['COMMAND', 'GETKEYSANDFLAGS', 'FCALL', 'f', '0'],
    ]));

  test('COMMAND GETKEYSANDFLAGS: key specs, keywords, keynum, getkeys functions', () =>
    d.check([
      ['SET', 'k', 'v'], ['SET', 'k', 'v', 'GET'], ['SET', 'k', 'v', 'EX', '1', 'get'], ['SET', 'k', 'v', 'get\0x'],
      ['EVAL', 's', '2', 'a', 'b', 'c'], ['EVAL', 's', '3', 'a'], ['EVAL', 's', '-1', 'a'], ['EVAL', 's', '4294967297', 'a'],
      ['EVAL', 's', '01', 'a'], ['EVAL', 's', ' 1', 'a'], ['EVAL', 's', '+1', 'a'], ['EVAL', 's', '99999999999', 'a'],
      ['ZUNIONSTORE', 'd', '2', 'a', 'b'], ['ZUNIONSTORE', 'd', '0', 'a'], ['ZINTER', '2', 'a', 'b', 'WEIGHTS', '1', '2'],
      ['XREAD', 'STREAMS', 'a', 'b', '1', '2'], ['XREAD', 'COUNT', '1', 'STREAMS', 'a', '1'], ['XREAD', 'STREAMS', 'a', 'b', '1'],
      ['XREAD', 'BLOCK', '0', 'STREAMS', 'STREAMS', 's', '0', '0'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', '1'],
      ['XREADGROUP', 'GROUP', 'g', 'STREAMS', 'STREAMS', 'a', '1', '2'],
      ['SORT', 'k'], ['SORT', 'k', 'STORE', 'd'], ['SORT', 'k', 'BY', 'store', 'STORE', 'd', 'STORE', 'e'], ['SORT', 'k', 'LIMIT', '0', '1', 'STORE'],
      ['SORT_RO', 'k', 'BY', 'x'],
      ['MIGRATE', 'h', '1', 'k', '0', '10'], ['MIGRATE', 'h', '1', '', '0', '10', 'KEYS', 'a', 'b'],
      ['MIGRATE', 'h', '1', '', '0', '10', 'AUTH', 'KEYS', 'KEYS', 'a'], ['MIGRATE', 'h', '1', '', '0', '10', 'COPY', 'REPLACE', 'AUTH2', 'u', 'p', 'KEYS', 'x'],
      ['GEORADIUS', 'k', '0', '0', '1', 'm', 'STORE', 'd', 'STOREDIST', 'e'], ['GEORADIUSBYMEMBER', 'k', 'm', '1', 'm', 'STOREDIST', 'd'],
      ['BITFIELD', 'k', 'GET', 'u8', '0'], ['BITFIELD', 'k', 'SET', 'u8', '0', '1'], ['BITFIELD', 'k'], ['BITFIELD', 'k', 'GET', 'u8'],
      ['LMPOP', '2', 'a', 'b', 'LEFT'], ['BLMPOP', '0', '2', 'a', 'b', 'LEFT'], ['BZMPOP', '0', '1', 'a', 'MIN'], ['SINTERCARD', '2', 'a', 'b'],
      ['MSET', 'a', '1', 'b'], ['MSETEX', '2', 'a', '1', 'b'], ['SMOVE', 'a', 'b', 'm'], ['OBJECT', 'ENCODING', 'k'], ['XINFO', 'STREAM', 's'],
      ['BITOP', 'AND', 'd', 'a', 'b'], ['GEOSEARCHSTORE', 'd', 's', 'FROMMEMBER', 'm', 'BYRADIUS', '1', 'm'],
    ].flatMap((argv) => [['COMMAND', 'GETKEYS', ...argv], ['COMMAND', 'GETKEYSANDFLAGS', ...argv]])));

  // One check per group of commands keeps failures readable.
  const groups = new Map<string, (typeof ALL)[number][]>();
  for (const entry of ALL) {
    const g = entry[1].group;
    groups.set(g, [...(groups.get(g) ?? []), entry]);
  }
  for (const [group, entries] of groups) {
    test(`COMMAND GETKEYS / GETKEYSANDFLAGS for every ${group} command, with generated arguments`, () => {
      const steps: StepLike[] = [];
      for (const [, spec, prefix] of entries) {
        const lists = new Set<string>();
        for (const mode of ['min', 'full', 'alt'] as const) {
          const argv = [...prefix, ...generate(spec.arguments, mode)];
          lists.add(JSON.stringify(argv));
          if (argv.length > prefix.length) lists.add(JSON.stringify(argv.slice(0, -1))); // one argument short
        }
        for (const l of lists) {
          const argv = JSON.parse(l) as string[];
          steps.push(['COMMAND', 'GETKEYS', ...argv], ['COMMAND', 'GETKEYSANDFLAGS', ...argv]);
        }
      }
      return d.check(steps);
    });
  }
});
