/**
 * The model-based differential run. fast-check generates command sequences
 * from the metadata (groups.ts, grammar.ts, pools.ts), each sequence runs on
 * two sides (a target through a driver, e.g. valkey-double through ioredis
 * and valkey-server through ioredis), and the replies are compared step by
 * step with the loosenings of normalize.ts and nothing else. On a
 * difference fast-check shrinks the sequence to the shortest one that still
 * differs, which is printed as a replayable list of commands with the seed,
 * the path and fast-check's replayPath.
 */
import fc from 'fast-check';
import type { Driver, DriverConnection, DriverReply } from '../drivers/driver.js';
import { rawBytesOf } from '../expect.js';
import {
  applyProfile, clientView, commandNameOf, compareModeFor, compareRaw, compareValues, specOf, type ClientProfile, type CompareMode,
} from '../normalize.js';
import type { Target } from '../targets/target.js';
import { quoteBytes, showValue } from '../value.js';
import { callArb, commandWords } from './grammar.js';
import { MIXERS, type ModelGroup } from './groups.js';

export interface Side {
  readonly target: Target;
  readonly driver: Driver;
}

export interface ModelRunOptions {
  /** The side under test (e.g. the mock). */
  readonly a: Side;
  /** The reference side (e.g. a real Valkey 9). */
  readonly b: Side;
  readonly resp: 2 | 3;
  readonly group: ModelGroup;
  readonly seed: number;
  readonly runs: number;
  /** fast-check path of a failure to replay (with its seed). */
  readonly path?: string;
  /** fast-check replayPath of the command list (printed with a failure). */
  readonly replayPath?: string;
  /** Longest generated sequence (default 30). */
  readonly maxCommands?: number;
  /** Share of malformed calls (default 0.1). */
  readonly malformed?: number;
  /** Commands to leave out (not implemented on one side), with the reason. */
  readonly unavailable?: ReadonlyMap<string, string>;
  /** Per-command timeout in ms (default 5000). */
  readonly timeoutMs?: number;
}

export interface ModelFailure {
  readonly seed: number;
  readonly path: string;
  readonly replayPath: string | undefined;
  /** The shrunk sequence. */
  readonly commands: readonly (readonly string[])[];
  /** Full name of the command whose replies differ. */
  readonly command: string;
  /** A readable account: each step with both replies, the difference marked. */
  readonly transcript: string;
}

export interface ModelRunResult {
  readonly passed: boolean;
  readonly runs: number;
  /** Calls compared equal, per command (full name). */
  readonly calls: ReadonlyMap<string, number>;
  /** Commands the run could generate. */
  readonly commands: readonly string[];
  readonly failure?: ModelFailure;
  /** A problem that is not a difference (a side could not be reached). */
  readonly error?: string;
}

type Outcome = DriverReply | { closed: string };

function isClosed(o: Outcome): o is { closed: string } {
  return 'closed' in o;
}

/** A command as fast-check sees it: it runs nothing itself (the property runs whole sequences). */
class Call implements fc.AsyncCommand<object, unknown> {
  constructor(readonly argv: readonly string[]) {}
  check(): boolean {
    return true;
  }
  async run(): Promise<void> {}
  toString(): string {
    return formatArgv(this.argv);
  }
}

/** A command as valkey-cli would take it. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\x21-\x7e]+$/.test(a) && !/["'\\]/.test(a) ? a : quoteBytes(a))).join(' ');
}

class Difference extends Error {
  constructor(readonly step: number, readonly command: string, detail: string) {
    super(detail);
  }
}

/** The commands to generate: the group's, plus mixers, less what a side lacks. */
export function generatedCommands(group: ModelGroup, unavailable: ReadonlyMap<string, string> = new Map()): { own: string[]; mixers: string[] } {
  const own = group.commands.filter((c) => !unavailable.has(c));
  const mixers = group.mixers.filter((c) => !unavailable.has(c) && !own.includes(c));
  return { own, mixers };
}

