/**
 * Pub/Sub against the oracle: a subscriber and a publisher (and more) on
 * each server, every reply and every message compared byte for byte, in
 * RESP2 and RESP3.
 */
import { describe, expect, test } from 'vitest';
import type { RawReply } from '../../src/index.js';
import { unordered, useDifferential } from './harness.js';
import { clients, type MStep } from './multi-client.js';

const d = useDifferential();

const text = (r: RawReply): string => ('value' in r.value ? String(r.value.value) : '');

const both = async (steps: readonly MStep[]) => {
  await clients(d, steps, 2);
  await clients(d, steps, 3);
};

describe('SUBSCRIBE and PUBLISH', () => {
  test('subscribe counts, messages, unsubscribe', () => both([
    ['b', 'SUBSCRIBE', 'c1', 'c2', 'c1'], { read: 'b' }, { read: 'b' },
    ['a', 'PUBLISH', 'c1', 'hello'], { read: 'b' },
    ['a', 'PUBLISH', 'c2', ''], { read: 'b' },
    ['a', 'PUBLISH', 'nobody', 'x'],
    ['b', 'UNSUBSCRIBE', 'c1', 'zz'], { read: 'b' },
    ['a', 'PUBLISH', 'c1', 'gone'], ['a', 'PUBLISH', 'c2', 'still'], { read: 'b' },
    ['b', 'UNSUBSCRIBE'],
    ['b', 'UNSUBSCRIBE'],
    ['b', 'PING'],
  ]));

  test('patterns: psubscribe, pmessage, punsubscribe, mixed counts', () => both([
    ['b', 'PSUBSCRIBE', 'news.*', 'h?llo', '[ab]*'], { read: 'b' }, { read: 'b' },
    ['b', 'SUBSCRIBE', 'news.1'],
    ['a', 'PUBLISH', 'news.1', 'm1'], { read: 'b' }, { read: 'b' },
    ['a', 'PUBLISH', 'hallo', 'm2'], { read: 'b' },
    ['a', 'PUBLISH', 'xyz', 'm3'],
    ['a', 'PUBSUB', 'NUMPAT'],
    ['b', 'PUNSUBSCRIBE', 'h?llo', 'nope'], { read: 'b' },
    ['b', 'PUNSUBSCRIBE', 'news.*'],
    ['b', 'PUNSUBSCRIBE', '[ab]*'],
    ['b', 'PUNSUBSCRIBE'],
    ['b', 'UNSUBSCRIBE'],
  ]));

  test('sharded channels', () => both([
    ['b', 'SSUBSCRIBE', 's1', 's2'], { read: 'b' },
    ['c', 'PSUBSCRIBE', '*'],
    ['a', 'SPUBLISH', 's1', 'm'], { read: 'b' },
    ['a', 'PUBLISH', 's1', 'plain'], { read: 'c' },
    ['a', 'PUBSUB', 'SHARDNUMSUB', 's1', 's3'],
    ['a', 'PUBSUB', 'SHARDCHANNELS', 's1'],
    ['b', 'SUNSUBSCRIBE', 's1'],
    ['b', 'SUNSUBSCRIBE'],
    ['b', 'SUNSUBSCRIBE'],
    ['a', 'SPUBLISH', 's1', 'none'],
  ]));

  test('RESP2 subscribed mode: allowed commands, errors, PING shape', () => clients(d, [
    ['b', 'SUBSCRIBE', 'c'],
    ['b', 'GET', 'k'], ['b', 'PUBLISH', 'c', 'x'], ['b', 'HELLO', '3'],
    ['b', 'PING'], ['b', 'PING', 'hi'],
    ['b', 'PSUBSCRIBE', 'p*'], ['b', 'UNSUBSCRIBE', 'c'], ['b', 'GET', 'k'],
    ['b', 'PUNSUBSCRIBE'], ['b', 'GET', 'k'], ['b', 'PING'],
    ['c', 'SSUBSCRIBE', 'x'], ['c', 'SET', 'k', 'v'], ['c', 'RESET'], ['c', 'SET', 'k', 'v'],
    ['a', 'PUBSUB', 'SHARDNUMSUB', 'x'],
  ], 2));

  test('RESP3: a subscribed client runs any command; pushes to itself follow its reply', () => clients(d, [
    ['b', 'SUBSCRIBE', 'c'],
    ['b', 'SET', 'k', 'v'], ['b', 'GET', 'k'], ['b', 'PING'],
    ['b', 'PUBLISH', 'c', 'self'], { read: 'b' },
    ['b', 'MULTI'], ['b', 'PING', 'abc'], ['b', 'PUBLISH', 'c', 'm1'], ['b', 'PUBLISH', 'c', 'm2'], ['b', 'EXEC'],
    { read: 'b' }, { read: 'b' },
    ['b', 'MULTI'], ['b', 'SUBSCRIBE', 'd', 'e'], ['b', 'UNSUBSCRIBE', 'd'], ['b', 'EXEC'],
    ['b', 'UNSUBSCRIBE'], { read: 'b' },
  ], 3));

  test('CLIENT REPLY OFF still writes confirmations and messages', () => both([
    { pipe: 'b', cmds: [['CLIENT', 'REPLY', 'OFF'], ['SUBSCRIBE', 'ch', 'c2']] },
    { wait: 'b' }, ['b', 'PSUBSCRIBE', 'c*'],
    ['a', 'PUBLISH', 'ch', 'hi'], { read: 'b' }, { read: 'b' },
  ]));

  test('PUBSUB CHANNELS / NUMSUB / NUMPAT / HELP, and cleanup on disconnect and RESET', () => both([
    ['b', 'SUBSCRIBE', 'foo', 'bar'], { read: 'b' },
    ['c', 'SUBSCRIBE', 'foo'],
    ['c', 'PSUBSCRIBE', 'f*', 'f*'], { read: 'c' },
    ['a', 'PUBSUB', 'CHANNELS', 'b*'],
    ['a', 'PUBSUB', 'CHANNELS', 'f*'],
    ['a', 'PUBSUB', 'CHANNELS', 'zz*'],
    ['a', 'PUBSUB', 'NUMSUB', 'foo', 'bar', 'baz'],
    ['a', 'PUBSUB', 'NUMSUB'],
    ['a', 'PUBSUB', 'NUMPAT'],
    ['a', 'PUBSUB', 'HELP'],
    ['a', 'PUBSUB', 'NOPE'],
    ['a', 'PUBSUB', 'NUMPAT', 'x'],
    ['a', 'PUBSUB', 'CHANNELS', 'a', 'b'],
    { close: 'b' },
    ['a', 'PUBSUB', 'NUMSUB', 'foo', 'bar'],
    ['c', 'RESET'],
    ['a', 'PUBSUB', 'NUMSUB', 'foo'], ['a', 'PUBSUB', 'NUMPAT'],
    ['a', 'PUBLISH', 'foo', 'x'],
  ]));

  test('CLIENT LIST fields and INFO counts follow subscriptions', async () => {
    if (!d.available) return;
    const fields = async (which: 'oracle' | 'mock') => {
      const [a, b] = [await d.connect(which), await d.connect(which)];
      try {
        await b.send(['CLIENT', 'SETNAME', 'sub']);
        await b.send(['SUBSCRIBE', 'x', 'y']);
        await b.read();
        await b.send(['PSUBSCRIBE', 'p*']);
        await b.send(['SSUBSCRIBE', 's']);
        const list = text(await a.send(['CLIENT', 'LIST']));
        const line = list.split('\n').find((l) => l.includes('name=sub')) ?? '';
        const info = text(await a.send(['INFO']));
        const pick = (re: RegExp) => (re.exec(line) ?? re.exec(info))?.[0];
        const out = [/flags=\S+/, /sub=\d+ psub=\d+ ssub=\d+/, /pubsub_channels:\d+/, /pubsub_patterns:\d+/, /pubsubshard_channels:\d+/, /pubsub_clients:\d+/].map(pick);
        await b.send(['UNSUBSCRIBE']);
        await b.read();
        await b.send(['PUNSUBSCRIBE']);
        await b.send(['SUNSUBSCRIBE']);
        const after = text(await a.send(['CLIENT', 'LIST'])).split('\n').find((l) => l.includes('name=sub')) ?? '';
        return [...out, /flags=\S+/.exec(after)?.[0], /sub=\d+ psub=\d+ ssub=\d+/.exec(after)?.[0]];
      } finally {
        a.close();
        b.close();
      }
    };
    expect(await fields('mock')).toEqual(await fields('oracle'));
  });

  test('SUBSCRIBE inside MULTI is allowed, SSUBSCRIBE is not', () => clients(d, [
    ['b', 'MULTI'], ['b', 'SSUBSCRIBE', 'x'], ['b', 'SUBSCRIBE', 'y'], ['b', 'EXEC'], ['b', 'PING'],
  ], 3));
});

