/**
 * RDB files (rdb.c rdbSaveRio / rdbLoadRioWithLoadingCtx): the magic
 * "VALKEY080", aux fields, function libraries, per database SELECTDB and
 * RESIZEDB and its keys (each with its expire, LRU idle time or LFU counter,
 * type, name and value as DUMP serializes it), EOF and a CRC64 of everything
 * before it (zero when rdbchecksum is off).
 *
 * Reading accepts files of older Redis (REDIS0001..0011) and Valkey versions
 * as rdb-version-check allows, including old opcodes (EXPIRETIME in seconds)
 * and every object type restore.ts reads.
 */
import type { Bytes } from '../../protocol/index.js';
import { CommandError } from '../errors.js';
import type { Engine } from '../engine.js';
import { dumpFunctions, restoreFunctions } from '../scripting/function-dump.js';
import type { ValueType } from '../keyspace/keyspace.js';
import { VALKEY_VERSION } from '../info.js';
import { fromU8, toU8, Truncated } from './bytes.js';
import { crc64, crc64Bytes } from './crc64.js';
import { RdbWriter, RDB_VERSION } from './dump.js';
import { BadPayload, isForeignVersion, isObjectType, loadObject, RdbReader } from './restore.js';
import { loadLimits, loadSnapshot, takeSnapshot, type LoadOptions, type LoadResult, type SavedKey, type Snapshot } from './snapshot.js';

export const OPCODE = {
  SLOT_IMPORT: 243,
  SLOT_INFO: 244,
  FUNCTION2: 245,
  FUNCTION_PRE_GA: 246,
  MODULE_AUX: 247,
  IDLE: 248,
  FREQ: 249,
  AUX: 250,
  RESIZEDB: 251,
  EXPIRETIME_MS: 252,
  EXPIRETIME: 253,
  SELECTDB: 254,
  EOF: 255,
} as const;

/** rdbSaveInfo's replication fields (a primary with a backlog, or a replica). */
export interface ReplInfo {
  streamDb: number;
  replId: string;
  offset: number;
}

/** rdbSaveRio of the whole dataset at `now` (epoch ms). */
export function encodeRdb(engine: Engine, now: number, repl?: ReplInfo): Uint8Array {
  const cfg = engine.config;
  const r = new RdbWriter(cfg.getBool('rdbcompression'));
  const w = r.w;
  w.str(`VALKEY${String(RDB_VERSION).padStart(3, '0')}` as Bytes);
  const aux = (k: string, v: string | number) => {
    w.byte(OPCODE.AUX);
    r.string(k as Bytes);
    r.string(String(v) as Bytes);
  };
  aux('valkey-ver', VALKEY_VERSION);
  aux('redis-bits', 64);
  aux('ctime', Math.floor(now / 1000));
  aux('used-mem', engine.evictor.usedMemory());
  if (repl) {
    aux('repl-stream-db', repl.streamDb);
    aux('repl-id', repl.replId);
    aux('repl-offset', repl.offset);
  }
  aux('aof-base', 0);
  // The libraries, as FUNCTION DUMP writes them (without its footer).
  const fns = toU8(dumpFunctions(engine.scripting, cfg.getBool('rdbcompression')));
  w.bytes(fns.subarray(0, fns.length - 10));
  const snap = takeSnapshot(engine, now);
  for (const [id, keys] of snap.dbs) {
    w.byte(OPCODE.SELECTDB);
    r.len(id);
    w.byte(OPCODE.RESIZEDB);
    r.len(keys.length);
    r.len(keys.filter((k) => k.expireAt !== 0).length);
    for (const k of keys) {
      if (k.expireAt !== 0) {
        w.byte(OPCODE.EXPIRETIME_MS);
        w.i64LE(BigInt(k.expireAt));
      }
      if (k.idleSecs !== undefined) {
        w.byte(OPCODE.IDLE);
        r.len(k.idleSecs);
      }
      if (k.freq !== undefined) {
        w.byte(OPCODE.FREQ);
        w.byte(k.freq);
      }
      const p = toU8(k.payload!);
      w.byte(p[0]!);
      r.string(k.key);
      w.bytes(p.subarray(1, p.length - 10));
    }
  }
  w.byte(OPCODE.EOF);
  if (cfg.getBool('rdbchecksum')) w.bytes(crc64Bytes(w.view()));
  else w.uintLE(0, 8);
  return w.view().slice();
}

/** A file read back: its keys (values loaded with the engine's limits), libraries and aux fields. */
export interface RdbContents {
  version: number;
  snapshot: Snapshot;
  /** Library codes, in file order. */
  functions: Bytes[];
  aux: Map<string, Bytes>;
}

/** Why a file was not loaded: RDB_INCOMPATIBLE (nothing changed) or RDB_FAILED (corrupt, truncated). */
export class RdbLoadError extends Error {
  constructor(message: string, readonly incompatible = false) {
    super(message);
  }
}

