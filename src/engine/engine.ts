/**
 * The engine: databases, clients, configuration and the command table, with
 * no sockets and no timers of its own. Time and randomness come from the
 * injected clock and rng. A process may hold many engines (a cluster is many).
 */
import { R, type Bytes, type Reply } from '../protocol/index.js';
import { Rng, type Clock, type Timer } from '../time/index.js';
import { Client, type ClientSink, type ConnectionInfo } from './client.js';
import { BLOCKED, type CommandGroup } from './command.js';
import { Config } from './config.js';
import { CONFIG_PARAMS, keyspaceEventFlags, NOTIFY_BITS } from './config-params.js';
import { countError, dispatch, logCommand } from './dispatch.js';
import { Err } from './errors.js';
import { createServerCounters, type ServerCounters } from './info.js';
import { Keyspace, type ExpirePolicy } from './keyspace/keyspace.js';
import { MigrateLinks, type Connector } from './migrate.js';
import { OutputLimits } from './obuf.js';
import { Persistence, rdbPathConfig } from './persistence.js';
import { CommandLog } from './commandlog.js';
import { LatencyMonitor } from './latency.js';
import { Evictor } from './eviction.js';
import { feedMonitors, monitorLine } from './monitor.js';
import { Pause } from './pause.js';
import { PubSub } from './pubsub.js';
import { Tracking } from './tracking.js';
import { LFU_PARAMS, readLfuSettings, type LfuSettings } from './keyspace/lfu.js';
import { readSetLimits, SET_LIMIT_PARAMS, type SetLimits } from './types/set.js';
import { readZsetLimits, ZSET_LIMIT_PARAMS, type ZsetLimits } from './types/zset.js';
import { buildCommandTable, lookupCommand, type CommandTable } from './registry.js';
import { ALL_GROUPS } from './commands/index.js';
import { Acl, aclCheckCmd } from './acl/index.js';
import { strerror, type EngineFiles } from './files.js';
import { Scripting } from './scripting/scripting.js';
import type { ClusterHooks } from './cluster.js';
import { endUnit, Replication } from './replication/index.js';

export interface EngineOptions {
  clock: Clock;
  /** Seed for the engine's rng (RANDOMKEY, run ids...). */
  seed?: number;
  databases?: number;
  requirepass?: string;
  /** Extra config parameters, applied at startup as if from a config file. */
  config?: Readonly<Record<string, string>>;
  /** Command groups to register; defaults to every implemented group. */
  groups?: readonly CommandGroup[];
  /**
   * Runs `fn` soon, after pending I/O (the server passes setImmediate). With
   * it a long script runs in slices and other clients get BUSY once it passes
   * busy-reply-threshold; without it scripts run to their end at once.
   */
  defer?: (fn: () => void) => void;
  /** Values INFO reports about the process hosting the engine. */
  process?: { tcpPort?: number; pid?: number; executable?: string; rss?: () => number };
  /** File access for the files the engine reads and writes (the ACL file); the server passes node:fs. */
  files?: EngineFiles;
  /** An RDB file to start from (persistence.ts): its bytes, or its path (then `dir` and `dbfilename`). */
  rdb?: string | Uint8Array;
  /** Outgoing connections for MIGRATE; the server passes a TCP one. */
  connector?: Connector;
  /** The config file the parameters came from (CONFIG REWRITE rewrites it, INFO shows it). */
  configFile?: string;
}

export interface EngineStats {
  connectionsReceived: number;
  commandsProcessed: number;
  expiredKeys: number;
  /** Hash fields removed by expiry (INFO stats expired_fields). */
  expiredFields: number;
  /** Keys removed by maxmemory eviction (INFO stats evicted_keys). */
  evictedKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  dirty: number;
  errorReplies: number;
  rejectedCalls: number;
  /** Connections refused by maxclients (INFO stats rejected_connections). */
  rejectedConnections: number;
  /** "ERR" → count, for INFO errorstats. */
  errors: Map<string, number>;
  lastSave: number;
}

export type KeyspaceEventListener = (cls: string, event: string, key: Bytes, db: number) => void;

/** What a blocked client waits for, and what to send when the wait ends. */
export interface BlockSpec {
  /** Absolute deadline (epoch ms); 0 waits forever. */
  deadline: number;
  /** Keys (in `db`) whose readiness may serve the client. */
  keys?: readonly Bytes[];
  db?: Keyspace;
  /**
   * Called when `key` (one of `keys`) was signalled ready; returns the reply,
   * or undefined to keep waiting (the client keeps its place in line).
   */
  tryServe?(now: number, key: Bytes): Reply | undefined;
  /** The reply on timeout. */
  onTimeout(): Reply;
  /** Command name for CLIENT LIST. */
  cmd: string;
  /** Woken also when a key goes or changes type (XREADGROUP): INFO total_blocking_keys_on_nokey. */
  unblockOnNoKey?: boolean;
}

