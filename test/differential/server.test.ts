/**
 * Differential tests of the server group (apart from COMMAND): INFO, CONFIG
 * GET/SET/RESETSTAT/REWRITE/HELP, DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, TIME,
 * LASTSAVE, SAVE, BGSAVE, LOLWUT, against a real Valkey 9.1.2 in RESP2 and
 * RESP3. INFO is compared with its process figures masked (normalize.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeCommand, type Arg, type RawClient } from '../../conformance/targets/raw-client.js';
import { approx, raw, sameType, unordered, useDifferential, type Differential } from './harness.js';
import { alignIds, maskInfo, text } from './normalize.js';
import { ALL_GROUPS } from '../../src/engine/commands/index.js';

const wire = (...args: Arg[]) => encodeCommand(args).toString('latin1');

/** Field-TTL tests need the hash group's HEXPIRE. */
const HASH_TTL = ALL_GROUPS.some((g) => 'hexpire' in g);

async function pair(d: Differential, resp: 2 | 3): Promise<{ o: RawClient; m: RawClient; close(): void }> {
  const [o, m] = await Promise.all([d.connect('oracle', resp), d.connect('mock', resp)]);
  return { o, m, close: () => { o.close(); m.close(); } };
}

/** Runs `setup` on both servers, then compares each query's reply through `norm`. */
async function compare(d: Differential, setup: readonly Arg[][], queries: readonly Arg[][], norm: (s: string) => string, resps: readonly (2 | 3)[] = [2, 3]): Promise<void> {
  if (!d.available) return;
  for (const resp of resps) {
    const p = await pair(d, resp);
    try {
      for (const s of setup) await Promise.all([p.o.send(s), p.m.send(s)]);
      for (const q of queries) {
        const [a, b] = await Promise.all([p.o.send(q), p.m.send(q)]);
        expect(b.value.type, `RESP${resp} ${JSON.stringify(q)}`).toBe(a.value.type);
        expect(norm(text(b)), `RESP${resp} ${JSON.stringify(q)}`).toBe(norm(text(a)));
      }
    } finally {
      p.close();
    }
  }
}

/** CONFIG GET * pairs as "name=value" lines, with values that follow the process masked. */
function configLines(v: { type: string; value?: unknown }): string {
  const flat: string[] = [];
  const walk = (x: { type: string; value?: unknown }) => {
    if (x.type === 'map') for (const [k, val] of x.value as [typeof x, typeof x][]) flat.push(String(k.value), String(val.value));
    else if (x.type === 'array') for (const e of x.value as (typeof x)[]) flat.push(String(e.value));
  };
  walk(v);
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const k = flat[i]!;
    const masked = ['port', 'loglevel', 'pidfile', 'dir'].includes(k);
    out.push(`${k}=${masked ? '*' : flat[i + 1]}`);
  }
  return out.join('\n');
}

