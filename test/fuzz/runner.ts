/**
 * The protocol fuzzer's runner: plays sessions (test/fuzz/frames.ts) on one
 * server, or on valkey-double and a real Valkey side by side, and checks the
 * invariants:
 * - every session's connection ends (the server replies and closes after a
 *   protocol error, or closes once the client has half-closed), within a
 *   time limit;
 * - the bytes each connection received are the real server's, byte for byte
 *   (differential mode), and never valkey-double's internal-error reply;
 * - a control connection pipelining ECHOs all along gets every reply, in
 *   order (other connections are unaffected);
 * - afterwards no connection is left open on the server.
 *
 * Each of the `parallel` session slots starts with SELECT of a database of
 * its own, so concurrent sessions never share keys, and a slot's sessions run
 * in the same order on both servers.
 */
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { session, type Session } from './frames.js';

export interface Received {
  /** Everything the server sent, as latin1. */
  bytes: string;
  /** The connection did not end within the time limit. */
  hung: boolean;
  /**
   * The connection ended with a reset: the server closed with input unread
   * (after a protocol error), and the kernel may then drop reply bytes it had
   * not sent yet, so only a prefix of the replies may have arrived.
   */
  reset: boolean;
}

export interface Difference {
  session: Session;
  slot: number;
  oracle?: Received;
  mock: Received;
  problem: string;
}

export interface FuzzStats {
  sessions: number;
  frames: number;
  bytesSent: number;
  differences: Difference[];
  controlReplies: number;
  /** Sessions whose oracle replies a reset cut short (compared as a prefix only). */
  cutByReset: number;
  ms: number;
}

export interface FuzzOptions {
  mockPort: number;
  /** Differential mode: the real server's port. */
  oraclePort?: number;
  /** Stop after this many frames. */
  frames: number;
  seed: number;
  /** Concurrent session slots (databases 1..parallel). */
  parallel?: number;
  /** Per-session time limit in ms. */
  timeoutMs?: number;
  /** Stop at the first this many differences. */
  maxDifferences?: number;
  onProgress?(stats: FuzzStats): void;
}

const INTERNAL_ERROR = 'internal error in valkey-double';

/**
 * Writes a session's chunks, half-closes, and collects what comes back until
 * the server closes. With `idleMs`, does not half-close: the session ends when
 * the server closes or sends nothing for that long.
 */
export function play(port: number, chunks: readonly Buffer[], timeoutMs: number, idleMs?: number): Promise<Received> {
  return new Promise((resolve) => {
    const got: Buffer[] = [];
    let done = false;
    const s: Socket = connect({ port, host: '127.0.0.1' });
    const finish = (hung: boolean, reset = false) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(idle);
      s.destroy();
      resolve({ bytes: Buffer.concat(got).toString('latin1'), hung, reset });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    s.setNoDelay(true);
    let idle: ReturnType<typeof setTimeout> | undefined;
    const rearm = () => {
      if (idleMs === undefined) return;
      clearTimeout(idle);
      idle = setTimeout(() => finish(false), idleMs);
    };
    s.on('data', (d: Buffer) => {
      got.push(d);
      rearm();
    });
    // A reset after the server closed with unread input (RST) ends the session like a FIN.
    s.on('error', () => finish(false, true));
    s.on('close', () => finish(false));
    s.on('connect', () => {
      for (const c of chunks) {
        if (s.destroyed || !s.writable) break;
        s.write(c);
      }
      if (idleMs !== undefined) rearm();
      else if (!s.destroyed) s.end();
    });
  });
}

