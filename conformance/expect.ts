/**
 * How example cases state replies. An expectation is written once and gives
 * the exact bytes Valkey 9 sends in RESP2 and in RESP3 (what the raw driver
 * compares) and, through the common value shape, what a client library
 * should decode (what client drivers compare).
 *
 *   'v'              bulk string            $1\r\nv\r\n
 *   5                integer                :5\r\n
 *   null             null bulk              $-1\r\n        RESP3: _\r\n
 *   ['a', 1]         array                  *2\r\n...
 *   ok               simple string OK       +OK\r\n
 *   simple('PONG')   simple string
 *   err('ERR ...')   error (the whole message)
 *   nilArr           null array             *-1\r\n        RESP3: _\r\n
 *   map([k, v]...)   map                    RESP2: flat array *2n; RESP3: %n
 *   set(a, b)        set                    RESP2: array; RESP3: ~n
 *   dbl('1.5')       double (Valkey's text) RESP2: bulk; RESP3: ,1.5
 *   bool(true)       boolean                RESP2: :1 / :0; RESP3: #t / #f
 *   verb('text')     verbatim string        RESP2: bulk; RESP3: =len txt:text
 *   resp(e2, e3)     a different reply per protocol version
 *   pin(3, e)        `e` in RESP3 whatever the connection spoke before (HELLO 3's reply)
 *
 * Matchers, for replies a case cannot state exactly (each is a loosening of
 * that one step, visible in the case):
 *   unordered(...)   an array/set (or map) whose element order Valkey does not define
 *   intIn(lo, hi)    an integer within [lo, hi] (a TTL read on a running clock)
 *   any              any reply but an error (a client id, a timestamp)
 *   errLike(/re/)    an error whose message matches
 *   like(/re/)       a string (bulk, simple or verbatim) whose text matches (CLIENT INFO)
 *
 * The encoder here is the corpus's own, independent of valkey-double's, so a
 * mistake in the mock's encoder cannot hide behind it; every example case
 * is checked against a real Valkey 9 in CI.
 */
import type { RawValue } from '../src/index.js';

export type Expect =
  | string
  | number
  | bigint
  | null
  | readonly Expect[]
  | Special;

type Special =
  | { readonly x: 'simple'; readonly v: string }
  | { readonly x: 'err'; readonly v: string }
  | { readonly x: 'nilArr' }
  | { readonly x: 'map'; readonly v: readonly (readonly [Expect, Expect])[] }
  | { readonly x: 'set'; readonly v: readonly Expect[] }
  | { readonly x: 'dbl'; readonly v: string }
  | { readonly x: 'bool'; readonly v: boolean }
  | { readonly x: 'verb'; readonly v: string; readonly format: string }
  | { readonly x: 'resp'; readonly v2: Expect; readonly v3: Expect }
  /** Encoded in one protocol version whatever the connection's: the reply to HELLO, RESET. */
  | { readonly x: 'pin'; readonly version: 2 | 3; readonly v: Expect }
  | Matcher;

export type Matcher =
  | { readonly x: 'unordered'; readonly v: Expect }
  | { readonly x: 'intIn'; readonly lo: number; readonly hi: number }
  | { readonly x: 'any' }
  | { readonly x: 'errLike'; readonly re: RegExp }
  | { readonly x: 'like'; readonly re: RegExp };

export const ok: Expect = { x: 'simple', v: 'OK' };
export const queued: Expect = { x: 'simple', v: 'QUEUED' };
export const nilArr: Expect = { x: 'nilArr' };
export const any: Expect = { x: 'any' };
export const simple = (v: string): Expect => ({ x: 'simple', v });
export const err = (v: string): Expect => ({ x: 'err', v });
export const map = (...v: (readonly [Expect, Expect])[]): Expect => ({ x: 'map', v });
export const set = (...v: Expect[]): Expect => ({ x: 'set', v });
export const dbl = (v: string): Expect => ({ x: 'dbl', v });
export const bool = (v: boolean): Expect => ({ x: 'bool', v });
export const verb = (v: string, format = 'txt'): Expect => ({ x: 'verb', v, format });
export const resp = (v2: Expect, v3: Expect): Expect => ({ x: 'resp', v2, v3 });
export const pin = (version: 2 | 3, v: Expect): Expect => ({ x: 'pin', version, v });
export const unordered = (v: Expect): Expect => ({ x: 'unordered', v });
export const intIn = (lo: number, hi: number): Expect => ({ x: 'intIn', lo, hi });
export const errLike = (re: RegExp): Expect => ({ x: 'errLike', re });
export const like = (re: RegExp): Expect => ({ x: 'like', re });
/** An array of bulk strings. */
export const bulks = (...v: string[]): Expect => v;

function isSpecial(e: Expect): e is Special {
  return e !== null && typeof e === 'object' && !Array.isArray(e);
}

