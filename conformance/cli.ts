/**
 * `npx valkey-double conformance ...`: runs the corpus outside any test
 * framework and prints a per-command report.
 *
 *   npx valkey-double conformance --target binary              real Valkey 9 (valkey-server on PATH or $VALKEY_SERVER)
 *   npx valkey-double conformance --target mock                valkey-double, compared with real Valkey 9 when found
 *   VALKEY_URL=redis://127.0.0.1:6379 npx valkey-double conformance --target url --client ioredis
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DriverUnavailable, loadDriver, type Driver } from './drivers/driver.js';
import { CORPUS_GROUPS, PROPERTY_ONLY_GROUPS } from './model/groups.js';
import { commandTable, formatFailures, formatSummary, formatTable, jsonReport, junitXml } from './report.js';
import { KINDS, randomSeed, runCorpus, type CaseResult, type CorpusRun, type Kind } from './run.js';
import { startTarget, TARGET_NAMES, TargetUnavailable, type Target, type TargetName } from './targets/target.js';
import { isErr } from './value.js';

export const USAGE = `usage: valkey-double conformance [options]

Runs the conformance corpus (example cases, properties, model-based
differential runs) against a server, through a client, and prints a
per-command report.

options:
  --target T        mock | binary | url | container           (default mock)
                      mock       valkey-double in this process
                      binary     valkey-server 9 from $VALKEY_SERVER or PATH, on a free port
                      url        the server at $VALKEY_URL (or --url); it is emptied (FLUSHALL)
                      container  Valkey 9 in Docker via @testcontainers/valkey ($VALKEY_IMAGE)
  --client C        raw | ioredis | node-redis | iovalkey, or a path to a driver module;
                    several, comma-separated                  (default raw)
  --resp 2|3        protocol version; several, comma-separated (default: all the client speaks)
  --group G,...     ${CORPUS_GROUPS.join(', ')}, ${PROPERTY_ONLY_GROUPS.join(', ')} (properties only) (default all; model runs add 'joint' then)
  --kind K,...      example, property, model                  (default all)
  --only TEXT       only the cases whose name contains TEXT ("property string/incr")
  --seed N          seed for properties and model runs        (default random, printed)
  --runs N          sequences per model-based group           (default 100)
  --property-runs N runs per property                         (default 50)
  --reference R     model runs compare with: binary | mock | url | container | none
                    (default: binary for --target mock; for another target, that
                    server through the raw driver when --client is not raw)
  --path P          replay a failure: fast-check path (with its --seed, --kind and --group)
  --replay-path P   replay a model failure's command list (fast-check replayPath)
  --url URL         server for --target url / --reference url (default $VALKEY_URL)
  --allow-flush     let --target url empty a server that holds keys
  --junit FILE      write JUnit XML
  --json FILE       write a JSON report
  -v, --verbose     print every case as it finishes
  -h, --help        print this help`;

class UsageError extends Error {}

function list(v: string | undefined, all: readonly string[], what: string): string[] | undefined {
  if (v === undefined) return undefined;
  const xs = v.split(',').map((x) => x.trim()).filter(Boolean);
  for (const x of xs) if (!all.includes(x)) throw new UsageError(`unknown ${what} '${x}' (one of ${all.join(', ')})`);
  return xs;
}

function int(v: string | undefined, name: string, min = 0): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got '${v}'`);
  return Number(v);
}

interface Out {
  log(s: string): void;
  progress(s: string): void;
}

function consoleOut(): Out {
  const tty = process.stdout.isTTY === true;
  let last = '';
  let lastLogged = -Infinity;
  return {
    log(s) {
      if (tty && last) process.stdout.write('\r\x1b[K');
      last = '';
      console.log(s);
    },
    progress(s) {
      if (tty) {
        process.stdout.write('\r\x1b[K' + s.slice(0, (process.stdout.columns || 100) - 1));
        last = s;
      } else if (performance.now() - lastLogged > 5000) {
        // Not a terminal (a CI log): a progress line every few seconds.
        lastLogged = performance.now();
        console.log(s);
      }
    },
  };
}

/** Runs the CLI; resolves with the exit code (0 all passed, 1 failures, 2 usage or setup errors). */
export async function main(argv: string[], out: Out = consoleOut()): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        target: { type: 'string', default: 'mock' },
        client: { type: 'string', default: 'raw' },
        resp: { type: 'string' },
        group: { type: 'string' },
        kind: { type: 'string' },
        only: { type: 'string' },
        seed: { type: 'string' },
        runs: { type: 'string' },
        'property-runs': { type: 'string' },
        reference: { type: 'string' },
        path: { type: 'string' },
        'replay-path': { type: 'string' },
        url: { type: 'string' },
        'allow-flush': { type: 'boolean' },
        junit: { type: 'string' },
        json: { type: 'string' },
        verbose: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    console.error(`valkey-double conformance: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    out.log(USAGE);
    return 0;
  }
  let opts;
  try {
    const target = list(values.target, TARGET_NAMES, 'target')![0] as TargetName;
    const reference = values.reference === undefined ? undefined : list(values.reference, [...TARGET_NAMES, 'none'], 'reference')![0]!;
    opts = {
      target,
      reference,
      clients: values.client.split(',').map((c) => c.trim()).filter(Boolean),
      resp: list(values.resp, ['2', '3'], 'RESP version')?.map(Number) as (2 | 3)[] | undefined,
      groups: list(values.group, [...CORPUS_GROUPS, ...PROPERTY_ONLY_GROUPS, 'joint'], 'group'),
      kinds: list(values.kind, KINDS, 'kind') as Kind[] | undefined,
      seed: int(values.seed, 'seed'),
      runs: int(values.runs, 'runs', 1),
      propertyRuns: int(values['property-runs'], 'property-runs', 1),
    };
    if (values.path !== undefined && opts.seed === undefined) throw new UsageError('--path needs the --seed it was found with');
    if (values.path !== undefined && (opts.kinds?.length !== 1 || opts.kinds[0] === 'example')) {
      throw new UsageError('--path replays one failure: give its --kind (model or property) and --group too');
    }
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`valkey-double conformance: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }

  const seed = opts.seed ?? randomSeed();
  const started: Target[] = [];
  const start = async (name: TargetName, clock?: 'virtual' | 'system'): Promise<Target> => {
    const t = await startTarget(name, { ...(values.url ? { url: values.url } : {}), ...(clock ? { clock } : {}) });
    started.push(t);
    return t;
  };
  try {
    let target: Target;
    try {
      target = await start(opts.target);
    } catch (e) {
      if (e instanceof TargetUnavailable) {
        console.error(`valkey-double conformance: ${e.message}`);
        return 2;
      }
      throw e;
    }
    if (target.name === 'url' && !values['allow-flush'] && !(await isEmpty(target))) {
      console.error(`valkey-double conformance: the server at --target url holds keys, and the corpus empties it (FLUSHALL) before every case. Pass --allow-flush if that is fine.`);
      return 2;
    }
    const drivers: Driver[] = [];
    for (const c of opts.clients) {
      try {
        drivers.push(await loadDriver(c));
      } catch (e) {
        console.error(`valkey-double conformance: ${(e as Error).message}`);
        return 2;
      }
    }
    const wantsModel = !opts.kinds || opts.kinds.includes('model');
    // The model runs' reference, and the mock on real time for them (the reference's clock runs).
    let refTarget: Target | undefined;
    let refNote = '';
    const refName = opts.reference ?? (opts.target === 'mock' ? 'binary' : undefined);
    if (wantsModel && refName && refName !== 'none') {
      try {
        refTarget = refName === opts.target && opts.target !== 'mock' ? target : await start(refName as TargetName, 'system');
      } catch (e) {
        if (!(e instanceof TargetUnavailable)) throw e;
        refNote = `model runs skipped: ${e.message}`;
      }
    }
    const modelTarget = wantsModel && target.name === 'mock' && refTarget ? await start('mock', 'system') : undefined;

    out.log(`valkey-double conformance: target ${target.description}; seed ${seed}`);
    if (refTarget) out.log(`model runs compare with ${refTarget.description}`);
    if (refNote) out.log(refNote);

    const runs: CorpusRun[] = [];
    for (const driver of drivers) {
      for (const resp of opts.resp ?? driver.protocols) {
        if (!driver.protocols.includes(resp)) {
          out.log(`${driver.name}: RESP${resp} skipped (the client speaks RESP${driver.protocols.join('/')})`);
          continue;
        }
        // Same server, other client: the reference goes through the raw driver.
        let reference: { target: Target; driver: Driver } | undefined;
        if (refTarget) reference = { target: refTarget, driver };
        else if (wantsModel && !opts.reference && target.name !== 'mock' && !driver.exact) {
          reference = { target, driver: await loadDriver('raw') };
        }
        out.log(`\n== ${driver.name}, RESP${resp}${reference ? `; model reference: ${reference.target === target ? 'same server' : reference.target.name} via ${reference.driver.name}` : ''}`);
        const progress = progressCounter(performance.now());
        const run = await runCorpus({
          target, driver, resp, seed,
          ...(opts.groups ? { groups: opts.groups.filter((g) => g !== 'joint') } : {}),
          ...(opts.kinds ? { kinds: opts.kinds } : {}),
          ...(values.only ? { only: values.only } : {}),
          ...(opts.runs ? { modelRuns: opts.runs } : {}),
          ...(opts.propertyRuns ? { propertyRuns: opts.propertyRuns } : {}),
          ...(values.path ? { path: values.path } : {}),
          ...(values['replay-path'] ? { replayPath: values['replay-path'] } : {}),
          ...(reference ? { reference } : {}),
          ...(modelTarget && reference?.target === refTarget ? { modelTarget } : {}),
          onResult: (r, done, total) => {
            if (r.status === 'failed') out.log(`✗ ${r.id}`);
            else if (values.verbose) out.log(`${r.status === 'passed' ? '✓' : '-'} ${r.id}${r.reason ? ` (${r.reason})` : ''}`);
            out.progress(progress(r, done, total));
          },
        });
        runs.push(run);
        const failures = formatFailures(run.results);
        if (failures) out.log(`\nfailures:\n${failures}`);
        out.log('\n' + formatTable(commandTable(run.results)));
        out.log(`\n${formatSummary(run)}  (${(run.durationMs / 1000).toFixed(1)} s)`);
      }
    }
    if (values.junit) writeFileSync(values.junit, junitXml(runs));
    if (values.json) writeFileSync(values.json, jsonReport(runs));
    const failed = runs.some((r) => r.results.some((x) => x.status === 'failed'));
    const all = runs.flatMap((r) => r.results);
    out.log(`\nconformance: ${all.filter((r) => r.status === 'passed').length} passed, ${all.filter((r) => r.status === 'failed').length} failed, ${all.filter((r) => r.status === 'skipped').length} skipped (seed ${seed})`);
    return failed ? 1 : 0;
  } catch (e) {
    if (e instanceof DriverUnavailable || e instanceof TargetUnavailable) {
      console.error(`valkey-double conformance: ${e.message}`);
      return 2;
    }
    throw e;
  } finally {
    for (const t of started.reverse()) await t.close().catch(() => {});
  }
}

/** The progress line of one run: counts so far, time, the case just finished. */
function progressCounter(t0: number): (r: CaseResult, done: number, total: number) => string {
  const n = { passed: 0, failed: 0, skipped: 0 };
  return (r, done, total) => {
    n[r.status]++;
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    return `[${done}/${total}] ${n.passed} passed, ${n.failed} failed, ${n.skipped} skipped, ${secs} s  ${r.id}`;
  };
}

async function isEmpty(target: Target): Promise<boolean> {
  const { openAdmin } = await import('./run.js');
  const admin = await openAdmin(target);
  try {
    const r = await admin.send(['INFO', 'keyspace']);
    if (isErr(r.value)) return false;
    return !/db\d+:keys=[1-9]/.test(String(r.value));
  } finally {
    await admin.close();
  }
}

if (process.argv[1] && /conformance[/\\]cli\.(ts|js)$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e: unknown) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exit(1);
  });
}
