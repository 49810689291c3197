/**
 * One end-to-end suite for ioredis-style clients (ioredis, iovalkey): the
 * things every application does, through the client library, per protocol.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Redis as IoRedis, RedisOptions } from 'ioredis';
import { targetNames, uniq, useTarget } from './targets.js';

type Ctor = new (opts: RedisOptions) => IoRedis;

export interface IoredisSuiteOptions {
  label: string;
  Redis: Ctor;
  /** Protocols the library speaks; `undefined` = the library has no protocol option (RESP2). */
  protocols: readonly (2 | 3 | undefined)[];
  /** What the library sends with CLIENT SETINFO ('' if it sends nothing). */
  libName: string;
  libVer: string;
}

const BINARY = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7) & 255));

export function defineIoredisSuite(o: IoredisSuiteOptions): void {
  const cases = targetNames().flatMap((t) => o.protocols.map((p) => [t, p] as const));
  describe.each(cases.map(([t, p]) => [t, p ?? 2, p] as const))(`${o.label} against %s, RESP%s`, (targetName, _shown, protocol) => {
    const resp = protocol ?? 2;
    const target = useTarget(targetName);
    let redis: IoRedis;
    const others: IoRedis[] = [];

    const connect = async (extra: RedisOptions = {}): Promise<IoRedis> => {
      const r = new o.Redis({
        host: target.host,
        port: target.port,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        ...(protocol !== undefined ? { protocol } : {}),
        ...extra,
      } as RedisOptions);
      await r.connect();
      return r;
    };

    beforeAll(async () => {
      redis = await connect({ connectionName: 'e2e-conn', db: 2 });
    });
    afterAll(async () => {
      for (const r of [redis, ...others]) r?.disconnect();
    });

    test('connect: the handshake (HELLO, CLIENT SETNAME, CLIENT SETINFO, SELECT) took effect', async () => {
      expect(redis.status).toBe('ready');
      expect(await redis.client('GETNAME')).toBe('e2e-conn');
      const info = String(await redis.client('INFO'));
      expect(info).toContain(' name=e2e-conn ');
      expect(info).toContain(' db=2 ');
      expect(info).toContain(` resp=${resp} `);
      expect(info).toContain(` lib-name=${o.libName} `);
      expect(info).toContain(` lib-ver=${o.libVer} `);
      expect(Number(await redis.client('ID'))).toBeGreaterThan(0);
    });

    test('PING', async () => {
      expect(await redis.ping()).toBe('PONG');
      expect(await redis.ping('hello')).toBe('hello');
    });

    test('SET / GET, missing keys, UTF-8 and binary values', async () => {
      const k = uniq();
      expect(await redis.set(k + 'a', 'v')).toBe('OK');
      expect(await redis.get(k + 'a')).toBe('v');
      expect(await redis.get(k + 'missing')).toBeNull();
      expect(await redis.set(k + 'u', 'héllo wörld ✓ 🚀')).toBe('OK');
      expect(await redis.get(k + 'u')).toBe('héllo wörld ✓ 🚀');
      const binKey = Buffer.concat([Buffer.from(k), Buffer.from([0, 255, 13, 10])]);
      expect(await redis.set(binKey, BINARY)).toBe('OK');
      expect(Buffer.compare((await redis.getBuffer(binKey))!, BINARY)).toBe(0);
      expect(await redis.strlen(binKey)).toBe(BINARY.length);
      expect(await redis.set(k + 'empty', '')).toBe('OK');
      expect(await redis.get(k + 'empty')).toBe('');
    });

    test('pipelines: hundreds of commands, replies in order', async () => {
      const k = uniq();
      const p = redis.pipeline();
      for (let i = 0; i < 300; i++) {
        p.set(`${k}${i}`, String(i));
        p.incr(`${k}${i}`);
        p.get(`${k}${i}`);
      }
      const res = await p.exec();
      expect(res).toHaveLength(900);
      for (let i = 0; i < 300; i++) {
        expect(res![i * 3]).toEqual([null, 'OK']);
        expect(res![i * 3 + 1]).toEqual([null, i + 1]);
        expect(res![i * 3 + 2]).toEqual([null, String(i + 1)]);
      }
    });

    test('MULTI / EXEC, a failing command inside, EXECABORT, WATCH', async () => {
      const k = uniq();
      expect(await redis.multi().set(k + 'n', '1').incr(k + 'n').get(k + 'n').exec()).toEqual([[null, 'OK'], [null, 2], [null, '2']]);

      const withError = await redis.multi().set(k + 's', 'abc').incr(k + 's').get(k + 's').exec();
      expect(withError![0]).toEqual([null, 'OK']);
      expect((withError![1]![0] as Error).message).toBe('ERR value is not an integer or out of range');
      expect(withError![2]).toEqual([null, 'abc']);

      const aborted = redis.multi().set(k + 'x', '1').call('GET').exec();
      await expect(aborted).rejects.toThrow('EXECABORT Transaction discarded because of previous errors.');
      expect(await redis.get(k + 'x')).toBeNull();

      const other = await connect({ db: 2 });
      others.push(other);
      expect(await redis.watch(k + 'w')).toBe('OK');
      expect(await other.set(k + 'w', 'changed')).toBe('OK');
      expect(await redis.multi().set(k + 'w', 'mine').exec()).toBeNull();
      expect(await redis.get(k + 'w')).toBe('changed');
    });

    test('SET PX / EX, then time passes: the key is gone', async () => {
      const k = uniq();
      expect(await redis.set(k, 'v', 'PX', 100)).toBe('OK');
      const pttl = await redis.pttl(k);
      expect(pttl).toBeGreaterThan(50);
      expect(pttl).toBeLessThanOrEqual(100);
      expect(await redis.set(k + 'ex', 'v', 'EX', 100)).toBe('OK');
      expect(await redis.ttl(k + 'ex')).toBe(100);
      await target.elapse(150);
      expect(await redis.get(k)).toBeNull();
      expect(await redis.pttl(k)).toBe(-2);
      expect(await redis.get(k + 'ex')).toBe('v');
    });

    test('INCR and friends; errors surface as client errors', async () => {
      const k = uniq();
      expect(await redis.incr(k)).toBe(1);
      expect(await redis.incrby(k, 41)).toBe(42);
      expect(await redis.decr(k)).toBe(41);
      expect(await redis.incrbyfloat(k, '0.5')).toBe('41.5');
      expect(await redis.set(k + 's', 'abc')).toBe('OK');
      await expect(redis.incr(k + 's')).rejects.toThrow('ERR value is not an integer or out of range');
      await expect(redis.call('NOSUCHCMD', 'x')).rejects.toThrow("ERR unknown command 'NOSUCHCMD', with args beginning with: 'x' ");
      await expect(redis.call('GET')).rejects.toThrow("ERR wrong number of arguments for 'get' command");
      expect(await redis.ping()).toBe('PONG'); // the connection survives errors
    });

    test('MGET / MSET', async () => {
      const k = uniq();
      expect(await redis.mset(k + 'a', '1', k + 'b', '2')).toBe('OK');
      expect(await redis.mget(k + 'a', k + 'missing', k + 'b')).toEqual(['1', null, '2']);
    });

    test('SELECT db: databases are separate; out of range is an error', async () => {
      const k = uniq();
      const c = await connect();
      others.push(c);
      expect(await c.select(3)).toBe('OK');
      expect(await c.set(k, 'in-3')).toBe('OK');
      expect(await redis.get(k)).toBeNull(); // redis is on db 2
      const d3 = await connect({ db: 3 });
      others.push(d3);
      expect(await d3.get(k)).toBe('in-3');
      await expect(c.select(16)).rejects.toThrow('ERR DB index is out of range');
    });

    test('HELLO and CLIENT SETNAME on a live connection', async () => {
      const c = await connect();
      others.push(c);
      const hello = (await c.call('HELLO', String(resp))) as unknown[];
      const fields = hello.filter((_, i) => i % 2 === 0);
      expect(fields).toEqual(['server', 'version', 'proto', 'id', 'mode', 'role', 'modules']);
      expect(hello[1]).toBe('valkey');
      expect(hello[5]).toBe(resp);
      expect(await c.client('SETNAME', 'renamed')).toBe('OK');
      expect(await c.client('GETNAME')).toBe('renamed');
      await expect(c.client('SETNAME', 'has space')).rejects.toThrow('ERR Client names cannot contain spaces, newlines or special characters.');
    });
  });
}
