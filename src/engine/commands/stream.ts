/**
 * The stream command group (t_stream.c of Valkey 9.1.2): XADD, XRANGE,
 * XREVRANGE, XLEN, XDEL, XTRIM, XSETID, XREAD, XREADGROUP, XGROUP, XACK,
 * XPENDING, XCLAIM, XAUTOCLAIM and XINFO.
 *
 * Each handler follows its C counterpart's order of argument parsing,
 * lookups (read or write, which counts keyspace hits), type checks, replies,
 * keyspace events (class 't'), WATCH signals and dirty counts. Several
 * consumer group commands (XACK, XCLAIM, XREADGROUP, XSETID, XGROUP without
 * MKSTREAM) do not signal WATCH in Valkey, and neither do they here.
 *
 * Blocking XREAD/XREADGROUP: the client parks on its keys; when one of them
 * changes, the command runs again from the start with '$' replaced by the ID
 * it stood for when the client blocked (Valkey rewrites the argument), and
 * its reply ends the wait unless it found nothing to serve. XREADGROUP also
 * wakes when its key is deleted or changes type, and then answers NOGROUP or
 * WRONGTYPE, as Valkey's unblock_on_nokey does.
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { getLongLong, isToken, LLONG_MAX, parseLongLong } from '../args.js';
import { blockOnKeys } from '../blocking.js';
import type { CommandGroup, HandlerResult } from '../command.js';
import type { Context } from '../context.js';
import { Err } from '../errors.js';
import { helpReply, subcommandSyntaxError } from '../help.js';
import type { Entry } from '../keyspace/keyspace.js';
import { parseScanCursor } from './generic.js';
import {
  cmpId, createConsumer, decrId, deleteConsumer, ID_MAX, ID_ZERO, idEqZero, idString, incrId, INVALID_ENTRIES_READ,
  sortedNames, StreamValue, UINT64_MAX,
  type Consumer, type ConsumerGroup, type Nack, type NodeLimits, type StreamEntry, type StreamID, type TrimArgs,
} from '../types/stream.js';

// --- helpers ----------------------------------------------------------------

/** A C string: the bytes before the first NUL (what %s and strcmp see). */
function cstr(s: Bytes): Bytes {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

/** strcmp(arg, lit) == 0. */
function cEq(arg: Bytes | undefined, lit: string): boolean {
  return arg !== undefined && cstr(arg) === lit;
}

const invalidId = () => Err.generic('Invalid stream ID specified as stream command argument');
const noGroupKey = (key: Bytes, group: Bytes) => Err.raw(`NOGROUP No such key '${cstr(key)}' or consumer group '${cstr(group)}'`);
const noGroupFor = (group: Bytes, key: Bytes) => Err.raw(`NOGROUP No such consumer group '${cstr(group)}' for key name '${cstr(key)}'`);

/** string2ull. */
function parseU64(s: Bytes): bigint | null {
  return parseScanCursor(s);
}

interface ParsedId {
  id: StreamID;
  /** False for the "<ms>-*" form (only when `seqStar` allowed it). */
  seqGiven: boolean;
}

/**
 * streamGenericParseIDOrReply: "<ms>-<seq>", "<ms>" (the sequence is
 * `missingSeq`), "-" and "+" unless `strict`, and "<ms>-*" when `seqStar`.
 */
function parseIdFull(arg: Bytes, missingSeq: bigint, strict: boolean, seqStar: boolean): ParsedId {
  if (arg.length > 127) throw invalidId();
  const buf = cstr(arg);
  if (strict && (buf === '-' || buf === '+')) throw invalidId();
  if (buf === '-') return { id: ID_ZERO, seqGiven: true };
  if (buf === '+') return { id: ID_MAX, seqGiven: true };
  const dash = buf.indexOf('-');
  const ms = parseU64(dash < 0 ? buf : buf.slice(0, dash));
  if (ms === null) throw invalidId();
  if (dash < 0) return { id: { ms, seq: missingSeq }, seqGiven: true };
  const rest = buf.slice(dash + 1);
  if (seqStar && rest === '*') return { id: { ms, seq: 0n }, seqGiven: false };
  const seq = parseU64(rest);
  if (seq === null) throw invalidId();
  return { id: { ms, seq }, seqGiven: true };
}

/** streamParseStrictIDOrReply. */
function parseStrictId(arg: Bytes, missingSeq = 0n): StreamID {
  return parseIdFull(arg, missingSeq, true, false).id;
}

/** streamParseIDOrReply. */
function parseId(arg: Bytes, missingSeq = 0n): StreamID {
  return parseIdFull(arg, missingSeq, false, false).id;
}

/** A range start ("(" excludes): the first ID in the range. */
function parseRangeStart(arg: Bytes): StreamID {
  if (arg.length > 1 && arg[0] === '(') {
    const id = incrId(parseStrictId(arg.slice(1), 0n));
    if (id === null) throw Err.generic('invalid start ID for the interval');
    return id;
  }
  return parseId(arg, 0n);
}

/** A range end ("(" excludes): the last ID in the range. */
function parseRangeEnd(arg: Bytes): StreamID {
  if (arg.length > 1 && arg[0] === '(') {
    const id = decrId(parseStrictId(arg.slice(1), UINT64_MAX));
    if (id === null) throw Err.generic('invalid end ID for the interval');
    return id;
  }
  return parseId(arg, UINT64_MAX);
}

function streamOf(e: Entry): StreamValue {
  return e.value as StreamValue;
}

function nodeLimits(ctx: Context): NodeLimits {
  return {
    maxEntries: ctx.engine.config.getInt('stream-node-max-entries'),
    maxBytes: ctx.engine.config.getInt('stream-node-max-bytes'),
  };
}

const idReply = (id: StreamID): Reply => R.bulk(idString(id));

/** One entry as [id, [field, value, ...]]. */
function entryReply(e: StreamEntry): Reply {
  const fv: Reply[] = [];
  for (let i = 0; i < e.values.length; i++) fv.push(R.bulk(e.fields[i]!), R.bulk(e.values[i]!));
  return R.array([idReply(e.id), R.array(fv)]);
}

/** The C long long value of a bigint counter, as a reply. */
function bigReply(v: bigint): Reply {
  const n = Number(v);
  return R.int(Number.isSafeInteger(n) ? n : v);
}

/** Blocking is denied (inside EXEC, scripts): answer as on timeout. */
function denied(ctx: Context): boolean {
  return ctx.inExec || ctx.client.denyBlocking;
}

/** streamCreateConsumer with SCC_DEFAULT: the event and a dirty count. */
function newConsumer(ctx: Context, g: ConsumerGroup, name: Bytes, key: Bytes): Consumer | undefined {
  const c = createConsumer(g, name, ctx.now);
  if (c) {
    ctx.dirty();
    ctx.notify('t', 'xgroup-createconsumer', key);
  }
  return c;
}

function lookupOrCreateConsumer(ctx: Context, g: ConsumerGroup, name: Bytes, key: Bytes): Consumer {
  return g.consumers.get(name) ?? newConsumer(ctx, g, name, key)!;
}

// --- XADD, XTRIM --------------------------------------------------------------

interface AddTrimArgs extends TrimArgs {
  /** Index of the ID argument (XADD). */
  idpos: number;
  id?: ParsedId;
  noMkstream: boolean;
}

/** streamParseAddOrTrimArgsOrReply. */
function parseAddTrim(ctx: Context, argv: readonly Bytes[], xadd: boolean): AddTrimArgs {
  const a: AddTrimArgs = { strategy: 'none', approx: false, limit: 0, maxlen: 0n, minid: ID_ZERO, idpos: 0, noMkstream: false };
  let i = 2;
  let limitGiven = false;
  let limit = 0n;
  const argc = argv.length;
  const conflict = () => Err.generic('syntax error, MAXLEN and MINID options at the same time are not compatible');
  for (; i < argc; i++) {
    const moreargs = argc - 1 - i;
    const opt = argv[i]!;
    if (xadd && cEq(opt, '*')) {
      break;
    } else if (isToken(opt, 'MAXLEN') && moreargs) {
      if (a.strategy !== 'none') throw conflict();
      a.approx = false;
      const next = argv[i + 1]!;
      if (moreargs >= 2 && cEq(next, '~')) {
        a.approx = true;
        i++;
      } else if (moreargs >= 2 && cEq(next, '=')) {
        i++;
      }
      a.maxlen = getLongLong(argv[i + 1]!);
      if (a.maxlen < 0n) throw Err.generic('The MAXLEN argument must be >= 0.');
      i++;
      a.strategy = 'maxlen';
    } else if (isToken(opt, 'MINID') && moreargs) {
      if (a.strategy !== 'none') throw conflict();
      a.approx = false;
      const next = argv[i + 1]!;
      if (moreargs >= 2 && cEq(next, '~')) {
        a.approx = true;
        i++;
      } else if (moreargs >= 2 && cEq(next, '=')) {
        i++;
      }
      a.minid = parseStrictId(argv[i + 1]!);
      i++;
      a.strategy = 'minid';
    } else if (isToken(opt, 'LIMIT') && moreargs) {
      limit = getLongLong(argv[i + 1]!);
      if (limit < 0n) throw Err.generic('The LIMIT argument must be >= 0.');
      limitGiven = true;
      i++;
    } else if (xadd && isToken(opt, 'NOMKSTREAM')) {
      a.noMkstream = true;
    } else if (xadd) {
      a.id = parseIdFull(opt, 0n, true, true);
      break;
    } else {
      throw Err.syntax();
    }
  }
  a.idpos = i;
  if (limit !== 0n && a.strategy === 'none') throw Err.generic('syntax error, LIMIT cannot be used without specifying a trimming strategy');
  if (!xadd && a.strategy === 'none') throw Err.generic('syntax error, XTRIM must be called with a trimming strategy');
  if (limitGiven) {
    if (!a.approx) throw Err.generic('syntax error, LIMIT cannot be used without the special ~ option');
    a.limit = Number(limit);
  } else if (a.approx) {
    let l = 100 * ctx.engine.config.getInt('stream-node-max-entries');
    if (l <= 0) l = 10000;
    if (l > 1000000) l = 1000000;
    a.limit = l;
  }
  return a;
}

function xadd(ctx: Context, argv: readonly Bytes[]): Reply {
  const a = parseAddTrim(ctx, argv, true);
  const fieldPos = a.idpos + 1;
  const n = argv.length - fieldPos;
  if (n < 2 || n % 2 === 1) throw Err.wrongArity(ctx.cmd.fullname);
  if (a.id && a.id.seqGiven && idEqZero(a.id.id)) throw Err.generic('The ID specified in XADD must be greater than 0-0');

  const key = argv[1]!;
  const e = ctx.write(key, 'stream');
  if (e === undefined && a.noMkstream) return R.null;
  const s = e ? streamOf(e) : new StreamValue();
  if (e === undefined) ctx.db.set(key, 'stream', s, ctx.now);
  if (s.lastId.ms === UINT64_MAX && s.lastId.seq === UINT64_MAX) {
    throw Err.generic('The stream has exhausted the last possible ID, unable to add more items');
  }
  const fields: Bytes[] = [];
  const values: Bytes[] = [];
  for (let j = fieldPos; j < argv.length; j += 2) {
    fields.push(argv[j]!);
    values.push(argv[j + 1]!);
  }
  const r = s.append(fields, values, ctx.now, nodeLimits(ctx), a.id?.id, a.id?.seqGiven ?? true);
  if (r === 'EDOM') throw Err.generic('The ID specified in XADD is equal or smaller than the target stream top item');
  if (r === 'ERANGE') throw Err.generic('Elements are too large to be stored');
  ctx.notify('t', 'xadd', key);
  ctx.dirty();
  if (a.strategy !== 'none' && s.trim(a) > 0) ctx.notify('t', 'xtrim', key);
  ctx.modified(key);
  // Replicas get the ID actually generated.
  if (!a.id || !a.id.seqGiven) ctx.rewrite(argv.map((x, j) => (j === a.idpos ? idString(r) : x)));
  return idReply(r);
}

function xtrim(ctx: Context, argv: readonly Bytes[]): Reply {
  const a = parseAddTrim(ctx, argv, false);
  const key = argv[1]!;
  const e = ctx.write(key, 'stream');
  if (e === undefined) return R.int(0);
  const deleted = streamOf(e).trim(a);
  if (deleted) {
    ctx.notify('t', 'xtrim', key);
    ctx.modified(key);
    ctx.dirty(deleted);
  }
  return R.int(deleted);
}

// --- XRANGE, XREVRANGE, XLEN, XDEL --------------------------------------------

function xrange(ctx: Context, argv: readonly Bytes[], rev: boolean): Reply {
  const start = parseRangeStart(rev ? argv[3]! : argv[2]!);
  const end = parseRangeEnd(rev ? argv[2]! : argv[3]!);
  let count = -1n;
  for (let j = 4; j < argv.length; j++) {
    if (isToken(argv[j], 'COUNT') && argv.length - j - 1 >= 1) {
      count = getLongLong(argv[j + 1]!);
      if (count < 0n) count = 0n;
      j++;
    } else {
      throw Err.syntax();
    }
  }
  const e = ctx.read(argv[1]!, 'stream');
  if (e === undefined) return R.emptyArray;
  if (count === 0n) return R.nullArray;
  const out: Reply[] = [];
  for (const entry of streamOf(e).range(start, end, rev)) {
    out.push(entryReply(entry));
    if (BigInt(out.length) === count) break;
  }
  return R.array(out);
}

function xdel(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  const e = ctx.write(key, 'stream');
  if (e === undefined) return R.int(0);
  const s = streamOf(e);
  const ids = argv.slice(2).map((a) => parseStrictId(a));
  let deleted = 0;
  let firstEntry = false;
  for (const id of ids) {
    if (!s.deleteEntry(id)) continue;
    if (cmpId(id, s.firstId) === 0) firstEntry = true;
    if (cmpId(id, s.maxDeletedId) > 0) s.maxDeletedId = id;
    deleted++;
  }
  if (deleted) {
    if (s.length === 0) s.firstId = ID_ZERO;
    else if (firstEntry) s.firstId = s.edgeId(true);
    ctx.modified(key);
    ctx.notify('t', 'xdel', key);
    ctx.dirty(deleted);
  }
  return R.int(deleted);
}

// --- XREAD, XREADGROUP ----------------------------------------------------------

/**
 * streamReplyWithRange for a group: entries after `start`, the group's last
 * ID and read counter moved on, and (unless NOACK) each entry pending for
 * `consumer`.
 */
function serveGroup(
  ctx: Context, s: StreamValue, start: StreamID, count: bigint, g: ConsumerGroup, consumer: Consumer, noack: boolean, key: Bytes, gname: Bytes,
): Reply[] {
  const out: Reply[] = [];
  let movedLastId = false;
  for (const e of s.range(start, ID_MAX)) {
    const id = e.id;
    if (cmpId(id, g.lastId) > 0) {
      movedLastId = true;
      if (g.entriesRead !== INVALID_ENTRIES_READ && cmpId(g.lastId, s.firstId) >= 0 && !s.rangeHasTombstones(g.lastId)) {
        g.entriesRead++;
      } else if (s.entriesAdded) {
        g.entriesRead = s.estimateDistance(id);
      }
      g.lastId = id;
    }
    out.push(entryReply(e));
    if (!noack) {
      const nack: Nack = { deliveryTime: ctx.now, deliveryCount: 1n, consumer };
      if (g.pel.tryInsert(id, nack)) {
        consumer.pel.tryInsert(id, nack);
      } else {
        const old = g.pel.get(id)!;
        old.consumer?.pel.delete(id);
        old.consumer = consumer;
        old.deliveryTime = ctx.now;
        old.deliveryCount = 1n;
        consumer.pel.set(id, old);
      }
      consumer.activeTime = ctx.now;
      // streamPropagateXCLAIM: replicas learn of the delivery as a forced XCLAIM.
      const n = g.pel.get(id)!;
      ctx.alsoPropagate(['XCLAIM', key, gname, consumer.name, '0', idString(id), 'TIME', String(n.deliveryTime), 'RETRYCOUNT', String(n.deliveryCount), 'FORCE', 'JUSTID', 'LASTID', idString(g.lastId)]);
    }
    if (BigInt(out.length) === count) break;
  }
  // streamPropagateGroupID: the group's last ID and read counter.
  if (movedLastId) ctx.alsoPropagate(['XGROUP', 'SETID', key, gname, idString(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
  return out;
}

/** streamReplyWithRangeFromConsumerPEL: the consumer's own pending entries from `start`. */
function serveHistory(ctx: Context, s: StreamValue, start: StreamID, count: bigint, consumer: Consumer): Reply[] {
  const out: Reply[] = [];
  const pel = consumer.pel;
  for (let i = pel.lowerBound(start); i < pel.size && (count === 0n || BigInt(out.length) < count); i++) {
    const id = pel.idAt(i);
    const e = s.get(id);
    if (e === undefined) {
      out.push(R.array([idReply(id), R.nullArray]));
    } else {
      out.push(entryReply(e));
      const nack = pel.valAt(i);
      nack.deliveryTime = ctx.now;
      nack.deliveryCount++;
    }
  }
  return out;
}

/** getTimeoutFromObjectOrReply in milliseconds: the absolute deadline, 0 to wait forever. */
function parseBlockMs(ctx: Context, arg: Bytes): number {
  const t = getLongLong(arg, 'timeout is not an integer or out of range');
  if (t < 0n) throw Err.generic('timeout is negative');
  if (t === 0n) return 0;
  if (t > LLONG_MAX - BigInt(ctx.now)) throw Err.generic('timeout is out of range');
  return Number(BigInt(ctx.now) + t);
}

interface XReadArgs {
  group: boolean;
  deadline: number | null;
  count: bigint;
  streamsArg: number;
  nstreams: number;
  groupname?: Bytes;
  consumername?: Bytes;
  noack: boolean;
}

function parseXRead(ctx: Context, argv: readonly Bytes[]): XReadArgs {
  const group = ctx.cmd.fullname === 'xreadgroup';
  const a: XReadArgs = { group, deadline: null, count: 0n, streamsArg: 0, nstreams: 0, noack: false };
  for (let i = 1; i < argv.length; i++) {
    const moreargs = argv.length - i - 1;
    const o = argv[i]!;
    if (isToken(o, 'BLOCK') && moreargs) {
      i++;
      a.deadline = parseBlockMs(ctx, argv[i]!);
    } else if (isToken(o, 'COUNT') && moreargs) {
      i++;
      a.count = getLongLong(argv[i]!);
      if (a.count < 0n) a.count = 0n;
    } else if (isToken(o, 'STREAMS') && moreargs) {
      a.streamsArg = i + 1;
      const n = argv.length - a.streamsArg;
      if (n % 2 !== 0) {
        throw Err.generic(`Unbalanced '${ctx.cmd.fullname}' list of streams: for each stream key an ID or '${group ? '>' : '$'}' must be specified.`);
      }
      a.nstreams = n / 2;
      break;
    } else if (isToken(o, 'GROUP') && moreargs >= 2) {
      if (!group) throw Err.generic('The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
      a.groupname = argv[i + 1]!;
      a.consumername = argv[i + 2]!;
      i += 2;
    } else if (isToken(o, 'NOACK')) {
      if (!group) throw Err.generic('The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
      a.noack = true;
    } else {
      throw Err.syntax();
    }
  }
  if (a.streamsArg === 0) throw Err.syntax();
  if (group && a.groupname === undefined) throw Err.generic('Missing GROUP option for XREADGROUP');
  return a;
}

const MEANINGLESS = (sym: string) =>
  Err.generic(`The ${sym} ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The ${sym} ID would just return an empty result set.`);

/**
 * xreadCommand. `reexec`: the command runs again for a client that blocked;
 * undefined then means there is still nothing to serve.
 */
function xread(ctx: Context, argv: readonly Bytes[], reexec: boolean): HandlerResult | undefined {
  const a = parseXRead(ctx, argv);
  // XREADGROUP propagates what it did (XCLAIM, XGROUP SETID), not itself.
  if (a.group) ctx.preventPropagation();
  const n = a.nstreams;
  const keys = argv.slice(a.streamsArg, a.streamsArg + n);
  const ids: StreamID[] = [];
  const groups: ConsumerGroup[] = [];
  for (let k = 0; k < n; k++) {
    const key = keys[k]!;
    const idArg = argv[a.streamsArg + n + k]!;
    const e = ctx.read(key, 'stream');
    if (a.groupname !== undefined) {
      const g = e ? streamOf(e).lookupGroup(a.groupname) : undefined;
      if (g === undefined) {
        throw Err.raw(`NOGROUP No such key '${cstr(key)}' or consumer group '${cstr(a.groupname)}' in XREADGROUP with GROUP option`);
      }
      groups[k] = g;
    }
    if (cEq(idArg, '$')) {
      if (a.group) throw MEANINGLESS('$');
      ids[k] = e ? streamOf(e).lastId : ID_ZERO;
    } else if (cEq(idArg, '+')) {
      if (a.group) throw MEANINGLESS('+');
      const s = e ? streamOf(e) : undefined;
      ids[k] = s && s.length ? decrId(s.lastId) ?? ID_ZERO : ID_ZERO;
    } else if (cEq(idArg, '>')) {
      if (!a.group) throw Err.generic('The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
      ids[k] = ID_MAX;
    } else {
      ids[k] = parseStrictId(idArg);
    }
  }

  // A client woken up runs again only when it has something to take (the checks, without their effects).
  if (reexec && !keys.some((key, k) => {
    const e = ctx.db.peek(key);
    if (e === undefined || e.type !== 'stream' || ctx.db.isExpired(e, ctx.now)) return false;
    const s = streamOf(e);
    if (!s.length) return false;
    const gt = a.group ? (cmpId(ids[k]!, ID_MAX) === 0 ? groups[k]!.lastId : null) : ids[k]!;
    return gt === null || cmpId(s.lastValidId(), gt) > 0;
  })) {
    return undefined;
  }

  const served: [Reply, Reply][] = [];
  for (let k = 0; k < n; k++) {
    const key = keys[k]!;
    const e = ctx.read(key);
    if (e === undefined) continue;
    const s = streamOf(e);
    let gt = ids[k]!;
    let serve = false;
    let history = false;
    let consumer: Consumer | undefined;
    if (a.group) {
      const g = groups[k]!;
      if (gt.ms !== UINT64_MAX || gt.seq !== UINT64_MAX) {
        serve = true;
        history = true;
      } else if (s.length) {
        if (cmpId(s.lastValidId(), g.lastId) > 0) {
          serve = true;
          gt = g.lastId;
        }
      }
      consumer = lookupOrCreateConsumer(ctx, g, a.consumername!, key);
      consumer.seenTime = ctx.now;
    } else if (s.length && cmpId(s.lastValidId(), gt) > 0) {
      serve = true;
    }
    if (!serve) continue;
    const start = incrId(gt) ?? ID_ZERO;
    let entries: Reply[];
    if (!a.group) {
      entries = [];
      for (const entry of s.range(start, ID_MAX)) {
        entries.push(entryReply(entry));
        if (BigInt(entries.length) === a.count) break;
      }
    } else if (history) {
      entries = serveHistory(ctx, s, start, a.count, consumer!);
    } else {
      entries = serveGroup(ctx, s, start, a.count, groups[k]!, consumer!, a.noack, key, a.groupname!);
    }
    if (a.group) ctx.dirty();
    served.push([R.bulk(key), R.array(entries)]);
  }
  if (served.length) return ctx.resp === 2 ? R.array(served.map(([k, v]) => R.array([k, v]))) : R.map(served);
  if (reexec) return undefined;

  if (a.deadline !== null) {
    if (denied(ctx)) return R.nullArray;
    // '$' becomes the ID it stands for now, so that the command run again on wake-up waits for what comes after.
    const again = argv.map((x, j) => (j >= a.streamsArg + n && cEq(x, '$') ? idString(ids[j - a.streamsArg - n]!) : x));
    return blockOnKeys(ctx, keys, a.group ? 'any' : 'stream', a.deadline, (c) => xread(c, again, true) as Reply | undefined);
  }
  return R.nullArray;
}

// --- XGROUP -----------------------------------------------------------------------

const XGROUP_HELP = [
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
];

function xgroup(ctx: Context, argv: readonly Bytes[]): Reply {
  const argc = argv.length;
  const opt = argv[1]!;
  let s: StreamValue | undefined;
  let grpname: Bytes = '';
  let cg: ConsumerGroup | undefined;
  let mkstream = false;
  let entriesRead = INVALID_ENTRIES_READ;
  const create = isToken(opt, 'CREATE');
  const setid = isToken(opt, 'SETID');
  if (argc >= 4) {
    let i = 5;
    while (i < argc) {
      if (create && isToken(argv[i], 'MKSTREAM')) {
        mkstream = true;
        i++;
      } else if ((create || setid) && isToken(argv[i], 'ENTRIESREAD') && i + 1 < argc) {
        entriesRead = getLongLong(argv[i + 1]!);
        if (entriesRead < 0n && entriesRead !== INVALID_ENTRIES_READ) throw Err.generic('value for ENTRIESREAD must be positive or -1');
        i += 2;
      } else {
        throw subcommandSyntaxError(argv);
      }
    }
    const e = ctx.write(argv[2]!, 'stream');
    if (e) s = streamOf(e);
    grpname = argv[3]!;
  }
  const key = argv[2]!;
  if (argc >= 4 && !mkstream) {
    if (s === undefined) {
      throw Err.generic('The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.');
    }
    cg = s.lookupGroup(grpname);
    if (cg === undefined && (setid || isToken(opt, 'CREATECONSUMER') || isToken(opt, 'DELCONSUMER'))) throw noGroupFor(grpname, key);
  }

  if (argc === 2 && isToken(opt, 'HELP')) return helpReply(argv[0]!, XGROUP_HELP);
  if (create && argc >= 5 && argc <= 8) {
    let id: StreamID;
    if (cEq(argv[4], '$')) id = s ? s.lastId : ID_ZERO;
    else id = parseStrictId(argv[4]!);
    if (s === undefined) {
      s = new StreamValue();
      ctx.db.set(key, 'stream', s, ctx.now);
      ctx.modified(key);
    }
    if (!s.createGroup(grpname, id, entriesRead)) throw Err.raw('BUSYGROUP Consumer Group name already exists');
    ctx.dirty();
    ctx.notify('t', 'xgroup-create', key);
    return R.ok;
  }
  if (setid && (argc === 5 || argc === 7)) {
    const id = cEq(argv[4], '$') ? s!.lastId : parseId(argv[4]!);
    cg!.lastId = id;
    cg!.entriesRead = entriesRead;
    ctx.dirty();
    ctx.notify('t', 'xgroup-setid', key);
    return R.ok;
  }
  if (isToken(opt, 'DESTROY') && argc === 4) {
    if (!cg) return R.int(0);
    s!.groups!.delete(grpname);
    ctx.dirty();
    ctx.notify('t', 'xgroup-destroy', key);
    // XREADGROUP clients blocked on the key answer NOGROUP.
    ctx.engine.keyReady(ctx.db, key);
    return R.int(1);
  }
  if (isToken(opt, 'CREATECONSUMER') && argc === 5) {
    return R.int(newConsumer(ctx, cg!, argv[4]!, key) ? 1 : 0);
  }
  if (isToken(opt, 'DELCONSUMER') && argc === 5) {
    const consumer = cg!.consumers.get(argv[4]!);
    let pending = 0;
    if (consumer) {
      pending = consumer.pel.size;
      deleteConsumer(cg!, consumer);
      ctx.dirty();
      ctx.notify('t', 'xgroup-delconsumer', key);
    }
    return R.int(pending);
  }
  throw subcommandSyntaxError(argv);
}

// --- XSETID, XACK ---------------------------------------------------------------

function xsetid(ctx: Context, argv: readonly Bytes[]): Reply {
  const id = parseStrictId(argv[2]!);
  let maxXdel = ID_ZERO;
  let entriesAdded = -1n;
  let i = 3;
  while (i < argv.length) {
    const moreargs = argv.length - 1 - i;
    const opt = argv[i]!;
    if (isToken(opt, 'ENTRIESADDED') && moreargs) {
      entriesAdded = getLongLong(argv[i + 1]!);
      if (entriesAdded < 0n) throw Err.generic('entries_added must be positive');
      i += 2;
    } else if (isToken(opt, 'MAXDELETEDID') && moreargs) {
      maxXdel = parseStrictId(argv[i + 1]!);
      if (cmpId(id, maxXdel) < 0) throw Err.generic('The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
      i += 2;
    } else {
      throw Err.syntax();
    }
  }
  const key = argv[1]!;
  const e = ctx.write(key, 'stream');
  if (e === undefined) throw Err.noSuchKey();
  const s = streamOf(e);
  if (cmpId(id, s.maxDeletedId) < 0) throw Err.generic('The ID specified in XSETID is smaller than current max_deleted_entry_id');
  if (s.length > 0) {
    if (cmpId(id, s.lastValidId()) < 0) throw Err.generic('The ID specified in XSETID is smaller than the target stream top item');
    if (entriesAdded !== -1n && BigInt(s.length) > entriesAdded) {
      throw Err.generic('The entries_added specified in XSETID is smaller than the target stream length');
    }
  }
  s.lastId = id;
  if (entriesAdded !== -1n) s.entriesAdded = entriesAdded;
  if (!idEqZero(maxXdel)) s.maxDeletedId = maxXdel;
  ctx.dirty();
  ctx.notify('t', 'xsetid', key);
  return R.ok;
}

function xack(ctx: Context, argv: readonly Bytes[]): Reply {
  const e = ctx.read(argv[1]!, 'stream');
  const g = e ? streamOf(e).lookupGroup(argv[2]!) : undefined;
  if (g === undefined) return R.int(0);
  const ids = argv.slice(3).map((x) => parseStrictId(x));
  let acked = 0;
  for (const id of ids) {
    const nack = g.pel.get(id);
    if (nack === undefined) continue;
    g.pel.delete(id);
    nack.consumer?.pel.delete(id);
    acked++;
    ctx.dirty();
  }
  return R.int(acked);
}

// --- XPENDING ---------------------------------------------------------------------

function xpending(ctx: Context, argv: readonly Bytes[]): Reply {
  const argc = argv.length;
  const justinfo = argc === 3;
  const key = argv[1]!;
  const groupname = argv[2]!;
  let count = 0n;
  let minidle = 0n;
  let start = ID_ZERO;
  let end = ID_MAX;
  let consumername: Bytes | undefined;
  if (argc !== 3 && (argc < 6 || argc > 9)) throw Err.syntax();
  if (argc >= 6) {
    let startidx = 3;
    if (isToken(argv[3], 'IDLE')) {
      minidle = getLongLong(argv[4]!);
      if (argc < 8) throw Err.syntax();
      startidx += 2;
    }
    count = getLongLong(argv[startidx + 2]!);
    if (count < 0n) count = 0n;
    start = parseRangeStart(argv[startidx]!);
    end = parseRangeEnd(argv[startidx + 1]!);
    if (startidx + 3 < argc) consumername = argv[startidx + 3]!;
  }
  const e = ctx.read(key, 'stream');
  const g = e ? streamOf(e).lookupGroup(groupname) : undefined;
  if (g === undefined) throw noGroupKey(key, groupname);

  if (justinfo) {
    if (g.pel.size === 0) return R.array([R.int(0), R.null, R.null, R.nullArray]);
    const owners: Reply[] = [];
    for (const name of sortedNames(g.consumers)) {
      const c = g.consumers.get(name)!;
      if (c.pel.size === 0) continue;
      owners.push(R.array([R.bulk(name), R.bulk(String(c.pel.size))]));
    }
    return R.array([R.int(g.pel.size), idReply(g.pel.idAt(0)), idReply(g.pel.idAt(g.pel.size - 1)), R.array(owners)]);
  }
  let pel = g.pel;
  if (consumername !== undefined) {
    const c = g.consumers.get(consumername);
    if (c === undefined) return R.emptyArray;
    pel = c.pel;
  }
  const now = BigInt(ctx.now);
  const out: Reply[] = [];
  for (let i = pel.lowerBound(start); count > 0n && i < pel.size && cmpId(pel.idAt(i), end) <= 0; i++) {
    const nack = pel.valAt(i);
    const idle = now - BigInt(nack.deliveryTime);
    if (minidle && idle < minidle) continue;
    count--;
    out.push(R.array([idReply(pel.idAt(i)), R.bulk(nack.consumer!.name), bigReply(idle < 0n ? 0n : idle), bigReply(nack.deliveryCount)]));
  }
  return R.array(out);
}

// --- XCLAIM, XAUTOCLAIM -------------------------------------------------------------

/** Moves a pending entry to `consumer`. */
function transfer(id: StreamID, nack: Nack, consumer: Consumer): void {
  if (nack.consumer !== consumer) {
    nack.consumer?.pel.delete(id);
    consumer.pel.set(id, nack);
    nack.consumer = consumer;
  }
}

function xclaim(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  const e = ctx.read(key, 'stream');
  const g = e ? streamOf(e).lookupGroup(argv[2]!) : undefined;
  if (g === undefined) throw noGroupKey(key, argv[2]!);
  const s = streamOf(e!);
  let minidle = getLongLong(argv[4]!, 'Invalid min-idle-time argument for XCLAIM');
  if (minidle < 0n) minidle = 0n;

  const ids: StreamID[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    try {
      ids.push(parseStrictId(argv[j]!));
    } catch {
      break;
    }
  }
  const now = BigInt(ctx.now);
  let deliverytime = -1n;
  let retrycount = -1n;
  let force = false;
  let justid = false;
  let lastId = ID_ZERO;
  for (; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    const opt = argv[j]!;
    if (isToken(opt, 'FORCE')) force = true;
    else if (isToken(opt, 'JUSTID')) justid = true;
    else if (isToken(opt, 'IDLE') && moreargs) {
      j++;
      deliverytime = now - getLongLong(argv[j]!, 'Invalid IDLE option argument for XCLAIM');
    } else if (isToken(opt, 'TIME') && moreargs) {
      j++;
      deliverytime = getLongLong(argv[j]!, 'Invalid TIME option argument for XCLAIM');
    } else if (isToken(opt, 'RETRYCOUNT') && moreargs) {
      j++;
      retrycount = getLongLong(argv[j]!, 'Invalid RETRYCOUNT option argument for XCLAIM');
    } else if (isToken(opt, 'LASTID') && moreargs) {
      j++;
      lastId = parseStrictId(argv[j]!);
    } else {
      throw Err.generic(`Unrecognized XCLAIM option '${cstr(opt)}'`);
    }
  }
  let propagateLastId = false;
  if (cmpId(lastId, g.lastId) > 0) {
    g.lastId = lastId;
    propagateLastId = true;
  }
  if (deliverytime !== -1n) {
    if (deliverytime < 0n || deliverytime > now) deliverytime = now;
  } else {
    deliverytime = now;
  }
  const consumer = lookupOrCreateConsumer(ctx, g, argv[3]!, key);
  consumer.seenTime = ctx.now;

  const out: Reply[] = [];
  for (const id of ids) {
    let nack = g.pel.get(id);
    const entry = s.get(id);
    if (entry === undefined) {
      if (nack !== undefined) {
        propagateLastId = false;
        ctx.dirty();
        g.pel.delete(id);
        nack.consumer?.pel.delete(id);
      }
      continue;
    }
    if (force && nack === undefined) {
      nack = { deliveryTime: ctx.now, deliveryCount: 1n, consumer: null };
      g.pel.set(id, nack);
    }
    if (nack === undefined) continue;
    if (nack.consumer && minidle) {
      if (now - BigInt(nack.deliveryTime) < minidle) continue;
    }
    nack.deliveryTime = Number(deliverytime);
    if (retrycount >= 0n) nack.deliveryCount = retrycount;
    else if (!justid) nack.deliveryCount++;
    transfer(id, nack, consumer);
    out.push(justid ? idReply(id) : entryReply(entry));
    consumer.activeTime = ctx.now;
    propagateLastId = false;
    ctx.dirty();
  }
  if (propagateLastId) ctx.dirty();
  return R.array(out);
}

/** LONG_MAX / max(sizeof(streamID), attempts_factor): XAUTOCLAIM's COUNT bound. */
const XAUTOCLAIM_MAX_COUNT = LLONG_MAX / 16n;
/** The bytes an x86-64 process can map (a 47-bit user address space): larger transient allocations fail. */
const XAUTOCLAIM_MAX_ALLOC = 1n << 47n;

function xautoclaim(ctx: Context, argv: readonly Bytes[]): Reply {
  let minidle = getLongLong(argv[4]!, 'Invalid min-idle-time argument for XAUTOCLAIM');
  if (minidle < 0n) minidle = 0n;
  const start = parseRangeStart(argv[5]!);
  let count = 100n;
  let justid = false;
  for (let j = 6; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    if (isToken(argv[j], 'COUNT') && moreargs) {
      const v = parseLongLong(argv[j + 1]!);
      if (v === null || v < 1n || v > XAUTOCLAIM_MAX_COUNT) throw Err.generic('COUNT must be > 0');
      count = v;
      j++;
    } else if (isToken(argv[j], 'JUSTID')) {
      justid = true;
    } else {
      throw Err.syntax();
    }
  }
  const key = argv[1]!;
  const e = ctx.read(key, 'stream');
  const g = e ? streamOf(e).lookupGroup(argv[2]!) : undefined;
  if (g === undefined) throw noGroupKey(key, argv[2]!);
  const s = streamOf(e!);
  // Valkey allocates COUNT IDs up front (ztrymalloc): beyond a 47-bit address space the allocation fails.
  if (count * 16n > XAUTOCLAIM_MAX_ALLOC) throw Err.generic('Insufficient memory, failed allocating transient memory, COUNT too high.');
  const consumer = lookupOrCreateConsumer(ctx, g, argv[3]!, key);
  consumer.seenTime = ctx.now;

  let attempts = count * 10n;
  const now = BigInt(ctx.now);
  const out: Reply[] = [];
  const deleted: Reply[] = [];
  let i = g.pel.lowerBound(start);
  while (attempts-- > 0n && count > 0n && i < g.pel.size) {
    const id = g.pel.idAt(i);
    const nack = g.pel.valAt(i);
    const entry = s.get(id);
    if (entry === undefined) {
      ctx.dirty();
      g.pel.delete(id);
      nack.consumer?.pel.delete(id);
      deleted.push(idReply(id));
      count--;
      continue;
    }
    i++;
    if (minidle && now - BigInt(nack.deliveryTime) < minidle) continue;
    nack.deliveryTime = ctx.now;
    if (!justid) nack.deliveryCount++;
    transfer(id, nack, consumer);
    out.push(justid ? idReply(id) : entryReply(entry));
    count--;
    consumer.activeTime = ctx.now;
    ctx.dirty();
  }
  const cursor = i < g.pel.size ? g.pel.idAt(i) : ID_ZERO;
  return R.array([idReply(cursor), R.array(out), R.array(deleted)]);
}

// --- XINFO ------------------------------------------------------------------------

const XINFO_HELP = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
];

const b = (s: string): Reply => R.bulk(s);

function lagReply(s: StreamValue, g: ConsumerGroup): Reply {
  const lag = s.groupLag(g);
  return lag === null ? R.null : bigReply(lag);
}

function entriesReadReply(g: ConsumerGroup): Reply {
  return g.entriesRead !== INVALID_ENTRIES_READ ? bigReply(g.entriesRead) : R.null;
}

function xinfoStream(argv: readonly Bytes[], s: StreamValue): Reply {
  let full = true;
  let count = 10n;
  const optv = argv.slice(3);
  if (optv.length === 0) full = false;
  else {
    if (optv.length !== 1 && optv.length !== 3) throw subcommandSyntaxError(argv);
    if (!isToken(optv[0], 'FULL')) throw subcommandSyntaxError(argv);
    if (optv.length === 3) {
      if (!isToken(optv[1], 'COUNT')) throw subcommandSyntaxError(argv);
      count = getLongLong(optv[2]!);
      if (count < 0n) count = 10n;
    }
  }
  const m: [Reply, Reply][] = [
    [b('length'), R.int(s.length)],
    [b('radix-tree-keys'), R.int(s.nodeCount)],
    [b('radix-tree-nodes'), R.int(s.radixTreeNodes())],
    [b('last-generated-id'), idReply(s.lastId)],
    [b('max-deleted-entry-id'), idReply(s.maxDeletedId)],
    [b('entries-added'), bigReply(s.entriesAdded)],
    [b('recorded-first-entry-id'), idReply(s.firstId)],
  ];
  if (!full) {
    const first = s.range(ID_ZERO, ID_MAX, false).next();
    const last = s.range(ID_ZERO, ID_MAX, true).next();
    m.push(
      [b('groups'), R.int(s.groups ? s.groups.size : 0)],
      [b('first-entry'), first.done ? R.null : entryReply(first.value)],
      [b('last-entry'), last.done ? R.null : entryReply(last.value)],
    );
    return R.map(m);
  }
  const entries: Reply[] = [];
  for (const e of s.range()) {
    entries.push(entryReply(e));
    if (BigInt(entries.length) === count) break;
  }
  m.push([b('entries'), R.array(entries)]);
  const groups: Reply[] = [];
  const within = (n: number) => count === 0n || BigInt(n) < count;
  for (const name of s.groups ? sortedNames(s.groups) : []) {
    const g = s.groups!.get(name)!;
    const pending: Reply[] = [];
    for (let i = 0; i < g.pel.size && within(pending.length); i++) {
      const nack = g.pel.valAt(i);
      pending.push(R.array([idReply(g.pel.idAt(i)), R.bulk(nack.consumer!.name), R.int(nack.deliveryTime), bigReply(nack.deliveryCount)]));
    }
    const consumers: Reply[] = [];
    for (const cname of sortedNames(g.consumers)) {
      const c = g.consumers.get(cname)!;
      const cpending: Reply[] = [];
      for (let i = 0; i < c.pel.size && within(cpending.length); i++) {
        const nack = c.pel.valAt(i);
        cpending.push(R.array([idReply(c.pel.idAt(i)), R.int(nack.deliveryTime), bigReply(nack.deliveryCount)]));
      }
      consumers.push(R.map([
        [b('name'), R.bulk(cname)],
        [b('seen-time'), R.int(c.seenTime)],
        [b('active-time'), R.int(c.activeTime)],
        [b('pel-count'), R.int(c.pel.size)],
        [b('pending'), R.array(cpending)],
      ]));
    }
    groups.push(R.map([
      [b('name'), R.bulk(name)],
      [b('last-delivered-id'), idReply(g.lastId)],
      [b('entries-read'), entriesReadReply(g)],
      [b('lag'), lagReply(s, g)],
      [b('pel-count'), R.int(g.pel.size)],
      [b('pending'), R.array(pending)],
      [b('consumers'), R.array(consumers)],
    ]));
  }
  m.push([b('groups'), R.array(groups)]);
  return R.map(m);
}

function xinfo(ctx: Context, argv: readonly Bytes[]): Reply {
  if (isToken(argv[1], 'HELP')) return helpReply(argv[0]!, XINFO_HELP);
  const opt = argv[1]!;
  const key = argv[2]!;
  const e = ctx.read(key, 'stream');
  if (e === undefined) throw Err.noSuchKey();
  const s = streamOf(e);
  if (isToken(opt, 'CONSUMERS') && argv.length === 4) {
    const g = s.lookupGroup(argv[3]!);
    if (g === undefined) throw noGroupFor(argv[3]!, key);
    return R.array(sortedNames(g.consumers).map((name) => {
      const c = g.consumers.get(name)!;
      const inactive = c.activeTime !== -1 ? ctx.now - c.activeTime : -1;
      const idle = Math.max(0, ctx.now - c.seenTime);
      return R.map([[b('name'), R.bulk(name)], [b('pending'), R.int(c.pel.size)], [b('idle'), R.int(idle)], [b('inactive'), R.int(inactive)]]);
    }));
  }
  if (isToken(opt, 'GROUPS') && argv.length === 3) {
    if (!s.groups) return R.emptyArray;
    return R.array(sortedNames(s.groups).map((name) => {
      const g = s.groups!.get(name)!;
      return R.map([
        [b('name'), R.bulk(name)],
        [b('consumers'), R.int(g.consumers.size)],
        [b('pending'), R.int(g.pel.size)],
        [b('last-delivered-id'), idReply(g.lastId)],
        [b('entries-read'), entriesReadReply(g)],
        [b('lag'), lagReply(s, g)],
      ]);
    }));
  }
  if (isToken(opt, 'STREAM')) return xinfoStream(argv, s);
  throw subcommandSyntaxError(argv);
}

// --- the commands -------------------------------------------------------------

export const streamCommands: CommandGroup = {
  xadd,
  xtrim,
  xrange: (ctx, argv) => xrange(ctx, argv, false),
  xrevrange: (ctx, argv) => xrange(ctx, argv, true),
  xlen(ctx, argv) {
    const e = ctx.read(argv[1]!, 'stream');
    return R.int(e ? streamOf(e).length : 0);
  },
  xdel,
  xread: (ctx, argv) => xread(ctx, argv, false)!,
  xreadgroup: (ctx, argv) => xread(ctx, argv, false)!,
  'xgroup|create': xgroup,
  'xgroup|setid': xgroup,
  'xgroup|destroy': xgroup,
  'xgroup|createconsumer': xgroup,
  'xgroup|delconsumer': xgroup,
  'xgroup|help': xgroup,
  xsetid,
  xack,
  xpending,
  xclaim,
  xautoclaim,
  'xinfo|stream': xinfo,
  'xinfo|groups': xinfo,
  'xinfo|consumers': xinfo,
  'xinfo|help': xinfo,
};
