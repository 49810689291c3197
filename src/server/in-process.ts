/**
 * An in-process transport: a pair of connected socket-like ends, one end
 * handed to a client library, the other served by the server exactly like a
 * TCP socket (same Connection, same fault rules, the same reply bytes), with
 * no TCP in between.
 *
 *   const stream = server.connectInProcess();              // any client that takes a stream
 *   new Redis({ Connector: server.ioredisConnector(AbstractConnector) });  // ioredis / iovalkey
 */
import { EventEmitter } from 'node:events';

/**
 * One end of an in-process pipe: the events (data, end, close, error) and
 * methods of a net.Socket that client libraries and the server's Connection
 * use. Bytes written at one end reach the other in a microtask, in order;
 * nothing is buffered against backpressure (writableLength is 0).
 */
export class PipeEnd extends EventEmitter {
  peer!: PipeEnd;
  readonly connecting = false;
  readonly remoteFamily = 'IPv4';
  readonly writableLength = 0;
  destroyed = false;
  writable = true;
  readable = true;
  private paused = false;
  private ended = false;
  private scheduled = false;
  private readonly inbox: Buffer[] = [];

  constructor(
    readonly localAddress: string,
    readonly localPort: number,
    readonly remoteAddress: string,
    readonly remotePort: number,
  ) {
    super();
  }

  write(data: string | Uint8Array, enc?: BufferEncoding | ((e?: Error | null) => void), cb?: (e?: Error | null) => void): boolean {
    const done = typeof enc === 'function' ? enc : cb;
    if (this.destroyed || this.ended) {
      if (done) queueMicrotask(() => done(new Error('This socket has been ended by the other party')));
      return false;
    }
    const buf = typeof data === 'string' ? Buffer.from(data, typeof enc === 'string' ? enc : 'utf8') : Buffer.isBuffer(data) ? data : Buffer.from(data);
    this.peer.receive(buf);
    if (done) queueMicrotask(() => done(null));
    return true;
  }

  /**
   * Data for this end. The server's end takes it at once (the request runs
   * inside the client's write; its reply still reaches the client in a
   * microtask, after the client has queued the command it wrote); the
   * client's end always in a microtask.
   */
  private receive(b: Buffer): void {
    if (this.destroyed) return;
    if (this.immediate && !this.paused && !this.scheduled && this.inbox.length === 0 && !this.emitting) {
      this.emitting = true;
      try {
        this.emit('data', b);
      } finally {
        this.emitting = false;
      }
      return;
    }
    this.inbox.push(b);
    this.schedule();
  }

  /** Set on the server's end: see receive(). */
  immediate = false;
  private emitting = false;

  private schedule(): void {
    if (this.scheduled || this.paused) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      while (!this.paused && !this.destroyed && this.inbox.length > 0) this.emit('data', this.inbox.shift()!);
    });
  }

  pause(): this {
    this.paused = true;
    return this;
  }

  resume(): this {
    this.paused = false;
    if (this.inbox.length > 0) this.schedule();
    return this;
  }

  /** Closes after what was written; the peer sees 'end', then both 'close'. */
  end(): this {
    if (this.ended || this.destroyed) return this;
    this.ended = true;
    this.writable = false;
    queueMicrotask(() => {
      if (!this.peer.destroyed) this.peer.emit('end');
      this.peer.destroy();
      this.destroy();
    });
    return this;
  }

  destroy(err?: Error): this {
    return this.close(err, undefined);
  }

  /** As net.Socket's: the peer sees ECONNRESET. */
  resetAndDestroy(): this {
    const e = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
    return this.close(undefined, e);
  }

  private close(err: Error | undefined, peerErr: Error | undefined): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.writable = false;
    this.readable = false;
    this.inbox.length = 0;
    process.nextTick(() => {
      if (err) this.emit('error', err);
      this.emit('close', err !== undefined);
    });
    if (!this.peer.destroyed) this.peer.close(peerErr, undefined);
    return this;
  }

  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

let nextPort = 1;

/** [client end, server end]: the client appears to the server at 127.0.0.1:<n>. */
export function createPipe(serverPort: number): [PipeEnd, PipeEnd] {
  const port = 1 + (nextPort++ % 65535);
  const client = new PipeEnd('127.0.0.1', port, '127.0.0.1', serverPort);
  const server = new PipeEnd('127.0.0.1', serverPort, '127.0.0.1', port);
  client.peer = server;
  server.peer = client;
  server.immediate = true;
  return [client, server];
}

/** The constructor shape of ioredis's (and iovalkey's) AbstractConnector. */
export type ConnectorBase = abstract new (disconnectTimeout: number) => { disconnect(): void };

/**
 * An ioredis `Connector` class whose connections go to `connect()` (a
 * server's connectInProcess), not to TCP. Pass the client library's own
 * AbstractConnector: `server.ioredisConnector(AbstractConnector)`.
 */
export function makeIoredisConnector<B extends ConnectorBase>(Base: B, connect: () => PipeEnd): new (options: unknown) => InstanceType<B> {
  abstract class Shape extends (Base as unknown as new (t: number) => { disconnect(): void }) {}
  class InProcessConnector extends Shape {
    private conn: PipeEnd | undefined;
    private open = false;
    constructor(_options: unknown) {
      super(0);
    }
    connect(): Promise<PipeEnd> {
      this.open = true;
      return new Promise((resolve, reject) => {
        process.nextTick(() => {
          if (!this.open) return reject(new Error('Connection is closed.'));
          this.conn = connect();
          // ioredis's disconnect() ends `this.stream`.
          (this as unknown as { stream: PipeEnd }).stream = this.conn;
          resolve(this.conn);
        });
      });
    }
    override disconnect(): void {
      this.open = false;
      this.conn?.end();
    }
    check(): boolean {
      return true;
    }
  }
  return InProcessConnector as unknown as new (options: unknown) => InstanceType<B>;
}
