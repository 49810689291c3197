/** Example cases: bitmaps. Every reply recorded from Valkey 9.1.2 (conformance/record.ts) and reviewed. */
import { group } from './case.js';
import { ok, err, wrongType, syntaxErr, notInt } from '../expect.js';

const { cases, example } = group('bitmap');

example(['setbit', 'getbit'], 'SETBIT and GETBIT', [
  [['SETBIT', 'k', '7', '1'], 0],
  [['GETBIT', 'k', '7'], 1],
  [['GETBIT', 'k', '0'], 0],
  [['GETBIT', 'k', '100'], 0],
  [['GET', 'k'], '\x01'],
  [['SETBIT', 'k', '7', '0'], 1],
  [['SETBIT', 'k', '15', '1'], 0],
  [['STRLEN', 'k'], 2],
  [['GETBIT', 'missing', '3'], 0],
  [['SETBIT', 'k', '0', '2'], err('ERR bit is not an integer or out of range')],
  [['SETBIT', 'k', '-1', '1'], err('ERR bit offset is not an integer or out of range')],
  [['SETBIT', 'k', '4294967296', '1'], err('ERR bit offset is not an integer or out of range')],
  [['GETBIT', 'k', 'x'], err('ERR bit offset is not an integer or out of range')],
  [['RPUSH', 'l', 'a'], 1],
  [['SETBIT', 'l', '0', '1'], wrongType],
  [['GETBIT', 'l', '0'], wrongType],
]);
example('bitcount', 'BITCOUNT with ranges', [
  [['SET', 'k', 'foobar'], ok],
  [['BITCOUNT', 'k'], 26],
  [['BITCOUNT', 'k', '0', '0'], 4],
  [['BITCOUNT', 'k', '1', '1'], 6],
  [['BITCOUNT', 'k', '1', '1', 'BYTE'], 6],
  [['BITCOUNT', 'k', '5', '30', 'BIT'], 17],
  [['BITCOUNT', 'k', '-2', '-1'], 7],
  [['BITCOUNT', 'k', '5', '1'], 0],
  [['BITCOUNT', 'missing'], 0],
  [['BITCOUNT', 'k', '0'], 26],
  [['BITCOUNT', 'k', '0', '1', 'FOO'], syntaxErr],
  [['BITCOUNT', 'k', 'x', '1'], notInt],
  [['HSET', 'h', 'f', 'v'], 1],
  [['BITCOUNT', 'h'], wrongType],
]);
example('bitpos', 'BITPOS', [
  [['SET', 'k', '\xff\xf0\x00'], ok],
  [['BITPOS', 'k', '0'], 12],
  [['BITPOS', 'k', '1'], 0],
  [['BITPOS', 'k', '1', '2'], -1],
  [['BITPOS', 'k', '1', '2', '-1', 'BYTE'], -1],
  [['BITPOS', 'k', '0', '7', '15', 'BIT'], 12],
  [['BITPOS', 'k', '1', '7', '15', 'BIT'], 7],
  [['BITPOS', 'missing', '0'], 0],
  [['BITPOS', 'missing', '1'], -1],
  [['SET', 'z', '\xff\xff'], ok],
  [['BITPOS', 'z', '0'], 16],
  [['BITPOS', 'z', '0', '0', '-1'], -1],
  [['BITPOS', 'k', '2'], err('ERR The bit argument must be 1 or 0.')],
  [['BITPOS', 'k', '1', 'x'], notInt],
]);
example('bitop', 'BITOP AND, OR, XOR, NOT', [
  [['SET', 'a', '\xff\x0f'], ok],
  [['SET', 'b', '\xf0'], ok],
  [['BITOP', 'AND', 'd', 'a', 'b'], 2],
  [['GET', 'd'], '\xf0\x00'],
  [['BITOP', 'OR', 'd', 'a', 'b'], 2],
  [['GET', 'd'], '\xff\x0f'],
  [['BITOP', 'XOR', 'd', 'a', 'b'], 2],
  [['GET', 'd'], '\x0f\x0f'],
  [['BITOP', 'NOT', 'd', 'a'], 2],
  [['GET', 'd'], '\x00\xf0'],
  [['BITOP', 'NOT', 'd', 'a', 'b'], err('ERR BITOP NOT must be called with a single source key.')],
  [['BITOP', 'AND', 'd', 'missing'], 0],
  [['EXISTS', 'd'], 0],
  [['BITOP', 'FOO', 'd', 'a'], syntaxErr],
  [['RPUSH', 'l', 'x'], 1],
  [['BITOP', 'OR', 'd', 'a', 'l'], wrongType],
]);
example('bitop', 'BITOP has no DIFF, DIFF1, ANDOR or ONE (other servers\' operations)', [
  [['SET', 'a', '\xff'], ok],
  [['SET', 'b', '\x0f'], ok],
  [['SET', 'c', '\x03'], ok],
  [['BITOP', 'DIFF', 'd', 'a', 'b', 'c'], syntaxErr],
  [['BITOP', 'DIFF1', 'd', 'c', 'a', 'b'], syntaxErr],
  [['BITOP', 'ANDOR', 'd', 'a', 'b', 'c'], syntaxErr],
  [['BITOP', 'ONE', 'd', 'a', 'b', 'c'], syntaxErr],
  [['EXISTS', 'd'], 0],
  [['BITOP', 'DIFF', 'd', 'a'], syntaxErr],
]);
example('bitfield', 'BITFIELD GET, SET, INCRBY, OVERFLOW', [
  [['BITFIELD', 'k', 'SET', 'i8', '0', '100', 'GET', 'i8', '0'], [0, 100]],
  [['BITFIELD', 'k', 'INCRBY', 'i8', '0', '100'], [-56]],
  [['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'INCRBY', 'i8', '0', '100'], [44]],
  [['BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'INCRBY', 'i8', '0', '100'], [null]],
  [['BITFIELD', 'k', 'OVERFLOW', 'WRAP', 'INCRBY', 'u4', '#1', '20'], [0]],
  [['BITFIELD', 'k', 'GET', 'u4', '#1', 'GET', 'u64', '0'], err('ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.')],
  [['BITFIELD', 'k', 'GET', 'i64', '0'], [2305843009213693952n]],
  [['BITFIELD', 'k', 'GET', 'u63', '0'], [1152921504606846976n]],
  [['BITFIELD', 'k'], []],
  [['BITFIELD', 'k', 'GET', 'x', '0'], err('ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.')],
  [['BITFIELD', 'k', 'GET', 'u8', '-1'], err('ERR bit offset is not an integer or out of range')],
  [['BITFIELD', 'k', 'SET', 'u8', '0'], syntaxErr],
  [['BITFIELD', 'k', 'OVERFLOW', 'FOO'], err('ERR Invalid OVERFLOW type specified')],
  [['BITFIELD', 'k', 'FOO'], syntaxErr],
  [['BITFIELD', 'missing', 'GET', 'u8', '0'], [0]],
  [['EXISTS', 'missing'], 0],
]);
example('bitfield_ro', 'BITFIELD_RO', [
  [['SET', 'k', '\xff'], ok],
  [['BITFIELD_RO', 'k', 'GET', 'u4', '0', 'GET', 'i4', '4'], [15, -1]],
  [['BITFIELD_RO', 'k', 'SET', 'u8', '0', '1'], err('ERR BITFIELD_RO only supports the GET subcommand')],
  [['BITFIELD_RO', 'k'], []],
  [['BITFIELD_RO', 'missing', 'GET', 'u8', '0'], [0]],
]);

export default cases;
