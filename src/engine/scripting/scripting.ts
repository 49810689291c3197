/**
 * The engine's scripting state (Valkey's eval.c, functions.c, script.c):
 * the EVAL script cache with its LRU of EVAL-only scripts, the function
 * libraries, the two Lua environments, and the script that is running.
 */
import { LuaError, LuaFunction, LuaTable, type LuaValue } from '../../lua/index.js';
import { R, splitArgs, type Bytes, type Reply } from '../../protocol/index.js';
import { Client } from '../client.js';
import type { Context } from '../context.js';
import type { Engine } from '../engine.js';
import { parseLongLong } from '../args.js';
import { CommandError, Err } from '../errors.js';
import { errorMessage } from './convert.js';
import { LuaEnv, sha1hex } from './lua-env.js';
import {
  LuaRun, newFakeClient, newRun, prepareError, ScriptKilled, SCRIPT_FLAG_NAMES, SF_EVAL_COMPAT, type RunCtx, type RunOpts,
} from './runner.js';
import { BLOCKED, type HandlerResult } from '../command.js';

const SLOW_EVAL = 'BUSY Valkey is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
const SLOW_SCRIPT = 'BUSY Valkey is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';

/** A request that arrived while a script ran (before it timed out): it runs once the script ends. */
interface Parked {
  readonly client: Client;
  readonly argv: readonly Bytes[];
}

export interface EvalScript {
  readonly body: Bytes;
  readonly fn: LuaFunction;
  readonly flags: number;
  /** In the LRU of EVAL-loaded scripts (SCRIPT LOAD ones are never evicted). */
  lru: boolean;
}

export interface FunctionInfo {
  readonly name: string;
  readonly desc: string | undefined;
  readonly fn: LuaFunction;
  readonly flags: number;
  readonly lib: Library;
}

export interface Library {
  readonly name: string;
  readonly code: Bytes;
  readonly functions: Map<string, FunctionInfo>;
}

/** Valkey keeps at most this many EVAL-loaded scripts (scriptsLRUAdd). */
const LRU_LIST_LENGTH = 500;

export class Scripting {
  private evalEnvCache: LuaEnv | undefined;
  private funcEnvCache: LuaEnv | undefined;
  readonly scripts = new Map<string, EvalScript>();
  /** The sha of each cached body: EVAL of a cached script skips hashing it again. */
  private readonly shaOfBody = new Map<Bytes, string>();
  /** EVAL-loaded shas, oldest first. */
  private readonly lru = new Map<string, true>();
  readonly libraries = new Map<string, Library>();
  /** Every function by its lower-cased name: Valkey's functions dict compares names case-insensitively. */
  readonly functions = new Map<string, FunctionInfo>();
  running: RunCtx | null = null;
  private current: LuaRun | undefined;
  private callerWaiting: Client | undefined;
  private readonly parked: Parked[] = [];
  evictedScripts = 0;
  private fakeClient: Client | undefined;

  constructor(private readonly engine: Engine) {}

  get evalEnv(): LuaEnv {
    return (this.evalEnvCache ??= new LuaEnv('eval', () => process.cpuUsage().user / 1e6));
  }

  get funcEnv(): LuaEnv {
    return (this.funcEnvCache ??= new LuaEnv('function', () => process.cpuUsage().user / 1e6));
  }

  private get fake(): Client {
    return (this.fakeClient ??= newFakeClient(this.engine, 1));
  }

  // --- EVAL scripts ---

  /** SCRIPT FLUSH: every cached script goes, and the EVAL Lua environment is rebuilt. */
  flushScripts(): void {
    this.scripts.clear();
    this.shaOfBody.clear();
    this.lru.clear();
    this.evalEnvCache = undefined;
  }

  findScript(sha: string): EvalScript | undefined {
    return this.scripts.get(sha.toLowerCase());
  }

