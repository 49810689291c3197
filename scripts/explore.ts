/**
 * Exploration outside the gate: runs every suite that holds fast-check
 * properties or model-based runs again and again, each time with a fresh base
 * seed (VALKEY_DOUBLE_SEED) and more runs (VALKEY_DOUBLE_RUNS_FACTOR), until
 * the time budget is spent. Every failure is printed with the line that
 * replays it and written to reports/explore.{json,md}.
 *
 *   npm run explore -- [--minutes 30] [--factor 4] [--only set,zset] [--seed N]
 *
 * A difference found here becomes a fixed regression case with its fix; a
 * nondeterminism of the real server becomes a named loosening with the
 * real-vs-real evidence (test/differential/real-vs-real.ts).
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { replayLine } from '../test/support/seeds.js';

interface Options {
  minutes: number;
  factor: number;
  only: string[];
  seed: number | undefined;
}

interface Finding {
  seed: number;
  file: string;
  test: string;
  message: string;
  replay: string;
}

interface Round {
  seed: number;
  seconds: number;
  passed: number;
  failed: number;
}

const ROOT = process.cwd();

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { minutes: 30, factor: 4, only: [], seed: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    if (a === '--minutes') o.minutes = Number(v());
    else if (a === '--factor') o.factor = Number(v());
    else if (a === '--only') o.only = v().split(',').filter(Boolean);
    else if (a === '--seed') o.seed = Number(v());
    else if (a === '--help' || a === '-h') {
      console.log('npm run explore -- [--minutes 30] [--factor 4] [--only substring,...] [--seed N (one round)]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!(o.minutes > 0) || !Number.isInteger(o.factor) || o.factor < 1) throw new Error('--minutes must be > 0 and --factor a positive integer');
  return o;
}

/** Test files that run fast-check properties or the model-based corpus. */
function propertySuites(only: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.test.ts')) {
        const text = readFileSync(p, 'utf8');
        if (/\bfc\.(assert|check)\(|defineConformance\(/.test(text)) out.push(relative(ROOT, p));
      }
    }
  };
  for (const d of ['src', 'test', 'conformance', 'adapters']) walk(join(ROOT, d));
  out.sort();
  return only.length ? out.filter((f) => only.some((s) => f.includes(s))) : out;
}

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; message?: string; assertionResults: { fullName: string; title: string; status: string; failureMessages: string[] }[] }[];
}

async function runRound(files: readonly string[], seed: number, factor: number, deadline: number): Promise<{ findings: Finding[]; round: Round }> {
  const out = join(ROOT, 'reports', `explore-round-${process.pid}.json`);
  rmSync(out, { force: true });
  const started = Date.now();
  const env = { ...process.env, VALKEY_DOUBLE_SEED: String(seed), VALKEY_DOUBLE_RUNS_FACTOR: String(factor), VALKEY_DOUBLE_REQUIRE_ORACLE: '1' };
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...files, '--reporter=dot', '--reporter=json', `--outputFile.json=${out}`, '--testTimeout=1200000'], {
    env, stdio: ['ignore', 'ignore', 'inherit'],
  });
  // The budget is a bound: a round still running at the deadline (plus a grace) is stopped.
  const killer = setTimeout(() => child.kill('SIGTERM'), Math.max(0, deadline - Date.now()) + 10 * 60_000);
  await new Promise<void>((resolve) => child.on('exit', () => resolve()));
  clearTimeout(killer);
  const seconds = Math.round((Date.now() - started) / 1000);
  const findings: Finding[] = [];
  let report: VitestJson | undefined;
  try {
    report = JSON.parse(readFileSync(out, 'utf8')) as VitestJson;
  } catch {
    findings.push({ seed, file: '(all)', test: '(round)', message: 'vitest left no report (stopped at the time limit or crashed)', replay: replayLine(seed, undefined, undefined) });
  }
  rmSync(out, { force: true });
  for (const f of report?.testResults ?? []) {
    const file = relative(ROOT, f.name);
    const failed = f.assertionResults.filter((a) => a.status === 'failed');
    if (failed.length === 0 && f.message) findings.push({ seed, file, test: '(file)', message: f.message, replay: replayLine(seed, file, undefined) });
    for (const a of failed) {
      findings.push({ seed, file, test: a.fullName, message: a.failureMessages.join('\n'), replay: replayLine(seed, file, a.title) });
    }
  }
  return { findings, round: { seed, seconds, passed: report?.numPassedTests ?? 0, failed: report?.numFailedTests ?? 0 } };
}

function writeReports(opts: Options, files: readonly string[], rounds: readonly Round[], findings: readonly Finding[], seconds: number): void {
  mkdirSync(join(ROOT, 'reports'), { recursive: true });
  writeFileSync(join(ROOT, 'reports', 'explore.json'), JSON.stringify({ options: opts, files, seconds, rounds, findings }, null, 2) + '\n');
  const lines = [
    `# Exploration: ${rounds.length} round${rounds.length === 1 ? '' : 's'} in ${Math.round(seconds / 60)} min, runs x${opts.factor}`,
    '',
    `Suites (${files.length}): ${files.join(', ')}`,
    '',
    '| base seed | seconds | passed | failed |',
    '| ---: | ---: | ---: | ---: |',
    ...rounds.map((r) => `| ${r.seed} | ${r.seconds} | ${r.passed} | ${r.failed} |`),
    '',
    findings.length ? `## ${findings.length} finding${findings.length === 1 ? '' : 's'}` : '## No findings',
    '',
  ];
  for (const f of findings) {
    lines.push(`### ${f.file} > ${f.test} (base seed ${f.seed})`, '', '```', f.message.split('\n').slice(0, 40).join('\n'), '```', '', `Replay: \`${f.replay}\``, '');
  }
  writeFileSync(join(ROOT, 'reports', 'explore.md'), lines.join('\n'));
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const files = propertySuites(opts.only);
  if (files.length === 0) throw new Error('no property suites matched');
  const t0 = Date.now();
  const deadline = t0 + opts.minutes * 60_000;
  const rounds: Round[] = [];
  const findings: Finding[] = [];
  console.log(`[explore] ${files.length} suites, runs x${opts.factor}, for ${opts.minutes} min`);
  do {
    const seed = opts.seed ?? randomInt(1, 0x7fffffff);
    console.log(`[explore] round ${rounds.length + 1}: VALKEY_DOUBLE_SEED=${seed}`);
    const r = await runRound(files, seed, opts.factor, deadline);
    rounds.push(r.round);
    for (const f of r.findings) {
      findings.push(f);
      console.log(`\n[explore] FOUND ${f.file} > ${f.test}\n${f.message.split('\n').slice(0, 12).join('\n')}\n  replay: ${f.replay}\n`);
    }
    console.log(`[explore] round ${rounds.length}: ${r.round.passed} passed, ${r.round.failed} failed in ${r.round.seconds}s`);
    writeReports(opts, files, rounds, findings, (Date.now() - t0) / 1000);
    // Start another round only if one more (as long as the longest so far) fits the budget.
  } while (opts.seed === undefined && Date.now() + Math.max(...rounds.map((r) => r.seconds)) * 1000 <= deadline);
  console.log(`[explore] ${rounds.length} rounds in ${Math.round((Date.now() - t0) / 1000)}s: ${findings.length} finding(s); report in reports/explore.md`);
  process.exitCode = findings.length ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
