/**
 * Server commands (Valkey group "server"): INFO, CONFIG, DBSIZE, FLUSHDB,
 * FLUSHALL, SWAPDB, TIME, LASTSAVE, SAVE, BGSAVE, LOLWUT. The COMMAND
 * container lives in introspection.ts.
 */
import { replicaof, roleReply } from '../replication/info.js';
import { scriptingMemory } from '../scripting/memory.js';
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { getLong, getLongLong, isToken, parseLongLong } from '../args.js';
import type { CommandEntry, CommandGroup } from '../command.js';
import type { CommandLogType } from '../commandlog.js';
import { LatencyMonitor, sparkline, type TimeSeries } from '../latency.js';
import { latencyDoctor } from '../latency-doctor.js';
import type { Context } from '../context.js';
import type { Engine } from '../engine.js';
import { Err } from '../errors.js';
import { helpReply, subcommandSyntaxError } from '../help.js';
import { memoryUsage } from '../memory/usage.js';
import { rewriteConfig } from '../config-rewrite.js';
import { strerror } from '../files.js';
import { restore } from './generic.js';
import { estimateMemory, fixed2, infoString, REDIS_VERSION, serverCounters, VALKEY_VERSION } from '../info.js';
import { lolwut5, lolwut6, lolwut9, type LolwutOptions } from '../lolwut.js';

export { serverCounters } from '../info.js';

const CONFIG_HELP = [
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
];

const MODULE_HELP = [
  'LIST',
  '    Return a list of loaded modules.',
  'LOAD <path> [<arg> ...]',
  '    Load a module library from <path>, passing to it any optional arguments.',
  'LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]',
  '    Load a module library from <path>, while passing it module configurations and optional arguments.',
  'UNLOAD <name>',
  '    Unload a module.',
];

// -------------------------------------------------------------- flushing ---

/** getFlushCommandFlags: FLUSHDB / FLUSHALL take SYNC or ASYNC, nothing else. */
function checkFlushArgs(argv: readonly Bytes[]): boolean {
  if (argv.length === 1) return true;
  if (argv.length === 2 && (isToken(argv[1]!, 'SYNC') || isToken(argv[1]!, 'ASYNC'))) return isToken(argv[1]!, 'ASYNC');
  throw Err.syntax();
}


// ----------------------------------------------------------------- CONFIG ---

/** CONFIG GET values that follow the process rather than the table. */
function processValue(engine: Engine, name: string, value: string): string {
  if (name === 'port' && engine.process.tcpPort) return String(engine.process.tcpPort);
  return value;
}

// ----------------------------------------------------------------- MEMORY ---

const MEMORY_HELP = [
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
];

/** object.c OBJ_COMPUTE_SIZE_DEF_SAMPLES. */
const DEF_SAMPLES = 5;

function memoryUsageCmd(ctx: Context, argv: readonly Bytes[]): Reply {
  let samples = DEF_SAMPLES;
  for (let j = 3; j < argv.length; j++) {
    if (isToken(argv[j]!, 'SAMPLES') && j + 1 < argv.length) {
      const n = getLongLong(argv[j + 1]!);
      if (n < 0n) throw Err.syntax();
      samples = n === 0n ? 0 : n > 2147483647n ? 0 : Number(n);
      j++;
    } else throw Err.syntax();
  }
  // dbFind: no expiry check, no access-time update, no hit/miss counting.
  const e = ctx.db.peek(argv[2]!);
  if (e === undefined) return R.null;
  return R.int(memoryUsage(argv[2]!, e, samples, ctx.engine.config.getInt('list-compress-depth')));
}

/** kvstoreMemUsage of a keyspace table holding `n` entries (an empty kvstore, or one hashtable of 7-entry buckets). */
function kvstoreMem(n: number): number {
  if (n === 0) return 112;
  let buckets = 1;
  while (buckets * 7 < n) buckets *= 2;
  return 112 + 16 + 80 + 64 * buckets;
}

