import { describe, expect, test } from 'vitest';
import {
  EXPIRE_GT, EXPIRE_LT, EXPIRE_NX, EXPIRE_XX, FIELD_CONDITION_FAILED, FIELD_DELETED, FIELD_NO_TTL, FIELD_NOT_FOUND,
  FIELD_UPDATED, HashValue, SET_CREATED, SET_REVIVED, SET_UPDATED, toDeadline,
} from './hash.js';

const LIM = { maxEntries: 4, maxValue: 8 };
const NOW = 1_000_000;

function hash(...kv: string[]): HashValue {
  const h = new HashValue();
  for (let i = 0; i < kv.length; i += 2) h.set(kv[i]!, kv[i + 1]!, NOW, 0, false, LIM);
  return h;
}

function live(h: HashValue, now = NOW): string[] {
  const out: string[] = [];
  h.forEachLive(now, (f, v) => out.push(`${f}=${v}`));
  return out;
}

describe('order and encoding', () => {
  test('insertion order; an update keeps its place, a re-added field goes last', () => {
    const h = hash('z', '1', 'a', '2', 'm', '3');
    expect(h.set('a', 'x', NOW, 0, false, LIM)).toBe(SET_UPDATED);
    h.delete('z', NOW);
    expect(h.set('z', '9', NOW, 0, false, LIM)).toBe(SET_CREATED);
    expect(live(h)).toEqual(['a=x', 'm=3', 'z=9']);
    expect(h.encoding).toBe('listpack');
  });

  test('more entries than allowed converts, and it never converts back', () => {
    const h = hash('a', '1', 'b', '2', 'c', '3', 'd', '4');
    expect(h.encoding).toBe('listpack');
    h.set('e', '5', NOW, 0, false, LIM);
    expect(h.encoding).toBe('hashtable');
    for (const f of ['a', 'b', 'c', 'd', 'e']) h.delete(f, NOW);
    expect(h.size).toBe(0);
    expect(h.encoding).toBe('hashtable');
  });

  test('a long field or value converts before the write', () => {
    const a = hash('f', '12345678');
    expect(a.encoding).toBe('listpack');
    a.set('g', '123456789', NOW, 0, false, LIM);
    expect(a.encoding).toBe('hashtable');
    const b = hash('123456789', 'v');
    expect(b.encoding).toBe('hashtable');
  });

  test('tryConversion counts argument pairs and checks every argument length', () => {
    const a = new HashValue();
    a.tryConversion(['HSET', 'k', 'x', '1', 'x', '2', 'x', '3', 'x', '4', 'x', '5'], 2, 11, LIM);
    expect(a.encoding).toBe('hashtable');
    const b = new HashValue();
    b.tryConversion(['HSET', 'k', 'x', '1', 'x', '2'], 2, 5, LIM);
    expect(b.encoding).toBe('listpack');
    b.tryConversion(['HSET', 'k', 'x', '123456789'], 2, 3, LIM);
    expect(b.encoding).toBe('hashtable');
  });

  test('a TTL converts; a listpack update past a lowered limit converts too', () => {
    const h = hash('a', '1');
    h.set('b', '2', NOW, NOW + 10, false, LIM);
    expect(h.encoding).toBe('hashtable');
    const g = hash('a', '1', 'b', '2', 'c', '3');
    g.set('a', '9', NOW, 0, false, { maxEntries: 2, maxValue: 8 });
    expect(g.encoding).toBe('hashtable');
  });
});

