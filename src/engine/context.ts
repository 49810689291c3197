/**
 * The unit of work a handler receives: the client, its selected database, one
 * time snapshot (Valkey's commandTimeSnapshot: fixed for a command, and for a
 * whole EXEC), and the verbs that keep WATCH, notifications and stats right.
 */
import type { Bytes } from '../protocol/index.js';
import type { Client } from './client.js';
import type { CommandEntry } from './command.js';
import type { Engine } from './engine.js';
import { Err } from './errors.js';
import type { Entry, Keyspace, ValueType } from './keyspace/keyspace.js';
import { lfuCounter, lfuDecay, lfuInit, lfuTouch } from './keyspace/lfu.js';

/** lookupKey flags (db.c LOOKUP_*), for read() and write(). */
export const LOOKUP_NONE = 0;
/** Don't update the key's access time (or LFU counter). */
export const LOOKUP_NOTOUCH = 1;
/** No 'keymiss' event on a miss. */
export const LOOKUP_NONOTIFY = 2;
/** Don't count keyspace hits/misses. */
export const LOOKUP_NOSTATS = 4;

export class Context {
  readonly db: Keyspace;
  /** The error reply is not counted in errorstats (a script error raised by a command that was counted already). */
  noErrorStats = false;
  /** What replicas receive for this command instead of its argv (rewriteClientCommandVector). */
  propArgv: readonly Bytes[] | undefined;
  /** 'prevent': not propagated (preventCommandPropagation); 'force': propagated even without a change (forceCommandPropagation). */
  propMode: 'prevent' | 'force' | undefined;

  constructor(
    readonly engine: Engine,
    readonly client: Client,
    readonly cmd: CommandEntry,
    /** Epoch ms, fixed for the command (and for every command of an EXEC). */
    readonly now: number,
    /** Inside EXEC (or a script): blocking commands must not block. */
    readonly inExec: boolean,
  ) {
    this.db = engine.db(client.db);
  }

  get resp(): 2 | 3 {
    return this.client.resp;
  }

  /**
   * lookupKeyRead: the live entry (expired keys are removed first), with its
   * access time updated unless the client is in NO-TOUCH mode, counted as a
   * keyspace hit or miss; a miss fires 'keymiss'. Throws WRONGTYPE when
   * `type` is given and differs (after the lookup's side effects, as Valkey's
   * checkType). `flags` are LOOKUP_* bits.
   */
  read(key: Bytes, type?: ValueType, db: Keyspace = this.db, flags = LOOKUP_NONE): Entry | undefined {
    const e = db.lookup(key, this.now);
    if (e === undefined) {
      if ((flags & LOOKUP_NONOTIFY) === 0) this.engine.notifyKeyspaceEvent('m', 'keymiss', key, db.id);
      if ((flags & LOOKUP_NOSTATS) === 0) this.engine.stats.keyspaceMisses++;
      return undefined;
    }
    if ((flags & LOOKUP_NOTOUCH) === 0) this.touchEntry(e);
    if ((flags & LOOKUP_NOSTATS) === 0) this.engine.stats.keyspaceHits++;
    if (type !== undefined && e.type !== type) throw Err.wrongType();
    return e;
  }

  /** lookupKeyWrite: like read() without hit/miss stats or 'keymiss'. */
  write(key: Bytes, type?: ValueType, db: Keyspace = this.db, flags = LOOKUP_NONE): Entry | undefined {
    const e = db.lookup(key, this.now, true);
    if (e === undefined) return undefined;
    if ((flags & LOOKUP_NOTOUCH) === 0) this.touchEntry(e);
    if (type !== undefined && e.type !== type) throw Err.wrongType();
    return e;
  }

  /**
   * The access-time update of lookupKey: skipped for NO-TOUCH clients (except
   * by TOUCH itself); under an LFU policy it also bumps the LFU counter.
   */
  private touchEntry(e: Entry): void {
    if (this.client.noTouch && this.cmd.fullname !== 'touch') return;
    const lfu = this.engine.lfu;
    if (lfu.on) e.lfu = lfuTouch(e.lfu ?? lfuInit(e.lru), this.now, lfu, () => this.engine.rng.next());
    e.lru = this.now;
  }

  /** OBJECT FREQ: the key's LFU counter after decay (stored back, as Valkey does). */
  lfuFrequency(e: Entry): number {
    const lfu = this.engine.lfu;
    e.lfu = lfuDecay(e.lfu ?? lfuInit(e.lru), this.now, lfu.decayTime);
    return lfuCounter(e.lfu);
  }

  /** signalModifiedKey: WATCHers, blocked clients and tracking clients of the key see it changed. */
  modified(key: Bytes, db: Keyspace = this.db): void {
    this.engine.evictor.modified(db.peek(key));
    this.engine.signalModifiedKey(db, key, this.client);
  }

  /** notifyKeyspaceEvent (class is Valkey's flag letter: 'g', '$', 'x'...). */
  notify(cls: string, event: string, key: Bytes, db: Keyspace = this.db): void {
    this.engine.notifyKeyspaceEvent(cls, event, key, db.id);
  }

  /**
   * checkAlreadyExpired: an absolute expiry at or before the command's time
   * snapshot deletes the key at once, except in import mode, where the key
   * keeps it (the import source deletes it later).
   */
  alreadyExpired(ms: bigint | number): boolean {
    if (this.engine.config.getBool('import-mode')) return false;
    return typeof ms === 'number' ? ms <= this.now : ms <= BigInt(this.now);
  }

  /** redactClientCommandArgument: argv[i] shows as "(redacted)" in the command log. */
  redact(i: number): void {
    this.client.redacted.add(i);
  }

  /** rewriteClientCommandVector: replicas receive `argv` for this command (only kept while replicas may listen). */
  rewrite(argv: readonly Bytes[]): void {
    if (this.engine.repl.prop.active) this.propArgv = argv;
  }

  /** preventCommandPropagation: the command itself is not propagated (what it alsoPropagate()s is). */
  preventPropagation(): void {
    this.propMode = 'prevent';
  }

  /** forceCommandPropagation: propagated even when nothing changed. */
  forcePropagation(): void {
    this.propMode = 'force';
  }

  /** alsoPropagate: `argv` joins what this execution unit sends replicas, in database `db`. */
  alsoPropagate(argv: readonly Bytes[], db: Keyspace = this.db): void {
    this.engine.repl.prop.also(db.id, argv);
  }

  /**
   * deleteExpiredKeyFromOverwriteAndPropagate: an expiry in the past deletes
   * the key as expired; replicas get the UNLINK/DEL (from the expiry hook) instead of the command.
   */
  deleteAsExpired(key: Bytes): void {
    this.db.deleteExpired(key);
    this.preventPropagation();
    this.dirty();
  }

  /** One write for persistence accounting (server.dirty). */
  dirty(n = 1): void {
    this.engine.stats.dirty += n;
  }

  /** modified + notify + dirty: the usual tail of a write command. */
  wrote(key: Bytes, cls: string, event: string, db: Keyspace = this.db): void {
    this.modified(key, db);
    this.notify(cls, event, key, db);
    this.dirty();
  }
}
