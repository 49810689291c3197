/**
 * Client-side caching: with CLIENT TRACKING on (redirected to a sink
 * connection), every key the tracked client read and that is then modified is
 * invalidated, once, and no key that was not read, or not modified since its
 * invalidation, is. A model of the tracking table follows GET (the key
 * becomes tracked), writes (a tracked key is invalidated and forgotten) and
 * DEL (a write only when the key exists).
 */
import fc from 'fast-check';
import { eq, num, property, sorted, type PropertyCase } from './property.js';

type Op = { op: 'get' | 'set' | 'append' | 'del'; key: string };

const ops = fc.array(fc.record({ op: fc.constantFrom('get', 'set', 'append', 'del'), key: fc.constantFrom('a', 'b', 'c') }) as fc.Arbitrary<Op>, { minLength: 1, maxLength: 20 });

export const trackingProperties: PropertyCase[] = [
  property('connection', ['client|tracking', 'get', 'set', 'append', 'del'], 'Every key read with tracking on and then modified is invalidated, once; no other key is', ops, async (t, steps) => {
    const sink = await t.invalidationSink();
    eq(await t.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(sink.id)), 'OK');
    const tracked = new Set<string>();
    const exists = new Set<string>();
    try {
      for (const s of steps) {
        const want: string[] = [];
        switch (s.op) {
          case 'get':
            await t.call('GET', s.key);
            tracked.add(s.key);
            break;
          case 'set':
          case 'append': {
            const r = s.op === 'set' ? await t.call('SET', s.key, 'v') : await t.call('APPEND', s.key, 'x');
            if (s.op === 'append') num(r);
            exists.add(s.key);
            if (tracked.delete(s.key)) want.push(s.key);
            break;
          }
          case 'del': {
            const n = num(await t.call('DEL', s.key));
            eq(n, exists.has(s.key) ? 1 : 0, `DEL ${s.key}`);
            if (exists.delete(s.key) && tracked.delete(s.key)) want.push(s.key);
            break;
          }
        }
        const got = (await sink.take()).map((keys) => (keys === null ? '<flush>' : keys.join(','))).sort();
        eq(got, sorted(want), `invalidations after ${s.op.toUpperCase()} ${s.key} (tracked: ${sorted([...tracked]).join(',') || 'none'})`);
      }
    } finally {
      await t.call('CLIENT', 'TRACKING', 'OFF');
    }
  }, { runs: 30 }),
];
