/**
 * The soak run: many concurrent loopback clients on one server for a bounded
 * time, each checking that every reply it gets is the one it asked for, in
 * order:
 * - pipeliners send bursts of `INCR soak:<id>` + `ECHO <id>:<seq>` (the
 *   counter must go up by one per INCR, the echo name this client and seq);
 * - transactions run MULTI / INCR / ECHO / EXEC (an array of both replies);
 * - poppers BLPOP their own list, which their partner pushers fill;
 * - subscribers get every message of their channel, in publish order;
 * - slow readers pipeline GETs of a large value and stop reading: the server
 *   must hold them with backpressure (reading paused, output bounded) while
 *   the others go on; then they read everything, complete and in order.
 * A control connection PINGs every 20 ms: its latencies are reported.
 */
import { connect, type Socket } from 'node:net';
import { ReplyParser, type RawValue } from '../../src/index.js';
import type { ValkeyServer } from '../../src/index.js';

export interface SoakOptions {
  clients: number;
  seconds: number;
  /** Slow readers among the clients. */
  slowReaders?: number;
}

export interface SoakResult {
  /** Requests whose reply came back right. */
  replies: number;
  problems: string[];
  ping: { count: number; p50: number; p99: number; max: number };
  /** Largest output a slow reader's connection held, and whether each was paused. */
  slow: { maxPending: number; paused: number };
  rssBeforeMiB: number;
  rssPeakMiB: number;
}

type Check = (v: RawValue) => string | undefined;

/** A connection that pairs each reply with the check of the request that asked for it. */
class Conn {
  readonly socket: Socket;
  private readonly parser = new ReplyParser();
  private readonly checks: Check[] = [];
  private waiters: (() => void)[] = [];
  closed = false;
  ok = 0;
  /** Resolves once connected (1,000 connects at once overflow the accept backlog: some take seconds). */
  readonly connected: Promise<void>;

