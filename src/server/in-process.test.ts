/**
 * The in-process transport through real clients: the same replies and the
 * same faults as over TCP, with no socket.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { AbstractConnector, Redis } from 'ioredis';
import { AbstractConnector as ValkeyConnector, Valkey } from 'iovalkey';
import { createServer, FAULT_ERRORS, type ValkeyServer } from '../index.js';

let server: ValkeyServer;
const clients: { disconnect(): void }[] = [];
beforeAll(async () => {
  server = await createServer();
});
afterEach(() => {
  server.faults.reset();
  for (const c of clients.splice(0)) c.disconnect();
  server.flushAll();
});
afterAll(() => server.close());

function ioredis(extra: Record<string, unknown> = {}): Redis {
  const r = new Redis({ Connector: server.ioredisConnector(AbstractConnector), maxRetriesPerRequest: 0, retryStrategy: () => null, ...extra });
  r.on('error', () => {});
  clients.push(r);
  return r;
}

describe('ioredis over the in-process connector', () => {
  test('commands, pipelines and transactions, as over TCP', async () => {
    const r = ioredis({ connectionName: 'inproc' });
    expect(await r.set('k', 'v')).toBe('OK');
    expect(await r.get('k')).toBe('v');
    expect(await r.pipeline().incr('n').incr('n').get('n').exec()).toEqual([[null, 1], [null, 2], [null, '2']]);
    expect(await r.multi().set('a', '1').get('a').exec()).toEqual([[null, 'OK'], [null, '1']]);
    const big = 'x'.repeat(3_000_000);
    await r.set('big', big);
    expect(await r.strlen('big')).toBe(3_000_000);
    expect((await r.get('big'))?.length).toBe(3_000_000);
    expect(String(await r.client('LIST'))).toMatch(/addr=127\.0\.0\.1:\d+ .*name=inproc/);
    expect(server.connections).toBe(1);
  });

  test('the same faults: an error, a split reply, a close after running', async () => {
    const r = ioredis();
    server.faults.on('GET').error('READONLY');
    await expect(r.get('k')).rejects.toThrow(FAULT_ERRORS.READONLY);
    await r.set('k', 'value');
    server.faults.on('GET').split([1, 1, 1], { intervalMs: 5 });
    expect(await r.get('k')).toBe('value');
    server.faults.on('INCR').close({ when: 'after' });
    await expect(r.incr('n')).rejects.toThrow(/Connection is closed/);
    const r2 = ioredis();
    expect(await r2.get('n')).toBe('1');
  });

  test('disconnect closes the server side; a refused connection closes the client', async () => {
    const r = ioredis();
    await r.ping();
    expect(server.connections).toBe(1);
    r.disconnect();
    const end = Date.now() + 1000;
    while (server.connections > 0 && Date.now() < end) await new Promise((res) => setTimeout(res, 5));
    expect(server.connections).toBe(0);
    server.faults.refuseConnections();
    const bad = ioredis({ lazyConnect: true });
    await expect(bad.connect().then(() => bad.ping())).rejects.toThrow();
  });

  test('iovalkey too', async () => {
    const v = new Valkey({ Connector: server.ioredisConnector(ValkeyConnector), maxRetriesPerRequest: 0, retryStrategy: () => null });
    v.on('error', () => {});
    clients.push(v);
    expect(await v.hset('h', 'f', '1')).toBe(1);
    expect(await v.hgetall('h')).toEqual({ f: '1' });
  });
});

describe('connectInProcess(): a raw duplex stream', () => {
  test('speaks RESP and sees RESET as ECONNRESET', async () => {
    const s = server.connectInProcess();
    const got: Buffer[] = [];
    s.on('data', (c: Buffer) => got.push(c));
    s.write('*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n');
    const end = Date.now() + 1000;
    while (Buffer.concat(got).length < 15 && Date.now() < end) await new Promise((r) => setTimeout(r, 2));
    expect(Buffer.concat(got).toString()).toBe('+PONG\r\n$2\r\nhi\r\n');
    server.faults.on('PING').close({ how: 'reset' });
    const err = new Promise<string>((resolve) => s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? '')));
    s.write('*1\r\n$4\r\nPING\r\n');
    expect(await err).toBe('ECONNRESET');
  });
});