/** MEMORY STATS: the fields of getMemoryOverheadData with this process's estimates (the figures are process-specific). */
function memoryStats(ctx: Context): Reply {
  const engine = ctx.engine;
  const m = estimateMemory(engine);
  const sm = scriptingMemory(engine.scripting);
  const caches = sm.scriptsEval + sm.functions;
  const dbs: [Reply, Reply][] = [];
  let dbOverhead = 0;
  let lut = 0;
  for (const db of engine.allDbs()) {
    if (db.id !== 0 && db.size === 0) continue;
    const main = kvstoreMem(db.size) + 16 * db.size;
    const expires = kvstoreMem(db.volatileCount);
    dbOverhead += main + expires;
    lut += (db.size > 0 ? 160 : 0) + (db.volatileCount > 0 ? 160 : 0);
    dbs.push([R.bulk(`db.${db.id}`), R.map([[R.bulk('overhead.hashtable.main'), R.int(main)], [R.bulk('overhead.hashtable.expires'), R.int(expires)]])]);
  }
  let keys = 0;
  for (const db of engine.allDbs()) keys += db.size;
  const total = m.used;
  const overhead = m.startup + caches + dbOverhead;
  const dataset = Math.max(0, total - overhead);
  const net = total - m.startup;
  const allocated = total + 512 * 1024;
  const active = Math.round(allocated * 1.15);
  const resident = Math.round(active * 1.7);
  const rss = Math.round(resident * 1.3);
  const f = (k: string, v: Reply): [Reply, Reply] => [R.bulk(k), v];
  return R.map([
    f('peak.allocated', R.int(total)),
    f('total.allocated', R.int(total)),
    f('startup.allocated', R.int(m.startup)),
    f('replication.backlog', R.int(0)),
    f('replicas.repl.buffer', R.int(0)),
    f('clients.slaves', R.int(0)),
    f('clients.normal', R.int(0)),
    f('cluster.links', R.int(0)),
    f('cluster.slot_import', R.int(0)),
    f('cluster.slot_export', R.int(0)),
    f('aof.buffer', R.int(0)),
    f('lua.caches', R.int(sm.scriptsEval)),
    f('functions.caches', R.int(sm.functions)),
    ...dbs,
    f('overhead.db.hashtable.lut', R.int(lut)),
    f('overhead.db.hashtable.rehashing', R.int(0)),
    f('overhead.total', R.int(overhead)),
    f('db.dict.rehashing.count', R.int(0)),
    f('keys.count', R.int(keys)),
    f('keys.bytes-per-key', R.int(keys === 0 ? 0 : Math.floor(net / keys))),
    f('dataset.bytes', R.int(dataset)),
    f('dataset.percentage', R.double(net > 0 ? (dataset * 100) / net : 0)),
    f('peak.percentage', R.double(100)),
    f('allocator.allocated', R.int(allocated)),
    f('allocator.active', R.int(active)),
    f('allocator.resident', R.int(resident)),
    f('allocator.muzzy', R.int(0)),
    f('allocator-fragmentation.ratio', R.double(active / allocated)),
    f('allocator-fragmentation.bytes', R.int(active - allocated)),
    f('allocator-rss.ratio', R.double(resident / active)),
    f('allocator-rss.bytes', R.int(resident - active)),
    f('rss-overhead.ratio', R.double(rss / resident)),
    f('rss-overhead.bytes', R.int(rss - resident)),
    f('fragmentation', R.double(rss / total)),
    f('fragmentation.bytes', R.int(rss - total)),
  ]);
}

/** getMemoryDoctorReport: the real server's verdicts for an instance below 5 MB, and for one with no issue. */
function memoryDoctor(ctx: Context): Reply {
  const empty = estimateMemory(ctx.engine).used < 5 * 1024 * 1024;
  return R.verbatim(
    empty
      ? 'Hi Sam, this instance is empty or is using very little memory, my issues detector can\'t be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n'
      : 'Hi Sam, I can\'t find any memory issue in your instance. I can only account for what occurs on this base.\n',
  );
}

// ----------------------------------------------------------------- LOLWUT ---

