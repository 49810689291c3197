/**
 * RESTORE's half of the DUMP format: verifyDumpPayload (version and CRC64
 * footer) and rdbLoadObject for the types valkey-double has, with the
 * encoding conversions rdbLoadObject applies on the way in (a listpack that
 * holds more than the configured entries becomes a hashtable or skiplist, a
 * serialized hashtable small enough becomes a listpack, and so on).
 *
 * Any malformed payload raises BadPayload, which RESTORE reports as
 * "Bad data format".
 */
import type { Bytes } from '../../protocol/index.js';
import { isIntEncodable, type ValueType } from '../keyspace/keyspace.js';
import { HashValue, type HashLimits } from '../types/hash.js';
import { ListValue } from '../types/list.js';
import { cmpInt, intsetWidthOf, SetValue, type SetLimits } from '../types/set.js';
import { ZSet, type ZsetLimits } from '../types/zset.js';
import { ByteReader, fromU8, Truncated } from './bytes.js';
import { crc64 } from './crc64.js';
import { CONTAINER_PACKED, CONTAINER_PLAIN, RDB_TYPE, RDB_VERSION } from './dump.js';
import { decodeIntset } from './intset.js';
import { decodeListpack } from './listpack.js';
import { lzfDecompress } from './lzf.js';
import { loadStream } from './stream.js';
import { decodeZiplist, decodeZipmap } from './ziplist.js';

/** The payload does not describe a value ("Bad data format"). */
export class BadPayload extends Error {}

/** rdb.h: RDB versions 12..79 belong to other forks. */
const FOREIGN_MIN = 12;
const FOREIGN_MAX = 79;
/** Types from 22 on may mean something else in a foreign RDB version. */
export const FOREIGN_TYPE_MIN = 22;
/** Largest listpack (lpSafeToAdd). */
const LISTPACK_MAX_SAFETY_SIZE = 1 << 30;

export function isForeignVersion(v: number): boolean {
  return v >= FOREIGN_MIN && v <= FOREIGN_MAX;
}

/**
 * verifyDumpPayload: the payload's RDB version when it is acceptable and the
 * checksum matches, else null. `strict` is rdb-version-check strict.
 */
export function verifyDumpPayload(p: Uint8Array, strict: boolean, skipChecksum = false): number | null {
  if (p.length < 10) return null;
  const f = p.length - 10;
  const ver = p[f]! | (p[f + 1]! << 8);
  if (ver < 1) return null;
  if (strict && (ver > RDB_VERSION || isForeignVersion(ver))) return null;
  if (skipChecksum) return ver;
  const c = crc64(p, 0, p.length - 8);
  for (let i = 0; i < 8; i++) if (p[f + 2 + i] !== Number((c >> BigInt(8 * i)) & 0xffn)) return null;
  return ver;
}

/** rdbIsObjectType. */
export function isObjectType(t: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t <= 22);
}

/** The configuration rdbLoadObject converts by. */
export interface LoadLimits {
  /** list-max-listpack-size. */
  listFill: number;
  set: SetLimits;
  zset: ZsetLimits;
  hash: HashLimits;
}

/** A loaded value, as the keyspace stores it. */
export interface Loaded {
  type: ValueType;
  value: unknown;
}

export class RdbReader extends ByteReader {
  /** rdbLoadLen: [value, isEncoded]. */
  lenEnc(): [number, boolean] {
    const b = this.byte();
    const t = (b & 0xc0) >> 6;
    if (t === 3) return [b & 0x3f, true];
    if (t === 0) return [b & 0x3f, false];
    if (t === 1) return [((b & 0x3f) << 8) | this.byte(), false];
    if (b === 0x80) return [this.u32BE(), false];
    if (b === 0x81) {
      const v = this.u64BE();
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new BadPayload();
      return [Number(v), false];
    }
    throw new BadPayload();
  }

  len(): number {
    return this.lenEnc()[0];
  }

  /** rdbLoadLen of a 64-bit value. */
  lenBig(): bigint {
    const b = this.buf[this.pos];
    if (b === 0x81) {
      this.pos++;
      return this.u64BE();
    }
    return BigInt(this.len());
  }

  /** rdbGenericLoadStringObject as raw bytes. */
  bytesObj(): Uint8Array {
    const [n, enc] = this.lenEnc();
    if (!enc) return this.take(n);
    if (n <= 2) {
      const s = this.intObj(n);
      return Uint8Array.from(s, (c) => c.charCodeAt(0));
    }
    return this.lzfObj(n);
  }

  /** rdbGenericLoadStringObject as Bytes. */
  str(): Bytes {
    const [n, enc] = this.lenEnc();
    if (!enc) return fromU8(this.take(n));
    if (n <= 2) return this.intObj(n) as Bytes;
    return fromU8(this.lzfObj(n));
  }

