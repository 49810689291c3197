/**
 * The fault rules of a server in another process (a globalSetup's server, a
 * `valkey-double --admin` CLI), driven through its DOUBLE.FAULT and
 * DOUBLE.CLOCK admin commands over one connection of its own.
 *
 *   const faults = await RemoteFaults.connect(process.env.VALKEY_DOUBLE_URL!);
 *   const id = await faults.add({ command: 'GET', effect: { kind: 'error', error: 'LOADING' }, times: 2 });
 *   ...
 *   await faults.assertNoPendingFaults();
 *   faults.close();
 */
import { connect, type Socket } from 'node:net';
import { ReplyParser, type RawValue } from '../../protocol/reply-parser.js';
import type { CallRecord, FaultSpec, FiredFault } from './faults.js';
import { PendingFaultsError } from './faults.js';
import type { ConnectionMatch } from './match.js';

/** A rule as LIST and PENDING describe it. */
export interface RemoteRule {
  id: number;
  kind: string;
  effect: string;
  matched: number;
  fired: number;
  pending: boolean;
  rule: string;
}

type Value = string | number | null | Value[];

function toValue(v: RawValue): Value {
  switch (v.type) {
    case 'error':
    case 'bloberror':
      throw new Error(v.value);
    case 'int':
      return Number(v.value);
    case 'null':
      return null;
    case 'array':
    case 'set':
    case 'push':
      return v.value === null ? null : v.value.map(toValue);
    case 'map':
    case 'attr':
      return v.value.flatMap(([k, x]) => [toValue(k), toValue(x)]);
    case 'bool':
      return v.value ? 1 : 0;
    default:
      return v.value;
  }
}

export class RemoteFaults {
  private readonly parser = new ReplyParser();
  private readonly waiting: { resolve: (v: Value) => void; reject: (e: Error) => void }[] = [];
  private gone: Error | undefined;

  private constructor(private readonly sock: Socket) {
    sock.on('data', (chunk: Buffer) => {
      this.parser.push(chunk);
      for (let r = this.parser.next(); r; r = this.parser.next()) {
        const w = this.waiting.shift();
        if (!w) continue;
        try {
          w.resolve(toValue(r.value));
        } catch (e) {
          w.reject(e as Error);
        }
      }
    });
    const fail = (e: Error) => {
      this.gone = e;
      for (const w of this.waiting.splice(0)) w.reject(e);
    };
    sock.on('error', fail);
    sock.on('close', () => fail(new Error('the admin connection closed')));
  }

  /** Connects to redis://[:password@]host:port. */
  static connect(url: string): Promise<RemoteFaults> {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
    const port = u.port ? Number(u.port) : 6379;
    return new Promise((resolve, reject) => {
      const sock = connect({ host, port }, () => {
        const f = new RemoteFaults(sock);
        const auth = u.password ? f.call('AUTH', decodeURIComponent(u.password)) : Promise.resolve(null);
        // A first admin command marks this connection as the controller: pauses leave it alone.
        auth.then(() => f.call('DOUBLE.FAULT', 'SEED')).then(() => resolve(f), reject);
      });
      sock.once('error', reject);
    });
  }

  /** Sends one command; an error reply rejects. */
  call(...args: (string | number)[]): Promise<Value> {
    if (this.gone) return Promise.reject(this.gone);
    const parts = args.map((a) => Buffer.from(String(a), 'utf8'));
    const head = Buffer.from(`*${parts.length}\r\n`);
    const body = parts.flatMap((p) => [Buffer.from(`$${p.length}\r\n`), p, Buffer.from('\r\n')]);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.sock.write(Buffer.concat([head, ...body]));
    });
  }

  private async json<T>(...args: (string | number)[]): Promise<T> {
    return JSON.parse(String(await this.call(...args))) as T;
  }

  /** Adds a rule given as data (RegExp matchers as { regex, flags }); resolves to its id. */
  async add(spec: FaultSpec): Promise<number> {
    return Number(await this.call('DOUBLE.FAULT', 'ADD', JSON.stringify(spec)));
  }
  async refuseConnections(opts: { addr?: string; how?: 'end' | 'reset'; times?: number; persist?: boolean } = {}): Promise<number> {
    return Number(await this.call('DOUBLE.FAULT', 'REFUSE', JSON.stringify(opts)));
  }
  async pauseReads(opts: { client?: ConnectionMatch; ms?: number } = {}): Promise<number> {
    return Number(await this.call('DOUBLE.FAULT', 'PAUSE', JSON.stringify(opts)));
  }
  async push(value: readonly string[], opts: { client?: ConnectionMatch } = {}): Promise<number> {
    return Number(await this.call('DOUBLE.FAULT', 'PUSH', JSON.stringify(value), JSON.stringify(opts)));
  }
  async release(id?: number): Promise<number> {
    return Number(await (id === undefined ? this.call('DOUBLE.FAULT', 'RELEASE') : this.call('DOUBLE.FAULT', 'RELEASE', id)));
  }
  async clear(id?: number): Promise<number> {
    return Number(await (id === undefined ? this.call('DOUBLE.FAULT', 'CLEAR') : this.call('DOUBLE.FAULT', 'CLEAR', id)));
  }
  list(): Promise<RemoteRule[]> {
    return this.json('DOUBLE.FAULT', 'LIST');
  }
  pendingFaults(): Promise<RemoteRule[]> {
    return this.json('DOUBLE.FAULT', 'PENDING');
  }
  history(count?: number): Promise<CallRecord[]> {
    return count === undefined ? this.json('DOUBLE.FAULT', 'HISTORY') : this.json('DOUBLE.FAULT', 'HISTORY', count);
  }
  fired(count?: number): Promise<FiredFault[]> {
    return count === undefined ? this.json('DOUBLE.FAULT', 'FIRED') : this.json('DOUBLE.FAULT', 'FIRED', count);
  }
  async seed(): Promise<number> {
    return Number(await this.call('DOUBLE.FAULT', 'SEED'));
  }
  async reset(seed?: number): Promise<void> {
    await (seed === undefined ? this.call('DOUBLE.FAULT', 'RESET') : this.call('DOUBLE.FAULT', 'RESET', seed));
  }
  /** Rejects with PendingFaultsError, listing them, when rules are still pending. */
  async assertNoPendingFaults(): Promise<void> {
    const p = await this.pendingFaults();
    if (p.length === 0) return;
    const seed = await this.seed();
    throw new PendingFaultsError(`${p.length} fault${p.length === 1 ? ' is' : 's are'} pending:\n${p.map((r) => `  ${r.rule}`).join('\n')}\n(valkey-double faults seed ${seed}: replay with VALKEY_DOUBLE_SEED=${seed})`);
  }
  /** The server's clock, epoch ms. */
  async clockNow(): Promise<number> {
    return Number(await this.call('DOUBLE.CLOCK', 'NOW'));
  }
  /** Advances the server's virtual clock; resolves to its new time. */
  async clockAdvance(ms: number): Promise<number> {
    return Number(await this.call('DOUBLE.CLOCK', 'ADVANCE', ms));
  }

  close(): void {
    this.sock.destroy();
  }
}
