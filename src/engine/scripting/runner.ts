/**
 * Running one script or function (Valkey's scriptPrepareForRun /
 * luaCallFunction / scriptResetRun): the run context, server.call through
 * the engine's one dispatch (`call()` on a fake client, Valkey's script
 * client), the checks of script mode (moduleCallCommandHelper), and the
 * error text of a failed script.
 */
import { R, type Bytes, type ErrorReply, type Reply } from '../../protocol/index.js';
import { LuaError, LuaFunction, LuaTable, toStringMeta, type LuaState, type LuaTask, type LuaValue } from '../../lua/index.js';
import { arityOk } from '../../meta/index.js';
import { Client } from '../client.js';
import type { Context } from '../context.js';
import { call, countError } from '../dispatch.js';
import { OOM_ERROR } from '../eviction.js';
import type { CommandEntry } from '../command.js';
import type { Engine } from '../engine.js';
import { Err, cTrunc } from '../errors.js';
import { aclCheckCmd, aclUserOf } from '../acl/index.js';
import { lookupCommand } from '../registry.js';
import { clusterRoute } from '../cluster-routing.js';
import { errorLine, errorMessage, errorTable, luaToReply, replyToLua } from './convert.js';
import type { LuaEnv, ScriptHost } from './lua-env.js';
import { NOREPLICAS_ERROR, READONLY_ERROR } from '../replication/index.js';

/** Script flags (shebang / register_function flags). */
export const SF_NO_WRITES = 1;
export const SF_ALLOW_OOM = 2;
export const SF_ALLOW_STALE = 4;
export const SF_NO_CLUSTER = 8;
export const SF_EVAL_COMPAT = 16;
export const SF_ALLOW_CROSS_SLOT = 32;

export const SCRIPT_FLAG_NAMES: readonly [string, number][] = [
  ['no-writes', SF_NO_WRITES], ['allow-oom', SF_ALLOW_OOM], ['allow-stale', SF_ALLOW_STALE],
  ['no-cluster', SF_NO_CLUSTER], ['allow-cross-slot-keys', SF_ALLOW_CROSS_SLOT],
];

/** Thrown from the step hook once SCRIPT KILL / FUNCTION KILL asked: passes through pcall. */
export class ScriptKilled {
  constructor(readonly message: string) {}
}

export interface RunCtx {
  readonly engine: Engine;
  readonly caller: Client;
  readonly fake: Client;
  readonly now: number;
  /** The same snapshot in microseconds (TIME inside the script). */
  readonly nowUs: number;
  readonly eval: boolean;
  readonly readOnly: boolean;
  /** allow-oom: deny-oom commands run even over maxmemory (SCRIPT_ALLOW_OOM). */
  readonly allowOom: boolean;
  /** A write command ran: SCRIPT KILL answers UNKILLABLE. */
  writeDirty: boolean;
  resp: 2 | 3;
  repl: number;
  killed: boolean;
  /** Clock time when the script started (busy-reply-threshold). */
  readonly start: number;
  readonly funcname: string;
  timedOut: boolean;
}

