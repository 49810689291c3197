/**
 * Differential tests of the scripting group against a real Valkey 9.1.2:
 * EVAL and its variants, the `server`/`redis` API, conversions between Lua
 * and RESP2/RESP3, script errors, SCRIPT, FUNCTION and FCALL.
 */
import { describe, test } from 'vitest';
import { ignore, unordered, useDifferential } from './harness.js';

const d = useDifferential();

const E = (script: string, ...rest: string[]): string[] => ['EVAL', script, ...(rest.length ? rest : ['0'])];

describe('FUNCTION FLUSH', () => {
  test('with no library loaded: SYNC, ASYNC, the default, and bad options', () =>
    d.check([
      ['FUNCTION', 'FLUSH'], ['FUNCTION', 'FLUSH', 'SYNC'], ['FUNCTION', 'flush', 'async'], ['FUNCTION', 'FLUSH', 'aSyNc'],
      ['FUNCTION', 'FLUSH', 'sync\0x'], ['FUNCTION', 'FLUSH', 'lazy'], ['FUNCTION', 'FLUSH', ''],
      ['function', 'flush', 'sync', 'async'], ['FUNCTION', 'FLUSHX'], ['FUNCTION'],
    ]));
  test('queued in MULTI and run by EXEC', () =>
    d.check([['MULTI'], ['FUNCTION', 'FLUSH'], ['FUNCTION', 'FLUSH', 'bad'], ['EXEC']]));
});

describe('EVAL: return values', () => {
  test('scalars and tables', () =>
    d.check([
      E('return 1'), E('return 3.99'), E('return -3.99'), E("return 'x'"), E('return true'), E('return false'), E('return nil'),
      E('return {1,2,{3,"x"},nil,4}'), E("return {ok='fine'}"), E("return {err='boom'}"), E("return {err='-boom'}"),
      E("return {ok='a\\r\\nb'}"), E("return {err='x\\ny'}"), E('return {}'), E('return 1e20'), E('return -1e20'), E('return 0/0'),
      E('return 1/0'), E('return {1, {2, {3, {4}}}}'), E("return {double=3.5}"), E("return {big_number='123456789012345678901234567890'}"),
      E("return {map={a=1}}"), E("return {set={a=true}}"), E("return {verbatim_string={format='txt', string='hello'}}"),
      E('return function() end'), E("return {1, 2, x='y'}"), E("return {err=5}"), E("return {ok=5}"), E('return 1, 2'),
      E("return 'a\\0b'"), E("return {err='a\\0b'}"), E("return redis.status_reply('FINE')"), E("return redis.error_reply('MY boom')"),
      E("return redis.error_reply('-MY boom')"), E("return redis.error_reply('nocode')"), E('return redis.error_reply(1)'), E('return redis.status_reply()'),
    ]));
  test('RESP3 types from a script (setresp 3 only changes booleans)', () =>
    d.check([
      E('redis.setresp(3) return true'), E('redis.setresp(3) return false'), E("redis.setresp(3) return {double=1.5}"),
      E("redis.setresp(3) return {map={k='v'}}"), E("redis.setresp(3) return {set={k=true}}"), E('redis.setresp(3) return {true, false}'),
      E("return {map={k={1,2}}, x=1}"),
    ]));
  test('KEYS and ARGV, numbers as arguments', () =>
    d.check([
      E('return {KEYS, ARGV}', '2', 'a', 'b', 'c', 'd'), E('return #KEYS + #ARGV', '0', 'x'),
      E("return redis.call('set', KEYS[1], 3.5)", '1', 'k'), ['GET', 'k'],
      E("redis.call('set', 'n', 10/2) return redis.call('get', 'n')"), E("redis.call('set', 'n', 1e15) return redis.call('get', 'n')"),
      E("redis.call('set', 'n', 1e300) return redis.call('get', 'n')"), E("redis.call('set', 'n', -0.1) return redis.call('get', 'n')"),
      E("redis.call('set', 'n', 2^62) return redis.call('get', 'n')"), E("redis.call('set', 'n', 2^63) return redis.call('get', 'n')"),
      E("return redis.call('set', 'n', {})"), E('return redis.pcall()'), E("return redis.call('incrbyfloat', 'f', '1.5')"),
    ]));
});

