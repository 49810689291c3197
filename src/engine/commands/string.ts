/** String commands (Valkey group "string"), after t_string.c. */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { LLONG_MAX, LLONG_MIN, getLongLong, getRangeLong, parseLongLong, parseSafeInt } from '../args.js';
import type { CommandGroup } from '../command.js';
import type { Context } from '../context.js';
import { Err } from '../errors.js';
import type { Entry } from '../keyspace/keyspace.js';
import { formatHuman, ldAdd, ldFromBigInt, parseLongDouble, type LongDouble } from '../types/long-double.js';
import { cEq, checkStringLength, markNotIntEncoded, maxBulkLen, growRawString, setIntValue, zeros } from '../types/string.js';

// --- extended SET / GETEX / MSETEX arguments (parseExtendedCommandArgumentsOrReply) ---

const F_NX = 1;
const F_XX = 2;
const F_GET = 4;
const F_IFEQ = 8;
const F_KEEPTTL = 16;
const F_PERSIST = 32;
const F_EX = 64;
const F_PX = 128;
const F_EXAT = 256;
const F_PXAT = 512;
const F_ANY_EXPIRE = F_EX | F_PX | F_EXAT | F_PXAT;

const enum Kind { Set, Get, Mset }

interface Extended {
  flags: number;
  /** The expire argument, when EX/PX/EXAT/PXAT was given. */
  expire: Bytes | undefined;
  /** IFEQ's comparison value. */
  cmp: Bytes | undefined;
}

/** The C-string view of an argument's first bytes, lower-cased, for option matching. */
function optName(a: Bytes): string {
  const nul = a.indexOf('\0');
  return (nul >= 0 ? a.slice(0, nul) : a).toLowerCase();
}

function parseExtended(argv: readonly Bytes[], start: number, kind: Kind): Extended {
  let flags = 0;
  let expire: Bytes | undefined;
  let cmp: Bytes | undefined;
  const n = argv.length;
  for (let j = start; j < n; j++) {
    const opt = optName(argv[j]!);
    const hasNext = j < n - 1;
    if (opt === 'nx' && !(flags & (F_XX | F_IFEQ)) && kind !== Kind.Get) {
      flags |= F_NX;
    } else if (opt === 'xx' && !(flags & (F_NX | F_IFEQ)) && kind !== Kind.Get) {
      flags |= F_XX;
    } else if (opt === 'ifeq' && hasNext && !(flags & (F_NX | F_XX | F_IFEQ)) && kind === Kind.Set) {
      flags |= F_IFEQ;
      cmp = argv[++j];
    } else if (opt === 'get' && kind === Kind.Set) {
      flags |= F_GET;
    } else if (opt === 'keepttl' && !(flags & (F_PERSIST | F_ANY_EXPIRE)) && kind !== Kind.Get) {
      flags |= F_KEEPTTL;
    } else if (opt === 'persist' && kind === Kind.Get && !(flags & (F_ANY_EXPIRE | F_KEEPTTL))) {
      flags |= F_PERSIST;
    } else if (opt === 'ex' && !(flags & (F_KEEPTTL | F_PERSIST | F_EXAT | F_PX | F_PXAT)) && hasNext) {
      flags |= F_EX;
      expire = argv[++j];
    } else if (opt === 'px' && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PXAT)) && hasNext) {
      flags |= F_PX;
      expire = argv[++j];
    } else if (opt === 'exat' && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_PX | F_PXAT)) && hasNext) {
      flags |= F_EXAT;
      expire = argv[++j];
    } else if (opt === 'pxat' && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PX)) && hasNext) {
      flags |= F_PXAT;
      expire = argv[++j];
    } else {
      throw Err.syntax();
    }
  }
  return { flags, expire, cmp };
}

const LLONG_MAX_DIV_1000 = LLONG_MAX / 1000n;

/**
 * getExpireMillisecondsOrReply: the absolute expiry in ms. EX/EXAT count in
 * seconds; EX/PX are relative to the command's time snapshot.
 */
function expireMs(ctx: Context, arg: Bytes, flags: number): bigint | number {
  const seconds = (flags & (F_EX | F_EXAT)) !== 0;
  if (arg.length <= (seconds ? 9 : 12)) {
    // Small values: exact in doubles whatever the unit and the clock.
    const n = parseSafeInt(arg);
    if (n === null) throw Err.notInteger();
    if (n <= 0) throw Err.invalidExpire(ctx.cmd.fullname);
    const v = seconds ? n * 1000 : n;
    return flags & (F_EX | F_PX) ? v + ctx.now : v;
  }
  let ms = getLongLong(arg);
  if (ms <= 0n || (seconds && ms > LLONG_MAX_DIV_1000)) throw Err.invalidExpire(ctx.cmd.fullname);
  if (seconds) ms *= 1000n;
  if (flags & (F_EX | F_PX)) ms = BigInt.asIntN(64, ms + BigInt(ctx.now)); // C signed overflow wraps
  if (ms <= 0n) throw Err.invalidExpire(ctx.cmd.fullname);
  return ms;
}

