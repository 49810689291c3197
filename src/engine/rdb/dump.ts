/**
 * DUMP payloads (cluster.c createDumpPayload, rdb.c rdbSaveObject): the
 * value's RDB type byte, the value as rdbSaveObject writes it for its
 * encoding, the RDB version (2 bytes LE) and a CRC64 of all that (8 bytes LE).
 *
 * Strings go through rdbSaveRawString: short integers as 8/16/32-bit
 * integers, anything over 20 bytes LZF-compressed when rdbcompression is on
 * and that saves at least 4 bytes, the rest verbatim with their length.
 */
import type { Bytes } from '../../protocol/index.js';
import { formatDouble } from '../../protocol/index.js';
import { Err } from '../errors.js';
import { isIntEncodable, type Entry } from '../keyspace/keyspace.js';
import type { HashValue } from '../types/hash.js';
import type { ListValue } from '../types/list.js';
import type { SetValue } from '../types/set.js';
import type { StreamValue } from '../types/stream.js';
import type { ZSet } from '../types/zset.js';
import { ByteWriter, fromU8, toU8 } from './bytes.js';
import { crc64Bytes } from './crc64.js';
import { encodeIntset } from './intset.js';
import { encodeListpack } from './listpack.js';
import { LzfCompressor } from './lzf.js';
import { compressNode, inCompressedRange, nodeBytes } from './quicklist.js';
import { saveStream } from './stream.js';

/** rdb.h RDB_VERSION of Valkey 9. */
export const RDB_VERSION = 80;

/** rdb.h object types. */
export const RDB_TYPE = {
  STRING: 0,
  LIST: 1,
  SET: 2,
  ZSET: 3,
  HASH: 4,
  ZSET_2: 5,
  MODULE_PRE_GA: 6,
  MODULE_2: 7,
  HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10,
  SET_INTSET: 11,
  ZSET_ZIPLIST: 12,
  HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14,
  STREAM_LISTPACKS: 15,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19,
  SET_LISTPACK: 20,
  STREAM_LISTPACKS_3: 21,
  HASH_2: 22,
} as const;

/** quicklist node containers. */
export const CONTAINER_PLAIN = 1;
export const CONTAINER_PACKED = 2;

/** Writes RDB values: lengths, strings (integer-encoded or compressed), doubles. */
export class RdbWriter {
  readonly w = new ByteWriter();
  private lzf: LzfCompressor | undefined;

  constructor(private readonly compression: boolean) {}

  /** rdbSaveLen. */
  len(n: number): void {
    const w = this.w;
    if (n < 64) w.byte(n);
    else if (n < 16384) {
      w.byte(0x40 | (n >> 8));
      w.byte(n & 0xff);
    } else if (n <= 0xffffffff) {
      w.byte(0x80);
      w.u32BE(n);
    } else {
      w.byte(0x81);
      const hi = Math.floor(n / 4294967296);
      w.u32BE(hi);
      w.u32BE(n - hi * 4294967296);
    }
  }

  /** rdbSaveLen of a 64-bit unsigned value. */
  lenBig(v: bigint): void {
    if (v <= 0xffffffffn) {
      this.len(Number(v));
      return;
    }
    this.w.byte(0x81);
    this.w.u32BE(Number(v >> 32n));
    this.w.u32BE(Number(v & 0xffffffffn));
  }

  /** rdbSaveRawString of Bytes. */
  string(s: Bytes): void {
    if (s.length <= 11 && isIntEncodable(s) && this.intEncoded(Number(s))) return;
    if (this.compression && s.length > 20 && this.compressed(toU8(s))) return;
    this.len(s.length);
    this.w.str(s);
  }

  /** rdbSaveRawString of raw bytes (a listpack, an intset). */
  blob(u: Uint8Array): void {
    if (u.length <= 11) {
      const s = fromU8(u);
      if (isIntEncodable(s) && this.intEncoded(Number(s))) return;
    }
    if (this.compression && u.length > 20 && this.compressed(u)) return;
    this.len(u.length);
    this.w.bytes(u);
  }

  /** rdbEncodeInteger: false when the value needs more than 32 bits. */
  private intEncoded(v: number): boolean {
    const w = this.w;
    if (v >= -128 && v <= 127) {
      w.byte(0xc0);
      w.uintLE(v < 0 ? 256 + v : v, 1);
    } else if (v >= -32768 && v <= 32767) {
      w.byte(0xc1);
      w.uintLE(v < 0 ? 65536 + v : v, 2);
    } else if (v >= -2147483648 && v <= 2147483647) {
      w.byte(0xc2);
      w.uintLE(v < 0 ? 4294967296 + v : v, 4);
    } else return false;
    return true;
  }

  /** The compressor this writer uses (one hash table for every string it writes). */
  get compressor(): LzfCompressor {
    return (this.lzf ??= new LzfCompressor());
  }