describe('EVAL: command replies inside the script', () => {
  test('RESP2 replies as Lua values', () =>
    d.check([
      ['RPUSH', 'l', 'a', 'b'], ['SET', 's', 'v'], ['HSET', 'h', 'f', 'v'],
      E("return redis.call('get', 'nokey')"), E("return type(redis.call('get', 'nokey'))"), E("return redis.call('lrange', 'l', 0, -1)"),
      E("return redis.call('set', 'x', 'y')"), E("local r = redis.call('set', 'x', 'y') return r.ok"), E("return redis.call('incr', 'i')"),
      E("return redis.call('hgetall', 'h')"), E("return redis.pcall('lpush', 's', 'a')"), E("local r = redis.pcall('lpush', 's', 'a') return r.err"),
      E("return redis.call('lpush', 's', 'a')"), E("return redis.pcall('zscore', 'nz', 'm')"), E("return redis.call('zadd', 'z', 1.5, 'm')"),
      E("return redis.call('zscore', 'z', 'm')"), E("return redis.call('blpop', 'empty', 0)"), E("return type(redis.call('blpop', 'empty', 0))"),
      E("return redis.call('exists', 'l', 's')"), E("return {redis.call('lpop', 'nolist')}"),
    ]));
  test('RESP3 replies as Lua values', () =>
    d.check([
      ['HSET', 'h', 'f', 'v'], ['ZADD', 'z', '1.5', 'm'], ['SADD', 'st', 'a'],
      E("redis.setresp(3) return redis.call('hgetall', 'h')"), E("redis.setresp(3) local r = redis.call('hgetall', 'h') return r.map.f"),
      E("redis.setresp(3) return redis.call('zscore', 'z', 'm')"), E("redis.setresp(3) local r = redis.call('zscore', 'z', 'm') return r.double * 2"),
      E("redis.setresp(3) return redis.call('smembers', 'st')"), E("redis.setresp(3) local r = redis.call('smembers', 'st') return r.set.a"),
      E("redis.setresp(3) return redis.call('get', 'nokey')"), E("redis.setresp(3) return type(redis.call('get', 'nokey'))"),
      E("redis.setresp(3) return redis.call('exists', 'h')"), E('redis.setresp(4)'), E('redis.setresp()'),
    ]));
});

describe('EVAL: errors', () => {
  test('runtime and compile errors with their positions', () =>
    d.check([
      E('return a'), E("error('x')"), E("redis.call('nosuch')"), E("error({err='X'})"), E("local function f()\n error('deep')\nend\nf()"),
      E('local t = nil\nreturn t.x'), E("return redis.pcall('nosuch')"), E("redis.call('set','a')"), E('error()'), E('error(12)'), E('x = 1'),
      E("return 'a' .. {}"), E("return pcall(error, {err='x'})"), E('syntax error here'), E("error('x', 0)"), E("error({})"),
      E("error(setmetatable({}, {__tostring = function() return 'meta' end}))"), E("local ok, e = pcall(redis.call, 'nosuch') return e"),
      E("local ok, e = pcall(function() return a end) return e"), E("redis.call('lpush', 'k', 'v') return redis.call('get', 'k')"),
      E("return redis.call('subscribe', 'x')"), E("return redis.pcall('multi')"), E("return redis.pcall('eval', 'return 1', 0)"),
      E("return redis.pcall('config', 'nosuch')"), E('return string.rep()'), E('return #nil'), E('\n\n  return 1 +'),
      E('local a = {} a.b.c = 1'), E('return math.random(0)'), E("return loadstring('x')"), E('print(1)'), E('return setfenv'),
    ]));
  test('numkeys and EVALSHA', () =>
    d.check([
      E('return 1', '-1'), E('return 1', '2', 'a'), E('return 1', 'x'), E('return 1', '99999999999999999999'),
      ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '0'], ['EVALSHA', 'short', '0'], ['EVALSHA', 'short', 'x'],
      ['EVALSHA_RO', 'ffffffffffffffffffffffffffffffffffffffff', '0'],
    ]));
});

