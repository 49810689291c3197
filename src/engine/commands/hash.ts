/**
 * Hash commands (Valkey group "hash"), after the command half of Valkey
 * 9.1.2's t_hash.c: HSET..HSCAN, HRANDFIELD, and the field expiration family
 * (HEXPIRE..HPEXPIREAT, HTTL..HPEXPIRETIME, HPERSIST, HSETEX, HGETEX, HGETDEL).
 * The value structure and its rules live in types/hash.ts.
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { LLONG_MAX, LLONG_MIN, getLongLong, parseLongLong } from '../args.js';
import type { CommandGroup } from '../command.js';
import type { Context } from '../context.js';
import { Err, cTrunc } from '../errors.js';
import { parseScanOptions } from '../scan.js';
import { globMatch } from '../keyspace/glob.js';
import type { Entry } from '../keyspace/keyspace.js';
import { parseScanCursor } from './generic.js';
import {
  EXPIRE_GT, EXPIRE_LT, EXPIRE_NX, EXPIRE_XX, FIELD_DELETED, FIELD_NOT_FOUND, FIELD_UPDATED, HashValue, SET_REVIVED,
  SET_UPDATED, toDeadline, type Deadline, type HashLimits,
} from '../types/hash.js';
import { LD_ZERO, formatHuman, ldAdd, parseLongDouble } from '../types/long-double.js';
import { cEq } from '../types/string.js';

// --- helpers ----------------------------------------------------------------

const NUMFIELDS_ERR = 'numfields should be greater than 0 and match the provided number of fields';
const LONG_MAX_HALF = 4611686018427387903n;
const EMPTY_MAP = R.map([]);
const EMPTY_SCAN = R.array([R.bulk('0'), R.emptyArray]);

function limits(ctx: Context): HashLimits {
  const cfg = ctx.engine.config;
  return { maxEntries: cfg.getInt('hash-max-listpack-entries'), maxValue: cfg.getInt('hash-max-listpack-value') };
}

/** lookupKeyRead + checkType: the hash, or undefined when the key is missing. */
function readHash(ctx: Context, key: Bytes): HashValue | undefined {
  return ctx.read(key, 'hash')?.value as HashValue | undefined;
}

/** hashTypeLookupWriteOrCreate. */
function writeOrCreate(ctx: Context, key: Bytes): Entry {
  return ctx.write(key, 'hash') ?? ctx.db.set(key, 'hash', new HashValue(), ctx.now);
}

/** An integer reply from a bigint, as a number when exact. */
function intReply(v: bigint): Reply {
  const n = Number(v);
  return R.int(Number.isSafeInteger(n) ? n : v);
}

/** Expired fields a write overwrote count as expired ones: stats and one 'hexpired' event. */
function revived(ctx: Context, key: Bytes, n: number): void {
  if (n === 0) return;
  ctx.engine.stats.expiredFields += n;
  ctx.notify('h', 'hexpired', key);
}

/** The hash went empty: delete the key ('del' event). */
function dropIfEmpty(ctx: Context, key: Bytes, hv: HashValue): boolean {
  if (hv.size !== 0) return false;
  ctx.db.delete(key);
  ctx.notify('g', 'del', key);
  return true;
}

/**
 * convertExpireArgumentToUnixTime: a non-negative integer in `unit`, plus
 * `basetime` (now for relative forms, 0 for absolute ones), within int64.
 */
function expireTime(ctx: Context, arg: Bytes, basetime: number, seconds: boolean): bigint {
  let when = getLongLong(arg);
  if (when < 0n) throw Err.invalidExpire(ctx.cmd.fullname);
  if (seconds) {
    if (when > LLONG_MAX / 1000n) throw Err.invalidExpire(ctx.cmd.fullname);
    when *= 1000n;
  }
  const base = BigInt(basetime);
  if (when > LLONG_MAX - base) throw Err.invalidExpire(ctx.cmd.fullname);
  return when + base;
}

/** `FIELDS numfields field...` at argv[2..] (HTTL family, HPERSIST, HGETDEL): the number of fields, checked. */
function fixedFields(argv: readonly Bytes[], mismatch: () => Error): number {
  if (!cEq(argv[2]!, 'fields')) throw Err.syntax();
  const n = getLongLong(argv[3]!);
  if (n === 0n || n !== BigInt(argv.length - 4)) throw mismatch();
  return Number(n);
}

