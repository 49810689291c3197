/**
 * A connection that asks to become a replica (SYNC, or PSYNC after REPLCONF),
 * as Valkey answers it: for PSYNC `+FULLRESYNC <replid> <offset>`, then the
 * RDB payload as a bulk without its trailing CRLF, then the command stream,
 * byte for byte, over the same connection. REPLCONF ACK from it moves its
 * acknowledged offset (WAIT counts it).
 *
 * The payload is an RDB file holding no keys: a peer that loads it starts
 * empty (Valkey's own suite only skips it). Whole-dataset RDB files are the
 * RDB writer's job (src/engine/rdb).
 */
import type { Bytes } from '../protocol/index.js';
import type { Client } from '../engine/client.js';
import type { Engine } from '../engine/engine.js';

/** "REDIS0011", RDB_OPCODE_EOF, and a zero checksum (checksums off). */
const EMPTY_RDB = 'REDIS0011\xff' + '\0'.repeat(8);

const NAMES = new Set(['sync', 'psync', 'replconf']);

export class ReplicaStream {
  private id: number | undefined;
  private detach: (() => void) | undefined;
  private listeningPort = 0;

  constructor(private readonly engine: Engine, private readonly client: Client, private readonly write: (bytes: Bytes) => void) {}

  /** Is this request one to take here (before the engine sees it)? */
  static wants(argv: readonly Bytes[], streaming: boolean): boolean {
    const n = argv[0]!;
    if (!streaming) {
      // Cheap refusals first: this runs for every request of every connection.
      const l = n.length;
      if (l !== 4 && l !== 5 && l !== 8) return false;
      const c = n.charCodeAt(0) | 0x20;
      if (c !== 0x73 && c !== 0x70 && c !== 0x72) return false; // s, p, r
    }
    return NAMES.has(n.toLowerCase());
  }

  get streaming(): boolean {
    return this.id !== undefined;
  }

  /** Takes SYNC / PSYNC / REPLCONF; false leaves the request to the engine (errors, an unauthenticated client). */
  request(argv: readonly Bytes[]): boolean {
    if (!this.client.authenticated && this.engine.authRequired) return false;
    if (this.client.multi) return false;
    const name = argv[0]!.toLowerCase();
    if (name === 'replconf') return this.replconf(argv);
    if (this.streaming) return true;
    if (name === 'psync' && argv.length !== 3) return false;
    if (name === 'sync' && argv.length !== 1) return false;
    const repl = this.engine.repl;
    this.id = repl.addReplica(this.client.conn.addr.slice(0, this.client.conn.addr.lastIndexOf(':')), this.listeningPort);
    // replicationSetupSlaveForFullResync: the next command goes with a SELECT.
    repl.prop.eldb = -1;
    if (name === 'psync') this.write(`+FULLRESYNC ${repl.replid} ${repl.prop.offset}\r\n`);
    this.write(`$${EMPTY_RDB.length}\r\n${EMPTY_RDB}`);
    this.detach = repl.prop.attach((cmd) => this.write(cmd.resp));
    repl.ack(this.id, 0);
    // replicaStartCommandStream: an empty stream gets a PING so that the offset is not 0.
    if (repl.prop.offset === 0) repl.prop.feed(-1, ['ping']);
    return true;
  }

  private replconf(argv: readonly Bytes[]): boolean {
    const sub = (argv[1] ?? '').toLowerCase();
    if (sub === 'ack') {
      if (this.id !== undefined) this.engine.repl.ack(this.id, Number(argv[2] ?? 0));
      return true;
    }
    if (sub === 'getack') return true;
    if (sub === 'listening-port') this.listeningPort = Number(argv[2] ?? 0);
    this.write('+OK\r\n');
    return true;
  }

  close(): void {
    this.detach?.();
    if (this.id !== undefined) this.engine.repl.removeReplica(this.id);
    this.id = undefined;
  }
}
