/**
 * The runtime's own timers, captured when this module loads, so the server
 * keeps working after a test installs fake timers (vi.useFakeTimers(), jest
 * modern timers replace the globals, not these captured references).
 */
import * as timers from 'node:timers';
import { performance } from 'node:perf_hooks';

const g = globalThis;

export interface RealTimers {
  setTimeout(fn: () => void, ms: number): NodeJS.Timeout;
  clearTimeout(t: NodeJS.Timeout): void;
  setImmediate(fn: () => void): NodeJS.Immediate;
  /** Wall-clock milliseconds since the epoch, from the real clock. */
  nowMs(): number;
  /** Wall-clock microseconds since the epoch, from the real clock. */
  nowUs(): number;
}

const capturedSetTimeout = (timers.setTimeout ?? g.setTimeout).bind(g);
const capturedClearTimeout = (timers.clearTimeout ?? g.clearTimeout).bind(g);
const capturedSetImmediate = (timers.setImmediate ?? g.setImmediate).bind(g);
const capturedDateNow = Date.now.bind(Date);
const timeOrigin = performance.timeOrigin;
const perfNow = performance.now.bind(performance);

export const realTimers: RealTimers = Object.freeze({
  setTimeout: (fn: () => void, ms: number) => capturedSetTimeout(fn, ms),
  clearTimeout: (t: NodeJS.Timeout) => capturedClearTimeout(t),
  setImmediate: (fn: () => void) => capturedSetImmediate(fn),
  nowMs: () => capturedDateNow(),
  nowUs: () => Math.floor((timeOrigin + perfNow()) * 1000),
});
