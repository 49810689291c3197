/**
 * Differential tests of the MEMORY commands against a real Valkey 9.1.2.
 *
 * MEMORY USAGE is compared exactly wherever Valkey's figure is a function of
 * the data: strings of every encoding, listpacks (lists, sets, sorted sets,
 * hashes), intsets and quicklists, over many sizes. Hashtable-encoded values
 * (sets, hashes, skiplist sorted sets) get `approx`: their real figure
 * depends on the process's random hash seed (overflow buckets), on whether
 * an incremental rehash is under way, and for skiplists on random node
 * heights. MEMORY STATS numbers are the process's own: compared by shape
 * (`sameType`); DOCTOR, PURGE and HELP exactly.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Arg } from '../../conformance/targets/raw-client.js';
import { approx, ignore, sameType, useDifferential, type StepLike } from './harness.js';

const d = useDifferential();

const mu = (k: string, ...rest: Arg[]): Arg[] => ['MEMORY', 'USAGE', k, ...rest];
const ints = (a: number, b: number, f = (i: number) => String(i)): string[] => Array.from({ length: b - a }, (_, i) => f(a + i));
const SIZES = [0, 1, 2, 7, 8, 9, 10, 20, 31, 32, 33, 40, 44, 45, 50, 63, 64, 65, 80, 100, 110, 111, 112, 113, 120, 128, 200, 252, 253, 254, 300, 1000, 4096, 20000, 65531, 70000];

// First in the file: the oracle lists every database a client ever selected, and valkey-double lists db 0 and
// the databases holding keys, so the SELECT case runs last and in one protocol only.
describe('MEMORY STATS, DOCTOR, MALLOC-STATS, PURGE, HELP', () => {
  test('shapes and fixed replies', () =>
    d.check([
      sameType('MEMORY', 'STATS'), ['SET', 'a', '1'], ['HSET', 'h', 'f', 'v'], ['EXPIRE', 'h', '100'], sameType('MEMORY', 'STATS'),
      ['MEMORY', 'DOCTOR'], ['MEMORY', 'PURGE'], ['MEMORY', 'HELP'], ['MEMORY', 'STATS', 'x'], ['MEMORY', 'FOO'], ['MEMORY', 'DOCTOR', 'x'],
      ['MEMORY', 'USAGE'], ['MEMORY'], ignore('MEMORY', 'MALLOC-STATS'),
    ]));
});

describe('MEMORY USAGE: exact figures', () => {
  test('strings: int, embstr, raw, with and without TTL, short and long keys', () =>
    d.check([
      ...['k', 'key:' + 'x'.repeat(20), 'K'.repeat(40), 'L'.repeat(127), 'L'.repeat(128), 'M'.repeat(300)].flatMap((k): StepLike[] =>
        [...SIZES.flatMap((n): Arg[][] => [['SET', k, 'v'.repeat(n)], mu(k), ['PEXPIRE', k, '100000'], mu(k)]),
          ...['0', '12', '-1', '123456789', '9223372036854775807'].flatMap((v): Arg[][] => [['SET', k, v], mu(k), ['EXPIRE', k, '100'], mu(k)])]),
      ['SET', 'f', '1'], ['INCRBYFLOAT', 'f', '1.5'], mu('f'), ['SETRANGE', 'r', '10', 'x'], mu('r'), ['SET', 'q', '5'], ['INCR', 'q'], mu('q'),
      ...[1, 20, 50, 100, 300, 5000].flatMap((n): Arg[][] => [
        ['DEL', 'a'], ['APPEND', 'a', 'x'.repeat(n)], mu('a'), ['APPEND', 'a', 'y'.repeat(n)], mu('a'), ['APPEND', 'a', 'z'], mu('a'),
        ['APPEND', 'a', 'w'.repeat(3 * n)], mu('a'), ['SETRANGE', 'a', String(6 * n), 'q'], mu('a'), ['SETBIT', 'a', String(80 * n), '1'], mu('a'),
        ['SET', 'b', 'v'.repeat(n)], ['SETRANGE', 'b', String(2 * n), 'x'], mu('b'), ['SET', 'c', String(n)], ['APPEND', 'c', '1'], mu('c'),
        ['INCR', 'c'], mu('c'), ['DEL', 'd'], ['SETBIT', 'd', String(8 * n), '1'], mu('d'), ['SETBIT', 'd', String(9 * n), '1'], mu('d'),
      ]),
      mu('nokey'), ['SET', 'k', 'v'], mu('k', 'SAMPLES', '0'), mu('k', 'SAMPLES', '1'), mu('k', 'SAMPLES', '-1'), mu('k', 'SAMPLES', 'x'),
      mu('k', 'SAMPLES'), mu('k', 'FOO'), mu('k', 'SAMPLES', '5', 'SAMPLES', '9'),
    ]));
  test('listpack lists and quicklists', () =>
    d.check([
      ...[1, 2, 5, 10, 30, 100, 128, 129, 200, 500, 1000, 5000].flatMap((n): Arg[][] => [
        ['DEL', 'l', 'm'], ['RPUSH', 'l', ...ints(0, n)], mu('l'), mu('l', 'SAMPLES', '0'),
        ['RPUSH', 'm', ...ints(0, n, (i) => `element-${i}-${'p'.repeat(i % 30)}`)], mu('m'), mu('m', 'SAMPLES', '0'), mu('m', 'SAMPLES', '2'),
      ]),
      ['RPUSH', 'p', 'a', 'x'.repeat(9000), 'b', 'y'.repeat(20000)], mu('p'), mu('p', 'SAMPLES', '0'),
      ...[1, 2].flatMap((depth): Arg[][] => [
        ['CONFIG', 'SET', 'list-compress-depth', String(depth)], ['DEL', 'c'], ['RPUSH', 'c', ...ints(0, 3000, (i) => `element-${i}`)],
        mu('c'), mu('c', 'SAMPLES', '0'), ['RPUSH', 'c', 'x'.repeat(10000), 'b'], mu('c', 'SAMPLES', '0'),
      ]),
      ['CONFIG', 'SET', 'list-compress-depth', '0'],
      ['LPUSH', 'p', ...ints(0, 300)], mu('p'), ['EXPIRE', 'p', '100'], mu('p'),
    ]));
  test('intsets and listpack sets', () =>
    d.check([
      ...[1, 2, 10, 100, 127, 128, 500, 512].flatMap((n): Arg[][] => [
        ['DEL', 'i', 'j', 's'], ['SADD', 'i', ...ints(0, n)], mu('i'), ['SADD', 'j', ...ints(0, n, (x) => String(x * 100000))], mu('j'),
        ['SADD', 's', ...ints(0, Math.min(n, 128), (x) => `m${x}`)], mu('s'),
      ]),
      ['SADD', 'w', '1', '-5000000000'], ['SREM', 'w', '-5000000000'], mu('w'),
    ]));
  test('listpack sorted sets and hashes', () =>
    d.check([
      ...[1, 2, 10, 50, 128].flatMap((n): Arg[][] => [
        ['DEL', 'z', 'h'], ['ZADD', 'z', ...ints(0, n).flatMap((x) => [String(Number(x) / 7), `m${x}`])], mu('z'),
        ['HSET', 'h', ...ints(0, n).flatMap((x) => [`field:${x}`, `value:${x}`])], mu('h'),
      ]),
      ['ZADD', 'y', '1', 'a', '2', 'b', 'inf', 'c'], mu('y'), ['HSET', 'g', 'a', '1', 'b', '-77', 'c', 'x'.repeat(64)], mu('g'),
    ]));
});

describe('MEMORY USAGE: hashtable-encoded values (approximate)', () => {
  /** MEMORY USAGE within `delta` bytes of the oracle's. */
  const within = (delta: number, k: string, ...rest: Arg[]): StepLike => approx(delta, ...mu(k, ...rest));
  test('sets, hashes and skiplists of many sizes', () =>
    d.check([
      ...[129, 200, 300, 1000, 3000].flatMap((n): StepLike[] => [
        ['DEL', 's', 'h', 'z', 'e'], ['SADD', 's', ...ints(0, n, (x) => `member:${x}`)], within(Math.ceil(n * 2), 's'),
        ['HSET', 'h', ...ints(0, n * 4, (x) => `f${x}`).flatMap((f) => [f, 'v'])], within(Math.ceil(n * 8), 'h'),
        ['ZADD', 'z', ...ints(0, n).flatMap((x) => [x, `m${x}`])], within(Math.ceil(n * 4), 'z', 'SAMPLES', '0'),
        ['HSET', 'e', 'a', '1', 'b', 'x'.repeat(200)], ['HEXPIRE', 'e', '100', 'FIELDS', '1', 'a'], within(64, 'e'),
      ]),
    ]));
});

