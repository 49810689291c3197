/**
 * HyperLogLog against the real Valkey 9: PFADD, PFCOUNT, PFMERGE, PFDEBUG and
 * PFSELFTEST, with GET after every write so that the stored bytes (sparse
 * opcodes, dense registers, the cached cardinality and its stale bit) are
 * compared byte for byte, in RESP2 and RESP3.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeCommand, type Arg, type RawClient } from '../../conformance/targets/raw-client.js';
import { approx, raw, useDifferential } from './harness.js';

const HDR_SPARSE = 'HYLL\x01\0\0\0' + '\0'.repeat(8);
const HDR_DENSE = 'HYLL\0\0\0\0' + '\0'.repeat(7) + '\x80';

/** A dense HLL string with every register set by `reg(i)`. */
function denseValue(reg: (i: number) => number, hdr = HDR_DENSE): string {
  let s = hdr;
  for (let i = 0; i < 16384; i += 4) {
    const a = reg(i);
    const b = reg(i + 1);
    const c = reg(i + 2);
    const d = reg(i + 3);
    s += String.fromCharCode((a | (b << 6)) & 255, ((b >> 2) | (c << 4)) & 255, ((c >> 4) | (d << 2)) & 255);
  }
  return s;
}

const range = (n: number, p = 'e') => Array.from({ length: n }, (_, i) => `${p}${i}`);

describe('PFADD', () => {
  const d = useDifferential();
  test('new key, existing key, no elements, duplicates, GET after each', () =>
    d.check([
      ['PFADD', 'h'], ['GET', 'h'], ['OBJECT', 'ENCODING', 'h'], ['PFADD', 'h'], ['GET', 'h'],
      ['PFADD', 'h', 'a'], ['GET', 'h'], ['PFADD', 'h', 'a'], ['GET', 'h'],
      ['PFADD', 'h', 'a', 'b', 'c', 'a'], ['GET', 'h'], ['STRLEN', 'h'], ['TYPE', 'h'], ['OBJECT', 'ENCODING', 'h'],
      ['PFADD', 'e', ''], ['GET', 'e'], ['PFADD', 'x', 'a', 'a'], ['GET', 'x'],
      ['PFADD'], ['PFADD', 'h', 'a', 'b', 'c', 'a'],
    ]));
  test('element lengths 0 to 24 and binary elements (every MurmurHash tail length)', () =>
    d.check([
      ['PFADD', 'h', ...Array.from({ length: 25 }, (_, i) => 'x'.repeat(i))], ['GET', 'h'],
      ['PFADD', 'b', '\0', '\xff', '\0\0\0\0\0\0\0\0', '\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7', 'caf\xe9', '\r\n'], ['GET', 'b'],
      ['PFADD', 'n', '1', '-1', '9223372036854775807', '3.14', '0'], ['GET', 'n'], ['PFCOUNT', 'n'],
    ]));
  test('growing past the sparse limit promotes to dense', () =>
    d.check([
      ['PFADD', 'h', ...range(200)], ['GET', 'h'], ['PFCOUNT', 'h'],
      ['PFADD', 'h', ...range(1500, 'f')], ['GET', 'h'], ['PFCOUNT', 'h'], ['STRLEN', 'h'], ['PFDEBUG', 'ENCODING', 'h'],
      ['PFADD', 'h', ...range(3000, 'g')], ['GET', 'h'], ['PFCOUNT', 'h'], ['PFADD', 'h', 'g1'], ['GET', 'h'],
    ]));
  test('hll-sparse-max-bytes (CONFIG SET) decides the promotion', async () => {
    for (const max of ['0', '1', '18', '21', '30', '100', '700', '20000']) {
      await d.check([
        ['CONFIG', 'SET', 'hll-sparse-max-bytes', max],
        ['PFADD', 'h', 'a'], ['GET', 'h'], ['PFADD', 'h', ...range(40)], ['GET', 'h'], ['PFCOUNT', 'h'],
        ['PFADD', 'h', ...range(500, 'z')], ['GET', 'h'], ['PFCOUNT', 'h'], ['PFDEBUG', 'ENCODING', 'h'],
        ['PFMERGE', 'm', 'h'], ['GET', 'm'],
        ['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000'],
      ], { resp: [2] });
    }
  });
  test('the TTL is kept, the value is modified in place', () =>
    d.check([
      ['PFADD', 'h', 'a'], ['EXPIRE', 'h', '100'], ['PFADD', 'h', 'b', 'c'], approx(1, 'TTL', 'h'), ['GET', 'h'],
      ['PFCOUNT', 'h'], approx(1, 'TTL', 'h'), ['PFMERGE', 'h', 'h'], approx(1, 'TTL', 'h'),
    ]));
  test('wrong types and values that are not HLLs', () =>
    d.check([
      ['RPUSH', 'l', 'a'], ['PFADD', 'l', 'a'], ['PFADD', 'l'],
      ['SET', 's', 'hello'], ['PFADD', 's', 'a'], ['SET', 'i', '12345'], ['PFADD', 'i'],
      ['SET', 's', 'HYLL'], ['PFADD', 's', 'a'],
      ['SET', 's', 'HYLL\x02' + '\0'.repeat(11) + '\x7f\xff'], ['PFADD', 's', 'a'],
      ['SET', 's', 'HYLX\x01' + '\0'.repeat(11) + '\x7f\xff'], ['PFADD', 's', 'a'],
      ['SET', 's', 'HYLL\0' + '\0'.repeat(11) + '\x7f\xff'], ['PFADD', 's', 'a'], ['GET', 's'],
      ['SET', 's', denseValue(() => 0) + 'x'], ['PFADD', 's', 'a'], ['PFCOUNT', 's'], ['PFMERGE', 'd', 's'], ['EXISTS', 'd'],
    ]));
});

