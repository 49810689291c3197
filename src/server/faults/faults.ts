/**
 * Fault injection for valkey-double servers: rules that match requests
 * (node, connection, command, keys, the nth call, a probability) and effects
 * a client sees (a delay, an error, a dropped or half-written reply, a closed
 * connection, a hang...), with lifetimes, call history and a seeded
 * generator so that a run replays exactly.
 *
 *   const server = await createServer();
 *   server.faults.intercept({ command: 'GET', key: 'user:*' }).error('LOADING').times(2);
 *   server.faults.intercept({ command: 'EXEC', nth: 3 }).close({ when: 'after' });
 *   ...
 *   server.faults.assertNoPendingFaults();
 *
 * The engine knows nothing of this: the layer sits between each connection
 * and engine.execute (src/server/connection.ts ConnectionHooks).
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { Rng, realTimers, type Clock } from '../../time/index.js';
import { askError, errorText, movedError, type RedirectTarget } from './errors.js';
import { compileConnectionMatch, compileMatch, type ConnectionMatch, type FaultMatch, type RequestView, type TextMatcher } from './match.js';
import { keyHashSlot } from './slot.js';
import { evenSizes as evenSizesOf, ShapedWire, type Shape } from './wire.js';
import type { Wire } from '../connection.js';

/** What happens to a matching request. */
export type FaultEffect =
  /** Runs as usual (with `delay`, only late). */
  | { kind: 'pass' }
  /** Not run; answered with this error ("LOADING" and the other names in FAULT_ERRORS expand to Valkey's text). */
  | { kind: 'error'; error: string }
  /** Not run; answered with a MOVED or ASK redirect. */
  | { kind: 'redirect'; type: 'MOVED' | 'ASK'; host: string; port: number; slot?: number }
  /** Not run; answered with this reply (RESP encoded for the connection) or these raw bytes. */
  | { kind: 'reply'; reply?: Reply; raw?: string }
  /** Run, but no reply is sent. */
  | { kind: 'drop' }
  /** The connection closes: before the request runs (it never runs) or after (it ran, the reply is lost). */
  | { kind: 'close'; when: 'before' | 'after'; how?: 'end' | 'reset' }
  /** Nothing happens until `release()`; then the request runs and replies. Later requests wait behind it. */
  | { kind: 'hang' }
  /** Run; the reply is written in `chunks` near-equal pieces (or pieces of `sizes` bytes), `intervalMs` apart. */
  | { kind: 'split'; chunks?: number; sizes?: readonly number[]; intervalMs?: number }
  /** Run; only the first `at` bytes of the reply are written, then the connection closes. */
  | { kind: 'cut'; at: number }
  /** Run; the reply is written at about this many bytes per second. */
  | { kind: 'throttle'; bytesPerSecond: number }
  /** A push (RESP3 `>`; an array in RESP2) is sent first; then the request runs as usual. */
  | { kind: 'push'; push: Reply | readonly string[] };

/** A delay before the effect: real milliseconds, or on the server's clock (moves with a VirtualClock's advance()). */
export interface FaultDelay {
  ms: number;
  clock?: 'real' | 'server';
}

/** A whole rule as data: what the fluent API builds and what `DOUBLE.FAULT ADD` takes as JSON. */
export interface FaultSpec extends FaultMatch {
  effect: FaultEffect;
  delay?: number | FaultDelay;
  /** Fires this many times (default 1), unless persist. */
  times?: number;
  persist?: boolean;
  /** Stops firing once the server clock reaches this time (epoch ms). */
  until?: number;
}

/** A connection as records show it. */
export interface ClientView {
  id: number;
  name: string;
  lib: string;
  addr: string;
}

/** One request the layer saw, in order. */
export interface CallRecord {
  seq: number;
  /** Server clock, epoch ms. */
  at: number;
  node: string;
  client: ClientView;
  /** Lower-case full name: "get", "client|setname". */
  command: string;
  argv: readonly Bytes[];
  /** The fault that fired on it, if any. */
  fault?: FiredFault;
}

/** What fired: the rule, its effect, and whether the request ran. */
export interface FiredFault {
  id: number;
  effect: FaultEffect['kind'] | 'delay' | 'refuse' | 'pause-reads' | 'inject-push';
  /** Whether the request ran in the engine (false for close-before, error...; true for close-after, drop...). */
  executed: boolean;
  seq: number;
  at: number;
  node: string;
  clientId: number;
  command: string;
}

