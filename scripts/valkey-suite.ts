/**
 * Valkey's own test suite (tests/ in the oracle's source tree, Tcl) against
 * valkey-double or a real Valkey 9, one `runtest` per unit file, with a
 * ratchet: the committed list of tests that pass against valkey-double.
 *
 *   npm run valkey-suite -- [--target mock|binary] [--host H --port P] [--only unit/type/hash,...]
 *                           [--check] [--update] [--readme] [--file-timeout 480] [--stall 150]
 *                           [--tags "..."] [--with-debug]
 *
 * --target mock starts valkey-double (its CLI, in a child process) on a free
 * port; binary starts the oracle; --host/--port use a server already running.
 * Between files the target must still answer PING (a mock or binary target
 * that does not is restarted, and the file is counted as a crash), its
 * configuration is put back to what `CONFIG GET *` said at the start, and
 * every database is emptied.
 *
 * --with-debug also runs the tests tagged needs:debug: it drops
 * `-needs:debug` from the tags and starts the mock and binary targets with
 * `--enable-debug-command yes` (an external target must have it already).
 * Between files it also turns active expiry back on and the quicklist packed
 * threshold off (DEBUG SET-ACTIVE-EXPIRE 1, QUICKLIST-PACKED-THRESHOLD 0), as
 * a test that fails half-way may leave them changed. Its reports go to
 * reports/valkey-suite/<target>-debug/ and it records nothing: the committed
 * figures and the ratchet are for the default tags.
 *
 * Reports go to reports/valkey-suite/<target>/: summary.json (per file: ok,
 * err, exception, ignored, seconds), tests.tsv (every test and its outcome)
 * and junit.xml. With --update or --readme the per-target figures are also
 * written to test/valkey-suite/results-<target>.json (committed), from which
 * the README table is made.
 *
 * The ratchet (--check, CI): test/valkey-suite/passing.tsv lists the tests
 * that pass against valkey-double. The run fails when a listed test does not
 * pass (a regression) or a test passes that is not listed (update the list
 * with --update). test/valkey-suite/known.tsv lists tests that fail on a real
 * Valkey in external mode, or pass only some of the time, with the reason:
 * they count neither way.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer as netServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RawClient } from '../conformance/targets/raw-client.js';

const ROOT = process.cwd();
const SUITE_DIR = join(ROOT, 'test', 'valkey-suite');
const PASSING = join(SUITE_DIR, 'passing.tsv');
const KNOWN = join(SUITE_DIR, 'known.tsv');

/** The unit files that have tests running in external mode (issue: the Valkey test suite). */
export const UNIT_FILES = [
  'type/string', 'type/incr', 'type/list', 'type/list-3', 'type/hash', 'hashexpire', 'type/set', 'type/zset',
  'type/stream', 'type/stream-cgroups', 'expire', 'keyspace', 'scan', 'multi', 'pubsub', 'pubsubshard', 'scripting',
  'functions', 'bitops', 'bitfield', 'hyperloglog', 'geo', 'sort', 'dump', 'info-command', 'introspection',
  'introspection-2', 'protocol', 'auth', 'acl', 'acl-v2', 'tracking', 'other', 'quit', 'querybuf', 'latency-monitor',
  'lazyfree', 'pause', 'networking', 'replybufsize', 'slowlog', 'commandlog', 'violations', 'tls',
].map((f) => `unit/${f}`);

const DEFAULT_TAGS = '-slow -needs:debug -needs:pfdebug -needs:repl -needs:save -needs:local-process';

type Target = 'mock' | 'binary' | 'external';
type Outcome = 'ok' | 'err' | 'exception' | 'timeout';

interface Options {
  target: Target;
  host: string;
  port: number;
  only: string[];
  tags: string;
  check: boolean;
  update: boolean;
  readme: boolean;
  fileTimeout: number;
  stall: number;
  /** --with-debug: needs:debug tests run too, against targets started with enable-debug-command yes. */
  withDebug: boolean;
}

interface TestResult {
  file: string;
  name: string;
  outcome: Outcome;
  ms: number;
  detail: string;
}

