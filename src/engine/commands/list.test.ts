import { describe, expect, test } from 'vitest';
import type { ListValue } from '../types/list.js';
import { engineBench } from '../../../test/support/engine-bench.js';

function setup() {
  return engineBench();
}

const int = (n: number) => `:${n}\r\n`;
const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const arr = (...items: string[]) => `*${items.length}\r\n${items.join('')}`;
const NIL_ARRAY = '*-1\r\n';
const NIL = '$-1\r\n';
const OK = '+OK\r\n';

describe('list commands on an engine', () => {
  test('push, range, pops, and the key going away', () => {
    const { run, engine } = setup();
    expect(run('RPUSH', 'l', 'a', 'b', 'c')).toBe(int(3));
    expect(run('LPUSH', 'l', 'z')).toBe(int(4));
    expect(run('LRANGE', 'l', '0', '-1')).toBe(arr(bulk('z'), bulk('a'), bulk('b'), bulk('c')));
    expect(run('RPOP', 'l', '2')).toBe(arr(bulk('c'), bulk('b')));
    expect(run('LPOP', 'l')).toBe(bulk('z'));
    expect(run('LPOP', 'l', '0')).toBe('*0\r\n');
    expect(run('LPOP', 'l', '-1')).toBe('-ERR value is out of range, must be positive\r\n');
    expect(run('LPOP', 'l', '1', '2')).toBe("-ERR wrong number of arguments for 'lpop' command\r\n");
    expect(run('RPOP', 'l')).toBe(bulk('a'));
    expect(engine.db(0).peek('l')).toBeUndefined();
    expect(run('LPOP', 'l', '1')).toBe(NIL_ARRAY);
    expect(run('LPOP', 'l')).toBe(NIL);
  });

  test('keyspace events and dirty counts, as Valkey sends them', () => {
    const { run, events, engine } = setup();
    const dirty0 = engine.stats.dirty;
    run('RPUSH', 's', 'a', 'b', 'c');
    expect(engine.stats.dirty - dirty0).toBe(3);
    run('LMOVE', 's', 'd', 'LEFT', 'RIGHT');
    run('RPOPLPUSH', 's', 'd');
    run('RPOP', 's');
    run('LTRIM', 'd', '5', '10');
    run('RPUSH', 'd', '1', '2', '3');
    run('LTRIM', 'd', '0', '-1');
    run('LREM', 'd', '0', 'zz');
    run('LREM', 'd', '0', '2');
    run('LINSERT', 'd', 'BEFORE', '1', 'x');
    run('LSET', 'd', '0', 'q');
    expect(events).toEqual([
      'new s', 'rpush s', 'new d', 'rpush d', 'lpop s', 'lpush d', 'rpop s', 'rpop s', 'del s',
      'ltrim d', 'del d', 'new d', 'rpush d', 'ltrim d', 'lrem d', 'linsert d', 'lset d',
    ]);
  });

  test('OBJECT ENCODING follows list-max-listpack-size', () => {
    const { run, engine } = setup();
    run('CONFIG', 'SET', 'list-max-listpack-size', '3');
    run('RPUSH', 'l', 'a', 'b', 'c');
    expect(run('OBJECT', 'ENCODING', 'l')).toBe(bulk('listpack'));
    run('RPUSH', 'l', 'd');
    expect(run('OBJECT', 'ENCODING', 'l')).toBe(bulk('quicklist'));
    expect((engine.db(0).peek('l')!.value as ListValue).layout().map((n) => n[1])).toEqual([3, 1]);
    run('RPOP', 'l', '3');
    expect(run('OBJECT', 'ENCODING', 'l')).toBe(bulk('listpack')); // 1 element: within half of 3
    run('COPY', 'l', 'c');
    expect(run('OBJECT', 'ENCODING', 'c')).toBe(bulk('listpack'));
    expect(run('LRANGE', 'c', '0', '-1')).toBe(arr(bulk('a')));
  });

  test('WRONGTYPE', () => {
    const { run } = setup();
    run('SET', 's', 'v');
    const wt = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
    for (const c of [['LPUSH', 's', 'a'], ['LLEN', 's'], ['LRANGE', 's', '0', '1'], ['BLPOP', 's', '0'], ['LMOVE', 'nokey', 's', 'LEFT', 'LEFT']]) {
      expect(run(...c), c.join(' ')).toBe(c[0] === 'LMOVE' ? NIL : wt);
    }
    run('RPUSH', 'l', 'x');
    expect(run('LMOVE', 'l', 's', 'LEFT', 'LEFT')).toBe(wt);
    expect(run('LLEN', 'l')).toBe(int(1));
  });
});

