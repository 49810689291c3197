/**
 * The corpus catches a broken mock and shrinks the difference to a short,
 * readable counterexample. A command group with one deliberately wrong reply
 * (APPEND to an existing key reports one byte too many) is injected through
 * `new Engine({ groups })`; the model-based run compares that server with a
 * healthy valkey-double, so this test needs no real Valkey.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ALL_GROUPS, createServer, Engine, R, SystemClock, type CommandGroup, type Handler, type ValkeyServer } from '../src/index.js';
import { rawDriver } from './drivers/raw.js';
import type { DriverConnection } from './drivers/driver.js';
import { runExample, runModelGroup, openAdmin } from './run.js';
import { allExamples } from './corpus.js';
import { mockTargetFor } from './targets/mock.js';
import type { Target } from './targets/target.js';

/** The default groups, with APPEND answering one more than the new length when the key existed. */
function brokenGroups(): CommandGroup[] {
  return ALL_GROUPS.map((g) => {
    const append = g['append'];
    if (!append) return g;
    const broken: Handler = (ctx, argv) => {
      const r = append(ctx, argv);
      if (typeof r === 'object' && r.t === 'int' && Number(r.v) > argv[2]!.length) return R.int(Number(r.v) + 1);
      return r;
    };
    return { ...g, append: broken };
  });
}

describe('a deliberately broken mock', () => {
  let broken: ValkeyServer;
  let healthy: ValkeyServer;
  let brokenTarget: Target;
  let healthyTarget: Target;
  let adminBroken: DriverConnection;
  let adminHealthy: DriverConnection;

  beforeAll(async () => {
    const clock = new SystemClock();
    broken = await createServer({ engine: new Engine({ clock, groups: brokenGroups() }) });
    healthy = await createServer({ clock });
    brokenTarget = await mockTargetFor(broken);
    healthyTarget = await mockTargetFor(healthy);
    adminBroken = await openAdmin(brokenTarget);
    adminHealthy = await openAdmin(healthyTarget);
  });
  afterAll(async () => {
    await adminBroken.close();
    await adminHealthy.close();
    await Promise.all([broken.close(), healthy.close()]);
  });

  test('the model-based run finds it and shrinks it to two commands', async () => {
    const r = await runModelGroup('string',
      { target: brokenTarget, driver: rawDriver, admin: adminBroken },
      { target: healthyTarget, driver: rawDriver, admin: adminHealthy },
      2, { seed: 1234, runs: 300 });
    expect(r.status).toBe('failed');
    expect(r.commands).toEqual(['append']);
    const failure = r.failure!;
    // Shrunk to: something that makes the key exist, then APPEND to it.
    const json = /^commands: (.*)$/m.exec(failure)![1]!;
    const commands = JSON.parse(json) as string[][];
    expect(commands).toHaveLength(2);
    expect(commands[1]![0]).toBe('APPEND');
    expect(failure).toMatch(/<-- differs: bytes differ/);
    expect(failure).toMatch(/seed 1234, path "[\d:]+"/);
    expect(failure).toMatch(/replay: npx valkey-double conformance --target mock --reference mock --client raw --resp 2 --kind model --group string --seed 1234 --path "[\d:]+" --replay-path "[^"]+"/);
    console.log(`the shrunk counterexample, as the corpus prints it:\n${failure}`);

    // The seed, path and replayPath replay exactly that counterexample.
    const path = /path "([\d:]+)"/.exec(failure)![1]!;
    const replayPath = /replayPath "([^"]+)"/.exec(failure)![1]!;
    const again = await runModelGroup('string',
      { target: brokenTarget, driver: rawDriver, admin: adminBroken },
      { target: healthyTarget, driver: rawDriver, admin: adminHealthy },
      2, { seed: 1234, runs: 300, path, replayPath });
    expect(again.status).toBe('failed');
    expect(/^commands: (.*)$/m.exec(again.failure!)![1]).toBe(json);
  }, 60_000);

  test('the example cases of APPEND fail on it, and pass on the healthy mock', async () => {
    const cases = allExamples().filter((c) => c.commands.includes('append'));
    expect(cases.length).toBeGreaterThan(0);
    for (const resp of [2, 3] as const) {
      const onBroken = [];
      for (const c of cases) onBroken.push(await runExample(c, { target: brokenTarget, driver: rawDriver, resp, admin: adminBroken }));
      expect(onBroken.some((x) => x.status === 'failed' && /APPEND k cde/.test(x.failure ?? ''))).toBe(true);
      for (const c of cases) {
        expect((await runExample(c, { target: healthyTarget, driver: rawDriver, resp, admin: adminHealthy })).status).toBe('passed');
      }
    }
  });
});
