/**
 * Sorted set commands (Valkey group "sorted_set"), following t_zset.c of
 * Valkey 9.1.2: ZADD/ZINCRBY, ZREM, the range family (ZRANGE with BYSCORE,
 * BYLEX, REV, LIMIT; ZRANGESTORE and the older ZRANGEBY*, ZREV* forms),
 * ZREMRANGEBY*, the pops (ZPOPMIN/MAX, ZMPOP and their blocking forms),
 * ZRANDMEMBER, the set algebra (ZUNION/ZINTER/ZDIFF, their STORE forms and
 * ZINTERCARD, with sets as inputs scored 1) and ZSCAN.
 *
 * The value keeps Valkey's encoding (listpack / skiplist) with its
 * conversion rules, since some answers depend on it (see types/zset.ts).
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { formatDouble } from '../../protocol/double.js';
import { getDouble, getLong, getPositiveLong, parseLongLong } from '../args.js';
import { blockOnKeys, parseBlockTimeout } from '../blocking.js';
import type { CommandGroup, HandlerResult } from '../command.js';
import { Context } from '../context.js';
import { Err } from '../errors.js';
import { parseScanOptions } from '../scan.js';
import { globMatch } from '../keyspace/glob.js';
import type { Entry } from '../keyspace/keyspace.js';
import type { SetValue } from '../types/set.js';
import { cEq } from '../types/string.js';
import {
  lexGteMin, lexLteMax, scoreGteMin, scoreLteMax, ZSet,
  type LexBound, type LexRange, type ScoreRange, type ZNode, type ZsetLimits,
} from '../types/zset.js';
import { parseScanCursor } from './generic.js';

// --- configuration ------------------------------------------------------------

/** zsetTypeCreate: listpack when the expected size and longest member fit. */
function createZset(lim: ZsetLimits, sizeHint: number, lenHint: number): ZSet {
  return new ZSet(sizeHint <= lim.entries && lenHint <= lim.value);
}

/** zsetConvertToListpackIfNeeded, for a result built as a skiplist. */
function fitResult(zs: ZSet, lim: ZsetLimits, maxLen: number): void {
  if (zs.size <= lim.entries && maxLen <= lim.value) zs.toListpack();
}

// --- argument parsing -----------------------------------------------------------

/** LONG_MAX / LLONG_MAX. */
const LONG_MAX = 9223372036854775807n;

/**
 * valkey_strtod_n (fast_float with a leading '+' allowed) on s[start..]:
 * the value and where parsing stopped (`start` when nothing parsed).
 * Out-of-range values come back as ±inf or ±0, as fast_float gives them.
 */
