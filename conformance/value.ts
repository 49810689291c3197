/**
 * The common value shape every driver's replies are turned into, so replies
 * decoded by different client libraries can be compared with each other and
 * with the exact bytes the raw driver reads.
 *
 * What the shape keeps and what it drops (client libraries decode RESP
 * differently and cannot all tell these apart; see normalize.ts for where
 * each loss is named):
 *   - bulk, simple and verbatim strings are all `string` (the bytes as a
 *     latin1 JS string, one char per byte); a verbatim string loses its
 *     3-letter format prefix ("txt:").
 *   - integers, RESP3 doubles and big numbers are all `{ num: text }`, the decimal text as
 *     the server wrote it (clients decode both to a number or a string).
 *   - a null bulk, a null array and the RESP3 null are all `null`.
 *   - arrays, RESP3 sets and pushes are all arrays.
 *   - RESP3 booleans are `true`/`false`; RESP3 maps are `{ map: [[k, v]...] }`
 *     (RESP2 has no maps: the server sends a flat array).
 *   - an error is `{ err: message }`, the whole message ("ERR syntax error").
 * Nothing else is lost: byte values, element order and nesting are kept.
 */
import type { RawValue } from '../src/index.js';

export type Value =
  | string
  | { readonly num: string }
  | boolean
  | null
  | { readonly err: string }
  | readonly Value[]
  | { readonly map: readonly (readonly [Value, Value])[] };

export function isErr(v: Value): v is { err: string } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 'err' in v;
}

export function isNum(v: Value): v is { num: string } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 'num' in v;
}

export function isMap(v: Value): v is { map: readonly (readonly [Value, Value])[] } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 'map' in v;
}

/** A wire reply (as the raw driver parses it) in the common shape. */
export function valueFromRaw(v: RawValue): Value {
  switch (v.type) {
    case 'simple': case 'bulk':
      return v.value;
    case 'bignum':
      return { num: v.value };
    case 'verbatim':
      return v.value.slice(4);
    case 'error': case 'bloberror':
      return { err: v.value };
    case 'int':
      return { num: v.value.toString() };
    case 'double':
      return { num: v.value };
    case 'bool':
      return v.value;
    case 'null':
      return null;
    case 'array': case 'set': case 'push':
      return v.value === null ? null : v.value.map(valueFromRaw);
    case 'map': case 'attr':
      return { map: v.value.map(([k, x]) => [valueFromRaw(k), valueFromRaw(x)] as const) };
  }
}

/** A string made printable: bytes outside printable ASCII as \xNN, like valkey-cli. */
export function quoteBytes(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) out += '\\' + s[i];
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c > 0x7e) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += s[i];
  }
  return out + '"';
}

/** A one-line rendering: "v", (integer) 1, (nil), (error) ERR ..., [a, b], {k => v}. */
export function showValue(v: Value, max = 300): string {
  const s = render(v);
  return s.length > max ? s.slice(0, max) + '…' : s;
}

function render(v: Value): string {
  if (v === null) return '(nil)';
  if (typeof v === 'string') return quoteBytes(v);
  if (typeof v === 'boolean') return `(boolean) ${v}`;
  if (Array.isArray(v)) return '[' + v.map(render).join(', ') + ']';
  if (isErr(v)) return `(error) ${v.err}`;
  if (isNum(v)) return `(number) ${v.num}`;
  if (isMap(v)) return '{' + v.map.map(([k, x]) => `${render(k)} => ${render(x)}`).join(', ') + '}';
  return String(v);
}

/** A canonical string for equality: the same for equal values, different otherwise. */
export function canonical(v: Value): string {
  if (v === null) return 'n';
  if (typeof v === 'string') return 's' + JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (isErr(v)) return 'e' + JSON.stringify(v.err);
  if (isNum(v)) return '#' + v.num;
  if (isMap(v)) return '{' + v.map.map(([k, x]) => canonical(k) + ':' + canonical(x)).join(',') + '}';
  return '?';
}