// --- HSETEX / HGETEX arguments (parseExtendedCommandArgumentsOrReply) ----------

const A_NX = 1;
const A_XX = 2;
const A_FNX = 4;
const A_FXX = 8;
const A_KEEPTTL = 16;
const A_PERSIST = 32;
const A_EX = 64;
const A_PX = 128;
const A_EXAT = 256;
const A_PXAT = 512;

interface Extended {
  flags: number;
  expire: Bytes | undefined;
}

/** The C-string view of an argument, lower-cased, for option matching. */
function optName(a: Bytes): string {
  const nul = a.indexOf('\0');
  return (nul >= 0 ? a.slice(0, nul) : a).toLowerCase();
}

/** Options of HSETEX (`set`) or HGETEX in argv[start..max). */
function parseExtended(argv: readonly Bytes[], start: number, max: number, set: boolean): Extended {
  let flags = 0;
  let expire: Bytes | undefined;
  for (let j = start; j < max; j++) {
    const opt = optName(argv[j]!);
    const hasNext = j < max - 1;
    if (opt === 'nx' && set && !(flags & A_XX)) flags |= A_NX;
    else if (opt === 'xx' && set && !(flags & A_NX)) flags |= A_XX;
    else if (opt === 'fnx' && set && !(flags & A_FXX)) flags |= A_FNX;
    else if (opt === 'fxx' && set && !(flags & A_FNX)) flags |= A_FXX;
    else if (opt === 'keepttl' && set && !(flags & (A_PERSIST | A_EX | A_EXAT | A_PX | A_PXAT))) flags |= A_KEEPTTL;
    else if (opt === 'persist' && !set && !(flags & (A_EX | A_EXAT | A_PX | A_PXAT | A_KEEPTTL))) flags |= A_PERSIST;
    else if (opt === 'ex' && hasNext && !(flags & (A_KEEPTTL | A_PERSIST | A_EXAT | A_PX | A_PXAT))) {
      flags |= A_EX;
      expire = argv[++j];
    } else if (opt === 'px' && hasNext && !(flags & (A_KEEPTTL | A_PERSIST | A_EX | A_EXAT | A_PXAT))) {
      flags |= A_PX;
      expire = argv[++j];
    } else if (opt === 'exat' && hasNext && !(flags & (A_KEEPTTL | A_PERSIST | A_EX | A_PX | A_PXAT))) {
      flags |= A_EXAT;
      expire = argv[++j];
    } else if (opt === 'pxat' && hasNext && !(flags & (A_KEEPTTL | A_PERSIST | A_EX | A_EXAT | A_PX))) {
      flags |= A_PXAT;
      expire = argv[++j];
    } else {
      throw Err.syntax();
    }
  }
  return { flags, expire };
}

/**
 * The `FIELDS numfields` block of HSETEX/HGETEX, searched from argv[0] as
 * Valkey does: the options before it, the count, and where the fields start.
 * `fieldsIndex` is argv.length - 1 and `num` is `none` when there is no FIELDS.
 */
function findFields(argv: readonly Bytes[], set: boolean, none: bigint): { opts: Extended; num: bigint; first: number } {
  for (let i = 0; i < argv.length - 1; i++) {
    if (cEq(argv[i]!, 'fields')) {
      const opts = parseExtended(argv, 2, i, set);
      const num = getLongLong(argv[i + 1]!);
      return { opts, num, first: i + 2 };
    }
  }
  return { opts: { flags: 0, expire: undefined }, num: none, first: argv.length - 1 };
}

/** The expiry of HSETEX/HGETEX's EX/PX/EXAT/PXAT argument, absolute ms. */
function extendedExpire(ctx: Context, x: Extended): bigint {
  const abs = (x.flags & (A_EXAT | A_PXAT)) !== 0;
  const seconds = (x.flags & (A_EX | A_EXAT)) !== 0;
  return expireTime(ctx, x.expire!, abs ? 0 : ctx.now, seconds);
}

// --- HSET, HSETNX, HMSET, HINCRBY, HINCRBYFLOAT -----------------------------------