describe('server: DBSIZE, FLUSHDB, FLUSHALL, SWAPDB', () => {
  const d = useDifferential();
  test('DBSIZE and FLUSHDB/FLUSHALL options', () =>
    d.check([
      ['DBSIZE'], ['SET', 'a', '1'], ['SET', 'b', '2'], ['DBSIZE'], ['SELECT', '1'], ['SET', 'c', '3'], ['DBSIZE'],
      ['FLUSHDB', 'SYNC'], ['DBSIZE'], ['SELECT', '0'], ['DBSIZE'], ['FLUSHDB', 'async'], ['DBSIZE'], ['SET', 'a', '1'],
      ['FLUSHDB', 'x'], ['FLUSHDB', 'SYNC', 'ASYNC'], ['DBSIZE'], ['FLUSHALL', 'maybe'], ['FLUSHALL', 'ASYNC', 'x'],
      ['FLUSHALL', 'SYNC'], ['DBSIZE'], ['SET', 'z', '1'], ['FLUSHALL', 'ASYNC'], ['FLUSHALL'], ['FLUSHDB'], ['DBSIZE', 'x'],
    ]));

  test('FLUSHDB and FLUSHALL touch WATCHed keys that exist, not missing ones', () =>
    d.check([
      ['SET', 'w', '1'], ['WATCH', 'w'], ['FLUSHDB'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'nothere'], ['FLUSHALL'], ['MULTI'], ['PING'], ['EXEC'],
      ['SELECT', '2'], ['SET', 'w2', 'x'], ['SELECT', '0'], ['WATCH', 'w2'], ['FLUSHALL'], ['MULTI'], ['PING'], ['EXEC'],
      ['SET', 'w3', 'x'], ['WATCH', 'w3'], ['SELECT', '1'], ['FLUSHDB'], ['SELECT', '0'], ['MULTI'], ['PING'], ['EXEC'],
    ]));

  test('FLUSH inside MULTI', () => d.check([['SET', 'a', '1'], ['MULTI'], ['FLUSHDB'], ['DBSIZE'], ['FLUSHALL', 'SYNC'], ['EXEC']]));

  test('SWAPDB', () =>
    d.check([
      ['SET', 'a', 'zero'], ['SELECT', '1'], ['SET', 'b', 'one'], ['SWAPDB', '0', '1'], ['GET', 'a'], ['GET', 'b'], ['SELECT', '0'],
      ['GET', 'b'], ['DBSIZE'], ['SWAPDB', '1', '1'], ['SWAPDB', '0', '16'], ['SWAPDB', '-1', '0'], ['SWAPDB', 'x', '0'],
      ['SWAPDB', '0', 'y'], ['SWAPDB', 'x', 'y'], ['SWAPDB', '2147483648', '0'], ['SWAPDB', '0', '1.0'], ['SWAPDB', '0'],
      ['SWAPDB', '0', '1', '2'], ['SWAPDB', '1', '0'], ['GET', 'a'],
    ]));

  test('SWAPDB touches WATCHed keys of both databases', () =>
    d.check([
      ['SET', 'k', '0'], ['WATCH', 'k'], ['SWAPDB', '0', '5'], ['MULTI'], ['PING'], ['EXEC'], ['SWAPDB', '0', '5'],
      ['WATCH', 'missing'], ['SELECT', '6'], ['SET', 'missing', 'now'], ['SELECT', '0'], ['SWAPDB', '6', '0'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'nowhere'], ['SWAPDB', '3', '0'], ['MULTI'], ['PING'], ['EXEC'],
    ]));
});

describe('server: TIME, LASTSAVE, LOLWUT', () => {
  const d = useDifferential();
  test('TIME is [seconds, microseconds] as bulk strings', async () => {
    await d.check([sameType('TIME'), ['TIME', 'x']]);
    await compare(d, [], [['TIME']], (s) => {
      const v = JSON.parse(s) as { value: { value: string }[] };
      const [sec, us] = v.value.map((x) => Number(x.value));
      return `${Math.abs(sec! - Date.now() / 1000) < 5} ${us! >= 0 && us! < 1e6}`;
    });
  });
  test('LASTSAVE', () => d.check([approx(5, 'LASTSAVE'), ['LASTSAVE', 'x']]));

  test('LOLWUT: deterministic outputs are byte-identical', () =>
    d.check([
      ['LOLWUT', 'VERSION', '9', '20', '10', '0.1', '0.2'], ['LOLWUT', 'VERSION', '9', '80', '40', '-0.8', '0.156'],
      ['LOLWUT', 'VERSION', '9', '200', '100', '-0.4', '0.6'], ['LOLWUT', 'VERSION', '9', '0', '-5', '0.285', '0.01'],
      ['LOLWUT', 'VERSION', '9', '3', '3', '1e400', '-0'], ['LOLWUT', 'VERSION', '9', '10', '5', '0.125', '-0.125'],
      ['LOLWUT', 'VERSION', '90', '10', '5', '0.3', '0.5'],
      ['LOLWUT', 'VERSION', '5', '5', '2', '2'], ['LOLWUT', 'VERSION', '5', '66', '8', '2'], ['LOLWUT', 'VERSION', '5', '1', '1', '1'],
      ['LOLWUT', 'VERSION', '5', '40', '3', '1'], ['LOLWUT', 'VERSION', '4', 'x'], ['LOLWUT', 'VERSION', '7'], ['LOLWUT', 'VERSION', '10'],
      ['LOLWUT', 'VERSION', '-1'], ['LOLWUT', 'VERSION', '59'], ['LOLWUT', 'VERSION', '9223372036854775807'], ['LOLWUT', 'VERSION', '4294967301', '3', '1', '1'], ['LOLWUT', 'version', '3', 'a', 'b'],
    ]));

  test('LOLWUT: errors', () =>
    d.check([
      ['LOLWUT', '5'], ['LOLWUT', '5', '5', '5'], ['LOLWUT', '5', '5', '5', '5', '5'], ['LOLWUT', 'x', '5'], ['LOLWUT', '5', 'y'],
      ['LOLWUT', '5', '5', 'x', '1'], ['LOLWUT', '5', '5', '1', 'nan'], ['LOLWUT', 'VERSION'], ['LOLWUT', 'VERSION', 'x'],
      ['LOLWUT', 'VERSION', '5', 'x'], ['LOLWUT', 'VERSION', '5', '1', 'y'], ['LOLWUT', 'VERSION', '6', 'x'],
      ['LOLWUT', 'VERSION', '9', '5', '5', '1', ' 1'], ['LOLWUT', 'VERSION', '9', '5', '5', '1e99999', '1'],
    ]));

  test('LOLWUT: random art has the real structure', async () => {
    const shape = (s: string) => s.split('\n').map((l, i, all) => (i >= all.length - 3 ? l.replace(/-?\d+\.\d\d/g, 'N') : String(l.length))).join('|');
    await compare(d, [], [['LOLWUT'], ['LOLWUT', '30', '12'], ['LOLWUT', 'VERSION', '9']], shape);
    const braille = (s: string) => s.split('\n').map((l) => l.length).join(',') + s.slice(s.lastIndexOf('\nGeorg'));
    await compare(d, [], [['LOLWUT', 'VERSION', '5'], ['LOLWUT', 'VERSION', '5', '20', '4', '5']], braille);
    const ESC = String.fromCharCode(27);
    const sky = (s: string) => s.split('\n').map((l) => l.split(ESC + '[0m').length - 1).join(',') + s.slice(s.lastIndexOf('\nDedicated'));
    await compare(d, [], [['LOLWUT', 'VERSION', '6'], ['LOLWUT', 'VERSION', '6', '13', '7']], sky);
  });
});

