import { describe, test } from 'vitest';
import { useDifferential } from './harness.js';

// The option grammar SCAN, HSCAN, SSCAN and ZSCAN share (src/engine/scan.ts).
describe('SCAN-family options', () => {
  const d = useDifferential();
  const setup = [
    ['SET', 's', 'v'], ['HSET', 'h', 'f', 'v'], ['SADD', 'set', 'a'], ['ZADD', 'z', '1', 'm'],
  ];
  const scanners: [string, string | null][] = [['SCAN', null], ['HSCAN', 'h'], ['SSCAN', 'set'], ['ZSCAN', 'z']];

  test('every scanner: COUNT and MATCH forms, C-string option names, and the errors', () =>
    d.check([
      ...setup,
      ...scanners.flatMap(([cmd, key]) => {
        const head = key === null ? [cmd, '0'] : [cmd, key, '0'];
        return [
          [...head, 'COUNT', '100'], [...head, 'count\0junk', '100'], [...head, 'MATCH', '*'], [...head, 'match', 'x*'],
          [...head, 'COUNT', '0'], [...head, 'COUNT', '-1'], [...head, 'COUNT', 'x'], [...head, 'COUNT'],
          [...head, 'MATCH'], [...head, 'TYPE', 'string'], [...head, 'TYPE', 'nosuch'], [...head, 'NOVALUES'],
          [...head, 'NOSCORES'], [...head, 'bogus'], [...head, 'COUNT', '10', 'MATCH', 'a', 'extra'],
        ];
      }),
    ]));

  test('options are not parsed when the scanned key does not exist', () =>
    d.check([['HSCAN', 'nokey', '0', 'bogus'], ['SSCAN', 'nokey', '0', 'COUNT', '0'], ['ZSCAN', 'nokey', '0', 'NOVALUES']]));
});

// Valkey compares option names with strcasecmp: a NUL byte ends the name.
describe('option names are C strings', () => {
  const d = useDifferential();
  test('a NUL byte ends an option name', () =>
    d.check([
      ['SET', 'k', 'v'], ['EXPIRE', 'k', '100', 'NX\0junk'], ['EXPIRE', 'k', '100', 'nx\0'], ['TTL', 'k'],
      ['RPUSH', 'l', 'a', 'b', 'a'], ['LPOS', 'l', 'a', 'RANK\0x', '2'], ['LPOS', 'l', 'a', 'rank\0', '-1'],
      ['FLUSHDB', 'ASYNC\0x'], ['DBSIZE'],
    ]));
});
