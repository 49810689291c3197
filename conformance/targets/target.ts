/**
 * Where the corpus sends commands. A target is a running server and what it
 * can do; the drivers (../drivers) connect to its endpoint.
 *
 *   mock       valkey-double in this process (createServer), on a virtual clock
 *   binary     a valkey-server 9 found on PATH or given by VALKEY_SERVER, started per run
 *   url        an existing server at VALKEY_URL (redis://[user:pass@]host:port)
 *   container  a Valkey 9 container started with @testcontainers/valkey (needs Docker)
 *
 * Cases that need what a real server cannot offer carry tags (like Valkey's
 * `external:skip`): `needs:virtual-clock` (jump the clock), `needs:faults`
 * (inject faults). A target lists the capabilities it has; the runner skips
 * the rest with the reason.
 */

export type TargetName = 'mock' | 'binary' | 'url' | 'container';
export const TARGET_NAMES: readonly TargetName[] = ['mock', 'binary', 'url', 'container'];

export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
}

export type Capability = 'virtual-clock' | 'faults';

export interface Target {
  readonly name: TargetName;
  /** What it is, for reports: "valkey-double 0.1.0 (in-process, virtual clock)". */
  readonly description: string;
  readonly endpoint: Endpoint;
  readonly capabilities: ReadonlySet<Capability>;
  /**
   * Lets `ms` pass for the server: the virtual clock advances (mock), or
   * real time is slept. Cases use it for short waits on any target; long
   * jumps need the `virtual-clock` capability.
   */
  elapse(ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface TargetOptions {
  /** mock: 'virtual' (default; frozen, moved by elapse) or 'system' (real time, for differential runs against a real server). */
  clock?: 'virtual' | 'system';
  /** url: the server address (default: $VALKEY_URL). */
  url?: string;
  /** container: the image (default: $VALKEY_IMAGE or valkey/valkey:9). */
  image?: string;
  /** binary: path to valkey-server (default: $VALKEY_SERVER, the oracle cache, then PATH). */
  server?: string;
}

/** A target that cannot be had here (no binary, no Docker, no URL), with the reason. */
export class TargetUnavailable extends Error {
  constructor(readonly target: TargetName, reason: string) {
    super(`target ${target} is unavailable: ${reason}`);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts a target. Throws TargetUnavailable when it cannot be had on this machine. */
export async function startTarget(name: TargetName, opts: TargetOptions = {}): Promise<Target> {
  switch (name) {
    case 'mock': return (await import('./mock.js')).startMock(opts);
    case 'binary': return (await import('./binary.js')).startBinary(opts);
    case 'url': return (await import('./url.js')).connectUrl(opts);
    case 'container': return (await import('./container.js')).startContainer(opts);
    default: throw new Error(`unknown target '${String(name)}' (one of ${TARGET_NAMES.join(', ')})`);
  }
}

/** Parses redis://[user[:pass]@]host[:port][/db] (valkey:// too). */
export function parseUrl(url: string): Endpoint {
  const u = new URL(url);
  if (!['redis:', 'valkey:'].includes(u.protocol)) throw new Error(`unsupported URL scheme in ${url} (redis:// or valkey://)`);
  const username = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(password ? { password } : {}),
    ...(password && username ? { username } : {}),
  };
}