describe('EVAL: sandbox and libraries', () => {
  test('the globals table', () =>
    d.check([E("local r = {} for k,v in pairs(_G) do r[#r+1] = k .. ':' .. type(v) end table.sort(r) return r")]));
  test('globals that exist and those that do not', () =>
    d.check([
      E("local r = {} for k in pairs(redis) do r[#r+1] = k end table.sort(r) return r"),
      E('return {redis.REDIS_VERSION, redis.REDIS_VERSION_NUM, redis.VALKEY_VERSION, redis.VALKEY_VERSION_NUM, redis.SERVER_NAME, _VERSION}'),
      E("return {type(string.gfind), type(math.mod), type(os.clock), type(os.time)}"),
      E('string.x = 1'), E('redis.call = nil'), E('setmetatable(_G, {})'), E("return rawset(_G, 'x', 1)"), E("getmetatable('').__index = 1"),
      E('return redis.sha1hex("")'), E('return redis.sha1hex("abc")'), E('return redis.sha1hex()'), E('return redis.sha1hex(1)'),
      E('return {redis.replicate_commands(), redis.breakpoint(), redis.debug("x")}'), E('redis.set_repl(redis.REPL_ALL) return 1'),
      E('redis.set_repl(8)'), E('redis.set_repl()'), E("return redis.acl_check_cmd('get', 'x')"), E("return redis.acl_check_cmd('nosuch')"),
      E('redis.log(redis.LOG_WARNING, "hello")'), E('redis.log(9, "x")'), E('redis.log("x")'), E('redis.log("a", "b")'),
      E('return server.call("ping")'), E('return {math.random(), math.random(10), math.random(5, 7)}'.replace('return', 'math.randomseed(42) return')),
      E('return tostring(10/2)'), E("return string.format('%d', 3.5)"), E('return unpack({1, 2})'),
    ]));
});

describe('EVAL: cjson, cmsgpack, struct', () => {
  test('cjson encode and decode', () =>
    d.check([
      E("return cjson.encode({1,2,3,'x',{a=1,b={true,false}},nil,5, 1.5, 1e100, 0.1, -0, 123456789012345})"),
      E('return cjson.encode({[1]=1,[20]=2})'), E("return cjson.encode({a='\"\\\\/\\n\\1\\127\\233', [3]=4})"), E('return cjson.encode(0/0)'),
      E('return cjson.encode(function() end)'), E('return cjson.encode({[true]=1})'), E('return cjson.encode({})'),
      E("local t = cjson.decode('[1,2,{\"a\":[null,true,\"\\\\u00e9\\\\n\"]},1e5,-0.5,0x10]') return {t[1], t[3].a[2], t[3].a[3], t[4], tostring(t[5]), t[6], type(t[3].a[1])}"),
      E("return cjson.decode('[1,2')"), E("return cjson.decode('{1:2}')"), E("return cjson.decode('xyz')"), E("return cjson.decode('')"),
      E("return cjson.decode('[1] x')"), E("return cjson.decode('\"abc')"), E("return cjson.decode(string.rep('[', 1001))"),
      E('return cjson.encode(cjson.null)'), E('return cjson.encode({a=cjson.null})'), E('return cjson.decode()'), E('return cjson.encode(1, 2)'),
      E("local t = {} for i = 1, 30 do t['k' .. i] = i end return cjson.encode(t)"), E("return cjson.decode('{\"a\":1,\"b\":[1,{\"c\":null}]}').b[1]"),
    ]));
  test('cmsgpack pack and unpack', () =>
    d.check([
      E("local s = cmsgpack.pack(1, -1, 200, -200, 70000, -70000, 5000000000, -5000000000, 1.5, 0.1, 'abc', string.rep('x', 40), true, false, nil, {1,2,3}, {a=1}, {[1]=1,[3]=3}, 1/0) return s"),
      E("local t = {cmsgpack.unpack(cmsgpack.pack(1, -1, 200, -5000000000, 1.5, 0.1, 'abc', true, {1,2,{a='b'}}))} return {t[1], t[2], t[3], t[4], tostring(t[5]), tostring(t[6]), t[7], t[8], t[9][3].a}"),
      E('return {cmsgpack.unpack_one(cmsgpack.pack(1,2,3))}'), E('return {cmsgpack.unpack_limit(cmsgpack.pack(1,2,3), 2, 1)}'),
      E("return cmsgpack.unpack(string.char(0xc1))"), E("return cmsgpack.unpack(string.char(0xcd, 1))"), E('local a = {} a[1] = a return cmsgpack.pack(a)'),
      E('return cmsgpack.pack()'),
    ]));
  test('struct pack, unpack and size', () =>
    d.check([
      E("local s = struct.pack('>I4hBc3sd!4i', 1, -2, 255, 'abc', 'zz', 1.5, 7) return {s, struct.size('>I4hB'), struct.unpack('>I4hBc3sd!4i', s)}"),
      E("return {struct.unpack('<i8', struct.pack('<i8', -5))}"), E("return struct.pack('q', 1)"), E("return struct.unpack('i4', 'ab')"),
      E("return struct.size('s')"), E("return {struct.unpack('Bc0', string.char(2) .. 'hi')}"),
    ]));
  test('string.dump and binary chunks', () =>
    d.check([E('return select(2, loadstring(string.dump(function() end)))'), E('return string.dump(print)')]));
});

