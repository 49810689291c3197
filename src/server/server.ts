/**
 * A Valkey-compatible TCP server around one engine.
 */
import { createServer as netCreateServer, type Server as NetServer, type Socket } from 'node:net';
import { Engine, type EngineOptions } from '../engine/index.js';
import { SystemClock, VirtualClock, type Clock } from '../time/index.js';
import { realTimers } from '../time/real-timers.js';
import { Connection } from './connection.js';
import { tcpConnector } from './connector.js';
import { nodeFiles } from './files.js';
import { createPipe, makeIoredisConnector, type ConnectorBase, type PipeEnd } from './in-process.js';
import { FaultLayer } from './faults/layer.js';
import { Faults, type FaultsOptions } from './faults/faults.js';
import type { ReplicationHub } from './replication.js';

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
  /**
   * Fault injection (`server.faults`): options for its own Faults ({ seed,
   * admin: true to accept the DOUBLE.* commands over the wire... }), or a
   * Faults shared with other servers.
   */
  faults?: Faults | FaultsOptions;
  /** This server's name in fault rules' `node` matcher; "host:port" by default. */
  nodeName?: string;
  /** The in-process servers REPLICAOF host port can reach: share one between the servers of a test. */
  replicationHub?: ReplicationHub;
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
  /** Fault rules for this server's connections (see src/server/faults). */
  readonly faults: Faults;
  private readonly layer: FaultLayer;
  private readonly ownsFaults: boolean;
  /** Crashed: connections reset, the port refuses, until restart(). */
  private down = false;
  private errorGuard = false;

  constructor(private readonly opts: ServerOptions = {}) {
    this.boundHost = opts.host ?? '127.0.0.1';
    const { port: _port, host: _host, engine, clock, faults, nodeName, replicationHub: _hub, ...engineOpts } = opts;
    this.engine = engine ?? new Engine({
      files: nodeFiles, connector: tcpConnector, ...engineOpts, clock: makeClock(clock), process: { pid: process.pid, rss: () => process.memoryUsage.rss() }, defer: (fn) => { realTimers.setImmediate(fn); },
    });
    this.engine.onShutdown = () => this.shutdownByCommand();
    this.ownsFaults = !(faults instanceof Faults);
    this.faults = faults instanceof Faults ? faults : new Faults(faults);
    this.layer = new FaultLayer(this.faults, () => nodeName ?? `${this.boundHost}:${this.boundPort}`, this.engine.clock, () => this.conns, {
      faults: this.faults,
      clock: this.engine.clock,
      authRequired: () => this.engine.authRequired,
    });
    this.net = netCreateServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  private accept(socket: Socket): void {
    if (this.closing || this.down) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    if (!this.layer.accept(socket)) return;
    const refused = this.engine.admissionError();
    if (refused !== undefined) {
      // Best effort, as Valkey: the error line, then the connection closes.
      socket.end(`-${refused}\r\n`, 'latin1');
      return;
    }
    try {
      const conn = new Connection(this.engine, socket, this.nextFd++, (c) => this.conns.delete(c), this.layer);
      this.conns.add(conn);
      this.layer.opened(conn);
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
      // A restart listens on the port it had.
      this.net.listen(this.boundPort || (this.opts.port ?? 0), this.boundHost, () => {
        this.net.off('error', onError);
        resolve();
      });
    });
    // Errors after listening (EMFILE on accept...) must not crash the host process.
    if (!this.errorGuard) this.net.on('error', () => {});
    this.errorGuard = true;
    const a = this.net.address();
    if (a && typeof a === 'object') {
      this.boundPort = a.port;
      this.boundHost = a.address;
      this.engine.process.tcpPort = a.port;
      // CONFIG GET port / bind and INFO's listener line report what this server listens on.
      this.engine.config.force('port', String(a.port));
      if (this.opts.config?.['bind'] === undefined) this.engine.config.force('bind', a.address);
    }
    const hub = this.opts.replicationHub;
    if (hub) {
      hub.register(this.boundHost, this.boundPort, this.engine);
      this.engine.repl.connector = (host, port) => hub.connect(this.engine, host, port);
    }
    return this;
  }

  /**
   * A connection without TCP: the returned duplex stream is the client's end;
   * the server serves the other end as it serves a socket (same faults, same
   * bytes). Works before listen() too.
   */
  connectInProcess(): PipeEnd {
    const [client, server] = createPipe(this.boundPort);
    this.accept(server as unknown as Socket);
    return client;
  }

  /**
   * An ioredis / iovalkey `Connector` that connects in process:
   * `new Redis({ Connector: server.ioredisConnector(AbstractConnector) })`
   * with AbstractConnector imported from the client library.
   */
  ioredisConnector<B extends ConnectorBase>(Base: B): new (options: unknown) => InstanceType<B> {
    return makeIoredisConnector(Base, () => this.connectInProcess());
  }

  /**
   * A crash, as a node-level fault: every connection is reset (clients see
   * ECONNRESET), and the port refuses connections (ECONNREFUSED) until
   * restart(). The data stays in memory for restart() to keep or drop.
   */
  async crash(): Promise<void> {
    if (this.closing || this.down) return;
    this.down = true;
    for (const c of [...this.conns]) c.kill('reset');
    for (const sock of [...this.sockets]) sock.destroy();
    if (this.net.listening) await new Promise<void>((resolve) => this.net.close(() => resolve()));
  }

  /**
   * SHUTDOWN: as a crash, but every connection gets its pending replies and
   * an orderly close (FIN). restart() brings the server back on its port.
   */
  private shutdownByCommand(): void {
    if (this.closing || this.down) return;
    this.down = true;
    for (const c of [...this.conns]) c.kill('end');
    if (this.net.listening) this.net.close();
  }

  /** Whether the server is crashed (see crash()). */
  get isDown(): boolean {
    return this.down;
  }

  /**
   * Comes back after crash() on the same host and port. `flush: true` starts
   * with every database empty, as a restart without persistence does; by
   * default the data is kept, as a restart that loaded its dataset.
   */
  async restart(opts: { flush?: boolean } = {}): Promise<this> {
    if (this.closing) throw new Error('the server is closed');
    if (!this.down) await this.crash();
    if (opts.flush) this.flushAll();
    await this.listen();
    this.down = false;
    return this;
  }

  /** Lets the process exit while the server listens (a per-worker server of the test adapters). */
  unref(): this {
    this.net.unref();
    return this;
  }

  /** Stops listening, closes every connection and stops the engine's timers. Idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const c of [...this.conns]) c.destroy();
      for (const sock of [...this.sockets]) sock.destroy();
      // Timers of pauses end; hung requests of closed connections never run.
      if (this.ownsFaults) this.faults.releaseAll();
      this.layer.detach();
      this.opts.replicationHub?.unregister(this.boundHost, this.boundPort);
      this.opts.replicationHub?.connect(this.engine, null, 0);
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
