/** Properties of hashes, lists, sets and sorted sets, against plain JS models. */
import fc from 'fast-check';
import { bytes, eq, num, pairs, property, score, sorted, str, strs, type PropertyCase } from './property.js';

const small = bytes(4);
const field = fc.constantFrom('a', 'b', 'c', 'd', '1', '\x00', '\xff');

export const hashProperties: PropertyCase[] = [
  property('hash', ['hset', 'hdel', 'hgetall', 'hlen'], 'HGETALL and HLEN match a map after HSET and HDEL', fc.array(fc.oneof(fc.tuple(fc.constant('set' as const), field, small), fc.tuple(fc.constant('del' as const), field, fc.constant(''))), { minLength: 1, maxLength: 15 }), async (t, ops) => {
    const m = new Map<string, string>();
    for (const [op, f, v] of ops) {
      if (op === 'set') {
        eq(num(await t.call('HSET', 'h', f, v)), m.has(f) ? 0 : 1, 'HSET');
        m.set(f, v);
      } else {
        eq(num(await t.call('HDEL', 'h', f)), m.has(f) ? 1 : 0, 'HDEL');
        m.delete(f);
      }
    }
    const got = pairs(await t.call('HGETALL', 'h')).map(([k, v]) => `${str(k)}=${str(v)}`);
    eq(sorted(got), sorted([...m].map(([k, v]) => `${t.mapKey(k)}=${v}`)), 'HGETALL');
    eq(num(await t.call('HLEN', 'h')), m.size, 'HLEN');
    eq(num(await t.call('EXISTS', 'h')), m.size ? 1 : 0, 'EXISTS (an empty hash is removed)');
  }),

  property('hash', ['hincrby'], 'HINCRBY sums', fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 8 }), async (t, ds) => {
    let total = 0;
    for (const d of ds) {
      total += d;
      eq(num(await t.call('HINCRBY', 'h', 'f', String(d))), total, 'HINCRBY');
    }
    eq(await t.call('HGET', 'h', 'f'), String(total));
  }),
];

type ListOp = ['lpush' | 'rpush', string] | ['lpop' | 'rpop', ''];

export const listProperties: PropertyCase[] = [
  property('list', ['lpush', 'rpush', 'lpop', 'rpop', 'lrange', 'llen'], 'Pushes and pops behave like a deque', fc.array(fc.oneof(
    fc.tuple(fc.constantFrom('lpush' as const, 'rpush' as const), small),
    fc.tuple(fc.constantFrom('lpop' as const, 'rpop' as const), fc.constant('' as const)),
  ) as fc.Arbitrary<ListOp>, { minLength: 1, maxLength: 20 }), async (t, ops) => {
    const d: string[] = [];
    for (const [op, v] of ops) {
      switch (op) {
        case 'lpush': d.unshift(v); eq(num(await t.call('LPUSH', 'l', v)), d.length, 'LPUSH'); break;
        case 'rpush': d.push(v); eq(num(await t.call('RPUSH', 'l', v)), d.length, 'RPUSH'); break;
        case 'lpop': eq(await t.call('LPOP', 'l'), d.shift() ?? null, 'LPOP'); break;
        case 'rpop': eq(await t.call('RPOP', 'l'), d.pop() ?? null, 'RPOP'); break;
      }
    }
    eq(await t.call('LRANGE', 'l', '0', '-1'), d, 'LRANGE');
    eq(num(await t.call('LLEN', 'l')), d.length, 'LLEN');
  }),

  property('list', ['lrange', 'lindex'], 'LRANGE and LINDEX index like Valkey (negative from the end, clamped)', fc.tuple(fc.array(small, { minLength: 1, maxLength: 10 }), fc.integer({ min: -12, max: 12 }), fc.integer({ min: -12, max: 12 })), async (t, [items, a, b]) => {
    await t.call('RPUSH', 'l', ...items);
    const n = items.length;
    let s = a < 0 ? n + a : a;
    let e = b < 0 ? n + b : b;
    if (s < 0) s = 0;
    if (e >= n) e = n - 1;
    eq(await t.call('LRANGE', 'l', String(a), String(b)), s > e || s >= n ? [] : items.slice(s, e + 1), 'LRANGE');
    const i = a < 0 ? n + a : a;
    eq(await t.call('LINDEX', 'l', String(a)), i >= 0 && i < n ? items[i]! : null, 'LINDEX');
  }),
];