describe('EVAL: read-only scripts and flags', () => {
  test('EVAL_RO, shebang flags and write commands', () =>
    d.check([
      ['EVAL_RO', "return redis.pcall('set','x','1')", '0'], ['EVAL_RO', "return redis.call('get','x')", '0'],
      E("#!lua flags=no-writes\nreturn redis.pcall('set','x','1')"), E("#!lua flags=no-writes\nreturn redis.pcall('publish','x','1')"),
      ['EVAL_RO', "return redis.pcall('nosuch')", '0'], E("#!lua\nreturn redis.call('set','x','1')"), ['EVAL_RO', "#!lua\nreturn redis.call('set','x','1')", '0'],
      E('#!lua flags=allow-oom,allow-stale,no-cluster,allow-cross-slot-keys\nreturn 1'), E('#!lua flags=bad\nreturn 1'), E('#!lua flags=\nreturn 1'),
      E('#!lua name=x\nreturn 1'), E('#!js\nreturn 1'), E('#!\nreturn 1'), E('#!lua'), E("#!lua flags=no-writes,bad\nreturn 1"),
      E('#!lua\nreturn a'), E('#!lua\n\nerror("line")'),
    ]));
});

describe('SCRIPT', () => {
  test('LOAD, EXISTS, SHOW, FLUSH and EVALSHA', () =>
    d.check([
      ['SCRIPT', 'FLUSH'], ['SCRIPT', 'LOAD', 'return 1'], ['SCRIPT', 'EXISTS', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', 'x'],
      ['SCRIPT', 'EXISTS', 'E0E1F9FABFC9D4800C877A703B823AC0578FF8DB'], ['EVALSHA', 'E0E1F9FABFC9D4800C877A703B823AC0578FF8DB', '0'],
      ['SCRIPT', 'SHOW', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db'], ['SCRIPT', 'SHOW', 'nosuch'], ['SCRIPT', 'LOAD', 'syntax error'],
      ['SCRIPT', 'LOAD', '#!lua flags=bad\nreturn 1'], E('return 2'), ['SCRIPT', 'EXISTS', '7f923f79fe76194c868d7e1d0820de36700eb649'],
      ['SCRIPT', 'FLUSH', 'ASYNC'], ['SCRIPT', 'EXISTS', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db'], ['SCRIPT', 'FLUSH', 'bad'],
      ['SCRIPT', 'KILL'], ['SCRIPT', 'HELP'], ['SCRIPT', 'NOSUCH'], ['SCRIPT', 'LOAD'], ['SCRIPT', 'DEBUG', 'NO'], ['SCRIPT', 'DEBUG', 'bad'],
      ['SCRIPT', 'DEBUG', 'no', 'js'], ['SCRIPT', 'EXISTS'], ['SCRIPT', 'HELP', 'x'],
    ]));
  test('EVAL in MULTI/EXEC', () =>
    d.check([
      ['MULTI'], E("return redis.call('incr', 'c')"), E("return redis.call('incr', 'c')"), E('return a'), ['EXEC'],
    ]));
});

const LIB = "#!lua name=mylib\nredis.register_function('f1', function(keys, args) return {keys, args} end)\n" +
  "redis.register_function{function_name='f2', callback=function(keys) return redis.call('set', keys[1], 'v') end, flags={'no-writes'}, description='d'}";

describe('FUNCTION and FCALL', () => {
  test('LOAD, LIST, FCALL, DELETE', () =>
    d.check([
      ['FUNCTION', 'FLUSH'], ['FUNCTION', 'LOAD', LIB], ['FUNCTION', 'LOAD', LIB], ['FUNCTION', 'LOAD', 'REPLACE', LIB],
      ['FCALL', 'f1', '1', 'k', 'a'], ['FCALL', 'f2', '1', 'k'], ['FCALL_RO', 'f1', '0'], ['FCALL', 'nosuch', '0'], ['FCALL', 'f1', 'x'],
      ['FCALL', 'f1', '-1'], ['FCALL', 'f1', '5'], ignore('FUNCTION', 'LIST'), ['FUNCTION', 'LIST', 'LIBRARYNAME', 'x*'], ['FUNCTION', 'LIST', 'LIBRARYNAME'], ['FUNCTION', 'LIST', 'bad'], ['FUNCTION', 'STATS'],
      ['FUNCTION', 'DELETE', 'mylib'], ['FUNCTION', 'DELETE', 'mylib'], ['FCALL', 'f1', '0'], ['FUNCTION', 'HELP'], ['FUNCTION', 'KILL'],
    ]));
  // The order of functions inside a library is Valkey's dict order (seeded per process): one function per library here.
  test('LIST', () =>
    d.check([
      ['FUNCTION', 'FLUSH'], ['FUNCTION', 'LOAD', "#!lua name=one\nredis.register_function{function_name='f', callback=function() return 1 end, flags={'no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys'}, description='desc'}"],
      ['FUNCTION', 'LIST'], ['FUNCTION', 'LIST', 'WITHCODE'], ['FUNCTION', 'LIST', 'LIBRARYNAME', 'o*'], ['FUNCTION', 'LIST', 'WITHCODE', 'LIBRARYNAME', 'ONE'],
      ['FUNCTION', 'LIST', 'withcode', 'withcode'], ['FCALL_RO', 'f', '0'], ['FUNCTION', 'STATS'],
    ]));
  test('library load errors', () =>
    d.check([
      ['FUNCTION', 'FLUSH'], ['FUNCTION', 'LOAD', 'return 1'], ['FUNCTION', 'LOAD', '#!lua\nreturn 1'], ['FUNCTION', 'LOAD', '#!lua name=a b=c\n'],
      ['FUNCTION', 'LOAD', '#!lua name=a name=b\n'], ['FUNCTION', 'LOAD', '#!js name=a\n'], ['FUNCTION', 'LOAD', '#!lua name=a-b\n'],
      ['FUNCTION', 'LOAD', '#!lua name=a\n'], ['FUNCTION', 'LOAD', '#!lua name=a\nredis.call("ping")'], ['FUNCTION', 'LOAD', '#!lua name=a\nsyntax error'],
      ['FUNCTION', 'LOAD', "#!lua name=a\nredis.register_function('b-c', function() end)"],
      ['FUNCTION', 'LOAD', "#!lua name=a\nredis.register_function('b', function() end) redis.register_function('b', function() end)"],
      ['FUNCTION', 'LOAD', "#!lua name=a\nredis.register_function('b')"], ['FUNCTION', 'LOAD', "#!lua name=a\nredis.register_function(1, 2)"],
      ['FUNCTION', 'LOAD', "#!lua name=a\nredis.register_function{function_name='b'}"],
      ['FUNCTION', 'LOAD', "#!lua name=a\nredis.register_function{function_name='b', callback=function() end, flags={'bad'}}"],
      ['FUNCTION', 'LOAD', "#!lua name=a\nredis.register_function{function_name='b', callback=function() end, other=1}"],
      ['FUNCTION', 'LOAD', "#!lua name=a\nredis.register_function('b', function() return nosuch end)"], ['FCALL', 'b', '0'],
      ['FUNCTION', 'LOAD', "#!lua name=c\nredis.register_function('b', function() end)"],
      ['FUNCTION', 'LOAD', 'REPLACE'], ['FUNCTION', 'LOAD', 'X', 'code'], ['FUNCTION', 'LOAD', "#!lua name=z\nreturn pairs"],
      ['FUNCTION', 'LOAD', "#!lua name=z\nlocal r = {} for k in pairs(redis) do r[#r+1] = k end"],
    ]));
  test('DUMP and RESTORE', () =>
    d.check([
      ['FUNCTION', 'FLUSH'], ['FUNCTION', 'DUMP'], ['FUNCTION', 'LOAD', LIB], ['FUNCTION', 'DUMP'],
      ['FUNCTION', 'RESTORE', 'garbage'], ['FUNCTION', 'RESTORE', '\xf5\x00\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00', 'FLUSH'],
      ['FUNCTION', 'RESTORE', 'x', 'bad'],
    ]));
});

describe('FUNCTION DUMP payload round trip', () => {
  test('a dumped payload restores with each policy', async () => {
    const steps = [
      ['FUNCTION', 'FLUSH'], ['FUNCTION', 'LOAD', LIB],
    ];
    await d.check(steps);
    const o = await d.connect('oracle');
    const m = await d.connect('mock');
    const po = await o.send(['FUNCTION', 'DUMP']);
    const pm = await m.send(['FUNCTION', 'DUMP']);
    o.close();
    m.close();
    const payload = (po.value as { value: string }).value;
    if (payload !== (pm.value as { value: string }).value) throw new Error('DUMP payloads differ');
    await d.check([
      ['FUNCTION', 'RESTORE', payload], ['FUNCTION', 'RESTORE', payload, 'REPLACE'], ['FUNCTION', 'RESTORE', payload, 'APPEND'],
      ['FUNCTION', 'RESTORE', payload, 'FLUSH'], unordered('FUNCTION', 'LIST'), ['FCALL', 'f1', '0', 'x'], ignore('FUNCTION', 'FLUSH'),
    ], { noFlush: true });
  });
});
