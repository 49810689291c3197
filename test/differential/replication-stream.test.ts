/**
 * The replication stream, differential: the same writes run on a real Valkey
 * primary (observed as a replica sees it: SYNC, the RDB payload, then the
 * command stream) and on a valkey-double engine with a stream listener. The
 * commands must be byte-identical, modulo one named normalisation: absolute
 * times (PXAT / PEXPIREAT arguments, XCLAIM's TIME, stream IDs) become "<ms>",
 * since the two run at different moments.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findOracle, startOracle, type RunningOracle } from '../../conformance/targets/oracle.js';
import { RawClient } from '../../conformance/targets/raw-client.js';
import { Engine } from '../../src/engine/engine.js';
import { encodeCommand } from '../../src/engine/replication/index.js';
import { linkReplica } from '../../src/server/replication.js';
import { SystemClock } from '../../src/time/index.js';

const SCRIPT: string[][] = [
  ['SET', 'a', '1'],
  ['SET', 'b', 'v', 'EX', '100'],
  ['SET', 'c', 'v', 'NX', 'PX', '5000', 'GET'],
  ['SET', 'a', '2', 'GET'],
  ['SETEX', 'd', '10', 'x'],
  ['EXPIRE', 'a', '1000'],
  ['EXPIRE', 'a', '-1'],
  ['GETEX', 'b', 'EX', '50'],
  ['GETEX', 'b', 'PERSIST'],
  ['GETDEL', 'b'],
  ['INCRBYFLOAT', 'f', '1.5'],
  ['HINCRBYFLOAT', 'h', 'x', '2.25'],
  ['SADD', 's', 'm1'],
  ['SPOP', 's'],
  ['SADD', 's', 'a', 'b', 'c'],
  ['SPOP', 's', '10'],
  ['RPUSH', 'l', '1', '2', '3'],
  ['BLPOP', 'l', '0'],
  ['BLMPOP', '0', '1', 'l', 'RIGHT', 'COUNT', '1'],
  ['LMPOP', '1', 'l', 'LEFT', 'COUNT', '5'],
  ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
  ['BZPOPMIN', 'z', '0'],
  ['ZMPOP', '1', 'z', 'MAX', 'COUNT', '1'],
  ['DEL', 'missing'],
  ['MULTI'], ['SET', 'm', '1'], ['INCR', 'm'], ['EXEC'],
  ['MULTI'], ['SET', 'one', '1'], ['EXEC'],
  ['EVAL', "redis.call('set', KEYS[1], 'x'); redis.call('lpush', KEYS[2], 'y'); return 1", '2', 'k1', 'k2'],
  ['SELECT', '3'],
  ['SET', 'in3', 'v'],
  ['SELECT', '0'],
  ['HSET', 'hh', 'a', '1', 'b', '2', 'c', '3'],
  ['HEXPIRE', 'hh', '100', 'FIELDS', '2', 'a', 'b'],
  ['HPEXPIRE', 'hh', '0', 'FIELDS', '1', 'b'],
  ['HEXPIREAT', 'hh', '1', 'FIELDS', '1', 'c'],
  ['XADD', 'st', '*', 'f', 'v'],
  ['XADD', 'st', '*', 'f', 'w'],
  ['XGROUP', 'CREATE', 'st', 'g', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'st', '>'],
  ['PUBLISH', 'ch', 'm'],
  ['DELIFEQ', 'in3', 'v'],
  ['SET', 'gone', 'v'],
  ['DELIFEQ', 'gone', 'v'],
  ['FLUSHDB'],
  ['FLUSHALL'],
];

/** Splits a RESP stream of command arrays into argument lists. */
function parseStream(buf: Buffer): string[][] {
  const out: string[][] = [];
  let i = 0;
  const line = (): string => {
    const e = buf.indexOf('\r\n', i);
    if (e < 0) throw new Error('truncated');
    const s = buf.toString('latin1', i, e);
    i = e + 2;
    return s;
  };
  while (i < buf.length) {
    if (buf[i] === 0x0a) { i++; continue; } // newlines keep an idle link alive
    const head = line();
    const n = Number(head.slice(1));
    const argv: string[] = [];
    for (let j = 0; j < n; j++) {
      const len = Number(line().slice(1));
      argv.push(buf.toString('latin1', i, i + len));
      i += len + 2;
    }
    out.push(argv);
  }
  return out;
}

