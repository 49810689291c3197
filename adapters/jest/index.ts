/**
 * jest adapter: one line gives a test file its own valkey-double server,
 * using jest's global hooks (beforeAll, afterEach, afterAll).
 *
 *   import { useValkeyDouble } from 'valkey-double/jest';
 *   const valkey = useValkeyDouble({ clock: 'virtual' });
 *   test('expires', async () => {
 *     const redis = new Redis(valkey.url);
 *     await redis.set('k', 'v', 'PX', 100);
 *     valkey.clock.advance(101);
 *     expect(await redis.get('k')).toBeNull();
 *   });
 *
 * The server keeps working under jest.useFakeTimers() (and with
 * `fakeTimers: { enableGlobally: true }`): it runs on timers captured from
 * the runtime, not on the faked globals.
 */
import type { Clock, VirtualClock } from '../../src/index.js';
import { registerValkeyDouble, type Hooks, type UseValkeyDoubleOptions, type ValkeyDouble } from '../common.js';

export type { UseValkeyDoubleOptions, ValkeyDouble, TargetKind } from '../common.js';
import { FakeTimersClock } from '../fake-timers-clock.js';

export { startRunServer } from '../global.js';
export type { RunServer } from '../global.js';

export { FakeTimersClock };

function jestHooks(): Hooks {
  const g = globalThis as unknown as Partial<Hooks>;
  const missing = (['beforeAll', 'beforeEach', 'afterEach', 'afterAll'] as const).filter((k) => typeof g[k] !== 'function');
  if (missing.length > 0) {
    throw new Error(`useValkeyDouble (jest): no global ${missing.join(', ')}: call it from a jest test file`);
  }
  return g as Hooks;
}

export function useValkeyDouble(opts: UseValkeyDoubleOptions & { clock: 'virtual'; followFakeTimers: true }): ValkeyDouble<FakeTimersClock>;
export function useValkeyDouble(opts: UseValkeyDoubleOptions & { clock: 'virtual' }): ValkeyDouble<VirtualClock>;
export function useValkeyDouble<C extends Clock>(opts: UseValkeyDoubleOptions & { clock: C }): ValkeyDouble<C>;
export function useValkeyDouble(opts?: UseValkeyDoubleOptions): ValkeyDouble;
export function useValkeyDouble(opts: UseValkeyDoubleOptions = {}): ValkeyDouble {
  return registerValkeyDouble(jestHooks(), opts, 'useValkeyDouble');
}
