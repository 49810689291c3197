/**
 * A minimal RESP client that keeps every reply's exact bytes: the driver the
 * differential tests and the conformance corpus use to compare servers byte
 * for byte. Requests are encoded as multibulk; replies are matched in order.
 */
import { connect, type Socket } from 'node:net';
import { ReplyParser, type RawReply } from '../../src/index.js';

export type Arg = string | Buffer | number;

export function encodeCommand(args: readonly Arg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), typeof a === 'string' ? 'latin1' : 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export class RawClient {
  private readonly parser = new ReplyParser();
  private readonly waiting: { resolve(r: RawReply): void; reject(e: Error): void }[] = [];
  private closed = false;
  private closeError: Error | undefined;
  /** Push messages (RESP3 `>`), in arrival order. */
  readonly pushes: RawReply[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.parser.push(chunk);
      let r: RawReply | null;
      while ((r = this.parser.next()) !== null) {
        if (r.value.type === 'push' && this.expectPush(r)) continue;
        const w = this.waiting.shift();
        if (w) w.resolve(r);
        else this.unsolicited(r);
      }
    });
    const fail = (e: Error) => {
      this.closed = true;
      this.closeError = e;
      for (const w of this.waiting.splice(0)) w.reject(e);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host }, () => {
        s.off('error', reject);
        s.setNoDelay(true);
        resolve(new RawClient(s));
      });
      s.once('error', reject);
    });
  }

  /** RESP3 pushes are routed to `pushes` unless a request is waiting for one. */
  private expectPush(r: RawReply): boolean {
    if (this.waiting.length === 0) {
      this.pushes.push(r);
      this.unsolicited(r);
      return true;
    }
    return false;
  }

  /** Replies no request waited for (pushes, RESP2 Pub/Sub messages, SUBSCRIBE's later confirmations). */
  private readonly inbox: RawReply[] = [];
  private readonly readers: ((r: RawReply) => void)[] = [];

  private unsolicited(r: RawReply): void {
    const rd = this.readers.shift();
    if (rd) rd(r);
    else this.inbox.push(r);
  }

  /** The next reply that arrived (or arrives) with no request waiting for it; rejects after `timeoutMs`. */
  read(timeoutMs = 2000): Promise<RawReply> {
    const r = this.inbox.shift();
    if (r) return Promise.resolve(r);
    return new Promise((resolve, reject) => {
      const fn = (x: RawReply) => {
        clearTimeout(t);
        resolve(x);
      };
      const t = setTimeout(() => {
        const i = this.readers.indexOf(fn);
        if (i >= 0) this.readers.splice(i, 1);
        reject(new Error('nothing to read'));
      }, timeoutMs);
      this.readers.push(fn);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends one command and resolves with its reply. */
  send(args: readonly Arg[]): Promise<RawReply> {
    return this.sendRaw(encodeCommand(args));
  }

  /** Writes bytes as they are and waits for one reply. */
  sendRaw(bytes: Buffer | string): Promise<RawReply> {
    if (this.closed) return Promise.reject(this.closeError ?? new Error('connection closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    });
  }

  /** Writes bytes and collects `n` replies (pipelines, inline requests). */
  async sendRawMany(bytes: Buffer | string, n: number): Promise<RawReply[]> {
    if (this.closed) throw this.closeError ?? new Error('connection closed');
    const ps: Promise<RawReply>[] = [];
    for (let i = 0; i < n; i++) ps.push(new Promise((resolve, reject) => this.waiting.push({ resolve, reject })));
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    return Promise.all(ps);
  }

  /** Writes bytes and resolves with everything received until the server closes the connection. */
  sendUntilClose(bytes: Buffer | string, timeoutMs = 2000): Promise<{ replies: RawReply[]; closed: boolean }> {
    return new Promise((resolve) => {
      const replies: RawReply[] = [];
      const take = () => {
        this.waiting.push({
          resolve: (r) => { replies.push(r); take(); },
          reject: () => { clearTimeout(t); resolve({ replies, closed: true }); },
        });
      };
      take();
      const t = setTimeout(() => resolve({ replies, closed: this.closed }), timeoutMs);
      this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    });
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }
}
