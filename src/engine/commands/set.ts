/**
 * The set command group (t_set.c of Valkey 9.1.2): SADD, SREM, SCARD,
 * SISMEMBER, SMISMEMBER, SMEMBERS, SRANDMEMBER, SPOP, SMOVE, SINTER,
 * SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE, SSCAN.
 *
 * Encodings and their conversions live in types/set.ts; this file follows
 * the commands' order of lookups, type checks, replies, keyspace events,
 * WATCH signals and dirty counts. Randomness comes from the engine's rng.
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { getPositiveLong, LLONG_MIN, parseLongLong } from '../args.js';
import type { CommandGroup } from '../command.js';
import type { Context } from '../context.js';
import { Err } from '../errors.js';
import { parseScanOptions } from '../scan.js';
import { globMatch } from '../keyspace/glob.js';
import { isIntEncodable } from '../keyspace/keyspace.js';
import { SetValue, type RandInt } from '../types/set.js';
import { cEq } from '../types/string.js';
import { parseScanCursor } from './generic.js';

// --- helpers ----------------------------------------------------------------

const bulks = (ms: readonly Bytes[]): Reply[] => ms.map((m) => R.bulk(m));
/** shared.emptyset: `*0` in RESP2, `~0` in RESP3. */
const EMPTY_SET: Reply = R.set([]);
/** shared.emptyscan. */
const EMPTY_SCAN: Reply = R.array([R.bulk('0'), R.emptyArray]);

function randInt(ctx: Context): RandInt {
  const rng = ctx.engine.rng;
  return (n: number) => rng.int(n);
}

/** lookupKeyRead + checkType: the set at `key`, or undefined when missing. */
function readSet(ctx: Context, key: Bytes): SetValue | undefined {
  return ctx.read(key, 'set')?.value as SetValue | undefined;
}

/** setKey of a STORE command's result, with its event; the reply is the result's size. */
function storeResult(ctx: Context, dst: Bytes, value: SetValue, event: string): Reply {
  ctx.write(dst); // setKey's lookupKeyWrite: an expired destination goes first
  ctx.db.set(dst, 'set', value, ctx.now);
  ctx.modified(dst);
  ctx.notify('s', event, dst);
  ctx.dirty();
  return R.int(value.size);
}

/** An empty STORE result deletes the destination. */
function storeEmpty(ctx: Context, dst: Bytes): Reply {
  if (ctx.db.delete(dst)) {
    ctx.modified(dst);
    ctx.notify('g', 'del', dst);
    ctx.dirty();
  }
  return R.int(0);
}

// --- SADD, SREM, SMOVE ------------------------------------------------------

function sadd(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  const lim = ctx.engine.setLimits;
  const e = ctx.write(key, 'set');
  let set: SetValue;
  if (e === undefined) {
    set = SetValue.create(argv[2]!, argv.length - 2, lim);
    ctx.db.set(key, 'set', set, ctx.now);
  } else {
    set = e.value as SetValue;
    set.maybeConvert(argv.length - 2, lim);
  }
  let added = 0;
  for (let j = 2; j < argv.length; j++) if (set.add(argv[j]!, lim)) added++;
  if (added > 0) {
    ctx.modified(key);
    ctx.notify('s', 'sadd', key);
    ctx.dirty(added);
  }
  return R.int(added);
}

function srem(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  const e = ctx.write(key, 'set');
  if (e === undefined) return R.int(0);
  const set = e.value as SetValue;
  let deleted = 0;
  let removed = false;
  for (let j = 2; j < argv.length; j++) {
    if (!set.remove(argv[j]!)) continue;
    deleted++;
    if (set.size === 0) {
      ctx.db.delete(key);
      removed = true;
      break;
    }
  }
  if (deleted > 0) {
    ctx.modified(key);
    ctx.notify('s', 'srem', key);
    if (removed) ctx.notify('g', 'del', key);
    ctx.dirty(deleted);
  }
  return R.int(deleted);
}

