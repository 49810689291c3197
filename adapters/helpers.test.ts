/**
 * The adapters' scopes, isolation, leak detection, targets, fake-timer clock
 * and seed printing, through real clients.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { Redis } from 'ioredis';
import { TestClient } from '../test/e2e/support/test-client.js';
import { registerValkeyDouble, workerNumber, type Hooks, type UseValkeyDoubleOptions, type ValkeyDouble } from './common.js';
import { useValkeyDouble } from './vitest/index.js';
import { parseUrl, targetFromEnv } from './targets.js';
import setupRun from './vitest/global-setup.js';
import { createServer } from '../src/index.js';

/** Hooks collected by hand, run in order by the test: a whole "file" inside one test. */
function manual() {
  const h = { beforeAll: [] as (() => unknown)[], beforeEach: [] as (() => unknown)[], afterEach: [] as (() => unknown)[], afterAll: [] as (() => unknown)[], failed: [] as (() => void)[] };
  const hooks: Hooks = {
    beforeAll: (f) => void h.beforeAll.push(f),
    beforeEach: (f) => void h.beforeEach.push(f),
    afterEach: (f) => void h.afterEach.push(f),
    afterAll: (f) => void h.afterAll.push(f),
    onTestFailed: (f) => void h.failed.push(f),
  };
  return {
    hooks,
    failed: h.failed,
    async start() { for (const f of h.beforeAll) await f(); },
    async test(body: () => Promise<void>) {
      for (const f of h.beforeEach) await f();
      await body();
      for (const f of h.afterEach) await f();
    },
    async end() { for (const f of h.afterAll) await f(); },
  };
}

async function file(opts: UseValkeyDoubleOptions): Promise<{ v: ValkeyDouble; run: ReturnType<typeof manual> }> {
  const run = manual();
  const v = registerValkeyDouble(run.hooks, opts, 'test');
  await run.start();
  return { v, run };
}

describe("scope 'worker': one server per worker, a database per worker", () => {
  const a = useValkeyDouble({ scope: 'worker' });
  const b = useValkeyDouble({ scope: 'worker' });
  const own = useValkeyDouble({ scope: 'worker', isolation: 'server' });

  test('files of a worker share its server; isolation "server" gets a fresh one', async () => {
    expect(a.port).toBe(b.port);
    expect(a.server).toBe(b.server);
    expect(own.port).not.toBe(a.port);
    expect(a.db).toBe(workerNumber() % 16);
    expect(a.db).toBeGreaterThan(0);
    expect(a.url).toBe(`redis://127.0.0.1:${a.port}/${a.db}`);
    expect(own.db).toBe(0);
  });

  test('the url selects the database; flush empties only it', async () => {
    const r = new Redis(a.url);
    const r0 = new Redis(`redis://127.0.0.1:${a.port}`);
    try {
      await r.set('k', 'mine');
      await r0.set('k', 'db0');
      expect(a.server.engine.db(a.db).size).toBe(1);
      await a.flush();
      expect(await r.get('k')).toBeNull();
      expect(await r0.get('k')).toBe('db0');
      expect(await a.openConnections()).toBe(1);
    } finally {
      r.disconnect();
      r0.disconnect();
    }
  });
});

describe('faults through the handle are cleared after each test', () => {
  const v = useValkeyDouble();
  test('a rule fires', async () => {
    v.faults.on('GET').error('LOADING').persist();
    const c = await TestClient.connect(v.port);
    expect(await c.call('GET', 'x')).toEqual({ error: 'LOADING Valkey is loading the dataset in memory' });
    c.close();
  });
  test('and is gone in the next test', async () => {
    expect(v.faults.active()).toHaveLength(0);
    const c = await TestClient.connect(v.port);
    expect(await c.call('GET', 'x')).toBeNull();
    c.close();
  });
});

