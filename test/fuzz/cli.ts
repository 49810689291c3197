/**
 * `npm run fuzz`: the protocol fuzzer's long-running mode.
 *
 *   npm run fuzz -- --frames 1000000 --seed 7     # against the oracle when one is found (differential)
 *   npm run fuzz -- --no-oracle                   # valkey-double alone: invariants only
 *   npm run fuzz -- --parallel 16 --show 3
 *
 * valkey-double runs in this process, so its heap is measured before the run
 * and after every fuzzed connection closed (with a forced GC: the npm script
 * passes --expose-gc). Exits 1 on any difference, hang, internal error,
 * control-connection problem, connection left open, or heap growth.
 */
import { parseArgs } from 'node:util';
import { findOracle, startOracle } from '../../conformance/targets/oracle.js';
import { createServer } from '../../src/index.js';
import { DEFAULT_SEED } from '../support/seeds.js';
import { formatDifference, fuzz } from './runner.js';

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '100000' },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    parallel: { type: 'string', default: '8' },
    show: { type: 'string', default: '5' },
    'no-oracle': { type: 'boolean', default: false },
  },
});

const gc = (globalThis as { gc?: () => void }).gc;
const heap = async (): Promise<number> => {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 20));
  }
  return process.memoryUsage().heapUsed;
};

const bin = values['no-oracle'] ? undefined : findOracle();
const oracle = bin ? await startOracle(bin) : undefined;
const mock = await createServer({ port: 0 });
const before = await heap();
const mib = (n: number) => (n / 1048576).toFixed(1) + ' MiB';
console.log(`fuzz: seed ${values.seed}, ${values.frames} frames, ${oracle ? `differential against Valkey ${oracle.version}` : 'valkey-double alone'}`);
const r = await fuzz({
  mockPort: mock.port,
  ...(oracle ? { oraclePort: oracle.port } : {}),
  frames: Number(values.frames),
  seed: Number(values.seed),
  parallel: Number(values.parallel),
  maxDifferences: Number(values.show),
  onProgress: (s) => console.log(`  ${s.frames} frames, ${s.sessions} sessions, ${(s.ms / 1000).toFixed(0)} s, ${s.differences.length} differences`),
});
const until = Date.now() + 5000;
while (mock.connections > 0 && Date.now() < until) await new Promise((res) => setTimeout(res, 20));
const after = await heap();
const open = mock.connections;
await Promise.all([mock.close(), oracle?.stop()]);

for (const d of r.differences) console.log(formatDifference(d));
for (const p of r.controlProblems) console.log(p);
const grew = after - before > 16 * 1048576;
console.log(
  `fuzz: ${r.frames} frames in ${r.sessions} sessions (${mib(r.bytesSent)} sent) in ${(r.ms / 1000).toFixed(1)} s; ` +
    `${r.differences.length} differences (${r.cutByReset} compared as a prefix, cut by a reset); control connection ${r.controlReplies} replies in order; ` +
    `${open} connections left open; heap ${mib(before)} before, ${mib(after)} after${gc ? '' : ' (no --expose-gc)'}`,
);
process.exit(r.differences.length > 0 || r.controlProblems.length > 0 || open > 0 || grew ? 1 : 0);
