import { describe, expect, test } from 'vitest';
import { ZSet } from '../types/zset.js';
import { formatG17 } from './zset.js';
import { engineBench } from '../../../test/support/engine-bench.js';

function setup() {
  const bench = engineBench({ skipEventClasses: ['m', 'n'] });
  const zset = (k: string) => bench.engine.db(0).peek(k)?.value as ZSet | undefined;
  return { ...bench, zset };
}

const int = (n: number) => `:${n}\r\n`;
const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const arr = (...items: string[]) => `*${items.length}\r\n${items.join('')}`;
const NIL_ARRAY = '*-1\r\n';

describe('blocking pops on a virtual clock', () => {
  test('BZPOPMIN times out once the clock is past its deadline, with a null array (RESP2 *-1, RESP3 _)', () => {
    const { connect, exec, clock, later } = setup();
    const a = connect();
    const b = connect(3);
    expect(exec(a, 'BZPOPMIN', 'z', '1.5')).toBe('BLOCKED');
    expect(exec(b, 'BZMPOP', '0.25', '2', 'z', 'y', 'MAX')).toBe('BLOCKED');
    clock.advance(250); // at the deadline: still waiting (Valkey times out when now > deadline)
    expect(later(b)).toEqual([]);
    clock.advance(1);
    expect(later(b)).toEqual(['_\r\n']);
    clock.advance(1249);
    expect(later(a)).toEqual([]);
    clock.advance(1);
    expect(later(a)).toEqual([NIL_ARRAY]);
  });

  test('timeout 0 waits however far the clock moves; a ZADD from another client serves it', () => {
    const { connect, exec, run, clock, later, events } = setup();
    const a = connect();
    expect(exec(a, 'BZPOPMAX', 'z1', 'z2', '0')).toBe('BLOCKED');
    clock.advance(10 * 365 * 86400_000);
    expect(later(a)).toEqual([]);
    events.length = 0;
    expect(run('ZADD', 'z2', '1', 'x', '2', 'y')).toBe(int(2));
    expect(later(a)).toEqual([arr(bulk('z2'), bulk('y'), bulk('2'))]);
    expect(events).toEqual(['zadd z2', 'zpopmax z2']);
    expect(run('ZRANGE', 'z2', '0', '-1')).toBe(arr(bulk('x')));
  });

  test('clients are served in the order they blocked, one member each, and the rest wait', () => {
    const { connect, exec, run, later } = setup();
    const [a, b, c] = [connect(), connect(), connect(3)];
    exec(a, 'BZPOPMIN', 'q', '0');
    exec(b, 'BZMPOP', '0', '1', 'q', 'MIN', 'COUNT', '2');
    exec(c, 'BZPOPMIN', 'q', '0');
    run('ZADD', 'q', '1', 'one', '2', 'two', '3', 'three');
    expect(later(a)).toEqual([arr(bulk('q'), bulk('one'), bulk('1'))]);
    expect(later(b)).toEqual([arr(bulk('q'), arr(arr(bulk('two'), bulk('2')), arr(bulk('three'), bulk('3'))))]);
    expect(later(c)).toEqual([]);
    expect(run('EXISTS', 'q')).toBe(int(0));
    run('ZADD', 'q', '5', 'five');
    expect(later(c)).toEqual(['*3\r\n$1\r\nq\r\n$4\r\nfive\r\n,5\r\n']);
  });

  test('a wake-up that finds nothing (emptied again, or expired) keeps the waiter and its deadline', () => {
    const { connect, exec, run, clock, later, engine } = setup();
    const a = connect();
    exec(a, 'BZPOPMIN', 'z', '1');
    clock.advance(400);
    run('MULTI');
    run('ZADD', 'z', '1', 'one');
    run('ZREM', 'z', 'one');
    run('EXEC');
    expect(later(a)).toEqual([]);
    // A sorted set that is logically expired when the waiter is woken: not served (and not deleted by the check).
    const db = engine.db(0);
    const zs = new ZSet(true);
    zs.insert('one', 1);
    const e = db.set('z', 'zset', zs, clock.now());
    db.setExpire(e, 'z', clock.now() - 1);
    engine.keyReady(db, 'z');
    engine.afterCommand();
    expect(later(a)).toEqual([]);
    clock.advance(600); // at the deadline: still waiting
    expect(later(a)).toEqual([]);
    clock.advance(1);
    expect(later(a)).toEqual([NIL_ARRAY]);
  });

  test('a ready key of another type does not wake; a re-run that meets a wrong type answers WRONGTYPE', () => {
    const { connect, exec, run, later } = setup();
    const a = connect();
    exec(a, 'BZPOPMIN', 'k1', 'k2', '0');
    run('SET', 'k1', 'str');
    run('RPUSH', 'k2', 'x');
    expect(later(a)).toEqual([]);
    run('DEL', 'k2');
    run('ZADD', 'k2', '1', 'v');
    expect(later(a)).toEqual(['-WRONGTYPE Operation against a key holding the wrong kind of value\r\n']);
    expect(run('ZCARD', 'k2')).toBe(int(1));
  });

  test('inside MULTI nothing blocks: a null array at once', () => {
    const { run } = setup();
    run('MULTI');
    run('BZPOPMIN', 'z', '0');
    run('BZMPOP', '0', '1', 'z', 'MIN');
    run('ZADD', 'z', '1', 'a');
    run('BZPOPMAX', 'z', '0');
    expect(run('EXEC')).toBe(arr(NIL_ARRAY, NIL_ARRAY, int(1), arr(bulk('z'), bulk('a'), bulk('1'))));
  });

  test('a disconnected waiter is forgotten', () => {
    const { connect, exec, run, later, engine } = setup();
    const a = connect();
    const b = connect();
    exec(a, 'BZPOPMIN', 'z', '0');
    exec(b, 'BZPOPMIN', 'z', '0');
    engine.disconnect(a);
    run('ZADD', 'z', '1', 'm');
    expect(later(a)).toEqual([]);
    expect(later(b)).toEqual([arr(bulk('z'), bulk('m'), bulk('1'))]);
  });

  test('timeout parsing', () => {
    const { run } = setup();
    expect(run('BZPOPMIN', 'z', '-1')).toBe('-ERR timeout is negative\r\n');
    expect(run('BZPOPMIN', 'z', 'x')).toBe('-ERR timeout is not a float or out of range\r\n');
    expect(run('BZPOPMIN', 'z', 'inf')).toBe('-ERR timeout is out of range\r\n');
    expect(run('BZPOPMIN', 'z', '9223372036854775')).toBe('-ERR timeout is out of range\r\n');
    expect(run('BZMPOP', 'x', '1', 'z', 'BAD')).toBe('-ERR syntax error\r\n');
  });
});

