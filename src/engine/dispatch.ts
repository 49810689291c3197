/**
 * One dispatch for every path a command takes (a connection, EXEC, later Lua
 * and cluster routing): the gates of Valkey's processCommand in its order,
 * then `call()`, which runs the handler with one time snapshot.
 */
import { R, encode, encodedLength, type Bytes, type ErrorReply, type Reply } from '../protocol/index.js';
import { requestLength } from './commandlog.js';
import { OOM_ERROR } from './eviction.js';
import { MISCONF_ERROR } from './persistence.js';
import { SF_ALLOW_OOM, SF_EVAL_COMPAT, SF_NO_WRITES } from './scripting/runner.js';
import { parseShebang } from './scripting/scripting.js';
import type { Client } from './client.js';
import { BLOCKED, type CommandEntry } from './command.js';
import { Context } from './context.js';
import type { Engine } from './engine.js';
import { CommandError, Err, cTrunc, oneLine } from './errors.js';
import { arityOk, keyPositions } from '../meta/index.js';
import { aclCheckCmd } from './acl/index.js';
import { lookupCommand } from './registry.js';
import { clusterRoute } from './cluster-routing.js';
import { MASTERDOWN_ERROR, NOREPLICAS_ERROR, propagateCall, READONLY_ERROR } from './replication/index.js';

/** What a RESP2 client in Pub/Sub mode may still run. */
const PUBSUB_CONTEXT = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);

/** Read-only scripts: only the commands they run are tracked, not their declared keys. */
const TRACK_SCRIPT_ONLY = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

/** Commands that run at once even inside MULTI (processCommand's exceptions). */
const MULTI_IMMEDIATE = new Set(['exec', 'discard', 'quit', 'reset']);

export function dispatch(engine: Engine, client: Client, argv: readonly Bytes[]): Reply | typeof BLOCKED | undefined {
  // A new request: its time, request and reply sizes start from zero (resetClient).
  client.duration = 0;
  client.requestBytes = requestLength(argv);
  client.replyBytes = 0;
  const reply = gateAndRun(engine, client, argv);
  // resetClient: ASKING lasts one command (a whole transaction when sent inside MULTI).
  if (client.asking && !client.multi && client.lastCmd !== 'asking') client.asking = false;
  return applyReplyMode(client, reply);
}

