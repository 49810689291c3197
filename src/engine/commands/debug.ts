/**
 * DEBUG (Valkey group "server", debug.c debugCommand): the container of
 * testing aids. It only runs when enable-debug-command allows it (the gate
 * is in dispatch.ts, with MODULE's). Subcommands and their argument counts
 * are matched as debugCommand matches them; anything else is Valkey's
 * subcommand syntax error.
 *
 * What a process-level subcommand becomes here:
 * - SEGFAULT, PANIC, ASSERT, OOM (and SLOTMIGRATION without its arguments,
 *   which crashes a real server) "crash" the caller's connection only: it is
 *   closed without a reply, as a client of a crashed server sees it; the
 *   engine, its data and every other client go on.
 * - RESTART and CRASH-AND-RECOVER answer Valkey's own failure reply
 *   ("failed to restart the server"), as when the restart cannot happen.
 * - RELOAD saves the RDB file (persistence.ts: on disk when the server has
 *   a `dir`, else in memory) and loads it back; NOSAVE loads the file the
 *   last save left.
 * - LOADAOF: there are no AOF files. With appendonly yes the data is
 *   reloaded as RELOAD does (what an AOF with its RDB preamble gives back);
 *   with appendonly no it loads what the last BGREWRITEAOF kept, and without
 *   one it empties the data and fails, as Valkey does without AOF files.
 * - LISTPACK and QUICKLIST print nothing (Valkey prints the structure on the
 *   server's stdout); the reply is Valkey's.
 * - SLEEP holds the engine on its clock (Clock.sleep): real time on a
 *   SystemClock, a jump forward on a VirtualClock. A zero, negative or
 *   non-numeric time sleeps not at all, as nanosleep with such a time.
 * - MALLCTL and MALLCTL-STR answer as jemalloc does for a name it does not
 *   know (ENOENT): there is no allocator to tune.
 * - JMAP is not a Valkey 9 subcommand: the syntax error, as Valkey answers.
 * - HTSTATS, HTSTATS-KEY (and CLIENT-EVICTION with maxmemory-clients set)
 *   answer "not implemented": Valkey's hashtable sizes depend on its
 *   incremental rehashing, which the engine does not model.
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { getLong, getPositiveLong, isToken, parseLongLong } from '../args.js';
import type { CommandGroup } from '../command.js';
import { memtoull } from '../config-params.js';
import { LOOKUP_NONOTIFY, LOOKUP_NOTOUCH, type Context } from '../context.js';
import { datasetDigest, valueDigest } from '../digest.js';
import { Err } from '../errors.js';
import { helpReply, subcommandSyntaxError } from '../help.js';
import { serverCounters } from '../info.js';
import type { Entry } from '../keyspace/keyspace.js';
import { lfuCounter, lfuDecay, lfuInit } from '../keyspace/lfu.js';
import { jeSize, sdsHdr, sdsReqSize } from '../memory/alloc.js';
import { robjSize, sdsAlloc } from '../memory/usage.js';
import { createDumpPayload } from '../rdb/dump.js';
import { loadRdb } from '../rdb/file.js';
import { loadSnapshot, takeSnapshot } from '../rdb/snapshot.js';
import type { ListValue } from '../types/list.js';
import { encodingOf } from './generic.js';

const DEBUG_HELP = [
  'AOF-FLUSH-SLEEP <microsec>',
  '    Server will sleep before flushing the AOF, this is used for testing.',
  'ASSERT',
  '    Crash by assertion failed.',
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'CONFIG-REWRITE-FORCE-ALL',
  '    Like CONFIG REWRITE but writes all configuration options, including',
  '    keywords not listed in original configuration file or default values.',
  'CRASH-AND-RECOVER [<milliseconds>]',
  '    Hard crash and restart after a <milliseconds> delay (default 0).',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>',
  '    Return a RESP protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate error replies.',
  'LEAK <string>',
  '    Create a memory leak of the input string.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'HTSTATS <dbid> [full]',
  '    Return hash table statistics of the specified database.',
  'HTSTATS-KEY <key> [full]',
  '    Like HTSTATS but for the hash table stored at <key>\'s value.',
  'LOADAOF',
  '    Flush the AOF buffers on disk and reload the AOF in memory.',
  'REPLICATE <string>',
  '    Replicates the provided string to replicas, allowing data divergence.',
  'MALLCTL <key> [<val>]',
  '    Get or set a malloc tuning integer.',
  'MALLCTL-STR <key> [<val>]',
  '    Get or set a malloc tuning string.',
  'OBJECT <key> [fast]',
  '    Show low level info about `key` and associated value.',
  '    Some fields of the default behavior may be time consuming to fetch,',
  '    and `fast` can be passed to avoid fetching them.',
  'DROP-CLUSTER-PACKET-FILTER <packet-type>',
  '    Drop all packets that match the filtered type. Set to -1 allow all packets or -2 to drop all packets.',
  'CLOSE-CLUSTER-LINK-ON-PACKET-DROP <0|1>',
  '    This is valid only when DROP-CLUSTER-PACKET-FILTER is set to a valid packet type.',
  '    When set to 1, the cluster link is closed after dropping a packet based on the filter.',
  'DISABLE-CLUSTER-RANDOM-PING <0|1>',
  '    Disable sending cluster ping to a random node every second.',
  'DISABLE-CLUSTER-RECONNECTION <0|1>',
  '    Disable cluster reconnection of cluster nodes.',
  'OOM',
  '    Crash the server simulating an out-of-memory error.',
  'PANIC',
  '    Crash the server simulating a panic.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  '    it is used instead of the \'key\' prefix. These are not propagated to',
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'RESTART [<milliseconds>]',
  '    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).',
  'SDSLEN <key>',
  '    Show low level SDS string info representing `key` and value.',
  'SEGFAULT',
  '    Crash the server with sigsegv.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the behavior). Setting it to 1 reenables back the',
  '    default.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SET-SKIP-CHECKSUM-VALIDATION <0|1>',
  '    Enables or disables checksum checks for RDB files and RESTORE\'s payload.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'STRINGMATCH-TEST',
  '    Run a fuzz tester against the stringmatchlen() function.',
  'STRUCTSIZE',
  '    Return the size of different core C structures.',
  'LISTPACK <key>',
  '    Show low level info about the listpack encoding of <key>.',
  'QUICKLIST <key> [<0|1>]',
  '    Show low level info about the quicklist encoding of <key>.',
  '    The optional argument (0 by default) sets the level of detail',
  'CLIENT-EVICTION',
  '    Show low level client eviction pools info (maxmemory-clients).',
  'PAUSE-CRON <0|1>',
  '    Stop periodic cron job processing.',
  'REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>',
  '    Sets the time (in milliseconds) to wait between client reply buffer peak resets.',
  '    In case NEVER is provided the last observed peak will never be reset',
  '    In case RESET is provided the peak reset time will be restored to the default value',
  'REPLYBUFFER RESIZING <0|1>',
  '    Enable or disable the reply buffer resize cron job',
  'PAUSE-AFTER-FORK <0|1>',
  '    Stop the server\'s main process after fork.',
  'DELAY-RDB-CLIENT-FREE-SECOND <seconds>',
  '    Grace period in seconds for replica main channel to establish psync.',
  'DICT-RESIZING <0|1>',
  '    Enable or disable the main dict and expire dict resizing.',
  'HASHTABLE-CAN-ABORT-SHRINK <0|1>',
  '    Enable or disable the hashtable shrink abort.',
  'CLIENT-ENFORCE-REPLY-LIST <0|1>',
  '    When set to 1, it enforces the use of the client reply list directly',
  '    and avoids using the client\'s static buffer.',
  'SLOTMIGRATION PREVENT-PAUSE <0|1>',
  '    When set to 1, slot migrations will be prevented from pausing on the source node.',
  'SLOTMIGRATION PREVENT-FAILOVER <0|1>',
  '    When set to 1, slot migrations will be prevented from performing the slot-level failover on the target node.',
  'FORCE-FREE-PRIMARY-ASYNC <0|1>',
  '    Force freeClient on primary to use async path.',
  'PROTECT-CLIENT <id>',
  '    Protect a client from being freed, forcing deferred close.',
  'FORCE-TLS-WRITE-ERROR <0|1>',
  '    Force TLS write error for testing.',
  'CLUSTERLINK KILL <to|from|all> <node-id>',
  '    Kills the link based on the direction to/from (both) with the provided node.',
];

/** C atoi: leading blanks, a sign, digits; 0 when there are none. */
function atoi(s: Bytes): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const v = Number(BigInt.asIntN(32, BigInt(m[1]!)));
  return v;
}

