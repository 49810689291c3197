/** iovalkey (0.4, an ioredis fork): RESP2 only (it has no protocol option). Same adapter as ioredis. */
import { makeIoredisDriver } from './ioredis.js';
import type { Driver } from './driver.js';

export function iovalkeyDriver(): Driver {
  return makeIoredisDriver('iovalkey', 'iovalkey', [2], false);
}
