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
  const exec = (...argv: string[]) => engine.execute(client, argv) as Reply;
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
  return { clock, engine, client, run, exec, events, db };
}

const int = (n: number | string) => `:${n}\r\n`;
const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const err = (s: string) => `-${s}\r\n`;
const arr = (...items: string[]) => `*${items.length}\r\n${items.join('')}`;
const NIL = '$-1\r\n';
const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');
const OFFSET_ERR = err('ERR bit offset is not an integer or out of range');

describe('SETBIT / GETBIT', () => {
  test('bit order, growth, replies', () => {
    const { run } = setup();
    expect(run('SETBIT', 'k', '1', '1')).toBe(int(0));
    expect(run('SETBIT', 'k', '7', '1')).toBe(int(0));
    expect(run('GET', 'k')).toBe(bulk('A'));
    expect(run('SETBIT', 'k', '7', '0')).toBe(int(1));
    expect(run('SETBIT', 'k', '17', '1')).toBe(int(0));
    expect(run('GET', 'k')).toBe(bulk('@\0@'));
    expect(run('GETBIT', 'k', '17')).toBe(int(1));
    expect(run('GETBIT', 'k', '1000')).toBe(int(0));
    expect(run('GETBIT', 'nokey', '3')).toBe(int(0));
  });

  test('errors', () => {
    const { run } = setup();
    expect(run('SETBIT', 'k', '-1', '1')).toBe(OFFSET_ERR);
    expect(run('SETBIT', 'k', '4294967296', '1')).toBe(OFFSET_ERR);
    expect(run('GETBIT', 'k', '4294967296')).toBe(OFFSET_ERR);
    expect(run('SETBIT', 'k', '0', '2')).toBe(err('ERR bit is not an integer or out of range'));
    expect(run('SETBIT', 'k', '0', 'on')).toBe(err('ERR bit is not an integer or out of range'));
    expect(run('EXISTS', 'k')).toBe(int(0));
  });

  test('events: only when something changed', () => {
    const { run, events } = setup();
    run('SETBIT', 'k', '0', '0'); // created: counts as a change
    run('SETBIT', 'k', '0', '0');
    run('SETBIT', 'k', '0', '1');
    run('SETBIT', 'k', '0', '1');
    run('SETBIT', 'k', '20', '0'); // grown
    expect(events).toEqual(['setbit k', 'setbit k', 'setbit k']);
  });

  test('any SETBIT turns the value raw, and keeps the TTL', () => {
    const { run, db, clock } = setup();
    run('SET', 'n', '1', 'PX', '100');
    run('SETBIT', 'n', '7', '1'); // "1" is 0x31: bit 7 already set
    expect(stringEncoding(db.peek('n')!)).toBe('raw');
    expect(run('PTTL', 'n')).toBe(int(100));
    clock.advance(101);
    expect(run('GETBIT', 'n', '7')).toBe(int(0));
  });
});

describe('BITCOUNT / BITPOS', () => {
  test('BITCOUNT ranges', () => {
    const { run } = setup();
    run('SET', 'k', 'foobar');
    expect(run('BITCOUNT', 'k')).toBe(int(26));
    expect(run('BITCOUNT', 'k', '1', '1')).toBe(int(6));
    expect(run('BITCOUNT', 'k', '5', '30', 'BIT')).toBe(int(17));
    expect(run('BITCOUNT', 'k', '-1', '-2')).toBe(int(0));
    expect(run('BITCOUNT', 'k', '2')).toBe(int(16));
    expect(run('BITCOUNT', 'k', '0', '1', 'bits')).toBe(err('ERR syntax error'));
    expect(run('BITCOUNT', 'k', '0', '1', 'BIT', 'x')).toBe(err('ERR syntax error'));
  });

  test('BITPOS ranges', () => {
    const { run } = setup();
    run('SET', 'k', '\xff\xf0\x00');
    expect(run('BITPOS', 'k', '0')).toBe(int(12));
    expect(run('BITPOS', 'k', '1', '2')).toBe(int(-1));
    run('SET', 'f', '\xff\xff');
    expect(run('BITPOS', 'f', '0')).toBe(int(16));
    expect(run('BITPOS', 'f', '0', '0', '-1')).toBe(int(-1));
    expect(run('BITPOS', 'f', '0', '3', '9', 'BIT')).toBe(int(-1));
    expect(run('BITPOS', 'k', '0', '9', '14', 'BIT')).toBe(int(12));
    expect(run('BITPOS', 'nokey', '0')).toBe(int(0));
    expect(run('BITPOS', 'nokey', '1')).toBe(int(-1));
    expect(run('BITPOS', 'k', '2')).toBe(err('ERR The bit argument must be 1 or 0.'));
  });
});

