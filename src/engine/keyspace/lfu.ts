/**
 * Valkey's LFU access-frequency counter (lrulfu.c), kept per entry when an
 * LFU maxmemory-policy is active: a packed (minutes << 8 | counter) value, a
 * logarithmic counter that grows with probability 1/((counter-5)*factor+1),
 * and decays by one per `lfu-decay-time` minutes without access.
 */

/** A new key's counter (LFU_INIT_VAL), so fresh keys are not evicted at once. */
export const LFU_INIT_VAL = 5;

export interface LfuParams {
  logFactor: number;
  decayTime: number;
}

/** An engine's LFU settings: whether an LFU maxmemory-policy is active, and its parameters. */
export interface LfuSettings extends LfuParams {
  on: boolean;
}

/** The parameters LfuSettings derive from. */
export const LFU_PARAMS = ['maxmemory-policy', 'lfu-log-factor', 'lfu-decay-time'] as const;

/** The LFU settings of a configuration. */
export function readLfuSettings(cfg: { get(name: string): string; getInt(name: string): number }): LfuSettings {
  return {
    on: cfg.get('maxmemory-policy').includes('lfu'),
    logFactor: cfg.getInt('lfu-log-factor'),
    decayTime: cfg.getInt('lfu-decay-time'),
  };
}

const minutesOf = (ms: number): number => Math.floor(ms / 60000) & 0xffff;

/** lfu_import(LFU_INIT_VAL) at time `ms`: the state of a key created then. */
export function lfuInit(ms: number): number {
  return (minutesOf(ms) << 8) | LFU_INIT_VAL;
}

/** LFUDecay: the state with the decay up to `now` applied (the time part becomes now). */
export function lfuDecay(lfu: number, now: number, decayTime: number): number {
  const nowMin = minutesOf(now);
  const prev = (lfu >>> 8) & 0xffff;
  const freq = lfu & 0xff;
  const elapsed = (nowMin - prev) & 0xffff; // wraps like Valkey's uint16 clock
  const periods = decayTime ? Math.floor(elapsed / decayTime) : 0;
  return (nowMin << 8) | (periods > freq ? 0 : freq - periods);
}

/** lfu_touch: decay, then a logarithmic increment drawn from `rand` (uniform in [0, 1)). */
export function lfuTouch(lfu: number, now: number, p: LfuParams, rand: () => number): number {
  const d = lfuDecay(lfu, now, p.decayTime);
  let freq = d & 0xff;
  if (freq < 255) {
    const base = Math.max(0, freq - LFU_INIT_VAL);
    if (rand() < 1 / (base * p.logFactor + 1)) freq++;
  }
  return (d & ~0xff) | freq;
}

/** The counter part of a packed state. */
export function lfuCounter(lfu: number): number {
  return lfu & 0xff;
}