/** deleteExpiredKeyFromOverwriteAndPropagate: the key goes as if it expired. */
function deleteAsExpired(ctx: Context, key: Bytes): void {
  ctx.deleteAsExpired(key);
}

/** A write of a new string value through tryObjectEncoding (SET, MSET, GETSET...). */
function storeString(ctx: Context, key: Bytes, value: Bytes, keepTtl: boolean): Entry {
  return ctx.db.set(key, 'string', value, ctx.now, keepTtl ? KEEP_TTL : NO_OPTS);
}

const KEEP_TTL = { keepTtl: true };
const NO_OPTS = {};

/** getGenericCommand: the value as a reply (WRONGTYPE for other types). */
function getReply(ctx: Context, key: Bytes): Reply {
  const e = ctx.read(key, 'string');
  return e ? R.bulk(e.value as Bytes) : R.null;
}

/**
 * setGenericCommand. `okReply`/`abortReply` default to +OK and a null.
 */
function setGeneric(
  ctx: Context, argv: readonly Bytes[], flags: number, key: Bytes, value: Bytes, expire: Bytes | undefined,
  okReply: Reply = R.ok, abortReply: Reply = R.null, cmp?: Bytes,
): Reply {
  const ms = expire !== undefined ? expireMs(ctx, expire, flags) : 0;
  let getResult: Reply | undefined;
  if (flags & F_GET) getResult = getReply(ctx, key);
  const existing = ctx.write(key);
  const found = existing !== undefined;
  if (flags & F_IFEQ) {
    if (!found) return getResult ?? abortReply;
    if (getResult === undefined && existing.type !== 'string') throw Err.wrongType();
    if (existing.value !== cmp) return getResult ?? abortReply;
  }
  if (((flags & F_NX) && found) || ((flags & F_XX) && !found)) return getResult ?? abortReply;
  if (expire !== undefined && ctx.alreadyExpired(ms)) {
    if (found) deleteAsExpired(ctx, key);
    return getResult ?? R.ok;
  }
  const e = storeString(ctx, key, value, (flags & F_KEEPTTL) !== 0 || expire !== undefined);
  if (expire !== undefined) ctx.db.setExpire(e, key, ms);
  ctx.wrote(key, '$', 'set');
  if (expire !== undefined) ctx.notify('g', 'expire', key);
  // Replicas get SET key value PXAT <ms> for a relative or seconds expiry, and no GET.
  if (expire !== undefined && !(flags & F_PXAT)) {
    const isSet = ctx.cmd.fullname === 'set';
    ctx.rewrite(isSet && argv.length === 5 ? [argv[0]!, argv[1]!, argv[2]!, 'PXAT', String(ms)] : ['SET', key, value, 'PXAT', String(ms)]);
  } else if (flags & F_GET && expire === undefined) {
    ctx.rewrite(argv.filter((a, j) => j < 3 || a.toLowerCase() !== 'get'));
  }
  return getResult ?? okReply;
}

// --- INCR family ---

function incrDecr(ctx: Context, key: Bytes, incr: bigint): Reply {
  const e = ctx.write(key, 'string');
  let value = 0n;
  if (e) {
    const v = parseLongLong(e.value as Bytes);
    if (v === null) throw Err.notInteger();
    value = v;
  }
  if ((incr < 0n && value < 0n && incr < LLONG_MIN - value) || (incr > 0n && value > 0n && incr > LLONG_MAX - value)) {
    throw Err.overflow();
  }
  value += incr;
  const text = value.toString();
  // An existing key keeps its TTL; the new value is integer encoded.
  if (e) setIntValue(e, text);
  else ctx.db.set(key, 'string', text, ctx.now);
  ctx.wrote(key, '$', 'incrby');
  return R.int(value);
}

// --- LCS ---