interface Blocked {
  client: Client;
  spec: BlockSpec;
  timer: Timer | undefined;
}

export class Engine {
  readonly clock: Clock;
  readonly rng: Rng;
  readonly config: Config;
  /** LFU maxmemory-policy settings, following CONFIG SET (OBJECT FREQ, access counters). */
  readonly lfu: LfuSettings;
  /** set-max-* and zset-max-* encoding limits, following CONFIG SET. */
  readonly setLimits: SetLimits;
  readonly zsetLimits: ZsetLimits;
  /** Switches of debugging commands (PFDEBUG SIMD ON|OFF, DEBUG ...). */
  readonly debugFlags = {
    hllSimd: true,
    /** DEBUG SET-ACTIVE-EXPIRE 0|1: keys and hash fields expire in the background (server.active_expire_enabled). */
    activeExpire: true,
    /** DEBUG SET-SKIP-CHECKSUM-VALIDATION 0|1: RESTORE (and RDB loading) skip the CRC64 check. */
    skipChecksum: false,
    /**
     * DEBUG SET-DISABLE-DENY-SCRIPTS 0|1 (server.script_disable_deny_script):
     * when set, scripts may call commands flagged `noscript` and run while
     * scripts would otherwise be denied. For the scripting bridge to read.
     */
    disableDenyScripts: false,
    /** DEBUG QUICKLIST-PACKED-THRESHOLD: 0 = off; else list elements of at least this many bytes get a plain node. */
    packedThreshold: 0,
    /** DEBUG PAUSE-CRON 0|1: recorded only (the engine has no cron). */
    pauseCron: false,
  };
  /** RDB files: SAVE, BGSAVE, save points, loading (DEBUG RELOAD, startup). */
  readonly persistence: Persistence;
  /** client-output-buffer-limit: when a connection holds too many reply bytes. */
  readonly outputLimits: OutputLimits;
  /** MIGRATE's cached connections (migrate_cached_sockets). */
  readonly migrateLinks: MigrateLinks;
  readonly commands: CommandTable;
  /** Users, permissions and the ACL log. */
  readonly acl: Acl;
  readonly files: EngineFiles | undefined;
  /** The config file in use ('' without one). */
  readonly configFile: string;
  readonly clients = new Map<number, Client>();
  readonly stats: EngineStats;
  readonly startedAt: number;
  readonly runId: string;
  /** INFO persistence/replication/ACL counters. */
  readonly counters: ServerCounters;
  /** SLOWLOG and COMMANDLOG. */
  readonly commandLog: CommandLog;
  /** LATENCY: events above latency-monitor-threshold, and per-command histograms. */
  readonly latency: LatencyMonitor;
  /** maxmemory: the used-memory estimate and eviction. */
  readonly evictor: Evictor;
  /** EVAL scripts, function libraries and the running script. */
  readonly scripting: Scripting;
  /** Replication: the stream of write effects, replicas, the primary followed. */
  readonly repl: Replication;
  readonly defer: ((fn: () => void) => void) | undefined;
  /** This node's view of its cluster, attached by the cluster layer (src/cluster); none on a standalone server. */
  cluster: ClusterHooks | undefined;
  /** `rss`: the hosting process's resident set in bytes (INFO used_memory_rss), when the host can tell. */
  readonly process: { tcpPort: number; pid: number; executable: string; rss?: () => number };
  /** Channel and pattern subscriptions; messages leave through push(). */
  readonly pubsub = new PubSub((c, r) => this.push(c, r));
  /** Client-side caching: tracked keys, BCAST prefixes, invalidations. */
  readonly tracking = new Tracking({
    clientById: (id) => this.clients.get(id),
    push: (c, r) => this.push(c, r),
    currentClient: () => this.current,
    allClients: () => this.clients.values(),
    random: (n) => this.rng.int(n),
  });
  /** CLIENT PAUSE state and the clients it postponed. */
  readonly pause = new Pause({
    now: () => this.clock.now(),
    schedule: (at, fn) => this.clock.schedule(at, fn),
    rerun: (c, argv) => this.rerun(c, argv),
    resumed: () => {
      this.expireDue();
      this.afterCommand();
      this.beforeSleep();
    },
  });
  /** Postponed requests to run again once the running command is done. */
  private readonly reruns: { client: Client; argv: readonly Bytes[] }[] = [];
  /** Clients in MONITOR mode, in the order they asked. */
  readonly monitors = new Set<Client>();
  /** The client whose request is running (Valkey's server.current_client). */
  private current: Client | null = null;
  private readonly dbs: Keyspace[];
  /** Valkey's first connection gets id 3: two internal (Lua) clients take 1 and 2. */
  private nextClientId = 3;
  private expiryTimer: Timer | undefined;
  private expiryTimerAt = Infinity;
  private readonly blockedOnKeys = new Map<Keyspace, Map<Bytes, Blocked[]>>();
  private readonly readyKeys: { db: Keyspace; key: Bytes }[] = [];
  /** Keys queued in readyKeys, per db (Valkey's db->ready_keys): a key is queued once until its turn. */
  private readonly readySet = new Map<Keyspace, Set<Bytes>>();
  /** Inside serveReadyKeys (handleClientsBlockedOnKeys is not reentrant). */
  private servingReady = false;
  private readonly listeners: KeyspaceEventListener[] = [];
  private readonly blockedIndex = new Map<Client, Blocked>();
  /** CONFIG SET maxmemory ran: evict once the command is done. */
  private evictSoon = false;
  /** The idle-client check of `timeout`, while armed. */
  private idleTimer: Timer | undefined;
  /** import-mode, followed live: leaving it re-arms active expiry. */
  private readonly importMode: { on: boolean };
  /** notify-keyspace-events as NOTIFY_* bits, following CONFIG SET. */
  private readonly notifyConfig: { flags: number };

