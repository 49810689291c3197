/**
 * CLIENT PAUSE (Valkey's pauseActions for PAUSE_BY_CLIENT_COMMAND): until
 * its end on the engine's clock, commands that may write (WRITE) or all
 * commands (ALL) of clients other than monitors are postponed, and keys do
 * not expire (they read as missing but stay, and nothing counts as
 * expired). Postponed clients wait in the order they came and run their
 * command again, through every gate, once the pause is lifted or eased.
 */
import type { Bytes } from '../protocol/index.js';
import type { Client } from './client.js';
import type { Timer } from '../time/index.js';

export type PauseMode = 'none' | 'write' | 'all';

export interface PauseHost {
  now(): number;
  schedule(at: number, fn: () => void): Timer;
  /** Runs a postponed request again (processCommand from the top). */
  rerun(c: Client, argv: readonly Bytes[]): void;
  /** The pause ended: expiry resumes. */
  resumed(): void;
}

interface Postponed {
  client: Client;
  argv: readonly Bytes[];
}

const rank = (m: PauseMode) => (m === 'all' ? 2 : m === 'write' ? 1 : 0);

export class Pause {
  private mode: PauseMode = 'none';
  private end = 0;
  private timer: Timer | undefined;
  private readonly postponed: Postponed[] = [];

  constructor(private readonly host: PauseHost) {}

  /** The pause in force now (updatePausedActions first: a pause past its end is over). */
  current(): PauseMode {
    if (this.mode !== 'none' && this.end <= this.host.now()) this.update('none', 0);
    return this.mode;
  }

  /** Milliseconds left of the pause (INFO paused_timeout_milliseconds). */
  remaining(): number {
    return this.current() === 'none' ? 0 : Math.max(0, this.end - this.host.now());
  }

  /** pauseClientsByClient: the later end and the stricter mode of the two pauses win. */
  pause(end: number, mode: 'write' | 'all'): void {
    const cur = this.current();
    const next: PauseMode = mode === 'write' && cur === 'all' ? 'all' : mode;
    this.update(next, Math.max(this.end, end));
  }

  /** CLIENT UNPAUSE. */
  unpause(): void {
    this.update('none', 0);
  }

  /** Must this command wait? `mayWrite`: it has the write or may-replicate flag (EXEC: its queue's). */
  blocks(c: Client, mayWrite: boolean): boolean {
    if (c.monitor) return false;
    const m = this.current();
    return m === 'all' || (m === 'write' && mayWrite);
  }

  /** blockPostponeClient: parks the client until the pause eases. */
  postpone(c: Client, argv: readonly Bytes[], cmd: string): void {
    const p: Postponed = { client: c, argv };
    this.postponed.push(p);
    c.blocked = {
      cmd,
      cancel: () => {
        const i = this.postponed.indexOf(p);
        if (i >= 0) this.postponed.splice(i, 1);
      },
    };
  }

  /** Server shutdown: the end timer goes (it must not keep the process alive); postponed clients are dropped. */
  close(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.postponed.length = 0;
  }

  /** Expiry is paused under any client pause (PAUSE_ACTION_EXPIRE). */
  get expiryPaused(): boolean {
    return this.current() !== 'none';
  }

  private update(mode: PauseMode, end: number): void {
    // A pause whose end has come is no pause (CLIENT PAUSE 0).
    if (mode !== 'none' && end <= this.host.now()) mode = 'none';
    const before = this.mode;
    this.mode = mode;
    this.end = mode === 'none' ? 0 : end;
    this.timer?.cancel();
    this.timer = undefined;
    if (mode !== 'none') {
      // The end is in the future, so the callback cannot run inside schedule().
      const t: Timer = this.host.schedule(this.end, () => {
        if (this.timer === t) this.timer = undefined;
        this.current();
      });
      this.timer = t;
    }
    // Less restrictive than before: every postponed client tries again, in order.
    if (rank(mode) < rank(before)) this.release();
    if (mode === 'none' && before !== 'none') this.host.resumed();
  }

  private release(): void {
    const all = this.postponed.splice(0);
    for (const p of all) {
      p.client.blocked = null;
      this.host.rerun(p.client, p.argv);
    }
  }
}
