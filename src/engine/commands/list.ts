/**
 * The list command group (t_list.c of Valkey 9.1.2): LPUSH, RPUSH, LPUSHX,
 * RPUSHX, LINSERT, LLEN, LINDEX, LSET, LPOP, RPOP, LMPOP, LRANGE, LTRIM,
 * LPOS, LREM, LMOVE, RPOPLPUSH, and the blocking BLPOP, BRPOP, BLMPOP,
 * BLMOVE, BRPOPLPUSH.
 *
 * Layout and encoding conversions live in types/list.ts; this file follows
 * each command's order of argument parsing, lookups, type checks, replies,
 * keyspace events, WATCH signals and dirty counts.
 *
 * Blocking (blocked.c): a client that finds nothing blocks on its keys. When
 * one of them is signalled ready and holds a list, the client's command runs
 * again from the start (Valkey re-executes it), so it pops from the first
 * non-empty key in its own order, or answers an error (WRONGTYPE of a
 * destination). Clients are served in the order they blocked; the timeout
 * reply is a null array; inside EXEC the commands answer at once.
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { getLong, getPositiveLong, isToken, LLONG_MIN, parseLongLong } from '../args.js';
import { blockOnKeys, parseBlockTimeout } from '../blocking.js';
import type { CommandGroup, HandlerResult } from '../command.js';
import { Context } from '../context.js';
import { Err } from '../errors.js';
import { isIntEncodable } from '../keyspace/keyspace.js';
import { ListValue, type Where } from '../types/list.js';

// --- helpers ----------------------------------------------------------------

/** list-max-listpack-size, read when a list may change encoding. */
function listFill(ctx: Context): number {
  return ctx.engine.config.getInt('list-max-listpack-size');
}

/**
 * Before `count` elements of `bytes` bytes go into `list`: the listpack
 * becomes a quicklist if they would not fit (listTypeTryConversionAppend),
 * and the engine's packed threshold (DEBUG QUICKLIST-PACKED-THRESHOLD)
 * decides which elements get plain nodes.
 */
function beforeInsert(ctx: Context, list: ListValue, bytes: number, count: number): void {
  list.packedThreshold = ctx.engine.debugFlags.packedThreshold;
  list.tryConvertGrowing(bytes, count, listFill(ctx));
}

/** getListPositionFromObjectOrReply: LEFT or RIGHT. */
function parsePosition(arg: Bytes): Where {
  if (isToken(arg, 'RIGHT')) return 'tail';
  if (isToken(arg, 'LEFT')) return 'head';
  throw Err.syntax();
}

/** getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX) without a message (LREM count, LPOS RANK). */
function getSymmetricLong(arg: Bytes): number {
  const v = parseLongLong(arg);
  if (v === null) throw Err.notInteger();
  if (v === LLONG_MIN) throw Err.generic('value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  return Number(v);
}

/**
 * listElementsRemoved: the event (lpop, rpop, lrem), the key's deletion when the list is
 * empty (or a shrinking conversion), WATCH, dirty.
 */
function elementsRemoved(ctx: Context, key: Bytes, event: string, list: ListValue, count: number): void {
  ctx.notify('l', event, key);
  dropIfEmpty(ctx, key, list);
  ctx.modified(key);
  ctx.dirty(count);
}

/** After elements left a list: delete the key when it is empty ('del'), else maybe convert back to a listpack. */
function dropIfEmpty(ctx: Context, key: Bytes, list: ListValue): void {
  if (list.length === 0) {
    ctx.db.delete(key);
    ctx.notify('g', 'del', key);
  } else {
    list.tryConvertShrinking(listFill(ctx));
  }
}

const popEvent = (w: Where): string => (w === 'head' ? 'lpop' : 'rpop');

/** A new empty list under `key` (dbAdd: the 'new' event). */
function createList(ctx: Context, key: Bytes): ListValue {
  const list = new ListValue();
  ctx.db.set(key, 'list', list, ctx.now);
  return list;
}

/** Blocking is denied (inside EXEC, scripts): answer as on timeout. */
function denied(ctx: Context): boolean {
  return ctx.inExec || ctx.client.denyBlocking;
}

// --- push -------------------------------------------------------------------

/** pushGenericCommand: LPUSH/RPUSH, and with `xx` LPUSHX/RPUSHX. */
function push(ctx: Context, argv: readonly Bytes[], w: Where, xx: boolean): Reply {
  const key = argv[1]!;
  const e = ctx.write(key, 'list');
  let list: ListValue;
  if (e === undefined) {
    if (xx) return R.int(0);
    list = createList(ctx, key);
  } else {
    list = e.value as ListValue;
  }
  let bytes = 0;
  for (let j = 2; j < argv.length; j++) bytes += argv[j]!.length;
  beforeInsert(ctx, list, bytes, argv.length - 2);
  for (let j = 2; j < argv.length; j++) list.push(argv[j]!, w);
  ctx.dirty(argv.length - 2);
  ctx.modified(key);
  ctx.notify('l', w === 'head' ? 'lpush' : 'rpush', key);
  return R.int(list.length);
}

// --- pop ----------------------------------------------------------------------

/** popGenericCommand: LPOP/RPOP [count]. */
function pop(ctx: Context, argv: readonly Bytes[], w: Where): Reply {
  if (argv.length > 3) throw Err.wrongArity(ctx.cmd.fullname);
  const hasCount = argv.length === 3;
  const count = hasCount ? getPositiveLong(argv[2]!) : 0;
  const key = argv[1]!;
  const e = ctx.write(key, 'list');
  if (e === undefined) return hasCount ? R.nullArray : R.null;
  const list = e.value as ListValue;
  if (hasCount && count === 0) return R.emptyArray;
  if (!hasCount) {
    const v = list.pop(w)!;
    elementsRemoved(ctx, key, popEvent(w), list, 1);
    return R.bulk(v);
  }
  const items = list.popMany(w, count);
  elementsRemoved(ctx, key, popEvent(w), list, items.length);
  return R.bulks(items);
}

/** listPopRangeAndReplyWithKey: [key, [elements]]. */
function popRangeWithKey(ctx: Context, key: Bytes, list: ListValue, w: Where, count: number): Reply {
  const items = list.popMany(w, count);
  elementsRemoved(ctx, key, popEvent(w), list, items.length);
  return R.array([R.bulk(key), R.bulks(items)]);
}

/**
 * The non-blocking part of blockingPopGenericCommand (and mpopGenericCommand):
 * pops from the first non-empty key; count -1 is BLPOP's single element.
 * Undefined when every key is empty or missing.
 */
function popFirst(ctx: Context, keys: readonly Bytes[], w: Where, count: number): Reply | undefined {
  for (const key of keys) {
    const e = ctx.write(key, 'list');
    if (e === undefined) continue;
    const list = e.value as ListValue;
    if (list.length === 0) continue;
    const pop = w === 'head' ? 'LPOP' : 'RPOP';
    if (count !== -1) {
      // Replicated as [LR]POP key count.
      ctx.rewrite([pop, key, String(Math.min(count, list.length))]);
      return popRangeWithKey(ctx, key, list, w, count);
    }
    const v = list.pop(w)!;
    elementsRemoved(ctx, key, popEvent(w), list, 1);
    ctx.rewrite([pop, key]);
    return R.array([R.bulk(key), R.bulk(v)]);
  }
  return undefined;
}

/** BLPOP/BRPOP/BLMPOP once their arguments are parsed. */
function blockingPop(ctx: Context, keys: readonly Bytes[], w: Where, timeoutArg: Bytes, count: number): HandlerResult {
  const deadline = parseBlockTimeout(ctx, timeoutArg);
  const r = popFirst(ctx, keys, w, count);
  if (r !== undefined) return r;
  if (denied(ctx)) return R.nullArray;
  return blockOnKeys(ctx, keys, 'list', deadline, (c) => popFirst(c, keys, w, count));
}

/** lmpopGenericCommand's parsing: numkeys, the keys, LEFT|RIGHT, [COUNT n]. */
function parseMpop(argv: readonly Bytes[], numkeysIdx: number): { keys: Bytes[]; w: Where; count: number } {
  const nk = parseLongLong(argv[numkeysIdx]!);
  if (nk === null || nk < 1n) throw Err.generic('numkeys should be greater than 0');
  if (BigInt(numkeysIdx + 1) + nk >= BigInt(argv.length)) throw Err.syntax();
  const whereIdx = numkeysIdx + Number(nk) + 1;
  const w = parsePosition(argv[whereIdx]!);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && isToken(argv[j], 'COUNT') && j + 1 < argv.length) {
      const c = parseLongLong(argv[++j]!);
      if (c === null || c < 1n) throw Err.generic('count should be greater than 0');
      count = Number(c);
    } else {
      throw Err.syntax();
    }
  }
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), w, count: count === -1 ? 1 : count };
}

// --- move -------------------------------------------------------------------

/**
 * lmoveGenericCommand: pops from the source (which exists), pushes to the
 * destination, replies with the element. The destination's type is checked
 * before anything changes.
 */