  constructor(opts: EngineOptions) {
    this.clock = opts.clock;
    this.rng = new Rng(opts.seed ?? 0x5eed);
    const overrides: Record<string, string> = { ...(opts.config ?? {}) };
    if (opts.databases !== undefined) overrides['databases'] = String(opts.databases);
    if (opts.requirepass !== undefined) overrides['requirepass'] = opts.requirepass;
    if (typeof opts.rdb === 'string') Object.assign(overrides, rdbPathConfig(opts.rdb));
    this.config = new Config(CONFIG_PARAMS, overrides);
    this.lfu = this.config.live(LFU_PARAMS, readLfuSettings);
    this.setLimits = this.config.live(SET_LIMIT_PARAMS, readSetLimits);
    this.zsetLimits = this.config.live(ZSET_LIMIT_PARAMS, readZsetLimits);
    this.importMode = this.config.live(['import-mode'], (c) => ({ on: c.getBool('import-mode') }));
    // Leaving import mode resumes active expiry.
    this.config.onChange('import-mode', () => this.armExpiry());
    this.config.onChange('timeout', () => this.armIdleCheck());
    this.config.onChange('maxmemory', () => { this.evictSoon = true; });
    this.notifyConfig = this.config.live(['notify-keyspace-events'], (cfg) => ({ flags: keyspaceEventFlags(cfg.get('notify-keyspace-events')) ?? 0 }));
    this.commands = buildCommandTable(opts.groups ?? ALL_GROUPS);
    this.files = opts.files;
    this.configFile = opts.configFile ?? '';
    this.acl = new Acl({
      table: this.commands,
      pubsubDefaultAll: () => this.config.get('acl-pubsub-default') === 'allchannels',
      logMaxLen: () => this.config.getInt('acllog-max-len'),
      databases: () => this.dbs.length,
    });
    // requirepass is the default user's password (ACLUpdateDefaultUserPassword).
    this.acl.setDefaultPassword(this.config.get('requirepass'));
    this.config.onChange('requirepass', (v) => this.acl.setDefaultPassword(v));
    // In cluster mode the number of databases is cluster-databases.
    const n = this.config.getInt(this.config.getBool('cluster-enabled') ? 'cluster-databases' : 'databases');
    const hooks = {
      expired: (db: Keyspace, key: Bytes) => this.onExpired(db, key),
      added: (db: Keyspace, key: Bytes) => this.notifyKeyspaceEvent('n', 'new', key, db.id),
      itemsExpired: (db: Keyspace, key: Bytes, n: number, deleted: boolean, items: readonly Bytes[]) => this.onItemsExpired(db, key, n, deleted, items),
      expirePolicy: (write: boolean) => this.expirePolicy(write),
    };
    this.dbs = Array.from({ length: n }, (_, i) => new Keyspace(i, hooks));
    this.startedAt = this.clock.now();
    this.runId = this.rng.hex(40);
    this.process = {
      tcpPort: opts.process?.tcpPort ?? 0, pid: opts.process?.pid ?? 0, executable: opts.process?.executable ?? '',
      ...(opts.process?.rss ? { rss: opts.process.rss } : {}),
    };
    this.stats = {
      connectionsReceived: 0, commandsProcessed: 0, expiredKeys: 0, expiredFields: 0, evictedKeys: 0, keyspaceHits: 0, keyspaceMisses: 0,
      dirty: 0, errorReplies: 0, rejectedCalls: 0, rejectedConnections: 0, errors: new Map(), lastSave: Math.floor(this.startedAt / 1000),
    };
    this.counters = createServerCounters(this);
    this.repl = new Replication(this);
    this.commandLog = new CommandLog(this.config);
    this.latency = new LatencyMonitor(this.config);
    this.evictor = new Evictor(this);
    this.scripting = new Scripting(this);
    this.defer = opts.defer;
    this.persistence = new Persistence(this, opts, opts.config ?? {});
    this.outputLimits = new OutputLimits(this.config);
    this.migrateLinks = new MigrateLinks(this.clock, () => opts.connector, (n) => this.rng.int(n));
    // ACLLoadUsersAtStartup: a server does not start with a broken ACL file.
    if (this.config.get('aclfile') !== '') {
      const err = this.loadAclFile();
      if (err !== null) throw new Error(`Aborting valkey-double startup because of ACL errors: ${err}`);
    }
    this.persistence.startup();
  }

