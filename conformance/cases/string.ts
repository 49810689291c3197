/** Example cases: strings. Every reply recorded from Valkey 9.1.2 (conformance/record.ts) and reviewed. */
import { group } from './case.js';
import { ok, simple, err, map, wrongType, syntaxErr, notInt, arity } from '../expect.js';

const { cases, example } = group('string');

example('append', 'APPEND creates the key, then extends it', [
  [['APPEND', 'k', 'ab'], 2],
  [['APPEND', 'k', 'cde'], 5],
  [['GET', 'k'], 'abcde'],
  [['APPEND', 'k', ''], 5],
  [['STRLEN', 'k'], 5],
]);
example('append', 'APPEND on a wrong type, and binary data', [
  [['RPUSH', 'l', 'x'], 1],
  [['APPEND', 'l', 'a'], wrongType],
  [['APPEND', 'b', '\x00\xff'], 2],
  [['GET', 'b'], '\x00\xff'],
  [['APPEND'], arity('append')],
]);
example(['incr', 'decr'], 'INCR and DECR', [
  [['INCR', 'n'], 1],
  [['INCR', 'n'], 2],
  [['DECR', 'n'], 1],
  [['DECR', 'm'], -1],
  [['SET', 's', 'abc'], ok],
  [['INCR', 's'], notInt],
  [['SET', 'big', '9223372036854775807'], ok],
  [['INCR', 'big'], err('ERR increment or decrement would overflow')],
  [['SET', 'small', '-9223372036854775808'], ok],
  [['DECR', 'small'], err('ERR increment or decrement would overflow')],
  [['SET', 'sp', ' 1'], ok],
  [['INCR', 'sp'], notInt],
  [['SET', 'f', '1.5'], ok],
  [['INCR', 'f'], notInt],
]);
example(['incrby', 'decrby'], 'INCRBY and DECRBY', [
  [['INCRBY', 'n', '10'], 10],
  [['INCRBY', 'n', '-3'], 7],
  [['DECRBY', 'n', '20'], -13],
  [['INCRBY', 'n', 'x'], notInt],
  [['DECRBY', 'n', '-9223372036854775808'], err('ERR decrement would overflow')],
  [['INCRBY', 'n', '9223372036854775807'], 9223372036854775794n],
  [['INCRBY', 'n', '1'], 9223372036854775795n],
  [['RPUSH', 'l', 'a'], 1],
  [['INCRBY', 'l', '1'], wrongType],
]);
example('incrbyfloat', 'INCRBYFLOAT', [
  [['INCRBYFLOAT', 'f', '1.5'], '1.5'],
  [['INCRBYFLOAT', 'f', '0.1'], '1.6'],
  [['INCRBYFLOAT', 'f', '-10'], '-8.4'],
  [['INCRBYFLOAT', 'f', '5e3'], '4991.60000000000000009'],
  [['GET', 'f'], '4991.60000000000000009'],
  [['INCRBYFLOAT', 'f', 'x'], err('ERR value is not a valid float')],
  [['INCRBYFLOAT', 'f', 'inf'], err('ERR increment would produce NaN or Infinity')],
  [['SET', 's', 'abc'], ok],
  [['INCRBYFLOAT', 's', '1'], err('ERR value is not a valid float')],
  [['SET', 'i', '10'], ok],
  [['INCRBYFLOAT', 'i', '0'], '10'],
]);
example('get', 'GET of a missing key, a string, another type', [
  [['GET', 'nope'], null],
  [['SET', 'k', 'v'], ok],
  [['GET', 'k'], 'v'],
  [['SADD', 's', 'm'], 1],
  [['GET', 's'], wrongType],
  [['GET', 'k', 'extra'], arity('get')],
]);
example('getdel', 'GETDEL returns and removes', [
  [['SET', 'k', 'v'], ok],
  [['GETDEL', 'k'], 'v'],
  [['EXISTS', 'k'], 0],
  [['GETDEL', 'k'], null],
  [['HSET', 'h', 'f', 'v'], 1],
  [['GETDEL', 'h'], wrongType],
]);
example('getex', 'GETEX sets and removes expiry', [
  [['SET', 'k', 'v'], ok],
  [['GETEX', 'k', 'EX', '100'], 'v'],
  [['TTL', 'k'], 100],
  [['GETEX', 'k', 'PERSIST'], 'v'],
  [['TTL', 'k'], -1],
  [['GETEX', 'k', 'PX', '5000'], 'v'],
  [['GETEX', 'k', 'EXAT', '4102444800'], 'v'],
  [['EXPIRETIME', 'k'], 4102444800],
  [['GETEX', 'k', 'PXAT', '4102444800000'], 'v'],
  [['PEXPIRETIME', 'k'], 4102444800000],
  [['GETEX', 'missing', 'EX', '10'], null],
  [['GETEX', 'k', 'EX', '0'], err('ERR invalid expire time in \'getex\' command')],
  [['GETEX', 'k', 'EX', '-1'], err('ERR invalid expire time in \'getex\' command')],
  [['GETEX', 'k', 'EX', 'x'], notInt],
  [['GETEX', 'k', 'EX', '10', 'PX', '10'], syntaxErr],
  [['GETEX', 'k', 'FOO'], syntaxErr],
]);
example('getex', 'GETEX with a past time deletes', [
  [['SET', 'k', 'v'], ok],
  [['GETEX', 'k', 'EXAT', '1'], 'v'],
  [['EXISTS', 'k'], 0],
]);
example('getrange', 'GETRANGE and SUBSTR', [
  [['SET', 'k', 'Hello World'], ok],
  [['GETRANGE', 'k', '0', '4'], 'Hello'],
  [['GETRANGE', 'k', '-5', '-1'], 'World'],
  [['GETRANGE', 'k', '6', '100'], 'World'],
  [['GETRANGE', 'k', '5', '2'], ''],
  [['GETRANGE', 'k', '-100', '2'], 'Hel'],
  [['GETRANGE', 'missing', '0', '1'], ''],
  [['GETRANGE', 'k', 'x', '1'], notInt],
  [['SUBSTR', 'k', '0', '2'], 'Hel'],
  [['GETRANGE', 'k', '0', '-100'], 'H'],
]);
example('getset', 'GETSET', [
  [['GETSET', 'k', 'a'], null],
  [['GETSET', 'k', 'b'], 'a'],
  [['GET', 'k'], 'b'],
  [['LPUSH', 'l', 'x'], 1],
  [['GETSET', 'l', 'y'], wrongType],
  [['SET', 't', 'v', 'EX', '100'], ok],
  [['GETSET', 't', 'w'], 'v'],
  [['TTL', 't'], -1],
]);
example('lcs', 'LCS', [
  [['SET', 'a', 'ohmytext'], ok],
  [['SET', 'b', 'mynewtext'], ok],
  [['LCS', 'a', 'b'], 'mytext'],
  [['LCS', 'a', 'b', 'LEN'], 6],
  [['LCS', 'a', 'b', 'IDX'], map(['matches', [[[4, 7], [5, 8]], [[2, 3], [0, 1]]]], ['len', 6])],
  [['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'], map(['matches', [[[4, 7], [5, 8], 4]]], ['len', 6])],
  [['LCS', 'a', 'missing'], ''],
  [['LCS', 'a', 'b', 'LEN', 'IDX'], err('ERR If you want both the length and indexes, please just use IDX.')],
  [['LCS', 'a', 'b', 'MINMATCHLEN', 'x'], notInt],
  [['RPUSH', 'l', 'x'], 1],
  [['LCS', 'a', 'l'], err('ERR The specified keys must contain string values')],
]);
example('mget', 'MGET', [
  [['SET', 'a', '1'], ok],
  [['SET', 'b', '2'], ok],
  [['RPUSH', 'l', 'x'], 1],
  [['MGET', 'a', 'missing', 'b', 'l', 'a'], ['1', null, '2', null, '1']],
]);
example('mset', 'MSET', [
  [['MSET', 'a', '1', 'b', '2'], ok],
  [['MGET', 'a', 'b'], ['1', '2']],
  [['MSET', 'a', '1', 'b'], arity('mset')],
  [['MSET', 'a', 'x', 'a', 'y'], ok],
  [['GET', 'a'], 'y'],
]);
example('msetnx', 'MSETNX', [
  [['MSETNX', 'a', '1', 'b', '2'], 1],
  [['MSETNX', 'b', '3', 'c', '4'], 0],
  [['MGET', 'a', 'b', 'c'], ['1', '2', null]],
  [['MSETNX', 'a'], arity('msetnx')],
  [['MSETNX', 'c', '1', 'c', '2'], 1],
  [['GET', 'c'], '2'],
]);
example('msetex', 'MSETEX', [
  [['MSETEX', '2', 'a', '1', 'b', '2', 'EX', '100'], 1],
  [['TTL', 'a'], 100],
  [['MGET', 'a', 'b'], ['1', '2']],
  [['MSETEX', '1', 'a', '9', 'NX'], 0],
  [['MSETEX', '1', 'a', '9', 'XX', 'KEEPTTL'], 1],
  [['GET', 'a'], '9'],
  [['TTL', 'a'], 100],
  [['MSETEX', '2', 'a', '1'], syntaxErr],
  [['MSETEX', '0', 'a', '1'], err('ERR invalid numkeys value or out of range')],
  [['MSETEX', 'x', 'a', '1'], err('ERR invalid numkeys value or out of range')],
  [['MSETEX', '1', 'a', '1', 'EX', '0'], err('ERR invalid expire time in \'msetex\' command')],
  [['MSETEX', '1', 'a', '1', 'FOO'], syntaxErr],
]);
example(['setex', 'psetex'], 'SETEX and PSETEX', [
  [['SETEX', 'k', '100', 'v'], ok],
  [['TTL', 'k'], 100],
  [['GET', 'k'], 'v'],
  [['PSETEX', 'p', '100000', 'v'], ok],
  [['TTL', 'p'], 100],
  [['SETEX', 'k', '0', 'v'], err('ERR invalid expire time in \'setex\' command')],
  [['SETEX', 'k', '-1', 'v'], err('ERR invalid expire time in \'setex\' command')],
  [['SETEX', 'k', 'x', 'v'], notInt],
  [['PSETEX', 'p', '0', 'v'], err('ERR invalid expire time in \'psetex\' command')],
]);
example('setnx', 'SETNX', [
  [['SETNX', 'k', 'a'], 1],
  [['SETNX', 'k', 'b'], 0],
  [['GET', 'k'], 'a'],
  [['LPUSH', 'l', 'x'], 1],
  [['SETNX', 'l', 'y'], 0],
]);
example('set', 'SET options: NX, XX, GET', [
  [['SET', 'k', 'a', 'NX'], ok],
  [['SET', 'k', 'b', 'NX'], null],
  [['SET', 'k', 'c', 'XX'], ok],
  [['SET', 'm', 'c', 'XX'], null],
  [['SET', 'k', 'd', 'GET'], 'c'],
  [['SET', 'm', 'd', 'GET'], null],
  [['SET', 'k', 'e', 'NX', 'GET'], 'd'],
  [['GET', 'k'], 'd'],
  [['SET', 'k', 'f', 'XX', 'GET'], 'd'],
  [['RPUSH', 'l', 'x'], 1],
  [['SET', 'l', 'y', 'GET'], wrongType],
  [['SET', 'l', 'y'], ok],
  [['TYPE', 'l'], simple('string')],
]);
example('set', 'SET expiry options', [
  [['SET', 'k', 'v', 'EX', '100'], ok],
  [['TTL', 'k'], 100],
  [['SET', 'k', 'v', 'PX', '100000'], ok],
  [['TTL', 'k'], 100],
  [['SET', 'k', 'w', 'KEEPTTL'], ok],
  [['TTL', 'k'], 100],
  [['SET', 'k', 'w'], ok],
  [['TTL', 'k'], -1],
  [['SET', 'k', 'v', 'EXAT', '4102444800'], ok],
  [['EXPIRETIME', 'k'], 4102444800],
  [['SET', 'k', 'v', 'PXAT', '4102444800000'], ok],
  [['PEXPIRETIME', 'k'], 4102444800000],
  [['SET', 'k', 'v', 'EX', '0'], err('ERR invalid expire time in \'set\' command')],
  [['SET', 'k', 'v', 'EX', '-5'], err('ERR invalid expire time in \'set\' command')],
  [['SET', 'k', 'v', 'PX', 'x'], notInt],
  [['SET', 'k', 'v', 'EX', '9223372036854775807'], err('ERR invalid expire time in \'set\' command')],
  [['SET', 'k', 'v', 'EXAT', '1'], ok],
  [['EXISTS', 'k'], 0],
]);
example('set', 'SET syntax errors', [
  [['SET', 'k', 'v', 'NX', 'XX'], syntaxErr],
  [['SET', 'k', 'v', 'EX', '10', 'PX', '10'], syntaxErr],
  [['SET', 'k', 'v', 'EX'], syntaxErr],
  [['SET', 'k', 'v', 'FOO'], syntaxErr],
  [['SET', 'k', 'v', 'KEEPTTL', 'EX', '10'], syntaxErr],
  [['SET', 'k'], arity('set')],
  [['SET', 'k', 'v', 'nx'], ok],
]);
example('set', 'SET IFEQ', [
  [['SET', 'k', 'a'], ok],
  [['SET', 'k', 'b', 'IFEQ', 'x'], null],
  [['SET', 'k', 'b', 'IFEQ', 'a'], ok],
  [['GET', 'k'], 'b'],
  [['SET', 'm', 'b', 'IFEQ', 'a'], null],
  [['EXISTS', 'm'], 0],
  [['SET', 'k', 'c', 'IFEQ', 'b', 'GET'], 'b'],
  [['SET', 'k', 'd', 'IFEQ', 'b', 'NX'], syntaxErr],
  [['HSET', 'h', 'f', 'v'], 1],
  [['SET', 'h', 'x', 'IFEQ', 'v'], wrongType],
]);
example('delifeq', 'DELIFEQ', [
  [['SET', 'k', 'a'], ok],
  [['DELIFEQ', 'k', 'b'], 0],
  [['DELIFEQ', 'k', 'a'], 1],
  [['EXISTS', 'k'], 0],
  [['DELIFEQ', 'k', 'a'], 0],
  [['RPUSH', 'l', 'x'], 1],
  [['DELIFEQ', 'l', 'x'], wrongType],
]);
example('setrange', 'SETRANGE', [
  [['SET', 'k', 'Hello World'], ok],
  [['SETRANGE', 'k', '6', 'Redis'], 11],
  [['GET', 'k'], 'Hello Redis'],
  [['SETRANGE', 'z', '3', 'ab'], 5],
  [['GET', 'z'], '\x00\x00\x00ab'],
  [['SETRANGE', 'k', '-1', 'x'], err('ERR offset is out of range')],
  [['SETRANGE', 'e', '0', ''], 0],
  [['EXISTS', 'e'], 0],
  [['SETRANGE', 'k', '536870912', 'x'], err('ERR string exceeds maximum allowed size (proto-max-bulk-len)')],
  [['SETRANGE', 'k', 'x', 'a'], notInt],
  [['SADD', 's', 'm'], 1],
  [['SETRANGE', 's', '0', 'a'], wrongType],
]);
example('strlen', 'STRLEN', [
  [['STRLEN', 'nope'], 0],
  [['SET', 'k', 'hello'], ok],
  [['STRLEN', 'k'], 5],
  [['SET', 'n', '12345'], ok],
  [['STRLEN', 'n'], 5],
  [['RPUSH', 'l', 'x'], 1],
  [['STRLEN', 'l'], wrongType],
]);

export default cases;
