/** The Lua state: globals, the operators the compiled code calls, errors, calls from the host. */
import { CodeGen } from './codegen.js';
import { valkeyStringHash, type StringHash } from './hash.js';
import { LuaSyntaxError } from './lexer.js';
import { numberToString, str2number } from './number.js';
import { luaPow, parse } from './parser.js';
import { LuaTable, TableError, type TableContext } from './table.js';
import { Coroutine, LuaError, LuaFunction, NATIVE_SITE, typeName, type GenFn, type LuaValue, type NativeFn, type Site } from './value.js';

const MAXTAGLOOP = 100;
/** What a preempted task's generator yields (see LuaState.runTask). */
const PREEMPT: LuaValue[] = [];
const MAXCCALLS = 200;
/**
 * Steps between retries of a yield the step hook asked for where the task
 * could not yield: every step, so that the first back edge in the task's
 * frames takes it (a longer period could keep landing on the same
 * non-preemptible point of a loop, say the entry of a function it calls).
 */
const PREEMPT_RETRY = 1;
const EMPTY: LuaValue[] = [];

export interface LuaStateOptions {
  /** string hash for table layout: Valkey's (default) or stock 5.1's */
  stringHash?: StringHash;
  /** max nested Lua calls before "stack overflow" (default 7000; JS stack exhaustion is also caught) */
  maxCallDepth?: number;
  /** called with the text of each print() line (without newline) and io.write() pieces */
  print?: (line: string) => void;
  write?: (text: string) => void;
}

function fb(n: number): number {
  let e = 0, x = n;
  if (x < 8) return x;
  while (x >= 16) { x = (x + 1) >> 1; e++; }
  return ((x & 7) + 8) << e;
}

export function chunkId(source: string): string {
  const IDSIZE = 60;
  // luaO_chunkid works on a C string: it ends at the first NUL.
  const nul = source.indexOf('\0');
  if (nul >= 0) source = source.slice(0, nul);
  if (source.startsWith('=')) return source.slice(1, IDSIZE);
  if (source.startsWith('@')) {
    let s = source.slice(1);
    const max = IDSIZE - 8;
    if (s.length > max) s = '...' + s.slice(s.length - max);
    return s;
  }
  const nl = source.search(/[\n\r]/);
  let len = nl < 0 ? source.length : nl;
  const max = IDSIZE - 17;
  if (len > max) len = max;
  if (len < source.length) return `[string "${source.slice(0, len)}..."]`;
  return `[string "${source}"]`;
}

export class LuaState implements TableContext {
  readonly strhash: StringHash;
  private idCounter = 1;
  readonly globals: LuaTable;
  readonly registry = new Map<string, LuaValue>();
  stringMeta: LuaTable | undefined;
  /** call-site stack of the running coroutine; cur[depth] is the current Lua frame's site */
  cur: Site[] = [];
  depth = 0;
  nC = 0;
  maxDepth: number;
  budget = 1e9;
  private hookEvery = 1e9;
  private hook: (() => boolean | void) | undefined;
  current: Coroutine | undefined;
  print: (line: string) => void;
  write: (text: string) => void;
  readonly ops: Record<string, unknown>;
  nextFn!: LuaFunction;

  constructor(opts: LuaStateOptions = {}) {
    this.strhash = opts.stringHash ?? valkeyStringHash;
    this.maxDepth = opts.maxCallDepth ?? 7000;
    this.print = opts.print ?? ((l) => process.stdout.write(l + '\n'));
    this.write = opts.write ?? ((t) => process.stdout.write(t));
    this.globals = new LuaTable(this);
    this.ops = this.makeOps();
  }

  newId(): number { return this.idCounter++; }
  newTable(narr = 0, nhash = 0): LuaTable { return new LuaTable(this, narr, nhash); }

  /** Call `hook` every `every` steps (loop iterations, calls, pattern-matching steps). It may throw to abort. */
  setStepHook(hook: (() => boolean | void) | undefined, every = 100000): void {
    this.hook = hook;
    this.hookEvery = hook ? every : 1e9;
    this.budget = this.hookEvery;
  }

