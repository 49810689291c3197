/**
 * RDB files exchanged with a real Valkey 9.1.2: a file valkey-double's SAVE
 * writes is loaded by a valkey-server started on it (`--dir --dbfilename`),
 * and a file the oracle's SAVE writes is loaded by a valkey-double started
 * on it (the `rdb` option). Both sides are then probed with the same
 * commands (DEBUG DIGEST and DIGEST-VALUE, TTLs, encodings, stream
 * metadata, libraries) and must answer byte for byte alike.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { Arg } from '../../conformance/targets/raw-client.js';
import { rawReplies } from './harness.js';
import { findOracle, oracleRequired, startOracle, type RunningOracle } from '../../conformance/targets/oracle.js';
import { createServer, type ServerOptions, type ValkeyServer } from '../../src/index.js';

const bin = findOracle();
if (!bin && oracleRequired()) throw new Error('VALKEY_DOUBLE_REQUIRE_ORACLE=1 but no Valkey 9 binary was found');
const dirs: string[] = [];
const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.all(stops.map((s) => s()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'vd-rdb-'));
  dirs.push(d);
  return d;
}

const FAR = '4102444800000';
const n = (k: number): number[] => Array.from({ length: k }, (_, i) => i);
const LIB = "#!lua name=mylib\nserver.register_function('echo1', function(keys, args) return args[1] end)";

/** Every type in several encodings, TTLs, hash field TTLs, a stream with groups, three databases, a library. */
const SETUP: Arg[][] = [
  ['SET', 'int', '-12345'], ['SET', 'raw', 'hello'], ['SET', 'long', 'abc'.repeat(200)], ['SET', 'ttl', 'v', 'PXAT', FAR],
  ['RPUSH', 'lp', 'a', '1', '-9', 'xyz'], ['RPUSH', 'ql', ...n(1500).map(String)], ['RPUSH', 'ql', 'x'.repeat(9000)],
  ['SADD', 'is', '1', '2', '100000'], ['SADD', 'ls', 'a', 'b', '3'], ['SADD', 'hs', ...n(300).map((i) => `m${i}`)],
  ['ZADD', 'lz', '1', 'a', '2.5', 'b', '-inf', 'c'], ['ZADD', 'sz', ...n(200).flatMap((i) => [String(i * 0.25), `m${i}`])],
  ['HSET', 'lh', 'f', 'v', 'n', '7'], ['HSET', 'hh', ...n(600).flatMap((i) => [`f${i}`, `v${i}`])],
  ['HSET', 'th', 'a', '1', 'b', '2', 'c', '3'], ['HPEXPIREAT', 'th', FAR, 'FIELDS', '2', 'a', 'b'],
  ['PEXPIREAT', 'hh', FAR],
  ...n(30).map((i): Arg[] => ['XADD', 'st', `${i + 1}-${i % 2}`, ...(i % 5 ? ['f', `v${i}`] : ['g', String(i), 'h', 'x'])]),
  ['XDEL', 'st', '7-0'], ['XGROUP', 'CREATE', 'st', 'g1', '0'], ['XGROUP', 'CREATE', 'st', 'g2', '$', 'ENTRIESREAD', '3'],
  ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '4', 'STREAMS', 'st', '>'], ['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '2', 'STREAMS', 'st', '>'],
  ['XACK', 'st', 'g1', '2-1'], ['XGROUP', 'CREATECONSUMER', 'st', 'g2', 'idle'],
  ['SELECT', '3'], ['SET', 'in3', 'three'], ['RPUSH', 'l3', 'x'], ['SELECT', '15'], ['SET', 'in15', 'fifteen'], ['SELECT', '0'],
  ['FUNCTION', 'LOAD', LIB],
];

const KEYS = ['int', 'raw', 'long', 'ttl', 'lp', 'ql', 'is', 'ls', 'hs', 'lz', 'sz', 'lh', 'hh', 'th', 'st'];

