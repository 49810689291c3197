/**
 * Every fault as a client sees it: ioredis, iovalkey and node-redis against
 * a server with fault rules, plus raw sockets where the bytes matter.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { Redis } from 'ioredis';
import { Valkey as IoValkey } from 'iovalkey';
import { createClient } from 'redis';
import { createServer, FAULT_ERRORS, Faults, keyHashSlot, PendingFaultsError, R, type ValkeyServer, type VirtualClock } from '../../index.js';

let server: ValkeyServer<VirtualClock>;
const closers: (() => unknown)[] = [];

beforeAll(async () => {
  server = await createServer({ clock: 'virtual', faults: { seed: 42 } });
});
afterEach(async () => {
  server.faults.reset();
  for (const c of closers.splice(0)) await c();
  server.flushAll();
});
afterAll(() => server.close());

/** ioredis that never retries or reconnects: each fault shows as it happens. */
async function ioredis(opts: { name?: string; commandTimeout?: number } = {}): Promise<Redis> {
  const r = new Redis({
    port: server.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null,
    autoResendUnfulfilledCommands: false, enableOfflineQueue: false,
    ...(opts.name ? { connectionName: opts.name } : {}),
    ...(opts.commandTimeout ? { commandTimeout: opts.commandTimeout } : {}),
  });
  r.on('error', () => {});
  await r.connect();
  closers.push(() => r.disconnect());
  return r;
}

