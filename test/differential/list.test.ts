/**
 * Differential tests of the list group against a real Valkey 9.1.2: every
 * command with its options and error paths in RESP2 and RESP3, OBJECT
 * ENCODING through listpack/quicklist conversions under several
 * list-max-listpack-size settings, blocking commands with several clients
 * (FIFO service, wake-ups, chains, transactions, type changes, timeouts,
 * disconnects), and fast-check properties over random command sequences.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Arg } from '../../conformance/targets/raw-client.js';
import { useDifferential, type StepLike } from './harness.js';
import { clients, type MStep } from './multi-client.js';

const d = useDifferential();
const check = (steps: readonly StepLike[]) => d.check(steps);
const enc = (k: string): StepLike => ['OBJECT', 'ENCODING', k];
const x = (n: number, c = 'x') => c.repeat(n);
const range = (k: string): StepLike => ['LRANGE', k, '0', '-1'];

describe('LPUSH / RPUSH / LPUSHX / RPUSHX', () => {
  test('push order, lengths, binary and integer elements', () => check([
    ['LPUSH', 'l', 'a', 'b', 'c'], range('l'), ['RPUSH', 'l', 'd', 'e'], range('l'), ['LLEN', 'l'],
    ['RPUSH', 'b', '', '\x00\xff\r\n', '12', '-7', '007', '9223372036854775807', '9223372036854775808', '-0', '1.5'],
    range('b'), ['LINDEX', 'b', '0'], ['LINDEX', 'b', '3'],
    ['TYPE', 'l'], ['LPUSH', 'l'], ['RPUSH'],
  ]));

  test('PUSHX only on an existing list', () => check([
    ['LPUSHX', 'l', 'a'], ['RPUSHX', 'l', 'a', 'b'], ['EXISTS', 'l'],
    ['RPUSH', 'l', 'x'], ['LPUSHX', 'l', 'a', 'b'], ['RPUSHX', 'l', 'c', 'd'], range('l'), ['LPUSHX', 'l'],
  ]));

  test('WRONGTYPE', () => check([
    ['SET', 's', 'v'], ['LPUSH', 's', 'a'], ['RPUSH', 's', 'a'], ['LPUSHX', 's', 'a'], ['RPUSHX', 's', 'a'], ['GET', 's'],
  ]));
});

describe('LPOP / RPOP', () => {
  test('single pops and the key going away', () => check([
    ['RPUSH', 'l', 'a', 'b', 'c'], ['LPOP', 'l'], ['RPOP', 'l'], ['LPOP', 'l'], ['EXISTS', 'l'], ['LPOP', 'l'], ['RPOP', 'l'],
  ]));

  test('with a count', () => check([
    ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'], ['LPOP', 'l', '2'], ['RPOP', 'l', '2'], ['LPOP', 'l', '0'], ['RPOP', 'l', '0'],
    ['RPOP', 'l', '10'], ['EXISTS', 'l'], ['LPOP', 'l', '0'], ['LPOP', 'l', '3'], ['RPOP', 'nokey', '1'],
    ['RPUSH', 'm', '1', '2', '3'], ['LPOP', 'm', '9223372036854775807'],
  ]));

  test('count errors and arity', () => check([
    ['RPUSH', 'l', 'a'], ['LPOP', 'l', '-1'], ['RPOP', 'l', 'abc'], ['LPOP', 'l', '1.5'], ['LPOP', 'nokey', '-1'],
    ['LPOP', 'l', '-9223372036854775808'], ['LPOP', 'l', '9223372036854775808'], ['LPOP', 'l', '1', '2'], ['RPOP', 'l', '1', '2', '3'],
    ['LPOP'], ['SET', 's', 'v'], ['LPOP', 's'], ['RPOP', 's', '0'], ['LPOP', 's', '-1'], range('l'),
  ]));
});

describe('LLEN / LINDEX / LSET / LRANGE', () => {
  test('LLEN', () => check([['LLEN', 'nokey'], ['RPUSH', 'l', 'a', 'b'], ['LLEN', 'l'], ['SET', 's', 'v'], ['LLEN', 's'], ['LLEN']]));

  test('LINDEX', () => check([
    ['RPUSH', 'l', 'a', 'b', 'c'], ['LINDEX', 'l', '0'], ['LINDEX', 'l', '2'], ['LINDEX', 'l', '3'], ['LINDEX', 'l', '-1'],
    ['LINDEX', 'l', '-3'], ['LINDEX', 'l', '-4'], ['LINDEX', 'l', 'x'], ['LINDEX', 'l', '9223372036854775807'],
    ['LINDEX', 'l', '-9223372036854775808'], ['LINDEX', 'l', '9223372036854775808'],
    ['LINDEX', 'nokey', 'x'], ['SET', 's', 'v'], ['LINDEX', 's', 'x'], ['LINDEX', 's', '0'],
  ]));

  test('LSET', () => check([
    ['LSET', 'nokey', '0', 'x'], ['LSET', 'nokey', 'x', 'x'], ['RPUSH', 'l', 'a', 'b', 'c'], ['LSET', 'l', '0', 'A'],
    ['LSET', 'l', '-1', 'C'], ['LSET', 'l', '3', 'x'], ['LSET', 'l', '-4', 'x'], ['LSET', 'l', 'x', 'x'], ['LSET', 'l', '1', '12345'],
    range('l'), ['SET', 's', 'v'], ['LSET', 's', '0', 'x'], ['LSET', 's', 'x', 'x'], ['LSET', 'l', '0'],
  ]));

  test('LRANGE indexes', () => {
    const steps: StepLike[] = [['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e']];
    for (const [s, e] of [['0', '-1'], ['1', '3'], ['-2', '-1'], ['-100', '100'], ['3', '1'], ['5', '10'], ['-1', '-2'],
      ['0', '0'], ['-5', '-5'], ['-6', '-6'], ['9223372036854775807', '-9223372036854775808'], ['-9223372036854775808', '9223372036854775807']]) {
      steps.push(['LRANGE', 'l', s!, e!]);
    }
    steps.push(['LRANGE', 'l', 'x', '1'], ['LRANGE', 'l', '0', 'y'], ['LRANGE', 'nokey', '0', '-1'], ['LRANGE', 'nokey', 'x', '1'],
      ['SET', 's', 'v'], ['LRANGE', 's', '0', '1'], ['LRANGE', 's', 'x', '1'], ['LRANGE', 'l', '0']);
    return check(steps);
  });
});

describe('LTRIM / LINSERT / LREM', () => {
  test('LTRIM', () => {
    const steps: StepLike[] = [];
    for (const [s, e] of [['0', '-1'], ['1', '-2'], ['2', '2'], ['-2', '-1'], ['3', '1'], ['10', '20'], ['-100', '1'], ['0', '100']]) {
      steps.push(['DEL', 'l'], ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'], ['LTRIM', 'l', s!, e!], range('l'), ['EXISTS', 'l']);
    }
    steps.push(['LTRIM', 'nokey', '0', '1'], ['LTRIM', 'nokey', 'x', '1'], ['RPUSH', 'l', 'a'], ['LTRIM', 'l', '0', 'x'],
      ['SET', 's', 'v'], ['LTRIM', 's', '0', '1'], ['LTRIM', 's', 'x', '1'], ['LTRIM', 'l', '0']);
    return check(steps);
  });

  test('LINSERT', () => check([
    ['LINSERT', 'nokey', 'BEFORE', 'a', 'b'], ['LINSERT', 'nokey', 'MIDDLE', 'a', 'b'], ['RPUSH', 'l', 'a', 'b', 'a'],
    ['LINSERT', 'l', 'BEFORE', 'a', 'x'], ['LINSERT', 'l', 'after', 'a', 'y'], ['LINSERT', 'l', 'AfTeR', 'b', 'z'],
    ['LINSERT', 'l', 'BEFORE', 'nope', 'q'], ['LINSERT', 'l', 'ABOVE', 'a', 'q'], range('l'),
    ['SET', 's', 'v'], ['LINSERT', 's', 'BEFORE', 'a', 'b'], ['LINSERT', 's', 'X', 'a', 'b'], ['LINSERT', 'l', 'BEFORE', 'a'],
  ]));

  test('LREM', () => check([
    ['RPUSH', 'l', 'a', 'b', 'a', 'c', 'a', 'b', 'a'], ['LREM', 'l', '2', 'a'], range('l'), ['LREM', 'l', '-1', 'a'], range('l'),
    ['LREM', 'l', '0', 'b'], range('l'), ['LREM', 'l', '0', 'zz'], ['LREM', 'l', '5', 'a'], ['EXISTS', 'l'],
    ['LREM', 'nokey', '0', 'a'], ['LREM', 'nokey', 'x', 'a'], ['RPUSH', 'm', '1'], ['LREM', 'm', '-9223372036854775808', '1'],
    ['LREM', 'm', '-9223372036854775807', '1'], ['LREM', 'm', 'x', '1'], ['SET', 's', 'v'], ['LREM', 's', '0', 'v'], ['LREM', 'l', '0'],
  ]));
});

describe('LPOS', () => {
  test('RANK, COUNT, MAXLEN', () => check([
    ['RPUSH', 'l', 'a', 'b', 'c', '1', '2', '3', 'c', 'c'], ['LPOS', 'l', 'c'], ['LPOS', 'l', 'c', 'RANK', '2'],
    ['LPOS', 'l', 'c', 'RANK', '-1'], ['LPOS', 'l', 'c', 'RANK', '-3'], ['LPOS', 'l', 'c', 'RANK', '4'], ['LPOS', 'l', 'c', 'COUNT', '0'],
    ['LPOS', 'l', 'c', 'COUNT', '2'], ['LPOS', 'l', 'c', 'COUNT', '2', 'RANK', '-1'], ['LPOS', 'l', 'c', 'COUNT', '0', 'RANK', '2'],
    ['LPOS', 'l', 'c', 'MAXLEN', '3'], ['LPOS', 'l', 'c', 'MAXLEN', '2'], ['LPOS', 'l', 'c', 'COUNT', '0', 'MAXLEN', '7'],
    ['LPOS', 'l', 'c', 'RANK', '-1', 'MAXLEN', '1'], ['LPOS', 'l', 'c', 'RANK', '-1', 'MAXLEN', '2', 'COUNT', '0'],
    ['LPOS', 'l', '2'], ['LPOS', 'l', 'zz'], ['LPOS', 'l', 'zz', 'COUNT', '1'], ['LPOS', 'l', 'c', 'rank', '1', 'count', '1', 'maxlen', '0'],
    ['LPOS', 'l', 'c', 'RANK', '1', 'RANK', '2'], ['LPOS', 'l', 'c', 'RANK', '9223372036854775807'],
    ['LPOS', 'l', 'c', 'RANK', '-9223372036854775807', 'COUNT', '1'],
  ]));

  test('errors and missing keys', () => check([
    ['RPUSH', 'l', 'a'], ['LPOS', 'l', 'a', 'RANK', '0'], ['LPOS', 'l', 'a', 'RANK', 'x'], ['LPOS', 'l', 'a', 'RANK', '-9223372036854775808'],
    ['LPOS', 'l', 'a', 'COUNT', '-1'], ['LPOS', 'l', 'a', 'COUNT', 'x'], ['LPOS', 'l', 'a', 'MAXLEN', '-1'], ['LPOS', 'l', 'a', 'MAXLEN', 'x'],
    ['LPOS', 'l', 'a', 'RANK'], ['LPOS', 'l', 'a', 'COUNT'], ['LPOS', 'l', 'a', 'FOO', '1'], ['LPOS', 'l', 'a', 'FOO'],
    ['LPOS', 'nokey', 'a'], ['LPOS', 'nokey', 'a', 'COUNT', '0'], ['LPOS', 'nokey', 'a', 'RANK', '0'],
    ['LPOS', 'nokey', 'a', 'COUNT', '1', 'BAR'], ['SET', 's', 'v'], ['LPOS', 's', 'v'], ['LPOS', 's', 'v', 'COUNT', '-1'], ['LPOS', 'l'],
  ]));
});

describe('LMOVE / RPOPLPUSH / LMPOP', () => {
  test('LMOVE in every direction, to itself, to a new key', () => check([
    ['RPUSH', 's', 'a', 'b', 'c', 'd'], ['LMOVE', 's', 'd', 'LEFT', 'LEFT'], ['LMOVE', 's', 'd', 'LEFT', 'RIGHT'],
    ['LMOVE', 's', 'd', 'right', 'left'], ['LMOVE', 's', 'd', 'Right', 'Right'], range('d'), ['EXISTS', 's'],
    ['LMOVE', 's', 'd', 'LEFT', 'LEFT'], ['LMOVE', 'd', 'd', 'LEFT', 'RIGHT'], range('d'), ['LMOVE', 'd', 'd', 'RIGHT', 'RIGHT'],
    ['RPUSH', 'one', 'x'], ['LMOVE', 'one', 'one', 'LEFT', 'RIGHT'], range('one'),
    ['LMOVE', 'd', 'd', 'UP', 'LEFT'], ['LMOVE', 'd', 'd', 'LEFT', 'DOWN'], ['LMOVE', 'nokey', 'd', 'UP', 'LEFT'],
  ]));

  test('LMOVE / RPOPLPUSH errors and types', () => check([
    ['SET', 'str', 'v'], ['LMOVE', 'nokey', 'str', 'LEFT', 'LEFT'], ['LMOVE', 'str', 'x', 'LEFT', 'LEFT'], ['RPUSH', 'l', 'a'],
    ['LMOVE', 'l', 'str', 'LEFT', 'LEFT'], range('l'), ['RPOPLPUSH', 'l', 'str'], ['RPOPLPUSH', 'str', 'l'], ['RPOPLPUSH', 'nokey', 'l'],
    ['RPOPLPUSH', 'l', 'new'], range('new'), ['EXISTS', 'l'], ['RPOPLPUSH', 'new', 'new'], range('new'),
    ['RPOPLPUSH', 'l'], ['LMOVE', 'l', 'd', 'LEFT'],
  ]));

  test('LMPOP', () => check([
    ['LMPOP', '2', 'a', 'b', 'LEFT'], ['RPUSH', 'b', '1', '2', '3', '4'], ['LMPOP', '2', 'a', 'b', 'LEFT'],
    ['LMPOP', '2', 'a', 'b', 'RIGHT', 'COUNT', '2'], ['LMPOP', '1', 'b', 'left', 'count', '10'], ['EXISTS', 'b'],
    ['RPUSH', 'a', 'x'], ['SET', 's', 'v'], ['LMPOP', '2', 'a', 's', 'LEFT'], ['LMPOP', '2', 's', 'a', 'LEFT'], ['LMPOP', '2', 'nokey', 's', 'LEFT'],
  ]));

  test('LMPOP errors', () => check([
    ['LMPOP', '0', 'a', 'LEFT'], ['LMPOP', '-1', 'a', 'LEFT'], ['LMPOP', 'x', 'a', 'LEFT'], ['LMPOP', '2', 'a', 'LEFT'],
    ['LMPOP', '9223372036854775807', 'a', 'LEFT'], ['LMPOP', '9223372036854775806', 'a', 'LEFT'], ['LMPOP', '1', 'a', 'UP'],
    ['LMPOP', '1', 'a', 'LEFT', 'COUNT'], ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '0'], ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '-1'],
    ['LMPOP', '1', 'a', 'LEFT', 'COUNT', 'x'], ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '1', 'COUNT', '2'], ['LMPOP', '1', 'a', 'LEFT', 'FOO'],
    ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '9223372036854775807'], ['LMPOP', '1', 'a'], ['LMPOP', '1'],
  ]));
});

describe('blocking commands that need not block', () => {
  test('an element is there: they act like their non-blocking forms', () => check([
    ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], ['BLPOP', 'nokey', 'l', '0'], ['BRPOP', 'l', 'nokey', '1'],
    ['BLMPOP', '0', '2', 'nokey', 'l', 'LEFT'], ['BLMPOP', '0.5', '1', 'l', 'RIGHT', 'COUNT', '2'],
    ['BLMOVE', 'l', 'd', 'LEFT', 'RIGHT', '0'], ['BRPOPLPUSH', 'l', 'd', '0'], ['EXISTS', 'l'], range('d'),
    ['BRPOPLPUSH', 'd', 'd', '0'], ['BLMOVE', 'd', 'd', 'LEFT', 'LEFT', '0'], range('d'),
  ]));

  test('timeout parsing', () => {
    const steps: StepLike[] = [];
    for (const t of ['-1', 'abc', '', 'inf', '-inf', 'nan', '1e400', '0x', '9223372036854775', '9223372036854776', '9223372036854775.807',
      ' 1', '1 ', '-0.0011', '1e-400', '0.0001', '0x1p-20', '+0.001', '.001']) {
      steps.push(['BLPOP', 'k', t], ['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', t], ['BLMPOP', t, '1', 'k', 'LEFT'], ['BRPOPLPUSH', 'k', 'd', t]);
    }
    return check(steps);
  });

  test('argument errors, in parsing order', () => check([
    ['SET', 's', 'v'], ['BLPOP', 's', '-1'], ['BLPOP', 's', '0'], ['BLPOP', 'nokey', 's', '0'], ['BRPOP', 's', 'x'],
    ['BLMOVE', 's', 'x', 'LEFT', 'LEFT', '-1'], ['BLMOVE', 's', 'x', 'LEFT', 'LEFT', '0'], ['BLMOVE', 'k', 's', 'UP', 'LEFT', '-1'],
    ['BLMOVE', 'k', 's', 'LEFT', 'UP', 'x'], ['BLMPOP', '-1', '1', 'k', 'LEFT'], ['BLMPOP', '0', '0', 'k', 'LEFT'],
    ['BLMPOP', 'x', '1', 'k', 'UP'], ['BLMPOP', 'x', '1', 'k', 'LEFT', 'COUNT', '0'], ['BLMPOP', '0', '2', 'k', 'LEFT'],
    ['BLMPOP', '0', '1', 's', 'LEFT'], ['BLMPOP', '0', '9223372036854775806', 'k', 'LEFT'], ['BRPOPLPUSH', 's', 'x', '0'],
    ['BRPOPLPUSH', 'k', 's', 'x'], ['RPUSH', 'l', 'a'], ['BLMOVE', 'l', 's', 'LEFT', 'LEFT', '0'], ['BRPOPLPUSH', 'l', 's', '0'], range('l'),
    ['BLPOP', 'l'], ['BLMPOP', '0', '1', 'l'], ['BLMOVE', 'l', 'd', 'LEFT', 'LEFT'],
  ]));

  test('short timeouts answer a null array', () => check([
    ['BLPOP', 'k', '0.05'], ['BRPOP', 'k', 'k2', '0.05'], ['BLMPOP', '0.05', '1', 'k', 'LEFT'], ['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0.05'],
    ['BRPOPLPUSH', 'k', 'd', '0.05'], ['EXISTS', 'd'],
  ]));

  test('inside MULTI they answer at once', () => check([
    ['MULTI'], ['BLPOP', 'l', '0'], ['BRPOP', 'l', '0'], ['BLMPOP', '0', '1', 'l', 'LEFT'], ['BRPOPLPUSH', 'l', 'm', '0'],
    ['BLMOVE', 'l', 'm', 'LEFT', 'RIGHT', '0'], ['RPUSH', 'l', 'a', 'b', 'c'], ['BLPOP', 'l', '0'], ['BLMOVE', 'l', 'm', 'LEFT', 'RIGHT', '0'],
    ['BLMPOP', '0', '1', 'l', 'RIGHT', 'COUNT', '5'], ['BLPOP', 'l', '-1'], ['EXEC'], range('m'),
  ]));
});

// --- OBJECT ENCODING ----------------------------------------------------------

/** Runs `steps` with list-max-listpack-size set to `size`, restoring the default after. */
const withSize = (size: string, steps: readonly StepLike[]): StepLike[] =>
  [['CONFIG', 'SET', 'list-max-listpack-size', size], ...steps, ['CONFIG', 'SET', 'list-max-listpack-size', '-2']];