describe('server: CONFIG', () => {
  const d = useDifferential();
  beforeAll(() => alignIds(d));
  test('CONFIG GET: every parameter and its value', async () => {
    await compare(d, [], [['CONFIG', 'GET', '*']], (s) => configLines(JSON.parse(s)));
  });

  test('CONFIG GET: patterns, several arguments, case, aliases, hidden parameters', () =>
    d.check([
      ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'GET', 'MAXMEMORY'], ['CONFIG', 'GET', 'maxmemory*'], ['CONFIG', 'GET', 'MAXMEM*'],
      ['CONFIG', 'GET', 'maxmemory', 'MaxMemory'], ['CONFIG', 'GET', 'MAXMEMORY', 'maxmemory*'], ['CONFIG', 'GET', 'maxmemory', 'MAXMEMORY-policy'],
      ['CONFIG', 'GET', '*slave*'], ['CONFIG', 'GET', 'slave-read-only', 'replica-read-only'], ['CONFIG', 'GET', 'nosuch'],
      ['CONFIG', 'GET', 'nosuch', 'hz'], ['CONFIG', 'GET', 'use-exit-on-panic'], ['CONFIG', 'GET', 'use-exit-*'],
      ['CONFIG', 'GET', '?z'], ['CONFIG', 'GET', '[hx]z'], ['CONFIG', 'GET', 'list-max-*', 'set-max-*', 'zset-max-*', 'hash-max-*'],
      ['CONFIG', 'GET', 'save'], ['CONFIG', 'GET', 'appendonly'], ['CONFIG', 'GET', 'notify-keyspace-events'], ['CONFIG', 'GET', 'databases'],
      ['CONFIG', 'GET', 'client-output-buffer-limit'], ['CONFIG', 'GET', 'bind'], ['CONFIG', 'GET', 'oom-score-adj-values'],
      ['CONFIG', 'GET', 'latency-tracking-info-percentiles'], ['CONFIG', 'GET', ''], ['CONFIG', 'GET'], ['CONFIG'],
      ['CONFIG', 'NOSUCH'], ['config', 'get', 'lua-time-limit', 'busy-reply-threshold'],
    ]));

  test('CONFIG HELP and REWRITE', () => d.check([['CONFIG', 'HELP'], ['config', 'help'], ['CONFIG', 'HELP', 'x'], ['CONFIG', 'REWRITE'], ['CONFIG', 'REWRITE', 'x']]));

  const restore: Arg[] = ['CONFIG', 'SET', 'maxmemory', '0', 'hz', '10', 'notify-keyspace-events', '', 'maxmemory-policy', 'noeviction',
    'lfu-log-factor', '10', 'lfu-decay-time', '1', 'timeout', '0', 'hash-max-listpack-entries', '512', 'set-max-intset-entries', '512',
    'list-max-listpack-size', '-2', 'proto-max-bulk-len', '536870912', 'save', '', 'appendonly', 'no', 'maxmemory-clients', '0',
    'client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', 'oom-score-adj-values', '0 200 800',
    'latency-tracking-info-percentiles', '50 99 99.9', 'shutdown-on-sigterm', 'default', 'zset-max-listpack-value', '64',
    'cluster-blacklist-ttl', '60', 'maxclients', '10000', 'replica-read-only', 'yes', 'availability-zone', '', 'oom-score-adj', 'no',
    'stream-node-max-bytes', '4096', 'repl-backlog-size', '10485760', 'cluster-announce-hostname', ''];

  test('CONFIG SET: integers, memory values, booleans, enums and their errors', () =>
    d.check([
      ...[
        ['hz', '50'], ['hz', '1000'], ['hz', '0'], ['hz', '-1'], ['hz', 'x'], ['hz', '2147483648'], ['hz', ' 5'], ['hz', '+5'], ['hz', '05'],
        ['lfu-log-factor', '-1'], ['lfu-log-factor', '100'], ['lfu-decay-time', '7'], ['timeout', '30'], ['timeout', '1.5'],
        ['list-max-listpack-size', '-2147483648'], ['list-max-listpack-size', '-5'], ['hash-max-listpack-entries', '-1'],
        ['hash-max-listpack-entries', '9223372036854775807'], ['hash-max-listpack-entries', '9223372036854775808'],
        ['set-max-intset-entries', '1k'], ['zset-max-listpack-value', '1kb'], ['zset-max-listpack-value', '2m'], ['zset-max-listpack-value', '-1'],
        ['zset-max-listpack-value', '1.5gb'], ['stream-node-max-bytes', 'x'],
        ['maxmemory', '100mb'], ['maxmemory', '1GB'], ['maxmemory', '1g'], ['maxmemory', '12345'], ['maxmemory', '10k'], ['maxmemory', '10KB'],
        ['maxmemory', '-1'], ['maxmemory', ''], ['maxmemory', 'kb'], ['maxmemory', '18446744073709551615'], ['maxmemory', '18446744073709551616'],
        ['maxmemory', '20000000000gb'], ['maxmemory', '1 gb'], ['maxmemory', '0'],
        ['proto-max-bulk-len', '1000'], ['proto-max-bulk-len', '2mb'], ['repl-backlog-size', '0'], ['repl-backlog-size', '1mb'],
        ['maxmemory-clients', '10%'], ['maxmemory-clients', '101%'], ['maxmemory-clients', '100%'], ['maxmemory-clients', '-5'],
        ['maxmemory-clients', '1%%'], ['maxmemory-clients', '%'], ['maxmemory-clients', '1mb'], ['maxmemory-clients', 'x'],
        ['maxclients', '0'], ['maxclients', '-1'], ['maxclients', '4294967296'], ['maxclients', '5000'],
        ['cluster-blacklist-ttl', '-1'], ['cluster-blacklist-ttl', '18446744073709551615'],
        ['appendonly', 'YES'], ['appendonly', 'no'], ['appendonly', 'true'], ['appendonly', '1'], ['replica-read-only', 'No'],
        ['slave-read-only', 'yes'], ['maxmemory-policy', 'ALLKEYS-LRU'], ['maxmemory-policy', 'lru'], ['maxmemory-policy', ''],
        ['oom-score-adj', 'yes'], ['oom-score-adj', 'relative'], ['oom-score-adj', 'Absolute'],
        ['shutdown-on-sigterm', 'save now'], ['shutdown-on-sigterm', 'nosave force'], ['shutdown-on-sigterm', 'save nosave'],
        ['shutdown-on-sigterm', 'force now safe failover'], ['shutdown-on-sigterm', ''], ['shutdown-on-sigterm', 'save  now'],
        ['shutdown-on-sigterm', 'default save'], ['shutdown-on-sigterm', 'bogus'],
      ].flatMap(([k, v]) => [['CONFIG', 'SET', k!, v!], ['CONFIG', 'GET', k!]] as Arg[][]),
      restore,
    ]));

  test('CONFIG SET: special parameters', () =>
    d.check([
      ...[
        ['save', '900 1 300 10'], ['save', ''], ['save', '100'], ['save', '0 1'], ['save', '1 -1'], ['save', 'x 1'], ['save', '1  1 1'],
        ['save', ' 5 1'], ['save', '5 4294967297'], ['save', '10 0'],
        ['notify-keyspace-events', 'KEA'], ['notify-keyspace-events', 'Ex'], ['notify-keyspace-events', 'xE'], ['notify-keyspace-events', 'A'],
        ['notify-keyspace-events', 'g$lshzxetdK'], ['notify-keyspace-events', 'mK'], ['notify-keyspace-events', 'nA'],
        ['notify-keyspace-events', 'Aq'], ['notify-keyspace-events', 'ee'], ['notify-keyspace-events', ''], ['notify-keyspace-events', 'KEAm'],
        ['client-output-buffer-limit', 'normal 1mb 2mb 60'], ['client-output-buffer-limit', 'pubsub 1 2 3 replica 4 5 6'],
        ['client-output-buffer-limit', 'master 1 2 3'], ['client-output-buffer-limit', 'normal 1 2'], ['client-output-buffer-limit', 'normal x 2 3'],
        ['client-output-buffer-limit', 'normal 1 2 -3'], ['client-output-buffer-limit', 'bogus 1 2 3'],
        ['oom-score-adj-values', '1 2 3'], ['oom-score-adj-values', '0 200'], ['oom-score-adj-values', '0 200 2001'], ['oom-score-adj-values', '-2000 x 1'],
        ['latency-tracking-info-percentiles', '50 99.9 100'], ['latency-tracking-info-percentiles', ''], ['latency-tracking-info-percentiles', '0.5 12.25'],
        ['latency-tracking-info-percentiles', '101'], ['latency-tracking-info-percentiles', 'abc'], ['latency-tracking-info-percentiles', '1e1 +5'],
        ['availability-zone', 'zone-a'], ['cluster-announce-hostname', 'bad host'], ['cluster-announce-hostname', 'good-host.example'],
      ].flatMap(([k, v]) => [['CONFIG', 'SET', k!, v!], ['CONFIG', 'GET', k!]] as Arg[][]),
      ['HELLO', '2'],
      restore,
    ]));

  test('CONFIG SET: immutable, protected, unknown, duplicates, several pairs atomically', () =>
    d.check([
      ['CONFIG', 'SET', 'databases', '4'], ['CONFIG', 'SET', 'daemonize', 'yes'], ['CONFIG', 'SET', 'dir', '/tmp'],
      ['CONFIG', 'SET', 'dbfilename', 'x.rdb'], ['CONFIG', 'SET', 'nosuch', '1'], ['CONFIG', 'SET', 'hz', '20', 'nosuch', '1'],
      ['CONFIG', 'SET', 'nosuch', '1', 'databases', '4'], ['CONFIG', 'SET', 'databases', '4', 'nosuch', '1'],
      ['CONFIG', 'SET', 'hz', '20', 'hz', '30'], ['CONFIG', 'SET', 'hz', '20', 'HZ', '30'], ['CONFIG', 'GET', 'hz'],
      ['CONFIG', 'SET', 'slave-read-only', 'no', 'replica-read-only', 'yes'], ['CONFIG', 'GET', 'replica-read-only'],
      ['CONFIG', 'SET', 'hz', '20', 'maxmemory', 'x'], ['CONFIG', 'GET', 'hz'], ['CONFIG', 'SET', 'maxmemory', '5mb', 'hz', 'y'],
      ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'SET', 'hz', '20', 'maxmemory', '1mb', 'maxmemory-policy', 'allkeys-lfu'],
      ['CONFIG', 'GET', 'hz', 'maxmemory', 'maxmemory-policy'], ['CONFIG', 'SET', 'hz'], ['CONFIG', 'SET', 'hz', '1', 'maxmemory'],
      ['CONFIG', 'SET'], ['CONFIG', 'SET', 'Hz', 'x'], ['CONFIG', 'SET', 'SLAVE-read-only', 'x'], ['CONFIG', 'SET', 'unix\nsocket', '1'],
      ['CONFIG', 'SET', 'requirepass', 'p', 'databases', '1'], ['CONFIG', 'GET', 'requirepass'],
      restore, ['CONFIG', 'GET', 'hz', 'maxmemory', 'maxmemory-policy', 'replica-read-only'],
    ]));

  test('CONFIG SET availability-zone shows in HELLO', () =>
    d.check([['CONFIG', 'SET', 'availability-zone', 'az-1'], ['HELLO'], ['CONFIG', 'SET', 'availability-zone', ''], ['HELLO']]));

  test('CONFIG RESETSTAT resets INFO counters', async () => {
    const norm = (s: string) => maskInfo(s).split('\n').filter((l) => !l.startsWith('errorstat_') || true).join('\n');
    await compare(d, [['GET', 'nosuch'], ['SET', 'k', 'v'], ['GET', 'k'], ['NOSUCHCMD'], ['INCR', 'k'], ['CONFIG', 'RESETSTAT']],
      [['INFO', 'stats'], ['INFO', 'commandstats'], ['INFO', 'errorstats'], ['GET', 'k'], ['INFO', 'commandstats', 'stats']], norm);
    await d.check([['CONFIG', 'RESETSTAT', 'x']]);
  });
});

