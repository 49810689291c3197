/**
 * Differential testing against the oracle: the same command script runs on a
 * real Valkey 9 and on valkey-double, over fresh RESP2 and RESP3 connections,
 * and every reply is compared byte for byte. Loosenings are named and
 * explicit: `unordered`, `approx`, `sameType`.
 *
 *   const d = useDifferential();
 *   test('SET NX', () => d.check([['SET', 'k', 'v', 'NX'], ['GET', 'k']]));
 *
 * Without a Valkey 9 binary the suite is skipped with a message, unless
 * VALKEY_DOUBLE_REQUIRE_ORACLE=1 (CI), where that is a failure.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { RawClient, type Arg } from '../../conformance/targets/raw-client.js';
import { findOracle, oracleRequired, startOracle, type RunningOracle } from '../../conformance/targets/oracle.js';
import { createServer, type ServerOptions, type ValkeyServer, type RawReply } from '../../src/index.js';
import type { RawValue } from '../../src/protocol/reply-parser.js';

export type Compare =
  | { kind: 'exact' }
  /** Arrays/sets/maps compared as multisets (Valkey does not define their order). */
  | { kind: 'unordered' }
  /** Integers (or numeric bulk strings) within ±delta: TTLs read on a running clock. */
  | { kind: 'approx'; delta: number }
  /** Only the reply's RESP type (and length for aggregates): random replies. */
  | { kind: 'sameType' }
  /** Run on both, compare nothing (setup whose reply is nondeterministic). */
  | { kind: 'ignore' }
  /** Errors byte for byte (either side's); other replies not compared (timing-dependent logs). */
  | { kind: 'errors' };

export interface Step {
  /** A command (multibulk), or raw bytes to write as they are. */
  cmd?: readonly Arg[];
  raw?: string;
  /** Replies expected for `raw` (default 1); 0 = read until the server closes. */
  replies?: number;
  compare: Compare;
  /** Milliseconds to wait after this step (real time, on both servers). */
  sleepAfter?: number;
}

export type StepLike = readonly Arg[] | Step;

export const unordered = (...cmd: Arg[]): Step => ({ cmd, compare: { kind: 'unordered' } });
export const approx = (delta: number, ...cmd: Arg[]): Step => ({ cmd, compare: { kind: 'approx', delta } });
export const sameType = (...cmd: Arg[]): Step => ({ cmd, compare: { kind: 'sameType' } });
export const ignore = (...cmd: Arg[]): Step => ({ cmd, compare: { kind: 'ignore' } });
export const raw = (bytes: string, replies = 1): Step => ({ raw: bytes, replies, compare: { kind: 'exact' } });
export const sleep = (ms: number, ...cmd: Arg[]): Step => ({ cmd, compare: { kind: 'exact' }, sleepAfter: ms });

export interface CheckOptions {
  /** Protocol versions to run (default both). */
  resp?: readonly (2 | 3)[];
  /** Skip FLUSHALL before the script. */
  noFlush?: boolean;
}

export interface Differential {
  /** Runs the script on both servers per RESP version and asserts no difference. */
  check(steps: readonly StepLike[], opts?: CheckOptions): Promise<void>;
  /** Runs the script and returns the differences instead of asserting. */
  diff(steps: readonly StepLike[], opts?: CheckOptions): Promise<string[]>;
  /**
   * The keyspace notifications (`notify-keyspace-events KEA`) a script fires on
   * each server, as raw RESP3 pushes seen by a PSUBSCRIBEd client: [oracle, mock].
   */
  keyspaceEvents(script: readonly (readonly Arg[])[]): Promise<[string[], string[]]>;
  /** Direct connections, for tests that need several clients. */
  connect(which: 'oracle' | 'mock', resp?: 2 | 3): Promise<RawClient>;
  readonly available: boolean;
  readonly oraclePort: number;
  readonly mockPort: number;
}

