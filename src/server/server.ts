/**
 * A Valkey-compatible TCP server around one engine.
 */
import { createServer as netCreateServer, type Server as NetServer, type Socket } from 'node:net';
import { Engine, type EngineOptions } from '../engine/index.js';
import { SystemClock, VirtualClock, type Clock } from '../time/index.js';
import { realTimers } from '../time/real-timers.js';
import { Connection } from './connection.js';

export interface ServerOptions extends Partial<Omit<EngineOptions, 'clock'>> {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; 127.0.0.1 unless told otherwise. */
  host?: string;
  /**
   * The engine's only clock. 'system' (the default) is real time; 'virtual'
   * is a new frozen VirtualClock starting at the real time, moved only by
   * `server.clock.advance()`; or pass any Clock (e.g. your own VirtualClock).
   */
  clock?: Clock | 'system' | 'virtual';
  /** Use this engine instead of making one (cluster nodes, tests). */
  engine?: Engine;
}

function makeClock(c: ServerOptions['clock']): Clock {
  if (c === undefined || c === 'system') return new SystemClock();
  if (c === 'virtual') return new VirtualClock();
  return c;
}

export class ValkeyServer<C extends Clock = Clock> {
  readonly engine: Engine;
  private readonly net: NetServer;
  private readonly conns = new Set<Connection>();
  /** Every open socket, until its 'close' event: a connection closing after QUIT may still be draining. */
  private readonly sockets = new Set<Socket>();
  private nextFd = 8;
  private boundPort = 0;
  private boundHost: string;
  private closing: Promise<void> | undefined;

  constructor(private readonly opts: ServerOptions = {}) {
    this.boundHost = opts.host ?? '127.0.0.1';
    const { port: _port, host: _host, engine, clock, ...engineOpts } = opts;
    this.engine = engine ?? new Engine({
      ...engineOpts, clock: makeClock(clock), process: { pid: process.pid }, defer: (fn) => { realTimers.setImmediate(fn); },
    });
    this.net = netCreateServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  private accept(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    try {
      const conn = new Connection(this.engine, socket, this.nextFd++, (c) => this.conns.delete(c));
      this.conns.add(conn);
    } catch {
      socket.destroy();
    }
  }

  /** The engine's clock: a VirtualClock when the server was made with one (or with 'virtual'). */
  get clock(): C {
    return this.engine.clock as C;
  }

  /** The address the server listens on (e.g. 127.0.0.1). */
  get host(): string {
    return this.boundHost;
  }

  get port(): number {
    return this.boundPort;
  }

  /** redis://host:port, for clients that take a URL. */
  get url(): string {
    const h = this.boundHost.includes(':') ? `[${this.boundHost}]` : this.boundHost;
    return `redis://${h}:${this.boundPort}`;
  }

  /** Number of open client connections. */
  get connections(): number {
    return this.conns.size;
  }

  /**
   * Empties every database, as FLUSHALL does (WATCHers see their keys
   * change), without a client connection: for test hooks between tests.
   */
  flushAll(): void {
    this.engine.emptyData(-1, this.engine.clock.now());
  }

  /** @internal Per-connection output accounting, for tests of backpressure. */
  connectionStats(): { id: number; pendingOutput: number; readPaused: boolean }[] {
    return [...this.conns].map((c) => ({ id: c.client.id, pendingOutput: c.pendingOutput, readPaused: c.readPaused }));
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.net.once('error', onError);
      this.net.listen(this.opts.port ?? 0, this.boundHost, () => {
        this.net.off('error', onError);
        resolve();
      });
    });
    // Errors after listening (EMFILE on accept...) must not crash the host process.
    this.net.on('error', () => {});
    const a = this.net.address();
    if (a && typeof a === 'object') {
      this.boundPort = a.port;
      this.boundHost = a.address;
      this.engine.process.tcpPort = a.port;
      // CONFIG GET port / bind and INFO's listener line report what this server listens on.
      this.engine.config.force('port', String(a.port));
      if (this.opts.config?.['bind'] === undefined) this.engine.config.force('bind', a.address);
    }
    return this;
  }

  /** Stops listening, closes every connection and stops the engine's timers. Idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const c of [...this.conns]) c.destroy();
      for (const sock of [...this.sockets]) sock.destroy();
      this.engine.close();
      if (!this.net.listening) return resolve();
      this.net.close(() => resolve());
    });
    return this.closing;
  }
}

/**
 * Starts a server; resolves once it accepts connections.
 *
 *   const server = await createServer({ clock: 'virtual' });
 *   // connect a client to server.url ... server.clock.advance(1000) ... await server.close();
 */
export function createServer(opts: ServerOptions & { clock: 'virtual' }): Promise<ValkeyServer<VirtualClock>>;
export function createServer<C extends Clock>(opts: ServerOptions & { clock: C }): Promise<ValkeyServer<C>>;
export function createServer(opts?: ServerOptions): Promise<ValkeyServer>;
export async function createServer(opts: ServerOptions = {}): Promise<ValkeyServer> {
  return new ValkeyServer(opts).listen();
}