function strtodPrefix(s: Bytes, start: number): { value: number; end: number } {
  const n = s.length;
  let i = start;
  let c = s.charCodeAt(i);
  if (c === 43 || c === 45) c = s.charCodeAt(++i);
  const neg = s.charCodeAt(start) === 45;
  // inf / infinity / nan, any case
  const word = s.slice(i, i + 8).toLowerCase();
  if (word === 'infinity') return { value: neg ? -Infinity : Infinity, end: i + 8 };
  if (word.startsWith('inf')) return { value: neg ? -Infinity : Infinity, end: i + 3 };
  if (word.startsWith('nan')) {
    let end = i + 3;
    if (s.charCodeAt(end) === 40) {
      let j = end + 1;
      while (j < n && /[0-9A-Za-z_]/.test(s[j]!)) j++;
      if (s.charCodeAt(j) === 41) end = j + 1;
    }
    return { value: NaN, end };
  }
  const digitsFrom = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  let digits = i - digitsFrom;
  if (s.charCodeAt(i) === 46) {
    i++;
    const f = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    digits += i - f;
  }
  if (digits === 0) return { value: 0, end: start };
  const e = s.charCodeAt(i);
  if (e === 101 || e === 69) {
    let j = i + 1;
    const sg = s.charCodeAt(j);
    if (sg === 43 || sg === 45) j++;
    const ef = j;
    while (j < n && isDigit(s.charCodeAt(j))) j++;
    if (j > ef) i = j;
  }
  return { value: Number(s.slice(start, i)), end: i };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** One end of zslParseRange: '(' makes it exclusive; the parse must end at the string's end or a NUL. */
function parseScoreBound(s: Bytes): { v: number; ex: boolean } | null {
  const ex = s.charCodeAt(0) === 40;
  const r = strtodPrefix(s, ex ? 1 : 0);
  if ((r.end < s.length && s.charCodeAt(r.end) !== 0) || Number.isNaN(r.value)) return null;
  return { v: r.value, ex };
}

function parseScoreRange(min: Bytes, max: Bytes): ScoreRange {
  const a = parseScoreBound(min);
  const b = a && parseScoreBound(max);
  if (!a || !b) throw Err.generic('min or max is not a float');
  return { min: a.v, max: b.v, minex: a.ex, maxex: b.ex };
}

const LEX_MIN: LexBound = { kind: 'min' };
const LEX_MAX: LexBound = { kind: 'max' };

/** zslParseLexRangeItem: '-', '+', '(str' or '[str'; null when invalid. */
function parseLexItem(s: Bytes): { b: LexBound; ex: boolean } | null {
  const c = s.charCodeAt(0);
  const alone = s.length === 1 || s.charCodeAt(1) === 0;
  if (c === 43) return alone ? { b: LEX_MAX, ex: true } : null;
  if (c === 45) return alone ? { b: LEX_MIN, ex: true } : null;
  if (c === 40) return { b: { kind: 'str', value: s.slice(1) }, ex: true };
  if (c === 91) return { b: { kind: 'str', value: s.slice(1) }, ex: false };
  return null;
}

function parseLexRange(min: Bytes, max: Bytes): LexRange {
  const a = parseLexItem(min);
  const b = a && parseLexItem(max);
  if (!a || !b) throw Err.generic('min or max not valid string range item');
  return { min: a.b, max: b.b, minex: a.ex, maxex: b.ex };
}

// --- reply helpers --------------------------------------------------------------------

/** Member/score pairs: flat in RESP2, [member, score] arrays in RESP3. */
function pairsReply(ctx: Context, members: readonly Bytes[], scores: readonly number[]): Reply {
  const out: Reply[] = [];
  if (ctx.resp === 2) {
    for (let i = 0; i < members.length; i++) out.push(R.bulk(members[i]!), R.double(scores[i]!));
  } else {
    for (let i = 0; i < members.length; i++) out.push(R.array([R.bulk(members[i]!), R.double(scores[i]!)]));
  }
  return R.array(out);
}

function zsetOf(e: Entry): ZSet {
  return e.value as ZSet;
}

/** Where a write leaves an empty sorted set: the key goes, with a 'del' event. */
function deleteIfEmpty(ctx: Context, key: Bytes, zs: ZSet): boolean {
  if (zs.size !== 0) return false;
  ctx.db.delete(key);
  return true;
}

// --- ZADD / ZINCRBY ---------------------------------------------------------------------

const F_INCR = 1;
const F_NX = 2;
const F_XX = 4;
const F_GT = 8;
const F_LT = 16;

const ADD_NAN = 0;
const ADD_ADDED = 1;
const ADD_UPDATED = 2;
const ADD_NOP = 3;
const ADD_SAME = 4;
/** The score zsetAdd settled on (its *newscore). */
let addedScore = 0;

/** zsetAdd: one member; the result is one of the ADD_* codes. */
function zsetAdd(zs: ZSet, lim: ZsetLimits, score: number, member: Bytes, flags: number): number {
  if (Number.isNaN(score)) return ADD_NAN;
  const cur = zs.score(member);
  if (cur !== undefined) {
    if (flags & F_NX) return ADD_NOP;
    if (flags & F_INCR) {
      score += cur;
      if (Number.isNaN(score)) return ADD_NAN;
    }
    if ((flags & F_LT && score >= cur) || (flags & F_GT && score <= cur)) return ADD_NOP;
    addedScore = score;
    if (score !== cur) {
      zs.update(member, score);
      return ADD_UPDATED;
    }
    return ADD_SAME;
  }
  if (flags & F_XX) return ADD_NOP;
  if (zs.listpack && (zs.size + 1 > lim.entries || member.length > lim.value)) zs.toSkiplist();
  zs.insert(member, score);
  addedScore = score;
  return ADD_ADDED;
}

function zaddGeneric(ctx: Context, argv: readonly Bytes[], flags: number): Reply {
  const key = argv[1]!;
  let ch = false;
  let idx = 2;
  for (; idx < argv.length; idx++) {
    const o = argv[idx]!;
    if (cEq(o, 'nx')) flags |= F_NX;
    else if (cEq(o, 'xx')) flags |= F_XX;
    else if (cEq(o, 'ch')) ch = true;
    else if (cEq(o, 'incr')) flags |= F_INCR;
    else if (cEq(o, 'gt')) flags |= F_GT;
    else if (cEq(o, 'lt')) flags |= F_LT;
    else break;
  }
  const incr = (flags & F_INCR) !== 0;
  const nx = (flags & F_NX) !== 0;
  const xx = (flags & F_XX) !== 0;
  const gt = (flags & F_GT) !== 0;
  const lt = (flags & F_LT) !== 0;
  const rest = argv.length - idx;
  if (rest % 2 !== 0 || rest === 0) throw Err.syntax();
  const elements = rest / 2;
  if (nx && xx) throw Err.generic('XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) throw Err.generic('GT, LT, and/or NX options at the same time are not compatible');
  if (incr && elements > 1) throw Err.generic('INCR option supports a single increment-element pair');

  const scores: number[] = new Array<number>(elements);
  let maxLen = 0;
  for (let j = 0; j < elements; j++) {
    scores[j] = getDouble(argv[idx + j * 2]!);
    const len = argv[idx + 1 + j * 2]!.length;
    if (len > maxLen) maxLen = len;
  }

  const lim = ctx.engine.zsetLimits;
  const e = ctx.write(key, 'zset');
  let zs: ZSet;
  if (e === undefined) {
    if (xx) return incr ? R.null : R.int(0);
    zs = createZset(lim, elements, maxLen);
    ctx.db.set(key, 'zset', zs, ctx.now);
  } else {
    zs = zsetOf(e);
    if (zs.listpack && (elements > lim.entries || maxLen > lim.value)) zs.toSkiplist();
  }

  let added = 0;
  let updated = 0;
  let processed = 0;
  let nan = false;
  let score = 0;
  for (let j = 0; j < elements; j++) {
    const r = zsetAdd(zs, lim, scores[j]!, argv[idx + 1 + j * 2]!, flags);
    if (r === ADD_NAN) {
      nan = true;
      break;
    }
    if (r === ADD_ADDED) added++;
    else if (r === ADD_UPDATED) updated++;
    if (r !== ADD_NOP) {
      processed++;
      score = addedScore;
    }
  }
  if (!nan) ctx.dirty(added + updated);
  if (added || updated) {
    ctx.modified(key);
    ctx.notify('z', incr ? 'zincr' : 'zadd', key);
  }
  if (nan) throw Err.generic('resulting score is not a number (NaN)');
  if (incr) return processed ? R.double(score) : R.null;
  return R.int(ch ? added + updated : added);
}

// --- ZREM, ZREMRANGEBY* ------------------------------------------------------------------

function zrem(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  const e = ctx.write(key, 'zset');
  if (e === undefined) return R.int(0);
  const zs = zsetOf(e);
  let deleted = 0;
  let removed = false;
  for (let j = 2; j < argv.length; j++) {
    if (zs.delete(argv[j]!)) deleted++;
    if (deleteIfEmpty(ctx, key, zs)) {
      removed = true;
      break;
    }
  }
  if (deleted) {
    ctx.notify('z', 'zrem', key);
    if (removed) ctx.notify('g', 'del', key);
    ctx.modified(key);
    ctx.dirty(deleted);
  }
  return R.int(deleted);
}

type RangeKind = 'rank' | 'score' | 'lex';

function zremrange(ctx: Context, argv: readonly Bytes[], kind: RangeKind): Reply {
  const key = argv[1]!;
  let start = 0;
  let end = 0;
  let srange: ScoreRange | undefined;
  let lrange: LexRange | undefined;
  if (kind === 'rank') {
    start = getLong(argv[2]!);
    end = getLong(argv[3]!);
  } else if (kind === 'score') {
    srange = parseScoreRange(argv[2]!, argv[3]!);
  } else {
    lrange = parseLexRange(argv[2]!, argv[3]!);
  }
  const e = ctx.write(key, 'zset');
  if (e === undefined) return R.int(0);
  const zs = zsetOf(e);
  let deleted: number;
  if (kind === 'rank') {
    const llen = zs.size;
    if (start < 0) start += llen;
    if (end < 0) end += llen;
    if (start < 0) start = 0;
    if (start > end || start >= llen) return R.int(0);
    if (end >= llen) end = llen - 1;
    deleted = zs.deleteRangeByRank(start, end);
  } else if (kind === 'score') {
    deleted = zs.deleteRangeByScore(srange!);
  } else {
    deleted = zs.deleteRangeByLex(lrange!);
  }
  const removed = deleteIfEmpty(ctx, key, zs);
  if (deleted) {
    ctx.modified(key);
    ctx.notify('z', kind === 'rank' ? 'zremrangebyrank' : kind === 'score' ? 'zremrangebyscore' : 'zremrangebylex', key);
    if (removed) ctx.notify('g', 'del', key);
    ctx.dirty(deleted);
  }
  return R.int(deleted);
}

// --- the ZRANGE family ----------------------------------------------------------------------

/** The members (and scores) a range selected, in reply order. */
interface RangeResult {
  members: Bytes[];
  scores: number[];
}

function rankRange(zs: ZSet, start: number, end: number, reverse: boolean): RangeResult {
  const res: RangeResult = { members: [], scores: [] };
  const llen = zs.size;
  if (start < 0) start += llen;
  if (end < 0) end += llen;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return res;
  if (end >= llen) end = llen - 1;
  let n = end - start + 1;
  let x = reverse ? zs.at(llen - 1 - start) : zs.at(start);
  while (n-- > 0 && x !== null) {
    res.members.push(x.member);
    res.scores.push(x.score);
    x = reverse ? x.backward : x.next[0]!;
  }
  return res;
}

/** genericZrangebyscoreCommand / genericZrangebylexCommand: offset, limit, direction. */
function boundedRange(
  zs: ZSet, offset: number, limit: number, reverse: boolean,
  nth: (n: number) => ZNode | null, gteMin: (x: ZNode) => boolean, lteMax: (x: ZNode) => boolean, checkOffset: boolean,
): RangeResult {
  const res: RangeResult = { members: [], scores: [] };
  if (checkOffset && offset > 0 && offset >= zs.size) return res;
  // A listpack skips a negative offset by walking off its end; the skiplist counts it from the other end.
  if (zs.listpack && offset < 0) return res;
  let x = reverse ? nth(-offset - 1) : nth(offset);
  while (x !== null && limit-- !== 0) {
    if (reverse ? !gteMin(x) : !lteMax(x)) break;
    res.members.push(x.member);
    res.scores.push(x.score);
    x = reverse ? x.backward : x.next[0]!;
  }
  return res;
}

/**
 * zrangeGenericCommand: ZRANGE, ZRANGESTORE and the fixed forms. `src` is the
 * index of the source key; `dst` is set for ZRANGESTORE.
 */
function zrangeGeneric(
  ctx: Context, argv: readonly Bytes[], src: number, dst: Bytes | undefined,
  kind: RangeKind | 'auto', dir: 'auto' | 'fwd' | 'rev',
): Reply {
  const store = dst !== undefined;
  let withscores = false;
  let offset = 0;
  let limit = -1;
  for (let j = src + 3; j < argv.length; j++) {
    const a = argv[j]!;
    const left = argv.length - j - 1;
    if (!store && cEq(a, 'withscores')) {
      withscores = true;
    } else if (cEq(a, 'limit') && left >= 2) {
      offset = getLong(argv[j + 1]!);
      limit = getLong(argv[j + 2]!);
      j += 2;
    } else if (dir === 'auto' && cEq(a, 'rev')) {
      dir = 'rev';
    } else if (kind === 'auto' && cEq(a, 'bylex')) {
      kind = 'lex';
    } else if (kind === 'auto' && cEq(a, 'byscore')) {
      kind = 'score';
    } else {
      throw Err.syntax();
    }
  }
  const reverse = dir === 'rev';
  const k: RangeKind = kind === 'auto' ? 'rank' : kind;
  if (limit !== -1 && k === 'rank') throw Err.generic('syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  if (withscores && k === 'lex') throw Err.generic('syntax error, WITHSCORES not supported in combination with BYLEX');
  let minArg = argv[src + 1]!;
  let maxArg = argv[src + 2]!;
  if (reverse && k !== 'rank') [minArg, maxArg] = [maxArg, minArg];

  let start = 0;
  let end = 0;
  let srange: ScoreRange | undefined;
  let lrange: LexRange | undefined;
  if (k === 'rank') {
    start = getLong(minArg);
    end = getLong(maxArg);
  } else if (k === 'score') {
    srange = parseScoreRange(minArg, maxArg);
  } else {
    lrange = parseLexRange(minArg, maxArg);
  }

  const e = ctx.read(argv[src]!);
  if (e === undefined) return store ? storeResult(ctx, dst, null, 'zrangestore') : R.emptyArray;
  if (e.type !== 'zset') throw Err.wrongType();
  const zs = zsetOf(e);
  let res: RangeResult;
  if (k === 'rank') {
    res = rankRange(zs, start, end, reverse);
  } else if (k === 'score') {
    const r = srange!;
    res = boundedRange(zs, offset, limit, reverse, (n) => zs.nthInRange(r, n),
      (x) => scoreGteMin(x.score, r), (x) => scoreLteMax(x.score, r), true);
  } else {
    const r = lrange!;
    res = boundedRange(zs, offset, limit, reverse, (n) => zs.nthInLexRange(r, n),
      (x) => lexGteMin(x.member, r), (x) => lexLteMax(x.member, r), false);
  }
  if (store) {
    if (res.members.length === 0) return storeResult(ctx, dst, null, 'zrangestore');
    const out = new ZSet(false);
    let maxLen = 0;
    for (let i = 0; i < res.members.length; i++) {
      const m = res.members[i]!;
      out.insert(m, res.scores[i]!);
      if (m.length > maxLen) maxLen = m.length;
    }
    // zsetTypeCreate(length) then zsetAdd: a listpack unless the count or a member is too big.
    fitResult(out, ctx.engine.zsetLimits, maxLen);
    return storeResult(ctx, dst, out, 'zrangestore');
  }
  return withscores ? pairsReply(ctx, res.members, res.scores) : R.bulks(res.members);
}

/** setKey of a computed sorted set, or the removal of the destination when the result is empty. */
function storeResult(ctx: Context, dst: Bytes, zs: ZSet | null, event: string): Reply {
  if (zs !== null && zs.size > 0) {
    ctx.write(dst);
    ctx.db.set(dst, 'zset', zs, ctx.now);
    ctx.modified(dst);
    ctx.notify('z', event, dst);
    ctx.dirty();
    return R.int(zs.size);
  }
  if (ctx.db.peek(dst) !== undefined) {
    ctx.db.delete(dst);
    ctx.modified(dst);
    ctx.notify('g', 'del', dst);
    ctx.dirty();
  }
  return R.int(0);
}

// --- ZCOUNT, ZLEXCOUNT, ZCARD, ZSCORE, ZMSCORE, ZRANK ---------------------------------------

function readZset(ctx: Context, key: Bytes): ZSet | undefined {
  const e = ctx.read(key, 'zset');
  return e === undefined ? undefined : zsetOf(e);
}

function zrank(ctx: Context, argv: readonly Bytes[], reverse: boolean): Reply {
  if (argv.length > 4) throw Err.wrongArity(ctx.cmd.fullname);
  let withscore = false;
  if (argv.length > 3) {
    if (cEq(argv[3]!, 'withscore')) withscore = true;
    else throw Err.syntax();
  }
  const zs = readZset(ctx, argv[1]!);
  const miss = withscore ? R.nullArray : R.null;
  if (zs === undefined) return miss;
  const member = argv[2]!;
  const r = zs.rank(member);
  if (r < 0) return miss;
  const rank = reverse ? zs.size - 1 - r : r;
  return withscore ? R.array([R.int(rank), R.double(zs.score(member)!)]) : R.int(rank);
}

// --- pops ------------------------------------------------------------------------------------------

/**
 * genericZpopCommand: pops from the first of `keys` that exists (WRONGTYPE
 * on the first of another type). `count` -1 is the single pop; `emitKey`
 * puts the key name first; `nested` gives [member, score] pairs.
 */
function zpop(
  ctx: Context, keys: readonly Bytes[], max: boolean, emitKey: boolean, count: number, nested: boolean, nilWhenEmpty: boolean,
): Reply {
  let key: Bytes | undefined;
  let e: Entry | undefined;
  for (const k of keys) {
    e = ctx.write(k, 'zset');
    if (e !== undefined) {
      key = k;
      break;
    }
  }
  if (e === undefined || key === undefined) return nilWhenEmpty ? R.nullArray : R.emptyArray;
  if (count === 0) return R.emptyArray;
  if (count === -1) count = 1;
  const zs = zsetOf(e);
  const n = Math.min(count, zs.size);
  if (ctx.cmd.fullname === 'zmpop') ctx.rewrite([max ? 'ZPOPMAX' : 'ZPOPMIN', key, String(n)]);
  const items: Reply[] = [];
  for (let i = 0; i < n; i++) {
    const x = (max ? zs.last() : zs.first())!;
    const member = x.member;
    const score = x.score;
    zs.delete(member);
    ctx.dirty();
    if (nested) items.push(R.array([R.bulk(member), R.double(score)]));
    else items.push(R.bulk(member), R.double(score));
  }
  ctx.notify('z', max ? 'zpopmax' : 'zpopmin', key);
  if (deleteIfEmpty(ctx, key, zs)) ctx.notify('g', 'del', key);
  ctx.modified(key);
  if (!emitKey) return R.array(items);
  if (nested) return R.array([R.bulk(key), R.array(items)]);
  return R.array([R.bulk(key), ...items]);
}

function zpopMinMax(ctx: Context, argv: readonly Bytes[], max: boolean): Reply {
  if (argv.length > 3) throw Err.syntax();
  let count = -1;
  if (argv.length === 3) count = getPositiveLong(argv[2]!, 'value is out of range, must be positive');
  return zpop(ctx, [argv[1]!], max, false, count, ctx.resp > 2 && count !== -1, false);
}

/**
 * blockingGenericZpopCommand: pops at once when one of the keys holds
 * members, else blocks; when a key is signalled ready and holds a sorted set,
 * the command runs again (Valkey re-executes it), keeping its deadline.
 */
function blockingZpop(
  ctx: Context, keys: readonly Bytes[], max: boolean, timeoutArg: Bytes, count: number, nested: boolean,
): HandlerResult {
  const deadline = parseBlockTimeout(ctx, timeoutArg);
  const run = (c: Context): Reply | undefined => {
    for (const k of keys) {
      const e = c.write(k, 'zset');
      if (e === undefined || zsetOf(e).size === 0) continue;
      // Replicated as ZPOPMIN/ZPOPMAX key [count].
      const pop = max ? 'ZPOPMAX' : 'ZPOPMIN';
      c.rewrite(count === -1 ? [pop, k] : [pop, k, String(Math.min(count, zsetOf(e).size))]);
      return zpop(c, [k], max, true, count, nested, nested);
    }
    return undefined;
  };
  const now = run(ctx);
  if (now !== undefined) return now;
  return blockOnKeys(ctx, keys, 'zset', deadline, run);
}

/** ZMPOP / BZMPOP: numkeys, keys, MIN|MAX, [COUNT n]. */
function zmpop(ctx: Context, argv: readonly Bytes[], numkeysIdx: number, block: boolean): HandlerResult {
  const numkeys = getRangeLongExact(argv[numkeysIdx]!, 1n, LONG_MAX, 'numkeys should be greater than 0');
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) throw Err.syntax();
  let max: boolean;
  if (cEq(argv[whereIdx]!, 'min')) max = false;
  else if (cEq(argv[whereIdx]!, 'max')) max = true;
  else throw Err.syntax();
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && cEq(argv[j]!, 'count') && more > 0) {
      j++;
      count = getRangeLongExact(argv[j]!, 1n, LONG_MAX, 'count should be greater than 0');
    } else {
      throw Err.syntax();
    }
  }
  if (count === -1) count = 1;
  const keys = argv.slice(numkeysIdx + 1, numkeysIdx + 1 + numkeys);
  if (block) return blockingZpop(ctx, keys, max, argv[1]!, count, true);
  return zpop(ctx, keys, max, true, count, true, true);
}


