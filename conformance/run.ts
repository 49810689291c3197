/**
 * The corpus runner: example cases, properties and model-based runs against
 * a target through a driver, outside any test framework. The CLI (cli.ts)
 * and the vitest integration (vitest.ts) are both thin layers over it.
 */
import fc from 'fast-check';
import { allExamples, allProperties } from './corpus.js';
import { stepCommand, type ExampleCase, type Tag } from './cases/case.js';
import { rawDriver } from './drivers/raw.js';
import type { Driver, DriverConnection, DriverReply } from './drivers/driver.js';
import { checkReply } from './match.js';
import { CORPUS_GROUPS, modelGroup, PROPERTY_ONLY_GROUPS } from './model/groups.js';
import { formatArgv, probeCommands, runModel, type Side } from './model/run.js';
import { PropertyFailure, type PropertyCase, type PropertyContext } from './properties/property.js';
import type { Target } from './targets/target.js';
import { isErr } from './value.js';
import { utf8RoundTrip } from './normalize.js';
import { RawClient } from './targets/raw-client.js';
import { openInvalidationSink } from './properties/sink.js';

export type Kind = 'example' | 'property' | 'model';
export const KINDS: readonly Kind[] = ['example', 'property', 'model'];
export type Status = 'passed' | 'failed' | 'skipped';

export interface CaseResult {
  /** Stable id: "example string/append: APPEND creates...". */
  readonly id: string;
  readonly kind: Kind;
  readonly group: string;
  readonly name: string;
  /** Commands the case is about (full names): the report's rows. */
  readonly commands: readonly string[];
  readonly status: Status;
  /** Why it was skipped. */
  readonly reason?: string;
  /** What failed, readable (several lines). */
  readonly failure?: string;
  readonly durationMs: number;
  /** Properties and model runs: the seed, runs done, and the failure's path. */
  readonly seed?: number;
  readonly runs?: number;
  readonly path?: string;
  /** Model runs: calls compared equal per command. */
  readonly calls?: Readonly<Record<string, number>>;
}

export interface RunContext {
  readonly target: Target;
  readonly driver: Driver;
  readonly resp: 2 | 3;
  /** A raw connection to the target, to empty it between cases. */
  readonly admin: DriverConnection;
}

const NOT_IMPLEMENTED = /is not implemented by valkey-double/;
const STEP_TIMEOUT_MS = 5000;

/** Opens the admin connection of a target (raw, RESP2, authenticated when the endpoint says so). */
export function openAdmin(target: Target): Promise<DriverConnection> {
  return rawDriver.connect(target.endpoint, { resp: 2 });
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no reply to ${what} within ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e); });
  });
}

async function flush(admin: DriverConnection): Promise<void> {
  const r = await admin.send(['FLUSHALL']);
  if (isErr(r.value)) throw new Error(`FLUSHALL failed: ${r.value.err}`);
}

/** Why a case (with these tags) cannot run here, or undefined. */
export function skipReason(tags: readonly Tag[], ctx: Pick<RunContext, 'target' | 'driver' | 'resp'>): string | undefined {
  if (!ctx.driver.protocols.includes(ctx.resp)) return `${ctx.driver.name} does not speak RESP${ctx.resp}`;
  for (const t of tags) {
    if (t === 'needs:virtual-clock' && !ctx.target.capabilities.has('virtual-clock')) return 'needs:virtual-clock (the target\'s clock cannot be moved)';
    if (t === 'needs:faults' && !ctx.target.capabilities.has('faults')) return 'needs:faults (the target cannot inject faults)';
    if (t === 'needs:raw' && !ctx.driver.exact) return 'needs:raw (drives the connection itself; a client library manages it)';
    if (t === 'resp:2' && ctx.resp !== 2) return 'RESP2 only';
    if (t === 'resp:3' && ctx.resp !== 3) return 'RESP3 only';
  }
  return undefined;
}

export function exampleId(c: ExampleCase): string {
  return `example ${c.group}/${c.commands[0]}: ${c.name}`;
}

