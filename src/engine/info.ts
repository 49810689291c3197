/**
 * INFO: Valkey 9.1's sections, field names and formats (server.c
 * genValkeyInfoString). Counters come from the engine; values that only a
 * real process has (memory, CPU, event loop) are plausible estimates.
 */
import { scriptingMemory } from './scripting/memory.js';
import { release, totalmem, type as osType } from 'node:os';
import type { Bytes } from '../protocol/index.js';
import type { Context } from './context.js';
import type { Engine } from './engine.js';
import { CLIENT_MEMORY, STARTUP_MEMORY } from './eviction.js';

export const VALKEY_VERSION = '9.1.2';
export const REDIS_VERSION = '7.2.4';

import { replicationInfo } from './replication/info.js';

/** Counters and state INFO reports that the engine core does not keep. */
export interface ServerCounters {
  /** rdb_saves */
  rdbSaves: number;
  /** rdb_last_bgsave_time_sec (-1 before the first BGSAVE) */
  lastBgsaveTimeSec: number;
  /** master_replid */
  replId: string;
  /** lazyfreed_objects */
  lazyfreed: number;
}

/**
 * The engine's server counters, made once when the engine is built (so that
 * reading INFO never changes what the rng draws later).
 */
export function createServerCounters(engine: Engine): ServerCounters {
  const c: ServerCounters = { rdbSaves: 0, lastBgsaveTimeSec: -1, replId: engine.rng.hex(40), lazyfreed: 0 };
  // Valkey 9.1's built-in Lua engine runs CONFIG GET twice while the server
  // starts: a fresh server reports them in its command statistics.
  const configGet = engine.commands.get('config')?.subcommands?.get('get');
  if (configGet) {
    configGet.stats.calls += 2;
    engine.stats.commandsProcessed += 2;
  }
  return c;
}

export function serverCounters(engine: Engine): ServerCounters {
  return engine.counters;
}

/** Valkey's default INFO sections. */
const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list', 'errorstats', 'cluster', 'keyspace'];

/** bytesToHuman. */
export function bytesToHuman(n: number): string {
  const units: [number, string][] = [[2 ** 50, 'P'], [2 ** 40, 'T'], [2 ** 30, 'G'], [2 ** 20, 'M'], [2 ** 10, 'K']];
  if (n < 1024) return `${n}B`;
  if (n >= 2 ** 60) return `${n}B`;
  for (const [u, s] of units) if (n >= u) return `${(n / u).toFixed(2)}${s}`;
  return `${n}B`;
}

