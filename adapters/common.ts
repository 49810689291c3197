/**
 * What both test-framework adapters share: a lazily started server whose
 * handle can be declared at the top of a test file and used inside tests.
 * Imports only the public API (src/index.ts).
 */
import { createServer, type Clock, type ServerOptions, type ValkeyServer } from '../src/index.js';

export interface UseValkeyDoubleOptions extends Omit<ServerOptions, 'engine'> {
  /**
   * When to empty every database: after each test (the default), before each
   * test, or never (false).
   */
  flush?: 'afterEach' | 'beforeEach' | false;
}

/** The server of one test file. Its properties can be read once beforeAll has run. */
export interface ValkeyDouble<C extends Clock = Clock> {
  /** The running server (throws if read before the suite's beforeAll). */
  readonly server: ValkeyServer<C>;
  readonly host: string;
  readonly port: number;
  /** redis://host:port */
  readonly url: string;
  /** The server's clock: a VirtualClock with { clock: 'virtual' }. */
  readonly clock: C;
  /** Empties every database now. */
  flush(): void;
}

export interface Hooks {
  beforeAll(fn: () => Promise<void> | void, timeout?: number): void;
  beforeEach(fn: () => Promise<void> | void): void;
  afterEach(fn: () => Promise<void> | void): void;
  afterAll(fn: () => Promise<void> | void, timeout?: number): void;
}

export function registerValkeyDouble(hooks: Hooks, opts: UseValkeyDoubleOptions, adapter: string): ValkeyDouble {
  const { flush = 'afterEach', ...serverOpts } = opts;
  let server: ValkeyServer | undefined;
  const need = (): ValkeyServer => {
    if (!server) {
      throw new Error(`${adapter}: the server is not running: use it inside a test or a hook, not at the top level of the file`);
    }
    return server;
  };
  hooks.beforeAll(async () => {
    server = await createServer(serverOpts);
  }, 30_000);
  if (flush === 'afterEach') hooks.afterEach(() => server?.flushAll());
  if (flush === 'beforeEach') hooks.beforeEach(() => server?.flushAll());
  hooks.afterAll(async () => {
    const s = server;
    server = undefined;
    await s?.close();
  }, 30_000);
  return {
    get server() { return need(); },
    get host() { return need().host; },
    get port() { return need().port; },
    get url() { return need().url; },
    get clock() { return need().clock; },
    flush: () => need().flushAll(),
  };
}