/** Runs one example case on an emptied server. */
export async function runExample(c: ExampleCase, ctx: RunContext): Promise<CaseResult> {
  const started = performance.now();
  const base = { id: exampleId(c), kind: 'example' as const, group: c.group, name: c.name, commands: c.commands };
  const done = (status: Status, extra: { reason?: string; failure?: string } = {}): CaseResult => ({
    ...base, status, ...extra, durationMs: performance.now() - started,
  });
  const why = skipReason(c.tags, ctx);
  if (why) return done('skipped', { reason: why });
  await flush(ctx.admin);
  const conns = new Map<string, DriverConnection>();
  const pending = new Map<string, Promise<{ r: DriverReply; what: string } | { e: Error; what: string }>[]>();
  const conn = async (name: string) => {
    let k = conns.get(name);
    if (!k) {
      k = await ctx.driver.connect(ctx.target.endpoint, { resp: ctx.resp });
      conns.set(name, k);
    }
    return k;
  };
  try {
    for (let i = 0; i < c.steps.length; i++) {
      const step = c.steps[i]!;
      const where = `step ${i + 1}`;
      if (!Array.isArray(step) && 'elapse' in step) {
        await ctx.target.elapse(step.elapse);
        continue;
      }
      if (!Array.isArray(step) && 'send' in step) {
        const on = step.on ?? 'a';
        const k = await conn(on);
        const what = formatArgv(step.send.map(String));
        const p = k.send(step.send).then((r) => ({ r, what }), (e: unknown) => ({ e: e as Error, what }));
        (pending.get(on) ?? pending.set(on, []).get(on)!).push(p);
        // Give the server a moment to take the command before the next step acts.
        await new Promise((res) => setTimeout(res, 20));
        continue;
      }
      if (!Array.isArray(step) && 'reply' in step) {
        const on = step.on ?? 'a';
        const p = pending.get(on)?.shift();
        if (!p) return done('failed', { failure: `${where}: no command is waiting on connection ${on}` });
        const got = await withTimeout(p, STEP_TIMEOUT_MS, `the command sent on connection ${on}`);
        if ('e' in got) return done('failed', { failure: `${where}: ${got.what}\n  ${got.e.message}` });
        const bad = checkReply(step.reply, got.r, ctx.resp, ctx.driver.exact === true, ctx.driver.profile);
        if (bad) return done('failed', { failure: `${where}: ${got.what}${on !== 'a' ? ` (connection ${on})` : ''}\n  ${bad}` });
        continue;
      }
      if (!Array.isArray(step) && 'raw' in step) {
        const k = await conn('a');
        if (!k.sendRaw) return done('skipped', { reason: 'needs:raw' });
        const expected = step.expectRaw;
        const got = await withTimeout(k.sendRaw(step.raw, step.thenClose ? 'close' : expected.length), STEP_TIMEOUT_MS, 'raw bytes');
        const shown = JSON.stringify(step.raw.length > 60 ? step.raw.slice(0, 60) + '…' : step.raw);
        if (got.replies.length !== expected.length) {
          return done('failed', { failure: `${where}: raw ${shown}: expected ${expected.length} replies, got ${got.replies.length}: ${JSON.stringify(got.replies.map((r) => r.raw).join(''))}` });
        }
        for (let j = 0; j < expected.length; j++) {
          const p = checkReply(expected[j]!, got.replies[j]!, ctx.resp, true, ctx.driver.profile);
          if (p) return done('failed', { failure: `${where}: raw ${shown} reply ${j + 1}:\n  ${p}` });
        }
        if (step.thenClose && !got.closed) return done('failed', { failure: `${where}: raw ${shown}: expected the server to close the connection` });
        continue;
      }
      const sc = stepCommand(step)!;
      const k = await conn(sc.on);
      let r: DriverReply;
      try {
        const pending = k.send(sc.cmd);
        if (sc.elapseDuring) {
          // Let the server's clock pass while the command waits (a blocking command's timeout).
          await new Promise((res) => setTimeout(res, 5));
          await ctx.target.elapse(sc.elapseDuring);
        }
        r = await withTimeout(pending, STEP_TIMEOUT_MS, formatArgv(sc.cmd.map(String)));
      } catch (e) {
        return done('failed', { failure: `${where}: ${formatArgv(sc.cmd.map(String))}\n  ${(e as Error).message}` });
      }
      const p = checkReply(sc.expect, r, ctx.resp, ctx.driver.exact === true, ctx.driver.profile);
      if (p) {
        if (isErr(r.value) && NOT_IMPLEMENTED.test(r.value.err)) {
          return done('skipped', { reason: `${r.value.err.replace(/^ERR /, '')}` });
        }
        return done('failed', { failure: `${where}: ${formatArgv(sc.cmd.map(String))}${sc.on !== 'a' ? ` (connection ${sc.on})` : ''}\n  ${p}` });
      }
    }
    return done('passed');
  } catch (e) {
    return done('failed', { failure: `error: ${(e as Error).message}` });
  } finally {
    for (const k of conns.values()) await k.close().catch(() => {});
  }
}

