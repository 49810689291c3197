/**
 * A RESP-aware fault proxy: clients connect to it, it forwards their
 * requests to a real Valkey (or any RESP server) and its replies back, and
 * applies the same fault rules as valkey-double's own server (the Faults of
 * src/server/faults: the same matching, effects, lifetimes, seeds and
 * records). Requests and replies are parsed at frame level, so a rule sees
 * commands and keys, and effects act on whole replies (cut at byte N of this
 * reply, drop this reply, close after this command ran...).
 *
 *   const proxy = await createProxy({ target: { host: '127.0.0.1', port: 6379 } });
 *   proxy.faults.on('GET', { key: 'user:*' }).error('LOADING').times(2);
 *   // connect a client to proxy.url
 *
 * One upstream connection per client connection. While any rule is in
 * effect, a request goes on only once the replies before it came back (so a
 * fault acts at an exact point of the stream); with no rule, requests are
 * pipelined as they come.
 *
 * Not handled yet: rewriting cluster addresses (MOVED/ASK, CLUSTER SLOTS /
 * SHARDS / NODES) so that redirects reach the proxy; CLIENT REPLY OFF/SKIP
 * (replies are matched to requests one to one).
 */
import { createServer as netCreateServer, connect as netConnect, type Server as NetServer, type Socket } from 'node:net';
import { encode, ReplyParser, RequestDecoder, R, type Bytes, type RawReply, type Reply } from '../protocol/index.js';
import { SystemClock, type Clock } from '../time/index.js';
import { Faults, type FaultsOptions, type FaultableConnection, type NodeContext } from '../server/faults/faults.js';
import { commandInfo, requestKeys } from '../server/faults/match.js';
import { handleAdmin, isAdminCommand } from '../server/faults/admin.js';
import { ShapedWire } from '../server/faults/wire.js';

export interface ProxyOptions {
  /** The server the proxy forwards to. */
  target: { host: string; port: number };
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Options of its own Faults ({ seed, admin: true for DOUBLE.FAULT over the wire }), or a Faults shared with servers. */
  faults?: Faults | FaultsOptions;
  /** Its name in rules' `node` matcher; "host:port" of the proxy by default. */
  nodeName?: string;
  /** The clock of delays on 'server' time and of `until` (default: real time). */
  clock?: Clock;
}

/** Commands whose confirmations come as pushes (RESP3) or out-of-band arrays (RESP2): no reply is matched to them. */
const PUBSUB_COMMANDS = new Set(['subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe']);
/** First elements of the RESP2 arrays that are pub/sub traffic, not replies, on a subscribed connection. */
const PUBSUB_KINDS = new Set([...PUBSUB_COMMANDS, 'message', 'pmessage', 'smessage']);

const PENDING = Symbol('proxied');
const EXECABORT = 'EXECABORT Transaction discarded because of previous errors.';

/** What to do with an upstream reply when it comes. */
type Entry =
  /** Straight to the client. */
  | { kind: 'pass' }
  /** To the fault layer (a request a rule took, forwarded by execute()). */
  | { kind: 'fault' }
  /** Replaced by this error (EXEC of a transaction a fault flagged: the proxy sent DISCARD instead). */
  | { kind: 'replace'; error: string };

