/**
 * `npm run bench -- --hot`: the server's own cost per request, without TCP
 * and without a load generator competing for the cores: pipelines of 32
 * requests written to an in-process connection (the same decoder,
 * connection, fault layer, dispatch and encoder a socket goes through), CPU
 * time per request from process.cpuUsage. Steadier than requests/s on a
 * shared machine, so small changes to the hot path can be measured.
 */
import { createServer } from '../src/index.js';

const PIPELINE = 32;

interface Workload {
  name: string;
  /** The i-th request of the run. */
  argv(i: number): string[];
}

const WORKLOADS: Workload[] = [
  { name: 'SET', argv: (i) => ['SET', `key:${i % 100_000}`, 'xxx'] },
  { name: 'GET', argv: (i) => ['GET', `key:${i % 100_000}`] },
  { name: 'INCR', argv: () => ['INCR', 'counter'] },
  { name: 'LPUSH', argv: () => ['LPUSH', 'mylist', 'xxx'] },
  { name: 'HSET', argv: (i) => ['HSET', 'myhash', `f${i % 1000}`, 'xxx'] },
  { name: 'ZADD', argv: (i) => ['ZADD', 'myzset', String(i % 1000), `m${i % 1000}`] },
];

function wire(argvs: string[][]): Buffer {
  let s = '';
  for (const a of argvs) {
    s += `*${a.length}\r\n`;
    for (const x of a) s += `$${x.length}\r\n${x}\r\n`;
  }
  return Buffer.from(s, 'latin1');
}

export async function hotPath(requests: number, runs: number, only?: string): Promise<string> {
  const lines = [`in-process pipelines of ${PIPELINE}, ${requests} requests per workload, best of ${runs}: server CPU per request`];
  for (const w of WORKLOADS.filter((x) => only === undefined || x.name === only)) {
    let best = Infinity;
    for (let r = 0; r < runs; r++) {
      // As the CLI runs without --admin: no fault-layer request history.
      const server = await createServer({ port: 0, faults: { historyLimit: 0 } });
      const client = server.connectInProcess();
      // 64 different pipelines, written round-robin: the keys vary as valkey-benchmark's -r would.
      const batches = Array.from({ length: 64 }, (_, b) => wire(Array.from({ length: PIPELINE }, (_, j) => w.argv(b * PIPELINE + j))));
      let replies = 0;
      let want = 0;
      let wake: (() => void) | undefined;
      client.on('data', (d: Buffer) => {
        for (let i = 0; i < d.length; i++) if (d[i] === 10) replies++;
        if (replies >= want && wake) wake();
      });
      const round = async (n: number) => {
        for (let sent = 0; sent < n; sent += PIPELINE) {
          want = replies + PIPELINE;
          const done = new Promise<void>((res) => { wake = res; });
          client.write(batches[(sent / PIPELINE) % batches.length]!);
          if (replies < want) await done;
        }
      };
      await round(Math.min(requests, 20_000)); // warm up the JIT
      const t0 = process.cpuUsage();
      await round(requests);
      const t = process.cpuUsage(t0);
      best = Math.min(best, ((t.user + t.system) * 1000) / requests);
      client.destroy();
      await server.close();
    }
    lines.push(`  ${w.name.padEnd(6)} ${best.toFixed(0).padStart(6)} ns/request`);
  }
  return lines.join('\n');
}
