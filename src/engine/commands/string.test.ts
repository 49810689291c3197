import { describe, expect, test } from 'vitest';
import { encode, type Reply } from '../../protocol/index.js';
import { VirtualClock } from '../../time/index.js';
import { BLOCKED } from '../command.js';
import { Engine } from '../engine.js';
import { stringEncoding } from '../types/string.js';

const T0 = 1_700_000_000_000;

function setup() {
  const clock = new VirtualClock({ start: T0 });
  const engine = new Engine({ clock });
  const client = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:6379', fd: 7 }, { deliver() {}, close() {} });
  const run = (...argv: string[]): string => {
    const r = engine.execute(client, argv);
    if (r === undefined || r === BLOCKED) throw new Error(`${argv.join(' ')}: no reply`);
    return encode(r as Reply, 2);
  };
  const events: string[] = [];
  engine.onKeyspaceEvent((cls, ev, key) => {
    if (cls !== 'n' && cls !== 'm') events.push(`${ev} ${key}`);
  });
  const db = engine.db(0);
  const enc = (k: string) => stringEncoding(db.peek(k)!);
  return { clock, engine, client, run, events, db, enc };
}

const int = (n: number | string) => `:${n}\r\n`;
const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const err = (s: string) => `-${s}\r\n`;
const OK = '+OK\r\n';
const NIL = '$-1\r\n';
const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');

describe('SET and expiry on a virtual clock', () => {
  test('SET EX / PX / EXAT / PXAT expire when the clock passes the deadline', () => {
    const { run, clock } = setup();
    run('SET', 'ex', 'v', 'EX', '10');
    run('SET', 'px', 'v', 'PX', '1500');
    run('SET', 'exat', 'v', 'EXAT', String(T0 / 1000 + 5));
    run('SET', 'pxat', 'v', 'PXAT', String(T0 + 2500));
    expect(run('TTL', 'ex')).toBe(int(10));
    expect(run('PTTL', 'px')).toBe(int(1500));
    clock.advance(1500);
    expect(run('GET', 'px')).toBe(bulk('v')); // expired only once the time is past the deadline
    clock.advance(1);
    expect(run('GET', 'px')).toBe(NIL);
    clock.advance(1000);
    expect(run('EXISTS', 'pxat')).toBe(int(0));
    expect(run('GET', 'exat')).toBe(bulk('v'));
    clock.advance(2500);
    expect(run('GET', 'exat')).toBe(NIL);
    expect(run('GET', 'ex')).toBe(bulk('v'));
    clock.advance(5000);
    expect(run('GET', 'ex')).toBe(NIL);
  });

  test('KEEPTTL keeps, a plain SET clears, GETSET clears', () => {
    const { run, clock } = setup();
    run('SET', 'k', 'v', 'EX', '10');
    run('SET', 'k', 'w', 'KEEPTTL');
    expect(run('TTL', 'k')).toBe(int(10));
    run('SET', 'k', 'x');
    expect(run('TTL', 'k')).toBe(int(-1));
    run('SET', 'k', 'v', 'EX', '10');
    expect(run('GETSET', 'k', 'y')).toBe(bulk('v'));
    clock.advance(20_000);
    expect(run('GET', 'k')).toBe(bulk('y'));
  });

  test('an absolute time in the past deletes the key as expired', () => {
    const { run, events, engine } = setup();
    run('SET', 'k', 'v');
    events.length = 0;
    const before = engine.stats.expiredKeys;
    expect(run('SET', 'k', 'w', 'PXAT', String(T0))).toBe(OK);
    expect(run('EXISTS', 'k')).toBe(int(0));
    expect(events).toEqual(['expired k']);
    expect(engine.stats.expiredKeys).toBe(before + 1);
    expect(run('SET', 'nokey', 'w', 'EXAT', '1', 'GET')).toBe(NIL);
    expect(run('EXISTS', 'nokey')).toBe(int(0));
  });

  test('relative times are measured from the command time', () => {
    const { run, clock } = setup();
    clock.advance(123);
    run('SET', 'k', 'v', 'PX', '100');
    expect(run('PEXPIRETIME', 'k')).toBe(int(T0 + 223));
  });

  test('invalid expire times name the command', () => {
    const { run } = setup();
    expect(run('SET', 'k', 'v', 'EX', '0')).toBe(err("ERR invalid expire time in 'set' command"));
    expect(run('SETEX', 'k', '-1', 'v')).toBe(err("ERR invalid expire time in 'setex' command"));
    expect(run('PSETEX', 'k', '0', 'v')).toBe(err("ERR invalid expire time in 'psetex' command"));
    expect(run('GETEX', 'k', 'PX', '0')).toBe(err("ERR invalid expire time in 'getex' command"));
    expect(run('MSETEX', '1', 'k', 'v', 'EX', '0')).toBe(err("ERR invalid expire time in 'msetex' command"));
    expect(run('SET', 'k', 'v', 'EX', '9223372036854776')).toBe(err("ERR invalid expire time in 'set' command"));
    expect(run('SET', 'k', 'v', 'PX', '9223372036854775807')).toBe(err("ERR invalid expire time in 'set' command"));
    expect(run('SET', 'k', 'v', 'EX', 'ten')).toBe(err('ERR value is not an integer or out of range'));
    expect(run('EXISTS', 'k')).toBe(int(0));
  });

  test('SETEX, PSETEX, GETEX and MSETEX on the clock', () => {
    const { run, clock } = setup();
    run('SETEX', 'a', '2', 'v');
    run('PSETEX', 'b', '500', 'v');
    run('MSETEX', '2', 'c', '1', 'd', '2', 'PX', '800');
    run('SET', 'e', 'v');
    expect(run('GETEX', 'e', 'PX', '700')).toBe(bulk('v'));
    clock.advance(501);
    expect(run('MGET', 'a', 'b', 'c', 'd', 'e')).toBe('*5\r\n' + bulk('v') + NIL + bulk('1') + bulk('2') + bulk('v'));
    clock.advance(300);
    expect(run('MGET', 'a', 'c', 'd', 'e')).toBe('*4\r\n' + bulk('v') + NIL + NIL + NIL);
    run('SET', 'f', 'v', 'EX', '1');
    expect(run('GETEX', 'f', 'PERSIST')).toBe(bulk('v'));
    clock.advance(1200);
    expect(run('GET', 'a')).toBe(NIL);
    expect(run('GET', 'f')).toBe(bulk('v'));
  });

  test('MSETEX with a past time stores keys that are already expired', () => {
    const { run } = setup();
    expect(run('MSETEX', '1', 'k', 'v', 'PXAT', '1')).toBe(int(1));
    expect(run('GET', 'k')).toBe(NIL);
  });
});