/** The expectation with `resp(...)` resolved for one protocol version. */
export function forVersion(e: Expect, v: 2 | 3): Expect {
  if (Array.isArray(e)) return e.map((x) => forVersion(x, v));
  if (!isSpecial(e)) return e;
  switch (e.x) {
    case 'resp': return forVersion(v === 2 ? e.v2 : e.v3, v);
    case 'pin': return { x: 'pin', version: e.version, v: forVersion(e.v, e.version) };
    case 'map': return { x: 'map', v: e.v.map(([k, x]) => [forVersion(k, v), forVersion(x, v)] as const) };
    case 'set': return { x: 'set', v: e.v.map((x) => forVersion(x, v)) };
    case 'unordered': return { x: 'unordered', v: forVersion(e.v, v) };
    default: return e;
  }
}

/** Whether the expectation (for this version) contains a matcher, so has no single byte form. */
export function hasMatcher(e: Expect): boolean {
  if (Array.isArray(e)) return e.some(hasMatcher);
  if (!isSpecial(e)) return false;
  switch (e.x) {
    case 'unordered': case 'intIn': case 'any': case 'errLike': case 'like': return true;
    case 'map': return e.v.some(([k, x]) => hasMatcher(k) || hasMatcher(x));
    case 'set': return e.v.some(hasMatcher);
    case 'resp': return hasMatcher(e.v2) || hasMatcher(e.v3);
    case 'pin': return hasMatcher(e.v);
    default: return false;
  }
}

/** The exact bytes (latin1) of an expectation without matchers, for one protocol version. */
export function encodeExpect(e: Expect, v: 2 | 3): string {
  if (e === null) return v === 3 ? '_\r\n' : '$-1\r\n';
  if (typeof e === 'string') return `$${e.length}\r\n${e}\r\n`;
  if (typeof e === 'number' || typeof e === 'bigint') return `:${e}\r\n`;
  if (Array.isArray(e)) return `*${e.length}\r\n` + e.map((x) => encodeExpect(x, v)).join('');
  const s = e as Special;
  switch (s.x) {
    case 'simple': return `+${s.v}\r\n`;
    case 'err': return `-${s.v}\r\n`;
    case 'nilArr': return v === 3 ? '_\r\n' : '*-1\r\n';
    case 'map':
      return (v === 3 ? `%${s.v.length}\r\n` : `*${s.v.length * 2}\r\n`) + s.v.map(([k, x]) => encodeExpect(k, v) + encodeExpect(x, v)).join('');
    case 'set': return (v === 3 ? `~` : '*') + `${s.v.length}\r\n` + s.v.map((x) => encodeExpect(x, v)).join('');
    case 'dbl': return v === 3 ? `,${s.v}\r\n` : `$${s.v.length}\r\n${s.v}\r\n`;
    case 'bool': return v === 3 ? `#${s.v ? 't' : 'f'}\r\n` : `:${s.v ? 1 : 0}\r\n`;
    case 'verb': return v === 3 ? `=${s.v.length + 4}\r\n${s.format}:${s.v}\r\n` : `$${s.v.length}\r\n${s.v}\r\n`;
    case 'resp': return encodeExpect(v === 2 ? s.v2 : s.v3, v);
    case 'pin': return encodeExpect(s.v, s.version);
    default: throw new Error(`a matcher (${s.x}) has no byte form`);
  }
}

/**
 * Does a parsed wire reply satisfy an expectation that contains matchers?
 * (Expectations without matchers are compared as bytes.) Returns undefined
 * when it does, or what differs.
 */
