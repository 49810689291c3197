/** Example cases: lists. Every reply recorded from Valkey 9.1.2 (conformance/record.ts) and reviewed. */
import { group } from './case.js';
import { ok, queued, nilArr, err, wrongType, syntaxErr, notInt } from '../expect.js';

const { cases, example } = group('list');

example(['lpush', 'rpush', 'lrange'], 'LPUSH, RPUSH, LRANGE', [
  [['RPUSH', 'l', 'a', 'b'], 2],
  [['LPUSH', 'l', 'x', 'y'], 4],
  [['LRANGE', 'l', '0', '-1'], ['y', 'x', 'a', 'b']],
  [['LRANGE', 'l', '1', '2'], ['x', 'a']],
  [['LRANGE', 'l', '-2', '100'], ['a', 'b']],
  [['LRANGE', 'l', '5', '10'], []],
  [['LRANGE', 'missing', '0', '-1'], []],
  [['LRANGE', 'l', 'x', '1'], notInt],
  [['SET', 's', 'v'], ok],
  [['LPUSH', 's', 'a'], wrongType],
]);
example(['lpushx', 'rpushx'], 'LPUSHX and RPUSHX', [
  [['LPUSHX', 'l', 'a'], 0],
  [['EXISTS', 'l'], 0],
  [['RPUSH', 'l', 'a'], 1],
  [['LPUSHX', 'l', 'b', 'c'], 3],
  [['RPUSHX', 'l', 'z'], 4],
  [['LRANGE', 'l', '0', '-1'], ['c', 'b', 'a', 'z']],
]);
example(['lpop', 'rpop'], 'LPOP and RPOP, with counts', [
  [['RPUSH', 'l', 'a', 'b', 'c', 'd'], 4],
  [['LPOP', 'l'], 'a'],
  [['RPOP', 'l'], 'd'],
  [['LPOP', 'l', '5'], ['b', 'c']],
  [['EXISTS', 'l'], 0],
  [['LPOP', 'l'], null],
  [['LPOP', 'l', '2'], nilArr],
  [['RPUSH', 'l', 'a'], 1],
  [['RPOP', 'l', '0'], []],
  [['LPOP', 'l', '-1'], err('ERR value is out of range, must be positive')],
  [['LPOP', 'l', 'x'], err('ERR value is out of range, must be positive')],
]);
example(['llen', 'lindex', 'lset'], 'LLEN, LINDEX, LSET', [
  [['RPUSH', 'l', 'a', 'b', 'c'], 3],
  [['LLEN', 'l'], 3],
  [['LINDEX', 'l', '0'], 'a'],
  [['LINDEX', 'l', '-1'], 'c'],
  [['LINDEX', 'l', '5'], null],
  [['LSET', 'l', '1', 'B'], ok],
  [['LSET', 'l', '5', 'x'], err('ERR index out of range')],
  [['LSET', 'missing', '0', 'x'], err('ERR no such key')],
  [['LRANGE', 'l', '0', '-1'], ['a', 'B', 'c']],
  [['LLEN', 'missing'], 0],
  [['LINDEX', 'l', 'x'], notInt],
]);
example('linsert', 'LINSERT', [
  [['RPUSH', 'l', 'a', 'c'], 2],
  [['LINSERT', 'l', 'BEFORE', 'c', 'b'], 3],
  [['LINSERT', 'l', 'AFTER', 'c', 'd'], 4],
  [['LINSERT', 'l', 'AFTER', 'nope', 'x'], -1],
  [['LINSERT', 'missing', 'AFTER', 'a', 'x'], 0],
  [['LINSERT', 'l', 'MIDDLE', 'a', 'x'], syntaxErr],
  [['LRANGE', 'l', '0', '-1'], ['a', 'b', 'c', 'd']],
]);
example('lrem', 'LREM', [
  [['RPUSH', 'l', 'a', 'b', 'a', 'c', 'a'], 5],
  [['LREM', 'l', '-1', 'a'], 1],
  [['LREM', 'l', '1', 'a'], 1],
  [['LRANGE', 'l', '0', '-1'], ['b', 'a', 'c']],
  [['LREM', 'l', '0', 'a'], 1],
  [['LREM', 'missing', '0', 'a'], 0],
  [['LREM', 'l', 'x', 'a'], notInt],
]);
example('ltrim', 'LTRIM', [
  [['RPUSH', 'l', 'a', 'b', 'c', 'd'], 4],
  [['LTRIM', 'l', '1', '-2'], ok],
  [['LRANGE', 'l', '0', '-1'], ['b', 'c']],
  [['LTRIM', 'l', '5', '10'], ok],
  [['EXISTS', 'l'], 0],
  [['LTRIM', 'missing', '0', '1'], ok],
]);
example('lpos', 'LPOS', [
  [['RPUSH', 'l', 'a', 'b', 'c', 'b', 'b'], 5],
  [['LPOS', 'l', 'b'], 1],
  [['LPOS', 'l', 'b', 'RANK', '2'], 3],
  [['LPOS', 'l', 'b', 'RANK', '-1'], 4],
  [['LPOS', 'l', 'b', 'COUNT', '0'], [1, 3, 4]],
  [['LPOS', 'l', 'b', 'COUNT', '2', 'RANK', '2'], [3, 4]],
  [['LPOS', 'l', 'b', 'MAXLEN', '2'], 1],
  [['LPOS', 'l', 'z'], null],
  [['LPOS', 'l', 'z', 'COUNT', '1'], []],
  [['LPOS', 'l', 'b', 'RANK', '0'], err('ERR RANK can\'t be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list')],
  [['LPOS', 'l', 'b', 'COUNT', '-1'], err('ERR COUNT can\'t be negative')],
  [['LPOS', 'missing', 'a'], null],
]);
example(['lmove', 'rpoplpush'], 'LMOVE and RPOPLPUSH', [
  [['RPUSH', 'a', '1', '2', '3'], 3],
  [['LMOVE', 'a', 'b', 'LEFT', 'RIGHT'], '1'],
  [['LMOVE', 'a', 'b', 'RIGHT', 'LEFT'], '3'],
  [['LRANGE', 'b', '0', '-1'], ['3', '1']],
  [['RPOPLPUSH', 'a', 'a'], '2'],
  [['LRANGE', 'a', '0', '-1'], ['2']],
  [['LMOVE', 'missing', 'b', 'LEFT', 'LEFT'], null],
  [['LMOVE', 'a', 'b', 'UP', 'LEFT'], syntaxErr],
  [['SET', 's', 'v'], ok],
  [['LMOVE', 'a', 's', 'LEFT', 'LEFT'], wrongType],
]);
example('lmpop', 'LMPOP', [
  [['RPUSH', 'b', '1', '2', '3'], 3],
  [['LMPOP', '2', 'a', 'b', 'LEFT'], ['b', ['1']]],
  [['LMPOP', '2', 'a', 'b', 'RIGHT', 'COUNT', '5'], ['b', ['3', '2']]],
  [['LMPOP', '1', 'a', 'LEFT'], nilArr],
  [['LMPOP', '0', 'a', 'LEFT'], err('ERR numkeys should be greater than 0')],
  [['LMPOP', '2', 'a', 'LEFT'], syntaxErr],
  [['LMPOP', '1', 'a', 'UP'], syntaxErr],
]);
example(['blpop', 'brpop', 'blmove', 'blmpop', 'brpoplpush'], 'Blocking pops that need not wait', [
  [['RPUSH', 'l', 'a', 'b'], 2],
  [['BLPOP', 'l', '0'], ['l', 'a']],
  [['BRPOP', 'missing', 'l', '1'], ['l', 'b']],
  [['RPUSH', 'l', 'c'], 1],
  [['BLMOVE', 'l', 'd', 'LEFT', 'RIGHT', '0'], 'c'],
  [['RPUSH', 'l', 'e'], 1],
  [['BLMPOP', '0', '1', 'l', 'LEFT'], ['l', ['e']]],
  [['RPUSH', 'l', 'f'], 1],
  [['BRPOPLPUSH', 'l', 'd', '0'], 'f'],
  [['LRANGE', 'd', '0', '-1'], ['f', 'c']],
  [['BLPOP', 'l', 'x'], err('ERR timeout is not a float or out of range')],
  [['BLPOP', 'l', '-1'], err('ERR timeout is negative')],
]);
example('blpop', 'BLPOP times out', [
  { cmd: ['BLPOP', 'missing', '0.05'], expect: nilArr, elapseDuring: 100 },
]);

example(['blpop', 'rpush'], 'BLPOP waits for a push from another client', [
  { send: ['BLPOP', 'l', '0'] },
  { on: 'b', cmd: ['RPUSH', 'l', 'x', 'y'], expect: 2 },
  { reply: ['l', 'x'] },
  [['LRANGE', 'l', '0', '-1'], ['y']],
]);

example(['blmove', 'lpush'], 'BLMOVE waits, then moves what arrives', [
  { send: ['BLMOVE', 'src', 'dst', 'RIGHT', 'LEFT', '0'] },
  { on: 'b', cmd: ['LPUSH', 'src', 'a'], expect: 1 },
  { reply: 'a' },
  [['LRANGE', 'dst', '0', '-1'], ['a']],
  [['EXISTS', 'src'], 0],
]);

example(['brpop', 'multi'], 'A push inside MULTI serves a blocked client after EXEC', [
  { send: ['BRPOP', 'l', '0'] },
  { on: 'b', cmd: ['MULTI'], expect: ok },
  { on: 'b', cmd: ['RPUSH', 'l', 'a', 'b'], expect: queued },
  { on: 'b', cmd: ['EXEC'], expect: [2] },
  { reply: ['l', 'b'] },
]);

export default cases;