export function propertyId(p: PropertyCase): string {
  return `property ${p.group}/${p.commands[0]}: ${p.name}`;
}

export interface PropertyOptions {
  seed: number;
  runs?: number;
  path?: string;
}

/** Checks one property with fast-check; each run starts on an emptied server. */
export async function runProperty(p: PropertyCase, ctx: RunContext, opts: PropertyOptions): Promise<CaseResult> {
  const started = performance.now();
  const base = { id: propertyId(p), kind: 'property' as const, group: p.group, name: p.name, commands: p.commands, seed: opts.seed };
  const why = skipReason(p.tags, ctx);
  if (why) return { ...base, status: 'skipped', reason: why, durationMs: 0 };
  const k = await ctx.driver.connect(ctx.target.endpoint, { resp: ctx.resp });
  let notImplemented: string | undefined;
  const sinks: RawClient[] = [];
  const t: PropertyContext = {
    async invalidationSink() {
      const c = await RawClient.connect(ctx.target.endpoint.port, ctx.target.endpoint.host);
      sinks.push(c);
      return openInvalidationSink(c);
    },
    resp: ctx.resp,
    async call(...args) {
      const r = await withTimeout(k.send(args), STEP_TIMEOUT_MS, formatArgv(args.map(String)));
      if (isErr(r.value) && NOT_IMPLEMENTED.test(r.value.err)) {
        notImplemented = r.value.err.replace(/^ERR /, '');
        throw new Error(notImplemented);
      }
      return r.value;
    },
    elapse: (ms) => ctx.target.elapse(ms),
    mapKey: (b) => (ctx.resp === 3 && ctx.driver.profile.mapKeysUtf8 ? utf8RoundTrip(b) : b),
  };
  try {
    const runs = opts.runs ?? p.runs ?? 50;
    const details = await fc.check(
      fc.asyncProperty(p.arb, async (input) => {
        await flush(ctx.admin);
        // A run that failed half-way may have left a transaction open or another db selected.
        await k.send(['DISCARD']);
        await k.send(['UNWATCH']);
        await k.send(['SELECT', '0']);
        await p.run(t, input);
      }),
      { seed: opts.seed, numRuns: runs, ...(opts.path ? { path: opts.path } : {}) },
    );
    const durationMs = performance.now() - started;
    if (notImplemented) return { ...base, status: 'skipped', reason: notImplemented, durationMs };
    if (!details.failed) return { ...base, status: 'passed', runs: details.numRuns, durationMs };
    const e = details.errorInstance;
    const msg = e instanceof PropertyFailure || e instanceof Error ? e.message : String(e);
    return {
      ...base, status: 'failed', runs: details.numRuns, path: details.counterexamplePath ?? '', durationMs,
      failure: `counterexample ${fc.stringify(details.counterexample)} (seed ${details.seed}, path "${details.counterexamplePath}")\n  ${msg}\n`
        + `  replay: npx valkey-double conformance --target ${ctx.target.name} --client ${ctx.driver.name} --resp ${ctx.resp} --kind property --group ${p.group}`
        + ` --only ${JSON.stringify(propertyId(p))} --seed ${details.seed} --path "${details.counterexamplePath}"`,
    };
  } finally {
    for (const c of sinks) c.close();
    await k.close().catch(() => {});
  }
}

