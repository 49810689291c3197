/**
 * vitest setup file: every fast-check property in every suite takes its seed
 * from test/support/seeds.ts (the base seed and the test's name), so the gate
 * gives the same answer for the same commit. A failing property throws
 * fast-check's report plus the line that replays it.
 */
import path from 'node:path';
import fc from 'fast-check';
import { beforeEach } from 'vitest';
import { baseSeed, deriveSeed, replayLine } from './seeds.js';

const base = baseSeed();

beforeEach((ctx) => {
  const file = ctx.task.file?.filepath ? path.relative(process.cwd(), ctx.task.file.filepath) : undefined;
  const name = fullName(ctx.task);
  const seed = deriveSeed(base, `${file ?? ''} ${name}`);
  const fail = (message: string): never => {
    throw new Error(`${message}\n\nReplay (base seed ${base}, test seed ${seed}): ${replayLine(base, file, ctx.task.name)}`);
  };
  fc.configureGlobal({
    ...fc.readConfigureGlobal(),
    seed,
    reporter: (details) => {
      if (details.failed) fail(fc.defaultReportMessage(details) ?? 'property failed');
    },
  });
});

interface Named {
  name: string;
  suite?: Named | undefined;
}

/** "describe > test": the name a test is known by in reports, and what the seed is derived from. */
function fullName(task: Named): string {
  const parts: string[] = [];
  for (let t: Named | undefined = task; t; t = t.suite) if (t.name) parts.unshift(t.name);
  return parts.join(' > ');
}