describe('server: INFO', () => {
  const d = useDifferential();
  const sections: Arg[][] = [
    ['INFO'], ['INFO', 'default'], ['INFO', 'all'], ['INFO', 'everything'], ['INFO', 'server'], ['INFO', 'SERVER'], ['INFO', 'clients'],
    ['INFO', 'memory'], ['INFO', 'persistence'], ['INFO', 'stats'], ['INFO', 'replication'], ['INFO', 'cpu'], ['INFO', 'modules'],
    ['INFO', 'module_list'], ['INFO', 'commandstats'], ['INFO', 'errorstats'], ['INFO', 'latencystats'], ['INFO', 'cluster'],
    ['INFO', 'cluster_info'], ['INFO', 'scriptingengines'], ['INFO', 'keyspace'], ['INFO', 'tls'], ['INFO', 'debug'],
    ['INFO', 'keyspace', 'server'], ['INFO', 'nosuch'], ['INFO', 'nosuch', 'cpu'], ['INFO', 'all', 'debug'], ['INFO', 'default', 'commandstats'],
    ['INFO', 'Keyspace', 'KEYSPACE', 'keyspace'],
  ];
  test('INFO sections, with process figures masked', () =>
    compare(d, [
      ['SET', 'a', '1'], ['SET', 'b', '2'], ['EXPIRE', 'b', '1000'], ['SELECT', '3'], ['SET', 'c', '3'], ['SELECT', '0'], ['GET', 'nosuch'],
      ['GET', 'a'], ['INCR', 'a'], ['NOSUCH'], ['GET'], ['WATCH', 'a'], ['CONFIG', 'SET', 'maxmemory', '1gb'],
    ], sections, maskInfo).finally(() => d.check([['CONFIG', 'SET', 'maxmemory', '0'], ['UNWATCH']])));

  test('INFO keyspace after FLUSHALL, SWAPDB and expiry', () =>
    compare(d, [['FLUSHALL'], ['SET', 'x', '1'], ['SET', 'y', '2', 'PX', '100000'], ['SWAPDB', '0', '9']],
      [['INFO', 'keyspace'], ['DBSIZE'], ['SELECT', '9'], ['DBSIZE'], ['INFO', 'KEYSPACE']], maskInfo));

  test.skipIf(!HASH_TTL)('INFO keyspace counts keys with volatile hash fields', () =>
    compare(d, [['FLUSHALL'], ['HSET', 'h', 'a', '1', 'b', '2'], ['HEXPIRE', 'h', '1000', 'FIELDS', '1', 'a'], ['HSET', 'h2', 'x', '1'],
      ['SELECT', '2'], ['HSETEX', 'h3', 'EX', '500', 'FIELDS', '1', 'f', 'v'], ['EXPIRE', 'h3', '900']],
    [['INFO', 'keyspace'], ['HPERSIST', 'h3', 'FIELDS', '1', 'f'], ['INFO', 'keyspace']], maskInfo));

  test('INFO clients: watching, blocked and connected counts', async () => {
    if (!d.available) return;
    const other = await Promise.all([d.connect('oracle'), d.connect('mock')]);
    await Promise.all(other.map((c) => c.send(['WATCH', 'a', 'b', 'c'])));
    await compare(d, [['WATCH', 'a', 'z']], [['INFO', 'clients']], maskInfo);
    other.forEach((c) => c.close());
  });

  test('INFO while another client is blocked: blocked commands count once they end', async () => {
    if (!d.available) return;
    const blocked = await Promise.all([d.connect('oracle'), d.connect('mock')]);
    await Promise.all(blocked.map((c) => c.send(['CONFIG', 'RESETSTAT'])));
    const pending = blocked.map((c) => c.send(['WAIT', '1', '0']));
    await new Promise((r) => setTimeout(r, 50));
    await compare(d, [], [['INFO', 'clients'], ['INFO', 'stats'], ['INFO', 'commandstats']], maskInfo, [2]);
    blocked.forEach((c) => c.close());
    await Promise.allSettled(pending);
  });

  test('INFO is a verbatim string in RESP3 and a bulk string in RESP2', () => d.check([sameType('INFO', 'server'), sameType('INFO')]));
});

