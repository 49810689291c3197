/**
 * LATENCY DOCTOR (createLatencyReport): a description of every event the
 * latency monitor recorded, and the advice Valkey gives for it. Only the
 * events valkey-double can record (command, fast-command, expire-cycle,
 * eviction) lead to advice; there is no fork, AOF or disk here, and no
 * transparent huge pages.
 */
import type { Engine } from './engine.js';
import { LatencyMonitor, type TimeSeries } from './latency.js';

/** analyzeLatencyForEvent */
function analyze(ts: TimeSeries, nowSec: number): { samples: number; avg: number; mad: number; period: number } {
  const samples = LatencyMonitor.samples(ts);
  if (samples.length === 0) return { samples: 0, avg: 0, mad: 0, period: 0 };
  let sum = 0;
  let oldest = 0;
  for (const s of samples) {
    sum += s.latency;
    if (oldest === 0 || s.time < oldest) oldest = s.time;
  }
  const avg = Math.floor(sum / samples.length);
  let period = nowSec - oldest;
  if (period === 0) period = 1;
  let dev = 0;
  for (const s of samples) dev += Math.abs(avg - s.latency);
  return { samples: samples.length, avg, mad: Math.floor(dev / samples.length), period };
}

export function latencyDoctor(engine: Engine): string {
  const events = engine.latency.events;
  const threshold = engine.config.getInt('latency-monitor-threshold');
  if (events.size === 0 && threshold === 0) {
    return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Valkey instance. You may "
      + 'use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it.\n';
  }
  const nowSec = Math.floor(engine.clock.now() / 1000);
  const advise = { slowlogEnabled: false, slowlogTuning: false, slowlogInspect: false, scheduler: false, hz: false, largeObjects: false, massEviction: false };
  let advices = 0;
  let eventnum = 0;
  let report = '';
  for (const [event, ts] of events) {
    eventnum++;
    if (eventnum === 1) report += 'Latency spikes are observed in this Valkey instance.\n\n';
    const ls = analyze(ts, nowSec);
    const period = ls.samples ? (ls.period / ls.samples).toFixed(2) : 'nan';
    report += `${eventnum}. ${event}: ${ls.samples} latency spikes (average ${ls.avg}ms, mean deviation ${ls.mad}ms, period ${period} sec). Worst all time event ${ts.max}ms.`;
    if (event.toLowerCase() === 'command') {
      const slowThreshold = engine.config.getInt('commandlog-execution-slower-than');
      if (slowThreshold < 0 || engine.config.getInt('commandlog-slow-execution-max-len') === 0) {
        advise.slowlogEnabled = true;
        advices++;
      } else if (Math.trunc(slowThreshold / 1000) > threshold) {
        advise.slowlogTuning = true;
        advices++;
      }
      advise.slowlogInspect = true;
      advise.largeObjects = true;
      advices += 2;
    }
    if (event.toLowerCase() === 'fast-command') {
      advise.scheduler = true;
      advices++;
    }
    if (event.toLowerCase() === 'expire-cycle') {
      advise.hz = true;
      advise.largeObjects = true;
      advices += 2;
    }
    if (event.toLowerCase() === 'eviction-del') {
      advise.largeObjects = true;
      advices++;
    }
    if (event.toLowerCase() === 'eviction-cycle') {
      advise.massEviction = true;
      advices++;
    }
    report += '\n';
  }

  if (eventnum === 0 && advices === 0) {
    return report + 'No latency spike was observed during the lifetime of this Valkey instance, not in the slightest bit.\n';
  }
  if (eventnum > 0 && advices === 0) {
    return report + '\nThere are latency events logged that are not easy to fix. Please get some help from Valkey community, providing this report in your help request.\n';
  }
  report += '\nHere is some advice for you:\n\n';
  if (advise.slowlogEnabled) {
    report += "- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Valkey feature using the command 'CONFIG SET slowlog-log-slower-than "
      + `${threshold * 1000}'. If the Slow log is disabled Valkey is not able to log slow commands execution for you.\n`;
  }
  if (advise.slowlogTuning) {
    report += '- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. '
      + `Please use 'CONFIG SET slowlog-log-slower-than ${threshold * 1000}'.\n`;
  }
  if (advise.slowlogInspect) {
    report += '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. '
      + 'Please check https://valkey.io/commands/slowlog for more information.\n';
  }
  if (advise.scheduler) {
    report += '- The system is slow to execute Valkey code paths not containing system calls. This usually means the system does not provide Valkey CPU time to run for long periods. You should try to:\n'
      + '  1) Lower the system load.\n'
      + '  2) Use a computer / VM just for Valkey if you are running other software in the same system.\n'
      + '  3) Check if you have a "noisy neighbour" problem.\n'
      + "  4) Check with 'valkey-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n"
      + '  5) Check if the problem is allocator-related by recompiling Valkey with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n';
  }
  if (advise.hz && engine.config.getInt('hz') < 100) {
    report += "- In order to make the Valkey keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n";
  }
  if (advise.largeObjects) {
    report += '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n';
  }
  if (advise.massEviction) {
    report += "- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Valkey Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. \n";
  }
  return report;
}
