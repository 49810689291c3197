/**
 * Scripts and functions the way applications ship them, through the client
 * libraries, against valkey-double and a real Valkey 9 with the same
 * expectations:
 * - ioredis `defineCommand` (EVALSHA first, EVAL on NOSCRIPT), also in pipelines and MULTI;
 * - node-redis `defineScript` (the same fallback) and `functions`;
 * - FUNCTION LOAD / FCALL / FCALL_RO / FUNCTION LIST through both, RESP2 and RESP3.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Redis } from 'ioredis';
import { createClient, defineScript, type CommandParser } from 'redis';
import { targetNames, uniq, useTarget } from './support/targets.js';

/** A capped counter: the job-queue / rate-limiter shape (read, decide, write). */
const CAPPED_INCR = `
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
local cap = tonumber(ARGV[1])
if v >= cap then return redis.error_reply('CAPPED reached ' .. cap) end
return redis.call('INCR', KEYS[1])
`;

/** Every reply shape a script can return. */
const SHAPES = `
return {1, 3.99, -2.5, 'str', true, false, {'nested', {2}}, redis.status_reply('FINE')}
`;

const LIBRARY = (name: string) => `#!lua name=${name}
local function hset_stamp(keys, args)
  redis.call('HSET', keys[1], args[1], args[2])
  return redis.call('HLEN', keys[1])
end
local function hget_ro(keys, args)
  return redis.call('HGET', keys[1], args[1])
end
server.register_function('${name}_set', hset_stamp)
server.register_function{function_name='${name}_get', callback=hget_ro, flags={'no-writes'}}
`;

/** ioredis with the scripts defined as commands. */
type ScriptedRedis = Redis & {
  cappedIncr(key: string, cap: number): Promise<number>;
  shapes(): Promise<unknown[]>;
};

/** INFO commandstats: calls and failed_calls of one command. */
function cmdstat(info: string, name: string): { calls: number; failed: number } {
  const m = new RegExp(`cmdstat_${name}:calls=(\\d+),.*failed_calls=(\\d+)`).exec(info);
  return m ? { calls: Number(m[1]), failed: Number(m[2]) } : { calls: 0, failed: 0 };
}

const cases = targetNames().flatMap((t) => ([2, 3] as const).map((p) => [t, p] as const));

describe.each(cases)('ioredis scripts against %s, RESP%s', (targetName, protocol) => {
  const target = useTarget(targetName);
  let redis: ScriptedRedis;

  beforeAll(async () => {
    redis = new Redis({ host: target.host, port: target.port, lazyConnect: true, maxRetriesPerRequest: 0, protocol }) as ScriptedRedis;
    redis.defineCommand('cappedIncr', { numberOfKeys: 1, lua: CAPPED_INCR });
    redis.defineCommand('shapes', { numberOfKeys: 0, lua: SHAPES });
    await redis.connect();
  });
  afterAll(() => redis?.disconnect());

  test('defineCommand: EVAL on first use, then EVALSHA; after SCRIPT FLUSH, NOSCRIPT and EVAL again', async () => {
    const k = uniq();
    const fresh = new Redis({ host: target.host, port: target.port, lazyConnect: true, maxRetriesPerRequest: 0, protocol }) as ScriptedRedis;
    fresh.defineCommand('cappedIncr', { numberOfKeys: 1, lua: CAPPED_INCR });
    await fresh.connect();
    try {
      await fresh.script('FLUSH');
      await fresh.config('RESETSTAT');
      expect(await fresh.cappedIncr(k, 3)).toBe(1);
      expect(await fresh.cappedIncr(k, 3)).toBe(2);
      let info = String(await fresh.info('commandstats'));
      expect([cmdstat(info, 'eval'), cmdstat(info, 'evalsha')]).toEqual([{ calls: 1, failed: 0 }, { calls: 1, failed: 0 }]);
      await fresh.script('FLUSH');
      expect(await fresh.cappedIncr(k, 3)).toBe(3);
      info = String(await fresh.info('commandstats'));
      expect([cmdstat(info, 'eval'), cmdstat(info, 'evalsha')]).toEqual([{ calls: 2, failed: 0 }, { calls: 2, failed: 1 }]);
      // The script's own error reply reaches the caller as a rejected promise with its code.
      await expect(fresh.cappedIncr(k, 3)).rejects.toThrow(/^CAPPED reached 3$/);
      expect(await fresh.get(k)).toBe('3');
    } finally {
      fresh.disconnect();
    }
  });

  test('defineCommand in a pipeline after SCRIPT FLUSH: NOSCRIPT inside, the retries after the pipeline; MULTI', async () => {
    const k = uniq();
    expect(await redis.cappedIncr(k, 9)).toBe(1);
    await redis.script('FLUSH');
    // The EVALSHAs fail in the pipeline and are sent again after it: the GET in it ran first.
    const p = redis.pipeline() as ReturnType<Redis['pipeline']> & { cappedIncr(key: string, cap: number): unknown };
    p.cappedIncr(k, 9);
    p.cappedIncr(k, 9);
    p.get(k);
    const res = await p.exec();
    expect(res).toEqual([[null, 2], [null, 3], [null, '1']]);
    const m = redis.multi() as ReturnType<Redis['multi']> & { cappedIncr(key: string, cap: number): unknown };
    m.cappedIncr(k, 9);
    m.cappedIncr(k, 9);
    const tx = await m.exec();
    expect(tx).toEqual([[null, 4], [null, 5]]);
    expect(await redis.script('EXISTS', createHash('sha1').update(CAPPED_INCR).digest('hex'))).toEqual([1]);
  });

  test('script replies: numbers truncate, true is 1, false is nil, nested tables, status tables', async () => {
    expect(await redis.shapes()).toEqual([1, 3, -2, 'str', 1, null, ['nested', [2]], 'FINE']);
  });

  test('FUNCTION LOAD, FCALL, FCALL_RO and FUNCTION LIST', async () => {
    const lib = uniq('lib').replace(/[^a-zA-Z0-9]/g, '_');
    const k = uniq();
    expect(await redis.function('LOAD', 'REPLACE', LIBRARY(lib))).toBe(lib);
    expect(await redis.call('FCALL', `${lib}_set`, 1, k, 'f', 'v')).toBe(1);
    expect(await redis.call('FCALL_RO', `${lib}_get`, 1, k, 'f')).toBe('v');
    await expect(redis.call('FCALL_RO', `${lib}_set`, 1, k, 'g', 'w')).rejects.toThrow(/^ERR Can not execute a script with write flag using \*_ro command\.$/);
    const list = (await redis.function('LIST', 'LIBRARYNAME', lib)) as unknown[];
    expect(list).toHaveLength(1);
    // RESP2 and RESP3 (ioredis turns maps into flat arrays) give the same shape here.
    const entry = list[0] as unknown[];
    expect(entry.slice(0, 4)).toEqual(['library_name', lib, 'engine', 'LUA']);
    const fns = (entry[5] as unknown[][]).map((f) => [f[1], f[5]]);
    expect(fns.sort()).toEqual([[`${lib}_get`, ['no-writes']], [`${lib}_set`, []]]);
    expect(await redis.function('DELETE', lib)).toBe('OK');
    await expect(redis.call('FCALL', `${lib}_set`, 1, k, 'f', 'v')).rejects.toThrow(/^ERR Function not found$/);
  });
});