describe('keyspace events and WATCH', () => {
  test('events as Valkey sends them', () => {
    const { run, events } = setup();
    const script = [
      ['ZADD', 'z', '1', 'a', '2', 'b'], ['ZADD', 'z', '1', 'a'], ['ZADD', 'z', 'XX', '5', 'q'], ['ZADD', 'z', 'INCR', '1', 'a'],
      ['ZINCRBY', 'z', '1', 'a'], ['ZREM', 'z', 'nope'], ['ZREM', 'z', 'a'], ['ZREM', 'z', 'b'], ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
      ['ZREMRANGEBYSCORE', 'z', '1', '1'], ['ZREMRANGEBYRANK', 'z', '0', '0'], ['ZREMRANGEBYLEX', 'z', '-', '+'], ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
      ['ZPOPMIN', 'z'], ['ZPOPMAX', 'z', '5'], ['ZADD', 'z', '1', 'a'], ['ZMPOP', '1', 'z', 'MIN'], ['ZADD', 'z', '1', 'a'],
      ['ZUNIONSTORE', 'd', '1', 'z'], ['ZINTERSTORE', 'd', '1', 'z'], ['ZDIFFSTORE', 'd', '1', 'z'], ['ZRANGESTORE', 'd', 'z', '0', '-1'],
      ['ZRANGESTORE', 'd', 'z', '5', '6'], ['ZUNIONSTORE', 'd', '1', 'nokey'], ['ZADD', 'd', '1', 'x'], ['ZDIFFSTORE', 'd', '2', 'z', 'z'],
      ['BZPOPMIN', 'z', '0'],
    ];
    for (const c of script) run(...c);
    // Recorded from Valkey 9.1.2 with notify-keyspace-events KEA.
    expect(events).toEqual([
      'zadd z', 'zincr z', 'zincr z', 'zrem z', 'zrem z', 'del z', 'zadd z', 'zremrangebyscore z', 'zremrangebyrank z',
      'zremrangebylex z', 'del z', 'zadd z', 'zpopmin z', 'zpopmax z', 'del z', 'zadd z', 'zpopmin z', 'del z', 'zadd z',
      'zunionstore d', 'zinterstore d', 'zdiffstore d', 'zrangestore d', 'del d', 'zadd d', 'del d', 'zpopmin z', 'del z',
    ]);
  });

  test('WATCH: a write that changes nothing leaves EXEC alone; a real change fails it', () => {
    const { run, connect, exec } = setup();
    const other = connect();
    run('ZADD', 'z', '1', 'a');
    run('WATCH', 'z');
    exec(other, 'ZADD', 'z', '1', 'a');
    exec(other, 'ZADD', 'z', 'NX', '5', 'a');
    exec(other, 'ZREM', 'z', 'nope');
    exec(other, 'ZREMRANGEBYRANK', 'z', '5', '9');
    exec(other, 'ZPOPMIN', 'z', '0');
    exec(other, 'ZCARD', 'z');
    run('MULTI');
    run('ZCARD', 'z');
    expect(run('EXEC')).toBe(arr(int(1)));
    for (const write of [['ZINCRBY', 'z', '1', 'a'], ['ZREM', 'z', 'a'], ['ZUNIONSTORE', 'z', '1', 'src'], ['ZRANGESTORE', 'z', 'src', '0', '-1']]) {
      run('ZADD', 'src', '1', 'x');
      run('ZADD', 'z', '1', 'a');
      run('WATCH', 'z');
      exec(other, ...write);
      run('MULTI');
      run('PING');
      expect(run('EXEC')).toBe(NIL_ARRAY);
    }
  });

  test('the dirty counter counts each element added, updated, removed or popped', () => {
    const { run, engine } = setup();
    const d0 = engine.stats.dirty;
    run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    expect(engine.stats.dirty - d0).toBe(3);
    run('ZADD', 'z', '1', 'a', '5', 'b');
    expect(engine.stats.dirty - d0).toBe(4);
    run('ZREM', 'z', 'a', 'nope');
    run('ZPOPMIN', 'z', '2');
    expect(engine.stats.dirty - d0).toBe(7);
  });
});