export interface FaultsOptions {
  /**
   * The seed of probabilistic faults. Default: VALKEY_DOUBLE_SEED when set,
   * else one drawn from the wall clock (printed with a failure, to replay it).
   */
  seed?: number;
  /** Calls kept in history (oldest dropped first); 0 keeps none. Default 10000. */
  historyLimit?: number;
  /** Accept the DOUBLE.* admin commands over the wire (off by default). */
  admin?: boolean;
}

/** Thrown by assertNoPendingFaults. */
export class PendingFaultsError extends Error {
  readonly code = 'VKD_ERR_PENDING_FAULTS';
}

// ---------------------------------------------------------------------------

/** The connection interface the layer drives (a Connection implements it). */
export interface FaultableConnection {
  readonly client: { id: number; name: string; libName: string; conn: { addr: string }; resp: 2 | 3; multi: { aborted: boolean } | null };
  readonly isClosed: boolean;
  readonly output: Wire;
  execute(argv: readonly Bytes[]): Reply | symbol | undefined;
  send(reply: Reply): void;
  encodeReply(reply: Reply): string;
  flushNow(): void;
  hold(): void;
  resume(): void;
  holdReads(on: boolean): void;
  kill(how?: 'end' | 'reset'): void;
}

/** What a node (a server) gives the layer. */
export interface NodeContext {
  name: string;
  clock: Clock;
  connections(): Iterable<FaultableConnection>;
}

type RuleKind = 'request' | 'refuse' | 'pause';

let nextRuleId = 1;

/** One rule in effect. Returned by the fluent API as a FaultScope. */
export class FaultRule {
  readonly id = nextRuleId++;
  /** Requests that matched (before nth and probability). */
  matched = 0;
  /** Times it fired. */
  fired = 0;
  cleared = false;
  readonly test: (r: RequestView) => boolean;
  readonly connTest: ((node: string, c: ClientView) => boolean) | undefined;
  /** Requests held by `hang`, waiting for release(). */
  readonly hung: (() => void)[] = [];

  constructor(
    private readonly owner: Faults,
    readonly kind: RuleKind,
    readonly spec: FaultSpec,
  ) {
    validate(spec);
    this.test = compileMatch(spec);
    this.connTest = kind === 'request' ? undefined : compileConnectionMatch(spec.node, spec.client);
  }

  get times(): number {
    return this.spec.times ?? 1;
  }

  /** Used up (times reached) or cleared; an expired `until` is checked against a node's clock. */
  get done(): boolean {
    return this.cleared || (!this.spec.persist && this.kind !== 'pause' && this.fired >= this.times);
  }

  /** Still expected to fire: undici's rule, a persistent rule that never fired is pending too. */
  get pending(): boolean {
    if (this.cleared) return false;
    if (this.spec.persist || this.kind === 'pause') return this.fired === 0;
    return this.fired < this.times;
  }

  expired(now: number): boolean {
    return this.spec.until !== undefined && now >= this.spec.until;
  }

  describe(): string {
    const s = this.spec;
    const parts: string[] = [];
    if (s.node !== undefined) parts.push(`node=${fmt(s.node)}`);
    if (s.command !== undefined) parts.push(`command=${Array.isArray(s.command) ? s.command.join(',') : fmt(s.command as TextMatcher)}`);
    if (s.key !== undefined) parts.push(`key=${fmt(s.key)}`);
    if (s.client) for (const [k, v] of Object.entries(s.client)) parts.push(`client.${k}=${Array.isArray(v) ? v.join(',') : fmt(v as TextMatcher)}`);
    if (s.nth !== undefined) parts.push(`nth=${s.nth}`);
    if (s.probability !== undefined) parts.push(`p=${s.probability}`);
    const life = s.persist ? 'persist' : `${this.fired}/${this.times}`;
    return `#${this.id} ${this.kind === 'request' ? s.effect.kind : this.kind}${parts.length ? ` [${parts.join(' ')}]` : ''} fired ${life}`;
  }

  // --- fluent lifetime (FaultScope) ---

  /** Fires `n` times, then stops. */
  timesN(n: number): this {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`times(n) needs a positive integer, not ${n}`);
    this.spec.times = n;
    this.spec.persist = false;
    return this;
  }

  release(): number {
    const waiting = this.hung.splice(0);
    for (const go of waiting) go();
    if (this.kind === 'pause') {
      // A pause ends for good: its connections read again, new ones are not paused.
      this.cleared = true;
      this.owner.unpause(this);
    }
    if (this.done) this.owner.remove(this);
    return waiting.length;
  }

  clear(): void {
    if (this.cleared) return;
    this.release();
    this.cleared = true;
    this.owner.remove(this);
  }
}