export const setProperties: PropertyCase[] = [
  property('set', ['sadd', 'srem', 'smembers', 'scard', 'sismember'], 'SMEMBERS, SCARD and SISMEMBER match a set after SADD and SREM', fc.array(fc.tuple(fc.boolean(), field), { minLength: 1, maxLength: 15 }), async (t, ops) => {
    const s = new Set<string>();
    for (const [add, m] of ops) {
      if (add) {
        eq(num(await t.call('SADD', 's', m)), s.has(m) ? 0 : 1, 'SADD');
        s.add(m);
      } else {
        eq(num(await t.call('SREM', 's', m)), s.has(m) ? 1 : 0, 'SREM');
        s.delete(m);
      }
    }
    eq(sorted(strs(await t.call('SMEMBERS', 's'))), sorted([...s]), 'SMEMBERS');
    eq(num(await t.call('SCARD', 's')), s.size, 'SCARD');
    for (const m of ['a', 'b']) eq(num(await t.call('SISMEMBER', 's', m)), s.has(m) ? 1 : 0, `SISMEMBER ${m}`);
  }),

  property('set', ['sinter', 'sunion', 'sdiff', 'sintercard'], 'SINTER, SUNION, SDIFF are set algebra', fc.tuple(fc.uniqueArray(field, { maxLength: 6 }), fc.uniqueArray(field, { maxLength: 6 })), async (t, [a, b]) => {
    if (a.length) await t.call('SADD', 'a', ...a);
    if (b.length) await t.call('SADD', 'b', ...b);
    eq(sorted(strs(await t.call('SINTER', 'a', 'b'))), sorted(a.filter((x) => b.includes(x))), 'SINTER');
    eq(sorted(strs(await t.call('SUNION', 'a', 'b'))), sorted([...new Set([...a, ...b])]), 'SUNION');
    eq(sorted(strs(await t.call('SDIFF', 'a', 'b'))), sorted(a.filter((x) => !b.includes(x))), 'SDIFF');
    eq(num(await t.call('SINTERCARD', '2', 'a', 'b')), a.filter((x) => b.includes(x)).length, 'SINTERCARD');
  }),
];

/** Valkey orders a sorted set by score, then by member bytes. */
function zorder(entries: [string, number][]): string[] {
  return [...entries].sort(([m1, s1], [m2, s2]) => (s1 !== s2 ? s1 - s2 : m1 < m2 ? -1 : m1 > m2 ? 1 : 0)).map(([m]) => m);
}

export const sortedSetProperties: PropertyCase[] = [
  property('sorted_set', ['zadd', 'zrange', 'zrank', 'zcard'], 'ZRANGE orders by score, then member bytes; ZRANK agrees', fc.array(fc.tuple(field, fc.integer({ min: -5, max: 5 })), { minLength: 1, maxLength: 12 }), async (t, adds) => {
    const m = new Map<string, number>();
    for (const [member, score] of adds) {
      eq(num(await t.call('ZADD', 'z', String(score), member)), m.has(member) ? 0 : 1, 'ZADD');
      m.set(member, score);
    }
    const order = zorder([...m]);
    eq(await t.call('ZRANGE', 'z', '0', '-1'), order, 'ZRANGE');
    eq(await t.call('ZRANGE', 'z', '0', '-1', 'REV'), [...order].reverse(), 'ZRANGE REV');
    for (const [i, member] of order.entries()) eq(num(await t.call('ZRANK', 'z', member)), i, `ZRANK ${member}`);
    eq(num(await t.call('ZCARD', 'z')), m.size, 'ZCARD');
  }),

  property('sorted_set', ['zincrby', 'zscore'], 'ZINCRBY sums scores', fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 8 }), async (t, ds) => {
    let total = 0;
    for (const d of ds) {
      total += d;
      eq(score(await t.call('ZINCRBY', 'z', String(d), 'm')), total, 'ZINCRBY');
    }
    eq(score(await t.call('ZSCORE', 'z', 'm')), total, 'ZSCORE');
  }),

  property('sorted_set', ['zcount', 'zrangebyscore'], 'ZCOUNT and ZRANGEBYSCORE select the same members', fc.tuple(fc.array(fc.tuple(field, fc.integer({ min: -5, max: 5 })), { minLength: 1, maxLength: 10 }), fc.integer({ min: -6, max: 6 }), fc.integer({ min: -6, max: 6 }), fc.boolean()), async (t, [adds, lo, hi, open]) => {
    const m = new Map<string, number>(adds);
    for (const [member, score] of m) await t.call('ZADD', 'z', String(score), member);
    const min = open ? `(${lo}` : String(lo);
    const inRange = zorder([...m].filter(([, s]) => (open ? s > lo : s >= lo) && s <= hi));
    eq(await t.call('ZRANGEBYSCORE', 'z', min, String(hi)), inRange, 'ZRANGEBYSCORE');
    eq(num(await t.call('ZCOUNT', 'z', min, String(hi))), inRange.length, 'ZCOUNT');
  }),
];