describe('encodings', () => {
  test('conversions follow the configured limits, and results are sized for a listpack', () => {
    const { run, zset } = setup();
    run('CONFIG', 'SET', 'zset-max-listpack-entries', '3');
    run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    expect(zset('z')!.encoding).toBe('listpack');
    run('ZADD', 'z', '4', 'd');
    expect(run('OBJECT', 'ENCODING', 'z')).toBe(bulk('skiplist'));
    run('ZREM', 'z', 'a', 'b');
    expect(zset('z')!.encoding).toBe('skiplist');
    run('ZUNIONSTORE', 'u', '1', 'z');
    expect(zset('u')!.encoding).toBe('listpack');
    run('ZRANGESTORE', 'r', 'z', '0', '-1');
    expect(zset('r')!.encoding).toBe('listpack');
    run('CONFIG', 'SET', 'zset-max-listpack-value', '1');
    run('ZADD', 'v', '1', 'ab');
    expect(zset('v')!.encoding).toBe('skiplist');
    run('COPY', 'v', 'vc');
    expect(zset('vc')!.encoding).toBe('skiplist');
    expect(zset('vc')).not.toBe(zset('v'));
  });

  test('OBJECT ENCODING and TYPE', () => {
    const { run } = setup();
    run('ZADD', 'z', '1', 'a');
    expect(run('OBJECT', 'ENCODING', 'z')).toBe(bulk('listpack'));
    expect(run('TYPE', 'z')).toBe('+zset\r\n');
  });
});

