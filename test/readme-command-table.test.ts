/**
 * README.md's command table is generated from the registry
 * (scripts/gen-command-table.ts, `npm run gen:readme`). This suite fails when
 * the committed table no longer matches what is registered, and checks the
 * generator itself on small hand-built tables.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  coverageByGroup, displayName, END_MARKER, README_PATH, renderCommandTable, replaceSection, START_MARKER,
} from '../scripts/gen-command-table.js';
import { ALL_GROUPS } from '../src/engine/commands/index.js';
import { R } from '../src/protocol/index.js';
import { buildCommandTable, commandCoverage } from '../src/engine/registry.js';
import type { CommandGroup } from '../src/engine/command.js';

const ok: CommandGroup[string] = () => R.ok;

describe('README.md command table', () => {
  test('matches the registry (run npm run gen:readme when this fails)', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    const start = readme.indexOf(START_MARKER);
    const end = readme.indexOf(END_MARKER);
    expect(start, 'README.md has no command-table start marker').toBeGreaterThanOrEqual(0);
    expect(end, 'README.md has no command-table end marker after the start marker').toBeGreaterThan(start);
    const committed = readme.slice(start + START_MARKER.length + 1, end);
    expect(committed, 'README.md command table is stale: run npm run gen:readme').toBe(renderCommandTable());
  });

  test('every registered command is counted once, in its Valkey group', () => {
    const table = buildCommandTable(ALL_GROUPS);
    const groups = coverageByGroup(table);
    const { implemented, missing } = commandCoverage(table);
    expect(groups.flatMap((g) => g.implemented).sort()).toEqual([...implemented].sort());
    expect(groups.flatMap((g) => g.missing).sort()).toEqual([...missing].sort());
    expect(new Set(groups.map((g) => g.group)).size).toBe(groups.length);
    const hash = groups.find((g) => g.group === 'hash')!;
    expect(hash.implemented).toContain('hsetex');
    const server = groups.find((g) => g.group === 'server')!;
    expect(server.implemented).toContain('config|get'); // a subcommand sits in its own metadata group
  });
});

describe('the generator', () => {
  const table = buildCommandTable([{ get: ok, 'client|list': ok, command: ok, 'command|count': ok, 'object|encoding': ok }]);
  const byName = new Map(coverageByGroup(table).map((g) => [g.group, g]));

  test('splits each group into implemented and missing commands, subcommands by their own group', () => {
    expect(byName.get('string')!.implemented).toEqual(['get']);
    expect(byName.get('string')!.missing).toContain('set');
    expect(byName.get('connection')!.implemented).toEqual(['client|list']);
    expect(byName.get('connection')!.missing).toContain('client|setname');
    expect(byName.get('server')!.implemented).toEqual(['command', 'command|count']); // COMMAND also runs bare
    expect(byName.get('generic')!.implemented).toEqual(['object|encoding']);
    expect(byName.get('stream')!.implemented).toEqual([]);
  });

  test('renders counts per group and the missing names in Valkey\'s spelling', () => {
    const md = renderCommandTable(table);
    const stringRow = md.split('\n').find((l) => l.startsWith('| string |'))!;
    const n = byName.get('string')!.missing.length + 1;
    expect(stringRow).toMatch(new RegExp(`^\\| string \\| 1 / ${n} \\| .*\\bSET\\b.*\\|$`));
    expect(stringRow).not.toMatch(/\bGET\b,/);
    expect(md.split('\n').find((l) => l.startsWith('| connection |'))).toContain('CLIENT SETNAME');
    const full = renderCommandTable(buildCommandTable([{ get: ok }]));
    expect(full).toMatch(/^1 of the \d+ commands of Valkey /m);
    expect(displayName('client|no-evict')).toBe('CLIENT NO-EVICT');
  });

  test('rewrites only the text between the markers, and refuses a README without them', () => {
    const before = `# Title\n\nintro\n\n${START_MARKER}\nold table\n${END_MARKER}\n\nafter\n`;
    const after = replaceSection(before, 'new table\n');
    expect(after).toBe(`# Title\n\nintro\n\n${START_MARKER}\nnew table\n${END_MARKER}\n\nafter\n`);
    expect(replaceSection(after, 'new table\n')).toBe(after);
    expect(() => replaceSection('# no markers\n', 'x\n')).toThrow(/command-table/);
    expect(() => replaceSection(`${END_MARKER}\n${START_MARKER}\n`, 'x\n')).toThrow(/command-table/);
    expect(() => replaceSection(`${START_MARKER}\n${END_MARKER}\n${START_MARKER}\n${END_MARKER}\n`, 'x\n')).toThrow(/more than one/);
  });
});
