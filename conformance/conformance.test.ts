/**
 * Our CI: the corpus against valkey-double and against a real Valkey 9 (the
 * oracle, started here), through the raw driver, ioredis and node-redis, in
 * RESP2 and RESP3. Model-based runs compare valkey-double with Valkey 9 on
 * fixed seeds plus the run's base seed (test/support/seeds.ts): in the gate
 * that is a fixed default too, so the same commit gives the same result;
 * `npm run explore` sets a fresh one and runs more sequences
 * (VALKEY_DOUBLE_RUNS_FACTOR). Rerun one failure with
 * `npx valkey-double conformance --target mock --seed N --group G`.
 *
 * Sized to stay within about three minutes on two cores. For deeper runs:
 * `npx valkey-double conformance --target mock --kind model --runs 1000`
 * (see conformance/README.md for timings per group).
 *
 * VALKEY_DOUBLE_REQUIRE_ORACLE=1 (CI) makes a missing Valkey 9 a failure.
 */
import { oracleRequired } from './targets/oracle.js';
import { defineConformance } from './vitest.js';
import { baseSeed, runsFactor } from '../test/support/seeds.js';

const FIXED_SEEDS = [20251127, 4242];
const BASE_SEED = baseSeed();
console.log(`[conformance] base seed ${BASE_SEED} (replay: VALKEY_DOUBLE_SEED=${BASE_SEED} npx vitest run conformance/conformance.test.ts)`);
const seeds = [...FIXED_SEEDS, BASE_SEED];
const required = oracleRequired();
const f = runsFactor();

// Example cases and properties on valkey-double (virtual clock), and model runs against Valkey 9.
// Model sequences per group: raw 120 x 3 seeds x 2 protocols + clients 30 x 3 x 2 x 2 = 1,080.
defineConformance({ target: 'mock', clients: ['raw'], reference: 'binary', seeds, runs: 120 * f, propertyRuns: 50 * f, required });
defineConformance({ target: 'mock', clients: ['ioredis', 'node-redis'], reference: 'binary', seeds, runs: 30 * f, propertyRuns: 20 * f, required });

// The same example cases and properties on Valkey 9 itself: the expectations are Valkey's.
defineConformance({ target: 'binary', clients: ['raw', 'ioredis', 'node-redis'], kinds: ['example', 'property'], seeds: [BASE_SEED], propertyRuns: 25 * f, required });