function smove(ctx: Context, argv: readonly Bytes[]): Reply {
  const srcKey = argv[1]!;
  const dstKey = argv[2]!;
  const member = argv[3]!;
  const src = ctx.write(srcKey);
  const dst = ctx.write(dstKey);
  if (src === undefined) return R.int(0);
  if (src.type !== 'set' || (dst !== undefined && dst.type !== 'set')) throw Err.wrongType();
  const srcSet = src.value as SetValue;
  if (src === dst) return R.int(srcSet.has(member) ? 1 : 0);
  if (!srcSet.remove(member)) return R.int(0);
  ctx.notify('s', 'srem', srcKey);
  if (srcSet.size === 0) {
    ctx.db.delete(srcKey);
    ctx.notify('g', 'del', srcKey);
  }
  const lim = ctx.engine.setLimits;
  let dstSet: SetValue;
  if (dst === undefined) {
    dstSet = SetValue.create(member, 1, lim);
    ctx.db.set(dstKey, 'set', dstSet, ctx.now);
  } else {
    dstSet = dst.value as SetValue;
  }
  ctx.modified(srcKey);
  ctx.dirty();
  if (dstSet.add(member, lim)) {
    ctx.dirty();
    ctx.modified(dstKey);
    ctx.notify('s', 'sadd', dstKey);
  }
  return R.int(1);
}

// --- SISMEMBER, SMISMEMBER, SCARD -------------------------------------------

function sismember(ctx: Context, argv: readonly Bytes[]): Reply {
  const set = readSet(ctx, argv[1]!);
  return R.int(set !== undefined && set.has(argv[2]!) ? 1 : 0);
}

function smismember(ctx: Context, argv: readonly Bytes[]): Reply {
  const set = readSet(ctx, argv[1]!);
  const out: Reply[] = [];
  for (let j = 2; j < argv.length; j++) out.push(R.int(set !== undefined && set.has(argv[j]!) ? 1 : 0));
  return R.array(out);
}

function scard(ctx: Context, argv: readonly Bytes[]): Reply {
  const set = readSet(ctx, argv[1]!);
  return R.int(set === undefined ? 0 : set.size);
}

// --- SPOP, SRANDMEMBER ------------------------------------------------------

/** SPOP_MOVE_STRATEGY_MUL */
const SPOP_MOVE_STRATEGY_MUL = 5;

function spop(ctx: Context, argv: readonly Bytes[]): Reply {
  if (argv.length === 3) return spopWithCount(ctx, argv);
  if (argv.length > 3) throw Err.syntax();
  const key = argv[1]!;
  const e = ctx.write(key, 'set');
  if (e === undefined) return R.null;
  const set = e.value as SetValue;
  const member = set.popRandom(randInt(ctx));
  ctx.notify('s', 'spop', key);
  if (set.size === 0) {
    ctx.db.delete(key);
    ctx.notify('g', 'del', key);
  }
  ctx.modified(key);
  ctx.dirty();
  ctx.rewrite(['SREM', key, member]);
  return R.bulk(member);
}

function spopWithCount(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  const count = getPositiveLong(argv[2]!);
  const e = ctx.write(key, 'set');
  if (e === undefined || count === 0) return EMPTY_SET;
  const set = e.value as SetValue;
  const size = set.size;
  const rand = randInt(ctx);
  ctx.notify('s', 'spop', key);
  ctx.dirty(count >= size ? size : count);

  // Case 1: the whole set, as SUNION of the key would reply it; the key goes.
  if (count >= size) {
    const reply = sunionDiff(ctx, [key], undefined, false);
    ctx.db.delete(key);
    ctx.notify('g', 'del', key);
    ctx.modified(key);
    ctx.rewrite([ctx.engine.config.getBool('lazyfree-lazy-server-del') ? 'UNLINK' : 'DEL', key]);
    return reply;
  }

  const remaining = size - count;
  let out: Bytes[];
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    // Case 2: pop `count` random members.
    if (set.enc === 'listpack') {
      const all = set.members();
      const picked = SetValue.orderedSample(size, count, rand);
      out = picked.map((p) => all[p]!);
      set.removePositions(picked);
    } else {
      out = [];
      for (let i = 0; i < count; i++) out.push(set.popRandom(rand));
    }
  } else {
    // Case 3: pick the members that stay into a new set; reply with the rest of the old one.
    const lim = ctx.engine.setLimits;
    let next: SetValue;
    if (set.enc === 'listpack') {
      next = SetValue.empty('listpack');
      const all = set.members();
      const kept = SetValue.orderedSample(size, remaining, rand);
      for (const p of kept) next.add(all[p]!, lim);
      set.removePositions(kept);
    } else {
      next = SetValue.empty(set.enc === 'intset' ? 'intset' : 'listpack');
      for (let i = 0; i < remaining; i++) next.add(set.popRandom(rand), lim);
    }
    out = set.members();
    e.value = next;
  }
  ctx.modified(key);
  // Replicas get the popped members as SREM commands of at most 1024 members each.
  for (let i = 0; i < out.length; i += 1024) ctx.alsoPropagate(['SREM', key, ...out.slice(i, i + 1024)]);
  ctx.preventPropagation();
  return R.set(bulks(out));
}

