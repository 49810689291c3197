/**
 * Scripts meeting server state, against a real Valkey 9.1.2: maxmemory
 * (deny-oom commands in scripts, the allow-oom and no-writes flags, scripts
 * that wrote already), min-replicas-to-write (NOREPLICAS before and inside
 * scripts), what refused script commands count in INFO errorstats and
 * commandstats, the script's time snapshot, and the script-cache figures of
 * INFO memory and MEMORY STATS.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import type { Arg } from '../../conformance/targets/raw-client.js';
import type { RawValue } from '../../src/protocol/reply-parser.js';
import { useDifferential } from './harness.js';

const d = useDifferential();
const restore = ['CONFIG', 'SET', 'maxmemory', '0', 'min-replicas-to-write', '0', 'min-replicas-max-lag', '10'];

afterEach(async () => {
  if (!d.available) return;
  for (const which of ['oracle', 'mock'] as const) {
    const c = await d.connect(which);
    await c.send(restore);
    c.close();
  }
});

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const E = (script: string, ...rest: string[]): string[] => ['EVAL', script, ...(rest.length ? rest : ['0'])];

const LIB = `#!lua name=oomlib
server.register_function('w', function(keys) return server.call('set', keys[1], '1') end)
server.register_function{function_name='r', callback=function() return 'hello' end, flags={'no-writes'}}
server.register_function{function_name='ow', callback=function(keys) return server.call('set', keys[1], '2') end, flags={'allow-oom'}}`;

const text = (v: RawValue): string => ('value' in v ? String(v.value) : '');

/** Runs `steps` on one server after CONFIG RESETSTAT, then returns the INFO lines matching `fields`. */
async function statsAfter(which: 'oracle' | 'mock', steps: readonly (readonly Arg[])[], fields: RegExp): Promise<string[]> {
  const c = await d.connect(which);
  try {
    await c.send(['FLUSHALL']);
    await c.send(['CONFIG', 'RESETSTAT']);
    for (const s of steps) await c.send(s);
    await c.send(restore);
    const info = text((await c.send(['INFO', 'everything'])).value);
    // usec figures differ by nature: drop them, keep the counts (in name order: the sections' order is another matter).
    return info.split('\r\n').filter((l) => fields.test(l)).map((l) => l.replace(/,usec=\d+,usec_per_call=[\d.]+/, '')).sort();
  } finally {
    c.close();
  }
}

describe('scripts over maxmemory', () => {
  test('compatibility-mode scripts: deny-oom commands refused until the script wrote, reads run, pcall sees the OOM table', () =>
    d.check([
      ['SET', 'x', '123'], ['CONFIG', 'SET', 'maxmemory', '1'],
      E("redis.call('set','x',1) return 1", '1', 'x'), E("return redis.call('get','x')", '1', 'x'),
      ['EVAL_RO', "return redis.call('get','x')", '1', 'x'],
      E("local t = redis.pcall('set','x','y') return t['err']", '1', 'x'), E("return redis.pcall('set','x','y')", '1', 'x'),
      E("redis.call('get', KEYS[1]) redis.call('del', KEYS[1]) redis.call('set', KEYS[1], ARGV[1])", '1', 'x', 'bar'), ['GET', 'x'],
      E("redis.call('get', KEYS[1]) redis.call('set', KEYS[1], ARGV[1])", '1', 'y', 'bar'), ['GET', 'y'],
    ]));

  test('shebang scripts: no flags refused, allow-oom writes, no-writes runs (EVAL and EVAL_RO), EVALSHA too', () =>
    d.check([
      ['SCRIPT', 'LOAD', '#!lua\nreturn 2'], ['SCRIPT', 'LOAD', '#!lua flags=allow-oom\nreturn 3'], ['CONFIG', 'SET', 'maxmemory', '1'],
      E('#!lua flags=\nreturn 1'), E('#!lua\nreturn 1'), E("#!lua flags=allow-oom\nredis.call('set','x',1) return 1", '1', 'x'), ['GET', 'x'],
      E("#!lua flags=no-writes\nreturn redis.call('get','x')", '1', 'x'), ['EVAL_RO', "#!lua flags=no-writes\nreturn redis.call('get','x')", '1', 'x'],
      ['EVALSHA', sha1('#!lua\nreturn 2'), '0'], ['EVALSHA', sha1('#!lua flags=allow-oom\nreturn 3'), '0'],
      ['MULTI'], E('#!lua\nreturn 1'), ['EXEC'],
    ]));

  test('functions: deny-oom, allow-oom and no-writes functions; FUNCTION LOAD refused', async () => {
    await d.check([
      ['FUNCTION', 'FLUSH'], ['FUNCTION', 'LOAD', LIB], ['CONFIG', 'SET', 'maxmemory', '1'],
      ['FCALL', 'w', '1', 'k'], ['FCALL', 'ow', '1', 'k'], ['GET', 'k'], ['FCALL', 'r', '1', 'k'], ['FCALL_RO', 'r', '1', 'k'],
      ['FUNCTION', 'LOAD', 'REPLACE', LIB], ['FUNCTION', 'DELETE', 'oomlib'], ['FUNCTION', 'LIST'], restore, ['FUNCTION', 'FLUSH'],
    ]);
  });

  test('what refused script commands count: errorstats, total_error_replies, rejected and failed calls', async () => {
    if (!d.available) return;
    const steps = [
      ['SET', 'x', '1'], ['CONFIG', 'SET', 'maxmemory', '1'],
      E("return redis.call('set','x','y')", '1', 'x'), E("return redis.pcall('set','x','y')", '1', 'x'),
      E("local t = redis.pcall('set','x','y') return 1", '1', 'x'), ['CONFIG', 'SET', 'maxmemory', '0'],
      E("return redis.pcall('nosuchcommand')"), E("return redis.pcall('get')"), E("return redis.pcall('eval', 'return 1', '0')"),
      ['EVAL_RO', "return redis.pcall('set', 'x', '2')", '1', 'x'], E("return redis.call('select', 99)"), E("return redis.pcall('incr', 'x', 'y')"),
    ];
    const fields = /^(errorstat_|total_error_replies|cmdstat_(set|get|eval|eval_ro|select|incr):)/;
    expect(await statsAfter('mock', steps, fields)).toEqual(await statsAfter('oracle', steps, fields));
  });
});

