/**
 * The replication state of one engine: as a primary, its stream
 * (propagation.ts), replication ids, the replicas following it and the
 * clients in WAIT; as a replica, the primary it follows and the "primary
 * client" its stream runs through. Delivery between engines (lag, pauses,
 * timers) is the server layer's link (src/server/replication.ts).
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { Client } from '../client.js';
import type { Context } from '../context.js';
import type { Engine } from '../engine.js';
import { serverCounters } from '../info.js';
import { Propagation, type StreamCommand } from './propagation.js';

export { encodeCommand, Propagation, type StreamCommand, type StreamConsumer } from './propagation.js';

const NO_REPLID = '0000000000000000000000000000000000000000';

/** A replica as its primary sees it (INFO slaveN, ROLE). */
export interface ReplicaView {
  ip: string;
  port: number;
  /** 'wait_bgsave' until the initial sync is done, then 'online'. */
  state: 'wait_bgsave' | 'online';
  /** The offset it last acknowledged (REPLCONF ACK). */
  ackOffset: number;
  /** Clock time (ms) of its last acknowledgement. */
  ackAt: number;
}

/** The primary a replica follows (server.primary_host/port and the link's state). */
export interface PrimaryView {
  host: string;
  port: number;
  /** master_link_status; ROLE's state is 'connected' when up, else 'connect'. */
  linkUp: boolean;
  /** Clock time (ms) of the last byte received, for master_last_io_seconds_ago. */
  lastIoAt: number;
  /** Clock time (ms) the link went down, for master_link_down_since_seconds. */
  downSince: number;
  /** The link was up once (master_link_down_since_seconds is -1 before). */
  everUp: boolean;
}

interface Waiter {
  client: Client;
  offset: number;
  numreplicas: number;
  reply: (acked: number) => Reply;
}

/** The error WAIT gets on a replica. */
export const WAIT_ON_REPLICA =
  'ERR WAIT cannot be used with replica instances. Please also note that if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.';
export const WAITAOF_ON_REPLICA =
  'ERR WAITAOF cannot be used with replica instances. Please also note that writes to replicas are just local and are not propagated.';
export const NOREPLICAS_ERROR = 'NOREPLICAS Not enough good replicas to write.';
export const MASTERDOWN_ERROR = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
export const READONLY_ERROR = "READONLY You can't write against a read only replica.";

export class Replication {
  readonly prop = new Propagation();
  /** master_replid2 and second_repl_offset: the id (and where it ended) this node had before a promotion. */
  replid2 = NO_REPLID;
  secondOffset = -1;
  /** Replicas following this engine, by the link's id. */
  readonly replicas = new Map<number, ReplicaView>();
  /** The primary this engine follows, or null for a primary. */
  primary: PrimaryView | null = null;
  private primaryClientObj: Client | null = null;
  private readonly waiters: Waiter[] = [];
  private nextReplicaId = 1;

  /** min-replicas-to-write / min-replicas-max-lag, following CONFIG SET. */
  private readonly minReplicas: { need: number; maxLag: number };

  constructor(private readonly engine: Engine) {
    this.minReplicas = engine.config.live(['min-replicas-to-write', 'min-replicas-max-lag'], (c) => ({
      need: c.getInt('min-replicas-to-write'),
      maxLag: c.getInt('min-replicas-max-lag'),
    }));
  }

  get replid(): string {
    return serverCounters(this.engine).replId;
  }

  set replid(v: string) {
    serverCounters(this.engine).replId = v;
  }

  /** The client a replica runs its primary's stream through (Valkey's master client: never refused, never counted). */
  get primaryClient(): Client {
    if (!this.primaryClientObj) {
      const c = new Client(-1, { addr: `${this.primary?.host ?? ''}:${this.primary?.port ?? 0}`, laddr: '', fd: -1 }, { deliver: () => {}, close: () => {} }, this.engine.clock.now(), false);
      c.authenticated = true;
      c.isPrimary = true;
      this.primaryClientObj = c;
    }
    return this.primaryClientObj;
  }

  // --- as a primary ---

  /** A replica starts following: registered as waiting for its initial sync. */
  addReplica(ip: string, port: number): number {
    const id = this.nextReplicaId++;
    this.prop.ensureBacklog();
    this.replicas.set(id, { ip, port, state: 'wait_bgsave', ackOffset: 0, ackAt: this.engine.clock.now() });
    return id;
  }

  removeReplica(id: number): void {
    this.replicas.delete(id);
  }

  /** REPLCONF ACK <offset> from a replica: it holds everything up to `offset`; WAITers may be done. */
  ack(id: number, offset: number): void {
    const r = this.replicas.get(id);
    if (!r) return;
    r.state = 'online';
    if (offset > r.ackOffset) r.ackOffset = offset;
    r.ackAt = this.engine.clock.now();
    this.serveWaiters();
  }

  /** replicationCountAcksByOffset. */
  acked(offset: number): number {
    let n = 0;
    for (const r of this.replicas.values()) if (r.state === 'online' && r.ackOffset >= offset) n++;
    return n;
  }

  /** WAIT numreplicas: the count now, or a wait (the caller blocks) that ack() ends. */
  wait(ctx: Context, numreplicas: number, deadline: number, reply: (acked: number) => Reply = R.int): ReturnType<Engine['block']> {
    const client = ctx.client;
    const offset = client.woff;
    const now = this.acked(offset);
    if (now >= numreplicas || ctx.inExec) return reply(now);
    const w: Waiter = { client, offset, numreplicas, reply };
    this.waiters.push(w);
    // replicationRequestAckFromSlaves, sent in beforeSleep: REPLCONF GETACK * joins the stream.
    if (this.replicas.size > 0) this.prop.feed(-1, ['REPLCONF', 'GETACK', '*']);
    return this.engine.block(client, {
      deadline,
      cmd: ctx.cmd.fullname,
      onTimeout: () => {
        this.dropWaiter(w);
        return reply(this.acked(offset));
      },
    });
  }