function lcs(ctx: Context, argv: readonly Bytes[]): Reply {
  const ea = ctx.read(argv[1]!);
  const eb = ctx.read(argv[2]!);
  if ((ea && ea.type !== 'string') || (eb && eb.type !== 'string')) {
    throw Err.generic('The specified keys must contain string values');
  }
  const a = ea ? (ea.value as Bytes) : '';
  const b = eb ? (eb.value as Bytes) : '';
  let getLen = false;
  let getIdx = false;
  let withMatchLen = false;
  let minMatchLen = 0n;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    const moreArgs = argv.length - 1 - j;
    if (cEq(opt, 'idx')) getIdx = true;
    else if (cEq(opt, 'len')) getLen = true;
    else if (cEq(opt, 'withmatchlen')) withMatchLen = true;
    else if (cEq(opt, 'minmatchlen') && moreArgs > 0) {
      minMatchLen = getLongLong(argv[j + 1]!);
      if (minMatchLen < 0n) minMatchLen = 0n;
      j++;
    } else throw Err.syntax();
  }
  if (getLen && getIdx) throw Err.generic('If you want both the length and indexes, please just use IDX.');
  const alen = a.length;
  const blen = b.length;
  if ((alen + 1) * (blen + 1) * 4 > maxBulkLen(ctx)) {
    throw Err.generic('Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  }
  // table[i * (blen + 1) + j] = LCS length of a[0..i) and b[0..j).
  const w = blen + 1;
  const table = new Uint32Array((alen + 1) * w);
  for (let i = 1; i <= alen; i++) {
    const ca = a.charCodeAt(i - 1);
    const row = i * w;
    const prev = row - w;
    for (let j = 1; j <= blen; j++) {
      if (ca === b.charCodeAt(j - 1)) table[row + j] = table[prev + j - 1]! + 1;
      else {
        const l1 = table[prev + j]!;
        const l2 = table[row + j - 1]!;
        table[row + j] = l1 > l2 ? l1 : l2;
      }
    }
  }
  const total = table[alen * w + blen]!;
  if (getLen) return R.int(total);

  // Walk back from the end, collecting the LCS bytes and (for IDX) the matching ranges.
  const out: number[] = new Array<number>(total);
  let idx = total;
  const matches: Reply[] = [];
  let aStart = alen; // alen: no range in progress
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  const minLen = Number(minMatchLen > 0xffffffffn ? 0xffffffffn : minMatchLen);
  let i = alen;
  let j = blen;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      out[idx - 1] = a.charCodeAt(i - 1);
      if (aStart === alen) {
        aStart = i - 1;
        aEnd = i - 1;
        bStart = j - 1;
        bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      const l1 = table[(i - 1) * w + j]!;
      const l2 = table[i * w + j - 1]!;
      if (l1 > l2) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (getIdx && (minLen === 0 || matchLen >= minLen)) {
        const m: Reply[] = [R.array([R.int(aStart), R.int(aEnd)]), R.array([R.int(bStart), R.int(bEnd)])];
        if (withMatchLen) m.push(R.int(matchLen));
        matches.push(R.array(m));
      }
      aStart = alen;
    }
  }
  if (getIdx) {
    return R.map([
      [R.bulk('matches'), R.array(matches)],
      [R.bulk('len'), R.int(total)],
    ]);
  }
  return R.bulk(bytesFromCodes(out));
}

function bytesFromCodes(codes: number[]): Bytes {
  let s = '';
  for (let k = 0; k < codes.length; k += 8192) s += String.fromCharCode(...codes.slice(k, k + 8192));
  return s;
}

// --- the command table ---

