/**
 * One dispatch for every path a command takes (a connection, EXEC, later Lua
 * and cluster routing): the gates of Valkey's processCommand in its order,
 * then `call()`, which runs the handler with one time snapshot.
 */
import { R, type Bytes, type ErrorReply, type Reply } from '../protocol/index.js';
import type { Client } from './client.js';
import { BLOCKED, type CommandEntry } from './command.js';
import { Context } from './context.js';
import type { Engine } from './engine.js';
import { CommandError, Err, cTrunc, oneLine } from './errors.js';
import { arityOk } from '../meta/index.js';
import { lookupCommand } from './registry.js';

/** What a RESP2 client in Pub/Sub mode may still run. */
const PUBSUB_CONTEXT = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);

/** Commands that run at once even inside MULTI (processCommand's exceptions). */
const MULTI_IMMEDIATE = new Set(['exec', 'discard', 'quit', 'reset']);

export function dispatch(engine: Engine, client: Client, argv: readonly Bytes[]): Reply | typeof BLOCKED | undefined {
  const reply = gateAndRun(engine, client, argv);
  return applyReplyMode(client, reply);
}

function gateAndRun(engine: Engine, client: Client, argv: readonly Bytes[]): Reply | typeof BLOCKED {
  // A script is running (suspended between slices) and not yet busy: the request waits for its end.
  if (engine.scripting.running && !engine.scripting.running.timedOut) return engine.scripting.gate(client, argv, undefined)!;
  client.lastInteraction = engine.clock.now();
  const cmd = lookupCommand(engine.commands, argv);
  client.lastCmd = cmd ? cmd.fullname : 'NULL';
  client.argv = argv;

  // Authentication comes first: an unauthenticated client learns nothing else.
  if (!client.authenticated && engine.authRequired && !(cmd && cmd.flags.has('no_auth'))) {
    return reject(engine, client, cmd, Err.noAuth().reply);
  }
  if (!cmd) return reject(engine, client, undefined, unknownCommand(engine, argv));
  if (!arityOk(cmd.spec.arity, argv.length)) return reject(engine, client, cmd, Err.wrongArity(cmd.fullname).reply);
  if (client.multi && cmd.flags.has('no_multi')) {
    return reject(engine, client, cmd, R.error(oneLine(`ERR Command '${cmd.fullname}' not allowed inside a transaction`)));
  }
  if (engine.scripting.running) {
    // isInsideYieldingLongCommand: past busy-reply-threshold only allow-busy commands run.
    const busy = engine.scripting.gate(client, argv, cmd.flags.has('allow_busy'));
    if (busy !== undefined && busy !== BLOCKED) return reject(engine, client, cmd, busy as ErrorReply);
  }
  if (!cmd.run) return reject(engine, client, cmd, Err.notImplemented(cmd.fullname).reply);
  // A RESP2 connection in subscribed mode only takes the commands that keep it working.
  if (client.resp === 2 && client.inPubSub && !PUBSUB_CONTEXT.has(cmd.fullname)) {
    return reject(engine, client, cmd, R.error(oneLine(
      `ERR Can't execute '${cmd.fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
    )));
  }

  if (client.multi && !MULTI_IMMEDIATE.has(cmd.fullname)) {
    // queueMultiCommand: nothing is kept once the transaction is doomed, but the reply is the same.
    if (!client.dirtyCas && !client.multi.aborted) client.multi.queue.push({ cmd, argv });
    return R.queued;
  }
  return call(engine, client, cmd, argv, engine.clock.now(), false);
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
  }
  if (reply !== BLOCKED && reply.t === 'error' && !ctx.noErrorStats) {
    cmd.stats.failed++;
    countError(engine, reply.v);
  }
  return reply;
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
    client.multi = null;
    client.dirtyCas = false;
    engine.unwatchAll(client);
    const reason = reply.v.startsWith('ERR ') ? reply.v.slice(4) : reply.v;
    reply = R.error(`EXECABORT Transaction discarded because of: ${reason}`);
  }
  countError(engine, reply.v);
  return reply;
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
  if (client.dropReplies > 0) {
    client.dropReplies--;
    return undefined;
  }
  return client.replyMode === 'off' ? undefined : reply;
}
