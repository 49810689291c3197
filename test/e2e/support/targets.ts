/**
 * The servers an end-to-end suite runs against: valkey-double always, and a
 * real Valkey 9 whenever one is found (required when
 * VALKEY_DOUBLE_REQUIRE_ORACLE=1, as in CI). Running the same client-level
 * expectations on both keeps them honest: they hold for real Valkey.
 */
import { afterAll, beforeAll } from 'vitest';
import { findOracle, oracleRequired, startOracle, type RunningOracle } from '../../../conformance/targets/oracle.js';
import { createServer, type ValkeyServer, type VirtualClock } from '../../../src/index.js';

export type TargetName = 'valkey-double' | 'valkey';

export interface Target {
  readonly name: TargetName;
  readonly host: string;
  readonly port: number;
  /** The mock server (valkey-double only). */
  readonly mock: ValkeyServer<VirtualClock> | undefined;
  /** Lets `ms` pass: the virtual clock advances (valkey-double), or real time is slept (valkey). */
  elapse(ms: number): Promise<void>;
}

const oracleBin = findOracle();

/** Targets to run: always the mock; the real server when found or required (then missing = failure). */
export function targetNames(): TargetName[] {
  if (oracleBin || oracleRequired()) return ['valkey-double', 'valkey'];
  console.warn('[e2e] no Valkey 9 binary found (npm run oracle): client suites run against valkey-double only');
  return ['valkey-double'];
}

/** Starts the target in beforeAll and stops it in afterAll. Read its fields inside tests. */
export function useTarget(name: TargetName): Target {
  let mock: ValkeyServer<VirtualClock> | undefined;
  let oracle: RunningOracle | undefined;
  beforeAll(async () => {
    if (name === 'valkey-double') {
      mock = await createServer({ clock: 'virtual' });
    } else {
      if (!oracleBin) throw new Error('VALKEY_DOUBLE_REQUIRE_ORACLE=1 but no Valkey 9 binary was found (run npm run oracle)');
      oracle = await startOracle(oracleBin);
    }
  }, 30_000);
  afterAll(async () => {
    await Promise.all([mock?.close(), oracle?.stop()]);
  });
  return {
    name,
    host: '127.0.0.1',
    get port() {
      const p = mock?.port ?? oracle?.port;
      if (p === undefined) throw new Error(`target ${name} is not running`);
      return p;
    },
    get mock() {
      return mock;
    },
    async elapse(ms: number) {
      if (mock) mock.clock.advance(ms);
      else await new Promise((r) => setTimeout(r, ms));
    },
  };
}

let counter = 0;
/** A key prefix unique to the calling test (suites share one server per target). */
export function uniq(tag = 'k'): string {
  return `${tag}:${process.pid}:${++counter}:`;
}