describe('scripts and min-replicas-to-write (no replica connected)', () => {
  test('NOREPLICAS for writes: plain commands, shebang scripts without no-writes, a compatibility script when it writes', () =>
    d.check([
      ['SET', 'x', 'some value'], ['CONFIG', 'SET', 'min-replicas-to-write', '1'],
      ['SET', 'x', '1'], ['GET', 'x'], E("#!lua flags=no-writes\nreturn redis.call('get','x')", '1', 'x'),
      E("return redis.call('get','x')", '1', 'x'), E("#!lua\nreturn redis.call('get','x')", '1', 'x'),
      E("return redis.call('set','x', 1)", '1', 'x'), E("return redis.pcall('set','x', 1)", '1', 'x'),
      ['MULTI'], ['SET', 'x', '2'], ['EXEC'],
      ['CONFIG', 'SET', 'min-replicas-max-lag', '0'], ['SET', 'x', '3'], E("#!lua\nreturn redis.call('set','x', 4)", '1', 'x'), ['GET', 'x'],
    ]));
});

describe('the script time snapshot', () => {
  test('TIME inside a script does not move while the script runs', () =>
    d.check([
      E("local a = redis.call('TIME') local s = 0 for i = 1, 3000000 do s = s + i end local b = redis.call('TIME') return a[1] == b[1] and a[2] == b[2]"),
    ]));
});

describe('the script caches in INFO memory and MEMORY STATS', () => {
  test('EVAL and SCRIPT LOAD scripts, a library, and after the flushes', async () => {
    if (!d.available) return;
    const figures = async (which: 'oracle' | 'mock') => {
      const c = await d.connect(which);
      try {
        await c.send(['SCRIPT', 'FLUSH']);
        await c.send(['FUNCTION', 'FLUSH']);
        const read = async () => {
          const info = text((await c.send(['INFO', 'memory'])).value);
          const pick = (name: string) => new RegExp(`\\r\\n${name}:(\\d+)\\r\\n`).exec(info)?.[1];
          return [pick('used_memory_scripts_eval'), pick('number_of_cached_scripts'), pick('number_of_functions'), pick('number_of_libraries')];
        };
        const out = [await read()];
        await c.send(E('return 1'));
        out.push(await read());
        await c.send(['SCRIPT', 'LOAD', `return 2 -- ${'x'.repeat(100)}`]);
        await c.send(E(`return 3 -- ${'y'.repeat(30)}`));
        out.push(await read());
        await c.send(['FUNCTION', 'LOAD', "#!lua name=memlib\nserver.register_function('f', function() return 1 end)"]);
        out.push(await read());
        await c.send(['SCRIPT', 'FLUSH']);
        await c.send(['FUNCTION', 'FLUSH']);
        out.push(await read());
        return out;
      } finally {
        c.close();
      }
    };
    expect(await figures('mock')).toEqual(await figures('oracle'));
  });
});