  /**
   * The step hook; true when a preemptible task (runTask) should yield here:
   * the hook asked for it, the caller can yield (`yieldable`: a loop's back
   * edge in a generator body), and the code runs in the task's own frames
   * (not in a coroutine, nor under a host function such as sort). A yield
   * asked for anywhere else is kept until such a back edge comes.
   */
  tick(line = -1, yieldable = false): boolean {
    this.hookLine = line;
    if (this.preemptPending) {
      // A yield was asked for where none could happen: take the first back edge in the task's own frames.
      if (yieldable && this.canPreempt()) {
        this.preemptPending = false;
        this.budget = this.hookEvery;
        return true;
      }
      this.budget = PREEMPT_RETRY;
      if (++this.preemptRetries * PREEMPT_RETRY < this.hookEvery) return false;
      this.preemptRetries = 0;
    }
    this.budget = this.hookEvery;
    if (!this.hook) return false;
    const y = this.hook();
    if (y !== true || this.task === undefined) return false;
    if (yieldable && this.canPreempt()) return true;
    this.preemptPending = true;
    this.preemptRetries = 0;
    this.budget = PREEMPT_RETRY;
    return false;
  }

  /** The code runs in the preemptible task's own frames (not in a coroutine, nor under a host function such as sort). */
  private canPreempt(): boolean {
    return this.task !== undefined && this.current === undefined && this.nC === this.task.nC;
  }

  /** The source line of the loop whose back edge ran the step hook last (-1: not a loop). */
  hookLine = -1;
  private preemptPending = false;
  private preemptRetries = 0;

  /**
   * Runs `f` as a task that may suspend: at a loop's back edge, when the step
   * hook returns true (see tick), step() returns with the task unfinished;
   * the next step() continues it. The task's frames must not be re-entered
   * by other Lua code meanwhile. Errors are thrown from step() as from call().
   */
  runTask(f: LuaFunction, args: LuaValue[]): LuaTask {
    this.preemptPending = false;
    return new LuaTask(this, f, args);
  }

  /** The task running now (runTask), if any. */
  task: LuaTask | undefined;

  site(chunk: string, line: number, k1: string, n1: string, k2: string, n2: string, call: boolean, ck: string, cn: string): Site {
    return { chunk, line, k1, n1, k2, n2, call, ck, cn };
  }

  // ---- functions -------------------------------------------------------

  /** A host function. It receives Lua values and returns an array of results. */
  fn(name: string, f: NativeFn): LuaFunction {
    return new LuaFunction(this.newId(), f, undefined, name, true);
  }

  /** Compile a chunk. Throws LuaError with 5.1's syntax message on bad source. */
  load(source: string, chunkname = source, env: LuaTable = this.globals): LuaFunction {
    const id = chunkId(chunkname);
    let ast;
    try {
      ast = parse(source, id);
    } catch (e) {
      if (e instanceof LuaSyntaxError) throw new LuaError(e.message);
      if (e instanceof RangeError) throw new LuaError(`${id}: chunk has too many syntax levels`);
      throw e;
    }
    const js = new CodeGen(id).compile(ast);
    const factory = new Function('R', js)(this) as (g: LuaTable) => LuaFunction;
    return factory(env);
  }

  /** Call a Lua value from the host (protected against JS stack exhaustion). */
  call(f: LuaValue, ...args: LuaValue[]): LuaValue[] {
    const d0 = this.depth, c0 = this.nC;
    try {
      return this.callFromNative(f, args);
    } catch (e) {
      throw this.toLuaError(e);
    } finally {
      this.depth = d0; this.nC = c0;
    }
  }

  /** Convert anything thrown inside the VM to a LuaError (JS stack exhaustion becomes "stack overflow"). Host aborts pass through. */
  toLuaError(e: unknown): LuaError | unknown {
    if (e instanceof LuaError) return e;
    if (e instanceof TableError) return new LuaError(e.message);
    if (e instanceof RangeError) {
      if (/call stack/i.test(e.message)) return new LuaError(this.where(1) + 'stack overflow');
      return new LuaError('not enough memory');
    }
    return e;
  }

  callFromNative(f: LuaValue, args: LuaValue[]): LuaValue[] {
    const d0 = this.depth;
    this.cur[++this.depth] = NATIVE_SITE;
    if (++this.nC >= MAXCCALLS) this.cstackOverflow();
    try {
      if (f instanceof LuaFunction) return f.f(...args);
      return this.callMeta(f, NATIVE_SITE, args);
    } finally {
      this.depth = d0;
      this.nC--;
    }
  }

  private cstackOverflow(): never {
    if (this.nC === MAXCCALLS) this.rtError('C stack overflow', this.cur[this.depth - 1] ?? NATIVE_SITE);
    throw new LuaError('error in error handling');
  }

