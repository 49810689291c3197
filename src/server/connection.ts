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
import { encode, RequestDecoder, R, type Bytes, type Reply } from '../protocol/index.js';
import { BLOCKED, type Client, type Engine } from '../engine/index.js';
import { realTimers } from '../time/index.js';
import { ReplicaStream } from './replica-stream.js';

/** Stop executing and reading while this many reply bytes wait to be written. */
export const HIGH_WATER = 1 << 20;

/**
 * Where the reply bytes of a connection go: the socket itself, or a layer in
 * front of it that shapes output (src/server/faults: chunks, bandwidth, cut).
 */
export interface Wire {
  write(data: string): void;
  /** Close once everything written has gone out. */
  end(): void;
  /** Bytes written but not yet sent. */
  readonly writableLength: number;
}

/**
 * A layer between the connection and the engine (src/server/faults). It sees
 * every request first and may take it over, using the connection's
 * `execute`/`send`/`hold`/`resume`/`kill` methods.
 */
export interface ConnectionHooks {
  /** True when the layer took the request (it replies, holds or closes); false runs it as usual. */
  request(conn: Connection, argv: readonly Bytes[]): boolean;
  /** A reply delivered later (a blocked command's, a push): true when the layer swallowed it. */
  delivered?(conn: Connection, reply: Reply): boolean;
  /** The connection closed. */
  closed?(conn: Connection): void;
  /** The wire replies are written to; the socket when absent. */
  wire?(socket: Socket): Wire;
}

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
  /** Requests wait: a hook holds this connection (a delayed or hung request). */
  private held = false;
  /** Reading stopped by a hook (a paused node). */
  private readsHeld = false;
  private readonly wire: Wire;

  constructor(
    private readonly engine: Engine,
    private readonly socket: Socket,
    fd: number,
    private readonly onClose: (c: Connection) => void,
    private readonly hooks?: ConnectionHooks,
  ) {
    this.wire = hooks?.wire?.(socket) ?? socketWire(socket);
    const addr = `${socket.remoteAddress ?? '127.0.0.1'}:${socket.remotePort ?? 0}`;
    const laddr = `${socket.localAddress ?? '127.0.0.1'}:${socket.localPort ?? 0}`;
    this.client = engine.connect({ addr, laddr, fd }, {
      deliver: (reply, push) => this.deliver(reply, push === true),
      pendingOutput: () => this.pendingOutput,
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
    return this.out.length + (this.closed ? 0 : this.wire.writableLength);
  }

  /** Whether reading is paused by backpressure. */
  get readPaused(): boolean {
    return this.paused;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.client.netIn += chunk.length;
    this.decoder.push(chunk);
    // client-query-buffer-limit (and 1 MB before AUTH): the client is closed, nothing it sent runs.
    if (this.engine.outputLimits.queryExceeded(this.client, this.decoder.pending, this.engine.config.getInt('client-query-buffer-limit'))) {
      this.destroy();
      return;
    }
    this.process();
  }

  /** Runs every complete request that is buffered, unless blocked, closing or backed up. */
  private process(): void {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.closed && !this.closeAfterFlush && !this.held && !this.readsHeld && this.client.blocked === null) {
        if (this.out.length >= HIGH_WATER) this.flush();
        if (this.wire.writableLength >= HIGH_WATER) {
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
        if (this.hooks?.request(this, req.argv)) continue;
        if (ReplicaStream.wants(req.argv, this.replica !== undefined) && this.replicaStream().request(req.argv)) continue;
        const reply = this.execute(req.argv);
        if (reply === BLOCKED) break;
        if (reply !== undefined) this.append(reply);
      }
    } finally {
      this.running = false;
    }
    this.engine.beforeSleep();
    this.flush();
  }

  /**
   * Runs one request in the engine (hooks call this for a request they took).
   * The caller sends the reply, or drops it; BLOCKED means it comes later.
   */
  execute(argv: readonly Bytes[]): Reply | typeof BLOCKED | undefined {
    let reply: Reply | typeof BLOCKED | undefined;
    try {
      reply = this.engine.execute(this.client, argv);
    } catch (e) {
      // The engine turns handler errors into replies; this guards against anything else.
      reply = internalError(e);
    }
    if (this.client.closing) this.closeAfterFlush = true;
    return reply;
  }

  /** Queues a reply in order with the others (hooks). */
  send(reply: Reply): void {
    if (this.closed) return;
    this.append(reply);
    if (!this.running) this.flush();
  }

  /** Where this connection's reply bytes go. */
  get output(): Wire {
    return this.wire;
  }

  /** Whether the connection is gone. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Encodes a reply for this connection's protocol version. */
  encodeReply(reply: Reply): string {
    return encode(reply, this.client.resp) as string;
  }

  /** Writes what is queued now, in order (before a hook writes bytes of its own through its wire). */
  flushNow(): void {
    this.flush();
  }

  /** Stops running requests until resume() (a hook delays or hangs a request). */
  hold(): void {
    this.held = true;
  }

  /** Runs the requests that waited while held. */
  resume(): void {
    if (!this.held) return;
    this.held = false;
    if (!this.closed && !this.running) this.process();
  }

  /** Stops or restarts reading the socket (a hook pauses a node's reads). */
  holdReads(on: boolean): void {
    if (this.closed || this.readsHeld === on) return;
    this.readsHeld = on;
    if (on) this.socket.pause();
    else {
      if (!this.paused) this.socket.resume();
      if (!this.running) this.process();
    }
  }

  /**
   * Closes now, as a network fault: what is queued is written first
   * ('end' sends FIN after it) or dropped ('reset' sends RST).
   */
  kill(how: 'end' | 'reset' = 'end'): void {
    if (this.closed) return;
    if (how === 'end') {
      this.closeAfterFlush = true;
      if (!this.running) this.flush();
      return;
    }
    this.replica?.close();
    this.closed = true;
    this.out = '';
    this.engine.disconnect(this.client);
    this.socket.resetAndDestroy();
    this.onClose(this);
    this.hooks?.closed?.(this);
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
  private deliver(reply: Reply, push: boolean): void {
    if (this.closed) return;
    if (this.hooks?.delivered?.(this, reply)) {
      if (!this.running && this.client.blocked === null) this.process();
      return;
    }
    this.append(reply);
    // Inside process() the reply is flushed with the others. A push (a message
    // published by another client, a MONITOR line) only goes out: it must not
    // run this client's waiting requests inside the publisher's command.
    if (this.running) return;
    if (this.client.blocked === null && !push) this.process();
    else if (push) this.flushSoon();
    else this.flush();
  }

  /** Pushes (one PUBLISH to many subscribers, message after message) go out in one write per turn of the event loop. */
  private flushScheduled = false;

  private flushSoon(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    realTimers.setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.closed) return;
    if (this.out.length > 0) {
      const data = this.out;
      this.out = '';
      this.client.netOut += data.length;
      this.wire.write(data);
      // closeClientOnOutputBufferLimitReached: a client over its limit goes at once, its output dropped.
      if (this.engine.outputLimits.exceeded(this.client, this.wire.writableLength, this.engine.clock.now())) {
        this.destroy();
        return;
      }
    }
    if (this.closeAfterFlush && !this.running) {
      this.closed = true;
      this.engine.disconnect(this.client);
      this.wire.end();
      this.onClose(this);
      this.hooks?.closed?.(this);
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
    if (this.paused && !this.closed && this.wire.writableLength < HIGH_WATER) {
      this.paused = false;
      if (!this.readsHeld) this.socket.resume();
    }
  }

  /** CLIENT KILL / QUIT from the engine: close once pending replies are out. */
  private requestClose(): void {
    if (this.closed) return;
    this.closeAfterFlush = true;
    if (!this.running) this.flush();
  }

  /** SYNC / PSYNC made this connection a replica: the stream is written to it. */
  private replica: ReplicaStream | undefined;

  private replicaStream(): ReplicaStream {
    this.replica ??= new ReplicaStream(this.engine, this.client, (bytes) => {
      if (this.closed) return;
      this.flush();
      this.wire.write(bytes);
    });
    return this.replica;
  }

  /** Closes at once, dropping pending output (server shutdown, socket error). */
  destroy(): void {
    if (this.closed) return;
    this.replica?.close();
    this.closed = true;
    this.out = '';
    this.engine.disconnect(this.client);
    this.socket.destroy();
    this.onClose(this);
    this.hooks?.closed?.(this);
  }
}

/** Replies are latin1 strings: one char per byte. */
export function socketWire(socket: Socket): Wire {
  return {
    write: (data) => void socket.write(data, 'latin1'),
    end: () => void socket.end(),
    get writableLength() { return socket.writableLength; },
  };
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
