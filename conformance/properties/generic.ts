/** Properties of the keyspace: invariants any Valkey 9 keeps (the clock ones need a virtual clock). */
import fc from 'fast-check';
import { arr, bytes, eq, num, property, sorted, str, strs, type PropertyCase } from './property.js';

const keySet = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom('a', 'b', 'c', 'x', ':', '1') }), { minLength: 1, maxLength: 40 });

export const genericProperties: PropertyCase[] = [
  property('generic', ['scan'], 'SCAN returns every key present throughout, and only keys that exist', fc.tuple(keySet, fc.integer({ min: 1, max: 15 }), fc.uniqueArray(fc.nat(39), { maxLength: 5 })), async (t, [keys, count, added]) => {
    for (const k of keys) await t.call('SET', k, 'v');
    const seen = new Set<string>();
    const extra = added.map((i) => `new:${i}`);
    let cursor = '0';
    let rounds = 0;
    do {
      const r = arr(await t.call('SCAN', cursor, 'COUNT', String(count)));
      cursor = str(r[0]!)!;
      for (const k of strs(r[1]!)) seen.add(k);
      // Keys added during the iteration may or may not be returned; those present throughout must be.
      if (rounds === 0) for (const k of extra) await t.call('SET', k, 'v');
      if (++rounds > 1000) throw new Error('SCAN did not finish');
    } while (cursor !== '0');
    for (const k of keys) eq(seen.has(k), true, `key ${k} returned`);
    for (const k of seen) eq(keys.includes(k) || extra.includes(k), true, `key ${k} exists`);
  }),

  property('generic', ['keys', 'dbsize'], 'KEYS * and DBSIZE see exactly the keys set', keySet, async (t, keys) => {
    for (const k of keys) await t.call('SET', k, 'v');
    eq(sorted(strs(await t.call('KEYS', '*'))), sorted(keys));
    eq(num(await t.call('DBSIZE')), keys.length, 'DBSIZE');
  }),

  property('generic', ['del', 'exists'], 'DEL counts the distinct existing keys, EXISTS counts repeats', fc.tuple(keySet, fc.array(fc.nat(50), { minLength: 1, maxLength: 10 })), async (t, [keys, picks]) => {
    for (const k of keys) await t.call('SET', k, 'v');
    const asked = picks.map((i) => (i < keys.length ? keys[i]! : `absent${i}`));
    eq(num(await t.call('EXISTS', ...asked)), asked.filter((k) => keys.includes(k)).length, 'EXISTS');
    eq(num(await t.call('DEL', ...asked)), new Set(asked.filter((k) => keys.includes(k))).size, 'DEL');
    eq(num(await t.call('EXISTS', ...asked)), 0, 'EXISTS after DEL');
  }),

  property('generic', ['rename', 'type'], 'RENAME moves the value and its type', fc.tuple(fc.constantFrom('string', 'list', 'hash', 'set', 'zset'), bytes(5)), async (t, [type, v]) => {
    const make: Record<string, string[]> = { string: ['SET', 'a', v], list: ['RPUSH', 'a', v], hash: ['HSET', 'a', 'f', v], set: ['SADD', 'a', v], zset: ['ZADD', 'a', '1', v] };
    await t.call(...make[type]!);
    eq(await t.call('RENAME', 'a', 'b'), 'OK');
    eq(await t.call('TYPE', 'b'), type, 'TYPE');
    eq(num(await t.call('EXISTS', 'a')), 0, 'EXISTS a');
  }),

  // A key expires once the time is past its expiry: at the expiry millisecond itself it is still there.
  property('generic', ['pexpire', 'pttl', 'ttl'], 'A key lives exactly its TTL', fc.integer({ min: 1, max: 100_000 }), async (t, ms) => {
    await t.call('SET', 'k', 'v');
    eq(num(await t.call('PEXPIRE', 'k', String(ms))), 1, 'PEXPIRE');
    eq(num(await t.call('PTTL', 'k')), ms, 'PTTL');
    await t.elapse(ms);
    eq(num(await t.call('EXISTS', 'k')), 1, 'EXISTS at the expiry millisecond');
    eq(num(await t.call('PTTL', 'k')), 0, 'PTTL at the expiry millisecond');
    await t.elapse(1);
    eq(num(await t.call('EXISTS', 'k')), 0, 'EXISTS 1 ms later');
    eq(num(await t.call('TTL', 'k')), -2, 'TTL 1 ms later');
  }, { tags: ['needs:virtual-clock'] }),

  property('generic', ['expire', 'ttl'], 'EXPIRE then the clock passes: the key is gone, and TTL rounds', fc.integer({ min: 1, max: 10_000 }), async (t, s) => {
    await t.call('SET', 'k', 'v');
    eq(num(await t.call('EXPIRE', 'k', String(s))), 1, 'EXPIRE');
    eq(num(await t.call('TTL', 'k')), s, 'TTL');
    await t.elapse(s * 1000 - 501);
    eq(num(await t.call('TTL', 'k')), 1, 'TTL 501 ms before (rounded)');
    await t.elapse(502);
    eq(await t.call('GET', 'k'), null, 'GET after expiry');
    eq(num(await t.call('DBSIZE')), 0, 'DBSIZE after expiry');
  }, { tags: ['needs:virtual-clock'] }),

  property('generic', ['copy'], 'COPY makes an equal, independent value', fc.array(bytes(4), { minLength: 1, maxLength: 5 }), async (t, items) => {
    await t.call('RPUSH', 'a', ...items);
    eq(num(await t.call('COPY', 'a', 'b')), 1, 'COPY');
    await t.call('RPUSH', 'a', 'more');
    eq(await t.call('LRANGE', 'b', '0', '-1'), items, 'the copy');
  }),
];