describe('single connection', () => {
  test('PUBSUB on an idle server', () => d.check([
    ['PUBSUB', 'CHANNELS'], ['PUBSUB', 'SHARDCHANNELS'], ['PUBSUB', 'NUMPAT'], ['PUBSUB', 'SHARDNUMSUB'],
    ['PUBLISH', 'x', 'y'], ['SPUBLISH', 'x', 'y'], unordered('PUBSUB', 'NUMSUB', 'a', 'b'),
    ['UNSUBSCRIBE'], ['PUNSUBSCRIBE'], ['SUNSUBSCRIBE'],
  ]));
});

/** The messages a PSUBSCRIBE * client (RESP3) receives while `script` runs on another connection, on each server. */
async function events(flags: string, script: readonly (readonly (string | number)[])[]): Promise<[string[], string[]]> {
  const out: string[][] = [];
  for (const which of ['oracle', 'mock'] as const) {
    const admin = await d.connect(which);
    const sub = await d.connect(which, 3);
    try {
      await admin.send(['FLUSHALL']);
      await admin.send(['CONFIG', 'SET', 'notify-keyspace-events', flags]);
      await sub.send(['PSUBSCRIBE', '*']);
      for (const s of script) {
        if (s[0] === 'sleep') await new Promise((r) => setTimeout(r, Number(s[1])));
        else await admin.send(s);
      }
      await admin.send(['PING']);
      await new Promise((r) => setTimeout(r, 50));
      out.push(sub.pushes.map((p) => p.raw));
    } finally {
      await admin.send(['CONFIG', 'SET', 'notify-keyspace-events', '']);
      admin.close();
      sub.close();
    }
  }
  return [out[0]!, out[1]!];
}

