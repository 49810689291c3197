/**
 * Ready-made client scenarios: faults a client library must survive, run
 * through a small driver per library, with the results as a table.
 *
 *   import { runScenarios, mockStage, ioredisScenarioDriver, formatMarkdown } from 'valkey-double/conformance';
 *   const stage = await mockStage();
 *   const table = await runScenarios(stage, [ioredisScenarioDriver()]);
 *   console.log(formatMarkdown(table));
 */
export * from './types.js';
export { SCENARIOS, SINGLE_NODE_SCENARIOS, CLUSTER_SCENARIOS, RECOVERY_BOUND_MS, CALL_BOUND_MS, recover } from './library.js';
export { Ledger, describe as describeOutcome } from './ledger.js';
export type { Write } from './ledger.js';
export { runScenarios, runOne, bound, formatMarkdown, formatText } from './run.js';
export type { Cell, CellStatus, ScenarioTable, RunOptions } from './run.js';
export { mockStage, proxyStage } from './stage.js';
export { ioredisScenarioDriver, iovalkeyScenarioDriver, makeIoDriver } from './drivers/ioredis.js';
export { nodeRedisScenarioDriver } from './drivers/node-redis.js';
export { loadScenarioDriver, SCENARIO_DRIVER_NAMES } from './drivers/index.js';