describe('SET options', () => {
  test('NX, XX, GET, IFEQ', () => {
    const { run } = setup();
    expect(run('SET', 'k', 'v', 'XX')).toBe(NIL);
    expect(run('SET', 'k', 'v', 'NX')).toBe(OK);
    expect(run('SET', 'k', 'w', 'NX', 'GET')).toBe(bulk('v'));
    expect(run('SET', 'k', 'w', 'XX', 'GET')).toBe(bulk('v'));
    expect(run('SET', 'k', 'x', 'IFEQ', 'nope')).toBe(NIL);
    expect(run('SET', 'k', 'x', 'IFEQ', 'w')).toBe(OK);
    expect(run('SET', 'k', 'y', 'IFEQ', 'x', 'GET')).toBe(bulk('x'));
    expect(run('GET', 'k')).toBe(bulk('y'));
    expect(run('SET', 'k', 'v', 'NX', 'IFEQ', 'y')).toBe(err('ERR syntax error'));
    expect(run('SET', 'k', 'v', 'IFEQ')).toBe(err('ERR syntax error'));
    expect(run('SET', 'k', 'v', 'EX', '1', 'KEEPTTL')).toBe(err('ERR syntax error'));
    expect(run('SET', 'k', 'v', 'xx\0ignored')).toBe(OK); // options are C strings
  });

  test('SETNX replies 1/0', () => {
    const { run } = setup();
    expect(run('SETNX', 'k', 'v')).toBe(int(1));
    expect(run('SETNX', 'k', 'w')).toBe(int(0));
  });
});