  /**
   * evalRegisterNewScript: compiles and caches `body`; returns its sha. An
   * EVAL'd script enters the LRU (the oldest is evicted beyond 500); SCRIPT LOAD
   * of a cached script takes it out of the LRU.
   */
  registerScript(body: Bytes, fromLoad: boolean, sha = sha1hex(body)): string {
    const existing = this.scripts.get(sha);
    if (existing) {
      if (fromLoad && existing.lru) {
        existing.lru = false;
        this.lru.delete(sha);
      }
      return sha;
    }
    const { flags, shebangLen } = parseShebang(body);
    let fn: LuaFunction;
    try {
      fn = this.evalEnv.L.load(body.slice(shebangLen), '@user_script');
    } catch (e) {
      if (e instanceof LuaError) throw Err.generic(`Error compiling script (new function): ${String(e)}`);
      throw e;
    }
    if (!fromLoad) {
      while (this.lru.size >= LRU_LIST_LENGTH) {
        const oldest = this.lru.keys().next().value as string;
        this.lru.delete(oldest);
        this.shaOfBody.delete(this.scripts.get(oldest)!.body);
        this.scripts.delete(oldest);
        this.evictedScripts++;
      }
      this.lru.set(sha, true);
    }
    this.scripts.set(sha, { body, fn, flags, lru: !fromLoad });
    this.shaOfBody.set(body, sha);
    return sha;
  }

  /** evalGenericCommand. */
  eval(ctx: Context, argv: readonly Bytes[], evalsha: boolean, ro: boolean): HandlerResult {
    if (evalsha && argv[1]!.length !== 40) throw noScript();
    const numkeys = parseNumkeys(argv[2]!, argv.length, 'ERR value is not an integer or out of range');
    let sha: string;
    if (evalsha) sha = argv[1]!.replace(/[A-Z]/g, (c) => c.toLowerCase());
    else sha = this.shaOfBody.get(argv[1]!) ?? sha1hex(argv[1]!);
    let es = this.scripts.get(sha);
    if (!es) {
      if (evalsha) throw noScript();
      this.registerScript(argv[1]!, false, sha);
      es = this.scripts.get(sha)!;
    }
    const perr = prepareError(this.engine, es.flags, ro);
    if (perr) return perr;
    const reply = this.run(ctx, this.evalEnv, es.fn, { eval: true, flags: es.flags, ro, funcname: sha }, argv.slice(3, 3 + numkeys), argv.slice(3 + numkeys));
    if (es.lru && this.lru.has(sha)) {
      this.lru.delete(sha);
      this.lru.set(sha, true);
    }
    return reply;
  }

  /**
   * Runs a script. Where the engine can defer work (a server) and the
   * caller is not inside EXEC, the script runs in slices of 100000 steps
   * with the event loop in between: its caller is parked and gets the reply
   * when the script ends; other clients wait (their requests are parked)
   * until the script passes busy-reply-threshold on the engine's clock, and
   * from then on get BUSY except for the commands flagged allow-busy
   * (SCRIPT KILL, FUNCTION KILL, FUNCTION STATS...). Without a way to defer
   * (a bare engine) or inside EXEC, the script runs to its end at once.
   */
  private run(ctx: Context, env: LuaEnv, fn: LuaFunction, opts: RunOpts, keys: readonly Bytes[], args: readonly Bytes[]): HandlerResult {
    const run = newRun(ctx, this.fake, opts);
    const defer = ctx.inExec ? undefined : this.engine.defer;
    const lr = new LuaRun(env, run, fn, keys, args, () => this.onStep(run, defer !== undefined));
    lr.start();
    this.running = run;
    this.current = lr;
    let reply: Reply | undefined;
    try {
      reply = lr.step();
    } catch (e) {
      this.end();
      throw e;
    }
    if (reply !== undefined) {
      if (lr.noStats) ctx.noErrorStats = true;
      this.end();
      return reply;
    }
    // Suspended: the caller waits for the reply, the script goes on later.
    const caller = ctx.client;
    caller.blocked = { cmd: ctx.cmd.fullname, cancel: () => { /* the script runs on; its reply is dropped */ } };
    this.callerWaiting = caller;
    defer!(() => this.continueRun(lr));
    return BLOCKED;
  }

  private continueRun(lr: LuaRun): void {
    if (this.current !== lr) return;
    let reply: Reply | undefined;
    try {
      reply = lr.step();
    } catch (e) {
      reply = Err.internal(lr.run.funcname, e).reply;
    }
    if (reply === undefined) {
      this.engine.defer!(() => this.continueRun(lr));
      return;
    }
    const caller = this.callerWaiting;
    this.end();
    if (caller && caller.blocked) {
      caller.blocked = null;
      caller.sink.deliver(reply);
    }
    this.releaseParked();
    this.engine.afterCommand();
  }

