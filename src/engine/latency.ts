/**
 * The latency monitor (Valkey's latency.c) and the per-command latency
 * histograms of LATENCY HISTOGRAM and INFO latencystats.
 *
 * Events are recorded when latency-monitor-threshold is set and a command
 * took at least that many milliseconds by the engine's clock: on a
 * VirtualClock only time the test makes pass counts.
 */
import type { CommandEntry } from './command.js';
import type { Config } from './config.js';

/** LATENCY_TS_LEN: samples kept per event. */
const TS_LEN = 160;

interface Sample {
  time: number;
  latency: number;
}

/** latencyTimeSeries */
export interface TimeSeries {
  idx: number;
  max: number;
  sum: number;
  cnt: number;
  readonly samples: Sample[];
}

export class LatencyMonitor {
  /** Event name -> its series, in the order events first happened. */
  readonly events = new Map<string, TimeSeries>();
  private readonly histograms = new Map<CommandEntry, Histogram>();

  /** The settings read on every command, kept current by CONFIG SET. */
  private readonly settings: { tracking: boolean; thresholdMs: number };

  constructor(config: Config) {
    this.settings = config.live(['latency-tracking', 'latency-monitor-threshold'], (cfg) => ({
      tracking: cfg.getBool('latency-tracking'),
      thresholdMs: cfg.getInt('latency-monitor-threshold'),
    }));
  }

  /** What call() records after every command: the event sample and the command's histogram. */
  commandRan(cmd: CommandEntry, durationUs: number, nowMs: number): void {
    this.addSampleIfNeeded(cmd.flags.has('fast') ? 'fast-command' : 'command', durationUs, nowMs);
    if (this.settings.tracking) {
      let h = this.histograms.get(cmd);
      if (!h) this.histograms.set(cmd, (h = new Histogram()));
      h.record(Math.round(durationUs * 1000));
    }
  }

  /** latencyAddSampleIfNeeded */
  addSampleIfNeeded(event: string, latencyUs: number, nowMs: number): void {
    const threshold = this.settings.thresholdMs;
    if (threshold !== 0 && latencyUs >= threshold * 1000) this.addSample(event, latencyUs, nowMs);
  }

  /** latencyAddSample: one sample per second and event, the worst of that second. */
  addSample(event: string, latencyUs: number, nowMs: number): void {
    const latency = Math.floor(latencyUs / 1000);
    const now = Math.floor(nowMs / 1000);
    let ts = this.events.get(event);
    if (!ts) {
      ts = { idx: 0, max: 0, sum: 0, cnt: 0, samples: Array.from({ length: TS_LEN }, () => ({ time: 0, latency: 0 })) };
      this.events.set(event, ts);
    }
    if (latency > ts.max) ts.max = latency;
    ts.sum += latency;
    ts.cnt++;
    const prev = ts.samples[(ts.idx + TS_LEN - 1) % TS_LEN]!;
    if (prev.time === now) {
      if (latency > prev.latency) prev.latency = latency;
      return;
    }
    ts.samples[ts.idx] = { time: now, latency };
    ts.idx = (ts.idx + 1) % TS_LEN;
  }

  /** The samples of a series, oldest first. */
  static samples(ts: TimeSeries): Sample[] {
    const out: Sample[] = [];
    for (let j = 0; j < TS_LEN; j++) {
      const s = ts.samples[(ts.idx + j) % TS_LEN]!;
      if (s.time !== 0) out.push(s);
    }
    return out;
  }

  static latest(ts: TimeSeries): Sample {
    return ts.samples[(ts.idx + TS_LEN - 1) % TS_LEN]!;
  }

  /** latencyResetEvent: the number of series removed (event names compare without case). */
  reset(event?: string): number {
    let n = 0;
    for (const name of [...this.events.keys()]) {
      if (event === undefined || name.toLowerCase() === event.toLowerCase()) {
        this.events.delete(name);
        n++;
      }
    }
    return n;
  }

  histogram(cmd: CommandEntry): Histogram | undefined {
    return this.histograms.get(cmd);
  }

  /** CONFIG RESETSTAT drops every command's histogram. */
  resetHistograms(): void {
    this.histograms.clear();
  }
}

// --- hdr_histogram, as Valkey configures it ----------------------------------

/*
 * Valkey records each command's duration in nanoseconds into an HdrHistogram
 * from 1 ns to 1 s with 2 significant figures: 256 sub-buckets (half of them
 * per bucket after the first), 23 buckets, 3,072 counters.
 */
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
const SUB_BUCKET_HALF_COUNT = 128;
const SUB_BUCKET_COUNT = 256;
const SUB_BUCKET_MASK = 255;
const BUCKET_COUNT = 23;
const COUNTS_LEN = (BUCKET_COUNT + 1) * SUB_BUCKET_HALF_COUNT;
const MIN_VALUE = 1;
const MAX_VALUE = 1_000_000_000;

export class Histogram {
  private readonly counts = new Float64Array(COUNTS_LEN);
  total = 0;