function normalise(cmds: string[][]): string[] {
  return cmds
    .filter((c) => c[0]!.toLowerCase() !== 'ping')
    // Epoch milliseconds (PXAT, PEXPIREAT, XCLAIM's TIME) and stream IDs made of them.
    .map((c) => c.map((a) => (/^1\d{12}(-\d+)?$/.test(a) ? '<ms>' : a)))
    .map((c) => encodeCommand(c));
}

/** Attaches to a real primary as SYNC does and collects the command stream after the RDB payload. */
async function attach(port: number): Promise<{ socket: Socket; stream: () => Buffer }> {
  const socket = connect(port, '127.0.0.1');
  let buf = Buffer.alloc(0);
  let rdbLeft = -1;
  let stream = Buffer.alloc(0);
  let ready: () => void;
  const synced = new Promise<void>((r) => (ready = r));
  socket.on('data', (chunk: Buffer) => {
    if (rdbLeft >= 0) {
      const take = Math.min(rdbLeft, chunk.length);
      rdbLeft -= take;
      stream = Buffer.concat([stream, chunk.subarray(take)]);
      return;
    }
    buf = Buffer.concat([buf, chunk]);
    while (buf[0] === 0x0a) buf = buf.subarray(1);
    const e = buf.indexOf('\r\n');
    if (e < 0 || buf[0] !== 0x24) return;
    rdbLeft = Number(buf.toString('latin1', 1, e));
    const rest = buf.subarray(e + 2);
    const take = Math.min(rdbLeft, rest.length);
    rdbLeft -= take;
    stream = Buffer.concat([stream, rest.subarray(take)]);
    ready();
  });
  socket.write('SYNC\r\n');
  await synced;
  return { socket, stream: () => stream };
}

const bin = findOracle();
let oracle: RunningOracle | undefined;

beforeAll(async () => {
  if (bin) oracle = await startOracle(bin);
}, 30_000);

afterAll(async () => {
  await oracle?.stop();
});

describe('the replication stream against a real primary', () => {
  test('rewrites, transactions, scripts and SELECT are what Valkey sends, byte for byte (absolute times normalised)', async () => {
    if (!oracle) return;
    const { socket, stream } = await attach(oracle.port);
    const c = await RawClient.connect(oracle.port);
    try {
      for (const cmd of SCRIPT) await c.send(cmd);
      await c.send(['WAIT', '1', '200']);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      c.close();
      socket.destroy();
    }
    const real = normalise(parseStream(stream()));

    const clock = new SystemClock();
    const primary = new Engine({ clock, seed: 1 });
    const follower = new Engine({ clock, seed: 2 });
    const ours: string[][] = [];
    primary.repl.prop.attach((cmd) => ours.push([...cmd.argv]));
    const link = linkReplica(primary, follower);
    // The SYNC connection above never acknowledges: a held-back link makes WAIT ask (REPLCONF GETACK) as there.
    link.pause();
    const client = primary.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:2', fd: 8 }, { deliver: () => {}, close: () => {} });
    for (const cmd of SCRIPT) primary.execute(client, cmd);
    primary.execute(client, ['WAIT', '1', '200']);
    link.close();
    primary.close();
    follower.close();
    // SPOP with a count pops in random order: the members are compared as a set.
    const sortSrem = (xs: string[]) => xs.map((x) => (x.includes('SREM') && x.split('\r\n').length > 8 ? [...x.split('\r\n').slice(0, 6), ...x.split('\r\n').slice(6, -1).join('\r\n').split(/\r\n(?=\$)/).sort(), ''].join('\r\n') : x));
    expect(sortSrem(normalise(ours))).toEqual(sortSrem(real));
  }, 30_000);
});