describe('MEMORY STATS with another database', () => {
  test('one map per database in use', () =>
    d.check([['SET', 'a', '1'], ['SELECT', '3'], ['SET', 'b', '1'], sameType('MEMORY', 'STATS')], { resp: [2] }));
});

describe('property: MEMORY USAGE after random edits', () => {
  const elem = fc.oneof(
    fc.constantFrom('a', '', '0', '127', '128', '-4096', '32768', '9223372036854775807', '1.5', 'x'.repeat(70), 'y'.repeat(300)),
    fc.integer({ min: -100000, max: 100000 }).map(String),
    fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  );
  const elems = fc.array(elem, { minLength: 1, maxLength: 20 });
  const cmd: fc.Arbitrary<Arg[]> = fc.oneof(
    elems.map((es) => ['RPUSH', 'l', ...es]), elems.map((es) => ['LPUSH', 'l', ...es]), fc.nat(8).map((n) => ['RPOP', 'l', n + 1]),
    fc.tuple(elem, elem).map(([a, b]) => ['LINSERT', 'l', 'AFTER', a, b]), fc.tuple(fc.integer({ min: -5, max: 5 }), elem).map(([i, e]) => ['LSET', 'l', i, e]),
    elems.map((es) => ['SADD', 's', ...es]), elems.map((es) => ['SREM', 's', ...es]),
    fc.array(fc.tuple(fc.integer({ min: -50, max: 50 }), elem), { minLength: 1, maxLength: 10 }).map((ps) => ['ZADD', 'z', ...ps.flat()]),
    fc.array(fc.tuple(elem, elem), { minLength: 1, maxLength: 10 }).map((ps) => ['HSET', 'h', ...ps.flat()]), elems.map((es) => ['HDEL', 'h', ...es]),
    elem.map((e) => ['APPEND', 'str', e]), elem.map((e) => ['SET', 'str', e]), fc.nat(3000).map((n) => ['SETBIT', 'str', n, 1]),
    fc.constantFrom<Arg[]>(['EXPIRE', 'l', 100], ['EXPIRE', 'str', 100], ['PERSIST', 'str'], ['EXPIRE', 'h', 100]),
  );
  const limits = fc.record({ list: fc.constantFrom(-2, -1, 2, 5), entries: fc.constantFrom(3, 128), value: fc.constantFrom(10, 64) });
  test('exact for listpacks, intsets, quicklists and strings', async () => {
    if (!d.available) return;
    const [o, m] = await Promise.all([d.connect('oracle'), d.connect('mock')]);
    const both = (c: Arg[]) => Promise.all([o.send(c), m.send(c)]);
    try {
      await fc.assert(fc.asyncProperty(limits, fc.array(cmd, { minLength: 1, maxLength: 25 }), async (lim, cmds) => {
        await both(['FLUSHALL']);
        await both(['CONFIG', 'SET', 'list-max-listpack-size', lim.list, 'set-max-listpack-entries', lim.entries, 'set-max-listpack-value', lim.value]);
        await both(['CONFIG', 'SET', 'zset-max-listpack-entries', lim.entries, 'zset-max-listpack-value', lim.value, 'hash-max-listpack-entries', lim.entries]);
        await both(['CONFIG', 'SET', 'hash-max-listpack-value', lim.value]);
        const log: string[] = [];
        for (const c of cmds) {
          const [ro, rm] = await both(c);
          log.push(c.map(String).join(' ').slice(0, 120));
          expect(rm.raw, log.join('\n')).toBe(ro.raw);
        }
        for (const k of ['l', 's', 'z', 'h', 'str']) {
          const [eo] = await both(['OBJECT', 'ENCODING', k]);
          const [uo, um] = await both(['MEMORY', 'USAGE', k, 'SAMPLES', '0']);
          if (/hashtable|skiplist/.test(eo.raw)) {
            const a = Number(uo.raw.slice(1, -2));
            const b = Number(um.raw.slice(1, -2));
            expect(Math.abs(a - b), `${log.join('\n')}\nMEMORY USAGE ${k} (${eo.raw.trim()}): ${uo.raw.trim()} vs ${um.raw.trim()}`).toBeLessThanOrEqual(Math.max(256, a * 0.1));
          } else {
            expect(um.raw, `${log.join('\n')}\nMEMORY USAGE ${k} (${eo.raw.trim()})`).toBe(uo.raw);
          }
        }
      }), { numRuns: Number(process.env['MEMORY_RUNS'] ?? 60), seed: 20261207 });
    } finally {
      await both(['CONFIG', 'SET', 'list-max-listpack-size', '-2', 'set-max-listpack-entries', '128', 'set-max-listpack-value', '64']);
      await both(['CONFIG', 'SET', 'zset-max-listpack-entries', '128', 'zset-max-listpack-value', '64', 'hash-max-listpack-entries', '512']);
      await both(['CONFIG', 'SET', 'hash-max-listpack-value', '64']);
      o.close();
      m.close();
    }
  }, 300_000);
});

