import { describe, expect, test } from 'vitest';
import { SystemClock, VirtualClock } from './clock.js';
import { realTimers, unfake, type RealTimers } from './real-timers.js';

const T0 = 1_700_000_000_000;
const realSleep = (ms: number) => new Promise<void>((r) => realTimers.setTimeout(r, ms));

describe('VirtualClock (frozen)', () => {
  test('starts at the given time, or at the real time', () => {
    expect(new VirtualClock({ start: T0 }).now()).toBe(T0);
    expect(new VirtualClock({ start: T0 + 0.7 }).now()).toBe(T0);
    const c = new VirtualClock();
    expect(Math.abs(c.now() - Date.now())).toBeLessThan(1000);
    expect(() => new VirtualClock({ start: NaN })).toThrow(RangeError);
  });

  test('stands still until advanced', async () => {
    const c = new VirtualClock({ start: T0 });
    await realSleep(20);
    expect(c.now()).toBe(T0);
    expect(c.nowUs()).toBe(T0 * 1000);
    expect(c.isRunning).toBe(false);
  });

  test('advance() moves forward; set() jumps either way', () => {
    const c = new VirtualClock({ start: T0 });
    c.advance(1500);
    expect(c.now()).toBe(T0 + 1500);
    c.advance(0);
    expect(c.now()).toBe(T0 + 1500);
    c.set(T0 - 10_000);
    expect(c.now()).toBe(T0 - 10_000);
    c.set(T0 + 5);
    expect(c.now()).toBe(T0 + 5);
  });

  test('advance() refuses negative, NaN and infinite steps; set() refuses non-finite times', () => {
    const c = new VirtualClock({ start: T0 });
    expect(() => c.advance(-1)).toThrow(RangeError);
    expect(() => c.advance(NaN)).toThrow(RangeError);
    expect(() => c.advance(Infinity)).toThrow(RangeError);
    expect(() => c.set(NaN)).toThrow(RangeError);
    expect(c.now()).toBe(T0);
  });

  test('advance() fires due callbacks in order of due time, ties in scheduling order, each at its due time', () => {
    const c = new VirtualClock({ start: T0 });
    const log: string[] = [];
    c.schedule(T0 + 30, () => log.push(`c@${c.now() - T0}`));
    c.schedule(T0 + 10, () => log.push(`a@${c.now() - T0}`));
    c.schedule(T0 + 20, () => log.push(`b1@${c.now() - T0}`));
    c.schedule(T0 + 20, () => log.push(`b2@${c.now() - T0}`));
    c.schedule(T0 + 100, () => log.push('late'));
    c.advance(25);
    expect(log).toEqual(['a@10', 'b1@20', 'b2@20']);
    expect(c.now()).toBe(T0 + 25);
    c.advance(10);
    expect(log).toEqual(['a@10', 'b1@20', 'b2@20', 'c@30']);
    expect(c.now()).toBe(T0 + 35);
    expect(c.pendingTimers).toBe(1);
    expect(c.nextDue()).toBe(T0 + 100);
  });

  test('set() forward fires what became due; set() backward fires nothing', () => {
    const c = new VirtualClock({ start: T0 });
    const log: number[] = [];
    c.schedule(T0 + 50, () => log.push(c.now()));
    c.set(T0 - 1000);
    expect(log).toEqual([]);
    c.set(T0 + 60);
    expect(log).toEqual([T0 + 50]);
  });

  test('a callback due now or in the past runs at once', () => {
    const c = new VirtualClock({ start: T0 });
    const log: string[] = [];
    c.schedule(T0, () => log.push('now'));
    c.schedule(T0 - 5, () => log.push('past'));
    expect(log).toEqual(['now', 'past']);
    expect(c.pendingTimers).toBe(0);
  });

  test('callbacks scheduled by callbacks fire within the same advance when due', () => {
    const c = new VirtualClock({ start: T0 });
    const log: number[] = [];
    const tickEvery = (ms: number) => {
      c.schedule(c.now() + ms, () => {
        log.push(c.now() - T0);
        tickEvery(ms);
      });
    };
    tickEvery(100);
    c.advance(350);
    expect(log).toEqual([100, 200, 300]);
    expect(c.now()).toBe(T0 + 350);
    expect(c.nextDue()).toBe(T0 + 400);
  });

  test('cancel() prevents firing; cancelling twice or after firing is harmless', () => {
    const c = new VirtualClock({ start: T0 });
    const log: string[] = [];
    const a = c.schedule(T0 + 10, () => log.push('a'));
    const b = c.schedule(T0 + 20, () => log.push('b'));
    a.cancel();
    a.cancel();
    expect(c.pendingTimers).toBe(1);
    c.advance(30);
    expect(log).toEqual(['b']);
    b.cancel();
    expect(c.pendingTimers).toBe(0);
  });

  test('a callback can cancel a later one due in the same advance', () => {
    const c = new VirtualClock({ start: T0 });
    const log: string[] = [];
    const later = c.schedule(T0 + 20, () => log.push('later'));
    c.schedule(T0 + 10, () => {
      log.push('first');
      later.cancel();
    });
    c.advance(100);
    expect(log).toEqual(['first']);
  });

  test('many cancelled timers do not pile up', () => {
    const c = new VirtualClock({ start: T0 });
    const timers = Array.from({ length: 10_000 }, (_, i) => c.schedule(T0 + 1_000_000 + i, () => {}));
    for (const t of timers) t.cancel();
    expect(c.pendingTimers).toBe(0);
    expect(c.nextDue()).toBeUndefined();
    // Internal storage was compacted: scheduling still finds the right order.
    const log: number[] = [];
    c.schedule(T0 + 5, () => log.push(5));
    c.schedule(T0 + 1, () => log.push(1));
    c.advance(10);
    expect(log).toEqual([1, 5]);
  });

  test('advance() from inside a callback moves time; the outer advance goes on', () => {
    const c = new VirtualClock({ start: T0 });
    const log: number[] = [];
    c.schedule(T0 + 10, () => {
      log.push(c.now() - T0);
      c.advance(100);
    });
    c.schedule(T0 + 50, () => log.push(c.now() - T0));
    c.advance(20);
    expect(log).toEqual([10, 110]);
    expect(c.now()).toBe(T0 + 110);
  });

  test('a throwing callback does not stop the others; advance() rethrows the first error at the end', () => {
    const c = new VirtualClock({ start: T0 });
    const log: string[] = [];
    c.schedule(T0 + 10, () => {
      throw new Error('cb failed');
    });
    c.schedule(T0 + 15, () => {
      throw new Error('second failure');
    });
    c.schedule(T0 + 20, () => log.push('next'));
    expect(() => c.advance(30)).toThrow('cb failed');
    expect(log).toEqual(['next']);
    expect(c.now()).toBe(T0 + 30);
    expect(c.pendingTimers).toBe(0);
  });
});

