/** Example cases: transactions. Every reply recorded from Valkey 9.1.2 (conformance/record.ts) and reviewed. */
import { group } from './case.js';
import { ok, queued, nilArr, simple, err, map, dbl, wrongType, arity } from '../expect.js';

const { cases, example } = group('transactions');

example(['multi', 'exec'], 'MULTI queues, EXEC runs', [
  [['MULTI'], ok],
  [['SET', 'k', '1'], queued],
  [['INCR', 'k'], queued],
  [['GET', 'k'], queued],
  [['EXEC'], [ok, 2, '2']],
  [['GET', 'k'], '2'],
]);
example(['multi', 'exec'], 'EXEC reports each command\'s error', [
  [['RPUSH', 'l', 'x'], 1],
  [['MULTI'], ok],
  [['SET', 'k', 'v'], queued],
  [['INCR', 'l'], queued],
  [['GET', 'k'], queued],
  [['EXEC'], [ok, wrongType, 'v']],
]);
example(['multi', 'exec'], 'An error while queueing aborts EXEC', [
  [['MULTI'], ok],
  [['SET', 'k', 'v'], queued],
  [['NOSUCH'], err('ERR unknown command \'NOSUCH\', with args beginning with: ')],
  [['GET'], arity('get')],
  [['EXEC'], err('EXECABORT Transaction discarded because of previous errors.')],
  [['EXISTS', 'k'], 0],
]);
example(['multi', 'exec', 'discard'], 'MULTI, EXEC and DISCARD out of place', [
  [['EXEC'], err('ERR EXEC without MULTI')],
  [['DISCARD'], err('ERR DISCARD without MULTI')],
  [['MULTI'], ok],
  [['MULTI'], err('ERR Command \'multi\' not allowed inside a transaction')],
  [['SET', 'k', 'v'], queued],
  [['DISCARD'], ok],
  [['EXISTS', 'k'], 0],
  [['MULTI'], ok],
  [['EXEC'], []],
]);
example(['watch', 'exec'], 'WATCH: a change by another client fails EXEC', [
  [['SET', 'k', '1'], ok],
  [['WATCH', 'k'], ok],
  { on: 'b', cmd: ['SET', 'k', '2'], expect: ok },
  [['MULTI'], ok],
  [['SET', 'k', '3'], queued],
  [['EXEC'], nilArr],
  [['GET', 'k'], '2'],
]);
example(['watch', 'exec'], 'WATCH: an untouched key lets EXEC run', [
  [['SET', 'k', '1'], ok],
  [['WATCH', 'k', 'other'], ok],
  { on: 'b', cmd: ['SET', 'unrelated', '2'], expect: ok },
  [['MULTI'], ok],
  [['INCR', 'k'], queued],
  [['EXEC'], [2]],
]);
example(['watch', 'unwatch'], 'UNWATCH forgets the watched keys', [
  [['WATCH', 'k'], ok],
  { on: 'b', cmd: ['SET', 'k', '2'], expect: ok },
  [['UNWATCH'], ok],
  [['MULTI'], ok],
  [['GET', 'k'], queued],
  [['EXEC'], ['2']],
]);
example('watch', 'WATCH inside MULTI', [
  [['MULTI'], ok],
  [['WATCH', 'k'], err('ERR Command \'watch\' not allowed inside a transaction')],
  [['EXEC'], err('EXECABORT Transaction discarded because of previous errors.')],
]);
example(['watch', 'exec'], 'WATCH: deleting a missing key is no change', [
  [['WATCH', 'k'], ok],
  { on: 'b', cmd: ['DEL', 'k'], expect: 0 },
  [['MULTI'], ok],
  [['PING'], queued],
  [['EXEC'], [simple('PONG')]],
]);
example(['watch', 'exec'], 'WATCH: FLUSHALL by another client fails EXEC', [
  [['SET', 'k', '1'], ok],
  [['WATCH', 'k'], ok],
  { on: 'b', cmd: ['FLUSHALL'], expect: ok },
  [['MULTI'], ok],
  [['PING'], queued],
  [['EXEC'], nilArr],
]);
example(['multi', 'exec'], 'EXEC inside MULTI keeps RESP types of queued replies', [
  [['MULTI'], ok],
  [['HSET', 'h', 'f', 'v'], queued],
  [['HGETALL', 'h'], queued],
  [['ZADD', 'z', '1.5', 'm'], queued],
  [['ZSCORE', 'z', 'm'], queued],
  [['EXEC'], [1, map(['f', 'v']), 1, dbl('1.5')]],
]);

export default cases;