export function matchRaw(e: Expect, r: RawValue, v: 2 | 3): string | undefined {
  if (!hasMatcher(e)) {
    const want = encodeExpect(e, v);
    const got = rawBytesOf(r, v);
    return want === got ? undefined : `expected ${JSON.stringify(want)}`;
  }
  if (Array.isArray(e)) {
    if ((r.type !== 'array' && r.type !== 'set') || r.value === null) return 'expected an array';
    if (r.value.length !== e.length) return `expected ${e.length} elements, got ${r.value.length}`;
    for (let i = 0; i < e.length; i++) {
      const p = matchRaw(e[i]!, r.value[i]!, v);
      if (p) return `element ${i + 1}: ${p}`;
    }
    return undefined;
  }
  const s = e as Special;
  switch (s.x) {
    case 'any': return r.type === 'error' ? 'expected a reply that is not an error' : undefined;
    case 'intIn': {
      if (r.type !== 'int') return 'expected an integer';
      const n = Number(r.value);
      return n >= s.lo && n <= s.hi ? undefined : `expected an integer in [${s.lo}, ${s.hi}]`;
    }
    case 'errLike': return r.type === 'error' && s.re.test(r.value) ? undefined : `expected an error matching ${s.re}`;
    case 'like': {
      const text = r.type === 'verbatim' ? r.value.slice(4) : r.type === 'bulk' || r.type === 'simple' ? r.value : undefined;
      return text !== undefined && s.re.test(text) ? undefined : `expected a string matching ${s.re}`;
    }
    case 'unordered': {
      const want = unorderedItems(s.v, v);
      if (!want) return 'unordered() takes an array, a set or a map';
      const got = rawItems(r, want.pairs, v);
      if (!got) return 'expected an aggregate';
      if (got.kind !== want.kind) return `expected a ${want.kind}`;
      return JSON.stringify(want.parts.sort()) === JSON.stringify(got.parts.sort()) ? undefined : 'elements differ (order ignored)';
    }
    case 'map': {
      if (v === 2) return matchRaw(s.v.flatMap(([k, x]) => [k, x]), r, v);
      if (r.type !== 'map' || r.value.length !== s.v.length) return `expected a map of ${s.v.length}`;
      for (let i = 0; i < s.v.length; i++) {
        const p = matchRaw(s.v[i]![0], r.value[i]![0], v) ?? matchRaw(s.v[i]![1], r.value[i]![1], v);
        if (p) return `entry ${i + 1}: ${p}`;
      }
      return undefined;
    }
    case 'pin':
      return matchRaw(s.v, r, s.version);
    case 'set': {
      if (v === 2) return matchRaw(s.v, r, v);
      if (r.type !== 'set' || r.value === null || r.value.length !== s.v.length) return `expected a set of ${s.v.length}`;
      for (let i = 0; i < s.v.length; i++) {
        const p = matchRaw(s.v[i]!, r.value[i]!, v);
        if (p) return `element ${i + 1}: ${p}`;
      }
      return undefined;
    }
    default:
      return matchRaw(forVersion(s, v), r, v);
  }
}

/** The items of an unordered expectation as byte strings (map entries as key+value pairs). */
function unorderedItems(e: Expect, v: 2 | 3): { kind: string; parts: string[]; pairs: boolean } | undefined {
  if (Array.isArray(e)) return { kind: 'array', parts: e.map((x) => encodeExpect(x, v)), pairs: false };
  if (!isSpecial(e)) return undefined;
  if (e.x === 'set') return { kind: v === 3 ? 'set' : 'array', parts: e.v.map((x) => encodeExpect(x, v)), pairs: false };
  if (e.x === 'map') {
    // RESP2 sends a map as a flat array: its entries are still compared as (key, value) pairs.
    return { kind: v === 3 ? 'map' : 'array', parts: e.v.map(([k, x]) => encodeExpect(k, v) + encodeExpect(x, v)), pairs: v === 2 };
  }
  return undefined;
}

function rawItems(r: RawValue, pairs: boolean, v: 2 | 3): { kind: string; parts: string[] } | undefined {
  if ((r.type === 'array' || r.type === 'set') && r.value) {
    const parts = r.value.map((x) => rawBytesOf(x, v));
    if (!pairs) return { kind: r.type, parts };
    const joined: string[] = [];
    for (let i = 0; i < parts.length; i += 2) joined.push(parts[i]! + (parts[i + 1] ?? ''));
    return { kind: r.type, parts: joined };
  }
  if (r.type === 'map') return { kind: 'map', parts: r.value.map(([k, x]) => rawBytesOf(k, v) + rawBytesOf(x, v)) };
  return undefined;
}

/** Re-encodes a parsed reply (the parser keeps bytes only for whole replies). */
export function rawBytesOf(r: RawValue, v: 2 | 3): string {
  switch (r.type) {
    case 'simple': return `+${r.value}\r\n`;
    case 'error': return `-${r.value}\r\n`;
    case 'bulk': return `$${r.value.length}\r\n${r.value}\r\n`;
    case 'verbatim': return `=${r.value.length}\r\n${r.value}\r\n`;
    case 'bloberror': return `!${r.value.length}\r\n${r.value}\r\n`;
    case 'bignum': return `(${r.value}\r\n`;
    case 'int': return `:${r.value}\r\n`;
    case 'double': return `,${r.value}\r\n`;
    case 'bool': return `#${r.value ? 't' : 'f'}\r\n`;
    case 'null': return v === 3 ? '_\r\n' : '$-1\r\n';
    case 'array': case 'set': case 'push': {
      const c = r.type === 'array' ? '*' : r.type === 'set' ? '~' : '>';
      if (r.value === null) return `${c}-1\r\n`;
      return `${c}${r.value.length}\r\n` + r.value.map((x) => rawBytesOf(x, v)).join('');
    }
    case 'map': case 'attr':
      return `%${r.value.length}\r\n` + r.value.map(([k, x]) => rawBytesOf(k, v) + rawBytesOf(x, v)).join('');
  }
}

/** Frequent errors, spelled as Valkey 9 spells them. */
export const wrongType: Expect = err('WRONGTYPE Operation against a key holding the wrong kind of value');
export const syntaxErr: Expect = err('ERR syntax error');
export const notInt: Expect = err('ERR value is not an integer or out of range');
export const arity = (command: string): Expect => err(`ERR wrong number of arguments for '${command}' command`);
