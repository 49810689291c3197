import { describe, expect, test } from 'vitest';
import { encode, type Reply } from '../../protocol/index.js';
import { VirtualClock } from '../../time/index.js';
import { BLOCKED } from '../command.js';
import { Engine } from '../engine.js';
import type { ListValue } from '../types/list.js';
import type { ZSet } from '../types/zset.js';

const T0 = 1_700_000_000_000;

function setup() {
  const clock = new VirtualClock({ start: T0 });
  const engine = new Engine({ clock });
  const client = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:6379', fd: 7 }, { deliver() {}, close() {} });
  const exec = (resp: 2 | 3, argv: string[]): string => {
    const r = engine.execute(client, argv);
    if (r === undefined || r === BLOCKED) throw new Error(`${argv.join(' ')}: no reply`);
    return encode(r as Reply, resp);
  };
  const run = (...argv: string[]): string => exec(2, argv);
  const run3 = (...argv: string[]): string => exec(3, argv);
  const events: string[] = [];
  engine.onKeyspaceEvent((cls, ev, key) => events.push(`${cls} ${ev} ${key}`));
  const db = engine.db(0);
  /**
   * Advances the clock with active expiry stopped (every command re-arms it):
   * the lazy path, the lookups SORT makes, is under test.
   */
  const later = (ms: number) => {
    engine.close();
    clock.advance(ms);
  };
  return { clock, engine, client, run, run3, events, db, later };
}

const int = (n: number) => `:${n}\r\n`;
const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const NIL2 = '$-1\r\n';
const NIL3 = '_\r\n';
const arr = (...items: string[]) => `*${items.length}\r\n${items.join('')}`;
const bulks = (...ms: string[]) => arr(...ms.map(bulk));
const err = (s: string) => `-${s}\r\n`;

describe('keys named by BY and GET patterns that expire', () => {
  test('an expired BY or GET key is missing: lazily deleted on lookup, with its events and stats', () => {
    const { run, run3, later, events, engine, db } = setup();
    run('RPUSH', 'l', 'a', 'b', 'c');
    run('SET', 'w_a', '3', 'PX', '100');
    run('SET', 'w_b', '2');
    run('SET', 'w_c', '1', 'PX', '1000');
    run('SET', 'g_a', 'A', 'PX', '100');
    run('SET', 'g_b', 'B');
    expect(run('SORT', 'l', 'BY', 'w_*', 'GET', 'g_*', 'GET', '#')).toBe(arr(NIL2, bulk('c'), bulk('B'), bulk('b'), bulk('A'), bulk('a')));

    later(100); // at the deadline: still there
    expect(run('SORT', 'l', 'BY', 'w_*')).toBe(bulks('c', 'b', 'a'));
    later(1);
    events.length = 0;
    const { keyspaceHits, keyspaceMisses, expiredKeys } = engine.stats;
    // w_a is gone: weight 0, first. GET lookups follow the sorted order.
    expect(run('SORT', 'l', 'BY', 'w_*', 'GET', 'g_*', 'GET', '#')).toBe(arr(NIL2, bulk('a'), NIL2, bulk('c'), bulk('B'), bulk('b')));
    expect(events).toEqual(['x expired w_a', 'm keymiss w_a', 'x expired g_a', 'm keymiss g_a', 'm keymiss g_c']);
    // l, w_a, w_b, w_c, then g_a, g_c, g_b: four hits and three misses.
    expect(engine.stats.keyspaceHits - keyspaceHits).toBe(4);
    expect(engine.stats.keyspaceMisses - keyspaceMisses).toBe(3);
    expect(engine.stats.expiredKeys - expiredKeys).toBe(2);
    expect(db.peek('w_a')).toBeUndefined();
    expect(db.peek('g_a')).toBeUndefined();
    expect(run3('SORT', 'l', 'BY', 'w_*', 'GET', 'g_*')).toBe(arr(NIL3, NIL3, bulk('B')));

    later(1000); // w_c too: weight 0 like a, the elements decide between them
    expect(run('SORT', 'l', 'BY', 'w_*', 'DESC')).toBe(bulks('b', 'c', 'a'));
    expect(run('SORT', 'l', 'BY', 'w_*', 'ALPHA')).toBe(bulks('a', 'c', 'b')); // missing values first, in list order
  });

  test('expired hash fields are invisible to BY and GET', () => {
    const { run, later } = setup();
    run('RPUSH', 'l', 'a', 'b', 'c');
    run('HSET', 'h_a', 'f', '1');
    run('HSET', 'h_b', 'f', '2', 'g', 'x');
    run('HSET', 'h_c', 'f', '3', 'g', 'y');
    run('HPEXPIRE', 'h_b', '50', 'FIELDS', '1', 'f');
    run('HPEXPIRE', 'h_c', '80', 'FIELDS', '1', 'g');
    expect(run('SORT', 'l', 'BY', 'h_*->f', 'DESC', 'GET', 'h_*->f', 'GET', 'h_*->g')).toBe(arr(bulk('3'), bulk('y'), bulk('2'), bulk('x'), bulk('1'), NIL2));
    later(51);
    expect(run('SORT', 'l', 'BY', 'h_*->f', 'DESC', 'GET', 'h_*->f', 'GET', 'h_*->g')).toBe(arr(bulk('3'), bulk('y'), bulk('1'), NIL2, NIL2, bulk('x')));
    later(30);
    expect(run('SORT', 'l', 'BY', 'h_*->g', 'ALPHA', 'GET', 'h_*->g', 'GET', '#')).toBe(arr(NIL2, bulk('a'), NIL2, bulk('c'), bulk('x'), bulk('b')));
    expect(run('SORT', 'l', 'BY', 'h_*->g', 'ALPHA', 'GET', 'h_*->g', 'STORE', 'd')).toBe(int(3));
    expect(run('LRANGE', 'd', '0', '-1')).toBe(bulks('', '', 'x'));
  });

  test('the element key itself expiring, and one snapshot of time per command (EXEC included)', () => {
    const { run, later } = setup();
    run('RPUSH', 'l', '2', '1');
    run('SET', 'w_1', '9', 'PX', '10');
    run('SET', 'w_2', '5');
    run('MULTI');
    run('SORT', 'l', 'BY', 'w_*');
    run('SORT', 'l', 'BY', 'w_*');
    later(11); // EXEC runs both with its own single time snapshot
    expect(run('EXEC')).toBe(arr(bulks('1', '2'), bulks('1', '2')));
    run('PEXPIRE', 'l', '5');
    later(6);
    expect(run('SORT', 'l')).toBe('*0\r\n');
    expect(run('SORT', 'l', 'STORE', 'd')).toBe(int(0));
    expect(run('EXISTS', 'l', 'd')).toBe(int(0));
  });
});