  /** call a metamethod from an operator at `s` */
  private meta(tm: LuaValue, s: Site, args: LuaValue[]): LuaValue[] {
    this.cur[this.depth] = s;
    if (++this.nC >= MAXCCALLS) { this.cstackOverflow(); }
    try {
      if (tm instanceof LuaFunction) return tm.f(...args);
      return this.callMeta(tm, s, args);
    } finally { this.nC--; }
  }

  callMeta(f: LuaValue, s: Site, args: LuaValue[]): LuaValue[] {
    const tm = this.metaOf(f, '__call');
    if (!(tm instanceof LuaFunction)) this.typeError(f, 'call', s.k1, s.n1, s);
    return tm.f(f, ...args);
  }

  // ---- errors ----------------------------------------------------------

  /** "chunk:line: " of the function `level` levels up from the running host function (luaL_where). */
  where(level: number): string {
    const s = this.cur[this.depth - level + 1];
    return s && s.line >= 0 ? `${s.chunk}:${s.line}: ` : '';
  }

  rtError(msg: string, s: Site): never {
    // The failing frame's position is s (operators do not record their site; calls do).
    if (s.line >= 0) this.cur[this.depth] = s;
    throw new LuaError(s.line >= 0 ? `${s.chunk}:${s.line}: ${msg}` : msg);
  }

  /** luaL_error: message with the caller's position */
  error(msg: string): never {
    throw new LuaError(this.where(1) + msg);
  }

  typeError(v: LuaValue, op: string, k: string, n: string, s: Site): never {
    const t = typeName(v);
    this.rtError(k ? `attempt to ${op} ${k} '${n}' (a ${t} value)` : `attempt to ${op} a ${t} value`, s);
  }

  /** luaL_argerror */
  argError(narg: number, extra: string): never {
    const s = this.cur[this.depth] ?? NATIVE_SITE;
    let name = s.call && s.cn ? s.cn : '?';
    if (s.call && s.ck === 'method') {
      narg--;
      if (narg === 0) this.error(`calling '${name}' on bad self (${extra})`);
    }
    if (!s.call) name = '?';
    this.error(`bad argument #${narg} to '${name}' (${extra})`);
  }

  // ---- metatables ------------------------------------------------------

  getMetatable(v: LuaValue): LuaTable | undefined {
    if (v instanceof LuaTable) return v.metatable;
    if (typeof v === 'string') return this.stringMeta;
    if (v !== null && typeof v === 'object' && 'metatable' in v) return (v as { metatable: LuaTable | undefined }).metatable;
    return undefined;
  }

  metaOf(v: LuaValue, event: string): LuaValue {
    const mt = this.getMetatable(v);
    return mt ? (mt.getStr(event) as LuaValue) : undefined;
  }

  // ---- operators -------------------------------------------------------

  tostr(v: LuaValue): string | undefined {
    return typeof v === 'string' ? v : typeof v === 'number' ? numberToString(v) : undefined;
  }

  tonum(v: LuaValue): number | undefined {
    return typeof v === 'number' ? v : typeof v === 'string' ? str2number(v) : undefined;
  }

  arith(a: LuaValue, b: LuaValue, s: Site, ev: string): LuaValue {
    const x = this.tonum(a), y = this.tonum(b);
    if (x !== undefined && y !== undefined) {
      switch (ev) {
        case '__add': return x + y;
        case '__sub': return x - y;
        case '__mul': return x * y;
        case '__div': return x / y;
        case '__mod': return x - Math.floor(x / y) * y;
        case '__pow': return luaPow(x, y);
        case '__unm': return -x;
      }
    }
    let tm = this.metaOf(a, ev);
    if (tm === undefined) tm = this.metaOf(b, ev);
    if (tm === undefined) {
      if (x === undefined) this.typeError(a, 'perform arithmetic on', s.k1, s.n1, s);
      this.typeError(b, 'perform arithmetic on', s.k2, s.n2, s);
    }
    return this.meta(tm, s, [a, b])[0];
  }

  concat(a: LuaValue, b: LuaValue, s: Site): LuaValue {
    const x = this.tostr(a), y = this.tostr(b);
    if (x !== undefined && y !== undefined) return x + y;
    let tm = this.metaOf(a, '__concat');
    if (tm === undefined) tm = this.metaOf(b, '__concat');
    if (tm === undefined) {
      if (x !== undefined) this.typeError(b, 'concatenate', s.k2, s.n2, s);
      this.typeError(a, 'concatenate', s.k1, s.n1, s);
    }
    return this.meta(tm, s, [a, b])[0];
  }

