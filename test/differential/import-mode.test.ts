/**
 * Import mode (CONFIG SET import-mode yes) and CLIENT IMPORT-SOURCE against a
 * real Valkey 9.1.2: expired keys are kept, hidden from ordinary reads,
 * deleted by writes, visible to the import source; no active expiry; past
 * expiry times are kept rather than deleting the key.
 */
import { describe, test } from 'vitest';
import { ignore, sameType, sleep, useDifferential } from './harness.js';

const d = useDifferential();
const off = [['CLIENT', 'IMPORT-SOURCE', 'OFF'], ['CONFIG', 'SET', 'import-mode', 'no']];

describe('import mode', () => {
  test('CLIENT IMPORT-SOURCE needs import mode to turn on, can always turn off, and shows as flag I', () =>
    d.check([
      ['CONFIG', 'SET', 'import-mode', 'no'], ['CLIENT', 'IMPORT-SOURCE', 'ON'], ['CLIENT', 'IMPORT-SOURCE', 'off'],
      ['CLIENT', 'IMPORT-SOURCE', 'maybe'], ['CONFIG', 'SET', 'import-mode', 'yes'], ['CLIENT', 'IMPORT-SOURCE', 'maybe'],
      ['CLIENT', 'IMPORT-SOURCE', 'on'], ['CLIENT', 'INFO'], ['CONFIG', 'SET', 'import-mode', 'no'], ['CLIENT', 'IMPORT-SOURCE', 'OFF'],
      ['CONFIG', 'SET', 'import-mode', 'yes'], ['CLIENT', 'IMPORT-SOURCE', 'ON'], ['RESET'], ['CLIENT', 'IMPORT-SOURCE', 'OFF'], ...off,
    ].map((c) => (c[0] === 'CLIENT' && c[1] === 'INFO' ? ignore(...c) : c))));

  test('expired keys: hidden from reads, seen by the import source, kept without active expiry', () =>
    d.check([
      ['CONFIG', 'SET', 'import-mode', 'yes'], ['SET', 'foo1', '1', 'PX', '1'], sleep(20, 'SET', 'foo2', 'x', 'PX', '1'), sleep(30, 'DBSIZE'),
      ['GET', 'foo1'], ['TTL', 'foo1'], ['EXISTS', 'foo1', 'foo2'], ['DBSIZE'], ['SCAN', '0', 'COUNT', '100'], sameType('RANDOMKEY'),
      ['CLIENT', 'IMPORT-SOURCE', 'ON'], ['TTL', 'foo1'], ['PTTL', 'foo2'], ['GET', 'foo1'], ['INCR', 'foo1'], ['KEYS', '*'],
      ['SCAN', '0', 'COUNT', '100'], ['CLIENT', 'IMPORT-SOURCE', 'OFF'], ['GET', 'foo1'], ['DBSIZE'],
      // A write deletes what a read keeps.
      ['APPEND', 'foo2', 'y'], ['GET', 'foo2'], ['DBSIZE'], ...off, sleep(300, 'PING'), ['DBSIZE'],
    ]));

  test('a time in the past is kept as the expiry, negative ones included, and expires once import mode ends', () =>
    d.check([
      ['CONFIG', 'SET', 'import-mode', 'yes'], ['SET', 'foo', 'bar'], ['EXPIREAT', 'foo', '-1'], ['SET', 'foo1', 'bar'],
      ['PEXPIREAT', 'foo1', '0'], ['SET', 'foo2', 'bar'], ['EXPIRE', 'foo2', '-10'], ['DBSIZE'], ['CLIENT', 'IMPORT-SOURCE', 'ON'],
      ['PEXPIRETIME', 'foo'], ['PEXPIRETIME', 'foo1'], ['TTL', 'foo2'], ['GETEX', 'foo', 'PXAT', '1'], ['PEXPIRETIME', 'foo'], ...off,
      sleep(300, 'PING'), ['DBSIZE'],
    ]));
});