describe('STORE', () => {
  test('events, dirty counts, the list built like Valkey builds it', () => {
    const { run, events, engine, db } = setup();
    run('RPUSH', 'l', '3', '1', '2');
    events.length = 0;
    let dirty = engine.stats.dirty;
    expect(run('SORT', 'l', 'GET', '#', 'GET', 'nokey', 'STORE', 'd')).toBe(int(6));
    expect(events).toEqual(['n new d', 'l sortstore d']);
    expect(engine.stats.dirty - dirty).toBe(6);
    expect((db.peek('d')!.value as ListValue).toArray()).toEqual(['1', '', '2', '', '3', '']);
    expect((db.peek('d')!.value as ListValue).encoding).toBe('listpack');

    events.length = 0;
    dirty = engine.stats.dirty;
    expect(run('SORT', 'l', 'LIMIT', '0', '0', 'STORE', 'd')).toBe(int(0));
    expect(events).toEqual(['g del d']);
    expect(engine.stats.dirty - dirty).toBe(1);
    events.length = 0;
    expect(run('SORT', 'l', 'LIMIT', '0', '0', 'STORE', 'd')).toBe(int(0));
    expect(events).toEqual([]);
    expect(engine.stats.dirty - dirty).toBe(1);

    run('CONFIG', 'SET', 'list-max-listpack-size', '2');
    expect(run('SORT', 'l', 'STORE', 'd')).toBe(int(3));
    expect((db.peek('d')!.value as ListValue).encoding).toBe('quicklist');
    expect((db.peek('d')!.value as ListValue).layout().map(([, count]) => count)).toEqual([2, 1]);
  });

  test('an expired destination: replaced (expired first), or deleted as a plain DEL when the result is empty', () => {
    const { run, events, engine, later } = setup();
    run('RPUSH', 'l', 'x');
    run('SET', 'd', 'v', 'PX', '5');
    later(6);
    events.length = 0;
    let { expiredKeys, dirty } = engine.stats;
    expect(run('SORT', 'l', 'ALPHA', 'STORE', 'd')).toBe(int(1));
    expect(events).toEqual(['x expired d', 'n new d', 'l sortstore d']);
    expect(engine.stats.expiredKeys - expiredKeys).toBe(1);
    expect(engine.stats.dirty - dirty).toBe(1);
    expect(run('TTL', 'd')).toBe(int(-1));

    run('SET', 'e', 'v', 'PX', '5');
    later(6);
    events.length = 0;
    ({ expiredKeys, dirty } = engine.stats);
    // dbDelete does not look at the TTL: the key goes as deleted, not as expired (checked on Valkey 9.1.2).
    expect(run('SORT', 'nokey', 'STORE', 'e')).toBe(int(0));
    expect(events).toEqual(['m keymiss nokey', 'g del e']);
    expect(engine.stats.expiredKeys - expiredKeys).toBe(0);
    expect(engine.stats.dirty - dirty).toBe(1);
  });

  test('WATCH on the destination', () => {
    const { run } = setup();
    run('RPUSH', 'l', '1');
    run('WATCH', 'd');
    run('SORT', 'l', 'STORE', 'd');
    run('MULTI');
    run('PING');
    expect(run('EXEC')).toBe('*-1\r\n');
    run('WATCH', 'nothere');
    run('SORT', 'nokey', 'STORE', 'nothere'); // nothing deleted: not a change
    run('MULTI');
    run('PING');
    expect(run('EXEC')).toBe(arr('+PONG\r\n'));
  });
});