function hset(ctx: Context, argv: readonly Bytes[]): Reply {
  if (argv.length % 2 === 1) throw Err.wrongArity(ctx.cmd.fullname);
  const key = argv[1]!;
  const e = writeOrCreate(ctx, key);
  const hv = e.value as HashValue;
  const lim = limits(ctx);
  hv.tryConversion(argv, 2, argv.length - 1, lim);
  const wasVolatile = hv.hasVolatile;
  let created = 0;
  let expired = 0;
  for (let i = 2; i < argv.length; i += 2) {
    const r = hv.set(argv[i]!, argv[i + 1]!, ctx.now, 0, false, lim);
    if (r !== SET_UPDATED) created++;
    if (r === SET_REVIVED) expired++;
  }
  if (wasVolatile) ctx.db.trackItems(key, e);
  ctx.modified(key);
  revived(ctx, key, expired);
  ctx.notify('h', 'hset', key);
  ctx.dirty((argv.length - 2) / 2);
  return ctx.cmd.fullname === 'hset' ? R.int(created) : R.ok;
}

function hsetnx(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  const field = argv[2]!;
  const e = writeOrCreate(ctx, key);
  const hv = e.value as HashValue;
  if (hv.has(field, ctx.now)) return R.int(0);
  const lim = limits(ctx);
  hv.tryConversion(argv, 2, 3, lim);
  const wasVolatile = hv.hasVolatile;
  const r = hv.set(field, argv[3]!, ctx.now, 0, false, lim);
  if (wasVolatile) ctx.db.trackItems(key, e);
  ctx.modified(key);
  revived(ctx, key, r === SET_REVIVED ? 1 : 0);
  ctx.notify('h', 'hset', key);
  ctx.dirty();
  return R.int(1);
}

/** HINCRBY / HINCRBYFLOAT's write: the new value keeps the field's TTL. */
function storeIncr(ctx: Context, key: Bytes, e: Entry | undefined, field: Bytes, text: Bytes, event: string): void {
  const entry = e ?? writeOrCreate(ctx, key);
  const hv = entry.value as HashValue;
  const exp = hv.expiry(field, ctx.now) ?? 0;
  const wasVolatile = hv.hasVolatile;
  const r = hv.set(field, text, ctx.now, exp, false, limits(ctx));
  if (wasVolatile) ctx.db.trackItems(key, entry);
  ctx.modified(key);
  revived(ctx, key, r === SET_REVIVED ? 1 : 0);
  ctx.notify('h', event, key);
  ctx.dirty();
}

function hincrby(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  const field = argv[2]!;
  const incr = getLongLong(argv[3]!);
  const e = ctx.write(key, 'hash');
  const cur = (e?.value as HashValue | undefined)?.get(field, ctx.now);
  let value = 0n;
  if (cur !== undefined) {
    const v = parseLongLong(cur);
    if (v === null) throw Err.generic('hash value is not an integer');
    value = v;
  }
  if ((incr < 0n && value < 0n && incr < LLONG_MIN - value) || (incr > 0n && value > 0n && incr > LLONG_MAX - value)) {
    throw Err.overflow();
  }
  const sum = value + incr;
  storeIncr(ctx, key, e, field, sum.toString(), 'hincrby');
  return intReply(sum);
}

function hincrbyfloat(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  const field = argv[2]!;
  const incr = parseLongDouble(argv[3]!);
  if (incr === null) throw Err.notFloat();
  if (incr.kind === 'inf' || incr.kind === 'nan') throw Err.generic('value is NaN or Infinity');
  const e = ctx.write(key, 'hash');
  const cur = (e?.value as HashValue | undefined)?.get(field, ctx.now);
  let value = LD_ZERO;
  if (cur !== undefined) {
    const v = parseLongDouble(cur);
    if (v === null) throw Err.generic('hash value is not a float');
    value = v;
  }
  const sum = ldAdd(value, incr);
  if (sum.kind === 'inf' || sum.kind === 'nan') throw Err.generic('increment would produce NaN or Infinity');
  const text = formatHuman(sum);
  storeIncr(ctx, key, e, field, text, 'hincrbyfloat');
  ctx.rewrite(['HSET', key, field, text]);
  return R.bulk(text);
}

// --- reads --------------------------------------------------------------------

function hgetall(ctx: Context, argv: readonly Bytes[], fields: boolean, values: boolean): Reply {
  const hv = readHash(ctx, argv[1]!);
  if (fields && values) {
    if (hv === undefined) return EMPTY_MAP;
    const out: [Reply, Reply][] = [];
    hv.forEachLive(ctx.now, (f, v) => out.push([R.bulk(f), R.bulk(v)]));
    return R.map(out);
  }
  if (hv === undefined) return R.emptyArray;
  const out: Reply[] = [];
  hv.forEachLive(ctx.now, (f, v) => out.push(R.bulk(fields ? f : v)));
  return R.array(out);
}

