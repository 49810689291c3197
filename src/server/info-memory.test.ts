/**
 * INFO memory over a server: used_memory_rss is the process's resident set
 * (not a multiple of the estimate), used_memory the documented estimate
 * (src/engine/eviction.ts: startup + connections + each key's MEMORY USAGE).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RawClient } from '../../conformance/targets/raw-client.js';
import { createServer, type ValkeyServer } from './index.js';

let server: ValkeyServer;
beforeAll(async () => {
  server = await createServer({ port: 0 });
});
afterAll(() => server.close());

const field = (info: string, name: string): number => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)![1]);

test("used_memory_rss is the process's RSS; used_memory the estimate, which grows with the data", async () => {
  const c = await RawClient.connect(server.port);
  try {
    const before = (await c.send(['INFO', 'memory'])).raw;
    const rss = process.memoryUsage.rss();
    expect(Math.abs(field(before, 'used_memory_rss') - rss) / rss).toBeLessThan(0.2);
    for (let i = 0; i < 200; i++) await c.send(['SET', `key:${i}`, 'x'.repeat(100)]);
    const after = (await c.send(['INFO', 'memory'])).raw;
    expect(field(after, 'used_memory') - field(before, 'used_memory')).toBeGreaterThan(200 * 100);
    expect(field(after, 'used_memory_rss')).not.toBe(Math.round(field(after, 'used_memory') * 7.5));
  } finally {
    c.close();
  }
});
