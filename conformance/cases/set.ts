/** Example cases: sets. Every reply recorded from Valkey 9.1.2 (conformance/record.ts) and reviewed. */
import { group } from './case.js';
import { ok, err, set, unordered, wrongType } from '../expect.js';

const { cases, example } = group('set');

example(['sadd', 'smembers', 'scard', 'sismember'], 'SADD, SMEMBERS, SCARD, SISMEMBER', [
  [['SADD', 's', 'a', 'b', 'a'], 2],
  [['SADD', 's', 'b', 'c'], 1],
  [['SCARD', 's'], 3],
  [['SMEMBERS', 's'], unordered(set('a', 'b', 'c'))],
  [['SISMEMBER', 's', 'a'], 1],
  [['SISMEMBER', 's', 'z'], 0],
  [['SMEMBERS', 'missing'], set()],
  [['SCARD', 'missing'], 0],
  [['SET', 'str', 'v'], ok],
  [['SADD', 'str', 'a'], wrongType],
  [['SADD', 'n', '3', '1', '2'], 3],
  [['SMEMBERS', 'n'], unordered(set('1', '2', '3'))],
]);
example('srem', 'SREM', [
  [['SADD', 's', 'a', 'b', 'c'], 3],
  [['SREM', 's', 'a', 'z', 'a'], 1],
  [['SREM', 's', 'b', 'c'], 2],
  [['EXISTS', 's'], 0],
  [['SREM', 'missing', 'a'], 0],
]);
example('smismember', 'SMISMEMBER', [
  [['SADD', 's', 'a', 'b'], 2],
  [['SMISMEMBER', 's', 'a', 'z', 'b'], [1, 0, 1]],
  [['SMISMEMBER', 'missing', 'a'], [0]],
]);
example(['sinter', 'sunion', 'sdiff'], 'SINTER, SUNION, SDIFF', [
  [['SADD', 'a', '1', '2', '3'], 3],
  [['SADD', 'b', '2', '3', '4'], 3],
  [['SINTER', 'a', 'b'], unordered(set('2', '3'))],
  [['SUNION', 'a', 'b'], unordered(set('1', '2', '3', '4'))],
  [['SDIFF', 'a', 'b'], set('1')],
  [['SINTER', 'a', 'missing'], set()],
  [['SDIFF', 'missing', 'a'], set()],
  [['SUNION', 'missing'], set()],
  [['SET', 's', 'v'], ok],
  [['SINTER', 'a', 's'], wrongType],
]);
example(['sinterstore', 'sunionstore', 'sdiffstore'], 'SINTERSTORE, SUNIONSTORE, SDIFFSTORE', [
  [['SADD', 'a', '1', '2', '3'], 3],
  [['SADD', 'b', '2', '3', '4'], 3],
  [['SINTERSTORE', 'd', 'a', 'b'], 2],
  [['SMEMBERS', 'd'], unordered(set('2', '3'))],
  [['SUNIONSTORE', 'd', 'a', 'b'], 4],
  [['SCARD', 'd'], 4],
  [['SDIFFSTORE', 'd', 'a', 'b'], 1],
  [['SMEMBERS', 'd'], set('1')],
  [['SINTERSTORE', 'd', 'a', 'missing'], 0],
  [['EXISTS', 'd'], 0],
]);
example('sintercard', 'SINTERCARD', [
  [['SADD', 'a', '1', '2', '3'], 3],
  [['SADD', 'b', '2', '3', '4'], 3],
  [['SINTERCARD', '2', 'a', 'b'], 2],
  [['SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'], 1],
  [['SINTERCARD', '1', 'missing'], 0],
  [['SINTERCARD', '0', 'a'], err('ERR numkeys should be greater than 0')],
  [['SINTERCARD', '3', 'a', 'b'], err('ERR Number of keys can\'t be greater than number of args')],
  [['SINTERCARD', '2', 'a', 'b', 'LIMIT', '-1'], err('ERR LIMIT can\'t be negative')],
]);
example('smove', 'SMOVE', [
  [['SADD', 'a', 'x', 'y'], 2],
  [['SMOVE', 'a', 'b', 'x'], 1],
  [['SMOVE', 'a', 'b', 'z'], 0],
  [['SMEMBERS', 'b'], set('x')],
  [['SMOVE', 'a', 'b', 'y'], 1],
  [['EXISTS', 'a'], 0],
  [['SMOVE', 'missing', 'b', 'x'], 0],
  [['SET', 's', 'v'], ok],
  [['SMOVE', 'b', 's', 'x'], wrongType],
]);
example(['spop', 'srandmember'], 'SPOP and SRANDMEMBER on one member', [
  [['SADD', 's', 'only'], 1],
  [['SRANDMEMBER', 's'], 'only'],
  [['SRANDMEMBER', 's', '3'], ['only']],
  [['SRANDMEMBER', 's', '-2'], ['only', 'only']],
  [['SPOP', 's'], 'only'],
  [['EXISTS', 's'], 0],
  [['SPOP', 's'], null],
  [['SPOP', 's', '2'], set()],
  [['SRANDMEMBER', 'missing'], null],
  [['SRANDMEMBER', 'missing', '2'], []],
  [['SPOP', 's', '-1'], err('ERR value is out of range, must be positive')],
]);
example('sscan', 'SSCAN on a small set', [
  [['SADD', 's', 'a'], 1],
  [['SSCAN', 's', '0'], ['0', ['a']]],
  [['SSCAN', 's', '0', 'MATCH', 'z*'], ['0', []]],
  [['SSCAN', 'missing', '0'], ['0', []]],
]);

export default cases;