/** getRangeLongFromObjectOrReply with exact 64-bit bounds. */
function getRangeLongExactBig(s: Bytes, min: bigint, max: bigint, msg?: string): bigint {
  const v = parseLongLong(s);
  if (v === null || v < min || v > max) {
    if (msg) throw Err.generic(msg);
    if (v === null) throw Err.notInteger();
    throw Err.generic(`value is out of range, value must between ${min} and ${max}`);
  }
  return v;
}

function getRangeLongExact(s: Bytes, min: bigint, max: bigint, msg?: string): number {
  return Number(getRangeLongExactBig(s, min, max, msg));
}

/** ZRANDMEMBER with a negative count: the most members one reply may carry here. */
const MAX_RANDOM_PICKS = 10_000_000;

// --- ZRANDMEMBER -----------------------------------------------------------------------------------

function zrandmember(ctx: Context, argv: readonly Bytes[]): Reply {
  const rng = ctx.engine.rng;
  if (argv.length >= 3) {
    const lb = getRangeLongExactBig(argv[2]!, -LONG_MAX, LONG_MAX);
    let withscores = false;
    if (argv.length > 4 || (argv.length === 4 && !cEq(argv[3]!, 'withscores'))) throw Err.syntax();
    if (argv.length === 4) {
      withscores = true;
      if (lb < -LONG_MAX / 2n || lb > LONG_MAX / 2n) throw Err.generic('value is out of range');
    }
    const zs = readZset(ctx, argv[1]!);
    if (zs === undefined || lb === 0n) return R.emptyArray;
    const l = Number(lb);
    const size = zs.size;
    const picked: ZNode[] = [];
    if (l < 0 || l === 1) {
      // Case 1: with repetition (and a single pick), in random order.
      const count = l < 0 ? -l : 1;
      // Valkey would stream such a reply for ever; a test double refuses rather than exhaust its memory.
      if (count > MAX_RANDOM_PICKS) throw Err.generic(`valkey-double refuses to build a reply of more than ${MAX_RANDOM_PICKS} random members`);
      for (let i = 0; i < count; i++) picked.push(zs.at(rng.int(size))!);
    } else if (l >= size) {
      // Case 2: the whole set, as the iterator walks it (from the highest score down).
      for (let x = zs.last(); x !== null; x = x.backward) picked.push(x);
    } else if (zs.listpack) {
      // Case 2.5: distinct picks in listpack order.
      const chosen = sampleIndexes(size, l, (n) => rng.int(n)).sort((a, b) => a - b);
      for (const i of chosen) picked.push(zs.at(i)!);
    } else {
      // Cases 3 and 4: distinct picks in no particular order.
      for (const i of sampleIndexes(size, l, (n) => rng.int(n))) picked.push(zs.at(i)!);
    }
    if (!withscores) return R.bulks(picked.map((x) => x.member));
    return pairsReply(ctx, picked.map((x) => x.member), picked.map((x) => x.score));
  }
  const zs = readZset(ctx, argv[1]!);
  if (zs === undefined) return R.null;
  return R.bulk(zs.at(rng.int(zs.size))!.member);
}

