/**
 * Generic keyspace commands (Valkey group "generic"): DEL, UNLINK, EXISTS,
 * TYPE, RENAME(NX), COPY, MOVE, KEYS, SCAN, RANDOMKEY, TOUCH, OBJECT, the
 * EXPIRE/TTL family, PERSIST, DUMP, RESTORE, WAIT and WAITAOF. Behaviour
 * follows db.c, expire.c, object.c, cluster.c and replication.c of Valkey 9.1.2.
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { getLongLong, getPositiveLong, getRangeLong, isToken, LLONG_MAX, LLONG_MIN, parseLongLong } from '../args.js';
import type { CommandGroup } from '../command.js';
import { LOOKUP_NONOTIFY, LOOKUP_NOTOUCH, type Context } from '../context.js';
import { CommandError, Err, cTrunc } from '../errors.js';
import { WAIT_ON_REPLICA, WAITAOF_ON_REPLICA } from '../replication/index.js';
import { helpReply } from '../help.js';
import { parseScanOptions } from '../scan.js';
import { globMatch } from '../keyspace/glob.js';
import { expireTimeOf, isIntEncodable, type Entry, type Keyspace, type ValueType } from '../keyspace/keyspace.js';
import type { SetValue } from '../types/set.js';
import { markNotIntEncoded, stringEncoding } from '../types/string.js';
import type { ListValue } from '../types/list.js';
import type { HashValue } from '../types/hash.js';
import type { ZSet } from '../types/zset.js';
import { toU8 } from '../rdb/bytes.js';
import { createDumpPayload, dumpOptionsOf } from '../rdb/dump.js';
import { BadPayload, FOREIGN_TYPE_MIN, isForeignVersion, isObjectType, loadDumpObject, verifyDumpPayload, type Loaded } from '../rdb/restore.js';
import { readSetLimits } from '../types/set.js';
import type { StreamValue } from '../types/stream.js';

// --- per-type hooks ---------------------------------------------------------

/** What the generic commands need to know about a value type. */
interface ValueTypeOps {
  /** OBJECT ENCODING. */
  encoding(e: Entry): string;
  /** COPY: an independent copy of the value (strings are immutable), as of `now` (expired hash fields stay behind). */
  dup(value: unknown, now: number): unknown;
  /**
   * After RENAME, MOVE or COPY placed `e` under `key` (expiry set): keep the
   * encoding the value had (`was`) where the keyspace alone cannot tell.
   */
  placed?(e: Entry, key: Bytes, was: string): void;
}

/** One row per value type; list/set/zset/hash/stream add theirs when they land. */
const VALUE_TYPES: { readonly [T in ValueType]?: ValueTypeOps } = {
  string: {
    encoding: stringEncoding,
    dup: (v) => v,
    // An integer-looking 'embstr' (INCRBYFLOAT's "2") stays a string object, and turns raw if it no longer fits.
    placed(e, key, was) {
      if (was === 'embstr' && isIntEncodable(e.value as string)) markNotIntEncoded(e, key);
    },
  },
  set: {
    encoding: (e) => (e.value as SetValue).enc,
    dup: (v) => (v as SetValue).dup(),
  },
  list: {
    encoding: (e) => (e.value as ListValue).encoding,
    dup: (v) => (v as ListValue).dup(),
  },
  hash: {
    encoding: (e) => (e.value as HashValue).encoding,
    // Field TTLs come along; the keyspace schedules their expiry under the new key.
    dup: (v, now) => (v as HashValue).clone(now),
  },
  zset: {
    encoding: (e) => (e.value as ZSet).encoding,
    dup: (v) => (v as ZSet).clone(),
  },
  stream: { encoding: () => 'stream', dup: (v) => (v as StreamValue).dup() },
};

/** OBJECT ENCODING's name for the entry's encoding (DEBUG OBJECT shows it too). */
export function encodingOf(e: Entry): string {
  return typeOps(e.type).encoding(e);
}

