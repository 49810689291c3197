import { afterEach, expect, test } from 'vitest';
import { Redis } from 'ioredis';
import { createServer, type ValkeyServer } from '../index.js';

let server: ValkeyServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('flushAll() empties every database, and a client WATCHing a key sees it change (EXEC fails)', async () => {
  server = await createServer({ port: 0 });
  const r = new Redis(server.url, { protocol: 2 });
  try {
    await r.set('k', 'v');
    await r.select(3);
    await r.set('other', 'v');
    await r.select(0);
    await r.watch('k');
    server.flushAll();
    expect(await r.multi().get('k').exec()).toBeNull();
    expect(await r.dbsize()).toBe(0);
    await r.select(3);
    expect(await r.dbsize()).toBe(0);
  } finally {
    r.disconnect();
  }
});
