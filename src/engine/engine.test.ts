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
