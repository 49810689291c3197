/**
 * The jest adapter relies on jest's global hooks; here vitest's hooks stand in
 * for them (jest itself is not a dependency of this repository).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/index.js';
import { TestClient } from '../../test/e2e/support/test-client.js';
import { useValkeyDouble } from './index.js';

const g = globalThis as Record<string, unknown>;

describe('without jest globals', () => {
  test('says what is missing', () => {
    for (const k of ['beforeAll', 'beforeEach', 'afterEach', 'afterAll']) delete g[k];
    expect(() => useValkeyDouble()).toThrow(/no global beforeAll, beforeEach, afterEach, afterAll/);
  });
});

Object.assign(g, { beforeAll, beforeEach, afterEach, afterAll });

describe('with jest-style global hooks', () => {
  const valkey = useValkeyDouble({ clock: 'virtual' });
  const clients: TestClient[] = [];
  afterAll(() => clients.forEach((c) => c.close()));

  test('a server with a virtual clock', async () => {
    expect(valkey.clock).toBeInstanceOf(VirtualClock);
    const c = await TestClient.connect(valkey.port);
    clients.push(c);
    expect(await c.call('SET', 'k', 'v', 'PX', '10')).toBe('OK');
    valkey.clock.advance(11);
    expect(await c.call('GET', 'k')).toBeNull();
    expect(await c.call('SET', 'stays', '1')).toBe('OK');
  });

  test('flushed after each test', async () => {
    const c = await TestClient.connect(valkey.port);
    clients.push(c);
    expect(await c.call('GET', 'stays')).toBeNull();
  });
});
