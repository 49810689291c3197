/**
 * Pub/Sub against the oracle: a subscriber and a publisher (and more) on
 * each server, every reply and every message compared byte for byte, in
 * RESP2 and RESP3.
 */
import { describe, expect, test } from 'vitest';
import { unordered, useDifferential } from './harness.js';
import { clients, type MStep } from './multi-client.js';

const d = useDifferential();

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
        const list = String((await a.send(['CLIENT', 'LIST'])).value.value);
        const line = list.split('\n').find((l) => l.includes('name=sub')) ?? '';
        const info = String((await a.send(['INFO'])).value.value);
        const pick = (re: RegExp) => (re.exec(line) ?? re.exec(info))?.[0];
        const out = [/flags=\S+/, /sub=\d+ psub=\d+ ssub=\d+/, /pubsub_channels:\d+/, /pubsub_patterns:\d+/, /pubsubshard_channels:\d+/, /pubsub_clients:\d+/].map(pick);
        await b.send(['UNSUBSCRIBE']);
        await b.read();
        await b.send(['PUNSUBSCRIBE']);
        await b.send(['SUNSUBSCRIBE']);
        const after = String((await a.send(['CLIENT', 'LIST'])).value.value).split('\n').find((l) => l.includes('name=sub')) ?? '';
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