  /** The aclfile path, relative paths taken from `dir` (Valkey runs in its dir). */
  aclFilePath(): string {
    const f = this.config.get('aclfile');
    if (f.startsWith('/')) return f;
    const dir = this.config.get('dir');
    return dir.endsWith('/') ? dir + f : `${dir}/${f}`;
  }

  /** ACLLoadFromFile: null when the users were replaced, else the error text (nothing changed). */
  loadAclFile(): string | null {
    const name = this.config.get('aclfile');
    let content: string;
    try {
      if (!this.files) throw Object.assign(new Error('no file access'), { code: 'ENOENT' });
      content = this.files.read(this.aclFilePath());
    } catch (e) {
      return `Error loading ACLs, opening file '${name}': ${strerror(e)}`;
    }
    const r = this.acl.parseFile(content, name);
    if ('error' in r) return r.error;
    this.acl.replaceUsers(r.users);
    return null;
  }

  get databases(): number {
    return this.dbs.length;
  }

  db(i: number): Keyspace {
    return this.dbs[i]!;
  }

  allDbs(): readonly Keyspace[] {
    return this.dbs;
  }

  /** Must a new connection authenticate (the default user has a password or is off)? */
  get authRequired(): boolean {
    return !this.acl.defaultNoAuth;
  }

  // --- clients ---

  /**
   * Admission control before a connection becomes a client (acceptCommonHandler):
   * the error line to write and close with when maxclients are connected.
   */
  admissionError(): string | undefined {
    if (this.clients.size < this.config.getInt('maxclients')) return undefined;
    this.stats.rejectedConnections++;
    return this.config.getBool('cluster-enabled') ? 'ERR max number of clients + cluster connections reached' : 'ERR max number of clients reached';
  }

  connect(conn: ConnectionInfo, sink: ClientSink): Client {
    const c = new Client(this.nextClientId++, conn, sink, this.clock.now(), this.authRequired);
    this.clients.set(c.id, c);
    this.stats.connectionsReceived++;
    this.armIdleCheck();
    return c;
  }

  /**
   * clientsCronHandleTimeout, once a second while `timeout` is set: a client
   * idle for more than that many whole seconds is closed, unless it is
   * blocked or subscribed.
   */
  private armIdleCheck(): void {
    if (this.idleTimer !== undefined || this.config.getInt('timeout') === 0 || this.clients.size === 0) return;
    this.idleTimer = this.clock.schedule(this.clock.now() + 1000, () => {
      this.idleTimer = undefined;
      const max = this.config.getInt('timeout');
      const now = Math.floor(this.clock.now() / 1000);
      for (const c of [...this.clients.values()]) {
        if (max === 0 || c.blocked !== null || c.inPubSub || c.closing) continue;
        if (now - Math.floor(c.lastInteraction / 1000) > max) {
          c.closing = true;
          c.sink.close();
        }
      }
      this.armIdleCheck();
    });
  }

  disconnect(c: Client): void {
    this.unblock(c);
    this.unwatchAll(c);
    this.pubsub.dropClient(c);
    this.tracking.disable(c);
    this.monitors.delete(c);
    this.clients.delete(c.id);
  }

  /**
   * Sends a push (a Pub/Sub message, an invalidation) to a client. A push to
   * the client whose command is running waits until that command's reply is
   * out (Valkey's pending_push_messages): execute() appends it then.
   */
  push(c: Client, reply: Reply): void {
    if (c.currentCmd !== null || c === this.serving) c.pendingPushes.push(reply);
    else c.sink.deliver(reply, true);
  }

  /** replicationFeedMonitors: `argv`, run by `c` in `db` (`lua`: from a script), to every monitor. */
  feedMonitors(c: Client, db: number, argv: readonly Bytes[], lua = false): void {
    if (this.monitors.size === 0) return;
    feedMonitors(this.monitors, (m, r) => this.push(m, r), monitorLine(this.clock.nowUs(), c, db, argv, lua));
  }

  /** A request CLIENT PAUSE postponed runs again, through every gate, once no command is running. */
  private rerun(c: Client, argv: readonly Bytes[]): void {
    this.reruns.push({ client: c, argv });
    if (this.current === null) this.runPostponed();
  }