describe('server: SAVE, BGSAVE (oracle writes into a scratch directory)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'valkey-double-save-'));
  const d = useDifferential({ oracleArgs: ['--dir', dir] });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('SAVE, BGSAVE and LASTSAVE', () =>
    d.check([
      ['SET', 'a', '1'], ['SAVE'], ['SAVE', 'x'], ['BGSAVE', 'x'], ['BGSAVE', 'SCHEDULE', 'x'], ['BGSAVE', 'CANCEL', 'x'], ['MULTI'], ['SAVE'],
      ['DISCARD'], approx(5, 'LASTSAVE'),
    ]));

  test('BGSAVE and BGSAVE SCHEDULE start a save', () =>
    d.check([{ cmd: ['BGSAVE'], compare: { kind: 'exact' }, sleepAfter: 300 }, { cmd: ['BGSAVE', 'SCHEDULE'], compare: { kind: 'exact' }, sleepAfter: 300 }]));

  test('BGSAVE inside MULTI is scheduled', () => d.check([['MULTI'], ['BGSAVE'], { cmd: ['EXEC'], compare: { kind: 'exact' }, sleepAfter: 300 }]));

  test('INFO persistence after SAVE', () =>
    compare(d, [['FLUSHALL'], ['SET', 'x', '1'], ['SET', 'y', '1']], [['INFO', 'persistence'], ['SAVE'], ['INFO', 'persistence']],
      (s) => maskInfo(s).replace(/rdb_saves:\d+/, 'rdb_saves:*').replace(/rdb_last_bgsave_time_sec:-?\d+/, 'rdb_last_bgsave_time_sec:*'), [2]));

  test('BGSAVE CANCEL with nothing running', () => d.check([['BGSAVE', 'CANCEL']]));
});