/** valkey_strtod of DEBUG SLEEP: the number at the start of the argument, 0 when there is none. */
function leadingDouble(s: Bytes): number {
  const m = /^[ \t\n\v\f\r]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(s);
  return m ? Number(m[0]) : 0;
}

/** The caller's connection goes as if the server had crashed: no reply, closed. */
function crash(ctx: Context): Reply {
  ctx.client.closing = true;
  ctx.client.dropReplies = Math.max(ctx.client.dropReplies, 1);
  return R.ok;
}

/** dbFind: the stored entry, logically expired or not, with no side effects. */
function find(ctx: Context, key: Bytes): Entry {
  const e = ctx.db.peek(key);
  if (e === undefined) throw Err.noSuchKey();
  return e;
}

/** objectCommandLookupOrReply: a read without touching the key, counted as a hit or miss. */
function lookup(ctx: Context, key: Bytes): Entry {
  const e = ctx.read(key, undefined, ctx.db, LOOKUP_NOTOUCH | LOOKUP_NONOTIFY);
  if (e === undefined) throw Err.noSuchKey();
  return e;
}

/** A stable stand-in for the object's address ("Value at:%p"). */
function fakeAddress(e: Entry): string {
  return '0x' + (0x7f0000000000 + e.seq * 24).toString(16);
}