  private end(): void {
    this.current?.finish();
    this.current = undefined;
    this.running = null;
    this.callerWaiting = undefined;
  }

  /** Stops a running script without a reply (server close). */
  abort(): void {
    this.end();
    this.parked.length = 0;
  }

  /** The step hook: a killed script ends (luaMaskCountHook); past busy-reply-threshold it turns busy (scriptInterrupt). */
  private onStep(run: RunCtx, canYield: boolean): boolean {
    if (run.killed) throw new ScriptKilled(`Script killed by user with ${run.eval ? 'SCRIPT' : 'FUNCTION'} KILL.`);
    if (!run.timedOut) {
      const threshold = this.engine.config.getInt('busy-reply-threshold');
      if (threshold > 0 && this.engine.clock.now() - run.start >= threshold) {
        run.timedOut = true;
        // Requests that waited are now answered (BUSY, or run if allowed).
        if (canYield) this.engine.defer!(() => this.releaseParked());
      }
    }
    return canYield;
  }

  /**
   * The dispatch gate while a script runs (processCommand): before the
   * script timed out a request waits for its end; after, it is refused with
   * BUSY unless its command is allowed while busy. Returns undefined when
   * the request may go on.
   */
  gate(client: Client, argv: readonly Bytes[], allowBusy: boolean | undefined): HandlerResult | undefined {
    const run = this.running;
    if (!run || client === this.fakeClient) return undefined;
    if (!run.timedOut) {
      this.parked.push({ client, argv });
      client.blocked = {
        cmd: argv[0]!.toLowerCase(),
        cancel: () => {
          const i = this.parked.findIndex((p) => p.client === client);
          if (i >= 0) this.parked.splice(i, 1);
        },
      };
      return BLOCKED;
    }
    if (allowBusy === undefined || allowBusy) return undefined;
    return R.error(run.eval ? SLOW_EVAL : SLOW_SCRIPT);
  }

  private releaseParked(): void {
    while (this.parked.length > 0 && (!this.running || this.running.timedOut)) {
      const p = this.parked.shift()!;
      p.client.blocked = null;
      const r = this.engine.execute(p.client, p.argv);
      if (r !== BLOCKED && r !== undefined) p.client.sink.deliver(r);
    }
  }

  // --- functions ---

  /** functionsCreateWithLibraryCtx: compiles a library and links it; returns its name. */
  loadLibrary(code: Bytes, replace: boolean, into = this.libraries, intoFns = this.functions): string {
    const md = parseLibraryMetadata(code);
    if (!validName(md.name)) throw Err.generic('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long');
    if (md.engine.toLowerCase() !== 'lua') throw Err.generic(`Engine '${md.engine}' not found`);
    const old = into.get(md.name);
    if (old && !replace) throw Err.generic(`Library '${md.name}' already exists`);
    const lib: Library = { name: md.name, code, functions: new Map() };
    const compiled = this.compileLibrary(md.code);
    for (const f of compiled) {
      if (!validName(f.name)) throw Err.generic('Function names can only contain letters, numbers, or underscores(_) and must be at least one character long');
      if (lib.functions.has(f.name)) throw Err.generic('Function already exists in the library');
      lib.functions.set(f.name, { ...f, lib });
    }
    if (lib.functions.size === 0) throw Err.generic('No functions registered');
    for (const name of lib.functions.keys()) {
      const other = intoFns.get(name.toLowerCase());
      if (other && other.lib !== old) throw Err.generic(`Function ${name} already exists`);
    }
    if (old) unlink(into, intoFns, old);
    into.set(lib.name, lib);
    for (const f of lib.functions.values()) intoFns.set(f.name.toLowerCase(), f);
    return lib.name;
  }