  private runPostponed(): void {
    while (this.reruns.length) {
      const { client, argv } = this.reruns.shift()!;
      if (!this.clients.has(client.id)) continue;
      const r = this.execute(client, argv);
      if (r === BLOCKED) continue;
      // Even with no reply (CLIENT REPLY OFF) the connection resumes its waiting requests.
      client.sink.deliver(r ?? R.seq([]));
    }
  }

  /** The blocked client whose command is being served now (its pushes follow its reply). */
  private serving: Client | null = null;

  /**
   * Runs one request of a client. Returns the reply, `BLOCKED` when the
   * client now waits (its reply comes later through its sink), or undefined
   * when no reply is to be sent (CLIENT REPLY OFF / SKIP).
   */
  execute(client: Client, argv: readonly Bytes[]): Reply | typeof BLOCKED | undefined {
    const outer = this.current;
    this.current = client;
    // trackingLimitUsedSlots, before every command.
    if (this.tracking.clients > 0) this.tracking.limit(this.config.getInt('tracking-table-max-keys'));
    let r: Reply | typeof BLOCKED | undefined;
    try {
      r = dispatch(this, client, argv);
    } finally {
      this.current = outer;
    }
    // CLIENT CACHING applies to the next command (or transaction) only.
    if (client.tracking?.caching && !client.multi && !client.lastCmd.startsWith('client|')) client.tracking.caching = false;
    this.afterCommand();
    if (client.pendingPushes.length === 0) return r;
    const pushes = client.pendingPushes.splice(0);
    if (r === BLOCKED) {
      for (const p of pushes) client.sink.deliver(p, true);
      return r;
    }
    return R.seq(r === undefined ? pushes : [r, ...pushes]);
  }

  /**
   * The end of an event-loop turn (Valkey's beforeSleep), called by the
   * server after a batch of requests and by the engine after its timers:
   * BCAST invalidations collected meanwhile go out.
   */
  beforeSleep(): void {
    this.tracking.broadcast();
  }

  /** signalModifiedKey: WATCH, blocked clients, client-side caching. `by` is null for the server (expiry). */
  signalModifiedKey(db: Keyspace, key: Bytes, by: Client | null): void {
    db.touch(key);
    this.keyReady(db, key);
    this.tracking.invalidateKey(key, by);
  }

  /**
   * getExpirationPolicyWithFlags: in import mode (a primary fed by an import
   * source) an expired key is kept, hidden from reads but deleted by writes,
   * and the import source sees it as if it had not expired.
   */
  private expirePolicy(write: boolean): ExpirePolicy {
    // A replica deletes nothing as expired: its primary sends the deletion; its primary client sees the key as live.
    if (this.repl.primary !== null) return this.current?.isPrimary ? 'ignore' : 'keep';
    if (this.importMode.on) {
      if (this.current?.importSource) return 'ignore';
      if (!write) return 'keep';
    }
    // While CLIENT PAUSE holds expiry back, nothing is deleted as expired (isPausedActions(PAUSE_ACTION_EXPIRE)).
    return this.pause.expiryPaused ? 'keep' : 'delete';
  }

  /** deleteEvictedKeyAndPropagate: the key goes, its WATCHers see it change, 'evicted' fires. */
  evictKey(db: Keyspace, key: Bytes): void {
    db.delete(key);
    this.stats.evictedKeys++;
    this.signalModifiedKey(db, key, null);
    this.notifyKeyspaceEvent('e', 'evicted', key, db.id);
    if (this.repl.prop.active) this.propagateDeletion(db, key, 'lazyfree-lazy-eviction');
  }

  /** propagateDeletion; outside a command (active expiry, eviction) each key is its own execution unit. */
  private propagateDeletion(db: Keyspace, key: Bytes, lazyParam: string): void {
    this.repl.prop.deletion(db.id, key, this.config.getBool(lazyParam));
    if (this.repl.prop.nesting === 0 && !this.scripting.running) endUnit(this, this.current);
  }

  /** Active expiry runs except in import mode (databasesCron), while CLIENT PAUSE holds it back, or after DEBUG SET-ACTIVE-EXPIRE 0. */
  private get activeExpiry(): boolean {
    return this.debugFlags.activeExpire && !this.importMode.on && !this.pause.expiryPaused && this.repl.primary === null;
  }

