/**
 * `npm run bench`: valkey-benchmark (from the oracle cache) against
 * valkey-double and against a real valkey-server, same workloads, requests/s
 * side by side with the ratio mock/real. Also measures start-to-ready.
 *
 *   npm run bench                    # all workloads
 *   npm run bench -- --profile       # also CPU-profile the mock and print its hot path
 *   npm run bench -- --runs 5        # best of 5 runs per workload (default 3)
 *   npm run bench -- --only P1       # workloads whose name contains P1
 *   npm run bench -- --clients       # only the client comparison: ioredis in process / over TCP / ioredis-mock
 *   npm run bench -- --cluster       # only the cluster figures (3×1 start, a 2,000-node topology)
 *   npm run bench -- --hot           # only the server's CPU per request, in process (bench/hot-path.ts)
 *   npm run bench -- --memory        # resident memory after the same fills on both servers (1M small keys...)
 *
 * The mock runs in its own process (the built CLI if `npm run build` was run,
 * else the source through tsx), like the real server does.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { findOracle, freePort, startOracle } from '../conformance/targets/oracle.js';
import { encodeCommand, RawClient } from '../conformance/targets/raw-client.js';
import { createServer } from '../src/index.js';
import { benchClients, formatClientRows } from './clients.js';
import { benchCluster } from './cluster.js';
import { hotPath } from './hot-path.js';
import { analyzeProfile, formatProfile } from './profile.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

interface Workload {
  name: string;
  args: string[];
  /** Connections subscribed to channel `bench` (reading and dropping what they get) while the workload runs. */
  subscribers?: number;
  /** Commands sent (pipelined, on one connection) before each run of the workload. */
  setup?: () => string[][];
}

/** A stream of `n` entries with a group `g` that has read none of them. */
const streamWithGroup = (n: number) => (): string[][] => [
  ['DEL', 'benchs'],
  ['XGROUP', 'CREATE', 'benchs', 'g', '0', 'MKSTREAM'],
  ...Array.from({ length: n }, (_, i) => ['XADD', 'benchs', '*', 'f', String(i)]),
];

const N = 200_000;
/** The row of a workload's result that holds the server's CPU microseconds per request. */
const CPU = 'server CPU us/req';
const WORKLOADS: Workload[] = [
  { name: 'set,get -P 1', args: ['-t', 'set,get', '-c', '50', '-n', String(N), '-P', '1'] },
  { name: 'set,get -P 32', args: ['-t', 'set,get', '-c', '50', '-n', String(N), '-P', '32'] },
  { name: 'six types -P 32', args: ['-t', 'set,get,incr,lpush,hset,zadd', '-c', '50', '-n', String(N), '-P', '32'] },
  { name: 'six types -P 1', args: ['-t', 'set,get,incr,lpush,hset,zadd', '-c', '50', '-n', String(N / 2), '-P', '1'] },
  { name: 'set,get,incr,mset -P 16', args: ['-t', 'set,get,incr,mset', '-c', '50', '-n', String(N), '-P', '16'] },
  { name: 'publish to 50 subscribers', args: ['-c', '50', '-n', String(N / 4), '-P', '1', 'PUBLISH', 'bench', 'hello'], subscribers: 50 },
  // Streams: XADD to a stream with a consumer group, then XREADGROUP by 50 consumers (COUNT 1, each read adds to the PEL).
  { name: 'xadd (stream with a group)', args: ['-c', '50', '-n', String(N / 2), '-P', '1', 'XADD', 'benchs', '*', 'f', 'v'], setup: streamWithGroup(0) },
  {
    name: 'xreadgroup, 50 consumers',
    args: ['-c', '50', '-n', String(N / 4), '-r', '50', '-P', '1', 'XREADGROUP', 'GROUP', 'g', 'c__rand_int__', 'COUNT', '1', 'STREAMS', 'benchs', '>'],
    setup: streamWithGroup(N / 4),
  },
  { name: 'EVAL redis.call SET -P 1', args: ['-c', '50', '-n', String(N / 2), '-P', '1', 'EVAL', "return redis.call('SET', KEYS[1], ARGV[1])", '1', 'k', 'v'] },
];

