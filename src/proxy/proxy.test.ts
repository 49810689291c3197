/**
 * The fault proxy in front of a server: valkey-double itself, and the real
 * Valkey 9 (the oracle) where one is found. The same rules must act on the
 * proxied traffic as on valkey-double's own connections.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createProxy, createServer, type FaultProxy, type ValkeyServer } from '../index.js';
import { findOracle, startOracle, type RunningOracle } from '../../conformance/targets/oracle.js';

interface Raw {
  text(): string;
  closed: Promise<void>;
  isClosed(): boolean;
  send(...a: string[]): void;
  write(s: string): void;
  close(): void;
}

async function raw(port: number): Promise<Raw> {
  const sock: Socket = netConnect(port, '127.0.0.1');
  await new Promise<void>((r, j) => { sock.once('connect', r); sock.once('error', j); });
  sock.setNoDelay(true);
  const chunks: Buffer[] = [];
  let closed = false;
  sock.on('data', (c: Buffer) => chunks.push(c));
  sock.on('error', () => {});
  const closedP = new Promise<void>((r) => sock.once('close', () => { closed = true; r(); }));
  return {
    text: () => Buffer.concat(chunks).toString('latin1'),
    closed: closedP,
    isClosed: () => closed,
    send: (...a) => void sock.write(`*${a.length}\r\n${a.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join('')}`),
    write: (s) => void sock.write(s, 'latin1'),
    close: () => sock.destroy(),
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

/** Sends commands on a fresh connection and returns the reply bytes once `expect` bytes arrived. */
async function exchange(port: number, cmds: string[][], until_: (s: string) => boolean): Promise<string> {
  const c = await raw(port);
  for (const a of cmds) c.send(...a);
  await until(() => until_(c.text()));
  c.close();
  return c.text();
}

const bin = findOracle();
const targets: { name: string; start(): Promise<{ port: number; stop(): Promise<void> }> }[] = [
  {
    name: 'valkey-double',
    async start() {
      const s: ValkeyServer = await createServer();
      return { port: s.port, stop: () => s.close() };
    },
  },
  ...(bin ? [{
    name: `valkey-server ${bin.version}`,
    async start() {
      const o: RunningOracle = await startOracle(bin);
      return { port: o.port, stop: () => o.stop() };
    },
  }] : []),
];

