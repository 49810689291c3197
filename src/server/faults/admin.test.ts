/**
 * The DOUBLE.* admin commands: off by default (Valkey's unknown-command
 * error), invisible to COMMAND when on, and driving the same fault rules.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Redis } from 'ioredis';
import { createServer, RemoteFaults, type ValkeyServer, type VirtualClock } from '../../index.js';
import { TestClient } from '../../../test/e2e/support/test-client.js';

describe('admin commands off (the default)', () => {
  let server: ValkeyServer;
  let r: Redis;
  beforeAll(async () => {
    server = await createServer();
    r = new Redis(server.port, { maxRetriesPerRequest: 0 });
  });
  afterAll(async () => {
    r.disconnect();
    await server.close();
  });

  test('the engine answers with Valkey’s unknown-command error, and no rule is added', async () => {
    // Valkey 9.1.2 answers an unknown command this way (processCommand, server.c).
    await expect(r.call('DOUBLE.FAULT', 'ADD', '{"effect":{"kind":"drop"}}')).rejects.toThrow(
      "ERR unknown command 'DOUBLE.FAULT', with args beginning with: 'ADD' '{\"effect\":{\"kind\":\"drop\"}}' ",
    );
    expect(server.faults.active()).toHaveLength(0);
    expect(await r.ping()).toBe('PONG');
  });
});

describe('admin commands on', () => {
  let server: ValkeyServer<VirtualClock>;
  let plain: ValkeyServer;
  let admin: Redis;
  let app: Redis;
  beforeAll(async () => {
    server = await createServer({ clock: 'virtual', faults: { admin: true, seed: 5 } });
    plain = await createServer();
    admin = new Redis(server.port, { maxRetriesPerRequest: 0 });
    app = new Redis(server.port, { maxRetriesPerRequest: 0, connectionName: 'app' });
  });
  afterAll(async () => {
    admin.disconnect();
    app.disconnect();
    await Promise.all([server.close(), plain.close()]);
  });

  test('COMMAND and the command table do not see them', async () => {
    const p = new Redis(plain.port);
    try {
      expect(await admin.call('COMMAND', 'COUNT')).toBe(await p.call('COMMAND', 'COUNT'));
      expect(await admin.call('COMMAND', 'INFO', 'double.fault')).toEqual([null]);
      const names = (await admin.call('COMMAND', 'LIST')) as string[];
      expect(names.some((n) => n.startsWith('double.'))).toBe(false);
      await expect(admin.call('COMMAND', 'GETKEYS', 'DOUBLE.FAULT', 'LIST')).rejects.toThrow('ERR Invalid command specified');
    } finally {
      p.disconnect();
    }
  });

  test('ADD a rule as JSON; another client sees it; LIST, FIRED, PENDING', async () => {
    const id = (await admin.call('DOUBLE.FAULT', 'ADD', JSON.stringify({
      command: 'GET', key: 'user:*', client: { name: 'app' }, effect: { kind: 'error', error: 'LOADING' }, times: 2,
    }))) as number;
    expect(id).toBeGreaterThan(0);
    const list = JSON.parse((await admin.call('DOUBLE.FAULT', 'LIST')) as string) as { id: number; effect: string; fired: number }[];
    expect(list).toEqual([expect.objectContaining({ id, effect: 'error', fired: 0 })]);
    expect(await admin.get('user:1')).toBeNull(); // not named app
    await expect(app.get('user:1')).rejects.toThrow('LOADING Valkey is loading the dataset in memory');
    const pending = JSON.parse((await admin.call('DOUBLE.FAULT', 'PENDING')) as string) as { id: number }[];
    expect(pending.map((p) => p.id)).toEqual([id]);
    await expect(app.get('user:2')).rejects.toThrow('LOADING');
    expect(await app.get('user:3')).toBeNull();
    expect(JSON.parse((await admin.call('DOUBLE.FAULT', 'PENDING')) as string)).toEqual([]);
    const fired = JSON.parse((await admin.call('DOUBLE.FAULT', 'FIRED', '2')) as string) as { id: number; command: string }[];
    expect(fired.map((f) => [f.id, f.command])).toEqual([[id, 'get'], [id, 'get']]);
  });

  test('the admin commands themselves are never faulted nor recorded', async () => {
    await admin.call('DOUBLE.FAULT', 'RESET');
    await admin.call('DOUBLE.FAULT', 'ADD', JSON.stringify({ effect: { kind: 'error', error: 'ERR everything' }, persist: true }));
    await expect(admin.ping()).rejects.toThrow('ERR everything');
    expect(await admin.call('DOUBLE.FAULT', 'CLEAR')).toBe(1);
    expect(await admin.ping()).toBe('PONG');
    const h = JSON.parse((await admin.call('DOUBLE.FAULT', 'HISTORY')) as string) as { command: string }[];
    expect(h.map((c) => c.command)).toEqual(['ping', 'ping']);
  });

  test('hang over the wire, RELEASE by id', async () => {
    const id = (await admin.call('DOUBLE.FAULT', 'ADD', JSON.stringify({ command: 'INCR', effect: { kind: 'hang' } }))) as number;
    let v: unknown;
    const p = app.incr('n').then((x) => { v = x; });
    await new Promise((r) => setTimeout(r, 40));
    expect(v).toBeUndefined();
    expect(await admin.call('DOUBLE.FAULT', 'RELEASE', String(id))).toBe(1);
    await p;
    expect(v).toBe(1);
  });

  test('a regex matcher in JSON, a delay on the server clock, DOUBLE.CLOCK ADVANCE', async () => {
    await admin.call('DOUBLE.FAULT', 'ADD', JSON.stringify({
      command: { regex: '^s(et|add)$' }, effect: { kind: 'pass' }, delay: { ms: 1000, clock: 'server' }, times: 1,
    }));
    let done = false;
    const p = app.sadd('s', 'a').then(() => { done = true; });
    await new Promise((r) => setTimeout(r, 30));
    expect(done).toBe(false);
    const now = (await admin.call('DOUBLE.CLOCK', 'NOW')) as number;
    expect(await admin.call('DOUBLE.CLOCK', 'ADVANCE', '1000')).toBe(now + 1000);
    await p;
    expect(done).toBe(true);
  });

  test('SEED, PUSH, REFUSE, bad input', async () => {
    expect(await admin.call('DOUBLE.FAULT', 'SEED')).toBe(5);
    expect(await admin.call('DOUBLE.FAULT', 'SEED', '77')).toBe('OK');
    expect(server.faults.seed).toBe(77);
    expect(await admin.call('DOUBLE.FAULT', 'PUSH', '["message","c","m"]', '{"client":{"name":"nobody"}}')).toBe(0);
    const rid = (await admin.call('DOUBLE.FAULT', 'REFUSE')) as number;
    expect(server.faults.active().map((s) => s.id)).toContain(rid);
    expect(await admin.call('DOUBLE.FAULT', 'CLEAR', String(rid))).toBe(1);
    await expect(admin.call('DOUBLE.FAULT', 'ADD', '{not json')).rejects.toThrow(/^ERR /);
    await expect(admin.call('DOUBLE.FAULT', 'ADD', '{"effect":{"kind":"nope"}}')).rejects.toThrow('ERR unknown fault effect "nope"');
    await expect(admin.call('DOUBLE.FAULT', 'BOGUS')).rejects.toThrow("ERR unknown subcommand 'BOGUS'. Try DOUBLE.FAULT HELP.");
    await expect(admin.call('DOUBLE.FAULT', 'RELEASE', 'x')).rejects.toThrow('ERR the rule id must be an integer');
    expect(((await admin.call('DOUBLE.FAULT', 'HELP')) as string[])[0]).toMatch(/^DOUBLE.FAULT <subcommand>/);
  });

  test('malformed rules get an error; the server stays up and adds nothing', async () => {
    await admin.call('DOUBLE.FAULT', 'RESET');
    const bad = [
      { command: 5, effect: { kind: 'drop' } },
      { key: { regex: '(' }, effect: { kind: 'drop' } },
      { effect: { kind: 'reply', raw: 5 } },
      { effect: { kind: 'error' } },
      { effect: { kind: 'redirect', host: 'h' } },
      { effect: { kind: 'split', chunks: 'a' } },
      { effect: { kind: 'pass' }, delay: 1e12 },
      { effect: { kind: 'drop' }, nth: -1 },
      { effect: { kind: 'push', push: 3 } },
    ];
    for (const rule of bad) await expect(admin.call('DOUBLE.FAULT', 'ADD', JSON.stringify(rule))).rejects.toThrow(/^ERR /);
    expect(server.faults.active()).toHaveLength(0);
    expect(await app.ping()).toBe('PONG');
  });
});

describe('admin commands with requirepass', () => {
  test('need an authenticated connection', async () => {
    const s = await createServer({ requirepass: 'pw', faults: { admin: true } });
    const c = await TestClient.connect(s.port);
    try {
      expect(await c.call('DOUBLE.FAULT', 'LIST')).toEqual({ error: 'NOAUTH Authentication required.' });
      expect(await c.call('AUTH', 'pw')).toBe('OK');
      expect(await c.call('DOUBLE.FAULT', 'LIST')).toBe('[]');
    } finally {
      c.close();
      await s.close();
    }
  });
});

describe('RemoteFaults: the same rules from another process', () => {
  test('add, fire, records, pending, a timed pause, the clock', async () => {
    const s = await createServer({ clock: 'virtual', requirepass: 'pw', faults: { admin: true, seed: 9 } });
    const remote = await RemoteFaults.connect(`redis://:pw@127.0.0.1:${s.port}`);
    const app = new Redis({ port: s.port, password: 'pw', maxRetriesPerRequest: 0 });
    try {
      const id = await remote.add({ command: 'GET', nth: 2, effect: { kind: 'error', error: 'TRYAGAIN' } });
      await expect(remote.assertNoPendingFaults()).rejects.toThrow(/1 fault is pending:\n {2}#\d+ error \[command=GET nth=2\] fired 0\/1\n\(valkey-double faults seed 9/);
      expect(await app.get('a')).toBeNull();
      await expect(app.get('a')).rejects.toThrow('TRYAGAIN Multiple keys request during rehashing of slot');
      await remote.assertNoPendingFaults();
      expect((await remote.fired()).map((f) => [f.id, f.effect, f.executed])).toEqual([[id, 'error', false]]);
      expect((await remote.history(2)).map((c) => c.command)).toEqual(['get', 'get']);
      const t0 = Date.now();
      await remote.pauseReads({ ms: 80 });
      expect(await app.ping()).toBe('PONG');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
      // A pause without a time: the controller's own connection is not paused, so it can release it.
      await remote.pauseReads();
      let pong: unknown;
      const p = app.ping().then((x) => { pong = x; });
      await new Promise((r) => setTimeout(r, 40));
      expect(pong).toBeUndefined();
      expect(await remote.release()).toBe(0);
      await p;
      expect(pong).toBe('PONG');
      const now = await remote.clockNow();
      expect(await remote.clockAdvance(500)).toBe(now + 500);
      expect(s.clock.now()).toBe(now + 500);
      await expect(remote.call('DOUBLE.FAULT', 'NOPE')).rejects.toThrow("ERR unknown subcommand 'NOPE'");
    } finally {
      remote.close();
      app.disconnect();
      await s.close();
    }
  });
});