/** A connection that pipelines ECHOs while the fuzzer runs and checks each reply comes back, in order. */
class Control {
  private readonly socket: Socket;
  private sent = 0;
  private received = 0;
  private buf = '';
  readonly problems: string[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(port: number) {
    this.socket = connect({ port, host: '127.0.0.1' });
    this.socket.setNoDelay(true);
    this.socket.on('data', (d: Buffer) => this.onData(d.toString('latin1')));
    this.socket.on('error', (e) => this.problems.push(`control connection: ${e.message}`));
    this.timer = setInterval(() => this.burst(), 5);
  }

  private burst(): void {
    let out = '';
    for (let i = 0; i < 8; i++) {
      const v = `c${this.sent++}`;
      out += `*2\r\n$4\r\nECHO\r\n$${v.length}\r\n${v}\r\n`;
    }
    this.socket.write(out);
  }

  private onData(s: string): void {
    this.buf += s;
    for (;;) {
      const m = /^\$(\d+)\r\n/.exec(this.buf);
      if (!m) break;
      const len = Number(m[1]);
      const start = m[0].length;
      if (this.buf.length < start + len + 2) break;
      const v = this.buf.slice(start, start + len);
      const want = `c${this.received++}`;
      if (v !== want && this.problems.length < 5) this.problems.push(`control connection got ${JSON.stringify(v)} for ${want}`);
      this.buf = this.buf.slice(start + len + 2);
    }
    if (this.buf.length > 0 && this.buf[0] !== '$' && this.problems.length < 5) {
      this.problems.push(`control connection got ${JSON.stringify(this.buf.slice(0, 80))}`);
      this.buf = '';
    }
  }

  /** Stops sending and waits until every reply came back; the count of replies. */
  async stop(timeoutMs = 5000): Promise<number> {
    clearInterval(this.timer);
    const until = Date.now() + timeoutMs;
    while (this.received < this.sent && Date.now() < until && this.problems.length === 0) await new Promise((r) => setTimeout(r, 5));
    if (this.received < this.sent) this.problems.push(`control connection: ${this.sent - this.received} of ${this.sent} replies missing`);
    this.socket.destroy();
    return this.received;
  }
}

/** Equal bytes; where a reset may have cut one side's replies, the shorter is a prefix of the other. */
function sameReplies(a: Received, b: Received): boolean {
  if (a.bytes === b.bytes) return true;
  if (a.reset && b.bytes.startsWith(a.bytes)) return true;
  return b.reset && a.bytes.startsWith(b.bytes);
}

/** Sessions drawn deterministically from the seed, batch after batch. */
function* sessions(seed: number): Generator<Session> {
  for (let batch = 0; ; batch++) {
    yield* fc.sample(session, { seed: (seed + Math.imul(batch, 0x9e3779b1)) | 0, numRuns: 200 });
  }
}

function check(s: Session, slot: number, mock: Received, oracle: Received | undefined): Difference | undefined {
  let problem: string | undefined;
  if (mock.hung) problem = 'valkey-double did not close the connection';
  else if (mock.bytes.includes(INTERNAL_ERROR)) problem = 'internal error reply';
  else if (oracle && oracle.hung) problem = 'the real server did not close the connection';
  else if (oracle && !sameReplies(oracle, mock)) problem = 'replies differ';
  return problem ? { session: s, slot, mock, problem, ...(oracle ? { oracle } : {}) } : undefined;
}

export async function fuzz(opts: FuzzOptions): Promise<FuzzStats & { controlProblems: string[] }> {
  const parallel = opts.parallel ?? 8;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const maxDiff = opts.maxDifferences ?? 10;
  const stats: FuzzStats = { sessions: 0, frames: 0, bytesSent: 0, differences: [], controlReplies: 0, cutByReset: 0, ms: 0 };
  const t0 = Date.now();
  const control = new Control(opts.mockPort);
  const gen = sessions(opts.seed);
  const select = (slot: number) => Buffer.from(`*2\r\n$6\r\nSELECT\r\n$${String(slot).length}\r\n${slot}\r\n*1\r\n$7\r\nFLUSHDB\r\n`);
  let lastProgress = Date.now();
  const worker = async (slot: number) => {
    // Each slot's sessions run in its own database, emptied first.
    const prefix = select(slot);
    while (stats.frames < opts.frames && stats.differences.length < maxDiff) {
      const s = gen.next().value as Session;
      stats.frames += s.frames;
      stats.sessions++;
      const chunks = [prefix, ...s.chunks];
      for (const c of s.chunks) stats.bytesSent += c.length;
      const [mock, oracle] = await Promise.all([
        play(opts.mockPort, chunks, timeoutMs),
        opts.oraclePort === undefined ? Promise.resolve(undefined) : play(opts.oraclePort, chunks, timeoutMs),
      ]);
      let o = oracle;
      // Cut by a reset: once more in one write, which the server reads at once when it is small (no reset).
      if (o?.reset && o.bytes !== mock.bytes && opts.oraclePort !== undefined) {
        o = await play(opts.oraclePort, [Buffer.concat(chunks)], timeoutMs);
      }
      // Valkey frees a client when it reads the end of its input, dropping the replies not yet
      // written: when the replies are cut short, once more without half-closing.
      if (o && !o.reset && o.bytes !== mock.bytes && mock.bytes.startsWith(o.bytes) && opts.oraclePort !== undefined) {
        o = await play(opts.oraclePort, [Buffer.concat(chunks)], timeoutMs, 300);
      }
      if (o?.reset && o.bytes !== mock.bytes) stats.cutByReset++;
      const d = check(s, slot, mock, o);
      if (d) stats.differences.push(d);
      if (opts.onProgress && Date.now() - lastProgress > 2000) {
        lastProgress = Date.now();
        opts.onProgress({ ...stats, ms: Date.now() - t0 });
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, (_, i) => worker(i + 1)));
  stats.controlReplies = await control.stop();
  stats.ms = Date.now() - t0;
  return { ...stats, controlProblems: control.problems };
}

/** A difference as text: the session's bytes (JSON-escaped, cut when long) and both servers' replies. */
export function formatDifference(d: Difference): string {
  const cut = (s: string) => JSON.stringify(s.length > 600 ? s.slice(0, 300) + `…(${s.length} bytes)…` + s.slice(-300) : s);
  const sent = Buffer.concat(d.session.chunks).toString('latin1');
  const lines = [`${d.problem} (slot ${d.slot}, ${d.session.split}, ${d.session.chunks.length} writes)`, `  sent:   ${cut(sent)}`];
  if (d.oracle) lines.push(`  valkey: ${cut(d.oracle.bytes)}${d.oracle.hung ? ' <hung>' : ''}`);
  lines.push(`  mock:   ${cut(d.mock.bytes)}${d.mock.hung ? ' <hung>' : ''}`);
  return lines.join('\n');
}