function fmt(m: TextMatcher): string {
  if (typeof m === 'string') return m;
  if (m instanceof RegExp) return String(m);
  if (typeof m === 'function') return '<fn>';
  return `/${m.regex}/${m.flags ?? ''}`;
}

/** Node's timers take at most 2^31-1 ms. */
const MAX_DELAY_MS = 2 ** 31 - 1;

const EFFECT_KINDS = new Set(['pass', 'error', 'redirect', 'reply', 'drop', 'close', 'hang', 'split', 'cut', 'throttle', 'push']);

function validate(spec: FaultSpec): void {
  const e = spec.effect as FaultEffect | undefined;
  if (!e || !EFFECT_KINDS.has(e.kind)) throw new TypeError(`unknown fault effect ${JSON.stringify(e?.kind)}`);
  if (spec.nth !== undefined && (!Number.isInteger(spec.nth) || spec.nth < 1)) throw new RangeError(`nth must be a positive integer, not ${spec.nth}`);
  if (spec.probability !== undefined && !(spec.probability >= 0 && spec.probability <= 1)) {
    throw new RangeError(`probability must be within [0, 1], not ${spec.probability}`);
  }
  if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1)) throw new RangeError(`times must be a positive integer, not ${spec.times}`);
  if (e.kind === 'error' && typeof e.error !== 'string') throw new TypeError('error needs a text');
  if (e.kind === 'redirect' && (typeof e.host !== 'string' || !Number.isInteger(e.port) || (e.slot !== undefined && !(Number.isInteger(e.slot) && e.slot >= 0 && e.slot < 16384)))) {
    throw new TypeError('a redirect needs host (a string), port (an integer) and maybe slot (0-16383)');
  }
  if (e.kind === 'reply' && (e.raw === undefined ? typeof e.reply !== 'object' || e.reply === null : typeof e.raw !== 'string')) {
    throw new TypeError('reply needs a reply (R.*) or raw RESP bytes (a string)');
  }
  if (e.kind === 'push' && (typeof e.push !== 'object' || e.push === null)) throw new TypeError('push needs an array of strings or a reply');
  if (e.kind === 'split') {
    const ok = e.sizes !== undefined ? Array.isArray(e.sizes) && e.sizes.every((n) => Number.isInteger(n) && n > 0) : e.chunks === undefined || (Number.isInteger(e.chunks) && e.chunks > 0);
    if (!ok) throw new RangeError('split needs a positive number of chunks or positive chunk sizes');
    if (e.intervalMs !== undefined && !(e.intervalMs >= 0)) throw new RangeError('split needs intervalMs >= 0');
  }
  if (e.kind === 'cut' && !(Number.isInteger(e.at) && e.at >= 0)) throw new RangeError(`cut needs a byte count >= 0, not ${e.at}`);
  if (e.kind === 'throttle' && !(e.bytesPerSecond > 0)) throw new RangeError(`throttle needs bytesPerSecond > 0, not ${e.bytesPerSecond}`);
  if (e.kind === 'close' && e.when !== 'before' && e.when !== 'after') throw new TypeError(`close needs when: 'before' | 'after'`);
  const d = spec.delay;
  const ms = typeof d === 'number' ? d : d?.ms;
  if (ms !== undefined && !(ms >= 0 && ms <= MAX_DELAY_MS)) throw new RangeError(`delay must be from 0 to ${MAX_DELAY_MS} ms, not ${ms}`);
  if (spec.until !== undefined && typeof spec.until !== 'number') throw new TypeError('until must be a time in epoch ms');
}

// ---------------------------------------------------------------------------

/**
 * The fluent lifetime of a rule (undici's MockScope): `.times(n)`,
 * `.persist()`, `.until(t)`, `.delay(ms)`; `.release()` for hangs and pauses;
 * `.clear()` removes it.
 */
export class FaultScope {
  constructor(readonly rule: FaultRule) {}

  get id(): number {
    return this.rule.id;
  }
  /** Requests that matched the rule so far (before nth and probability). */
  get matched(): number {
    return this.rule.matched;
  }
  /** Times it fired so far. */
  get fired(): number {
    return this.rule.fired;
  }
  get pending(): boolean {
    return this.rule.pending;
  }

