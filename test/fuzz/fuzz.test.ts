/**
 * The protocol fuzzer's bounded run in the gate: 10^5 frames (valid, mutated
 * and broken; test/fuzz/frames.ts) on eight concurrent connections at a time,
 * against valkey-double and, when one is found, a real Valkey 9 (what each
 * connection received compared byte for byte). `npm run fuzz` is the long
 * mode. The seed comes from test/support/seeds.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findOracle, oracleRequired, startOracle, type RunningOracle } from '../../conformance/targets/oracle.js';
import { createServer, type ValkeyServer } from '../../src/index.js';
import { baseSeed, deriveSeed, runsFactor } from '../support/seeds.js';
import { formatDifference, fuzz, play } from './runner.js';

const FRAMES = 100_000 * runsFactor();

describe('protocol fuzzer', () => {
  const bin = findOracle();
  let oracle: RunningOracle | undefined;
  let mock: ValkeyServer;
  beforeAll(async () => {
    if (!bin && oracleRequired()) throw new Error('VALKEY_DOUBLE_REQUIRE_ORACLE=1 but no Valkey 9 binary was found');
    [oracle, mock] = await Promise.all([bin ? startOracle(bin) : undefined, createServer({ port: 0 })]);
  });
  afterAll(async () => {
    await Promise.all([oracle?.stop(), mock?.close()]);
  });

  test(`${FRAMES} frames: every connection gets the real server's bytes and is closed as it closes it; others unaffected`, async () => {
    const clientsBefore = mock.engine.clients.size;
    const seed = deriveSeed(baseSeed(), 'protocol fuzzer');
    const r = await fuzz({ mockPort: mock.port, ...(oracle ? { oraclePort: oracle.port } : {}), frames: FRAMES, seed });
    const until = Date.now() + 5000;
    while (mock.connections > 0 && Date.now() < until) await new Promise((res) => setTimeout(res, 10));
    console.log(
      `[fuzz] seed ${seed}: ${r.frames} frames, ${r.sessions} sessions, ${(r.bytesSent / 1048576).toFixed(1)} MiB in ${(r.ms / 1000).toFixed(1)} s` +
        `${oracle ? ' against Valkey ' + oracle.version : ' (no oracle: invariants only)'}; ${r.differences.length} differences, ` +
        `${r.cutByReset} compared as a prefix (cut by a reset); control connection ${r.controlReplies} replies in order`,
    );
    expect(r.differences.map(formatDifference)).toEqual([]);
    expect(r.controlProblems).toEqual([]);
    expect(r.frames).toBeGreaterThanOrEqual(FRAMES);
    expect(r.controlReplies).toBeGreaterThan(0);
    // Every fuzzed connection is gone, on the socket side and in the engine.
    expect(mock.connections).toBe(0);
    expect(mock.engine.clients.size).toBe(clientsBefore);
  }, 300_000);

  test('play() sees a protocol error and the close that follows it', async () => {
    const r = await play(mock.port, [Buffer.from('PING\r\n*1\r\n$x\r\nPING\r\n')], 5000);
    expect(r).toEqual({ bytes: '+PONG\r\n-ERR Protocol error: invalid bulk length\r\n', hung: false, reset: expect.any(Boolean) });
  });
});