describe('PFCOUNT', () => {
  const d = useDifferential();
  test('single key: the cached cardinality is written into the value', () =>
    d.check([
      ['PFCOUNT', 'nokey'], ['PFADD', 'h', 'a', 'b', 'c'], ['GET', 'h'], ['PFCOUNT', 'h'], ['GET', 'h'], ['PFCOUNT', 'h'], ['GET', 'h'],
      ['PFADD', 'h', 'a'], ['GET', 'h'], ['PFADD', 'h', 'd'], ['GET', 'h'], ['PFCOUNT', 'h'], ['GET', 'h'],
      ['PFADD', 'big', ...range(5000)], ['PFCOUNT', 'big'], ['GET', 'big'],
    ]));
  test('several keys: the union, no key modified', () =>
    d.check([
      ['PFADD', 'a', ...range(100)], ['PFADD', 'b', ...range(100, 'b')], ['PFADD', 'c', ...range(3000, 'c')],
      ['PFCOUNT', 'a', 'b'], ['GET', 'a'], ['GET', 'b'], ['PFCOUNT', 'a', 'nokey'], ['PFCOUNT', 'nokey', 'nokey2'],
      ['PFCOUNT', 'a', 'a'], ['PFCOUNT', 'a', 'b', 'c'], ['GET', 'c'], ['PFCOUNT', 'c', 'c'], ['GET', 'a'],
      ['PFCOUNT', 'a'], ['PFCOUNT', 'a', 'b'],
    ]));
  test('errors: wrong type, not an HLL (first bad key wins)', () =>
    d.check([
      ['PFADD', 'h', 'a'], ['RPUSH', 'l', 'x'], ['SET', 's', 'text'],
      ['PFCOUNT', 'l'], ['PFCOUNT', 's'], ['PFCOUNT', 'h', 'l'], ['PFCOUNT', 'h', 's'], ['PFCOUNT', 's', 'l'], ['PFCOUNT', 'l', 's'],
      ['PFCOUNT', 'nokey', 's'], ['PFCOUNT'],
    ]));
  test('OBJECT ENCODING: the single-key form unshares (raw), the union does not', () =>
    d.check([
      ['SET', 'h', HDR_SPARSE + '\x7f\xff'], ['OBJECT', 'ENCODING', 'h'], ['PFCOUNT', 'h', 'h'], ['OBJECT', 'ENCODING', 'h'],
      ['PFMERGE', 'd', 'h'], ['OBJECT', 'ENCODING', 'h'], ['OBJECT', 'ENCODING', 'd'],
      ['PFCOUNT', 'h'], ['OBJECT', 'ENCODING', 'h'], ['GET', 'h'],
      ['SET', 'h', HDR_SPARSE + '\x7f\xff'], ['PFADD', 'h'], ['OBJECT', 'ENCODING', 'h'],
      ['SET', 'h', HDR_SPARSE + '\x7f\xff'], ['PFADD', 'h', 'q'], ['OBJECT', 'ENCODING', 'h'], ['GET', 'h'],
    ]));
  test('cached cardinality read back as stored (crafted headers)', () =>
    d.check([
      ['SET', 'h', 'HYLL\x01\0\0\0' + '\x05\0\0\0\0\0\0\0' + '\x7f\xff'], ['PFCOUNT', 'h'],
      ['SET', 'h', 'HYLL\x01\0\0\0' + '\xff\xff\xff\xff\xff\xff\xff\x7f' + '\x7f\xff'], ['PFCOUNT', 'h'],
      ['SET', 'h', 'HYLL\x01\0\0\0' + '\x01\x02\x03\x04\x05\x06\x07\x00' + '\x7f\xff'], ['PFCOUNT', 'h'],
      ['SET', 'h', 'HYLL\x01\0\0\0' + '\x05\0\0\0\0\0\0\x80' + '\x7f\xff'], ['PFCOUNT', 'h'], ['GET', 'h'],
      ['SET', 'h', 'HYLL\x01\x01\x02\x03' + '\0\0\0\0\0\0\0\x80' + '\x7f\xff'], ['PFADD', 'h', ...range(3000)], ['GET', 'h'],
    ]));
  test('dense estimates: extreme registers, 2^63 when every register is at its maximum', () =>
    d.check([
      ['SET', 'd', denseValue(() => 51)], ['PFCOUNT', 'd'], ['GET', 'd'], ['PFCOUNT', 'd', 'd'],
      ['SET', 'd', denseValue(() => 40)], ['PFCOUNT', 'd'], ['PFCOUNT', 'd', 'nokey'],
      ['SET', 'd', denseValue((i) => (i % 7 === 0 ? 63 : i % 3))], ['PFCOUNT', 'd'], ['PFCOUNT', 'd', 'x'],
      ['SET', 'd', denseValue((i) => (i < 100 ? 1 : 0))], ['PFCOUNT', 'd'], ['GET', 'd'],
      ['SET', 'd', denseValue(() => 0)], ['PFCOUNT', 'd'], ['PFADD', 'd', 'a'], ['PFCOUNT', 'd'],
      ['SET', 'd', denseValue((i) => i % 52)], ['PFCOUNT', 'd'], ['PFMERGE', 'm', 'd'], ['GET', 'm'], ['PFCOUNT', 'm'],
    ]));
  test('WATCH: a recomputed cache touches the key, a cached read does not', async () => {
    await d.check([
      ['PFADD', 'h', 'a'], ['WATCH', 'h'], ['PFCOUNT', 'h'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'h'], ['PFCOUNT', 'h'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'h'], ['PFADD', 'h', 'a'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'h'], ['PFADD', 'h', 'zz'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'm'], ['PFMERGE', 'm'], ['MULTI'], ['PING'], ['EXEC'],
    ]);
  });
});