/** Runs a workload's setup commands, pipelined, and waits for every reply. */
async function runSetup(port: number, cmds: string[][]): Promise<void> {
  const c = await RawClient.connect(port);
  try {
    const replies = await c.sendRawMany(Buffer.concat(cmds.map(encodeCommand)), cmds.length);
    const bad = replies.find((r) => r.value.type === 'error');
    if (bad) throw new Error(`bench setup failed: ${bad.raw}`);
  } finally {
    c.close();
  }
}

/** A CPU-bound script (issue 8's second figure): a million additions and table stores, timed from request to reply. */
const CPU_SCRIPT = 'local t = {} local s = 0 for i = 1, 1000000 do s = s + i t[i] = s end return #t';

/** Milliseconds of the fastest of `runs` runs of CPU_SCRIPT (after one warm-up run). */
async function cpuScript(port: number, runs: number): Promise<number> {
  const c = await RawClient.connect(port);
  try {
    await c.send(['EVAL', CPU_SCRIPT, 0]);
    let bestMs = Infinity;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await c.send(['EVAL', CPU_SCRIPT, 0]);
      bestMs = Math.min(bestMs, performance.now() - t0);
    }
    return bestMs;
  } finally {
    c.close();
  }
}

/** Opens `n` subscribers of channel `bench`; resolves once all are subscribed, with a closer. */
async function subscribe(port: number, n: number): Promise<() => void> {
  const socks = await Promise.all(Array.from({ length: n }, () => new Promise<Socket>((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1' }, () => {
      s.write('*2\r\n$9\r\nSUBSCRIBE\r\n$5\r\nbench\r\n');
      s.once('data', () => {
        s.on('data', () => {});
        resolve(s);
      });
    });
    s.once('error', reject);
  })));
  return () => {
    for (const s of socks) s.destroy();
  };
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return undefined;
  }
}

/** Requests a workload sends: -n per test, times its tests (one for a custom command). */
function requestsOf(w: Workload): number {
  const n = Number(w.args[w.args.indexOf('-n') + 1]);
  const t = w.args.indexOf('-t');
  return n * (t >= 0 ? w.args[t + 1]!.split(',').length : 1);
}

/**
 * requests/s per test name ("SET", "GET", "MSET (10 keys)"...) from valkey-benchmark --csv,
 * and the server's CPU time per request in microseconds (under ~0.1 s of CPU the figure is coarse).
 */
async function benchmark(bin: string, port: number, w: Workload, pid?: number): Promise<Map<string, number>> {
  if (w.setup) await runSetup(port, w.setup());
  const close = w.subscribers ? await subscribe(port, w.subscribers) : () => {};
  let stdout: string;
  const cpu0 = cpuSeconds(pid);
  try {
    ({ stdout } = await run(bin, ['-h', '127.0.0.1', '-p', String(port), '--csv', ...w.args], { maxBuffer: 1 << 24 }));
  } finally {
    close();
  }
  const cpu1 = cpuSeconds(pid);
  const out = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const m = /^"([^"]+)","([\d.]+)"/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  if (out.size === 0) throw new Error(`no results from valkey-benchmark: ${stdout}`);
  if (cpu0 !== undefined && cpu1 !== undefined) out.set(CPU, ((cpu1 - cpu0) * 1e6) / requestsOf(w));
  return out;
}