describe.each(cases)('node-redis scripts and functions against %s, RESP%s', (targetName, resp) => {
  const target = useTarget(targetName);
  const lib = `nr_${process.pid}`;
  const scripts = {
    cappedIncr: defineScript({
      SCRIPT: CAPPED_INCR,
      NUMBER_OF_KEYS: 1,
      parseCommand(parser: CommandParser, key: string, cap: number) {
        parser.pushKey(key);
        parser.push(String(cap));
      },
      transformReply: undefined as unknown as () => number,
    }),
  };
  const functions = {
    [lib]: {
      set: {
        NUMBER_OF_KEYS: 1,
        parseCommand(parser: CommandParser, key: string, field: string, value: string) {
          parser.pushKey(key);
          parser.push(field, value);
        },
        transformReply: undefined as unknown as () => number,
      },
      get: {
        NUMBER_OF_KEYS: 1,
        IS_READ_ONLY: true,
        parseCommand(parser: CommandParser, key: string, field: string) {
          parser.pushKey(key);
          parser.push(field);
        },
        transformReply: undefined as unknown as () => string | null,
      },
    },
  };
  const make = () => createClient({ socket: { host: target.host, port: target.port, reconnectStrategy: false }, RESP: resp, scripts, functions });
  let client: ReturnType<typeof make>;

  beforeAll(async () => {
    client = make();
    client.on('error', () => {});
    await client.connect();
  });
  afterAll(() => client?.destroy());

  /** The library's functions as node-redis exposes them (`client.<library>.<function>`). */
  const fns = () => (client as unknown as Record<string, { set(k: string, f: string, v: string): Promise<number>; get(k: string, f: string): Promise<string | null> }>)[lib]!;

  test('defineScript: NOSCRIPT falls back to EVAL, then EVALSHA runs the cached script', async () => {
    const k = uniq();
    await client.scriptFlush();
    await client.configResetStat();
    expect(await client.cappedIncr(k, 2)).toBe(1);
    expect(await client.scriptExists(scripts.cappedIncr.SHA1)).toEqual([1]);
    expect(await client.cappedIncr(k, 2)).toBe(2);
    const info = await client.info('commandstats');
    expect(cmdstat(info, 'evalsha')).toEqual({ calls: 2, failed: 1 });
    expect(cmdstat(info, 'eval')).toEqual({ calls: 1, failed: 0 });
    await expect(client.cappedIncr(k, 2)).rejects.toThrow(/^CAPPED reached 2$/);
  });

  test('functions: FUNCTION LOAD, then FCALL and FCALL_RO through the library object', async () => {
    const k = uniq();
    expect(await client.functionLoad(LIBRARY(lib).replaceAll(`${lib}_set`, 'set').replaceAll(`${lib}_get`, 'get'), { REPLACE: true })).toBe(lib);
    expect(await fns().set(k, 'f', 'v')).toBe(1);
    expect(await fns().set(k, 'g', 'w')).toBe(2);
    expect(await fns().get(k, 'g')).toBe('w');
    expect(await fns().get(k, 'missing')).toBeNull();
    const list = await client.functionList({ LIBRARYNAME: lib });
    expect(list).toHaveLength(1);
    expect(list[0]!.library_name).toBe(lib);
    expect(list[0]!.functions.map((f) => [f.name, f.flags]).sort()).toEqual([['get', ['no-writes']], ['set', []]]);
    expect(await client.functionDelete(lib)).toBe('OK');
    await expect(fns().get(k, 'g')).rejects.toThrow(/^ERR Function not found$/);
  });
});