export interface DifferentialOptions {
  /** Extra valkey-server arguments for the oracle (e.g. ['--requirepass', 'pw']). */
  oracleArgs?: string[];
  /** Options for the mock server (e.g. { requirepass: 'pw' }). */
  server?: Omit<ServerOptions, 'port'>;
}

export function useDifferential(options: DifferentialOptions = {}): Differential {
  const bin = findOracle();
  let oracle: RunningOracle | undefined;
  let mock: ValkeyServer | undefined;
  beforeAll(async () => {
    if (!bin) {
      if (oracleRequired()) throw new Error('VALKEY_DOUBLE_REQUIRE_ORACLE=1 but no Valkey 9 binary was found (run npm run oracle)');
      console.warn('[differential] no Valkey 9 binary found (run `npm run oracle` or set VALKEY_SERVER): differential tests are skipped');
      return;
    }
    [oracle, mock] = await Promise.all([startOracle(bin, options.oracleArgs ?? []), createServer({ ...options.server, port: 0 })]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([oracle?.stop(), mock?.close()]);
  });

  const connect = async (which: 'oracle' | 'mock', resp: 2 | 3 = 2): Promise<RawClient> => {
    const c = await RawClient.connect(which === 'oracle' ? oracle!.port : mock!.port);
    if (resp === 3) await c.send(['HELLO', '3']);
    return c;
  };

  const diff = async (steps: readonly StepLike[], opts: CheckOptions = {}): Promise<string[]> => {
    if (!bin) return [];
    const out: string[] = [];
    for (const resp of opts.resp ?? [2, 3]) {
      const normalized = steps.map(toStep);
      const [a, b] = await Promise.all([run(oracle!.port, normalized, resp, opts), run(mock!.port, normalized, resp, opts)]);
      normalized.forEach((s, i) => {
        const ra = a[i]!;
        const rb = b[i]!;
        const problem = compare(s.compare, ra, rb);
        if (problem) out.push(`RESP${resp} step ${i + 1} ${describe(s)}: ${problem}\n    valkey: ${show(ra)}\n    mock:   ${show(rb)}`);
      });
    }
    return out;
  };

  const keyspaceEvents = async (script: readonly (readonly Arg[])[]): Promise<[string[], string[]]> => {
    const events: string[][] = [];
    for (const which of ['oracle', 'mock'] as const) {
      const admin = await connect(which);
      await admin.send(['FLUSHALL']);
      const sub = await connect(which, 3);
      try {
        await admin.send(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
        await sub.send(['PSUBSCRIBE', '__key*__:*']);
        for (const s of script) await admin.send(s);
        await admin.send(['PING']);
        await new Promise((res) => setTimeout(res, 100));
        events.push(sub.pushes.map((p) => p.raw));
      } finally {
        await admin.send(['CONFIG', 'SET', 'notify-keyspace-events', '']);
        admin.close();
        sub.close();
      }
    }
    return [events[0]!, events[1]!];
  };

  return {
    get available() { return bin !== undefined; },
    get oraclePort() { return oracle!.port; },
    get mockPort() { return mock!.port; },
    connect,
    diff,
    keyspaceEvents,
    async check(steps, opts) {
      const problems = await diff(steps, opts);
      expect(problems, problems.join('\n')).toEqual([]);
    },
  };
}

function toStep(s: StepLike): Step {
  return Array.isArray(s) ? { cmd: s as readonly Arg[], compare: { kind: 'exact' } } : (s as Step);
}

function describe(s: Step): string {
  if (s.cmd) return s.cmd.map((a) => JSON.stringify(String(a))).join(' ');
  return `raw ${JSON.stringify(s.raw)}`;
}

/** Replies as a list of raw strings per step ('<closed>' once the server hung up). */
async function run(port: number, steps: readonly Step[], resp: 2 | 3, opts: CheckOptions): Promise<(RawReply[] | 'closed')[]> {
  if (!opts.noFlush) {
    const admin = await RawClient.connect(port);
    await admin.send(['FLUSHALL']);
    admin.close();
  }
  const c = await RawClient.connect(port);
  if (resp === 3) await c.send(['HELLO', '3']);
  const results: (RawReply[] | 'closed')[] = [];
  try {
    for (const s of steps) {
      if (c.isClosed) {
        results.push('closed');
        continue;
      }
      try {
        if (s.raw !== undefined) {
          if (s.replies === 0) {
            const r = await c.sendUntilClose(s.raw);
            results.push(r.replies);
          } else {
            results.push(await c.sendRawMany(s.raw, s.replies ?? 1));
          }
        } else {
          results.push([await withTimeout(c.send(s.cmd!), 5000)]);
        }
      } catch {
        results.push('closed');
      }
      if (s.sleepAfter) await new Promise((r) => setTimeout(r, s.sleepAfter));
    }
  } finally {
    c.close();
  }
  return results;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e); });
  });
}