  len(a: LuaValue, s: Site): LuaValue {
    if (typeof a === 'string') return a.length;
    if (a instanceof LuaTable) return a.length();
    const tm = this.metaOf(a, '__len');
    if (tm === undefined) this.typeError(a, 'get length of', s.k1, s.n1, s);
    return this.meta(tm, s, [a])[0];
  }

  eq(a: LuaValue, b: LuaValue, s: Site): boolean {
    if (a === b) return true;
    if (typeof a !== 'object' || typeof b !== 'object') return false;
    if (!(a instanceof LuaTable && b instanceof LuaTable) && (a instanceof LuaTable || b instanceof LuaTable || a instanceof LuaFunction || b instanceof LuaFunction || a instanceof Coroutine || b instanceof Coroutine)) return false;
    const mt1 = this.getMetatable(a), mt2 = this.getMetatable(b);
    if (!mt1) return false;
    const tm1 = mt1.getStr('__eq') as LuaValue;
    if (tm1 === undefined) return false;
    if (mt1 !== mt2) {
      if (!mt2) return false;
      const tm2 = mt2.getStr('__eq') as LuaValue;
      if (tm1 !== tm2) return false;
    }
    const r = this.meta(tm1, s, [a, b])[0];
    return r !== undefined && r !== false;
  }

  private orderTM(a: LuaValue, b: LuaValue, ev: string, s: Site): number {
    const tm1 = this.metaOf(a, ev);
    if (tm1 === undefined) return -1;
    const tm2 = this.metaOf(b, ev);
    if (tm1 !== tm2) return -1;
    const r = this.meta(tm1, s, [a, b])[0];
    return r !== undefined && r !== false ? 1 : 0;
  }

  private orderError(a: LuaValue, b: LuaValue, s: Site): never {
    const t1 = typeName(a), t2 = typeName(b);
    this.rtError(t1 === t2 ? `attempt to compare two ${t1} values` : `attempt to compare ${t1} with ${t2}`, s);
  }

  lt(a: LuaValue, b: LuaValue, s: Site): boolean {
    const ta = typeof a;
    if (ta !== typeof b) this.orderError(a, b, s);
    if (ta === 'number' || ta === 'string') return (a as number) < (b as number);
    if (typeName(a) !== typeName(b)) this.orderError(a, b, s);
    const r = this.orderTM(a, b, '__lt', s);
    if (r !== -1) return r === 1;
    this.orderError(a, b, s);
  }

  le(a: LuaValue, b: LuaValue, s: Site): boolean {
    const ta = typeof a;
    if (ta !== typeof b) this.orderError(a, b, s);
    if (ta === 'number' || ta === 'string') return (a as number) <= (b as number);
    if (typeName(a) !== typeName(b)) this.orderError(a, b, s);
    let r = this.orderTM(a, b, '__le', s);
    if (r !== -1) return r === 1;
    r = this.orderTM(b, a, '__lt', s);
    if (r !== -1) return r === 0;
    this.orderError(a, b, s);
  }

  index(o: LuaValue, k: LuaValue, s: Site): LuaValue {
    for (let loop = 0; loop < MAXTAGLOOP; loop++) {
      let tm: LuaValue;
      if (o instanceof LuaTable) {
        const v = o.get(k) as LuaValue;
        if (v !== undefined) return v;
        const mt = o.metatable;
        if (!mt) return undefined;
        tm = mt.getStr('__index') as LuaValue;
        if (tm === undefined) return undefined;
      } else {
        tm = this.metaOf(o, '__index');
        if (tm === undefined) {
          if (loop === 0) this.typeError(o, 'index', s.k1, s.n1, s);
          this.typeError(o, 'index', '', '', s);
        }
      }
      if (tm instanceof LuaFunction) return this.meta(tm, s, [o, k])[0];
      o = tm;
    }
    this.rtError('loop in gettable', s);
  }