function typeOps(type: ValueType): ValueTypeOps {
  const ops = VALUE_TYPES[type];
  if (ops === undefined) throw Err.generic(`valkey-double has no ${type} support in the generic commands yet`);
  return ops;
}

// --- helpers ----------------------------------------------------------------

/** A bigint reply as a plain number when it is exact. */
function intReply(v: bigint): Reply {
  const n = Number(v);
  return R.int(Number.isSafeInteger(n) ? n : v);
}

/** selectDb's check for a DB index given as argument (getIntFromObjectOrReply first). */
function targetDb(ctx: Context, arg: Bytes): Keyspace {
  const id = getRangeLong(arg, -2147483648, 2147483647);
  if (id < 0 || id >= ctx.engine.databases) throw Err.dbIndexOutOfRange();
  return ctx.engine.db(id);
}

/**
 * string2ull as SCAN parses its cursor: string2ll for non-negative values,
 * else strtoull (leading spaces, a sign, leading zeros; a '-' wraps).
 * Returns null for an invalid cursor.
 */
export function parseScanCursor(s: Bytes): bigint | null {
  const ll = parseLongLong(s);
  if (ll !== null) return ll < 0n ? null : ll;
  const nul = s.indexOf('\0');
  const c = nul >= 0 ? s.slice(0, nul) : s;
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(c);
  if (!m) return null;
  const v = BigInt(m[2]!);
  if (v > 0xffffffffffffffffn) return null; // ERANGE
  return m[1] === '-' ? (0x10000000000000000n - v) & 0xffffffffffffffffn : v;
}

// --- DEL, EXISTS, TYPE, TOUCH -----------------------------------------------

function del(ctx: Context, argv: readonly Bytes[]): Reply {
  let n = 0;
  for (let j = 1; j < argv.length; j++) {
    const key = argv[j]!;
    // expireIfNeeded first: an expired key is reported as expired, not deleted.
    if (ctx.db.lookup(key, ctx.now) === undefined) continue;
    ctx.db.delete(key);
    ctx.wrote(key, 'g', 'del');
    n++;
  }
  return R.int(n);
}

// --- RENAME, MOVE, COPY -----------------------------------------------------

function rename(ctx: Context, argv: readonly Bytes[], nx: boolean): Reply {
  const src = argv[1]!;
  const dst = argv[2]!;
  const e = ctx.write(src);
  if (e === undefined) throw Err.noSuchKey();
  if (src === dst) return nx ? R.int(0) : R.ok;
  if (ctx.write(dst) !== undefined) {
    if (nx) return R.int(0);
    ctx.db.delete(dst);
  }
  const ops = VALUE_TYPES[e.type];
  const was = ops?.placed ? ops.encoding(e) : '';
  ctx.db.delete(src);
  ctx.db.adopt(dst, e, ctx.now);
  ops?.placed?.(e, dst, was);
  ctx.modified(src);
  ctx.modified(dst);
  ctx.notify('g', 'rename_from', src);
  ctx.notify('g', 'rename_to', dst);
  ctx.dirty();
  return nx ? R.int(1) : R.ok;
}

function move(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  const src = ctx.db;
  const dst = targetDb(ctx, argv[2]!);
  if (src === dst) throw Err.sameObject();
  const e = ctx.write(key);
  if (e === undefined) return R.int(0);
  if (ctx.write(key, undefined, dst) !== undefined) return R.int(0);
  const ops = VALUE_TYPES[e.type];
  const was = ops?.placed ? ops.encoding(e) : '';
  src.delete(key);
  dst.adopt(key, e, ctx.now);
  ops?.placed?.(e, key, was);
  ctx.modified(key, src);
  ctx.modified(key, dst);
  ctx.notify('g', 'move_from', key, src);
  ctx.notify('g', 'move_to', key, dst);
  ctx.dirty();
  return R.int(1);
}