  private compileLibrary(code: Bytes): { name: string; desc: string | undefined; fn: LuaFunction; flags: number }[] {
    const env = this.funcEnv;
    const L = env.L;
    let chunk: LuaFunction;
    try {
      chunk = L.load(code, '@user_function', env.libGlobals);
    } catch (e) {
      if (e instanceof LuaError) throw Err.generic(`Error compiling function: ${String(e)}`);
      throw e;
    }
    const out: { name: string; desc: string | undefined; fn: LuaFunction; flags: number }[] = [];
    env.registering = (a) => out.push(readRegisterArgs(env, a));
    env.setLoading(true);
    const start = this.engine.clock.now();
    L.setStepHook(() => {
      if (this.engine.clock.now() - start > 500) throw new LuaError(errorTableFor(env, 'FUNCTION LOAD timeout'));
    }, 100000);
    try {
      L.call(chunk);
    } catch (e) {
      if (!(e instanceof LuaError)) throw e;
      const v = e.value;
      const msg = v instanceof LuaTable ? errorMessage(L, v) : 'ERR ' + String(e);
      throw Err.generic(`Error registering functions: ${msg}`);
    } finally {
      L.setStepHook(undefined);
      env.setLoading(false);
      env.registering = null;
    }
    return out;
  }

  deleteLibrary(name: Bytes): boolean {
    const lib = this.libraries.get(name);
    if (!lib) return false;
    unlink(this.libraries, this.functions, lib);
    return true;
  }

  flushFunctions(): void {
    this.libraries.clear();
    this.functions.clear();
    this.funcEnvCache = undefined;
  }

  /** fcallCommandGeneric. */
  fcall(ctx: Context, argv: readonly Bytes[], ro: boolean): HandlerResult {
    const fi = this.functions.get(argv[1]!.replace(/[A-Z]/g, (c) => c.toLowerCase()));
    if (!fi) throw Err.generic('Function not found');
    const numkeys = parseNumkeys(argv[2]!, argv.length, 'ERR Bad number of keys provided');
    const perr = prepareError(this.engine, fi.flags, ro);
    if (perr) return perr;
    return this.run(ctx, this.funcEnv, fi.fn, { eval: false, flags: fi.flags, ro, funcname: fi.name }, argv.slice(3, 3 + numkeys), argv.slice(3 + numkeys));
  }

  /** SCRIPT KILL / FUNCTION KILL (scriptKill). */
  kill(isEval: boolean): Reply {
    const run = this.running;
    if (!run) return R.error('NOTBUSY No scripts in execution right now.');
    if (run.writeDirty) {
      return R.error('UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.');
    }
    if (isEval && !run.eval) return R.error('BUSY Valkey is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.');
    if (!isEval && run.eval) return R.error('BUSY Valkey is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.');
    run.killed = true;
    return R.ok;
  }
}

function unlink(libs: Map<string, Library>, fns: Map<string, FunctionInfo>, lib: Library): void {
  for (const name of lib.functions.keys()) fns.delete(name.toLowerCase());
  libs.delete(lib.name);
}

function noScript(): CommandError {
  return Err.raw('NOSCRIPT No matching script.');
}

function parseNumkeys(s: Bytes, argc: number, badMsg: string): number {
  const n = parseLongLong(s);
  if (n === null) throw Err.raw(badMsg);
  if (n > argc - 3) throw Err.generic("Number of keys can't be greater than number of args");
  if (n < 0) throw Err.generic("Number of keys can't be negative");
  return Number(n);
}

function validName(s: string): boolean {
  return /^[a-zA-Z0-9_]+$/.test(s);
}

function splitLine(s: Bytes): Bytes[] | null {
  return splitArgs(Uint8Array.from(s, (c) => c.charCodeAt(0)), 0, s.length);
}

/** evalExtractShebangFlags. */
export function parseShebang(body: Bytes): { flags: number; shebangLen: number } {
  if (!body.startsWith('#!')) return { flags: SF_EVAL_COMPAT, shebangLen: 0 };
  const nl = body.indexOf('\n');
  if (nl < 0) throw Err.generic('Invalid script shebang');
  const cut = body.indexOf('\0');
  const parts = splitLine(body.slice(0, cut >= 0 && cut < nl ? cut : nl));
  if (!parts || parts.length === 0 || parts[0]!.length < 2) throw Err.generic('Invalid engine in script shebang');
  const engine = parts[0]!.slice(2);
  let flags = 0;
  for (let j = 1; j < parts.length; j++) {
    const p = parts[j]!;
    if (!p.startsWith('flags=')) throw Err.generic(`Unknown lua shebang option: ${p}`);
    const list = p.slice(6);
    if (list.length === 0) continue;
    for (const f of list.split(',')) {
      const def = SCRIPT_FLAG_NAMES.find(([n]) => n === f);
      if (!def) throw Err.generic(`Unexpected flag in script shebang: ${f}`);
      flags |= def[1];
    }
  }
  if (engine.toLowerCase() !== 'lua') throw Err.generic(`Could not find scripting engine '${engine}'`);
  return { flags, shebangLen: nl };
}