describe('order', () => {
  // Expected replies below were taken from Valkey 9.1.2.
  test('ALPHA with BY and a LIMIT that cuts: the partial quicksort\'s tie order', () => {
    const { run } = setup();
    run('RPUSH', 'l', 'e', 'c', 'a', 'd', 'b', 'f', 'g', 'h', 'i', 'j');
    expect(run('SORT', 'l', 'BY', 'nokey_*', 'ALPHA')).toBe(bulks('e', 'c', 'a', 'd', 'b', 'f', 'g', 'h', 'i', 'j'));
    expect(run('SORT', 'l', 'BY', 'nokey_*', 'ALPHA', 'LIMIT', '0', '100')).toBe(bulks('e', 'c', 'a', 'd', 'b', 'f', 'g', 'h', 'i', 'j'));
    expect(run('SORT', 'l', 'BY', 'nokey_*', 'ALPHA', 'LIMIT', '1', '100')).toBe(bulks('c', 'a', 'd', 'b', 'f', 'g', 'h', 'i', 'e'));
    expect(run('SORT', 'l', 'BY', 'nokey_*', 'ALPHA', 'LIMIT', '1', '3')).toBe(bulks('c', 'a', 'd'));
  });

  test('ALPHA: strcoll stops at NUL bytes without STORE, every byte counts with it', () => {
    const { run } = setup();
    run('RPUSH', 'l', 'a\x00b', 'a\x00a', 'a', '\xff', 'B');
    expect(run('SORT', 'l', 'ALPHA')).toBe(bulks('B', 'a\x00b', 'a\x00a', 'a', '\xff'));
    run('SORT', 'l', 'ALPHA', 'STORE', 'd');
    expect(run('LRANGE', 'd', '0', '-1')).toBe(bulks('B', 'a', 'a\x00a', 'a\x00b', '\xff'));
  });

  test('numbers: ties broken by bytes, a NUL ends the number, bad values refused', () => {
    const { run } = setup();
    run('RPUSH', 'l', '1.0', '1', '+1', '-inf', '1\x00z', '0.5');
    expect(run('SORT', 'l')).toBe(bulks('-inf', '0.5', '+1', '1', '1\x00z', '1.0'));
    run('RPUSH', 'm', '1', '1e400');
    expect(run('SORT', 'm')).toBe(err("ERR One or more scores can't be converted into double"));
    expect(run('SORT', 'm', 'ALPHA')).toBe(bulks('1', '1e400'));
  });

  test('sorted sets become skiplists; BY nosort walks them from either end', () => {
    const { run, db } = setup();
    run('ZADD', 'z', '1', 'a', '5', 'b', '2', 'c', '10', 'd', '3', 'e');
    expect((db.peek('z')!.value as ZSet).encoding).toBe('listpack');
    expect(run('SORT_RO', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2')).toBe(bulks('b', 'e'));
    expect((db.peek('z')!.value as ZSet).encoding).toBe('skiplist');
    expect(run('SORT', 'z', 'BY', 'nosort', 'LIMIT', '3', '10')).toBe(bulks('b', 'd'));
    expect(run('SORT', 'z', 'ALPHA', 'DESC')).toBe(bulks('e', 'd', 'c', 'b', 'a'));
  });

  test('sets: BY nosort keeps the set order, with STORE it sorts ALPHA', () => {
    const { run } = setup();
    run('SADD', 's', 'b', 'c', 'a');
    expect(run('SORT', 's', 'BY', 'nosort', 'DESC')).toBe(bulks('b', 'c', 'a'));
    expect(run('SORT', 's', 'BY', 'nosort', 'DESC', 'STORE', 'd')).toBe(int(3));
    expect(run('LRANGE', 'd', '0', '-1')).toBe(bulks('c', 'b', 'a'));
  });
});

describe('errors', () => {
  test('options are parsed before the key is looked up; SORT_RO has no STORE', () => {
    const { run, events } = setup();
    run('SET', 's', 'x');
    events.length = 0;
    expect(run('SORT', 's', 'LIMIT', 'x', '1')).toBe(err('ERR value is not an integer or out of range'));
    expect(run('SORT', 's', 'foo')).toBe(err('ERR syntax error'));
    expect(events).toEqual([]);
    expect(run('SORT', 's')).toBe(err('WRONGTYPE Operation against a key holding the wrong kind of value'));
    expect(run('SORT_RO', 'l', 'STORE', 'd')).toBe(err('ERR syntax error'));
    expect(run('SORT', 'l', 'STORE')).toBe(err('ERR syntax error'));
  });
});