describe('server: pipelines of server commands', () => {
  const d = useDifferential();
  test('a pipeline of server commands', () => d.check([raw(wire('DBSIZE') + wire('SET', 'p', '1') + wire('DBSIZE') + wire('FLUSHDB') + wire('DBSIZE'), 5), unordered('CONFIG', 'GET', 'maxmemory*')]));
});

describe('server: ROLE', () => {
  const d = useDifferential();
  test('a standalone primary without replicas, and extra arguments', () => d.check([['ROLE'], ['SET', 'k', 'v'], ['role'], ['ROLE', 'x'], ['MULTI'], ['ROLE'], ['EXEC']]));
});

describe('server: SHUTDOWN errors (the server stays up)', () => {
  const d = useDifferential();
  test('ABORT with nothing in progress, bad flags and combinations, inside MULTI', () =>
    d.check([
      ['SHUTDOWN', 'ABORT'], ['SHUTDOWN', 'abort'], ['SHUTDOWN', 'SAVE', 'NOSAVE'], ['SHUTDOWN', 'ABORT', 'NOW'], ['SHUTDOWN', 'BOGUS'],
      ['SHUTDOWN', 'NOW', 'BOGUS'], ['SHUTDOWN', 'FAILOVER'], ['MULTI'], ['SHUTDOWN'], ['EXEC'], ['PING'],
    ]));
});