function copy(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  const newkey = argv[2]!;
  let dst = ctx.db;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    if (isToken(argv[j], 'REPLACE')) {
      replace = true;
    } else if (isToken(argv[j], 'DB') && j + 1 < argv.length) {
      dst = targetDb(ctx, argv[++j]!);
    } else {
      throw Err.syntax();
    }
  }
  if (dst === ctx.db && key === newkey) throw Err.sameObject();
  const e = ctx.read(key);
  if (e === undefined) return R.int(0);
  let overwrite = false;
  if (ctx.write(newkey, undefined, dst) !== undefined) {
    if (!replace) return R.int(0);
    overwrite = true;
  }
  const ops = typeOps(e.type);
  const value = ops.dup(e.value, ctx.now);
  if (overwrite) dst.delete(newkey);
  const made = dst.set(newkey, e.type, value, ctx.now, { raw: e.raw });
  if (e.expireAt !== 0) dst.setExpire(made, newkey, expireTimeOf(e));
  ops.placed?.(made, newkey, ops.encoding(e));
  ctx.modified(newkey, dst);
  ctx.notify('g', 'copy_to', newkey, dst);
  ctx.dirty();
  return R.int(1);
}

// --- KEYS, SCAN, RANDOMKEY --------------------------------------------------

function keys(ctx: Context, argv: readonly Bytes[]): Reply {
  const pattern = argv[1]!;
  const all = pattern === '*';
  const out: Reply[] = [];
  const db = ctx.db;
  for (const [k, e] of db.entries()) {
    // KEYS skips expired keys without deleting them.
    if ((all || globMatch(pattern, k)) && !db.isExpired(e, ctx.now)) out.push(R.bulk(k));
  }
  return R.array(out);
}

function scan(ctx: Context, argv: readonly Bytes[]): Reply {
  const cursor = parseScanCursor(argv[1]!);
  if (cursor === null) throw Err.generic('invalid cursor');
  const { count, pattern, type } = parseScanOptions(argv, 2, null);
  const db = ctx.db;
  const start = cursor > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(cursor);
  const step = db.scan(start, count);
  const out: Reply[] = [];
  for (const k of step.keys) {
    const e = db.peek(k);
    if (e === undefined) continue;
    if (type !== undefined && e.type !== type) continue;
    if (pattern !== undefined && !globMatch(pattern, k)) continue;
    // An expired key that passed the filters goes on the way (expireIfNeeded, as the expiry policy says).
    if (db.lookup(k, ctx.now) === undefined) continue;
    out.push(R.bulk(k));
  }
  return R.array([R.bulk(String(step.next)), R.array(out)]);
}

function randomkey(ctx: Context): Reply {
  const db = ctx.db;
  const rng = ctx.engine.rng;
  const pick = (n: number) => rng.int(n);
  let tries = 100;
  while (true) {
    const k = db.randomKey(pick);
    if (k === undefined) return R.null;
    if (db.lookup(k, ctx.now) === undefined) {
      // Kept though expired (import mode): when every key is volatile, Valkey gives up after 100 tries and returns one.
      if (db.peek(k) !== undefined && db.size === db.volatileCount && --tries === 0) return R.bulk(k);
      continue;
    }
    return R.bulk(k);
  }
}

// --- EXPIRE family, TTL family, PERSIST -------------------------------------

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;

