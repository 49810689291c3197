/**
 * The soak run in the gate (test/soak/soak.ts): 1,000 concurrent loopback
 * clients for a bounded time (VALKEY_DOUBLE_SOAK_SECONDS, default 8), with
 * its figures printed. Every reply must reach the client that asked, in
 * order; none may be lost; slow readers must be held by backpressure; all
 * connections close cleanly.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createServer, type ValkeyServer } from '../../src/index.js';
import { HIGH_WATER } from '../../src/server/connection.js';
import { soak } from './soak.js';

const SECONDS = Number(process.env['VALKEY_DOUBLE_SOAK_SECONDS'] ?? 8);
const CLIENTS = 1000;

let server: ValkeyServer;
beforeAll(async () => {
  server = await createServer({ port: 0 });
});
afterAll(() => server.close());

test(`${CLIENTS} clients for ${SECONDS} s: replies to the right connection, in order; slow readers held; clean close`, async () => {
  const baseClients = server.engine.clients.size;
  const r = await soak(server, { clients: CLIENTS, seconds: SECONDS, slowReaders: 5 });
  const until = Date.now() + 5000;
  while (server.connections > 0 && Date.now() < until) await new Promise((res) => setTimeout(res, 10));
  console.log(
    `[soak] ${CLIENTS} clients, ${SECONDS} s: ${r.replies} replies checked; PING latency p50 ${r.ping.p50.toFixed(1)} ms, ` +
      `p99 ${r.ping.p99.toFixed(1)} ms, max ${r.ping.max.toFixed(1)} ms over ${r.ping.count} PINGs; slow readers paused ${r.slow.paused}, ` +
      `largest pending output ${(r.slow.maxPending / 1048576).toFixed(2)} MiB; RSS ${r.rssBeforeMiB.toFixed(0)} -> peak ${r.rssPeakMiB.toFixed(0)} MiB`,
  );
  expect(r.problems).toEqual([]);
  expect(r.replies).toBeGreaterThan(CLIENTS);
  // Backpressure: every slow reader was paused, none held more than the high-water mark plus a reply and a read's worth.
  expect(r.slow.paused).toBe(5);
  expect(r.slow.maxPending).toBeLessThanOrEqual(HIGH_WATER + 256 * 1024 + 64 * 1024);
  // The server stayed responsive (a hang, not a speed goal: speed is measured by npm run bench).
  expect(r.ping.max).toBeLessThan(10_000);
  expect(server.connections).toBe(0);
  expect(server.engine.clients.size).toBe(baseClients);
}, 120_000);
