/**
 * The two Lua environments of Valkey's Lua engine (src/modules/lua/): one
 * for EVAL scripts, one for function libraries. Each is a LuaState from
 * src/lua with Valkey's sandbox: the allowed globals only, the `server`
 * API (alias `redis`), every reachable table read-only, and an __index on
 * the globals that raises "Script attempted to access nonexistent global
 * variable". The running script's context (RunCtx) is set for the length of
 * one call, as Valkey keeps it in the Lua registry.
 */
import { createHash } from 'node:crypto';
import { Args, LuaError, LuaFunction, LuaTable, createLuaState, openCjson, openCmsgpack, openStruct, type LuaState, type LuaValue } from '../../lua/index.js';
import { fpconvDtoa } from '../../protocol/double.js';
import type { Bytes } from '../../protocol/index.js';
import { Rand48, LRAND48_MAX } from './rand48.js';
import { errorTable } from './convert.js';

/** What a server.call needs from the engine; set while a script runs. */
export interface ScriptHost {
  /** server.call / server.pcall: runs argv, returns the Lua value and whether it was an error reply. */
  call(argv: Bytes[]): { value: LuaValue; error: boolean };
  /** server.acl_check_cmd: true/false, or an error text. */
  aclCheck(argv: Bytes[]): boolean | string;
  setResp(resp: 2 | 3): void;
  setRepl(flags: number): void;
  log(level: number, msg: string): void;
}

export const SERVER_VERSION = '9.1.2';
const REDIS_COMPAT_VERSION = '7.2.4';

function semver(v: string): number {
  const [a = 0, b = 0, c = 0] = v.split('.').map(Number);
  return ((a & 0xff) << 16) | ((b & 0xff) << 8) | (c & 0xff);
}

export function sha1hex(s: Bytes): string {
  return createHash('sha1').update(Buffer.from(s, 'latin1')).digest('hex');
}

/** Lua numbers as command arguments: integers without exponent when they fit, else fpconv_dtoa. */
export function numberArg(d: number): string {
  if (d >= -(2 ** 62) && d <= 2 ** 62 && Math.trunc(d) === d) {
    return Number.isSafeInteger(d) ? String(d === 0 ? 0 : d) : BigInt(d).toString();
  }
  return fpconvDtoa(d);
}

/** Built-ins the sandbox removes from the globals (neither on Valkey's allow list nor loaded). */
const REMOVED_GLOBALS = ['print', 'setfenv', 'getfenv', 'newproxy', 'dofile', 'loadfile', 'module', 'require'];

export class LuaEnv {
  readonly L: LuaState;
  host: ScriptHost | null = null;
  /** Set by SCRIPT KILL / FUNCTION KILL; checked every 100000 steps. */
  private readonly rand = new Rand48();
  /** Functions only: the globals of loaded code (library load API while loading, the sandbox after). */
  readonly libGlobals: LuaTable | undefined;
  private readonly libApi: LuaTable | undefined;
  readonly serverTable: LuaTable;
  /** Functions only: the register_function collector while FUNCTION LOAD runs. */
  registering: ((args: LuaValue[]) => void) | null = null;

  constructor(readonly kind: 'eval' | 'function', clock: () => number) {
    const L = createLuaState({ maxCallDepth: 7000, clock, random: () => this.rand.unit() });
    this.L = L;
    const G = L.globals;
    for (const k of REMOVED_GLOBALS) G.set(k, undefined);
    const str = G.getStr('string') as LuaTable;
    str.set('gfind', str.getStr('gmatch'));
    // Valkey's Lua dumps bytecode but never loads it (loadstring parses it as source and fails):
    // a 5.1 header stands in for the bytecode, which nothing can run anyway.
    str.set('dump', L.fn('dump', (...a) => {
      if (!(a[0] instanceof LuaFunction)) new Args(L, a).typeError(1, 'function');
      if ((a[0] as LuaFunction).native) L.error('unable to dump given function');
      return ['\x1bLuaQ\x00\x01\x04\x08\x04\x08\x00'];
    }));
    const math = G.getStr('math') as LuaTable;
    math.set('mod', math.getStr('fmod'));
    this.installMathRandom(math);
    G.set('cjson', openCjson(L));
    G.set('cmsgpack', openCmsgpack(L));
    G.set('struct', openStruct(L));
    this.installPcall();

    const server = L.newTable();
    this.serverTable = server;
    this.registerCommon(server);
    this.registerApi(server);
    if (kind === 'eval') {
      server.set('breakpoint', L.fn('breakpoint', () => [false]));
      server.set('debug', L.fn('debug', () => []));
      server.set('replicate_commands', L.fn('replicate_commands', () => [true]));
    }
    G.set('server', server);
    G.set('redis', server);
    if (kind === 'eval') {
      const handler = L.fn('error_handler', (err) => {
        if (err instanceof LuaTable) return [err];
        const t = L.newTable();
        t.set('err', 'ERR ' + (L.tostr(err) ?? String(err)));
        return [t];
      });
      G.set('__server__err__handler', handler);
      G.set('__redis__err__handler', handler);
    }
    G.metatable = this.errorMetatable();
    protect(G);
    if (L.stringMeta) protect(L.stringMeta);

    if (kind === 'function') {
      const api = L.newTable();
      const lserver = L.newTable();
      lserver.set('register_function', L.fn('register_function', (...a) => {
        if (!this.registering) throw new LuaError(errorTable(L, 'server.register_function can only be called on FUNCTION LOAD command'));
        this.registering(a);
        return [];
      }));
      this.registerCommon(lserver);
      lserver.metatable = this.errorMetatable();
      api.set('server', lserver);
      api.set('redis', lserver);
      api.metatable = this.errorMetatable();
      protect(api);
      this.libApi = api;
      const NG = L.newTable();
      const mt = L.newTable();
      mt.set('__index', G);
      mt.readonly = true;
      NG.metatable = mt;
      NG.readonly = true;
      this.libGlobals = NG;
    }
  }

