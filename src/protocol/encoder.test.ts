/**
 * The encoder writes every Reply kind as Valkey's addReply* do, in RESP2 and
 * RESP3. The expected bytes below were read from a real Valkey 9.1.2 (DEBUG
 * PROTOCOL <kind>, and the commands named); test/differential/protocol.test.ts
 * compares with the live server, including replies of real commands decoded
 * and re-encoded.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { encode, encodedLength } from './encoder.js';
import { reply } from './testing/arbitraries.js';
import { R, type Reply } from './reply.js';

/** [reply, RESP2 bytes, RESP3 bytes] */
const CASES: [string, Reply, string, string][] = [
  ['DEBUG PROTOCOL string', R.bulk('Hello World'), '$11\r\nHello World\r\n', '$11\r\nHello World\r\n'],
  ['DEBUG PROTOCOL integer', R.int(12345), ':12345\r\n', ':12345\r\n'],
  ['DEBUG PROTOCOL double', R.double(3.141), '$5\r\n3.141\r\n', ',3.141\r\n'],
  ['DEBUG PROTOCOL bignum', R.bignum('1234567999999999999999999999999999999'),
    '$37\r\n1234567999999999999999999999999999999\r\n', '(1234567999999999999999999999999999999\r\n'],
  ['DEBUG PROTOCOL null', R.null, '$-1\r\n', '_\r\n'],
  ['DEBUG PROTOCOL array', R.array([R.int(0), R.int(1), R.int(2)]), '*3\r\n:0\r\n:1\r\n:2\r\n', '*3\r\n:0\r\n:1\r\n:2\r\n'],
  ['DEBUG PROTOCOL set', R.set([R.int(0), R.int(1), R.int(2)]), '*3\r\n:0\r\n:1\r\n:2\r\n', '~3\r\n:0\r\n:1\r\n:2\r\n'],
  ['DEBUG PROTOCOL map', R.map([[R.int(0), R.bool(false)], [R.int(1), R.bool(true)], [R.int(2), R.bool(false)]]),
    '*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n', '%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n'],
  ['DEBUG PROTOCOL attrib', R.attr([[R.bulk('key-popularity'), R.array([R.bulk('key:123'), R.int(90)])]], R.bulk('Some real reply following the attribute')),
    '$39\r\nSome real reply following the attribute\r\n',
    '|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n'],
  ['DEBUG PROTOCOL verbatim', R.verbatim('This is a verbatim\nstring'), '$25\r\nThis is a verbatim\nstring\r\n', '=29\r\ntxt:This is a verbatim\nstring\r\n'],
  ['DEBUG PROTOCOL true', R.bool(true), ':1\r\n', '#t\r\n'],
  ['DEBUG PROTOCOL false', R.bool(false), ':0\r\n', '#f\r\n'],
  ['PING', R.pong, '+PONG\r\n', '+PONG\r\n'],
  ['GET (arity)', R.error("ERR wrong number of arguments for 'get' command"),
    "-ERR wrong number of arguments for 'get' command\r\n", "-ERR wrong number of arguments for 'get' command\r\n"],
  ['BLPOP timeout', R.nullArray, '*-1\r\n', '_\r\n'],
  ['LRANGE of a missing key', R.emptyArray, '*0\r\n', '*0\r\n'],
  ['HGETALL of a missing key', R.map([]), '*0\r\n', '%0\r\n'],
  ['ZSCORE (inf)', R.double(Infinity), '$3\r\ninf\r\n', ',inf\r\n'],
  ['ZSCORE (-inf)', R.double(-Infinity), '$4\r\n-inf\r\n', ',-inf\r\n'],
  ['ZMSCORE', R.array([R.double(1.5), R.null]), '*2\r\n$3\r\n1.5\r\n$-1\r\n', '*2\r\n,1.5\r\n_\r\n'],
  ['INCRBY n 0 at the int64 maximum', R.int(9223372036854775807n), ':9223372036854775807\r\n', ':9223372036854775807\r\n'],
  ['DECRBY m 0 at the int64 minimum', R.int(-9223372036854775808n), ':-9223372036854775808\r\n', ':-9223372036854775808\r\n'],
  ['ECHO of binary bytes', R.bulk('\x00\r\n\xff'), '$4\r\n\x00\r\n\xff\r\n', '$4\r\n\x00\r\n\xff\r\n'],
  ['ECHO ""', R.bulk(''), '$0\r\n\r\n', '$0\r\n\r\n'],
  ['DEBUG PROTOCOL push (RESP3)', R.push([R.bulk('server-cpu-usage'), R.int(42)]),
    '*2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n', '>2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n'],
];

describe('encode', () => {
  for (const [name, reply, resp2, resp3] of CASES) {
    test(name, () => {
      expect(encode(reply, 2)).toBe(resp2);
      expect(encode(reply, 3)).toBe(resp3);
    });
  }

  test('nested maps and sets: RESP2 flattens every level', () => {
    const r = R.map([
      [R.bulk('a'), R.map([[R.bulk('x'), R.set([R.bulk('s')])]])],
      [R.bulk('b'), R.array([R.map([]), R.double(0.5), R.null])],
    ]);
    expect(encode(r, 3)).toBe('%2\r\n$1\r\na\r\n%1\r\n$1\r\nx\r\n~1\r\n$1\r\ns\r\n$1\r\nb\r\n*3\r\n%0\r\n,0.5\r\n_\r\n');
    expect(encode(r, 2)).toBe('*4\r\n$1\r\na\r\n*2\r\n$1\r\nx\r\n*1\r\n$1\r\ns\r\n$1\r\nb\r\n*3\r\n*0\r\n$3\r\n0.5\r\n$-1\r\n');
  });

  test('a pinned reply keeps its protocol whatever the connection uses', () => {
    const r = R.array([{ t: 'pinned', resp: 2, v: R.map([[R.bulk('k'), R.bool(true)]]) }, R.bool(true)]);
    expect(encode(r, 3)).toBe('*2\r\n*2\r\n$1\r\nk\r\n:1\r\n#t\r\n');
  });

  test('bulk lengths count bytes (latin1 strings)', () => {
    expect(encode(R.bulk('é'), 2)).toBe('$1\r\né\r\n');
    expect(encode(R.bulk('x'.repeat(100_000)), 3).length).toBe(100_000 + '$100000\r\n\r\n'.length);
  });
});

describe('encodedLength', () => {
  test('is the length of what encode writes, for any reply in either protocol', () => {
    fc.assert(fc.property(reply, fc.constantFrom(2 as const, 3 as const), (r, resp) => {
      expect(encodedLength(r, resp)).toBe(encode(r, resp).length);
    }));
  });
});
