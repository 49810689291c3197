/**
 * String values: their OBJECT ENCODING as Valkey 9 would report it, and the
 * small helpers the string and bitmap commands share (size limit, C-string
 * option matching, expire-time parsing).
 *
 * Encoding model. A string entry holds its bytes; Valkey's encoding follows
 * from how the value was made:
 * - 'raw' once built in place (APPEND, SETRANGE, SETBIT, BITFIELD, BITOP's
 *   result) or when it stopped fitting in one allocation with its key and
 *   expiry: the entry's `raw` flag (the keyspace sets it for the size rule);
 * - 'int' when it went through tryObjectEncoding (SET, MSET, GETSET, APPEND
 *   on a new key...) or INCR/DECR and reads as a 64-bit integer;
 * - 'embstr' otherwise, including INCRBYFLOAT's results even when they read
 *   as integers ("11"): `markNotIntEncoded` records those.
 */
import type { Bytes } from '../../protocol/index.js';
import type { Context } from '../context.js';
import { Err } from '../errors.js';
import { embstrFits, isIntEncodable, type Entry } from '../keyspace/keyspace.js';
import { jeSize, sdsHdr } from '../memory/alloc.js';

/** sds.c SDS_MAX_PREALLOC: greedy growth doubles below 1 MiB, adds 1 MiB above. */
const SDS_MAX_PREALLOC = 1024 * 1024;

/**
 * dbUnshareStringValue then sdsMakeRoomFor (greedy), before the string of
 * `e` becomes `newLen` bytes long in place: the entry turns raw and records
 * the allocation the real sds would have (MEMORY USAGE reads it).
 */
export function growRawString(e: Entry, newLen: number): void {
  const len = (e.value as Bytes).length;
  let sds = e.raw ? e.sds : undefined;
  if (sds === undefined) {
    const hdr = sdsHdr(len, len === 0);
    sds = { alloc: jeSize(hdr + len + 1), hdr };
  }
  e.raw = true;
  const avail = sds.hdr === 1 ? 0 : sds.alloc - sds.hdr - 1 - len;
  if (newLen > len && avail < newLen - len) {
    const want = newLen < SDS_MAX_PREALLOC ? newLen * 2 : newLen + SDS_MAX_PREALLOC;
    const hdr = sdsHdr(want, true);
    sds = { alloc: jeSize(hdr + want + 1), hdr };
  }
  e.sds = sds;
}

/** OBJECT ENCODING of a string entry. */
export function stringEncoding(e: Entry): 'int' | 'embstr' | 'raw' {
  if (e.raw) return 'raw';
  const v = e.value as Bytes;
  if (isIntEncodable(v) && !e.notIntEncoded) return 'int';
  return 'embstr';
}

/**
 * The entry's value was made by createStringObject (no integer encoding):
 * an integer-looking INCRBYFLOAT result stays 'embstr', or 'raw' when it does
 * not fit with its key (the keyspace's size rule skips integer-looking values).
 */
export function markNotIntEncoded(e: Entry, key: Bytes): void {
  const v = e.value as Bytes;
  if (!isIntEncodable(v)) return;
  e.notIntEncoded = true;
  if (!embstrFits(key.length, v.length, e.expireAt !== 0)) e.raw = true;
}

/** INCR/DECR's in-place update: the new value is integer encoded whatever the old one was. */
export function setIntValue(e: Entry, text: Bytes): void {
  e.value = text;
  e.raw = false;
  e.sds = undefined;
  e.notIntEncoded = false;
}

/** proto-max-bulk-len: the largest string value. */
export function maxBulkLen(ctx: Context): number {
  return ctx.engine.config.getInt('proto-max-bulk-len');
}

/** checkStringLength: a string of size + append bytes must stay within proto-max-bulk-len. */
export function checkStringLength(ctx: Context, size: number, append: number): void {
  if (size + append > maxBulkLen(ctx)) throw Err.generic('string exceeds maximum allowed size (proto-max-bulk-len)');
}

/**
 * strcasecmp(arg, token) on C strings: the argument ends at its first NUL
 * byte, as Valkey's option parsers see it. `lower` is the lower-case token.
 */
export function cEq(arg: Bytes, lower: string): boolean {
  const n = lower.length;
  if (arg.length < n) return false;
  if (arg.length > n && arg.charCodeAt(n) !== 0) return false;
  for (let i = 0; i < n; i++) {
    let c = arg.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** A bytes string of `n` zero bytes. */
export function zeros(n: number): Bytes {
  return n <= 0 ? '' : '\0'.repeat(n);
}