describe('VirtualClock (running)', () => {
  test('follows real time, plus whatever was advanced', async () => {
    const c = new VirtualClock({ start: T0, mode: 'running' });
    expect(c.isRunning).toBe(true);
    await realSleep(40);
    const t1 = c.now();
    expect(t1 - T0).toBeGreaterThanOrEqual(30);
    c.advance(10_000);
    expect(c.now() - t1).toBeGreaterThanOrEqual(10_000);
    expect(c.now() - t1).toBeLessThan(10_500);
  });

  test('fires callbacks as real time passes', async () => {
    const c = new VirtualClock({ start: T0, mode: 'running' });
    const log: number[] = [];
    c.schedule(c.now() + 30, () => log.push(c.now()));
    expect(log).toEqual([]);
    for (let i = 0; i < 100 && log.length === 0; i++) await realSleep(10);
    expect(log).toHaveLength(1);
    expect(log[0]! - T0).toBeGreaterThanOrEqual(30);
  });

  test('freeze() stops it, and stops real-time firing; resume() goes on from there', async () => {
    const c = new VirtualClock({ start: T0, mode: 'running' });
    const log: string[] = [];
    c.schedule(c.now() + 40, () => log.push('fired'));
    c.freeze();
    const frozenAt = c.now();
    await realSleep(80);
    expect(c.now()).toBe(frozenAt);
    expect(log).toEqual([]);
    c.resume();
    expect(c.now() - frozenAt).toBeLessThan(20);
    for (let i = 0; i < 100 && log.length === 0; i++) await realSleep(10);
    expect(log).toEqual(['fired']);
  });
});