/** `k` distinct indexes of [0, n), in random order (partial Fisher-Yates over a sparse map). */
function sampleIndexes(n: number, k: number, rand: (n: number) => number): number[] {
  const swapped = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const j = i + rand(n - i);
    const vj = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    out.push(vj);
  }
  return out;
}

// --- ZUNION / ZINTER / ZDIFF and their STORE forms, ZINTERCARD --------------------------------------

/** An input of the set algebra: a sorted set, a set (scores 1) or a missing key. */
interface OpSource {
  key: Bytes;
  zset?: ZSet;
  set?: SetValue;
  weight: number;
}

function sourceSize(s: OpSource): number {
  return s.zset ? s.zset.size : s.set ? s.set.size : 0;
}

/** zuiNext order: a sorted set from its highest score down, a set in its iteration order. */
function forEachIn(s: OpSource, fn: (member: Bytes, score: number) => boolean | void): void {
  if (s.zset) {
    for (let x = s.zset.last(); x !== null; x = x.backward) if (fn(x.member, x.score) === false) return;
  } else if (s.set) {
    for (const m of s.set.members()) if (fn(m, 1) === false) return;
  }
}

/** zuiFind: the member's score in the source, or undefined. */
function findIn(s: OpSource, member: Bytes): number | undefined {
  if (s.zset) return s.zset.score(member);
  if (s.set) return s.set.has(member) ? 1 : undefined;
  return undefined;
}

