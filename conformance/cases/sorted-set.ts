/** Example cases: sorted sets. Every reply recorded from Valkey 9.1.2 (conformance/record.ts) and reviewed. */
import { group } from './case.js';
import { ok, nilArr, err, dbl, resp, wrongType, syntaxErr, notInt, arity } from '../expect.js';

const { cases, example } = group('sorted_set');

example(['zadd', 'zscore', 'zcard'], 'ZADD, ZSCORE, ZCARD', [
  [['ZADD', 'z', '1', 'a', '2', 'b'], 2],
  [['ZADD', 'z', '1.5', 'a', '3', 'c'], 1],
  [['ZSCORE', 'z', 'a'], dbl('1.5')],
  [['ZSCORE', 'z', 'nope'], null],
  [['ZCARD', 'z'], 3],
  [['ZADD', 'z', 'x', 'a'], err('ERR value is not a valid float')],
  [['ZADD', 'z', '1'], arity('zadd')],
  [['ZADD', 'z', 'nan', 'a'], err('ERR value is not a valid float')],
  [['ZADD', 'z', 'inf', 'i', '-inf', 'j'], 2],
  [['ZSCORE', 'z', 'i'], dbl('inf')],
  [['ZSCORE', 'z', 'j'], dbl('-inf')],
  [['SET', 's', 'v'], ok],
  [['ZADD', 's', '1', 'a'], wrongType],
]);
example('zadd', 'ZADD NX, XX, GT, LT, CH, INCR', [
  [['ZADD', 'z', '1', 'a'], 1],
  [['ZADD', 'z', 'NX', '5', 'a', '2', 'b'], 1],
  [['ZADD', 'z', 'XX', '5', 'a', '3', 'c'], 0],
  [['ZADD', 'z', 'CH', '6', 'a', '2', 'b'], 1],
  [['ZADD', 'z', 'GT', 'CH', '1', 'a'], 0],
  [['ZADD', 'z', 'LT', 'CH', '1', 'a'], 1],
  [['ZADD', 'z', 'INCR', '2', 'a'], dbl('3')],
  [['ZADD', 'z', 'INCR', '1', 'a', '1', 'b'], err('ERR INCR option supports a single increment-element pair')],
  [['ZADD', 'z', 'NX', 'XX', '1', 'a'], err('ERR XX and NX options at the same time are not compatible')],
  [['ZADD', 'z', 'GT', 'LT', '1', 'a'], err('ERR GT, LT, and/or NX options at the same time are not compatible')],
  [['ZADD', 'z', 'GT', 'NX', '1', 'a'], err('ERR GT, LT, and/or NX options at the same time are not compatible')],
  [['ZADD', 'z', 'XX', 'INCR', '1', 'nope'], null],
  [['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], resp(['b', '2', 'a', '3'], [['b', dbl('2')], ['a', dbl('3')]])],
]);
example(['zrange', 'zrevrange'], 'ZRANGE by index, WITHSCORES, REV', [
  [['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], 3],
  [['ZRANGE', 'z', '0', '-1'], ['a', 'b', 'c']],
  [['ZRANGE', 'z', '0', '1', 'WITHSCORES'], resp(['a', '1', 'b', '2'], [['a', dbl('1')], ['b', dbl('2')]])],
  [['ZRANGE', 'z', '0', '-1', 'REV'], ['c', 'b', 'a']],
  [['ZREVRANGE', 'z', '0', '0', 'WITHSCORES'], resp(['c', '3'], [['c', dbl('3')]])],
  [['ZRANGE', 'z', '5', '10'], []],
  [['ZRANGE', 'missing', '0', '-1'], []],
  [['ZRANGE', 'z', 'x', '1'], notInt],
  [['ZRANGE', 'z', '0', '1', 'LIMIT', '0', '1'], err('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX')],
]);
example(['zrange', 'zrangebyscore', 'zrevrangebyscore', 'zcount'], 'Score ranges', [
  [['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], 3],
  [['ZRANGE', 'z', '(1', '3', 'BYSCORE'], ['b', 'c']],
  [['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '1'], ['b']],
  [['ZRANGE', 'z', '3', '1', 'BYSCORE', 'REV'], ['c', 'b', 'a']],
  [['ZRANGEBYSCORE', 'z', '2', '+inf', 'WITHSCORES'], resp(['b', '2', 'c', '3'], [['b', dbl('2')], ['c', dbl('3')]])],
  [['ZREVRANGEBYSCORE', 'z', '+inf', '-inf', 'LIMIT', '0', '2'], ['c', 'b']],
  [['ZCOUNT', 'z', '(1', '3'], 2],
  [['ZCOUNT', 'z', 'x', '3'], err('ERR min or max is not a float')],
  [['ZRANGEBYSCORE', 'z', '1', 'x'], err('ERR min or max is not a float')],
]);
example(['zrange', 'zrangebylex', 'zrevrangebylex', 'zlexcount'], 'Lex ranges', [
  [['ZADD', 'z', '0', 'a', '0', 'b', '0', 'c', '0', 'd'], 4],
  [['ZRANGE', 'z', '[b', '(d', 'BYLEX'], ['b', 'c']],
  [['ZRANGEBYLEX', 'z', '-', '+', 'LIMIT', '1', '2'], ['b', 'c']],
  [['ZREVRANGEBYLEX', 'z', '+', '[c'], ['d', 'c']],
  [['ZLEXCOUNT', 'z', '(a', '+'], 3],
  [['ZRANGEBYLEX', 'z', 'a', 'c'], err('ERR min or max not valid string range item')],
  [['ZLEXCOUNT', 'z', '-', 'x'], err('ERR min or max not valid string range item')],
]);
example(['zrank', 'zrevrank'], 'ZRANK and ZREVRANK', [
  [['ZADD', 'z', '1', 'a', '2', 'b'], 2],
  [['ZRANK', 'z', 'b'], 1],
  [['ZREVRANK', 'z', 'b'], 0],
  [['ZRANK', 'z', 'nope'], null],
  [['ZRANK', 'z', 'a', 'WITHSCORE'], [0, dbl('1')]],
  [['ZREVRANK', 'z', 'a', 'WITHSCORE'], [1, dbl('1')]],
  [['ZRANK', 'missing', 'a'], null],
  [['ZRANK', 'z', 'a', 'FOO'], syntaxErr],
]);
example(['zrem', 'zremrangebyrank', 'zremrangebyscore', 'zremrangebylex'], 'ZREM and ZREMRANGEBY*', [
  [['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'], 5],
  [['ZREM', 'z', 'a', 'nope'], 1],
  [['ZREMRANGEBYRANK', 'z', '0', '0'], 1],
  [['ZREMRANGEBYSCORE', 'z', '(3', '4'], 1],
  [['ZRANGE', 'z', '0', '-1'], ['c', 'e']],
  [['ZADD', 'l', '0', 'x', '0', 'y'], 2],
  [['ZREMRANGEBYLEX', 'l', '[x', '[x'], 1],
  [['ZRANGE', 'l', '0', '-1'], ['y']],
  [['ZREM', 'z', 'c', 'e'], 2],
  [['EXISTS', 'z'], 0],
]);
example('zincrby', 'ZINCRBY', [
  [['ZINCRBY', 'z', '1.5', 'a'], dbl('1.5')],
  [['ZINCRBY', 'z', '-0.5', 'a'], dbl('1')],
  [['ZINCRBY', 'z', 'x', 'a'], err('ERR value is not a valid float')],
  [['ZADD', 'z', 'inf', 'i'], 1],
  [['ZINCRBY', 'z', '-inf', 'i'], err('ERR resulting score is not a number (NaN)')],
]);
example(['zpopmin', 'zpopmax'], 'ZPOPMIN and ZPOPMAX', [
  [['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], 3],
  [['ZPOPMIN', 'z'], ['a', dbl('1')]],
  [['ZPOPMAX', 'z', '5'], resp(['c', '3', 'b', '2'], [['c', dbl('3')], ['b', dbl('2')]])],
  [['ZPOPMIN', 'z'], []],
  [['ZPOPMIN', 'missing', '2'], []],
  [['ZPOPMIN', 'z', '-1'], err('ERR value is out of range, must be positive')],
]);
example(['zmpop', 'bzpopmin', 'bzpopmax', 'bzmpop'], 'ZMPOP and blocking pops that need not wait', [
  [['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], 3],
  [['ZMPOP', '2', 'missing', 'z', 'MIN'], ['z', [['a', dbl('1')]]]],
  [['ZMPOP', '1', 'z', 'MAX', 'COUNT', '5'], ['z', [['c', dbl('3')], ['b', dbl('2')]]]],
  [['ZMPOP', '1', 'z', 'MIN'], nilArr],
  [['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], 3],
  [['BZPOPMIN', 'z', '0'], ['z', 'a', dbl('1')]],
  [['BZPOPMAX', 'z', '0'], ['z', 'c', dbl('3')]],
  [['BZMPOP', '0', '1', 'z', 'MIN'], ['z', [['b', dbl('2')]]]],
  [['ZMPOP', '0', 'z', 'MIN'], err('ERR numkeys should be greater than 0')],
]);
example('zmscore', 'ZMSCORE', [
  [['ZADD', 'z', '1', 'a'], 1],
  [['ZMSCORE', 'z', 'a', 'nope'], [dbl('1'), null]],
  [['ZMSCORE', 'missing', 'a'], [null]],
]);
example(['zunion', 'zinter', 'zdiff'], 'ZUNION, ZINTER, ZDIFF', [
  [['ZADD', 'a', '1', 'x', '2', 'y'], 2],
  [['ZADD', 'b', '3', 'y', '4', 'z'], 2],
  [['ZUNION', '2', 'a', 'b', 'WITHSCORES'], resp(['x', '1', 'z', '4', 'y', '5'], [['x', dbl('1')], ['z', dbl('4')], ['y', dbl('5')]])],
  [['ZINTER', '2', 'a', 'b', 'WITHSCORES'], resp(['y', '5'], [['y', dbl('5')]])],
  [['ZINTER', '2', 'a', 'b', 'WEIGHTS', '2', '3', 'AGGREGATE', 'MAX', 'WITHSCORES'], resp(['y', '9'], [['y', dbl('9')]])],
  [['ZDIFF', '2', 'a', 'b', 'WITHSCORES'], resp(['x', '1'], [['x', dbl('1')]])],
  [['SADD', 's', 'x'], 1],
  [['ZUNION', '2', 'a', 's', 'WITHSCORES'], resp(['x', '2', 'y', '2'], [['x', dbl('2')], ['y', dbl('2')]])],
  [['ZUNION', '0', 'a'], err('ERR at least 1 input key is needed for \'zunion\' command')],
  [['ZINTER', '2', 'a', 'b', 'WEIGHTS', '1'], syntaxErr],
  [['ZUNION', '2', 'a', 'b', 'AGGREGATE', 'FOO'], syntaxErr],
]);
example(['zunionstore', 'zinterstore', 'zdiffstore', 'zintercard'], 'ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE, ZINTERCARD', [
  [['ZADD', 'a', '1', 'x', '2', 'y'], 2],
  [['ZADD', 'b', '3', 'y', '4', 'z'], 2],
  [['ZUNIONSTORE', 'd', '2', 'a', 'b'], 3],
  [['ZRANGE', 'd', '0', '-1', 'WITHSCORES'], resp(['x', '1', 'z', '4', 'y', '5'], [['x', dbl('1')], ['z', dbl('4')], ['y', dbl('5')]])],
  [['ZINTERSTORE', 'd', '2', 'a', 'b', 'AGGREGATE', 'MIN'], 1],
  [['ZRANGE', 'd', '0', '-1', 'WITHSCORES'], resp(['y', '2'], [['y', dbl('2')]])],
  [['ZDIFFSTORE', 'd', '2', 'a', 'b'], 1],
  [['ZRANGE', 'd', '0', '-1'], ['x']],
  [['ZINTERCARD', '2', 'a', 'b'], 1],
  [['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '1'], 1],
  [['ZINTERSTORE', 'd', '2', 'a', 'missing'], 0],
  [['EXISTS', 'd'], 0],
]);
example('zrangestore', 'ZRANGESTORE', [
  [['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], 3],
  [['ZRANGESTORE', 'd', 'z', '1', '-1'], 2],
  [['ZRANGE', 'd', '0', '-1', 'WITHSCORES'], resp(['b', '2', 'c', '3'], [['b', dbl('2')], ['c', dbl('3')]])],
  [['ZRANGESTORE', 'd', 'z', '(1', '+inf', 'BYSCORE', 'LIMIT', '0', '1'], 1],
  [['ZRANGE', 'd', '0', '-1'], ['b']],
  [['ZRANGESTORE', 'd', 'missing', '0', '-1'], 0],
  [['EXISTS', 'd'], 0],
]);
example(['zrandmember', 'zscan'], 'ZRANDMEMBER and ZSCAN on one member', [
  [['ZADD', 'z', '1', 'a'], 1],
  [['ZRANDMEMBER', 'z'], 'a'],
  [['ZRANDMEMBER', 'z', '2', 'WITHSCORES'], resp(['a', '1'], [['a', dbl('1')]])],
  [['ZRANDMEMBER', 'z', '-2'], ['a', 'a']],
  [['ZRANDMEMBER', 'missing'], null],
  [['ZSCAN', 'z', '0'], ['0', ['a', '1']]],
  [['ZSCAN', 'z', '0', 'MATCH', 'x*'], ['0', []]],
]);

export default cases;
