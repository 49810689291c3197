/** Example cases: generic keyspace commands. Every reply recorded from Valkey 9.1.2 (conformance/record.ts) and reviewed. */
import { group } from './case.js';
import { ok, simple, err, unordered, syntaxErr, notInt } from '../expect.js';

const { cases, example } = group('generic');

example(['del', 'unlink'], 'DEL and UNLINK count the keys removed', [
  [['MSET', 'a', '1', 'b', '2'], ok],
  [['RPUSH', 'l', 'x'], 1],
  [['DEL', 'a', 'b', 'missing', 'a'], 2],
  [['UNLINK', 'l', 'missing'], 1],
  [['DEL', 'missing'], 0],
  [['DBSIZE'], 0],
]);
example('exists', 'EXISTS counts repeats', [
  [['SET', 'a', '1'], ok],
  [['EXISTS', 'a'], 1],
  [['EXISTS', 'a', 'a', 'missing'], 2],
  [['EXISTS', 'missing'], 0],
]);
example('type', 'TYPE of each kind', [
  [['SET', 's', 'v'], ok],
  [['RPUSH', 'l', 'v'], 1],
  [['HSET', 'h', 'f', 'v'], 1],
  [['SADD', 't', 'v'], 1],
  [['ZADD', 'z', '1', 'v'], 1],
  [['TYPE', 's'], simple('string')],
  [['TYPE', 'l'], simple('list')],
  [['TYPE', 'h'], simple('hash')],
  [['TYPE', 't'], simple('set')],
  [['TYPE', 'z'], simple('zset')],
  [['TYPE', 'missing'], simple('none')],
]);
example(['expire', 'ttl', 'pttl', 'persist'], 'EXPIRE, TTL, PERSIST', [
  [['SET', 'k', 'v'], ok],
  [['TTL', 'k'], -1],
  [['PTTL', 'k'], -1],
  [['TTL', 'missing'], -2],
  [['PTTL', 'missing'], -2],
  [['EXPIRE', 'k', '100'], 1],
  [['TTL', 'k'], 100],
  [['PERSIST', 'k'], 1],
  [['PERSIST', 'k'], 0],
  [['TTL', 'k'], -1],
  [['EXPIRE', 'missing', '10'], 0],
  [['EXPIRE', 'k', 'x'], notInt],
  [['EXPIRE', 'k', '10', 'FOO'], err('ERR Unsupported option FOO')],
  [['PERSIST', 'missing'], 0],
]);
example('expire', 'EXPIRE NX, XX, GT, LT', [
  [['SET', 'k', 'v'], ok],
  [['EXPIRE', 'k', '100', 'XX'], 0],
  [['EXPIRE', 'k', '100', 'NX'], 1],
  [['EXPIRE', 'k', '200', 'NX'], 0],
  [['EXPIRE', 'k', '50', 'GT'], 0],
  [['EXPIRE', 'k', '200', 'GT'], 1],
  [['TTL', 'k'], 200],
  [['EXPIRE', 'k', '300', 'LT'], 0],
  [['EXPIRE', 'k', '50', 'LT'], 1],
  [['TTL', 'k'], 50],
  [['EXPIRE', 'k', '10', 'NX', 'XX'], err('ERR NX and XX, GT or LT options at the same time are not compatible')],
  [['EXPIRE', 'k', '10', 'GT', 'LT'], err('ERR GT and LT options at the same time are not compatible')],
  [['EXPIRE', 'k', '10', 'NX', 'GT'], err('ERR NX and XX, GT or LT options at the same time are not compatible')],
]);
example(['expire', 'pexpire'], 'EXPIRE with zero or negative deletes; overflow', [
  [['SET', 'k', 'v'], ok],
  [['EXPIRE', 'k', '0'], 1],
  [['EXISTS', 'k'], 0],
  [['SET', 'k', 'v'], ok],
  [['PEXPIRE', 'k', '-1'], 1],
  [['EXISTS', 'k'], 0],
  [['SET', 'k', 'v'], ok],
  [['EXPIRE', 'k', '9223372036854775807'], err('ERR invalid expire time in \'expire\' command')],
  [['PEXPIRE', 'k', '9223372036854775807'], err('ERR invalid expire time in \'pexpire\' command')],
  [['EXPIRE', 'k', '-9223372036854775808'], err('ERR invalid expire time in \'expire\' command')],
]);
example(['expireat', 'pexpireat', 'expiretime', 'pexpiretime'], 'EXPIREAT, PEXPIREAT, EXPIRETIME', [
  [['SET', 'k', 'v'], ok],
  [['EXPIRETIME', 'k'], -1],
  [['PEXPIRETIME', 'k'], -1],
  [['EXPIRETIME', 'missing'], -2],
  [['EXPIREAT', 'k', '4102444800'], 1],
  [['EXPIRETIME', 'k'], 4102444800],
  [['PEXPIRETIME', 'k'], 4102444800000],
  [['PEXPIREAT', 'k', '4102444800123'], 1],
  [['PEXPIRETIME', 'k'], 4102444800123],
  [['EXPIRETIME', 'k'], 4102444800],
  [['EXPIREAT', 'k', '1'], 1],
  [['EXISTS', 'k'], 0],
  [['EXPIREAT', 'missing', '4102444800'], 0],
  [['PEXPIREAT', 'k', 'x'], notInt],
]);
example('keys', 'KEYS with patterns', [
  [['MSET', 'one', '1', 'two', '2', 'three', '3', 't[x]', '4'], ok],
  [['KEYS', 't*'], unordered(['two', 'three', 't[x]'])],
  [['KEYS', '?ne'], ['one']],
  [['KEYS', 't[wh]*'], unordered(['two', 'three'])],
  [['KEYS', 't\\[x\\]'], ['t[x]']],
  [['KEYS', 'nomatch*'], []],
  [['KEYS', '[^t]*'], ['one']],
]);
example('rename', 'RENAME', [
  [['SET', 'a', '1'], ok],
  [['EXPIRE', 'a', '100'], 1],
  [['RENAME', 'a', 'b'], ok],
  [['GET', 'b'], '1'],
  [['TTL', 'b'], 100],
  [['EXISTS', 'a'], 0],
  [['RENAME', 'missing', 'c'], err('ERR no such key')],
  [['RENAME', 'b', 'b'], ok],
  [['RPUSH', 'l', 'x'], 1],
  [['RENAME', 'l', 'b'], ok],
  [['TYPE', 'b'], simple('list')],
]);
example('renamenx', 'RENAMENX', [
  [['SET', 'a', '1'], ok],
  [['SET', 'b', '2'], ok],
  [['RENAMENX', 'a', 'b'], 0],
  [['RENAMENX', 'a', 'c'], 1],
  [['GET', 'c'], '1'],
  [['RENAMENX', 'missing', 'd'], err('ERR no such key')],
  [['RENAMENX', 'c', 'c'], 0],
]);
example('copy', 'COPY', [
  [['SET', 'a', '1'], ok],
  [['COPY', 'a', 'b'], 1],
  [['GET', 'b'], '1'],
  [['COPY', 'a', 'b'], 0],
  [['SET', 'a', '2'], ok],
  [['COPY', 'a', 'b', 'REPLACE'], 1],
  [['GET', 'b'], '2'],
  [['COPY', 'a', 'b', 'DB', '1'], 1],
  [['SELECT', '1'], ok],
  [['GET', 'b'], '2'],
  [['SELECT', '0'], ok],
  [['COPY', 'missing', 'c'], 0],
  [['COPY', 'a', 'a'], err('ERR source and destination objects are the same')],
  [['COPY', 'a', 'b', 'DB', 'x'], notInt],
  [['COPY', 'a', 'b', 'FOO'], syntaxErr],
  [['RPUSH', 'l', 'x', 'y'], 2],
  [['COPY', 'l', 'l2'], 1],
  [['LRANGE', 'l2', '0', '-1'], ['x', 'y']],
]);
example('move', 'MOVE', [
  [['SET', 'a', '1'], ok],
  [['MOVE', 'a', '1'], 1],
  [['EXISTS', 'a'], 0],
  [['SELECT', '1'], ok],
  [['GET', 'a'], '1'],
  [['SELECT', '0'], ok],
  [['SET', 'a', '2'], ok],
  [['MOVE', 'a', '1'], 0],
  [['MOVE', 'missing', '1'], 0],
  [['MOVE', 'a', '0'], err('ERR source and destination objects are the same')],
  [['MOVE', 'a', 'x'], notInt],
  [['MOVE', 'a', '99'], err('ERR DB index is out of range')],
]);
example('touch', 'TOUCH', [
  [['MSET', 'a', '1', 'b', '2'], ok],
  [['TOUCH', 'a', 'b', 'missing', 'a'], 3],
]);
example('randomkey', 'RANDOMKEY', [
  [['RANDOMKEY'], null],
  [['SET', 'only', 'v'], ok],
  [['RANDOMKEY'], 'only'],
]);
example('scan', 'SCAN over a small keyspace', [
  [['SCAN', '0'], ['0', []]],
  [['SET', 'only', 'v'], ok],
  [['SCAN', '0'], ['0', ['only']]],
  [['SCAN', '0', 'MATCH', 'o*'], ['0', ['only']]],
  [['SCAN', '0', 'MATCH', 'x*'], ['0', []]],
  [['SCAN', '0', 'TYPE', 'string'], ['0', ['only']]],
  [['SCAN', '0', 'TYPE', 'list'], ['0', []]],
  [['SCAN', '0', 'COUNT', '0'], syntaxErr],
  [['SCAN', 'x'], err('ERR invalid cursor')],
  [['SCAN', '0', 'FOO'], syntaxErr],
  [['SCAN', '0', 'COUNT', 'x'], notInt],
]);
example(['object|encoding', 'object|refcount', 'object|freq', 'object|idletime', 'object|help'], 'OBJECT subcommands', [
  [['SET', 'n', '123'], ok],
  [['SET', 's', 'abc'], ok],
  [['SET', 'r', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'], ok],
  [['RPUSH', 'l', 'a'], 1],
  [['OBJECT', 'ENCODING', 'n'], 'int'],
  [['OBJECT', 'ENCODING', 's'], 'embstr'],
  [['OBJECT', 'ENCODING', 'r'], 'embstr'],
  [['OBJECT', 'ENCODING', 'l'], 'listpack'],
  [['OBJECT', 'ENCODING', 'missing'], null],
  [['OBJECT', 'REFCOUNT', 's'], 1],
  [['OBJECT', 'FREQ', 's'], err('ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.')],
  [['OBJECT', 'IDLETIME', 'missing'], null],
  [['OBJECT', 'FOO', 's'], err('ERR unknown subcommand \'FOO\'. Try OBJECT HELP.')],
  [['OBJECT', 'HELP'], [simple('OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:'), simple('ENCODING <key>'), simple('    Return the kind of internal representation used in order to store the value'), simple('    associated with a <key>.'), simple('FREQ <key>'), simple('    Return the access frequency index of the <key>. The returned integer is'), simple('    proportional to the logarithm of the recent access frequency of the key.'), simple('IDLETIME <key>'), simple('    Return the idle time of the <key>, that is the approximated number of'), simple('    seconds elapsed since the last access to the key.'), simple('REFCOUNT <key>'), simple('    Return the number of references of the value associated with the specified'), simple('    <key>.'), simple('HELP'), simple('    Print this help.')]],
]);
example(['sort', 'sort_ro'], 'SORT numeric, ALPHA, LIMIT, STORE', [
  [['RPUSH', 'l', '3', '1', '2'], 3],
  [['SORT', 'l'], ['1', '2', '3']],
  [['SORT', 'l', 'DESC'], ['3', '2', '1']],
  [['SORT', 'l', 'LIMIT', '1', '1'], ['2']],
  [['RPUSH', 'w', 'b', 'a', 'c'], 3],
  [['SORT', 'w'], err('ERR One or more scores can\'t be converted into double')],
  [['SORT', 'w', 'ALPHA'], ['a', 'b', 'c']],
  [['SORT', 'l', 'STORE', 'dst'], 3],
  [['LRANGE', 'dst', '0', '-1'], ['1', '2', '3']],
  [['SORT_RO', 'l', 'DESC'], ['3', '2', '1']],
  [['SORT', 'missing'], []],
  [['SORT', 'l', 'FOO'], syntaxErr],
]);
example(['wait', 'waitaof'], 'WAIT and WAITAOF without replicas', [
  [['WAIT', '0', '0'], 0],
  [['WAITAOF', '0', '0', '0'], [0, 0]],
  [['WAITAOF', '1', '0', '0'], err('ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.')],
  [['WAIT', 'x', '0'], notInt],
]);
example(['migrate'], 'MIGRATE: nothing to move, and its argument errors', [
  [['MIGRATE', '127.0.0.1', '1', 'missing', '0', '100'], simple('NOKEY')],
  [['MIGRATE', '127.0.0.1', '1', '', '0', '100', 'KEYS', 'a', 'b'], simple('NOKEY')],
  [['MIGRATE', '127.0.0.1', '1', 'k', '0', '100', 'KEYS', 'a'], err('ERR When using MIGRATE KEYS option, the key argument must be set to the empty string')],
  [['MIGRATE', '127.0.0.1', '1', 'k', 'x', '100'], notInt],
  [['MIGRATE', '127.0.0.1', '1', 'k', '0', '100', 'AUTH'], syntaxErr],
]);
example(['dump', 'restore', 'restore-asking'], 'DUMP and RESTORE', [
  [['DUMP', 'missing'], null],
  [['RESTORE', 'k', '0', 'garbage'], err('ERR DUMP payload version or checksum are wrong')],
  [['RESTORE-ASKING', 'k', '0', 'garbage'], err('ERR DUMP payload version or checksum are wrong')],
]);

export default cases;
