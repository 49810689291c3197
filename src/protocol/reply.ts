/**
 * Typed reply values. Handlers return these; the encoder writes them for the
 * connection's protocol version (RESP2 or RESP3), as Valkey's addReply* do.
 *
 * Byte strings are latin1 JS strings (one char per byte): see `Bytes`.
 */

/** A byte string held as a latin1 JS string: one UTF-16 unit per byte, 0..255. */
export type Bytes = string;

export type Reply =
  | { readonly t: 'simple'; readonly v: string }
  | { readonly t: 'error'; readonly v: string }
  | { readonly t: 'int'; readonly v: number | bigint }
  | { readonly t: 'bulk'; readonly v: Bytes }
  /** RESP2 writes a null bulk (`$-1`) or, with `array`, a null array (`*-1`); RESP3 writes `_`. */
  | { readonly t: 'null'; readonly array: boolean }
  | { readonly t: 'array'; readonly v: readonly Reply[] }
  | { readonly t: 'map'; readonly v: readonly (readonly [Reply, Reply])[] }
  | { readonly t: 'set'; readonly v: readonly Reply[] }
  /** `text`, when given, is written instead of d2string's digits (addReplyHumanLongDouble's "%.17Lf" form). */
  | { readonly t: 'double'; readonly v: number; readonly text?: string }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'bignum'; readonly v: string }
  | { readonly t: 'verbatim'; readonly format: string; readonly v: Bytes }
  | { readonly t: 'push'; readonly v: readonly Reply[] }
  | { readonly t: 'attr'; readonly attrs: readonly (readonly [Reply, Reply])[]; readonly v: Reply }
  /** `v` encoded for a fixed protocol version, whatever the connection's now (an EXEC reply produced before HELLO switched protocols). */
  | { readonly t: 'pinned'; readonly resp: 2 | 3; readonly v: Reply }
  /** Several replies written back to back for one request (SUBSCRIBE a b answers one push per channel). */
  | { readonly t: 'seq'; readonly v: readonly Reply[] };

export type ErrorReply = Extract<Reply, { t: 'error' }>;

const OK: Reply = { t: 'simple', v: 'OK' };
const QUEUED: Reply = { t: 'simple', v: 'QUEUED' };
const PONG: Reply = { t: 'simple', v: 'PONG' };
const NULL: Reply = { t: 'null', array: false };
const NULL_ARRAY: Reply = { t: 'null', array: true };
const EMPTY_ARRAY: Reply = { t: 'array', v: [] };
const SMALL_INTS: Reply[] = Array.from({ length: 64 }, (_, i) => ({ t: 'int', v: i - 1 }));

/** Reply constructors. Constant replies are shared frozen objects. */
export const R = {
  ok: OK,
  queued: QUEUED,
  pong: PONG,
  null: NULL,
  nullArray: NULL_ARRAY,
  emptyArray: EMPTY_ARRAY,
  simple: (v: string): Reply => ({ t: 'simple', v }),
  /** `v` is the whole message, error code included: "ERR syntax error". */
  error: (v: string): ErrorReply => ({ t: 'error', v }),
  int: (v: number | bigint): Reply => (typeof v === 'number' && v >= -1 && v < 63 && Number.isInteger(v) ? SMALL_INTS[v + 1]! : { t: 'int', v }),
  bulk: (v: Bytes): Reply => ({ t: 'bulk', v }),
  /** A bulk string or a null bulk. */
  bulkOrNull: (v: Bytes | undefined | null): Reply => (v == null ? NULL : { t: 'bulk', v }),
  array: (v: readonly Reply[]): Reply => ({ t: 'array', v }),
  bulks: (v: readonly Bytes[]): Reply => ({ t: 'array', v: v.map((x) => ({ t: 'bulk', v: x }) as Reply) }),
  map: (v: readonly (readonly [Reply, Reply])[]): Reply => ({ t: 'map', v }),
  set: (v: readonly Reply[]): Reply => ({ t: 'set', v }),
  double: (v: number): Reply => ({ t: 'double', v }),
  /** A double written with preformatted digits: `,text` in RESP3, a bulk string in RESP2. */
  doubleText: (v: number, text: string): Reply => ({ t: 'double', v, text }),
  bool: (v: boolean): Reply => ({ t: 'bool', v }),
  bignum: (v: string): Reply => ({ t: 'bignum', v }),
  verbatim: (v: Bytes, format = 'txt'): Reply => ({ t: 'verbatim', format, v }),
  push: (v: readonly Reply[]): Reply => ({ t: 'push', v }),
  seq: (v: readonly Reply[]): Reply => ({ t: 'seq', v }),
  attr: (attrs: readonly (readonly [Reply, Reply])[], v: Reply): Reply => ({ t: 'attr', attrs, v }),
} as const;

export function isError(r: Reply): r is ErrorReply {
  return r.t === 'error';
}
