/** Example cases: server commands. Every reply recorded from Valkey 9.1.2 (conformance/record.ts) and reviewed. */
import { group } from './case.js';
import { ok, any, simple, err, map, set, verb, unordered, syntaxErr, notInt, arity } from '../expect.js';

const { cases, example } = group('server');

example('monitor', 'MONITOR answers OK; the other connection runs on', [
  { send: ['MONITOR'], on: 'm' },
  { reply: ok, on: 'm' },
  [['SET', 'k', 'v'], ok],
  [['GET', 'k'], 'v'],
]);
example('dbsize', 'DBSIZE', [
  [['DBSIZE'], 0],
  [['MSET', 'a', '1', 'b', '2'], ok],
  [['DBSIZE'], 2],
  [['SELECT', '1'], ok],
  [['DBSIZE'], 0],
]);
example(['flushall', 'flushdb'], 'FLUSHDB and FLUSHALL', [
  [['SET', 'a', '1'], ok],
  [['SELECT', '1'], ok],
  [['SET', 'b', '1'], ok],
  [['FLUSHDB'], ok],
  [['DBSIZE'], 0],
  [['SELECT', '0'], ok],
  [['DBSIZE'], 1],
  [['FLUSHDB', 'ASYNC'], ok],
  [['FLUSHDB', 'SYNC'], ok],
  [['FLUSHDB', 'FOO'], syntaxErr],
  [['FLUSHALL', 'FOO'], syntaxErr],
  [['SET', 'c', '1'], ok],
  [['FLUSHALL', 'SYNC'], ok],
  [['DBSIZE'], 0],
]);
example('swapdb', 'SWAPDB', [
  [['SET', 'a', '0'], ok],
  [['SWAPDB', '0', '1'], ok],
  [['GET', 'a'], null],
  [['SELECT', '1'], ok],
  [['GET', 'a'], '0'],
  [['SWAPDB', '0', '16'], err('ERR DB index is out of range')],
  [['SWAPDB', 'x', '1'], err('ERR invalid first DB index')],
  [['SWAPDB', '1', '1'], ok],
]);
example('command', 'COMMAND', [
  [['COMMAND'], any],
  [['COMMAND', 'x'], err('ERR unknown subcommand \'x\'. Try COMMAND HELP.')],
]);

// A BGSAVE that starts would leave a child process writing, and the next SAVE or BGSAVE answer depends on its timing.
example('bgsave', 'BGSAVE options', [
  [['BGSAVE', 'FOO'], syntaxErr],
]);
example('bgrewriteaof', 'BGREWRITEAOF takes no argument', [
  [['BGREWRITEAOF', 'x'], arity('bgrewriteaof')],
]);
example(['module|list', 'module|help'], 'MODULE LIST (the built-in Lua engine) and HELP', [
  [['MODULE', 'LIST'], [map(['name', 'lua'], ['ver', 1], ['path', 'lua'], ['args', []])]],
  [['MODULE', 'HELP'], [simple('MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:'), simple('LIST'), simple('    Return a list of loaded modules.'),
    simple('LOAD <path> [<arg> ...]'), simple('    Load a module library from <path>, passing to it any optional arguments.'),
    simple('LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]'),
    simple('    Load a module library from <path>, while passing it module configurations and optional arguments.'),
    simple('UNLOAD <name>'), simple('    Unload a module.'), simple('HELP'), simple('    Print this help.')]],
]);