describe('PFMERGE', () => {
  const d = useDifferential();
  test('missing destination, no sources, destination among the sources', () =>
    d.check([
      ['PFMERGE', 'd'], ['GET', 'd'], ['PFCOUNT', 'd'], ['GET', 'd'], ['PFMERGE', 'd'], ['GET', 'd'],
      ['PFMERGE', 'd2', 'nokey', 'nokey2'], ['GET', 'd2'],
      ['PFADD', 'a', 'x', 'y'], ['PFCOUNT', 'a'], ['PFMERGE', 'a'], ['GET', 'a'], ['PFMERGE', 'a', 'a'], ['GET', 'a'],
    ]));
  test('sparse sources into sparse, new and existing destinations', () =>
    d.check([
      ['PFADD', 'a', ...range(50)], ['PFADD', 'b', ...range(60, 'b')], ['PFADD', 'c', ...range(30, 'e')],
      ['PFMERGE', 'd', 'a', 'b'], ['GET', 'd'], ['PFCOUNT', 'd'], ['GET', 'd'],
      ['PFMERGE', 'c', 'a', 'b'], ['GET', 'c'], ['PFCOUNT', 'c'], ['PFMERGE', 'c', 'nokey'], ['GET', 'c'],
    ]));
  test('sparse to dense: a dense source, or the merged registers outgrowing the sparse limit', () =>
    d.check([
      ['PFADD', 'a', ...range(20)], ['PFADD', 'big', ...range(4000, 'g')], ['PFDEBUG', 'ENCODING', 'big'],
      ['PFMERGE', 'a', 'big'], ['GET', 'a'], ['PFDEBUG', 'ENCODING', 'a'], ['PFCOUNT', 'a'],
      ['PFMERGE', 'n', 'big'], ['GET', 'n'],
      ['PFADD', 's1', ...range(1000, 'p')], ['PFADD', 's2', ...range(1000, 'q')], ['PFADD', 's3', ...range(1000, 'r')],
      ['PFDEBUG', 'ENCODING', 's1'], ['PFMERGE', 'u', 's1', 's2', 's3'], ['GET', 'u'], ['PFDEBUG', 'ENCODING', 'u'],
      ['PFMERGE', 's1', 's2'], ['GET', 's1'], ['PFMERGE', 'big', 's1'], ['GET', 'big'],
      ['PFMERGE', 'x', 'a', 'big', 's2'], ['GET', 'x'],
    ]));
  test('errors: wrong type, not an HLL, corrupt sparse; the destination is checked as a source', () =>
    d.check([
      ['PFADD', 'h', 'a'], ['RPUSH', 'l', 'x'], ['SET', 's', 'text'],
      ['PFMERGE', 'd', 'h', 'l'], ['EXISTS', 'd'], ['PFMERGE', 'd', 's'], ['EXISTS', 'd'],
      ['PFMERGE', 'l', 'h'], ['PFMERGE', 's', 'h'], ['PFMERGE', 's'], ['GET', 's'],
      ['SET', 'c', HDR_SPARSE + '\x7f\xfe'], ['PFMERGE', 'd', 'h', 'c'], ['EXISTS', 'd'], ['PFMERGE', 'c'],
      ['PFMERGE'],
    ]));
});