  /** rdbLoadLzfStringObject (encoding 3); any other encoding is corrupt. */
  private lzfObj(enc: number): Uint8Array {
    if (enc !== 3) throw new BadPayload();
    const clen = this.len();
    const len = this.len();
    const c = this.take(clen);
    // One LZF input byte yields at most 132 output bytes: a longer claim cannot decompress (and is not allocated).
    if (len > clen * 132 + 32) throw new BadPayload();
    const out = lzfDecompress(c, len);
    if (out === null) throw new BadPayload();
    return out;
  }

  private intObj(enc: number): string {
    if (enc === 0) {
      const b = this.byte();
      return String(b >= 128 ? b - 256 : b);
    }
    if (enc === 1) {
      const u = this.take(2);
      const v = u[0]! | (u[1]! << 8);
      return String(v >= 32768 ? v - 65536 : v);
    }
    const u = this.take(4);
    return String((u[0]! | (u[1]! << 8) | (u[2]! << 16) | (u[3]! << 24)) >> 0);
  }
}

/**
 * rdbLoadObjectType + rdbLoadObject for a DUMP payload (footer included: the
 * reader may run into it, as Valkey's does). Throws BadPayload.
 */
export function loadDumpObject(type: number, p: Uint8Array, lim: LoadLimits): Loaded | undefined {
  const r = new RdbReader(p);
  r.pos = 1;
  try {
    return loadObject(type, r, lim);
  } catch (err) {
    if (err instanceof Truncated) throw new BadPayload();
    throw err;
  }
}

/** rdbLoadObject of a value of RDB type `type` at the reader's position. Throws BadPayload or Truncated. */
export function loadObject(type: number, r: RdbReader, lim: LoadLimits): Loaded {
  switch (type) {
    case RDB_TYPE.STRING:
      return { type: 'string', value: r.str() };
    case RDB_TYPE.LIST:
      return loadPlainList(r, lim);
    case RDB_TYPE.SET:
      return { type: 'set', value: loadSet(r, lim.set) };
    case RDB_TYPE.ZSET:
    case RDB_TYPE.ZSET_2:
      return { type: 'zset', value: loadZset(r, lim.zset, type === RDB_TYPE.ZSET_2) };
    case RDB_TYPE.HASH:
    case RDB_TYPE.HASH_2:
      return { type: 'hash', value: loadHash(r, lim.hash, type === RDB_TYPE.HASH_2) };
    case RDB_TYPE.LIST_QUICKLIST_2:
      return loadQuicklist(r, lim);
    case RDB_TYPE.SET_INTSET: {
      const is = decodeIntset(r.bytesObj());
      if (is === null) throw new BadPayload();
      const s = SetValue.restored('intset', is.members, is.width);
      if (is.members.length > lim.set.intsetEntries) s.toHashtable();
      return { type: 'set', value: s };
    }
    case RDB_TYPE.SET_LISTPACK: {
      const items = decodeListpack(r.bytesObj());
      if (items === null || hasDup(items, 1)) throw new BadPayload();
      if (items.length === 0) throw new BadPayload();
      const s = SetValue.restored('listpack', items);
      if (items.length > lim.set.listpackEntries) s.toHashtable();
      return { type: 'set', value: s };
    }
    case RDB_TYPE.ZSET_LISTPACK: {
      const items = decodeListpack(r.bytesObj());
      if (items === null || items.length % 2 !== 0 || hasDup(items, 2)) throw new BadPayload();
      const z = new ZSet(true);
      for (let i = 0; i < items.length; i += 2) {
        const score = strtod(items[i + 1]!);
        if (Number.isNaN(score)) throw new BadPayload();
        z.insert(items[i]!, score);
      }
      if (z.size === 0) throw new BadPayload();
      if (z.size > lim.zset.entries) z.toSkiplist();
      return { type: 'zset', value: z };
    }
    case RDB_TYPE.HASH_LISTPACK: {
      const items = decodeListpack(r.bytesObj());
      if (items === null || items.length % 2 !== 0 || hasDup(items, 2)) throw new BadPayload();
      if (items.length === 0) throw new BadPayload();
      const h = new HashValue();
      for (let i = 0; i < items.length; i += 2) h.fields.set(items[i]!, items[i + 1]!);
      if (h.size > lim.hash.maxEntries) h.convert();
      return { type: 'hash', value: h };
    }
    case RDB_TYPE.LIST_ZIPLIST: {
      const items = decodeZiplist(r.bytesObj());
      if (items === null || items.length === 0) throw new BadPayload();
      return { type: 'list', value: ListValue.built(items, lim.listFill, false) };
    }
    case RDB_TYPE.LIST_QUICKLIST: {
      const n = r.len();
      if (n === 0) throw new BadPayload();
      const nodes: { items: Bytes[]; plain: boolean }[] = [];
      for (let i = 0; i < n; i++) {
        const data = r.bytesObj();
        if (data.length === 0) throw new BadPayload();
        const items = decodeZiplist(data);
        if (items === null) throw new BadPayload();
        nodes.push({ items, plain: false });
      }
      const l = ListValue.fromNodes(nodes, lim.listFill);
      if (l === undefined) throw new BadPayload();
      return { type: 'list', value: l };
    }
    case RDB_TYPE.ZSET_ZIPLIST: {
      const items = decodeZiplist(r.bytesObj());
      if (items === null || items.length % 2 !== 0 || hasDup(items, 2)) throw new BadPayload();
      const z = new ZSet(true);
      for (let i = 0; i < items.length; i += 2) {
        const score = strtod(items[i + 1]!);
        if (Number.isNaN(score)) throw new BadPayload();
        z.insert(items[i]!, score);
      }
      if (z.size === 0) throw new BadPayload();
      if (z.size > lim.zset.entries) z.toSkiplist();
      return { type: 'zset', value: z };
    }
    case RDB_TYPE.HASH_ZIPLIST: {
      const items = decodeZiplist(r.bytesObj());
      if (items === null || items.length % 2 !== 0 || hasDup(items, 2)) throw new BadPayload();
      if (items.length === 0) throw new BadPayload();
      const h = new HashValue();
      for (let i = 0; i < items.length; i += 2) h.fields.set(items[i]!, items[i + 1]!);
      if (h.size > lim.hash.maxEntries) h.convert();
      return { type: 'hash', value: h };
    }
    case RDB_TYPE.HASH_ZIPMAP: {
      const pairs = decodeZipmap(r.bytesObj());
      if (pairs === null) throw new BadPayload();
      const h = new HashValue();
      let maxLen = 0;
      for (const [f, v] of pairs) {
        if (h.fields.has(f)) throw new BadPayload();
        h.fields.set(f, v);
        maxLen = Math.max(maxLen, f.length, v.length);
      }
      if (h.size > lim.hash.maxEntries || maxLen > lim.hash.maxValue) h.convert();
      return { type: 'hash', value: h };
    }
    case RDB_TYPE.STREAM_LISTPACKS:
      return { type: 'stream', value: loadStream(r, 1) };
    case RDB_TYPE.STREAM_LISTPACKS_2:
      return { type: 'stream', value: loadStream(r, 2) };
    case RDB_TYPE.STREAM_LISTPACKS_3:
      return { type: 'stream', value: loadStream(r, 3) };
    default:
      // Module values (no module is loaded): corrupt for this server.
      throw new BadPayload();
  }
}

