/**
 * A replica engine following a primary engine in the same process: the
 * initial sync (the primary's dataset through the RDB snapshot code), then
 * every command of the primary's stream applied on the replica through its
 * primary client, with the offsets acknowledged back (REPLCONF ACK).
 *
 * Delivery is immediate by default. `lagMs` delays each command on the
 * shared clock; pause()/resume() hold the stream back on demand. A cluster
 * holds many links: one per replica, all on one clock.
 */
import type { Engine } from '../engine/engine.js';
import { loadSnapshot, takeSnapshot } from '../engine/rdb/snapshot.js';
import type { StreamCommand } from '../engine/replication/index.js';
import type { Timer } from '../time/index.js';

export interface LinkOptions {
  /** The primary's address as the replica shows it (master_host / master_port). */
  primaryHost?: string;
  primaryPort?: number;
  /** The replica's address as the primary lists it (slaveN ip= / port=). */
  replicaIp?: string;
  replicaPort?: number;
  /** Each command reaches the replica this many ms (on the clock) after the primary ran it. */
  lagMs?: number;
  /** Start with the stream held back until resume(). */
  paused?: boolean;
}

export class ReplicaLink {
  private readonly id: number;
  private readonly detach: () => void;
  private readonly queue: { cmd: StreamCommand; due: number }[] = [];
  private timer: Timer | undefined;
  private pausedFlag: boolean;
  private lag: number;
  private closed = false;

  constructor(readonly primary: Engine, readonly replica: Engine, opts: LinkOptions = {}) {
    if (primary === replica) throw new Error('an engine cannot replicate itself');
    this.lag = opts.lagMs ?? 0;
    this.pausedFlag = opts.paused ?? false;
    const now = primary.clock.now();
    replica.repl.follow(opts.primaryHost ?? '127.0.0.1', opts.primaryPort ?? primary.process.tcpPort);
    this.id = primary.repl.addReplica(opts.replicaIp ?? '127.0.0.1', opts.replicaPort ?? replica.process.tcpPort);
    // Full resynchronization: the replica's data (keys and function libraries, as the RDB carries them) is replaced by the primary's.
    loadSnapshot(replica, takeSnapshot(primary, now), { flush: true, merge: false }, now);
    replica.repl.synced(primary.repl.replid, primary.repl.prop.offset);
    this.detach = primary.repl.prop.attach((cmd) => this.receive(cmd));
    primary.repl.ack(this.id, replica.repl.prop.offset);
    // replicaStartCommandStream: an empty stream gets a PING so that the offset is not 0.
    if (primary.repl.prop.offset === 0) primary.repl.prop.feed(-1, ['ping']);
  }

  /** The replica's offset (slave_repl_offset). */
  get offset(): number {
    return this.replica.repl.prop.offset;
  }

  /** Commands sent by the primary and not yet applied by the replica. */
  get pending(): number {
    return this.queue.length;
  }

  get paused(): boolean {
    return this.pausedFlag;
  }

  /** Holds the stream back: commands queue until resume(). */
  pause(): void {
    this.pausedFlag = true;
  }

  /** Applies what is due now (all of it without lag) and lets the stream flow again. */
  resume(): void {
    this.pausedFlag = false;
    this.drain();
  }

  setLag(ms: number): void {
    this.lag = ms;
    this.drain();
  }

  /** Applies everything queued at once, lag or pause notwithstanding. */
  flush(): void {
    while (this.queue.length) this.deliver(this.queue.shift()!.cmd);
  }

  /** Ends the link: the primary drops the replica; the replica's link is down. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.detach();
    this.primary.repl.removeReplica(this.id);
    this.replica.repl.linkDown();
  }

  /**
   * Failover: what was delivered stays, the link ends, and the replica
   * becomes a primary (REPLICAOF NO ONE: a new replication id, the old one as
   * replid2). Queued commands are applied first unless `dropPending`.
   */
  promote(opts: { dropPending?: boolean } = {}): Engine {
    if (opts.dropPending) this.queue.length = 0;
    else this.flush();
    this.close();
    this.replica.repl.promote();
    return this.replica;
  }

  private receive(cmd: StreamCommand): void {
    if (this.lag === 0 && !this.pausedFlag && this.queue.length === 0) {
      this.deliver(cmd);
      return;
    }
    this.queue.push({ cmd, due: this.primary.clock.now() + this.lag });
    this.drain();
  }

  private drain(): void {
    if (this.pausedFlag || this.closed) return;
    const now = this.primary.clock.now();
    while (this.queue.length && this.queue[0]!.due <= now) this.deliver(this.queue.shift()!.cmd);
    if (this.queue.length && this.timer === undefined) {
      this.timer = this.primary.clock.schedule(this.queue[0]!.due, () => {
        this.timer = undefined;
        this.drain();
      });
    }
  }

  private deliver(cmd: StreamCommand): void {
    const offset = this.replica.repl.apply(cmd);
    this.replica.afterCommand();
    // REPLCONF ACK <offset>: in process, every applied command is acknowledged at once.
    this.primary.repl.ack(this.id, offset);
  }
}

/** Makes `replica` follow `primary` (REPLICAOF inside one process). */
export function linkReplica(primary: Engine, replica: Engine, opts: LinkOptions = {}): ReplicaLink {
  return new ReplicaLink(primary, replica, opts);
}

/**
 * The in-process servers REPLICAOF can reach, by "host:port": one per test
 * or cluster (passed to each server as `replicationHub`), never module state.
 * REPLICAOF to an address not registered behaves as a link that never
 * connects (master_link_status:down).
 */
export class ReplicationHub {
  private readonly nodes = new Map<string, Engine>();
  /** The link of each replica engine, so REPLICAOF can replace or end it. */
  private readonly links = new Map<Engine, ReplicaLink>();

  register(host: string, port: number, engine: Engine): void {
    this.nodes.set(`${host}:${port}`, engine);
  }

  unregister(host: string, port: number): void {
    this.nodes.delete(`${host}:${port}`);
  }

  lookup(host: string, port: number): Engine | undefined {
    return this.nodes.get(`${host}:${port}`) ?? (host === 'localhost' ? this.nodes.get(`127.0.0.1:${port}`) : undefined);
  }

  /** The link `replica` follows its primary through, if any. */
  linkOf(replica: Engine): ReplicaLink | undefined {
    return this.links.get(replica);
  }

  /** REPLICAOF host port (or NO ONE with host null) for `replica`, wired as the engine's connector. */
  connect(replica: Engine, host: string | null, port: number): void {
    this.links.get(replica)?.close();
    this.links.delete(replica);
    if (host === null) return;
    const primary = this.lookup(host, port);
    if (!primary || primary === replica) return;
    this.links.set(replica, linkReplica(primary, replica, { primaryHost: host, primaryPort: port }));
  }
}