function srandmember(ctx: Context, argv: readonly Bytes[]): Reply {
  if (argv.length === 3) return srandmemberWithCount(ctx, argv);
  if (argv.length > 3) throw Err.syntax();
  const set = readSet(ctx, argv[1]!);
  if (set === undefined) return R.null;
  return R.bulk(set.random(randInt(ctx)));
}

function srandmemberWithCount(ctx: Context, argv: readonly Bytes[]): Reply {
  const l = parseLongLong(argv[2]!);
  if (l === null) throw Err.notInteger();
  if (l === LLONG_MIN) throw Err.generic('value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  const uniq = l >= 0n;
  const count = Number(uniq ? l : -l);
  const set = readSet(ctx, argv[1]!);
  if (set === undefined || count === 0) return R.emptyArray;
  const size = set.size;
  const rand = randInt(ctx);

  // Case 1: a negative count (or 1): independent picks, repeats allowed.
  if (!uniq || count === 1) {
    const out: Reply[] = [];
    for (let i = 0; i < count; i++) out.push(R.bulk(set.random(rand)));
    return R.array(out);
  }
  // Case 2: the whole set, in its order.
  if (count >= size) return R.array(bulks(set.members()));
  const all = set.members();
  // Case 2.5: a listpack samples distinct members in set order.
  if (set.enc === 'listpack') return R.array(SetValue.orderedSample(size, count, rand).map((p) => R.bulk(all[p]!)));
  // Cases 3 and 4: distinct random members in no defined order.
  for (let i = 0; i < count; i++) {
    const j = i + rand(size - i);
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return R.array(bulks(all.slice(0, count)));
}

// --- SINTER, SINTERCARD, SINTERSTORE, SMEMBERS ------------------------------

/**
 * sinterGenericCommand. `dst` makes it SINTERSTORE; `cardOnly` SINTERCARD
 * (stopping at `limit` when it is not 0).
 */
function sinter(ctx: Context, keys: readonly Bytes[], dst: Bytes | undefined, cardOnly: boolean, limit: number): Reply {
  const sets: SetValue[] = [];
  let empty = false;
  for (const k of keys) {
    const s = readSet(ctx, k);
    if (s === undefined) empty = true;
    else sets.push(s);
  }
  if (empty) {
    if (dst !== undefined) return storeEmpty(ctx, dst);
    return cardOnly ? R.int(0) : EMPTY_SET;
  }
  // Smallest set first (a stable sort, as glibc's qsort is for these sizes).
  sets.sort((a, b) => a.size - b.size);
  const first = sets[0]!;
  const lim = ctx.engine.setLimits;
  const out: Bytes[] = [];
  let dstSet: SetValue | undefined;
  if (dst !== undefined) dstSet = SetValue.empty(first.enc === 'intset' ? 'intset' : 'listpack');
  let onlyIntegers = true;
  let card = 0;
  for (const m of first.members()) {
    let inAll = true;
    for (let j = 1; j < sets.length; j++) {
      const s = sets[j]!;
      if (s === first) continue;
      if (!s.has(m)) {
        inAll = false;
        break;
      }
    }
    if (!inAll) continue;
    if (cardOnly) {
      card++;
      if (limit !== 0 && card >= limit) break;
    } else if (dstSet === undefined) {
      out.push(m);
    } else {
      if (onlyIntegers && !isIntEncodable(m)) onlyIntegers = false;
      dstSet.add(m, lim);
    }
  }
  if (cardOnly) return R.int(card);
  if (dstSet === undefined) return R.set(bulks(out));
  if (dstSet.size === 0) return storeEmpty(ctx, dst!);
  if (onlyIntegers) dstSet.maybeConvertToIntset(lim);
  return storeResult(ctx, dst!, dstSet, 'sinterstore');
}

function sintercard(ctx: Context, argv: readonly Bytes[]): Reply {
  const n = parseLongLong(argv[1]!);
  if (n === null || n < 1n) throw Err.generic('numkeys should be greater than 0');
  if (n > BigInt(argv.length - 2)) throw Err.generic("Number of keys can't be greater than number of args");
  const numkeys = Number(n);
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (cEq(argv[j]!, 'limit') && more > 0) {
      limit = getPositiveLong(argv[++j]!, "LIMIT can't be negative");
    } else {
      throw Err.syntax();
    }
  }
  return sinter(ctx, argv.slice(2, 2 + numkeys), undefined, true, limit);
}

// --- SUNION, SDIFF and their STORE forms ------------------------------------

/** sunionDiffGenericCommand (`diff` false: union). */
function sunionDiff(ctx: Context, keys: readonly Bytes[], dst: Bytes | undefined, diff: boolean): Reply {
  const sets: (SetValue | undefined)[] = [];
  let dstEnc: 'intset' | 'hashtable' = 'intset';
  let sameSet = false;
  for (let j = 0; j < keys.length; j++) {
    const s = readSet(ctx, keys[j]!);
    sets.push(s);
    if (s === undefined) continue;
    // Without a destination, any non-intset input makes the result a hashtable.
    if (dst === undefined && s.enc !== 'intset') dstEnc = 'hashtable';
    if (j > 0 && s === sets[0]) sameSet = true;
  }
  const first = sets[0];
  let algo = 1;
  if (diff && first !== undefined && !sameSet) {
    let one = 0;
    let two = 0;
    for (const s of sets) {
      if (s === undefined) continue;
      one += first.size;
      two += s.size;
    }
    algo = Math.floor(one / 2) <= two ? 1 : 2;
  }

  const lim = ctx.engine.setLimits;
  const result = SetValue.empty(dstEnc);
  if (!diff) {
    for (const s of sets) {
      if (s === undefined) continue;
      for (const m of s.members()) result.add(m, lim);
    }
  } else if (first !== undefined && !sameSet && algo === 1) {
    for (const m of first.members()) {
      let found = false;
      for (let j = 1; j < sets.length; j++) {
        const s = sets[j];
        if (s !== undefined && s.has(m)) {
          found = true;
          break;
        }
      }
      if (!found) result.add(m, lim);
    }
  } else if (first !== undefined && !sameSet) {
    for (let j = 0; j < sets.length; j++) {
      const s = sets[j];
      if (s === undefined) continue;
      for (const m of s.members()) {
        if (j === 0) result.add(m, lim);
        else result.remove(m);
      }
      if (result.size === 0) break;
    }
  }

  if (dst === undefined) return R.set(bulks(result.members()));
  if (result.size === 0) return storeEmpty(ctx, dst);
  return storeResult(ctx, dst, result, diff ? 'sdiffstore' : 'sunionstore');
}

// --- SSCAN ------------------------------------------------------------------

function sscan(ctx: Context, argv: readonly Bytes[]): Reply {
  const cursor = parseScanCursor(argv[2]!);
  if (cursor === null) throw Err.generic('invalid cursor');
  const set = readSet(ctx, argv[1]!);
  if (set === undefined) return EMPTY_SCAN;
  const { count, pattern } = parseScanOptions(argv, 3, 'set');
  let members: Bytes[];
  let next = 0;
  if (set.enc === 'hashtable') {
    const start = cursor > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(cursor);
    const step = set.scan(start, count);
    members = step.members;
    next = step.next;
  } else {
    // Small encodings are returned whole, with cursor 0.
    members = set.members();
  }
  if (pattern !== undefined) members = members.filter((m) => globMatch(pattern, m));
  return R.array([R.bulk(String(next)), R.array(bulks(members))]);
}

// --- the group --------------------------------------------------------------

export const setCommands: CommandGroup = {
  sadd,
  srem,
  smove,
  sismember,
  smismember,
  scard,
  spop,
  srandmember,
  smembers: (ctx, argv) => sinter(ctx, [argv[1]!], undefined, false, 0),
  sinter: (ctx, argv) => sinter(ctx, argv.slice(1), undefined, false, 0),
  sintercard,
  sinterstore: (ctx, argv) => sinter(ctx, argv.slice(2), argv[1]!, false, 0),
  sunion: (ctx, argv) => sunionDiff(ctx, argv.slice(1), undefined, false),
  sunionstore: (ctx, argv) => sunionDiff(ctx, argv.slice(2), argv[1]!, false),
  sdiff: (ctx, argv) => sunionDiff(ctx, argv.slice(1), undefined, true),
  sdiffstore: (ctx, argv) => sunionDiff(ctx, argv.slice(2), argv[1]!, true),
  sscan,
};