function sequenceArb(opts: ModelRunOptions): fc.Arbitrary<Iterable<fc.AsyncCommand<object, unknown>>> | undefined {
  const { own, mixers } = generatedCommands(opts.group, opts.unavailable);
  if (own.length === 0) return undefined;
  const callOpts = { malformed: opts.malformed ?? 0.1 };
  const arbOf = (c: string) => callArb(c, specOf(c)!, callOpts);
  const ownArb = fc.oneof(...own.map(arbOf));
  const parts: fc.WeightedArbitrary<string[]>[] = [{ arbitrary: ownArb, weight: 4 }];
  if (mixers.length) parts.push({ arbitrary: fc.oneof(...mixers.map(arbOf)), weight: 1 });
  const one = fc.oneof(...parts).map((argv) => new Call(argv) as fc.AsyncCommand<object, unknown>);
  return fc.commands([one], {
    maxCommands: opts.maxCommands ?? 30,
    size: 'max',
    ...(opts.replayPath ? { replayPath: opts.replayPath } : {}),
  });
}

/** A union of two clients' losses: what both sides can be compared on. */
function jointProfile(a: Driver, b: Driver): ClientProfile | undefined {
  if (a.exact && b.exact) return undefined;
  return {
    mapKeysUtf8: a.profile.mapKeysUtf8 || b.profile.mapKeysUtf8 || !a.exact || !b.exact,
    mapsUnordered: a.profile.mapsUnordered || b.profile.mapsUnordered,
    mapKeysCollapse: a.profile.mapKeysCollapse === true || b.profile.mapKeysCollapse === true,
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no reply to ${what} within ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e); });
  });
}

/**
 * A side's connection, kept across sequences (client libraries connect
 * slowly, and a fresh connection per sequence would dominate the run). Each
 * sequence starts from RESET (which ends MULTI, unwatches, selects db 0,
 * clears the name, no-evict and no-touch, and returns to RESP2), then HELLO 3
 * for RESP3, and AUTH where the endpoint has a password; a connection that
 * failed is replaced.
 */
class SideConnection {
  private conn: DriverConnection | undefined;
  constructor(private readonly side: Side, private readonly resp: 2 | 3) {}

  async fresh(): Promise<DriverConnection> {
    if (this.conn) {
      try {
        const r = await withTimeout(this.conn.send(['RESET']), 5000, 'RESET');
        if (r.value !== 'RESET') throw new Error(`RESET answered ${showValue(r.value)}`);
        const ep = this.side.target.endpoint;
        if (this.resp === 3) {
          await this.conn.send(ep.password ? ['HELLO', '3', 'AUTH', ep.username ?? 'default', ep.password] : ['HELLO', '3']);
        } else if (ep.password) {
          await this.conn.send(ep.username ? ['AUTH', ep.username, ep.password] : ['AUTH', ep.password]);
        }
        return this.conn;
      } catch {
        await this.close();
      }
    }
    try {
      this.conn = await this.side.driver.connect(this.side.target.endpoint, { resp: this.resp });
    } catch (e) {
      throw new Error(`cannot connect to ${this.side.target.description} with ${this.side.driver.name}: ${(e as Error).message}`);
    }
    return this.conn;
  }

  async close(): Promise<void> {
    const c = this.conn;
    this.conn = undefined;
    await c?.close().catch(() => {});
  }
}

/** Runs a sequence on one side from an emptied server, one reply (or a failed connection) per command. */
async function runSide(conns: SideConnection, admin: DriverConnection, seq: readonly (readonly string[])[], timeoutMs: number): Promise<Outcome[]> {
  await admin.send(['FLUSHALL']);
  const conn = await conns.fresh();
  const out: Outcome[] = [];
  let closed: string | undefined;
  for (const argv of seq) {
    if (closed) {
      out.push({ closed });
      continue;
    }
    try {
      out.push(await withTimeout(conn.send(argv), timeoutMs, formatArgv(argv)));
    } catch (e) {
      closed = (e as Error).message;
      out.push({ closed });
      await conns.close();
    }
  }
  return out;
}

