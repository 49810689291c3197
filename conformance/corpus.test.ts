/**
 * The corpus's own machinery: the expectation encoder, the named loosenings,
 * the grammar-driven generator, reports, and coverage of what valkey-double
 * implements. No real server needed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createServer, type ValkeyServer } from '../src/index.js';
import { allExamples, allProperties } from './corpus.js';
import { rawDriver } from './drivers/raw.js';
import { fromIoredis } from './drivers/ioredis.js';
import { fromNodeRedis } from './drivers/node-redis.js';
import { bool, dbl, encodeExpect, map, matchRaw, nilArr, ok, pin, resp, set, unordered, verb } from './expect.js';
import { parseReply } from './match.js';
import { callArb } from './model/grammar.js';
import { CORPUS_GROUPS, modelGroup } from './model/groups.js';
import { KEYS } from './model/pools.js';
import { probeCommands } from './model/run.js';
import { allCommandSpecs, applyProfile, compareModeFor, compareRaw, compareValues, exclusionReason, specOf } from './normalize.js';
import { commandTable, junitXml } from './report.js';
import type { CaseResult } from './run.js';
import { canonical, valueFromRaw } from './value.js';

const raw = (bytes: string) => ({ raw: bytes, value: parseReply(bytes) });

describe('expectations', () => {
  test('one expectation gives the RESP2 and the RESP3 bytes', () => {
    expect(encodeExpect(null, 2)).toBe('$-1\r\n');
    expect(encodeExpect(null, 3)).toBe('_\r\n');
    expect(encodeExpect(nilArr, 2)).toBe('*-1\r\n');
    expect(encodeExpect(map(['a', 1]), 2)).toBe('*2\r\n$1\r\na\r\n:1\r\n');
    expect(encodeExpect(map(['a', 1]), 3)).toBe('%1\r\n$1\r\na\r\n:1\r\n');
    expect(encodeExpect(set('x'), 3)).toBe('~1\r\n$1\r\nx\r\n');
    expect(encodeExpect(dbl('1.5'), 2)).toBe('$3\r\n1.5\r\n');
    expect(encodeExpect(dbl('1.5'), 3)).toBe(',1.5\r\n');
    expect(encodeExpect(bool(true), 2)).toBe(':1\r\n');
    expect(encodeExpect(bool(false), 3)).toBe('#f\r\n');
    expect(encodeExpect(verb('hi'), 3)).toBe('=6\r\ntxt:hi\r\n');
    expect(encodeExpect(resp(ok, 1), 3)).toBe(':1\r\n');
    expect(encodeExpect(pin(3, null), 2)).toBe('_\r\n');
    expect(encodeExpect(12345678901234567890n, 2)).toBe(':12345678901234567890\r\n');
  });

  test('unordered() keeps map entries paired in RESP2', () => {
    const e = unordered(map(['a', '1'], ['b', '2']));
    expect(matchRaw(e, parseReply('*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n'), 2)).toBeUndefined();
    expect(matchRaw(e, parseReply('*4\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n'), 2)).toMatch(/differ/);
    expect(matchRaw(e, parseReply('%2\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n'), 3)).toBeUndefined();
  });
});

describe('loosenings (normalize.ts)', () => {
  test('modes come from the metadata tips', () => {
    expect(compareModeFor('get')).toEqual({ kind: 'exact' });
    expect(compareModeFor('smembers').kind).toBe('unordered');
    expect(compareModeFor('sort')).toMatchObject({ kind: 'unordered', pairs: false });
    expect(compareModeFor('hgetall')).toMatchObject({ kind: 'unordered', pairs: true });
    expect(compareModeFor('scan').kind).toBe('structure');
    expect(compareModeFor('pttl')).toMatchObject({ kind: 'clock', tolerance: 2000 });
    expect(exclusionReason('randomkey')).toBeUndefined();
    expect(exclusionReason('spop')).toMatch(/random/);
    expect(exclusionReason('time')).toMatch(/nondeterministic_output/);
    expect(exclusionReason('blpop')).toMatch(/block/);
    expect(exclusionReason('hello')).toMatch(/protocol/);
  });

  test('exact comparison sees a RESP type difference the values would hide', () => {
    expect(compareRaw({ kind: 'exact' }, raw('+OK\r\n'), raw('$2\r\nOK\r\n'), 2)).toMatch(/bytes differ/);
  });

  test('unordered: order is free, contents and RESP types are not', () => {
    const m = compareModeFor('smembers');
    expect(compareRaw(m, raw('~2\r\n$1\r\na\r\n$1\r\nb\r\n'), raw('~2\r\n$1\r\nb\r\n$1\r\na\r\n'), 3)).toBeUndefined();
    expect(compareRaw(m, raw('~2\r\n$1\r\na\r\n$1\r\nb\r\n'), raw('*2\r\n$1\r\nb\r\n$1\r\na\r\n'), 3)).toMatch(/differ/);
    expect(compareRaw(m, raw('~2\r\n$1\r\na\r\n$1\r\nb\r\n'), raw('~2\r\n$1\r\na\r\n$1\r\nc\r\n'), 3)).toMatch(/differ/);
    const h = compareModeFor('hgetall');
    const a = '*4\r\n$1\r\nf\r\n$1\r\n1\r\n$1\r\ng\r\n$1\r\n2\r\n';
    expect(compareRaw(h, raw(a), raw('*4\r\n$1\r\ng\r\n$1\r\n2\r\n$1\r\nf\r\n$1\r\n1\r\n'), 2)).toBeUndefined();
    expect(compareRaw(h, raw(a), raw('*4\r\n$1\r\nf\r\n$1\r\n2\r\n$1\r\ng\r\n$1\r\n1\r\n'), 2)).toMatch(/differ/);
  });

  test('structure: shapes and error texts, not values; an empty batch matches any', () => {
    const m = compareModeFor('scan');
    expect(compareRaw(m, raw('*2\r\n$1\r\n0\r\n*0\r\n'), raw('*2\r\n$2\r\n17\r\n*1\r\n$1\r\nk\r\n'), 2)).toBeUndefined();
    expect(compareRaw(m, raw('*2\r\n$1\r\n0\r\n*1\r\n:1\r\n'), raw('*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n'), 2)).toMatch(/shapes differ/);
    expect(compareRaw(m, raw('-ERR invalid cursor\r\n'), raw('-ERR syntax error\r\n'), 2)).toMatch(/bytes differ/);
  });

  test('clock: positive values within the tolerance, -1 and -2 exact', () => {
    const m = compareModeFor('ttl');
    expect(compareRaw(m, raw(':100\r\n'), raw(':99\r\n'), 2)).toBeUndefined();
    expect(compareRaw(m, raw(':100\r\n'), raw(':90\r\n'), 2)).toMatch(/not within/);
    expect(compareRaw(m, raw(':-1\r\n'), raw(':-2\r\n'), 2)).toMatch(/not within/);
  });

  test('client profiles: ioredis maps lose order and read keys as UTF-8', () => {
    const wire = valueFromRaw(parseReply('%2\r\n$1\r\nb\r\n:2\r\n$1\r\n\xff\r\n:1\r\n'));
    const io = fromIoredis({ '\ufffd': '1', b: '2' }, () => false);
    const p = { mapKeysUtf8: true, mapsUnordered: true };
    expect(canonical(applyProfile(io, p))).toBe(canonical(applyProfile(wire, p)));
    const ordered = { mapKeysUtf8: true, mapsUnordered: false };
    expect(compareValues({ kind: 'exact' }, applyProfile(io, ordered), applyProfile(wire, ordered))).toMatch(/differ/);
  });

  test('client adapters keep bytes, integers exactly, and errors inside arrays', () => {
    const isErr = (e: unknown) => e instanceof Error;
    expect(fromNodeRedis([Buffer.from([0xff, 0]), '9223372036854775807', null, new Error('ERR x')], isErr))
      .toEqual(['\xff\x00', { num: '9223372036854775807' }, null, { err: 'ERR x' }]);
  });
});

describe('the generator', () => {
  const specs = allCommandSpecs();
  const generated = [...new Set(CORPUS_GROUPS.flatMap((g) => { const m = modelGroup(g); return [...m.commands, ...m.mixers]; }))];

  test('calls drawn from the grammar name their command and mostly have the arity the metadata asks', () => {
    // Not always: the grammar marks GEOSEARCH's FROMMEMBER/FROMLONLAT optional, its arity does not.
    let total = 0;
    let good = 0;
    for (const name of generated) {
      const spec = specs.get(name)!;
      const words = name.split('|').length;
      let mine = 0;
      const samples = fc.sample(callArb(name, spec, { malformed: 0 }), { numRuns: 30, seed: 7 });
      for (const argv of samples) {
        const n = argv.length;
        if (spec.arity >= 0 ? n === spec.arity : n >= -spec.arity) mine++;
        expect(argv.slice(0, words).join('|').toLowerCase()).toBe(name);
      }
      expect(mine, `${name}: ${mine} of ${samples.length} calls have arity ${spec.arity}`).toBeGreaterThan(samples.length / 2);
      total += samples.length;
      good += mine;
    }
    expect(good / total).toBeGreaterThan(0.97);
  });

  test('counts match what they count, most of the time: MSETEX numkeys', () => {
    const samples = fc.sample(callArb('msetex', specs.get('msetex')!, { malformed: 0 }), { numRuns: 100, seed: 3 });
    const consistent = samples.filter((a) => {
      const n = Number(a[1]);
      if (!(n > 0)) return false;
      for (let i = 0; i < n; i++) if (!KEYS.includes(a[2 + 2 * i] as (typeof KEYS)[number])) return false;
      const rest = a[2 + 2 * n];
      return rest === undefined || !KEYS.includes(rest as (typeof KEYS)[number]);
    });
    expect(consistent.length).toBeGreaterThan(70);
    expect(consistent.length).toBeLessThan(100);
  });

  test('each group draws only commands of its own group, the rest named with a reason', () => {
    for (const g of CORPUS_GROUPS) {
      const m = modelGroup(g);
      for (const c of m.commands) expect(specs.get(c)!.group).toBe(g);
      for (const x of m.excluded) expect(x.reason.length).toBeGreaterThan(0);
    }
  });
});

describe('the corpus', () => {
  let server: ValkeyServer;
  beforeAll(async () => {
    server = await createServer({ port: 0 });
  });
  afterAll(() => server.close());

  test('every case names real Valkey 9 commands', () => {
    const containers = new Set(['client', 'command', 'config', 'object']);
    for (const c of [...allExamples(), ...allProperties()]) {
      for (const name of c.commands) expect(specOf(name) !== undefined || containers.has(name), `${c.name}: ${name}`).toBe(true);
    }
  });

  test('every command valkey-double implements in the corpus groups has an example case or a property', async () => {
    const covered = new Set([...allExamples().flatMap((c) => c.commands), ...allProperties().flatMap((p) => p.commands)]);
    // Commands a test cannot run without changing the server beyond it (the config file on disk) or
    // stopping it (SHUTDOWN, the replication handshakes SYNC and PSYNC, which the probe never sends).
    const uncoverable = new Set(['config|rewrite', 'shutdown', 'sync', 'psync']);
    const inGroups = [...allCommandSpecs()].filter(([, s]) => (CORPUS_GROUPS as readonly string[]).includes(s.group)).map(([n]) => n);
    const admin = await rawDriver.connect({ host: '127.0.0.1', port: server.port }, { resp: 2 });
    const missing = await probeCommands(admin, inGroups);
    await admin.close();
    const implemented = inGroups.filter((n) => !missing.has(n));
    const uncovered = implemented.filter((n) => !covered.has(n) && !uncoverable.has(n));
    expect(uncovered, `implemented but without cases: ${uncovered.join(', ')}`).toEqual([]);
  });
});

describe('reports', () => {
  const results: CaseResult[] = [
    { id: 'example string/append: a', kind: 'example', group: 'string', name: 'a', commands: ['append', 'get'], status: 'passed', durationMs: 1 },
    { id: 'example string/append: b', kind: 'example', group: 'string', name: 'b <&>', commands: ['append'], status: 'failed', failure: 'step 1: \x00bad', durationMs: 1 },
    { id: 'model string', kind: 'model', group: 'string', name: 'm', commands: ['append'], status: 'passed', durationMs: 1, calls: { append: 7, get: 3 } },
    { id: 'example hash/hset: c', kind: 'example', group: 'hash', name: 'c', commands: ['hset'], status: 'skipped', reason: 'not implemented', durationMs: 0 },
  ];

  test('the per-command table counts each case once per command it names, and model calls', () => {
    const rows = commandTable(results);
    expect(rows.find((r) => r.command === 'append')).toMatchObject({ passed: 1, failed: 1, skipped: 0, modelCalls: 7 });
    expect(rows.find((r) => r.command === 'get')).toMatchObject({ passed: 1, modelCalls: 3 });
    expect(rows.find((r) => r.command === 'hset')).toMatchObject({ skipped: 1, skipReasons: ['not implemented'] });
  });

  test('JUnit XML escapes markup and control bytes', () => {
    const xml = junitXml([{ target: 't', driver: 'raw', resp: 2, seed: 1, results, durationMs: 5 }]);
    expect(xml).toContain('tests="4" failures="1" skipped="1"');
    expect(xml).toContain('b &lt;&amp;&gt;');
    expect(xml).toContain('step 1: \\x00bad');
    expect([...xml].some((c) => c.charCodeAt(0) < 9)).toBe(false);
  });
});
