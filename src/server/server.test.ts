/**
 * Server robustness: pipelining, split requests, backpressure, handler
 * failures, protocol errors, client isolation, shutdown, binding.
 *
 * The engine here runs a small test command group, so these tests do not
 * depend on the real command groups being finished.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { Engine, R, VirtualClock, type Reply } from '../index.js';
import type { CommandGroup } from '../engine/index.js';
import { createServer, type ValkeyServer } from './index.js';
import { HIGH_WATER } from './connection.js';
import { TestClient, encodeCommand, sleep, tick } from '../../test/e2e/support/test-client.js';

const BIG = 256 * 1024;
const bigValue = 'v'.repeat(BIG);

/** A test group: names must be real Valkey commands, behaviour is ours. */
const testGroup: CommandGroup = {
  ping: (_ctx, argv) => (argv.length === 2 ? R.bulk(argv[1]!) : R.pong),
  echo: (_ctx, argv) => R.bulk(argv[1]!),
  get: (_ctx, argv) => (argv[1] === 'big' ? R.bulk(bigValue) : R.null),
  // Throws an Error.
  lastsave: () => {
    throw new Error('boom\r\nwith a newline');
  },
  // Throws something that cannot even be printed.
  dbsize: () => {
    throw Object.create(null) as Error;
  },
  // Returns nothing at all.
  time: () => undefined as unknown as Reply,
  // Returns a rejected promise (an async handler that failed).
  randomkey: () => Promise.reject(new Error('async boom')) as unknown as Reply,
  // Returns a malformed reply deep inside an array.
  role: () => R.array([R.int(1), undefined as unknown as Reply]),
  // Returns an object that is no reply at all.
  lolwut: () => ({ t: 'nonsense' }) as unknown as Reply,
  // Asks for its own connection to close, then replies (like QUIT).
  quit: (ctx) => {
    ctx.client.sink.close();
    return R.ok;
  },
  // Delivers a push to its own client while running, then replies.
  publish: (ctx, argv) => {
    ctx.client.sink.deliver(R.push([R.bulk('message'), R.bulk(argv[2]!)]));
    return R.int(1);
  },
  // Blocks until the virtual clock reaches the deadline (ms from now), then replies.
  blpop: (ctx, argv) =>
    ctx.engine.block(ctx.client, { deadline: ctx.now + Number(argv[2]), cmd: 'blpop', onTimeout: () => R.nullArray }),
};

const servers: ValkeyServer[] = [];
const clients: TestClient[] = [];

const clock = new VirtualClock({ start: 1_700_000_000_000 });

async function start(): Promise<ValkeyServer> {
  const engine = new Engine({ clock, groups: [testGroup] });
  const s = await createServer({ engine });
  servers.push(s);
  return s;
}