  times(n: number): this {
    this.rule.timesN(n);
    return this;
  }
  persist(): this {
    this.rule.spec.persist = true;
    return this;
  }
  /** Stops firing once the server clock reaches `epochMs`. */
  until(epochMs: number): this {
    this.rule.spec.until = epochMs;
    return this;
  }
  /** Waits `ms` before the effect (real time, or the server clock with { clock: 'server' }). */
  delay(ms: number, opts: { clock?: 'real' | 'server' } = {}): this {
    if (!(ms >= 0 && ms <= MAX_DELAY_MS)) throw new RangeError(`delay must be from 0 to ${MAX_DELAY_MS} ms, not ${ms}`);
    this.rule.spec.delay = { ms, clock: opts.clock ?? 'real' };
    return this;
  }
  /** Lets hung requests go on (they run and reply), or ends a pause; returns how many were waiting. */
  release(): number {
    return this.rule.release();
  }
  clear(): void {
    this.rule.clear();
  }
  toString(): string {
    return this.rule.describe();
  }
}

/** Builds the effect of an intercepted request (undici's MockInterceptor). */
export class Interceptor {
  constructor(
    private readonly owner: Faults,
    private readonly match: FaultMatch,
  ) {}

  private add(effect: FaultEffect): FaultScope {
    return this.owner.add({ ...this.match, effect });
  }

  /** Runs the request as usual after `ms` (real time, or the server clock). */
  delay(ms: number, opts: { clock?: 'real' | 'server' } = {}): FaultScope {
    return this.add({ kind: 'pass' }).delay(ms, opts);
  }
  /** Answers with an error: a name of FAULT_ERRORS ('LOADING', 'READONLY'...) or any text ("ERR boom"). */
  error(nameOrText: string): FaultScope {
    return this.add({ kind: 'error', error: nameOrText });
  }
  /** Answers MOVED <slot> host:port; the slot is the first key's unless given. */
  moved(to: RedirectTarget): FaultScope {
    return this.add({ kind: 'redirect', type: 'MOVED', ...to });
  }
  /** Answers ASK <slot> host:port. */
  ask(to: RedirectTarget): FaultScope {
    return this.add({ kind: 'redirect', type: 'ASK', ...to });
  }
  /** Answers with any reply (R.*), or raw RESP bytes (a string). Not run. */
  reply(reply: Reply | string): FaultScope {
    return this.add(typeof reply === 'string' ? { kind: 'reply', raw: reply } : { kind: 'reply', reply });
  }
  /** Runs the request; the reply never comes. */
  drop(): FaultScope {
    return this.add({ kind: 'drop' });
  }
  /** Closes the connection before the request runs (it never runs) or after it ran (the reply is lost). */
  close(opts: { when?: 'before' | 'after'; how?: 'end' | 'reset' } = {}): FaultScope {
    return this.add({ kind: 'close', when: opts.when ?? 'before', how: opts.how ?? 'end' });
  }
  /** No reply until the scope's release(); then it runs. */
  hang(): FaultScope {
    return this.add({ kind: 'hang' });
  }
  /** Writes the reply in `chunks` pieces (or pieces of the given sizes), `intervalMs` apart (default 10). */
  split(chunks: number | readonly number[], opts: { intervalMs?: number } = {}): FaultScope {
    const e: FaultEffect = typeof chunks === 'number' ? { kind: 'split', chunks } : { kind: 'split', sizes: chunks };
    return this.add({ ...e, intervalMs: opts.intervalMs ?? 10 });
  }
  /** Writes only the first `bytes` bytes of the reply, then closes the connection (the request ran). */
  cut(bytes: number): FaultScope {
    return this.add({ kind: 'cut', at: bytes });
  }
  /** Writes the reply at about `bytesPerSecond`. */
  throttle(bytesPerSecond: number): FaultScope {
    return this.add({ kind: 'throttle', bytesPerSecond });
  }
  /** Sends a push to the connection just before the request runs and replies. */
  push(value: Reply | readonly string[]): FaultScope {
    return this.add({ kind: 'push', push: value });
  }
}

// ---------------------------------------------------------------------------

/** The default seed: VALKEY_DOUBLE_SEED, else one from the wall clock. */
export function defaultFaultSeed(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['VALKEY_DOUBLE_SEED'];
  if (raw !== undefined && raw !== '' && Number.isSafeInteger(Number(raw))) return Number(raw) >>> 0;
  return (realTimers.nowUs() % 4294967296) >>> 0;
}

interface ConnState {
  /** A blocked request's reply, when it comes, goes through this instead. */
  onBlockedReply?: (reply: Reply) => void;
  pausedBy: Set<FaultRule>;
  /** Sent admin commands: never paused, so it can end the pause. */
  admin?: boolean;
}

