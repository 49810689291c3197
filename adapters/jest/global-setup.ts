/**
 * jest globalSetup / globalTeardown: one valkey-double server (or
 * VALKEY_DOUBLE_TARGET's server) for the whole run, reached by the workers
 * through VALKEY_DOUBLE_URL.
 *
 *   // jest.config.js
 *   export default {
 *     globalSetup: 'valkey-double/jest/global-setup',
 *     globalTeardown: 'valkey-double/jest/global-teardown',
 *   };
 */
import { startRunServer, type RunServer } from '../global.js';

const KEY = Symbol.for('valkey-double.jest-run-server');

export default async function globalSetup(): Promise<void> {
  (globalThis as { [KEY]?: RunServer })[KEY] = await startRunServer();
}

export async function globalTeardown(): Promise<void> {
  const g = globalThis as { [KEY]?: RunServer };
  const s = g[KEY];
  g[KEY] = undefined;
  await s?.stop();
}
