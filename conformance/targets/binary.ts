/** The binary target: a valkey-server 9 on this machine, started on a free port for the run. */
import { findOracle, startOracle, type OracleBinaries } from './oracle.js';
import { sleep, TargetUnavailable, type Target, type TargetOptions } from './target.js';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export async function startBinary(opts: TargetOptions = {}): Promise<Target> {
  let bin: OracleBinaries | undefined;
  if (opts.server) {
    const out = execFileSync(opts.server, ['--version'], { encoding: 'utf8' });
    const version = /v=(\d+\.\d+\.\d+)/.exec(out)?.[1] ?? 'unknown';
    const dir = opts.server.slice(0, opts.server.lastIndexOf('/'));
    bin = { server: opts.server, cli: join(dir, 'valkey-cli'), benchmark: join(dir, 'valkey-benchmark'), version };
  } else {
    bin = findOracle();
  }
  if (!bin) {
    throw new TargetUnavailable('binary', 'no Valkey 9 valkey-server found (set VALKEY_SERVER, put it on PATH, or run `npm run oracle` in valkey-double)');
  }
  const running = await startOracle(bin);
  return {
    name: 'binary',
    description: `valkey-server ${running.version} (${bin.server})`,
    endpoint: { host: '127.0.0.1', port: running.port },
    capabilities: new Set(),
    elapse: sleep,
    close: () => running.stop(),
  };
}