describe('BITOP', () => {
  test('operations, missing keys, empty result deletes', () => {
    const { run, events, db } = setup();
    run('SET', 'a', '\x0f\xf0');
    run('SET', 'b', '\xff');
    expect(run('BITOP', 'AND', 'd', 'a', 'b')).toBe(int(2));
    expect(run('GET', 'd')).toBe(bulk('\x0f\x00'));
    expect(run('BITOP', 'OR', 'd', 'a', 'b')).toBe(int(2));
    expect(run('GET', 'd')).toBe(bulk('\xff\xf0'));
    expect(run('BITOP', 'XOR', 'd', 'a', 'b', 'nokey')).toBe(int(2));
    expect(run('GET', 'd')).toBe(bulk('\xf0\xf0'));
    expect(run('BITOP', 'NOT', 'd', 'a')).toBe(int(2));
    expect(run('GET', 'd')).toBe(bulk('\xf0\x0f'));
    expect(stringEncoding(db.peek('d')!)).toBe('raw');
    events.length = 0;
    expect(run('BITOP', 'AND', 'd', 'x', 'y')).toBe(int(0));
    expect(run('EXISTS', 'd')).toBe(int(0));
    expect(run('BITOP', 'AND', 'd', 'x', 'y')).toBe(int(0));
    expect(events).toEqual(['del d']);
    expect(run('BITOP', 'NOT', 'd', 'a', 'b')).toBe(err('ERR BITOP NOT must be called with a single source key.'));
    expect(run('BITOP', 'DIFF', 'd', 'a', 'b')).toBe(err('ERR syntax error'));
  });

  test('the destination loses its TTL and may be any type', () => {
    const { run, db } = setup();
    run('SET', 'a', 'x');
    run('SET', 'd', 'v', 'EX', '100');
    run('BITOP', 'OR', 'd', 'a');
    expect(run('TTL', 'd')).toBe(int(-1));
    db.set('l', 'list', [], T0);
    expect(run('BITOP', 'OR', 'l', 'a')).toBe(int(1));
    expect(run('GET', 'l')).toBe(bulk('x'));
  });
});

describe('BITFIELD', () => {
  test('signed and unsigned fields, # offsets', () => {
    const { run } = setup();
    expect(run('BITFIELD', 'k', 'SET', 'i8', '#0', '-1', 'GET', 'u8', '0', 'GET', 'i4', '#1')).toBe(arr(int(0), int(255), int(-1)));
    expect(run('BITFIELD', 'k', 'INCRBY', 'u8', '0', '1')).toBe(arr(int(0)));
    expect(run('BITFIELD', 'k', 'OVERFLOW', 'SAT', 'INCRBY', 'i8', '0', '-200')).toBe(arr(int(-128)));
    expect(run('BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'INCRBY', 'i8', '0', '-1')).toBe(arr(NIL));
    expect(run('BITFIELD', 'k', 'SET', 'i64', '8', '-9223372036854775808', 'GET', 'i64', '8')).toBe(arr(int(0), int('-9223372036854775808')));
  });

  test('C overflow quirks: SAT of a huge negative SET into i8 is the maximum', () => {
    const { run } = setup();
    expect(run('BITFIELD', 'k', 'OVERFLOW', 'SAT', 'SET', 'i8', '0', '-9223372036854775808', 'GET', 'i8', '0')).toBe(arr(int(0), int(127)));
    expect(run('BITFIELD', 'k', 'OVERFLOW', 'SAT', 'SET', 'u8', '0', '-1', 'GET', 'u8', '0')).toBe(arr(int(127), int(255)));
  });

  test('errors are raised before anything is written', () => {
    const { run } = setup();
    const typeErr = err('ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.');
    expect(run('BITFIELD', 'k', 'SET', 'u8', '0', '1', 'GET', 'u64', '0')).toBe(typeErr);
    expect(run('BITFIELD', 'k', 'SET', 'u8', '0', '1', 'OVERFLOW', 'X')).toBe(err('ERR Invalid OVERFLOW type specified'));
    expect(run('BITFIELD', 'k', 'SET', 'u8', '#-1', '1')).toBe(OFFSET_ERR);
    expect(run('BITFIELD', 'k', 'SET', 'u8', '0')).toBe(err('ERR syntax error'));
    expect(run('EXISTS', 'k')).toBe(int(0));
    expect(run('BITFIELD_RO', 'k', 'SET', 'u8', '0', '1')).toBe(err('ERR BITFIELD_RO only supports the GET subcommand'));
    expect(run('BITFIELD_RO', 'k', 'GET', 'u8', '0')).toBe(arr(int(0)));
  });

  test('FAIL-only writes still create the key, silently', () => {
    const { run, events } = setup();
    expect(run('BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'SET', 'u2', '20', '9')).toBe(arr(NIL));
    expect(run('STRLEN', 'k')).toBe(int(3));
    expect(events).toEqual([]);
    expect(run('BITFIELD', 'k', 'SET', 'u2', '20', '1', 'SET', 'u2', '22', '0')).toBe(arr(int(0), int(0)));
    expect(events).toEqual(['setbit k']);
  });

  test('RESP3 null for FAIL', () => {
    const { exec } = setup();
    expect(encode(exec('BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'INCRBY', 'u1', '0', '2'), 3)).toBe('*1\r\n_\r\n');
  });
});

describe('against other types', () => {
  test('WRONGTYPE after argument checks', () => {
    const { run, db } = setup();
    db.set('l', 'list', [], T0);
    for (const argv of [
      ['SETBIT', 'l', '0', '1'], ['GETBIT', 'l', '0'], ['BITCOUNT', 'l'], ['BITCOUNT', 'l', '0', '1', 'BIT'], ['BITPOS', 'l', '1'],
      ['BITOP', 'AND', 'd', 'l'], ['BITFIELD', 'l', 'GET', 'u8', '0'], ['BITFIELD', 'l', 'SET', 'u8', '0', '1'],
      ['BITFIELD_RO', 'l', 'GET', 'u8', '0'], ['BITFIELD', 'l'],
    ]) expect(run(...argv), argv.join(' ')).toBe(WRONGTYPE);
    expect(run('SETBIT', 'l', '-1', '1')).toBe(OFFSET_ERR);
    expect(run('BITPOS', 'l', '3')).toBe(err('ERR The bit argument must be 1 or 0.'));
    expect(run('BITCOUNT', 'l', 'x')).toBe(err('ERR value is not an integer or out of range'));
    expect(run('BITFIELD_RO', 'l', 'SET', 'u8', '0', '1')).toBe(err('ERR BITFIELD_RO only supports the GET subcommand'));
    expect(run('EXISTS', 'd')).toBe(int(0));
  });
});