describe('keyspace notifications', () => {
  const cases: Record<string, readonly (readonly (string | number)[])[]> = {
    strings: [
      ['SET', 's', 'v'], ['SET', 's', 'w', 'EX', '100'], ['SETNX', 's', 'x'], ['SETNX', 't', 'x'], ['APPEND', 's', 'x'], ['APPEND', 'n', 'x'],
      ['INCR', 'i'], ['INCRBY', 'i', '2'], ['DECR', 'i'], ['INCRBYFLOAT', 'i', '1.5'], ['SETRANGE', 's', '1', 'zz'], ['SETRANGE', 'r', '0', ''],
      ['MSET', 'a', '1', 'b', '2'], ['MSETNX', 'a', '1', 'c', '3'], ['MSETNX', 'c', '1', 'd', '3'], ['GETSET', 'a', '9'], ['GETDEL', 'a'], ['GETDEL', 'a'],
      ['GETEX', 'b', 'EX', '100'], ['GETEX', 'b', 'PERSIST'], ['GETEX', 'b'], ['SETEX', 'e', '100', 'v'], ['PSETEX', 'e', '100000', 'v'],
      ['SET', 's', 'x', 'KEEPTTL'], ['SET', 's', 'y', 'GET'], ['SET', 's', 'z', 'XX'], ['SET', 'zz', 'z', 'XX'], ['SETBIT', 'bm', '7', '1'],
      ['BITOP', 'OR', 'bo', 'bm', 'nokey'], ['BITOP', 'AND', 'bo', 'nokey'], ['BITFIELD', 'bf', 'SET', 'u8', '0', '5'], ['BITFIELD', 'bf', 'GET', 'u8', '0'],
      ['PFADD', 'h', 'a'], ['PFADD', 'h', 'a'], ['PFMERGE', 'h2', 'h'], ['PFCOUNT', 'h', 'h2'], ['LCS', 's', 'b'],
    ],
    generic: [
      ['SET', 'k', 'v'], ['EXPIRE', 'k', '100'], ['PEXPIRE', 'k', '100000'], ['EXPIREAT', 'k', '99999999999'], ['PERSIST', 'k'], ['PERSIST', 'k'],
      ['EXPIRE', 'k', '0'], ['SET', 'k', 'v'], ['EXPIRE', 'k', '-1'], ['SET', 'k', 'v'], ['PEXPIREAT', 'k', '1'],
      ['SET', 'a', '1'], ['RENAME', 'a', 'b'], ['SET', 'c', '1'], ['RENAMENX', 'b', 'c'], ['RENAMENX', 'b', 'd'], ['RENAME', 'd', 'd'],
      ['COPY', 'd', 'e'], ['COPY', 'd', 'e', 'REPLACE'], ['MOVE', 'e', '1'], ['DEL', 'd', 'c', 'zz'], ['UNLINK', 'e'], ['SET', 'x', '1'],
      ['TOUCH', 'x'], ['SWAPDB', '0', '1'], ['SWAPDB', '0', '1'], ['EXPIRE', 'x', '100', 'NX'], ['EXPIRE', 'x', '200', 'NX'],
      ['SET', 'y', '1'], ['RESTORE', 'y', '0', '\x00\x01a\x0b\x00\xf0\x0b\xd3\xcf\x9a\x1b\x99\xcb', 'REPLACE'],
      ['SORT', 'nokey', 'STORE', 'dst'], ['RPUSH', 'l', '3', '1'], ['SORT', 'l', 'STORE', 'dst'], ['SORT', 'nokey', 'STORE', 'dst'],
      ['FLUSHDB'],
    ],
    lists: [
      ['LPUSH', 'l', 'a', 'b'], ['RPUSH', 'l', 'c'], ['LPUSHX', 'l', 'd'], ['RPUSHX', 'nol', 'd'], ['LINSERT', 'l', 'BEFORE', 'a', 'x'],
      ['LINSERT', 'l', 'BEFORE', 'zz', 'x'], ['LSET', 'l', '0', 'y'], ['LREM', 'l', '0', 'x'], ['LREM', 'l', '0', 'nothing'], ['LTRIM', 'l', '0', '1'],
      ['LPOP', 'l'], ['RPOP', 'l'], ['RPOP', 'l'], ['RPUSH', 'l', '1', '2', '3'], ['RPOPLPUSH', 'l', 'm'], ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'],
      ['LMOVE', 'l', 'l', 'LEFT', 'RIGHT'], ['LMPOP', '1', 'l', 'LEFT', 'COUNT', '5'], ['BLPOP', 'm', '0'], ['BRPOP', 'm', '0'], ['BLMOVE', 'x', 'y', 'LEFT', 'LEFT', '0.01'],
      ['RPUSH', 'p', 'a', 'b'], ['LPOP', 'p', '5'], ['RPUSH', 'p', 'a'], ['LTRIM', 'p', '1', '0'],
    ],
    hashes: [
      ['HSET', 'h', 'a', '1', 'b', '2'], ['HSETNX', 'h', 'a', '1'], ['HSETNX', 'h', 'c', '1'], ['HMSET', 'h', 'd', '1'], ['HINCRBY', 'h', 'a', '1'],
      ['HINCRBYFLOAT', 'h', 'a', '1.5'], ['HDEL', 'h', 'a', 'zz'], ['HDEL', 'h', 'zz'], ['HGETDEL', 'h', 'FIELDS', '1', 'b'],
      ['HEXPIRE', 'h', '100', 'FIELDS', '2', 'c', 'zz'], ['HPEXPIRE', 'h', '100000', 'FIELDS', '1', 'c'], ['HPERSIST', 'h', 'FIELDS', '1', 'c'],
      ['HEXPIREAT', 'h', '99999999999', 'FIELDS', '1', 'c'], ['HEXPIRE', 'h', '0', 'FIELDS', '1', 'c'], ['HSETEX', 'h', 'EX', '100', 'FIELDS', '1', 'e', 'v'],
      ['HGETEX', 'h', 'PERSIST', 'FIELDS', '1', 'e'], ['HGETEX', 'h', 'EX', '100', 'FIELDS', '1', 'e'], ['HGETEX', 'h', 'PX', '0', 'FIELDS', '1', 'e'],
      ['HSET', 'g', 'f', 'v'], ['HPEXPIRE', 'g', '1', 'FIELDS', '1', 'f'], ['sleep', 250], ['HGET', 'g', 'f'], ['HDEL', 'h', 'd'],
    ],
    sets_zsets: [
      ['SADD', 's', 'a', 'b'], ['SADD', 's', 'a'], ['SREM', 's', 'a'], ['SMOVE', 's', 't', 'b'], ['SADD', 's', 'x', 'y'], ['SPOP', 's'], ['SPOP', 's', '5'],
      ['SADD', 's', 'q'], ['SINTERSTORE', 'd', 's', 't'], ['SUNIONSTORE', 'd', 's', 't'], ['SDIFFSTORE', 'd', 'nokey'],
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['ZADD', 'z', 'XX', '5', 'a'], ['ZINCRBY', 'z', '1', 'a'], ['ZREM', 'z', 'a'],
      ['ZREMRANGEBYSCORE', 'z', '0', '2'], ['ZADD', 'z', '1', 'x'], ['ZREMRANGEBYRANK', 'z', '0', '0'], ['ZADD', 'z', '1', 'x'],
      ['ZREMRANGEBYLEX', 'z', '-', '+'], ['ZADD', 'z', '1', 'a', '2', 'b'], ['ZPOPMIN', 'z'], ['ZPOPMAX', 'z', '3'], ['ZADD', 'z', '1', 'a'],
      ['ZUNIONSTORE', 'u', '1', 'z'], ['ZINTERSTORE', 'u', '2', 'z', 'nokey'], ['ZADD', 'z', '1', 'a'], ['ZRANGESTORE', 'r', 'z', '0', '-1'],
      ['ZMPOP', '1', 'z', 'MIN'], ['BZPOPMIN', 'u', 'r', '0'], ['ZDIFFSTORE', 'dd', '1', 'nokey'],
      ['GEOADD', 'g', '13.36', '38.11', 'p'], ['GEOSEARCHSTORE', 'gs', 'g', 'FROMLONLAT', '13', '38', 'BYRADIUS', '500', 'km'],
    ],
    expiry: [
      ['SET', 'a', '1', 'PX', '1'], ['SET', 'b', '1', 'PX', '1'], ['sleep', 30], ['GET', 'a'], ['EXISTS', 'b'], ['SET', 'c', 'v', 'PXAT', '1'],
      ['SET', 'c', 'v'], ['EXPIREAT', 'c', '1'],
    ],
  };
  for (const [name, script] of Object.entries(cases)) {
    test(`${name}: every event, KEA`, async () => {
      if (!d.available) return;
      const [o, m] = await events('KEA', script);
      expect(m).toEqual(o);
    });
  }

  test('class masks, key misses and new keys', async () => {
    if (!d.available) return;
    const script = [['SET', 'a', '1'], ['GET', 'nokey'], ['GET', 'a'], ['HGET', 'nokey', 'f'], ['LPUSH', 'l', 'x'], ['SET', 'a', '2'], ['DEL', 'a'], ['SADD', 's', 'm']];
    for (const flags of ['Km', 'Em', 'En', 'Kl', 'E$', 'Kg', 'KEnm', 'Es']) {
      const [o, m] = await events(flags, script);
      expect(m, flags).toEqual(o);
    }
  });

  test('eviction: an evicted event per key, then OOM for writes; noeviction refuses at once', () => clients(d, [
    ['a', 'CONFIG', 'SET', 'notify-keyspace-events', 'Eeg'], ['b', 'PSUBSCRIBE', '*'],
    ['a', 'SET', 'foo', 'bar'], ['a', 'CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'], ['a', 'CONFIG', 'SET', 'maxmemory', '1'],
    { read: 'b' }, ['a', 'SET', 'x', 'y'], ['a', 'GET', 'x'], ['a', 'DEL', 'x'], ['a', 'INCR', 'n'],
    ['a', 'MULTI'], ['a', 'SET', 'x', 'y'], ['a', 'EXEC'],
    ['a', 'CONFIG', 'SET', 'maxmemory-policy', 'noeviction'], ['a', 'LPUSH', 'l', 'x'],
    ['a', 'CONFIG', 'SET', 'maxmemory', '0'], ['a', 'SET', 'x', 'y'],
    ['a', 'CONFIG', 'SET', 'notify-keyspace-events', ''],
  ]));

  test('CONFIG SET / GET notify-keyspace-events', () => d.check([
    ['CONFIG', 'SET', 'notify-keyspace-events', 'gKE'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', '$lshzxeKE'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'KA'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'mnAKE'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'Q'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', ''], ['CONFIG', 'GET', 'notify-keyspace-events'],
  ], { resp: [2] }));
});