describe('ZSCAN over a skiplist', () => {
  /** Runs a full ZSCAN; `between` runs after each call. */
  const scanAll = (run: (...a: string[]) => string, key: string, count: string, between?: (step: number) => void) => {
    const seen: string[] = [];
    let cursor = '0';
    let step = 0;
    do {
      const raw = run('ZSCAN', key, cursor, 'COUNT', count, 'NOSCORES');
      const lines = raw.split('\r\n');
      cursor = lines[2]!;
      const n = Number(lines[3]!.slice(1));
      for (let i = 0; i < n; i++) seen.push(lines[5 + 2 * i]!);
      between?.(step++);
    } while (cursor !== '0');
    return seen;
  };

  test('a full scan in small steps returns every member once, whatever changes meanwhile', () => {
    const { run } = setup();
    run('CONFIG', 'SET', 'zset-max-listpack-entries', '0');
    const members = Array.from({ length: 300 }, (_, i) => `m${i}`);
    run('ZADD', 'z', ...members.flatMap((m, i) => [String(i % 17), m]));
    expect(run('OBJECT', 'ENCODING', 'z')).toBe(bulk('skiplist'));
    const plain = scanAll(run, 'z', '7');
    expect(plain.length).toBe(300);
    expect(new Set(plain)).toEqual(new Set(members));
    // Members that stay the whole time come back exactly once, despite adds, removals and score changes.
    const stable = members.filter((_, i) => i % 3 !== 0);
    const seen = scanAll(run, 'z', '5', (step) => {
      run('ZREM', 'z', `m${step * 3}`);
      run('ZADD', 'z', String(step), `new${step}`);
      run('ZINCRBY', 'z', '100', `m${step * 3 + 1}`);
    });
    for (const m of stable) expect(seen.filter((x) => x === m)).toEqual([m]);
  });

  test('MATCH filters, scores print as %.17Lg', () => {
    const { run } = setup();
    run('CONFIG', 'SET', 'zset-max-listpack-entries', '0');
    run('ZADD', 'z', '0.1', 'a1', '2', 'a2', '3', 'b1');
    const raw = run('ZSCAN', 'z', '0', 'MATCH', 'a*', 'COUNT', '100');
    expect(raw.startsWith('*2\r\n$1\r\n0\r\n*4\r\n')).toBe(true);
    expect(raw).toContain(bulk('0.10000000000000001'));
    expect(raw).not.toContain('b1');
  });
});

describe('replies', () => {
  test('RESP3 shapes: doubles, pairs, null arrays', () => {
    const { connect, exec } = setup();
    const c = connect(3);
    exec(c, 'ZADD', 'z', '1', 'a', '2.5', 'b');
    expect(exec(c, 'ZSCORE', 'z', 'b')).toBe(',2.5\r\n');
    expect(exec(c, 'ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toBe('*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n');
    expect(exec(c, 'ZRANK', 'z', 'b', 'WITHSCORE')).toBe('*2\r\n:1\r\n,2.5\r\n');
    expect(exec(c, 'ZRANK', 'z', 'x', 'WITHSCORE')).toBe('_\r\n');
    expect(exec(c, 'ZPOPMIN', 'z')).toBe('*2\r\n$1\r\na\r\n,1\r\n');
    expect(exec(c, 'ZPOPMIN', 'z', '1')).toBe('*1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n');
    expect(exec(c, 'ZMPOP', '1', 'z', 'MIN')).toBe('_\r\n');
  });

  test('ZRANDMEMBER draws from the engine rng: the same seed gives the same picks', () => {
    const picks = () => {
      const { run } = setup();
      run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e');
      return [run('ZRANDMEMBER', 'z', '-10'), run('ZRANDMEMBER', 'z', '3'), run('ZRANDMEMBER', 'z')];
    };
    const first = picks();
    expect(picks()).toEqual(first);
    const { run } = setup();
    run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e');
    // Distinct members for a positive count, returned in listpack order.
    const three = run('ZRANDMEMBER', 'z', '3');
    const members = three.split('\r\n').filter((_, i) => i % 2 === 0 && i > 0);
    expect(new Set(members).size).toBe(3);
    expect([...members].sort()).toEqual(members);
    expect(run('ZRANDMEMBER', 'z', '-2000000000')).toMatch(/^-ERR valkey-double refuses/);
  });

  test('formatG17 prints like "%.17Lg"', () => {
    expect(formatG17(0.1)).toBe('0.10000000000000001');
    expect(formatG17(1.5)).toBe('1.5');
    expect(formatG17(1e300)).toBe('1.0000000000000001e+300');
    expect(formatG17(2.5e-10)).toBe('2.5000000000000002e-10');
    expect(formatG17(1e17)).toBe('1e+17');
    expect(formatG17(1e16)).toBe('10000000000000000');
    expect(formatG17(0.0001)).toBe('0.0001');
    expect(formatG17(0.00001)).toBe('1.0000000000000001e-05');
    expect(formatG17(-3)).toBe('-3');
    expect(formatG17(-0)).toBe('-0');
    expect(formatG17(-Infinity)).toBe('-inf');
    expect(formatG17(123456789)).toBe('123456789');
    expect(formatG17(5e-324)).toBe('4.9406564584124654e-324');
  });
});