/** expireGenericCommand: `basetime` is now for the relative forms, 0 for the *AT forms. */
function expire(ctx: Context, argv: readonly Bytes[], basetime: bigint, seconds: boolean): Reply {
  const key = argv[1]!;
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const o = argv[j]!;
    if (isToken(o, 'NX')) flags |= NX;
    else if (isToken(o, 'XX')) flags |= XX;
    else if (isToken(o, 'GT')) flags |= GT;
    else if (isToken(o, 'LT')) flags |= LT;
    else throw Err.generic(`Unsupported option ${cTrunc(o, Infinity)}`);
  }
  if (flags & NX && flags & (XX | GT | LT)) throw Err.generic('NX and XX, GT or LT options at the same time are not compatible');
  if (flags & GT && flags & LT) throw Err.generic('GT and LT options at the same time are not compatible');

  let when = getLongLong(argv[2]!);
  if (seconds) {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) throw Err.invalidExpire(ctx.cmd.fullname);
    when *= 1000n;
  }
  if (when > LLONG_MAX - basetime) throw Err.invalidExpire(ctx.cmd.fullname);
  when += basetime;
  if (when < 0n) when = 0n;

  const e = ctx.write(key);
  if (e === undefined) return R.int(0);
  if (flags) {
    const current = expireTimeOf(e);
    if (flags & NX && current !== -1n) return R.int(0);
    if (flags & XX && current === -1n) return R.int(0);
    if (flags & GT && (current === -1n || when <= current)) return R.int(0);
    if (flags & LT && current !== -1n && when >= current) return R.int(0);
  }
  // A time in the past deletes the key, reported as expired.
  if (ctx.alreadyExpired(when)) {
    ctx.deleteAsExpired(key);
    ctx.modified(key);
    return R.int(1);
  }
  ctx.db.setExpire(e, key, when);
  ctx.wrote(key, 'g', 'expire');
  // Replicas get PEXPIREAT key <absolute ms>, the options kept.
  if (ctx.cmd.fullname !== 'pexpireat') ctx.rewrite(['PEXPIREAT', key, String(when), ...argv.slice(3)]);
  return R.int(1);
}

/** ttlGenericCommand: TTL, PTTL, EXPIRETIME, PEXPIRETIME. */
function ttl(ctx: Context, argv: readonly Bytes[], ms: boolean, abs: boolean): Reply {
  const e = ctx.read(argv[1]!, undefined, ctx.db, LOOKUP_NOTOUCH);
  if (e === undefined) return R.int(-2);
  if (e.expireAt === 0) return R.int(-1);
  if (e.expireExact === undefined) {
    let t = abs ? e.expireAt : e.expireAt - ctx.now;
    if (t < 0) t = 0;
    return R.int(ms ? t : Math.floor((t + 500) / 1000));
  }
  let t = abs ? e.expireExact : e.expireExact - BigInt(ctx.now);
  if (t < 0n) t = 0n;
  return intReply(ms ? t : (t + 500n) / 1000n);
}

function persist(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  const e = ctx.write(key);
  if (e === undefined || !ctx.db.persist(e)) return R.int(0);
  ctx.wrote(key, 'g', 'persist');
  return R.int(1);
}

// --- OBJECT -----------------------------------------------------------------

const OBJECT_HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

/** objectCommandLookup: no touch, no 'keymiss', but counted as a hit or miss. */
function objectLookup(ctx: Context, key: Bytes): Entry | undefined {
  return ctx.read(key, undefined, ctx.db, LOOKUP_NOTOUCH | LOOKUP_NONOTIFY);
}

/** LRU clock (seconds, 24 bits) as lru_getIdleSecs reads it. */
function idleSeconds(lru: number, now: number): number {
  return (Math.floor(now / 1000) - Math.floor(lru / 1000)) & 0xffffff;
}

// --- DUMP, RESTORE -----------------------------------------------------------

function dump(ctx: Context, argv: readonly Bytes[]): Reply {
  const e = ctx.read(argv[1]!);
  if (e === undefined) return R.null;
  return R.bulk(createDumpPayload(e, dumpOptionsOf(ctx.engine.config)));
}

/** The payload's value, or the error RESTORE replies with. */
function loadPayload(ctx: Context, payload: Bytes): Loaded {
  const cfg = ctx.engine.config;
  const p = toU8(payload);
  const ver = verifyDumpPayload(p, cfg.get('rdb-version-check') === 'strict', ctx.engine.debugFlags.skipChecksum);
  if (ver === null) throw Err.generic('DUMP payload version or checksum are wrong');
  const type = p[0]!;
  if (!isObjectType(type)) throw Err.generic('Bad data format');
  if (isForeignVersion(ver) && type >= FOREIGN_TYPE_MIN) throw Err.generic(`Unsupported foreign data type: ${type}`);
  try {
    const v = loadDumpObject(type, p, {
      listFill: cfg.getInt('list-max-listpack-size'),
      set: readSetLimits(cfg),
      zset: ctx.engine.zsetLimits,
      hash: { maxEntries: cfg.getInt('hash-max-listpack-entries'), maxValue: cfg.getInt('hash-max-listpack-value') },
    });
    if (v === undefined) throw new BadPayload();
    return v;
  } catch (err) {
    if (err instanceof BadPayload) throw Err.generic('Bad data format');
    throw err;
  }
}

/** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] (restoreCommand). */
export function restore(ctx: Context, argv: readonly Bytes[]): Reply {
  let replace = false;
  let absttl = false;
  let idle = -1n;
  let freq = -1n;
  for (let j = 4; j < argv.length; j++) {
    const additional = argv.length - j - 1;
    const o = argv[j]!;
    if (isToken(o, 'REPLACE')) replace = true;
    else if (isToken(o, 'ABSTTL')) absttl = true;
    else if (isToken(o, 'IDLETIME') && additional >= 1 && freq === -1n) {
      idle = getLongLong(argv[++j]!);
      if (idle < 0n) throw Err.generic('Invalid IDLETIME value, must be >= 0');
    } else if (isToken(o, 'FREQ') && additional >= 1 && idle === -1n) {
      freq = getLongLong(argv[++j]!);
      if (freq < 0n || freq > 255n) throw Err.generic('Invalid FREQ value, must be >= 0 and <= 255');
    } else throw Err.syntax();
  }
  const key = argv[1]!;
  if (!replace && ctx.write(key) !== undefined) throw Err.busyKey();
  let ttl = getLongLong(argv[2]!);
  if (ttl < 0n) throw Err.generic('Invalid TTL value, must be >= 0');
  const loaded = loadPayload(ctx, argv[3]!);

  const deleted = replace && ctx.write(key) !== undefined && ctx.db.delete(key);
  // A relative TTL past LLONG_MAX wraps, as the C addition does, and reads as already expired.
  if (ttl !== 0n && !absttl) ttl = BigInt.asIntN(64, ttl + BigInt(ctx.now));
  if (ttl !== 0n && ttl <= BigInt(ctx.now)) {
    // Already expired: nothing is stored; a replaced key is gone (a DEL).
    if (deleted) {
      ctx.wrote(key, 'g', 'del');
      ctx.rewrite([ctx.engine.config.getBool('lazyfree-lazy-server-del') ? 'UNLINK' : 'DEL', key]);
    }
    return R.ok;
  }
  const e = ctx.db.set(key, loaded.type, loaded.value, ctx.now);
  if (ttl !== 0n) ctx.db.setExpire(e, key, ttl);
  if (ctx.engine.lfu.on) {
    if (freq >= 0n) e.lfu = ((Math.floor(ctx.now / 60000) & 0xffff) << 8) | Number(freq);
  } else if (idle >= 0n) {
    const secs = Number(BigInt.asUintN(32, idle) & 0xffffffn);
    e.lru = (Math.floor(ctx.now / 1000) - secs) * 1000;
  }
  ctx.wrote(key, 'g', 'restore');
  // A relative TTL travels as an absolute one.
  if (ttl !== 0n && !absttl) ctx.rewrite([...argv.slice(0, 2), String(ttl), ...argv.slice(3), 'ABSTTL']);
  return R.ok;
}

// --- WAIT, WAITAOF ----------------------------------------------------------

/** getTimeoutFromObjectOrReply in milliseconds: an absolute deadline, 0 = forever. */
function parseTimeoutMs(ctx: Context, arg: Bytes): number {
  const t = parseLongLong(arg);
  if (t === null) throw Err.generic('timeout is not an integer or out of range');
  if (t < 0n) throw Err.generic('timeout is negative');
  if (t === 0n) return 0;
  if (t > LLONG_MAX - BigInt(ctx.now)) throw Err.generic('timeout is out of range');
  return Number(t) + ctx.now;
}

// --- the group ----------------------------------------------------------------