describe('MONITOR', () => {
  test('lines as Valkey writes them: quoting, db, MULTI/EXEC, aborted EXEC, redaction, admin commands left out', async () => {
    if (!d.available) return;
    const run = async (which: 'oracle' | 'mock') => {
      const [m, a] = [await d.connect(which), await d.connect(which)];
      try {
        await a.send(['FLUSHALL']);
        const addr = /addr=(\S+)/.exec(text(await a.send(['CLIENT', 'INFO'])))![1]!;
        const out = [(await m.send(['MONITOR'])).raw];
        const script: string[][] = [
          ['SET', 'k', 'a "b"\\c\r\n\t\x07\x08\x01\xff é'], ['GET', 'k'], ['SELECT', '3'], ['INCR', 'n'], ['SELECT', '0'],
          ['MULTI'], ['SET', 'x', '1'], ['GET', 'x'], ['EXEC'],
          ['MULTI'], ['NOSUCH'], ['EXEC'],
          ['MULTI'], ['EXEC', 'extra'], ['DISCARD'],
          ['AUTH', 'pw'], ['AUTH', 'u', 'pw'], ['HELLO', '2', 'AUTH', 'u', 'pw'],
          ['CONFIG', 'GET', 'maxmemory'], ['DEBUG', 'SLEEP', '0'], ['PING'], ['GET', ''],
        ];
        for (const s of script) await a.send(s);
        for (let i = 0; i < 30; i++) {
          try {
            out.push((await m.read(300)).raw.replace(/^\+\d+\.\d{6} /, '+T ').replace(addr, 'ADDR'));
          } catch {
            break;
          }
        }
        out.push(/flags=\S+/.exec(text(await a.send(['CLIENT', 'LIST'])).split('\n')[0] ?? '')?.[0] ?? '');
        return out;
      } finally {
        m.close();
        a.close();
      }
    };
    const oracle = await run('oracle');
    expect(oracle.length).toBeGreaterThan(15);
    expect(await run('mock')).toEqual(oracle);
  });
});