function hscan(ctx: Context, argv: readonly Bytes[]): Reply {
  const c = parseScanCursor(argv[2]!);
  if (c === null) throw Err.generic('invalid cursor');
  const hv = readHash(ctx, argv[1]!);
  if (hv === undefined) return EMPTY_SCAN;
  const { count, pattern, onlyKeys: novalues } = parseScanOptions(argv, 3, 'hash');
  const out: Reply[] = [];
  const add = (f: Bytes, v: Bytes) => {
    if (pattern !== undefined && !globMatch(pattern, f)) return;
    out.push(R.bulk(f));
    if (!novalues) out.push(R.bulk(v));
  };
  let next = 0;
  if (hv.encoding === 'listpack') {
    hv.forEachLive(ctx.now, add);
  } else {
    const start = c > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(c);
    next = hv.scan(start, count, ctx.now, add);
  }
  return R.array([R.bulk(String(next)), R.array(out)]);
}

// --- HRANDFIELD -------------------------------------------------------------------

/** One field (with its value) as HRANDFIELD replies it. */
function pushPick(ctx: Context, out: Reply[], f: Bytes, v: Bytes, withvalues: boolean): void {
  if (!withvalues) out.push(R.bulk(f));
  else if (ctx.resp === 3) out.push(R.array([R.bulk(f), R.bulk(v)]));
  else out.push(R.bulk(f), R.bulk(v));
}

function hrandfieldWithCount(ctx: Context, key: Bytes, l: bigint, withvalues: boolean): Reply {
  const hv = readHash(ctx, key);
  if (hv === undefined) return R.emptyArray;
  if (l === 0n) return R.emptyArray;
  const rng = ctx.engine.rng;
  const live = hv.liveFields(ctx.now);
  const out: Reply[] = [];
  const value = (f: Bytes) => hv.fields.get(f)!;
  // Repeats allowed (negative count), or a single field: independent picks.
  if (l < 0n || l === 1n) {
    if (live.length === 0) return R.emptyArray;
    let count = l < 0n ? -l : l;
    while (count-- > 0n) {
      const f = live[rng.int(live.length)]!;
      pushPick(ctx, out, f, value(f), withvalues);
    }
    return R.array(out);
  }
  const count = l;
  // Asking for the whole hash or more: all of it, in order.
  if (count >= BigInt(hv.size)) {
    for (const f of live) pushPick(ctx, out, f, value(f), withvalues);
    return R.array(out);
  }
  const n = Number(count);
  if (hv.encoding === 'listpack') {
    // lpRandomPairsUnique: a random subset, in listpack order.
    const chosen = new Set<number>();
    let need = Math.min(n, live.length);
    for (let i = 0; i < live.length && need > 0; i++) {
      if (rng.int(live.length - i) < need) {
        chosen.add(i);
        need--;
      }
    }
    for (const i of chosen) pushPick(ctx, out, live[i]!, value(live[i]!), withvalues);
    return R.array(out);
  }
  // A random subset in random order (the hashtable cases).
  const pool = live.slice();
  const k = Math.min(n, pool.length);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(pool.length - i);
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
    pushPick(ctx, out, pool[i]!, value(pool[i]!), withvalues);
  }
  return R.array(out);
}

function hrandfield(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  if (argv.length >= 3) {
    const l = parseLongLong(argv[2]!);
    if (l === null) throw Err.notInteger();
    if (l < -LLONG_MAX) throw Err.generic('value is out of range, value must between -9223372036854775807 and 9223372036854775807');
    if (argv.length > 4 || (argv.length === 4 && !cEq(argv[3]!, 'withvalues'))) throw Err.syntax();
    const withvalues = argv.length === 4;
    if (withvalues && (l < -LONG_MAX_HALF || l > LONG_MAX_HALF)) throw Err.outOfRange();
    return hrandfieldWithCount(ctx, key, l, withvalues);
  }
  const hv = readHash(ctx, key);
  if (hv === undefined) return R.null;
  const live = hv.liveFields(ctx.now);
  if (live.length === 0) return R.null;
  return R.bulk(live[ctx.engine.rng.int(live.length)]!);
}