describe('corrupt sparse HLLs', () => {
  const d = useDifferential();
  test('runs that do not cover 16384 registers', () =>
    d.check([
      ['SET', 'c', HDR_SPARSE], ['PFCOUNT', 'c'], ['PFADD', 'c', 'a'], ['PFADD', 'c'], ['PFCOUNT', 'c', 'c'], ['GET', 'c'],
      ['SET', 'c', HDR_SPARSE + '\x7f\xfe'], ['PFCOUNT', 'c'], ['PFADD', 'c', 'a', 'b', 'c', 'd', 'e', 'f', 'g'], ['GET', 'c'],
      ['PFCOUNT', 'c'], ['PFCOUNT', 'c', 'nokey'], ['PFDEBUG', 'GETREG', 'c'], ['PFDEBUG', 'TODENSE', 'c'], ['PFDEBUG', 'DECODE', 'c'],
      ['SET', 'c', HDR_SPARSE + '\x7f\xff\x00'], ['PFCOUNT', 'c'], ['PFADD', 'c', 'a', 'b'], ['GET', 'c'],
      ['SET', 'c', HDR_SPARSE + '\x7f'], ['PFADD', 'c', 'a', 'b', 'c', 'd', 'e', 'f'], ['GET', 'c'], ['PFDEBUG', 'DECODE', 'c'],
      ['SET', 'c', HDR_SPARSE + '\x7f\xff\x7f\xff'], ['PFADD', 'c', ...range(30)], ['GET', 'c'], ['PFCOUNT', 'c'],
    ]));
  test('hand-made opcode sequences: ZERO, XZERO:1, VAL runs', () =>
    d.check([
      // 256 ZERO:64 opcodes = 16384 registers
      ['SET', 'z', HDR_SPARSE + '\x3f'.repeat(256)], ['PFCOUNT', 'z'], ['PFADD', 'z', ...range(40)], ['GET', 'z'], ['PFCOUNT', 'z'],
      // XZERO:1 opcodes and VAL runs
      ['SET', 'v', HDR_SPARSE + '\x40\x00' + '\x83' + '\x7f\xfa'], ['PFCOUNT', 'v'], ['PFDEBUG', 'DECODE', 'v'],
      ['PFADD', 'v', ...range(60)], ['GET', 'v'], ['PFCOUNT', 'v'],
      ['SET', 'w', HDR_SPARSE + '\xfb'.repeat(4096)], ['PFCOUNT', 'w'], ['PFADD', 'w', 'a'], ['GET', 'w'], ['PFMERGE', 'm', 'w'], ['GET', 'm'],
      ['SET', 'w', HDR_SPARSE + '\x80'.repeat(16384)], ['PFCOUNT', 'w'], ['PFADD', 'w', ...range(20)], ['GET', 'w'],
      ['PFMERGE', 'm2', 'w', 'v'], ['GET', 'm2'], ['PFCOUNT', 'm2', 'w', 'v', 'z'],
    ]));
});

