/**
 * One TCP connection: decodes requests, runs them through the engine in
 * order, and writes replies. Replies of a pipelined batch go out in one
 * write; while the socket's buffer is full, reading pauses (backpressure).
 * While the client is blocked, later requests wait in the decoder.
 */
import type { Socket } from 'node:net';
import { encode, RequestDecoder, R, type Reply } from '../protocol/index.js';
import { BLOCKED, type Client, type Engine } from '../engine/index.js';

/** Stop reading while this many bytes wait to be written. */
const HIGH_WATER = 1 << 20;

export class Connection {
  readonly client: Client;
  private readonly decoder: RequestDecoder;
  private out = '';
  private closed = false;
  private closeAfterFlush = false;
  private paused = false;

  constructor(
    private readonly engine: Engine,
    private readonly socket: Socket,
    fd: number,
    private readonly onClose: (c: Connection) => void,
  ) {
    const addr = `${socket.remoteAddress ?? '127.0.0.1'}:${socket.remotePort ?? 0}`;
    const laddr = `${socket.localAddress ?? '127.0.0.1'}:${socket.localPort ?? 0}`;
    this.client = engine.connect({ addr, laddr, fd }, {
      deliver: (reply) => this.deliver(reply),
      close: () => this.requestClose(),
    });
    this.decoder = new RequestDecoder({
      maxBulkLen: () => engine.config.getInt('proto-max-bulk-len'),
      authRequired: () => !this.client.authenticated && engine.authRequired,
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('error', () => this.destroy());
    socket.on('close', () => this.destroy());
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.client.netIn += chunk.length;
    this.decoder.push(chunk);
    this.process();
  }

  /** Runs every complete request that is buffered, unless blocked or closing. */
  private process(): void {
    while (!this.closed && !this.closeAfterFlush && this.client.blocked === null) {
      const req = this.decoder.next();
      if (req === null) break;
      if ('error' in req) {
        this.append(R.error(req.error));
        this.closeAfterFlush = true;
        break;
      }
      let reply: Reply | typeof BLOCKED | undefined;
      try {
        reply = this.engine.execute(this.client, req.argv);
      } catch (e) {
        // The engine catches handler errors; this guards the connection against anything else.
        reply = R.error(`ERR internal error in valkey-double: ${e instanceof Error ? e.message : String(e)}`.replace(/[\r\n]/g, ' '));
      }
      if (reply === BLOCKED) break;
      if (reply !== undefined) this.append(reply);
      if (this.client.closing) this.closeAfterFlush = true;
    }
    this.flush();
  }

  private append(reply: Reply): void {
    this.out += encode(reply, this.client.resp);
  }

  /** A reply that arrives later: a blocked command ending, or a push. */
  private deliver(reply: Reply): void {
    if (this.closed) return;
    this.append(reply);
    if (this.client.blocked === null) this.process();
    else this.flush();
  }

  private flush(): void {
    if (this.out.length > 0 && !this.closed) {
      const data = this.out;
      this.out = '';
      this.client.netOut += data.length;
      const ok = this.socket.write(data, 'latin1');
      if (!ok && !this.paused) {
        this.paused = true;
        this.socket.pause();
      }
    }
    if (this.closeAfterFlush && !this.closed) {
      this.closed = true;
      this.engine.disconnect(this.client);
      this.socket.end();
      this.onClose(this);
    }
  }

  private onDrain(): void {
    if (this.paused && this.socket.writableLength < HIGH_WATER) {
      this.paused = false;
      this.socket.resume();
    }
  }

  /** CLIENT KILL / QUIT from the engine: close once pending replies are out. */
  private requestClose(): void {
    this.closeAfterFlush = true;
    this.flush();
  }

  /** Closes at once, dropping pending output (server shutdown, socket error). */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.engine.disconnect(this.client);
    this.socket.destroy();
    this.onClose(this);
  }
}