  /** While FUNCTION LOAD runs a library's code, its globals are the load API only. */
  setLoading(on: boolean): void {
    this.libGlobals!.metatable!.set('__index', on ? this.libApi : this.L.globals);
  }

  private errorMetatable(): LuaTable {
    const L = this.L;
    const mt = L.newTable();
    mt.set('__index', L.fn('__index', (...a): LuaValue[] => {
      if (a.length !== 2) L.error('Wrong number of arguments to luaProtectedTableError');
      const k = a[1];
      if (typeof k !== 'string' && typeof k !== 'number') L.error('Second argument to luaProtectedTableError must be a string or number');
      return L.error(`Script attempted to access nonexistent global variable '${L.tostr(k)!}'`);
    }));
    return mt;
  }

  private installMathRandom(math: LuaTable): void {
    const L = this.L;
    math.set('random', L.fn('random', (...a): LuaValue[] => {
      const r = (this.rand.next() % LRAND48_MAX) / LRAND48_MAX;
      const A = new Args(L, a);
      switch (a.length) {
        case 0: return [r];
        case 1: {
          const u = A.int(1);
          if (!(1 <= u)) L.argError(1, 'interval is empty');
          return [Math.floor(r * u) + 1];
        }
        case 2: {
          const l = A.int(1), u = A.int(2);
          if (!(l <= u)) L.argError(2, 'interval is empty');
          return [Math.floor(r * (u - l + 1)) + l];
        }
        default: return L.error('wrong number of arguments');
      }
    }));
    math.set('randomseed', L.fn('randomseed', (...a) => {
      this.rand.seed(new Args(L, a).int(1));
      return [];
    }));
  }

  /** Valkey's pcall: an error table with an err field is handed back as that string. */
  private installPcall(): void {
    const L = this.L;
    const orig = L.globals.getStr('pcall') as LuaFunction;
    const fix = (r: LuaValue[]): LuaValue[] => {
      if (r[0] === false && r[1] instanceof LuaTable) {
        const e = r[1].getStr('err');
        if (typeof e === 'string' || typeof e === 'number') r[1] = e;
      }
      return r;
    };
    // The generator variant lets a long script inside pcall still run in slices (see LuaState.runTask).
    L.globals.set('pcall', new LuaFunction(L.newId(), (...a) => fix(orig.f(...a)), function* (...a: LuaValue[]) {
      return fix(orig.g ? yield* orig.g(...a) : orig.f(...a));
    }, 'pcall', true));
  }

  /** log and LOG_*, the version fields (both the EVAL and the library-load API). */
  private registerCommon(t: LuaTable): void {
    const L = this.L;
    t.set('log', L.fn('log', (...a) => {
      if (a.length < 2) throw new LuaError(errorTable(L, 'server.log() requires two arguments or more.'));
      const lvl = L.tonum(a[0]);
      if (lvl === undefined) throw new LuaError(errorTable(L, 'First argument must be a number (log level).'));
      const level = Math.trunc(lvl);
      if (level < 0 || level > 3) throw new LuaError(errorTable(L, 'Invalid log level.'));
      const parts: string[] = [];
      for (let j = 1; j < a.length; j++) {
        const s = L.tostr(a[j]);
        if (s !== undefined) parts.push(s);
      }
      this.host?.log(level, parts.join(' '));
      return [];
    }));
    t.set('LOG_DEBUG', 0);
    t.set('LOG_VERBOSE', 1);
    t.set('LOG_NOTICE', 2);
    t.set('LOG_WARNING', 3);
    t.set('REDIS_VERSION_NUM', semver(REDIS_COMPAT_VERSION));
    t.set('REDIS_VERSION', REDIS_COMPAT_VERSION);
    t.set('VALKEY_VERSION_NUM', semver(SERVER_VERSION));
    t.set('VALKEY_VERSION', SERVER_VERSION);
    t.set('SERVER_NAME', 'valkey');
  }