// --- HDEL, HGETDEL -------------------------------------------------------------

function hdel(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  const e = ctx.write(key, 'hash');
  if (e === undefined) return R.int(0);
  const hv = e.value as HashValue;
  const wasVolatile = hv.hasVolatile;
  let deleted = 0;
  let removed = false;
  for (let j = 2; j < argv.length; j++) {
    if (!hv.delete(argv[j]!, ctx.now)) continue;
    deleted++;
    if (hv.size === 0) {
      ctx.db.delete(key);
      removed = true;
      break;
    }
  }
  if (deleted) {
    if (!removed && wasVolatile) ctx.db.trackItems(key, e);
    ctx.modified(key);
    ctx.notify('h', 'hdel', key);
    if (removed) ctx.notify('g', 'del', key);
    ctx.dirty(deleted);
  }
  return R.int(deleted);
}

function hgetdel(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  fixedFields(argv, () => Err.generic(NUMFIELDS_ERR));
  const e = ctx.write(key, 'hash');
  let hv = e?.value as HashValue | undefined;
  const wasVolatile = hv?.hasVolatile ?? false;
  const out: Reply[] = [];
  let deleted = 0;
  let removed = false;
  for (let i = 4; i < argv.length; i++) {
    const f = argv[i]!;
    out.push(R.bulkOrNull(hv?.get(f, ctx.now)));
    if (hv === undefined || !hv.delete(f, ctx.now)) continue;
    deleted++;
    if (hv.size === 0) {
      ctx.db.delete(key);
      removed = true;
      hv = undefined;
    }
  }
  if (deleted) {
    if (!removed && wasVolatile) ctx.db.trackItems(key, e!);
    ctx.modified(key);
    ctx.notify('h', 'hdel', key);
    if (removed) ctx.notify('g', 'del', key);
    ctx.dirty(deleted);
  }
  return R.array(out);
}

// --- HEXPIRE family, HTTL family, HPERSIST -----------------------------------------

function hexpire(ctx: Context, argv: readonly Bytes[], basetime: number, seconds: boolean): Reply {
  const key = argv[1]!;
  let flags = 0;
  let num = 0n;
  let first = 3;
  for (; first < argv.length - 1; first++) {
    if (!cEq(argv[first]!, 'fields')) continue;
    let nx = false;
    let xx = false;
    let gt = false;
    let lt = false;
    for (let j = 3; j < first; j++) {
      const o = argv[j]!;
      if (cEq(o, 'nx')) nx = true;
      else if (cEq(o, 'xx')) xx = true;
      else if (cEq(o, 'gt')) gt = true;
      else if (cEq(o, 'lt')) lt = true;
      else throw Err.generic(`Unsupported option ${cTrunc(o, Infinity)}`);
    }
    if (nx && (xx || gt || lt)) throw Err.generic('NX and XX, GT or LT options at the same time are not compatible');
    if (gt && lt) throw Err.generic('GT and LT options at the same time are not compatible');
    flags = (nx ? EXPIRE_NX : 0) | (xx ? EXPIRE_XX : 0) | (gt ? EXPIRE_GT : 0) | (lt ? EXPIRE_LT : 0);
    num = getLongLong(argv[first + 1]!);
    first += 2;
    break;
  }
  if (num === 0n || num !== BigInt(argv.length - first)) throw Err.generic(NUMFIELDS_ERR);
  const whenMs = expireTime(ctx, argv[2]!, basetime, seconds);
  const when = toDeadline(whenMs);
  const e = ctx.write(key, 'hash');
  const hv = e?.value as HashValue | undefined;
  const wasVolatile = hv?.hasVolatile ?? false;
  const out: Reply[] = [];
  let expired = 0;
  let updated = 0;
  const deleted: Bytes[] = [];
  for (let i = first; i < argv.length; i++) {
    const r = hv === undefined ? FIELD_NOT_FOUND : hv.setExpire(argv[i]!, when, ctx.now, flags);
    if (r === FIELD_UPDATED) updated++;
    else if (r === FIELD_DELETED) {
      ctx.engine.stats.expiredFields++;
      expired++;
      deleted.push(argv[i]!);
    }
    out.push(R.int(r));
  }
  // Replicas get HDEL of the fields a past time deleted, else HPEXPIREAT with the absolute time.
  if (expired) ctx.rewrite(['HDEL', key, ...deleted]);
  else if (updated && ctx.cmd.fullname !== 'hpexpireat') ctx.rewrite(['HPEXPIREAT', key, String(whenMs), ...argv.slice(3)]);
  if (hv !== undefined && (expired || updated)) {
    if (wasVolatile || hv.hasVolatile) ctx.db.trackItems(key, e!);
    ctx.notify('h', expired ? 'hexpired' : 'hexpire', key);
    ctx.dirty(expired + updated);
    ctx.modified(key);
    dropIfEmpty(ctx, key, hv);
  }
  return R.array(out);
}