function show(r: RawReply[] | 'closed'): string {
  if (r === 'closed') return '<connection closed>';
  const s = r.map((x) => x.raw).join('');
  return JSON.stringify(s.length > 400 ? s.slice(0, 400) + '…' : s);
}

function compare(c: Compare, a: RawReply[] | 'closed', b: RawReply[] | 'closed'): string | undefined {
  if (a === 'closed' || b === 'closed') return a === b ? undefined : 'one server closed the connection';
  if (a.length !== b.length) return `reply count ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const p = compareOne(c, a[i]!, b[i]!);
    if (p) return p;
  }
  return undefined;
}

function compareOne(c: Compare, a: RawReply, b: RawReply): string | undefined {
  switch (c.kind) {
    case 'exact':
      return a.raw === b.raw ? undefined : 'bytes differ';
    case 'ignore':
      return undefined;
    case 'errors':
      return (a.value.type !== 'error' && b.value.type !== 'error') || a.raw === b.raw ? undefined : 'errors differ';
    case 'unordered':
      return canon(a.value) === canon(b.value) ? undefined : 'elements differ (order ignored)';
    case 'sameType':
      return a.value.type === b.value.type && aggLen(a.value) === aggLen(b.value) ? undefined : 'types differ';
    case 'approx': {
      const na = num(a.value);
      const nb = num(b.value);
      if (na === undefined || nb === undefined) return a.raw === b.raw ? undefined : 'bytes differ';
      return Math.abs(na - nb) <= c.delta && a.value.type === b.value.type ? undefined : `not within ±${c.delta}`;
    }
  }
}

function aggLen(v: RawValue): number {
  return 'value' in v && Array.isArray(v.value) ? v.value.length : -1;
}

function num(v: RawValue): number | undefined {
  if (v.type === 'int') return Number(v.value);
  if (v.type === 'bulk' || v.type === 'double') return Number(v.value);
  return undefined;
}

/** A canonical string of a value with every aggregate's elements sorted. */
function canon(v: RawValue): string {
  switch (v.type) {
    case 'array': case 'set': case 'push':
      return v.value === null ? `${v.type}:null` : `${v.type}[${v.value.map(canon).sort().join(',')}]`;
    case 'map': case 'attr':
      return `${v.type}{${v.value.map(([k, x]) => canon(k) + '=>' + canon(x)).sort().join(',')}}`;
    case 'null':
      return 'null';
    case 'int':
      return `int:${v.value}`;
    default:
      return `${v.type}:${JSON.stringify(v.value)}`;
  }
}

/** The raw bytes of each reply to `cmds`, sent one after the other on a fresh connection to `port`. */
export async function rawReplies(port: number, cmds: readonly Arg[][]): Promise<string[]> {
  const c = await RawClient.connect(port);
  try {
    const out: string[] = [];
    for (const cmd of cmds) out.push((await c.send(cmd)).raw);
    return out;
  } finally {
    c.close();
  }
}
