/**
 * Property cases: invariants that hold on any Valkey 9, checked with
 * fast-check over generated inputs. Each run starts on an emptied server
 * (FLUSHALL). A property talks to the server only through `t.call`, which
 * returns replies in the common value shape, so it runs through every driver.
 *
 *   property('string', ['set', 'get'], 'GET returns what SET stored', bytesArb, async (t, v) => {
 *     await t.call('SET', 'k', v);
 *     eq(await t.call('GET', 'k'), v);
 *   });
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import type { Arg } from '../drivers/driver.js';
import type { Tag } from '../cases/case.js';
import { isErr, isMap, isNum, showValue, type Value } from '../value.js';

export interface PropertyContext {
  /** Sends a command; returns the reply (errors as `{ err }`). */
  call(...args: Arg[]): Promise<Value>;
  /** Lets time pass for the server (virtual clock: advance; real server: sleep). */
  elapse(ms: number): Promise<void>;
  readonly resp: 2 | 3;
  /**
   * A key of a RESP3 map reply as this client shows it: client libraries
   * decode map keys as UTF-8 text (normalize.ts, ClientProfile).
   */
  mapKey(bytes: string): string;
  /**
   * A second connection (raw RESP2) subscribed to `__redis__:invalidate`,
   * for CLIENT TRACKING ... REDIRECT <id>. Closed when the run ends.
   */
  invalidationSink(): Promise<InvalidationSink>;
}

export interface InvalidationSink {
  /** Its CLIENT ID. */
  readonly id: number;
  /**
   * The invalidation messages delivered so far and not yet taken: each the
   * keys named, or null for a flush. A PING on the sink orders the read after
   * every message the server queued before it.
   */
  take(): Promise<(string[] | null)[]>;
}

export interface PropertyCase {
  readonly kind: 'property';
  readonly group: string;
  readonly commands: readonly string[];
  readonly name: string;
  readonly tags: readonly Tag[];
  readonly arb: fc.Arbitrary<unknown>;
  run(t: PropertyContext, input: unknown): Promise<void>;
  /** Runs per check unless the caller says otherwise. */
  readonly runs?: number;
}

export function property<T>(
  group: string,
  commands: readonly string[],
  name: string,
  arb: fc.Arbitrary<T>,
  run: (t: PropertyContext, input: T) => Promise<void>,
  opts: { tags?: readonly Tag[]; runs?: number } = {},
): PropertyCase {
  return {
    kind: 'property', group, commands, name, tags: opts.tags ?? [],
    arb: arb as fc.Arbitrary<unknown>,
    run: run as (t: PropertyContext, input: unknown) => Promise<void>,
    ...(opts.runs ? { runs: opts.runs } : {}),
  };
}

export class PropertyFailure extends Error {}

export function fail(message: string): never {
  throw new PropertyFailure(message);
}

/** Asserts two values (common shape, or plain JS) are deeply equal. */
export function eq(actual: unknown, expected: unknown, what = 'reply'): void {
  if (!isDeepStrictEqual(actual, expected)) {
    fail(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

function show(x: unknown): string {
  try {
    return showValue(x as Value);
  } catch {
    return String(x);
  }
}

/** The number in an integer (or double) reply. */
export function num(v: Value): number {
  if (!isNum(v)) fail(`expected a number, got ${showValue(v)}`);
  return Number(v.num);
}

/** A double reply: a bulk string in RESP2, a double in RESP3. */
export function score(v: Value): number {
  if (typeof v === 'string') return Number(v);
  return num(v);
}

/** The integer in an integer reply, exactly. */
export function big(v: Value): bigint {
  if (!isNum(v)) fail(`expected an integer, got ${showValue(v)}`);
  return BigInt(v.num);
}

/** A string reply (or null). */
export function str(v: Value): string | null {
  if (v !== null && typeof v !== 'string') fail(`expected a string, got ${showValue(v)}`);
  return v;
}

/** An array reply. */
export function arr(v: Value): readonly Value[] {
  if (!Array.isArray(v)) fail(`expected an array, got ${showValue(v)}`);
  return v;
}

/** An array of strings. */
export function strs(v: Value): string[] {
  return arr(v).map((x) => str(x) ?? fail('unexpected nil element'));
}

/** (field, value) pairs of a map-shaped reply: a RESP3 map or a RESP2 flat array. */
export function pairs(v: Value): [Value, Value][] {
  if (isMap(v)) return v.map.map(([k, x]) => [k, x]);
  const a = arr(v);
  const out: [Value, Value][] = [];
  for (let i = 0; i < a.length; i += 2) out.push([a[i]!, a[i + 1]!]);
  return out;
}

/** Asserts the reply is not an error. */
export function okReply(v: Value): Value {
  if (isErr(v)) fail(`unexpected error: ${v.err}`);
  return v;
}

/** Sorted copy (for set-like comparisons). */
export function sorted<T>(xs: readonly T[]): T[] {
  return [...xs].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}

// --- arbitraries shared by properties ---

/** Byte strings (latin1), including NUL and high bytes, up to `max` long. */
export const bytes = (max = 20): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: max }).map((cs) => String.fromCharCode(...cs));

/** Mostly printable ASCII text, sometimes any bytes. */
export const text = (max = 12): fc.Arbitrary<string> =>
  fc.oneof({ arbitrary: fc.string({ maxLength: max, unit: 'grapheme-ascii' }), weight: 3 }, { arbitrary: bytes(max), weight: 1 });

/** A few distinct key names. */
export const keyName = fc.constantFrom('k1', 'k2', 'k3', 'k4', '{t}k5', 'key:with:colons');

/** A 64-bit integer, edges included. */
export const int64 = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.constantFrom(0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n)),
  fc.bigInt({ min: -1000n, max: 1000n }),
);