/** Some element (every `step`-th from the first) appears twice. */
function hasDup(items: readonly Bytes[], step: number): boolean {
  const seen = new Set<Bytes>();
  for (let i = 0; i < items.length; i += step) {
    if (seen.has(items[i]!)) return true;
    seen.add(items[i]!);
  }
  return false;
}

/** strtod as zzlStrtod reads a listpack score: the longest numeric prefix, 0 when there is none. */
function strtod(s: Bytes): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/i.exec(s);
  if (m === null) return 0;
  const body = m[2]!.toLowerCase();
  const v = body.startsWith('inf') ? Infinity : body === 'nan' ? NaN : Number(body);
  return m[1] === '-' ? -v : v;
}

/** RDB_TYPE_LIST: elements one by one into a quicklist, then LIST_CONV_AUTO. */
function loadPlainList(r: RdbReader, lim: LoadLimits): Loaded {
  const n = r.len();
  if (n === 0) throw new BadPayload();
  const items: Bytes[] = [];
  for (let i = 0; i < n; i++) items.push(r.str());
  return { type: 'list', value: ListValue.built(items, lim.listFill) };
}

/** RDB_TYPE_LIST_QUICKLIST_2: nodes as they were (plain or listpack), then LIST_CONV_AUTO. */
function loadQuicklist(r: RdbReader, lim: LoadLimits): Loaded {
  const n = r.len();
  if (n === 0) throw new BadPayload();
  const nodes: { items: Bytes[]; plain: boolean }[] = [];
  for (let i = 0; i < n; i++) {
    const container = r.len();
    if (container !== CONTAINER_PACKED && container !== CONTAINER_PLAIN) throw new BadPayload();
    const data = r.bytesObj();
    if (data.length === 0) throw new BadPayload();
    if (container === CONTAINER_PLAIN) {
      nodes.push({ items: [fromU8(data)], plain: true });
      continue;
    }
    const items = decodeListpack(data);
    if (items === null) throw new BadPayload();
    nodes.push({ items, plain: false });
  }
  const l = ListValue.fromNodes(nodes, lim.listFill);
  if (l === undefined) throw new BadPayload();
  return { type: 'list', value: l };
}

