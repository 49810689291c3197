/**
 * MULTI / EXEC / DISCARD / WATCH / UNWATCH against a real Valkey 9: queueing,
 * queue-time and run-time errors, WATCH touched by this client, by another
 * client, by expiry and by FLUSHDB/FLUSHALL/SWAPDB, blocking commands inside
 * EXEC, CLIENT REPLY and the auth gate.
 */
import { describe, expect, test } from 'vitest';
import type { Arg } from '../../conformance/targets/raw-client.js';
import { ALL_GROUPS } from '../../src/engine/commands/index.js';
import { raw, useDifferential, type Differential } from './harness.js';

const implemented = (name: string) => ALL_GROUPS.some((g) => name in g);

type Who = 'a' | 'b';
type MultiStep = readonly [Who, ...Arg[]] | { sleep: number };

/**
 * Two clients (a, b) on each server run the same interleaved script; every
 * reply of both, as raw bytes, must be the same on the mock as on Valkey.
 */
async function twoClients(d: Differential, steps: readonly MultiStep[], resp: 2 | 3 = 2): Promise<void> {
  if (!d.available) return;
  const run = async (which: 'oracle' | 'mock') => {
    const a = await d.connect(which, resp);
    const b = await d.connect(which, resp);
    const out: string[] = [];
    try {
      await b.send(['FLUSHALL']);
      for (const s of steps) {
        if ('sleep' in s) {
          await new Promise((r) => setTimeout(r, s.sleep));
          continue;
        }
        const [who, ...cmd] = s as readonly [Who, ...Arg[]];
        const r = await (who === 'a' ? a : b).send(cmd);
        out.push(`${who}: ${cmd.join(' ')} -> ${JSON.stringify(r.raw)}`);
      }
    } finally {
      a.close();
      b.close();
    }
    return out;
  };
  const [valkey, mock] = await Promise.all([run('oracle'), run('mock')]);
  expect(mock).toEqual(valkey);
}

const both = async (d: Differential, steps: readonly MultiStep[]) => {
  await twoClients(d, steps, 2);
  await twoClients(d, steps, 3);
};

