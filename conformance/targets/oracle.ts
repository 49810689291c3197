/**
 * The oracle: a real valkey-server, found on this machine and started on a
 * free loopback port. Found from $VALKEY_SERVER, then the oracle script's
 * cache (~/.cache/valkey-double/9.x), then PATH.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OracleBinaries {
  server: string;
  cli: string;
  benchmark: string;
  version: string;
}

/** Locates a Valkey 9 build, or returns undefined. */
export function findOracle(): OracleBinaries | undefined {
  const candidates: string[] = [];
  if (process.env['VALKEY_SERVER']) candidates.push(process.env['VALKEY_SERVER']);
  const cache = process.env['VALKEY_DOUBLE_CACHE'] ?? join(homedir(), '.cache', 'valkey-double');
  if (existsSync(cache)) {
    for (const d of readdirSync(cache).filter((d) => /^9\./.test(d)).sort().reverse()) {
      candidates.push(join(cache, d, 'valkey-server'));
    }
  }
  for (const dir of (process.env['PATH'] ?? '').split(':')) if (dir) candidates.push(join(dir, 'valkey-server'));
  for (const server of candidates) {
    if (!existsSync(server)) continue;
    try {
      const out = execFileSync(server, ['--version'], { encoding: 'utf8' });
      const m = /v=(\d+\.\d+\.\d+)/.exec(out);
      if (!m || !m[1]!.startsWith('9.')) continue;
      const dir = server.slice(0, server.lastIndexOf('/'));
      return { server, cli: join(dir, 'valkey-cli'), benchmark: join(dir, 'valkey-benchmark'), version: m[1]! };
    } catch {
      continue;
    }
  }
  return undefined;
}

/** Whether a missing oracle is a failure (CI) rather than a skip. */
export function oracleRequired(): boolean {
  return process.env['VALKEY_DOUBLE_REQUIRE_ORACLE'] === '1';
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningOracle {
  port: number;
  version: string;
  /** The server process (benchmarks read its CPU time). */
  pid?: number;
  stop(): Promise<void>;
}

/** Starts a throwaway valkey-server (no persistence) and waits until it accepts connections. */
export async function startOracle(bin: OracleBinaries, extraArgs: string[] = []): Promise<RunningOracle> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    // Its own working directory, so a test that turns persistence on writes nothing into the checkout.
    const dir = mkdtempSync(join(tmpdir(), 'valkey-oracle-'));
    const child: ChildProcess = spawn(bin.server, [
      '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--dir', dir, '--daemonize', 'no', '--logfile', '', '--loglevel', 'warning', ...extraArgs,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    const ok = await waitForPort(port, child, 5000);
    if (ok) {
      return {
        port,
        version: bin.version,
        ...(child.pid !== undefined ? { pid: child.pid } : {}),
        stop: () => new Promise<void>((resolve) => {
          const done = () => {
            rmSync(dir, { recursive: true, force: true });
            resolve();
          };
          if (child.exitCode !== null) return done();
          child.once('exit', done);
          child.kill('SIGKILL');
        }),
      };
    }
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    if (attempt >= 3) throw new Error(`valkey-server did not start: ${stderr}`);
  }
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const { connect } = await import('node:net');
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) return false;
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ port, host: '127.0.0.1' }, () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}