const AGG_SUM = 0;
const AGG_MIN = 1;
const AGG_MAX = 2;

function aggregate(target: number, val: number, agg: number): number {
  if (agg === AGG_SUM) {
    const r = target + val;
    // +inf + -inf: the convention is 0.
    return Number.isNaN(r) ? 0 : r;
  }
  if (agg === AGG_MIN) return val < target ? val : target;
  return val > target ? val : target;
}

type SetOp = 'union' | 'inter' | 'diff';

function zsetOp(ctx: Context, argv: readonly Bytes[], dst: Bytes | undefined, numkeysIdx: number, op: SetOp, cardOnly: boolean): Reply {
  const setnum = getLong(argv[numkeysIdx]!);
  if (setnum < 1) throw Err.generic(`at least 1 input key is needed for '${ctx.cmd.fullname}' command`);
  if (setnum > argv.length - (numkeysIdx + 1)) throw Err.syntax();
  const srcs: OpSource[] = [];
  let j = numkeysIdx + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const key = argv[j]!;
    const e = ctx.read(key);
    const s: OpSource = { key, weight: 1 };
    if (e !== undefined) {
      if (e.type === 'zset') s.zset = zsetOf(e);
      else if (e.type === 'set') s.set = e.value as SetValue;
      else throw Err.wrongType();
    }
    srcs.push(s);
  }
  let agg = AGG_SUM;
  let withscores = false;
  let limit = 0;
  let remaining = argv.length - j;
  while (remaining > 0) {
    const a = argv[j]!;
    if (op !== 'diff' && !cardOnly && remaining >= setnum + 1 && cEq(a, 'weights')) {
      j++;
      remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) srcs[i]!.weight = getDouble(argv[j]!, 'weight value is not a float');
    } else if (op !== 'diff' && !cardOnly && remaining >= 2 && cEq(a, 'aggregate')) {
      const v = argv[j + 1]!;
      if (cEq(v, 'sum')) agg = AGG_SUM;
      else if (cEq(v, 'min')) agg = AGG_MIN;
      else if (cEq(v, 'max')) agg = AGG_MAX;
      else throw Err.syntax();
      j += 2;
      remaining -= 2;
    } else if (dst === undefined && !cardOnly && cEq(a, 'withscores')) {
      j++;
      remaining--;
      withscores = true;
    } else if (cardOnly && remaining >= 2 && cEq(a, 'limit')) {
      limit = getPositiveLong(argv[j + 1]!, "LIMIT can't be negative");
      j += 2;
      remaining -= 2;
    } else {
      throw Err.syntax();
    }
  }
  // Smallest inputs first (a stable sort, as glibc's merge sort).
  if (op !== 'diff') srcs.sort((x, y) => sourceSize(x) - sourceSize(y));

  const result = new Map<Bytes, number>();
  let cardinality = 0;
  if (op === 'inter') {
    const first = srcs[0]!;
    if (sourceSize(first) > 0) {
      forEachIn(first, (member, s0) => {
        let score = first.weight * s0;
        if (Number.isNaN(score)) score = 0;
        let k = 1;
        for (; k < setnum; k++) {
          const other = srcs[k]!;
          if (other.key === first.key) {
            score = aggregate(score, s0 * other.weight, agg);
          } else {
            const v = findIn(other, member);
            if (v === undefined) break;
            score = aggregate(score, v * other.weight, agg);
          }
        }
        if (k !== setnum) return true;
        if (cardOnly) {
          cardinality++;
          if (limit && cardinality >= limit) return false;
        } else {
          result.set(member, score);
        }
        return true;
      });
    }
  } else if (op === 'union') {
    for (const s of srcs) {
      forEachIn(s, (member, v) => {
        let score = s.weight * v;
        if (Number.isNaN(score)) score = 0;
        const cur = result.get(member);
        result.set(member, cur === undefined ? score : aggregate(cur, score, agg));
      });
    }
  } else {
    const first = srcs[0]!;
    // zsetChooseDiffAlgorithm: the first key given again subtracts everything.
    if (sourceSize(first) > 0 && !srcs.some((s, i) => i > 0 && s.key === first.key)) {
      forEachIn(first, (member, v) => {
        for (let i = 1; i < setnum; i++) if (findIn(srcs[i]!, member) !== undefined) return;
        result.set(member, v);
      });
    }
  }
  if (cardOnly) return R.int(cardinality);

  const out = new ZSet(false);
  let maxLen = 0;
  for (const [m, s] of result) {
    out.insert(m, s);
    if (m.length > maxLen) maxLen = m.length;
  }
  if (dst !== undefined) {
    if (out.size > 0) fitResult(out, ctx.engine.zsetLimits, maxLen);
    return storeResult(ctx, dst, out, op === 'union' ? 'zunionstore' : op === 'inter' ? 'zinterstore' : 'zdiffstore');
  }
  const members: Bytes[] = [];
  const scores: number[] = [];
  for (let x = out.first(); x !== null; x = x.next[0]!) {
    members.push(x.member);
    scores.push(x.score);
  }
  return withscores ? pairsReply(ctx, members, scores) : R.bulks(members);
}

