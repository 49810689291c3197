import { describe, expect, test } from 'vitest';
import { engineBench, T0 } from '../../../test/support/engine-bench.js';

const int = (n: number) => `:${n}\r\n`;
const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const arr = (...items: string[]) => `*${items.length}\r\n${items.join('')}`;
const entry = (id: string, ...fv: string[]) => arr(bulk(id), arr(...fv.map(bulk)));
const NIL_ARRAY = '*-1\r\n';
const OK = '+OK\r\n';

describe('stream IDs on the server clock', () => {
  test('XADD * takes the virtual time; the sequence grows within a millisecond and when the clock goes back', () => {
    const { run, clock } = engineBench();
    expect(run('XADD', 's', '*', 'f', 'v')).toBe(bulk(`${T0}-0`));
    expect(run('XADD', 's', '*', 'f', 'v')).toBe(bulk(`${T0}-1`));
    clock.advance(5);
    expect(run('XADD', 's', '*', 'f', 'v')).toBe(bulk(`${T0 + 5}-0`));
    clock.set(T0 - 1000);
    expect(run('XADD', 's', '*', 'f', 'v')).toBe(bulk(`${T0 + 5}-1`));
    expect(run('XADD', 's', `${T0 + 5}-*`, 'f', 'v')).toBe(bulk(`${T0 + 5}-2`));
    expect(run('XLEN', 's')).toBe(int(5));
  });

  test('XADD on a missing key creates it; NOMKSTREAM does not', () => {
    const { run, engine } = engineBench();
    expect(run('XADD', 's', 'NOMKSTREAM', '*', 'f', 'v')).toBe('$-1\r\n');
    expect(engine.db(0).peek('s')).toBeUndefined();
    run('XADD', 's', '1-1', 'f', 'v');
    expect(run('TYPE', 's')).toBe('+stream\r\n');
    expect(run('OBJECT', 'ENCODING', 's')).toBe(bulk('stream'));
  });
});

