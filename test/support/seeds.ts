/**
 * The one place where the seeds of property and model-based runs come from.
 *
 * The gate (`npm test`, `.ci/run`) is deterministic: every run of the same
 * commit draws the same inputs. By default the base seed is DEFAULT_SEED;
 * `VALKEY_DOUBLE_SEED=N` replaces it (a failure prints the line that replays
 * it). Each test derives its own seed from the base seed and its file and
 * name, so tests do not all explore the same inputs, and adding one test does
 * not change what another draws.
 *
 * Exploration with fresh seeds lives outside the gate: `npm run explore`
 * (scripts/explore.ts) runs the property suites again and again, each time
 * with a new base seed, and reports what it finds.
 */

/** The base seed of the gate. Changing it is a deliberate act, in a commit of its own. */
export const DEFAULT_SEED = 20261207;

const ENV = 'VALKEY_DOUBLE_SEED';

/** The base seed of this run: VALKEY_DOUBLE_SEED, or DEFAULT_SEED. */
export function baseSeed(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[ENV];
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${ENV} must be an integer, not ${JSON.stringify(raw)}`);
  return n | 0;
}

/** Whether the base seed was given from outside (an exploration or a replay). */
export function seedOverridden(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env[ENV] ?? '') !== '';
}

/** A 32-bit seed for `name` under `base` (FNV-1a over both), stable across runs and machines. */
export function deriveSeed(base: number, name: string): number {
  let h = 0x811c9dc5;
  const s = `${base}\u0000${name}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** The command line that replays a test with the given base seed. */
export function replayLine(base: number, file: string | undefined, testName: string | undefined): string {
  const target = file ? ` ${file}` : '';
  const only = testName ? ` -t ${JSON.stringify(testName)}` : '';
  return `${ENV}=${base} npx vitest run${target}${only}`;
}

/**
 * How many times the usual number of runs a suite that sizes its own runs
 * should do (VALKEY_DOUBLE_RUNS_FACTOR, default 1): exploration asks for more.
 */
export function runsFactor(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['VALKEY_DOUBLE_RUNS_FACTOR'];
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`VALKEY_DOUBLE_RUNS_FACTOR must be a positive integer, not ${JSON.stringify(raw)}`);
  return n;
}