// --- ZSCAN -----------------------------------------------------------------------------------------

/**
 * ld2string(LD_STR_AUTO): "%.17Lg" of the score (as ZSCAN prints skiplist
 * scores): 17 significant digits, trailing zeros dropped, exponent form
 * below 1e-4 and from 1e17.
 */
export function formatG17(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const exp = d.toExponential(16); // d.dddddddddddddddde±x: 17 significant digits, correctly rounded
  const m = /^(-?)(\d)\.(\d+)e([+-]\d+)$/.exec(exp)!;
  const sign = m[1]!;
  const digits = m[2]! + m[3]!;
  const x = Number(m[4]);
  if (x < -4 || x >= 17) {
    const frac = m[3]!.replace(/0+$/, '');
    const ex = Math.abs(x);
    return `${sign}${m[2]}${frac ? '.' + frac : ''}e${x < 0 ? '-' : '+'}${ex < 10 ? '0' + ex : ex}`;
  }
  let s: string;
  if (x >= 0) {
    const int = digits.slice(0, x + 1);
    const frac = digits.slice(x + 1).replace(/0+$/, '');
    s = frac ? `${int}.${frac}` : int;
  } else {
    const frac = ('0'.repeat(-x - 1) + digits).replace(/0+$/, '');
    s = `0.${frac}`;
  }
  return sign + s;
}