/** rdbSavedObjectLen: the serialized value without its type byte (and without DUMP's version and checksum). */
function serializedLength(ctx: Context, e: Entry): number {
  if (e.type === 'stream') return 0; // no RDB writer for streams yet
  const cfg = ctx.engine.config;
  const p = createDumpPayload(e, { compression: cfg.getBool('rdbcompression'), compressDepth: cfg.getInt('list-compress-depth') });
  return p.length - 1 - 10;
}

/** DEBUG OBJECT <key> [fast]. */
function debugObject(ctx: Context, argv: readonly Bytes[]): Reply {
  const fast = argv.length === 4 && isToken(argv[3]!, 'FAST');
  const e = find(ctx, argv[2]!);
  let extra = '';
  const enc = encodingOf(e);
  if (e.type === 'list' && enc === 'quicklist') {
    const l = e.value as ListValue;
    extra += ` ql_nodes:${l.nodes} ql_avg_node:${(l.length / l.nodes).toFixed(2)} ql_listpack_max:${l.fill}`;
    extra += ` ql_compressed:${ctx.engine.config.getInt('list-compress-depth') !== 0 ? 1 : 0}`;
    if (!fast) {
      let sz = 0;
      for (let n = l.head; n !== null; n = n.next) sz += n.sz;
      extra += ` ql_uncompressed_size:${sz}`;
    }
  }
  let s = `Value at:${fakeAddress(e)} refcount:1 encoding:${enc}`;
  if (!fast) s += ` serializedlength:${serializedLength(ctx, e)}`;
  if (ctx.engine.lfu.on) {
    const lfu = e.lfu ?? lfuInit(e.lru);
    const freq = lfuCounter(lfuDecay(lfu, ctx.now, ctx.engine.lfu.decayTime));
    s += ` lfu_freq:${freq} lfu_access_time_minutes:${lfu >> 8}`;
  } else {
    const lruClock = Math.floor(e.lru / 1000) & 0xffffff;
    const idle = ((Math.floor(ctx.now / 1000) & 0xffffff) - lruClock) & 0xffffff;
    s += ` lru:${lruClock} lru_seconds_idle:${idle}`;
  }
  return R.simple(s + extra);
}