describe('leak detection', () => {
  test('fails listing the connection left open, after waiting for it', async () => {
    const { v, run } = await file({ leaks: { timeoutMs: 150 } });
    const r = new Redis(v.url, { connectionName: 'forgotten' });
    await r.ping();
    const t0 = Date.now();
    await expect(run.end()).rejects.toThrow(/1 client connection was still open 150 ms after the file's tests:\n {2}id=\d+ addr=127\.0\.0\.1:\d+ name=forgotten/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    r.disconnect();
  });

  test('passes once the client closed within the wait', async () => {
    const { v, run } = await file({ leaks: { timeoutMs: 1000 } });
    const r = new Redis(v.url);
    await r.ping();
    setTimeout(() => r.disconnect(), 50);
    await expect(run.end()).resolves.toBeUndefined();
  });
});

describe("clock: 'virtual' following fake timers", () => {
  const v = useValkeyDouble({ clock: 'virtual', followFakeTimers: true });
  afterAll(() => { vi.useRealTimers(); });

  test('advancing the fake timers expires keys with the application’s timers', async () => {
    const c = await TestClient.connect(v.port);
    try {
      vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
      let appTimer = false;
      setTimeout(() => { appTimer = true; }, 1000);
      expect(await c.call('SET', 'session', 'x', 'PX', '1000')).toBe('OK');
      vi.advanceTimersByTime(1000);
      expect(appTimer).toBe(true);
      expect(await c.call('GET', 'session')).toBe('x');
      vi.advanceTimersByTime(1);
      expect(await c.call('GET', 'session')).toBeNull();
      expect(await c.call('SET', 'later', 'y', 'EX', '60')).toBe('OK');
      expect(await c.call('TTL', 'later')).toBe(60);
      vi.advanceTimersByTime(30_000);
      expect(await c.call('TTL', 'later')).toBe(30);
    } finally {
      vi.useRealTimers();
      c.close();
    }
  });
});

describe('the README fake-timers example, with ioredis and every default fake', () => {
  const valkey = useValkeyDouble({ clock: 'virtual', followFakeTimers: true });
  test('a session and its refresh timer expire together', async () => {
    vi.useFakeTimers();
    const redis = new Redis(valkey.url);
    try {
      await redis.set('session', 'abc', 'PX', 1000);
      vi.advanceTimersByTime(1000);
      expect(await redis.get('session')).toBe('abc');
      vi.advanceTimersByTime(1);
      expect(await redis.get('session')).toBeNull();
    } finally {
      vi.useRealTimers();
      redis.disconnect();
    }
  });
});

describe("scope 'run': the globalSetup's server, over the wire", () => {
  test('url from the globalSetup, flush and connections through commands, faults only in process', async () => {
    const saved = { url: process.env['VALKEY_DOUBLE_URL'], target: process.env['VALKEY_DOUBLE_RUN_TARGET'] };
    const provided: Record<string, unknown> = {};
    const stop = await setupRun({ provide: (k, val) => { provided[k] = val; } });
    try {
      expect(provided['valkeyDoubleUrl']).toBe(process.env['VALKEY_DOUBLE_URL']);
      const { v, run } = await file({ scope: 'run' });
      expect(v.target).toBe('mock');
      expect(v.port).toBe(parseUrl(String(provided['valkeyDoubleUrl'])).port);
      expect(() => v.faults).toThrow(/needs the mock in this process.*DOUBLE\.FAULT/);
      const r = new Redis(v.url);
      await run.test(async () => {
        await r.set('k', 'v');
        expect(await v.openConnections()).toBe(1);
        // The run's server has the admin commands on: faults over the wire.
        await r.call('DOUBLE.FAULT', 'ADD', JSON.stringify({ command: 'GET', effect: { kind: 'error', error: 'READONLY' } }));
        await expect(r.get('k')).rejects.toThrow("READONLY You can't write against a read only replica.");
      });
      expect(await r.get('k')).toBeNull(); // flushed after the test
      r.disconnect();
      await run.end();
    } finally {
      await stop();
      if (saved.url === undefined) delete process.env['VALKEY_DOUBLE_URL'];
      else process.env['VALKEY_DOUBLE_URL'] = saved.url;
      if (saved.target === undefined) delete process.env['VALKEY_DOUBLE_RUN_TARGET'];
      else process.env['VALKEY_DOUBLE_RUN_TARGET'] = saved.target;
    }
  });

  test('without the globalSetup it says what to add', async () => {
    const saved = process.env['VALKEY_DOUBLE_URL'];
    delete process.env['VALKEY_DOUBLE_URL'];
    try {
      await expect(file({ scope: 'run' })).rejects.toThrow(/scope 'run' needs the globalSetup/);
    } finally {
      if (saved !== undefined) process.env['VALKEY_DOUBLE_URL'] = saved;
    }
  });
});

describe('VALKEY_DOUBLE_TARGET', () => {
  test('parses the switch', () => {
    expect(targetFromEnv({})).toBe('mock');
    expect(targetFromEnv({ VALKEY_DOUBLE_TARGET: 'Binary' })).toBe('binary');
    expect(() => targetFromEnv({ VALKEY_DOUBLE_TARGET: 'docker' })).toThrow(/must be one of mock, binary, url, container/);
  });

  test('url: a server already running; flush and connections over the wire; mock-only features say so', async () => {
    const other = await createServer({ requirepass: 'pw' });
    const saved = process.env['VALKEY_DOUBLE_URL'];
    process.env['VALKEY_DOUBLE_URL'] = `redis://:pw@127.0.0.1:${other.port}`;
    try {
      const { v, run } = await file({ target: 'url', leaks: { timeoutMs: 100 } });
      expect(v.target).toBe('url');
      expect(v.url).toBe(`redis://:pw@127.0.0.1:${other.port}`);
      expect(() => v.faults).toThrow('valkey-double: valkey.faults needs the mock in this process, but this file runs against a real Valkey (VALKEY_DOUBLE_TARGET=url)');
      const r = new Redis(v.url);
      await run.test(async () => {
        await r.set('k', '1');
        expect(await v.openConnections()).toBe(1);
      });
      expect(await r.get('k')).toBeNull();
      r.disconnect();
      await run.end();
      // The adapter's own connection closes too.
      for (let i = 0; i < 100 && other.connections > 0; i++) await new Promise((res) => setTimeout(res, 5));
      expect(other.connections).toBe(0);
    } finally {
      if (saved === undefined) delete process.env['VALKEY_DOUBLE_URL'];
      else process.env['VALKEY_DOUBLE_URL'] = saved;
      await other.close();
    }
  });

  const oracle = join(homedir(), '.cache/valkey-double/9.1.2/valkey-server');
  test.skipIf(!existsSync(oracle))('binary: the same file runs against a real Valkey; mock-only features say so', async () => {
    const saved = process.env['VALKEY_DOUBLE_BINARY'];
    process.env['VALKEY_DOUBLE_BINARY'] = oracle;
    try {
      const { v, run } = await file({ target: 'binary', scope: 'worker', isolation: 'server' });
      expect(v.target).toBe('binary');
      expect(() => v.server).toThrow('valkey-double: valkey.server needs the mock in this process, but this file runs against a real Valkey (VALKEY_DOUBLE_TARGET=binary)');
      expect(() => v.clock).toThrow(/valkey\.clock needs the mock/);
      const r = new Redis(v.url);
      await run.test(async () => {
        expect(String(await r.info('server'))).toMatch(/valkey_version:9\.1\.2/);
        await r.set('k', '1');
      });
      expect(await r.get('k')).toBeNull();
      r.disconnect();
      await run.end();
    } finally {
      if (saved === undefined) delete process.env['VALKEY_DOUBLE_BINARY'];
      else process.env['VALKEY_DOUBLE_BINARY'] = saved;
    }
  });
});

describe('a failing test with probabilistic faults prints the seed', () => {
  test('onTestFailed prints the replay line', async () => {
    const { v, run } = await file({ faults: { seed: 1234 } });
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await run.test(async () => {
        v.faults.on('PING', { probability: 0.5 }).drop().persist();
        const c = await TestClient.connect(v.port);
        c.write('*1\r\n$4\r\nPING\r\n');
        await new Promise((r) => setTimeout(r, 20));
        c.close();
        for (const f of run.failed) f();
      });
      expect(err).toHaveBeenCalledWith('valkey-double faults seed 1234: replay with VALKEY_DOUBLE_SEED=1234');
    } finally {
      err.mockRestore();
      await run.end();
    }
  });
});

