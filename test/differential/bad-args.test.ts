/**
 * The bad-argument matrix (test/differential/bad-args.ts) for every
 * implemented command, on the oracle and valkey-double, RESP2 and RESP3, byte
 * for byte. One test per command group; a command's differences are listed
 * with the exact calls.
 */
import { describe, expect, test } from 'vitest';
import { ALL_GROUPS } from '../../src/engine/commands/index.js';
import { buildCommandTable, commandCoverage, lookupCommandByName } from '../../src/engine/registry.js';
import { badArgScript, type Command } from './bad-args.js';
import { useDifferential } from './harness.js';

const table = buildCommandTable(ALL_GROUPS);
const commands: Command[] = commandCoverage(table).implemented
  .map((fullname) => ({ fullname, spec: lookupCommandByName(table, fullname)!.spec }))
  // A container that also runs bare (COMMAND) is covered by its subcommands' arity cases and its own.
  .sort((a, b) => a.fullname.localeCompare(b.fullname));

/**
 * Known differences, each with why it is left: the command and a fragment of
 * the call that differs.
 */
const KNOWN: readonly { command: string; why: string }[] = [
  { command: 'script|debug', why: 'the Lua debugger is not implemented: SCRIPT DEBUG YES|SYNC answer an error' },
];

const byGroup = new Map<string, Command[]>();
for (const c of commands) {
  const g = c.spec.group;
  if (!byGroup.has(g)) byGroup.set(g, []);
  byGroup.get(g)!.push(c);
}

describe('bad-argument matrix', () => {
  const d = useDifferential();
  let calls = 0;
  for (const [group, cs] of byGroup) {
    test(`${group}: ${cs.length} commands`, async () => {
      const problems: string[] = [];
      for (const c of cs) {
        if (KNOWN.some((k) => k.command === c.fullname)) continue;
        const script = badArgScript(c);
        calls += script.length * 2;
        const found = await d.diff(script);
        for (const p of found) problems.push(`${c.fullname}: ${p}`);
      }
      if (d.available) console.log(`[bad-args] ${group}: ${cs.length} commands, ${calls} calls so far, ${problems.length} differences`);
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }

  test('no call answers with valkey-double\'s internal error', async () => {
    const c = await d.connect('mock');
    try {
      for (const cmd of commands) {
        for (const s of badArgScript(cmd)) {
          const r = await c.send(s.cmd!);
          expect(r.raw, `${cmd.fullname}: ${JSON.stringify(s.cmd)}`).not.toContain('internal error in valkey-double');
        }
      }
    } finally {
      c.close();
    }
  });
});