/**
 * The fault rules of one server (or, later, of a whole cluster: a rule's
 * `node` matcher picks nodes). `server.faults` is one.
 */
export class Faults {
  private rng: Rng;
  private currentSeed: number;
  private readonly rules: FaultRule[] = [];
  private readonly calls: CallRecord[] = [];
  private readonly firedList: FiredFault[] = [];
  private seq = 0;
  private readonly historyLimit: number;
  private readonly nodes = new Set<NodeContext>();
  private readonly state = new WeakMap<FaultableConnection, ConnState>();
  /** Probabilistic rules have fired: a failure should print the seed. */
  private drewProbability = false;
  admin: boolean;

  constructor(opts: FaultsOptions = {}) {
    this.currentSeed = (opts.seed ?? defaultFaultSeed()) >>> 0;
    this.rng = new Rng(this.currentSeed);
    this.historyLimit = opts.historyLimit ?? 10_000;
    this.admin = opts.admin ?? false;
  }

  /** The seed of probabilistic faults. */
  get seed(): number {
    return this.currentSeed;
  }

  /** Whether any probabilistic rule drew from the generator (then the seed is worth printing). */
  get usedProbability(): boolean {
    return this.drewProbability;
  }

  /** Starts the generator again from a seed (this one by default): to replay a run. */
  reseed(seed: number = this.currentSeed): void {
    this.currentSeed = seed >>> 0;
    this.rng = new Rng(this.currentSeed);
  }

  /** "replay with VALKEY_DOUBLE_SEED=123" */
  seedLine(): string {
    return `valkey-double faults seed ${this.currentSeed}: replay with VALKEY_DOUBLE_SEED=${this.currentSeed}`;
  }

  // --- building rules ---

  /** Starts a rule on the requests that match (all of them without a matcher). */
  intercept(match: FaultMatch = {}): Interceptor {
    return new Interceptor(this, match);
  }

  /** Shorthand: intercept({ command, ...match }). */
  on(command: TextMatcher | readonly string[], match: Omit<FaultMatch, 'command'> = {}): Interceptor {
    return new Interceptor(this, { ...match, command });
  }

  /** Adds a rule given as data (what DOUBLE.FAULT ADD takes). */
  add(spec: FaultSpec): FaultScope {
    const rule = new FaultRule(this, 'request', { ...spec });
    this.rules.push(rule);
    return new FaultScope(rule);
  }

  /**
   * New connections are closed as soon as they are accepted ('end', or 'reset'
   * for an RST), `times` of them (default 1) or until cleared with persist().
   */
  refuseConnections(opts: { node?: TextMatcher; addr?: TextMatcher; how?: 'end' | 'reset' } = {}): FaultScope {
    const spec: FaultSpec = { effect: { kind: 'close', when: 'before', how: opts.how ?? 'end' } };
    if (opts.node !== undefined) spec.node = opts.node;
    if (opts.addr !== undefined) spec.client = { addr: opts.addr };
    const rule = new FaultRule(this, 'refuse', spec);
    this.rules.push(rule);
    return new FaultScope(rule);
  }

  /**
   * Stops reading the matching connections (all by default), open ones and new
   * ones, until the scope's release() or clear(), or `ms` real milliseconds.
   * Requests sent meanwhile wait in the socket and run after.
   */
  pauseReads(opts: { node?: TextMatcher; client?: ConnectionMatch; ms?: number } = {}): FaultScope {
    const spec: FaultSpec = { effect: { kind: 'pass' } };
    if (opts.node !== undefined) spec.node = opts.node;
    if (opts.client) spec.client = opts.client;
    if (opts.ms !== undefined && !(opts.ms >= 0 && opts.ms <= MAX_DELAY_MS)) throw new RangeError(`pauseReads ms must be from 0 to ${MAX_DELAY_MS}, not ${opts.ms}`);
    const rule = new FaultRule(this, 'pause', spec);
    this.rules.push(rule);
    for (const node of this.nodes) for (const c of node.connections()) this.maybePause(rule, node, c);
    if (opts.ms !== undefined) realTimers.setTimeout(() => rule.release(), opts.ms);
    return new FaultScope(rule);
  }

