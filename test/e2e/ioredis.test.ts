/**
 * ioredis (RESP2 and RESP3: ioredis 6 speaks both and defaults to 3) and
 * iovalkey (RESP2 only: it has no protocol option, and sends no CLIENT SETINFO) against valkey-double,
 * and against a real Valkey 9 with the same expectations.
 */
import { Redis } from 'ioredis';
import { Redis as IoValkey } from 'iovalkey';
import { createRequire } from 'node:module';
import { defineIoredisSuite } from './support/ioredis-suite.js';

const require = createRequire(import.meta.url);
const version = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version;

defineIoredisSuite({ label: 'ioredis', Redis, protocols: [2, 3], libName: 'ioredis', libVer: version('ioredis') });
defineIoredisSuite({
  label: 'iovalkey',
  Redis: IoValkey as unknown as typeof Redis,
  protocols: [undefined],
  // iovalkey 0.4 sends no CLIENT SETINFO.
  libName: '',
  libVer: '',
});
