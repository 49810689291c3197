/**
 * Sets, sorted sets, HyperLogLog and SORT through node-redis v6, in RESP2 and
 * RESP3, against valkey-double and a real Valkey 9 with the same
 * expectations. node-redis shows the protocol difference where it matters:
 * its typed methods decode scores to numbers in both protocols, while a raw
 * `sendCommand` gives RESP2's score strings and flat WITHSCORES arrays but
 * RESP3's doubles and [member, score] pairs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createClient } from 'redis';
import { targetNames, uniq, useTarget } from './support/targets.js';

type NodeRedis = ReturnType<typeof createClient<Record<string, never>, Record<string, never>, Record<string, never>, 2 | 3>>;

const cases = targetNames().flatMap((t) => ([2, 3] as const).map((p) => [t, p] as const));
const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const sorted = (xs: readonly unknown[]) => [...(xs as string[])].sort();

describe.each(cases)('collections through node-redis against %s, RESP%s', (targetName, resp) => {
  const target = useTarget(targetName);
  let client: NodeRedis;
  const raw = (...args: string[]) => client.sendCommand(args);

  beforeAll(async () => {
    client = createClient({ socket: { host: target.host, port: target.port, reconnectStrategy: false }, RESP: resp }) as NodeRedis;
    client.on('error', () => {});
    await client.connect();
  });
  afterAll(() => client?.destroy());

  test('sets: membership, algebra, moves, pops, and the member order of small sets', async () => {
    const k = uniq('set');
    expect(await client.sAdd(k + 'ints', ['30', '10', '20', '10'])).toBe(3);
    expect(await client.sMembers(k + 'ints')).toEqual(['10', '20', '30']); // an intset is sorted
    expect(await client.objectEncoding(k + 'ints')).toBe('intset');
    expect(await client.sAdd(k + 'words', ['pear', 'apple', 'fig'])).toBe(3);
    expect(await client.sMembers(k + 'words')).toEqual(['pear', 'apple', 'fig']); // a listpack keeps insertion order
    expect(await client.objectEncoding(k + 'words')).toBe('listpack');

    expect(await client.sIsMember(k + 'words', 'fig')).toBe(1);
    expect(await client.smIsMember(k + 'words', ['apple', 'kiwi'])).toEqual([1, 0]);
    expect(await client.sCard(k + 'words')).toBe(3);
    expect(await client.sAdd(k + 'more', ['fig', 'kiwi', 'pear'])).toBe(3);
    expect(sorted(await client.sInter([k + 'words', k + 'more']))).toEqual(['fig', 'pear']);
    expect(sorted(await client.sUnion([k + 'words', k + 'more']))).toEqual(['apple', 'fig', 'kiwi', 'pear']);
    expect(await client.sDiff([k + 'words', k + 'more'])).toEqual(['apple']);
    expect(await client.sInterCard([k + 'words', k + 'more'], { LIMIT: 1 })).toBe(1);
    expect(await client.sInterStore(k + 'both', [k + 'words', k + 'more'])).toBe(2);
    expect(await client.sMove(k + 'words', k + 'ints', 'apple')).toBe(1);
    expect(await client.objectEncoding(k + 'ints')).toBe('listpack'); // a non-integer member converts the intset
    expect(await client.sMove(k + 'words', k + 'ints', 'apple')).toBe(0);

    const popped = await client.sPopCount(k + 'more', 2);
    expect(popped).toHaveLength(2);
    expect(await client.sCard(k + 'more')).toBe(1);
    const rand = await client.sRandMemberCount(k + 'ints', -10); // negative: repeats allowed, exactly 10
    expect(rand).toHaveLength(10);
    for (const m of rand) expect(['10', '20', '30', 'apple']).toContain(m);
    expect(sorted(await client.sRandMemberCount(k + 'ints', 10))).toEqual(['10', '20', '30', 'apple']);

    expect(await client.sRem(k + 'both', ['fig', 'pear', 'nope'])).toBe(2);
    expect(await client.exists(k + 'both')).toBe(0);
    expect(await client.set(k + 'str', 'v')).toBe('OK');
    await expect(client.sAdd(k + 'str', 'x')).rejects.toThrow(WRONGTYPE);
    // RESP3 sends SMEMBERS as a set type (~); node-redis maps it to an array in both protocols.
    expect(Array.isArray(await raw('SMEMBERS', k + 'ints'))).toBe(true);
  });

  test('sorted sets: scores as numbers from the typed methods, strings (RESP2) or doubles (RESP3) raw', async () => {
    const k = uniq('zset');
    expect(await client.zAdd(k, [
      { score: 1.5, value: 'a' }, { score: -Infinity, value: 'b' }, { score: 0.1, value: 'c' }, { score: 1e20, value: 'd' }, { score: 3, value: 'e' },
    ])).toBe(5);
    expect(await client.zRangeWithScores(k, 0, -1)).toEqual([
      { value: 'b', score: -Infinity }, { value: 'c', score: 0.1 }, { value: 'a', score: 1.5 }, { value: 'e', score: 3 }, { value: 'd', score: 1e20 },
    ]);
    expect(await client.zScore(k, 'c')).toBe(0.1);
    expect(await client.zIncrBy(k, 0.2, 'c')).toBe(0.30000000000000004);
    expect(await client.zRank(k, 'c')).toBe(1);
    expect(await client.zCount(k, '(0.3', '+inf')).toBe(4); // 0.30000000000000004 > 0.3
    expect(await client.zCount(k, '(0.30000000000000004', '+inf')).toBe(3);
    expect(await client.zRangeByScore(k, '(1.5', 1e20, { LIMIT: { offset: 0, count: 1 } })).toEqual(['e']);

    if (resp === 2) {
      expect(await raw('ZRANGE', k, '0', '-1', 'WITHSCORES')).toEqual(['b', '-inf', 'c', '0.30000000000000004', 'a', '1.5', 'e', '3', 'd', '1e+20']);
      expect(await raw('ZSCORE', k, 'a')).toBe('1.5');
      expect(await raw('ZMSCORE', k, 'a', 'nope')).toEqual(['1.5', null]);
      expect(await raw('ZRANK', k, 'e', 'WITHSCORE')).toEqual([3, '3']);
      expect(await raw('ZPOPMAX', k, '2')).toEqual(['d', '1e+20', 'e', '3']);
      expect(await raw('ZADD', k, 'INCR', '1', 'a')).toBe('2.5');
    } else {
      expect(await raw('ZRANGE', k, '0', '-1', 'WITHSCORES')).toEqual([['b', -Infinity], ['c', 0.30000000000000004], ['a', 1.5], ['e', 3], ['d', 1e20]]);
      expect(await raw('ZSCORE', k, 'a')).toBe(1.5);
      expect(await raw('ZMSCORE', k, 'a', 'nope')).toEqual([1.5, null]);
      expect(await raw('ZRANK', k, 'e', 'WITHSCORE')).toEqual([3, 3]);
      expect(await raw('ZPOPMAX', k, '2')).toEqual([['d', 1e20], ['e', 3]]);
      expect(await raw('ZADD', k, 'INCR', '1', 'a')).toBe(2.5);
    }
    // A single-member ZPOPMIN is flat in both protocols.
    expect(await raw('ZPOPMIN', k)).toEqual(resp === 2 ? ['b', '-inf'] : ['b', -Infinity]);
    expect(await client.zRangeWithScores(k, 0, -1)).toEqual([{ value: 'c', score: 0.30000000000000004 }, { value: 'a', score: 2.5 }]);

    await expect(raw('ZADD', k, 'nan', 'x')).rejects.toThrow('ERR value is not a valid float');
    expect(await client.zAdd(k + 'inf', { score: Infinity, value: 'm' })).toBe(1);
    await expect(client.zIncrBy(k + 'inf', -Infinity, 'm')).rejects.toThrow('ERR resulting score is not a number (NaN)');
    expect(await client.zRangeByLex(k + 'lex', '-', '+')).toEqual([]);
    expect(await client.zAdd(k + 'lex', ['b', 'a', 'c'].map((value) => ({ score: 0, value })))).toBe(3);
    expect(await client.zRangeByLex(k + 'lex', '(a', '[c')).toEqual(['b', 'c']);
  });

  test('HyperLogLog: PFADD / PFCOUNT / PFMERGE give real Valkey\'s estimates; a non-HLL string is refused', async () => {
    const k = uniq('hll');
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `e${from + i}`);
    expect(await client.pfAdd(k + '1', range(0, 1000))).toBe(1);
    expect(await client.pfAdd(k + '1', 'e1')).toBe(0);
    expect(await client.pfCount(k + '1')).toBe(1008);
    expect(await client.pfAdd(k + '2', range(500, 1500))).toBe(1);
    expect(await client.pfCount(k + '2')).toBe(991);
    expect(await client.pfCount([k + '1', k + '2'])).toBe(1509);
    expect(await client.pfMerge(k + '3', [k + '1', k + '2'])).toBe('OK');
    expect(await client.pfCount(k + '3')).toBe(1509);
    // The value is Valkey's own sparse encoding, byte for byte the same length.
    expect(await client.strLen(k + '3')).toBe(2719);
    expect(await client.getRange(k + '3', 0, 3)).toBe('HYLL');
    expect(await client.pfAdd(k + 'empty')).toBe(1);
    expect(await client.pfCount(k + 'empty')).toBe(0);
    expect(await client.set(k + 's', 'not an hll')).toBe('OK');
    await expect(client.pfCount(k + 's')).rejects.toThrow('WRONGTYPE Key is not a valid HyperLogLog string value.');
    await expect(client.pfAdd(k + 's', 'x')).rejects.toThrow('WRONGTYPE Key is not a valid HyperLogLog string value.');
    expect(await client.lPush(k + 'l', 'x')).toBe(1);
    await expect(client.pfCount(k + 'l')).rejects.toThrow(WRONGTYPE);
  });

  test('SORT: numeric, ALPHA, DESC and LIMIT, BY and GET patterns (hash fields too), STORE, SORT_RO', async () => {
    const k = uniq('sort');
    expect(await client.rPush(k + 'l', ['3', '1', '10', '2'])).toBe(4);
    expect(await client.sort(k + 'l')).toEqual(['1', '2', '3', '10']);
    expect(await client.sort(k + 'l', { ALPHA: true })).toEqual(['1', '10', '2', '3']);
    expect(await client.sort(k + 'l', { DIRECTION: 'DESC', LIMIT: { offset: 1, count: 2 } })).toEqual(['3', '2']);

    for (const [id, w, name] of [['1', '30', 'one'], ['2', '10', 'two'], ['3', '20', 'three']] as const) {
      expect(await client.set(`${k}w_${id}`, w)).toBe('OK');
      expect(await client.hSet(`${k}h_${id}`, 'name', name)).toBe(1);
    }
    expect(await client.sAdd(k + 'ids', ['1', '2', '3'])).toBe(3);
    expect(await client.sort(k + 'ids', { BY: `${k}w_*`, GET: ['#', `${k}h_*->name`, `${k}missing_*`] })).toEqual([
      '2', 'two', null, '3', 'three', null, '1', 'one', null,
    ]);
    expect(await client.sortRo(k + 'ids', { BY: `${k}h_*->name`, ALPHA: true, GET: `${k}w_*` })).toEqual(['30', '20', '10']); // one, three, two
    expect(await client.sortStore(k + 'ids', k + 'dst', { BY: `${k}w_*`, DIRECTION: 'DESC' })).toBe(3);
    expect(await client.lRange(k + 'dst', 0, -1)).toEqual(['1', '3', '2']);
    expect(await client.type(k + 'dst')).toBe('list');

    expect(await client.zAdd(k + 'z', [{ score: 2, value: 'x' }, { score: 1, value: 'y' }, { score: 3, value: 'w' }])).toBe(3);
    expect(await client.sort(k + 'z', { BY: 'nosort' })).toEqual(['y', 'x', 'w']); // a sorted set keeps its score order
    expect(await client.sort(k + 'z', { BY: 'nosort', DIRECTION: 'DESC', LIMIT: { offset: 0, count: 2 } })).toEqual(['w', 'x']);

    expect(await client.rPush(k + 'words', ['b', 'a'])).toBe(2);
    await expect(client.sort(k + 'words')).rejects.toThrow("ERR One or more scores can't be converted into double");
    expect(await client.set(k + 'str', 'v')).toBe('OK');
    await expect(client.sort(k + 'str')).rejects.toThrow(WRONGTYPE);
    expect(await client.sort(k + 'nokey')).toEqual([]);
  });
});