/** rdbLoadRio's parsing: throws RdbLoadError. */
export function decodeRdb(engine: Engine, file: Uint8Array): RdbContents {
  const head = fromU8(file.subarray(0, 9));
  const valkey = head.startsWith('VALKEY');
  if (file.length < 9 || (!valkey && !head.startsWith('REDIS0'))) throw new RdbLoadError(`Wrong signature trying to load DB from file: ${head}`, true);
  const version = Number(head.slice(6));
  const strict = engine.config.get('rdb-version-check') === 'strict';
  if (!/^\d{3}$/.test(head.slice(6)) || version < 1 || (valkey && version <= 79) || (!valkey && version > 79) ||
    (strict && (version > RDB_VERSION || isForeignVersion(version)))) {
    throw new RdbLoadError(`Can't handle RDB format version ${version}`, true);
  }
  const lim = loadLimits(engine);
  const r = new RdbReader(file);
  r.pos = 9;
  const dbs = new Map<number, SavedKey[]>();
  const functions: Bytes[] = [];
  const aux = new Map<string, Bytes>();
  let keys: SavedKey[] = [];
  let dbid = 0;
  let expireAt = 0;
  let idle: number | undefined;
  let freq: number | undefined;
  try {
    for (;;) {
      const type = r.byte();
      if (!valkey && type >= 22 && type <= 243) throw new RdbLoadError(`Can't handle foreign type or opcode ${type} in RDB with version ${version}`);
      if (type === OPCODE.EXPIRETIME) {
        expireAt = r.u32LE() * 1000;
        continue;
      }
      if (type === OPCODE.EXPIRETIME_MS) {
        expireAt = Number(r.i64LE());
        continue;
      }
      if (type === OPCODE.FREQ) {
        freq = r.byte();
        continue;
      }
      if (type === OPCODE.IDLE) {
        idle = r.len();
        continue;
      }
      if (type === OPCODE.EOF) break;
      if (type === OPCODE.SELECTDB) {
        dbid = r.len();
        if (dbid >= engine.databases) throw new RdbLoadError(`FATAL: Data file was created with a Valkey server configured to handle more than ${engine.databases} databases. Exiting`);
        continue;
      }
      if (type === OPCODE.RESIZEDB) {
        r.len();
        r.len();
        continue;
      }
      if (type === OPCODE.SLOT_INFO) {
        r.len();
        r.len();
        r.len();
        continue;
      }
      if (type === OPCODE.AUX) {
        const k = r.str();
        aux.set(k.toLowerCase(), r.str());
        continue;
      }
      if (type === OPCODE.MODULE_AUX) throw new RdbLoadError('The RDB file contains AUX module data I can\'t load: no matching module');
      if (type === OPCODE.FUNCTION_PRE_GA) throw new RdbLoadError('Pre-release function format not supported.');
      if (type === OPCODE.FUNCTION2) {
        functions.push(r.str());
        continue;
      }
      if (type === OPCODE.SLOT_IMPORT) throw new RdbLoadError('Unknown type or opcode when loading DB. Unrecoverable error, aborting now.');
      if (!isObjectType(type)) throw new RdbLoadError('Unknown type or opcode when loading DB. Unrecoverable error, aborting now.');
      const key = r.str();
      const v = loadObject(type, r, lim);
      if (!dbs.has(dbid)) dbs.set(dbid, []);
      keys = dbs.get(dbid)!;
      const s: SavedKey = { key, type: v.type as ValueType, value: v.value, expireAt, expireExact: undefined };
      if (idle !== undefined) s.idleSecs = idle;
      if (freq !== undefined) s.freq = freq;
      keys.push(s);
      expireAt = 0;
      idle = undefined;
      freq = undefined;
    }
    if (version >= 5) {
      const want = r.take(8);
      const zero = want.every((b) => b === 0);
      if (!zero && engine.config.getBool('rdbchecksum') && !engine.debugFlags.skipChecksum) {
        const c = crc64(file, 0, r.pos - 8);
        for (let i = 0; i < 8; i++) {
          if (want[i] !== Number((c >> BigInt(8 * i)) & 0xffn)) throw new RdbLoadError('Wrong RDB checksum. Aborting now.');
        }
      }
    }
  } catch (e) {
    if (e instanceof RdbLoadError) throw e;
    if (e instanceof Truncated) throw new RdbLoadError('Short read or OOM loading DB. Unrecoverable error, aborting now.');
    if (e instanceof BadPayload || e instanceof CommandError) throw new RdbLoadError('Internal error in RDB reading offset 0, function at rdb.c:0 -> Bad data format');
    throw e;
  }
  return { version, snapshot: { dbs }, functions, aux };
}

/**
 * rdbLoad of a file image: parses it all first (a corrupt file changes
 * nothing here, where Valkey would stop half-way), then the libraries, then
 * the keys. Throws RdbLoadError.
 */
export function loadRdb(engine: Engine, file: Uint8Array, opts: LoadOptions, now: number): LoadResult {
  const c = decodeRdb(engine, file);
  if (opts.flush) engine.emptyData(-1, now);
  try {
    const r = new RdbWriter(false);
    for (const code of c.functions) {
      r.w.byte(OPCODE.FUNCTION2);
      r.string(code);
    }
    r.w.uintLE(RDB_VERSION, 2);
    r.w.bytes(crc64Bytes(r.w.view()));
    restoreFunctions(engine.scripting, fromU8(r.w.view()), opts.flush ? 'flush' : opts.merge ? 'replace' : 'append');
  } catch (e) {
    if (e instanceof CommandError) throw new RdbLoadError(`Failed loading library, ${e.message}`);
    throw e;
  }
  return loadSnapshot(engine, c.snapshot, { flush: false, merge: opts.merge }, now);
}