/** functionExtractLibMetaData. */
function parseLibraryMetadata(code: Bytes): { name: string; engine: string; code: Bytes } {
  if (!code.startsWith('#!')) throw Err.generic('Missing library metadata');
  const nl = code.indexOf('\n');
  if (nl < 0) throw Err.generic('Invalid library metadata');
  const parts = splitLine(code.slice(0, nl));
  if (!parts || parts.length === 0) throw Err.generic('Invalid library metadata');
  const engine = parts[0]!.slice(2);
  let name: string | undefined;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== undefined) throw Err.generic('Invalid metadata value, name argument was given multiple times');
      name = p.slice(5);
      continue;
    }
    throw Err.generic(`Invalid metadata value given: ${p}`);
  }
  if (name === undefined) throw Err.generic('Library name was not given');
  return { name, engine, code: code.slice(nl) };
}

function errorTableFor(env: LuaEnv, msg: string): LuaTable {
  const t = env.L.newTable();
  t.set('err', 'ERR ' + msg);
  return t;
}

function luaErr(env: LuaEnv, msg: string): LuaError {
  return new LuaError(errorTableFor(env, msg));
}

/** luaRegisterFunctionReadArgs: positional (name, callback) or one table of named arguments. */
function readRegisterArgs(env: LuaEnv, a: LuaValue[]): { name: string; desc: string | undefined; fn: LuaFunction; flags: number } {
  const L = env.L;
  if (a.length < 1 || a.length > 2) throw luaErr(env, 'wrong number of arguments to server.register_function');
  if (a.length === 2) {
    const name = L.tostr(a[0]);
    if (name === undefined) throw luaErr(env, 'first argument to server.register_function must be a string');
    if (!(a[1] instanceof LuaFunction)) throw luaErr(env, 'second argument to server.register_function must be a function');
    return { name, desc: undefined, fn: a[1], flags: 0 };
  }
  const t = a[0];
  if (!(t instanceof LuaTable)) throw luaErr(env, 'calling server.register_function with a single argument is only applicable to Lua table (representing named arguments).');
  let name: string | undefined, desc: string | undefined, fn: LuaFunction | undefined, flags = 0;
  let k: unknown = undefined;
  for (;;) {
    const e = t.next(k);
    if (!e) break;
    k = e[0];
    const key = L.tostr(e[0] as LuaValue);
    if (key === undefined) throw luaErr(env, 'named argument key given to server.register_function is not a string');
    const v = e[1] as LuaValue;
    switch (key.toLowerCase()) {
      case 'function_name':
        name = L.tostr(v);
        if (name === undefined) throw luaErr(env, 'function_name argument given to server.register_function must be a string');
        break;
      case 'description':
        desc = L.tostr(v);
        if (desc === undefined) throw luaErr(env, 'description argument given to server.register_function must be a string');
        break;
      case 'callback':
        if (!(v instanceof LuaFunction)) throw luaErr(env, 'callback argument given to server.register_function must be a function');
        fn = v;
        break;
      case 'flags': {
        if (!(v instanceof LuaTable)) throw luaErr(env, 'flags argument to server.register_function must be a table representing function flags');
        let f = 0;
        for (let j = 1; ; j++) {
          const x = v.getInt(j) as LuaValue;
          if (x === undefined) break;
          const s = L.tostr(x);
          const def = s === undefined ? undefined : SCRIPT_FLAG_NAMES.find(([n]) => n === s.toLowerCase());
          if (!def) throw luaErr(env, 'unknown flag given');
          f |= def[1];
        }
        flags = f;
        break;
      }
      default:
        throw luaErr(env, 'unknown argument given to server.register_function');
    }
  }
  if (name === undefined) throw luaErr(env, 'server.register_function must get a function name argument');
  if (!fn) throw luaErr(env, 'server.register_function must get a callback argument');
  return { name, desc, fn, flags };
}
