/**
 * Hash field expiration (HSETEX, HEXPIRE, HPEXPIRE, HTTL, HPTTL, HPERSIST,
 * HGETEX, HGETDEL) through ioredis and node-redis v6, in RESP2 and RESP3,
 * against valkey-double and a real Valkey 9 with the same expectations: the
 * per-field result arrays (1 set, 0 condition not met, 2 deleted, -1 no TTL,
 * -2 no such field), fields expiring as time passes, and, on valkey-double's
 * VirtualClock, expiry at the exact millisecond: the field reads as missing,
 * HLEN drops, and the key goes when its last field expires.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { targetNames, uniq, useTarget } from './support/targets.js';
import { until } from './support/waiting.js';

type NodeRedis = ReturnType<typeof createClient<Record<string, never>, Record<string, never>, Record<string, never>, 2 | 3>>;

const cases = targetNames().flatMap((t) => ([2, 3] as const).map((p) => [t, p] as const));
const NUMFIELDS = 'ERR numfields should be greater than 0 and match the provided number of fields';

describe.each(cases)('hash field expiration through ioredis against %s, RESP%s', (targetName, resp) => {
  const target = useTarget(targetName);
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis({ host: target.host, port: target.port, protocol: resp, lazyConnect: true, maxRetriesPerRequest: 0 });
    await redis.connect();
  });
  afterAll(() => redis?.disconnect());

  test('HSETEX: TTL on the fields it sets, FNX / FXX conditions, KEEPTTL, and a plain HSETEX clearing the TTL', async () => {
    const k = uniq('hsetex');
    expect(await redis.hsetex(k, 'EX', 100, 'FIELDS', 2, 'a', '1', 'b', '2')).toBe(1);
    expect(await redis.httl(k, 'FIELDS', 3, 'a', 'b', 'nope')).toEqual([100, 100, -2]);
    expect(await redis.hsetex(k, 'FNX', 'EX', 5, 'FIELDS', 2, 'a', 'x', 'c', '3')).toBe(0); // a exists: nothing is set
    expect(await redis.hexists(k, 'c')).toBe(0);
    expect(await redis.hsetex(k, 'FXX', 'KEEPTTL', 'FIELDS', 1, 'a', 'A')).toBe(1);
    expect(await redis.hget(k, 'a')).toBe('A');
    expect(await redis.httl(k, 'FIELDS', 1, 'a')).toEqual([100]);
    expect(await redis.hsetex(k, 'FXX', 'PX', 5000, 'FIELDS', 1, 'zz', '1')).toBe(0);
    expect(await redis.hsetex(k, 'FIELDS', 1, 'b', 'B')).toBe(1); // no TTL option: the field loses its TTL
    expect(await redis.httl(k, 'FIELDS', 2, 'b', 'a')).toEqual([-1, 100]);
    expect(await redis.hgetall(k)).toEqual({ a: 'A', b: 'B' });
    await expect(redis.hsetex(k, 'EX', -1, 'FIELDS', 1, 'a', '1')).rejects.toThrow("ERR invalid expire time in 'hsetex' command");
    await expect(redis.hsetex(k, 'FIELDS', 2, 'a', '1')).rejects.toThrow(NUMFIELDS);
  });

  test('HEXPIRE / HPEXPIRE: the per-field result array, NX / XX / GT / LT, and 2 for a time already past', async () => {
    const k = uniq('hexpire');
    expect(await redis.hset(k, 'a', '1', 'b', '2', 'c', '3')).toBe(3);
    expect(await redis.hexpire(k, 100, 'FIELDS', 3, 'a', 'b', 'nope')).toEqual([1, 1, -2]);
    expect(await redis.hexpire(k, 50, 'NX', 'FIELDS', 2, 'a', 'c')).toEqual([0, 1]);
    expect(await redis.hexpire(k, 200, 'XX', 'FIELDS', 2, 'b', 'nope')).toEqual([1, -2]);
    expect(await redis.hpexpire(k, 10_000, 'GT', 'FIELDS', 2, 'a', 'b')).toEqual([0, 0]); // 10 s < 100 s and < 200 s
    expect(await redis.hpexpire(k, 10_000, 'LT', 'FIELDS', 2, 'a', 'b')).toEqual([1, 1]);
    expect(await redis.httl(k, 'FIELDS', 3, 'a', 'b', 'c')).toEqual([10, 10, 50]);
    const pttl = await redis.hpttl(k, 'FIELDS', 1, 'a');
    expect(pttl[0]).toBeGreaterThan(9000);
    expect(pttl[0]).toBeLessThanOrEqual(10_000);
    expect(await redis.hexpire(k, 0, 'FIELDS', 2, 'c', 'nope')).toEqual([2, -2]);
    expect(await redis.hgetall(k)).toEqual({ a: '1', b: '2' });
    expect(await redis.hexpire(k + 'missing', 10, 'FIELDS', 2, 'a', 'b')).toEqual([-2, -2]);
    await expect(redis.hexpire(k, 10, 'FIELDS', 2, 'a')).rejects.toThrow(NUMFIELDS);
    await expect(redis.hexpire(k, -1, 'FIELDS', 1, 'a')).rejects.toThrow("ERR invalid expire time in 'hexpire' command");
    expect(await redis.set(k + 's', 'v')).toBe('OK');
    await expect(redis.hexpire(k + 's', 10, 'FIELDS', 1, 'a')).rejects.toThrow('WRONGTYPE Operation against a key holding the wrong kind of value');
  });

  test('HPERSIST: 1 removed, -1 had none, -2 no such field', async () => {
    const k = uniq('hpersist');
    expect(await redis.hset(k, 'a', '1', 'b', '2')).toBe(2);
    expect(await redis.hexpire(k, 100, 'FIELDS', 1, 'a')).toEqual([1]);
    expect(await redis.hpersist(k, 'FIELDS', 3, 'a', 'b', 'nope')).toEqual([1, -1, -2]);
    expect(await redis.httl(k, 'FIELDS', 2, 'a', 'b')).toEqual([-1, -1]);
    expect(await redis.hpersist(k + 'missing', 'FIELDS', 1, 'a')).toEqual([-2]);
  });

  test('HGETEX sets or clears TTLs while reading; HGETDEL reads and deletes, and the key goes with its last field', async () => {
    const k = uniq('hgetex');
    expect(await redis.hset(k, 'a', '1', 'b', '2')).toBe(2);
    expect(await redis.hgetex(k, 'EX', 50, 'FIELDS', 2, 'a', 'nope')).toEqual(['1', null]);
    expect(await redis.httl(k, 'FIELDS', 2, 'a', 'b')).toEqual([50, -1]);
    expect(await redis.hgetex(k, 'PERSIST', 'FIELDS', 1, 'a')).toEqual(['1']);
    expect(await redis.httl(k, 'FIELDS', 1, 'a')).toEqual([-1]);
    expect(await redis.hgetex(k, 'PX', 0, 'FIELDS', 1, 'b')).toEqual(['2']); // a time already past deletes the field
    expect(await redis.hexists(k, 'b')).toBe(0);
    await expect(redis.call('HGETEX', k, 'EX', '10', 'PX', '10', 'FIELDS', '1', 'a')).rejects.toThrow('ERR syntax error');

    expect(await redis.hset(k, 'c', '3')).toBe(1);
    expect(await redis.hgetdel(k, 'FIELDS', 2, 'c', 'nope')).toEqual(['3', null]);
    expect(await redis.hgetall(k)).toEqual({ a: '1' });
    expect(await redis.hgetdel(k, 'FIELDS', 1, 'a')).toEqual(['1']);
    expect(await redis.exists(k)).toBe(0);
    expect(await redis.hgetdel(k, 'FIELDS', 2, 'a', 'b')).toEqual([null, null]);
  });

  test('as time passes: an expired field reads as missing at once; active expiry then shrinks and removes the hash', async () => {
    const k = uniq('passing');
    expect(await redis.hsetex(k, 'PX', 100, 'FIELDS', 2, 'a', '1', 'b', '2')).toBe(1);
    expect(await redis.hset(k, 'c', '3')).toBe(1);
    await target.elapse(150);
    expect(await redis.hget(k, 'a')).toBeNull();
    expect(await redis.hmget(k, 'a', 'b', 'c')).toEqual([null, null, '3']);
    expect(await redis.hgetall(k)).toEqual({ c: '3' });
    expect(await redis.httl(k, 'FIELDS', 2, 'a', 'c')).toEqual([-2, -1]);
    expect(await until(() => redis.hlen(k), 1)).toBe(1);
    expect(await redis.hpexpire(k, 100, 'FIELDS', 1, 'c')).toEqual([1]);
    await target.elapse(150);
    expect(await redis.hget(k, 'c')).toBeNull();
    expect(await until(() => redis.exists(k), 0)).toBe(0);
    expect(await redis.type(k)).toBe('none');
  });

  test.runIf(targetName === 'valkey-double')('VirtualClock: a field expires once the clock passes its deadline, to the millisecond', async () => {
    const clock = target.mock!.clock;
    const k = uniq('virtual');
    expect(await redis.hset(k, 'a', '1', 'b', '2', 'keep', 'k')).toBe(3);
    expect(await redis.hpexpire(k, 1000, 'FIELDS', 1, 'a')).toEqual([1]);
    expect(await redis.hexpire(k, 2, 'FIELDS', 1, 'b')).toEqual([1]);
    clock.advance(400);
    expect(await redis.hpttl(k, 'FIELDS', 2, 'a', 'b')).toEqual([600, 1600]);
    expect(await redis.httl(k, 'FIELDS', 2, 'a', 'b')).toEqual([1, 2]); // rounded to the nearest second
    clock.advance(600); // now = a's deadline: still there (expired only once now > deadline)
    expect(await redis.hget(k, 'a')).toBe('1');
    expect(await redis.hpttl(k, 'FIELDS', 1, 'a')).toEqual([0]);
    clock.advance(1);
    expect(await redis.hget(k, 'a')).toBeNull();
    expect(await redis.hlen(k)).toBe(2); // active expiry ran on advance(): no polling needed
    expect(await redis.httl(k, 'FIELDS', 1, 'a')).toEqual([-2]);
    expect(await redis.hpersist(k, 'FIELDS', 1, 'keep')).toEqual([-1]);
    expect(await redis.hpexpire(k, 500, 'FIELDS', 1, 'keep')).toEqual([1]);
    clock.advance(999); // now 2000: keep (deadline 1501) is gone, b (deadline 2000) is not yet
    expect(await redis.hkeys(k)).toEqual(['b']);
    clock.advance(1);
    expect(await redis.hlen(k)).toBe(0);
    expect(await redis.exists(k)).toBe(0);
    expect(await redis.type(k)).toBe('none');
  });
});

describe.each(cases)('hash field expiration through node-redis against %s, RESP%s', (targetName, resp) => {
  const target = useTarget(targetName);
  let client: NodeRedis;

  beforeAll(async () => {
    client = createClient({ socket: { host: target.host, port: target.port, reconnectStrategy: false }, RESP: resp }) as NodeRedis;
    client.on('error', () => {});
    await client.connect();
  });
  afterAll(() => client?.destroy());

  test('hSetEx with expiration and mode; hTTL / hpTTL per field', async () => {
    const k = uniq('hsetex');
    expect(await client.hSetEx(k, { a: '1', b: '2' }, { expiration: { type: 'PX', value: 60_000 } })).toBe(1);
    const pttl = (await client.hpTTL(k, ['a', 'b', 'nope']))!;
    expect(pttl[0]).toBeGreaterThan(59_000);
    expect(pttl[0]).toBeLessThanOrEqual(60_000);
    expect(pttl[2]).toBe(-2);
    expect(await client.hTTL(k, ['a', 'nope'])).toEqual([60, -2]);
    expect(await client.hSetEx(k, { b: 'x', c: '3' }, { mode: 'FNX' })).toBe(0);
    expect(await client.hSetEx(k, { c: '3' }, { mode: 'FNX', expiration: { type: 'EX', value: 30 } })).toBe(1);
    expect(await client.hSetEx(k, [['a', 'A'], ['b', 'B']], { mode: 'FXX', expiration: 'KEEPTTL' })).toBe(1);
    expect(await client.hTTL(k, ['a', 'b', 'c'])).toEqual([60, 60, 30]);
    expect(await client.hGetAll(k)).toEqual({ a: 'A', b: 'B', c: '3' });
    expect(await client.hSetEx(k, new Map([['a', 'plain']]))).toBe(1);
    expect(await client.hTTL(k, ['a'])).toEqual([-1]);
  });

  test('hExpire / hpExpire / hPersist result arrays', async () => {
    const k = uniq('hexpire');
    expect(await client.hSet(k, { a: '1', b: '2', c: '3' })).toBe(3);
    expect(await client.hExpire(k, ['a', 'b', 'nope'], 100)).toEqual([1, 1, -2]);
    expect(await client.hExpire(k, ['a', 'c'], 100, 'NX')).toEqual([0, 1]);
    expect(await client.hpExpire(k, ['a', 'c'], 500_000, 'GT')).toEqual([1, 1]);
    expect(await client.hpExpire(k, ['a'], 600_000, 'LT')).toEqual([0]);
    expect(await client.hTTL(k, ['a', 'b', 'c'])).toEqual([500, 100, 500]);
    expect(await client.hPersist(k, ['a', 'nope'])).toEqual([1, -2]);
    expect(await client.hPersist(k, ['a'])).toEqual([-1]);
    expect(await client.hExpire(k, ['b'], 0)).toEqual([2]);
    expect(await client.hKeys(k)).toEqual(['a', 'c']);
    expect(await client.hExpire(k + 'missing', ['a'], 10)).toEqual([-2]);
    await expect(client.sendCommand(['HPEXPIRE', k, '10', 'FIELDS', '0', 'a'])).rejects.toThrow(NUMFIELDS);
    await expect(client.sendCommand(['HPEXPIRE', k, '10', 'FIELDS', '0'])).rejects.toThrow("ERR wrong number of arguments for 'hpexpire' command");
    await expect(client.sendCommand(['HEXPIRE', k, '10', 'XX', 'NX', 'FIELDS', '1', 'a'])).rejects.toThrow(
      'ERR NX and XX, GT or LT options at the same time are not compatible',
    );
  });

  test('hGetEx and hGetDel', async () => {
    const k = uniq('hgetex');
    expect(await client.hSet(k, { a: '1', b: '2', c: '3' })).toBe(3);
    expect(await client.hGetEx(k, ['a', 'nope'], { expiration: { type: 'EX', value: 40 } })).toEqual(['1', null]);
    expect(await client.hTTL(k, ['a'])).toEqual([40]);
    expect(await client.hGetEx(k, ['a', 'b'], { expiration: 'PERSIST' })).toEqual(['1', '2']);
    expect(await client.hTTL(k, ['a', 'b'])).toEqual([-1, -1]);
    expect(await client.hGetEx(k, ['c'])).toEqual(['3']);
    expect(await client.hGetDel(k, ['a', 'nope', 'b'])).toEqual(['1', null, '2']);
    expect(await client.hLen(k)).toBe(1);
    expect(await client.hGetDel(k, ['c'])).toEqual(['3']);
    expect(await client.exists(k)).toBe(0);
  });

  test('as time passes: expired fields read as missing; the hash shrinks and then goes', async () => {
    const k = uniq('passing');
    expect(await client.hSet(k, { a: '1', b: '2' })).toBe(2);
    expect(await client.hpExpire(k, ['a'], 100)).toEqual([1]);
    await target.elapse(150);
    expect(await client.hGet(k, 'a')).toBeNull();
    expect(await client.hGetAll(k)).toEqual({ b: '2' });
    expect(await until(() => client.hLen(k), 1)).toBe(1);
    expect(await client.hGetEx(k, ['b'], { expiration: { type: 'PX', value: 100 } })).toEqual(['2']);
    await target.elapse(150);
    expect(await client.hGetAll(k)).toEqual({});
    expect(await until(() => client.exists(k), 0)).toBe(0);
  });

  test.runIf(targetName === 'valkey-double')('VirtualClock: hSetEx PX, then advance past the TTL', async () => {
    const clock = target.mock!.clock;
    const k = uniq('virtual');
    expect(await client.hSetEx(k, { a: '1', b: '2' }, { expiration: { type: 'PX', value: 250 } })).toBe(1);
    expect(await client.hSet(k, 'c', '3')).toBe(1);
    clock.advance(250);
    expect(await client.hmGet(k, ['a', 'b', 'c'])).toEqual(['1', '2', '3']);
    clock.advance(1);
    expect(await client.hmGet(k, ['a', 'b', 'c'])).toEqual([null, null, '3']);
    expect(await client.hLen(k)).toBe(1);
    expect(await client.hTTL(k, ['a', 'c'])).toEqual([-2, -1]);
    expect(await client.hExpire(k, ['c'], 1)).toEqual([1]);
    clock.advance(1001);
    expect(await client.exists(k)).toBe(0);
    expect(await client.hLen(k)).toBe(0);
  });
});