/** How one step compares; EXEC's elements by the modes of the commands it ran. */
function compareStep(mode: CompareMode | readonly CompareMode[], a: Outcome, b: Outcome, resp: 2 | 3, profile: ClientProfile | undefined): string | undefined {
  if (isClosed(a) || isClosed(b)) {
    if (isClosed(a) && isClosed(b)) return undefined;
    return isClosed(a) ? `the connection failed on the side under test: ${a.closed}` : `the connection failed on the reference side: ${(b as { closed: string }).closed}`;
  }
  if (Array.isArray(mode)) {
    // EXEC: compare the array of replies element by element when both ran the transaction.
    const ra = a.rawValue;
    const rb = b.rawValue;
    if (!profile && ra && rb && ra.type === 'array' && rb.type === 'array' && ra.value && rb.value && ra.value.length === mode.length && rb.value.length === mode.length) {
      for (let i = 0; i < mode.length; i++) {
        const p = compareRaw(mode[i]!, { raw: rawBytesOf(ra.value[i]!, resp), value: ra.value[i]! }, { raw: rawBytesOf(rb.value[i]!, resp), value: rb.value[i]! }, resp);
        if (p) return `EXEC reply ${i + 1}: ${p}`;
      }
      return undefined;
    }
    const va = viewOf(a, profile);
    const vb = viewOf(b, profile);
    if (Array.isArray(va) && Array.isArray(vb) && va.length === mode.length && vb.length === mode.length) {
      for (let i = 0; i < mode.length; i++) {
        const p = compareValues(mode[i]!, va[i]!, vb[i]!);
        if (p) return `EXEC reply ${i + 1}: ${p}`;
      }
      return undefined;
    }
    return compareStep({ kind: 'exact' }, a, b, resp, profile);
  }
  if (!profile && a.raw !== undefined && b.raw !== undefined && a.rawValue && b.rawValue) {
    return compareRaw(mode as CompareMode, { raw: a.raw, value: a.rawValue }, { raw: b.raw, value: b.rawValue }, resp);
  }
  return compareValues(mode as CompareMode, viewOf(a, profile), viewOf(b, profile));
}

function viewOf(r: DriverReply, profile: ClientProfile | undefined) {
  const p = profile ?? { mapKeysUtf8: false, mapsUnordered: false };
  return r.rawValue ? clientView(r.rawValue, p) : applyProfile(r.value, p);
}

/** Comparison modes per step, following MULTI/EXEC on the reference side's replies. */
function stepModes(seq: readonly (readonly string[])[], ref: readonly Outcome[]): (CompareMode | CompareMode[])[] {
  const modes: (CompareMode | CompareMode[])[] = [];
  let queue: string[] | null = null;
  for (let i = 0; i < seq.length; i++) {
    const name = commandNameOf(seq[i]!);
    const r = ref[i]!;
    const value = isClosed(r) ? undefined : r.value;
    if (queue !== null) {
      if (name === 'exec') {
        modes.push(queue.map(compareModeFor));
        queue = null;
        continue;
      }
      if (name === 'discard') queue = null;
      else if (value === 'QUEUED') queue.push(name);
      modes.push({ kind: 'exact' });
      continue;
    }
    if (name === 'multi' && value === 'OK') queue = [];
    modes.push(compareModeFor(name));
  }
  return modes;
}

function showOutcome(o: Outcome): string {
  if (isClosed(o)) return `<connection failed: ${o.closed}>`;
  if (o.raw !== undefined) return JSON.stringify(o.raw.length > 300 ? o.raw.slice(0, 300) + '…' : o.raw);
  return showValue(o.value);
}

/** A transcript of a sequence on both sides, the first difference marked. */
function transcript(seq: readonly (readonly string[])[], a: readonly Outcome[], b: readonly Outcome[], diffAt: number, detail: string, labels: [string, string]): string {
  const lines: string[] = [];
  const w = String(seq.length).length;
  for (let i = 0; i < seq.length; i++) {
    const n = String(i + 1).padStart(w);
    const sa = showOutcome(a[i]!);
    const sb = showOutcome(b[i]!);
    if (i === diffAt) {
      lines.push(`${n}. ${formatArgv(seq[i]!)}    <-- differs: ${detail}`);
      lines.push(`${' '.repeat(w)}    ${labels[1]}: ${sb}`);
      lines.push(`${' '.repeat(w)}    ${labels[0]}: ${sa}`);
      break;
    }
    lines.push(`${n}. ${formatArgv(seq[i]!)}  -> ${sa === sb ? sa : `${labels[1]}: ${sb} / ${labels[0]}: ${sa}`}`);
  }
  return lines.join('\n');
}

