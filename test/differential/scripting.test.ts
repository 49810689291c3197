/**
 * Differential tests of the scripting group against a real Valkey 9.1.2.
 * So far only FUNCTION FLUSH with no library loaded (Valkey's test suite
 * sends it before every unit file).
 */
import { describe, test } from 'vitest';
import { useDifferential } from './harness.js';

const d = useDifferential();

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