  /** After every command: serve clients blocked on keys that became ready; arm active expiry. */
  afterCommand(): void {
    if (this.readyKeys.length) this.serveReadyKeys();
    // A unit that ended outside call() (a script run in slices, a served blocked command) goes out now.
    if (this.repl.prop.hasPending && this.repl.prop.nesting === 0 && !this.scripting.running) endUnit(this, this.current);
    if (this.reruns.length && this.current === null) this.runPostponed();
    // The eviction time event CONFIG SET maxmemory starts (updateMaxmemory); otherwise evictions happen
    // in processCommand, before the next command, as in Valkey.
    if (this.evictSoon && this.current === null) {
      this.evictSoon = false;
      if (this.config.getInt('maxmemory') > 0) this.evictor.perform(this.clock.now());
    }
    // serverCron's trackingLimitUsedSlots, with no client running (NOLOOP clients hear of it too).
    if (this.tracking.clients > 0 && this.current === null) this.tracking.limit(this.config.getInt('tracking-table-max-keys'));
    this.armExpiry();
    this.persistence.arm();
  }

  // --- WATCH ---

  unwatchAll(c: Client): void {
    for (const wk of c.watched) wk.db.unwatch(wk);
    c.watched = [];
  }

  // --- emptying databases ---

  /**
   * emptyData: empties one database or (dbid -1) all of them, after telling
   * their WATCHers; returns how many keys were removed (FLUSHDB, FLUSHALL,
   * and the server's flushAll() between tests).
   */
  emptyData(dbid: number, now: number): number {
    const dbs = dbid === -1 ? this.dbs : [this.dbs[dbid]!];
    let removed = 0;
    for (const db of dbs) this.touchAllWatched(db, null, now);
    // signalFlushedDb: clients blocked on a key that goes (XREADGROUP) learn of it.
    for (const db of dbs) for (const k of db.keys()) this.keyReady(db, k);
    for (const db of dbs) removed += db.clear();
    this.tracking.invalidateAll();
    return removed;
  }

  /**
   * touchAllWatchedKeysInDb: clients watching a key of `emptied` that exists
   * there (or in `replacedWith`, for SWAPDB) see it changed, with Valkey's
   * care for keys that were already expired when watched.
   */
  touchAllWatched(emptied: Keyspace, replacedWith: Keyspace | null, now: number): void {
    if (emptied.watched.size === 0) return;
    for (const [key, set] of [...emptied.watched]) {
      const inEmptied = emptied.peek(key) !== undefined;
      const other = replacedWith?.peek(key);
      if (!inEmptied && other === undefined) continue;
      for (const wk of [...set]) {
        if (wk.expired) {
          if (!replacedWith || other === undefined) {
            wk.expired = false;
            continue;
          } else if (replacedWith.isExpired(other, now)) {
            continue;
          }
        } else if (!inEmptied && other !== undefined && replacedWith!.isExpired(other, now)) {
          wk.expired = true;
          continue;
        }
        wk.watcher.markDirty();
      }
    }
  }

  // --- expiry ---

  private onExpired(db: Keyspace, key: Bytes): void {
    this.stats.expiredKeys++;
    if (this.repl.prop.active) this.propagateDeletion(db, key, 'lazyfree-lazy-expire');
    this.notifyKeyspaceEvent('x', 'expired', key, db.id);
    // signalModifiedKey(NULL, ...); a blocked XREADGROUP learns its key went (signalDeletedKeyAsReady).
    this.signalModifiedKey(db, key, null);
  }

  /** Active expiry of hash fields (dbReclaimExpiredFields): 'hexpired', then 'del' when the hash went, and WATCH. */
  private onItemsExpired(db: Keyspace, key: Bytes, n: number, deleted: boolean, items: readonly Bytes[]): void {
    this.stats.expiredFields += n;
    // propagateFieldsDeletion: replicas get HDEL of the reclaimed fields, 1024 at most per command.
    if (this.repl.prop.active) {
      for (let i = 0; i < items.length; i += 1024) this.repl.prop.also(db.id, ['HDEL', key, ...items.slice(i, i + 1024)]);
      if (this.repl.prop.nesting === 0 && !this.scripting.running) endUnit(this, this.current);
    }
    this.notifyKeyspaceEvent('x', 'hexpired', key, db.id);
    if (deleted) this.notifyKeyspaceEvent('g', 'del', key, db.id);
    db.touch(key);
    this.tracking.invalidateKey(key, null);
  }

  /** Active expiry: remove every due key now (not while clients are paused). */
  expireDue(): void {
    if (!this.activeExpiry) return;
    const now = this.clock.now();
    for (const db of this.dbs) if (db.nextDeadline() <= now) db.expireDue(now);
  }

  private armExpiry(): void {
    if (!this.activeExpiry) return;
    let next = Infinity;
    for (const db of this.dbs) {
      const t = db.nextDeadline();
      if (t < next) next = t;
    }
    if (next === Infinity || next >= this.expiryTimerAt) return;
    this.expiryTimer?.cancel();
    this.expiryTimer = undefined;
    this.expiryTimerAt = next;
    // A clock may run a callback that is already due inside schedule(): the
    // handle is only kept if that callback has not re-armed in the meantime.
    const timer: Timer = this.clock.schedule(next, () => {
      if (this.expiryTimer !== undefined && this.expiryTimer !== timer) return;
      this.expiryTimer = undefined;
      this.expiryTimerAt = Infinity;
      this.expireDue();
      this.afterCommand();
      this.beforeSleep();
    });
    if (this.expiryTimerAt === next && this.expiryTimer === undefined) this.expiryTimer = timer;
  }