describe('against other types', () => {
  const withList = () => {
    const s = setup();
    s.db.set('l', 'list', [], T0);
    return s;
  };

  test('reads and writes that check the type', () => {
    const { run } = withList();
    for (const argv of [
      ['GET', 'l'], ['GETDEL', 'l'], ['GETSET', 'l', 'v'], ['GETEX', 'l'], ['GETEX', 'l', 'PERSIST'], ['SET', 'l', 'v', 'GET'],
      ['SET', 'l', 'v', 'IFEQ', 'x'], ['SET', 'l', 'v', 'IFEQ', 'x', 'GET'], ['INCR', 'l'], ['DECRBY', 'l', '2'],
      ['INCRBYFLOAT', 'l', '1'], ['INCRBYFLOAT', 'l', 'x'], ['APPEND', 'l', 'x'], ['STRLEN', 'l'], ['GETRANGE', 'l', '0', '1'],
      ['SUBSTR', 'l', '0', '1'], ['SETRANGE', 'l', '0', 'x'], ['SETRANGE', 'l', '0', ''], ['DELIFEQ', 'l', 'x'],
    ]) expect(run(...argv), argv.join(' ')).toBe(WRONGTYPE);
    expect(run('TYPE', 'l')).toBe('+list\r\n');
  });

  test('argument errors come before the type check', () => {
    const { run } = withList();
    expect(run('INCRBY', 'l', 'x')).toBe(err('ERR value is not an integer or out of range'));
    expect(run('GETRANGE', 'l', 'x', '1')).toBe(err('ERR value is not an integer or out of range'));
    expect(run('SETRANGE', 'l', '-1', 'x')).toBe(err('ERR offset is out of range'));
    expect(run('GETEX', 'l', 'EX', 'x')).toBe(err('ERR value is not an integer or out of range'));
    expect(run('SET', 'l', 'v', 'GET', 'EX', '0')).toBe(err("ERR invalid expire time in 'set' command"));
  });

  test('commands that overwrite or skip other types', () => {
    const { run, db } = withList();
    expect(run('SET', 'l', 'v', 'NX')).toBe(NIL);
    expect(run('SETNX', 'l', 'v')).toBe(int(0));
    expect(run('MSETNX', 'l', 'v', 'q', '1')).toBe(int(0));
    expect(run('MSETEX', '1', 'l', 'v', 'NX')).toBe(int(0));
    expect(run('MGET', 'l', 'nokey')).toBe('*2\r\n' + NIL + NIL);
    expect(run('LCS', 'l', 'nokey')).toBe(err('ERR The specified keys must contain string values'));
    expect(run('LCS', 'nokey', 'l', 'FOO')).toBe(err('ERR The specified keys must contain string values'));
    expect(run('MSETEX', '1', 'l', 'v', 'XX')).toBe(int(1));
    expect(db.peek('l')!.type).toBe('string');
    db.set('l', 'list', [], T0);
    expect(run('SET', 'l', 'v')).toBe(OK);
    expect(run('GET', 'l')).toBe(bulk('v'));
    db.set('l', 'hash', new Map(), T0);
    expect(run('SETEX', 'l', '10', 'w')).toBe(OK);
    expect(run('GET', 'l')).toBe(bulk('w'));
  });
});