describe('field TTLs', () => {
  test('a field is hidden once the time is past its deadline, but still counted', () => {
    const h = hash('a', '1', 'b', '2');
    expect(h.setExpire('a', NOW + 100, NOW, 0)).toBe(FIELD_UPDATED);
    expect(h.get('a', NOW + 100)).toBe('1');
    expect(h.expiry('a', NOW + 100)).toBe(NOW + 100);
    expect(h.get('a', NOW + 101)).toBeUndefined();
    expect(h.has('a', NOW + 101)).toBe(false);
    expect(h.expiry('a', NOW + 101)).toBeUndefined();
    expect(h.expiry('b', NOW + 101)).toBe(0);
    expect(h.size).toBe(2);
    expect(live(h, NOW + 101)).toEqual(['b=2']);
    expect(h.liveFields(NOW + 101)).toEqual(['b']);
    // HDEL cannot delete a hidden field; HSETEX's past-time delete can.
    expect(h.delete('a', NOW + 101)).toBe(false);
    expect(h.size).toBe(2);
    expect(h.delete('a', NOW + 101, true)).toBe(true);
    expect(h.size).toBe(1);
    expect(h.hasVolatile).toBe(false);
  });

  test('overwriting a field at or past its deadline revives it without the TTL', () => {
    const h = hash('a', '1');
    h.setExpire('a', NOW + 10, NOW, 0);
    // At the deadline the field still reads, but a write treats it as expired (checkAlreadyExpired).
    expect(h.get('a', NOW + 10)).toBe('1');
    expect(h.set('a', '2', NOW + 10, 0, true, LIM)).toBe(SET_REVIVED);
    expect(h.expiry('a', NOW + 10)).toBe(0);
    h.setExpire('a', NOW + 50, NOW, 0);
    expect(h.set('a', '3', NOW, 0, true, LIM)).toBe(SET_UPDATED);
    expect(h.expiry('a', NOW)).toBe(NOW + 50);
    expect(h.set('a', '4', NOW, 0, false, LIM)).toBe(SET_UPDATED);
    expect(h.expiry('a', NOW)).toBe(0);
  });

  test('setExpire conditions on a hashtable', () => {
    const h = hash('a', '1', 'b', '2');
    h.convert();
    expect(h.setExpire('zz', NOW + 10, NOW, 0)).toBe(FIELD_NOT_FOUND);
    expect(h.setExpire('a', NOW + 10, NOW, EXPIRE_XX)).toBe(FIELD_CONDITION_FAILED);
    expect(h.setExpire('a', NOW + 10, NOW, EXPIRE_GT)).toBe(FIELD_CONDITION_FAILED);
    expect(h.setExpire('a', NOW + 10, NOW, EXPIRE_LT)).toBe(FIELD_UPDATED);
    expect(h.setExpire('a', NOW + 20, NOW, EXPIRE_NX)).toBe(FIELD_CONDITION_FAILED);
    expect(h.setExpire('a', NOW + 10, NOW, EXPIRE_GT)).toBe(FIELD_CONDITION_FAILED);
    expect(h.setExpire('a', NOW + 11, NOW, EXPIRE_GT)).toBe(FIELD_UPDATED);
    expect(h.setExpire('a', NOW + 11, NOW, EXPIRE_LT)).toBe(FIELD_CONDITION_FAILED);
    expect(h.setExpire('a', NOW + 5, NOW, EXPIRE_LT | EXPIRE_XX)).toBe(FIELD_UPDATED);
    expect(h.expiry('a', NOW)).toBe(NOW + 5);
    // A time not in the future deletes, once the conditions pass.
    expect(h.setExpire('a', NOW, NOW, EXPIRE_GT)).toBe(FIELD_CONDITION_FAILED);
    expect(h.setExpire('a', NOW, NOW, 0)).toBe(FIELD_DELETED);
    expect(h.has('a', NOW)).toBe(false);
    expect(h.setExpire('b', NOW - 5, NOW, EXPIRE_NX)).toBe(FIELD_DELETED);
    expect(h.size).toBe(0);
  });

  test('setExpire on a listpack: XX and GT fail without converting; a past time deletes', () => {
    const h = hash('a', '1', 'b', '2');
    expect(h.setExpire('a', NOW + 10, NOW, EXPIRE_XX)).toBe(FIELD_CONDITION_FAILED);
    expect(h.setExpire('a', NOW + 10, NOW, EXPIRE_GT)).toBe(FIELD_CONDITION_FAILED);
    expect(h.setExpire('zz', NOW + 10, NOW, 0)).toBe(FIELD_NOT_FOUND);
    expect(h.setExpire('a', 1, NOW, EXPIRE_LT)).toBe(FIELD_DELETED);
    expect(h.encoding).toBe('listpack');
    expect(h.setExpire('b', NOW + 10, NOW, EXPIRE_NX)).toBe(FIELD_UPDATED);
    expect(h.encoding).toBe('hashtable');
  });

  test('persist', () => {
    const h = hash('a', '1', 'b', '2');
    expect(h.persist('a', NOW)).toBe(FIELD_NO_TTL);
    expect(h.persist('zz', NOW)).toBe(FIELD_NOT_FOUND);
    h.setExpire('a', NOW + 10, NOW, 0);
    expect(h.persist('a', NOW + 11)).toBe(FIELD_NOT_FOUND); // expired: hidden
    expect(h.persist('a', NOW)).toBe(FIELD_UPDATED);
    expect(h.persist('a', NOW)).toBe(FIELD_NO_TTL);
    expect(h.hasVolatile).toBe(false);
    expect(h.nextItemDeadline()).toBe(Infinity);
  });

  test('deadlines beyond 2^53 stay exact', () => {
    const max = toDeadline(9223372036854775807n);
    expect(typeof max).toBe('bigint');
    expect(toDeadline(4102444800123n)).toBe(4102444800123);
    const h = hash('a', '1');
    expect(h.setExpire('a', max, NOW, 0)).toBe(FIELD_UPDATED);
    expect(h.expiry('a', NOW)).toBe(9223372036854775807n);
    expect(h.setExpire('a', toDeadline(9007199254740993n), NOW, EXPIRE_LT)).toBe(FIELD_UPDATED);
    expect(h.setExpire('a', toDeadline(9007199254740993n), NOW, EXPIRE_GT)).toBe(FIELD_CONDITION_FAILED);
    expect(h.setExpire('a', toDeadline(9007199254740994n), NOW, EXPIRE_GT)).toBe(FIELD_UPDATED);
    expect(h.expiry('a', NOW)).toBe(9007199254740994n);
    expect(h.get('a', Number.MAX_SAFE_INTEGER)).toBe('1');
  });
});

