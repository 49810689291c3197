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
  /**
   * Holds the caller for `ms` milliseconds (fractions allowed) without
   * returning to the event loop, as a server stuck in a long command is
   * (DEBUG SLEEP): the system clock blocks the thread for real, a virtual
   * clock moves forward by that much. Optional for clocks of your own: without
   * it, DEBUG SLEEP returns at once.
   */
  sleep?(ms: number): void;
}

/** Blocks the thread for `ms` real milliseconds (Atomics.wait on a private buffer nobody notifies). */
function blockFor(ms: number): void {
  if (!(ms > 0)) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
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
        // Re-arm when the wall clock is not there yet (long waits, or a timer that fired early).
        if (at - this.now() > 0) arm();
        else fn();
      }, Math.min(delay, MAX));
      handle.unref?.();
    };
    arm();
    return { cancel: () => { cancelled = true; this.timers.clearTimeout(handle); } };
  }
  sleep(ms: number): void {
    // Atomics.wait may wake a little early: wait again for what is left, by the wall clock.
    const end = this.timers.nowUs() + ms * 1000;
    for (let left = ms; left > 0; left = (end - this.timers.nowUs()) / 1000) blockFor(left);
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
 * `advance(ms)` or `set(epochMs)`, which fire every callback that became due,
 * in order of due time (ties in order of scheduling), each seeing `now()` at
 * its own due time; after them `now()` is the target time. A running virtual
 * clock also moves with real time, offset by whatever was advanced.
 */
export class VirtualClock implements Clock {
  private base: number;
  private anchor: number;
  private running: boolean;
  /** Sorted by (at, seq). */
  private pending: Pending[] = [];
  private seq = 0;
  private cancelledCount = 0;
  private realTimer: NodeJS.Timeout | undefined;
  private firing = false;
  /** Microseconds slept beyond the whole milliseconds of `base` (sleep() of fractions): nowUs() shows them. */
  private fracUs = 0;
  /** A real timer that fires what a sleep() made due, once the sleeping caller has returned. */
  private afterSleep: NodeJS.Timeout | undefined;

  constructor(opts: VirtualClockOptions = {}, private readonly timers: RealTimers = realTimers) {
    const start = opts.start ?? timers.nowMs();
    if (!Number.isFinite(start)) throw new RangeError('VirtualClock start must be a finite epoch-ms number');
    this.base = Math.floor(start);
    this.anchor = timers.nowMs();
    this.running = opts.mode === 'running';
  }

  now(): number {
    return this.running ? this.base + (this.timers.nowMs() - this.anchor) : this.base;
  }

  nowUs(): number {
    return this.now() * 1000 + this.fracUs;
  }

  /**
   * Moves time forward by `ms` (fractions kept to the microsecond for
   * nowUs()) without running callbacks now: the sleeping caller is in the
   * middle of its work, as Valkey is inside DEBUG SLEEP. What became due
   * fires on the next advance()/set(), or from a real timer right after the
   * caller returns to the event loop.
   */
  sleep(ms: number): void {
    if (!(ms > 0) || !Number.isFinite(ms)) return;
    const us = this.fracUs + Math.round(ms * 1000);
    this.setBase(this.now() + Math.floor(us / 1000));
    this.fracUs = us % 1000;
    if (this.afterSleep === undefined && !this.firing) {
      const due = this.nextDue();
      if (due !== undefined && due <= this.now()) {
        this.afterSleep = this.timers.setTimeout(() => {
          this.afterSleep = undefined;
          this.fireUpTo(this.now());
          this.armReal();
        }, 0);
        this.afterSleep.unref?.();
      }
    }
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Callbacks scheduled and not yet fired or cancelled. */
  get pendingTimers(): number {
    let n = 0;
    for (const p of this.pending) if (!p.cancelled) n++;
    return n;
  }

  /** Due time (epoch ms) of the next scheduled callback, or undefined. */
  nextDue(): number | undefined {
    for (const p of this.pending) if (!p.cancelled) return p.at;
    return undefined;
  }

  /** Move time forward by `ms` and fire what became due. */
  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError('advance() takes a finite, non-negative number of milliseconds');
    this.moveTo(this.now() + ms);
  }

  /** Jump to an absolute epoch-ms time (forward or back) and fire what is due. */
  set(epochMs: number): void {
    if (!Number.isFinite(epochMs)) throw new RangeError('set() takes a finite epoch-ms number');
    this.fracUs = 0;
    this.moveTo(epochMs);
  }

  /** Stop following real time. */
  freeze(): void {
    this.moveTo(this.now());
    this.running = false;
    this.armReal();
  }

  /** Follow real time from now on. */
  resume(): void {
    this.moveTo(this.now());
    this.running = true;
    this.armReal();
  }

  schedule(at: number, fn: () => void): Timer {
    const p: Pending = { at, seq: this.seq++, fn, cancelled: false };
    // Binary insertion after every entry due at or before `at` (keeps scheduling order for ties).
    let lo = 0;
    let hi = this.pending.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.pending[mid]!.at <= at) lo = mid + 1;
      else hi = mid;
    }
    this.pending.splice(lo, 0, p);
    if (!this.firing && at <= this.now()) this.fireUpTo(this.now());
    else if (lo === 0) this.armReal();
    return {
      cancel: () => {
        if (p.cancelled) return;
        p.cancelled = true;
        // Drop cancelled entries once they are half the queue, so cancelling stays cheap and bounded.
        if (++this.cancelledCount > 32 && this.cancelledCount * 2 > this.pending.length) {
          this.pending = this.pending.filter((q) => !q.cancelled);
          this.cancelledCount = 0;
        }
      },
    };
  }

  private moveTo(time: number): void {
    const t = Math.floor(time);
    if (this.firing || t <= this.now()) {
      // Backwards, or from inside a callback (the outer loop fires). Only what a sleep() left overdue becomes due.
      this.setBase(t);
      if (!this.firing) {
        this.fireUpTo(t);
        this.armReal();
      }
      return;
    }
    this.fireUpTo(t);
    this.armReal();
  }

  private setBase(t: number): void {
    this.base = t;
    this.anchor = this.timers.nowMs();
  }

  /**
   * Fires every callback due at or before `target`, stepping time to each
   * one's due time. A callback that throws does not stop the others: the
   * first error is rethrown once time has reached `target`.
   */
  private fireUpTo(target: number): void {
    if (this.firing) return;
    this.firing = true;
    let failed = false;
    let error: unknown;
    try {
      while (this.pending.length > 0) {
        const p = this.pending[0]!;
        if (p.cancelled) {
          this.pending.shift();
          this.cancelledCount--;
          continue;
        }
        // A callback may have moved time further (advance() inside a callback).
        const limit = Math.max(target, this.now());
        if (p.at > limit) break;
        this.pending.shift();
        p.cancelled = true; // fired: a later cancel() is a no-op
        if (p.at > this.now()) this.setBase(p.at);
        try {
          p.fn();
        } catch (e) {
          if (!failed) {
            failed = true;
            error = e;
          }
        }
      }
      if (this.now() < target) this.setBase(target);
    } finally {
      this.firing = false;
    }
    if (failed) throw error;
  }

  private armReal(): void {
    if (this.realTimer) this.timers.clearTimeout(this.realTimer);
    this.realTimer = undefined;
    while (this.pending.length > 0 && this.pending[0]!.cancelled) {
      this.pending.shift();
      this.cancelledCount--;
    }
    if (!this.running || this.pending.length === 0) return;
    const delay = Math.max(0, this.pending[0]!.at - this.now());
    this.realTimer = this.timers.setTimeout(() => {
      this.realTimer = undefined;
      this.fireUpTo(this.now());
      this.armReal();
    }, Math.min(delay, 2 ** 31 - 1));
    this.realTimer.unref?.();
  }
}
