/**
 * `valkey-double cluster [--primaries 3] [--replicas-per-primary 1] [--base-port 7000]`:
 * a whole cluster on consecutive loopback ports from the base port, primaries
 * first (as utils/create-cluster start does), on real time, until Ctrl-C or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { createCluster } from './create.js';

export const CLUSTER_USAGE = `usage: valkey-double cluster [options]

Serves a Valkey 9 cluster in one process: every node on its own loopback port,
consecutive from the base port, primaries first, slots laid out as
valkey-cli --cluster create lays them out.

options:
      --primaries N             primaries (default 3)
      --replicas-per-primary N  replicas of each primary (default 1)
      --base-port N             port of the first node (default 7000; 0: free ports)
      --databases N             cluster-databases of every node (default 1)
      --requirepass PASS        require AUTH with this password on every node
      --seed N                  seed of node ids (default 1)
  -h, --help                    print this help`;

export class ClusterUsageError extends Error {}

function int(name: string, v: string, min: number, max: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new ClusterUsageError(`--${name} must be an integer from ${min} to ${max}, got '${v}'`);
  return Number(v);
}

/** Runs the command line; resolves once the cluster serves (it then runs until a signal). */
export async function clusterMain(argv: string[], log: (line: string) => void = console.log): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        primaries: { type: 'string', default: '3' },
        'replicas-per-primary': { type: 'string', default: '1' },
        'base-port': { type: 'string', default: '7000' },
        databases: { type: 'string' },
        requirepass: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new ClusterUsageError(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    log(CLUSTER_USAGE);
    return;
  }
  const primaries = int('primaries', values.primaries, 1, 16384);
  const replicas = int('replicas-per-primary', values['replicas-per-primary'], 0, 100);
  const basePort = int('base-port', values['base-port'], 0, 65535);
  if (basePort !== 0 && basePort + primaries * (1 + replicas) - 1 > 65535) throw new ClusterUsageError('--base-port: the nodes would not fit below port 65536');
  const cluster = await createCluster({
    primaries, replicasPerPrimary: replicas, host: '127.0.0.1',
    ...(basePort !== 0 ? { basePort } : {}),
    ...(values.databases !== undefined ? { databases: int('databases', values.databases, 1, 1_000_000) } : {}),
    ...(values.requirepass !== undefined ? { requirepass: values.requirepass } : {}),
    ...(values.seed !== undefined ? { seed: int('seed', values.seed, 0, 4294967295) } : {}),
  });
  for (const n of cluster.nodes) {
    const slots = n.slots.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
    log(`${n.host}:${n.port} ${n.id} ${n.role}${n.primaryId ? ` of ${n.primaryId}` : ''}${slots ? ` slots ${slots}` : ''}`);
  }
  log(`valkey-double cluster of ${cluster.nodes.length} nodes serving (valkey-cli -c -p ${cluster.nodes[0]!.port})`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`valkey-double cluster: ${signal}, shutting down`);
    void cluster.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
