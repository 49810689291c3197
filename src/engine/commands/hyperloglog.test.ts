import { describe, expect, test } from 'vitest';
import { encode, type Reply } from '../../protocol/index.js';
import { VirtualClock } from '../../time/index.js';
import { BLOCKED } from '../command.js';
import { Engine } from '../engine.js';
import { hllPatLen } from '../types/hyperloglog.js';

const T0 = 1_700_000_000_000;

function setup() {
  const clock = new VirtualClock({ start: T0 });
  const engine = new Engine({ clock });
  const delivered: string[] = [];
  const client = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:6379', fd: 7 }, {
    deliver(r) {
      delivered.push(encode(r, 2));
    },
    close() {},
  });
  const run = (...argv: string[]): string => {
    const r = engine.execute(client, argv);
    if (r === undefined || r === BLOCKED) throw new Error(`${argv.join(' ')}: no reply`);
    return encode(r as Reply, 2);
  };
  const events: string[] = [];
  engine.onKeyspaceEvent((cls, ev, key) => {
    if (cls !== 'm') events.push(`${cls} ${ev} ${key}`);
  });
  const db = engine.db(0);
  const value = (k: string) => db.peek(k)?.value as string | undefined;
  return { clock, engine, client, run, events, db, value, delivered };
}

const int = (n: number | string) => `:${n}\r\n`;
const err = (s: string) => `-${s}\r\n`;
const NOT_HLL = err('WRONGTYPE Key is not a valid HyperLogLog string value.');
const CORRUPT = err('INVALIDOBJ Corrupted HLL object detected');
const EMPTY = 'HYLL\x01\0\0\0\0\0\0\0\0\0\0\0\x7f\xff';

describe('PFADD', () => {
  test('creates a sparse HLL string, raw encoded, and reports whether a register changed', () => {
    const { run, value } = setup();
    expect(run('PFADD', 'h')).toBe(int(1));
    expect(value('h')).toBe(EMPTY.slice(0, 15) + '\x80' + '\x7f\xff');
    expect(run('PFADD', 'h')).toBe(int(0));
    expect(run('PFADD', 'h', 'a', 'b', 'c')).toBe(int(1));
    expect(run('PFADD', 'h', 'a', 'b')).toBe(int(0));
    expect(run('TYPE', 'h')).toBe('+string\r\n');
    expect(run('OBJECT', 'ENCODING', 'h')).toBe('$3\r\nraw\r\n');
    // Same bytes as Valkey 9.1.2 (GET after PFADD h a b c)
    expect(value('h')).toBe('HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80`\xf3\x80P\xb1\x84K\xfb\x80BZ');
  });

  test("events: 'new' then 'pfadd' ($) when something changed, nothing otherwise; dirty counts each change", () => {
    const { run, events, engine } = setup();
    const d0 = engine.stats.dirty;
    run('PFADD', 'h', 'a', 'b');
    expect(events).toEqual(['n new h', '$ pfadd h']);
    expect(engine.stats.dirty - d0).toBe(3); // creation + two registers
    events.length = 0;
    run('PFADD', 'h', 'a');
    expect(events).toEqual([]);
    expect(engine.stats.dirty - d0).toBe(3);
  });

  test('values that are not HLLs, and corrupt sparse ones (partial update kept)', () => {
    const { run, value, events } = setup();
    run('SET', 's', 'hello');
    expect(run('PFADD', 's', 'a')).toBe(NOT_HLL);
    run('RPUSH', 'l', 'x');
    expect(run('PFADD', 'l', 'a')).toBe(err('WRONGTYPE Operation against a key holding the wrong kind of value'));
    // XZERO:16383: register 16383 is missing. 'a' (register 12711) lands, 'x606701' → 12549, then a register past the end.
    run('SET', 'c', EMPTY.slice(0, 16) + '\x7f\xfe');
    events.length = 0;
    let missing = '';
    for (let i = 0; !missing; i++) if (hllPatLen(`m${i}`) % 16384 === 16383) missing = `m${i}`;
    events.length = 0;
    expect(run('PFADD', 'c', 'a', missing)).toBe(CORRUPT);
    expect(events).toEqual([]);
    expect(run('PFDEBUG', 'DECODE', 'c')).toBe('$20\r\nZ:12711 v:2,1 Z:3671\r\n');
    expect(value('c')!.charCodeAt(15)).toBe(0x80);
  });
});

