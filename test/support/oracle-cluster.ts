/**
 * A real Valkey 9 cluster for differential tests: N `valkey-server
 * --cluster-enabled yes` on free loopback ports (each with its own cluster bus
 * port), joined by `valkey-cli --cluster create ... --cluster-replicas R
 * --cluster-yes`, returned once every node reports cluster_state:ok and the
 * same epoch view.
 *
 *   const real = await startOracleCluster(findOracle()!, { primaries: 3, replicasPerPrimary: 1 });
 *   real.ports;  // primaries first, as valkey-cli assigns them
 *   await real.stop();
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort, startOracle, type OracleBinaries, type RunningOracle } from '../../conformance/targets/oracle.js';

const run = promisify(execFile);

export interface OracleCluster {
  /** Client ports, in the order given to `valkey-cli --cluster create` (primaries first). */
  ports: number[];
  nodes: RunningOracle[];
  /** Runs valkey-cli with these arguments; resolves with its stdout. */
  cli(args: string[]): Promise<string>;
  stop(): Promise<void>;
  /** Waits until every node agrees again (state ok, every node known, `--cluster check` clean): gossip after a topology change is asynchronous. */
  settle(): Promise<void>;
}

export interface OracleClusterOptions {
  primaries?: number;
  replicasPerPrimary?: number;
  /** Extra valkey-server arguments for every node. */
  args?: string[];
}

export async function startOracleCluster(bin: OracleBinaries, opts: OracleClusterOptions = {}): Promise<OracleCluster> {
  const primaries = opts.primaries ?? 3;
  const replicas = opts.replicasPerPrimary ?? 1;
  const total = primaries * (1 + replicas);
  const nodes: RunningOracle[] = [];
  try {
    for (let i = 0; i < total; i++) {
      const bus = await freePort();
      nodes.push(await startOracle(bin, [
        '--cluster-enabled', 'yes', '--cluster-port', String(bus), '--cluster-config-file', `nodes-${bus}.conf`,
        '--cluster-node-timeout', '5000', ...(opts.args ?? []),
      ]));
    }
    const cli = async (args: string[]) => (await run(bin.cli, args, { encoding: 'utf8' })).stdout;
    const ports = nodes.map((n) => n.port);
    await cli(['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(replicas), '--cluster-yes']);
    await waitUntilOk(cli, ports, total);
    return { ports, nodes, cli, settle: () => waitUntilOk(cli, ports, total), stop: async () => { await Promise.all(nodes.map((n) => n.stop())); } };
  } catch (e) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw e;
  }
}

/** Every node: cluster_state:ok, knows every node, and sees every replica attached (a stable view). */
async function waitUntilOk(cli: (args: string[]) => Promise<string>, ports: number[], total: number): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    let ok = true;
    for (const p of ports) {
      const info = await cli(['-p', String(p), 'cluster', 'info']);
      const nodes = await cli(['-p', String(p), 'cluster', 'nodes']);
      const lines = nodes.trim().split('\n');
      // Replicas that have not synced yet (offset 0) are hidden from CLUSTER SLOTS: wait until they show.
      const shards = await cli(['-p', String(p), 'cluster', 'shards']);
      if (!info.includes('cluster_state:ok') || lines.length !== total || lines.some((l) => /handshake|noaddr|fail/.test(l)) ||
        /\nloading\n/.test(shards)) ok = false;
      if (!ok) break;
    }
    if (ok) {
      const check = await cli(['--cluster', 'check', `127.0.0.1:${ports[0]}`]).catch((e: { stdout?: string }) => e.stdout ?? '');
      if (check.includes('[OK] All nodes agree about slots configuration.') && check.includes('[OK] All 16384 slots covered.')) return;
    }
    if (Date.now() > until) throw new Error('the oracle cluster did not reach cluster_state:ok');
    await new Promise((r) => setTimeout(r, 100));
  }
}