  private dropWaiter(w: Waiter): void {
    const i = this.waiters.indexOf(w);
    if (i >= 0) this.waiters.splice(i, 1);
  }

  private serveWaiters(): void {
    for (const w of [...this.waiters]) {
      const n = this.acked(w.offset);
      if (n < w.numreplicas) continue;
      this.dropWaiter(w);
      this.engine.unblockWith(w.client, w.reply(n));
    }
  }

  // --- as a replica ---

  /**
   * How REPLICAOF reaches another node: set by the server layer (a
   * ReplicationHub). `host` null is REPLICAOF NO ONE. Without it, REPLICAOF
   * host port leaves a link that never comes up.
   */
  connector: ((host: string | null, port: number) => void) | undefined;

  /** replicationSetPrimary: from now on this engine follows host:port (the link is not up yet). */
  follow(host: string, port: number): void {
    const now = this.engine.clock.now();
    this.primary = { host, port, linkUp: false, lastIoAt: now, downSince: now, everUp: false };
    this.primaryClientObj = null;
    this.prop.proxying = true;
    this.prop.discard();
  }

  /** The link finished its initial sync: this engine now holds the primary's data at `offset` under `replid`. */
  synced(replid: string, offset: number): void {
    this.replid = replid;
    this.replid2 = NO_REPLID;
    this.secondOffset = -1;
    this.prop.offset = offset;
    this.prop.eldb = -1;
    if (this.prop.active) this.prop.backlogStart = offset + 1;
    if (this.primary) {
      this.primary.linkUp = true;
      this.primary.everUp = true;
      this.primary.lastIoAt = this.engine.clock.now();
    }
  }

  linkDown(): void {
    if (this.primary?.linkUp) {
      this.primary.linkUp = false;
      this.primary.downSince = this.engine.clock.now();
    }
  }

  /**
   * Applies one command of the primary's stream through the primary client,
   * passes it on to this engine's own replicas, and returns the new offset.
   */
  apply(cmd: StreamCommand): number {
    const argv = cmd.argv;
    const name = argv[0]!.toLowerCase();
    // REPLCONF GETACK is answered by the link (an ACK); PING only moves the offset.
    if (name !== 'replconf' && name !== 'ping') {
      this.engine.execute(this.primaryClient, argv);
    }
    this.prop.proxy(cmd);
    if (this.primary) this.primary.lastIoAt = this.engine.clock.now();
    return this.prop.offset;
  }

  /**
   * REPLICAOF NO ONE (replicationUnsetPrimary): the old id becomes replid2
   * up to this offset, a new id starts, and the node takes writes.
   */
  promote(): void {
    if (this.primary === null) return;
    this.primary = null;
    this.primaryClientObj = null;
    this.prop.proxying = false;
    this.shiftReplid();
    // The next command of the new history starts with a SELECT.
    this.prop.eldb = -1;
  }

  /** shiftReplicationId: the current id is kept as replid2 (valid up to this offset), and a new one is drawn. */
  private shiftReplid(): void {
    this.replid2 = this.replid;
    this.secondOffset = this.prop.offset + 1;
    this.replid = this.engine.rng.hex(40);
  }

  /** checkGoodReplicasStatus: min-replicas-to-write replicas acknowledged within min-replicas-max-lag seconds. */
  enoughGoodReplicas(): boolean {
    const { need, maxLag } = this.minReplicas;
    if (need === 0 || maxLag === 0 || this.primary !== null) return true;
    const now = this.engine.clock.now();
    let good = 0;
    for (const r of this.replicas.values()) if (r.state === 'online' && Math.floor((now - r.ackAt) / 1000) <= maxLag) good++;
    return good >= need;
  }

  /** Must a write from `client` be refused with READONLY (replica-read-only)? */
  refusesWrite(client: Client): boolean {
    return this.primary !== null && !client.isPrimary && this.engine.config.getBool('replica-read-only');
  }
}

const UNIT_RUNNERS = new Set(['exec', 'eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);

/**
 * The end of call(), when a backlog exists: the command joins the execution
 * unit as its handler left it, and a top-level unit goes out.
 */
export function propagateCall(engine: Engine, ctx: Context, argv: readonly Bytes[], dirty: boolean): void {
  const prop = engine.repl.prop;
  // EXEC and scripts are not propagated themselves: what they ran is (effects replication).
  if (ctx.propMode !== 'prevent' && !UNIT_RUNNERS.has(ctx.cmd.fullname) && (dirty || ctx.propMode === 'force')) {
    prop.also(ctx.client.db, ctx.propArgv ?? argv);
  }
  if (prop.nesting === 0 && !engine.scripting.running) endUnit(engine, ctx.client, ctx.cmd.flags.has('touches_arbitrary_keys'));
}

/** postExecutionUnitOperations: what the unit collected goes out; the client remembers the offset of its last write (woff). */
export function endUnit(engine: Engine, client: Client | null, arbitrary = false): void {
  const prop = engine.repl.prop;
  if (!prop.hasPending) return;
  const before = prop.offset;
  prop.flush(arbitrary);
  if (client && prop.offset !== before) client.woff = prop.offset;
}