describe('transactions: one client', () => {
  const d = useDifferential();

  test('queueing and EXEC with run-time errors inside the reply', () =>
    d.check([
      ['MULTI'], ['SET', 'k', 'abc'], ['INCR', 'k'], ['GET', 'k'], ['INCRBYFLOAT', 'k', '1'], ['APPEND', 'k', 'd'], ['SETRANGE', 'k', '-1', 'x'],
      ['EXPIRE', 'k', 'soon'], ['GET', 'nokey'], ['SET', 'k', 'v', 'EX', '0'], ['EXEC'],
      ['GET', 'k'],
      ['MULTI'], ['EXEC'],
      ['multi'], ['set', 'n', '1'], ['incrby', 'n', '41'], ['exec'],
    ]));

  test('EXEC and DISCARD without MULTI, nested MULTI, WATCH inside MULTI', () =>
    d.check([
      ['EXEC'], ['DISCARD'], ['MULTI'], ['MULTI'], ['WATCH', 'k'], ['SET', 'k', 'v'], ['EXEC'], ['GET', 'k'],
      ['MULTI'], ['SET', 'k', 'v'], ['DISCARD'], ['GET', 'k'], ['EXEC'],
    ]));

  test('queue-time errors abort EXEC: unknown command, arity, NO_MULTI commands', () =>
    d.check([
      ['MULTI'], ['SET', 'k', 'v'], ['NOSUCHCMD', 'a'], ['SET', 'j', 'v'], ['EXEC'], ['GET', 'k'], ['GET', 'j'],
      ['MULTI'], ['GET'], ['EXEC'],
      ['MULTI'], ['SET', 'k'], ['GET', 'k'], ['EXEC'],
      ['MULTI'], ['CLIENT', 'NOSUCH'], ['EXEC'],
      ['MULTI'], ['SAVE'], ['EXEC'],
      ['MULTI'], ['CLIENT', 'REPLY', 'OFF'], ['PING'], ['EXEC'],
      ['MULTI'], ['DISCARD', 'x'], ['EXEC'],
      ['MULTI'], ['SET', 'k', 'v'], ['MULTI'], ['EXEC'], ['GET', 'k'],
    ]));

  test('EXEC with arguments answers EXECABORT, in MULTI and out of it', () =>
    d.check([
      ['EXEC', 'x'], ['MULTI'], ['SET', 'k', 'v'], ['EXEC', 'x'], ['EXEC'], ['GET', 'k'], ['DISCARD'],
    ]));

  test('WATCH: own writes before MULTI fail EXEC; UNWATCH clears; a key watched twice', () =>
    d.check([
      ['WATCH', 'k'], ['SET', 'k', '1'], ['MULTI'], ['INCR', 'k'], ['EXEC'], ['GET', 'k'],
      ['WATCH', 'k', 'k', 'j'], ['MULTI'], ['INCR', 'k'], ['EXEC'], ['GET', 'k'],
      ['WATCH', 'k'], ['SET', 'k', '5'], ['UNWATCH'], ['MULTI'], ['INCR', 'k'], ['EXEC'],
      ['WATCH', 'k'], ['GET', 'k'], ['MULTI'], ['INCR', 'k'], ['EXEC'],
      ['WATCH', 'k'], ['MULTI'], ['DISCARD'], ['SET', 'k', '0'], ['MULTI'], ['INCR', 'k'], ['EXEC'],
      ['WATCH', 'k'], ['SET', 'k', '1'], ['WATCH', 'j'], ['MULTI'], ['EXEC'],
    ]));

  test('WATCH: writes that do not change the key do not touch it', () =>
    d.check([
      ['SET', 'k', 'v'],
      ['WATCH', 'k', 'missing'], ['DEL', 'missing'], ['PERSIST', 'k'], ['EXPIRE', 'missing', '10'], ['MULTI'], ['GET', 'k'], ['EXEC'],
      ['WATCH', 'k'], ['EXPIRE', 'k', '100'], ['MULTI'], ['GET', 'k'], ['EXEC'],
      ['WATCH', 'k'], ['SETNX', 'k', 'w'], ['MULTI'], ['GET', 'k'], ['EXEC'],
      ['WATCH', 'k'], ['APPEND', 'k', ''], ['MULTI'], ['GET', 'k'], ['EXEC'],
    ]));

  test('SELECT inside a transaction; watches belong to their database', () =>
    d.check([
      ['MULTI'], ['SELECT', '1'], ['SET', 'k', 'one'], ['EXEC'], ['GET', 'k'], ['SELECT', '0'], ['GET', 'k'],
      ['WATCH', 'k'], ['SELECT', '1'], ['SET', 'k', 'changed'], ['MULTI'], ['GET', 'k'], ['EXEC'],
      ['SELECT', '0'], ['WATCH', 'k'], ['SELECT', '1'], ['MULTI'], ['SELECT', '0'], ['SET', 'k', 'zero'], ['EXEC'],
      ['SELECT', '0'], ['FLUSHALL'],
    ]));

  test('FLUSHALL, FLUSHDB and SWAPDB inside and around transactions', () =>
    d.check([
      ['SET', 'k', 'v'], ['WATCH', 'k'], ['FLUSHDB'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'k'], ['FLUSHALL'], ['MULTI'], ['PING'], ['EXEC'],
      ['SET', 'k', 'v'], ['WATCH', 'k'], ['FLUSHALL'], ['MULTI'], ['PING'], ['EXEC'],
      ['SELECT', '1'], ['SET', 'k', 'v1'], ['SELECT', '0'], ['WATCH', 'k'], ['SWAPDB', '0', '1'], ['MULTI'], ['GET', 'k'], ['EXEC'],
      ['MULTI'], ['SET', 'x', '1'], ['FLUSHDB'], ['GET', 'x'], ['EXEC'],
      ['FLUSHALL'],
    ]));

  test('CLIENT REPLY around MULTI: SKIP drops the reply of MULTI itself, OFF is refused inside', () =>
    d.check([
      raw('CLIENT REPLY SKIP\r\nMULTI\r\nSET a 1\r\nEXEC\r\nPING\r\n', 3),
      raw('MULTI\r\nCLIENT REPLY SKIP\r\nSET a 2\r\nEXEC\r\nGET a\r\n', 5),
      raw('MULTI\r\nSET a 3\r\nCLIENT REPLY OFF\r\nEXEC\r\nPING\r\nGET a\r\n', 6),
    ]));

  test('the null array of a failed EXEC', () =>
    d.check([
      ['SET', 'l', 'x'], ['MULTI'], ['GET', 'l'], ['INCR', 'l'], ['GET', 'nokey'], ['EXEC'],
      ['WATCH', 'l'], ['DEL', 'l'], ['MULTI'], ['GET', 'l'], ['EXEC'],
    ]));

  test.skipIf(!implemented('lpush') || !implemented('hget'))('WRONGTYPE errors inside EXEC', () =>
    d.check([
      ['LPUSH', 'l', 'x'], ['MULTI'], ['GET', 'l'], ['HGET', 'l', 'f'], ['INCRBYFLOAT', 'l', '1'], ['GET', 'nokey'], ['EXEC'],
      ['WATCH', 'l'], ['DEL', 'l'], ['MULTI'], ['GET', 'l'], ['EXEC'],
    ]));

  test('blocking commands inside EXEC answer at once: WAIT', () =>
    d.check([['MULTI'], ['WAIT', '1', '2000'], ['SET', 'k', 'v'], ['EXEC']]));

  test.skipIf(!implemented('blpop'))('blocking commands inside EXEC answer at once: BLPOP, BRPOPLPUSH, BZPOPMIN', () =>
    d.check([
      ['MULTI'], ['BLPOP', 'l', '0'], ['BRPOPLPUSH', 'l', 'm', '0'], ['BLMOVE', 'l', 'm', 'LEFT', 'RIGHT', '0'], ['BZPOPMIN', 'z', '0'],
      ['RPUSH', 'l', 'a'], ['BLPOP', 'l', '0'], ['EXEC'],
    ]));

  test('RESET inside MULTI ends the transaction and the watches', () =>
    d.check([
      ['MULTI'], ['SET', 'k', 'v'], ['RESET'], ['EXEC'], ['GET', 'k'],
      ['WATCH', 'k'], ['SET', 'k', 'x'], ['RESET'], ['MULTI'], ['GET', 'k'], ['EXEC'],
    ]));
});