/** What both sides must answer alike once loaded. */
const PROBES: Arg[][] = [
  ['DEBUG', 'DIGEST'], ['DBSIZE'],
  ...KEYS.flatMap((k): Arg[][] => [['TYPE', k], ['OBJECT', 'ENCODING', k], ['DEBUG', 'DIGEST-VALUE', k], ['PEXPIRETIME', k]]),
  ['HPEXPIRETIME', 'th', 'FIELDS', '3', 'a', 'b', 'c'],
  ['XINFO', 'STREAM', 'st', 'FULL'], ['XINFO', 'GROUPS', 'st'], ['XPENDING', 'st', 'g1'],
  ['SELECT', '3'], ['DEBUG', 'DIGEST'], ['DBSIZE'], ['SELECT', '15'], ['GET', 'in15'], ['SELECT', '0'],
  ['FUNCTION', 'LIST', 'WITHCODE'], ['FCALL', 'echo1', '0', 'hi'],
];

const run = rawReplies;

async function oracle(args: string[]): Promise<RunningOracle> {
  const o = await startOracle(bin!, ['--enable-debug-command', 'yes', ...args]);
  stops.push(() => o.stop());
  return o;
}

async function mock(opts: ServerOptions): Promise<ValkeyServer> {
  const s = await createServer({ port: 0, ...opts, config: { 'enable-debug-command': 'yes', ...(opts.config ?? {}) } });
  stops.push(() => s.close());
  return s;
}

function expectSame(mine: string[], theirs: string[], cmds: readonly Arg[][]): void {
  const diffs = cmds.flatMap((c, i) => (mine[i] === theirs[i] ? [] : [`${c.join(' ').slice(0, 60)}\n  valkey: ${JSON.stringify(theirs[i])}\n  mock:   ${JSON.stringify(mine[i])}`]));
  expect(diffs).toEqual([]);
}

describe.skipIf(!bin)('RDB files with a real Valkey', () => {
  test('a file valkey-double saves loads into valkey-server', async () => {
    const dir = tmp();
    const m = await mock({ config: { dir, dbfilename: 'ours.rdb' } });
    await run(m.port, SETUP);
    expect(await run(m.port, [['SAVE']])).toEqual(['+OK\r\n']);
    const o = await oracle(['--dir', dir, '--dbfilename', 'ours.rdb']);
    expectSame(await run(m.port, PROBES), await run(o.port, PROBES), PROBES);
  });

  test('a file valkey-server saves loads into valkey-double (the rdb option)', async () => {
    const o = await oracle([]);
    await run(o.port, SETUP);
    const [, dirReply] = await run(o.port, [['SAVE'], ['CONFIG', 'GET', 'dir']]);
    const odir = /\$\d+\r\ndir\r\n\$\d+\r\n(.*)\r\n/.exec(dirReply!)![1]!;
    const file = readFileSync(join(odir, 'dump.rdb'));
    const m = await mock({ rdb: new Uint8Array(file) });
    expectSame(await run(m.port, PROBES), await run(o.port, PROBES), PROBES);
    // The same file by path: also where this server saves next.
    const dir = tmp();
    writeFileSync(join(dir, 'theirs.rdb'), file);
    const m2 = await mock({ rdb: join(dir, 'theirs.rdb') });
    expectSame(await run(m2.port, PROBES), await run(o.port, PROBES), PROBES);
    const [digest] = await run(o.port, [['DEBUG', 'DIGEST']]);
    expect(await run(m2.port, [['CONFIG', 'GET', 'dbfilename'], ['DEBUG', 'RELOAD'], ['DEBUG', 'DIGEST']]))
      .toEqual(['*2\r\n$10\r\ndbfilename\r\n$10\r\ntheirs.rdb\r\n', '+OK\r\n', digest]);
    expect(readFileSync(join(dir, 'theirs.rdb')).subarray(0, 9).toString()).toBe('VALKEY080');
  });

  test('without compression or checksum, and with an LFU policy', async () => {
    const dir = tmp();
    const cfg = { dir, rdbcompression: 'no', rdbchecksum: 'no', 'maxmemory-policy': 'allkeys-lfu' };
    const m = await mock({ config: cfg });
    await run(m.port, SETUP);
    await run(m.port, [['SAVE']]);
    const o = await oracle(['--dir', dir, '--rdbcompression', 'no', '--rdbchecksum', 'no', '--maxmemory-policy', 'allkeys-lfu']);
    // OBJECT FREQ first: it does not touch the counter, but the probes' reads do, and a real server's LFU
    // increments past the initial value are random (LFULogIncr), so only the loaded counters compare.
    const probes: Arg[][] = [...KEYS.map((k): Arg[] => ['OBJECT', 'FREQ', k]), ...PROBES];
    expectSame(await run(m.port, probes), await run(o.port, probes), probes);
  });
});