describe('keyspace events', () => {
  test('each command fires what Valkey fires', () => {
    const { run, events } = setup();
    const script: string[][] = [
      ['SET', 'k', 'v'], ['SET', 'k', 'v', 'EX', '100'], ['SET', 'k', 'v', 'PXAT', '1'], ['SET', 'k', '1'], ['INCR', 'k'],
      ['INCRBYFLOAT', 'k', '1.5'], ['APPEND', 'k', 'x'], ['SETRANGE', 'k', '0', 'y'], ['SETRANGE', 'k', '0', ''],
      ['GETEX', 'k', 'EX', '100'], ['GETEX', 'k', 'PERSIST'], ['GETEX', 'k', 'PERSIST'], ['GETEX', 'k', 'PXAT', '1'],
      ['SET', 'k', 'v'], ['GETDEL', 'k'], ['GETSET', 'k', 'a'], ['MSET', 'a', '1', 'b', '2'], ['MSETEX', '1', 'a', '2', 'EX', '10'],
      ['DELIFEQ', 'a', 'nope'], ['DELIFEQ', 'a', '2'], ['SETNX', 'z', '1'], ['SETNX', 'z', '1'], ['SETEX', 'y', '10', 'v'],
      ['LCS', 'b', 'k'], ['MSETNX', 'z', '1', 'w', '1'], ['MSETNX', 'v', '1', 'w', '1'], ['DECRBY', 'v', '3'],
      ['SET', 'k', 'v', 'NX'], ['SET', 'k', 'v', 'IFEQ', 'zz'],
    ];
    for (const argv of script) run(...argv);
    expect(events).toEqual([
      'set k', 'set k', 'expire k', 'expired k', 'set k', 'incrby k', 'incrbyfloat k', 'append k', 'setrange k',
      'expire k', 'persist k', 'expired k', 'set k', 'del k', 'set k', 'set a', 'set b', 'set a', 'expire a',
      'del a', 'set z', 'set y', 'expire y', 'set v', 'set w', 'incrby v',
    ]);
  });

  test('writes mark WATCHers dirty, reads and no-ops do not', () => {
    const { engine, run } = setup();
    const other = engine.connect({ addr: '127.0.0.1:2', laddr: '127.0.0.1:6379', fd: 8 }, { deliver() {}, close() {} });
    const runOther = (...argv: string[]) => encode(engine.execute(other, argv) as Reply, 2);
    run('SET', 'k', 'v');
    runOther('WATCH', 'k');
    run('GET', 'k');
    run('SET', 'k', 'x', 'NX');
    run('SETRANGE', 'k', '0', '');
    runOther('MULTI');
    runOther('PING');
    expect(runOther('EXEC')).toBe('*1\r\n+PONG\r\n');
    runOther('WATCH', 'k');
    run('APPEND', 'k', 'z');
    runOther('MULTI');
    runOther('PING');
    expect(runOther('EXEC')).toBe('*-1\r\n');
  });

  test('dirty counts and keyspace hits/misses', () => {
    const { run, engine } = setup();
    const dirty0 = engine.stats.dirty;
    run('MSET', 'a', '1', 'b', '2', 'c', '3');
    expect(engine.stats.dirty - dirty0).toBe(3);
    const h = engine.stats.keyspaceHits;
    const m = engine.stats.keyspaceMisses;
    run('MGET', 'a', 'b', 'nokey');
    expect(engine.stats.keyspaceHits - h).toBe(2);
    expect(engine.stats.keyspaceMisses - m).toBe(1);
    run('INCR', 'nokey2'); // lookupKeyWrite: no stats
    expect(engine.stats.keyspaceMisses - m).toBe(1);
  });
});

describe('INCR family', () => {
  test('values, overflow and errors', () => {
    const { run } = setup();
    expect(run('INCR', 'n')).toBe(int(1));
    expect(run('INCRBY', 'n', '-11')).toBe(int(-10));
    expect(run('DECRBY', 'n', '-5')).toBe(int(-5));
    run('SET', 'n', '9223372036854775807');
    expect(run('INCR', 'n')).toBe(err('ERR increment or decrement would overflow'));
    expect(run('DECR', 'n')).toBe(int('9223372036854775806'));
    run('SET', 'n', '-9223372036854775808');
    expect(run('DECR', 'n')).toBe(err('ERR increment or decrement would overflow'));
    expect(run('DECRBY', 'n', '-9223372036854775808')).toBe(err('ERR decrement would overflow'));
    run('SET', 'n', ' 1');
    expect(run('INCR', 'n')).toBe(err('ERR value is not an integer or out of range'));
  });

  test('INCR keeps the TTL', () => {
    const { run, clock } = setup();
    run('SET', 'n', '5', 'PX', '1000');
    run('INCR', 'n');
    expect(run('PTTL', 'n')).toBe(int(1000));
    clock.advance(1001);
    expect(run('GET', 'n')).toBe(NIL);
  });
});

describe('INCRBYFLOAT', () => {
  test('80-bit long double arithmetic and formatting', () => {
    const { run } = setup();
    run('SET', 'k', '10.5');
    expect(run('INCRBYFLOAT', 'k', '0.1')).toBe(bulk('10.6'));
    run('SET', 'k', '1.1');
    expect(run('INCRBYFLOAT', 'k', '-0.00000000000000001')).toBe(bulk('1.09999999999999999'));
    expect(run('INCRBYFLOAT', 'z', '-0')).toBe(bulk('0'));
    expect(run('INCRBYFLOAT', 'h', '0x1p-2')).toBe(bulk('0.25'));
    expect(run('INCRBYFLOAT', 'k', 'inf')).toBe(err('ERR increment would produce NaN or Infinity'));
    expect(run('INCRBYFLOAT', 'k', 'nan')).toBe(err('ERR value is not a valid float'));
    expect(run('INCRBYFLOAT', 'k', '1e5000')).toBe(err('ERR value is not a valid float'));
    run('SET', 'big', '1e4932');
    expect(run('INCRBYFLOAT', 'big', '1e4932')).toBe(err('ERR increment would produce NaN or Infinity'));
  });

  test('results stay embstr even when they read as integers', () => {
    const { run, enc } = setup();
    run('INCRBYFLOAT', 'k', '2');
    expect(enc('k')).toBe('embstr');
    run('INCR', 'k');
    expect(enc('k')).toBe('int');
    const long = 'k'.repeat(120);
    run('INCRBYFLOAT', long, '7');
    expect(enc(long)).toBe('raw');
  });
});

