import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  EMPTY_HLL, HLL_DENSE, HLL_DENSE_SIZE, HLL_REGISTERS, HLL_SEED, HLL_SPARSE, Hll, cachedCardinality, decodeSparse,
  denseCompress, denseGet, denseSet, denseSetRegister, estimate, hllAdd, hllPatLen, isValidHll, mergeInto, murmurHash64A,
  rawHistogram, registerHistogram, sparseSet, sparseToDense, withCachedCardinality,
} from './hyperloglog.js';

/** MurmurHash64A written plainly with BigInt, as a reference for the 32-bit-halves version. */
function murmurRef(data: string, seed: number): bigint {
  const M = 0xc6a4a7935bd1e995n;
  const mask = (1n << 64n) - 1n;
  const len = data.length;
  let h = (BigInt(seed) ^ ((BigInt(len) * M) & mask)) & mask;
  const blocks = len - (len & 7);
  for (let i = 0; i < blocks; i += 8) {
    let k = 0n;
    for (let j = 7; j >= 0; j--) k = (k << 8n) | BigInt(data.charCodeAt(i + j));
    k = (k * M) & mask;
    k ^= k >> 47n;
    k = (k * M) & mask;
    h ^= k;
    h = (h * M) & mask;
  }
  const tail = len & 7;
  if (tail) {
    for (let j = tail - 1; j >= 0; j--) h ^= BigInt(data.charCodeAt(blocks + j)) << BigInt(8 * j);
    h = (h * M) & mask;
  }
  h ^= h >> 47n;
  h = (h * M) & mask;
  h ^= h >> 47n;
  return h;
}

const hashOf = (s: string): bigint => {
  const [hi, lo] = murmurHash64A(s, HLL_SEED);
  return (BigInt(hi) << 32n) | BigInt(lo);
};

const patLen = (s: string) => {
  const pl = hllPatLen(s);
  return { index: pl % HLL_REGISTERS, count: Math.floor(pl / HLL_REGISTERS) };
};

describe('MurmurHash64A', () => {
  test('matches a BigInt reference for every tail length and binary bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }), fc.integer({ min: 0, max: 0xffffffff }), (bytes, seed) => {
        const s = String.fromCharCode(...bytes);
        const [hi, lo] = murmurHash64A(s, seed);
        expect((BigInt(hi) << 32n) | BigInt(lo)).toBe(murmurRef(s, seed));
      }),
      { numRuns: 500 },
    );
  });

  test('the empty string hashes its seed alone', () => {
    expect(hashOf('')).toBe(murmurRef('', HLL_SEED));
    expect(murmurHash64A('', 0)).toEqual([0, 0]);
  });

  // Register index and run length as the real server reports them (PFADD t <e>; PFDEBUG DECODE t).
  test.each([
    ['a', 12711, 2],
    ['', 5938, 2],
    ['hello', 9216, 1],
    ['foobar12', 15489, 2],
    ['0123456789abcdefXYZ', 8222, 1],
    ['valkey-double', 3688, 1],
    ['12345', 14704, 1],
    ['x309480', 12710, 22],
    ['x583643', 2697, 20],
    ['x606701', 12549, 20],
  ])('hllPatLen(%j) = register %i, count %i (as Valkey 9.1.2)', (ele, index, count) => {
    expect(patLen(ele)).toEqual({ index, count });
  });

  test('hllPatLen derives index and count from the 64-bit hash', () => {
    for (let i = 0; i < 2000; i++) {
      const s = `k${i}`;
      const h = hashOf(s);
      const index = Number(h & 0x3fffn);
      let rest = (h >> 14n) | (1n << 50n);
      let count = 1;
      while ((rest & 1n) === 0n) {
        rest >>= 1n;
        count++;
      }
      expect(patLen(s)).toEqual({ index, count });
    }
  });
});

/** Register values of an HLL (sparse decoded or dense read). */
function registersOf(h: Hll): number[] {
  const d = Hll.from(h.toBytes());
  expect(sparseToDense(d)).toBe(true);
  return Array.from({ length: HLL_REGISTERS }, (_, i) => denseGet(d.buf, i));
}

