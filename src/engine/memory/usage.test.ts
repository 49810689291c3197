import { describe, expect, test } from 'vitest';
import { engineBench } from '../../../test/support/engine-bench.js';
import { jeSize, sdsHdr } from './alloc.js';

describe('allocation sizes', () => {
  test('jemalloc size classes with an 8-byte quantum', () => {
    const cases: [number, number][] = [[1, 8], [8, 8], [9, 16], [20, 24], [26, 32], [61, 64], [65, 80], [76, 80], [129, 160], [204, 224],
      [306, 320], [408, 448], [1025, 1280], [14337, 16384], [16385, 20480], [70000, 81920]];
    for (const [n, c] of cases) expect(jeSize(n), String(n)).toBe(c);
  });
  test('every size class holds its request and the next class is at most 25% larger', () => {
    for (let n = 65; n < 200000; n += 37) {
      const c = jeSize(n);
      expect(c).toBeGreaterThanOrEqual(n);
      expect(jeSize(c)).toBe(c);
      expect(c - n).toBeLessThan(c / 4 + 1);
    }
  });
  test('sds headers', () => {
    expect([sdsHdr(0), sdsHdr(0, true), sdsHdr(31), sdsHdr(32), sdsHdr(252), sdsHdr(253), sdsHdr(65530), sdsHdr(65531)]).toEqual([1, 3, 1, 3, 3, 5, 5, 9]);
  });
});

describe('MEMORY USAGE through the engine (figures read from Valkey 9.1.2)', () => {
  test('strings', () => {
    const { run } = engineBench();
    const k40 = 'k'.repeat(40);
    const cases: [string, string, number][] = [['a', '1', 24], ['a', 'x', 24], ['a', 'x'.repeat(10), 32], ['a', 'v'.repeat(60), 80],
      ['a', 'v'.repeat(200), 248], [k40, '1', 64], [k40, 'x'.repeat(10), 80], [k40, 'v'.repeat(60), 128], [k40, 'v'.repeat(200), 288]];
    for (const [k, v, n] of cases) {
      run('SET', k, v);
      expect(run('MEMORY', 'USAGE', k), `${k.length}/${v.length}`).toBe(`:${n}\r\n`);
    }
  });
  test('APPEND grows the sds greedily', () => {
    const { run } = engineBench();
    run('APPEND', 'a', 'x'.repeat(50));
    expect(run('MEMORY', 'USAGE', 'a')).toBe(':80\r\n');
    run('APPEND', 'a', 'y'.repeat(100));
    expect(run('MEMORY', 'USAGE', 'a')).toBe(':344\r\n');
    run('APPEND', 'a', 'yyy');
    expect(run('MEMORY', 'USAGE', 'a')).toBe(':344\r\n');
    run('SET', 'b', 'x'.repeat(150));
    run('SETRANGE', 'b', '200', 'z');
    expect(run('MEMORY', 'USAGE', 'b')).toBe(':472\r\n');
  });
  test('a hashtable set of 129 members: buckets, child buckets, elements', () => {
    const { run } = engineBench();
    run('SADD', 'a129', ...Array.from({ length: 129 }, (_, i) => `member${i + 1}`));
    // Valkey: 24 (robj) + 80 (hashtable) + 32 buckets and 2 child buckets of 64 + 129 x 16; the child buckets vary with its hash seed.
    const n = Number(run('MEMORY', 'USAGE', 'a129').slice(1, -2));
    expect(Math.abs(n - 4344)).toBeLessThanOrEqual(128);
  });
  test('options and misses', () => {
    const { run } = engineBench();
    run('SET', 'k', 'v');
    expect(run('MEMORY', 'USAGE', 'nokey')).toBe('$-1\r\n');
    expect(run('MEMORY', 'USAGE', 'k', 'SAMPLES', '-1')).toBe('-ERR syntax error\r\n');
    expect(run('MEMORY', 'USAGE', 'k', 'SAMPLES', 'x')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(run('MEMORY', 'USAGE', 'k', 'SAMPLES', '0')).toBe(':24\r\n');
  });
});