  /** updateCommandLatencyHistogram: the value clamped into the histogram's range. */
  record(ns: number): void {
    const v = Math.min(Math.max(ns, MIN_VALUE), MAX_VALUE);
    this.counts[countsIndexFor(v)]!++;
    this.total++;
  }

  /**
   * fillCommandCDF: hdr's logarithmic iterator from 1,024 ns doubling; each
   * step that added counts gives [highest equivalent value in µs, cumulative count].
   */
  cdf(): [number, number][] {
    const out: [number, number][] = [];
    let index = -1;
    let cumulative = 0;
    let value = 0;
    let highest = 0;
    let level = 1024;
    let levelLowest = lowestEquivalent(level);
    let previous = 0;
    const moveNext = (): boolean => {
      index++;
      if (index >= COUNTS_LEN) return false;
      cumulative += this.counts[index]!;
      value = valueAtIndex(index);
      highest = lowestEquivalent(value) + sizeOfRange(value) - 1;
      return true;
    };
    for (;;) {
      const more = cumulative < this.total || (index < COUNTS_LEN && valueAtIndex(index + 1) > levelLowest);
      if (!more) break;
      // One step of log_iter_next.
      for (;;) {
        if (index >= 0 && value >= levelLowest) {
          level *= 2;
          levelLowest = lowestEquivalent(level);
          break;
        }
        if (!moveNext()) break;
      }
      if (cumulative > previous) out.push([Math.floor(highest / 1000), cumulative]);
      previous = cumulative;
      if (index >= COUNTS_LEN) break;
    }
    return out;
  }
}

/** 64 - count_leading_zeros_64(v | sub_bucket_mask): the bit length, for values up to 2^53 (the iterator's levels pass 2^31). */
function pow2Ceiling(v: number): number {
  if (v <= SUB_BUCKET_MASK) return 8;
  return v < 2 ** 31 ? 32 - Math.clz32(v) : Math.floor(Math.log2(v)) + 1;
}

function bucketIndex(v: number): number {
  return pow2Ceiling(v) - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);
}

function subBucketIndex(v: number, bucket: number): number {
  return Math.floor(v / 2 ** bucket);
}

function countsIndexFor(v: number): number {
  const b = bucketIndex(v);
  const sb = subBucketIndex(v, b);
  return ((b + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (sb - SUB_BUCKET_HALF_COUNT);
}

function valueAtIndex(index: number): number {
  let b = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
  let sb = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
  if (b < 0) {
    sb -= SUB_BUCKET_HALF_COUNT;
    b = 0;
  }
  return sb * 2 ** b;
}

function sizeOfRange(v: number): number {
  const b = bucketIndex(v);
  const sb = subBucketIndex(v, b);
  return 2 ** (sb >= SUB_BUCKET_COUNT ? b + 1 : b);
}

function lowestEquivalent(v: number): number {
  const b = bucketIndex(v);
  return subBucketIndex(v, b) * 2 ** b;
}

// --- LATENCY GRAPH: sparklines (sparkline.c) --------------------------------

const CHARSET_FILL = '_o#';

/** sparklineRender with SPARKLINE_FILL: `rows` rows of bars, then the labels written downwards. */
export function sparkline(samples: readonly { value: number; label: string }[], columns: number, rows: number): string {
  let out = '';
  if (samples.length === 0) return out;
  let min = samples[0]!.value;
  let max = min;
  for (const s of samples.slice(1)) {
    if (s.value < min) min = s.value;
    else if (s.value > max) max = s.value;
  }
  const labels = samples.filter((s) => s.label !== '').length;
  for (let j = 0; j < samples.length; j += columns) {
    if (j !== 0) out += '\n';
    out += renderRange(samples.slice(j, j + columns), min, max, labels, rows);
  }
  return out;
}

function renderRange(part: readonly { value: number; label: string }[], min: number, max: number, labels: number, rows: number): string {
  let relmax = max - min;
  if (relmax === 0) relmax = 1;
  const steps = CHARSET_FILL.length * rows;
  let out = '';
  for (let row = 0; ; row++) {
    let loop = false;
    const chars = new Array<string>(part.length).fill(' ');
    for (let j = 0; j < part.length; j++) {
      const s = part[j]!;
      // (int)(relval * steps) / relmax, truncated to int again on assignment.
      let step = Math.trunc(Math.trunc((s.value - min) * steps) / relmax);
      if (step < 0) step = 0;
      if (step >= steps) step = steps - 1;
      if (row < rows) {
        const charidx = step - (rows - row - 1) * CHARSET_FILL.length;
        loop = true;
        if (charidx >= 0 && charidx < CHARSET_FILL.length) chars[j] = CHARSET_FILL[charidx]!;
        else if (charidx >= CHARSET_FILL.length) chars[j] = '|';
      } else {
        if (labels && row - rows < 1) {
          loop = true;
          break;
        }
        const labelChar = row - rows - 1;
        if (s.label.length > labelChar) {
          loop = true;
          chars[j] = s.label[labelChar]!;
        }
      }
    }
    if (!loop) break;
    out += chars.join('') + '\n';
  }
  return out;
}
