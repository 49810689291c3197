/**
 * One TCP connection: decodes requests, runs them through the engine in
 * order, and writes replies. The replies of a pipelined batch go out in one
 * write.
 *
 * Backpressure: once `HIGH_WATER` bytes wait in the socket (a client that
 * pipelines without reading), the connection stops executing requests and
 * stops reading the socket; both resume on 'drain'. Memory per connection is
 * thus bounded by about HIGH_WATER + one reply + one read chunk of requests.
 *
 * While the client is blocked (BLPOP...), later requests wait in the decoder.
 * Nothing a handler does (throw, return garbage) reaches the event loop: the
 * client gets an error reply and every other connection is untouched.
 */
import type { Socket } from 'node:net';
import { encode, RequestDecoder, R, type Reply } from '../protocol/index.js';
import { BLOCKED, type Client, type Engine } from '../engine/index.js';

/** Stop executing and reading while this many reply bytes wait to be written. */
export const HIGH_WATER = 1 << 20;

export class Connection {
  readonly client: Client;
  private readonly decoder: RequestDecoder;
  /** Encoded replies not yet handed to the socket. */
  private out = '';
  private closed = false;
  private closeAfterFlush = false;
  /** Reading paused because too much output is queued. */
  private paused = false;
  /** Inside process(): replies delivered now are appended in order, not flushed. */
  private running = false;

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

  /** Reply bytes queued in this connection and its socket, not yet sent. */
  get pendingOutput(): number {
    return this.out.length + (this.closed ? 0 : this.socket.writableLength);
  }

  /** Whether reading is paused by backpressure. */
  get readPaused(): boolean {
    return this.paused;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.client.netIn += chunk.length;
    this.decoder.push(chunk);
    this.process();
  }

  /** Runs every complete request that is buffered, unless blocked, closing or backed up. */
  private process(): void {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.closed && !this.closeAfterFlush && this.client.blocked === null) {
        if (this.out.length >= HIGH_WATER) this.flush();
        if (this.socket.writableLength >= HIGH_WATER) {
          this.pauseReading();
          break;
        }
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
          // The engine turns handler errors into replies; this guards against anything else.
          reply = internalError(e);
        }
        if (reply === BLOCKED) break;
        if (reply !== undefined) this.append(reply);
        // Pushes made for this client while its command ran go after the reply (pending_push_messages).
        while (this.client.pendingPushes.length > 0) this.append(this.client.pendingPushes.shift()!);
        if (this.client.closing) this.closeAfterFlush = true;
      }
    } finally {
      this.running = false;
    }
    this.flush();
  }

  private append(reply: Reply): void {
    let s: unknown;
    try {
      s = encode(reply, this.client.resp);
    } catch (e) {
      s = encode(internalError(e), 2);
    }
    if (typeof s !== 'string') {
      // A handler returned something that is not a Reply (undefined, a promise...).
      // A rejected promise must not become an unhandled rejection that kills the process.
      const then = (reply as { then?: unknown } | null | undefined)?.then;
      if (typeof then === 'function') (then as (a: unknown, b: unknown) => void).call(reply, undefined, () => {});
      s = encode(internalError(new Error('handler returned an invalid reply')), 2);
    }
    this.out += s as string;
  }

  /** A reply produced outside this connection's own request: a blocked command ending, a push. */
  private deliver(reply: Reply): void {
    if (this.closed) return;
    this.append(reply);
    // While a command runs (a push to its own client), the push goes out before
    // that command's reply, as in Valkey; process() flushes both.
    if (this.running) return;
    if (this.client.blocked === null) this.process();
    else this.flush();
  }

  private flush(): void {
    if (this.closed) return;
    if (this.out.length > 0) {
      const data = this.out;
      this.out = '';
      this.client.netOut += data.length;
      this.socket.write(data, 'latin1');
    }
    if (this.closeAfterFlush && !this.running) {
      this.closed = true;
      this.engine.disconnect(this.client);
      this.socket.end();
      this.onClose(this);
    }
  }

  private pauseReading(): void {
    if (this.paused) return;
    this.paused = true;
    this.socket.pause();
  }

  private onDrain(): void {
    if (this.closed) return;
    // Run what waited in the decoder; it may fill the socket again.
    this.process();
    if (this.paused && !this.closed && this.socket.writableLength < HIGH_WATER) {
      this.paused = false;
      this.socket.resume();
    }
  }

  /** CLIENT KILL / QUIT from the engine: close once pending replies are out. */
  private requestClose(): void {
    if (this.closed) return;
    this.closeAfterFlush = true;
    if (!this.running) this.flush();
  }

  /** Closes at once, dropping pending output (server shutdown, socket error). */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.out = '';
    this.engine.disconnect(this.client);
    this.socket.destroy();
    this.onClose(this);
  }
}

function internalError(e: unknown): Reply {
  let msg: string;
  try {
    msg = e instanceof Error ? e.message : String(e);
  } catch {
    msg = 'unprintable error';
  }
  return R.error(`ERR internal error in valkey-double: ${msg}`.replace(/[\r\n]/g, ' '));
}
