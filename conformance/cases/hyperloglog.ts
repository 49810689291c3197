/** Example cases: HyperLogLog. Every reply recorded from Valkey 9.1.2 (conformance/record.ts) and reviewed. */
import { group } from './case.js';
import { ok, simple, err } from '../expect.js';

const { cases, example } = group('hyperloglog');
const notHll = err('WRONGTYPE Key is not a valid HyperLogLog string value.');

example(['pfadd', 'pfcount'], 'PFADD and PFCOUNT', [
  [['PFADD', 'h', 'a', 'b', 'c'], 1],
  [['PFADD', 'h', 'a'], 0],
  [['PFADD', 'h'], 0],
  [['PFADD', 'e'], 1],
  [['PFCOUNT', 'h'], 3],
  [['PFCOUNT', 'e'], 0],
  [['PFCOUNT', 'missing'], 0],
  [['PFCOUNT', 'h', 'missing'], 3],
  [['SET', 's', 'v'], ok],
  [['PFADD', 's', 'a'], notHll],
  [['PFCOUNT', 's'], notHll],
]);
example('pfmerge', 'PFMERGE', [
  [['PFADD', 'a', '1', '2', '3'], 1],
  [['PFADD', 'b', '3', '4'], 1],
  [['PFMERGE', 'd', 'a', 'b'], ok],
  [['PFCOUNT', 'd'], 4],
  [['PFMERGE', 'd'], ok],
  [['PFMERGE', 'n', 'missing'], ok],
  [['EXISTS', 'n'], 1],
  [['PFCOUNT', 'n'], 0],
  [['SET', 's', 'v'], ok],
  [['PFMERGE', 'd', 's'], notHll],
]);
example(['pfadd', 'pfdebug'], 'The HyperLogLog representation is a string', [
  [['PFADD', 'h', 'a'], 1],
  [['TYPE', 'h'], simple('string')],
  [['GET', 'h'], 'HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80q\xa6\x84NW'],
  [['PFDEBUG', 'ENCODING', 'h'], simple('sparse')],
  [['PFDEBUG', 'NOSUCH', 'h'], err('ERR Unknown PFDEBUG subcommand \'NOSUCH\'')],
  [['PFDEBUG', 'GETREG', 'missing'], err('ERR The specified key does not exist')],
]);

example('pfselftest', 'PFSELFTEST', [
  [['PFSELFTEST'], ok],
]);

export default cases;