describe('blocking on a virtual clock', () => {
  test('BLPOP with timeout 1.5 times out once the clock is past 1500 ms, with a null array (RESP2 *-1, RESP3 _)', () => {
    const { connect, exec, clock, later } = setup();
    const a = connect(2);
    const b = connect(3);
    expect(exec(a, 'BLPOP', 'k', '1.5')).toBe('BLOCKED');
    expect(exec(b, 'BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '1.5')).toBe('BLOCKED');
    clock.advance(1500); // at the deadline: still waiting (Valkey times out when now > deadline)
    expect(a.blocked).not.toBeNull();
    expect(later(a)).toEqual([]);
    clock.advance(1);
    expect(later(a)).toEqual([NIL_ARRAY]);
    expect(later(b)).toEqual(['_\r\n']);
    expect(a.blocked).toBeNull();
  });

  test('timeout 0 waits forever; a push from another client serves it', () => {
    const { connect, exec, run, clock, later } = setup();
    const a = connect();
    expect(exec(a, 'BLPOP', 'k1', 'k2', '0')).toBe('BLOCKED');
    clock.advance(10 * 365 * 86400_000);
    expect(later(a)).toEqual([]);
    expect(run('RPUSH', 'k2', 'v', 'w')).toBe(int(2));
    expect(later(a)).toEqual([arr(bulk('k2'), bulk('v'))]);
    expect(run('LRANGE', 'k2', '0', '-1')).toBe(arr(bulk('w')));
  });

  test('clients are served in the order they blocked (FIFO), one push serving several', () => {
    const { connect, exec, run, later } = setup();
    const [a, b, c] = [connect(), connect(), connect()];
    exec(a, 'BLPOP', 'q', '0');
    exec(b, 'BRPOP', 'q', '0');
    exec(c, 'BLMPOP', '0', '1', 'q', 'LEFT', 'COUNT', '5');
    expect(run('RPUSH', 'q', '1', '2')).toBe(int(2));
    expect(later(a)).toEqual([arr(bulk('q'), bulk('1'))]);
    expect(later(b)).toEqual([arr(bulk('q'), bulk('2'))]);
    expect(later(c)).toEqual([]);
    run('RPUSH', 'q', '3', '4');
    expect(later(c)).toEqual([arr(bulk('q'), arr(bulk('3'), bulk('4')))]);
    expect(run('EXISTS', 'q')).toBe(int(0));
  });

  test('BLMOVE chains: its destination wakes the next client', () => {
    const { connect, exec, run, later } = setup();
    const [a, b] = [connect(), connect()];
    exec(a, 'BLMOVE', 'src', 'mid', 'LEFT', 'RIGHT', '0');
    exec(b, 'BRPOPLPUSH', 'mid', 'dst', '0');
    run('RPUSH', 'src', 'e');
    expect(later(a)).toEqual([bulk('e')]);
    expect(later(b)).toEqual([bulk('e')]);
    expect(run('LRANGE', 'dst', '0', '-1')).toBe(arr(bulk('e')));
  });

  test('inside MULTI blocking commands do not block', () => {
    const { run } = setup();
    run('MULTI');
    run('BLPOP', 'k', '0');
    run('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0');
    run('RPUSH', 'k', 'v');
    run('BLPOP', 'k', '0');
    expect(run('EXEC')).toBe(arr(NIL_ARRAY, NIL, int(1), arr(bulk('k'), bulk('v'))));
  });

  test('a push and pop inside one transaction wakes no one', () => {
    const { connect, exec, run, later } = setup();
    const a = connect();
    exec(a, 'BLPOP', 'k', '0');
    run('MULTI');
    run('LPUSH', 'k', 'v');
    run('LPOP', 'k');
    run('EXEC');
    expect(later(a)).toEqual([]);
    expect(a.blocked).not.toBeNull();
  });

  test('a type change does not wake; the re-run command answers WRONGTYPE when an earlier key changed type', () => {
    const { connect, exec, run, later } = setup();
    const a = connect();
    exec(a, 'BLPOP', 'k', '0');
    run('SET', 'k', 'str');
    expect(later(a)).toEqual([]);
    run('DEL', 'k');
    const b = connect();
    exec(b, 'BLPOP', 'k1', 'k2', '0');
    run('MULTI');
    run('SET', 'k1', 'x');
    run('RPUSH', 'k2', 'v');
    run('EXEC');
    expect(later(b)).toEqual(['-WRONGTYPE Operation against a key holding the wrong kind of value\r\n']);
    expect(run('LLEN', 'k2')).toBe(int(1));
    run('RPUSH', 'k', 'w');
    expect(later(a)).toEqual([arr(bulk('k'), bulk('w'))]);
  });

  test('a blocking command counts one call; an error from its re-run counts as a failure', () => {
    const { connect, exec, run, engine } = setup();
    const blpop = engine.commands.get('blpop')!;
    const a = connect();
    exec(a, 'BLPOP', 'k', '0');
    run('RPUSH', 'k', 'v');
    expect(blpop.stats.calls).toBe(1);
    expect(blpop.stats.failed).toBe(0);
    exec(a, 'BLPOP', 'k1', 'k2', '0');
    const errors = engine.stats.errorReplies;
    run('MULTI');
    run('SET', 'k1', 'x');
    run('RPUSH', 'k2', 'v');
    run('EXEC');
    expect(blpop.stats.calls).toBe(2);
    expect(blpop.stats.failed).toBe(1);
    expect(engine.stats.errorReplies).toBe(errors + 1);
    expect(engine.stats.errors.get('WRONGTYPE')).toBe(1);
  });

  test('CLIENT UNBLOCK (engine.unblockWith) and disconnects', () => {
    const { connect, exec, run, engine, later } = setup();
    const [a, b, c] = [connect(), connect(), connect()];
    exec(a, 'BLPOP', 'k', '0');
    exec(b, 'BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0');
    exec(c, 'BLPOP', 'k', 'k', '5');
    expect(engine.blockingStats()).toEqual({ keys: 1, withTimeout: 1, onNoKey: 0 });
    expect(engine.unblockWith(a, 'timeout')).toBe(true);
    expect(later(a)).toEqual([NIL_ARRAY]);
    expect(engine.unblockWith(b, { t: 'error', v: 'UNBLOCKED client unblocked via CLIENT UNBLOCK' })).toBe(true);
    expect(later(b)).toEqual(['-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n']);
    engine.disconnect(c);
    expect(engine.blockingStats()).toEqual({ keys: 0, withTimeout: 0, onNoKey: 0 });
    run('RPUSH', 'k', 'v');
    expect(later(c)).toEqual([]);
    expect(run('LLEN', 'k')).toBe(int(1));
  });

  test('a served pop touches WATCHed keys', () => {
    const { connect, exec, run, later } = setup();
    const a = connect();
    const w = connect();
    exec(a, 'BLPOP', 'k', '0');
    exec(w, 'WATCH', 'k');
    run('RPUSH', 'k', 'v');
    expect(later(a)).toEqual([arr(bulk('k'), bulk('v'))]);
    exec(w, 'MULTI');
    exec(w, 'PING');
    expect(exec(w, 'EXEC')).toBe(NIL_ARRAY);
  });

  test('timeouts: seconds as a long double, rounded up to ms; errors', () => {
    const { run, connect, exec, clock, later } = setup();
    expect(run('BLPOP', 'k', '-1')).toBe('-ERR timeout is negative\r\n');
    expect(run('BLPOP', 'k', 'x')).toBe('-ERR timeout is not a float or out of range\r\n');
    expect(run('BLPOP', 'k', 'inf')).toBe('-ERR timeout is out of range\r\n');
    expect(run('BLPOP', 'k', '9223372036854775')).toBe('-ERR timeout is out of range\r\n');
    const a = connect();
    exec(a, 'BLPOP', 'k', '0.0001'); // 0.1 ms rounds up to 1 ms
    clock.advance(1);
    expect(later(a)).toEqual([]);
    clock.advance(1);
    expect(later(a)).toEqual([NIL_ARRAY]);
    const b = connect();
    exec(b, 'BLPOP', 'k', '-0.001'); // -0.99999... ms rounds up to 0: no timeout
    clock.advance(1_000_000);
    expect(later(b)).toEqual([]);
    expect(run('LPUSH', 'k', 'v')).toBe(int(1));
    expect(later(b)).toEqual([arr(bulk('k'), bulk('v'))]);
  });
});

describe('LSET / LINSERT / LPOS / LREM details', () => {
  test('LPOS with RANK, COUNT, MAXLEN', () => {
    const { run } = setup();
    run('RPUSH', 'l', 'a', 'b', 'c', '1', '2', '3', 'c', 'c');
    expect(run('LPOS', 'l', 'c')).toBe(int(2));
    expect(run('LPOS', 'l', 'c', 'RANK', '-1')).toBe(int(7));
    expect(run('LPOS', 'l', 'c', 'COUNT', '0')).toBe(arr(int(2), int(6), int(7)));
    expect(run('LPOS', 'l', 'c', 'RANK', '-2', 'COUNT', '0')).toBe(arr(int(6), int(2)));
    expect(run('LPOS', 'l', 'c', 'MAXLEN', '2')).toBe(NIL);
    expect(run('LPOS', 'l', 'c', 'RANK', '0')).toMatch(/^-ERR RANK can't be zero/);
    expect(run('LPOS', 'nokey', 'c', 'COUNT', '1')).toBe('*0\r\n');
  });

  test('LSET / LINSERT / LREM', () => {
    const { run } = setup();
    expect(run('LSET', 'nokey', '0', 'x')).toBe('-ERR no such key\r\n');
    run('RPUSH', 'l', 'a', 'b', 'a');
    expect(run('LSET', 'l', '-1', 'z')).toBe(OK);
    expect(run('LSET', 'l', '3', 'z')).toBe('-ERR index out of range\r\n');
    expect(run('LINSERT', 'l', 'AFTER', 'a', 'x')).toBe(int(4));
    expect(run('LINSERT', 'l', 'BEFORE', 'nope', 'x')).toBe(int(-1));
    expect(run('LINSERT', 'l', 'UP', 'a', 'x')).toBe('-ERR syntax error\r\n');
    expect(run('LRANGE', 'l', '0', '-1')).toBe(arr(bulk('a'), bulk('x'), bulk('b'), bulk('z')));
    expect(run('LREM', 'l', '-9223372036854775808', 'a')).toBe('-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n');
    expect(run('LREM', 'l', '0', 'x')).toBe(int(1));
  });
});