describe('transactions: two clients', () => {
  const d = useDifferential();

  test('another client writing a watched key fails EXEC; reading it does not', () =>
    both(d, [
      ['b', 'SET', 'k', '1'],
      ['a', 'WATCH', 'k'], ['a', 'MULTI'], ['a', 'INCR', 'k'], ['b', 'SET', 'k', '10'], ['a', 'EXEC'], ['a', 'GET', 'k'],
      ['a', 'WATCH', 'k'], ['b', 'GET', 'k'], ['b', 'EXISTS', 'k'], ['a', 'MULTI'], ['a', 'INCR', 'k'], ['a', 'EXEC'],
      ['a', 'WATCH', 'missing'], ['b', 'SET', 'missing', 'now'], ['a', 'MULTI'], ['a', 'GET', 'missing'], ['a', 'EXEC'],
      ['a', 'WATCH', 'k'], ['b', 'EXPIRE', 'k', '100'], ['a', 'MULTI'], ['a', 'TTL', 'k'], ['a', 'EXEC'],
      ['a', 'WATCH', 'k'], ['b', 'DEL', 'k'], ['a', 'MULTI'], ['a', 'GET', 'k'], ['a', 'EXEC'],
    ]));

  test('a touch while the transaction is queued; both clients in MULTI', () =>
    both(d, [
      ['a', 'WATCH', 'k'], ['a', 'MULTI'], ['a', 'SET', 'k', 'a'],
      ['b', 'MULTI'], ['b', 'SET', 'k', 'b'], ['b', 'EXEC'],
      ['a', 'SET', 'j', 'a'], ['a', 'EXEC'], ['a', 'GET', 'k'], ['a', 'GET', 'j'],
    ]));

  test('watches are per database', () =>
    both(d, [
      ['a', 'WATCH', 'k'], ['b', 'SELECT', '1'], ['b', 'SET', 'k', 'v'], ['a', 'MULTI'], ['a', 'SET', 'k', 'a'], ['a', 'EXEC'],
      ['a', 'SELECT', '1'], ['a', 'WATCH', 'k'], ['b', 'SET', 'k', 'w'], ['a', 'MULTI'], ['a', 'GET', 'k'], ['a', 'EXEC'],
      ['b', 'FLUSHALL'],
    ]));

  test('FLUSHDB, FLUSHALL and SWAPDB by another client', () =>
    both(d, [
      ['b', 'SET', 'k', 'v'], ['a', 'WATCH', 'k'], ['b', 'FLUSHDB'], ['a', 'MULTI'], ['a', 'PING'], ['a', 'EXEC'],
      ['a', 'WATCH', 'missing'], ['b', 'FLUSHALL'], ['a', 'MULTI'], ['a', 'PING'], ['a', 'EXEC'],
      ['b', 'SELECT', '1'], ['b', 'SET', 'k', 'in1'], ['a', 'WATCH', 'k'], ['b', 'SWAPDB', '0', '1'], ['a', 'MULTI'], ['a', 'GET', 'k'], ['a', 'EXEC'],
      ['a', 'WATCH', 'nowhere'], ['b', 'SWAPDB', '0', '1'], ['a', 'MULTI'], ['a', 'GET', 'k'], ['a', 'EXEC'],
      ['b', 'SELECT', '0'], ['b', 'FLUSHALL'],
    ]));

  test('a watched key that expires fails EXEC', () =>
    both(d, [
      ['b', 'SET', 'k', 'v', 'PX', '40'], ['a', 'WATCH', 'k'], { sleep: 120 }, ['a', 'MULTI'], ['a', 'GET', 'k'], ['a', 'EXEC'],
    ]));

  test('a key already expired when watched does not fail EXEC', () =>
    both(d, [
      ['b', 'SET', 'k', 'v', 'PX', '20'], { sleep: 80 }, ['a', 'WATCH', 'k'], ['a', 'MULTI'], ['a', 'GET', 'k'], ['a', 'EXEC'],
      ['a', 'WATCH', 'k'], ['b', 'SET', 'k', 'new'], ['a', 'MULTI'], ['a', 'GET', 'k'], ['a', 'EXEC'],
    ]));

  test('EXEC uses one time snapshot: a key expiring during the transaction stays visible to all its commands', () =>
    both(d, [
      ['a', 'MULTI'], ['a', 'SET', 'k', 'v', 'PX', '1'], ['a', 'GET', 'k'], ['a', 'EXISTS', 'k'], ['a', 'EXEC'], { sleep: 20 }, ['a', 'GET', 'k'],
    ]));

  test('RESET unwatches', () =>
    both(d, [
      ['a', 'WATCH', 'k'], ['a', 'RESET'], ['b', 'SET', 'k', 'v'], ['a', 'MULTI'], ['a', 'GET', 'k'], ['a', 'EXEC'],
    ]));
});

describe('transactions: the auth gate', () => {
  const d = useDifferential({ oracleArgs: ['--requirepass', 'pw'], server: { requirepass: 'pw' } });

  test('unauthenticated MULTI and EXEC; AUTH inside a transaction', () =>
    d.check([
      ['MULTI'], ['EXEC'], ['EXEC', 'x'], ['DISCARD'],
      ['AUTH', 'pw'], ['MULTI'], ['AUTH', 'wrong'], ['AUTH', 'pw'], ['SET', 'k', 'v'], ['EXEC'],
      ['MULTI'], ['RESET'], ['EXEC'], ['AUTH', 'pw'], ['FLUSHALL'],
    ], { noFlush: true }));
});