  setIndex(o: LuaValue, k: LuaValue, v: LuaValue, s: Site): void {
    for (let loop = 0; loop < MAXTAGLOOP; loop++) {
      let tm: LuaValue;
      if (o instanceof LuaTable) {
        if (o.readonly) this.rtError('Attempt to modify a readonly table', s);
        const mt = o.metatable;
        // Without a metatable the old value does not matter: no lookup.
        if (!mt || o.get(k) !== undefined || (tm = mt.getStr('__newindex') as LuaValue) === undefined) {
          try { o.set(k, v); } catch (e) { if (e instanceof TableError) this.rtError(e.message, s); throw e; }
          return;
        }
        // luaH_set creates the key before the metamethod runs
        try { o.set(k, undefined); } catch (e) { if (e instanceof TableError) this.rtError(e.message, s); throw e; }
      } else {
        tm = this.metaOf(o, '__newindex');
        if (tm === undefined) {
          if (loop === 0) this.typeError(o, 'index', s.k1, s.n1, s);
          this.typeError(o, 'index', '', '', s);
        }
      }
      if (tm instanceof LuaFunction) { this.meta(tm, s, [o, k, v]); return; }
      o = tm;
    }
    this.rtError('loop in settable', s);
  }

  private makeOps(): Record<string, unknown> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const R: LuaState = this;
    const nextFn = this.fn('next', (...a) => {
      const t = a[0], k = a[1];
      if (!(t instanceof LuaTable)) this.argError(1, `table expected, got ${a.length === 0 ? 'no value' : typeName(t)}`);
      let r;
      try { r = t.next(k); } catch (e) { if (e instanceof TableError) throw new LuaError(e.message); throw e; }
      return (r ?? [undefined]) as LuaValue[];
    });
    this.nextFn = nextFn;
    function* gcallm(f: LuaValue, s: Site, args: LuaValue[]): Generator<LuaValue[], LuaValue[], LuaValue[]> {
      const tm = R.metaOf(f, '__call');
      if (!(tm instanceof LuaFunction)) R.typeError(f, 'call', s.k1, s.n1, s);
      if (tm.g) return yield* tm.g(f, ...args);
      return tm.f(f, ...args);
    }
    return {
      LF: LuaFunction, LuaTable, EMPTY, NEXT: nextFn,
      T: (v: LuaValue) => v !== undefined && v !== false,
      ADD: (a: LuaValue, b: LuaValue, s: Site) => (typeof a === 'number' && typeof b === 'number' ? a + b : R.arith(a, b, s, '__add')),
      SUB: (a: LuaValue, b: LuaValue, s: Site) => (typeof a === 'number' && typeof b === 'number' ? a - b : R.arith(a, b, s, '__sub')),
      MUL: (a: LuaValue, b: LuaValue, s: Site) => (typeof a === 'number' && typeof b === 'number' ? a * b : R.arith(a, b, s, '__mul')),
      DIV: (a: LuaValue, b: LuaValue, s: Site) => (typeof a === 'number' && typeof b === 'number' ? a / b : R.arith(a, b, s, '__div')),
      MOD: (a: LuaValue, b: LuaValue, s: Site) => (typeof a === 'number' && typeof b === 'number' ? a - Math.floor(a / b) * b : R.arith(a, b, s, '__mod')),
      POW: (a: LuaValue, b: LuaValue, s: Site) => (typeof a === 'number' && typeof b === 'number' ? luaPow(a, b) : R.arith(a, b, s, '__pow')),
      UNM: (a: LuaValue, s: Site) => (typeof a === 'number' ? -a : R.arith(a, a, s, '__unm')),
      CAT: (a: LuaValue, b: LuaValue, s: Site) => (typeof a === 'string' && typeof b === 'string' ? a + b : R.concat(a, b, s)),
      LEN: (a: LuaValue, s: Site) => R.len(a, s),
      EQ: (a: LuaValue, b: LuaValue, s: Site) => a === b || (typeof a === 'object' && typeof b === 'object' && R.eq(a, b, s)),
      LT: (a: LuaValue, b: LuaValue, s: Site) => (typeof a === 'number' && typeof b === 'number' ? a < b : R.lt(a, b, s)),
      LE: (a: LuaValue, b: LuaValue, s: Site) => (typeof a === 'number' && typeof b === 'number' ? a <= b : R.le(a, b, s)),
      IDX: (o: LuaValue, k: LuaValue, s: Site) => {
        if (o instanceof LuaTable) { const v = o.get(k) as LuaValue; if (v !== undefined || o.metatable === undefined) return v; }
        return R.index(o, k, s);
      },
      IDXS: (o: LuaValue, k: string, s: Site) => {
        if (o instanceof LuaTable) { const v = o.getStr(k) as LuaValue; if (v !== undefined || o.metatable === undefined) return v; }
        return R.index(o, k, s);
      },
      SET: (o: LuaValue, k: LuaValue, v: LuaValue, s: Site) => R.setIndex(o, k, v, s),
      CALLM: (f: LuaValue, s: Site, args: LuaValue[]) => R.callMeta(f, s, args),
      GCALLM: gcallm,
      TBL: (na: number, nh: number) => new LuaTable(R, na, nh),
      TLIST: (vals: LuaValue[]) => {
        const t = new LuaTable(R, 0, 0);
        const n = fb(vals.length);
        while (vals.length < n) vals.push(undefined);
        t.arr = vals;
        return t;
      },
      SETLIST: (t: LuaTable, base: number, vals: LuaValue[]) => {
        const last = base + vals.length - 1;
        if (last > t.sizeArray) t.resizeArray(last);
        for (let i = vals.length - 1; i >= 0; i--) t.setInt(base + i, vals[i]);
      },
      FORNUM: (v: LuaValue, which: number, s: Site) => {
        const n = R.tonum(v);
        if (n === undefined) R.rtError(`'for' ${['initial value', 'limit', 'step'][which]} must be a number`, s);
        return n;
      },
      PREEMPT,
      ENTER: (d: number) => {
        if (d > R.maxDepth) {
          R.rtError('stack overflow', R.cur[d - 1] ?? NATIVE_SITE);
        }
        R.tick();
      },
    };
  }

  // ---- coroutines ------------------------------------------------------

  resume(co: Coroutine, args: LuaValue[]): LuaValue[] {
    if (co.status === 'dead') return [false, 'cannot resume dead coroutine'];
    if (co.status !== 'suspended') return [false, 'cannot resume non-suspended coroutine'];
    if (this.nC >= MAXCCALLS) return [false, 'C stack overflow'];
    const prev = this.current;
    if (prev) prev.status = 'normal';
    const sc = this.cur, sd = this.depth;
    co.status = 'running';
    this.current = co;
    this.cur = co.cur;
    this.depth = co.depth;
    this.nC++;
    try {
      let r: IteratorResult<LuaValue[], LuaValue[]>;
      if (!co.gen) {
        co.gen = (co.fn.g as GenFn)(...args);
        r = co.gen.next(EMPTY);
      } else {
        r = co.gen.next(args);
      }
      co.depth = this.depth;
      co.status = r.done ? 'dead' : 'suspended';
      return [true, ...r.value];
    } catch (e) {
      co.status = 'dead';
      const le = this.toLuaError(e);
      if (!(le instanceof LuaError)) throw le;
      return [false, le.value];
    } finally {
      this.nC--;
      this.cur = sc;
      this.depth = sd;
      this.current = prev;
      if (prev) prev.status = 'running';
    }
  }
}