  /** Sends a push to every matching open connection now; returns how many got it. */
  push(value: Reply | readonly string[], opts: { node?: TextMatcher; client?: ConnectionMatch } = {}): number {
    const test = compileConnectionMatch(opts.node, opts.client);
    const reply = toPush(value);
    let n = 0;
    for (const node of this.nodes) {
      for (const c of node.connections()) {
        if (c.isClosed || !test(node.name, clientView(c))) continue;
        c.send(reply);
        n++;
        this.recordFired({ id: 0, effect: 'inject-push', executed: false, seq: this.seq, at: node.clock.now(), node: node.name, clientId: c.client.id, command: '' });
      }
    }
    return n;
  }

  // --- lifetime ---

  /** Removes every rule (hung requests go on, paused reads resume). History stays. */
  clear(): void {
    for (const r of [...this.rules]) r.clear();
  }

  /** Lets every hung request go on and ends every pause. */
  releaseAll(): number {
    let n = 0;
    for (const r of [...this.rules]) {
      n += r.release();
      if (r.kind === 'pause') r.clear();
    }
    return n;
  }

  /** Clears rules, history and records, and restarts the generator from `seed` (the same seed by default). */
  reset(seed: number = this.currentSeed): void {
    this.clear();
    this.calls.length = 0;
    this.firedList.length = 0;
    this.seq = 0;
    this.drewProbability = false;
    this.reseed(seed);
  }

  /** @internal */
  remove(rule: FaultRule): void {
    const i = this.rules.indexOf(rule);
    if (i >= 0) this.rules.splice(i, 1);
  }

  // --- records ---

  /** A rule by id: in effect, or used up with hung requests still waiting. */
  rule(id: number): FaultScope | undefined {
    const r = this.rules.find((x) => x.id === id);
    return r ? new FaultScope(r) : undefined;
  }

  /** The rules still in effect. */
  active(): FaultScope[] {
    return this.rules.filter((r) => !r.done).map((r) => new FaultScope(r));
  }

  /** Rules expected to fire that have not (undici's pendingInterceptors); a rule past its `until` is not. */
  pendingFaults(): FaultScope[] {
    const now = this.now();
    return this.rules.filter((r) => r.pending && !r.expired(now)).map((r) => new FaultScope(r));
  }

  /** The time of the first attached server's clock (the real time without one). */
  private now(): number {
    for (const n of this.nodes) return n.clock.now();
    return realTimers.nowMs();
  }

  /** Throws, listing them, when rules are still pending. */
  assertNoPendingFaults(): void {
    const p = this.pendingFaults();
    if (p.length === 0) return;
    const lines = p.map((s) => `  ${s.toString()}`).join('\n');
    throw new PendingFaultsError(`${p.length} fault${p.length === 1 ? ' is' : 's are'} pending:\n${lines}\n(${this.seedLine()})`);
  }

  /** Every request seen, in order (up to historyLimit, oldest dropped). */
  history(): readonly CallRecord[] {
    return this.calls;
  }

  /** Every fault that fired, in order. */
  fired(): readonly FiredFault[] {
    return this.firedList;
  }

  private recordFired(f: FiredFault): void {
    this.firedList.push(f);
    if (this.historyLimit > 0 && this.firedList.length > 2 * this.historyLimit) this.firedList.splice(0, this.firedList.length - this.historyLimit);
  }

  // --- the layer ---

  /** @internal A server joins: its connections are matched under `node.name`. */
  attach(node: NodeContext): void {
    this.nodes.add(node);
  }

  /** @internal */
  detach(node: NodeContext): void {
    this.nodes.delete(node);
  }

  /** @internal A new connection: false when a refuse rule closes it. */
  accept(node: NodeContext, addr: string): { refuse: false } | { refuse: true; how: 'end' | 'reset' } {
    const now = node.clock.now();
    const view: ClientView = { id: 0, name: '', lib: '', addr };
    for (const r of this.rules) {
      if (r.kind !== 'refuse' || r.done || r.expired(now) || !r.connTest!(node.name, view)) continue;
      r.matched++;
      r.fired++;
      this.recordFired({ id: r.id, effect: 'refuse', executed: false, seq: this.seq, at: now, node: node.name, clientId: 0, command: '' });
      if (r.done) this.remove(r);
      return { refuse: true, how: r.spec.effect.kind === 'close' ? (r.spec.effect.how ?? 'end') : 'end' };
    }
    return { refuse: false };
  }

  /** @internal A connection opened: pauses apply to it. */
  opened(node: NodeContext, c: FaultableConnection): void {
    for (const r of this.rules) if (r.kind === 'pause' && !r.done) this.maybePause(r, node, c);
  }