export interface ModelAdmins {
  /** Raw connections used to empty each side's server (FLUSHALL) before a sequence. */
  readonly a: DriverConnection;
  readonly b: DriverConnection;
}

/**
 * Runs a group's model-based differential check. Both sides run each
 * sequence from an emptied server; when both are one server they run one
 * after the other, otherwise side by side.
 */
export async function runModel(opts: ModelRunOptions, admins: ModelAdmins): Promise<ModelRunResult> {
  const arb = sequenceArb(opts);
  if (!arb) return { passed: true, runs: 0, calls: new Map(), commands: [] };
  const connA = new SideConnection(opts.a, opts.resp);
  const connB = new SideConnection(opts.b, opts.resp);
  try {
    return await check(opts, admins, arb, connA, connB);
  } finally {
    await Promise.all([connA.close(), connB.close()]);
  }
}

async function check(
  opts: ModelRunOptions,
  admins: ModelAdmins,
  arb: fc.Arbitrary<Iterable<fc.AsyncCommand<object, unknown>>>,
  connA: SideConnection,
  connB: SideConnection,
): Promise<ModelRunResult> {
  const { own, mixers } = generatedCommands(opts.group, opts.unavailable);
  const commands = [...own, ...mixers];
  const calls = new Map<string, number>();
  const sameServer = opts.a.target === opts.b.target;
  const profile = jointProfile(opts.a.driver, opts.b.driver);
  const timeoutMs = opts.timeoutMs ?? 5000;
  const labels: [string, string] = sideLabels(opts);

  const play = async (seq: readonly (readonly string[])[]): Promise<[Outcome[], Outcome[]]> => {
    if (sameServer) {
      const ra = await runSide(connA, admins.a, seq, timeoutMs);
      const rb = await runSide(connB, admins.b, seq, timeoutMs);
      return [ra, rb];
    }
    return Promise.all([runSide(connA, admins.a, seq, timeoutMs), runSide(connB, admins.b, seq, timeoutMs)]);
  };
  const firstDifference = (seq: readonly (readonly string[])[], ra: Outcome[], rb: Outcome[]): { at: number; detail: string } | undefined => {
    const modes = stepModes(seq, rb);
    for (let i = 0; i < seq.length; i++) {
      const p = compareStep(modes[i]!, ra[i]!, rb[i]!, opts.resp, profile);
      if (p) return { at: i, detail: p };
    }
    return undefined;
  };

  let lastError: string | undefined;
  const prop = fc.asyncProperty(arb, async (cmds) => {
    const wrappers = [...cmds] as unknown as { cmd: Call; run(m: object, r: unknown): Promise<void> }[];
    const seq = wrappers.map((w) => w.cmd.argv);
    let ra: Outcome[];
    let rb: Outcome[];
    try {
      [ra, rb] = await play(seq);
    } catch (e) {
      lastError = (e as Error).message;
      throw e;
    }
    const d = firstDifference(seq, ra, rb);
    // Tell fast-check which commands ran: the shrinker drops the ones after the difference.
    const ran = d ? d.at + 1 : seq.length;
    for (let i = 0; i < ran; i++) await wrappers[i]!.run({}, undefined);
    if (d) throw new Difference(d.at, commandNameOf(seq[d.at]!), d.detail);
    for (const argv of seq) {
      const n = commandNameOf(argv);
      calls.set(n, (calls.get(n) ?? 0) + 1);
    }
  });

  const details = await fc.check(prop, {
    seed: opts.seed,
    numRuns: opts.runs,
    ...(opts.path ? { path: opts.path } : {}),
    endOnFailure: false,
  });
  if (!details.failed) return { passed: true, runs: details.numRuns, calls, commands };
  const err = details.errorInstance;
  const ce = details.counterexample?.[0] as Iterable<unknown> | undefined;
  if (!(err instanceof Difference) || !ce) {
    return { passed: false, runs: details.numRuns, calls, commands, error: lastError ?? (err instanceof Error ? err.message : String(err)) };
  }
  const replayPath = /replayPath="([^"]*)"/.exec(String(ce))?.[1];
  // Replay the shrunk sequence (up to the difference) once more, from an emptied server, for a full transcript.
  const seq = ([...ce] as { cmd: Call }[]).map((w) => w.cmd.argv).slice(0, err.step + 1);
  const [ra, rb] = await play(seq);
  const d = firstDifference(seq, ra, rb);
  const at = d?.at ?? err.step;
  const failure: ModelFailure = {
    seed: details.seed,
    path: details.counterexamplePath ?? '',
    replayPath,
    commands: seq.slice(0, at + 1),
    command: commandNameOf(seq[at]!),
    transcript: transcript(seq, ra, rb, at, d?.detail ?? err.message, labels),
  };
  return { passed: false, runs: details.numRuns, calls, commands, failure };
}