function lolwut(ctx: Context, argv: readonly Bytes[]): Reply {
  const compat = ctx.engine.config.getBool('extended-redis-compatibility');
  const opts: LolwutOptions = { rng: ctx.engine.rng, banner: compat ? `Redis ver. ${REDIS_VERSION}` : `Valkey ver. ${VALKEY_VERSION}` };
  let v = VALKEY_VERSION;
  let args = argv;
  if (argv.length >= 3 && isToken(argv[1]!, 'VERSION')) {
    v = `${BigInt.asUintN(32, getLongLong(argv[2]!))}.0.0`;
    args = [argv[0]!, ...argv.slice(3)];
  }
  const longArg = (i: number): number | undefined => (i < args.length ? getLong(args[i]!) : undefined);
  let out: Bytes;
  if ((v[0] === '5' && v[1] === '.' && v[2] !== '9') || (v[0] === '4' && v[1] === '.' && v[2] === '9')) {
    const a: number[] = [];
    for (let i = 1; i <= 3 && i < args.length; i++) a.push(longArg(i)!);
    out = lolwut5(a, opts);
  } else if ((v[0] === '6' && v[1] === '.' && v[2] !== '9') || (v[0] === '5' && v[1] === '.' && v[2] === '9')) {
    const a: number[] = [];
    for (let i = 1; i <= 2 && i < args.length; i++) a.push(longArg(i)!);
    out = lolwut6(a, opts);
  } else if (v[0] === '9') {
    const n = args.length;
    if (n === 2 || n === 4 || n > 5) throw Err.generic('Syntax error. Use: LOLWUT [columns rows] [real imaginary]');
    const cols = longArg(1) ?? 80;
    const rows = longArg(2) ?? 40;
    let julia: [number, number] | undefined;
    if (n === 5) julia = [longDoubleAsFloat(args[3]!), longDoubleAsFloat(args[4]!)];
    out = lolwut9(cols, rows, julia, opts, fixed2);
  } else {
    out = `${opts.banner.replace(' ver. ', ' ver.')}\n`;
  }
  return R.verbatim(out);
}

const LD_RE = /^[+-]?(?:(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?|inf(?:inity)?)$/i;

/**
 * getLongDoubleFromObjectOrReply (string2ld: strtold, no spaces, no nan, no
 * overflow of a long double) followed by C's conversion to float. Hex floats
 * are not supported.
 */
function longDoubleAsFloat(s: Bytes): number {
  const m = LD_RE.exec(s);
  if (!m || s.length >= 5 * 1024 || (m[1] === '' && (m[2] === undefined || m[2] === '') && !/inf/i.test(s))) throw Err.notFloat();
  const v = Number(/inf/i.test(s) ? s.replace(/inf(inity)?/i, 'Infinity') : s);
  if (Number.isNaN(v)) throw Err.notFloat();
  const digits = ((m[1] ?? '') + (m[2] ?? '')).replace(/^0+/, '');
  if (digits !== '' && !/inf/i.test(s)) {
    // Decimal exponent of the value, to tell a long double's range from a double's.
    const intPart = (m[1] ?? '').replace(/^0+/, '');
    const exp = Number(m[3] ?? 0);
    const exp10 = intPart !== '' ? exp + intPart.length - 1 : exp - ((m[2] ?? '').search(/[1-9]/) + 1);
    if (exp10 > 4932) throw Err.notFloat();
    if (exp10 < -4951) throw Err.notFloat();
  }
  return Math.fround(v);
}

// ------------------------------------------- SLOWLOG / COMMANDLOG / LATENCY ---

const SLOWLOG_HELP = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
];

const COMMANDLOG_HELP = [
  'GET <count> <type>',
  '    Return top <count> entries of the specified <type> from the commandlog (-1 mean all).',
  '    Entries are made of:',
  '    id, timestamp,',
  '        time in microseconds for type of slow,',
  '        or size in bytes for type of large-request,',
  '        or size in bytes for type of large-reply',
  '    arguments array, client IP and port,',
  '    client name',
  'LEN <type>',
  '    Return the length of the specified type of commandlog.',
  'RESET <type>',
  '    Reset the specified type of commandlog.',
];

const LATENCY_HELP = [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
];

/** A GET count: -1 means all (getRangeLongFromObjectOrReply from -1 to LONG_MAX). */
function logCount(arg: Bytes, len: number): number {
  const v = parseLongLong(arg);
  if (v === null || v < -1n) throw Err.generic('count should be greater than or equal to -1');
  return v === -1n || v > BigInt(Math.min(len, Number.MAX_SAFE_INTEGER)) ? len : Number(v);
}

