import { describe, test } from 'vitest';
import { raw, useDifferential } from './harness.js';

describe('smoke: dispatch gates and protocol', () => {
  const d = useDifferential();
  test('PING, ECHO, unknown command, arity', () =>
    d.check([
      ['PING'], ['PING', 'hello'], ['ECHO', 'x\r\ny'], ['ECHO'],
      ['NOSUCHCMD', 'a', 'b'], ['nosuch'], ['GET'], ['GET', 'a', 'b'],
      ['CLIENT', 'NOSUCH'], ['CONFIG', 'xyz', 'a'],
    ]));
  test('unknown command args are truncated at 128 chars', () =>
    d.check([['FOO', 'a'.repeat(200)], ['FOO', ...Array.from({ length: 30 }, (_, i) => 'arg' + i)]]));
  test('inline commands and pipelines', () =>
    d.check([raw('PING\r\n'), raw('ECHO "a b" \'c d\'\r\nPING\r\n', 2), raw('\r\n\r\nPING\n'), raw('*0\r\n*-1\r\nPING\r\n')]));
  test('protocol errors close the connection', () => d.check([raw('*1\r\n$4\r\nPING\r\n*2\r\nfoo\r\n', 0)]));
  test('unbalanced quotes', () => d.check([raw('ECHO "abc\r\n', 0)]));
  test('bad bulk length', () => d.check([raw('*1\r\n$-5\r\n', 0)]));
  test('bad multibulk length', () => d.check([raw('*abc\r\n', 0)]));
});
