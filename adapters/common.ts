/**
 * What both test-framework adapters share: a lazily started server whose
 * handle can be declared at the top of a test file and used inside tests.
 * Imports only the public API (src/index.ts).
 *
 * Scopes: 'file' (a server of the file's own, the default), 'worker' (one
 * server per worker process, shared by the files it runs) and 'run' (the one
 * server the globalSetup started for the whole run). Files sharing a server
 * are isolated by database: each worker has its own (VITEST_POOL_ID /
 * JEST_WORKER_ID), so files running at the same time never meet.
 */
import { type Clock, type Faults, type ServerOptions, type ValkeyServer } from '../src/index.js';
import { FakeTimersClock } from './fake-timers-clock.js';
import { parseClientList, RemoteConnection } from './remote.js';
import { formatUrl, parseUrl, startTarget, targetFromEnv, type RunningTarget, type TargetKind } from './targets.js';

export type { TargetKind } from './targets.js';

export interface UseValkeyDoubleOptions extends Omit<ServerOptions, 'engine'> {
  /**
   * When to empty the file's data: after each test (the default), before each
   * test, or never (false). On a shared server only the file's database.
   */
  flush?: 'afterEach' | 'beforeEach' | false;
  /** 'file' (default): a server per file; 'worker': one per worker process; 'run': the globalSetup's server. */
  scope?: 'file' | 'worker' | 'run';
  /**
   * How files sharing a server stay apart: 'database' (each worker its own
   * database, emptied before the file) or 'server' (a fresh server per file,
   * whatever the scope says). Default: 'server' for scope 'file', else 'database'.
   */
  isolation?: 'database' | 'server';
  /** After the file, wait until every client connection of the file closed; fail listing those left open. */
  leaks?: boolean | { timeoutMs?: number };
  /** With clock 'virtual': follow the test runner's fake timers (vi.useFakeTimers(), jest modern timers). */
  followFakeTimers?: boolean;
  /** The server to test against; default VALKEY_DOUBLE_TARGET, else 'mock'. */
  target?: TargetKind;
}

/** The server of one test file. Its properties can be read once beforeAll has run. */
export interface ValkeyDouble<C extends Clock = Clock> {
  /** The running in-process server (mock target, scope 'file' or 'worker'). */
  readonly server: ValkeyServer<C>;
  readonly host: string;
  readonly port: number;
  /** redis://host:port, with /db when the file has a database of its own on a shared server. */
  readonly url: string;
  /** The file's database: 0 on a server of its own. */
  readonly db: number;
  /** What the file runs against (mock, binary, url, container). */
  readonly target: TargetKind;
  /** The server's clock: a VirtualClock with { clock: 'virtual' }. Mock in process only. */
  readonly clock: C;
  /** The server's fault rules. Mock in process only (over the wire: DOUBLE.FAULT). */
  readonly faults: Faults;
  /** Empties the file's data now (every database on a server of its own). */
  flush(): Promise<void>;
  /** Lets `ms` pass on the server: advances a virtual clock, or sleeps on a real target. */
  advance(ms: number): Promise<void>;
  /** The file's open client connections (on a shared server: those in its database). */
  openConnections(): Promise<number>;
}

export interface Hooks {
  beforeAll(fn: () => Promise<void> | void, timeout?: number): void;
  beforeEach(fn: () => Promise<void> | void): void;
  afterEach(fn: () => Promise<void> | void): void;
  afterAll(fn: () => Promise<void> | void, timeout?: number): void;
  /** Called when the current test fails (vitest's onTestFailed); absent under jest. */
  onTestFailed?(fn: () => void): void;
}

interface WorkerShared {
  target: RunningTarget;
}

const WORKER_KEY = Symbol.for('valkey-double.worker-server');

/** The worker's number (1...), from the runner: files of one worker run one after another. */
export function workerNumber(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env['VITEST_POOL_ID'] ?? env['JEST_WORKER_ID'] ?? '1');
  return Number.isInteger(n) && n > 0 ? n : 1;
}

function mockOnly(what: string, target: TargetKind, scope: string): Error {
  return new Error(
    `valkey-double: ${what} needs the mock in this process, but this file runs against ${target === 'mock' ? `the run's server (scope '${scope}')` : `a real Valkey (VALKEY_DOUBLE_TARGET=${target})`}` +
      (target === 'mock' ? ': use RemoteFaults.connect(valkey.url) (DOUBLE.FAULT / DOUBLE.CLOCK over the wire), or scope \'file\' or \'worker\'' : ''),
  );
}