function commandLogType(arg: Bytes): CommandLogType {
  const t = arg.toLowerCase();
  if (t === 'slow' || t === 'large-request' || t === 'large-reply') return t;
  throw Err.generic('type should be one of the following: slow, large-request, large-reply');
}

function commandLogReply(ctx: Context, type: CommandLogType, count: number): Reply {
  return R.array(ctx.engine.commandLog.get(type, count).map((e) => R.array([
    R.int(e.id), R.int(e.time), R.int(e.value), R.bulks(e.argv), R.bulk(e.peer), R.bulk(e.name),
  ])));
}

/** lookupCommandBySds: "name" or "container|sub". */
function commandByFullName(ctx: Context, name: Bytes): CommandEntry | undefined {
  const parts = name.toLowerCase().split('|');
  if (parts.length > 2) return undefined;
  const base = ctx.engine.commands.get(parts[0]!);
  return parts.length === 1 ? base : base?.subcommands?.get(parts[1]!);
}

function histogramEntry(ctx: Context, cmd: CommandEntry): [Reply, Reply] | undefined {
  const h = ctx.engine.latency.histogram(cmd);
  if (!h) return undefined;
  return [R.bulk(cmd.fullname), R.map([
    [R.bulk('calls'), R.int(h.total)],
    [R.bulk('histogram_usec'), R.map(h.cdf().map(([us, n]) => [R.int(us), R.int(n)] as const))],
  ])];
}

function latencyHistogram(ctx: Context, argv: readonly Bytes[]): Reply {
  const out: [Reply, Reply][] = [];
  const add = (cmd: CommandEntry) => {
    const e = histogramEntry(ctx, cmd);
    if (e) out.push(e);
  };
  if (argv.length === 2) {
    const visit = (cmd: CommandEntry) => {
      add(cmd);
      if (cmd.subcommands) for (const sub of cmd.subcommands.values()) visit(sub);
    };
    for (const cmd of ctx.engine.commands.values()) visit(cmd);
  } else {
    for (const name of argv.slice(2)) {
      const cmd = commandByFullName(ctx, name);
      if (!cmd) continue;
      add(cmd);
      if (cmd.subcommands) for (const sub of cmd.subcommands.values()) add(sub);
    }
  }
  return R.map(out);
}

/** latencyCommandGenSparkeline: the event's samples as an 80-column graph labelled with their age. */
function latencyGraph(ctx: Context, event: string, ts: TimeSeries): string {
  const now = Math.floor(ctx.engine.clock.now() / 1000);
  const samples = LatencyMonitor.samples(ts);
  let min = 0;
  let max = 0;
  samples.forEach((s, i) => {
    if (i === 0) min = max = s.latency;
    else {
      if (s.latency > max) max = s.latency;
      if (s.latency < min) min = s.latency;
    }
  });
  const age = (t: number): string => {
    const elapsed = now - t;
    if (elapsed < 60) return `${elapsed}s`;
    if (elapsed < 3600) return `${Math.trunc(elapsed / 60)}m`;
    if (elapsed < 3600 * 24) return `${Math.trunc(elapsed / 3600)}h`;
    return `${Math.trunc(elapsed / (3600 * 24))}d`;
  };
  return `${event} - high ${max} ms, low ${min} ms (all time high ${ts.max} ms)\n` + '-'.repeat(80) + '\n'
    + sparkline(samples.map((s) => ({ value: s.latency, label: age(s.time) })), 80, 4);
}

// --------------------------------------------------------------- commands ---