interface FileResult {
  file: string;
  ok: number;
  err: number;
  exception: number;
  ignored: number;
  skipped: number;
  seconds: number;
  /** How the file ended: 'done', 'exception', 'timeout' (hard limit), 'stall', 'crash' (target stopped answering). */
  end: string;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = {
    target: 'mock', host: '127.0.0.1', port: 0, only: [], tags: DEFAULT_TAGS, check: false, update: false, readme: false,
    fileTimeout: 480, stall: 150, withDebug: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    if (a === '--target') {
      const t = v();
      if (t !== 'mock' && t !== 'binary') throw new Error('--target is mock or binary (or give --host/--port)');
      o.target = t;
    } else if (a === '--host') o.host = v();
    else if (a === '--port') o.port = Number(v());
    else if (a === '--only') o.only = v().split(',').filter(Boolean).map((f) => (f.startsWith('unit/') ? f : `unit/${f}`));
    else if (a === '--tags') o.tags = v();
    else if (a === '--check') o.check = true;
    else if (a === '--update') o.update = true;
    else if (a === '--readme') o.readme = true;
    else if (a === '--file-timeout') o.fileTimeout = Number(v());
    else if (a === '--stall') o.stall = Number(v());
    else if (a === '--with-debug') o.withDebug = true;
    else if (a === '--help' || a === '-h') {
      console.log('npm run valkey-suite -- [--target mock|binary] [--host H --port P] [--only unit/x,...] [--check] [--update] [--readme] [--tags "..."] [--with-debug]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (o.port) o.target = 'external';
  if ((o.check || o.update) && o.target !== 'mock') throw new Error('--check and --update apply to the mock target');
  if (o.withDebug) {
    if (o.check || o.update || o.readme) throw new Error('--with-debug records nothing: --check, --update and --readme are for the default tags');
    o.tags = withDebugTags(o.tags);
  }
  return o;
}

/** The tags with `-needs:debug` taken out (the rest, e.g. -needs:pfdebug, stays). */
export function withDebugTags(tags: string): string {
  return tags.split(/\s+/).filter((t) => t !== '' && t !== '-needs:debug').join(' ');
}

// --- the oracle's tree -------------------------------------------------------

function oracleDir(): string {
  // scripts/oracle.sh builds or reuses the cached oracle and prints its directory last.
  const out = execFileSync('bash', [join(ROOT, 'scripts', 'oracle.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const dir = out.trim().split('\n').pop()!;
  if (!existsSync(join(dir, 'tree', 'runtest'))) throw new Error(`no Valkey source tree in ${dir}/tree (run npm run oracle)`);
  return dir;
}

// --- targets -----------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = netServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

interface RunningTarget {
  host: string;
  port: number;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function waitPing(host: string, port: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ping(host, port)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function ping(host: string, port: number): Promise<boolean> {
  let c: RawClient | undefined;
  try {
    c = await withTimeout(RawClient.connect(port, host), 2000);
    const r = await withTimeout(c.send(['PING']), 2000);
    return r.raw === '+PONG\r\n';
  } catch {
    return false;
  } finally {
    c?.close();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e instanceof Error ? e : new Error(String(e))); });
  });
}

async function startTarget(opts: Options, oracle: string): Promise<RunningTarget> {
  if (opts.target === 'external') {
    if (!(await waitPing(opts.host, opts.port, 5000))) throw new Error(`${opts.host}:${opts.port} does not answer PING`);
    return { host: opts.host, port: opts.port, restart: async () => { throw new Error('the external target stopped answering'); }, stop: async () => {} };
  }
  const port = await freePort();
  const workDir = mkdtempSync(join(tmpdir(), 'valkey-suite-'));
  let child: ChildProcess | undefined;
  const debugArgs = opts.withDebug ? ['--enable-debug-command', 'yes'] : [];
  const launch = async () => {
    child = opts.target === 'mock'
      // One process, tsx as a loader (not tsx's CLI, which runs the server in a child that a SIGKILL would orphan).
      ? spawn(process.execPath, ['--import', pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, join(ROOT, 'src', 'cli.ts'), '--port', String(port), ...debugArgs], { stdio: 'ignore', cwd: workDir })
      // Its own working directory: a test that runs SAVE writes nothing into the checkout.
      : spawn(join(oracle, 'valkey-server'), ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--logfile', '', '--dir', workDir, ...debugArgs], { stdio: 'ignore', cwd: workDir });
    if (!(await waitPing('127.0.0.1', port, 20_000))) throw new Error(`the ${opts.target} target did not start`);
  };
  const kill = () => new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
  await launch();
  const stop = async () => {
    await kill();
    rmSync(workDir, { recursive: true, force: true });
  };
  return { host: '127.0.0.1', port, restart: async () => { await kill(); await launch(); }, stop };
}

// --- configuration between files ---------------------------------------------

async function configSnapshot(host: string, port: number): Promise<Map<string, string>> {
  const c = await RawClient.connect(port, host);
  try {
    const r = await c.send(['CONFIG', 'GET', '*']);
    const m = new Map<string, string>();
    const v = r.value;
    const items = v.type === 'array' && v.value ? v.value : [];
    for (let i = 0; i + 1 < items.length; i += 2) {
      const k = items[i]!;
      const x = items[i + 1]!;
      if (k.type === 'bulk' && x.type === 'bulk') m.set(String(k.value), String(x.value));
    }
    return m;
  } finally {
    c.close();
  }
}

/** Ends pauses and scripts, puts back every parameter that differs from `base`, empties the data, and drops other clients. */
async function restore(host: string, port: number, base: Map<string, string>, withDebug = false): Promise<string[]> {
  const now = await configSnapshot(host, port);
  const changed: string[] = [];
  const c = await RawClient.connect(port, host);
  try {
    // A pause or a running script that a file left behind would hold every later command (the replies are not checked).
    await c.send(['CLIENT', 'UNPAUSE']);
    await c.send(['SCRIPT', 'KILL']);
    await c.send(['FUNCTION', 'KILL']);
    for (const [k, v] of base) {
      if (now.get(k) === v) continue;
      const r = await c.send(['CONFIG', 'SET', k, v]);
      changed.push(r.raw.startsWith('+') ? k : `${k} (not restored: ${r.raw.trim()})`);
    }
    await c.send(['FLUSHALL']);
    if (withDebug) {
      await c.send(['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
      await c.send(['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0']);
    }
    await c.send(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']);
    await c.send(['CLIENT', 'KILL', 'TYPE', 'pubsub', 'SKIPME', 'yes']);
  } finally {
    c.close();
  }
  return changed;
}

// --- one unit file -----------------------------------------------------------

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** What one `runtest --single` printed: every test's outcome and the file's counts. */
export function parseRuntestOutput(file: string, out: string, end = 'done'): { result: FileResult; tests: TestResult[] } {
  const tests: TestResult[] = [];
  const r: FileResult = { file, ok: 0, err: 0, exception: 0, ignored: 0, skipped: 0, seconds: 0, end };
  const lines = out.replace(ANSI, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^\[ok\]: (.*) \((\d+) ms\)$/))) {
      r.ok++;
      tests.push({ file, name: m[1]!, outcome: 'ok', ms: Number(m[2]), detail: '' });
    } else if ((m = line.match(/^\[err\]: (.*) in tests\/\S+\.tcl$/))) {
      r.err++;
      const detail: string[] = [];
      for (let j = i + 1; j < lines.length && !lines[j]!.startsWith('['); j++) detail.push(lines[j]!);
      tests.push({ file, name: m[1]!, outcome: 'err', ms: 0, detail: detail.join('\n').trim().slice(0, 2000) });
    } else if (line.startsWith('[exception]:')) {
      r.exception++;
      if (r.end === 'done') r.end = 'exception';
      const detail = lines.slice(i, i + 12).join('\n');
      tests.push({ file, name: '(exception)', outcome: 'exception', ms: 0, detail: detail.slice(0, 2000) });
    } else if (line.startsWith('[ignore]:')) r.ignored++;
    else if (line.startsWith('[skip]:')) r.skipped++;
  }
  return { result: r, tests };
}

/** runtest's own per-test timeout (seconds without progress): the longest test on a real server takes about 40 s, the HyperLogLog fuzzer on the mock up to 90 s on a loaded machine. */
const TEST_TIMEOUT = 120;

/**
 * Runs one unit file. A test that hangs (runtest's --timeout names it) costs
 * that test only: the file is run again with every test already reported,
 * and the hanging one, skipped (--skiptest), until it ends or its hard time
 * limit is spent. The stall limit is the backstop for a runtest that prints
 * nothing at all.
 */
async function runFile(tree: string, file: string, host: string, port: number, opts: Options): Promise<{ result: FileResult; tests: TestResult[] }> {
  const started = Date.now();
  const total: FileResult = { file, ok: 0, err: 0, exception: 0, ignored: 0, skipped: 0, seconds: 0, end: 'done' };
  const tests: TestResult[] = [];
  const skip: string[] = [];
  for (;;) {
    const { out, end } = await runtestOnce(tree, file, host, port, opts, skip, started);
    const { result: r, tests: ts } = parseRuntestOutput(file, out, end);
    tests.push(...ts);
    total.ok += r.ok;
    total.err += r.err;
    total.exception += r.exception;
    if (skip.length === 0) total.ignored = r.ignored; // a resumed run reports the same ignored tests again
    total.end = r.end;
    const hung = hangingTest(out);
    if (hung !== undefined && !skip.includes(hung) && (Date.now() - started) < opts.fileTimeout * 1000) {
      tests.push({ file, name: hung, outcome: 'timeout', ms: 0, detail: `no progress for ${TEST_TIMEOUT} s (runtest --timeout); the file was resumed after it` });
      total.err++;
      for (const t of ts) if (!skip.includes(t.name)) skip.push(t.name);
      skip.push(hung);
      continue;
    }
    if (hung !== undefined) {
      tests.push({ file, name: hung, outcome: 'timeout', ms: 0, detail: `no progress for ${TEST_TIMEOUT} s (runtest --timeout)` });
      total.err++;
      total.end = 'timeout';
    } else if (r.end !== 'done' && r.end !== 'exception') {
      tests.push({ file, name: `(${r.end})`, outcome: 'timeout', ms: 0, detail: out.replace(ANSI, '').split('\n').slice(-20).join('\n') });
    }
    break;
  }
  total.seconds = Math.round((Date.now() - started) / 100) / 10;
  return { result: total, tests };
}

/**
 * A --baseport for runtest, whose test server listens on base - 32 (servers
 * of its own, from base upwards, are not started in external mode): 32 above
 * a port the OS just handed out, so that two suite runs on one machine differ.
 */
async function freeBasePort(): Promise<number> {
  const p = await new Promise<number>((resolve, reject) => {
    const srv = netServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
  // The test server then takes exactly the port just freed.
  return p + 32 <= 65_535 ? p + 32 : 21_111;
}

/** The test runtest's own --timeout stopped ("*** [TIMEOUT]: <name> in <file>" in its closing list). */
export function hangingTest(out: string): string | undefined {
  const m = out.replace(ANSI, '').match(/^\*\*\* \[TIMEOUT\]: (.*) in tests\/\S+\.tcl$/m);
  return m ? m[1] : undefined;
}

async function runtestOnce(tree: string, file: string, host: string, port: number, opts: Options, skip: readonly string[], started: number): Promise<{ out: string; end: string }> {
  // runtest's own test server listens just below --baseport: a free base of our own keeps parallel runs (other checkouts) apart.
  const baseport = await freeBasePort();
  const args = ['--host', host, '--port', String(port), '--baseport', String(baseport), '--clients', '1', '--timeout', String(TEST_TIMEOUT), '--dont-pre-clean', '--durable',
    '--single', file, '--tags', opts.tags, ...skip.flatMap((name) => ['--skiptest', name])];
  const child = spawn(join(tree, 'runtest'), args, { cwd: tree, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let last = Date.now();
  let end = 'done';
  const onData = (d: Buffer) => { out += d.toString('utf8'); last = Date.now(); };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const killGroup = (why: string) => {
    end = why;
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
  };
  const timer = setInterval(() => {
    if (Date.now() - started > opts.fileTimeout * 1000) killGroup('timeout');
    else if (Date.now() - last > opts.stall * 1000) killGroup('stall');
  }, 500);
  await new Promise<void>((resolve) => child.on('close', () => resolve()));
  clearInterval(timer);
  return { out, end };
}

// --- the ratchet -------------------------------------------------------------

/** file<TAB>name, one a line; a name may appear more than once in a file (then it is listed as often). */
function readList(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
}

interface Known {
  key: string;
  kind: string;
  reason: string;
}

function readKnown(): Known[] {
  return readList(KNOWN).map((l) => {
    const [file, name, kind, reason] = l.split('\t');
    return { key: `${file}\t${name}`, kind: kind ?? '', reason: reason ?? '' };
  });
}

function multiset(keys: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

/** The ratchet's verdict: listed tests that did not pass, and passing tests that are not listed (multisets). */
export function compareRatchet(listed: readonly string[], passing: readonly string[], known: ReadonlySet<string>, files: readonly string[]): { regressions: string[]; added: string[] } {
  const inRun = new Set(files);
  const want = multiset(listed.filter((k) => inRun.has(k.split('\t')[0]!) && !known.has(k)));
  const have = multiset(passing.filter((k) => !known.has(k)));
  const regressions: string[] = [];
  const added: string[] = [];
  for (const [k, n] of want) for (let i = have.get(k) ?? 0; i < n; i++) regressions.push(k);
  for (const [k, n] of have) for (let i = want.get(k) ?? 0; i < n; i++) added.push(k);
  return { regressions, added };
}

function ratchet(tests: readonly TestResult[], files: readonly string[], update: boolean): { regressions: string[]; added: string[] } {
  const known = new Set(readKnown().map((k) => k.key));
  const listed = readList(PASSING);
  const passing = tests.filter((t) => t.outcome === 'ok').map((t) => `${t.file}\t${t.name}`).filter((k) => !known.has(k));
  const verdict = compareRatchet(listed, passing, known, files);
  if (update) {
    if (verdict.regressions.length) throw new Error(`--update refuses to drop tests from the list (the list only grows); fix these first:\n${verdict.regressions.join('\n')}`);
    const inRun = new Set(files);
    const kept = listed.filter((k) => !inRun.has(k.split('\t')[0]!));
    const next = [...kept, ...passing].sort();
    mkdirSync(SUITE_DIR, { recursive: true });
    writeFileSync(PASSING, `# Tests of Valkey's own suite that pass against valkey-double (scripts/valkey-suite.ts --update). Only grows.\n${next.join('\n')}\n`);
  }
  return verdict;
}

// --- reports -----------------------------------------------------------------

function xmlEscape(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** Reports of this run; with `record` (--update, --readme) also the committed figures the README table is made from. */
function writeReports(target: Target, results: readonly FileResult[], tests: readonly TestResult[], record: boolean, name: string = target): void {
  const dir = join(ROOT, 'reports', 'valkey-suite', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(dir, 'tests.tsv'), 'file\ttest\toutcome\tms\n' + tests.map((t) => `${t.file}\t${t.name}\t${t.outcome}\t${t.ms}`).join('\n') + '\n');
  const suites = results.map((r) => {
    const ts = tests.filter((t) => t.file === r.file);
    const cases = ts.map((t) => `    <testcase classname="${xmlEscape(t.file)}" name="${xmlEscape(t.name)}" time="${t.ms / 1000}">`
      + (t.outcome === 'ok' ? '' : `<failure message="${t.outcome}">${xmlEscape(t.detail)}</failure>`) + '</testcase>');
    return `  <testsuite name="${xmlEscape(r.file)}" tests="${ts.length}" failures="${ts.length - r.ok}" time="${r.seconds}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  writeFileSync(join(dir, 'junit.xml'), `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${suites.join('\n')}\n</testsuites>\n`);
  if (record && target !== 'external') {
    mkdirSync(SUITE_DIR, { recursive: true });
    const path = join(SUITE_DIR, `results-${target}.json`);
    const prev = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as FileResult[]) : [];
    const merged = new Map(prev.map((r) => [r.file, r]));
    for (const r of results) merged.set(r.file, r);
    writeFileSync(path, JSON.stringify(UNIT_FILES.filter((f) => merged.has(f)).map((f) => merged.get(f)), null, 2) + '\n');
  }
}

const README_START = '<!-- valkey-suite:start -->';
const README_END = '<!-- valkey-suite:end -->';

/** The README's per-file table, from the committed results of both targets. */
export function readmeTable(): string {
  const read = (t: string): Map<string, FileResult> => {
    const p = join(SUITE_DIR, `results-${t}.json`);
    return new Map(existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as FileResult[]).map((r) => [r.file, r]) : []);
  };
  const mock = read('mock');
  const real = read('binary');
  const listed = readList(PASSING).length;
  const sum = (m: Map<string, FileResult>, k: 'ok' | 'err') => [...m.values()].reduce((a, r) => a + r[k], 0);
  const rows = UNIT_FILES.map((f) => {
    const m = mock.get(f);
    const b = real.get(f);
    const cell = (r: FileResult | undefined) => (r ? `${r.ok} | ${r.err}${r.exception ? ` + ${r.exception} exception` : ''}${r.end !== 'done' && r.end !== 'exception' ? ` (${r.end})` : ''}` : '– | –');
    return `| ${f} | ${cell(m)} | ${cell(b)} |`;
  });
  return [
    README_START,
    '<!-- Generated by `npm run valkey-suite -- --readme` from test/valkey-suite/results-*.json. Do not edit by hand. -->',
    '',
    `Valkey 9.1.2's own suite in external mode (tags \`${DEFAULT_TAGS}\`): valkey-double passes ${sum(mock, 'ok')} tests, `
      + `a real Valkey 9.1.2 passes ${sum(real, 'ok')} with the same options; ${listed} are on the ratchet list.`,
    '',
    '| unit file | valkey-double ok | err | Valkey 9.1.2 ok | err |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
    README_END,
  ].join('\n');
}

function writeReadme(): void {
  const p = join(ROOT, 'README.md');
  const s = readFileSync(p, 'utf8');
  const a = s.indexOf(README_START);
  const b = s.indexOf(README_END);
  if (a < 0 || b < 0) throw new Error(`README.md has no ${README_START} … ${README_END} markers`);
  writeFileSync(p, s.slice(0, a) + readmeTable() + s.slice(b + README_END.length));
}

// --- main --------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.readme && !opts.check && !opts.update && opts.only.length === 0 && process.argv.length === 3) {
    writeReadme();
    return;
  }
  const oracle = oracleDir();
  const tree = join(oracle, 'tree');
  const files = opts.only.length ? opts.only : UNIT_FILES;
  for (const f of files) if (!existsSync(join(tree, 'tests', `${f}.tcl`))) throw new Error(`no such unit file: ${f}`);
  const target = await startTarget(opts, oracle);
  const results: FileResult[] = [];
  const tests: TestResult[] = [];
  const t0 = Date.now();
  try {
    const base = await configSnapshot(target.host, target.port);
    for (const f of files) {
      const { result, tests: ts } = await runFile(tree, f, target.host, target.port, opts);
      if (!(await ping(target.host, target.port))) {
        result.end = 'crash';
        console.log(`  ${f}: the target stopped answering PING; restarting it`);
        await target.restart();
      } else {
        const changed = await restore(target.host, target.port, base, opts.withDebug);
        if (changed.length) console.log(`  ${f} left config changed: ${changed.join(', ')} (restored)`);
      }
      results.push(result);
      tests.push(...ts);
      console.log(`${f.padEnd(28)} ok ${String(result.ok).padStart(4)}  err ${String(result.err).padStart(3)}  exc ${result.exception}  ignored ${String(result.ignored).padStart(3)}  ${result.seconds}s${result.end === 'done' ? '' : `  (${result.end})`}`);
    }
  } finally {
    await target.stop();
  }
  const reportName = opts.withDebug ? `${opts.target}-debug` : opts.target;
  writeReports(opts.target, results, tests, opts.update || opts.readme, reportName);
  const total = results.reduce((a, r) => ({ ok: a.ok + r.ok, err: a.err + r.err }), { ok: 0, err: 0 });
  console.log(`\n${opts.target}: ${total.ok} passed, ${total.err} failed in ${files.length} files, ${Math.round((Date.now() - t0) / 1000)}s (reports/valkey-suite/${reportName}/, tags: ${opts.tags})`);
  if (opts.check || opts.update) {
    const { regressions, added } = ratchet(tests, files, opts.update);
    if (opts.update) console.log(`ratchet: list updated (${added.length} added)`);
    else {
      for (const k of regressions) console.log(`REGRESSION (on the list, did not pass): ${k.replace('\t', ' > ')}`);
      for (const k of added) console.log(`NEW PASS (not on the list: run with --update): ${k.replace('\t', ' > ')}`);
      console.log(`ratchet: ${regressions.length} regressions, ${added.length} new passes`);
      if (regressions.length || added.length) process.exitCode = 1;
    }
  }
  if (opts.readme) writeReadme();
}

// Run only as a script (tests import the pure parts).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  });
}
