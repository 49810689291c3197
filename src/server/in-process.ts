/**
 * An in-process transport: a pair of connected duplex streams, one end
 * handed to a client library, the other served by the server exactly like a
 * TCP socket (same Connection, same fault rules, the same reply bytes), with
 * no TCP in between.
 *
 *   const stream = server.connectInProcess();              // any client that takes a stream
 *   new Redis({ Connector: server.ioredisConnector(AbstractConnector) });  // ioredis / iovalkey
 */
import { Duplex } from 'node:stream';

/** One end of an in-process pipe; looks enough like a net.Socket for clients and for Connection. */
export class PipeEnd extends Duplex {
  peer!: PipeEnd;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly connecting = false;
  readonly remoteFamily = 'IPv4';

  constructor(local: [string, number], remote: [string, number]) {
    super({ allowHalfOpen: false, decodeStrings: true, highWaterMark: 1 << 16 });
    [this.localAddress, this.localPort] = local;
    [this.remoteAddress, this.remotePort] = remote;
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (!this.peer.destroyed) this.peer.push(chunk);
    cb();
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (e?: Error | null) => void): void {
    if (!this.peer.destroyed) this.peer.push(chunks.length === 1 ? chunks[0]!.chunk : Buffer.concat(chunks.map((c) => c.chunk)));
    cb();
  }

  override _final(cb: (e?: Error | null) => void): void {
    if (!this.peer.destroyed) this.peer.push(null);
    cb();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    const p = this.peer;
    if (!p.destroyed) {
      p.push(null);
      if (this.resetting) {
        const e = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
        process.nextTick(() => p.destroy(e));
      } else {
        process.nextTick(() => p.destroy());
      }
    }
    cb(err);
  }

  private resetting = false;

  /** As net.Socket's: the peer sees ECONNRESET. */
  resetAndDestroy(): this {
    this.resetting = true;
    return this.destroy();
  }

  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  setTimeout(_ms: number, cb?: () => void): this {
    void cb;
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
  const port = nextPort++ % 65536;
  const client = new PipeEnd(['127.0.0.1', port], ['127.0.0.1', serverPort]);
  const server = new PipeEnd(['127.0.0.1', serverPort], ['127.0.0.1', port]);
  client.peer = server;
  server.peer = client;
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
