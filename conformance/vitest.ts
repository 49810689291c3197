/**
 * The corpus as vitest tests. A client library proves itself against Valkey 9
 * (or valkey-double) with one call in a test file:
 *
 *   // conformance.test.ts
 *   import { defineConformance } from 'valkey-double/conformance/vitest';
 *   import { driver } from './my-driver.js';   // or a built-in: 'ioredis', 'node-redis', 'iovalkey'
 *
 *   defineConformance({ clients: [driver], target: 'binary' });
 *
 * Every example case, property and model-based group becomes a test, named
 * by group and command. Cases the target or client cannot run are skipped
 * with the reason. Without the target (no valkey-server, no Docker, no
 * VALKEY_URL) the tests are skipped, or fail when `required` (default: in CI).
 */
import { afterAll, beforeAll, describe, test } from 'vitest';
import { allExamples, allProperties } from './corpus.js';
import { DriverUnavailable, loadDriver, type Driver } from './drivers/driver.js';
import { CORPUS_GROUPS } from './model/groups.js';
import {
  exampleId, KINDS, openAdmin, propertyId, randomSeed, runExample, runModelGroup, runProperty, type CaseResult, type Kind, type RunContext,
} from './run.js';
import type { DriverConnection } from './drivers/driver.js';
import { startTarget, TargetUnavailable, type Target, type TargetName } from './targets/target.js';

export interface ConformanceOptions {
  /** Clients to run the corpus through: built-in names or Driver objects (default ['raw']). */
  clients?: readonly (string | Driver)[];
  /** Where commands go (default 'binary': a valkey-server 9 found on this machine). */
  target?: TargetName;
  /** Protocol versions (default: every version each client speaks). */
  resp?: readonly (2 | 3)[];
  /** Groups (default all). */
  groups?: readonly string[];
  kinds?: readonly Kind[];
  /**
   * Model runs compare with this target through the same client (default:
   * 'binary' for target 'mock'; otherwise the target itself through the raw
   * driver, which checks that the client decodes every reply as sent).
   * 'none' skips model runs.
   */
  reference?: TargetName | 'none';
  /** Seeds for properties and model runs; each seed is a test of its own (default: one random seed, printed). */
  seeds?: readonly number[];
  /** Sequences per model group per seed (default 100), runs per property (default 50). */
  runs?: number;
  propertyRuns?: number;
  /** A missing target or client fails instead of skipping (default: when $CI is set). */
  required?: boolean;
  /** VALKEY_URL for target/reference 'url'. */
  url?: string;
  /** Per-test timeout in ms for model runs (default 120000). */
  modelTimeout?: number;
}

interface Shared {
  target?: Target;
  admin?: DriverConnection;
  /** Model runs: the side under test (the mock on real time, for target mock) and the reference. */
  modelTarget?: Target;
  modelAdmin?: DriverConnection;
  reference?: Target;
  refAdmin?: DriverConnection;
  unavailable?: string;
  refUnavailable?: string;
  drivers: Map<string, Driver | string>;
}

function driverName(c: string | Driver): string {
  return typeof c === 'string' ? c : c.name;
}