async function client(s: ValkeyServer): Promise<TestClient> {
  const c = await TestClient.connect(s.port);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('pipelining', () => {
  test('thousands of commands in one write: every reply, in order', async () => {
    const s = await start();
    const c = await client(s);
    const N = 5000;
    const parts: Buffer[] = [];
    for (let i = 0; i < N; i++) parts.push(encodeCommand(i % 3 === 0 ? ['PING', `p${i}`] : ['ECHO', `e${i}`]));
    c.write(Buffer.concat(parts));
    await c.waitReplies(N);
    expect(c.replies).toHaveLength(N);
    for (let i = 0; i < N; i++) expect(c.replies[i]).toBe(i % 3 === 0 ? `p${i}` : `e${i}`);
  });

  test('inline and multibulk requests mixed in one write', async () => {
    const s = await start();
    const c = await client(s);
    c.write('PING\r\n*2\r\n$4\r\nECHO\r\n$4\r\na\r\nb\r\nECHO "x y"\nPING\r\n');
    await c.waitReplies(4);
    expect(c.replies).toEqual(['PONG', 'a\r\nb', 'x y', 'PONG']);
  });

  test('a request split at every byte boundary across writes', async () => {
    const s = await start();
    const c = await client(s);
    const stream = Buffer.concat([
      encodeCommand(['ECHO', 'hello\r\nworld']),
      Buffer.from('PING\r\n'),
      encodeCommand(['ECHO', Buffer.from([0, 255, 13, 10, 42])]),
      Buffer.from('ECHO "quoted arg"\r\n'),
    ]);
    const expected = ['hello\r\nworld', 'PONG', '\x00\xff\r\n*', 'quoted arg'];
    let seen = 0;
    for (let cut = 1; cut < stream.length; cut++) {
      c.write(stream.subarray(0, cut));
      await tick();
      await tick();
      c.write(stream.subarray(cut));
      seen += expected.length;
      await c.waitReplies(seen);
    }
    expect(c.replies).toHaveLength((stream.length - 1) * expected.length);
    for (let i = 0; i < c.replies.length; i++) expect(c.replies[i]).toBe(expected[i % expected.length]);
  });

  test('a request written one byte at a time', async () => {
    const s = await start();
    const c = await client(s);
    const stream = Buffer.concat([encodeCommand(['ECHO', 'abc']), Buffer.from('PING\r\n'), encodeCommand(['PING'])]);
    for (const byte of stream) {
      c.write(Buffer.from([byte]));
      await tick();
    }
    await c.waitReplies(3);
    expect(c.replies).toEqual(['abc', 'PONG', 'PONG']);
  });

  test('a large argument arriving in many chunks', async () => {
    const s = await start();
    const c = await client(s);
    const value = Buffer.alloc(3 * 1024 * 1024, 'z');
    const req = encodeCommand(['ECHO', value]);
    for (let i = 0; i < req.length; i += 7000) {
      c.write(req.subarray(i, i + 7000));
      if (i % (70000 * 4) === 0) await tick();
    }
    await c.waitReplies(1);
    expect(c.replies[0]).toBe(value.toString('latin1'));
  });
});

describe('backpressure', () => {
  test('a client that does not read stops being served; memory stays bounded; others are served', async () => {
    const s = await start();
    const slow = await client(s);
    const N = 400; // 400 x 256 KiB = 100 MiB of replies if nothing held them back
    slow.socket.pause(); // never read until told
    slow.write(Buffer.concat(Array.from({ length: N }, () => encodeCommand(['GET', 'big']))));
    await sleep(150);

    const before = s.engine.stats.commandsProcessed;
    expect(before).toBeLessThan(N / 2);
    const [stats] = s.connectionStats();
    expect(stats!.readPaused).toBe(true);
    expect(stats!.pendingOutput).toBeLessThanOrEqual(HIGH_WATER + BIG + 1024);

    // Another client is served meanwhile.
    const other = await client(s);
    expect(await other.call('ECHO', 'still here')).toBe('still here');
    // The stalled client did not progress while nobody read.
    await sleep(50);
    expect(s.engine.stats.commandsProcessed).toBe(before + 1);

    // Reading resumes: every reply arrives, complete and in order.
    let maxPending = 0;
    const probe = setInterval(() => {
      for (const st of s.connectionStats()) maxPending = Math.max(maxPending, st.pendingOutput);
    }, 1);
    slow.socket.resume();
    await slow.waitReplies(N);
    clearInterval(probe);
    expect(slow.replies).toHaveLength(N);
    expect(slow.replies.every((r) => r === bigValue)).toBe(true);
    expect(maxPending).toBeLessThanOrEqual(HIGH_WATER + BIG + 1024);
    expect(s.connectionStats().every((st) => !st.readPaused)).toBe(true);
    // The connection is healthy afterwards.
    expect(await slow.call('PING')).toBe('PONG');
  });
});

describe('handler failures', () => {
  test.each([
    ['LASTSAVE', /^ERR internal error in valkey-double.*boom +with a newline$/],
    ['DBSIZE', /^ERR internal error in valkey-double/],
    ['TIME', /^ERR internal error in valkey-double/],
    ['RANDOMKEY', /^ERR internal error in valkey-double: handler returned an invalid reply$/],
    ['ROLE', /^ERR internal error in valkey-double/],
    ['LOLWUT', /^ERR internal error in valkey-double: handler returned an invalid reply$/],
  ])('%s: the client gets an error reply; the connection, other clients and the server live on', async (cmd, pattern) => {
    const s = await start();
    const a = await client(s);
    const b = await client(s);
    a.write(Buffer.concat([encodeCommand(['ECHO', 'before']), encodeCommand([cmd]), encodeCommand(['ECHO', 'after'])]));
    await a.waitReplies(3);
    expect(a.replies[0]).toBe('before');
    const err = a.replies[1] as { error: string };
    expect(err.error).toMatch(pattern);
    expect(err.error).not.toMatch(/[\r\n]/);
    expect(a.replies[2]).toBe('after');
    expect(await b.call('PING')).toBe('PONG');
    expect(await a.call('PING')).toBe('PONG');
    const c = await client(s);
    expect(await c.call('ECHO', 'new')).toBe('new');
    await sleep(10); // a rejected promise would surface as an unhandled rejection by now
  });
});

describe('replies produced outside the request', () => {
  test('a push delivered while a command runs precedes its reply; later requests follow in order', async () => {
    const s = await start();
    const c = await client(s);
    c.write(Buffer.concat([encodeCommand(['PUBLISH', 'ch', 'm1']), encodeCommand(['ECHO', 'next'])]));
    await c.waitReplies(3);
    expect(c.replies).toEqual([['message', 'm1'], 1, 'next']);
  });

  test('a command that closes its own connection still gets its reply out first', async () => {
    const s = await start();
    const c = await client(s);
    c.write(Buffer.concat([encodeCommand(['ECHO', 'a']), encodeCommand(['QUIT']), encodeCommand(['ECHO', 'never'])]));
    await c.waitClosed();
    expect(c.replies).toEqual(['a', 'OK']);
  });

  test('requests pipelined behind a blocked command wait for it, then run in order', async () => {
    const s = await start();
    const c = await client(s);
    const other = await client(s);
    c.write(Buffer.concat([encodeCommand(['ECHO', 'a']), encodeCommand(['BLPOP', 'k', '1000']), encodeCommand(['ECHO', 'b'])]));
    await c.waitReplies(1);
    await sleep(20);
    expect(c.replies).toEqual(['a']);
    expect(await other.call('PING')).toBe('PONG');
    clock.advance(1000); // at the deadline: still blocked (timeouts end once now > deadline)
    expect(await other.call('PING')).toBe('PONG');
    expect(c.replies).toEqual(['a']);
    clock.advance(1);
    await c.waitReplies(3);
    expect(c.replies).toEqual(['a', null, 'b']);
  });
});

describe('protocol errors', () => {
  test.each([
    ['bad bulk length', '*1\r\n$-5\r\n', 'ERR Protocol error: invalid bulk length'],
    ['bad multibulk length', '*abc\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['missing $', '*1\r\nfoo\r\n', "ERR Protocol error: expected '$', got 'f'"],
    ['unbalanced quotes', 'ECHO "abc\r\n', 'ERR Protocol error: unbalanced quotes in request'],
  ])('%s: replies, closes only that connection', async (_name, bytes, message) => {
    const s = await start();
    const bad = await client(s);
    const good = await client(s);
    bad.write(encodeCommand(['ECHO', 'first']));
    bad.write(bytes);
    await bad.waitClosed();
    expect(bad.replies).toEqual(['first', { error: message }]);
    expect(await good.call('ECHO', 'ok')).toBe('ok');
    const again = await client(s);
    expect(await again.call('PING')).toBe('PONG');
    expect(s.connections).toBe(2);
  });
});

describe('many clients', () => {
  test('concurrent pipelining clients never get each other\'s replies', async () => {
    const s = await start();
    const cs = await Promise.all(Array.from({ length: 40 }, () => client(s)));
    const PER = 200;
    // Interleave small writes from every client.
    for (let i = 0; i < PER; i += 20) {
      for (let k = 0; k < cs.length; k++) {
        const batch: Buffer[] = [];
        for (let j = i; j < i + 20; j++) batch.push(encodeCommand(['ECHO', `c${k}-${j}`]));
        cs[k]!.write(Buffer.concat(batch));
      }
      await tick();
    }
    await Promise.all(cs.map((c) => c.waitReplies(PER)));
    cs.forEach((c, k) => {
      expect(c.replies).toHaveLength(PER);
      c.replies.forEach((r, j) => expect(r).toBe(`c${k}-${j}`));
    });
  });
});

describe('lifecycle', () => {
  test('close() ends every connection, also a backed-up one, and stops accepting', async () => {
    const s = await start();
    const idle = await client(s);
    const busy = await client(s);
    busy.socket.pause();
    busy.write(Buffer.concat(Array.from({ length: 100 }, () => encodeCommand(['GET', 'big']))));
    await sleep(50);
    expect(s.connections).toBe(2);
    const port = s.port;
    await s.close();
    expect(s.connections).toBe(0);
    busy.socket.resume(); // a paused socket would never see the end of the stream
    await Promise.all([idle.waitClosed(), busy.waitClosed()]);
    await expect(TestClient.connect(port)).rejects.toThrow(/ECONNREFUSED/);
    await s.close(); // idempotent
  });

  test('port 0 picks a free port; each server gets its own', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.port).toBeGreaterThan(0);
    expect(b.port).toBeGreaterThan(0);
    expect(a.port).not.toBe(b.port);
    expect(a.url).toBe(`redis://127.0.0.1:${a.port}`);
  });

  test('binds to 127.0.0.1 by default', async () => {
    const s = await start();
    expect(s.host).toBe('127.0.0.1');
    const c = await client(s);
    expect(c.socket.remoteAddress).toBe('127.0.0.1');
  });

  test('a taken port is reported, not crashed on', async () => {
    const s = await start();
    await expect(createServer({ port: s.port })).rejects.toThrow(/EADDRINUSE/);
  });

  test('a client that disconnects mid-request does not disturb the server', async () => {
    const s = await start();
    const a = await client(s);
    a.write('*2\r\n$4\r\nECHO\r\n$100\r\nabc');
    await tick();
    a.close();
    await sleep(20);
    expect(s.connections).toBe(0);
    const b = await client(s);
    expect(await b.call('PING')).toBe('PONG');
  });

  test('a client that half-closes still gets its replies', async () => {
    const s = await start();
    const sock = connect({ port: s.port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    sock.on('data', (c: Buffer) => chunks.push(c));
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.end(Buffer.concat([encodeCommand(['ECHO', 'x']), encodeCommand(['PING'])]));
    await new Promise<void>((r) => sock.once('close', () => r()));
    expect(Buffer.concat(chunks).toString('latin1')).toBe('$1\r\nx\r\n+PONG\r\n');
  });
});

describe('SHUTDOWN', () => {
  test('closes the connections without a reply (pending replies of others still go out), stops listening, and restart() brings the server back', async () => {
    const s = await createServer({ clock: new VirtualClock({ start: 1_700_000_000_000 }) });
    servers.push(s);
    const a = await client(s);
    const b = await client(s);
    expect(await a.call('SET', 'k', 'v')).toBe('OK');
    // A blocked client is closed too.
    b.write(encodeCommand(['BLPOP', 'nothing', '0']));
    await tick();
    a.write(encodeCommand(['SHUTDOWN', 'NOSAVE']));
    await sleep(50);
    expect([a.closed, b.closed]).toEqual([true, true]);
    expect(a.replies.length).toBe(1);
    expect(s.isDown).toBe(true);
    await expect(TestClient.connect(s.port)).rejects.toThrow();
    await s.restart();
    const c = await client(s);
    expect(await c.call('GET', 'k')).toBe('v');
  });

  test('ABORT with nothing in progress, and bad flag combinations, are errors and keep the server up', async () => {
    const s = await createServer();
    servers.push(s);
    const a = await client(s);
    expect(await a.call('SHUTDOWN', 'ABORT')).toEqual({ error: 'ERR No shutdown in progress.' });
    expect(await a.call('SHUTDOWN', 'SAVE', 'NOSAVE')).toEqual({ error: 'ERR syntax error' });
    expect(await a.call('SHUTDOWN', 'ABORT', 'NOW')).toEqual({ error: 'ERR syntax error' });
    expect(await a.call('SHUTDOWN', 'FAILOVER')).toEqual({ error: 'ERR SHUTDOWN FAILOVER is only supported in cluster mode.' });
    expect(await a.call('MULTI')).toBe('OK');
    expect(await a.call('SHUTDOWN')).toEqual({ error: "ERR Command 'shutdown' not allowed inside a transaction" });
    expect(s.isDown).toBe(false);
  });
});