function httl(ctx: Context, argv: readonly Bytes[], basetime: number, ms: boolean): Reply {
  fixedFields(argv, () => Err.syntax());
  const hv = readHash(ctx, argv[1]!);
  const out: Reply[] = [];
  for (let i = 4; i < argv.length; i++) {
    const t: Deadline | undefined = hv?.expiry(argv[i]!, ctx.now);
    if (t === undefined) out.push(R.int(-2));
    else if (t === 0) out.push(R.int(-1));
    else if (typeof t === 'number') {
      const r = Math.max(0, t - basetime);
      out.push(R.int(ms ? r : Math.floor((r + 500) / 1000)));
    } else {
      let r = t - BigInt(basetime);
      if (r < 0n) r = 0n;
      out.push(intReply(ms ? r : (r + 500n) / 1000n));
    }
  }
  return R.array(out);
}

function hpersist(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  fixedFields(argv, () => Err.generic(NUMFIELDS_ERR));
  const e = ctx.write(key, 'hash');
  const hv = e?.value as HashValue | undefined;
  const out: Reply[] = [];
  let changes = 0;
  for (let i = 4; i < argv.length; i++) {
    const r = hv === undefined ? FIELD_NOT_FOUND : hv.persist(argv[i]!, ctx.now);
    if (r === FIELD_UPDATED) changes++;
    out.push(R.int(r));
  }
  if (changes) {
    ctx.dirty(changes);
    ctx.db.trackItems(key, e!);
    ctx.notify('h', 'hpersist', key);
    ctx.modified(key);
  }
  return R.array(out);
}

// --- HSETEX, HGETEX -----------------------------------------------------------------

function hsetex(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  const { opts, num, first } = findFields(argv, true, 0n);
  if (num === 0n || num > LLONG_MAX / 2n || num * 2n !== BigInt(argv.length - first)) throw Err.generic(NUMFIELDS_ERR);
  const flags = opts.flags;
  let e = ctx.write(key, 'hash');
  if ((flags & A_NX && e !== undefined) || (flags & A_XX && e === undefined)) return R.int(0);
  const keepTtl = (flags & A_KEEPTTL) !== 0;
  let when: Deadline = 0;
  let setExpired = false;
  if (!keepTtl && opts.expire !== undefined) {
    const w = extendedExpire(ctx, opts);
    if (w <= BigInt(ctx.now)) setExpired = true;
    else when = toDeadline(w);
  }
  if (flags & (A_FNX | A_FXX)) {
    if (e !== undefined) {
      const hv = e.value as HashValue;
      for (let i = first; i < argv.length; i += 2) {
        const has = hv.has(argv[i]!, ctx.now);
        if ((flags & A_FNX && has) || (flags & A_FXX && !has)) return R.int(0);
      }
    } else if (flags & A_FXX) {
      return R.int(0);
    }
  }
  e ??= ctx.db.set(key, 'hash', new HashValue(), ctx.now);
  const hv = e.value as HashValue;
  const wasVolatile = hv.hasVolatile;
  const lim = limits(ctx);
  let changes = 0;
  let expiredOverwritten = 0;
  for (let i = first; i < argv.length; i += 2) {
    if (setExpired) {
      if (hv.delete(argv[i]!, ctx.now, true)) changes++;
      ctx.engine.stats.expiredFields++; // counted like an active expiry, found or not
    } else {
      if (hv.set(argv[i]!, argv[i + 1]!, ctx.now, when, keepTtl, lim) === SET_REVIVED) expiredOverwritten++;
      changes++;
    }
  }
  if (changes) {
    if (wasVolatile || hv.hasVolatile) ctx.db.trackItems(key, e);
    revived(ctx, key, expiredOverwritten);
    ctx.modified(key);
    ctx.dirty(changes);
  }
  ctx.notify('h', 'hset', key);
  if (opts.expire !== undefined && !keepTtl) ctx.notify('h', 'hexpire', key);
  if (setExpired) ctx.notify('h', 'hexpired', key);
  dropIfEmpty(ctx, key, hv);
  return R.int(1);
}