  constructor(port: number, private readonly problems: string[], private readonly name: string, onPush?: (v: RawValue) => void) {
    this.socket = connect({ port, host: '127.0.0.1' });
    this.connected = new Promise((res) => this.socket.once('connect', () => res()));
    this.socket.setNoDelay(true);
    this.socket.on('data', (d: Buffer) => {
      this.parser.push(d);
      for (let r = this.parser.next(); r !== null; r = this.parser.next()) {
        if (onPush && r.value.type === 'array' && r.value.value?.[0]?.type === 'bulk' && (r.value.value[0].value === 'message')) {
          onPush(r.value);
          continue;
        }
        const check = this.checks.shift();
        if (!check) {
          this.fail(`a reply nobody asked for: ${r.raw.slice(0, 80)}`);
          continue;
        }
        const p = check(r.value);
        if (p) this.fail(p);
        else this.ok++;
      }
      if (this.checks.length === 0) for (const w of this.waiters.splice(0)) w();
    });
    this.socket.on('error', (e) => { if (!this.closed) this.fail(`socket error: ${e.message}`); });
    this.socket.on('close', () => {
      if (!this.closed) this.fail('closed by the server');
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  fail(p: string): void {
    if (this.problems.length < 20) this.problems.push(`${this.name}: ${p}`);
  }

  send(parts: (readonly string[])[], checks: Check[]): void {
    let s = '';
    for (const argv of parts) {
      s += `*${argv.length}\r\n`;
      for (const a of argv) s += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
    }
    this.checks.push(...checks);
    this.socket.write(s, 'latin1');
  }

  get waiting(): number {
    return this.checks.length;
  }

  /** Resolves once every reply asked for has come (or the connection closed). */
  drained(): Promise<void> {
    if (this.checks.length === 0 || this.closed) return Promise.resolve();
    return new Promise((res) => this.waiters.push(res));
  }

  close(): Promise<void> {
    this.closed = true;
    return new Promise((res) => {
      this.socket.once('close', () => res());
      this.socket.end();
    });
  }
}

const str = (v: RawValue): string | undefined => (v.type === 'bulk' || v.type === 'simple' ? v.value : undefined);
const expectStr = (want: string): Check => (v) => (str(v) === want ? undefined : `expected ${want}, got ${JSON.stringify(v)}`);
const expectInt = (want: number): Check => (v) => (v.type === 'int' && Number(v.value) === want ? undefined : `expected :${want}, got ${JSON.stringify(v)}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function soak(server: ValkeyServer, opts: SoakOptions): Promise<SoakResult> {
  const port = server.port;
  const problems: string[] = [];
  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  // The clock of the run starts once every client is connected and set up (see below).
  let until = Number.POSITIVE_INFINITY;
  const n = opts.clients;
  const slowCount = opts.slowReaders ?? 5;
  const quarter = Math.floor((n - slowCount) / 4);
  const conns: Conn[] = [];
  const tasks: Promise<void>[] = [];
  /** The workloads start once every client is connected. */
  let go!: () => void;
  const started = new Promise<void>((res) => { go = res; });

  // Pipeliners.
  for (let i = 0; i < n - slowCount - 3 * quarter; i++) {
    const c = new Conn(port, problems, `pipeliner ${i}`);
    conns.push(c);
    tasks.push((async () => {
      await started;
      let count = 0;
      let seq = 0;
      while (Date.now() < until && !c.closed) {
        const parts: string[][] = [];
        const checks: Check[] = [];
        const burst = 1 + (i % 16);
        for (let j = 0; j < burst; j++) {
          parts.push(['INCR', `soak:p:${i}`], ['ECHO', `${i}:${seq}`]);
          checks.push(expectInt(++count), expectStr(`${i}:${seq++}`));
        }
        c.send(parts, checks);
        await c.drained();
        await sleep(i % 5);
      }
    })());
  }
  // Transactions.
  for (let i = 0; i < quarter; i++) {
    const c = new Conn(port, problems, `multi ${i}`);
    conns.push(c);
    tasks.push((async () => {
      await started;
      let count = 0;
      while (Date.now() < until && !c.closed) {
        const want = ++count;
        c.send([['MULTI'], ['INCR', `soak:m:${i}`], ['ECHO', `m${i}`], ['EXEC']], [
          expectStr('OK'), expectStr('QUEUED'), expectStr('QUEUED'),
          (v) => (v.type === 'array' && v.value?.length === 2 && v.value[0]!.type === 'int' && Number(v.value[0]!.value) === want && str(v.value[1]!) === `m${i}`
            ? undefined : `EXEC gave ${JSON.stringify(v)}`),
        ]);
        await c.drained();
        await sleep(2);
      }
    })());
  }
  // Poppers and their pushers.
  for (let i = 0; i < Math.floor(quarter / 2); i++) {
    const popper = new Conn(port, problems, `popper ${i}`);
    const pusher = new Conn(port, problems, `pusher ${i}`);
    conns.push(popper, pusher);
    tasks.push((async () => {
      await started;
      let seq = 0;
      while (Date.now() < until && !popper.closed) {
        const v = `v${seq++}`;
        popper.send([['BLPOP', `soak:q:${i}`, '10']], [
          (r) => (r.type === 'array' && r.value !== null && str(r.value[1]!) === v ? undefined : `BLPOP gave ${JSON.stringify(r)}, wanted ${v}`),
        ]);
        await sleep(1 + (i % 7));
        pusher.send([['RPUSH', `soak:q:${i}`, v]], [expectInt(1)]);
        await Promise.all([popper.drained(), pusher.drained()]);
      }
    })());
  }
  // Subscribers of eight channels, and a publisher per channel.
  const subs = quarter + (quarter - 2 * Math.floor(quarter / 2));
  const channels = 8;
  /** Per subscriber: its channel and how many messages it got. */
  const seen = new Map<Conn, { channel: number; count: number }>();
  const subscribed: Promise<void>[] = [];
  for (let i = 0; i < subs; i++) {
    const ch = `soak:ch:${i % channels}`;
    let next = 0;
    const c: Conn = new Conn(port, problems, `subscriber ${i}`, (msg) => {
      const body = str(msg.type === 'array' ? msg.value![2]! : msg);
      if (body !== String(next)) c.fail(`message ${body} where ${next} was next`);
      next++;
      seen.get(c)!.count = next;
    });
    seen.set(c, { channel: i % channels, count: 0 });
    conns.push(c);
    c.send([['SUBSCRIBE', ch]], [(v) => (v.type === 'array' && str(v.value![0]!) === 'subscribe' ? undefined : `SUBSCRIBE gave ${JSON.stringify(v)}`)]);
    subscribed.push(c.drained());
  }
  await Promise.all(subscribed);
  const published = new Array<number>(channels).fill(0);
  for (let k = 0; k < channels; k++) {
    const pub = new Conn(port, problems, `publisher ${k}`);
    conns.push(pub);
    const listeners = Array.from({ length: subs }, (_, i) => i).filter((i) => i % channels === k).length;
    tasks.push((async () => {
      await started;
      while (Date.now() < until && !pub.closed) {
        pub.send([['PUBLISH', `soak:ch:${k}`, String(published[k]!++)]], [expectInt(listeners)]);
        await pub.drained();
        await sleep(5);
      }
    })());
  }
  // Slow readers: a 256 KiB value, 64 GETs each, not read for a while.
  const big = 'x'.repeat(256 * 1024);
  const setup = new Conn(port, problems, 'setup');
  setup.send([['SET', 'soak:big', big]], [expectStr('OK')]);
  await setup.drained();
  const slowConns: Conn[] = [];
  for (let i = 0; i < slowCount; i++) {
    const c = new Conn(port, problems, `slow reader ${i}`);
    slowConns.push(c);
    c.socket.pause();
    c.send(Array.from({ length: 64 }, () => ['GET', 'soak:big']), Array.from({ length: 64 }, () => expectStr(big)));
  }
  // Control: PING latency.
  const control = new Conn(port, problems, 'control');
  await Promise.all(conns.concat(slowConns, [control]).map((c) => c.connected));
  until = Date.now() + opts.seconds * 1000;
  go();
  const latencies: number[] = [];
  let maxPending = 0;
  let paused = 0;
  const slowIds = new Set<number>();
  while (Date.now() < until) {
    const t0 = performance.now();
    control.send([['PING']], [expectStr('PONG')]);
    await control.drained();
    latencies.push(performance.now() - t0);
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    for (const st of server.connectionStats()) {
      maxPending = Math.max(maxPending, st.pendingOutput);
      if (st.readPaused) slowIds.add(st.id);
    }
    await sleep(20);
  }
  paused = slowIds.size;
  for (const c of slowConns) c.socket.resume();
  await Promise.all(tasks);
  await Promise.all(conns.concat(slowConns, [setup]).map((c) => c.drained()));
  // Every subscriber saw every message of its channel.
  await sleep(50);
  for (const [c, { channel, count }] of seen) {
    if (count !== published[channel]) c.fail(`got ${count} of the ${published[channel]} messages of its channel`);
  }
  const replies = conns.concat(slowConns, [setup, control]).reduce((a, c) => a + c.ok, 0);
  for (const c of conns.concat(slowConns, [setup, control])) if (c.waiting > 0) c.fail(`${c.waiting} replies missing`);
  await Promise.all(conns.concat(slowConns, [setup, control]).map((c) => c.close()));
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return {
    replies,
    problems,
    ping: { count: latencies.length, p50: q(0.5), p99: q(0.99), max: latencies[latencies.length - 1] ?? 0 },
    slow: { maxPending, paused },
    rssBeforeMiB: rssBefore / 1048576,
    rssPeakMiB: rssPeak / 1048576,
  };
}