export const serverCommands: CommandGroup = {
  /** MONITOR: from now on every command is fed to this client (engine.feedMonitors); a second MONITOR answers nothing. */
  monitor(ctx) {
    const c = ctx.client;
    if (c.denyBlocking) throw Err.generic("MONITOR isn't allowed for DENY BLOCKING client");
    if (c.monitor) return R.seq([]);
    c.monitor = true;
    ctx.engine.monitors.add(c);
    return R.ok;
  },

  info: (ctx, argv) => R.verbatim(infoString(ctx, argv.slice(1))),

  dbsize: (ctx) => R.int(ctx.db.size),

  lastsave: (ctx) => R.int(ctx.engine.stats.lastSave),

  time(ctx) {
    // server.ustime is cached per execution unit: a script's commands see the script's start, EXEC's its own.
    const run = ctx.client.script ? ctx.engine.scripting.running : null;
    const us = run ? run.nowUs : ctx.inExec ? ctx.now * 1000 : Math.floor(ctx.engine.clock.nowUs());
    const s = Math.floor(us / 1e6);
    return R.array([R.bulk(String(s)), R.bulk(String(us - s * 1e6))]);
  },

  flushdb(ctx, argv) {
    checkFlushArgs(argv);
    ctx.dirty(ctx.engine.emptyData(ctx.client.db, ctx.now));
    ctx.forcePropagation();
    return R.ok;
  },

  flushall(ctx, argv) {
    checkFlushArgs(argv);
    ctx.dirty(ctx.engine.emptyData(-1, ctx.now));
    ctx.forcePropagation();
    // flushAllDataAndResetRDB: with save points, the empty dataset is saved at once.
    if (ctx.engine.persistence.hasSavePoints) ctx.engine.persistence.save(ctx.now, 'internal');
    return R.ok;
  },

  swapdb(ctx, argv) {
    if (ctx.engine.config.getBool('cluster-enabled')) throw Err.generic('SWAPDB is not allowed in cluster mode');
    const id1 = intArg(argv[1]!, 'invalid first DB index');
    const id2 = intArg(argv[2]!, 'invalid second DB index');
    const n = ctx.engine.databases;
    if (id1 < 0 || id1 >= n || id2 < 0 || id2 >= n) throw Err.dbIndexOutOfRange();
    if (id1 !== id2) {
      const a = ctx.engine.db(id1);
      const b = ctx.engine.db(id2);
      ctx.engine.touchAllWatched(a, b, ctx.now);
      ctx.engine.touchAllWatched(b, a, ctx.now);
      // Keys that leave either database wake their XREADGROUP clients (scanDatabaseForDeletedKeys).
      for (const db of [a, b]) for (const k of db.keys()) ctx.engine.keyReady(db, k);
      a.swapContents(b);
      // Clients blocked on a key of either database may be served now.
      for (const db of [a, b]) for (const k of db.keys()) ctx.engine.keyReady(db, k);
    }
    ctx.dirty();
    return R.ok;
  },

  save(ctx) {
    if (!ctx.engine.persistence.save(ctx.now, 'save')) throw Err.raw('ERR');
    return R.ok;
  },

  bgsave(ctx, argv) {
    const p = ctx.engine.persistence;
    if (argv.length > 1) {
      if (argv.length === 2 && isToken(argv[1]!, 'SCHEDULE')) {
        // No child process is ever running here, so SCHEDULE starts at once (outside MULTI).
      } else if (argv.length === 2 && isToken(argv[1]!, 'CANCEL')) {
        // A background save is finished by the time BGSAVE answers: only a scheduled one can be cancelled.
        if (!p.scheduled) throw Err.generic('Background saving is currently not in progress or scheduled');
        p.scheduled = false;
        return R.simple('Scheduled background saving cancelled');
      } else {
        throw Err.syntax();
      }
    }
    if (ctx.inExec) {
      // Run by the cron once the transaction is done.
      p.scheduled = true;
      return R.simple('Background saving scheduled');
    }
    p.save(ctx.now, 'bgsave');
    return R.simple('Background saving started');
  },

  // The rewrite is done by the time it answers (no child process); the AOF is the dataset as an RDB preamble.
  bgrewriteaof(ctx) {
    ctx.engine.persistence.rewriteAof(ctx.now);
    return R.simple(ctx.inExec ? 'Background append only file rewriting scheduled' : 'Background append only file rewriting started');
  },

  lolwut,

  shutdown(ctx, argv) {
    const f = { nosave: false, save: false, now: false, force: false, abort: false, safe: false, failover: false };
    for (const a of argv.slice(1)) {
      const k = a.toLowerCase();
      if (!(k in f)) throw Err.syntax();
      f[k as keyof typeof f] = true;
    }
    if ((f.abort && (f.nosave || f.save || f.now || f.force || f.safe || f.failover)) || (f.nosave && f.save)) throw Err.syntax();
    if (f.failover && !ctx.engine.config.getBool('cluster-enabled')) throw Err.generic('SHUTDOWN FAILOVER is only supported in cluster mode.');
    // Nothing ever waits for replicas here, so no shutdown is ever in progress.
    if (f.abort) throw Err.generic('No shutdown in progress.');
    if (!f.now && ctx.client.denyBlocking) throw Err.generic("SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client");
    // prepareForShutdown: the file Valkey writes when save points are set (or SAVE is given); a failed
    // save keeps the server up unless FORCE.
    if (f.save || (!f.nosave && ctx.engine.persistence.hasSavePoints)) {
      if (!ctx.engine.persistence.save(ctx.now, 'internal') && !f.force) {
        throw Err.generic('Errors trying to SHUTDOWN. Check logs.');
      }
    }
    // The server goes away without answering: the connection just closes.
    ctx.client.dropReplies++;
    ctx.engine.shutdown();
    return R.ok;
  },

  role: (ctx) => roleReply(ctx.engine),
  replicaof,
  slaveof: replicaof,

  // --- SLOWLOG, COMMANDLOG, LATENCY ---

  'slowlog|help': (_ctx, argv) => helpReply(argv[0]!, SLOWLOG_HELP),
  'slowlog|len': (ctx) => R.int(ctx.engine.commandLog.len('slow')),
  'slowlog|reset'(ctx) {
    ctx.engine.commandLog.reset('slow');
    return R.ok;
  },
  'slowlog|get'(ctx, argv) {
    if (argv.length > 3) throw subcommandSyntaxError(argv);
    return commandLogReply(ctx, 'slow', argv.length === 3 ? logCount(argv[2]!, ctx.engine.commandLog.len('slow')) : 10);
  },

  'commandlog|help': (_ctx, argv) => helpReply(argv[0]!, COMMANDLOG_HELP),
  'commandlog|len': (ctx, argv) => R.int(ctx.engine.commandLog.len(commandLogType(argv[2]!))),
  'commandlog|reset'(ctx, argv) {
    ctx.engine.commandLog.reset(commandLogType(argv[2]!));
    return R.ok;
  },
  'commandlog|get'(ctx, argv) {
    // The count is checked before the type, as Valkey does.
    const count = logCount(argv[2]!, Infinity);
    const type = commandLogType(argv[3]!);
    return commandLogReply(ctx, type, Math.min(count, ctx.engine.commandLog.len(type)));
  },

  'latency|help': (_ctx, argv) => helpReply(argv[0]!, LATENCY_HELP),
  'latency|history'(ctx, argv) {
    const ts = ctx.engine.latency.events.get(argv[2]!);
    return R.array(ts ? LatencyMonitor.samples(ts).map((s) => R.array([R.int(s.time), R.int(s.latency)])) : []);
  },
  'latency|latest'(ctx) {
    return R.array([...ctx.engine.latency.events].map(([event, ts]) => {
      const last = LatencyMonitor.latest(ts);
      return R.array([R.bulk(event), R.int(last.time), R.int(last.latency), R.int(ts.max), R.int(ts.sum), R.int(ts.cnt)]);
    }));
  },
  'latency|graph'(ctx, argv) {
    const ts = ctx.engine.latency.events.get(argv[2]!);
    if (!ts) throw Err.generic(`No samples available for event '${argv[2]!}'`);
    return R.verbatim(latencyGraph(ctx, argv[2]!, ts));
  },
  'latency|doctor': (ctx) => R.verbatim(latencyDoctor(ctx.engine)),
  'latency|reset'(ctx, argv) {
    if (argv.length === 2) return R.int(ctx.engine.latency.reset());
    let n = 0;
    for (const e of argv.slice(2)) n += ctx.engine.latency.reset(e);
    return R.int(n);
  },
  'latency|histogram': latencyHistogram,

  // --- CONFIG ---

  'config|help': (_ctx, argv) => helpReply(argv[0]!, CONFIG_HELP),
  'memory|help': (_ctx, argv) => helpReply(argv[0]!, MEMORY_HELP),
  'memory|usage': memoryUsageCmd,
  'memory|stats': memoryStats,
  'memory|doctor': memoryDoctor,
  // valkey-double has no jemalloc to report on: the answer of a Valkey built with libc malloc.
  'memory|malloc-stats': () => R.bulk('Stats not supported for the current allocator'),
  'memory|purge': () => R.ok,
  // The RESTORE a cluster node receives during MIGRATE (restoreCommand).
  'restore-asking': restore,

  'config|get'(ctx, argv) {
    const pairs = ctx.engine.config.getMatching(argv.slice(2));
    return R.map(pairs.map(([k, v]) => [R.bulk(k), R.bulk(processValue(ctx.engine, k.toLowerCase(), v))] as const));
  },

  'config|set'(ctx, argv) {
    if (argv.length & 1) throw Err.syntax();
    const pairs: [string, string][] = [];
    for (let i = 2; i < argv.length; i += 2) {
      pairs.push([argv[i]!, argv[i + 1]!]);
      // Every sensitive value is hidden, even when the command fails on another pair.
      if (ctx.engine.config.isSensitive(argv[i]!)) ctx.redact(i + 1);
    }
    ctx.engine.config.setMany(pairs);
    return R.ok;
  },

  'config|resetstat'(ctx) {
    const e = ctx.engine;
    const sc = serverCounters(e);
    const s = e.stats;
    s.connectionsReceived = 0;
    s.rejectedConnections = 0;
    s.expiredKeys = 0;
    s.evictedKeys = 0;
    s.expiredFields = 0;
    s.keyspaceHits = 0;
    s.keyspaceMisses = 0;
    s.errorReplies = 0;
    s.rejectedCalls = 0;
    s.errors.clear();
    sc.rdbSaves = 0;
    sc.lazyfreed = 0;
    const visit = (c: { stats: { calls: number; usec: number; rejected: number; failed: number }; subcommands?: ReadonlyMap<string, unknown> }) => {
      c.stats.calls = 0;
      c.stats.usec = 0;
      c.stats.rejected = 0;
      c.stats.failed = 0;
      if (c.subcommands) for (const sub of c.subcommands.values()) visit(sub as typeof c);
    };
    for (const c of e.commands.values()) visit(c);
    e.latency.resetHistograms();
    // Valkey counts a command once it has run: RESETSTAT itself is the first one counted after the reset.
    ctx.cmd.stats.calls = 1;
    s.commandsProcessed = 1;
    return R.ok;
  },

  // MODULE: Valkey 9.1's Lua engine is a built-in module, the only one; loading any other fails as a
  // dlopen() of a file that is not a module does. Unloading "lua" (which Valkey allows) is not supported.
  'module|help': (_ctx, argv) => helpReply(argv[0]!, MODULE_HELP),
  'module|list': () => R.array([R.map([
    [R.bulk('name'), R.bulk('lua')], [R.bulk('ver'), R.int(1)], [R.bulk('path'), R.bulk('lua')], [R.bulk('args'), R.emptyArray],
  ])]),
  'module|load'() {
    throw Err.generic('Error loading the extension. Please check the server logs.');
  },
  'module|loadex'() {
    throw Err.generic('Error loading the extension. Please check the server logs.');
  },
  'module|unload'(_ctx, argv) {
    if (argv[2] === 'lua') throw Err.generic('Error unloading module: operation not possible.');
    throw Err.generic('Error unloading module: no such module with that name');
  },

  'config|rewrite'(ctx) {
    const e = ctx.engine;
    if (e.configFile === '') throw Err.generic('The server is running without a config file');
    try {
      let old = '';
      try {
        old = e.files!.read(e.configFile);
      } catch (err) {
        if ((err as { code?: string }).code !== 'ENOENT') throw err;
      }
      const users = e.acl.sortedUsers().map((u) => `user ${u.name} ${u.describe()}`);
      const live = { port: processValue(e, 'port', e.config.get('port')) };
      e.files!.write(e.configFile, rewriteConfig({ old, config: e.config, users, live }));
    } catch (err) {
      throw Err.generic(`Rewriting config file: ${strerror(err)}`);
    }
    return R.ok;
  },
};

/** getIntFromObjectOrReply with a custom message. */
function intArg(s: Bytes, msg: string): number {
  const v = parseLongLong(s);
  if (v === null || v < -2147483648n || v > 2147483647n) throw Err.generic(msg);
  return Number(v);
}