describe('MEMORY USAGE of streams', () => {
  const xadds = (k: string, n: number, f: (i: number) => string[]) => Array.from({ length: n }, (_, i): string[] => ['XADD', k, `${i + 1}-0`, ...f(i)]);
  test("Valkey's estimator: struct, rax, listpacks (the last one preallocated), groups, PELs, consumers", () =>
    d.check([
      ['XADD', 's1', '1-1', 'f', 'v'], ['MEMORY', 'USAGE', 's1'],
      ...xadds('s2', 250, (i) => ['field', `value${i}`]), ['MEMORY', 'USAGE', 's2'], ['MEMORY', 'USAGE', 's2', 'SAMPLES', '0'],
      ['XGROUP', 'CREATE', 's2', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '30', 'STREAMS', 's2', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '5', 'STREAMS', 's2', '>'], ['XGROUP', 'CREATE', 's2', 'h', '$'], ['MEMORY', 'USAGE', 's2'],
      ['XADD', 's3', 'MAXLEN', '0', '1-1', 'f', 'v'], ['MEMORY', 'USAGE', 's3'],
      ...xadds('s4', 1000, (i) => ['a', String(i), 'b', 'x'.repeat(i % 50)]), ['MEMORY', 'USAGE', 's4'], ['MEMORY', 'USAGE', 's4', 'SAMPLES', '2'],
    ], { resp: [2] }));
});
