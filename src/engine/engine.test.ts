import { describe, expect, test } from 'vitest';
import { encode } from '../protocol/index.js';
import { VirtualClock } from '../time/index.js';
import { BLOCKED } from './command.js';
import { Engine } from './engine.js';

function open(engine: Engine) {
  const c = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:2', fd: 7 }, { deliver: () => {}, close: () => {} });
  return (...argv: string[]) => {
    const r = engine.execute(c, argv);
    return r === undefined || r === BLOCKED ? r : encode(r, 2);
  };
}

describe('engines in one process share nothing', () => {
  test('keyspaces, clocks and configuration are per engine', () => {
    const c1 = new VirtualClock({ start: 1_000_000 });
    const c2 = new VirtualClock({ start: 1_000_000 });
    const a = open(new Engine({ clock: c1 }));
    const b = open(new Engine({ clock: c2 }));
    expect(a('SET', 'k', 'a', 'PX', '100')).toBe('+OK\r\n');
    expect(b('GET', 'k')).toBe('$-1\r\n');
    expect(b('SET', 'k', 'b', 'PX', '100')).toBe('+OK\r\n');
    c1.advance(101);
    expect(a('GET', 'k')).toBe('$-1\r\n');
    expect(b('GET', 'k')).toBe('$1\r\nb\r\n');
  });

  test('LFU settings follow each engine\'s own CONFIG SET', () => {
    const clock = new VirtualClock({ start: 1_000_000 });
    const a = open(new Engine({ clock }));
    const b = open(new Engine({ clock }));
    a('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    a('SET', 'k', 'v');
    b('SET', 'k', 'v');
    expect(a('OBJECT', 'FREQ', 'k')).toMatch(/^:\d+\r\n$/);
    expect(b('OBJECT', 'FREQ', 'k')).toMatch(/^-ERR An LFU maxmemory policy is not selected/);
    expect(a('OBJECT', 'IDLETIME', 'k')).toMatch(/^-ERR An LFU maxmemory policy is selected, idle time not tracked/);
    expect(b('OBJECT', 'IDLETIME', 'k')).toBe(':0\r\n');
  });

  test('sorted sets built the same way answer the same in different engines', () => {
    const clock = new VirtualClock({ start: 1_000_000 });
    const a = open(new Engine({ clock }));
    const b = open(new Engine({ clock }));
    const members = Array.from({ length: 300 }, (_, i) => [String(i % 7), `m${i}`]).flat();
    a('ZADD', 'z', ...members);
    b('ZADD', 'z', ...members);
    for (const cmd of [['ZRANGEBYLEX', 'z', '[m1', '[m3'], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZRANK', 'z', 'm150']]) {
      expect(a(...cmd)).toBe(b(...cmd));
    }
  });
});

describe('timers and callbacks never outlive or break the engine', () => {
  test('close() cancels active expiry even after a timer that fired inside schedule() re-armed it', () => {
    const clock = new VirtualClock({ start: 1_000_000 });
    const engine = new Engine({ clock });
    const run = open(engine);
    run('SET', 'a', '1', 'PX', '1000');
    // The clock moves while a command runs, so its key is already due when expiry is armed.
    engine.onKeyspaceEvent((_cls, event, key) => {
      if (event === 'set' && key === 'b') clock.advance(5);
    });
    run('SET', 'b', '1', 'PX', '1');
    expect(engine.db(0).peek('b')).toBeUndefined();
    expect(clock.pendingTimers).toBe(1);
    engine.close();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(5000);
    expect(engine.db(0).peek('a')).toBeDefined();
  });

  test('a blocking command whose deadline already passed answers at once and parks nothing', () => {
    const clock = new VirtualClock({ start: 1_000_000 });
    const engine = new Engine({ clock });
    const c = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:2', fd: 7 }, { deliver: () => {}, close: () => {} });
    const r = engine.block(c, { deadline: clock.now() - 1, cmd: 'blpop', onTimeout: () => ({ t: 'null', array: true }) });
    expect(r).toEqual({ t: 'null', array: true });
    expect(c.blocked).toBeNull();
    expect(clock.pendingTimers).toBe(0);
  });

  test('a waiter whose serving throws gets an error; the others waiting on the key are still served', () => {
    const clock = new VirtualClock({ start: 1_000_000 });
    const engine = new Engine({ clock });
    const got: string[] = [];
    const mk = () => engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:2', fd: 7 }, { deliver: (r) => got.push(encode(r, 2)), close: () => {} });
    const a = mk();
    const b = mk();
    const db = engine.db(0);
    engine.block(a, { deadline: 0, keys: ['k'], db, cmd: 'blpop', onTimeout: () => ({ t: 'null', array: true }), tryServe: () => { throw new Error('boom'); } });
    engine.block(b, { deadline: 0, keys: ['k'], db, cmd: 'blpop', onTimeout: () => ({ t: 'null', array: true }), tryServe: () => ({ t: 'simple', v: 'served' }) });
    const run = open(engine);
    expect(run('RPUSH', 'k', 'v')).toBe(':1\r\n');
    expect(got).toEqual(["-ERR internal error in valkey-double while running 'blpop': boom\r\n", '+served\r\n']);
    expect(a.blocked).toBeNull();
    expect(b.blocked).toBeNull();
  });

  test('a keyspace event listener that throws does not undo or fail the write', () => {
    const clock = new VirtualClock({ start: 1_000_000 });
    const engine = new Engine({ clock });
    const run = open(engine);
    engine.onKeyspaceEvent(() => { throw new Error('listener bug'); });
    const onWarning = () => {};
    process.on('warning', onWarning); // the failure is reported as a process warning
    try {
      expect(run('SET', 'k', 'v')).toBe('+OK\r\n');
      expect(run('GET', 'k')).toBe('$1\r\nv\r\n');
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('seeded randomness', () => {
  test('reading INFO does not change what the rng draws later', () => {
    const mk = () => {
      const run = open(new Engine({ clock: new VirtualClock({ start: 1_000_000 }), seed: 7 }));
      for (let i = 0; i < 20; i++) run('SET', `k${i}`, 'v');
      return run;
    };
    const a = mk();
    const b = mk();
    b('INFO');
    const picks = (run: ReturnType<typeof open>) => Array.from({ length: 5 }, () => run('RANDOMKEY'));
    expect(picks(b)).toEqual(picks(a));
  });
});

describe('timeout: idle clients are closed on the engine clock', () => {
  function client(engine: Engine) {
    const state = { closed: false };
    const c = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:2', fd: 7 }, { deliver: () => {}, close: () => { state.closed = true; } });
    const run = (...argv: string[]) => engine.execute(c, argv);
    return { state, run };
  }

  test('after more than `timeout` whole seconds without a command; blocked clients stay', () => {
    const clock = new VirtualClock({ start: 1_000_000_000_000 });
    const engine = new Engine({ clock });
    const idle = client(engine);
    const busy = client(engine);
    const blocked = client(engine);
    idle.run('CONFIG', 'SET', 'timeout', '2');
    expect(blocked.run('BLPOP', 'nothing', '0')).toBe(BLOCKED);
    for (let s = 0; s < 5; s++) {
      clock.advance(1000);
      busy.run('PING');
    }
    expect([idle.state.closed, busy.state.closed, blocked.state.closed]).toEqual([true, false, false]);
    engine.close();
  });

  test('timeout 0 (the default) closes no one, and setting it later starts the check', () => {
    const clock = new VirtualClock({ start: 1_000_000_000_000 });
    const engine = new Engine({ clock });
    const a = client(engine);
    clock.advance(3_600_000);
    expect(a.state.closed).toBe(false);
    a.run('CONFIG', 'SET', 'timeout', '1');
    clock.advance(1500);
    expect(a.state.closed).toBe(false);
    clock.advance(1000);
    expect(a.state.closed).toBe(true);
    engine.close();
  });
});