describe('PFCOUNT', () => {
  test('single key: caches the cardinality in the header (a write: WATCH and dirty, no event)', () => {
    const { run, value, events, engine, db } = setup();
    run('PFADD', 'h', 'a', 'b', 'c');
    events.length = 0;
    const d0 = engine.stats.dirty;
    expect(run('PFCOUNT', 'h')).toBe(int(3));
    expect(value('h')!.slice(8, 16)).toBe('\x03\0\0\0\0\0\0\0');
    expect(engine.stats.dirty - d0).toBe(1);
    expect(events).toEqual([]);
    expect(run('PFCOUNT', 'h')).toBe(int(3));
    expect(engine.stats.dirty - d0).toBe(1); // cached: nothing written
    run('WATCH', 'h');
    run('PFADD', 'h', 'a');
    run('PFCOUNT', 'h');
    run('MULTI');
    expect(run('EXEC')).toBe('*0\r\n'); // cached read: not touched
    run('PFADD', 'h', 'zz');
    run('WATCH', 'h');
    expect(run('PFCOUNT', 'h')).toBe(int(4));
    run('MULTI');
    expect(run('EXEC')).toBe('*-1\r\n');
    expect(db.peek('h')!.raw).toBe(true);
  });

  test('several keys: the union; no key is modified or unshared', () => {
    const { run, value, db } = setup();
    run('PFADD', 'a', 'x', 'y');
    run('SET', 'b', EMPTY);
    const before = value('a');
    expect(run('PFCOUNT', 'a', 'b', 'nokey')).toBe(int(2));
    expect(value('a')).toBe(before);
    expect(run('OBJECT', 'ENCODING', 'b')).toBe('$6\r\nembstr\r\n');
    expect(db.peek('b')!.raw).toBe(false);
    expect(run('PFCOUNT', 'b')).toBe(int(0));
    expect(run('OBJECT', 'ENCODING', 'b')).toBe('$3\r\nraw\r\n');
  });

  test('errors: first bad key wins; corrupt sparse', () => {
    const { run } = setup();
    run('SET', 's', 'text');
    run('SET', 'c', EMPTY.slice(0, 15) + '\x80'); // no opcodes, stale cache
    expect(run('PFCOUNT', 's')).toBe(NOT_HLL);
    expect(run('PFCOUNT', 'c')).toBe(CORRUPT);
    expect(run('PFCOUNT', 'nokey', 'c', 's')).toBe(CORRUPT);
    expect(run('PFCOUNT', 's', 'c')).toBe(NOT_HLL);
  });
});

describe('PFMERGE', () => {
  test("creates the destination, fires 'pfadd', counts one write", () => {
    const { run, value, events, engine } = setup();
    const d0 = engine.stats.dirty;
    expect(run('PFMERGE', 'd')).toBe('+OK\r\n');
    expect(value('d')).toBe(EMPTY.slice(0, 15) + '\x80\x7f\xff');
    expect(events).toEqual(['n new d', '$ pfadd d']);
    expect(engine.stats.dirty - d0).toBe(1);
  });

  test('the destination is a source; a dense source makes the destination dense', () => {
    const { run } = setup();
    run('PFADD', 'd', 'a');
    run('PFADD', 'big', ...Array.from({ length: 3000 }, (_, i) => `e${i}`));
    expect(run('PFDEBUG', 'ENCODING', 'big')).toBe('+dense\r\n');
    run('PFMERGE', 'd', 'big');
    expect(run('PFDEBUG', 'ENCODING', 'd')).toBe('+dense\r\n');
    expect(run('PFCOUNT', 'd')).toBe(run('PFCOUNT', 'big', 'a-missing-key', 'd'));
    run('SET', 's', 'x');
    expect(run('PFMERGE', 's', 'd')).toBe(NOT_HLL);
  });
});

describe('PFDEBUG and PFSELFTEST', () => {
  test('SIMD: a bad argument sends an error and then the status', () => {
    const { run, delivered } = setup();
    expect(run('PFDEBUG', 'SIMD', 'OFF')).toBe('+disabled\r\n');
    expect(run('PFDEBUG', 'SIMD', 'bad')).toBe('+disabled\r\n');
    expect(delivered).toEqual([err('ERR Argument must be ON or OFF')]);
    expect(run('PFDEBUG', 'SIMD', 'on')).toBe('+enabled\r\n');
  });

  test('TODENSE converts once; GETREG returns 16384 registers', () => {
    const { run, value } = setup();
    run('PFADD', 'h', 'a');
    expect(run('PFDEBUG', 'TODENSE', 'h')).toBe(int(1));
    expect(run('PFDEBUG', 'TODENSE', 'h')).toBe(int(0));
    expect(value('h')!.length).toBe(12304);
    const regs = run('PFDEBUG', 'GETREG', 'h');
    expect(regs.startsWith('*16384\r\n')).toBe(true);
    expect(regs.split('\r\n').filter((l) => l === ':2').length).toBe(1);
    expect(run('PFDEBUG', 'DECODE', 'h')).toBe(err('ERR HLL encoding is not sparse'));
    expect(run('PFDEBUG', 'FOO', 'h')).toBe(err("ERR Unknown PFDEBUG subcommand 'FOO'"));
    expect(run('PFDEBUG', 'FOO', 'nokey')).toBe(err('ERR The specified key does not exist'));
  });

  test('PFSELFTEST passes', () => {
    const { run } = setup();
    expect(run('PFSELFTEST')).toBe('+OK\r\n');
  });
});