/** A member's place in the skiplist's SCAN order (a 32-bit FNV-1a hash, plus one so 0 starts). */
function scanSlot(m: Bytes): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < m.length; i++) {
    h ^= m.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) + 1;
}

function zscan(ctx: Context, argv: readonly Bytes[]): Reply {
  const cursor = parseScanCursor(argv[2]!);
  if (cursor === null) throw Err.generic('invalid cursor');
  const zs = readZset(ctx, argv[1]!);
  if (zs === undefined) return R.array([R.bulk('0'), R.emptyArray]);
  const { count, pattern, onlyKeys: noscores } = parseScanOptions(argv, 3, 'zset');
  const out: Reply[] = [];
  if (zs.listpack) {
    // Everything in one call, in order, scores as the listpack stores them.
    for (let x = zs.first(); x !== null; x = x.next[0]!) {
      if (pattern !== undefined && !globMatch(pattern, x.member)) continue;
      out.push(R.bulk(x.member));
      if (!noscores) out.push(R.bulk(formatDouble(x.score)));
    }
    return R.array([R.bulk('0'), R.array(out)]);
  }
  // A hash-ordered walk: members keep their place whatever changes, so a
  // member present throughout a scan is returned exactly once.
  const from = cursor > 0xffffffffn ? Infinity : Number(cursor);
  const slots: { slot: number; node: ZNode }[] = [];
  for (let x = zs.first(); x !== null; x = x.next[0]!) {
    const slot = scanSlot(x.member);
    if (slot >= from) slots.push({ slot, node: x });
  }
  slots.sort((a, b) => a.slot - b.slot || (a.node.member < b.node.member ? -1 : 1));
  let next = 0;
  let visited = 0;
  for (let i = 0; i < slots.length; i++) {
    const { slot, node } = slots[i]!;
    if (visited >= count && slot !== slots[i - 1]!.slot) {
      next = slot;
      break;
    }
    visited++;
    if (pattern !== undefined && !globMatch(pattern, node.member)) continue;
    out.push(R.bulk(node.member));
    if (!noscores) out.push(R.bulk(formatG17(node.score)));
  }
  return R.array([R.bulk(String(next)), R.array(out)]);
}

