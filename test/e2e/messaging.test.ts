/**
 * Messaging through real client libraries, against valkey-double and a real
 * Valkey 9 with the same expectations: ioredis and node-redis Pub/Sub
 * (channels, patterns, sharded channels, keyspace events) and node-redis's
 * client-side cache, which runs on CLIENT TRACKING invalidation pushes.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { Redis } from 'ioredis';
import { BasicClientSideCache, createClient } from 'redis';
import { targetNames, useTarget } from './support/targets.js';

const until = async (cond: () => boolean, ms = 2000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe.each(targetNames())('messaging against %s', (name) => {
  const target = useTarget(name);
  const open: { quit(): unknown; disconnect?(): unknown; destroy?(): unknown }[] = [];
  afterEach(() => {
    for (const c of open.splice(0)) {
      if (c.destroy) c.destroy();
      else c.disconnect?.();
    }
  });

  test('ioredis: subscribe, psubscribe, messages in publish order, unsubscribe', async () => {
    const sub = new Redis({ port: target.port, lazyConnect: true });
    const pub = new Redis({ port: target.port, lazyConnect: true });
    open.push(sub, pub);
    await Promise.all([sub.connect(), pub.connect()]);
    const got: string[] = [];
    sub.on('message', (ch: string, m: string) => got.push(`m ${ch} ${m}`));
    sub.on('pmessage', (p: string, ch: string, m: string) => got.push(`p ${p} ${ch} ${m}`));
    expect(await sub.subscribe('news', 'sport')).toBe(2);
    expect(await sub.psubscribe('n*')).toBe(3);
    for (let i = 0; i < 5; i++) await pub.publish('news', `n${i}`);
    expect(await pub.publish('sport', 's')).toBe(1);
    expect(await pub.pubsub('NUMSUB', 'news', 'sport', 'none')).toEqual(['news', 1, 'sport', 1, 'none', 0]);
    await until(() => got.length === 11);
    expect(got).toEqual([
      ...[0, 1, 2, 3, 4].flatMap((i) => [`m news n${i}`, `p n* news n${i}`]), 'm sport s',
    ]);
    await sub.unsubscribe('news');
    expect(await pub.publish('news', 'x')).toBe(1);
    await sub.punsubscribe('n*');
    expect(await pub.publish('news', 'y')).toBe(0);
  });

  test('node-redis RESP3: keyspace events and sharded channels on a connection that keeps running commands', async () => {
    const c = createClient({ socket: { port: target.port, reconnectStrategy: false }, RESP: 3 });
    c.on('error', () => {});
    open.push(c);
    await c.connect();
    await c.configSet('notify-keyspace-events', 'KEA');
    const events: string[] = [];
    await c.subscribe('__keyspace@0__:k', (m, ch) => events.push(`${ch} ${m}`));
    const shard: string[] = [];
    await c.sSubscribe('orders', (m) => shard.push(m));
    await c.set('k', 'v');
    await c.expire('k', 100);
    await c.del('k');
    expect(await c.sPublish('orders', 'o1')).toBe(1);
    expect(await c.get('k')).toBe(null);
    await until(() => events.length === 3 && shard.length === 1);
    expect(events).toEqual(['__keyspace@0__:k set', '__keyspace@0__:k expire', '__keyspace@0__:k del']);
    expect(shard).toEqual(['o1']);
    await c.configSet('notify-keyspace-events', '');
  });

  test('node-redis client-side cache: a cached GET is served locally until another client writes the key', async () => {
    const cache = new BasicClientSideCache({ ttl: 0, maxEntries: 0 });
    const c = createClient({ socket: { port: target.port, reconnectStrategy: false }, RESP: 3, clientSideCache: cache });
    const w = createClient({ socket: { port: target.port, reconnectStrategy: false } });
    c.on('error', () => {});
    w.on('error', () => {});
    open.push(c, w);
    await Promise.all([c.connect(), w.connect()]);
    await w.set('ck', '1');
    expect(await c.get('ck')).toBe('1');
    expect(await c.get('ck')).toBe('1');
    expect(cache.stats().hitCount).toBe(1);
    expect(cache.size()).toBe(1);
    await w.set('ck', '2');
    await until(() => cache.size() === 0);
    expect(await c.get('ck')).toBe('2');
    await w.flushAll();
    await until(() => cache.size() === 0);
  });
});
