import { describe, expect, test } from 'vitest';
import { COMMAND_SPECS } from '../meta/index.js';
import { encode } from '../protocol/index.js';
import { VirtualClock } from '../time/index.js';
import { Engine } from './engine.js';
import { buildCommandTable, commandCoverage, lookupCommand, lookupCommandByName } from './registry.js';

const engine = new Engine({ clock: new VirtualClock({ start: 1_700_000_000_000 }) });

/** Every full name of the metadata: commands without subcommands, and subcommands. */
const LEAVES = COMMAND_SPECS.flatMap((s) => (s.subcommands?.length ? s.subcommands.map((sub) => `${s.name}|${sub.name}`) : [s.name]));

describe('command coverage', () => {
  const cov = commandCoverage(engine.commands);

  test('implemented and missing partition the metadata', () => {
    const leaves = new Set(LEAVES);
    for (const name of cov.missing) expect(leaves.has(name), name).toBe(true);
    for (const name of cov.implemented) {
      // A container appears itself only when it also runs bare (COMMAND).
      if (!leaves.has(name)) expect(engine.commands.get(name)?.subcommands, name).toBeDefined();
    }
    const covered = new Set([...cov.implemented, ...cov.missing]);
    for (const name of LEAVES) expect(covered.has(name), name).toBe(true);
    expect(cov.implemented.filter((n) => cov.missing.includes(n))).toEqual([]);
  });

  test('what coverage calls missing answers "not implemented", what it calls implemented does not', () => {
    const client = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:2', fd: 1 }, { deliver() {}, close() {} });
    const argvFor = (fullname: string): string[] => {
      const [base, sub] = fullname.split('|') as [string, string | undefined];
      const entry = sub ? engine.commands.get(base)!.subcommands!.get(sub)! : engine.commands.get(base)!;
      const argv = sub ? [base, sub] : [base];
      while (argv.length < Math.abs(entry.spec.arity)) argv.push('x');
      return argv;
    };
    for (const name of cov.missing) {
      const r = engine.execute(client, argvFor(name));
      expect(r && typeof r === 'object' ? encode(r, 2) : r, name).toBe(`-ERR command '${name}' is not implemented by valkey-double yet\r\n`);
    }
    for (const name of cov.implemented) {
      const entry = lookupCommand(engine.commands, name.split('|'));
      expect(entry?.run, name).toBeDefined();
    }
  });

  test('the transaction and introspection commands are implemented', () => {
    for (const name of ['multi', 'exec', 'discard', 'watch', 'unwatch', 'command', 'command|count', 'command|list', 'command|info',
      'command|docs', 'command|getkeys', 'command|getkeysandflags', 'command|help']) {
      expect(cov.implemented, name).toContain(name);
    }
  });
});

describe('buildCommandTable', () => {
  test('a handler for a name Valkey does not have, or a handler given twice, is refused', () => {
    expect(() => buildCommandTable([{ nosuchcommand: () => ({ t: 'simple', v: 'OK' }) }])).toThrow(/matches no command/);
    const h = () => ({ t: 'simple', v: 'OK' }) as const;
    expect(() => buildCommandTable([{ get: h }, { get: h }])).toThrow(/implemented twice/);
  });
});

describe('lookupCommandByName (COMMAND INFO / DOCS names)', () => {
  const t = engine.commands;
  test.each([
    ['get', 'get'], ['GET', 'get'], ['client|list', 'client|list'], ['CLIENT|List', 'client|list'], ['client', 'client'],
    ['get|', undefined], ['get|x', undefined], ['client|nosuch', undefined], ['client|', undefined], ['|get', undefined],
    ['', undefined], ['config|get|x', undefined], ['nosuch', undefined],
  ])('%j', (name, expected) => {
    expect(lookupCommandByName(t, name)?.fullname).toBe(expected);
  });
});
