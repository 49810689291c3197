/**
 * The fault layer of one server: the ConnectionHooks its connections call,
 * joining them to a Faults controller under the server's node name.
 */
import type { Socket } from 'node:net';
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import type { Clock } from '../../time/index.js';
import type { Connection, ConnectionHooks } from '../connection.js';
import { handleAdmin, isAdminCommand, type AdminContext } from './admin.js';
import type { Faults, NodeContext } from './faults.js';
import { commandInfo, requestKeys } from './match.js';
import { ShapedWire } from './wire.js';

export class FaultLayer implements ConnectionHooks {
  private readonly node: NodeContext;

  constructor(
    readonly faults: Faults,
    name: () => string,
    clock: Clock,
    connections: () => Iterable<Connection>,
    private readonly admin: AdminContext,
  ) {
    this.node = {
      get name() { return name(); },
      clock,
      connections,
    };
    faults.attach(this.node);
  }

  /** A new socket: false when a refuse rule closed it. */
  accept(socket: Socket): boolean {
    const addr = `${socket.remoteAddress ?? '127.0.0.1'}:${socket.remotePort ?? 0}`;
    const v = this.faults.accept(this.node, addr);
    if (!v.refuse) return true;
    if (v.how === 'reset') socket.resetAndDestroy();
    else socket.end();
    return false;
  }

  opened(conn: Connection): void {
    this.faults.opened(this.node, conn);
  }

  detach(): void {
    this.faults.detach(this.node);
  }

  request(conn: Connection, argv: readonly Bytes[]): boolean {
    try {
      if (argv.length > 0 && isAdminCommand(argv[0]!)) {
        if (!this.faults.admin) return false;
        this.faults.markAdmin(conn);
        conn.send(handleAdmin(this.admin, conn, argv));
        return true;
      }
      // No rule and no history: nothing to look up (the request runs as usual).
      if (!this.faults.observing) return false;
      const info = commandInfo(argv);
      return this.faults.request(this.node, conn, argv, info, () => requestKeys(info, argv));
    } catch (e) {
      // A rule that cannot be applied (a predicate that throws...) must not take the server down.
      conn.send(R.error(`ERR valkey-double fault layer: ${e instanceof Error ? e.message : String(e)}`.replace(/[\r\n]+/g, ' ')));
      conn.resume();
      return true;
    }
  }

  delivered(conn: Connection, reply: Reply): boolean {
    return this.faults.delivered(conn, reply);
  }

  wire(socket: Socket): ShapedWire {
    return new ShapedWire(socket);
  }
}
