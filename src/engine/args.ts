/**
 * Argument parsing shared by the command groups, with Valkey's rules and
 * error texts: string2ll for integers (no '+', no leading zeros, no spaces,
 * int64 range), fast_float for doubles (leading '+' allowed, inf/nan words,
 * no hex, out-of-range rejected).
 */
import type { Bytes } from '../protocol/index.js';
import { CommandError, Err } from './errors.js';

export const LLONG_MAX = 9223372036854775807n;
export const LLONG_MIN = -9223372036854775808n;

/** string2ll as a bigint, or null when the text is not a valid int64. */
export function parseLongLong(s: Bytes): bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  if (n === 1) {
    const c = s.charCodeAt(0);
    return c >= 48 && c <= 57 ? BigInt(c - 48) : null;
  }
  let i = 0;
  if (s.charCodeAt(0) === 45) i = 1;
  const first = s.charCodeAt(i);
  if (first < 49 || first > 57) return null; // no leading zero, no sign-only
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  if (n - i < 16) return BigInt(Number(s)); // fast path: exact below 2^53
  const v = BigInt(s);
  return v > LLONG_MAX || v < LLONG_MIN ? null : v;
}

/** string2ll as a JS number when it is a safe integer (lengths, counts, indexes), else null. */
export function parseSafeInt(s: Bytes): number | null {
  const v = parseLongLong(s);
  if (v === null) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : null;
}

/** getLongLongFromObjectOrReply: the value as a bigint, or throws `msg` (default: not an integer). */
export function getLongLong(s: Bytes, msg?: string): bigint {
  const v = parseLongLong(s);
  if (v === null) throw msg ? Err.generic(msg) : Err.notInteger();
  return v;
}

/**
 * getLongLongFromObjectOrReply as a JS number. Values beyond ±2^53 lose
 * precision, which only matters to callers that then range-check anyway.
 */
export function getLong(s: Bytes, msg?: string): number {
  return Number(getLongLong(s, msg));
}

/** getRangeLongFromObjectOrReply: an integer within [min, max], else `msg` or Valkey's range message. */
export function getRangeLong(s: Bytes, min: number, max: number, msg?: string): number {
  const v = parseLongLong(s);
  if (v === null || v < BigInt(min) || v > BigInt(max)) {
    if (msg) throw Err.generic(msg);
    if (v === null) throw Err.notInteger();
    throw Err.generic(`value is out of range, value must between ${min} and ${max}`);
  }
  return Number(v);
}

/** getPositiveLongFromObjectOrReply. */
export function getPositiveLong(s: Bytes, msg?: string): number {
  // A range check with a message: not-a-number and negative get the same error.
  const v = parseLongLong(s);
  if (v === null || v < 0n) throw Err.generic(msg ?? 'value is out of range, must be positive');
  return Number(v);
}

const DOUBLE_RE = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;

/** string2d: the double a strict numeric string denotes, or null (nan and out-of-range are refused). */
export function parseDouble(s: Bytes): number | null {
  if (!DOUBLE_RE.test(s)) return null;
  const body = s.replace(/^[+-]/, '').toLowerCase();
  const neg = s.charCodeAt(0) === 45;
  if (body === 'nan') return null;
  if (body === 'inf' || body === 'infinity') return neg ? -Infinity : Infinity;
  const d = Number(s.charCodeAt(0) === 43 ? s.slice(1) : s);
  if (!Number.isFinite(d)) return null; // overflow: ERANGE
  if (d === 0 && /[1-9]/.test(body.split(/e/i)[0]!)) return null; // underflow to zero: ERANGE
  return d;
}

/** getDoubleFromObjectOrReply. */
export function getDouble(s: Bytes, msg?: string): number {
  const d = parseDouble(s);
  if (d === null) throw msg ? Err.generic(msg) : Err.notFloat();
  return d;
}

/**
 * strcasecmp(arg, TOKEN) == 0 for an upper-case ASCII keyword: case-insensitive,
 * and like C it stops at a NUL byte, so "NX\0junk" is NX.
 */
export function isToken(arg: Bytes | undefined, token: string): boolean {
  if (arg === undefined) return false;
  const n = token.length;
  if (arg.length < n || (arg.length > n && arg.charCodeAt(n) !== 0)) return false;
  for (let i = 0; i < n; i++) {
    let c = arg.charCodeAt(i);
    if (c >= 97 && c <= 122) c -= 32;
    if (c !== token.charCodeAt(i)) return false;
  }
  return true;
}

export { CommandError };