export interface ModelOptions {
  seed: number;
  runs: number;
  path?: string;
  replayPath?: string;
  maxCommands?: number;
}

/**
 * The model-based run of one group: `a` (under test) against `b` (the
 * reference), both through their drivers in `resp`. Commands either side
 * does not implement are left out (and reported as skipped).
 */
export async function runModelGroup(name: string, a: Side & { admin: DriverConnection }, b: Side & { admin: DriverConnection }, resp: 2 | 3, opts: ModelOptions): Promise<CaseResult> {
  const started = performance.now();
  const group = modelGroup(name);
  const base = { id: `model ${name}`, kind: 'model' as const, group: name, name: `${a.target.name} vs ${b.target.name}`, seed: opts.seed };
  for (const s of [a, b]) {
    if (!s.driver.protocols.includes(resp)) return { ...base, commands: group.commands, status: 'skipped', reason: `${s.driver.name} does not speak RESP${resp}`, durationMs: 0 };
  }
  const probeList = [...group.commands, ...group.mixers];
  const [ua, ub] = await Promise.all([probeCommands(a.admin, probeList), probeCommands(b.admin, probeList)]);
  const unavailable = new Map([...ub, ...ua]);
  const r = await runModel({
    a, b, resp, group, seed: opts.seed, runs: opts.runs, unavailable,
    ...(opts.path ? { path: opts.path } : {}),
    ...(opts.replayPath ? { replayPath: opts.replayPath } : {}),
    ...(opts.maxCommands ? { maxCommands: opts.maxCommands } : {}),
  }, { a: a.admin, b: b.admin });
  const durationMs = performance.now() - started;
  const calls = Object.fromEntries(r.calls);
  const commands = group.commands.filter((c) => !unavailable.has(c));
  if (r.runs === 0 && r.passed) {
    return { ...base, commands: group.commands, status: 'skipped', reason: 'no command of the group is available on both sides', durationMs };
  }
  if (r.passed) return { ...base, commands, status: 'passed', runs: r.runs, calls, durationMs };
  if (r.error) return { ...base, commands, status: 'failed', runs: r.runs, calls, durationMs, failure: `error: ${r.error}` };
  const f = r.failure!;
  const failure = [
    `${a.target.description} (${a.driver.name}) differs from ${b.target.description} (${b.driver.name}), RESP${resp}:`,
    `shrunk to ${f.commands.length} command${f.commands.length === 1 ? '' : 's'} (seed ${f.seed}, path "${f.path}"${f.replayPath ? `, replayPath "${f.replayPath}"` : ''}):`,
    f.transcript,
    `replay: npx valkey-double conformance --target ${a.target.name}${b.target !== a.target ? ` --reference ${b.target.name}` : ''} --client ${a.driver.name} --resp ${resp}`
      + ` --kind model --group ${name} --seed ${f.seed} --path "${f.path}"${f.replayPath ? ` --replay-path "${f.replayPath}"` : ''}`,
    `commands: ${JSON.stringify(f.commands)}`,
  ].join('\n');
  return { ...base, commands: [f.command], status: 'failed', runs: r.runs, calls, path: f.path, durationMs, failure };
}

// ---------------------------------------------------------------------------
// The whole corpus
// ---------------------------------------------------------------------------