describe('OBJECT ENCODING', () => {
  test('default: listpack up to 8 KiB, quicklist beyond, and back below half', () => check([
    ['RPUSH', 'l', 'a'], enc('l'), ['RPUSH', 'l', ...Array.from({ length: 120 }, (_, i) => x(60, String.fromCharCode(97 + (i % 26))))],
    enc('l'), ['LLEN', 'l'], ['RPUSH', 'l', x(200)], enc('l'), ['RPOP', 'l', '60'], enc('l'), ['RPOP', 'l', '2'], enc('l'),
    ['RPOP', 'l', '10'], enc('l'), ['LPOP', 'l', '20'], enc('l'), ['LLEN', 'l'], range('l'),
    ['RPUSH', 'big', x(9000)], enc('big'), ['RPUSH', 'big', 'a'], ['LPOP', 'big'], enc('big'),
  ]));

  test('count limits', () => check(withSize('4', [
    ['RPUSH', 'l', '1', '2', '3', '4'], enc('l'), ['RPUSH', 'l', '5'], enc('l'), ['RPOP', 'l'], enc('l'), ['RPOP', 'l'], enc('l'),
    ['RPOP', 'l'], enc('l'), ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'], enc('l'), ['LTRIM', 'l', '0', '1'], enc('l'),
    ['CONFIG', 'SET', 'list-max-listpack-size', '0'], ['RPUSH', 'z', 'a'], enc('z'), ['RPUSH', 'z', 'b'], enc('z'),
    ['LPOP', 'z'], enc('z'), ['CONFIG', 'SET', 'list-max-listpack-size', '1'], ['RPUSH', 'o', 'a'], enc('o'), ['RPUSH', 'o', 'b'], enc('o'),
    ['RPOP', 'o'], enc('o'), ['CONFIG', 'SET', 'list-max-listpack-size', '100000'], ['RPUSH', 'n', ...Array.from({ length: 300 }, (_, i) => String(i))],
    enc('n'), ['RPUSH', 'n2', ...Array.from({ length: 200 }, () => x(60))], enc('n2'),
  ])));

  test('byte limits -1 .. -5 and beyond', async () => {
    for (const size of ['-1', '-3', '-4', '-5', '-6', '-2147483648']) {
      await check(withSize(size, [
        ['RPUSH', 'l', ...Array.from({ length: 60 }, () => x(60))], enc('l'), ['RPUSH', 'l', ...Array.from({ length: 60 }, () => x(60))], enc('l'),
        ['RPUSH', 'l', ...Array.from({ length: 120 }, () => x(60))], enc('l'), ['RPUSH', 'l', ...Array.from({ length: 300 }, () => x(60))], enc('l'),
        ['RPUSH', 'l', ...Array.from({ length: 500 }, () => x(60))], enc('l'), ['RPUSH', 'l', ...Array.from({ length: 1000 }, () => x(60))], enc('l'),
        ['RPOP', 'l', '1500'], enc('l'), ['RPOP', 'l', '400'], enc('l'), ['RPOP', 'l', '100'], enc('l'), ['RPOP', 'l', '30'], enc('l'),
        ['RPOP', 'l', '30'], enc('l'), ['LLEN', 'l'],
      ]));
    }
  });

  test('below -5 the limit is 64 KiB (list.tcl)', () => check(withSize('-6', [
    ['RPUSH', 'lst', x(60000)], enc('lst'), ['RPUSH', 'lst', x(5536)], enc('lst'), ['RPOP', 'lst'], enc('lst'),
    ['DEL', 'lst'], ['RPUSH', 'lst', x(60000)], ['RPUSH', 'lst', x(5520)], enc('lst'), ['RPUSH', 'lst', 'a'], enc('lst'),
  ])));

  test('integer elements take less room', () => check([
    ['RPUSH', 'l', ...Array.from({ length: 2000 }, (_, i) => String(i * 7))], enc('l'), ['RPUSH', 'l', ...Array.from({ length: 2000 }, (_, i) => String(i))], enc('l'),
    ['RPUSH', 'm', ...Array.from({ length: 800 }, (_, i) => String(-2147483648 + i))], enc('m'), ['RPUSH', 'm', ...Array.from({ length: 10 }, () => '9223372036854775807')], enc('m'),
    ['LTRIM', 'm', '0', '300'], enc('m'), ['LTRIM', 'm', '0', '100'], enc('m'),
  ]));

  test('LSET, LINSERT, LREM, LTRIM, LMOVE conversions', () => check([
    ['RPUSH', 'l', ...Array.from({ length: 130 }, () => x(60))], enc('l'), ['LSET', 'l', '0', 'a'], enc('l'),
    ['DEL', 'l'], ['RPUSH', 'l', ...Array.from({ length: 60 }, () => x(60))], ['LSET', 'l', '0', x(5000)], enc('l'), ['LSET', 'l', '0', 'a'], enc('l'),
    ['DEL', 'l'], ['RPUSH', 'l', ...Array.from({ length: 60 }, () => x(60))], ['LINSERT', 'l', 'BEFORE', 'nope', x(5000)], enc('l'),
    ['LINSERT', 'l', 'AFTER', x(60), x(4000)], enc('l'), ['LREM', 'l', '1', x(4000)], enc('l'), ['LREM', 'l', '0', x(60)], enc('l'),
    ['RPUSH', 'm', ...Array.from({ length: 150 }, (_, i) => `${x(60)}${i}`)], enc('m'), ['LTRIM', 'm', '10', '70'], enc('m'), ['LTRIM', 'm', '0', '40'], enc('m'),
    ['RPUSH', 'src', ...Array.from({ length: 150 }, () => x(60))], ['RPUSH', 'dst', ...Array.from({ length: 100 }, () => x(60))],
    ['LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'], enc('src'), enc('dst'), ['LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'], enc('dst'),
    ['LPOP', 'src', '80'], enc('src'), ['LPOP', 'src', '10'], enc('src'),
  ]));

  test('plain nodes for large elements', () => check([
    ['RPUSH', 'l', 'a', x(9000), 'b'], enc('l'), range('l'), ['LPOP', 'l'], ['RPOP', 'l'], enc('l'), ['RPUSH', 'l', 'c'], ['LPOP', 'l'], enc('l'),
    ['RPUSH', 'p', ...Array.from({ length: 20 }, (_, i) => `e${i}`)], ['RPUSH', 'p', x(3000), x(3000)], enc('p'), ['LSET', 'p', '5', x(9000)], enc('p'),
    ['LRANGE', 'p', '3', '7'], ['LSET', 'p', '5', 'small'], enc('p'), ['LINSERT', 'p', 'AFTER', 'e2', x(10000)], ['LINSERT', 'p', 'BEFORE', 'e0', x(10000)],
    ['LRANGE', 'p', '0', '5'], enc('p'), ['LREM', 'p', '0', x(10000)], ['LLEN', 'p'], enc('p'), ['RPOP', 'p', '3'], enc('p'),
    ['LTRIM', 'p', '0', '2'], enc('p'),
  ]));

  test('COPY keeps the encoding; RENAME and MOVE keep the value', () => check([
    ['RPUSH', 'l', 'a', 'b'], ['COPY', 'l', 'c'], enc('c'), range('c'), ['RPUSH', 'c', 'z'], range('l'),
    ['RPUSH', 'q', ...Array.from({ length: 200 }, () => x(60))], ['LTRIM', 'q', '0', '100'], enc('q'), ['COPY', 'q', 'q2'], enc('q2'),
    ['LPOP', 'q2', '40'], enc('q2'), enc('q'), ['LLEN', 'q'], ['RENAME', 'q', 'r'], enc('r'), ['LLEN', 'r'], ['MOVE', 'r', '1'], ['SELECT', '1'],
    enc('r'), ['LLEN', 'r'], ['SELECT', '0'],
  ]));

  test('a quicklist keeps its fill when the setting changes', () => check([
    ['CONFIG', 'SET', 'list-max-listpack-size', '5'], ['RPUSH', 'l', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'], enc('l'),
    ['CONFIG', 'SET', 'list-max-listpack-size', '-2'], ['RPUSH', 'l', '13', '14'], ['RPOP', 'l', '11'], enc('l'),
    ['CONFIG', 'SET', 'list-max-listpack-size', '4'], ['RPUSH', 'm', 'a', 'b', 'c', 'd', 'e', 'f', 'g'],
    ['CONFIG', 'SET', 'list-max-listpack-size', '100'], ['RPOP', 'm'], enc('m'), ['LPOP', 'm', '2'], enc('m'),
    ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
  ]));
});

// --- properties ---------------------------------------------------------------

describe('properties', () => {
  test('random command sequences on a few keys and values, with encodings', async () => {
    if (!d.available) return;
    const key = fc.constantFrom('a', 'b', 'c');
    const val = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('x', 'y', '1', '-5', '300', '70000', '9999999999', '') },
      { weight: 2, arbitrary: fc.constantFrom(x(70), x(700, 'y'), x(3000, 'z')) },
      { weight: 1, arbitrary: fc.constantFrom(x(5000, 'w'), x(9000, 'v')) },
    );
    const idx = fc.integer({ min: -8, max: 8 }).map(String);
    const side = fc.constantFrom('LEFT', 'RIGHT');
    const cmd: fc.Arbitrary<string[]> = fc.oneof(
      fc.tuple(fc.constantFrom('LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX'), key, fc.array(val, { minLength: 1, maxLength: 8 })).map(([c, k, vs]) => [c, k, ...vs]),
      fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key, fc.option(fc.integer({ min: 0, max: 6 }).map(String), { nil: undefined }))
        .map(([c, k, n]) => (n === undefined ? [c, k] : [c, k, n])),
      fc.tuple(key, idx, val).map(([k, i, v]) => ['LSET', k, i, v]),
      fc.tuple(key, fc.constantFrom('BEFORE', 'AFTER'), val, val).map(([k, w, p, v]) => ['LINSERT', k, w, p, v]),
      fc.tuple(key, idx, val).map(([k, i, v]) => ['LREM', k, i, v]),
      fc.tuple(key, idx, idx).map(([k, s, e]) => ['LTRIM', k, s, e]),
      fc.tuple(key, key, side, side).map(([s, t, a, b]) => ['LMOVE', s, t, a, b]),
      fc.tuple(key, key).map(([s, t]) => ['RPOPLPUSH', s, t]),
      fc.tuple(key, key, side, fc.integer({ min: 1, max: 5 })).map(([k1, k2, w, n]) => ['LMPOP', '2', k1, k2, w, 'COUNT', String(n)]),
      fc.tuple(key, val).map(([k, v]) => ['LPOS', k, v, 'RANK', '-1', 'COUNT', '0']),
    );
    const size = fc.constantFrom('-2', '-1', '3', '5', '0', '1', '-5');
    await fc.assert(fc.asyncProperty(size, fc.array(cmd, { minLength: 10, maxLength: 50, size: 'max' }), async (sz, cmds) => {
      const steps: StepLike[] = [['CONFIG', 'SET', 'list-max-listpack-size', sz]];
      for (const c of cmds) steps.push(c, ['LRANGE', c[1]!, '0', '-1'], ['OBJECT', 'ENCODING', c[1]!]);
      for (const k of ['a', 'b', 'c']) steps.push(['LRANGE', k, '0', '-1'], ['OBJECT', 'ENCODING', k]);
      steps.push(['CONFIG', 'SET', 'list-max-listpack-size', '-2']);
      const problems = await d.diff(steps, { resp: [2] });
      expect(problems, problems.join('\n')).toEqual([]);
    }), { numRuns: Number(process.env['LIST_RUNS'] ?? 60) });
  }, 300_000);

  test('growing and shrinking through node splits and merges', async () => {
    if (!d.available) return;
    // Elements sized to fill nodes unevenly; LINSERT in the middle splits full nodes and merges neighbours.
    const big = [x(5000, 'P'), x(9000, 'Q'), x(3000, 'R')];
    const val = fc.integer({ min: 0, max: 33 }).map((n) =>
      n < 10 ? String(n * 1000) : n > 30 ? big[n - 31]! : x(n * 40, String.fromCharCode(97 + (n % 26))));
    const op: fc.Arbitrary<string[]> = fc.oneof(
      fc.tuple(fc.constantFrom('LPUSH', 'RPUSH'), fc.array(val, { minLength: 1, maxLength: 30 })).map(([c, vs]) => [c, 'l', ...vs]),
      fc.tuple(fc.constantFrom('BEFORE', 'AFTER'), val, val).map(([w, p, v]) => ['LINSERT', 'l', w, p, v]),
      fc.tuple(fc.integer({ min: -60, max: 60 }), val).map(([i, v]) => ['LSET', 'l', String(i), v]),
      fc.tuple(fc.integer({ min: -3, max: 3 }), val).map(([n, v]) => ['LREM', 'l', String(n), v]),
      fc.tuple(fc.constantFrom('LPOP', 'RPOP'), fc.integer({ min: 1, max: 20 })).map(([c, n]) => [c, 'l', String(n)]),
    );
    const size = fc.constantFrom('-1', '-2', '8', '20');
    await fc.assert(fc.asyncProperty(size, fc.array(op, { minLength: 20, maxLength: 80, size: 'max' }), async (sz, ops) => {
      const steps: StepLike[] = [['CONFIG', 'SET', 'list-max-listpack-size', sz]];
      for (const o of ops) steps.push(o, ['OBJECT', 'ENCODING', 'l']);
      steps.push(['LRANGE', 'l', '0', '-1'], ['CONFIG', 'SET', 'list-max-listpack-size', '-2']);
      const problems = await d.diff(steps, { resp: [2] });
      expect(problems, problems.join('\n')).toEqual([]);
    }), { numRuns: Number(process.env['LIST_RUNS'] ?? 60) });
  }, 300_000);
});

