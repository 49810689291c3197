/**
 * client-output-buffer-limit against a real Valkey 9.1.2: a subscriber that
 * stops reading is disconnected once its pending output passes the pubsub
 * hard limit, the publisher is not affected, and INFO counts the
 * disconnection; a normal client under no limit is not disconnected.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, test } from 'vitest';
import { RawClient } from '../../conformance/targets/raw-client.js';
import { findOracle, oracleRequired, startOracle } from '../../conformance/targets/oracle.js';
import { createServer } from '../../src/index.js';

const bin = findOracle();
if (!bin && oracleRequired()) throw new Error('VALKEY_DOUBLE_REQUIRE_ORACLE=1 but no Valkey 9 binary was found');
const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.all(stops.map((s) => s()));
});

const disconnections = (info: string) => Number(/client_output_buffer_limit_disconnections:(\d+)/.exec(info)?.[1]);

/**
 * Subscribes, then stops reading while another client publishes (up to `max`
 * batches); `closed` when the server dropped the subscriber (a paused socket
 * does not report its close, so CLIENT LIST tells).
 */
async function slowSubscriber(port: number, max: number): Promise<{ closed: boolean; info: string; publisherOk: boolean }> {
  const sub: Socket = connect({ port, host: '127.0.0.1' });
  await new Promise<void>((r) => sub.once('connect', () => r()));
  sub.on('error', () => {});
  sub.write('*2\r\n$9\r\nSUBSCRIBE\r\n$2\r\nch\r\n');
  await new Promise((r) => setTimeout(r, 50));
  sub.pause();
  const pub = await RawClient.connect(port);
  const msg = 'x'.repeat(4096);
  const subscribers = async () => Number(/:(\d+)/.exec((await pub.send(['PUBSUB', 'NUMSUB', 'ch'])).raw.split('\r\n').slice(3).join(':'))?.[1]);
  let closed = false;
  for (let i = 0; i < max && !closed; i++) {
    await pub.sendRawMany(Array.from({ length: 50 }, () => `*3\r\n$7\r\nPUBLISH\r\n$2\r\nch\r\n$${msg.length}\r\n${msg}\r\n`).join(''), 50);
    await new Promise((r) => setImmediate(r));
    if (i % 10 === 9) closed = (await subscribers()) === 0;
  }
  for (let i = 0; i < 20 && !closed; i++) {
    await new Promise((r) => setTimeout(r, 20));
    closed = (await subscribers()) === 0;
  }
  const info = (await pub.send(['INFO', 'stats'])).raw;
  const publisherOk = (await pub.send(['PING'])).raw === '+PONG\r\n';
  pub.close();
  sub.destroy();
  return { closed, info, publisherOk };
}

describe.skipIf(!bin)('client-output-buffer-limit', () => {
  const limit = ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 256kb 0 0'];
  test('a subscriber that does not read is closed at the pubsub hard limit, as by Valkey', async () => {
    const o = await startOracle(bin!);
    stops.push(() => o.stop());
    const m = await createServer({ port: 0 });
    stops.push(() => m.close());
    const results = [];
    for (const port of [o.port, m.port]) {
      const c = await RawClient.connect(port);
      await c.send(limit);
      c.close();
      results.push(await slowSubscriber(port, 400));
    }
    for (const r of results) {
      expect(r.closed).toBe(true);
      expect(r.publisherOk).toBe(true);
      expect(disconnections(r.info)).toBe(1);
    }
  }, 60_000);

  test('without a limit the subscriber stays', async () => {
    const m = await createServer({ port: 0, config: { 'client-output-buffer-limit': 'pubsub 0 0 0' } });
    stops.push(() => m.close());
    const r = await slowSubscriber(m.port, 40);
    expect(r.closed).toBe(false);
    expect(disconnections(r.info)).toBe(0);
  }, 60_000);
});

describe.skipIf(!bin)('client-query-buffer-limit', () => {
  test('a request that outgrows the limit closes the client before it runs, as Valkey does', async () => {
    const o = await startOracle(bin!);
    stops.push(() => o.stop());
    const m = await createServer({ port: 0 });
    stops.push(() => m.close());
    const out: [boolean, number, string][] = [];
    for (const port of [o.port, m.port]) {
      const admin = await RawClient.connect(port);
      await admin.send(['CONFIG', 'SET', 'client-query-buffer-limit', '1mb']);
      const s: Socket = connect({ port, host: '127.0.0.1' });
      await new Promise<void>((r) => s.once('connect', () => r()));
      let closed = false;
      s.on('close', () => { closed = true; });
      s.on('error', () => {});
      s.write('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n');
      for (let i = 0; i < 24 && !closed; i++) {
        s.write('y'.repeat(65536));
        await new Promise((r) => setTimeout(r, 5));
      }
      for (let i = 0; i < 50 && !closed; i++) await new Promise((r) => setTimeout(r, 20));
      out.push([closed, Number(/client_query_buffer_limit_disconnections:(\d+)/.exec((await admin.send(['INFO', 'stats'])).raw)?.[1]), (await admin.send(['EXISTS', 'k'])).raw]);
      await admin.send(['CONFIG', 'SET', 'client-query-buffer-limit', '1gb']);
      admin.close();
      s.destroy();
    }
    expect(out[1]).toEqual(out[0]);
    expect(out[0]).toEqual([true, 1, ':0\r\n']);
  }, 60_000);
});