/**
 * DEBUG SDSLEN <key>: the key's sds, the object's allocation, and the
 * value's sds as Valkey 9 lays them out (createEmbeddedStringObjectWithKeyAndExpire:
 * an embedded value takes what the allocation has left, after room for an
 * expiry when 8 bytes are spare; a raw value has an allocation of its own).
 */
function sdslen(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[2]!;
  const e = find(ctx, key);
  const enc = encodingOf(e);
  if (e.type !== 'string' || enc === 'int') throw Err.generic('Not an sds encoded string.');
  const v = e.value as Bytes;
  const ttl = e.expireAt !== 0 || e.expireSlot === true;
  let objAlloc: number;
  let avail: number;
  let valAlloc = 0;
  if (enc === 'embstr') {
    const head = 8 + (ttl ? 8 : 0) + 1 + sdsReqSize(key.length);
    const min = head + Math.max(3 + v.length + 1, 8);
    objAlloc = jeSize(min);
    const spare = !ttl && objAlloc >= min + 8 ? 8 : 0;
    avail = objAlloc - head - spare - 3 - v.length - 1;
  } else {
    objAlloc = robjSize(key.length, ttl);
    valAlloc = e.sds?.alloc ?? sdsAlloc(v.length);
    const hdr = e.sds?.hdr ?? sdsHdr(v.length, v.length === 0);
    avail = valAlloc - hdr - v.length - 1;
  }
  return R.simple(`key_sds_len:${key.length} key_sds_avail:0 obj_alloc:${objAlloc} val_sds_len:${v.length} val_sds_avail:${avail} val_alloc:${valAlloc}`);
}

