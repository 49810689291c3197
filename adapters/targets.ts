/**
 * What the adapters run tests against: VALKEY_DOUBLE_TARGET=mock (the
 * default: valkey-double in this process), binary (a valkey-server started
 * for the run: VALKEY_DOUBLE_BINARY, else `valkey-server` on the PATH), url
 * (a server already running at VALKEY_DOUBLE_URL) or container (a Valkey 9
 * container through @testcontainers/valkey; needs Docker).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as netServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type ServerOptions, type ValkeyServer } from '../src/index.js';

export type TargetKind = 'mock' | 'binary' | 'url' | 'container';

const KINDS: readonly TargetKind[] = ['mock', 'binary', 'url', 'container'];

export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): TargetKind {
  const v = (env['VALKEY_DOUBLE_TARGET'] ?? '').trim().toLowerCase();
  if (v === '') return 'mock';
  if (!(KINDS as readonly string[]).includes(v)) throw new Error(`VALKEY_DOUBLE_TARGET must be one of ${KINDS.join(', ')}, not ${JSON.stringify(v)}`);
  return v as TargetKind;
}

export interface RunningTarget {
  kind: TargetKind;
  host: string;
  port: number;
  password?: string;
  /** The in-process server (mock only). */
  server?: ValkeyServer;
  stop(): Promise<void>;
}

export interface ParsedUrl {
  host: string;
  port: number;
  password?: string;
  db: number;
}

export function parseUrl(url: string): ParsedUrl {
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'valkey:') throw new Error(`not a redis:// or valkey:// URL: ${url}`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db: Number.isInteger(db) ? db : 0,
  };
}

export function formatUrl(host: string, port: number, db = 0, password?: string): string {
  const h = host.includes(':') ? `[${host}]` : host;
  const auth = password !== undefined ? `:${encodeURIComponent(password)}@` : '';
  return `redis://${auth}${h}:${port}${db ? `/${db}` : ''}`;
}

export async function startTarget(kind: TargetKind, opts: ServerOptions = {}): Promise<RunningTarget> {
  switch (kind) {
    case 'mock': {
      const server = await createServer(opts);
      return { kind, host: server.host, port: server.port, server, stop: () => server.close() };
    }
    case 'url': {
      const raw = process.env['VALKEY_DOUBLE_URL'];
      if (!raw) throw new Error('VALKEY_DOUBLE_TARGET=url needs VALKEY_DOUBLE_URL=redis://host:port');
      const u = parseUrl(raw);
      return { kind, host: u.host, port: u.port, ...(u.password !== undefined ? { password: u.password } : {}), stop: async () => {} };
    }
    case 'binary':
      return startBinary(process.env['VALKEY_DOUBLE_BINARY'] || 'valkey-server', opts);
    case 'container':
      return startContainer();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = netServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function startBinary(bin: string, opts: ServerOptions): Promise<RunningTarget> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'valkey-double-binary-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'];
  if (opts.requirepass !== undefined) args.push('--requirepass', opts.requirepass);
  if (opts.databases !== undefined) args.push('--databases', String(opts.databases));
  for (const [k, v] of Object.entries(opts.config ?? {})) args.push(`--${k}`, v);
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const until = Date.now() + 10_000;
  for (;;) {
    const ok = await Promise.race([
      new Promise<boolean>((resolve) => {
        const s = connect({ port, host: '127.0.0.1' }, () => { s.destroy(); resolve(true); });
        s.once('error', () => resolve(false));
      }),
      spawnError.then((e) => { throw new Error(`VALKEY_DOUBLE_TARGET=binary: cannot run ${bin} (${e.message}); set VALKEY_DOUBLE_BINARY`); }),
    ]);
    if (ok) break;
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`VALKEY_DOUBLE_TARGET=binary: ${bin} did not start: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    kind: 'binary', host: '127.0.0.1', port,
    ...(opts.requirepass !== undefined ? { password: opts.requirepass } : {}),
    stop: () => new Promise<void>((resolve) => {
      const done = () => { rmSync(dir, { recursive: true, force: true }); resolve(); };
      if (child.exitCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGKILL');
    }),
  };
}

interface ContainerModule {
  ValkeyContainer: new (image: string) => { start(): Promise<{ getHost(): string; getMappedPort(p: number): number; stop(): Promise<unknown> }> };
}

async function startContainer(): Promise<RunningTarget> {
  let mod: ContainerModule;
  try {
    mod = (await import('@testcontainers/valkey' as string)) as ContainerModule;
  } catch {
    throw new Error('VALKEY_DOUBLE_TARGET=container needs @testcontainers/valkey installed (and Docker)');
  }
  const image = process.env['VALKEY_DOUBLE_IMAGE'] || 'valkey/valkey:9.0';
  const c = await new mod.ValkeyContainer(image).start();
  return { kind: 'container', host: c.getHost(), port: c.getMappedPort(6379), stop: async () => { await c.stop(); } };
}
