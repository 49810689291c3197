/**
 * Propagation: the stream of write effects a primary sends its replicas, as
 * Valkey builds it (server.c call() / alsoPropagate / propagatePendingCommands,
 * replication.c replicationFeedReplicas).
 *
 * A command that changed the dataset (server.dirty moved) is propagated as
 * its handler left it: verbatim, or rewritten (ctx.rewrite, Valkey's
 * rewriteClientCommandVector), or not at all (ctx.preventPropagation) with
 * what it chose to propagate instead (ctx.alsoPropagate). Deletions the server
 * makes itself (expiry, eviction) add UNLINK/DEL. Everything an execution unit
 * (a top-level command, EXEC, a script, one actively expired or evicted key)
 * collected goes out together, wrapped in MULTI/EXEC when it is more than one
 * command. A SELECT precedes a command of a database other than the last one
 * sent.
 *
 * Nothing is collected while no replica (or stream listener) was ever
 * attached: Valkey keeps no backlog then, and its offset stays 0.
 */
import type { Bytes } from '../../protocol/index.js';

/** One command of the stream: its arguments and its RESP encoding (what the offset counts). */
export interface StreamCommand {
  readonly argv: readonly Bytes[];
  readonly resp: Bytes;
}

/** Receives every command fed to the replication stream, in order, with the primary's offset after it. */
export type StreamConsumer = (cmd: StreamCommand, offset: number) => void;

interface Op {
  db: number;
  argv: readonly Bytes[];
}

/** The RESP array of bulk strings a command travels as (replicationFeedReplicas' encoding). */
export function encodeCommand(argv: readonly Bytes[]): Bytes {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

export class Propagation {
  /** call() depth: the execution unit ends when it is back to 0. */
  nesting = 0;
  /** A backlog exists (a replica attached once): commands are collected and fed. */
  active = false;
  /** master_repl_offset: bytes fed to the stream since the replication id began. */
  offset = 0;
  /** The offset where the backlog's first byte is (repl_backlog_first_byte_offset), 0 without a backlog. */
  backlogStart = 0;
  /** server.replicas_eldb: the database of the last SELECT sent, -1 to force the next one. */
  eldb = -1;
  /** This engine follows a primary: it propagates nothing of its own, and proxies its primary's stream. */
  proxying = false;
  private readonly pending: Op[] = [];
  private readonly consumers = new Set<StreamConsumer>();

  /** Starts the backlog (createReplicationBacklog) when a first replica attaches. */
  ensureBacklog(): void {
    if (this.active) return;
    this.active = true;
    this.backlogStart = this.offset + 1;
  }

  /** A replica (or a SYNC connection) starts following; returns its detach function. */
  attach(fn: StreamConsumer): () => void {
    this.ensureBacklog();
    this.consumers.add(fn);
    return () => this.consumers.delete(fn);
  }

  get consumerCount(): number {
    return this.consumers.size;
  }

  /** alsoPropagate: `argv` joins the current execution unit, in database `db`. */
  also(db: number, argv: readonly Bytes[]): void {
    if (!this.active || this.proxying) return;
    this.pending.push({ db, argv });
  }

  /** propagateDeletion: the server deleted `key` itself (expiry, eviction). */
  deletion(db: number, key: Bytes, lazy: boolean): void {
    this.also(db, [lazy ? 'UNLINK' : 'DEL', key]);
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /**
   * propagatePendingCommands, at the end of an execution unit. `arbitrary`:
   * the unit was a command flagged touches-arbitrary-keys run directly, whose
   * deletions go out unwrapped.
   */
  flush(arbitrary = false): void {
    const ops = this.pending;
    if (ops.length === 0) return;
    const wrap = ops.length > 1 && !arbitrary;
    if (wrap) this.feed(-1, ['MULTI']);
    for (const op of ops) this.feed(op.db, op.argv);
    if (wrap) this.feed(-1, ['EXEC']);
    ops.length = 0;
  }

  /** replicationFeedReplicas: SELECT when the database changes, then the command; `db` -1 sends no SELECT. */
  feed(db: number, argv: readonly Bytes[]): void {
    if (!this.active) return;
    if (db !== -1 && db !== this.eldb) {
      this.emit(['SELECT', String(db)]);
      this.eldb = db;
    }
    this.emit(argv);
  }

  /** A replica passes on what its primary sent, byte for byte, to its own replicas (replicationFeedStreamFromPrimaryStream). */
  proxy(cmd: StreamCommand): void {
    this.offset += cmd.resp.length;
    if (!this.active) return;
    for (const fn of [...this.consumers]) fn(cmd, this.offset);
  }

  private emit(argv: readonly Bytes[]): void {
    const cmd: StreamCommand = { argv, resp: encodeCommand(argv) };
    this.offset += cmd.resp.length;
    for (const fn of [...this.consumers]) fn(cmd, this.offset);
  }

  /** Drops what an execution unit collected (a replica that became one mid-unit). */
  discard(): void {
    this.pending.length = 0;
  }
}