/** RDB_TYPE_SET: members one by one, intset → listpack → hashtable as they stop fitting. */
function loadSet(r: RdbReader, lim: SetLimits): SetValue {
  const len = r.len();
  if (len === 0) throw new BadPayload();
  let enc: 'intset' | 'listpack' | 'hashtable' = len > lim.intsetCap ? 'hashtable' : 'intset';
  let members: Bytes[] = [];
  const seen = new Set<Bytes>();
  let width: 2 | 4 | 8 = 2;
  let maxLen = 0;
  let sumLen = 0;
  for (let i = 0; i < len; i++) {
    const m = r.str();
    sumLen += m.length;
    if (m.length > maxLen) maxLen = m.length;
    if (enc === 'intset') {
      if (isIntEncodable(m)) {
        if (seen.has(m)) throw new BadPayload();
        seen.add(m);
        members.push(m);
        const w = intsetWidthOf(m);
        if (w > width) width = w;
        continue;
      }
      members.sort(cmpInt);
      enc = seen.size < lim.listpackEntries && maxLen <= lim.listpackValue && sumLen <= LISTPACK_MAX_SAFETY_SIZE ? 'listpack' : 'hashtable';
    }
    if (enc === 'listpack') {
      if (seen.size < lim.listpackEntries && m.length <= lim.listpackValue) {
        if (seen.has(m)) throw new BadPayload();
        seen.add(m);
        members.push(m);
        continue;
      }
      enc = 'hashtable';
    }
    if (seen.has(m)) throw new BadPayload();
    seen.add(m);
    members.push(m);
  }
  if (enc === 'intset') members = members.sort(cmpInt);
  return SetValue.restored(enc, members, width);
}

/** RDB_TYPE_ZSET(_2): a skiplist, a listpack afterwards when it is small enough. */
function loadZset(r: RdbReader, lim: ZsetLimits, binary: boolean): ZSet {
  const len = r.len();
  if (len === 0) throw new BadPayload();
  const z = new ZSet(false);
  let maxLen = 0;
  for (let i = 0; i < len; i++) {
    const m = r.str();
    const score = binary ? r.f64LE() : oldDouble(r);
    if (Number.isNaN(score)) throw new BadPayload();
    if (m.length > maxLen) maxLen = m.length;
    if (z.has(m)) throw new BadPayload();
    z.insert(m, score);
  }
  if (z.size <= lim.entries && maxLen <= lim.value) z.toListpack();
  return z;
}

/** rdbLoadDoubleValue: a length byte (253 nan, 254 inf, 255 -inf) and the text. */
function oldDouble(r: RdbReader): number {
  const n = r.byte();
  if (n === 255) return -Infinity;
  if (n === 254) return Infinity;
  if (n === 253) return NaN;
  const s = fromU8(r.take(n));
  const m = /^\s*[+-]?(inf(inity)?|nan|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)/i.exec(s);
  if (m === null) throw new BadPayload();
  return strtod(s);
}

/** RDB_TYPE_HASH / HASH_2: a listpack while the pairs fit, else (or with field TTLs) a hashtable. */
function loadHash(r: RdbReader, lim: HashLimits, withTtl: boolean): HashValue {
  let len = r.len();
  if (len === 0) throw new BadPayload();
  const h = new HashValue();
  if (len > lim.maxEntries || withTtl) h.convert();
  let lpBytes = 7;
  while (h.encoding === 'listpack' && len > 0) {
    len--;
    const f = r.str();
    const v = r.str();
    if (h.fields.has(f)) throw new BadPayload();
    if (f.length > lim.maxValue || v.length > lim.maxValue || lpBytes + f.length + v.length > LISTPACK_MAX_SAFETY_SIZE) {
      h.convert();
      h.fields.set(f, v);
      break;
    }
    lpBytes += f.length + v.length + 4;
    h.fields.set(f, v);
  }
  // Every field is kept, expired ones included (RESTORE loads with now = 0); active expiry reclaims them.
  const noLimits: HashLimits = { maxEntries: Infinity, maxValue: Infinity };
  while (len > 0) {
    len--;
    const f = r.str();
    const v = r.str();
    let t = -1n;
    if (withTtl) {
      t = r.i64LE();
      if (t < -1n) throw new BadPayload();
    }
    if (h.fields.has(f)) throw new BadPayload();
    h.set(f, v, 0, t === -1n ? 0 : toDeadlineNum(t), false, noLimits);
  }
  return h;
}

function toDeadlineNum(t: bigint): number | bigint {
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : t;
}
