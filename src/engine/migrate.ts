/**
 * MIGRATE's outgoing connections (cluster.c migrateGetSocket and friends).
 * The engine has no sockets: the server injects a connector (a TCP one), and
 * an engine without one cannot connect anywhere. Connections are cached per
 * "host:port" (at most 64) with the database last SELECTed on them, and a
 * cached connection unused for more than 10 seconds of the engine's clock is
 * closed (migrateCloseTimedoutSockets).
 *
 * A MIGRATE is one exchange on a connection: the request bytes, then the
 * number of reply lines it expects (connSyncReadLine). Exchanges on one
 * connection run one at a time, in order.
 */
import type { Bytes } from '../protocol/index.js';
import type { Clock, Timer } from '../time/index.js';

/** What the connector reports about a connection. */
export interface LinkEvents {
  /** The connection is up. */
  connected(): void;
  /** Bytes arrived (latin1). */
  data(chunk: Bytes): void;
  /**
   * The connection failed or closed: 'ETIMEDOUT' (connect or read timeout),
   * 'EPIPE' (a write failed), or any other code. Reported once; nothing follows.
   */
  failed(code: string): void;
}

export interface Link {
  /** Writes bytes (latin1). A write failure comes back as failed('EPIPE'). */
  write(data: Bytes): void;
  /** While > 0: failed('ETIMEDOUT') after this many ms without incoming data. 0 turns it off. */
  readTimeout(ms: number): void;
  close(): void;
}

/** Opens TCP connections for MIGRATE (the server's connector uses node:net). */
export interface Connector {
  /** Starts connecting; `timeoutMs` bounds the connect. */
  connect(host: string, port: number, timeoutMs: number, events: LinkEvents): Link;
}

/** MIGRATE_SOCKET_CACHE_ITEMS, MIGRATE_SOCKET_CACHE_TTL (seconds). */
const CACHE_ITEMS = 64;
const CACHE_TTL = 10;

/** What one exchange ends with: the reply lines (without CRLF), or the failure. */
export type ExchangeResult =
  | { ok: true; lines: Bytes[] }
  | { ok: false; phase: 'connect' | 'write' | 'read'; code: string; linesRead: number; lines: Bytes[] };

interface Exchange {
  request: Bytes;
  expect: number;
  timeoutMs: number;
  done: (r: ExchangeResult) => void;
  lines: Bytes[];
}

/** A cached connection: migrateCachedSocket. */
export class CachedLink {
  /** The database last SELECTed on it (-1: unknown). */
  lastDbid = -1;
  lastUse: number;
  private link: Link | undefined;
  private up = false;
  private dead = false;
  private buf = '';
  private readonly queue: Exchange[] = [];
  private wrote = false;

  constructor(private readonly owner: MigrateLinks, readonly name: string, host: string, port: number, timeoutMs: number, connector: Connector) {
    this.lastUse = owner.unixNow();
    this.link = connector.connect(host, port, timeoutMs, {
      connected: () => {
        this.up = true;
        this.pump();
      },
      data: (chunk) => this.onData(chunk),
      failed: (code) => this.onFailed(code),
    });
  }

  /** Sends `request` and collects `expect` reply lines once the exchanges before it are done. */
  exchange(request: Bytes, expect: number, timeoutMs: number, done: (r: ExchangeResult) => void): void {
    this.lastUse = this.owner.unixNow();
    if (this.dead) {
      done({ ok: false, phase: 'read', code: 'ECONNRESET', linesRead: 0, lines: [] });
      return;
    }
    this.queue.push({ request, expect, timeoutMs, done, lines: [] });
    if (this.queue.length === 1) this.pump();
  }

  private pump(): void {
    const x = this.queue[0];
    if (!x || !this.up || this.dead) return;
    if (!this.wrote) {
      this.wrote = true;
      this.link!.readTimeout(x.timeoutMs);
      this.link!.write(x.request);
    }
    this.drainLines();
  }

  /** Hands complete lines to the exchange in front; once it has all it expects, the next one is sent. */
  private drainLines(): void {
    const x = this.queue[0];
    if (!x) return;
    while (x.lines.length < x.expect) {
      const nl = this.buf.indexOf('\n');
      if (nl < 0) return;
      let line = this.buf.slice(0, nl);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.buf = this.buf.slice(nl + 1);
      x.lines.push(line as Bytes);
    }
    this.queue.shift();
    this.wrote = false;
    this.link?.readTimeout(0);
    x.done({ ok: true, lines: x.lines });
    this.pump();
  }

  private onData(chunk: Bytes): void {
    this.buf += chunk;
    this.drainLines();
  }

  private onFailed(code: string): void {
    if (this.dead) return;
    // Valkey's blocking connect only waits for the socket to be writable: a refused connection shows at the first write.
    const phase = !this.up ? (code === 'ECONNREFUSED' ? 'write' : 'connect') : code === 'EPIPE' ? 'write' : 'read';
    this.kill();
    const waiting = this.queue.splice(0);
    for (const x of waiting) x.done({ ok: false, phase, code, linesRead: x.lines.length, lines: x.lines });
  }

  /** Closes the connection and forgets it (migrateCloseSocket). */
  kill(): void {
    if (this.dead) return;
    this.dead = true;
    this.link?.close();
    this.link = undefined;
    this.owner.forget(this);
  }
}

/** server.migrate_cached_sockets. */
export class MigrateLinks {
  private readonly links = new Map<string, CachedLink>();
  private timer: Timer | undefined;

  constructor(private readonly clock: Clock, private readonly connector: () => Connector | undefined, private readonly random: (n: number) => number) {}

  unixNow(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  /** migrateGetSocket: the cached connection to host:port, or a new one (undefined without a connector). */
  get(host: Bytes, port: Bytes, timeoutMs: number): CachedLink | undefined {
    const name = `${host}:${port}`;
    const cached = this.links.get(name);
    if (cached) {
      cached.lastUse = this.unixNow();
      return cached;
    }
    const connector = this.connector();
    if (!connector) return undefined;
    if (this.links.size >= CACHE_ITEMS) [...this.links.values()][this.random(this.links.size)]!.kill();
    const n = Number(port);
    const link = new CachedLink(this, name, host, Number.isInteger(n) ? n : 0, timeoutMs, connector);
    this.links.set(name, link);
    this.arm();
    return link;
  }

  /** migrateCloseSocket. */
  close(host: Bytes, port: Bytes): void {
    this.links.get(`${host}:${port}`)?.kill();
  }

  /** @internal Called by a link that closed. */
  forget(link: CachedLink): void {
    if (this.links.get(link.name) === link) this.links.delete(link.name);
  }

  /** How many connections are cached (INFO-free introspection for tests). */
  get size(): number {
    return this.links.size;
  }

  /** The cron's migrateCloseTimedoutSockets, armed for the first second a cached connection could time out. */
  private arm(): void {
    if (this.timer !== undefined || this.links.size === 0) return;
    let first = Infinity;
    for (const l of this.links.values()) first = Math.min(first, l.lastUse);
    this.timer = this.clock.schedule((first + CACHE_TTL + 1) * 1000, () => {
      this.timer = undefined;
      const now = this.unixNow();
      for (const l of [...this.links.values()]) if (now - l.lastUse > CACHE_TTL) l.kill();
      this.arm();
    });
  }

  /** Closes every cached connection (engine close). */
  closeAll(): void {
    this.timer?.cancel();
    this.timer = undefined;
    for (const l of [...this.links.values()]) l.kill();
  }
}