function lmove(ctx: Context, srcKey: Bytes, src: ListValue, dstKey: Bytes, from: Where, to: Where): Reply {
  const de = ctx.write(dstKey, 'list');
  // An integer popped from a quicklist is an int-encoded object: its length does not count toward the conversion.
  const srcWasQuicklist = src.encoding === 'quicklist';
  const v = src.pop(from)!;
  const addBytes = srcWasQuicklist && isIntEncodable(v) ? 0 : v.length;
  // lmoveHandlePush
  const dst = de === undefined ? createList(ctx, dstKey) : (de.value as ListValue);
  beforeInsert(ctx, dst, addBytes, 1);
  dst.push(v, to);
  ctx.modified(dstKey);
  ctx.notify('l', to === 'head' ? 'lpush' : 'rpush', dstKey);
  elementsRemoved(ctx, srcKey, popEvent(from), src, 1);
  return R.bulk(v);
}

function lmoveCommand(ctx: Context, argv: readonly Bytes[], from: Where, to: Where): Reply {
  const e = ctx.write(argv[1]!, 'list');
  if (e === undefined) return R.null;
  return lmove(ctx, argv[1]!, e.value as ListValue, argv[2]!, from, to);
}

/** blmoveGenericCommand: LMOVE when the source exists, else block on it. */
function blmove(ctx: Context, argv: readonly Bytes[], from: Where, to: Where, deadline: number): HandlerResult {
  const attempt = (c: Context): Reply | undefined => {
    const e = c.write(argv[1]!, 'list');
    if (e === undefined) return undefined;
    // Replicated as LMOVE / RPOPLPUSH.
    c.rewrite(argv.length === 6 ? ['LMOVE', argv[1]!, argv[2]!, argv[3]!, argv[4]!] : ['RPOPLPUSH', argv[1]!, argv[2]!]);
    return lmove(c, argv[1]!, e.value as ListValue, argv[2]!, from, to);
  };
  const r = attempt(ctx);
  if (r !== undefined) return r;
  if (denied(ctx)) return R.null;
  return blockOnKeys(ctx, [argv[1]!], 'list', deadline, attempt);
}

// --- the commands -------------------------------------------------------------

