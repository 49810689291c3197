/**
 * A test that fakes timers must not stop the server: it keeps serving, a
 * SystemClock server keeps real time (expiry included), and a VirtualClock
 * server follows only its own advance()/set().
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { Redis } from 'ioredis';
import { createServer, VirtualClock, type ValkeyServer } from '../../src/index.js';
import { realTimers } from '../../src/time/index.js';
import { TestClient } from './support/test-client.js';

/** Sleeps on real time whatever the fakes do. */
const realSleep = (ms: number) => new Promise<void>((r) => realTimers.setTimeout(r, ms));

/** Everything vitest lets a test fake in a forked worker (all but nextTick). */
const EVERYTHING = [
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate',
  'Date', 'hrtime', 'performance', 'queueMicrotask',
] as const;

const Y2K = new Date('2000-01-01T00:00:00Z').getTime();

const modes: [string, () => void][] = [
  ['vi.useFakeTimers() (default toFake)', () => vi.useFakeTimers()],
  ['vi.useFakeTimers() faking everything vitest allows', () => vi.useFakeTimers({ toFake: [...EVERYTHING] })],
  ['vi.setSystemTime() without fake timers', () => vi.setSystemTime(Y2K)],
];

let server: ValkeyServer | undefined;
let clients: TestClient[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const c of clients) c.close();
  clients = [];
  await server?.close();
  server = undefined;
});

async function connect(s: ValkeyServer): Promise<TestClient> {
  const c = await TestClient.connect(s.port);
  clients.push(c);
  return c;
}

describe.each(modes)('%s', (_name, install) => {
  test('the server still starts, accepts and serves clients (pipelines too)', async () => {
    install();
    if (vi.isFakeTimers()) vi.setSystemTime(Y2K);
    server = await createServer();
    const c = await connect(server);
    expect(await c.call('PING')).toBe('PONG');
    expect(await c.call('SET', 'k', 'v')).toBe('OK');
    expect(await c.call('GET', 'k')).toBe('v');
    c.write(Array.from({ length: 100 }, (_, i) => `ECHO m${i}\r\n`).join(''));
    await c.waitReplies(3 + 100);
    expect(c.replies.slice(3)).toEqual(Array.from({ length: 100 }, (_, i) => `m${i}`));
  });

  test('a SystemClock server keeps real time and expires keys on real time', async () => {
    install();
    if (vi.isFakeTimers()) vi.setSystemTime(Y2K);
    expect(Date.now()).toBeLessThan(Y2K + 60_000); // the fake is in force
    server = await createServer();
    expect(Math.abs(server.clock.now() - realTimers.nowMs())).toBeLessThan(1000);
    expect(server.clock.now()).toBeGreaterThan(Y2K + 10 * 365 * 86_400_000);
    const c = await connect(server);
    expect(await c.call('SET', 'lazy', 'v', 'PX', '60')).toBe('OK');
    expect(await c.call('SET', 'active', 'v', 'PX', '60')).toBe('OK');
    expect(await c.call('SET', 'long', 'v', 'EX', '1000')).toBe('OK');
    // Fake time racing ahead expires nothing.
    if (vi.isFakeTimers()) vi.advanceTimersByTime(10_000_000);
    expect(await c.call('GET', 'lazy')).toBe('v');
    await realSleep(150);
    // Active expiry ran on a real timer: the key is gone without being touched.
    expect(server.engine.db(0).size).toBe(1);
    expect(await c.call('DBSIZE')).toBe(1);
    expect(await c.call('GET', 'lazy')).toBe(null);
    expect(await c.call('GET', 'long')).toBe('v');
  });

  test('a VirtualClock server follows only advance()', async () => {
    install();
    const clock = new VirtualClock({ start: 1_800_000_000_000 });
    server = await createServer({ clock });
    const c = await connect(server);
    expect(await c.call('SET', 'k', 'v', 'PX', '100')).toBe('OK');
    if (vi.isFakeTimers()) vi.advanceTimersByTime(10_000_000);
    vi.setSystemTime(Y2K + 5_000_000_000);
    await realSleep(150);
    expect(await c.call('GET', 'k')).toBe('v');
    expect(await c.call('PTTL', 'k')).toBe(100);
    clock.advance(100);
    expect(await c.call('GET', 'k')).toBe('v'); // Valkey: expired once now > expiry time
    clock.advance(1);
    // Active expiry ran inside advance(): the key is gone without being touched.
    expect(server.engine.db(0).size).toBe(0);
    expect(await c.call('DBSIZE')).toBe(0);
    expect(clock.now()).toBe(1_800_000_000_101);
  });
});

describe('the library loaded while fakes are already installed', () => {
  test('captures the real timers and wall clock anyway', async () => {
    vi.useFakeTimers({ toFake: [...EVERYTHING] });
    vi.setSystemTime(Y2K);
    vi.resetModules();
    const fresh = (await import('../../src/index.js')) as typeof import('../../src/index.js');
    const { realTimers: freshTimers } = (await import('../../src/time/index.js')) as typeof import('../../src/time/index.js');
    expect(freshTimers).not.toBe(realTimers); // a new module instance, loaded under the fakes
    expect(Math.abs(freshTimers.nowMs() - realTimers.nowMs())).toBeLessThan(1000);
    const fired = await new Promise<boolean>((resolve) => {
      freshTimers.setTimeout(() => resolve(true), 20);
      realTimers.setTimeout(() => resolve(false), 2000);
    });
    expect(fired).toBe(true);

    server = await fresh.createServer();
    expect(server.clock.now()).toBeGreaterThan(Y2K + 10 * 365 * 86_400_000);
    const c = await connect(server);
    expect(await c.call('SET', 'k', 'v', 'PX', '50')).toBe('OK');
    await realSleep(150);
    expect(server.engine.db(0).size).toBe(0);
    expect(await c.call('DBSIZE')).toBe(0);
  });
});

describe('a real client library under fake timers', () => {
  test('ioredis connects and runs commands while timers are faked', async () => {
    server = await createServer();
    vi.useFakeTimers();
    const redis = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: true });
    try {
      await redis.connect();
      expect(await redis.set('k', 'v')).toBe('OK');
      expect(await redis.get('k')).toBe('v');
      expect(await redis.pipeline().incr('n').incr('n').exec()).toEqual([[null, 1], [null, 2]]);
    } finally {
      redis.disconnect();
    }
  });
});
