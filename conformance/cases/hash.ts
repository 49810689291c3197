/** Example cases: hashes. Every reply recorded from Valkey 9.1.2 (conformance/record.ts) and reviewed. */
import { group } from './case.js';
import { ok, err, map, resp, unordered, wrongType, notInt, arity } from '../expect.js';

const { cases, example } = group('hash');

example(['hset', 'hget'], 'HSET and HGET', [
  [['HSET', 'h', 'f1', 'v1', 'f2', 'v2'], 2],
  [['HSET', 'h', 'f1', 'x', 'f3', 'v3'], 1],
  [['HGET', 'h', 'f1'], 'x'],
  [['HGET', 'h', 'nope'], null],
  [['HGET', 'missing', 'f'], null],
  [['HSET', 'h', 'f'], arity('hset')],
  [['SET', 's', 'v'], ok],
  [['HSET', 's', 'f', 'v'], wrongType],
  [['HGET', 's', 'f'], wrongType],
]);
example(['hmset', 'hmget'], 'HMSET and HMGET', [
  [['HMSET', 'h', 'a', '1', 'b', '2'], ok],
  [['HMGET', 'h', 'a', 'nope', 'b'], ['1', null, '2']],
  [['HMGET', 'missing', 'a'], [null]],
  [['HMSET', 'h', 'a'], arity('hmset')],
  [['SET', 's', 'v'], ok],
  [['HMGET', 's', 'a'], wrongType],
]);
example('hsetnx', 'HSETNX', [
  [['HSETNX', 'h', 'f', 'a'], 1],
  [['HSETNX', 'h', 'f', 'b'], 0],
  [['HGET', 'h', 'f'], 'a'],
]);
example(['hdel', 'hlen', 'hexists'], 'HDEL, HLEN, HEXISTS', [
  [['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'], 3],
  [['HLEN', 'h'], 3],
  [['HDEL', 'h', 'a', 'nope', 'a'], 1],
  [['HEXISTS', 'h', 'a'], 0],
  [['HEXISTS', 'h', 'b'], 1],
  [['HDEL', 'h', 'b', 'c'], 2],
  [['EXISTS', 'h'], 0],
  [['HLEN', 'missing'], 0],
  [['HDEL', 'missing', 'a'], 0],
]);
example(['hgetall', 'hkeys', 'hvals'], 'HGETALL, HKEYS, HVALS', [
  [['HSET', 'h', 'a', '1', 'b', '2'], 2],
  [['HGETALL', 'h'], unordered(map(['a', '1'], ['b', '2']))],
  [['HKEYS', 'h'], unordered(['a', 'b'])],
  [['HVALS', 'h'], unordered(['1', '2'])],
  [['HGETALL', 'missing'], map()],
  [['HKEYS', 'missing'], []],
]);
example('hincrby', 'HINCRBY', [
  [['HINCRBY', 'h', 'n', '5'], 5],
  [['HINCRBY', 'h', 'n', '-10'], -5],
  [['HSET', 'h', 's', 'abc'], 1],
  [['HINCRBY', 'h', 's', '1'], err('ERR hash value is not an integer')],
  [['HINCRBY', 'h', 'n', 'x'], notInt],
  [['HSET', 'h', 'big', '9223372036854775807'], 1],
  [['HINCRBY', 'h', 'big', '1'], err('ERR increment or decrement would overflow')],
]);
example('hincrbyfloat', 'HINCRBYFLOAT', [
  [['HINCRBYFLOAT', 'h', 'f', '1.5'], '1.5'],
  [['HINCRBYFLOAT', 'h', 'f', '0.1'], '1.6'],
  [['HINCRBYFLOAT', 'h', 'f', 'x'], err('ERR value is not a valid float')],
  [['HSET', 'h', 's', 'abc'], 1],
  [['HINCRBYFLOAT', 'h', 's', '1'], err('ERR hash value is not a float')],
  [['HINCRBYFLOAT', 'h', 'f', 'inf'], err('ERR value is NaN or Infinity')],
]);
example('hstrlen', 'HSTRLEN', [
  [['HSET', 'h', 'f', 'hello'], 1],
  [['HSTRLEN', 'h', 'f'], 5],
  [['HSTRLEN', 'h', 'nope'], 0],
  [['HSTRLEN', 'missing', 'f'], 0],
]);
example('hrandfield', 'HRANDFIELD on one field', [
  [['HRANDFIELD', 'missing'], null],
  [['HRANDFIELD', 'missing', '2'], []],
  [['HSET', 'h', 'f', 'v'], 1],
  [['HRANDFIELD', 'h'], 'f'],
  [['HRANDFIELD', 'h', '2'], ['f']],
  [['HRANDFIELD', 'h', '-2'], ['f', 'f']],
  [['HRANDFIELD', 'h', '1', 'WITHVALUES'], resp(['f', 'v'], [['f', 'v']])],
  [['HRANDFIELD', 'h', 'x'], notInt],
]);
example('hscan', 'HSCAN on a small hash', [
  [['HSET', 'h', 'a', '1'], 1],
  [['HSCAN', 'h', '0'], ['0', ['a', '1']]],
  [['HSCAN', 'h', '0', 'MATCH', 'x*'], ['0', []]],
  [['HSCAN', 'h', '0', 'NOVALUES'], ['0', ['a']]],
  [['HSCAN', 'missing', '0'], ['0', []]],
  [['HSCAN', 'h', 'x'], err('ERR invalid cursor')],
]);
example(['hexpire', 'httl', 'hpttl', 'hpersist'], 'HEXPIRE, HTTL, HPERSIST', [
  [['HSET', 'h', 'a', '1', 'b', '2'], 2],
  [['HEXPIRE', 'h', '100', 'FIELDS', '2', 'a', 'nope'], [1, -2]],
  [['HTTL', 'h', 'FIELDS', '3', 'a', 'b', 'nope'], [100, -1, -2]],
  [['HPERSIST', 'h', 'FIELDS', '2', 'a', 'b'], [1, -1]],
  [['HTTL', 'h', 'FIELDS', '1', 'a'], [-1]],
  [['HEXPIRE', 'h', '100', 'NX', 'FIELDS', '1', 'a'], [1]],
  [['HEXPIRE', 'h', '200', 'NX', 'FIELDS', '1', 'a'], [0]],
  [['HEXPIRE', 'h', '50', 'GT', 'FIELDS', '1', 'a'], [0]],
  [['HEXPIRE', 'h', '0', 'FIELDS', '1', 'a'], [2]],
  [['HEXISTS', 'h', 'a'], 0],
  [['HEXPIRE', 'missing', '10', 'FIELDS', '1', 'a'], [-2]],
  [['HTTL', 'missing', 'FIELDS', '1', 'a'], [-2]],
  [['HEXPIRE', 'h', '10', 'FIELDS', '2', 'a'], err('ERR numfields should be greater than 0 and match the provided number of fields')],
  [['HEXPIRE', 'h', '10', 'FIELDS', '0'], arity('hexpire')],
  [['HEXPIRE', 'h', 'x', 'FIELDS', '1', 'a'], notInt],
  [['HPTTL', 'h', 'FIELDS', '1', 'b'], [-1]],
]);
example(['hexpireat', 'hpexpireat', 'hexpiretime', 'hpexpiretime', 'hpexpire'], 'HEXPIREAT, HPEXPIREAT, HEXPIRETIME', [
  [['HSET', 'h', 'a', '1', 'b', '2'], 2],
  [['HEXPIREAT', 'h', '4102444800', 'FIELDS', '1', 'a'], [1]],
  [['HEXPIRETIME', 'h', 'FIELDS', '2', 'a', 'b'], [4102444800, -1]],
  [['HPEXPIRETIME', 'h', 'FIELDS', '1', 'a'], [4102444800000]],
  [['HPEXPIREAT', 'h', '4102444800123', 'FIELDS', '1', 'b'], [1]],
  [['HPEXPIRETIME', 'h', 'FIELDS', '1', 'b'], [4102444800123]],
  [['HPEXPIRE', 'h', '100000', 'FIELDS', '1', 'a'], [1]],
  [['HTTL', 'h', 'FIELDS', '1', 'a'], [100]],
  [['HEXPIREAT', 'h', '1', 'FIELDS', '1', 'a'], [2]],
  [['HGETALL', 'h'], map(['b', '2'])],
]);
example(['hsetex', 'hgetex'], 'HSETEX and HGETEX', [
  [['HSETEX', 'h', 'EX', '100', 'FIELDS', '2', 'a', '1', 'b', '2'], 1],
  [['HTTL', 'h', 'FIELDS', '2', 'a', 'b'], [100, 100]],
  [['HSETEX', 'h', 'FNX', 'FIELDS', '1', 'a', '9'], 0],
  [['HSETEX', 'h', 'FXX', 'KEEPTTL', 'FIELDS', '1', 'a', '9'], 1],
  [['HGET', 'h', 'a'], '9'],
  [['HTTL', 'h', 'FIELDS', '1', 'a'], [100]],
  [['HGETEX', 'h', 'PERSIST', 'FIELDS', '1', 'a'], ['9']],
  [['HTTL', 'h', 'FIELDS', '1', 'a'], [-1]],
  [['HGETEX', 'h', 'EX', '50', 'FIELDS', '2', 'a', 'nope'], ['9', null]],
  [['HTTL', 'h', 'FIELDS', '1', 'a'], [50]],
  [['HSETEX', 'h', 'FIELDS', '2', 'a', '1'], err('ERR numfields should be greater than 0 and match the provided number of fields')],
  [['HSETEX', 'h', 'EX', '0', 'FIELDS', '1', 'a', '1'], 1],
  [['HGETEX', 'h', 'FIELDS', '0'], arity('hgetex')],
  [['HSETEX', 'missing', 'XX', 'FIELDS', '1', 'a', '1'], 0],
  [['HSETEX', 'h', 'NX', 'FIELDS', '1', 'a', '1'], 0],
]);
example('hgetdel', 'HGETDEL', [
  [['HSET', 'h', 'a', '1', 'b', '2'], 2],
  [['HGETDEL', 'h', 'FIELDS', '2', 'a', 'nope'], ['1', null]],
  [['HGETALL', 'h'], map(['b', '2'])],
  [['HGETDEL', 'h', 'FIELDS', '1', 'b'], ['2']],
  [['EXISTS', 'h'], 0],
  [['HGETDEL', 'h', 'FIELDS', '2', 'a'], err('ERR numfields should be greater than 0 and match the provided number of fields')],
]);

export default cases;
