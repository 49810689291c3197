/**
 * Eviction by policy on a virtual clock, where the limit is set just above
 * what the server holds so the victims can be told apart: LRU evicts the
 * least recently used keys, LFU the least frequently used, volatile-ttl the
 * soonest to expire, volatile policies never touch persistent keys.
 */
import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../time/index.js';
import { R, encode } from '../protocol/index.js';
import { Engine } from './engine.js';

function setup(policy: string) {
  const clock = new VirtualClock({ start: 1_700_000_000_000 });
  const engine = new Engine({ clock, seed: 7, config: { 'maxmemory-policy': policy, 'maxmemory-samples': '10' } });
  const client = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:2', fd: 8 }, { deliver: () => {}, close: () => {} });
  const run = (...argv: string[]) => encode(engine.execute(client, argv) as ReturnType<typeof R.int>, 2);
  return { engine, clock, run };
}

/** Sets maxmemory so that only `keep` bytes of data fit beside the fixed part. */
function limitTo(engine: Engine, run: (...a: string[]) => string, keep: number): void {
  const fixed = engine.evictor.usedMemory() - engine.evictor.datasetMemory();
  run('CONFIG', 'SET', 'maxmemory', String(fixed + keep));
}

describe('eviction', () => {
  test('allkeys-lru evicts the keys idle longest', () => {
    const { engine, clock, run } = setup('allkeys-lru');
    for (let i = 0; i < 10; i++) {
      run('SET', `k${i}`, 'x'.repeat(100));
      clock.advance(1000);
    }
    for (let i = 5; i < 10; i++) run('GET', `k${i}`);
    const one = engine.evictor.datasetMemory() / 10;
    limitTo(engine, run, one * 6 + 1);
    run('PING');
    const left = Array.from({ length: 10 }, (_, i) => run('EXISTS', `k${i}`) === ':1\r\n');
    expect(left.filter(Boolean).length).toBe(6);
    // The five recently read keys all survive.
    expect(left.slice(5).every(Boolean)).toBe(true);
    expect(run('INFO', 'stats')).toMatch(/evicted_keys:4\r\n/);
  });

  test('volatile-ttl evicts the soonest to expire and never a persistent key', () => {
    const { engine, run } = setup('volatile-ttl');
    run('SET', 'persistent', 'x'.repeat(100));
    for (let i = 0; i < 6; i++) run('SET', `v${i}`, 'x'.repeat(100), 'EX', String(100 + i * 100));
    const one = engine.evictor.datasetMemory() / 7;
    limitTo(engine, run, one * 4 + 1);
    run('PING');
    expect(run('EXISTS', 'persistent')).toBe(':1\r\n');
    expect(['v0', 'v1', 'v2'].map((k) => run('EXISTS', k))).toEqual([':0\r\n', ':0\r\n', ':0\r\n']);
    expect(['v3', 'v4', 'v5'].map((k) => run('EXISTS', k))).toEqual([':1\r\n', ':1\r\n', ':1\r\n']);
    // Nothing volatile left to evict under a limit no key fits: writes are refused.
    run('CONFIG', 'SET', 'maxmemory', '1');
    expect(run('SET', 'y', '1')).toBe("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
    expect(run('EXISTS', 'persistent')).toBe(':1\r\n');
  });

  test('allkeys-lfu keeps the keys read most', () => {
    const { engine, run } = setup('allkeys-lfu');
    for (let i = 0; i < 8; i++) run('SET', `k${i}`, 'x'.repeat(100));
    for (let n = 0; n < 200; n++) for (const i of [0, 1]) run('GET', `k${i}`);
    const one = engine.evictor.datasetMemory() / 8;
    limitTo(engine, run, one * 2 + 1);
    run('PING');
    expect([run('EXISTS', 'k0'), run('EXISTS', 'k1'), run('DBSIZE')]).toEqual([':1\r\n', ':1\r\n', ':2\r\n']);
  });

  test('the estimate follows the data: it grows with a value and shrinks when it goes', () => {
    const { engine, run } = setup('noeviction');
    const before = engine.evictor.usedMemory();
    run('SET', 'k', 'x'.repeat(10_000));
    const grown = engine.evictor.usedMemory();
    expect(grown - before).toBeGreaterThan(10_000);
    run('APPEND', 'k', 'y'.repeat(10_000));
    expect(engine.evictor.usedMemory() - grown).toBeGreaterThan(10_000);
    run('DEL', 'k');
    expect(engine.evictor.usedMemory()).toBe(before);
  });
});

describe('the estimate covers every type', () => {
  test('INFO memory and eviction work with streams in the keyspace', () => {
    const { engine, run } = setup('allkeys-random');
    run('XADD', 's', '*', 'f', 'v');
    run('HSET', 'h', 'f', 'v');
    expect(run('INFO', 'memory')).toMatch(/used_memory:\d+\r\n/);
    expect(engine.evictor.datasetMemory()).toBeGreaterThan(0);
    run('CONFIG', 'SET', 'maxmemory', '1');
    run('PING');
    expect(run('DBSIZE')).toBe(':0\r\n');
  });
});
