/**
 * A Valkey-compatible TCP server around one engine.
 */
import { createServer as netCreateServer, type Server as NetServer } from 'node:net';
import { Engine, type EngineOptions } from '../engine/index.js';
import { SystemClock, type Clock } from '../time/index.js';
import { Connection } from './connection.js';

export interface ServerOptions extends Partial<Omit<EngineOptions, 'clock'>> {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; loopback unless told otherwise. */
  host?: string;
  /** The engine's only clock: a VirtualClock for tests that travel in time. Default: real time. */
  clock?: Clock;
  /** Use this engine instead of making one (cluster nodes, tests). */
  engine?: Engine;
}

export class ValkeyServer {
  readonly engine: Engine;
  private readonly net: NetServer;
  private readonly conns = new Set<Connection>();
  private nextFd = 8;
  private boundPort = 0;
  private boundHost: string;

  constructor(private readonly opts: ServerOptions = {}) {
    this.boundHost = opts.host ?? '127.0.0.1';
    const { port: _port, host: _host, engine, clock, ...engineOpts } = opts;
    this.engine = engine ?? new Engine({ ...engineOpts, clock: clock ?? new SystemClock(), process: { pid: process.pid } });
    this.net = netCreateServer({ noDelay: true }, (socket) => {
      const conn = new Connection(this.engine, socket, this.nextFd++, (c) => this.conns.delete(c));
      this.conns.add(conn);
    });
  }

  get clock(): Clock {
    return this.engine.clock;
  }

  get host(): string {
    return this.boundHost;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    const h = this.boundHost.includes(':') ? `[${this.boundHost}]` : this.boundHost;
    return `redis://${h}:${this.boundPort}`;
  }

  /** Number of open client connections. */
  get connections(): number {
    return this.conns.size;
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
    const a = this.net.address();
    if (a && typeof a === 'object') {
      this.boundPort = a.port;
      this.engine.process.tcpPort = a.port;
    }
    return this;
  }

  /** Stops listening, closes every connection and stops the engine's timers. */
  async close(): Promise<void> {
    for (const c of [...this.conns]) c.destroy();
    this.engine.close();
    await new Promise<void>((resolve) => this.net.close(() => resolve()));
  }
}

/** Starts a server; resolves once it accepts connections. */
export async function createServer(opts: ServerOptions = {}): Promise<ValkeyServer> {
  return new ValkeyServer(opts).listen();
}