function encodeRequest(argv: readonly Bytes[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

let nextProxyClientId = 1;

class ProxyConnection implements FaultableConnection {
  readonly client: FaultableConnection['client'] & { authenticated: boolean };
  readonly output: ShapedWire;
  private readonly decoder = new RequestDecoder();
  private readonly parser = new ReplyParser();
  private readonly upstream: Socket;
  private readonly entries: Entry[] = [];
  private closed = false;
  private held = false;
  private readsHeld = false;
  /** A request a rule took is waiting for its upstream reply. */
  private awaiting = false;
  /** RESP2 subscribed mode: pub/sub arrays are not replies. */
  private subscribed = false;
  /** Raw reply bytes behind the reply objects handed to the fault layer. */
  private readonly raw = new WeakMap<Reply, string>();

  constructor(
    private readonly proxy: FaultProxy,
    private readonly socket: Socket,
    target: { host: string; port: number },
  ) {
    this.output = new ShapedWire(socket);
    this.client = {
      id: nextProxyClientId++,
      name: '',
      libName: '',
      conn: { addr: `${socket.remoteAddress ?? '127.0.0.1'}:${socket.remotePort ?? 0}` },
      resp: 2,
      multi: null,
      authenticated: true,
    };
    socket.setNoDelay(true);
    this.upstream = netConnect({ host: target.host, port: target.port });
    this.upstream.setNoDelay(true);
    this.upstream.on('data', (b: Buffer) => this.onUpstream(b));
    this.upstream.on('error', () => this.kill('end'));
    this.upstream.on('close', () => this.kill('end'));
    socket.on('data', (b: Buffer) => {
      this.decoder.push(b);
      this.process();
    });
    socket.on('error', () => this.destroy());
    socket.on('close', () => this.destroy());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private process(): void {
    while (!this.closed && !this.held && !this.awaiting && !this.readsHeld) {
      // Under rules, a request waits for the replies before it, so that a fault lands at its exact place.
      if (this.entries.length > 0 && this.proxy.faults.active().length > 0) return;
      const req = this.decoder.next();
      if (req === null) return;
      if ('error' in req) {
        this.send(R.error(req.error));
        this.kill('end');
        return;
      }
      const argv = req.argv;
      if (argv.length === 0) continue;
      if (isAdminCommand(argv[0]!) && this.proxy.faults.admin) {
        this.proxy.faults.markAdmin(this);
        this.send(handleAdmin(this.proxy.adminContext, this, argv));
        continue;
      }
      const info = commandInfo(argv);
      let took: boolean;
      try {
        took = this.proxy.faults.request(this.proxy.node, this, argv, info, () => requestKeys(info, argv));
      } catch (e) {
        this.send(R.error(`ERR valkey-double fault layer: ${e instanceof Error ? e.message : String(e)}`.replace(/[\r\n]+/g, ' ')));
        continue;
      }
      if (!took) this.forward(argv, 'pass');
    }
  }

  /** Sends a request upstream; its reply goes where `mode` says. */
  private forward(argv: readonly Bytes[], mode: 'pass' | 'fault'): boolean {
    const info = commandInfo(argv);
    let entry: Entry | undefined = { kind: mode };
    let out = argv;
    if (info.base === 'exec' && this.client.multi?.aborted) {
      // A fault rejected a queued command: the real server queued it, so EXEC would run the rest.
      out = ['DISCARD'];
      entry = { kind: 'replace', error: EXECABORT };
    }
    this.track(info.name, argv);
    if (PUBSUB_COMMANDS.has(info.base)) {
      if (info.base.endsWith('subscribe') && !info.base.includes('unsub')) this.subscribed = this.client.resp === 2;
      entry = undefined;
    }
    if (entry) this.entries.push(entry);
    this.upstream.write(encodeRequest(out), 'latin1');
    return entry !== undefined;
  }

  /** Follows the connection state rules match on and replies depend on. */
  private track(name: string, argv: readonly Bytes[]): void {
    switch (name) {
      case 'multi': this.client.multi = { aborted: false }; break;
      case 'exec': case 'discard': this.client.multi = null; break;
      case 'reset': this.client.multi = null; this.client.resp = 2; this.client.name = ''; this.subscribed = false; break;
      case 'client|setname': this.client.name = argv[2] ?? ''; break;
      case 'client|setinfo':
        if ((argv[2] ?? '').toLowerCase() === 'lib-name') this.client.libName = argv[3] ?? '';
        break;
      case 'hello': {
        if (argv[1] === '3' || argv[1] === '2') this.client.resp = Number(argv[1]) as 2 | 3;
        for (let i = 2; i < argv.length - 1; i++) if (argv[i]!.toLowerCase() === 'setname') this.client.name = argv[i + 1]!;
        break;
      }
    }
  }

  private onUpstream(b: Buffer): void {
    this.parser.push(b);
    let r: RawReply | null;
    while ((r = this.parser.next()) !== null) this.reply(r);
    if (this.entries.length === 0) this.proxy.upstreamIdle(this);
    this.process();
  }

  private unsolicited(r: RawReply): boolean {
    const v = r.value;
    if (v.type === 'push') return true;
    if (!this.subscribed || v.type !== 'array' || !v.value || v.value.length === 0) return false;
    const first = v.value[0]!;
    if (first.type !== 'bulk' || !PUBSUB_KINDS.has(first.value.toLowerCase())) return false;
    const last = v.value[v.value.length - 1]!;
    if (first.value.toLowerCase().endsWith('unsubscribe') && last.type === 'int' && last.value === 0n) this.subscribed = false;
    return true;
  }

  private reply(r: RawReply): void {
    const e = this.unsolicited(r) ? undefined : this.entries.shift();
    if (this.closed) return;
    if (!e || e.kind === 'pass') {
      this.output.write(r.raw);
      return;
    }
    if (e.kind === 'replace') {
      this.send(R.error(e.error));
      return;
    }
    // A request a rule took: the fault layer says what reaches the client; unclaimed, nothing.
    this.awaiting = false;
    const boxed: Reply = r.value.type === 'error' ? R.error(r.value.value) : R.bulk(r.raw);
    this.raw.set(boxed, r.raw);
    this.proxy.faults.delivered(this, boxed);
  }

  // --- what the fault layer drives ---

  execute(argv: readonly Bytes[]): Reply | symbol | undefined {
    if (this.closed) return undefined;
    if (!this.forward(argv, 'fault')) return undefined;
    this.awaiting = true;
    return PENDING;
  }

  send(reply: Reply): void {
    if (this.closed) return;
    this.output.write(this.encodeReply(reply));
  }

  encodeReply(reply: Reply): string {
    return this.raw.get(reply) ?? (encode(reply, this.client.resp) as string);
  }

  flushNow(): void {}

  hold(): void {
    this.held = true;
  }

  resume(): void {
    if (!this.held) return;
    this.held = false;
    this.process();
  }

  holdReads(on: boolean): void {
    if (this.closed || this.readsHeld === on) return;
    this.readsHeld = on;
    if (on) this.socket.pause();
    else {
      this.socket.resume();
      this.process();
    }
  }

  /**
   * Closes the client's side now ('end' after what was written, 'reset' with
   * an RST). The upstream connection stays until the requests sent to it have
   * been answered, so a command sent before the close has run on the server.
   */
  kill(how: 'end' | 'reset' = 'end'): void {
    if (this.closed) return;
    this.closed = true;
    if (how === 'reset') this.socket.resetAndDestroy();
    else this.output.end();
    this.proxy.dropped(this);
    if (this.entries.length === 0) this.upstream.end();
    else {
      const t = setTimeout(() => this.upstream.destroy(), 2000);
      t.unref();
      this.upstream.once('close', () => clearTimeout(t));
    }
  }

  /** The proxy's end after its upstream went quiet (see kill). */
  endUpstreamIfIdle(): void {
    if (this.closed && this.entries.length === 0) this.upstream.end();
  }

  destroy(): void {
    if (!this.closed) {
      this.closed = true;
      this.proxy.dropped(this);
    }
    this.socket.destroy();
    if (this.entries.length === 0) this.upstream.destroy();
  }
}

export class FaultProxy {
  readonly faults: Faults;
  /** @internal */
  readonly node: NodeContext;
  /** @internal */
  readonly adminContext: { faults: Faults; clock: Clock; authRequired(): boolean };
  private readonly net: NetServer;
  private readonly conns = new Set<ProxyConnection>();
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;
  private boundHost: string;
  private down = false;
  private closing: Promise<void> | undefined;
  private readonly ownsFaults: boolean;

  constructor(private readonly opts: ProxyOptions) {
    this.boundHost = opts.host ?? '127.0.0.1';
    const clock = opts.clock ?? new SystemClock();
    this.ownsFaults = !(opts.faults instanceof Faults);
    this.faults = opts.faults instanceof Faults ? opts.faults : new Faults(opts.faults);
    const name = () => opts.nodeName ?? `${this.boundHost}:${this.boundPort}`;
    this.node = {
      get name() { return name(); },
      clock,
      connections: () => this.conns,
    };
    this.faults.attach(this.node);
    this.adminContext = { faults: this.faults, clock, authRequired: () => false };
    this.net = netCreateServer({ noDelay: true }, (s) => this.accept(s));
    this.net.on('error', () => {});
  }

  get host(): string {
    return this.boundHost;
  }
  get port(): number {
    return this.boundPort;
  }
  get url(): string {
    return `redis://${this.boundHost.includes(':') ? `[${this.boundHost}]` : this.boundHost}:${this.boundPort}`;
  }
  /** The server it forwards to. */
  get target(): { host: string; port: number } {
    return this.opts.target;
  }
  /** Open client connections. */
  get connections(): number {
    return this.conns.size;
  }

  private accept(socket: Socket): void {
    if (this.closing || this.down) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    const v = this.faults.accept(this.node, `${socket.remoteAddress ?? '127.0.0.1'}:${socket.remotePort ?? 0}`);
    if (v.refuse) {
      if (v.how === 'reset') socket.resetAndDestroy();
      else socket.end();
      return;
    }
    const c = new ProxyConnection(this, socket, this.opts.target);
    this.conns.add(c);
    this.faults.opened(this.node, c);
  }

  /** @internal */
  dropped(c: ProxyConnection): void {
    this.conns.delete(c);
  }

  /** @internal */
  upstreamIdle(c: ProxyConnection): void {
    c.endUpstreamIfIdle();
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.net.once('error', reject);
      this.net.listen(this.boundPort || (this.opts.port ?? 0), this.boundHost, () => {
        this.net.off('error', reject);
        resolve();
      });
    });
    const a = this.net.address();
    if (a && typeof a === 'object') {
      this.boundPort = a.port;
      this.boundHost = a.address;
    }
    return this;
  }

  /** As a crashed node: client connections are reset and the port refuses until restart(). The target is untouched. */
  async crash(): Promise<void> {
    if (this.closing || this.down) return;
    this.down = true;
    for (const c of [...this.conns]) c.kill('reset');
    for (const s of [...this.sockets]) s.destroy();
    if (this.net.listening) await new Promise<void>((r) => this.net.close(() => r()));
  }

  /** Listens again on the same port after crash(). */
  async restart(): Promise<this> {
    if (this.closing) throw new Error('the proxy is closed');
    if (!this.down) await this.crash();
    await this.listen();
    this.down = false;
    return this;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const c of [...this.conns]) c.destroy();
      for (const s of [...this.sockets]) s.destroy();
      if (this.ownsFaults) this.faults.releaseAll();
      this.faults.detach(this.node);
      if (!this.net.listening) return resolve();
      this.net.close(() => resolve());
    });
    return this.closing;
  }
}

/** Starts a fault proxy in front of `target`; resolves once it accepts connections. */
export function createProxy(opts: ProxyOptions): Promise<FaultProxy> {
  return new FaultProxy(opts).listen();
}