export const listCommands: CommandGroup = {
  lpush: (ctx, argv) => push(ctx, argv, 'head', false),
  rpush: (ctx, argv) => push(ctx, argv, 'tail', false),
  lpushx: (ctx, argv) => push(ctx, argv, 'head', true),
  rpushx: (ctx, argv) => push(ctx, argv, 'tail', true),

  linsert(ctx, argv) {
    let after: boolean;
    if (isToken(argv[2], 'AFTER')) after = true;
    else if (isToken(argv[2], 'BEFORE')) after = false;
    else throw Err.syntax();
    const key = argv[1]!;
    const e = ctx.write(key, 'list');
    if (e === undefined) return R.int(0);
    const list = e.value as ListValue;
    // Converted first, as if the element will be inserted.
    beforeInsert(ctx, list, argv[4]!.length, 1);
    if (!list.insert(argv[3]!, argv[4]!, after)) return R.int(-1);
    ctx.modified(key);
    ctx.notify('l', 'linsert', key);
    ctx.dirty();
    return R.int(list.length);
  },

  llen(ctx, argv) {
    const e = ctx.read(argv[1]!, 'list');
    return R.int(e === undefined ? 0 : (e.value as ListValue).length);
  },

  lindex(ctx, argv) {
    const e = ctx.read(argv[1]!, 'list');
    if (e === undefined) return R.null;
    const index = getLong(argv[2]!);
    return R.bulkOrNull((e.value as ListValue).get(index));
  },

  lset(ctx, argv) {
    const key = argv[1]!;
    const e = ctx.write(key, 'list');
    if (e === undefined) throw Err.noSuchKey();
    const index = getLong(argv[2]!);
    const list = e.value as ListValue;
    beforeInsert(ctx, list, argv[3]!.length, 1);
    if (!list.set(index, argv[3]!)) throw Err.indexOutOfRange();
    list.tryConvertShrinking(listFill(ctx));
    ctx.modified(key);
    ctx.notify('l', 'lset', key);
    ctx.dirty();
    return R.ok;
  },

  lpop: (ctx, argv) => pop(ctx, argv, 'head'),
  rpop: (ctx, argv) => pop(ctx, argv, 'tail'),

  lmpop(ctx, argv) {
    const { keys, w, count } = parseMpop(argv, 1);
    for (const key of keys) {
      const e = ctx.write(key, 'list');
      if (e === undefined) continue;
      const list = e.value as ListValue;
      if (list.length === 0) continue;
      ctx.rewrite([w === 'head' ? 'LPOP' : 'RPOP', key, String(Math.min(count, list.length))]);
      return popRangeWithKey(ctx, key, list, w, count);
    }
    return R.nullArray;
  },

  lrange(ctx, argv) {
    let start = getLong(argv[2]!);
    let end = getLong(argv[3]!);
    const e = ctx.read(argv[1]!, 'list');
    if (e === undefined) return R.emptyArray;
    const list = e.value as ListValue;
    const llen = list.length;
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) return R.emptyArray;
    if (end >= llen) end = llen - 1;
    return R.bulks(list.range(start, end));
  },

  ltrim(ctx, argv) {
    let start = getLong(argv[2]!);
    let end = getLong(argv[3]!);
    const key = argv[1]!;
    const e = ctx.write(key, 'list');
    if (e === undefined) return R.ok;
    const list = e.value as ListValue;
    const llen = list.length;
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    let ltrim: number;
    let rtrim: number;
    if (start > end || start >= llen) {
      ltrim = llen;
      rtrim = 0;
    } else {
      if (end >= llen) end = llen - 1;
      ltrim = start;
      rtrim = llen - end - 1;
    }
    list.deleteRange(0, ltrim);
    list.deleteRange(list.length - rtrim, rtrim);
    ctx.notify('l', 'ltrim', key);
    dropIfEmpty(ctx, key, list);
    const total = ltrim + rtrim;
    if (total) ctx.modified(key);
    ctx.dirty(total);
    return R.ok;
  },

  lpos(ctx, argv) {
    const ele = argv[2]!;
    let rank = 1;
    let count = -1;
    let maxlen = 0;
    for (let j = 3; j < argv.length; j++) {
      const opt = argv[j]!;
      const more = j + 1 < argv.length;
      if (isToken(opt, 'RANK') && more) {
        rank = getSymmetricLong(argv[++j]!);
        if (rank === 0) {
          throw Err.generic("RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
        }
      } else if (isToken(opt, 'COUNT') && more) {
        count = getPositiveLong(argv[++j]!, "COUNT can't be negative");
      } else if (isToken(opt, 'MAXLEN') && more) {
        maxlen = getPositiveLong(argv[++j]!, "MAXLEN can't be negative");
      } else {
        throw Err.syntax();
      }
    }
    const fromTail = rank < 0;
    if (fromTail) rank = -rank;
    const e = ctx.read(argv[1]!, 'list');
    if (e === undefined) return count !== -1 ? R.emptyArray : R.null;
    const list = e.value as ListValue;
    const llen = list.length;
    const found: Reply[] = [];
    let matches = 0;
    let matchIndex = -1;
    list.scan(fromTail, (v, index) => {
      if (maxlen !== 0 && index >= maxlen) return true;
      if (v === ele) {
        matches++;
        matchIndex = fromTail ? llen - index - 1 : index;
        if (matches >= rank) {
          if (count === -1) return true;
          found.push(R.int(matchIndex));
          if (count !== 0 && matches - rank + 1 >= count) return true;
        }
      }
      matchIndex = -1;
      return false;
    });
    if (count !== -1) return R.array(found);
    return matchIndex !== -1 ? R.int(matchIndex) : R.null;
  },

  lrem(ctx, argv) {
    let toRemove = getSymmetricLong(argv[2]!);
    const key = argv[1]!;
    const e = ctx.write(key, 'list');
    if (e === undefined) return R.int(0);
    const list = e.value as ListValue;
    const fromTail = toRemove < 0;
    if (fromTail) toRemove = -toRemove;
    const removed = list.remove(argv[3]!, toRemove, fromTail);
    if (removed) elementsRemoved(ctx, key, 'lrem', list, removed);
    return R.int(removed);
  },

  lmove(ctx, argv) {
    const from = parsePosition(argv[3]!);
    const to = parsePosition(argv[4]!);
    return lmoveCommand(ctx, argv, from, to);
  },

  rpoplpush: (ctx, argv) => lmoveCommand(ctx, argv, 'tail', 'head'),

  blpop: (ctx, argv) => blockingPop(ctx, argv.slice(1, -1), 'head', argv[argv.length - 1]!, -1),
  brpop: (ctx, argv) => blockingPop(ctx, argv.slice(1, -1), 'tail', argv[argv.length - 1]!, -1),

  blmpop(ctx, argv) {
    const { keys, w, count } = parseMpop(argv, 2);
    return blockingPop(ctx, keys, w, argv[1]!, count);
  },

  blmove(ctx, argv) {
    const from = parsePosition(argv[3]!);
    const to = parsePosition(argv[4]!);
    const deadline = parseBlockTimeout(ctx, argv[5]!);
    return blmove(ctx, argv, from, to, deadline);
  },

  brpoplpush(ctx, argv) {
    const deadline = parseBlockTimeout(ctx, argv[3]!);
    return blmove(ctx, argv, 'tail', 'head', deadline);
  },
};