/** scriptPrepareForRun's checks for a script with flags (not in EVAL compatibility mode). */
export function prepareError(engine: Engine, flags: number, ro: boolean): ErrorReply | undefined {
  if (flags & SF_EVAL_COMPAT) return undefined;
  if (!(flags & SF_NO_WRITES)) {
    if (ro) return R.error('ERR Can not execute a script with write flag using *_ro command.');
    if (!engine.repl.enoughGoodReplicas()) return R.error(NOREPLICAS_ERROR);
  }
  // no-writes implies allow-oom.
  if (engine.evictor.oomAtCommandStart && engine.config.getInt('maxmemory') > 0 && !(flags & (SF_ALLOW_OOM | SF_NO_WRITES))) {
    return R.error("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
  }
  return undefined;
}

export function newFakeClient(engine: Engine, id: number): Client {
  const c = new Client(id, { addr: '', laddr: '', fd: -1 }, { deliver: () => {}, close: () => {} }, engine.clock.now(), false);
  c.denyBlocking = true;
  c.script = true;
  return c;
}

/**
 * VM_Call's cluster check: a command of a script runs only where a client's
 * would (getNodeByQuery, with the caller's READONLY / ASKING); the texts as
 * Valkey's Lua module reports them. Commands from the primary are obeyed.
 */
function scriptClusterError(engine: Engine, run: RunCtx, cmd: CommandEntry, argv: readonly Bytes[], write: boolean): string | undefined {
  const c = engine.cluster;
  if (!c || !engine.config.getBool('cluster-enabled') || run.caller.isPrimary) return undefined;
  run.fake.readonly = run.caller.readonly;
  run.fake.asking = run.caller.asking;
  const r = clusterRoute(engine, c, run.fake, cmd, argv, write);
  if (!r) return undefined;
  if (r.v === 'CLUSTERDOWN The cluster is down and only accepts read commands') return `Can not execute a write command '${cmd.fullname}' while the cluster is down and readonly`;
  if (r.v === 'CLUSTERDOWN The cluster is down') return `Can not execute a command '${cmd.fullname}' while the cluster is down`;
  return 'Attempted to access a non local key in a cluster node';
}

/** The ScriptHost of one run: server.call and friends. */
function hostFor(env: LuaEnv, run: RunCtx): ScriptHost {
  const L = env.L;
  const { engine, fake } = run;
  /**
   * A command refused before it ran (moduleCallCommandHelper's errno path):
   * the refusal counts as an error reply (its code, or ERR) and as a rejected
   * call of the command; the script sees `text` in its error table, marked as
   * counted already.
   */
  const refuse = (cmd: CommandEntry | undefined, counted: string, text = counted): { value: LuaValue; error: boolean } => {
    countError(engine, counted.startsWith('-') ? counted.slice(1) : 'ERR ' + counted);
    if (cmd) cmd.stats.rejected++;
    return { value: errorTable(L, text, true), error: true };
  };
  return {
    call(argv: Bytes[]) {
      const cmd = lookupCommand(engine.commands, argv);
      if (!cmd) {
        const base = engine.commands.get(argv[0]!.toLowerCase());
        if (base?.subcommands && argv.length >= 2) {
          const e = '-' + Err.unknownSubcommand(argv[1]!, cTrunc(argv[0]!, Infinity)).reply.v;
          return refuse(undefined, e);
        }
        return refuse(undefined, 'unknown command', 'Unknown command called from script');
      }
      if (!arityOk(cmd.spec.arity, argv.length)) return refuse(cmd, 'wrong number of arguments', 'Wrong number of args calling command from script');
      // DEBUG SET-DISABLE-DENY-SCRIPTS 1 lets scripts run noscript commands (server.script_disable_deny_script).
      if (cmd.flags.has('noscript') && !engine.debugFlags.disableDenyScripts) return refuse(cmd, 'not allowed on script mode', 'This Valkey command is not allowed from script');
      // maxmemory: a deny-oom command is refused when memory was over the limit as the script's command started,
      // unless the script allows OOM or has written already (it cannot stop half-way).
      if (!run.allowOom && !run.writeDirty && cmd.flags.has('denyoom') && engine.config.getInt('maxmemory') > 0 && engine.evictor.oomAtCommandStart) {
        return refuse(cmd, '-' + OOM_ERROR);
      }
      fake.resp = run.resp;
      fake.user = run.caller.user;
      // VM_Call's ACL check as the script's user: the NOPERM text, prefixed as Valkey's Lua module does (logged with context lua).
      const denied = aclCheckCmd(engine, fake, cmd, argv, 'lua');
      if (denied) return refuse(cmd, '-' + denied.v, `ACL failure in script: ${denied.v.slice('NOPERM '.length)}`);
      const write = cmd.flags.has('write');
      const away = scriptClusterError(engine, run, cmd, argv, write);
      if (away) return refuse(cmd, away);
      if (run.readOnly && (write || cmd.flags.has('may_replicate'))) return refuse(cmd, 'Write commands are not allowed from read-only scripts.');
      if (write && !run.writeDirty) {
        // scriptVerifyWriteCommandAllow: until the script wrote (after, it cannot stop half-way), a replica's
        // scripts do not write, nor a primary's without enough good replicas.
        if (engine.repl.primary !== null && engine.repl.refusesWrite(run.caller)) return refuse(cmd, '-' + READONLY_ERROR);
        if (!engine.repl.enoughGoodReplicas()) return refuse(cmd, '-' + NOREPLICAS_ERROR);
        run.writeDirty = true;
      }
      let reply: Reply;
      if (!cmd.run) {
        reply = Err.notImplemented(cmd.fullname).reply;
      } else {
        // The script client starts each command afresh (resetClient): no request bytes, its own reply and duration.
        fake.duration = 0;
        fake.requestBytes = 0;
        fake.replyBytes = 0;
        const r = call(engine, fake, cmd, argv, run.now, true);
        reply = typeof r === 'symbol' ? R.error(`ERR internal error in valkey-double: '${cmd.fullname}' blocked inside a script`) : r;
      }
      return replyToLua(L, reply, run.resp);
    },
    aclCheck(argv: Bytes[]) {
      const cmd = lookupCommand(engine.commands, argv);
      if (!cmd || !arityOk(cmd.spec.arity, argv.length)) return 'Invalid command passed to server.acl_check_cmd()';
      fake.user = run.caller.user;
      return engine.acl.checkCommand(aclUserOf(engine, fake), cmd, argv, fake.db) === null;
    },
    setResp(resp) { run.resp = resp; },
    setRepl(flags) { run.repl = flags; },
    log() { /* the server log is not kept */ },
  };
}

/**
 * One script run, in slices: start() prepares the environment, step() runs
 * until the script ends (its reply) or yields at the step hook (undefined),
 * finish() restores the environment. The hook (every 100000 steps) throws
 * when the script was killed, and asks for a yield when `preempt` says so.
 */
export class LuaRun {
  private task: LuaTask | undefined;
  noStats = false;

  constructor(
    private readonly env: LuaEnv,
    readonly run: RunCtx,
    private readonly fn: LuaFunction,
    private readonly keys: readonly Bytes[],
    private readonly args: readonly Bytes[],
    private readonly onStep: () => boolean,
  ) {}

  start(): void {
    const { env, run } = this;
    const L = env.L;
    this.d0 = L.depth;
    this.c0 = L.nC;
    this.cur0 = L.cur;
    const keysT = array(env, this.keys);
    const argsT = array(env, this.args);
    if (run.eval) {
      L.globals.set('KEYS', keysT);
      L.globals.set('ARGV', argsT);
    }
    this.task = L.runTask(this.fn, run.eval ? [] : [keysT, argsT]);
  }

  /** Runs the next slice: the reply once the script ended, undefined when it yielded. */
  step(): Reply | undefined {
    const { env, run } = this;
    const L = env.L;
    env.host = hostFor(env, run);
    L.setStepHook(this.onStep, 100000);
    try {
      if (!this.task!.step()) return undefined;
      const result = this.task!.result[0];
      // An error table the script returns (say redis.pcall's) was counted when its command failed.
      if (result instanceof LuaTable && typeof result.getStr('err') === 'string') this.noStats = ignoresStats(result);
      return luaToReply(L, result, run.resp);
    } catch (e) {
      if (e instanceof ScriptKilled) {
        // luaMaskCountHook's error carries the line running when the hook fired: here the loop's (or the last call's).
        const s = L.cur[L.depth];
        const line = L.hookLine >= 0 ? L.hookLine : s ? s.line : -1;
        const chunk = run.eval ? 'user_script' : 'user_function';
        const where = line >= 0 ? ` script: on @${chunk}:${line}.` : '';
        return R.error(`ERR ${e.message}${where}`);
      }
      if (!(e instanceof LuaError)) throw e;
      const site = L.cur[L.depth];
      const r = scriptError(env, e.value, site && site.line >= 0 ? { source: '@' + site.chunk, line: site.line } : undefined);
      this.noStats = r.noStats;
      return r.reply;
    } finally {
      L.setStepHook(undefined);
      env.host = null;
    }
  }

  /** After the last step (or to abandon a suspended script). */
  finish(): void {
    const L = this.env.L;
    this.task?.cancel();
    L.depth = this.d0;
    L.nC = this.c0;
    L.cur = this.cur0;
  }

  private d0 = 0;
  private c0 = 0;
  private cur0: LuaState['cur'] = [];
}

/** The error handler's table, then luaCallFunction's reply: "<msg> script: on <source>:<line>." */
function scriptError(env: LuaEnv, value: LuaValue, where: { source: string; line: number } | undefined): { reply: ErrorReply; noStats: boolean } {
  const L = env.L;
  let msg: string;
  let noStats = false;
  if (value instanceof LuaTable) {
    msg = errorMessage(L, value);
    noStats = ignoresStats(value);
  } else {
    let s: LuaValue;
    try {
      s = toStringMeta(L, value);
    } catch {
      s = undefined;
    }
    msg = 'ERR ' + (L.tostr(s) ?? 'nil');
  }
  const nul = msg.indexOf('\0');
  if (nul >= 0) msg = msg.slice(0, nul);
  const text = where ? `${msg} script: on ${where.source}:${where.line}.` : msg;
  return { reply: R.error(errorLine(text)), noStats };
}

/** luaExtractErrorInformation's ignore_err_stats_update: lua_toboolean of the field. */
function ignoresStats(t: LuaTable): boolean {
  const v = t.getStr('ignore_error_stats_update');
  return v !== undefined && v !== false;
}

function array(env: LuaEnv, items: readonly Bytes[]): LuaTable {
  const t = env.L.newTable(items.length, 0);
  for (let i = 0; i < items.length; i++) t.set(i + 1, items[i]);
  return t;
}

export interface RunOpts {
  readonly eval: boolean;
  readonly flags: number;
  readonly ro: boolean;
  readonly funcname: string;
}

export function newRun(ctx: Context, fake: Client, opts: RunOpts): RunCtx {
  fake.db = ctx.client.db;
  const declared = (opts.flags & SF_EVAL_COMPAT) === 0;
  const us = Math.floor(ctx.engine.clock.nowUs());
  const start = Math.floor(us / 1000);
  return {
    engine: ctx.engine, caller: ctx.client, fake, now: ctx.now,
    // The caller's snapshot in microseconds: the clock's, unless the snapshot is older (EVAL inside EXEC).
    nowUs: start === ctx.now ? us : ctx.now * 1000,
    eval: opts.eval,
    readOnly: opts.ro || (declared && (opts.flags & SF_NO_WRITES) !== 0),
    allowOom: declared && (opts.flags & SF_ALLOW_OOM) !== 0,
    writeDirty: false, resp: 2, repl: 3, killed: false, start, funcname: opts.funcname, timedOut: false,
  };
}