// --- the group -----------------------------------------------------------------------------------------

export const zsetCommands: CommandGroup = {
  zadd: (ctx, argv) => zaddGeneric(ctx, argv, 0),
  zincrby: (ctx, argv) => zaddGeneric(ctx, argv, F_INCR),
  zrem,
  zremrangebyrank: (ctx, argv) => zremrange(ctx, argv, 'rank'),
  zremrangebyscore: (ctx, argv) => zremrange(ctx, argv, 'score'),
  zremrangebylex: (ctx, argv) => zremrange(ctx, argv, 'lex'),

  zcard(ctx, argv) {
    const zs = readZset(ctx, argv[1]!);
    return R.int(zs === undefined ? 0 : zs.size);
  },
  zcount(ctx, argv) {
    const r = parseScoreRange(argv[2]!, argv[3]!);
    const zs = readZset(ctx, argv[1]!);
    return R.int(zs === undefined ? 0 : zs.countInRange(r));
  },
  zlexcount(ctx, argv) {
    const r = parseLexRange(argv[2]!, argv[3]!);
    const zs = readZset(ctx, argv[1]!);
    return R.int(zs === undefined ? 0 : zs.countInLexRange(r));
  },
  zscore(ctx, argv) {
    const zs = readZset(ctx, argv[1]!);
    const s = zs?.score(argv[2]!);
    return s === undefined ? R.null : R.double(s);
  },
  zmscore(ctx, argv) {
    const zs = readZset(ctx, argv[1]!);
    const out: Reply[] = [];
    for (let j = 2; j < argv.length; j++) {
      const s = zs?.score(argv[j]!);
      out.push(s === undefined ? R.null : R.double(s));
    }
    return R.array(out);
  },
  zrank: (ctx, argv) => zrank(ctx, argv, false),
  zrevrank: (ctx, argv) => zrank(ctx, argv, true),

  zrange: (ctx, argv) => zrangeGeneric(ctx, argv, 1, undefined, 'auto', 'auto'),
  zrangestore: (ctx, argv) => zrangeGeneric(ctx, argv, 2, argv[1]!, 'auto', 'auto'),
  zrevrange: (ctx, argv) => zrangeGeneric(ctx, argv, 1, undefined, 'rank', 'rev'),
  zrangebyscore: (ctx, argv) => zrangeGeneric(ctx, argv, 1, undefined, 'score', 'fwd'),
  zrevrangebyscore: (ctx, argv) => zrangeGeneric(ctx, argv, 1, undefined, 'score', 'rev'),
  zrangebylex: (ctx, argv) => zrangeGeneric(ctx, argv, 1, undefined, 'lex', 'fwd'),
  zrevrangebylex: (ctx, argv) => zrangeGeneric(ctx, argv, 1, undefined, 'lex', 'rev'),

  zpopmin: (ctx, argv) => zpopMinMax(ctx, argv, false),
  zpopmax: (ctx, argv) => zpopMinMax(ctx, argv, true),
  zmpop: (ctx, argv) => zmpop(ctx, argv, 1, false),
  bzpopmin: (ctx, argv) => blockingZpop(ctx, argv.slice(1, -1), false, argv[argv.length - 1]!, -1, false),
  bzpopmax: (ctx, argv) => blockingZpop(ctx, argv.slice(1, -1), true, argv[argv.length - 1]!, -1, false),
  bzmpop: (ctx, argv) => zmpop(ctx, argv, 2, true),

  zrandmember,

  zunion: (ctx, argv) => zsetOp(ctx, argv, undefined, 1, 'union', false),
  zinter: (ctx, argv) => zsetOp(ctx, argv, undefined, 1, 'inter', false),
  zdiff: (ctx, argv) => zsetOp(ctx, argv, undefined, 1, 'diff', false),
  zintercard: (ctx, argv) => zsetOp(ctx, argv, undefined, 1, 'inter', true),
  zunionstore: (ctx, argv) => zsetOp(ctx, argv, argv[1]!, 2, 'union', false),
  zinterstore: (ctx, argv) => zsetOp(ctx, argv, argv[1]!, 2, 'inter', false),
  zdiffstore: (ctx, argv) => zsetOp(ctx, argv, argv[1]!, 2, 'diff', false),

  zscan,
};