  private registerApi(t: LuaTable): void {
    const L = this.L;
    const host = (): ScriptHost => {
      if (!this.host) throw new LuaError(errorTable(L, 'server.call can only be used inside a script invocation'));
      return this.host;
    };
    const generic = (raise: boolean) => (...a: LuaValue[]): LuaValue[] => {
      const argv = argsToArgv(L, a);
      if (argv instanceof LuaTable) {
        if (raise) throw new LuaError(argv);
        return [argv];
      }
      const r = host().call(argv);
      if (raise && r.error) throw new LuaError(r.value);
      return [r.value];
    };
    t.set('call', L.fn('call', generic(true)));
    t.set('pcall', L.fn('pcall', generic(false)));
    t.set('setresp', L.fn('setresp', (...a) => {
      const h = host();
      if (a.length !== 1) throw new LuaError(errorTable(L, 'server.setresp() requires one argument.'));
      const resp = Math.trunc(L.tonum(a[0]) ?? 0);
      if (resp !== 2 && resp !== 3) throw new LuaError(errorTable(L, 'RESP version must be 2 or 3.'));
      h.setResp(resp);
      return [];
    }));
    t.set('sha1hex', L.fn('sha1hex', (...a) => {
      if (a.length !== 1) throw new LuaError(errorTable(L, 'wrong number of arguments'));
      const s = L.tostr(a[0]) ?? '';
      return [sha1hex(s)];
    }));
    t.set('error_reply', L.fn('error_reply', (...a) => {
      if (a.length !== 1 || typeof a[0] !== 'string') return [errorTable(L, 'wrong number or type of arguments')];
      const e = a[0].split('\0')[0]!;
      return [errorTable(L, e.startsWith('-') ? e : '-' + e)];
    }));
    t.set('status_reply', L.fn('status_reply', (...a) => {
      if (a.length !== 1 || typeof a[0] !== 'string') return [errorTable(L, 'wrong number or type of arguments')];
      const r = L.newTable();
      r.set('ok', a[0]);
      return [r];
    }));
    t.set('set_repl', L.fn('set_repl', (...a) => {
      const h = host();
      if (a.length !== 1) throw new LuaError(errorTable(L, 'server.set_repl() requires one argument.'));
      const flags = Math.trunc(L.tonum(a[0]) ?? 0);
      if ((flags & ~3) !== 0) throw new LuaError(errorTable(L, 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.'));
      h.setRepl(flags);
      return [];
    }));
    t.set('REPL_NONE', 0);
    t.set('REPL_AOF', 1);
    t.set('REPL_SLAVE', 2);
    t.set('REPL_REPLICA', 2);
    t.set('REPL_ALL', 3);
    t.set('acl_check_cmd', L.fn('acl_check_cmd', (...a) => {
      const h = host();
      const argv = argsToArgv(L, a);
      if (argv instanceof LuaTable) throw new LuaError(argv);
      const r = h.aclCheck(argv);
      if (typeof r === 'string') throw new LuaError(errorTable(L, r));
      return [r];
    }));
  }
}

/** luaArgsToServerArgv: strings and numbers, else an error table. */
function argsToArgv(L: LuaState, a: LuaValue[]): Bytes[] | LuaTable {
  if (a.length === 0) return errorTable(L, 'Please specify at least one argument for this call');
  const argv: Bytes[] = new Array<Bytes>(a.length);
  for (let j = 0; j < a.length; j++) {
    const v = a[j];
    if (typeof v === 'number') argv[j] = numberArg(v);
    else if (typeof v === 'string') argv[j] = v;
    else return errorTable(L, 'Command arguments must be strings or integers');
  }
  return argv;
}

/** luaSetTableProtectionRecursively: the table, the tables it holds and its metatable become read-only. */
export function protect(t: LuaTable): void {
  if (t.readonly) return;
  t.readonly = true;
  let k: unknown = undefined;
  for (;;) {
    const e = t.next(k);
    if (!e) break;
    k = e[0];
    if (e[1] instanceof LuaTable) protect(e[1]);
  }
  if (t.metatable) protect(t.metatable);
}
