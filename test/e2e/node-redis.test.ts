/**
 * node-redis (the `redis` package, v6) in RESP2 and RESP3 against
 * valkey-double, and against a real Valkey 9 with the same expectations.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createClient, RESP_TYPES, WatchError } from 'redis';
import { targetNames, uniq, useTarget } from './support/targets.js';

const require = createRequire(import.meta.url);
const LIB_VER = (require('@redis/client/package.json') as { version: string }).version;
const BINARY = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7) & 255));

type Client = ReturnType<typeof createClient<Record<string, never>, Record<string, never>, Record<string, never>, 2 | 3>>;

const cases = targetNames().flatMap((t) => ([2, 3] as const).map((p) => [t, p] as const));

describe.each(cases)('node-redis against %s, RESP%s', (targetName, resp) => {
  const target = useTarget(targetName);
  let client: Client;
  const others: Client[] = [];

  const connect = async (extra: { name?: string; database?: number } = {}): Promise<Client> => {
    const c = createClient({
      socket: { host: target.host, port: target.port, reconnectStrategy: false },
      RESP: resp,
      ...extra,
    }) as Client;
    c.on('error', () => {});
    await c.connect();
    return c;
  };

  beforeAll(async () => {
    client = await connect({ name: 'e2e-node', database: 2 });
  });
  afterAll(async () => {
    for (const c of [client, ...others]) c?.destroy();
  });

  test('connect: the handshake (HELLO with SETNAME, or CLIENT SETNAME; SELECT; CLIENT SETINFO) took effect', async () => {
    expect(client.isReady).toBe(true);
    expect(await client.clientGetName()).toBe('e2e-node');
    const info = String(await client.sendCommand(['CLIENT', 'INFO']));
    expect(info).toContain(' name=e2e-node ');
    expect(info).toContain(' db=2 ');
    expect(info).toContain(` resp=${resp} `);
    expect(info).toContain(' lib-name=node-redis ');
    expect(info).toContain(` lib-ver=${LIB_VER} `);
    expect(await client.clientId()).toBeGreaterThan(0);
  });

  test('PING', async () => {
    expect(await client.ping()).toBe('PONG');
    expect(await client.ping('hello')).toBe('hello');
  });

  test('SET / GET, missing keys, UTF-8 and binary values', async () => {
    const k = uniq();
    expect(await client.set(k + 'a', 'v')).toBe('OK');
    expect(await client.get(k + 'a')).toBe('v');
    expect(await client.get(k + 'missing')).toBeNull();
    expect(await client.set(k + 'u', 'héllo wörld ✓ 🚀')).toBe('OK');
    expect(await client.get(k + 'u')).toBe('héllo wörld ✓ 🚀');
    const binKey = Buffer.concat([Buffer.from(k), Buffer.from([0, 255, 13, 10])]);
    expect(await client.set(binKey, BINARY)).toBe('OK');
    const raw = await client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).get(binKey);
    expect(Buffer.isBuffer(raw)).toBe(true);
    expect(Buffer.compare(raw as Buffer, BINARY)).toBe(0);
    expect(await client.strLen(binKey)).toBe(BINARY.length);
  });

  test('pipelines: implicit (concurrent commands) and explicit', async () => {
    const k = uniq();
    const all = await Promise.all(Array.from({ length: 300 }, (_, i) => client.incrBy(k, i)));
    expect(all[299]).toBe((299 * 300) / 2);
    const p = client.multi();
    for (let i = 0; i < 200; i++) p.set(`${k}${i}`, String(i)).get(`${k}${i}`);
    const res = await p.execAsPipeline();
    expect(res).toHaveLength(400);
    for (let i = 0; i < 200; i++) {
      expect(res[i * 2]).toBe('OK');
      expect(res[i * 2 + 1]).toBe(String(i));
    }
  });

  test('MULTI / EXEC, a failing command inside, EXECABORT, WATCH', async () => {
    const k = uniq();
    expect(await client.multi().set(k + 'n', '1').incr(k + 'n').get(k + 'n').exec()).toEqual(['OK', 2, '2']);

    const failing = client.multi().set(k + 's', 'abc').incr(k + 's').get(k + 's').exec();
    await expect(failing).rejects.toMatchObject({ errorIndexes: [1] });
    const err = (await failing.catch((e: unknown) => e)) as { replies: unknown[] };
    expect(err.replies[0]).toBe('OK');
    expect(String(err.replies[1])).toContain('ERR value is not an integer or out of range');
    expect(err.replies[2]).toBe('abc');

    const aborted = client.multi().set(k + 'x', '1').addCommand(['GET']).exec();
    // node-redis reports the queuing error (the -ERR before EXEC's -EXECABORT).
    await expect(aborted).rejects.toThrow("ERR wrong number of arguments for 'get' command");
    expect(await client.get(k + 'x')).toBeNull();

    const other = await connect({ database: 2 });
    others.push(other);
    const watcher = await connect({ database: 2 });
    others.push(watcher);
    expect(await watcher.watch(k + 'w')).toBe('OK');
    expect(await other.set(k + 'w', 'changed')).toBe('OK');
    await expect(watcher.multi().set(k + 'w', 'mine').exec()).rejects.toBeInstanceOf(WatchError);
    expect(await client.get(k + 'w')).toBe('changed');
  });

  test('SET PX / EX, then time passes: the key is gone', async () => {
    const k = uniq();
    expect(await client.set(k, 'v', { expiration: { type: 'PX', value: 100 } })).toBe('OK');
    const pttl = await client.pTTL(k);
    expect(pttl).toBeGreaterThan(50);
    expect(pttl).toBeLessThanOrEqual(100);
    expect(await client.set(k + 'ex', 'v', { expiration: { type: 'EX', value: 100 } })).toBe('OK');
    expect(await client.ttl(k + 'ex')).toBe(100);
    await target.elapse(150);
    expect(await client.get(k)).toBeNull();
    expect(await client.pTTL(k)).toBe(-2);
    expect(await client.get(k + 'ex')).toBe('v');
  });

  test('INCR and friends; errors surface as client errors', async () => {
    const k = uniq();
    expect(await client.incr(k)).toBe(1);
    expect(await client.incrBy(k, 41)).toBe(42);
    expect(await client.decr(k)).toBe(41);
    expect(await client.incrByFloat(k, 0.5)).toBe('41.5');
    expect(await client.set(k + 's', 'abc')).toBe('OK');
    await expect(client.incr(k + 's')).rejects.toThrow('ERR value is not an integer or out of range');
    await expect(client.sendCommand(['NOSUCHCMD', 'x'])).rejects.toThrow("ERR unknown command 'NOSUCHCMD', with args beginning with: 'x' ");
    await expect(client.sendCommand(['GET'])).rejects.toThrow("ERR wrong number of arguments for 'get' command");
    expect(await client.ping()).toBe('PONG');
  });

  test('MGET / MSET', async () => {
    const k = uniq();
    expect(await client.mSet([k + 'a', '1', k + 'b', '2'])).toBe('OK');
    expect(await client.mGet([k + 'a', k + 'missing', k + 'b'])).toEqual(['1', null, '2']);
  });

  test('SELECT db: databases are separate; out of range is an error', async () => {
    const k = uniq();
    const c = await connect();
    others.push(c);
    await c.select(3);
    expect(await c.set(k, 'in-3')).toBe('OK');
    expect(await client.get(k)).toBeNull();
    const d3 = await connect({ database: 3 });
    others.push(d3);
    expect(await d3.get(k)).toBe('in-3');
    await expect(c.select(16)).rejects.toThrow('ERR DB index is out of range');
  });

  test('HELLO, CLIENT SETNAME, and a map reply (CONFIG GET)', async () => {
    const hello = (await client.sendCommand(['HELLO', String(resp)])) as unknown;
    const fields = resp === 3 ? Object.keys(hello as object) : (hello as unknown[]).filter((_, i) => i % 2 === 0);
    expect(fields).toEqual(['server', 'version', 'proto', 'id', 'mode', 'role', 'modules']);
    const c = await connect();
    others.push(c);
    expect(await c.clientSetName('renamed')).toBe('OK');
    expect(await c.clientGetName()).toBe('renamed');
    expect(await c.configGet('maxmemory-policy')).toEqual({ 'maxmemory-policy': 'noeviction' });
  });
});
