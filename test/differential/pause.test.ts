/** CLIENT PAUSE against the oracle: postponed writers, readers that go on, errors, INFO. */
import { describe, test } from 'vitest';
import { useDifferential } from './harness.js';
import { clients } from './multi-client.js';

const d = useDifferential();

describe('CLIENT PAUSE', () => {
  test('WRITE: writers wait in order, readers and bad commands answer, UNPAUSE releases', () => clients(d, [
    ['a', 'CLIENT', 'PAUSE', '10000', 'WRITE'],
    { bg: 'b', cmd: ['RPUSH', 'l', 'b'] }, { bg: 'c', cmd: ['RPUSH', 'l', 'c'] },
    { pending: 'b' }, ['a', 'GET', 'l'], ['a', 'LRANGE', 'l', '0', '-1'], ['d', 'SET', 'k'], ['d', 'CLIENT', 'PAUSE', 'x'],
    ['d', 'CLIENT', 'PAUSE', '-1'], ['d', 'CLIENT', 'PAUSE', '10', 'NEVER'],
    ['a', 'CLIENT', 'UNPAUSE'], { wait: 'b' }, { wait: 'c' }, ['a', 'LRANGE', 'l', '0', '-1'],
  ]));

  test('a pause ends by itself; MULTI with writes waits at EXEC, reads do not', () => clients(d, [
    ['b', 'MULTI'], ['b', 'SET', 'x', '1'],
    ['a', 'CLIENT', 'PAUSE', '300', 'WRITE'],
    ['c', 'MULTI'], ['c', 'GET', 'x'], ['c', 'EXEC'],
    { bg: 'b', cmd: ['EXEC'] }, { pending: 'b' }, { sleep: 400 }, { wait: 'b' }, ['c', 'GET', 'x'],
  ]));

  test('ALL pauses reads too', () => clients(d, [
    ['a', 'SET', 'k', 'v'], ['a', 'CLIENT', 'PAUSE', '200', 'ALL'],
    { bg: 'b', cmd: ['GET', 'k'] }, { pending: 'b' }, { sleep: 300 }, { wait: 'b' },
  ]));
});
