export { SystemClock, VirtualClock } from './clock.js';
export type { Clock, Timer, VirtualClockOptions } from './clock.js';
export { Rng } from './rng.js';
export { realTimers } from './real-timers.js';
export type { RealTimers } from './real-timers.js';