/** Best of several runs: on a shared machine the slow runs measure the neighbours, not the server. */
function best(xs: number[]): number {
  return Math.max(...xs);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Mock {
  port: number;
  child: ChildProcess;
  readyMs: number;
  stop(): Promise<void>;
}

/** Starts the mock CLI in its own process; resolves once it says where it listens. */
async function startMock(profileDir?: string): Promise<Mock> {
  const port = await freePort();
  const built = join(ROOT, 'dist/src/cli.js');
  const nodeArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const args = existsSync(built) ? [...nodeArgs, built] : [...nodeArgs, '--import', 'tsx', join(ROOT, 'src/cli.ts')];
  const t0 = performance.now();
  const child = spawn(process.execPath, [...args, '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`mock exited early (${code}): ${out}`)));
  });
  const readyMs = performance.now() - t0;
  return {
    port,
    child,
    readyMs,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** In-process start-to-ready: createServer() until it accepts connections. */
async function measureStartup(): Promise<{ first: number; median: number }> {
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    const s = await createServer();
    times.push(performance.now() - t0);
    await s.close();
  }
  return { first: times[0]!, median: median(times.slice(1)) };
}

/** Resident set of a process in bytes, from /proc (Linux). */
function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** The fills of --memory: 10^6 small strings, then 10^6 small members of one hash, set and sorted set. */
const FILLS: { name: string; args: string[] }[] = [
  { name: '1M small strings (SET)', args: ['-t', 'set', '-r', '1000000', '-n', '1000000', '--sequential'] },
  { name: '1M hash fields (HSET)', args: ['-r', '1000000', '-n', '1000000', '--sequential', 'HSET', 'bench:hash', 'field:__rand_int__', 'xxx'] },
  { name: '1M set members (SADD)', args: ['-r', '1000000', '-n', '1000000', '--sequential', 'SADD', 'bench:set', 'member:__rand_int__'] },
  { name: '1M zset members (ZADD)', args: ['-r', '1000000', '-n', '1000000', '--sequential', 'ZADD', 'bench:zset', '__rand_int__', 'member:__rand_int__'] },
];

/**
 * `--memory`: each fill on a fresh valkey-double process and a fresh
 * valkey-server (pipelined by 32 to be quick), then both resident sets
 * (after a settle) side by side, with the growth over the empty server.
 */
async function memoryBench(): Promise<void> {
  const bin = findOracle();
  if (!bin || !existsSync(bin.benchmark)) throw new Error('valkey-benchmark not found: run `npm run oracle` first');
  console.log(`${pad('fill', 28)}${'mock RSS'.padStart(12)}${'real RSS'.padStart(12)}   mock/real   (growth over the empty server: mock, real)`);
  const mib = (n: number) => `${(n / 1048576).toFixed(0)} MiB`.padStart(12);
  for (const f of FILLS) {
    const mock = await startMock();
    const real = await startOracle(bin);
    try {
      await new Promise((r) => setTimeout(r, 500));
      const base = [rssOf(mock.child.pid!), rssOf(real.pid!)];
      for (const port of [mock.port, real.port]) {
        await run(bin.benchmark, ['-h', '127.0.0.1', '-p', String(port), '-c', '50', '-P', '32', '-q', ...f.args], { maxBuffer: 1 << 24 });
      }
      await new Promise((r) => setTimeout(r, 2000));
      const [m, r] = [rssOf(mock.child.pid!), rssOf(real.pid!)];
      console.log(`${pad(f.name, 28)}${mib(m)}${mib(r)}   ${(m / r).toFixed(2)}x       (${mib(m - base[0]!).trim()}, ${mib(r - base[1]!).trim()})`);
    } finally {
      await mock.stop();
      await real.stop();
    }
  }
}

const pad = (s: string, n: number) => s.padEnd(n);
const num = (x: number) => Math.round(x).toLocaleString('en-US').padStart(12);

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      profile: { type: 'boolean', default: false },
      runs: { type: 'string', default: '3' },
      only: { type: 'string' },
      clients: { type: 'boolean', default: false },
      cluster: { type: 'boolean', default: false },
      hot: { type: 'boolean', default: false },
      memory: { type: 'boolean', default: false },
    },
  });
  const runs = Math.max(1, Number(values.runs));
  if (values.memory) {
    await memoryBench();
    return;
  }
  if (values.hot) {
    console.log(await hotPath(200_000, runs));
    return;
  }
  if (values.clients) {
    console.log(formatClientRows(await benchClients(2000, runs)));
    return;
  }
  if (values.cluster) {
    for (const l of await benchCluster()) console.log(l);
    return;
  }
  const bin = findOracle();
  if (!bin || !existsSync(bin.benchmark)) {
    console.error('valkey-benchmark not found: run `npm run oracle` first (builds Valkey 9 into ~/.cache/valkey-double)');
    process.exit(1);
  }
  const workloads = WORKLOADS.filter((w) => !values.only || w.name.includes(values.only));

  const startup = await measureStartup();
  console.log(`start-to-ready, in process (createServer until listening): first ${startup.first.toFixed(2)} ms, then median ${startup.median.toFixed(2)} ms`);
  for (const l of await benchCluster()) console.log(l);

  const profileDir = values.profile ? mkdtempSync(join(tmpdir(), 'valkey-double-prof-')) : undefined;
  const mock = await startMock(profileDir);
  console.log(`start-to-ready, new process (spawn until "listening"): ${mock.readyMs.toFixed(0)} ms`);
  const real = await startOracle(bin);
  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`valkey-double on :${mock.port}; valkey-server ${real.version} on :${real.port}`);
  console.log(`${cpus().length} CPUs, load average ${load}; best of ${runs} valkey-benchmark run(s) per workload, servers alternating\n`);

  const rows: { workload: string; test: string; mock: number; real: number }[] = [];
  let cpu: { mock: number; real: number } | undefined;
  try {
    if (!values.only || 'cpu script'.includes(values.only)) cpu = { real: await cpuScript(real.port, runs), mock: await cpuScript(mock.port, runs) };
    for (const w of workloads) {
      const m: Map<string, number>[] = [];
      const r: Map<string, number>[] = [];
      for (let i = 0; i < runs; i++) {
        r.push(await benchmark(bin.benchmark, real.port, w, real.pid));
        m.push(await benchmark(bin.benchmark, mock.port, w, mock.child.pid));
      }
      for (const test of r[0]!.keys()) {
        // CPU per request: the least of the runs (a loaded machine adds, it never subtracts).
        const pick = test === CPU ? (xs: number[]) => Math.min(...xs) : best;
        rows.push({
          workload: w.name,
          test,
          mock: pick(m.map((x) => x.get(test) ?? 0)),
          real: pick(r.map((x) => x.get(test) ?? 0)),
        });
      }
    }
  } finally {
    await mock.stop();
    await real.stop();
  }

  console.log(`${pad('workload (-c 50 -n 200000)', 28)}${pad('test', 18)}${'mock req/s'.padStart(12)}${'real req/s'.padStart(12)}   mock/real`);
  for (const row of rows) {
    if (row.test === CPU) {
      // Lower is better: the ratio shown is real/mock, comparable with the requests/s ratios.
      const us = (x: number) => x.toFixed(2).padStart(12);
      console.log(`${pad(row.workload, 28)}${pad(row.test, 18)}${us(row.mock)}${us(row.real)}   ${(row.real / row.mock).toFixed(2)}x (real/mock)`);
      continue;
    }
    console.log(`${pad(row.workload, 28)}${pad(row.test, 18)}${num(row.mock)}${num(row.real)}   ${(row.mock / row.real).toFixed(2)}x`);
  }
  if (cpu) {
    console.log(`\ncpu script (${CPU_SCRIPT}): mock ${cpu.mock.toFixed(1)} ms, real ${cpu.real.toFixed(1)} ms, ${(cpu.mock / cpu.real).toFixed(2)}x the real server's time`);
  }

  if (profileDir) {
    const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) {
      console.error('no CPU profile was written');
    } else {
      const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8'));
      console.log('\n' + formatProfile(analyzeProfile(profile)));
      console.log(`\n(profile: ${join(profileDir, file)})`);
    }
    if (!file) rmSync(profileDir, { recursive: true, force: true });
  }

  console.log('\n' + formatClientRows(await benchClients(2000, runs)));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