// --- several clients ----------------------------------------------------------------


const both = async (steps: readonly MStep[]) => {
  await clients(d, steps, 2);
  await clients(d, steps, 3);
};

describe('blocking with several clients', () => {
  test('BLPOP is woken by a push from another client', () => both([
    { bg: 'a', cmd: ['BLPOP', 'k', '0'] }, { pending: 'a' }, ['b', 'LPUSH', 'k', 'v'], { wait: 'a' }, ['b', 'EXISTS', 'k'],
    { bg: 'a', cmd: ['BRPOP', 'k1', 'k2', '5'] }, ['b', 'RPUSH', 'k2', 'x', 'y'], { wait: 'a' }, ['b', 'LRANGE', 'k2', '0', '-1'],
  ]));

  test('clients are served in the order they blocked; one push serves several', () => both([
    { bg: 'a', cmd: ['BLPOP', 'q', '0'] }, { bg: 'b', cmd: ['BRPOP', 'q', '0'] }, { bg: 'c', cmd: ['BLPOP', 'q', '0'] },
    ['d', 'RPUSH', 'q', '1', '2'], { wait: 'a' }, { wait: 'b' }, { pending: 'c' }, ['d', 'LLEN', 'q'],
    ['d', 'RPUSH', 'q', '3', '4'], { wait: 'c' }, ['d', 'LRANGE', 'q', '0', '-1'],
  ]));

  test('a client blocked on several keys is served by the first ready, popping in its own key order', () => both([
    { bg: 'a', cmd: ['BLPOP', 'k1', 'k2', 'k3', '0'] }, ['b', 'RPUSH', 'k3', 'c'], { wait: 'a' },
    { bg: 'a', cmd: ['BLPOP', 'k1', 'k2', '0'] }, ['b', 'MULTI'], ['b', 'RPUSH', 'k2', 'two'], ['b', 'RPUSH', 'k1', 'one'], ['b', 'EXEC'],
    { wait: 'a' }, ['b', 'LRANGE', 'k1', '0', '-1'], ['b', 'LRANGE', 'k2', '0', '-1'],
    { bg: 'a', cmd: ['BLPOP', 'm', 'm', 'n', 'm', '0'] }, ['b', 'RPUSH', 'm', '1', '2'], { wait: 'a' }, ['b', 'LRANGE', 'm', '0', '-1'],
  ]));

  test('a timeout that rounds to 0 ms (-0.001) waits forever', () => both([
    { bg: 'a', cmd: ['BLPOP', 'k', '-0.001'] }, { sleep: 50 }, { pending: 'a' }, ['b', 'RPUSH', 'k', 'v'], { wait: 'a' },
  ]));

  test('BLMPOP with COUNT and BLMOVE are served', () => both([
    { bg: 'a', cmd: ['BLMPOP', '0', '2', 'x', 'y', 'RIGHT', 'COUNT', '3'] }, ['b', 'RPUSH', 'y', '1', '2', '3', '4'], { wait: 'a' },
    { bg: 'a', cmd: ['BLMOVE', 's', 'd', 'RIGHT', 'LEFT', '0'] }, ['b', 'RPUSH', 's', 'e1', 'e2'], { wait: 'a' },
    ['b', 'LRANGE', 's', '0', '-1'], ['b', 'LRANGE', 'd', '0', '-1'],
    { bg: 'a', cmd: ['BRPOPLPUSH', 's2', 's2', '0'] }, ['b', 'RPUSH', 's2', 'r1', 'r2'], { wait: 'a' }, ['b', 'LRANGE', 's2', '0', '-1'],
  ]));

  test('BLMOVE to a key others wait on chains', () => both([
    { bg: 'a', cmd: ['BLMOVE', 'src', 'mid', 'LEFT', 'RIGHT', '0'] }, { bg: 'b', cmd: ['BRPOPLPUSH', 'mid', 'dst', '0'] },
    { bg: 'c', cmd: ['BLPOP', 'dst', '0'] }, ['d', 'RPUSH', 'src', 'hop'], { wait: 'a' }, { wait: 'b' }, { wait: 'c' },
    ['d', 'EXISTS', 'src', 'mid', 'dst'],
    { bg: 'a', cmd: ['BLMOVE', 'ring', 'ring', 'LEFT', 'RIGHT', '0'] }, { bg: 'b', cmd: ['BLPOP', 'ring', '0'] },
    ['d', 'RPUSH', 'ring', 'r'], { wait: 'a' }, { wait: 'b' }, ['d', 'EXISTS', 'ring'],
  ]));

  test('a key pushed and popped in one transaction wakes no one', () => both([
    { bg: 'a', cmd: ['BLPOP', 'k', '0'] }, ['b', 'MULTI'], ['b', 'LPUSH', 'k', 'v'], ['b', 'LPOP', 'k'], ['b', 'EXEC'],
    { pending: 'a' }, ['b', 'MULTI'], ['b', 'LPUSH', 'k', 'v1', 'v2'], ['b', 'LPOP', 'k'], ['b', 'EXEC'], { wait: 'a' },
    ['b', 'EXISTS', 'k'], { bg: 'a', cmd: ['BLPOP', 'k', '0'] }, ['b', 'RPUSH', 'k', 'x'], ['b', 'LPOP', 'k'], { wait: 'a' },
  ]));

  test('a type change does not wake; an error from the re-run command does', () => both([
    { bg: 'a', cmd: ['BLPOP', 'k', '0'] }, ['b', 'SET', 'k', 'str'], { pending: 'a' }, ['b', 'DEL', 'k'], ['b', 'RPUSH', 'k', 'v'], { wait: 'a' },
    { bg: 'a', cmd: ['BLPOP', 'k1', 'k2', '0'] }, ['b', 'MULTI'], ['b', 'SET', 'k1', 'str'], ['b', 'RPUSH', 'k2', 'v'], ['b', 'EXEC'], { wait: 'a' },
    ['b', 'LLEN', 'k2'], ['b', 'DEL', 'k2'],
    ['b', 'SET', 'dst', 'str'], { bg: 'a', cmd: ['BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0'] }, { bg: 'c', cmd: ['BLPOP', 'src', '0'] },
    ['b', 'RPUSH', 'src', 'e'], { wait: 'a' }, { wait: 'c' }, ['b', 'EXISTS', 'src'],
    { bg: 'a', cmd: ['BLPOP', 'z', '0'] }, ['b', 'MULTI'], ['b', 'RPUSH', 'z', 'v'], ['b', 'DEL', 'z'], ['b', 'SET', 'z', 's'], ['b', 'EXEC'],
    { pending: 'a' }, ['b', 'DEL', 'z'], ['b', 'RPUSH', 'z', 'w'], { wait: 'a' },
  ]));

  test('keys made lists by RENAME, COPY, MOVE and SWAPDB wake clients', () => both([
    ['b', 'RPUSH', 'tmp', 'a', 'b'], { bg: 'a', cmd: ['BLPOP', 'k', '0'] }, ['b', 'RENAME', 'tmp', 'k'], { wait: 'a' },
    { bg: 'a', cmd: ['BRPOP', 'c', '0'] }, ['b', 'COPY', 'k', 'c'], { wait: 'a' },
    ['b', 'SELECT', '1'], ['b', 'RPUSH', 'mv', 'm'], { bg: 'a', cmd: ['BLPOP', 'mv', '0'] }, ['b', 'MOVE', 'mv', '0'], { wait: 'a' },
    ['b', 'RPUSH', 'sw', 's'], { bg: 'a', cmd: ['BLPOP', 'sw', '0'] }, ['b', 'SWAPDB', '0', '1'], { wait: 'a' }, ['b', 'SWAPDB', '0', '1'],
  ]));

  test('timeouts, CLIENT UNBLOCK and disconnects', () => both([
    { bg: 'a', cmd: ['BLPOP', 'k', '0.1'] }, { sleep: 150 }, { wait: 'a' }, { bg: 'a', cmd: ['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0.1'] },
    { sleep: 150 }, { wait: 'a' }, { bg: 'a', cmd: ['BLMPOP', '0.1', '1', 'k', 'LEFT'] }, { sleep: 150 }, { wait: 'a' },
    ['c', 'CLIENT', 'SETNAME', 'victim'], { bg: 'c', cmd: ['BRPOPLPUSH', 'k', 'd', '0'] }, { close: 'c' }, ['b', 'RPUSH', 'k', 'v'],
    ['b', 'LRANGE', 'k', '0', '-1'], ['b', 'EXISTS', 'd'], ['b', 'CLIENT', 'LIST', 'FLAGS', 'b'],
    { bg: 'a', cmd: ['BLPOP', 'none', '0'] }, { bg: 'b', cmd: ['BLPOP', 'none', '0'] }, { close: 'a' }, ['c', 'RPUSH', 'none', '1'],
    { wait: 'b' }, ['c', 'EXISTS', 'none'],
  ]));

  test('fairness while pipelining: a push and a blocking pop in one batch serve the earlier client', () => both([
    { bg: 'a', cmd: ['BLPOP', 'mylist', '0'] }, { pipe: 'b', cmds: [['LPUSH', 'mylist', '1'], ['BLPOP', 'mylist', '0']] },
    { wait: 'a' }, { pending: 'b' }, ['c', 'LPUSH', 'mylist', '2'], { wait: 'b' },
  ]));

  test('fairness during nested unblocking', () => both([
    { bg: 'a', cmd: ['BRPOPLPUSH', 'l1', 'l3', '0'] }, { bg: 'b', cmd: ['BLPOP', 'l2', '0'] },
    { bg: 'c', cmd: ['BLMPOP', '0', '2', 'l2', 'l3', 'LEFT', 'COUNT', '1'] },
    ['d', 'MULTI'], ['d', 'LPUSH', 'l1', '1'], ['d', 'LPUSH', 'l2', '2'], ['d', 'EXEC'], { wait: 'a' }, { wait: 'b' }, { wait: 'c' },
    ['d', 'EXISTS', 'l1', 'l2', 'l3'],
  ]));

  test('a command being served serves another before the next pipelined request', () => both([
    { bg: 'a', cmd: ['BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0'] }, { bg: 'b', cmd: ['BLMOVE', 'dst', 'src', 'RIGHT', 'LEFT', '0'] },
    { pipe: 'c', cmds: [['SET', 'key1', 'v'], ['LPUSH', 'src', 'dummy'], ['LRANGE', 'src', '0', '-1'], ['EXISTS', 'dst']] },
    { wait: 'a' }, { wait: 'b' }, { wait: 'c' },
  ]));

  test('a blocked client runs its pipelined requests after being served', () => both([
    { bg: 'a', cmd: ['BLPOP', 'k', '0'] }, { bg: 'a', cmd: ['PING', 'after'] }, ['b', 'RPUSH', 'k', 'v'], { wait: 'a' }, { wait: 'a' },
    { bg: 'a', cmd: ['BLPOP', 'k', '0'] }, { bg: 'a', cmd: ['RPUSH', 'k', 'mine'] }, ['b', 'RPUSH', 'k', 'x'], { wait: 'a' }, { wait: 'a' },
    ['b', 'LRANGE', 'k', '0', '-1'], ['b', 'DEL', 'k'],
    { bg: 'c', cmd: ['BLPOP', 'k', '0'] }, { bg: 'a', cmd: ['BLPOP', 'k', '0'] }, { bg: 'a', cmd: ['LPUSH', 'k', 'z'] },
    { bg: 'a', cmd: ['BLPOP', 'k', '0'] }, ['b', 'RPUSH', 'k', '1', '2', '3'], { wait: 'c' }, { wait: 'a' }, { wait: 'a' }, { wait: 'a' },
    ['b', 'LRANGE', 'k', '0', '-1'],
  ]));
});

test('CLIENT UNBLOCK by id with TIMEOUT and ERROR', async () => {
  if (!d.available) return;
  for (const resp of [2, 3] as const) {
    for (const cmd of [['BLPOP', 'k', '0'], ['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0'], ['BLMPOP', '0', '1', 'k', 'LEFT']] as Arg[][]) {
      for (const how of [[], ['TIMEOUT'], ['ERROR']] as Arg[][]) {
        const out: string[] = [];
        for (const which of ['oracle', 'mock'] as const) {
          const a = await d.connect(which, resp);
          const b = await d.connect(which, resp);
          const id = String(((await a.send(['CLIENT', 'ID'])).value as { value: bigint }).value);
          const pending = a.send(cmd);
          await new Promise((r) => setTimeout(r, 40));
          const un = await b.send(['CLIENT', 'UNBLOCK', id, ...how]);
          const reply = await pending;
          const after = await a.send(['PING']);
          out.push([un.raw, reply.raw, after.raw].join('|'));
          a.close();
          b.close();
        }
        expect(out[1]).toBe(out[0]);
      }
    }
  }
});
