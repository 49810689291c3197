/**
 * Runs scenarios × drivers on a stage and gives the table. A client failing a
 * scenario is a finding (its result), not an error of the run.
 */
import { SCENARIOS } from './library.js';
import type { ClientOptions, Outcome, Scenario, ScenarioClient, ScenarioContext, ScenarioDriver, Stage, Verdict } from './types.js';

export type CellStatus = 'pass' | 'fail' | 'n/a';

export interface Cell {
  readonly scenario: string;
  readonly driver: string;
  readonly status: CellStatus;
  readonly finding: string;
  /** Run-to-run figures (times). */
  readonly detail?: string;
  readonly ms: number;
}

export interface ScenarioTable {
  readonly stage: string;
  readonly scenarios: readonly Scenario[];
  readonly drivers: readonly { name: string; version: string; settings: string }[];
  readonly cells: readonly Cell[];
}

export interface RunOptions {
  scenarios?: readonly Scenario[];
  /** Each scenario's whole run is bounded by this (default 20 s). */
  scenarioTimeoutMs?: number;
  /** Called after each cell (progress). */
  onCell?: (c: Cell) => void;
}

let runCounter = 0;

/** Runs every scenario for every driver on `stage`, one after the other. */
export async function runScenarios(stage: Stage, drivers: readonly ScenarioDriver[], opts: RunOptions = {}): Promise<ScenarioTable> {
  const scenarios = opts.scenarios ?? SCENARIOS;
  const cells: Cell[] = [];
  for (const s of scenarios) {
    for (const d of drivers) {
      const cell = await runOne(stage, d, s, opts.scenarioTimeoutMs ?? 20_000);
      cells.push(cell);
      opts.onCell?.(cell);
    }
  }
  return { stage: stage.description, scenarios, drivers: drivers.map((d) => ({ name: d.name, version: d.version, settings: d.settings })), cells };
}

export async function runOne(stage: Stage, driver: ScenarioDriver, s: Scenario, timeoutMs = 20_000): Promise<Cell> {
  const base = { scenario: s.id, driver: driver.name };
  if (s.topology === 'cluster') return { ...base, status: 'n/a', finding: 'needs a cluster', ms: 0 };
  if (s.resp3 && !driver.protocols.includes(3)) return { ...base, status: 'n/a', finding: 'the client speaks RESP2 only', ms: 0 };
  await stage.reset();
  const clients: ScenarioClient[] = [];
  const resp: 2 | 3 = driver.protocols.includes(2) ? 2 : 3;
  const ctx: ScenarioContext = {
    stage,
    driver,
    prefix: `scn:${++runCounter}:`,
    async connect(o: Partial<ClientOptions> = {}) {
      const c = await driver.connect(stage.endpoint, { resp, ...o });
      clients.push(c);
      return c;
    },
    bound: (p, ms) => bound(p, ms),
  };
  const t0 = performance.now();
  let v: Verdict;
  let timer: NodeJS.Timeout | undefined;
  try {
    v = await Promise.race([
      s.run(ctx),
      new Promise<Verdict>((resolve) => { timer = setTimeout(() => resolve({ pass: false, finding: `the scenario did not finish within ${timeoutMs} ms` }), timeoutMs); }),
    ]);
  } catch (e) {
    v = { pass: false, finding: `the client threw: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    clearTimeout(timer);
  }
  const ms = Math.round(performance.now() - t0);
  stage.faults.releaseAll();
  stage.faults.clear();
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  return { ...base, status: v.pass ? 'pass' : 'fail', finding: v.finding, ...(v.detail ? { detail: v.detail } : {}), ms };
}

/** The outcome, or a `hang` after `ms`. */
export function bound(p: Promise<Outcome>, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<Outcome>((resolve) => { timer = setTimeout(() => resolve({ ok: false, error: `no answer within ${Math.round(ms)} ms`, kind: 'hang' }), ms); }),
  ]);
}

const MARK: Record<CellStatus, string> = { pass: '✅ pass', fail: '❌ fail', 'n/a': '— n/a' };

function escape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The table in Markdown: a row per scenario, a column per client, each finding under it. */
export function formatMarkdown(t: ScenarioTable): string {
  const lines: string[] = [];
  lines.push(`| scenario | ${t.drivers.map((d) => `${d.name} ${d.version}`).join(' | ')} |`);
  lines.push(`| --- | ${t.drivers.map(() => '---').join(' | ')} |`);
  for (const s of t.scenarios) {
    const cells = t.drivers.map((d) => t.cells.find((c) => c.scenario === s.id && c.driver === d.name));
    lines.push(`| ${escape(s.title)} | ${cells.map((c) => (c ? `${MARK[c.status]}: ${escape(c.finding)}` : '')).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The table as plain text for a terminal. */
export function formatText(t: ScenarioTable): string {
  const out: string[] = [`client scenarios on ${t.stage}`];
  for (const s of t.scenarios) {
    out.push(`\n${s.id}: ${s.title}\n  checks: ${s.guarantee}`);
    for (const d of t.drivers) {
      const c = t.cells.find((x) => x.scenario === s.id && x.driver === d.name);
      if (c) out.push(`  ${c.status.padEnd(4)} ${d.name.padEnd(10)} ${c.finding} (${c.detail ? `${c.detail}; ` : ''}${c.ms} ms in all)`);
    }
  }
  const n = (st: CellStatus) => t.cells.filter((c) => c.status === st).length;
  out.push(`\n${n('pass')} pass, ${n('fail')} fail, ${n('n/a')} n/a`);
  return out.join('\n');
}
