import { afterAll, describe, expect, test } from 'vitest';
import { Redis } from 'ioredis';
import { SystemClock, VirtualClock } from '../../src/index.js';
import { TestClient } from '../../test/e2e/support/test-client.js';
import { useValkeyDouble } from './index.js';

const clients: TestClient[] = [];
async function connect(port: number): Promise<TestClient> {
  const c = await TestClient.connect(port);
  clients.push(c);
  return c;
}
afterAll(() => clients.forEach((c) => c.close()));

let closedPort = 0;

describe('useValkeyDouble({ clock: "virtual" })', () => {
  const valkey = useValkeyDouble({ clock: 'virtual' });
  let early: unknown;
  try {
    void valkey.port;
  } catch (e) {
    early = e;
  }

  test('reading the handle before the server started says why', () => {
    expect(String(early)).toMatch(/not running: use it inside a test or a hook/);
  });

  test('gives a running server on loopback with a virtual clock', async () => {
    closedPort = valkey.port;
    expect(valkey.port).toBeGreaterThan(0);
    expect(valkey.host).toBe('127.0.0.1');
    expect(valkey.url).toBe(`redis://127.0.0.1:${valkey.port}`);
    expect(valkey.clock).toBeInstanceOf(VirtualClock);
    expect(valkey.server.clock).toBe(valkey.clock);
    const redis = new Redis(valkey.url);
    try {
      expect(await redis.set('k', 'v', 'PX', 100)).toBe('OK');
      valkey.clock.advance(100);
      expect(await redis.get('k')).toBe('v');
      valkey.clock.advance(1);
      expect(await redis.get('k')).toBeNull();
      expect(await redis.set('left-behind', '1')).toBe('OK');
    } finally {
      redis.disconnect();
    }
  });

  test('every database is empty again in the next test', async () => {
    const c = await connect(valkey.port);
    expect(await c.call('GET', 'left-behind')).toBeNull();
    expect(valkey.server.engine.db(0).size).toBe(0);
    expect(await c.call('SET', 'again', '1')).toBe('OK');
    valkey.flush();
    expect(await c.call('GET', 'again')).toBeNull();
  });
});

describe('after the suite, the server is closed', () => {
  test('its port refuses connections', async () => {
    expect(closedPort).toBeGreaterThan(0);
    await expect(TestClient.connect(closedPort)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('useValkeyDouble() defaults to real time', () => {
  const valkey = useValkeyDouble();
  test('system clock', () => {
    expect(valkey.clock).toBeInstanceOf(SystemClock);
    expect(Math.abs(valkey.clock.now() - Date.now())).toBeLessThan(1000);
  });
});

describe('useValkeyDouble({ flush: false }) keeps data between tests', () => {
  const valkey = useValkeyDouble({ flush: false, databases: 4 });
  test('writes', async () => {
    const c = await connect(valkey.port);
    expect(await c.call('SET', 'kept', 'yes')).toBe('OK');
    expect(valkey.server.engine.databases).toBe(4);
  });
  test('still there', async () => {
    const c = await connect(valkey.port);
    expect(await c.call('GET', 'kept')).toBe('yes');
  });
});

describe('useValkeyDouble({ flush: "beforeEach" }) with a clock of your own', () => {
  const clock = new VirtualClock({ start: 1_000_000 });
  const valkey = useValkeyDouble({ clock, flush: 'beforeEach' });
  test('the given clock is the server clock', async () => {
    expect(valkey.clock).toBe(clock);
    const c = await connect(valkey.port);
    expect(await c.call('SET', 'x', '1')).toBe('OK');
  });
  test('emptied before this test', async () => {
    const c = await connect(valkey.port);
    expect(await c.call('GET', 'x')).toBeNull();
  });
});

describe('useValkeyDouble({ requirepass })', () => {
  const valkey = useValkeyDouble({ requirepass: 's3cret' });
  test('clients must authenticate', async () => {
    const c = await connect(valkey.port);
    expect(await c.call('GET', 'k')).toEqual({ error: 'NOAUTH Authentication required.' });
    expect(await c.call('AUTH', 's3cret')).toBe('OK');
    expect(await c.call('GET', 'k')).toBeNull();
  });
});
