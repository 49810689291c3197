/**
 * The runtime's own timers and wall clock, captured when this module loads,
 * so a server keeps working after a test installs fake timers
 * (vi.useFakeTimers(), jest's modern timers, @sinonjs/fake-timers,
 * vi.setSystemTime): those replace globals, not the references held here.
 *
 * Even when this module loads while fakes are installed (jest's
 * `fakeTimers.enableGlobally`, a dynamic import after vi.useFakeTimers()), it
 * finds the real ones:
 * - timers come from `node:timers`, and a function that fake-timers installed
 *   (marked with its `clock`, which keeps the original as `clock._<name>`) is
 *   traded for that original;
 * - the wall clock is the host's own `Date.now` when it is the native one,
 *   else the `Date` of a fresh V8 context, which nothing has patched.
 */
import * as nodeTimers from 'node:timers';
import { runInNewContext } from 'node:vm';

export interface RealTimers {
  setTimeout(fn: () => void, ms: number): NodeJS.Timeout;
  clearTimeout(t: NodeJS.Timeout): void;
  setImmediate(fn: () => void): NodeJS.Immediate;
  /** Wall-clock milliseconds since the epoch, from the real clock. */
  nowMs(): number;
  /** Wall-clock microseconds since the epoch; floor(nowUs() / 1000) agrees with nowMs(). */
  nowUs(): number;
}

type AnyFn = (...args: never[]) => unknown;

/** If `fn` was installed by @sinonjs/fake-timers, the function it replaced. */
export function unfake<F extends AnyFn>(fn: F, name: string): F {
  let f: unknown = fn;
  for (let i = 0; i < 8; i++) {
    const clock = (f as { clock?: Record<string, unknown> } | undefined)?.clock;
    const original = clock && typeof clock === 'object' ? clock[`_${name}`] : undefined;
    if (typeof original !== 'function' || original === f) break;
    f = original;
  }
  return f as F;
}

const isNative = (fn: unknown): boolean =>
  typeof fn === 'function' && /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(fn));

function pick<F extends AnyFn>(name: 'setTimeout' | 'clearTimeout' | 'setImmediate'): F {
  const fromModule = (nodeTimers as unknown as Record<string, F | undefined>)[name];
  const fromGlobal = (globalThis as unknown as Record<string, F>)[name];
  return unfake((fromModule ?? fromGlobal) as F, name);
}

/** A Date.now that no fake replaced. */
function realDateNow(): () => number {
  const host = Date.now;
  if (isNative(host) && !(Date as { isFake?: boolean }).isFake) return host.bind(Date);
  const unfaked = unfake(Date as unknown as AnyFn, 'Date') as unknown as DateConstructor;
  if (unfaked !== Date && isNative(unfaked.now)) return unfaked.now.bind(unfaked);
  const fresh = runInNewContext('Date') as DateConstructor;
  return fresh.now.bind(fresh);
}

const capturedSetTimeout = pick<typeof setTimeout>('setTimeout');
const capturedClearTimeout = pick<typeof clearTimeout>('clearTimeout');
const capturedSetImmediate = pick<typeof setImmediate>('setImmediate');
const capturedDateNow = realDateNow();
/** process.hrtime.bigint may be faked too: keep the one that is there at load, unfaked if possible. */
const capturedHrtime = (() => {
  const h = unfake(process.hrtime as unknown as AnyFn, 'hrtime') as unknown as typeof process.hrtime;
  return typeof h?.bigint === 'function' ? h.bigint.bind(h) : () => BigInt(Math.round(capturedDateNow() * 1e6));
})();

let lastMs = -1;
let msStartNs = 0;

export const realTimers: RealTimers = Object.freeze({
  setTimeout: (fn: () => void, ms: number) => capturedSetTimeout(fn, ms),
  clearTimeout: (t: NodeJS.Timeout) => capturedClearTimeout(t),
  setImmediate: (fn: () => void) => capturedSetImmediate(fn),
  nowMs: () => capturedDateNow(),
  nowUs: () => {
    // The millisecond from the wall clock, the microseconds within it from the monotonic clock.
    // Nanoseconds as a double (finer than a microsecond for centuries of uptime): no BigInt arithmetic per command.
    const ms = capturedDateNow();
    const ns = Number(capturedHrtime());
    if (ms !== lastMs) {
      lastMs = ms;
      msStartNs = ns;
    }
    const within = Math.floor((ns - msStartNs) / 1000);
    return ms * 1000 + Math.min(999, within);
  },
});