  private st(c: FaultableConnection): ConnState {
    let s = this.state.get(c);
    if (!s) {
      s = { pausedBy: new Set() };
      this.state.set(c, s);
    }
    return s;
  }

  /** @internal A connection that sends admin commands is not paused (it must be able to release the pause). */
  markAdmin(c: FaultableConnection): void {
    const s = this.st(c);
    if (s.admin) return;
    s.admin = true;
    if (s.pausedBy.size > 0) {
      s.pausedBy.clear();
      c.holdReads(false);
    }
  }

  private maybePause(rule: FaultRule, node: NodeContext, c: FaultableConnection): void {
    if (this.state.get(c)?.admin) return;
    if (c.isClosed || rule.expired(node.clock.now()) || !rule.connTest!(node.name, clientView(c))) return;
    const s = this.st(c);
    if (s.pausedBy.has(rule)) return;
    s.pausedBy.add(rule);
    rule.matched++;
    rule.fired++;
    this.recordFired({ id: rule.id, effect: 'pause-reads', executed: false, seq: this.seq, at: node.clock.now(), node: node.name, clientId: c.client.id, command: '' });
    c.holdReads(true);
  }

  /** @internal */
  unpause(rule: FaultRule): void {
    for (const node of this.nodes) {
      for (const c of node.connections()) {
        const s = this.state.get(c);
        if (!s?.pausedBy.delete(rule)) continue;
        if (s.pausedBy.size === 0) c.holdReads(false);
      }
    }
  }

  /** @internal A reply that comes later (a blocked request's): true when a fault took it. */
  delivered(c: FaultableConnection, reply: Reply): boolean {
    if (reply.t === 'push') return false;
    const s = this.state.get(c);
    const f = s?.onBlockedReply;
    if (!f) return false;
    s.onBlockedReply = undefined;
    f(reply);
    return true;
  }

  /** @internal One request: true when a fault took it over. */
  /** @internal Whether requests need to be seen at all: rules to match, or a history to keep. */
  get observing(): boolean {
    return this.rules.length > 0 || this.historyLimit > 0;
  }

  request(node: NodeContext, c: FaultableConnection, argv: readonly Bytes[], info: RequestView['info'], keys: () => Bytes[]): boolean {
    if (!this.observing) return false;
    const now = node.clock.now();
    const client = clientView(c);
    const rec: CallRecord = { seq: ++this.seq, at: now, node: node.name, client, command: info.name, argv };
    if (this.historyLimit > 0) {
      this.calls.push(rec);
      if (this.calls.length > 2 * this.historyLimit) this.calls.splice(0, this.calls.length - this.historyLimit);
    }
    if (this.rules.length === 0) return false;
    let keyCache: Bytes[] | undefined;
    const view: RequestView = { node: node.name, argv, info, client, keys: () => (keyCache ??= keys()) };
    for (const r of this.rules) {
      if (r.kind !== 'request' || r.done || r.expired(now)) continue;
      if (!r.test(view)) continue;
      r.matched++;
      if (r.spec.nth !== undefined && r.matched < r.spec.nth) continue;
      if (r.spec.probability !== undefined) {
        this.drewProbability = true;
        if (!(this.rng.next() < r.spec.probability)) continue;
      }
      r.fired++;
      const fired: FiredFault = {
        id: r.id, effect: r.spec.effect.kind === 'pass' && r.spec.delay !== undefined ? 'delay' : r.spec.effect.kind, executed: false, seq: rec.seq, at: now, node: node.name, clientId: client.id, command: info.name,
      };
      rec.fault = fired;
      this.recordFired(fired);
      this.apply(r, node, c, argv, view, fired);
      // A used-up rule goes, unless requests it hung wait for its release().
      if (r.done && r.hung.length === 0) this.remove(r);
      return true;
    }
    return false;
  }

  private apply(rule: FaultRule, node: NodeContext, c: FaultableConnection, argv: readonly Bytes[], view: RequestView, fired: FiredFault): void {
    const d = rule.spec.delay;
    const delay: FaultDelay | undefined = typeof d === 'number' ? { ms: d } : d;
    const effect = rule.spec.effect;
    if (effect.kind === 'hang') {
      c.hold();
      rule.hung.push(() => {
        if (c.isClosed) return;
        this.later(c, () => this.effect(node, c, argv, view, { kind: 'pass' }, fired));
      });
      return;
    }
    if (!delay || delay.ms <= 0) {
      this.effect(node, c, argv, view, effect, fired);
      return;
    }
    c.hold();
    const go = () => {
      if (c.isClosed) return;
      this.later(c, () => this.effect(node, c, argv, view, effect, fired));
    };
    if (delay.clock === 'server') node.clock.schedule(node.clock.now() + delay.ms, go);
    else realTimers.setTimeout(go, delay.ms);
  }