describe.each(targets)('the proxy in front of $name', (t) => {
  let target: { port: number; stop(): Promise<void> };
  let proxy: FaultProxy;
  const opened: Raw[] = [];
  const client = async () => {
    const c = await raw(proxy.port);
    opened.push(c);
    return c;
  };
  const direct = async (...a: string[]) => exchange(target.port, [a], (s) => s.endsWith('\r\n'));

  beforeAll(async () => {
    target = await t.start();
    proxy = await createProxy({ target: { host: '127.0.0.1', port: target.port } });
  });
  afterAll(async () => {
    await proxy.close();
    await target.stop();
  });
  afterEach(async () => {
    for (const c of opened.splice(0)) c.close();
    proxy.faults.reset();
    await direct('FLUSHALL');
  });

  test('without rules, pipelined requests get the server’s own bytes, in RESP2 and RESP3', async () => {
    const cmds = [['SET', 'k', 'v'], ['GET', 'k'], ['INCR', 'n'], ['HSET', 'h', 'f', '1'], ['HGETALL', 'h'], ['GET', 'missing'], ['SET']];
    for (const hello of [[], [['HELLO', '3']]]) {
      await direct('FLUSHALL');
      const want = await exchange(target.port, [...hello, ...cmds], (s) => s.includes('-ERR wrong number'));
      await direct('FLUSHALL');
      const got = await exchange(proxy.port, [...hello, ...cmds], (s) => s.includes('-ERR wrong number'));
      // HELLO's reply names the server's id; the rest must be byte for byte.
      expect(got.replace(/id\r\n:\d+/, '')).toBe(want.replace(/id\r\n:\d+/, ''));
    }
  });

  test('an error rule answers in place of the server; the command does not run; times(1)', async () => {
    proxy.faults.on('SET').error('LOADING');
    const c = await client();
    c.send('SET', 'k', 'v');
    c.send('SET', 'k2', 'v2');
    c.send('GET', 'k');
    await until(() => c.text().split('\r\n').length >= 4);
    expect(c.text()).toBe('-LOADING Valkey is loading the dataset in memory\r\n+OK\r\n$-1\r\n');
    expect(proxy.faults.fired().map((f) => [f.effect, f.executed, f.command])).toEqual([['error', false, 'set']]);
  });

  test('close after: the command ran on the server, the client gets no reply and a closed connection', async () => {
    proxy.faults.on('INCR', { key: 'c' }).close({ when: 'after' });
    const c = await client();
    c.send('INCR', 'c');
    await c.closed;
    expect(c.text()).toBe('');
    await until(() => proxy.faults.fired()[0]?.executed === true);
    await sleep(20);
    expect(await direct('GET', 'c')).toBe('$1\r\n1\r\n');
  });

  test('close before: the command never reaches the server', async () => {
    proxy.faults.on('INCR').close({ when: 'before' });
    const c = await client();
    c.send('INCR', 'c');
    await c.closed;
    await sleep(20);
    expect(await direct('EXISTS', 'c')).toBe(':0\r\n');
  });

  test('cut at byte N: the first N bytes of the server’s reply, then the close', async () => {
    await direct('SET', 'big', 'x'.repeat(100));
    proxy.faults.on('GET').cut(10);
    const c = await client();
    c.send('GET', 'big');
    await c.closed;
    expect(c.text()).toBe(`$100\r\n${'x'.repeat(4)}`);
  });

  test('drop: the command runs, its reply is lost, the next request is answered', async () => {
    proxy.faults.on('INCR').drop();
    const c = await client();
    c.send('INCR', 'c');
    c.send('GET', 'c');
    await until(() => c.text().length > 0);
    await sleep(20);
    expect(c.text()).toBe('$1\r\n1\r\n');
  });

  test('a delay keeps the replies in order; the nth rule fires on the nth call only', async () => {
    proxy.faults.on('ECHO', { nth: 2 }).delay(80).times(1);
    const c = await client();
    const t0 = Date.now();
    for (const s of ['a', 'b', 'c']) c.send('ECHO', s);
    await until(() => c.text() === '$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
    expect(proxy.faults.history().map((h) => h.argv[1])).toEqual(['a', 'b', 'c']);
    expect(proxy.faults.history()[1]!.fault?.effect).toBe('delay');
  });

  test('an error on a queued command fails the transaction with EXECABORT, as Valkey does; nothing runs', async () => {
    proxy.faults.on('INCR', { key: 'b' }).error('OOM');
    const c = await client();
    for (const a of [['MULTI'], ['INCR', 'a'], ['INCR', 'b'], ['EXEC'], ['GET', 'a']]) c.send(...a);
    await until(() => c.text().endsWith('$-1\r\n'));
    expect(c.text()).toBe("+OK\r\n+QUEUED\r\n-OOM command not allowed when used memory > 'maxmemory'.\r\n-EXECABORT Transaction discarded because of previous errors.\r\n$-1\r\n");
  });

  test('pub/sub passes through in RESP2 and RESP3, and a rule still lands on the right reply', async () => {
    for (const resp of ['2', '3']) {
      proxy.faults.reset();
      const sub = await client();
      sub.send('HELLO', resp);
      sub.send('SUBSCRIBE', 'ch1', 'ch2');
      await until(() => (sub.text().match(/subscribe/g) ?? []).length === 2);
      await direct('PUBLISH', 'ch1', 'hi');
      await until(() => sub.text().includes('hi'));
      proxy.faults.on('PING').error('ERR pinged');
      sub.send('PING');
      sub.send('PING');
      await until(() => sub.text().includes('pong') || sub.text().includes('PONG'));
      expect(sub.text()).toContain('-ERR pinged\r\n');
      expect(sub.text().indexOf('-ERR pinged')).toBeLessThan(sub.text().search(/pong|PONG/));
      sub.close();
    }
  });

  test('a push before a reply (RESP3)', async () => {
    proxy.faults.on('GET').push(['invalidate', 'x']);
    const c = await client();
    c.send('HELLO', '3');
    await until(() => c.text().length > 0);
    const before = c.text().length;
    c.send('GET', 'k');
    await until(() => c.text().endsWith('_\r\n'));
    expect(c.text().slice(before)).toBe('>2\r\n$10\r\ninvalidate\r\n$1\r\nx\r\n_\r\n');
  });

  test('crash and restart: connections reset, the port refuses, then serves again', async () => {
    const c = await client();
    c.send('SET', 'k', 'v');
    await until(() => c.text() === '+OK\r\n');
    await proxy.crash();
    await c.closed;
    await expect(raw(proxy.port)).rejects.toThrow(/ECONNREFUSED/);
    await proxy.restart();
    expect(await exchange(proxy.port, [['GET', 'k']], (s) => s.endsWith('\r\n\r\n') || s.endsWith('v\r\n'))).toBe('$1\r\nv\r\n');
  });

  test('refused connections, and DOUBLE.FAULT stays unknown to the server without admin', async () => {
    proxy.faults.refuseConnections();
    const c = await client();
    await c.closed;
    const r = await exchange(proxy.port, [['DOUBLE.FAULT', 'LIST']], (s) => s.endsWith('\r\n'));
    expect(r).toMatch(/^-ERR unknown command 'DOUBLE.FAULT'/);
  });
});

test('the proxy with admin on takes DOUBLE.FAULT over the wire', async () => {
  const server = await createServer();
  const proxy = await createProxy({ target: { host: '127.0.0.1', port: server.port }, faults: { admin: true } });
  try {
    const spec = JSON.stringify({ command: 'GET', effect: { kind: 'error', error: 'TRYAGAIN' } });
    const r = await exchange(proxy.port, [['DOUBLE.FAULT', 'ADD', spec], ['GET', 'a'], ['GET', 'a']], (s) => s.endsWith('$-1\r\n'));
    expect(r).toMatch(/^:\d+\r\n-TRYAGAIN Multiple keys request during rehashing of slot\r\n\$-1\r\n$/);
  } finally {
    await proxy.close();
    await server.close();
  }
});

test('rules match the connection by the name it set (CLIENT SETNAME, HELLO SETNAME) through the proxy', async () => {
  const server = await createServer();
  const proxy = await createProxy({ target: { host: '127.0.0.1', port: server.port } });
  try {
    proxy.faults.intercept({ client: { name: 'worker-*' }, command: 'GET' }).error('READONLY').persist();
    const named = await exchange(proxy.port, [['CLIENT', 'SETNAME', 'worker-1'], ['GET', 'a']], (s) => s.includes('READONLY'));
    expect(named).toBe("+OK\r\n-READONLY You can't write against a read only replica.\r\n");
    const hello = await exchange(proxy.port, [['HELLO', '2', 'SETNAME', 'worker-2'], ['GET', 'a']], (s) => s.includes('READONLY'));
    expect(hello.endsWith("-READONLY You can't write against a read only replica.\r\n")).toBe(true);
    const other = await exchange(proxy.port, [['CLIENT', 'SETNAME', 'web'], ['GET', 'a']], (s) => s.endsWith('$-1\r\n'));
    expect(other).toBe('+OK\r\n$-1\r\n');
    expect(proxy.faults.history().filter((h) => h.command === 'get').map((h) => h.client.name)).toEqual(['worker-1', 'worker-2', 'web']);
  } finally {
    await proxy.close();
    await server.close();
  }
});

test('a target that is down: the client’s connection closes', async () => {
  const server = await createServer();
  const port = server.port;
  await server.close();
  const proxy = await createProxy({ target: { host: '127.0.0.1', port } });
  try {
    const c = await raw(proxy.port);
    c.send('PING');
    await c.closed;
    expect(c.text()).toBe('');
    expect(proxy.connections).toBe(0);
  } finally {
    await proxy.close();
  }
});