describe('encodings', () => {
  test('int / embstr / raw after each kind of write', () => {
    const { run, enc } = setup();
    run('SET', 'a', '123');
    expect(enc('a')).toBe('int');
    run('SET', 'b', 'x'.repeat(112));
    expect(enc('b')).toBe('embstr');
    run('SET', 'b', 'x'.repeat(113));
    expect(enc('b')).toBe('raw');
    run('APPEND', 'a', '4');
    expect(enc('a')).toBe('raw');
    run('APPEND', 'c', '99');
    expect(enc('c')).toBe('int');
    run('SETRANGE', 'd', '0', '1');
    expect(enc('d')).toBe('raw');
    run('MSET', 'e', '-5', 'f', 'abc');
    expect([enc('e'), enc('f')]).toEqual(['int', 'embstr']);
    run('SET', 'g', 'x'.repeat(104), 'EX', '100');
    expect(enc('g')).toBe('embstr');
    run('SET', 'g', 'x'.repeat(105), 'EX', '100');
    expect(enc('g')).toBe('raw');
    run('DECR', 'g2');
    expect(enc('g2')).toBe('int');
  });
});

describe('GETRANGE / SETRANGE / APPEND / LCS / DELIFEQ', () => {
  test('GETRANGE extremes', () => {
    const { run } = setup();
    run('SET', 'k', 'Hello');
    expect(run('GETRANGE', 'k', '-9223372036854775807', '-9223372036854775808')).toBe(bulk(''));
    expect(run('GETRANGE', 'k', '-9223372036854775808', '-9223372036854775807')).toBe(bulk('H'));
    expect(run('GETRANGE', 'k', '1', '-2')).toBe(bulk('ell'));
  });

  test('SETRANGE pads and checks the size limit', () => {
    const { run, engine } = setup();
    expect(run('SETRANGE', 'k', '3', 'ab')).toBe(int(5));
    expect(run('GET', 'k')).toBe(bulk('\0\0\0ab'));
    expect(run('SETRANGE', 'k', '536870912', 'x')).toBe(err('ERR string exceeds maximum allowed size (proto-max-bulk-len)'));
    engine.config.force('proto-max-bulk-len', String(1024 * 1024));
    expect(run('SETRANGE', 'k', String(1024 * 1024), 'x')).toBe(err('ERR string exceeds maximum allowed size (proto-max-bulk-len)'));
    expect(run('APPEND', 'k', 'x'.repeat(1024 * 1024))).toBe(err('ERR string exceeds maximum allowed size (proto-max-bulk-len)'));
    expect(run('STRLEN', 'k')).toBe(int(5));
  });

  test('LCS IDX is a map in RESP3', () => {
    const { engine, client, run } = setup();
    run('MSET', 'a', 'ohmytext', 'b', 'mynewtext');
    const r = engine.execute(client, ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN']) as Reply;
    expect(encode(r, 3)).toBe('%2\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n');
    expect(encode(r, 2)).toBe('*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n');
    expect(run('LCS', 'a', 'b')).toBe(bulk('mytext'));
    expect(run('LCS', 'a', 'b', 'LEN', 'IDX')).toBe(err('ERR If you want both the length and indexes, please just use IDX.'));
  });

  test('DELIFEQ', () => {
    const { run, events } = setup();
    run('SET', 'k', 'v');
    expect(run('DELIFEQ', 'k', 'w')).toBe(int(0));
    expect(run('DELIFEQ', 'k', 'v')).toBe(int(1));
    expect(run('DELIFEQ', 'k', 'v')).toBe(int(0));
    expect(events).toEqual(['set k', 'del k']);
  });
});