describe('encodings', () => {
  test('an empty HLL is one XZERO:16384 opcode with a valid cached cardinality of 0', () => {
    expect(EMPTY_HLL).toBe('HYLL\x01\0\0\0\0\0\0\0\0\0\0\0\x7f\xff');
    expect(decodeSparse(EMPTY_HLL)).toBe('Z:16384');
    expect(cachedCardinality(EMPTY_HLL)).toBe(0);
    expect(isValidHll(EMPTY_HLL)).toBe(true);
  });

  test('sparse set splits XZERO into XZERO VAL XZERO, then merges equal neighbours', () => {
    const h = Hll.empty();
    expect(sparseSet(h, 1000, 2, 3000)).toBe(1);
    expect(decodeSparse(h.toBytes())).toBe('Z:1000 v:2,1 Z:15383');
    expect(sparseSet(h, 1000, 2, 3000)).toBe(0);
    expect(sparseSet(h, 1001, 2, 3000)).toBe(1);
    expect(decodeSparse(h.toBytes())).toBe('Z:1000 v:2,2 Z:15382');
    expect(sparseSet(h, 1003, 2, 3000)).toBe(1);
    expect(decodeSparse(h.toBytes())).toBe('Z:1000 v:2,2 z:1 v:2,1 Z:15380');
    expect(sparseSet(h, 1002, 2, 3000)).toBe(1);
    expect(decodeSparse(h.toBytes())).toBe('Z:1000 v:2,4 Z:15380');
    expect(sparseSet(h, 1001, 5, 3000)).toBe(1);
    expect(decodeSparse(h.toBytes())).toBe('Z:1000 v:2,1 v:5,1 v:2,2 Z:15380');
    expect(h.toBytes().charCodeAt(15) & 0x80).toBe(0x80); // cache invalidated
  });

  test('a value above 32 or a sparse string past the limit promotes to dense', () => {
    const h = Hll.empty();
    sparseSet(h, 7, 3, 3000);
    expect(sparseSet(h, 9, 40, 3000)).toBe(1);
    expect(h.encoding).toBe(HLL_DENSE);
    expect(h.len).toBe(HLL_DENSE_SIZE);
    expect(denseGet(h.buf, 7)).toBe(3);
    expect(denseGet(h.buf, 9)).toBe(40);
    const g = Hll.empty();
    expect(sparseSet(g, 5, 1, 20)).toBe(1); // ZERO VAL XZERO: 18 + 2 bytes fit in 20
    expect(g.encoding).toBe(HLL_SPARSE);
    expect(sparseSet(g, 300, 1, 20)).toBe(1); // splitting the XZERO again would take 23
    expect(g.encoding).toBe(HLL_DENSE);
    expect(denseGet(g.buf, 5)).toBe(1);
    expect(denseGet(g.buf, 300)).toBe(1);
  });

  test('random register sets: sparse and dense agree on registers, histograms and merges', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: HLL_REGISTERS - 1 }), fc.integer({ min: 1, max: 32 })), { maxLength: 400 }),
        fc.constantFrom(3000, 200, 0),
        (sets, maxBytes) => {
          const sparse = Hll.empty();
          const dense = Hll.from('HYLL\0' + '\0'.repeat(HLL_DENSE_SIZE - 5));
          const model = new Array<number>(HLL_REGISTERS).fill(0);
          for (const [i, v] of sets) {
            const changed = v > model[i]! ? 1 : 0;
            if (changed) model[i] = v;
            const wasSparse = sparse.encoding === HLL_SPARSE;
            const r = wasSparse ? sparseSet(sparse, i, v, maxBytes) : denseSet(sparse.buf, i, v);
            expect(r).toBe(changed);
            const d0 = denseGet(dense.buf, i);
            if (v > d0) denseSetRegister(dense.buf, i, v);
          }
          expect(registersOf(sparse)).toEqual(model);
          expect(registersOf(dense)).toEqual(model);
          const hs = new Int32Array(64);
          const hd = new Int32Array(64);
          expect(registerHistogram(sparse.toBytes(), hs)).toBe(true);
          expect(registerHistogram(dense.toBytes(), hd)).toBe(true);
          expect([...hs]).toEqual([...hd]);
          const ms = new Uint8Array(HLL_REGISTERS);
          const md = new Uint8Array(HLL_REGISTERS);
          expect(mergeInto(ms, sparse.toBytes())).toBe(true);
          expect(mergeInto(md, dense.toBytes())).toBe(true);
          expect([...ms]).toEqual(model);
          expect([...md]).toEqual(model);
          const hr = new Int32Array(64);
          rawHistogram(ms, hr);
          expect(estimate(hr)).toBe(estimate(hd));
        },
      ),
      { numRuns: 60 },
    );
  });

  test('dense pack/unpack round trip (denseCompress / denseGet)', () => {
    const raw = new Uint8Array(HLL_REGISTERS);
    for (let i = 0; i < HLL_REGISTERS; i++) raw[i] = (i * 37 + (i >> 5)) & 63;
    const h = Hll.from('HYLL\0' + '\0'.repeat(HLL_DENSE_SIZE - 5));
    denseCompress(h.buf, raw);
    for (let i = 0; i < HLL_REGISTERS; i++) expect(denseGet(h.buf, i)).toBe(raw[i]);
    const back = new Uint8Array(HLL_REGISTERS);
    mergeInto(back, h.toBytes());
    expect([...back]).toEqual([...raw]);
  });

  test('corrupt sparse values are detected', () => {
    const hdr = EMPTY_HLL.slice(0, 16);
    const histo = new Int32Array(64);
    expect(registerHistogram(hdr + '\x7f\xfe', histo)).toBe(false);
    expect(registerHistogram(hdr + '\x7f\xff\x00', histo)).toBe(false);
    expect(mergeInto(new Uint8Array(HLL_REGISTERS), hdr)).toBe(false);
    const h = Hll.from(hdr + '\x7f\xfe');
    expect(sparseToDense(h)).toBe(false);
    expect(h.encoding).toBe(HLL_SPARSE);
    expect(sparseSet(Hll.from(hdr), 3, 1, 3000)).toBe(-1);
    expect(sparseSet(Hll.from(hdr + '\x7f\xfe'), 16383, 1, 3000)).toBe(-1);
  });

  test('validity: magic, encoding, dense size', () => {
    expect(isValidHll('HYLL')).toBe(false);
    expect(isValidHll('HYLL\x02' + '\0'.repeat(13))).toBe(false);
    expect(isValidHll('HYLX\x01' + '\0'.repeat(13))).toBe(false);
    expect(isValidHll('HYLL\x01' + '\0'.repeat(11))).toBe(true); // sparse: any length from the header on
    expect(isValidHll('HYLL\0' + '\0'.repeat(11))).toBe(false);
    expect(isValidHll('HYLL\0' + '\0'.repeat(HLL_DENSE_SIZE - 5))).toBe(true);
  });
});