/** A raw socket that collects every chunk it receives. */
async function raw(): Promise<{ sock: Socket; chunks: Buffer[]; text: () => string; closed: Promise<void>; send: (...a: string[]) => void }> {
  const sock = netConnect(server.port, '127.0.0.1');
  await new Promise<void>((r, j) => { sock.once('connect', r); sock.once('error', j); });
  sock.setNoDelay(true);
  const chunks: Buffer[] = [];
  sock.on('data', (c: Buffer) => chunks.push(c));
  sock.on('error', () => {});
  const closed = new Promise<void>((r) => sock.once('close', () => r()));
  closers.push(() => sock.destroy());
  return {
    sock, chunks, closed,
    text: () => Buffer.concat(chunks).toString('latin1'),
    send: (...a: string[]) => sock.write(`*${a.length}\r\n${a.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join('')}`),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(f: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await sleep(5);
  }
}

describe('error replies', () => {
  test('ready-made errors reach the client with Valkey’s texts; the command does not run', async () => {
    const r = await ioredis();
    for (const name of ['LOADING', 'BUSY', 'READONLY', 'MASTERDOWN', 'OOM', 'TRYAGAIN', 'CLUSTERDOWN', 'NOAUTH'] as const) {
      server.faults.on('SET').error(name);
      await expect(r.set('k', name)).rejects.toThrow(FAULT_ERRORS[name]);
    }
    expect(await r.get('k')).toBeNull();
    expect(FAULT_ERRORS.LOADING).toBe('LOADING Valkey is loading the dataset in memory');
    expect(FAULT_ERRORS.READONLY).toBe("READONLY You can't write against a read only replica.");
  });

  test('any text, times(2): the third call is served', async () => {
    const r = await ioredis();
    server.faults.on('get').error('ERR boom').times(2);
    await expect(r.get('a')).rejects.toThrow(/^ERR boom$/);
    await expect(r.get('a')).rejects.toThrow(/^ERR boom$/);
    expect(await r.get('a')).toBeNull();
  });

  test('MOVED and ASK name the slot of the first key, or the one given', async () => {
    const r = await ioredis();
    server.faults.on('GET').moved({ host: '10.0.0.7', port: 7001 });
    // CLUSTER KEYSLOT user:1 is 10778 on Valkey 9.1.2.
    await expect(r.get('user:1')).rejects.toThrow('MOVED 10778 10.0.0.7:7001');
    server.faults.on('GET').ask({ host: '10.0.0.8', port: 7002, slot: 42 });
    await expect(r.get('user:1')).rejects.toThrow('ASK 42 10.0.0.8:7002');
  });

  test('the slot is CLUSTER KEYSLOT’s, hash tags included', () => {
    // Asked of Valkey 9.1.2 (CLUSTER KEYSLOT); for "foo{}{bar}" (an empty tag) Valkey hashes the whole key.
    const oracle: [string, number][] = [
      ['', 0], ['a', 15495], ['foo', 12182], ['{user1000}.following', 3443], ['foo{}{bar}', 8363], ['foo{{bar}}zap', 4015],
      ['{}', 15257], ['x'.repeat(300), 11216],
    ];
    for (const [k, slot] of oracle) expect(keyHashSlot(k)).toBe(slot);
    expect(keyHashSlot('user:{foo}:name')).toBe(keyHashSlot('foo'));
  });

  test('reply() answers anything; raw bytes go out as they are', async () => {
    const r = await ioredis();
    server.faults.on('GET').reply(R.bulk('from the fault'));
    expect(await r.get('x')).toBe('from the fault');
    server.faults.on('GET').reply(':7\r\n');
    expect(await r.get('x')).toBe(7);
  });
});

describe('delays', () => {
  test('a real delay beyond the client’s timeout; later commands wait behind it', async () => {
    const r = await ioredis({ commandTimeout: 60 });
    server.faults.on('SET').delay(200);
    const t0 = Date.now();
    await expect(r.set('k', 'v')).rejects.toThrow(/timed out/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
    // The GET sent while the SET is held waits behind it (run at once, it would answer null), so it times out too.
    expect(await r.get('k').catch((e: Error) => e.message)).toMatch(/timed out/);
    await sleep(220);
    const r2 = await ioredis();
    expect(await r2.get('k')).toBe('v');
  });

  test('on the server clock, the reply comes when the clock is advanced', async () => {
    const r = await ioredis();
    server.faults.on('INCR').delay(5000, { clock: 'server' });
    let done = false;
    const p = r.incr('n').then((v) => { done = true; return v; });
    await sleep(60);
    expect(done).toBe(false);
    server.clock.advance(4999);
    await sleep(20);
    expect(done).toBe(false);
    server.clock.advance(1);
    expect(await p).toBe(1);
  });

  test('delay() on any effect: the error comes late', async () => {
    const r = await ioredis();
    server.faults.on('GET').error('TRYAGAIN').delay(80);
    const t0 = Date.now();
    await expect(r.get('a')).rejects.toThrow(FAULT_ERRORS.TRYAGAIN);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(75);
  });
});

describe('lost replies and closed connections', () => {
  test('drop(): the command runs, its reply never comes', async () => {
    const r = await ioredis({ commandTimeout: 80 });
    server.faults.on('SET').drop();
    await expect(r.set('k', 'ran')).rejects.toThrow(/timed out/);
    const other = await ioredis();
    expect(await other.get('k')).toBe('ran');
    expect(server.faults.fired()[0]).toMatchObject({ effect: 'drop', executed: true, command: 'set' });
  });

  test('close before: the command never ran; close after: it ran, the reply is lost', async () => {
    const other = await ioredis();
    const a = await ioredis();
    server.faults.on('SET', { key: 'before' }).close({ when: 'before' });
    await expect(a.set('before', '1')).rejects.toThrow(/Connection is closed|closed/i);
    expect(await other.exists('before')).toBe(0);

    const b = await ioredis();
    server.faults.on('SET', { key: 'after' }).close({ when: 'after' });
    await expect(b.set('after', '1')).rejects.toThrow(/Connection is closed|closed/i);
    expect(await other.get('after')).toBe('1');
    const f = server.faults.fired();
    expect(f.map((x) => [x.effect, x.executed])).toEqual([['close', false], ['close', true]]);
  });

  test('close mid-pipeline: the replies before the fault arrive, none after', async () => {
    const c = await raw();
    server.faults.on('INCR', { nth: 2 }).close({ when: 'before' });
    c.send('INCR', 'n');
    c.send('INCR', 'n');
    c.send('INCR', 'n');
    await c.closed;
    expect(c.text()).toBe(':1\r\n');
    const other = await ioredis();
    expect(await other.get('n')).toBe('1');
  });

  test('reset closes with an RST', async () => {
    const c = await raw();
    let err = '';
    c.sock.on('error', (e: NodeJS.ErrnoException) => { err = e.code ?? ''; });
    server.faults.on('PING').close({ how: 'reset' });
    c.send('PING');
    await c.closed;
    expect(err).toBe('ECONNRESET');
  });

  test('hang(): no reply until release(); the pipeline behind it waits, in order', async () => {
    const r = await ioredis();
    const hung = server.faults.on('GET').hang();
    const got: string[] = [];
    const p1 = r.get('a').then(() => got.push('get'));
    const p2 = r.incr('b').then(() => got.push('incr'));
    await sleep(50);
    expect(got).toEqual([]);
    expect(hung.release()).toBe(1);
    await Promise.all([p1, p2]);
    expect(got).toEqual(['get', 'incr']);
    expect(hung.release()).toBe(0);
  });

  test('a blocked command whose reply is dropped: BLPOP serves the push but the client never hears', async () => {
    const r = await ioredis({ commandTimeout: 150 });
    const other = await ioredis();
    server.faults.on('BLPOP').drop();
    const p = r.blpop('q', 0);
    await sleep(20);
    await other.rpush('q', 'x');
    await expect(p).rejects.toThrow(/timed out/);
    expect(await other.llen('q')).toBe(0);
  });
});

describe('half-written and slow replies', () => {
  test('split(n): the reply arrives in n chunks, and the client still reads it whole', async () => {
    const value = 'v'.repeat(90);
    const setter = await ioredis();
    await setter.set('big', value);
    const c = await raw();
    server.faults.on('GET').split(3, { intervalMs: 30 });
    const t0 = Date.now();
    c.send('GET', 'big');
    await until(() => c.text().length === 90 + 7);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
    // Written as 33 + 32 + 32 bytes, 30 ms apart: a slow reader may join pieces, never split them elsewhere.
    expect(c.chunks.length).toBeGreaterThanOrEqual(2);
    let at = 0;
    for (const b of c.chunks) {
      at += b.length;
      expect([33, 65, 97]).toContain(at);
    }
    expect(c.text()).toBe(`$90\r\n${value}\r\n`);
    server.faults.on('GET').split([1, 2], { intervalMs: 20 });
    const r = await ioredis();
    expect(await r.get('big')).toBe(value);
  });

  test('a reply written after a split one waits for it: replies never overtake', async () => {
    const c = await raw();
    server.faults.on('ECHO').split([2], { intervalMs: 60 });
    c.send('ECHO', 'first');
    c.send('PING');
    await until(() => c.text().length >= 11 + 7);
    expect(c.text()).toBe('$5\r\nfirst\r\n+PONG\r\n');
  });

  test('cut(n): n bytes of the reply, then the connection closes (the command ran)', async () => {
    const c = await raw();
    server.faults.on('SET').cut(2);
    c.send('SET', 'k', 'v');
    await c.closed;
    expect(c.text()).toBe('+O');
    const r = await ioredis();
    expect(await r.get('k')).toBe('v');
    server.faults.on('GET').cut(3);
    const r2 = await ioredis();
    await expect(r2.get('k')).rejects.toThrow(/closed/i);
  });

  test('throttle(): a 1000-byte reply at 10 kB/s takes about 100 ms, in many slices', async () => {
    const setter = await ioredis();
    await setter.set('t', 'x'.repeat(1000));
    const c = await raw();
    server.faults.on('GET').throttle(10_000);
    const t0 = Date.now();
    c.send('GET', 't');
    await until(() => c.text().length === 1000 + 9, 3000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(80);
    expect(c.chunks.length).toBeGreaterThan(1);
  });
});

describe('connections', () => {
  test('refuseConnections(): the next connection is closed at once; the one after is served', async () => {
    server.faults.refuseConnections();
    const bad = new Redis({ port: server.port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    bad.on('error', () => {});
    closers.push(() => bad.disconnect());
    await expect(bad.connect().then(() => bad.ping())).rejects.toThrow();
    const good = await ioredis();
    expect(await good.ping()).toBe('PONG');
    expect(server.faults.fired().map((f) => f.effect)).toEqual(['refuse']);
  });

  test('pauseReads(): requests wait while reads are paused and run after release', async () => {
    const r = await ioredis();
    const pause = server.faults.pauseReads();
    let v: unknown;
    const p = r.incr('p').then((x) => { v = x; });
    await sleep(60);
    expect(v).toBeUndefined();
    // A connection opened during the pause is paused too.
    const late = await raw();
    late.send('PING');
    await sleep(30);
    expect(late.text()).toBe('');
    pause.release();
    await p;
    expect(v).toBe(1);
    await until(() => late.text() === '+PONG\r\n');
    // The pause is over for good: a connection opened now is served.
    const after = await raw();
    after.send('PING');
    await until(() => after.text() === '+PONG\r\n', 500);
    expect(server.faults.active()).toHaveLength(0);
  });

  test('push(): sent now to the matching connections only (RESP3 >, RESP2 an array)', async () => {
    const a = await raw();
    const b = await raw();
    a.send('HELLO', '3');
    await until(() => a.text().includes('modules'));
    a.chunks.length = 0;
    b.send('CLIENT', 'SETNAME', 'listener');
    await until(() => b.text() === '+OK\r\n');
    b.chunks.length = 0;
    a.send('CLIENT', 'ID');
    await until(() => a.text().length > 0);
    const aId = Number(a.text().slice(1, -2));
    a.chunks.length = 0;
    const other = await ioredis({ name: 'other' });
    expect(server.faults.push(['message', 'news', 'injected'], { client: { name: 'listener' } })).toBe(1);
    await until(() => b.text().length > 0);
    expect(b.text()).toBe('*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$8\r\ninjected\r\n');
    expect(server.faults.push(['invalidate', 'k'], { client: { id: aId } })).toBe(1);
    await until(() => a.text().length > 0);
    expect(a.text()).toBe('>2\r\n$10\r\ninvalidate\r\n$1\r\nk\r\n');
    expect(await other.ping()).toBe('PONG');
  });

  test('a push in the middle of a RESP3 pipeline comes before the reply it was attached to', async () => {
    const c = await raw();
    c.send('HELLO', '3');
    await until(() => c.text().includes('modules'));
    c.chunks.length = 0;
    server.faults.on('PING', { nth: 2 }).push(['invalidate', 'k']);
    c.send('PING');
    c.send('PING');
    c.send('PING');
    await until(() => c.text().split('PONG').length === 4);
    expect(c.text()).toBe('+PONG\r\n>2\r\n$10\r\ninvalidate\r\n$1\r\nk\r\n+PONG\r\n+PONG\r\n');
  });
});

describe('matching', () => {
  test('by client name, the nth call and a key pattern found through key specs', async () => {
    const worker = await ioredis({ name: 'worker-1' });
    const web = await ioredis({ name: 'web' });
    server.faults.intercept({ command: 'MSET', key: 'user:*', client: { name: 'worker-*' }, nth: 2 }).error('OOM');
    expect(await worker.mset('a', '1', 'user:1', 'x')).toBe('OK');
    expect(await web.mset('a', '1', 'user:1', 'x')).toBe('OK');
    expect(await worker.mset('b', '1', 'c', '2')).toBe('OK'); // no user:* key: not a match
    await expect(worker.mset('b', '1', 'user:2', 'y')).rejects.toThrow(FAULT_ERRORS.OOM);
    expect(await worker.mset('b', '1', 'user:2', 'y')).toBe('OK');
  });

  test('the third EXEC only', async () => {
    const r = await ioredis();
    server.faults.on('EXEC', { nth: 3 }).error('EXECABORT Transaction discarded because of previous errors.');
    const run = () => r.multi().incr('x').exec();
    expect(await run()).toEqual([[null, 1]]);
    expect(await run()).toEqual([[null, 2]]);
    await expect(run()).rejects.toThrow(/EXECABORT/);
    // As Valkey's rejectCommand, the rejected EXEC discarded the transaction: the connection is usable.
    expect(await run()).toEqual([[null, 3]]);
  });

  test('an error on a command inside MULTI makes EXEC answer EXECABORT, as a rejected command does', async () => {
    const c = await raw();
    server.faults.on('INCR').error('OOM');
    c.send('MULTI');
    c.send('INCR', 'm');
    c.send('SET', 'z', '1');
    c.send('EXEC');
    await until(() => c.text().split('\r\n').length >= 5);
    expect(c.text()).toBe(`+OK\r\n-${FAULT_ERRORS.OOM}\r\n+QUEUED\r\n-EXECABORT Transaction discarded because of previous errors.\r\n`);
    const r = await ioredis();
    expect(await r.exists('z')).toBe(0);
  });

  test('by client id, lib-name (node-redis) and address; subcommands and globs', async () => {
    const nr = createClient({ socket: { port: server.port, host: '127.0.0.1', reconnectStrategy: false } });
    nr.on('error', () => {});
    await nr.connect();
    closers.push(() => nr.destroy());
    const io = await ioredis();
    const ioId = Number(await io.client('ID'));
    server.faults.intercept({ command: 'ECHO', client: { lib: 'node-redis*' } }).error('ERR for node-redis').persist();
    await expect(nr.echo('x')).rejects.toThrow('ERR for node-redis');
    expect(await io.echo('x')).toBe('x');
    server.faults.intercept({ command: 'client getname', client: { id: ioId } }).reply(R.bulk('faked'));
    expect(await nr.clientGetName()).toBeNull();
    expect(await io.client('GETNAME')).toBe('faked');
    const addr = String(await io.client('INFO')).match(/addr=(\S+)/)![1]!;
    server.faults.intercept({ command: 'H*', client: { addr } }).error('ERR by address');
    expect(await nr.hSet('h', 'f', 'v')).toBe(1);
    await expect(io.hget('h', 'f')).rejects.toThrow('ERR by address');
  });

  test('iovalkey sees the same faults', async () => {
    const v = new IoValkey({ port: server.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    v.on('error', () => {});
    await v.connect();
    closers.push(() => v.disconnect());
    server.faults.on('GET').error('MASTERDOWN');
    await expect(v.get('a')).rejects.toThrow(FAULT_ERRORS.MASTERDOWN);
    server.faults.on('SET').close({ when: 'after' });
    await expect(v.set('a', '1')).rejects.toThrow(/closed/i);
  });
});

describe('lifetime and records', () => {
  test('persist, until a time on the clock, clear', async () => {
    const r = await ioredis();
    const p = server.faults.on('GET').error('ERR p').persist();
    for (let i = 0; i < 3; i++) await expect(r.get('a')).rejects.toThrow('ERR p');
    p.clear();
    expect(await r.get('a')).toBeNull();
    server.faults.on('GET').error('ERR until').persist().until(server.clock.now() + 1000);
    await expect(r.get('a')).rejects.toThrow('ERR until');
    server.clock.advance(1000);
    expect(await r.get('a')).toBeNull();
    // A rule whose time ran out before it ever fired is not pending.
    server.faults.on('DEL').drop().until(server.clock.now() + 10);
    expect(server.faults.pendingFaults()).toHaveLength(1);
    server.clock.advance(10);
    expect(() => server.faults.assertNoPendingFaults()).not.toThrow();
  });

  test('assertNoPendingFaults lists what did not fire, with the seed', async () => {
    const r = await ioredis();
    server.faults.on('GET').error('ERR x').times(2);
    const never = server.faults.on('DEL').drop().persist();
    await expect(r.get('a')).rejects.toThrow();
    let e: unknown;
    try { server.faults.assertNoPendingFaults(); } catch (x) { e = x; }
    expect(e).toBeInstanceOf(PendingFaultsError);
    expect(String(e)).toMatch(/2 faults are pending:\n {2}#\d+ error \[command=GET\] fired 1\/2\n {2}#\d+ drop \[command=DEL\] fired persist/);
    expect(String(e)).toContain('VALKEY_DOUBLE_SEED=42');
    await expect(r.get('a')).rejects.toThrow();
    never.clear();
    expect(() => server.faults.assertNoPendingFaults()).not.toThrow();
  });

  test('history holds every call in order, with the fault that fired', async () => {
    const r = await ioredis({ name: 'hist' });
    server.faults.reset();
    server.faults.on('GET').error('ERR h');
    await r.set('a', '1');
    await r.get('a').catch(() => {});
    await r.client('SETNAME', 'renamed');
    const h = server.faults.history();
    expect(h.map((c) => c.command)).toEqual(['set', 'get', 'client|setname']);
    expect(h.map((c) => c.seq)).toEqual([1, 2, 3]);
    expect(h[0]!.client.name).toBe('hist');
    expect(h[1]!.fault).toMatchObject({ effect: 'error', executed: false, command: 'get' });
    expect(h[0]!.fault).toBeUndefined();
  });
});

describe('seeded probabilistic faults replay', () => {
  async function run(seed: number): Promise<(string | number)[]> {
    const s = await createServer({ faults: { seed } });
    const r = new Redis({ port: s.port, maxRetriesPerRequest: 0 });
    try {
      s.faults.intercept({ command: 'INCR', probability: 0.3 }).error('TRYAGAIN').persist();
      s.faults.intercept({ command: 'GET', probability: 0.5 }).error('LOADING').persist();
      const out: (string | number)[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await (i % 2 ? r.incr('n') : r.get('n')).catch((e: Error) => e.message.split(' ')[0]!);
        out.push(res ?? 'nil');
      }
      expect(s.faults.usedProbability).toBe(true);
      return out;
    } finally {
      r.disconnect();
      await s.close();
    }
  }

  test('the same seed and the same commands give the same faults; another seed, others', async () => {
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(a.filter((x) => x === 'TRYAGAIN').length).toBeGreaterThan(0);
    expect(a.filter((x) => x === 'LOADING').length).toBeGreaterThan(0);
  });

  test('reset(seed) replays the same run on one server', async () => {
    const r = await ioredis();
    server.faults.reset(99);
    const rule = () => server.faults.on('PING', { probability: 0.5 }).error('ERR p').persist();
    const go = async () => {
      const out: boolean[] = [];
      for (let i = 0; i < 24; i++) out.push(await r.ping().then(() => true, () => false));
      return out;
    };
    rule();
    const first = await go();
    server.faults.reset(99);
    rule();
    expect(await go()).toEqual(first);
    expect(first).toContain(true);
    expect(first).toContain(false);
  });
});

describe('validation', () => {
  test('bad rules are refused when made', () => {
    expect(() => server.faults.on('GET', { nth: 0 }).drop()).toThrow(/nth/);
    expect(() => server.faults.on('GET', { probability: 2 }).drop()).toThrow(/probability/);
    expect(() => server.faults.on('GET').cut(-1)).toThrow(/cut/);
    expect(() => server.faults.on('GET').drop().times(0)).toThrow(/times/);
    expect(() => server.faults.add({ effect: { kind: 'explode' } as never })).toThrow(/unknown fault effect/);
    expect(() => server.faults.on('GET').delay(2 ** 31)).toThrow(/delay must be from 0/);
  });

  test('a matcher that throws answers an error to that request; the server and the connection go on', async () => {
    const r = await ioredis();
    server.faults.intercept({ args: () => { throw new Error('bad predicate'); } }).drop();
    await expect(r.get('a')).rejects.toThrow('ERR valkey-double fault layer: bad predicate');
    server.faults.clear();
    expect(await r.get('a')).toBeNull();
  });
});

describe('crash and restart on the same port', () => {
  test('clients see the reset and the refusal, then reconnect; the data is kept or dropped', async () => {
    const s = await createServer();
    const port = s.port;
    const events: string[] = [];
    const r = new Redis({ port, maxRetriesPerRequest: 0, retryStrategy: () => 20, autoResendUnfulfilledCommands: false });
    r.on('error', (e: NodeJS.ErrnoException) => events.push(e.code ?? e.message));
    try {
      await r.set('k', 'v');
      await s.crash();
      expect(s.isDown).toBe(true);
      await until(() => events.includes('ECONNREFUSED'));
      expect(events[0]).toBe('ECONNRESET');
      await expect(r.get('k')).rejects.toThrow();
      let ready = new Promise((res) => r.once('ready', res));
      await s.restart();
      expect(s.port).toBe(port);
      await ready;
      expect(await r.get('k')).toBe('v');
      ready = new Promise((res) => r.once('ready', res));
      await s.restart({ flush: true });
      await ready;
      expect(await r.get('k')).toBeNull();
      expect(s.isDown).toBe(false);
    } finally {
      r.disconnect();
      await s.close();
    }
  });
});

describe('node-redis sees the faults too (RESP3)', () => {
  async function nodeRedis() {
    const c = createClient({ socket: { port: server.port, host: '127.0.0.1', reconnectStrategy: false }, RESP: 3 });
    c.on('error', () => {});
    await c.connect();
    closers.push(() => c.destroy());
    return c;
  }

  test('an error reply, a split reply, a hang released, a dropped connection', async () => {
    const c = await nodeRedis();
    server.faults.on('GET').error('CLUSTERDOWN');
    await expect(c.get('k')).rejects.toThrow(FAULT_ERRORS.CLUSTERDOWN);
    await c.hSet('h', { a: '1', b: '2' });
    server.faults.on('HGETALL').split([1, 3, 5, 7], { intervalMs: 5 });
    expect(await c.hGetAll('h')).toEqual({ a: '1', b: '2' });
    const hung = server.faults.on('INCR').hang();
    let v: unknown;
    const p = c.incr('n').then((x) => { v = x; });
    await sleep(40);
    expect(v).toBeUndefined();
    hung.release();
    await p;
    expect(v).toBe(1);
    server.faults.on('SET').close({ when: 'before' });
    await expect(c.set('k', 'v')).rejects.toThrow();
    const other = await ioredis();
    expect(await other.exists('k')).toBe(0);
  });

  test('a push before a reply reaches node-redis as a push, not as the reply', async () => {
    const c = await nodeRedis();
    server.faults.on('PING').push(['invalidate', 'k']);
    expect(await c.ping()).toBe('PONG');
    expect(await c.ping()).toBe('PONG');
  });
});

describe('one Faults shared by several servers (how cluster nodes will use it)', () => {
  test('a rule with a node matcher fires on that node only; records name the node', async () => {
    const shared = new Faults({ seed: 3 });
    const a = await createServer({ faults: shared, nodeName: 'node-a' });
    const b = await createServer({ faults: shared, nodeName: 'node-b' });
    const ra = new Redis(a.port, { maxRetriesPerRequest: 0 });
    const rb = new Redis(b.port, { maxRetriesPerRequest: 0 });
    try {
      expect(a.faults).toBe(shared);
      shared.intercept({ node: 'node-b', command: 'GET' }).error('READONLY').persist();
      expect(await ra.get('k')).toBeNull();
      await expect(rb.get('k')).rejects.toThrow(FAULT_ERRORS.READONLY);
      expect(shared.fired().map((f) => f.node)).toEqual(['node-b']);
      expect(new Set(shared.history().map((c) => c.node))).toEqual(new Set(['node-a', 'node-b']));
      // Closing one server leaves the shared rules to the other.
      ra.disconnect();
      await a.close();
      await expect(rb.get('k')).rejects.toThrow(FAULT_ERRORS.READONLY);
    } finally {
      ra.disconnect();
      rb.disconnect();
      await Promise.all([a.close(), b.close()]);
    }
  });
});