export function registerValkeyDouble(hooks: Hooks, opts: UseValkeyDoubleOptions, adapter: string): ValkeyDouble {
  const { flush = 'afterEach', scope = 'file', leaks = false, followFakeTimers = false, target: targetOpt, isolation: isoOpt, ...serverOpts } = opts;
  const isolation = isoOpt ?? (scope === 'file' ? 'server' : 'database');
  const effectiveScope = isolation === 'server' ? 'file' : scope;
  if (followFakeTimers) {
    if (serverOpts.clock !== undefined && serverOpts.clock !== 'virtual') throw new Error(`${adapter}: followFakeTimers goes with clock: 'virtual'`);
    serverOpts.clock = new FakeTimersClock();
  }
  let kind: TargetKind = 'mock';
  let host = '';
  let port = 0;
  let password: string | undefined;
  let server: ValkeyServer | undefined;
  let owned: RunningTarget | undefined;
  let remote: RemoteConnection | undefined;
  let db = 0;
  let running = false;

  const need = (): void => {
    if (!running) throw new Error(`${adapter}: the server is not running: use it inside a test or a hook, not at the top level of the file`);
  };
  const needServer = (what: string): ValkeyServer => {
    need();
    if (!server) throw mockOnly(what, kind, effectiveScope);
    return server;
  };

  const flushNow = async (): Promise<void> => {
    if (server) {
      server.engine.emptyData(isolation === 'database' ? db : -1, server.engine.clock.now());
    } else if (remote) {
      await remote.call('SELECT', db);
      await remote.call(isolation === 'database' ? 'FLUSHDB' : 'FLUSHALL');
    }
  };

  const countOpen = async (): Promise<{ n: number; lines: string[] }> => {
    if (server) {
      const clients = [...server.engine.clients.values()].filter((c) => isolation !== 'database' || c.db === db);
      return { n: clients.length, lines: clients.map((c) => `id=${c.id} addr=${c.conn.addr} name=${c.name} lib-name=${c.libName} db=${c.db}`) };
    }
    if (!remote) return { n: 0, lines: [] };
    const list = parseClientList(String(await remote.call('CLIENT', 'LIST')));
    const mine = list.filter((c) => c['name'] !== 'valkey-double-adapter' && (isolation !== 'database' || c['db'] === String(db)));
    return { n: mine.length, lines: mine.map((c) => `id=${c['id']} addr=${c['addr']} name=${c['name'] ?? ''} lib-name=${c['lib-name'] ?? ''} db=${c['db']}`) };
  };

  hooks.beforeAll(async () => {
    kind = targetOpt ?? targetFromEnv();
    if (effectiveScope === 'run') {
      const url = process.env['VALKEY_DOUBLE_URL'];
      if (!url) throw new Error(`${adapter}: scope 'run' needs the globalSetup (valkey-double/vitest/global-setup or valkey-double/jest/global-setup)`);
      const u = parseUrl(url);
      host = u.host;
      port = u.port;
      password = u.password;
      kind = (process.env['VALKEY_DOUBLE_RUN_TARGET'] as TargetKind | undefined) ?? kind;
    } else if (effectiveScope === 'worker') {
      const g = globalThis as { [WORKER_KEY]?: Promise<WorkerShared> };
      g[WORKER_KEY] ??= startTarget(kind, serverOpts).then((t) => {
        t.server?.unref();
        return { target: t };
      });
      const t = (await g[WORKER_KEY]).target;
      kind = t.kind;
      server = t.server;
      host = t.host;
      port = t.port;
      password = t.password;
    } else {
      owned = await startTarget(kind, kind === 'mock' ? serverOpts : serverOpts);
      server = owned.server;
      host = owned.host;
      port = owned.port;
      password = owned.password;
    }
    if (!server) remote = await RemoteConnection.open(host, port, password);
    db = isolation === 'database' ? workerNumber() % (server?.engine.databases ?? 16) : 0;
    running = true;
    // A shared database starts empty for each file.
    if (isolation === 'database') await flushNow();
  }, 60_000);
  if (hooks.onTestFailed) {
    const onFailed = hooks.onTestFailed.bind(hooks);
    hooks.beforeEach(() => onFailed(() => {
      if (server?.faults.usedProbability) console.error(server.faults.seedLine());
    }));
  }
  else {
    // No failure hook (jest): name the seed once per file when probabilistic faults were used.
    hooks.afterAll(() => {
      if (running && server?.faults.usedProbability) console.info(server.faults.seedLine());
    });
  }
  if (flush === 'afterEach') hooks.afterEach(() => (running ? flushNow() : undefined));
  if (flush === 'beforeEach') hooks.beforeEach(() => (running ? flushNow() : undefined));
  hooks.afterEach(() => {
    // Rules of one test do not leak into the next; on a shared server, neither do they into other files.
    if (running && server) server.faults.clear();
  });
  hooks.afterAll(async () => {
    if (!running) return;
    try {
      if (leaks) {
        const timeoutMs = typeof leaks === 'object' ? (leaks.timeoutMs ?? 2000) : 2000;
        const end = Date.now() + timeoutMs;
        let open = await countOpen();
        while (open.n > 0 && Date.now() < end) {
          await new Promise((r) => setTimeout(r, 10));
          open = await countOpen();
        }
        if (open.n > 0) {
          throw new Error(`${adapter}: ${open.n} client connection${open.n === 1 ? ' was' : 's were'} still open ${timeoutMs} ms after the file's tests:\n  ${open.lines.join('\n  ')}`);
        }
      }
    } finally {
      running = false;
      remote?.close();
      remote = undefined;
      const o = owned;
      owned = undefined;
      server = undefined;
      await o?.stop();
    }
  }, 60_000);
  return {
    get server() { return needServer('valkey.server'); },
    get host() { need(); return host; },
    get port() { need(); return port; },
    get url() { need(); return formatUrl(host, port, db, password); },
    get db() { need(); return db; },
    get target() { need(); return kind; },
    get clock() { return needServer('valkey.clock').clock; },
    get faults() { return needServer('valkey.faults').faults; },
    flush: () => { need(); return flushNow(); },
    advance: async (ms: number) => {
      need();
      const c = server?.clock as (Clock & { advance?: (ms: number) => void }) | undefined;
      if (c && typeof c.advance === 'function') c.advance(ms);
      else if (remote && kind === 'mock') {
        const r = await remote.call('DOUBLE.CLOCK', 'ADVANCE', ms);
        if (typeof r === 'object' && r !== null && 'error' in r) await new Promise((res) => setTimeout(res, ms));
      } else await new Promise((res) => setTimeout(res, ms));
    },
    openConnections: async () => { need(); return (await countOpen()).n; },
  };
}