describe('active expiry', () => {
  test('nextItemDeadline skips stale heap entries; reclaimExpired takes what is past', () => {
    const h = hash('a', '1', 'b', '2', 'c', '3');
    h.setExpire('a', NOW + 30, NOW, 0);
    h.setExpire('b', NOW + 10, NOW, 0);
    h.setExpire('c', NOW + 20, NOW, 0);
    expect(h.nextItemDeadline()).toBe(NOW + 10);
    h.setExpire('b', NOW + 40, NOW, 0); // the NOW+10 entry goes stale
    expect(h.nextItemDeadline()).toBe(NOW + 20);
    h.persist('c', NOW);
    expect(h.nextItemDeadline()).toBe(NOW + 30);
    expect(h.reclaimExpired(NOW + 30)).toBe(0);
    expect(h.reclaimExpired(NOW + 31)).toBe(1);
    expect(h.liveFields(NOW)).toEqual(['b', 'c']);
    expect(h.volatileCount).toBe(1);
    expect(h.reclaimExpired(NOW + 1000)).toBe(1);
    expect(h.liveFields(NOW)).toEqual(['c']);
    expect(h.nextItemDeadline()).toBe(Infinity);
    expect(h.hasVolatile).toBe(false);
  });

  test('many reschedules keep the heap bounded and correct', () => {
    const h = hash('a', '1');
    for (let i = 0; i < 1000; i++) h.setExpire('a', NOW + 1000 - i, NOW, 0);
    expect(h.nextItemDeadline()).toBe(NOW + 1);
    for (let i = 0; i < 1000; i++) h.setExpire('a', NOW + 5000 + i, NOW, 0);
    expect(h.nextItemDeadline()).toBe(NOW + 5999);
    expect(h.reclaimExpired(NOW + 5999)).toBe(0);
    expect(h.reclaimExpired(NOW + 6000)).toBe(1);
  });
});

describe('HSCAN order and clone', () => {
  function scanAll(h: HashValue, count: number, between?: (step: number) => void): string[] {
    const seen: string[] = [];
    let cursor = 0;
    let step = 0;
    do {
      cursor = h.scan(cursor, count, NOW, (f) => seen.push(f));
      between?.(step++);
    } while (cursor !== 0);
    return seen;
  }

  test('a full scan visits every field once', () => {
    const h = new HashValue();
    h.convert();
    for (let i = 0; i < 100; i++) h.set(`f${i}`, 'v', NOW, 0, false, LIM);
    const seen = scanAll(h, 7);
    expect(seen.length).toBe(100);
    expect(new Set(seen).size).toBe(100);
  });

  test('fields present throughout are visited exactly once while others come and go', () => {
    const h = new HashValue();
    h.convert();
    for (let i = 0; i < 300; i++) h.set(`f${i}`, 'v', NOW, 0, false, LIM);
    const seen = scanAll(h, 10, (step) => {
      h.delete(`f${step * 3}`, NOW);
      h.set(`new${step}`, 'x', NOW, 0, false, LIM);
      if (step === 5) for (let i = 100; i < 250; i++) h.delete(`f${i}`, NOW); // forces compaction
    });
    const counts = new Map<string, number>();
    for (const f of seen) counts.set(f, (counts.get(f) ?? 0) + 1);
    for (let i = 0; i < 300; i++) {
      const f = `f${i}`;
      if (h.has(f, NOW)) expect(counts.get(f), f).toBe(1);
    }
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  test('expired fields are skipped', () => {
    const h = hash('a', '1', 'b', '2');
    h.setExpire('a', NOW - 1, NOW - 10, 0);
    expect(scanAll(h, 10)).toEqual(['b']);
  });

  test('clone is independent, keeps encoding, order and TTLs, drops expired fields', () => {
    const h = hash('a', '1', 'b', '2', 'c', '3');
    h.setExpire('a', NOW + 10, NOW, 0);
    h.setExpire('c', NOW + 50, NOW, 0);
    const c = h.clone(NOW + 20);
    expect(c.encoding).toBe('hashtable');
    expect(live(c, NOW + 20)).toEqual(['b=2', 'c=3']);
    expect(c.size).toBe(2);
    expect(c.expiry('c', NOW + 20)).toBe(NOW + 50);
    c.set('b', 'changed', NOW, 0, false, LIM);
    expect(h.get('b', NOW)).toBe('2');
    expect(hash('x', '1').clone(NOW).encoding).toBe('listpack');
  });
});