describe('a real vitest run with the globalSetup (adapters/fixtures/run-scope)', () => {
  test('two files in two workers share the run server, each in its own database, with a server per worker too', async () => {
    const { execFile } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const root = fileURLToPath(new URL('..', import.meta.url));
    const out = await new Promise<{ code: number; text: string }>((resolve) => {
      execFile(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'adapters/fixtures/run-scope/vitest.config.ts'], {
        cwd: root, env: { ...process.env, VALKEY_DOUBLE_URL: '', VALKEY_DOUBLE_TARGET: '' }, timeout: 90_000,
      }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, text: stdout + stderr }));
    });
    expect(out.code, out.text).toBe(0);
    const lines = [...out.text.matchAll(/RUN-SCOPE (a|b) db=(\d+) port=(\d+) worker-port=(\d+)/g)].map((m) => ({ file: m[1], db: m[2], port: m[3], worker: m[4] }));
    expect(lines.map((l) => l.file).sort()).toEqual(['a', 'b']);
    expect(lines[0]!.port).toBe(lines[1]!.port);
    expect(lines[0]!.db).not.toBe(lines[1]!.db);
    expect(lines[0]!.worker).not.toBe(lines[1]!.worker);
    expect(lines[0]!.worker).not.toBe(lines[0]!.port);
  }, 100_000);
});
