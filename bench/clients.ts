/**
 * Awaited SET+GET through ioredis, one command at a time (what a test
 * does): ioredis over TCP to valkey-double in this process, ioredis over the
 * in-process connector (no TCP; the server's real reply bytes), ioredis over
 * TCP to a real valkey-server, and ioredis-mock (answers inside the client,
 * no protocol) when it is installed.
 */
import { createRequire } from 'node:module';
import { AbstractConnector, Redis } from 'ioredis';
import { findOracle, startOracle } from '../conformance/targets/oracle.js';
import { createServer } from '../src/index.js';
import { PipeEnd } from '../src/server/in-process.js';

/** A connector whose "server" answers +OK to every command at once: what ioredis alone costs. */
class InstantOk extends AbstractConnector {
  constructor() {
    super(0);
  }
  connect(): Promise<never> {
    const c = new PipeEnd('127.0.0.1', 1, '127.0.0.1', 2);
    const s = new PipeEnd('127.0.0.1', 2, '127.0.0.1', 1);
    c.peer = s;
    s.peer = c;
    s.on('data', (d: Buffer) => {
      let n = 0;
      for (let i = 0; i < d.length; i++) if (d[i] === 42 && (i === 0 || d[i - 1] === 10)) n++;
      s.write('+OK\r\n'.repeat(n));
    });
    return Promise.resolve(c as never);
  }
}

interface Client {
  set(k: string, v: string): Promise<unknown>;
  get(k: string): Promise<unknown>;
  disconnect(): void;
}

async function rate(c: Client, ms: number): Promise<number> {
  for (let i = 0; i < 2000; i++) { await c.set(`k${i & 63}`, 'v'); await c.get(`k${i & 63}`); }
  let ops = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 500; i++) {
      await c.set(`k${i & 63}`, 'value');
      await c.get(`k${i & 63}`);
    }
    ops += 1000;
    t = performance.now();
  }
  return (ops * 1000) / (t - t0);
}

export interface ClientRow {
  name: string;
  opsPerSec: number | undefined;
  note?: string;
}

export async function benchClients(ms = 2000, runs = 3): Promise<ClientRow[]> {
  const rows: ClientRow[] = [];
  const best = async (make: () => Promise<Client>): Promise<number> => {
    let b = 0;
    for (let i = 0; i < runs; i++) {
      const c = await make();
      try {
        b = Math.max(b, await rate(c, ms));
      } finally {
        c.disconnect();
      }
    }
    return b;
  };
  rows.push({
    name: 'ioredis alone (a stream answering +OK at once)',
    opsPerSec: await best(async () => new Redis({ Connector: InstantOk as never, enableReadyCheck: false })),
  });
  const server = await createServer();
  try {
    rows.push({ name: 'ioredis, in-process connector -> valkey-double', opsPerSec: await best(async () => new Redis({ Connector: server.ioredisConnector(AbstractConnector) })) });
    rows.push({ name: 'ioredis, TCP -> valkey-double (same process)', opsPerSec: await best(async () => new Redis(server.port)) });
  } finally {
    await server.close();
  }
  const bin = findOracle();
  if (bin) {
    const real = await startOracle(bin);
    try {
      rows.push({ name: `ioredis, TCP -> valkey-server ${real.version}`, opsPerSec: await best(async () => new Redis(real.port)) });
    } finally {
      await real.stop();
    }
  } else {
    rows.push({ name: 'ioredis, TCP -> valkey-server', opsPerSec: undefined, note: 'no oracle binary (npm run oracle)' });
  }
  let Mock: (new () => Client) | undefined;
  try {
    const require = createRequire(import.meta.url);
    const m = require('ioredis-mock') as { default?: new () => Client } & (new () => Client);
    Mock = m.default ?? m;
  } catch {
    Mock = undefined;
  }
  rows.push(Mock
    ? { name: 'ioredis-mock (no protocol, in the client)', opsPerSec: await best(async () => new Mock!()) }
    : { name: 'ioredis-mock (no protocol, in the client)', opsPerSec: undefined, note: 'not installed' });
  return rows;
}

export function formatClientRows(rows: ClientRow[]): string {
  const lines = ['awaited SET+GET through ioredis, one command at a time (best of runs, ops/s):'];
  for (const r of rows) lines.push(`  ${r.name.padEnd(52)}${r.opsPerSec === undefined ? `  (${r.note})` : Math.round(r.opsPerSec).toLocaleString('en-US').padStart(10)}`);
  return lines.join('\n');
}
