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

export class Context {
  readonly db: Keyspace;

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
   * access time updated unless the client is in NO-TOUCH mode. Throws
   * WRONGTYPE when `type` is given and differs.
   */
  read(key: Bytes, type?: ValueType, db: Keyspace = this.db): Entry | undefined {
    const e = db.lookup(key, this.now);
    if (e === undefined) {
      this.engine.stats.keyspaceMisses++;
      return undefined;
    }
    if (type !== undefined && e.type !== type) throw Err.wrongType();
    this.engine.stats.keyspaceHits++;
    if (!this.client.noTouch || this.cmd.fullname === 'touch') e.lru = this.now;
    return e;
  }

  /** lookupKeyWrite: like read() without hit/miss stats. */
  write(key: Bytes, type?: ValueType, db: Keyspace = this.db): Entry | undefined {
    const e = db.lookup(key, this.now);
    if (e === undefined) return undefined;
    if (type !== undefined && e.type !== type) throw Err.wrongType();
    e.lru = this.now;
    return e;
  }

  /** signalModifiedKey: WATCHers of the key see it changed. */
  modified(key: Bytes, db: Keyspace = this.db): void {
    db.touch(key);
    this.engine.keyReady(db, key);
  }

  /** notifyKeyspaceEvent (class is Valkey's flag letter: 'g', '$', 'x'...). */
  notify(cls: string, event: string, key: Bytes, db: Keyspace = this.db): void {
    this.engine.notifyKeyspaceEvent(cls, event, key, db.id);
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