describe('estimator and cache', () => {
  test('empty is 0; every register at 51 is 2^63 (llroundl of infinity)', () => {
    const h = new Int32Array(64);
    h[0] = HLL_REGISTERS;
    expect(estimate(h)).toBe(0n);
    const full = new Int32Array(64);
    full[51] = HLL_REGISTERS;
    expect(estimate(full)).toBe(1n << 63n);
  });

  test('estimates of added elements are close to the truth', () => {
    const h = Hll.empty();
    for (let i = 0; i < 10000; i++) hllAdd(h, `e${i}`, 3000);
    const histo = new Int32Array(64);
    registerHistogram(h.toBytes(), histo);
    const e = Number(estimate(histo));
    expect(Math.abs(e - 10000)).toBeLessThan(10000 * 0.03);
  });

  test('the cached cardinality is little-endian with a stale bit', () => {
    const v = withCachedCardinality(EMPTY_HLL, 0x0102030405n);
    expect(v.slice(8, 16)).toBe('\x05\x04\x03\x02\x01\0\0\0');
    expect(cachedCardinality(v)).toBe(0x0102030405);
    const big = withCachedCardinality(EMPTY_HLL, (1n << 62n) + 3n);
    expect(cachedCardinality(big)).toBe((1n << 62n) + 3n);
    const h = Hll.from(v);
    h.invalidateCache();
    expect(cachedCardinality(h.toBytes())).toBeUndefined();
  });
});
