/**
 * Argument lists from Valkey's argument grammar (the metadata's `arguments`:
 * tokens, oneof, block, optional, multiple, multiple_token), as fast-check
 * arbitraries. Valid calls follow the grammar with values from the pools;
 * malformed calls then drop, insert or replace an argument, or cut the call
 * short, so arity and syntax errors come up too.
 *
 * A count argument ("numkeys", "numfields"...) followed by a repeated
 * argument is set to the number of repetitions, or now and then to a value
 * from its pool (a count that does not match is an error path too).
 */
import fc from 'fast-check';
import type { ArgSpec, CommandSpec } from '../../src/index.js';
import { GARBAGE, poolFor, type Pool } from './pools.js';

type Args = string[];
const EMPTY: fc.Arbitrary<Args> = fc.constant([]);

/** A token as written, or now and then in lower case (Valkey compares tokens case-insensitively). */
function tokenArb(token: string): fc.Arbitrary<Args> {
  const lower = token.toLowerCase();
  if (lower === token) return fc.constant<Args>([token]);
  return fc.oneof({ arbitrary: fc.constant<Args>([token]), weight: 9 }, { arbitrary: fc.constant<Args>([lower]), weight: 1 });
}

function concat(parts: fc.Arbitrary<Args>[]): fc.Arbitrary<Args> {
  if (parts.length === 0) return EMPTY;
  if (parts.length === 1) return parts[0]!;
  return fc.tuple(...parts).map((xs) => xs.flat());
}

/** A value from a pool: a good one mostly, a bad one about one time in ten. */
function valueArb(p: Pool): fc.Arbitrary<Args> {
  const good = fc.constantFrom(...p.good).map((v) => [v]);
  if (p.bad.length === 0) return good;
  return fc.oneof({ arbitrary: good, weight: 9 }, { arbitrary: fc.constantFrom(...p.bad).map((v) => [v]), weight: 1 });
}

/** One occurrence of an argument, without its optional/multiple wrapping. */
function oneArb(cmd: string, a: ArgSpec): fc.Arbitrary<Args> {
  let body: fc.Arbitrary<Args>;
  switch (a.type) {
    case 'pure-token':
      return tokenArb(a.token ?? a.name);
    case 'oneof':
      body = fc.oneof(...(a.arguments ?? []).map((x) => argArb(cmd, x)));
      break;
    case 'block':
      body = sequenceArb(cmd, a.arguments ?? []);
      break;
    default:
      body = valueArb(poolFor(cmd, a));
  }
  return a.token ? concat([tokenArb(a.token), body]) : body;
}

/** An argument with its flags: optional (absent or present), multiple (1 to 3 times). */
export function argArb(cmd: string, a: ArgSpec): fc.Arbitrary<Args> {
  const flags = a.flags ?? [];
  let arb: fc.Arbitrary<Args>;
  if (flags.includes('multiple')) {
    if (a.token && !flags.includes('multiple_token')) {
      // The token once, then the values: KEYS k1 k2.
      const inner = oneArb(cmd, { ...a, token: undefined } as ArgSpec);
      arb = concat([tokenArb(a.token), fc.array(inner, { minLength: 1, maxLength: 3 }).map((xs) => xs.flat())]);
    } else {
      arb = fc.array(oneArb(cmd, a), { minLength: 1, maxLength: 3 }).map((xs) => xs.flat());
    }
  } else {
    arb = oneArb(cmd, a);
  }
  return flags.includes('optional') ? fc.oneof(EMPTY, arb) : arb;
}

/** Arguments in order; a count followed by a repeated argument is filled in from the repetitions. */
function sequenceArb(cmd: string, args: readonly ArgSpec[]): fc.Arbitrary<Args> {
  const parts: fc.Arbitrary<Args>[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    if (a.type === 'integer' && /^num/.test(a.name) && next && (next.flags ?? []).includes('multiple')) {
      const items = fc.array(oneArb(cmd, next), { minLength: 1, maxLength: a.name === 'num-vertices' ? 5 : 3 });
      const p = poolFor(cmd, a);
      const count = fc.oneof({ arbitrary: fc.constant<string | undefined>(undefined), weight: 9 }, { arbitrary: fc.constantFrom(...p.good, ...p.bad), weight: 1 });
      const token = a.token ? [a.token] : [];
      parts.push(fc.tuple(count, items).map(([n, xs]) => [...token, n ?? String(xs.length), ...xs.flat()]));
      i++;
      continue;
    }
    parts.push(argArb(cmd, a));
  }
  return concat(parts);
}

/** The words that name a command: ["GET"] or ["CLIENT", "SETNAME"]. */
export function commandWords(fullname: string): string[] {
  return fullname.split('|').map((w) => w.toUpperCase());
}

type Mutation =
  | { kind: 'drop'; at: number }
  | { kind: 'insert'; at: number; word: string }
  | { kind: 'replace'; at: number; word: string }
  | { kind: 'truncate'; keep: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat(8) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(8), word: fc.constantFrom(...GARBAGE) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(8), word: fc.constantFrom(...GARBAGE) }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat(3) }),
);

function mutate(args: Args, m: Mutation): Args {
  const out = [...args];
  switch (m.kind) {
    case 'drop': if (out.length) out.splice(m.at % out.length, 1); break;
    case 'insert': out.splice(m.at % (out.length + 1), 0, m.word); break;
    case 'replace': if (out.length) out[m.at % out.length] = m.word; else out.push(m.word); break;
    case 'truncate': out.length = Math.min(out.length, m.keep); break;
  }
  return out;
}

export interface CallOptions {
  /** Share of malformed calls, 0..1 (default 0.1). */
  malformed?: number;
}

/** Whole calls of one command: its words, then arguments from its grammar (sometimes malformed). */
export function callArb(fullname: string, spec: CommandSpec, opts: CallOptions = {}): fc.Arbitrary<string[]> {
  const words = commandWords(fullname);
  const valid = sequenceArb(fullname, spec.arguments ?? []);
  const share = opts.malformed ?? 0.1;
  if (share <= 0) return valid.map((a) => [...words, ...a]);
  const weightBad = Math.max(1, Math.round(share * 100));
  const bad = fc.tuple(valid, mutationArb).map(([a, m]) => mutate(a, m));
  return fc.oneof({ arbitrary: valid, weight: 100 - weightBad }, { arbitrary: bad, weight: weightBad }).map((a) => [...words, ...a]);
}
