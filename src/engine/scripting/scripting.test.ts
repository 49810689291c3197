/**
 * Long scripts on the engine clock: a script runs in slices through the
 * engine's `defer`, other clients wait, turn to BUSY only once the clock
 * passes busy-reply-threshold, and SCRIPT KILL ends it.
 */
import { describe, expect, test } from 'vitest';
import { encode, type Reply } from '../../protocol/index.js';
import { VirtualClock } from '../../time/index.js';
import { BLOCKED } from '../command.js';
import { Engine } from '../engine.js';

function setup() {
  const clock = new VirtualClock({ start: 1_000_000 });
  const deferred: (() => void)[] = [];
  const engine = new Engine({ clock, defer: (fn) => deferred.push(fn) });
  const pump = (n = 1): void => {
    for (let i = 0; i < n && deferred.length; i++) deferred.shift()!();
  };
  const open = () => {
    const got: string[] = [];
    const c = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:2', fd: 7 }, {
      deliver: (r: Reply) => got.push(encode(r, 2)),
      close: () => {},
    });
    const send = (...argv: string[]) => {
      const r = engine.execute(c, argv);
      return r === undefined || r === BLOCKED ? r : encode(r, 2);
    };
    return { send, got };
  };
  return { clock, engine, pump, open, deferred };
}

describe('long scripts', () => {
  test('a short script answers at once; a long one parks its caller and finishes in slices', () => {
    const { pump, open, deferred } = setup();
    const a = open();
    expect(a.send('EVAL', 'return 1', '0')).toBe(':1\r\n');
    expect(a.send('EVAL', 'local s = 0 for i = 1, 1000000 do s = s + i end return s', '0')).toBe(BLOCKED);
    expect(deferred.length).toBe(1);
    pump(100);
    expect(a.got).toEqual([':500000500000\r\n']);
    expect(deferred.length).toBe(0);
  });

  test('other clients wait until the script ends while it is under busy-reply-threshold', () => {
    const { pump, open } = setup();
    const a = open();
    const b = open();
    expect(a.send('EVAL', "local s = 0 for i = 1, 1000000 do s = s + i end redis.call('set', 'k', s) return s", '0')).toBe(BLOCKED);
    expect(b.send('GET', 'k')).toBe(BLOCKED);
    pump(100);
    expect(a.got).toEqual([':500000500000\r\n']);
    // b ran after the script: it sees its write.
    expect(b.got).toEqual(['$12\r\n500000500000\r\n']);
  });

  test('past the threshold on the engine clock others get BUSY; SCRIPT KILL ends the script', () => {
    const { clock, pump, open } = setup();
    const a = open();
    const b = open();
    expect(a.send('EVAL', 'while true do end', '0')).toBe(BLOCKED);
    pump(5);
    expect(b.send('PING')).toBe(BLOCKED); // the frozen clock has not moved: not busy yet
    clock.advance(5000);
    pump(3);
    expect(b.got).toEqual(['-BUSY Valkey is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n']);
    expect(b.send('GET', 'x')).toBe('-BUSY Valkey is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n');
    expect(b.send('FUNCTION', 'KILL')).toBe('-BUSY Valkey is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n');
    expect(b.send('SCRIPT', 'KILL')).toBe('+OK\r\n');
    pump(3);
    expect(a.got[0]).toMatch(/^-ERR Script killed by user with SCRIPT KILL\./);
    expect(b.send('PING')).toBe('+PONG\r\n');
    expect(b.send('SCRIPT', 'KILL')).toBe('-NOTBUSY No scripts in execution right now.\r\n');
  });

  test('pcall cannot catch the kill, and a script that wrote is UNKILLABLE', () => {
    const { clock, pump, open } = setup();
    const a = open();
    const b = open();
    expect(a.send('EVAL', "redis.call('set', 'w', 1) while true do pcall(function() while true do end end) end", '0')).toBe(BLOCKED);
    clock.advance(6000);
    pump(3);
    expect(b.send('SCRIPT', 'KILL')).toMatch(/^-UNKILLABLE Sorry the script already executed write commands/);
    const c = open();
    expect(c.send('EVAL', 'return 1', '0')).toMatch(/^-BUSY/);
  });

  test('without defer (a bare engine) or inside EXEC a script runs to its end at once', () => {
    const { open } = setup();
    const a = open();
    a.send('MULTI');
    a.send('EVAL', 'local s = 0 for i = 1, 1000000 do s = s + 1 end return s', '0');
    expect(a.send('EXEC')).toBe('*1\r\n:1000000\r\n');
    const bare = new Engine({ clock: new VirtualClock({ start: 1 }) });
    const c = bare.connect({ addr: '', laddr: '', fd: 1 }, { deliver: () => {}, close: () => {} });
    const r = bare.execute(c, ['EVAL', 'local s = 0 for i = 1, 1000000 do s = s + 1 end return s', '0']);
    expect(r).toEqual({ t: 'int', v: 1000000 });
  });
});