function sideLabels(opts: ModelRunOptions): [string, string] {
  const name = (s: Side) => (s.target.name === 'mock' ? 'valkey-double' : s.target.name === 'binary' ? 'valkey' : s.target.name);
  let a = name(opts.a);
  let b = name(opts.b);
  if (a === b && opts.a.driver.name !== opts.b.driver.name) {
    a = `${a}/${opts.a.driver.name}`;
    b = `${b}/${opts.b.driver.name}`;
  } else if (a === b) {
    a = `${a} (under test)`;
    b = `${b} (reference)`;
  }
  return [a, b];
}

// ---------------------------------------------------------------------------
// Which commands a side lacks
// ---------------------------------------------------------------------------

const NOT_IMPLEMENTED = /is not implemented by valkey-double/;
/** Commands that run at once inside MULTI instead of being queued. */
const RUN_IN_MULTI = new Set(['exec', 'discard', 'multi', 'quit', 'reset']);
/** Of those, and of the no_multi commands, the ones harmless to send with placeholder arguments. */
const SAFE_DIRECT = new Set(['exec', 'discard', 'multi', 'watch']);

/**
 * Probes which of `commands` a server runs, without running them: inside
 * MULTI a command is queued (real Valkey) or refused as not implemented
 * (valkey-double) before anything executes; DISCARD then drops the queue.
 * Returns the unavailable ones with the server's answer.
 */
export async function probeCommands(admin: DriverConnection, commands: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const full of commands) {
    const spec = specOf(full);
    if (!spec) continue;
    const words = commandWords(full);
    const n = Math.max(Math.abs(spec.arity) - words.length, 0);
    const argv = [...words, ...Array.from({ length: n }, () => 'x')];
    let r: DriverReply;
    if (spec.flags.includes('no_multi') || RUN_IN_MULTI.has(full)) {
      if (!SAFE_DIRECT.has(full)) continue; // QUIT, RESET, SHUTDOWN, SYNC...: never sent; taken as present
      // Refused inside MULTI before the not-implemented gate, or run at once there: ask directly
      // (these are harmless with placeholder arguments: EXEC/DISCARD without MULTI, WATCH x).
      r = await admin.send(argv);
      await admin.send(['UNWATCH']);
      if (!(r.value && typeof r.value === 'object' && 'err' in r.value && NOT_IMPLEMENTED.test(r.value.err))) continue;
    } else {
      await admin.send(['MULTI']);
      r = await admin.send(argv);
      await admin.send(['DISCARD']);
    }
    if (r.value !== 'QUEUED') {
      const msg = r.value && typeof r.value === 'object' && 'err' in r.value ? r.value.err : showValue(r.value);
      out.set(full, NOT_IMPLEMENTED.test(msg) ? 'not implemented by valkey-double' : msg);
    }
  }
  return out;
}

export { MIXERS };