/** DEBUG RELOAD [MERGE|NOFLUSH|NOSAVE]... */
function reload(ctx: Context, argv: readonly Bytes[]): Reply {
  let merge = false;
  let flush = true;
  let save = true;
  for (let j = 2; j < argv.length; j++) {
    const o = argv[j]!;
    if (isToken(o, 'MERGE')) merge = true;
    else if (isToken(o, 'NOFLUSH')) flush = false;
    else if (isToken(o, 'NOSAVE')) save = false;
    else throw Err.generic('DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
  }
  const p = ctx.engine.persistence;
  if (save && !p.save(ctx.now, 'internal')) throw Err.raw('ERR');
  let r;
  try {
    // Loading sees the real time of the load, not the command's snapshot.
    r = p.load({ flush, merge }, ctx.engine.clock.now());
  } catch {
    throw Err.generic('Error trying to load the RDB dump, check server logs.');
  }
  if (r.duplicate) return crash(ctx); // "Duplicated key found in RDB file": Valkey panics
  if (r.functionError !== undefined) throw Err.generic('Error trying to load the RDB dump, check server logs.');
  return R.ok;
}

/**
 * DEBUG LOADAOF: with appendonly yes, the data comes back as the AOF (its
 * RDB preamble and the commands after it) would rebuild it: here through the
 * RDB code, as RELOAD does. Without AOF files Valkey empties the data and fails.
 */
function loadaof(ctx: Context): Reply {
  const engine = ctx.engine;
  const aof = engine.persistence.aofImage;
  if (engine.config.get('appendonly') === 'yes') {
    // The AOF holds what the dataset holds now.
    loadSnapshot(engine, takeSnapshot(engine, ctx.now), { flush: true, merge: false }, engine.clock.now());
  } else if (aof !== undefined) {
    // The files the last BGREWRITEAOF left.
    engine.emptyData(-1, ctx.now);
    loadRdb(engine, aof, { flush: true, merge: false }, engine.clock.now());
  } else {
    engine.emptyData(-1, ctx.now);
    throw Err.generic('Error trying to load the AOF files, check server logs.');
  }
  engine.stats.dirty = 0;
  return R.ok;
}

/** DEBUG POPULATE <count> [prefix] [size]. */
function populate(ctx: Context, argv: readonly Bytes[]): Reply {
  const count = getPositiveLong(argv[2]!);
  const size = argv.length === 5 ? getPositiveLong(argv[4]!) : 0;
  const prefix = argv.length === 3 ? 'key' : argv[3]!;
  for (let j = 0; j < count; j++) {
    const key = `${prefix}:${j}`.slice(0, 127);
    if (ctx.write(key) !== undefined) continue;
    let val = `value:${j}`;
    if (size > 0) val = val.length >= size ? val.slice(0, size) : val + '\0'.repeat(size - val.length);
    ctx.db.set(key, 'string', val, ctx.now);
    ctx.modified(key);
  }
  return R.ok;
}

/** DEBUG PROTOCOL <type>: one test value of each RESP type. */
function protocol(ctx: Context, argv: readonly Bytes[]): Reply {
  const name = argv[2]!;
  const ints = [R.int(0), R.int(1), R.int(2)];
  if (isToken(name, 'STRING')) return R.bulk('Hello World');
  if (isToken(name, 'INTEGER')) return R.int(12345);
  if (isToken(name, 'DOUBLE')) return R.double(3.141);
  if (isToken(name, 'BIGNUM')) return R.bignum('1234567999999999999999999999999999999');
  if (isToken(name, 'NULL')) return R.null;
  if (isToken(name, 'ARRAY')) return R.array(ints);
  if (isToken(name, 'SET')) return R.set(ints);
  if (isToken(name, 'MAP')) return R.map(ints.map((k, j) => [k, R.bool(j === 1)] as const));
  if (isToken(name, 'ATTRIB')) {
    return R.attr([[R.bulk('key-popularity'), R.array([R.bulk('key:123'), R.int(90)])]], R.bulk('Some real reply following the attribute'));
  }
  if (isToken(name, 'PUSH')) {
    if (ctx.resp < 3) throw Err.generic('RESP2 is not supported by this command');
    ctx.client.pendingPushes.push(R.push([R.bulk('server-cpu-usage'), R.int(42)]));
    return R.bulk('Some real reply following the push reply');
  }
  if (isToken(name, 'TRUE')) return R.bool(true);
  if (isToken(name, 'FALSE')) return R.bool(false);
  if (isToken(name, 'VERBATIM')) return R.verbatim('This is a verbatim\nstring');
  throw Err.generic('Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false');
}

/** DEBUG SLEEP <seconds>: the whole engine stops for that long, on its clock. */
function sleep(ctx: Context, argv: readonly Bytes[]): Reply {
  const d = leadingDouble(argv[2]!);
  // (long long)(dtime * 1000000): whole microseconds; nanosleep refuses a negative time.
  const us = Number.isFinite(d) ? Math.trunc(d * 1_000_000) : 0;
  if (us > 0) ctx.engine.clock.sleep?.(us / 1000);
  return R.ok;
}

/** DEBUG QUICKLIST-PACKED-THRESHOLD <size>: 0 restores the default (plain nodes by fill). */
function packedThreshold(ctx: Context, argv: readonly Bytes[]): Reply {
  const sz = memtoull(argv[2]!);
  if (sz === null || sz > (1n << 32n) - (1n << 20n)) throw Err.generic('argument must be a memory value bigger than 1 and smaller than 4gb');
  ctx.engine.debugFlags.packedThreshold = Number(sz);
  return R.ok;
}

/** DEBUG REPLYBUFFER PEAK-RESET-TIME <NEVER|RESET|ms> | RESIZING <0|1>: recorded nowhere (no reply buffers here). */
function replybuffer(_ctx: Context, argv: readonly Bytes[]): Reply {
  if (isToken(argv[2]!, 'PEAK-RESET-TIME')) {
    if (!isToken(argv[3]!, 'NEVER') && !isToken(argv[3]!, 'RESET')) getLong(argv[3]!);
  } else if (!isToken(argv[2]!, 'RESIZING')) {
    throw subcommandSyntaxError(argv);
  }
  return R.ok;
}

/** DEBUG PROTECT-CLIENT <id>. */
function protectClient(ctx: Context, argv: readonly Bytes[]): Reply {
  const s = argv[2]!;
  if (!/^[ \t\n\v\f\r]*[+-]?\d+$/.test(s)) throw Err.generic('Invalid client id');
  const v = BigInt(s.trim());
  if (v > 18446744073709551615n) throw Err.generic('Invalid client id');
  const id = BigInt.asUintN(64, v);
  if (!ctx.engine.clients.has(Number(id))) throw Err.generic('No such client');
  return R.ok;
}

/** DEBUG ERROR <string>: the string as an error reply, newlines made spaces. */
function debugError(_ctx: Context, argv: readonly Bytes[]): Reply {
  return R.error(argv[2]!.replace(/[\r\n]/g, ' '));
}

type Sub = { argc: (n: number) => boolean; run: (ctx: Context, argv: readonly Bytes[]) => Reply };
const any = (): boolean => true;
const exactly = (...ns: number[]) => (n: number): boolean => ns.includes(n);
const atLeast = (m: number) => (n: number): boolean => n >= m;
const ok = (): Reply => R.ok;
/** A switch that only takes its argument (atoi): OK. */
const flag = (set?: (ctx: Context, v: number) => void): Sub => ({
  argc: exactly(3),
  run: (ctx, argv) => {
    set?.(ctx, atoi(argv[2]!));
    return R.ok;
  },
});

const SUBCOMMANDS: Readonly<Record<string, Sub>> = {
  help: { argc: exactly(2), run: (_ctx, argv) => helpReply(argv[0]!, DEBUG_HELP) },
  segfault: { argc: any, run: crash },
  panic: { argc: any, run: crash },
  assert: { argc: any, run: crash },
  oom: { argc: any, run: crash },
  restart: { argc: any, run: restartReply },
  'crash-and-recover': { argc: any, run: restartReply },
  log: { argc: exactly(3), run: ok },
  leak: { argc: exactly(3), run: ok },
  reload: { argc: any, run: reload },
  loadaof: { argc: any, run: loadaof },
  'drop-cluster-packet-filter': { argc: exactly(3), run: (_ctx, argv) => (getLong(argv[2]!), R.ok) },
  'close-cluster-link-on-packet-drop': flag(),
  'disable-cluster-random-ping': flag(),
  'disable-cluster-reconnection': flag(),
  slotmigration: {
    argc: any,
    run: (ctx, argv) => {
      if (argv.length < 4) return crash(ctx); // argv[2] / argv[3] read past the end: the real server crashes
      if (!isToken(argv[2]!, 'PREVENT-PAUSE') && !isToken(argv[2]!, 'PREVENT-FAILOVER')) throw subcommandSyntaxError(argv);
      return R.ok;
    },
  },
  object: { argc: exactly(3, 4), run: debugObject },
  sdslen: { argc: exactly(3), run: sdslen },
  listpack: {
    argc: exactly(3),
    run: (ctx, argv) => {
      if (encodingOf(lookup(ctx, argv[2]!)) !== 'listpack') throw Err.generic('Not a listpack encoded object.');
      return R.simple('Listpack structure printed on stdout');
    },
  },
  quicklist: {
    argc: exactly(3, 4),
    run: (ctx, argv) => {
      if (encodingOf(lookup(ctx, argv[2]!)) !== 'quicklist') throw Err.generic('Not a quicklist encoded object.');
      return R.simple('Quicklist structure printed on stdout');
    },
  },
  populate: { argc: exactly(3, 4, 5), run: populate },
  digest: { argc: exactly(2), run: (ctx) => R.simple(datasetDigest(ctx.engine.allDbs(), ctx.now)) },
  'digest-value': {
    argc: atLeast(2),
    run: (ctx, argv) => R.array(argv.slice(2).map((k) => R.simple(valueDigest(ctx.db.peek(k), ctx.now)))),
  },
  protocol: { argc: exactly(3), run: protocol },
  sleep: { argc: exactly(3), run: sleep },
  'set-active-expire': flag((ctx, v) => (ctx.engine.debugFlags.activeExpire = v !== 0)),
  'quicklist-packed-threshold': { argc: exactly(3), run: packedThreshold },
  'set-skip-checksum-validation': flag((ctx, v) => (ctx.engine.debugFlags.skipChecksum = v !== 0)),
  'aof-flush-sleep': flag(),
  replicate: { argc: atLeast(3), run: ok },
  error: { argc: exactly(3), run: debugError },
  structsize: {
    argc: exactly(2),
    run: () => R.bulk('bits:64 robj:16 dictentry:24 sdshdr5:1 sdshdr8:3 sdshdr16:5 sdshdr32:9 sdshdr64:17 '),
  },
  // Valkey's hashtable sizes follow its incremental rehashing step by step: not modelled.
  htstats: { argc: atLeast(3), run: () => { throw Err.generic('DEBUG HTSTATS is not implemented by valkey-double yet'); } },
  'htstats-key': { argc: atLeast(3), run: () => { throw Err.generic('DEBUG HTSTATS-KEY is not implemented by valkey-double yet'); } },
  'change-repl-id': {
    argc: exactly(2),
    run: (ctx) => {
      serverCounters(ctx.engine).replId = ctx.engine.rng.hex(40);
      return R.ok;
    },
  },
  'stringmatch-test': { argc: exactly(2), run: () => R.simple('Apparently the server did not crash: test passed') },
  'set-disable-deny-scripts': flag((ctx, v) => (ctx.engine.debugFlags.disableDenyScripts = v !== 0)),
  'config-rewrite-force-all': { argc: exactly(2), run: () => { throw Err.generic('CONFIG-REWRITE-FORCE-ALL failed: Bad address'); } },
  'client-eviction': {
    argc: exactly(2),
    run: (ctx) => {
      if (ctx.engine.config.get('maxmemory-clients') === '0') throw Err.generic('maxmemory-clients is disabled.');
      throw Err.generic('DEBUG CLIENT-EVICTION is not implemented by valkey-double yet');
    },
  },
  'pause-cron': flag((ctx, v) => (ctx.engine.debugFlags.pauseCron = v !== 0)),
  replybuffer: { argc: exactly(4), run: replybuffer },
  'pause-after-fork': flag(),
  'delay-rdb-client-free-seconds': flag(),
  'dict-resizing': flag(),
  'hashtable-can-abort-shrink': flag(),
  'client-enforce-reply-list': flag(),
  'force-free-primary-async': flag(),
  mallctl: { argc: atLeast(3), run: noSuchMallctl },
  'mallctl-str': { argc: atLeast(3), run: noSuchMallctl },
  'protect-client': { argc: exactly(3), run: protectClient },
  'force-tls-write-error': { argc: exactly(3), run: () => { throw Err.generic('TLS is not enabled'); } },
  clusterlink: { argc: any, run: () => { throw Err.generic('Debug option only available for cluster mode enabled setup!'); } },
};

/** je_mallctl of a name it does not know: strerror(ENOENT). A value to set must still be an integer for MALLCTL. */
function noSuchMallctl(_ctx: Context, argv: readonly Bytes[]): Reply {
  if (isToken(argv[1]!, 'MALLCTL') && argv.length > 3) getLong(argv[3]!);
  throw Err.generic('No such file or directory');
}

/** RESTART / CRASH-AND-RECOVER [<milliseconds>]: the server cannot restart itself here. */
function restartReply(_ctx: Context, argv: readonly Bytes[]): Reply {
  if (argv.length >= 3 && parseLongLong(argv[2]!) === null) throw Err.notInteger();
  throw Err.generic('failed to restart the server. Check server logs.');
}

function debug(ctx: Context, argv: readonly Bytes[]): Reply {
  const name = argv[1]!.toLowerCase();
  const sub = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (sub === undefined || !sub.argc(argv.length)) throw subcommandSyntaxError(argv);
  return sub.run(ctx, argv);
}

export const debugCommands: CommandGroup = { debug };