  /**
   * What SHUTDOWN does once it may proceed: the server that owns this engine
   * sets it to stop listening and close its connections; an engine on its
   * own closes every client.
   */
  onShutdown: (() => void) | undefined;

  shutdown(): void {
    if (this.onShutdown) this.onShutdown();
    else for (const c of this.clients.values()) c.sink.close();
  }

  /** Stops timers (server shutdown). */
  close(): void {
    this.persistence.close();
    this.migrateLinks.closeAll();
    this.idleTimer?.cancel();
    this.idleTimer = undefined;
    this.scripting.abort();
    this.expiryTimer?.cancel();
    this.expiryTimer = undefined;
    this.expiryTimerAt = Infinity;
    this.pause.close();
    for (const c of [...this.clients.values()]) this.unblock(c);
  }

  // --- keyspace events ---

  onKeyspaceEvent(fn: KeyspaceEventListener): () => void {
    this.listeners.push(fn);
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /**
   * notifyKeyspaceEvent: the one hook every command, expiry and eviction
   * calls. Listeners (the embedding API) hear every event; subscribers hear
   * those whose class notify-keyspace-events enables, on __keyspace@<db>__:<key>
   * (the event as message) then __keyevent@<db>__:<event> (the key).
   */
  notifyKeyspaceEvent(cls: string, event: string, key: Bytes, db: number): void {
    const flags = this.notifyConfig.flags;
    if (flags & NOTIFY_BITS[cls]!) {
      if (flags & NOTIFY_BITS.K!) this.pubsub.publish(`__keyspace@${db}__:${key}`, event, 'channel');
      if (flags & NOTIFY_BITS.E!) this.pubsub.publish(`__keyevent@${db}__:${event}`, key, 'channel');
    }
    for (const fn of this.listeners) {
      try {
        fn(cls, event, key, db);
      } catch (e) {
        // A listener is the user's code: its failure must not undo a write half-way or escape a timer.
        process.emitWarning(`valkey-double: a keyspace event listener threw: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      }
    }
  }

  // --- blocking ---

  /**
   * Parks a client; the handler returns what this returns (`return
   * ctx.engine.block(...)`). Where blocking is denied (inside EXEC, later
   * scripts: client.denyBlocking) the client is not parked and the result
   * is the timeout reply at once, as Valkey's CLIENT_DENY_BLOCKING does.
   */
  block(client: Client, spec: BlockSpec): Reply | typeof BLOCKED {
    if (client.denyBlocking) return spec.onTimeout();
    // handleBlockedClientsTimeout: a client times out once the clock is past its deadline, as keys expire.
    if (spec.deadline > 0 && spec.deadline < this.clock.now()) return spec.onTimeout();
    const b: Blocked = { client, spec, timer: undefined };
    if (spec.keys && spec.db) {
      let byKey = this.blockedOnKeys.get(spec.db);
      if (!byKey) this.blockedOnKeys.set(spec.db, (byKey = new Map()));
      for (const k of new Set(spec.keys)) {
        const list = byKey.get(k) ?? [];
        list.push(b);
        byKey.set(k, list);
      }
    }
    this.blockedIndex.set(client, b);
    client.blocked = { cmd: spec.cmd, cancel: () => this.removeBlocked(b) };
    // Armed last: the client is fully parked before the timer can fire.
    if (spec.deadline > 0) b.timer = this.clock.schedule(spec.deadline + 1, () => this.finishBlocked(b, spec.onTimeout()));
    return BLOCKED;
  }

  /** Ends a client's wait without a reply (disconnect). */
  unblock(c: Client): void {
    c.blocked?.cancel();
    c.blocked = null;
  }

  /** CLIENT UNBLOCK: ends the wait with the timeout reply or an error. */
  unblockWith(c: Client, reply: Reply | 'timeout'): boolean {
    const b = this.findBlocked(c);
    if (!b) return false;
    this.finishBlocked(b, reply === 'timeout' ? b.spec.onTimeout() : reply);
    return true;
  }

  /** INFO clients: distinct keys clients are blocked on, and blocked clients with a timeout. */
  blockingStats(): { keys: number; withTimeout: number; onNoKey: number } {
    let keys = 0;
    let onNoKey = 0;
    for (const byKey of this.blockedOnKeys.values()) {
      keys += byKey.size;
      for (const list of byKey.values()) if (list.some((b) => b.spec.unblockOnNoKey)) onNoKey++;
    }
    let withTimeout = 0;
    for (const b of this.blockedIndex.values()) if (b.spec.deadline > 0) withTimeout++;
    return { keys, withTimeout, onNoKey };
  }

  /** signalKeyAsReady: a key that blocked clients may wait on was written. */
  keyReady(db: Keyspace, key: Bytes): void {
    const byKey = this.blockedOnKeys.get(db);
    if (!byKey || !byKey.has(key)) return;
    let queued = this.readySet.get(db);
    if (!queued) this.readySet.set(db, (queued = new Set()));
    if (queued.has(key)) return;
    queued.add(key);
    this.readyKeys.push({ db, key });
  }

  /**
   * handleClientsBlockedOnKeys: each ready key in turn serves its clients in
   * the order they blocked; keys that become ready meanwhile (BLMOVE's
   * destination) are served in the same call. Served clients get their
   * replies once every ready key is handled, so their next requests run
   * after it, as in Valkey (processUnblockedClients).
   */
  private serveReadyKeys(): void {
    if (this.servingReady) return;
    this.servingReady = true;
    const served: { client: Client; reply: Reply }[] = [];
    try {
      for (let i = 0; i < this.readyKeys.length; i++) {
        const { db, key } = this.readyKeys[i]!;
        this.readySet.get(db)?.delete(key);
        const list = this.blockedOnKeys.get(db)?.get(key);
        if (!list) continue;
        for (const b of [...list]) {
          if (this.blockedIndex.get(b.client) !== b) continue; // served meanwhile through another key
          let reply: Reply | undefined;
          const started = this.clock.nowUs();
          const outer = this.current;
          this.current = this.serving = b.client;
          try {
            // A command served after its wait runs processCommand again: the ACL rules may have changed.
            reply = this.recheckBlocked(b.client) ?? b.spec.tryServe?.(this.clock.now(), key);
          } catch (e) {
            // A bug while serving one waiter answers that waiter only; the others are still served.
            reply = Err.internal(b.spec.cmd, e).reply;
          } finally {
            this.current = outer;
            this.serving = null;
          }
          if (reply === undefined) continue;
          this.removeBlocked(b);
          b.client.blocked = null;
          this.unblocked(b.client, reply, this.clock.nowUs() - started);
          served.push({ client: b.client, reply });
        }
      }
    } finally {
      this.readyKeys.length = 0;
      this.readySet.clear();
      this.servingReady = false;
      for (const s of served) {
        const pushes = s.client.pendingPushes.splice(0);
        s.client.sink.deliver(pushes.length ? R.seq([s.reply, ...pushes]) : s.reply);
      }
    }
  }

  /** The NOPERM error for a blocked client whose user may no longer run its command (counted as rejected). */
  private recheckBlocked(c: Client): Reply | undefined {
    const cmd = c.argv.length ? lookupCommand(this.commands, c.argv) : undefined;
    if (!cmd) return undefined;
    const denied = aclCheckCmd(this, c, cmd, c.argv, 'toplevel');
    if (!denied) return undefined;
    // The first run that blocked counts only once the command completes: a refusal undoes it.
    cmd.stats.calls--;
    this.stats.commandsProcessed--;
    c.totalCommands--;
    cmd.stats.rejected++;
    this.stats.rejectedCalls++;
    countError(this, denied.v);
    return denied;
  }

  /** Clients waiting on keys, with those keys (the cluster layer redirects them when their slot moves). */
  keyBlockedClients(): [Client, readonly Bytes[]][] {
    const out: [Client, readonly Bytes[]][] = [];
    for (const [c, b] of this.blockedIndex) if (b.spec.keys?.length) out.push([c, b.spec.keys]);
    return out;
  }

  private findBlocked(c: Client): Blocked | undefined {
    return this.blockedIndex.get(c);
  }

  private finishBlocked(b: Blocked, reply: Reply): void {
    this.removeBlocked(b);
    b.client.blocked = null;
    this.unblocked(b.client, reply, 0);
    b.client.sink.deliver(reply);
  }

  /** updateStatsOnUnblock: a served or timed-out blocking command reaches the command log now. */
  private unblocked(c: Client, reply: Reply, us: number): void {
    const cmd = c.argv.length ? lookupCommand(this.commands, c.argv) : undefined;
    if (!cmd) return; // parked by the engine's API rather than by a command
    c.duration += us;
    logCommand(this, c, cmd, c.argv, reply, this.clock.now());
  }

  private removeBlocked(b: Blocked): void {
    b.timer?.cancel();
    b.timer = undefined;
    this.blockedIndex.delete(b.client);
    const spec = b.spec;
    if (spec.keys && spec.db) {
      const byKey = this.blockedOnKeys.get(spec.db);
      for (const k of spec.keys) {
        const list = byKey?.get(k);
        if (!list) continue;
        const i = list.indexOf(b);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) byKey!.delete(k);
      }
    }
  }
}