function gateAndRun(engine: Engine, client: Client, argv: readonly Bytes[]): Reply | typeof BLOCKED {
  // A script is running (suspended between slices) and not yet busy: the request waits for its end.
  if (engine.scripting.running && !engine.scripting.running.timedOut) return engine.scripting.gate(client, argv, undefined)!;
  // One clock read for the gates and the command (a clock read costs as much as a small command's handler).
  const now = engine.clock.now();
  client.lastInteraction = now;
  const cmd = lookupCommand(engine.commands, argv);
  client.lastCmd = cmd ? cmd.fullname : 'NULL';
  client.argv = argv;

  // Authentication comes first: an unauthenticated client learns nothing else.
  if (!client.authenticated && engine.authRequired && !(cmd && cmd.flags.has('no_auth'))) {
    return reject(engine, client, cmd, Err.noAuth().reply);
  }
  if (!cmd) return reject(engine, client, undefined, unknownCommand(engine, argv));
  if (!arityOk(cmd.spec.arity, argv.length)) return reject(engine, client, cmd, Err.wrongArity(cmd.fullname).reply);
  // (A protected command valkey-double does not have yet answers "not implemented" below instead.)
  if (cmd.run && cmd.flags.has('protected')) {
    const refused = protectedRefusal(engine, client, cmd);
    if (refused) return reject(engine, client, cmd, refused);
  }
  if (client.multi && cmd.flags.has('no_multi')) {
    return reject(engine, client, cmd, R.error(oneLine(`ERR Command '${cmd.fullname}' not allowed inside a transaction`)));
  }
  // CMD_WRITE as processCommand computes it once (is_write_command), asked for by several gates below.
  let writeFlag: boolean | undefined;
  const writing = (): boolean => (writeFlag ??= isWrite(engine, client, cmd, argv));
  // ACLCheckAllPerm: the user's commands, keys (per key spec), channels and databases.
  const denied = client.isPrimary ? null : aclCheckCmd(engine, client, cmd, argv, client.multi ? 'multi' : 'toplevel');
  if (denied) return reject(engine, client, cmd, denied);
  // Cluster redirection (getNodeByQuery): a redirected EXEC discards its transaction, anything else dooms it.
  const redirect = engine.cluster && !client.script && !client.isPrimary ? clusterRoute(engine, engine.cluster, client, cmd, argv, writing()) : undefined;
  if (redirect) {
    if (cmd.fullname !== 'exec') return reject(engine, client, cmd, redirect);
    discardTransaction(engine, client);
    cmd.stats.rejected++;
    engine.stats.rejectedCalls++;
    countError(engine, redirect.v);
    return redirect;
  }
  if (engine.scripting.running) {
    // isInsideYieldingLongCommand: past busy-reply-threshold only allow-busy commands run.
    const busy = engine.scripting.gate(client, argv, cmd.flags.has('allow_busy'));
    if (busy !== undefined && busy !== BLOCKED) return reject(engine, client, cmd, busy as ErrorReply);
  }
  if (!cmd.run) return reject(engine, client, cmd, Err.notImplemented(cmd.fullname).reply);
  // maxmemory: evict what the policy allows; a denyoom command (or an EXEC queueing one) is refused when that is not enough.
  // Not while a busy script runs (isInsideYieldingLongCommand); the verdict is kept for the scripts this command runs.
  // A replica leaves eviction to its primary (replica-ignore-maxmemory).
  if (!engine.scripting.running) {
    const evicting = engine.repl.primary === null || !engine.config.getBool('replica-ignore-maxmemory');
    const oom = evicting && !engine.evictor.perform(now);
    if (oom && denyOom(engine, client, cmd, argv)) return reject(engine, client, cmd, R.error(OOM_ERROR));
    engine.evictor.oomAtCommandStart = oom;
  }
  // writeCommandsDeniedByDiskError: writes (and PING) are refused while the last background save stays failed.
  if (engine.persistence.deniesWrites && (writing() || cmd.fullname === 'ping')) return reject(engine, client, cmd, R.error(MISCONF_ERROR));
  // min-replicas-to-write: a primary without enough good replicas refuses writes.
  if (!engine.repl.enoughGoodReplicas() && writing()) return reject(engine, client, cmd, R.error(NOREPLICAS_ERROR));
  if (engine.repl.primary !== null) {
    // replica-read-only: a replica takes writes from its primary only.
    if (engine.repl.refusesWrite(client) && writing()) return reject(engine, client, cmd, R.error(READONLY_ERROR));
    // replica-serve-stale-data no: while the link is down only commands flagged stale run.
    if (!engine.repl.primary.linkUp && !client.isPrimary && !engine.config.getBool('replica-serve-stale-data') && deniesStale(client, cmd, argv)) {
      return reject(engine, client, cmd, R.error(MASTERDOWN_ERROR));
    }
  }
  // A RESP2 connection in subscribed mode only takes the commands that keep it working.
  if (client.resp === 2 && client.inPubSub && !PUBSUB_CONTEXT.has(cmd.fullname)) {
    return reject(engine, client, cmd, R.error(oneLine(
      `ERR Can't execute '${cmd.fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
    )));
  }

  // CLIENT PAUSE: the client waits, and the command runs again from the top once the pause eases.
  if (engine.pause.blocks(client, isWrite(engine, client, cmd, argv, true))) {
    engine.pause.postpone(client, argv, cmd.fullname);
    return BLOCKED;
  }

  if (client.multi && !MULTI_IMMEDIATE.has(cmd.fullname)) {
    // queueMultiCommand: nothing is kept once the transaction is doomed, but the reply is the same.
    if (!client.dirtyCas && !client.multi.aborted) {
      client.multi.queue.push({ cmd, argv });
      // A queued SELECT moves the database later queued commands are checked against.
      if (cmd.fullname === 'select' && /^(0|-?[1-9]\d*)$/.test(argv[1]!) && Number(argv[1]) >= 0 && Number(argv[1]) < engine.databases) {
        client.multi.dbId = Number(argv[1]);
      }
    }
    return R.queued;
  }
  return call(engine, client, cmd, argv, now, false);
}

/**
 * processCommand's combined flags: whether the command, or for EXEC any of its
 * queued commands (c->mstate.cmd_flags), passes `test`.
 */
function anyToRun(client: Client, cmd: CommandEntry, argv: readonly Bytes[], test: (c: CommandEntry, a: readonly Bytes[]) => boolean): boolean {
  if (test(cmd, argv)) return true;
  return cmd.fullname === 'exec' && client.multi !== null && client.multi.queue.some((q) => test(q.cmd, q.argv));
}

/** CMD_WRITE (with `mayReplicate`, CMD_MAY_REPLICATE too), a script's declared flags taking the place of its command's. */
function isWrite(engine: Engine, client: Client, cmd: CommandEntry, argv: readonly Bytes[], mayReplicate = false): boolean {
  return anyToRun(client, cmd, argv, (c, a) => {
    const declared = scriptDeclaredFlags(engine, c, a);
    if (declared !== undefined) return (declared & SF_NO_WRITES) === 0;
    return c.flags.has('write') || (mayReplicate && c.flags.has('may_replicate'));
  });
}

/** CMD_DENYOOM, for EXEC that of its queued commands (is_denyoom_command); a script's declared flags decide for it. */
function denyOom(engine: Engine, client: Client, cmd: CommandEntry, argv: readonly Bytes[]): boolean {
  return anyToRun(client, cmd, argv, (c, a) => {
    const declared = scriptDeclaredFlags(engine, c, a);
    if (declared !== undefined) return (declared & (SF_ALLOW_OOM | SF_NO_WRITES)) === 0;
    return c.flags.has('denyoom');
  });
}

/** is_denystale_command: not flagged stale, or EXEC of a queued command that is not. */
function deniesStale(client: Client, cmd: CommandEntry, argv: readonly Bytes[]): boolean {
  return anyToRun(client, cmd, argv, (c) => !c.flags.has('stale'));
}

/** discardTransaction: the MULTI state and the watched keys go. */
function discardTransaction(engine: Engine, client: Client): void {
  client.multi = null;
  client.dirtyCas = false;
  engine.unwatchAll(client);
}

/**
 * scriptFlagsToCmdFlags: a script that declares its flags (a shebang, or a
 * function's flags) writes only without no-writes; EVAL in compatibility mode
 * keeps the command's own flags (undefined).
 */
function scriptDeclaredFlags(engine: Engine, cmd: CommandEntry, argv: readonly Bytes[]): number | undefined {
  let flags: number | undefined;
  const name = cmd.fullname;
  if ((name === 'eval' || name === 'eval_ro') && argv[1] !== undefined) {
    try {
      flags = parseShebang(argv[1]).flags;
    } catch {
      return undefined;
    }
  } else if ((name === 'evalsha' || name === 'evalsha_ro') && argv[1] !== undefined) {
    flags = engine.scripting.scripts.get(argv[1].toLowerCase())?.flags;
  } else if ((name === 'fcall' || name === 'fcall_ro') && argv[1] !== undefined) {
    flags = engine.scripting.functions.get(argv[1].toLowerCase())?.flags ?? engine.scripting.functions.get(argv[1])?.flags;
  }
  if (flags === undefined || (flags & SF_EVAL_COMPAT) !== 0) return undefined;
  return flags;
}

/**
 * DEBUG and MODULE are protected commands: they run only when
 * enable-debug-command / enable-module-command (immutable, set at startup)
 * is "yes", or "local" and the client connects from a loopback address
 * (allowProtectedAction, connSocketIsLocal).
 */
function protectedRefusal(engine: Engine, client: Client, cmd: CommandEntry): ErrorReply | undefined {
  const base = cmd.parent ?? cmd;
  const which = base.fullname === 'debug' ? 'DEBUG' : base.fullname === 'module' ? 'MODULE' : undefined;
  // CMD_PROTECTED: DEBUG, and MODULE LOAD, LOADEX and UNLOAD (MODULE LIST and HELP are not).
  if (which === undefined || (which === 'MODULE' && !cmd.flags.has('protected'))) return undefined;
  const option = which === 'DEBUG' ? 'enable-debug-command' : 'enable-module-command';
  const allowed = engine.config.get(option);
  if (allowed === 'yes' || (allowed === 'local' && isLocalPeer(client.conn.addr))) return undefined;
  return R.error(`ERR ${which} command not allowed. If the ${option} option is set to "local", you can run it from a local connection, ` +
    'otherwise you need to set this option in the configuration file, and then restart the server.');
}

/** connSocketIsLocal: the peer's address starts with "127." or is "::1" (`addr` is "ip:port"). */
export function isLocalPeer(addr: string): boolean {
  const ip = addr.slice(0, Math.max(0, addr.lastIndexOf(':')));
  return ip.startsWith('127.') || ip === '::1';
}

/**
 * Runs a command's handler: the part of Valkey's call() that matters here.
 * `now` is the time snapshot; EXEC passes its own so a transaction sees one time.
 */
export function call(engine: Engine, client: Client, cmd: CommandEntry, argv: readonly Bytes[], now: number, inExec: boolean): Reply | typeof BLOCKED {
  const ctx = new Context(engine, client, cmd, now, inExec);
  const outer = client.currentCmd; // EXEC, while its queued commands run
  client.currentCmd = cmd;
  client.totalCommands++;
  engine.stats.commandsProcessed++;
  cmd.stats.calls++;
  // The command marks its own sensitive arguments; nothing carries over from the previous one (an EXEC's queue, a script's calls).
  client.redacted.clear();
  const started = engine.clock.nowUs();
  const prop = engine.repl.prop;
  const dirty = engine.stats.dirty;
  prop.nesting++;
  let reply: Reply | typeof BLOCKED;
  try {
    reply = cmd.run!(ctx, argv);
  } catch (e) {
    if (e instanceof CommandError) {
      reply = e.reply;
    } else {
      reply = Err.internal(cmd.fullname, e).reply;
    }
  } finally {
    client.currentCmd = outer;
    prop.nesting--;
  }
  if (prop.active) propagateCall(engine, ctx, argv, engine.stats.dirty > dirty);
  // MONITOR sees what ran, except administrative and skip-monitor commands.
  if (engine.monitors.size && !cmd.flags.has('admin') && !cmd.flags.has('skip_monitor')) engine.feedMonitors(client, client.db, argv, client.script);
  // trackingRememberKeys: a tracking client remembers the keys its read-only commands fetched; for a
  // command a script runs, that is the script's caller.
  const tracker = client.script ? engine.scripting.running?.caller ?? client : client;
  if (tracker.tracking && !tracker.tracking.bcast && cmd.flags.has('readonly') && !TRACK_SCRIPT_ONLY.has(cmd.fullname)) {
    const keys = keyPositions(cmd.spec, argv).map((i) => argv[i]!);
    if (keys.length) engine.tracking.rememberKeys(tracker, keys);
  }
  // An error the script already counted (ignore_error_stats_update) still fails the command.
  if (reply !== BLOCKED && reply.t === 'error') {
    cmd.stats.failed++;
    if (!ctx.noErrorStats) countError(engine, reply.v);
  }
  const duration = engine.clock.nowUs() - started;
  client.duration += duration;
  // real_cmd->microseconds: INFO commandstats usec and usec_per_call (a command that blocked counts when served).
  if (reply !== BLOCKED) cmd.stats.usec += Math.max(0, Math.round(duration));
  engine.latency.commandRan(cmd, duration, now);
  // A blocked command is logged once it is served (see logCommand's callers in engine.ts).
  if (reply !== BLOCKED) logCommand(engine, client, cmd, argv, reply, now);
  return reply;
}

/** commandlogPushCurrentCommand after a command ran (or a blocked one was served) with `reply`. */
export function logCommand(engine: Engine, client: Client, cmd: CommandEntry, argv: readonly Bytes[], reply: Reply, now: number): void {
  if (cmd.flags.has('skip_commandlog')) return;
  const log = engine.commandLog;
  if (log.enabled('large-reply')) client.replyBytes += replyLength(reply, client.resp);
  // A command run from a script is logged under the calling connection (scriptGetCaller).
  const caller = client.script ? engine.scripting.running?.caller ?? client : client;
  log.push(client, caller, argv, { durationUs: client.duration, requestBytes: client.requestBytes, replyBytes: client.replyBytes }, now);
}

/**
 * rejectCommand: an error before the command ran. Inside MULTI it dooms the
 * EXEC (flagTransaction: the queue is dropped). A rejected EXEC, in MULTI or
 * not, ends the transaction with EXECABORT naming the reason
 * (execCommandAbort); the reason loses the "ERR " Valkey adds to plain messages.
 */
function reject(engine: Engine, client: Client, cmd: CommandEntry | undefined, reply: ErrorReply): Reply {
  if (client.multi) {
    client.multi.aborted = true;
    client.multi.queue.length = 0;
  }
  if (cmd) cmd.stats.rejected++;
  engine.stats.rejectedCalls++;
  if (cmd?.fullname === 'exec') {
    // execCommandAbort: monitors see the EXEC that closes the MULTI they saw.
    engine.feedMonitors(client, client.db, client.argv);
    client.multi = null;
    client.dirtyCas = false;
    engine.unwatchAll(client);
    const reason = reply.v.startsWith('ERR ') ? reply.v.slice(4) : reply.v;
    reply = R.error(`EXECABORT Transaction discarded because of: ${reason}`);
  }
  countError(engine, reply.v);
  return reply;
}

/** encodedLength, or for a reply nested too deep for the stack (a script's recursive table), the encoder's own iterative count. */
function replyLength(reply: Reply, resp: 2 | 3): number {
  try {
    return encodedLength(reply, resp);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return encode(reply, resp).length;
  }
}

/** Counts an error reply for INFO stats and errorstats. */
export function countError(engine: Engine, message: string): void {
  engine.stats.errorReplies++;
  const code = message.split(' ', 1)[0]!;
  engine.stats.errors.set(code, (engine.stats.errors.get(code) ?? 0) + 1);
}

function unknownCommand(engine: Engine, argv: readonly Bytes[]): ErrorReply {
  const name = argv[0]!;
  const base = engine.commands.get(name.toLowerCase());
  if (base?.subcommands && argv.length >= 2) {
    return Err.unknownSubcommand(argv[1]!, cTrunc(name, Infinity)).reply;
  }
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${cTrunc(argv[i]!, 128 - args.length)}' `;
  }
  return R.error(oneLine(`ERR unknown command '${cTrunc(name, 128)}', with args beginning with: ${args}`));
}

/**
 * CLIENT REPLY: OFF drops every reply; SKIP drops its own reply and the next
 * command's (the handler sets `dropReplies = 2`).
 */
function applyReplyMode(client: Client, reply: Reply | typeof BLOCKED | undefined): Reply | typeof BLOCKED | undefined {
  let drop = client.replyMode === 'off';
  if (client.dropReplies > 0) {
    client.dropReplies--;
    drop = true;
  }
  // Pushes (the SUBSCRIBE family's confirmations) are written even then (CLIENT_PUSHING).
  return drop && !(reply !== undefined && reply !== BLOCKED && isPushing(reply)) ? undefined : reply;
}

function isPushing(r: Reply): boolean {
  return r.t === 'push' || (r.t === 'seq' && r.v.length > 0 && r.v.every(isPushing));
}
