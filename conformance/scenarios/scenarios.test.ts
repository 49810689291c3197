/**
 * The scenario library's own tests: the table comes out for the three
 * clients, and each checker catches the flaw it is for (a deliberately broken
 * driver) while a flawless driver passes. Whether ioredis, node-redis or
 * iovalkey pass a scenario is their finding, not asserted here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOracle, oracleRequired } from '../targets/oracle.js';
import { rawScenarioDriver } from './drivers/raw.js';
import {
  formatMarkdown, formatText, loadScenarioDriver, mockStage, proxyStage, runOne, runScenarios, SCENARIOS, SCENARIO_DRIVER_NAMES,
  type Scenario, type Stage,
} from './index.js';

const byId = (id: string): Scenario => {
  const s = SCENARIOS.find((x) => x.id === id);
  if (!s) throw new Error(`no scenario ${id}`);
  return s;
};

let stage: Stage;
beforeAll(async () => {
  stage = await mockStage();
});
afterAll(async () => {
  await stage.close();
});

describe('the scenario table', () => {
  it('has a cell, with a finding, for every scenario and client', async () => {
    const drivers = await Promise.all(SCENARIO_DRIVER_NAMES.map(loadScenarioDriver));
    const t = await runScenarios(stage, drivers);
    expect(t.cells).toHaveLength(SCENARIOS.length * drivers.length);
    for (const c of t.cells) {
      expect(['pass', 'fail', 'n/a']).toContain(c.status);
      expect(c.finding.length).toBeGreaterThan(0);
    }
    // iovalkey speaks RESP2 only: the RESP3 push scenario does not apply to it, and says so.
    expect(t.cells.find((c) => c.driver === 'iovalkey' && c.scenario === 'push-mid-pipeline')?.status).toBe('n/a');
    const md = formatMarkdown(t);
    for (const s of SCENARIOS) expect(md).toContain(s.title);
    for (const d of drivers) expect(md).toContain(`${d.name} ${d.version}`);
    expect(md.split('\n')).toHaveLength(SCENARIOS.length + 2);
    expect(formatText(t)).toMatch(/\d+ pass, \d+ fail, \d+ n\/a/);
  });

  it('lists a cluster scenario as not applicable on a single node', async () => {
    const s: Scenario = { id: 'x', title: 'x', topology: 'cluster', guarantee: '', run: () => Promise.reject(new Error('must not run')) };
    expect(await runOne(stage, rawScenarioDriver(), s)).toMatchObject({ status: 'n/a', finding: 'needs a cluster' });
  });

  it('records a scenario that throws as the client failing it, and the table still comes out', async () => {
    const s: Scenario = { id: 'boom', title: 'boom', topology: 'single', guarantee: '', run: () => Promise.reject(new Error('kaput')) };
    expect(await runOne(stage, rawScenarioDriver(), s)).toMatchObject({ status: 'fail', finding: 'the client threw: kaput' });
  });
});

describe('each checker catches the flaw it is for', () => {
  const cases: [string, Parameters<typeof rawScenarioDriver>[0], RegExp][] = [
    ['drop-after-write', { resend: true }, /ran 2× for one call \(duplicated\)/],
    ['drop-mid-pipeline', { ackOnClose: true }, /lost acknowledged write/],
    ['drop-mid-multi', { resend: true }, /ran in part|duplicated|wrong request/],
    ['reply-slower-than-timeout', { shiftOnTimeout: true }, /"slow-value" \(a reply matched to the wrong request\)/],
    ['node-restart', { noReconnect: true }, /not working again within 3000 ms/],
    ['pubsub-resubscribe', { noResubscribe: true }, /not resubscribed/],
    ['circular-moved', { followMoved: true }, /GET did not settle within 4000 ms \(\d+ redirects followed\)/],
  ];
  for (const [id, flaws, finding] of cases) {
    it(`${id}: a flawless client passes, one with ${Object.keys(flaws!).join(',')} fails`, async () => {
      const good = await runOne(stage, rawScenarioDriver(), byId(id));
      expect(good, good.finding).toMatchObject({ status: 'pass' });
      const bad = await runOne(stage, rawScenarioDriver(flaws), byId(id));
      expect(bad.status).toBe('fail');
      expect(bad.finding).toMatch(finding);
    });
  }

  it('every single-node scenario passes for the flawless client (no false finding)', async () => {
    const t = await runScenarios(stage, [rawScenarioDriver()]);
    const failed = t.cells.filter((c) => c.status === 'fail');
    expect(failed, formatText(t)).toEqual([]);
  });
});

describe('the same scenarios through the fault proxy in front of the real server', () => {
  const bin = findOracle();
  it.skipIf(!bin && !oracleRequired())('give the same results as on valkey-double', async () => {
    const proxy = await proxyStage();
    try {
      const drivers = [rawScenarioDriver(), rawScenarioDriver({ resend: true }), rawScenarioDriver({ shiftOnTimeout: true })];
      const scenarios = SCENARIOS.filter((s) => ['drop-after-write', 'drop-mid-multi', 'reply-slower-than-timeout', 'half-written-reply', 'loading-on-connect', 'node-restart'].includes(s.id));
      const onProxy = await runScenarios(proxy, drivers, { scenarios });
      const onMock = await runScenarios(stage, drivers, { scenarios });
      const statuses = (t: typeof onMock) => t.cells.map((c) => `${c.scenario} ${c.driver} ${c.status}`);
      expect(statuses(onProxy)).toEqual(statuses(onMock));
      expect(onProxy.cells.some((c) => c.status === 'fail')).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});