example('command|count', 'COMMAND COUNT', [
  [['COMMAND', 'COUNT'], 257],
]);
example('command|info', 'COMMAND INFO', [
  [['COMMAND', 'INFO', 'get'], [['get', 2, set(simple('readonly'), simple('fast')), 1, 1, 1, set(simple('@read'), simple('@string'), simple('@fast')), set(), set(map(['flags', set(simple('RO'), simple('access'))], ['begin_search', map(['type', 'index'], ['spec', map(['index', 1])])], ['find_keys', map(['type', 'range'], ['spec', map(['lastkey', 0], ['keystep', 1], ['limit', 0])])])), []]]],
  [['COMMAND', 'INFO', 'nosuch'], [null]],
  [['COMMAND', 'INFO', 'client|setname'], [['client|setname', 3, set(simple('noscript'), simple('loading'), simple('stale'), simple('allow_busy')), 0, 0, 0, set(simple('@slow'), simple('@connection')), set('request_policy:all_nodes', 'response_policy:all_succeeded'), set(), []]]],
  [['COMMAND', 'INFO', 'SET', 'GET'], [['set', -3, set(simple('write'), simple('denyoom')), 1, 1, 1, set(simple('@write'), simple('@string'), simple('@slow')), set(), set(map(['notes', 'RW and ACCESS due to the optional `GET` argument'], ['flags', set(simple('RW'), simple('access'), simple('update'), simple('variable_flags'))], ['begin_search', map(['type', 'index'], ['spec', map(['index', 1])])], ['find_keys', map(['type', 'range'], ['spec', map(['lastkey', 0], ['keystep', 1], ['limit', 0])])])), []], ['get', 2, set(simple('readonly'), simple('fast')), 1, 1, 1, set(simple('@read'), simple('@string'), simple('@fast')), set(), set(map(['flags', set(simple('RO'), simple('access'))], ['begin_search', map(['type', 'index'], ['spec', map(['index', 1])])], ['find_keys', map(['type', 'range'], ['spec', map(['lastkey', 0], ['keystep', 1], ['limit', 0])])])), []]]],
]);
example('command|docs', 'COMMAND DOCS', [
  [['COMMAND', 'DOCS', 'get'], map(['get', map(['summary', 'Returns the string value of a key.'], ['since', '1.0.0'], ['group', 'string'], ['complexity', 'O(1)'], ['arguments', [map(['name', 'key'], ['type', 'key'], ['display_text', 'key'], ['key_spec_index', 0])]])])],
  [['COMMAND', 'DOCS', 'nosuch'], map()],
]);
example(['command|getkeys', 'command|getkeysandflags'], 'COMMAND GETKEYS and GETKEYSANDFLAGS', [
  [['COMMAND', 'GETKEYS', 'GET', 'k'], ['k']],
  [['COMMAND', 'GETKEYS', 'MSET', 'a', '1', 'b', '2'], ['a', 'b']],
  [['COMMAND', 'GETKEYS', 'ZUNIONSTORE', 'd', '2', 'a', 'b'], ['d', 'a', 'b']],
  [['COMMAND', 'GETKEYS', 'PING'], err('ERR The command has no key arguments')],
  [['COMMAND', 'GETKEYS', 'NOSUCH', 'k'], err('ERR Invalid command specified')],
  [['COMMAND', 'GETKEYS', 'GET'], err('ERR Invalid number of arguments specified for command')],
  [['COMMAND', 'GETKEYSANDFLAGS', 'SET', 'k', 'v'], [['k', set(simple('OW'), simple('update'))]]],
  [['COMMAND', 'GETKEYSANDFLAGS', 'LMOVE', 'a', 'b', 'LEFT', 'RIGHT'], [['a', set(simple('RW'), simple('access'), simple('delete'))], ['b', set(simple('RW'), simple('insert'))]]],
]);
example('command|list', 'COMMAND LIST with filters', [
  [['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'xa*'], unordered(['xack', 'xadd', 'xautoclaim'])],
  [['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'hyperloglog'], unordered(['pfmerge', 'pfselftest', 'pfdebug', 'pfcount', 'pfadd'])],
  [['COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'nosuch'], []],
  [['COMMAND', 'LIST', 'FILTERBY', 'FOO', 'x'], syntaxErr],
]);
example('command|help', 'COMMAND HELP', [
  [['COMMAND', 'HELP'], [simple('COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:'), simple('(no subcommand)'), simple('    Return details about all commands.'), simple('COUNT'), simple('    Return the total number of commands in this server.'), simple('LIST'), simple('    Return a list of all commands in this server.'), simple('INFO [<command-name> ...]'), simple('    Return details about multiple commands.'), simple('    If no command names are given, documentation details for all'), simple('    commands are returned.'), simple('DOCS [<command-name> ...]'), simple('    Return documentation details about multiple commands.'), simple('    If no command names are given, documentation details for all'), simple('    commands are returned.'), simple('GETKEYS <full-command>'), simple('    Return the keys from a full command.'), simple('GETKEYSANDFLAGS <full-command>'), simple('    Return the keys and the access flags from a full command.'), simple('HELP'), simple('    Print this help.')]],
]);
example('config|get', 'CONFIG GET', [
  [['CONFIG', 'GET', 'maxmemory'], map(['maxmemory', '0'])],
  [['CONFIG', 'GET', 'hz', 'databases'], unordered(map(['databases', '16'], ['hz', '10']))],
  [['CONFIG', 'GET', 'nosuch'], map()],
  [['CONFIG', 'GET', 'maxmemory-p*'], map(['maxmemory-policy', 'noeviction'])],
]);
example('config|set', 'CONFIG SET (to the defaults) and its errors', [
  [['CONFIG', 'SET', 'hz', '10'], ok],
  [['CONFIG', 'SET', 'nosuch', '1'], err('ERR Unknown option or number of arguments for CONFIG SET - \'nosuch\'')],
  [['CONFIG', 'SET', 'hz', 'x'], err('ERR CONFIG SET failed (possibly related to argument \'hz\') - argument couldn\'t be parsed into an integer')],
  [['CONFIG', 'SET', 'hz'], arity('config|set')],
  [['CONFIG', 'SET', 'maxmemory-policy', 'nosuch'], err('ERR CONFIG SET failed (possibly related to argument \'maxmemory-policy\') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction')],
  [['CONFIG', 'SET', 'daemonize', 'yes'], err('ERR CONFIG SET failed (possibly related to argument \'daemonize\') - can\'t set immutable config')],
]);
example('config|help', 'CONFIG HELP', [
  [['CONFIG', 'HELP'], [simple('CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:'), simple('GET <pattern>'), simple('    Return parameters matching the glob-like <pattern> and their values.'), simple('SET <directive> <value>'), simple('    Set the configuration <directive> to <value>.'), simple('RESETSTAT'), simple('    Reset statistics reported by the INFO command.'), simple('REWRITE'), simple('    Rewrite the configuration file.'), simple('HELP'), simple('    Print this help.')]],
]);
example('config|resetstat', 'CONFIG RESETSTAT', [
  [['CONFIG', 'RESETSTAT'], ok],
]);
example('info', 'INFO keyspace', [
  [['INFO', 'keyspace'], verb('# Keyspace\r\n')],
  [['SET', 'k', 'v'], ok],
  [['INFO', 'keyspace'], verb('# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0,keys_with_volatile_items=0\r\n')],
]);
example(['time', 'lastsave'], 'TIME and LASTSAVE', [
  [['TIME'], [any, any]],
  [['LASTSAVE'], any],
]);
example('lolwut', 'LOLWUT errors', [
  [['LOLWUT', 'VERSION', 'x'], notInt],
]);
example('role', 'ROLE of a primary without replicas', [
  [['ROLE'], ['master', 0, []]],
]);
example(['replicaof', 'slaveof'], 'REPLICAOF NO ONE on a primary, and a bad port', [
  [['REPLICAOF', 'localhost', 'x'], err('ERR Invalid master port')],
  [['SLAVEOF', 'localhost', '70000'], err('ERR Invalid master port')],
  [['REPLICAOF', 'NO', 'ONE'], ok],
  [['SLAVEOF', 'no', 'one'], ok],
]);
example('save', 'SAVE', [
  [['SAVE'], ok],
]);

// MEMORY DOCTOR, STATS and MALLOC-STATS describe the process (and its allocator): their shape only.
example(['memory|usage', 'memory|doctor', 'memory|purge', 'memory|help', 'memory|stats', 'memory|malloc-stats'], 'MEMORY', [
  [['SET', 'k', 'hello'], ok],
  [['MEMORY', 'USAGE', 'k'], 24],
  [['MEMORY', 'USAGE', 'k', 'SAMPLES', '0'], 24],
  [['MEMORY', 'USAGE', 'missing'], null],
  [['MEMORY', 'USAGE', 'k', 'SAMPLES', '-1'], syntaxErr],
  [['MEMORY', 'PURGE'], ok],
  [['MEMORY', 'DOCTOR'], any],
  [['MEMORY', 'STATS'], any],
  [['MEMORY', 'MALLOC-STATS'], any],
  [['MEMORY', 'HELP'], any],
  [['MEMORY', 'FOO'], err("ERR unknown subcommand 'FOO'. Try MEMORY HELP.")],
]);

// Logs and latency figures hold times and durations: only what a fresh, quiet server must answer.
example(['slowlog|get', 'slowlog|len', 'slowlog|reset', 'slowlog|help'], 'SLOWLOG', [
  [['CONFIG', 'SET', 'slowlog-log-slower-than', '-1'], ok],
  [['SLOWLOG', 'RESET'], ok],
  [['SLOWLOG', 'LEN'], 0],
  [['SLOWLOG', 'GET'], []],
  [['SLOWLOG', 'GET', '-2'], err('ERR count should be greater than or equal to -1')],
  [['SLOWLOG', 'HELP'], any],
  [['CONFIG', 'SET', 'slowlog-log-slower-than', '10000'], ok],
]);
example(['commandlog|get', 'commandlog|len', 'commandlog|reset', 'commandlog|help'], 'COMMANDLOG', [
  [['COMMANDLOG', 'RESET', 'large-reply'], ok],
  [['COMMANDLOG', 'LEN', 'large-reply'], 0],
  [['COMMANDLOG', 'GET', '-1', 'large-reply'], []],
  [['COMMANDLOG', 'LEN', 'fast'], err('ERR type should be one of the following: slow, large-request, large-reply')],
  [['COMMANDLOG', 'HELP'], any],
]);
example(['latency|doctor', 'latency|graph', 'latency|help', 'latency|histogram', 'latency|history', 'latency|latest', 'latency|reset'], 'LATENCY', [
  [['LATENCY', 'RESET'], 0],
  [['LATENCY', 'LATEST'], []],
  [['LATENCY', 'HISTORY', 'command'], []],
  [['LATENCY', 'GRAPH', 'command'], err("ERR No samples available for event 'command'")],
  [['LATENCY', 'HISTOGRAM', 'nosuchcommand'], map()],
  [['LATENCY', 'DOCTOR'], any],
  [['LATENCY', 'HELP'], any],
]);

export default cases;