/** getSafeInfoString: '#', ':', CR and LF become '_'. */
function safe(s: string): string {
  return s.replace(/[#:\r\n]/g, '_');
}

/** printf("%.2f") with round-half-even on the exact binary value, as glibc does. */
export function fixed2(x: number): string {
  return fixedN(x, 2);
}

export function fixedN(x: number, digits: number): string {
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
  const neg = x < 0 || Object.is(x, -0);
  const exact = Math.abs(x).toFixed(100); // the exact decimal expansion of a double
  const dot = exact.indexOf('.');
  const intPart = exact.slice(0, dot);
  const frac = exact.slice(dot + 1);
  let keep = BigInt(intPart + frac.slice(0, digits));
  const rest = frac.slice(digits);
  const first = rest.charCodeAt(0) - 48;
  const tail = /[1-9]/.test(rest.slice(1));
  if (first > 5 || (first === 5 && (tail || keep % 2n === 1n))) keep += 1n;
  let s = keep.toString().padStart(digits + 1, '0');
  s = digits > 0 ? s.slice(0, s.length - digits) + '.' + s.slice(s.length - digits) : s;
  return (neg ? '-' : '') + s;
}

/** A rough memory estimate: the numbers only need to move sensibly. */
export function estimateMemory(engine: Engine): { used: number; dataset: number; overhead: number; startup: number } {
  const startup = STARTUP_MEMORY;
  const overhead = startup + engine.clients.size * CLIENT_MEMORY;
  const dataset = engine.evictor.datasetMemory();
  return { used: overhead + dataset, dataset, overhead, startup };
}

function uname(): string {
  try {
    return `${osType()} ${release()} ${process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : process.arch}`;
  } catch {
    return 'Linux 0.0.0 x86_64';
  }
}

function cpuTime(us: number): string {
  return `${Math.floor(us / 1e6)}.${String(Math.floor(us % 1e6)).padStart(6, '0')}`;
}

interface Section {
  name: string;
  title: string;
  lines(ctx: Context): string[];
}

const secs = (ms: number) => Math.floor(ms / 1000);

const SECTIONS: Section[] = [
  {
    name: 'server', title: 'Server', lines(ctx) {
      const e = ctx.engine;
      const now = ctx.now;
      const uptime = secs(now) - secs(e.startedAt);
      const hz = e.config.getInt('hz');
      const compat = e.config.getBool('extended-redis-compatibility');
      const cluster = e.config.getBool('cluster-enabled');
      const bind = e.config.get('bind');
      let listener = 'listener0:name=tcp';
      for (const b of bind === '' ? [] : bind.split(' ')) listener += `,bind=${b}`;
      const port = e.process.tcpPort || e.config.getInt('port');
      if (port) listener += `,port=${port}`;
      return [
        `redis_version:${REDIS_VERSION}`,
        'server_name:valkey',
        `valkey_version:${VALKEY_VERSION}`,
        'valkey_release_stage:ga',
        'redis_git_sha1:00000000',
        'redis_git_dirty:0',
        'redis_build_id:0000000000000000',
        `${compat ? 'redis' : 'server'}_mode:${cluster ? 'cluster' : 'standalone'}`,
        `os:${uname()}`,
        'arch_bits:64',
        'monotonic_clock:POSIX clock_gettime',
        'multiplexing_api:epoll',
        'gcc_version:0.0.0',
        `process_id:${e.process.pid}`,
        'process_supervised:no',
        `run_id:${e.runId}`,
        `tcp_port:${port}`,
        `server_time_usec:${Math.floor(e.clock.nowUs())}`,
        `uptime_in_seconds:${uptime}`,
        `uptime_in_days:${Math.floor(uptime / 86400)}`,
        `hz:${hz}`,
        `configured_hz:${hz}`,
        `clients_hz:${hz}`,
        `lru_clock:${secs(now) & ((1 << 24) - 1)}`,
        `executable:${e.process.executable}`,
        `config_file:${e.configFile}`,
        'io_threads_active:0',
        `availability_zone:${e.config.get('availability-zone')}`,
        listener,
      ];
    },
  },
  {
    name: 'tls', title: 'TLS', lines: () => [
      'tls_server_cert_serial:none', 'tls_server_cert_expires_in_seconds:0',
      'tls_client_cert_serial:none', 'tls_client_cert_expires_in_seconds:0',
      'tls_ca_cert_serial:none', 'tls_ca_cert_expires_in_seconds:0',
    ],
  },
  {
    name: 'clients', title: 'Clients', lines(ctx) {
      const e = ctx.engine;
      let blocked = 0;
      let pubsub = 0;
      let watching = 0;
      let tracking = 0;
      for (const c of e.clients.values()) {
        if (c.blocked) blocked++;
        if (c.inPubSub) pubsub++;
        if (c.watched.length) watching++;
        if (c.tracking) tracking++;
      }
      let watchedKeys = 0;
      for (const db of e.allDbs()) watchedKeys += db.watched.size;
      const bk = blockingStats(e);
      return [
        `connected_clients:${e.clients.size}`,
        'cluster_connections:0',
        `maxclients:${e.config.get('maxclients')}`,
        'client_recent_max_input_buffer:0',
        'client_recent_max_output_buffer:0',
        `blocked_clients:${blocked}`,
        `tracking_clients:${tracking}`,
        `pubsub_clients:${pubsub}`,
        `watching_clients:${watching}`,
        `clients_in_timeout_table:${bk.withTimeout}`,
        `total_watched_keys:${watchedKeys}`,
        `total_blocking_keys:${bk.keys}`,
        `total_blocking_keys_on_nokey:${bk.onNoKey}`,
        `paused_reason:${e.pause.current() === 'none' ? 'none' : 'client_pause'}`,
        `paused_actions:${e.pause.current()}`,
        `paused_timeout_milliseconds:${e.pause.remaining()}`,
      ];
    },
  },
  {
    name: 'memory', title: 'Memory', lines(ctx) {
      const e = ctx.engine;
      const m = estimateMemory(e);
      // The process's own resident set when the host tells it (a server does); else a typical V8 ratio to the estimate.
      const rss = e.process.rss?.() ?? Math.round(m.used * 7.5);
      const maxmemory = Number(e.config.get('maxmemory'));
      const sys = safeTotalMem();
      const sm = scriptingMemory(e.scripting);
      const lua = sm.vmEval;
      const functions = sm.vmFunctions;
      const pct = (a: number, b: number) => fixed2(b ? (a / b) * 100 : 0);
      return [
        `used_memory:${m.used}`,
        `used_memory_human:${bytesToHuman(m.used)}`,
        `used_memory_rss:${rss}`,
        `used_memory_rss_human:${bytesToHuman(rss)}`,
        `used_memory_peak:${m.used}`,
        `used_memory_peak_human:${bytesToHuman(m.used)}`,
        'used_memory_peak_perc:100.00%',
        `used_memory_overhead:${m.overhead}`,
        `used_memory_startup:${m.startup}`,
        `used_memory_dataset:${m.dataset}`,
        `used_memory_dataset_perc:${pct(m.dataset, m.used - m.startup)}%`,
        `allocator_allocated:${m.used + 300000}`,
        `allocator_active:${m.used + 400000}`,
        `allocator_resident:${m.used + 3000000}`,
        'allocator_muzzy:0',
        `total_system_memory:${sys}`,
        `total_system_memory_human:${bytesToHuman(sys)}`,
        `used_memory_lua:${lua}`,
        `used_memory_vm_eval:${lua}`,
        `used_memory_lua_human:${bytesToHuman(lua)}`,
        `used_memory_scripts_eval:${sm.scriptsEval}`,
        `number_of_cached_scripts:${e.scripting.scripts.size}`,
        `number_of_functions:${e.scripting.functions.size}`,
        `number_of_libraries:${e.scripting.libraries.size}`,
        `used_memory_vm_functions:${functions}`,
        `used_memory_vm_total:${lua + functions}`,
        `used_memory_vm_total_human:${bytesToHuman(lua + functions)}`,
        `used_memory_functions:${sm.functions}`,
        `used_memory_scripts:${sm.scriptsEval + sm.functions}`,
        `used_memory_scripts_human:${bytesToHuman(sm.scriptsEval + sm.functions)}`,
        `maxmemory:${maxmemory}`,
        `maxmemory_human:${bytesToHuman(maxmemory)}`,
        `maxmemory_policy:${e.config.get('maxmemory-policy')}`,
        'allocator_frag_ratio:1.09',
        'allocator_frag_bytes:120032',
        'allocator_rss_ratio:2.89',
        'allocator_rss_bytes:2666496',
        'rss_overhead_ratio:1.72',
        'rss_overhead_bytes:2920448',
        `mem_fragmentation_ratio:${fixed2(rss / m.used)}`,
        `mem_fragmentation_bytes:${rss - m.used}`,
        'mem_not_counted_for_evict:0',
        'mem_replication_backlog:0',
        'mem_total_replication_buffers:0',
        'mem_replicas_repl_buffer:0',
        'mem_clients_slaves:0',
        `mem_clients_normal:${e.clients.size * 20480}`,
        'mem_cluster_links:0',
        'mem_cluster_slot_import:0',
        'mem_cluster_slot_export:0',
        'mem_aof_buffer:0',
        'mem_allocator:jemalloc-5.3.0',
        'mem_overhead_db_hashtable_rehashing:0',
        'active_defrag_running:0',
        'lazyfree_pending_objects:0',
        `lazyfreed_objects:${serverCounters(e).lazyfreed}`,
      ];
    },
  },
  {
    name: 'persistence', title: 'Persistence', lines(ctx) {
      const e = ctx.engine;
      const sc = serverCounters(e);
      const aof = e.config.getBool('appendonly');
      const out = [
        'loading:0', 'async_loading:0', 'current_cow_peak:0', 'current_cow_size:0', 'current_cow_size_age:0',
        'current_fork_perc:0.00', 'current_save_keys_processed:0', 'current_save_keys_total:0',
        `rdb_changes_since_last_save:${e.stats.dirty}`,
        'rdb_bgsave_in_progress:0',
        `rdb_last_save_time:${e.stats.lastSave}`,
        `rdb_last_bgsave_status:${e.persistence.lastBgsaveOk ? 'ok' : 'err'}`,
        `rdb_last_bgsave_time_sec:${sc.lastBgsaveTimeSec}`,
        'rdb_current_bgsave_time_sec:-1',
        `rdb_saves:${sc.rdbSaves}`,
        'rdb_last_cow_size:0', `rdb_last_load_keys_expired:${e.persistence.lastLoadExpired}`,
        `rdb_last_load_keys_loaded:${e.persistence.lastLoadLoaded}`,
        `aof_enabled:${aof ? 1 : 0}`,
        'aof_rewrite_in_progress:0', 'aof_rewrite_scheduled:0', `aof_last_rewrite_time_sec:${e.persistence.aofRewrites ? 0 : -1}`,
        'aof_current_rewrite_time_sec:-1', 'aof_last_bgrewrite_status:ok', `aof_rewrites:${e.persistence.aofRewrites}`,
        'aof_rewrites_consecutive_failures:0', 'aof_last_write_status:ok', 'aof_last_cow_size:0',
        'module_fork_in_progress:0', 'module_fork_last_cow_size:0', 'slot_migration_fork_in_progress:0',
      ];
      if (aof) {
        out.push('aof_current_size:0', 'aof_base_size:0', 'aof_pending_rewrite:0', 'aof_buffer_length:0',
          'aof_pending_bio_fsync:0', 'aof_delayed_fsync:0');
      }
      return out;
    },
  },
  {
    name: 'stats', title: 'Stats', lines(ctx) {
      const e = ctx.engine;
      const s = e.stats;
      let netIn = 0;
      let netOut = 0;
      for (const c of e.clients.values()) {
        netIn += c.netIn;
        netOut += c.netOut;
      }
      let pubsubChannels = 0;
      const patterns = new Set<Bytes>();
      const channels = new Set<Bytes>();
      const shard = new Set<Bytes>();
      for (const c of e.clients.values()) {
        for (const ch of c.channels) channels.add(ch);
        for (const p of c.patterns) patterns.add(p);
        for (const ch of c.shardChannels) shard.add(ch);
      }
      pubsubChannels = channels.size;
      return [
        `total_connections_received:${s.connectionsReceived}`,
        `total_commands_processed:${Math.max(0, s.commandsProcessed - inFlight(ctx))}`,
        'instantaneous_ops_per_sec:0',
        `total_net_input_bytes:${netIn}`,
        `total_net_output_bytes:${netOut}`,
        'total_net_repl_input_bytes:0',
        'total_net_repl_output_bytes:0',
        'total_net_cluster_slot_import_bytes:0',
        'total_net_cluster_slot_export_bytes:0',
        'instantaneous_input_kbps:0.00',
        'instantaneous_output_kbps:0.00',
        'instantaneous_input_repl_kbps:0.00',
        'instantaneous_output_repl_kbps:0.00',
        `rejected_connections:${s.rejectedConnections}`,
        'sync_full:0',
        'sync_partial_ok:0',
        'sync_partial_err:0',
        `expired_keys:${s.expiredKeys}`,
        `expired_fields:${s.expiredFields}`,
        'expired_stale_perc:0.00',
        'expired_keys_with_volatile_items_stale_perc:0.00',
        'expired_time_cap_reached_count:0',
        'expire_cycle_cpu_milliseconds:0',
        `evicted_keys:${s.evictedKeys}`,
        'evicted_clients:0',
        `evicted_scripts:${e.scripting.evictedScripts}`,
        'total_eviction_exceeded_time:0',
        'current_eviction_exceeded_time:0',
        `keyspace_hits:${s.keyspaceHits}`,
        `keyspace_misses:${s.keyspaceMisses}`,
        `pubsub_channels:${pubsubChannels}`,
        `pubsub_patterns:${patterns.size}`,
        `pubsubshard_channels:${shard.size}`,
        'latest_fork_usec:0',
        'total_forks:0',
        `migrate_cached_sockets:${e.migrateLinks.size}`,
        'slave_expires_tracked_keys:0',
        'active_defrag_hits:0',
        'active_defrag_misses:0',
        'active_defrag_key_hits:0',
        'active_defrag_key_misses:0',
        'total_active_defrag_time:0',
        'current_active_defrag_time:0',
        `tracking_total_keys:${e.tracking.totalKeys}`,
        `tracking_total_items:${e.tracking.totalItems}`,
        `tracking_total_prefixes:${e.tracking.totalPrefixes}`,
        'unexpected_error_replies:0',
        `total_error_replies:${s.errorReplies}`,
        'dump_payload_sanitizations:0',
        `total_reads_processed:${s.commandsProcessed}`,
        `total_writes_processed:${s.commandsProcessed}`,
        'io_threaded_reads_processed:0',
        'io_threaded_writes_processed:0',
        'io_threaded_freed_objects:0',
        'io_threaded_accept_processed:0',
        'io_threaded_poll_processed:0',
        'io_threaded_total_prefetch_batches:0',
        'io_threaded_total_prefetch_entries:0',
        `client_query_buffer_limit_disconnections:${e.outputLimits.queryDisconnections}`,
        `client_output_buffer_limit_disconnections:${e.outputLimits.disconnections}`,
        'reply_buffer_shrinks:0',
        'reply_buffer_expands:0',
        `eventloop_cycles:${s.commandsProcessed}`,
        'eventloop_duration_sum:0',
        'eventloop_duration_cmd_sum:0',
        'instantaneous_eventloop_cycles_per_sec:0',
        'instantaneous_eventloop_duration_usec:0',
        `acl_access_denied_auth:${e.acl.stats.auth}`,
        `acl_access_denied_cmd:${e.acl.stats.cmd}`,
        `acl_access_denied_key:${e.acl.stats.key}`,
        `acl_access_denied_channel:${e.acl.stats.channel}`,
        'acl_access_denied_tls_cert:0',
        `acl_access_denied_db:${e.acl.stats.db}`,
      ];
    },
  },
  {
    name: 'replication', title: 'Replication', lines(ctx) {
      return replicationInfo(ctx.engine);
    },
  },
  {
    name: 'cpu', title: 'CPU', lines() {
      const u = typeof process !== 'undefined' ? process.cpuUsage() : { user: 0, system: 0 };
      return [
        `used_cpu_sys:${cpuTime(u.system)}`,
        `used_cpu_user:${cpuTime(u.user)}`,
        'used_cpu_sys_children:0.000000',
        'used_cpu_user_children:0.000000',
        `used_cpu_sys_main_thread:${cpuTime(u.system)}`,
        `used_cpu_user_main_thread:${cpuTime(u.user)}`,
        `used_active_time_main_thread:${cpuTime(u.user + u.system)}`,
      ];
    },
  },
  {
    name: 'module_list', title: 'Modules', lines: () => [
      'module:name=lua,ver=1,api=1,filters=0,usedby=[],using=[],options=[handle-repl-async-load|handle-atomic-slot-migration]',
    ],
  },
  {
    name: 'commandstats', title: 'Commandstats', lines(ctx) {
      const out: string[] = [];
      for (const { fullname, stats, calls } of commandStats(ctx)) {
        if (!calls && !stats.failed && !stats.rejected) continue;
        const perCall = calls === 0 ? 0 : stats.usec / calls;
        out.push(`cmdstat_${safe(fullname)}:calls=${calls},usec=${stats.usec},usec_per_call=${fixed2(Math.fround(perCall))},rejected_calls=${stats.rejected},failed_calls=${stats.failed}`);
      }
      return out;
    },
  },
  {
    name: 'errorstats', title: 'Errorstats', lines(ctx) {
      const errs = [...ctx.engine.stats.errors].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return errs.map(([code, n]) => `errorstat_${safe(code)}:count=${n}`);
    },
  },
  {
    name: 'latencystats', title: 'Latencystats', lines(ctx) {
      const e = ctx.engine;
      if (!e.config.getBool('latency-tracking')) return [];
      const ps = e.config.get('latency-tracking-info-percentiles');
      const percentiles = ps === '' ? [] : ps.split(' ');
      const out: string[] = [];
      for (const { fullname, calls } of commandStats(ctx)) {
        if (!calls) continue;
        out.push(`latency_percentiles_usec_${safe(fullname)}:` + percentiles.map((p) => `p${p}=1.003`).join(','));
      }
      return out;
    },
  },
  {
    name: 'cluster', title: 'Cluster', lines: (ctx) => [`cluster_enabled:${ctx.engine.config.getBool('cluster-enabled') ? 1 : 0}`],
  },
  { name: 'cluster_info', title: 'Cluster Info', lines: () => [] },
  {
    name: 'scriptingengines', title: 'Scripting Engines', lines: () => [
      'engines_count:1',
      'engines_total_used_memory:69632',
      'engines_total_memory_overhead:56',
      'engine_0:name=LUA,module=lua,abi_version=4,used_memory=69632,memory_overhead=56',
    ],
  },
  {
    name: 'keyspace', title: 'Keyspace', lines(ctx) {
      const out: string[] = [];
      for (const db of ctx.engine.allDbs()) {
        const keys = db.size;
        const vkeys = db.volatileCount;
        if (!keys && !vkeys) continue;
        out.push(`db${db.id}:keys=${keys},expires=${vkeys},avg_ttl=${avgTtl(ctx, db)},keys_with_volatile_items=${db.volatileItemsCount}`);
      }
      return out;
    },
  },
];

/**
 * Commands dispatch has counted that Valkey has not yet: the one in flight
 * (and the EXEC around it) and those clients are blocked in — Valkey counts
 * a command once it has run.
 */
function inFlight(ctx: Context): number {
  let n = 1 + (ctx.inExec ? 1 : 0);
  for (const c of ctx.engine.clients.values()) if (c.blocked) n++;
  return n;
}

function inFlightCalls(ctx: Context): Map<string, number> {
  const m = new Map<string, number>();
  const add = (name: string) => m.set(name, (m.get(name) ?? 0) + 1);
  add(ctx.cmd.fullname);
  if (ctx.inExec) add('exec');
  for (const c of ctx.engine.clients.values()) if (c.blocked) add(c.lastCmd);
  return m;
}

function commandStats(ctx: Context): { fullname: string; stats: { calls: number; usec: number; rejected: number; failed: number }; calls: number }[] {
  const out: { fullname: string; stats: { calls: number; usec: number; rejected: number; failed: number }; calls: number }[] = [];
  const pending = inFlightCalls(ctx);
  const visit = (e: { fullname: string; stats: { calls: number; usec: number; rejected: number; failed: number }; subcommands?: ReadonlyMap<string, unknown> }) => {
    const calls = e.stats.calls - (pending.get(e.fullname) ?? 0);
    out.push({ fullname: e.fullname, stats: e.stats, calls: Math.max(0, calls) });
    if (e.subcommands) for (const s of e.subcommands.values()) visit(s as typeof e);
  };
  for (const e of ctx.engine.commands.values()) visit(e);
  out.sort((a, b) => (a.fullname < b.fullname ? -1 : a.fullname > b.fullname ? 1 : 0));
  return out;
}

function avgTtl(ctx: Context, db: ReturnType<Engine['db']>): number {
  if (db.volatileCount === 0) return 0;
  let sum = 0;
  let n = 0;
  for (const [, e] of db.entries()) {
    if (e.expireAt === 0) continue;
    const ttl = e.expireAt - ctx.now;
    if (ttl > 0) {
      sum += ttl;
      n++;
    }
  }
  return n ? Math.floor(sum / n) : 0;
}

function blockingStats(e: Engine): { keys: number; withTimeout: number; onNoKey: number } {
  return e.blockingStats();
}

function safeTotalMem(): number {
  try {
    return totalmem();
  } catch {
    return 0;
  }
}

/**
 * genInfoSectionDict + genValkeyInfoString: the INFO text for the given
 * section arguments (none = the default sections).
 */
export function infoString(ctx: Context, args: readonly Bytes[]): string {
  const wanted = new Set<string>();
  let all = false;
  if (args.length === 0) {
    for (const s of DEFAULT_SECTIONS) wanted.add(s);
  } else {
    for (const a of args) {
      const l = a.toLowerCase();
      if (l === 'default') for (const s of DEFAULT_SECTIONS) wanted.add(s);
      else if (l === 'all' || l === 'everything') all = true;
      else wanted.add(l);
    }
  }
  let out = '';
  let n = 0;
  for (const s of SECTIONS) {
    const on = all || wanted.has(s.name) || (s.name === 'module_list' && wanted.has('modules'));
    if (!on) continue;
    if (n++) out += '\r\n';
    out += `# ${s.title}\r\n`;
    for (const line of s.lines(ctx)) out += line + '\r\n';
  }
  if (wanted.has('debug')) {
    if (n++) out += '\r\n';
    out += '# Debug\r\neventloop_duration_aof_sum:0\r\neventloop_duration_cron_sum:0\r\neventloop_duration_max:0\r\n' +
      'eventloop_cmd_per_cycle_max:0\r\nio_threaded_reads_pending:0\r\nio_threaded_writes_pending:0\r\n';
  }
  return out;
}