describe('keyspace events, dirty counts and WATCH', () => {
  test('the events of class t, in Valkey order', () => {
    const { run, events } = engineBench();
    run('XADD', 's', 'MAXLEN', '1', '1-1', 'f', 'v');
    run('XADD', 's', 'MAXLEN', '1', '2-1', 'f', 'v');
    run('XDEL', 's', '9-9');
    run('XDEL', 's', '2-1');
    run('XGROUP', 'CREATE', 's', 'g', '0');
    run('XGROUP', 'CREATE', 'n', 'g', '$', 'MKSTREAM');
    run('XGROUP', 'SETID', 's', 'g', '0');
    run('XADD', 's', '3-1', 'f', 'v');
    run('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    run('XCLAIM', 's', 'g', 'bob', '0', '3-1');
    run('XACK', 's', 'g', '3-1');
    run('XGROUP', 'DELCONSUMER', 's', 'g', 'bob');
    run('XGROUP', 'DESTROY', 's', 'g');
    run('XSETID', 's', '9-9');
    run('XTRIM', 's', 'MAXLEN', '0');
    run('XTRIM', 's', 'MAXLEN', '0');
    expect(events).toEqual([
      'new s', 'xadd s', 'xadd s', 'xtrim s', 'xdel s', 'xgroup-create s', 'new n', 'xgroup-create n', 'xgroup-setid s', 'xadd s',
      'xgroup-createconsumer s', 'xgroup-createconsumer s', 'xgroup-delconsumer s', 'xgroup-destroy s', 'xsetid s', 'xtrim s',
    ]);
  });

  test('dirty counts follow Valkey (one per entry deleted, trimmed or acknowledged)', () => {
    const { run, engine } = engineBench();
    const dirty = (f: () => void) => {
      const d0 = engine.stats.dirty;
      f();
      return engine.stats.dirty - d0;
    };
    expect(dirty(() => { for (let i = 1; i <= 5; i++) run('XADD', 's', `${i}-1`, 'f', 'v'); })).toBe(5);
    expect(dirty(() => run('XDEL', 's', '1-1', '2-1', '9-9'))).toBe(2);
    expect(dirty(() => run('XGROUP', 'CREATE', 's', 'g', '0'))).toBe(1);
    // A new consumer, then the read of one stream.
    expect(dirty(() => run('XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 's', '>'))).toBe(2);
    expect(dirty(() => run('XACK', 's', 'g', '3-1', '4-1', '9-9'))).toBe(2);
    expect(dirty(() => run('XTRIM', 's', 'MAXLEN', '0'))).toBe(3); // one per entry trimmed
  });
});

describe('consumer groups on the virtual clock', () => {
  test('idle times in XPENDING and XINFO CONSUMERS, IDLE filters, XCLAIM min-idle-time', () => {
    const { run, clock } = engineBench();
    for (let i = 1; i <= 3; i++) run('XADD', 's', `${i}-1`, 'f', String(i));
    run('XGROUP', 'CREATE', 's', 'g', '0');
    run('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>');
    clock.advance(100);
    run('XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>');
    clock.advance(50);
    expect(run('XPENDING', 's', 'g', '-', '+', '10')).toBe(arr(
      arr(bulk('1-1'), bulk('alice'), int(150), int(1)), arr(bulk('2-1'), bulk('alice'), int(150), int(1)), arr(bulk('3-1'), bulk('bob'), int(50), int(1)),
    ));
    expect(run('XPENDING', 's', 'g', 'IDLE', '100', '-', '+', '10')).toBe(arr(
      arr(bulk('1-1'), bulk('alice'), int(150), int(1)), arr(bulk('2-1'), bulk('alice'), int(150), int(1)),
    ));
    expect(run('XCLAIM', 's', 'g', 'bob', '120', '1-1', '3-1', 'JUSTID')).toBe(arr(bulk('1-1')));
    expect(run('XINFO', 'CONSUMERS', 's', 'g')).toBe(arr(
      `*8\r\n${bulk('name')}${bulk('alice')}${bulk('pending')}${int(1)}${bulk('idle')}${int(150)}${bulk('inactive')}${int(150)}`,
      `*8\r\n${bulk('name')}${bulk('bob')}${bulk('pending')}${int(2)}${bulk('idle')}${int(0)}${bulk('inactive')}${int(0)}`,
    ));
    clock.advance(10);
    expect(run('XAUTOCLAIM', 's', 'g', 'carol', '100', '0')).toBe(arr(bulk('0-0'), arr(entry('2-1', 'f', '2')), arr()));
  });

  test('XINFO STREAM FULL reports delivery times and counts from the clock', () => {
    const { run, clock } = engineBench();
    run('XADD', 's', '1-1', 'f', 'v');
    run('XGROUP', 'CREATE', 's', 'g', '0');
    run('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    clock.advance(7);
    run('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0');
    const full = run('XINFO', 'STREAM', 's', 'FULL');
    expect(full).toContain(arr(bulk('1-1'), bulk('alice'), int(T0 + 7), int(2)));
    expect(full).toContain(`${bulk('seen-time')}${int(T0 + 7)}${bulk('active-time')}${int(T0)}`);
  });
});

describe('blocking reads', () => {
  test('XREAD BLOCK times out only once the clock is past the deadline', () => {
    const { engine, connect, exec, later, clock } = engineBench();
    const c = connect();
    expect(exec(c, 'XREAD', 'BLOCK', '100', 'STREAMS', 's', '$')).toBe('BLOCKED');
    clock.advance(100);
    expect(later(c)).toEqual([]);
    clock.advance(1);
    expect(later(c)).toEqual([NIL_ARRAY]);
    expect(engine.blockingStats().keys).toBe(0);
  });

  test('clients are served in the order they blocked; $ stands for the last ID when blocking', () => {
    const { run, connect, exec, later } = engineBench();
    run('XADD', 's', '1-1', 'f', 'old');
    const a = connect();
    const b = connect(3);
    expect(exec(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$')).toBe('BLOCKED');
    expect(exec(b, 'XREAD', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 's', '$')).toBe('BLOCKED');
    run('XADD', 'other', '1-1', 'f', 'v');
    run('XDEL', 's', '1-1');
    expect(later(a)).toEqual([]);
    run('XADD', 's', '2-1', 'f', 'new');
    expect(later(a)).toEqual([arr(arr(bulk('s'), arr(entry('2-1', 'f', 'new'))))]);
    expect(later(b)).toEqual([`%1\r\n${bulk('s')}${arr(entry('2-1', 'f', 'new'))}`]);
  });

  test('XREADGROUP BLOCK: one new entry goes to the first waiter; deletion and DESTROY answer NOGROUP', () => {
    const { run, connect, exec, later, engine } = engineBench();
    run('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const a = connect();
    const b = connect();
    exec(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    exec(b, 'XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'STREAMS', 's', '>');
    expect(engine.blockingStats().onNoKey).toBe(1);
    run('XADD', 's', '1-1', 'f', 'v');
    expect(later(a)).toEqual([arr(arr(bulk('s'), arr(entry('1-1', 'f', 'v'))))]);
    expect(later(b)).toEqual([]);
    run('XGROUP', 'DESTROY', 's', 'g');
    expect(later(b)).toEqual(["-NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option\r\n"]);
    run('XGROUP', 'CREATE', 's', 'g', '$');
    exec(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    run('FLUSHALL');
    expect(later(a)).toHaveLength(2);
    expect(later(a)[1]).toMatch(/^-NOGROUP/);
    expect(engine.blockingStats()).toEqual({ keys: 0, withTimeout: 0, onNoKey: 0 });
  });

  test('inside MULTI a blocking read answers at once', () => {
    const { run } = engineBench();
    run('MULTI');
    run('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    expect(run('EXEC')).toBe(arr(NIL_ARRAY));
  });
});

describe('COPY keeps the groups apart', () => {
  test('a copied stream has its own PEL and consumers', () => {
    const { run } = engineBench();
    run('XADD', 's', '1-1', 'f', 'v');
    run('XGROUP', 'CREATE', 's', 'g', '0');
    run('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    expect(run('COPY', 's', 't')).toBe(int(1));
    expect(run('XACK', 't', 'g', '1-1')).toBe(int(1));
    expect(run('XPENDING', 's', 'g')).toBe(arr(int(1), bulk('1-1'), bulk('1-1'), arr(arr(bulk('alice'), bulk('1')))));
    expect(run('XPENDING', 't', 'g')).toBe(arr(int(0), '$-1\r\n', '$-1\r\n', NIL_ARRAY));
    expect(run('XGROUP', 'CREATE', 't', 'g', '0')).toBe('-BUSYGROUP Consumer Group name already exists\r\n');
    expect(run('RENAME', 't', 'u')).toBe(OK);
    expect(run('XLEN', 'u')).toBe(int(1));
  });
});