export const genericCommands: CommandGroup = {
  del,
  unlink: del,
  exists(ctx, argv) {
    let n = 0;
    for (let j = 1; j < argv.length; j++) if (ctx.read(argv[j]!, undefined, ctx.db, LOOKUP_NOTOUCH)) n++;
    return R.int(n);
  },
  type(ctx, argv) {
    const e = ctx.read(argv[1]!, undefined, ctx.db, LOOKUP_NOTOUCH);
    return R.simple(e === undefined ? 'none' : e.type);
  },
  touch(ctx, argv) {
    let n = 0;
    for (let j = 1; j < argv.length; j++) if (ctx.read(argv[j]!)) n++;
    return R.int(n);
  },
  rename: (ctx, argv) => rename(ctx, argv, false),
  renamenx: (ctx, argv) => rename(ctx, argv, true),
  move,
  copy,
  keys,
  scan,
  randomkey,
  expire: (ctx, argv) => expire(ctx, argv, BigInt(ctx.now), true),
  pexpire: (ctx, argv) => expire(ctx, argv, BigInt(ctx.now), false),
  expireat: (ctx, argv) => expire(ctx, argv, 0n, true),
  pexpireat: (ctx, argv) => expire(ctx, argv, 0n, false),
  ttl: (ctx, argv) => ttl(ctx, argv, false, false),
  pttl: (ctx, argv) => ttl(ctx, argv, true, false),
  expiretime: (ctx, argv) => ttl(ctx, argv, false, true),
  pexpiretime: (ctx, argv) => ttl(ctx, argv, true, true),
  persist,
  dump,
  restore,

  'object|help': (_ctx, argv) => helpReply(argv[0]!, OBJECT_HELP),
  'object|encoding'(ctx, argv) {
    const e = objectLookup(ctx, argv[2]!);
    return e === undefined ? R.null : R.bulk(typeOps(e.type).encoding(e));
  },
  'object|refcount'(ctx, argv) {
    // Valkey 9 embeds the key in every stored value, so none is shared.
    return objectLookup(ctx, argv[2]!) === undefined ? R.null : R.int(1);
  },
  'object|idletime'(ctx, argv) {
    const e = objectLookup(ctx, argv[2]!);
    if (e === undefined) return R.null;
    if (ctx.engine.lfu.on) {
      throw Err.generic(
        'An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      );
    }
    return R.int(idleSeconds(e.lru, ctx.now));
  },
  'object|freq'(ctx, argv) {
    const e = objectLookup(ctx, argv[2]!);
    if (e === undefined) return R.null;
    if (!ctx.engine.lfu.on) {
      throw Err.generic(
        'An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      );
    }
    return R.int(ctx.lfuFrequency(e));
  },

  wait(ctx, argv) {
    const repl = ctx.engine.repl;
    if (repl.primary !== null) throw new CommandError(WAIT_ON_REPLICA);
    const numreplicas = getLongLong(argv[1]!);
    const deadline = parseTimeoutMs(ctx, argv[2]!);
    // Replicas acknowledge the client's last write offset (replicationCountAcksByOffset).
    return repl.wait(ctx, numreplicas > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(numreplicas), deadline);
  },
  waitaof(ctx, argv) {
    const numlocal = getRangeLong(argv[1]!, 0, 1);
    const numreplicas = getPositiveLong(argv[2]!);
    const deadline = parseTimeoutMs(ctx, argv[3]!);
    const aof = ctx.engine.config.getBool('appendonly');
    if (ctx.engine.repl.primary !== null) throw new CommandError(WAITAOF_ON_REPLICA);
    if (numlocal && !aof) throw Err.generic('WAITAOF cannot be used when numlocal is set but appendonly is disabled.');
    // Every write is "fsynced" at once when appendonly is on; a replica without AOF acknowledges what it applied.
    const acklocal = aof ? 1 : 0;
    return ctx.engine.repl.wait(ctx, numreplicas, deadline, (n) => R.array([R.int(acklocal), R.int(n)]));
  },
};
