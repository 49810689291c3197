import type { Bytes, Reply } from '../protocol/index.js';
import type { CommandEntry } from './command.js';
import type { WatchedKey, Watcher } from './keyspace/keyspace.js';
import type { TrackingState } from './tracking.js';

/** How the engine talks back to a connection it does not own. */
export interface ClientSink {
  /**
   * A reply produced later (a blocked command finishing), or, with `push`,
   * a message outside the request/reply rhythm (Pub/Sub, invalidation,
   * MONITOR line) that must not set the client's own waiting requests going.
   */
  deliver(reply: Reply, push?: boolean): void;
  /** Close the connection (CLIENT KILL, QUIT) after pending replies are written. */
  close(): void;
  /** Reply bytes written but not yet sent (CLIENT LIST omem); 0 when the sink does not say. */
  pendingOutput?(): number;
}

export interface ConnectionInfo {
  /** "ip:port" of the peer. */
  addr: string;
  /** "ip:port" of the local end. */
  laddr: string;
  /** A file-descriptor-like number for CLIENT LIST. */
  fd: number;
}

export interface QueuedCommand {
  readonly cmd: CommandEntry;
  readonly argv: readonly Bytes[];
}

export type ReplyMode = 'on' | 'off';

/** One connected client's state, as the engine sees it (Valkey's `client`). */
export class Client implements Watcher {
  name: Bytes = '';
  libName: Bytes = '';
  libVer: Bytes = '';
  db = 0;
  resp: 2 | 3 = 2;
  authenticated: boolean;
  user = 'default';
  lastInteraction: number;
  lastCmd = 'NULL';
  totalCommands = 0;
  netIn = 0;
  netOut = 0;
  /** MULTI state: null outside a transaction. `dbId` is the database ACL checks queued commands against (transaction_db_id). */
  multi: { queue: QueuedCommand[]; aborted: boolean; dbId: number } | null = null;
  /** A watched key was touched: the next EXEC fails. */
  dirtyCas = false;
  /** The client ran MULTI or WATCH once (Valkey allocated its mstate): CLIENT LIST multi= is then 0, not -1. */
  hasMultiState = false;
  /** Inside EXEC (or a script): blocking commands answer at once, as on timeout (CLIENT_DENY_BLOCKING). */
  denyBlocking = false;
  watched: WatchedKey[] = [];
  replyMode: ReplyMode = 'on';
  /** Replies still to drop (CLIENT REPLY SKIP drops its own and the next). */
  dropReplies = 0;
  noEvict = false;
  /** A replica's primary client (Valkey's CLIENT_PRIMARY): its stream is obeyed, never refused. */
  isPrimary = false;
  /** The replication offset right after this client's last propagated write (WAIT waits for it). */
  woff = 0;
  noTouch = false;
  /** CLIENT IMPORT-SOURCE ON (import mode): this client sees expired keys as live (flag I). */
  importSource = false;
  capa = new Set<string>();
  /** Set while the client waits in a blocking command. */
  blocked: { cmd: string; cancel(): void } | null = null;
  /** CLIENT KILL or QUIT: no more commands; close once replies are out. */
  closing = false;
  /** The command being executed (CLIENT LIST cmd=). */
  currentCmd: CommandEntry | null = null;
  /** The arguments of the last request (CLIENT LIST argv-mem= while it runs or blocks). */
  argv: readonly Bytes[] = [];
  /** Arguments of the running command to hide in the command log (redactClientCommandArgument). */
  readonly redacted = new Set<number>();
  /** Microseconds spent by the current request so far (c->duration: an EXEC's commands add up). */
  duration = 0;
  /** Bytes of the current request (net_input_bytes_curr_cmd) and of its replies so far (net_output_bytes_curr_cmd). */
  requestBytes = 0;
  replyBytes = 0;
  /** Pub/Sub subscriptions (CLIENT LIST sub= psub= ssub=, flag P, RESP2 PING reply). */
  readonly channels = new Set<Bytes>();
  readonly patterns = new Set<Bytes>();
  readonly shardChannels = new Set<Bytes>();
  /** CLIENT TRACKING state (CLIENT LIST flags t/B/R and redir=); null when tracking is off. */
  tracking: TrackingState | null = null;
  /** Pushes to this client produced while its own command ran: sent after that command's reply. */
  readonly pendingPushes: Reply[] = [];
  /** MONITOR was sent: every command is fed to this client (flag O). */
  monitor = false;
  /** The client a script's server.call runs commands on (Valkey's CLIENT_SCRIPT). */
  script = false;
  /** READONLY was sent (cluster): flag r. */
  readonly = false;
  /** ASKING was sent: the next command may touch a slot this node imports (cleared after it, unless in MULTI). */
  asking = false;

  constructor(
    readonly id: number,
    readonly conn: ConnectionInfo,
    readonly sink: ClientSink,
    readonly createdAt: number,
    needsAuth: boolean,
  ) {
    this.authenticated = !needsAuth;
    this.lastInteraction = createdAt;
  }

  /**
   * A watched key was touched: the next EXEC fails and the queue is dropped
   * (nothing more is queued). With `unwatch` (touchWatchedKey) the client also
   * stops watching; FLUSHDB/SWAPDB's touchAllWatchedKeysInDb keeps the watches.
   */
  markDirty(unwatch = false): void {
    this.dirtyCas = true;
    if (this.multi) this.multi.queue.length = 0;
    if (unwatch) {
      for (const wk of this.watched) wk.db.unwatch(wk);
      this.watched = [];
    }
  }

  get inMulti(): boolean {
    return this.multi !== null;
  }

  /** Subscribed to any channel, pattern or shard channel (Valkey's CLIENT_PUBSUB flag). */
  get inPubSub(): boolean {
    return this.channels.size + this.patterns.size + this.shardChannels.size > 0;
  }
}