describe('PFDEBUG and PFSELFTEST', () => {
  const d = useDifferential();
  test('GETREG, DECODE, ENCODING, TODENSE', () =>
    d.check([
      ['PFADD', 'h', 'a', 'b', 'c'], ['PFDEBUG', 'DECODE', 'h'], ['PFDEBUG', 'ENCODING', 'h'], ['PFDEBUG', 'encoding', 'h'],
      ['PFDEBUG', 'GETREG', 'h'], ['GET', 'h'], ['PFDEBUG', 'ENCODING', 'h'], ['PFDEBUG', 'DECODE', 'h'],
      ['PFDEBUG', 'TODENSE', 'h'], ['PFADD', 'g', 'x'], ['PFDEBUG', 'TODENSE', 'g'], ['GET', 'g'], ['PFCOUNT', 'g'],
      ['PFADD', 'e'], ['PFDEBUG', 'DECODE', 'e'],
      ['PFDEBUG', 'GETREG', 'nokey'], ['PFDEBUG', 'NOSUCH', 'nokey'], ['PFDEBUG', 'NOSUCH', 'h'], ['PFDEBUG', 'GETREG\0x', 'h'],
      ['RPUSH', 'l', 'a'], ['SET', 's', 'x'], ['PFDEBUG', 'ENCODING', 'l'], ['PFDEBUG', 'ENCODING', 's'],
      ['PFDEBUG', 'ENCODING'], ['PFDEBUG', 'ENCODING', 'h', 'x'],
    ]));
  test('SIMD ON/OFF, and a bad argument (Valkey answers twice)', () =>
    d.check([
      ['PFDEBUG', 'SIMD', 'OFF'], ['PFDEBUG', 'simd', 'on'], ['PFDEBUG', 'SIMD', 'off'], ['PFADD', 'h', ...range(3000)],
      ['PFCOUNT', 'h', 'h'], ['PFMERGE', 'm', 'h'], ['GET', 'm'], ['PFDEBUG', 'SIMD', 'ON'],
      raw(encodeCommand(['PFDEBUG', 'SIMD', 'maybe']).toString('latin1') + encodeCommand(['PING']).toString('latin1'), 3),
    ]));
  test('PFSELFTEST', () => d.check([['PFSELFTEST'], ['PFSELFTEST', 'x']], { resp: [2] }), 60_000);
});

describe('transactions and replies', () => {
  const d = useDifferential();
  test('MULTI/EXEC with every command, RESP3 integers', () =>
    d.check([
      ['MULTI'], ['PFADD', 'h', 'a', 'b'], ['PFCOUNT', 'h'], ['PFADD', 'g', 'c'], ['PFMERGE', 'm', 'h', 'g'], ['PFCOUNT', 'm', 'h'],
      ['GET', 'm'], ['PFCOUNT', 'l'], ['EXEC'],
      ['RPUSH', 'l', 'x'], ['MULTI'], ['PFADD', 'l', 'a'], ['PFCOUNT', 'h'], ['EXEC'],
    ]));
  test('write counts (rdb_changes_since_last_save) as hyperloglog.c counts them', async () => {
    if (!d.available) return;
    const dirty = async (c: RawClient): Promise<number> => {
      const r = await c.send(['INFO', 'persistence']);
      return Number(/rdb_changes_since_last_save:(\d+)/.exec(r.raw)![1]);
    };
    const script: Arg[][] = [
      ['PFADD', 'h', 'a', 'b', 'c'], ['PFADD', 'h', 'a'], ['PFADD', 'h'], ['PFADD', 'e'], ['PFCOUNT', 'h'], ['PFCOUNT', 'h'],
      ['PFCOUNT', 'h', 'e'], ['PFMERGE', 'm', 'h'], ['PFMERGE', 'm'], ['PFADD', 'h', 'd'], ['PFCOUNT', 'h'],
      ['PFDEBUG', 'GETREG', 'h'], ['PFDEBUG', 'GETREG', 'h'], ['PFDEBUG', 'TODENSE', 'm'], ['PFDEBUG', 'TODENSE', 'm'],
      ['PFADD', 'big', ...range(3000)], ['PFADD', 'big', 'a', 'b'], ['SET', 's', 'x'], ['PFADD', 's', 'a'],
    ];
    const deltas: Record<string, number[]> = { oracle: [], mock: [] };
    for (const which of ['oracle', 'mock'] as const) {
      const c = await d.connect(which);
      await c.send(['FLUSHALL']);
      for (const cmd of script) {
        const before = await dirty(c);
        await c.send(cmd);
        deltas[which]!.push((await dirty(c)) - before);
      }
      c.close();
    }
    expect(deltas['mock']).toEqual(deltas['oracle']);
  });
  test('expired keys are recreated', () =>
    d.check([
      ['PFADD', 'h', 'a', 'b'], { cmd: ['PEXPIRE', 'h', '5'], compare: { kind: 'exact' }, sleepAfter: 30 },
      ['PFCOUNT', 'h'], ['PFADD', 'h', 'c'], ['GET', 'h'], ['TTL', 'h'],
    ]));
});