function hgetex(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  const { opts, num, first } = findFields(argv, false, -1n);
  if (num === 0n || num !== BigInt(argv.length - first)) throw Err.generic(NUMFIELDS_ERR);
  const e = ctx.read(key, 'hash');
  const hv = e?.value as HashValue | undefined;
  const wasVolatile = hv?.hasVolatile ?? false;
  const persist = (opts.flags & A_PERSIST) !== 0;
  let setExpired = false;
  let when: Deadline = 0;
  if (!persist && opts.expire !== undefined) {
    const w = extendedExpire(ctx, opts);
    if (w <= BigInt(ctx.now)) setExpired = true;
    else when = toDeadline(w);
  }
  const setExpiry = when !== 0;
  const out: Reply[] = [];
  let changes = 0;
  for (let i = first; i < argv.length; i++) {
    const f = argv[i]!;
    out.push(R.bulkOrNull(hv?.get(f, ctx.now)));
    if (hv === undefined) continue;
    let changed = false;
    if (setExpired) {
      changed = hv.delete(f, ctx.now);
      if (changed) ctx.engine.stats.expiredFields++;
    } else if (setExpiry) {
      changed = hv.setExpire(f, when, ctx.now, 0) === FIELD_UPDATED;
    } else if (persist) {
      changed = hv.persist(f, ctx.now) === FIELD_UPDATED;
    }
    if (changed) changes++;
  }
  if (changes && hv !== undefined) {
    ctx.notify('h', setExpired ? 'hexpired' : setExpiry ? 'hexpire' : 'hpersist', key);
    ctx.dirty(changes);
    ctx.modified(key);
    if (wasVolatile || hv.hasVolatile) ctx.db.trackItems(key, e!);
    dropIfEmpty(ctx, key, hv);
  }
  return R.array(out);
}

// --- the group ----------------------------------------------------------------

export const hashCommands: CommandGroup = {
  hset,
  hmset: hset,
  hsetnx,
  hget(ctx, argv) {
    const hv = readHash(ctx, argv[1]!);
    return R.bulkOrNull(hv?.get(argv[2]!, ctx.now));
  },
  hmget(ctx, argv) {
    const hv = readHash(ctx, argv[1]!);
    const out: Reply[] = [];
    for (let i = 2; i < argv.length; i++) out.push(R.bulkOrNull(hv?.get(argv[i]!, ctx.now)));
    return R.array(out);
  },
  hgetall: (ctx, argv) => hgetall(ctx, argv, true, true),
  hkeys: (ctx, argv) => hgetall(ctx, argv, true, false),
  hvals: (ctx, argv) => hgetall(ctx, argv, false, true),
  hdel,
  hgetdel,
  hexists(ctx, argv) {
    const hv = readHash(ctx, argv[1]!);
    return R.int(hv?.has(argv[2]!, ctx.now) ? 1 : 0);
  },
  hlen(ctx, argv) {
    return R.int(readHash(ctx, argv[1]!)?.size ?? 0);
  },
  hstrlen(ctx, argv) {
    return R.int(readHash(ctx, argv[1]!)?.get(argv[2]!, ctx.now)?.length ?? 0);
  },
  hincrby,
  hincrbyfloat,
  hrandfield,
  hscan,
  hexpire: (ctx, argv) => hexpire(ctx, argv, ctx.now, true),
  hpexpire: (ctx, argv) => hexpire(ctx, argv, ctx.now, false),
  hexpireat: (ctx, argv) => hexpire(ctx, argv, 0, true),
  hpexpireat: (ctx, argv) => hexpire(ctx, argv, 0, false),
  httl: (ctx, argv) => httl(ctx, argv, ctx.now, false),
  hpttl: (ctx, argv) => httl(ctx, argv, ctx.now, true),
  hexpiretime: (ctx, argv) => httl(ctx, argv, 0, false),
  hpexpiretime: (ctx, argv) => httl(ctx, argv, 0, true),
  hpersist,
  hsetex,
  hgetex,
};
