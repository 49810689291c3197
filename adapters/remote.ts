/**
 * A minimal command connection for the adapters' own use against a server
 * in another process (a globalSetup server, a real Valkey): FLUSHDB, CLIENT
 * LIST, DOUBLE.FAULT. One request at a time; replies parsed with the
 * package's own ReplyParser. Uses the timers captured at load, so it works
 * under fake timers.
 */
import { connect, type Socket } from 'node:net';
import { ReplyParser, type RawValue } from '../src/index.js';

export type Plain = string | number | bigint | boolean | null | Plain[] | { error: string };

function plain(v: RawValue): Plain {
  switch (v.type) {
    case 'error':
    case 'bloberror':
      return { error: v.value };
    case 'simple':
    case 'bulk':
    case 'verbatim':
    case 'bignum':
    case 'double':
      return v.value;
    case 'int':
      return Number(v.value);
    case 'bool':
      return v.value;
    case 'null':
      return null;
    case 'array':
    case 'set':
    case 'push':
      return v.value === null ? null : v.value.map(plain);
    case 'map':
    case 'attr':
      return v.value.flatMap(([k, x]) => [plain(k), plain(x)]);
  }
}

export class RemoteConnection {
  private readonly parser = new ReplyParser();
  private readonly waiting: { resolve: (v: Plain) => void; reject: (e: Error) => void }[] = [];
  private closedErr: Error | undefined;

  private constructor(private readonly sock: Socket) {
    sock.on('data', (c: Buffer) => {
      this.parser.push(c);
      for (let r = this.parser.next(); r; r = this.parser.next()) this.waiting.shift()?.resolve(plain(r.value));
    });
    const fail = (e: Error) => {
      this.closedErr = e;
      for (const w of this.waiting.splice(0)) w.reject(e);
    };
    sock.on('error', fail);
    sock.on('close', () => fail(new Error('connection closed')));
  }

  static open(host: string, port: number, password?: string): Promise<RemoteConnection> {
    return new Promise((resolve, reject) => {
      const sock = connect({ host, port }, async () => {
        const c = new RemoteConnection(sock);
        sock.setNoDelay(true);
        if (password !== undefined) await c.call('AUTH', password);
        await c.call('CLIENT', 'SETNAME', 'valkey-double-adapter');
        resolve(c);
      });
      sock.once('error', reject);
    });
  }

  call(...args: (string | number)[]): Promise<Plain> {
    if (this.closedErr) return Promise.reject(this.closedErr);
    const parts = args.map(String);
    const msg = `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.sock.write(msg);
    });
  }

  close(): void {
    this.sock.destroy();
  }
}

/** One CLIENT LIST line as fields. */
export function parseClientList(text: string): Record<string, string>[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((line) => {
    const o: Record<string, string> = {};
    for (const part of line.trim().split(' ')) {
      const i = part.indexOf('=');
      if (i > 0) o[part.slice(0, i)] = part.slice(i + 1);
    }
    return o;
  });
}
