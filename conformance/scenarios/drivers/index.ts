import type { ScenarioDriver } from '../types.js';

export const SCENARIO_DRIVER_NAMES = ['ioredis', 'node-redis', 'iovalkey'] as const;

/** A scenario driver by name (its client library loads when it connects). */
export async function loadScenarioDriver(name: string): Promise<ScenarioDriver> {
  switch (name) {
    case 'ioredis': return (await import('./ioredis.js')).ioredisScenarioDriver();
    case 'iovalkey': return (await import('./ioredis.js')).iovalkeyScenarioDriver();
    case 'node-redis': return (await import('./node-redis.js')).nodeRedisScenarioDriver();
    default: throw new Error(`unknown client '${name}' (one of ${SCENARIO_DRIVER_NAMES.join(', ')})`);
  }
}
