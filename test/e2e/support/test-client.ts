/**
 * A bare socket client for the server's own tests: writes exact bytes,
 * counts and parses replies with a streaming RESP parser that stays linear
 * on large replies, and can stop reading to exercise backpressure.
 */
import { connect, type Socket } from 'node:net';

export type Value = string | number | null | Value[] | { error: string };

/** A streaming RESP2/RESP3 reply reader over Buffers (no quadratic re-parsing). */
export class ReplyReader {
  private chunks: Buffer[] = [];
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Bytes needed before parsing can progress (skips re-parsing huge bulks chunk by chunk). */
  private need = 0;
  private have = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.have += chunk.length;
  }

  private compact(): void {
    if (this.chunks.length === 0) return;
    this.buf = Buffer.concat([this.buf.subarray(this.pos), ...this.chunks]);
    this.pos = 0;
    this.chunks = [];
  }

  /** The next complete reply, or undefined. */
  next(): Value | undefined {
    if (this.have < this.need) return undefined;
    this.compact();
    const r = this.parse(this.pos);
    if (r === undefined) {
      return undefined;
    }
    this.pos = r[1];
    this.have = this.buf.length - this.pos;
    this.need = 0;
    return r[0];
  }

  private line(pos: number): [string, number] | undefined {
    const i = this.buf.indexOf('\r\n', pos, 'latin1');
    if (i < 0) return undefined;
    return [this.buf.toString('latin1', pos, i), i + 2];
  }

  private parse(pos: number): [Value, number] | undefined {
    if (pos >= this.buf.length) return undefined;
    const kind = String.fromCharCode(this.buf[pos]!);
    const l = this.line(pos + 1);
    if (!l) return undefined;
    const [head, after] = l;
    switch (kind) {
      case '+': case ',': case '(': return [head, after];
      case '-': return [{ error: head }, after];
      case ':': return [Number(head), after];
      case '#': return [head === 't' ? 1 : 0, after];
      case '_': return [null, after];
      case '$': case '=': case '!': {
        const n = Number(head);
        if (n < 0) return [null, after];
        if (this.buf.length < after + n + 2) {
          this.need = after + n + 2 - this.pos;
          return undefined;
        }
        return [this.buf.toString('latin1', after, after + n), after + n + 2];
      }
      case '*': case '~': case '>': case '%': case '|': {
        let n = Number(head);
        if (n < 0) return [null, after];
        if (kind === '%' || kind === '|') n *= 2;
        const out: Value[] = [];
        let p = after;
        for (let i = 0; i < n; i++) {
          const r = this.parse(p);
          if (!r) return undefined;
          out.push(r[0]);
          p = r[1];
        }
        if (kind === '|') {
          const r = this.parse(p);
          return r;
        }
        return [out, p];
      }
      default:
        throw new Error(`bad reply type byte ${JSON.stringify(kind)}`);
    }
  }
}

export function encodeCommand(args: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(a, 'latin1');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export class TestClient {
  readonly reader = new ReplyReader();
  readonly replies: Value[] = [];
  bytesIn = 0;
  closed = false;
  private waiters: { n: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  private closeWaiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (c: Buffer) => {
      this.bytesIn += c.length;
      this.reader.push(c);
      let v: Value | undefined;
      while ((v = this.reader.next()) !== undefined) this.replies.push(v);
      this.wake();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w.reject(new Error(`connection closed after ${this.replies.length} replies`));
      for (const w of this.closeWaiters.splice(0)) w();
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host }, () => {
        s.off('error', reject);
        s.setNoDelay(true);
        resolve(new TestClient(s));
      });
      s.once('error', reject);
    });
  }

  private wake(): void {
    this.waiters = this.waiters.filter((w) => {
      if (this.replies.length >= w.n) {
        w.resolve();
        return false;
      }
      return true;
    });
  }

  write(data: Buffer | string): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Resolves once `n` replies in total have arrived. */
  waitReplies(n: number): Promise<void> {
    if (this.replies.length >= n) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error(`connection closed after ${this.replies.length} replies`));
    return new Promise((resolve, reject) => this.waiters.push({ n, resolve, reject }));
  }

  /** Sends one command and returns its reply. */
  async call(...args: string[]): Promise<Value> {
    const n = this.replies.length + 1;
    this.write(encodeCommand(args));
    await this.waitReplies(n);
    return this.replies[n - 1]!;
  }

  waitClosed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  close(): void {
    this.socket.destroy();
  }
}

export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