export const stringCommands: CommandGroup = {
  get(ctx, argv) {
    const e = ctx.read(argv[1]!, 'string');
    return e ? R.bulk(e.value as Bytes) : R.null;
  },

  set(ctx, argv) {
    const key = argv[1]!;
    if (argv.length === 3) {
      ctx.write(key); // lookupKeyWrite: an expired key goes first
      storeString(ctx, key, argv[2]!, false);
      ctx.wrote(key, '$', 'set');
      return R.ok;
    }
    const x = parseExtended(argv, 3, Kind.Set);
    return setGeneric(ctx, argv, x.flags, key, argv[2]!, x.expire, R.ok, R.null, x.cmp);
  },

  setnx(ctx, argv) {
    return setGeneric(ctx, argv, F_NX, argv[1]!, argv[2]!, undefined, R.int(1), R.int(0));
  },

  setex(ctx, argv) {
    return setGeneric(ctx, argv, F_EX, argv[1]!, argv[3]!, argv[2]!);
  },

  psetex(ctx, argv) {
    return setGeneric(ctx, argv, F_PX, argv[1]!, argv[3]!, argv[2]!);
  },

  getex(ctx, argv) {
    const key = argv[1]!;
    const x = parseExtended(argv, 2, Kind.Get);
    const ms = x.expire !== undefined ? expireMs(ctx, x.expire, x.flags) : 0;
    const e = ctx.read(key, 'string');
    if (!e) return R.null;
    const reply = R.bulk(e.value as Bytes);
    if ((x.flags & (F_PXAT | F_EXAT)) && ctx.alreadyExpired(ms)) {
      deleteAsExpired(ctx, key);
    } else if (x.expire !== undefined) {
      ctx.db.setExpire(e, key, ms);
      ctx.wrote(key, 'g', 'expire');
      ctx.rewrite(['PEXPIREAT', key, String(ms)]);
    } else if (x.flags & F_PERSIST) {
      if (ctx.db.persist(e)) {
        ctx.wrote(key, 'g', 'persist');
        ctx.rewrite(['PERSIST', key]);
      }
    }
    return reply;
  },

  getdel(ctx, argv) {
    const key = argv[1]!;
    const reply = getReply(ctx, key);
    if (ctx.db.delete(key)) {
      ctx.wrote(key, 'g', 'del');
      ctx.rewrite(['DEL', key]);
    }
    return reply;
  },

  getset(ctx, argv) {
    const key = argv[1]!;
    const reply = getReply(ctx, key);
    storeString(ctx, key, argv[2]!, false);
    ctx.wrote(key, '$', 'set');
    return reply;
  },

  mget(ctx, argv) {
    const out: Reply[] = new Array<Reply>(argv.length - 1);
    for (let j = 1; j < argv.length; j++) {
      const e = ctx.read(argv[j]!);
      out[j - 1] = e && e.type === 'string' ? R.bulk(e.value as Bytes) : R.null;
    }
    return R.array(out);
  },

  mset(ctx, argv) {
    if (argv.length % 2 === 0) throw Err.wrongArity('mset');
    for (let j = 1; j < argv.length; j += 2) {
      ctx.write(argv[j]!);
      storeString(ctx, argv[j]!, argv[j + 1]!, false);
      ctx.modified(argv[j]!);
      ctx.notify('$', 'set', argv[j]!);
    }
    ctx.dirty((argv.length - 1) / 2);
    return R.ok;
  },

  msetnx(ctx, argv) {
    if (argv.length % 2 === 0) throw Err.wrongArity('msetnx');
    for (let j = 1; j < argv.length; j += 2) if (ctx.write(argv[j]!)) return R.int(0);
    for (let j = 1; j < argv.length; j += 2) {
      storeString(ctx, argv[j]!, argv[j + 1]!, false);
      ctx.modified(argv[j]!);
      ctx.notify('$', 'set', argv[j]!);
    }
    ctx.dirty((argv.length - 1) / 2);
    return R.int(1);
  },

  msetex(ctx, argv) {
    const numkeys = getRangeLong(argv[1]!, 1, 2147483647, 'invalid numkeys value or out of range');
    const argsStart = 2 + numkeys * 2;
    if (argsStart > argv.length) throw Err.syntax();
    const x = parseExtended(argv, argsStart, Kind.Mset);
    const ms = x.expire !== undefined ? expireMs(ctx, x.expire, x.flags) : 0;
    if (x.flags & (F_NX | F_XX)) {
      for (let j = 2; j < argsStart; j += 2) {
        const o = ctx.write(argv[j]!);
        if (((x.flags & F_NX) && o) || ((x.flags & F_XX) && !o)) return R.int(0);
      }
    }
    const keepTtl = (x.flags & F_KEEPTTL) !== 0 || x.expire !== undefined;
    for (let j = 2; j < argsStart; j += 2) {
      const key = argv[j]!;
      ctx.write(key);
      const e = storeString(ctx, key, argv[j + 1]!, keepTtl);
      if (x.expire !== undefined) ctx.db.setExpire(e, key, ms);
      ctx.modified(key);
      ctx.dirty();
      ctx.notify('$', 'set', key);
      if (x.expire !== undefined) ctx.notify('g', 'expire', key);
    }
    if (x.expire !== undefined && !(x.flags & F_PXAT)) {
      const at = argv.indexOf(x.expire, argsStart) - 1;
      ctx.rewrite(argv.map((a, j) => (j === at ? 'PXAT' : j === at + 1 ? String(ms) : a)));
    }
    return R.int(1);
  },

  incr(ctx, argv) {
    return incrDecr(ctx, argv[1]!, 1n);
  },

  decr(ctx, argv) {
    return incrDecr(ctx, argv[1]!, -1n);
  },

  incrby(ctx, argv) {
    return incrDecr(ctx, argv[1]!, getLongLong(argv[2]!));
  },

  decrby(ctx, argv) {
    const incr = getLongLong(argv[2]!);
    if (incr === LLONG_MIN) throw Err.generic('decrement would overflow');
    return incrDecr(ctx, argv[1]!, -incr);
  },

  incrbyfloat(ctx, argv) {
    const key = argv[1]!;
    const e = ctx.write(key, 'string');
    let value: LongDouble | null = ldFromBigInt(0n);
    if (e) value = parseLongDouble(e.value as Bytes);
    if (value === null) throw Err.notFloat();
    const incr = parseLongDouble(argv[2]!);
    if (incr === null) throw Err.notFloat();
    const sum = ldAdd(value, incr);
    if (sum.kind === 'inf' || sum.kind === 'nan') throw Err.generic('increment would produce NaN or Infinity');
    const text = formatHuman(sum);
    const ne = ctx.db.set(key, 'string', text, ctx.now, e ? KEEP_TTL : NO_OPTS);
    markNotIntEncoded(ne, key);
    ctx.wrote(key, '$', 'incrbyfloat');
    // Replicas get the result, not the increment (float formatting may differ between builds).
    ctx.rewrite(['SET', key, text, 'KEEPTTL']);
    return R.bulk(text);
  },

  append(ctx, argv) {
    const key = argv[1]!;
    const add = argv[2]!;
    const e = ctx.write(key);
    let total: number;
    if (!e) {
      storeString(ctx, key, add, false);
      total = add.length;
    } else {
      if (e.type !== 'string') throw Err.wrongType();
      const cur = e.value as Bytes;
      checkStringLength(ctx, cur.length, add.length);
      growRawString(e, cur.length + add.length);
      e.value = cur + add;
      total = cur.length + add.length;
    }
    ctx.wrote(key, '$', 'append');
    return R.int(total);
  },

  strlen(ctx, argv) {
    const e = ctx.read(argv[1]!, 'string');
    return R.int(e ? (e.value as Bytes).length : 0);
  },

  getrange(ctx, argv) {
    return getrange(ctx, argv);
  },

  substr(ctx, argv) {
    return getrange(ctx, argv);
  },

  setrange(ctx, argv) {
    const key = argv[1]!;
    const value = argv[3]!;
    const offsetBig = getLongLong(argv[2]!);
    if (offsetBig < 0n) throw Err.generic('offset is out of range');
    const offset = Number(offsetBig);
    const e = ctx.write(key);
    if (!e) {
      if (value.length === 0) return R.int(0);
      checkStringLength(ctx, offset, value.length);
      ctx.db.set(key, 'string', zeros(offset) + value, ctx.now, { raw: true });
      ctx.wrote(key, '$', 'setrange');
      return R.int(offset + value.length);
    }
    if (e.type !== 'string') throw Err.wrongType();
    const cur = e.value as Bytes;
    if (value.length === 0) return R.int(cur.length);
    checkStringLength(ctx, offset, value.length);
    let next: Bytes;
    if (offset >= cur.length) next = cur + zeros(offset - cur.length) + value;
    else next = cur.slice(0, offset) + value + cur.slice(offset + value.length);
    growRawString(e, next.length);
    e.value = next;
    ctx.wrote(key, '$', 'setrange');
    return R.int(next.length);
  },

  lcs(ctx, argv) {
    return lcs(ctx, argv);
  },

  delifeq(ctx, argv) {
    const key = argv[1]!;
    const e = ctx.write(key);
    if (!e) return R.int(0);
    if (e.type !== 'string') throw Err.wrongType();
    if (e.value !== argv[2]) return R.int(0);
    ctx.db.delete(key);
    ctx.wrote(key, 'g', 'del');
    ctx.rewrite(['DEL', key]);
    return R.int(1);
  },
};

function getrange(ctx: Context, argv: readonly Bytes[]): Reply {
  let start = getLongLong(argv[2]!);
  let end = getLongLong(argv[3]!);
  const e = ctx.read(argv[1]!, 'string');
  if (!e) return R.bulk('');
  const s = e.value as Bytes;
  const len = BigInt(s.length);
  if (start < 0n && end < 0n && start > end) return R.bulk('');
  if (start < 0n) start += len;
  if (end < 0n) end += len;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= len) end = len - 1n;
  if (start > end || len === 0n) return R.bulk('');
  return R.bulk(s.slice(Number(start), Number(end) + 1));
}