  /** rdbSaveLzfBlob: data already compressed, with its original length. */
  lzfBlob(c: Uint8Array, originalLen: number): void {
    this.w.byte(0xc3);
    this.len(c.length);
    this.len(originalLen);
    this.w.bytes(c);
  }

  /** rdbSaveLzfStringObject: false when compressing does not save at least 4 bytes. */
  private compressed(u: Uint8Array): boolean {
    this.lzf ??= new LzfCompressor();
    const c = this.lzf.compress(u, u.length - 4);
    if (c === null) return false;
    this.lzfBlob(c, u.length);
    return true;
  }
}

/** What DUMP needs from the configuration. */
export interface DumpOptions {
  /** rdbcompression. */
  compression: boolean;
  /** list-compress-depth: quicklist nodes held compressed are written as their LZF blobs. */
  compressDepth?: number;
}

/** The DumpOptions the configuration gives (rdbcompression, list-compress-depth). */
export function dumpOptionsOf(cfg: { getBool(n: string): boolean; getInt(n: string): number }): DumpOptions {
  return { compression: cfg.getBool('rdbcompression'), compressDepth: cfg.getInt('list-compress-depth') };
}

/** rdbGetObjectType + rdbSaveObject for one entry. */
function saveObject(r: RdbWriter, e: Entry, opts: DumpOptions): void {
  const w = r.w;
  switch (e.type) {
    case 'string':
      w.byte(RDB_TYPE.STRING);
      r.string(e.value as Bytes);
      return;
    case 'list': {
      const l = e.value as ListValue;
      w.byte(RDB_TYPE.LIST_QUICKLIST_2);
      if (l.encoding === 'listpack') {
        r.len(1);
        r.len(CONTAINER_PACKED);
        r.blob(encodeListpack(l.head!.items()));
        return;
      }
      r.len(l.nodes);
      const depth = opts.compressDepth ?? 0;
      let i = 0;
      for (let n = l.head; n !== null; n = n.next, i++) {
        r.len(n.plain ? CONTAINER_PLAIN : CONTAINER_PACKED);
        const raw = nodeBytes(n);
        const c = inCompressedRange(l, i, depth) ? compressNode(raw, r.compressor) : null;
        if (c !== null) r.lzfBlob(c, raw.length);
        else r.blob(raw);
      }
      return;
    }
    case 'set': {
      const s = e.value as SetValue;
      if (s.enc === 'intset') {
        w.byte(RDB_TYPE.SET_INTSET);
        r.blob(encodeIntset(s.members(), s.intsetWidth));
      } else if (s.enc === 'listpack') {
        w.byte(RDB_TYPE.SET_LISTPACK);
        r.blob(encodeListpack(s.members()));
      } else {
        w.byte(RDB_TYPE.SET);
        const all = s.members();
        r.len(all.length);
        for (const m of all) r.string(m);
      }
      return;
    }
    case 'zset': {
      const z = e.value as ZSet;
      if (z.listpack) {
        w.byte(RDB_TYPE.ZSET_LISTPACK);
        const items: Bytes[] = [];
        for (let n = z.first(); n !== null; n = n.next[0]!) items.push(n.member, formatDouble(n.score) as Bytes);
        r.blob(encodeListpack(items));
        return;
      }
      w.byte(RDB_TYPE.ZSET_2);
      r.len(z.size);
      // From the greatest to the smallest, as rdbSaveObject walks the skiplist.
      for (let n = z.last(); n !== null; n = n.backward) {
        r.string(n.member);
        w.f64LE(n.score);
      }
      return;
    }
    case 'hash': {
      const h = e.value as HashValue;
      if (h.encoding === 'listpack') {
        w.byte(RDB_TYPE.HASH_LISTPACK);
        const items: Bytes[] = [];
        for (const [f, v] of h.fields) items.push(f, v);
        r.blob(encodeListpack(items));
        return;
      }
      const ttl = h.hasVolatile;
      w.byte(ttl ? RDB_TYPE.HASH_2 : RDB_TYPE.HASH);
      r.len(h.size);
      // Every field, expired ones not yet reclaimed included (HASHTABLE_ITER_SKIP_VALIDATION).
      for (const [f, v] of h.fields) {
        r.string(f);
        r.string(v);
        if (ttl) {
          const t = h.rawDeadline(f);
          w.i64LE(t === 0 ? -1n : BigInt(t));
        }
      }
      return;
    }
    case 'stream':
      w.byte(RDB_TYPE.STREAM_LISTPACKS_3);
      saveStream(r, e.value as StreamValue);
      return;
    default:
      throw Err.generic(`DUMP of a ${e.type} value is not implemented by valkey-double yet`);
  }
}

/** createDumpPayload: the serialized value with its version and checksum footer. */
export function createDumpPayload(e: Entry, opts: DumpOptions): Bytes {
  const r = new RdbWriter(opts.compression);
  saveObject(r, e, opts);
  r.w.uintLE(RDB_VERSION, 2);
  r.w.bytes(crc64Bytes(r.w.view()));
  return fromU8(r.w.view());
}