/** Registers the corpus as vitest suites. Call at the top level of a test file (or inside a describe). */
export function defineConformance(opts: ConformanceOptions = {}): void {
  const targetName = opts.target ?? 'binary';
  const clients = opts.clients ?? ['raw'];
  const groups = new Set(opts.groups ?? CORPUS_GROUPS);
  const kinds = new Set(opts.kinds ?? KINDS);
  const seeds = opts.seeds ?? [randomSeed()];
  const required = opts.required ?? Boolean(process.env['CI']);
  const refName = opts.reference ?? (targetName === 'mock' ? 'binary' : undefined);
  const shared: Shared = { drivers: new Map() };
  const urlOpt = opts.url ? { url: opts.url } : {};

  describe(`valkey conformance on ${targetName}`, () => {
    beforeAll(async () => {
      console.log(`[conformance] target ${targetName}, seeds ${seeds.join(', ')}`);
      try {
        shared.target = await startTarget(targetName, urlOpt);
        shared.admin = await openAdmin(shared.target);
      } catch (e) {
        if (!(e instanceof TargetUnavailable) || required) throw e;
        shared.unavailable = e.message;
        console.warn(`[conformance] ${e.message}: its tests are skipped`);
      }
      if (kinds.has('model') && refName && refName !== 'none' && shared.target) {
        try {
          shared.reference = refName === targetName && targetName !== 'mock' ? shared.target : await startTarget(refName, { ...urlOpt, clock: 'system' });
          shared.refAdmin = shared.reference === shared.target ? shared.admin : await openAdmin(shared.reference);
          shared.modelTarget = targetName === 'mock' ? await startTarget('mock', { clock: 'system' }) : shared.target;
          shared.modelAdmin = shared.modelTarget === shared.target ? shared.admin : await openAdmin(shared.modelTarget);
        } catch (e) {
          if (!(e instanceof TargetUnavailable) || required) throw e;
          shared.refUnavailable = e.message;
          console.warn(`[conformance] ${e.message}: model runs are skipped`);
        }
      }
      for (const c of clients) {
        try {
          shared.drivers.set(driverName(c), typeof c === 'string' ? await loadDriver(c) : c);
        } catch (e) {
          if (!(e instanceof DriverUnavailable) || required) throw e;
          shared.drivers.set(driverName(c), e.message);
        }
      }
    }, 120_000);

    afterAll(async () => {
      for (const a of new Set([shared.admin, shared.refAdmin, shared.modelAdmin])) await a?.close().catch(() => {});
      for (const t of new Set([shared.modelTarget, shared.reference, shared.target])) await t?.close().catch(() => {});
    }, 60_000);

    for (const client of clients) {
      const name = driverName(client);
      const versions = opts.resp ?? (typeof client === 'string' ? (client === 'iovalkey' ? [2] : [2, 3]) : client.protocols);
      for (const resp of versions) {
        describe(`${name} RESP${resp}`, () => {
          const context = (skip: (note: string) => never): { ctx: RunContext; driver: Driver } => {
            if (shared.unavailable) skip(shared.unavailable);
            const d = shared.drivers.get(name);
            if (d === undefined || typeof d === 'string') skip(d ?? `client ${name} was not loaded`);
            if (!d.protocols.includes(resp)) skip(`${name} does not speak RESP${resp}`);
            return { ctx: { target: shared.target!, driver: d, resp, admin: shared.admin! }, driver: d };
          };
          const report = (r: CaseResult, skip: (note: string) => never) => {
            if (r.status === 'skipped') skip(r.reason ?? 'skipped');
            if (r.status === 'failed') throw new Error(`${r.id}\n${r.failure ?? ''}`);
          };
          for (const g of groups) {
            const examples = kinds.has('example') ? allExamples().filter((c) => c.group === g) : [];
            const properties = kinds.has('property') ? allProperties().filter((p) => p.group === g) : [];
            if (!examples.length && !properties.length) continue;
            describe(g, () => {
              for (const c of examples) {
                test(exampleId(c).replace(/^example /, ''), async ({ skip }) => {
                  const { ctx } = context(skip);
                  report(await runExample(c, ctx), skip);
                });
              }
              for (const p of properties) {
                for (const seed of seeds) {
                  test(`${propertyId(p)} (seed ${seed})`, async ({ skip }) => {
                    const { ctx } = context(skip);
                    report(await runProperty(p, ctx, { seed, ...(opts.propertyRuns ? { runs: opts.propertyRuns } : {}) }), skip);
                  }, 60_000);
                }
              }
            });
          }
          if (kinds.has('model') && refName !== 'none') {
            describe('model', () => {
              const modelGroups = [...groups, ...(opts.groups ? [] : ['joint'])];
              for (const g of modelGroups) {
                for (const seed of seeds) {
                  test(`model ${g} (seed ${seed})`, async ({ skip }) => {
                    const { driver } = context(skip);
                    if (!refName) skip('no reference target (pass reference)');
                    const reference = shared.reference;
                    if (shared.refUnavailable || !reference) return skip(shared.refUnavailable ?? 'no reference target');
                    // The same server through another client: compare with the raw driver's view.
                    const refDriver = reference === shared.modelTarget ? await loadDriver('raw') : driver;
                    if (reference === shared.modelTarget && driver.exact) skip('the raw driver against its own server compares nothing');
                    const r = await runModelGroup(g,
                      { target: shared.modelTarget!, driver, admin: shared.modelAdmin! },
                      { target: reference, driver: refDriver, admin: shared.refAdmin! },
                      resp, { seed, runs: opts.runs ?? 100 });
                    report(r, skip);
                  }, opts.modelTimeout ?? 120_000);
                }
              }
            });
          }
        });
      }
    }
  });
}
