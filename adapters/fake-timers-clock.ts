/**
 * A server clock that follows the test runner's fake timers: `now()` is the
 * global `Date.now()` and callbacks are armed with the global `setTimeout`,
 * both looked up at each call. Under `vi.useFakeTimers()` or jest's modern
 * fake timers, `vi.advanceTimersByTime(ms)` / `jest.advanceTimersByTime(ms)`
 * moves the server's time with the application's: key TTLs and blocking
 * timeouts expire with the application's own timers. Without fake timers it
 * is real time.
 *
 * A callback armed while fakes are installed lives in the fakes: switching
 * back to real timers (vi.useRealTimers()) drops it, as it drops the
 * application's.
 */
import type { Clock, Timer } from '../src/index.js';

export class FakeTimersClock implements Clock {
  now(): number {
    return Date.now();
  }
  nowUs(): number {
    return Date.now() * 1000;
  }
  schedule(at: number, fn: () => void): Timer {
    let cancelled = false;
    let handle: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      handle = setTimeout(() => {
        if (cancelled) return;
        if (at - this.now() > 0) arm();
        else fn();
      }, Math.min(Math.max(0, at - this.now()), 2 ** 31 - 1));
      (handle as { unref?: () => void }).unref?.();
    };
    arm();
    return { cancel: () => { cancelled = true; if (handle !== undefined) clearTimeout(handle); } };
  }
}