export interface CorpusOptions {
  readonly target: Target;
  readonly driver: Driver;
  readonly resp: 2 | 3;
  /** Groups to run (default: all, see CORPUS_GROUPS). */
  readonly groups?: readonly string[];
  readonly kinds?: readonly Kind[];
  /** Seed for properties and model runs (default: random, and reported). */
  readonly seed?: number;
  /** Runs per property and per model group (default: 50 and 100). */
  readonly propertyRuns?: number;
  readonly modelRuns?: number;
  /** Only cases whose id contains this text ("append", "property string/incr"). */
  readonly only?: string;
  /** Replay one failure (with --seed). */
  readonly path?: string;
  readonly replayPath?: string;
  /** The model runs' reference: another target (and driver). Without it they are skipped. */
  readonly reference?: { readonly target: Target; readonly driver: Driver };
  /**
   * The side under test in model runs when it is not `target`: the mock on
   * real time (its replies are compared with a server whose clock runs).
   */
  readonly modelTarget?: Target;
  /** Called as each case finishes. */
  readonly onResult?: (r: CaseResult, done: number, total: number) => void;
}

export interface CorpusRun {
  readonly target: string;
  readonly driver: string;
  readonly resp: 2 | 3;
  readonly seed: number;
  readonly reference?: string;
  readonly results: readonly CaseResult[];
  readonly durationMs: number;
}

export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

export async function runCorpus(opts: CorpusOptions): Promise<CorpusRun> {
  const started = performance.now();
  const seed = opts.seed ?? randomSeed();
  const groups = new Set(opts.groups ?? CORPUS_GROUPS);
  const kinds = new Set(opts.kinds ?? KINDS);
  const only = (id: string) => !opts.only || id.includes(opts.only);
  const examples = kinds.has('example') ? allExamples().filter((c) => groups.has(c.group) && only(exampleId(c))) : [];
  // Property-only groups (streams) run unless groups are named.
  const propertyGroups = new Set([...groups, ...(opts.groups ? [] : PROPERTY_ONLY_GROUPS)]);
  const properties = kinds.has('property') ? allProperties().filter((p) => propertyGroups.has(p.group) && only(propertyId(p))) : [];
  const modelGroups = kinds.has('model') ? [...groups, ...(opts.groups ? [] : ['joint'])].filter((g) => only(`model ${g}`)) : [];
  const total = examples.length + properties.length + modelGroups.length;
  const results: CaseResult[] = [];
  const push = (r: CaseResult) => {
    results.push(r);
    opts.onResult?.(r, results.length, total);
  };
  const admin = await openAdmin(opts.target);
  const ctx: RunContext = { target: opts.target, driver: opts.driver, resp: opts.resp, admin };
  try {
    for (const c of examples) push(await runExample(c, ctx));
    for (const p of properties) push(await runProperty(p, ctx, { seed, ...(opts.propertyRuns ? { runs: opts.propertyRuns } : {}), ...(opts.path ? { path: opts.path } : {}) }));
    if (modelGroups.length) {
      const ref = opts.reference;
      if (!ref) {
        for (const g of modelGroups) {
          push({ id: `model ${g}`, kind: 'model', group: g, name: 'differential', commands: [], status: 'skipped', reason: 'no reference target to compare with', durationMs: 0 });
        }
      } else {
        const underTest = opts.modelTarget ?? opts.target;
        const aAdmin = underTest === opts.target ? admin : await openAdmin(underTest);
        const refAdmin = ref.target === opts.target ? admin : ref.target === underTest ? aAdmin : await openAdmin(ref.target);
        try {
          for (const g of modelGroups) {
            push(await runModelGroup(g, { target: underTest, driver: opts.driver, admin: aAdmin }, { target: ref.target, driver: ref.driver, admin: refAdmin }, opts.resp, {
              seed, runs: opts.modelRuns ?? 100,
              ...(opts.path ? { path: opts.path } : {}),
              ...(opts.replayPath ? { replayPath: opts.replayPath } : {}),
            }));
          }
        } finally {
          if (refAdmin !== admin && refAdmin !== aAdmin) await refAdmin.close();
          if (aAdmin !== admin) await aAdmin.close();
        }
      }
    }
  } finally {
    await admin.close();
  }
  return {
    target: opts.target.description,
    driver: opts.driver.name,
    resp: opts.resp,
    seed,
    ...(opts.reference ? { reference: `${opts.reference.target.description} (${opts.reference.driver.name})` } : {}),
    results,
    durationMs: performance.now() - started,
  };
}