  /** Runs a held request's effect outside the connection's loop, then lets later requests go. */
  private later(c: FaultableConnection, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      // Out of the connection's loop (a timer, a release): nothing may escape to the event loop.
      c.send(R.error(`ERR valkey-double fault layer: ${e instanceof Error ? e.message : String(e)}`.replace(/[\r\n]+/g, ' ')));
    } finally {
      c.resume();
    }
  }

  private effect(node: NodeContext, c: FaultableConnection, argv: readonly Bytes[], view: RequestView, e: FaultEffect, fired: FiredFault): void {
    switch (e.kind) {
      case 'pass':
        this.run(c, argv, fired, (r) => c.send(r));
        return;
      case 'push':
        c.send(toPush(e.push));
        this.run(c, argv, fired, (r) => c.send(r));
        return;
      case 'error':
        this.reject(c, view, errorText(e.error));
        return;
      case 'redirect': {
        const keys = view.keys();
        const slot = e.slot ?? (keys.length ? keyHashSlot(keys[0]!) : 0);
        this.reject(c, view, e.type === 'MOVED' ? movedError(slot, e.host, e.port) : askError(slot, e.host, e.port));
        return;
      }
      case 'reply':
        if (e.reply) c.send(e.reply);
        else this.writeRaw(node, c, e.raw ?? '');
        return;
      case 'drop':
        this.run(c, argv, fired, () => {});
        return;
      case 'close':
        if (e.when === 'after') this.run(c, argv, fired, () => {});
        c.flushNow();
        c.kill(e.how ?? 'end');
        return;
      case 'hang':
        return;
      case 'cut':
        this.run(c, argv, fired, (r) => {
          const bytes = c.encodeReply(r);
          this.writeRaw(node, c, bytes.slice(0, e.at));
          c.kill('end');
        });
        return;
      case 'split':
        this.run(c, argv, fired, (r) => {
          const bytes = c.encodeReply(r);
          const sizes = e.sizes ?? evenSizesOf(bytes.length, e.chunks ?? 2);
          this.writeShaped(node, c, bytes, { kind: 'chunks', sizes, intervalMs: e.intervalMs ?? 10 });
        });
        return;
      case 'throttle':
        this.run(c, argv, fired, (r) => this.writeShaped(node, c, c.encodeReply(r), { kind: 'throttle', bytesPerSecond: e.bytesPerSecond }));
        return;
    }
  }

  /**
   * An error instead of running, as Valkey's rejectCommand answers: inside
   * MULTI the transaction is flagged (EXEC will answer EXECABORT), and a
   * rejected EXEC discards it.
   */
  private reject(c: FaultableConnection, view: RequestView, text: string): void {
    const multi = c.client.multi;
    if (multi) {
      if (view.info.name === 'exec') c.execute(['DISCARD']);
      else multi.aborted = true;
    }
    c.send(R.error(text));
  }

  /** Runs the request; its reply (now, or when a blocked request ends) goes to `then`. */
  private run(c: FaultableConnection, argv: readonly Bytes[], fired: FiredFault, then: (r: Reply) => void): void {
    const r = c.execute(argv);
    fired.executed = true;
    if (r === undefined) return;
    if (typeof r === 'symbol') {
      this.st(c).onBlockedReply = then;
      return;
    }
    then(r);
  }

  private writeRaw(node: NodeContext, c: FaultableConnection, bytes: string): void {
    this.writeShaped(node, c, bytes, { kind: 'chunks', sizes: [bytes.length], intervalMs: 0 });
  }

  private writeShaped(_node: NodeContext, c: FaultableConnection, bytes: string, shape: Shape): void {
    c.flushNow();
    const w = c.output;
    if (w instanceof ShapedWire) w.writeShaped(bytes, shape);
    else w.write(bytes);
  }
}


function clientView(c: FaultableConnection): ClientView {
  return { id: c.client.id, name: c.client.name, lib: c.client.libName, addr: c.client.conn.addr };
}

function toPush(v: Reply | readonly string[]): Reply {
  if (Array.isArray(v)) return R.push((v as readonly string[]).map((s) => R.bulk(s)));
  const r = v as Reply;
  return r.t === 'push' ? r : R.push(r.t === 'array' ? r.v : [r]);
}
