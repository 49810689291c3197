/**
 * vitest adapter: one line gives a test file its own valkey-double server.
 *
 *   import { useValkeyDouble } from 'valkey-double/vitest';
 *   const valkey = useValkeyDouble({ clock: 'virtual' });
 *   test('expires', async () => {
 *     const redis = new Redis(valkey.url);
 *     await redis.set('k', 'v', 'PX', 100);
 *     valkey.clock.advance(101);
 *     expect(await redis.get('k')).toBeNull();
 *   });
 *
 * Starts the server in beforeAll, empties every database after each test,
 * closes it in afterAll. Call it at the top level of a file or inside a describe.
 */
import { afterAll, afterEach, beforeAll, beforeEach, onTestFailed } from 'vitest';
import type { Clock, VirtualClock } from '../../src/index.js';
import { registerValkeyDouble, type UseValkeyDoubleOptions, type ValkeyDouble } from '../common.js';

export type { UseValkeyDoubleOptions, ValkeyDouble, TargetKind } from '../common.js';
import { FakeTimersClock } from '../fake-timers-clock.js';

export { startRunServer } from '../global.js';
export type { RunServer } from '../global.js';

export { FakeTimersClock };

export function useValkeyDouble(opts: UseValkeyDoubleOptions & { clock: 'virtual'; followFakeTimers: true }): ValkeyDouble<FakeTimersClock>;
export function useValkeyDouble(opts: UseValkeyDoubleOptions & { clock: 'virtual' }): ValkeyDouble<VirtualClock>;
export function useValkeyDouble<C extends Clock>(opts: UseValkeyDoubleOptions & { clock: C }): ValkeyDouble<C>;
export function useValkeyDouble(opts?: UseValkeyDoubleOptions): ValkeyDouble;
export function useValkeyDouble(opts: UseValkeyDoubleOptions = {}): ValkeyDouble {
  return registerValkeyDouble({ beforeAll, beforeEach, afterEach, afterAll, onTestFailed: (fn) => onTestFailed(fn) }, opts, 'useValkeyDouble');
}
