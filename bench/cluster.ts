/**
 * Cluster figures for `npm run bench`:
 * - start-to-ready of a 3×1 cluster in process (createCluster until every node
 *   listens), beside a real one (6 valkey-server processes, valkey-cli
 *   --cluster create, until cluster_state:ok and the replicas synced);
 * - a 1,000-shard topology (1,000 primaries, 1,000 replicas: 2,000 nodes) in
 *   one process. No node listens (`listen: false` names the addresses from a
 *   base port) and a node's engine and server are made only when asked for
 *   (`node.server`): the topology itself is a few objects per node and one
 *   shared slot table. Clients would connect in process. One node's CLUSTER SLOTS, SHARDS and
 *   NODES are checked (1,000 ranges covering 0..16383, 1,000 shards of 2,
 *   2,000 lines) and timed.
 */
import { findOracle } from '../conformance/targets/oracle.js';
import { createCluster, type Reply } from '../src/index.js';
import { startOracleCluster } from '../test/support/oracle-cluster.js';

function ask(engine: import('../src/index.js').Engine, argv: string[]): Reply {
  const c = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:2', fd: 9 }, { deliver: () => {}, close: () => {} });
  const r = engine.execute(c, argv);
  engine.disconnect(c);
  if (!r || typeof r !== 'object' || !('t' in r)) throw new Error(`no reply to ${argv.join(' ')}`);
  return r;
}

function assert(ok: boolean, what: string): void {
  if (!ok) throw new Error(`cluster bench: ${what}`);
}

export async function benchCluster(): Promise<string[]> {
  const out: string[] = [];
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const c = await createCluster({ primaries: 3, replicasPerPrimary: 1 });
    times.push(performance.now() - t0);
    await c.close();
  }
  const sorted = times.slice(1).sort((a, b) => a - b);
  let line = `3×1 cluster start-to-ready, in process: first ${times[0]!.toFixed(1)} ms, then median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms`;
  const bin = findOracle();
  if (bin) {
    const t0 = performance.now();
    const real = await startOracleCluster(bin, { primaries: 3, replicasPerPrimary: 1 });
    line += `; real Valkey (6 processes + valkey-cli --cluster create, until ok): ${(performance.now() - t0).toFixed(0)} ms`;
    await real.stop();
  }
  out.push(line);

  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const big = await createCluster({ primaries: 1000, replicasPerPrimary: 1, listen: false, basePort: 20000 });
  const built = performance.now() - t0;
  const heap = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
  const engine = big.nodes[0]!.server.engine;
  const t1 = performance.now();
  const slots = ask(engine, ['CLUSTER', 'SLOTS']);
  const tSlots = performance.now() - t1;
  assert(slots.t === 'array' && slots.v.length === 1000, 'CLUSTER SLOTS has 1,000 ranges');
  let next = 0;
  for (const r of (slots as { v: readonly Reply[] }).v) {
    const [a, b, , replica] = (r as { v: readonly { v: unknown }[] }).v;
    assert(Number(a!.v) === next && replica !== undefined, `CLUSTER SLOTS range at ${next} with a replica`);
    next = Number(b!.v) + 1;
  }
  assert(next === 16384, 'CLUSTER SLOTS covers every slot');
  const t2 = performance.now();
  const shards = ask(engine, ['CLUSTER', 'SHARDS']);
  const tShards = performance.now() - t2;
  assert(shards.t === 'array' && shards.v.length === 1000, 'CLUSTER SHARDS has 1,000 shards');
  const t3 = performance.now();
  const nodes = ask(engine, ['CLUSTER', 'NODES']);
  const tNodes = performance.now() - t3;
  assert(nodes.t === 'verbatim' && nodes.v.trim().split('\n').length === 2000, 'CLUSTER NODES has 2,000 lines');
  out.push(`1,000 shards × (1 primary + 1 replica) = 2,000 nodes in process (no sockets, one engine made: the node asked): built in ${built.toFixed(0)} ms, ` +
    `~${heap.toFixed(0)} MB heap; CLUSTER SLOTS ${tSlots.toFixed(1)} ms, SHARDS ${tShards.toFixed(1)} ms, NODES ${tNodes.toFixed(1)} ms (checked)`);
  await big.close();
  return out;
}
