/**
 * maxmemory against a real Valkey 9.1.2. A limit of 1 byte is below what
 * any server uses, so its outcomes do not depend on how memory is counted:
 * noeviction refuses denyoom commands (and EXECs queueing one), the other
 * policies evict every key they may, then refuse.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { useDifferential } from './harness.js';

const d = useDifferential();
const restore = ['CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'noeviction'];

afterEach(async () => {
  if (!d.available) return;
  for (const which of ['oracle', 'mock'] as const) {
    const c = await d.connect(which);
    await c.send(restore);
    c.close();
  }
});

const statLine = (info: string, name: string) => new RegExp(`\\r\\n${name}:(\\d+)\\r\\n`).exec(info)?.[1];

describe('maxmemory', () => {
  test('noeviction: denyoom commands are refused with OOM, others run; MULTI is doomed by a refused command', () =>
    d.check([
      ['SET', 'k', 'v'], ['CONFIG', 'SET', 'maxmemory', '1'], ['SET', 'x', '1'], ['GET', 'k'], ['APPEND', 'k', 'w'], ['LPUSH', 'l', 'a'],
      ['INCR', 'n'], ['EXPIRE', 'k', '100'], ['DBSIZE'], ['MULTI'], ['GET', 'k'], ['SET', 'y', '1'], ['PING'], ['EXEC'],
      ['MULTI'], ['SET', 'z', '1'], ['DISCARD'], ['DEL', 'k'], ['DBSIZE'], restore, ['SET', 'x', '1'],
    ]));

  test('an EXEC is refused when it queued a denyoom command and memory ran out meanwhile, not when it only reads', async () => {
    if (!d.available) return;
    const outcome = async (which: 'oracle' | 'mock', queued: string[][]) => {
      const [a, b] = [await d.connect(which), await d.connect(which)];
      try {
        await a.send(['SET', 'x', 'value']);
        await a.send(['MULTI']);
        for (const q of queued) await a.send(q);
        await b.send(['CONFIG', 'SET', 'maxmemory', '1']);
        const r = (await a.send(['EXEC'])).raw;
        await b.send(restore);
        return r;
      } finally {
        a.close();
        b.close();
      }
    };
    for (const queued of [[['GET', 'x'], ['PING']], [['SET', 'x', '1'], ['GET', 'x']]]) {
      expect(await outcome('mock', queued)).toBe(await outcome('oracle', queued));
    }
  });

  test('allkeys-random and volatile-ttl evict what they may, count it, then refuse', async () => {
    await d.check([
      ['MSET', 'a', '1', 'b', '2', 'c', '3'], ['SET', 'v', '1', 'EX', '100'], ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-ttl'],
      ['CONFIG', 'SET', 'maxmemory', '1'], ['DBSIZE'], ['EXISTS', 'v'], ['SET', 'd', '4'], ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random'],
      ['DBSIZE'], ['SET', 'd', '4'], restore, ['DBSIZE'],
    ]);
    for (const which of ['oracle', 'mock'] as const) {
      const c = await d.connect(which);
      await c.send(['CONFIG', 'RESETSTAT']);
      await c.send(['MSET', 'a', '1', 'b', '2']);
      await c.send(['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru', 'maxmemory', '1']);
      await c.send(['PING']);
      await c.send(restore);
      const info = (await c.send(['INFO', 'stats'])).value;
      expect(statLine('value' in info ? String(info.value) : '', 'evicted_keys'), which).toBe('2');
      c.close();
    }
  });

  test('evicted keys fire the evicted event', async () => {
    if (!d.available) return;
    const [o, m] = await d.keyspaceEvents([
      ['SET', 'a', '1'], ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu', 'maxmemory', '1'], ['PING'], restore,
    ]);
    expect(m).toEqual(o);
    expect(o.some((e) => e.includes('evicted'))).toBe(true);
  });
});
