/**
 * Client-side caching against the oracle: a tracking client and a writer
 * (and a redirect target) on each server, every reply and push compared
 * byte for byte. Client ids differ between servers, so redirects name the
 * target through CLIENT ID replies compared as their type only.
 */
import { describe, expect, test } from 'vitest';
import type { RawClient } from '../../conformance/targets/raw-client.js';
import { useDifferential } from './harness.js';
import { clients } from './multi-client.js';

const d = useDifferential();

describe('CLIENT TRACKING', () => {
  test('RESP3 invalidation pushes: read, written by another, written by itself, NOLOOP, flush', () => clients(d, [
    ['b', 'CLIENT', 'TRACKING', 'on'], ['a', 'SET', 'k', '1'], ['b', 'GET', 'k'], ['b', 'MGET', 'k', 'j'],
    ['a', 'SET', 'k', '2'], { read: 'b' }, ['a', 'SET', 'k', '3'], ['b', 'PING'],
    ['b', 'GET', 'k'], ['b', 'SET', 'k', '4'], { read: 'b' },
    ['b', 'CLIENT', 'TRACKING', 'on', 'NOLOOP'], ['b', 'GET', 'k'], ['b', 'SET', 'k', '5'], ['b', 'PING'],
    ['b', 'GET', 'k'], ['a', 'FLUSHALL'], { read: 'b' },
    ['b', 'CLIENT', 'TRACKINGINFO'], ['b', 'CLIENT', 'GETREDIR'],
    ['b', 'MULTI'], ['b', 'GET', 'k'], ['b', 'SET', 'k', '1'], ['b', 'EXEC'], ['b', 'PING'],
    ['b', 'CLIENT', 'TRACKING', 'off'], ['b', 'CLIENT', 'TRACKINGINFO'], ['b', 'CLIENT', 'GETREDIR'],
  ], 3));

  test('OPTIN / OPTOUT with CLIENT CACHING', () => clients(d, [
    ['b', 'CLIENT', 'CACHING', 'yes'],
    ['b', 'CLIENT', 'TRACKING', 'on', 'OPTIN'], ['b', 'GET', 'x'], ['a', 'SET', 'x', '1'], ['b', 'PING'],
    ['b', 'CLIENT', 'CACHING', 'yes'], ['b', 'GET', 'x'], ['a', 'SET', 'x', '2'], { read: 'b' },
    ['b', 'CLIENT', 'CACHING', 'no'], ['b', 'CLIENT', 'CACHING', 'maybe'], ['b', 'CLIENT', 'TRACKINGINFO'],
    ['b', 'CLIENT', 'CACHING', 'yes'], ['b', 'CLIENT', 'TRACKINGINFO'],
    ['b', 'CLIENT', 'TRACKING', 'on', 'OPTOUT'], ['b', 'CLIENT', 'TRACKING', 'off'],
    ['b', 'CLIENT', 'TRACKING', 'on', 'OPTOUT'], ['b', 'GET', 'y'], ['b', 'CLIENT', 'CACHING', 'no'], ['b', 'GET', 'z'],
    ['a', 'SET', 'y', '1'], { read: 'b' }, ['a', 'SET', 'z', '1'], ['b', 'PING'], ['b', 'CLIENT', 'TRACKINGINFO'],
  ], 3));

  test('BCAST with prefixes, NOLOOP, errors', () => clients(d, [
    ['b', 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'a:', 'PREFIX', 'b:'],
    ['a', 'SET', 'a:1', 'x'], { read: 'b' }, ['a', 'MSET', 'b:2', 'x', 'b:1', 'y', 'c:1', 'z'], { read: 'b' },
    ['b', 'CLIENT', 'TRACKINGINFO'],
    ['b', 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'a:x'],
    ['b', 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'q', 'PREFIX', 'qq'],
    ['b', 'CLIENT', 'TRACKING', 'on'],
    ['b', 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'c:', 'NOLOOP'], ['b', 'SET', 'c:2', '1'], ['a', 'SET', 'c:3', '1'], { read: 'b' },
    ['b', 'CLIENT', 'TRACKINGINFO'],
    ['c', 'CLIENT', 'TRACKING', 'on', 'PREFIX', 'x'], ['c', 'CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTIN'],
    ['c', 'CLIENT', 'TRACKING', 'on', 'OPTIN', 'OPTOUT'], ['c', 'CLIENT', 'TRACKING', 'maybe'], ['c', 'CLIENT', 'TRACKING', 'on', 'NOPE'],
    ['c', 'CLIENT', 'TRACKING', 'on', 'REDIRECT', '999999'], ['c', 'CLIENT', 'TRACKING', 'on', 'REDIRECT', 'x'],
    ['c', 'CLIENT', 'TRACKING', 'on', 'REDIRECT'],
  ], 3));

  test('RESP2 redirect to a subscribed connection, broken redirect, INFO counts', async () => {
    if (!d.available) return;
    const run = async (which: 'oracle' | 'mock') => {
      const out: string[] = [];
      const cs: RawClient[] = [];
      const conn = async (resp: 2 | 3 = 2) => {
        const c = await d.connect(which, resp);
        cs.push(c);
        return c;
      };
      try {
        const [red, r, w, r3] = [await conn(), await conn(), await conn(), await conn(3)];
        await w.send(['FLUSHALL']);
        const idr = (await red.send(['CLIENT', 'ID'])).value;
        const id = 'value' in idr ? String(idr.value) : '';
        out.push((await red.send(['SUBSCRIBE', '__redis__:invalidate'])).raw);
        out.push((await r.send(['CLIENT', 'TRACKING', 'on', 'REDIRECT', id])).raw);
        out.push((await r3.send(['CLIENT', 'TRACKING', 'on', 'REDIRECT', id])).raw);
        await w.send(['SET', 'k', 'v']);
        out.push((await r.send(['GET', 'k'])).raw, (await r3.send(['GET', 'k'])).raw);
        const ir = (await w.send(['INFO'])).value;
        const info = 'value' in ir ? String(ir.value) : '';
        out.push(...(info.match(/tracking_\w+:\d+/g) ?? []));
        out.push((await w.send(['SET', 'k', 'w'])).raw, (await red.read()).raw);
        out.push((await r.send(['GET', 'k'])).raw, (await r3.send(['GET', 'k'])).raw);
        out.push((await w.send(['FLUSHDB'])).raw, (await red.read()).raw, (await red.read()).raw);
        out.push((await r3.send(['GET', 'k'])).raw);
        red.close();
        await new Promise((res) => setTimeout(res, 50));
        out.push((await w.send(['SET', 'k', 'x'])).raw, (await r3.read()).raw.replace(/:\d+\r\n$/, ':ID\r\n'));
        out.push((await r3.send(['CLIENT', 'TRACKINGINFO'])).raw.replace(/:\d+\r\n\$8\r\nprefixes/, ':ID\r\n$8\r\nprefixes'));
        out.push((await w.send(['CLIENT', 'LIST'])).raw.split('\n').map((l) => /flags=\S+/.exec(l)?.[0] ?? '').join(' '));
      } finally {
        for (const c of cs) c.close();
      }
      return out;
    };
    expect(await run('mock')).toEqual(await run('oracle'));
  });

  test('tracking-table-max-keys invalidates keys over the limit', async () => {
    if (!d.available) return;
    const run = async (which: 'oracle' | 'mock') => {
      const [r, w] = [await d.connect(which, 3), await d.connect(which)];
      try {
        await w.send(['FLUSHALL']);
        await r.send(['CLIENT', 'TRACKING', 'on']);
        for (let i = 0; i < 5; i++) await r.send(['GET', `k${i}`]);
        await w.send(['CONFIG', 'SET', 'tracking-table-max-keys', '2']);
        await w.send(['PING']);
        await new Promise((res) => setTimeout(res, 250));
        const ir = (await w.send(['INFO'])).value;
        const info = 'value' in ir ? String(ir.value) : '';
        return [r.pushes.length, /tracking_total_keys:\d+/.exec(info)?.[0]];
      } finally {
        await w.send(['CONFIG', 'SET', 'tracking-table-max-keys', '1000000']);
        r.close();
        w.close();
      }
    };
    expect(await run('mock')).toEqual(await run('oracle'));
  });
});
