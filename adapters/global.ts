/**
 * One server for the whole test run, for a globalSetup: started once in the
 * runner's main process; test files reach it through VALKEY_DOUBLE_URL
 * (useValkeyDouble({ scope: 'run' }), or any client). On the mock target the
 * DOUBLE.FAULT / DOUBLE.CLOCK admin commands are on, so files in the workers
 * can set faults and move the clock over the wire.
 */
import type { ServerOptions } from '../src/index.js';
import { formatUrl, startTarget, targetFromEnv, type RunningTarget, type TargetKind } from './targets.js';

export interface RunServer {
  url: string;
  target: TargetKind;
  stop(): Promise<void>;
}

export async function startRunServer(opts: ServerOptions & { target?: TargetKind } = {}): Promise<RunServer> {
  const { target, ...serverOpts } = opts;
  const kind = target ?? targetFromEnv();
  if (kind === 'mock' && serverOpts.faults === undefined) serverOpts.faults = { admin: true };
  const t: RunningTarget = await startTarget(kind, serverOpts);
  const url = formatUrl(t.host, t.port, 0, t.password);
  process.env['VALKEY_DOUBLE_URL'] = url;
  process.env['VALKEY_DOUBLE_RUN_TARGET'] = kind;
  return { url, target: kind, stop: () => t.stop() };
}