/** A Lua function run in steps (LuaState.runTask). */
export class LuaTask {
  private readonly gen: Generator<LuaValue[], LuaValue[], LuaValue[]> | undefined;
  /** C-call depth of the task's own frames. */
  readonly nC: number;
  private readonly d0: number;
  private readonly f: LuaFunction;
  private started = false;
  done = false;
  result: LuaValue[] = EMPTY;

  constructor(private readonly L: LuaState, f: LuaFunction, private readonly args: LuaValue[]) {
    this.f = f;
    this.gen = f.g ? f.g(...args) : undefined;
    this.nC = L.nC;
    this.d0 = L.depth;
  }

  /** Runs until the task ends (true; `result` holds its values) or yields (false). Throws the task's error. */
  step(): boolean {
    const L = this.L;
    const prev = L.task;
    L.task = this;
    try {
      if (!this.gen) {
        this.result = this.f.f(...this.args);
        this.done = true;
        return true;
      }
      let r = this.gen.next(EMPTY);
      this.started = true;
      for (;;) {
        if (r.done) {
          this.result = r.value;
          this.done = true;
          L.depth = this.d0;
          return true;
        }
        if (r.value === PREEMPT) return false;
        // coroutine.yield outside any coroutine
        r = this.gen.throw(new LuaError('attempt to yield across metamethod/C-call boundary'));
      }
    } catch (e) {
      this.done = true;
      throw L.toLuaError(e);
    } finally {
      L.task = prev;
    }
  }

  /** Ends a suspended task: its pending finally blocks run, nothing else. */
  cancel(): void {
    if (this.done) return;
    this.done = true;
    try {
      if (this.started) this.gen?.return(EMPTY);
    } catch {
      // a task ended early has nothing left to report
    }
    this.L.depth = this.d0;
  }
}