describe('SystemClock', () => {
  test('reads the real wall clock; microseconds agree with milliseconds', () => {
    const c = new SystemClock();
    expect(Math.abs(c.now() - Date.now())).toBeLessThan(50);
    for (let i = 0; i < 1000; i++) {
      const us = c.nowUs();
      const ms = c.now();
      expect(Math.floor(us / 1000)).toBeLessThanOrEqual(ms);
      expect(ms - Math.floor(us / 1000)).toBeLessThan(5);
    }
    let last = 0;
    for (let i = 0; i < 1000; i++) {
      const us = c.nowUs();
      expect(us).toBeGreaterThanOrEqual(last);
      last = us;
    }
  });

  test('schedule() fires at the wall-clock time; cancel() prevents it', async () => {
    const c = new SystemClock();
    const log: string[] = [];
    const start = c.now();
    c.schedule(start + 30, () => log.push(`a:${c.now() >= start + 30}`));
    const b = c.schedule(start + 30, () => log.push('b'));
    b.cancel();
    for (let i = 0; i < 100 && log.length === 0; i++) await realSleep(10);
    await realSleep(20);
    expect(log).toEqual(['a:true']);
  });

  test('a timer that fires before the wall clock is there waits again', async () => {
    // Timers run on a monotonic clock; a wall clock behind it must not fire a callback early.
    let offset = -40;
    const fake: RealTimers = { ...realTimers, nowMs: () => realTimers.nowMs() + offset };
    const c = new SystemClock(fake);
    const at = c.now() + 20;
    const log: number[] = [];
    c.schedule(at, () => log.push(c.now()));
    for (let i = 0; i < 100 && log.length === 0; i++) await realSleep(10);
    expect(log).toHaveLength(1);
    expect(log[0]!).toBeGreaterThanOrEqual(at);
    offset = 0;
  });
});

describe('unfake', () => {
  test('returns the original a fake-timers clock keeps', () => {
    const original = () => 'real';
    const clock: Record<string, unknown> = { _setTimeout: original };
    const fake = Object.assign(() => 'fake', { clock });
    expect(unfake(fake, 'setTimeout')).toBe(original);
    expect(unfake(original, 'setTimeout')).toBe(original);
  });
});

describe('sleep()', () => {
  test('a virtual clock moves by the slept time, microseconds kept, and fires due callbacks only after the caller returns', async () => {
    const c = new VirtualClock({ start: 1_000_000 });
    const fired: number[] = [];
    c.schedule(1_000_001, () => fired.push(c.now()));
    c.sleep(1.5);
    expect(c.now()).toBe(1_000_001);
    expect(c.nowUs()).toBe(1_000_001_500);
    expect(fired).toEqual([]); // the sleeper is still running
    await new Promise((r) => setTimeout(r, 5));
    expect(fired).toEqual([1_000_001]);
    c.sleep(0.6); // 1.5 + 0.6 = 2.1 ms in all
    expect(c.nowUs()).toBe(1_000_002_100);
    c.sleep(0);
    c.sleep(-1);
    expect(c.nowUs()).toBe(1_000_002_100);
  });

  test('an advance after a sleep fires what the sleep made due, at once', () => {
    const c = new VirtualClock({ start: 0 });
    const fired: number[] = [];
    c.schedule(10, () => fired.push(c.now()));
    c.sleep(20);
    c.advance(0);
    expect(fired).toEqual([20]);
  });

  test('the system clock blocks the thread for about that long', () => {
    const c = new SystemClock();
    const t0 = performance.now();
    c.sleep(30);
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(29);
    expect(took).toBeLessThan(1000);
  });
});
