import { realTimers, type RealTimers } from './real-timers.js';

/** A scheduled callback; cancel it with `cancel()`. */
export interface Timer {
  cancel(): void;
}

/**
 * The only source of time for an engine. `now()` is epoch milliseconds.
 * `schedule(at, fn)` runs `fn` once the clock reaches `at`: for the system
 * clock that is a real timer; for a virtual clock it happens inside
 * `advance()`/`set()` (or, when running, as real time passes).
 */
export interface Clock {
  now(): number;
  /** Epoch microseconds (TIME, CLIENT LIST ages); a virtual clock derives it from ms. */
  nowUs(): number;
  schedule(at: number, fn: () => void): Timer;
}

/** Real time, from the timers captured at load. */
export class SystemClock implements Clock {
  constructor(private readonly timers: RealTimers = realTimers) {}
  now(): number {
    return this.timers.nowMs();
  }
  nowUs(): number {
    return this.timers.nowUs();
  }
  schedule(at: number, fn: () => void): Timer {
    // Node's timers cap at 2^31-1 ms; re-arm for longer waits.
    const MAX = 2 ** 31 - 1;
    let handle: NodeJS.Timeout;
    let cancelled = false;
    const arm = () => {
      const delay = Math.max(0, at - this.now());
      handle = this.timers.setTimeout(() => {
        if (cancelled) return;
        if (at - this.now() > 0 && delay >= MAX) arm();
        else fn();
      }, Math.min(delay, MAX));
      handle.unref?.();
    };
    arm();
    return { cancel: () => { cancelled = true; this.timers.clearTimeout(handle); } };
  }
}

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export interface VirtualClockOptions {
  /** Start time, epoch ms. Default: the real time at construction. */
  start?: number;
  /** Frozen (default) moves only on advance()/set(); running also follows real time. */
  mode?: 'frozen' | 'running';
}

/**
 * A clock tests control. Frozen by default: time stands still until
 * `advance(ms)` or `set(epochMs)`, which fire every callback due in order of
 * due time. A running virtual clock also moves with real time, offset by
 * whatever was advanced.
 */
export class VirtualClock implements Clock {
  private base: number;
  private anchor: number;
  private running: boolean;
  private pending: Pending[] = [];
  private seq = 0;
  private realTimer: NodeJS.Timeout | undefined;
  private firing = false;

  constructor(opts: VirtualClockOptions = {}, private readonly timers: RealTimers = realTimers) {
    this.base = Math.floor(opts.start ?? timers.nowMs());
    this.anchor = timers.nowMs();
    this.running = opts.mode === 'running';
  }

  now(): number {
    return this.running ? this.base + (this.timers.nowMs() - this.anchor) : this.base;
  }

  nowUs(): number {
    return this.now() * 1000;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Move time forward by `ms` and fire what became due. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('advance() takes a non-negative number of milliseconds');
    this.rebase(this.now() + ms);
  }

  /** Jump to an absolute epoch-ms time (forward or back) and fire what is due. */
  set(epochMs: number): void {
    this.rebase(epochMs);
  }

  /** Stop following real time. */
  freeze(): void {
    this.rebase(this.now());
    this.running = false;
    this.armReal();
  }

  /** Follow real time from now on. */
  resume(): void {
    this.rebase(this.now());
    this.running = true;
    this.armReal();
  }

  schedule(at: number, fn: () => void): Timer {
    const p: Pending = { at, seq: this.seq++, fn, cancelled: false };
    this.pending.push(p);
    this.pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
    if (!this.firing && at <= this.now()) this.fire();
    else this.armReal();
    return { cancel: () => { p.cancelled = true; } };
  }

  private rebase(t: number): void {
    this.base = Math.floor(t);
    this.anchor = this.timers.nowMs();
    this.fire();
    this.armReal();
  }

  private fire(): void {
    if (this.firing) return;
    this.firing = true;
    try {
      while (this.pending.length > 0 && this.pending[0]!.at <= this.now()) {
        const p = this.pending.shift()!;
        if (!p.cancelled) p.fn();
      }
    } finally {
      this.firing = false;
    }
  }

  private armReal(): void {
    if (this.realTimer) this.timers.clearTimeout(this.realTimer);
    this.realTimer = undefined;
    this.pending = this.pending.filter((p) => !p.cancelled);
    if (!this.running || this.pending.length === 0) return;
    const delay = Math.max(0, this.pending[0]!.at - this.now());
    this.realTimer = this.timers.setTimeout(() => {
      this.realTimer = undefined;
      this.fire();
      this.armReal();
    }, Math.min(delay, 2 ** 31 - 1));
    this.realTimer.unref?.();
  }
}