/**
 * Random element sets of random sizes (0 to 20,000, across the sparse to dense
 * promotion) added in random batches, under a random hll-sparse-max-bytes;
 * PFCOUNT and GET after each batch, and PFMERGE / union PFCOUNT of random sets.
 */
describe('property', () => {
  const d = useDifferential();

  /** A deterministic element stream: varied lengths, binary bytes included. */
  function elements(seed: number, n: number): string[] {
    let x = seed >>> 0 || 1;
    const next = () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>>= 0);
    };
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = next();
      if (r % 5 === 0) {
        let s = '';
        const len = next() % 20;
        for (let j = 0; j < len; j++) s += String.fromCharCode(next() & 255);
        out.push(s);
      } else {
        out.push(`el:${r % 50000}`); // duplicates happen
      }
    }
    return out;
  }

  async function both(o: RawClient, m: RawClient, cmd: Arg[], log: string[]): Promise<void> {
    const [ro, rm] = await Promise.all([o.send(cmd), m.send(cmd)]);
    const shown = cmd.length > 4 ? `${cmd.slice(0, 3).map(String).join(' ')} …(${cmd.length - 2} args)` : cmd.map(String).join(' ');
    log.push(shown);
    if (ro.raw !== rm.raw) {
      expect.fail(`${log.join('\n')}\n  valkey: ${JSON.stringify(ro.raw.slice(0, 300))}\n  mock:   ${JSON.stringify(rm.raw.slice(0, 300))}`);
    }
  }

  const setSpec = fc.record({
    seed: fc.integer({ min: 1, max: 0x7fffffff }),
    size: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 20000 })),
    batches: fc.integer({ min: 1, max: 8 }),
  });

  test('PFADD in batches, PFCOUNT and GET compared byte for byte; PFMERGE of random sets', async () => {
    if (!d.available) return;
    const runs = Number(process.env['HLL_RUNS'] ?? 25);
    await fc.assert(
      fc.asyncProperty(
        fc.array(setSpec, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('3000', '3000', '0', '50', '300', '1000', '6000', '20000'),
        fc.constantFrom(2 as const, 3 as const),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }))),
        async (sets, maxBytes, resp, merges) => {
          const [o, m] = await Promise.all([d.connect('oracle', resp), d.connect('mock', resp)]);
          const log: string[] = [];
          try {
            await both(o, m, ['FLUSHALL'], log);
            await both(o, m, ['CONFIG', 'SET', 'hll-sparse-max-bytes', maxBytes], log);
            for (let k = 0; k < sets.length; k++) {
              const { seed, size, batches } = sets[k]!;
              const els = elements(seed, size);
              const key = `k${k}`;
              const per = Math.ceil(size / batches) || 1;
              for (let i = 0; i < Math.max(size, 1); i += per) {
                await both(o, m, ['PFADD', key, ...els.slice(i, i + per)], log);
                if ((i / per) % 2 === 0) await both(o, m, ['PFCOUNT', key], log);
                await both(o, m, ['GET', key], log);
              }
              await both(o, m, ['PFCOUNT', key], log);
              await both(o, m, ['GET', key], log);
            }
            for (const [dst, srcs] of merges) {
              const cmd = ['PFMERGE', `k${dst}`, ...srcs.map((s) => `k${s}`)];
              await both(o, m, cmd, log);
              await both(o, m, ['GET', `k${dst}`], log);
              await both(o, m, ['PFCOUNT', ...srcs.map((s) => `k${s}`), 'k0'], log);
              await both(o, m, ['PFCOUNT', `k${dst}`], log);
            }
            await both(o, m, ['PFCOUNT', 'k0', 'k1', 'k2', 'k3'], log);
          } finally {
            await Promise.all([o.send(['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000']), m.send(['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000'])]);
            o.close();
            m.close();
          }
        },
      ),
      { numRuns: runs },
    );
  }, 600_000);
});
