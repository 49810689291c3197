/**
 * The latency monitor's own mechanisms: HdrHistogram buckets as Valkey's
 * LATENCY HISTOGRAM reports them, the one-sample-per-second time series,
 * and the sparkline of LATENCY GRAPH.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Config } from './config.js';
import { CONFIG_PARAMS } from './config-params.js';
import { Histogram, LatencyMonitor, sparkline } from './latency.js';

describe('Histogram (hdr, 1 ns to 1 s, 2 significant figures)', () => {
  test('durations under a microsecond fall in the first reported bucket, 1 µs', () => {
    const h = new Histogram();
    for (let i = 0; i < 3; i++) h.record(0); // clamped to 1 ns
    h.record(900);
    expect(h.cdf()).toEqual([[1, 4]]);
  });

  test('buckets double from 1,024 ns; each is reported by its highest equivalent value (as a real Valkey 9.1.2 reports them)', () => {
    // valkey-server: DEBUG SLEEP 0.0015, 0.003, 0.1 then LATENCY HISTOGRAM debug gives 2113 → 1, 4227 → 2, 135266 → 3;
    // three SETs of 7 and 30 µs give 8 → 2, 33 → 3.
    const h = new Histogram();
    for (const ns of [1_600_000, 3_100_000, 100_200_000]) h.record(ns);
    expect(h.cdf()).toEqual([[2113, 1], [4227, 2], [135266, 3]]);
    const fast = new Histogram();
    for (const ns of [7_000, 7_500, 30_000]) fast.record(ns);
    expect(fast.cdf()).toEqual([[8, 2], [33, 3]]);
  });

  test('durations above 1 s are counted in the last bucket', () => {
    const h = new Histogram();
    h.record(5_000_000_000);
    expect(h.cdf()).toEqual([[1073741, 1]]);
  });

  test('cumulative counts rise strictly to the total, bucket bounds rise, and every duration is covered', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 2_000_000_000 }), { minLength: 1, maxLength: 60 }), (ns) => {
      const h = new Histogram();
      for (const v of ns) h.record(v);
      const cdf = h.cdf();
      expect(cdf.at(-1)![1]).toBe(ns.length);
      for (let i = 1; i < cdf.length; i++) {
        expect(cdf[i]![1]).toBeGreaterThan(cdf[i - 1]![1]);
        expect(cdf[i]![0]).toBeGreaterThan(cdf[i - 1]![0]);
      }
      // Every recorded duration is at or below the bound of the bucket that first counts it, within hdr's 1% precision.
      const max = Math.min(Math.max(...ns), 1e9);
      expect(cdf.at(-1)![0] * 1000).toBeGreaterThanOrEqual(Math.floor(max / 1.01) - 1000);
    }));
  });
});

describe('LatencyMonitor', () => {
  const monitor = (threshold: number) => new LatencyMonitor(new Config(CONFIG_PARAMS, { 'latency-monitor-threshold': String(threshold) }));

  test('records only at or above the threshold, one sample per second holding its worst', () => {
    const m = monitor(100);
    m.addSampleIfNeeded('command', 99_999, 5_000);
    expect(m.events.size).toBe(0);
    m.addSampleIfNeeded('command', 150_000, 5_000);
    m.addSampleIfNeeded('command', 300_000, 5_900);
    m.addSampleIfNeeded('command', 120_000, 6_000);
    const ts = m.events.get('command')!;
    expect(LatencyMonitor.samples(ts)).toEqual([{ time: 5, latency: 300 }, { time: 6, latency: 120 }]);
    expect([ts.max, ts.sum, ts.cnt]).toEqual([300, 570, 3]);
  });

  test('a threshold of 0 records nothing; RESET names events without case', () => {
    const m = monitor(0);
    m.addSampleIfNeeded('command', 10_000_000, 1_000);
    expect(m.events.size).toBe(0);
    m.addSample('Command', 5_000, 1_000);
    m.addSample('fast-command', 5_000, 1_000);
    expect(m.reset('COMMAND')).toBe(1);
    expect(m.reset()).toBe(1);
  });

  test('keeps the latest 160 samples', () => {
    const m = monitor(1);
    for (let s = 1; s <= 200; s++) m.addSample('command', s * 1000, s * 1000);
    const samples = LatencyMonitor.samples(m.events.get('command')!);
    expect(samples.length).toBe(160);
    expect(samples[0]!.time).toBe(41);
    expect(LatencyMonitor.latest(m.events.get('command')!).time).toBe(200);
  });
});

describe('sparkline', () => {
  test('four rows of bars scaled between min and max, then each label written downwards', () => {
    const out = sparkline([{ value: 0, label: '2s' }, { value: 10, label: '1s' }, { value: 5, label: '0s' }], 80, 4);
    // steps = 3 chars x 4 rows: 10 is step 11 ('#' on top), 5 is step 6 ('_' on row 2), 0 is step 0 ('_' at the bottom).
    expect(out).toBe([' # ', ' |_', ' ||', '_||', '   ', '210', 'sss', ''].join('\n'));
  });
});
