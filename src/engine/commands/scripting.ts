/**
 * Scripting and functions (Valkey group "scripting": src/eval.c,
 * src/functions.c, src/script.c). The Lua VM is src/lua/; the bridge to the
 * engine (sandbox, server.call, conversions, the script cache and the
 * libraries) is src/engine/scripting/.
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import type { CommandGroup, HandlerResult } from '../command.js';
import type { Context } from '../context.js';
import { isToken } from '../args.js';
import { Err } from '../errors.js';
import { helpReply, subcommandSyntaxError } from '../help.js';
import { globMatch } from '../keyspace/glob.js';
import { SCRIPT_FLAG_NAMES } from '../scripting/runner.js';
import { dumpFunctions, restoreFunctions } from '../scripting/function-dump.js';

const SCRIPT_HELP = [
  'DEBUG (YES|SYNC|NO) [<engine_name>]',
  '    Set the debug mode for subsequent scripts executed of the specified engine.',
  "    Default engine name: 'lua'",
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined',
  '     by the lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
  'SHOW <sha1>',
  '    Show a script from the scripts cache.',
];

const FUNCTION_HELP = [
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
];

function flushMode(argv: readonly Bytes[], what: string): void {
  if (argv.length === 3 && !isToken(argv[2], 'SYNC') && !isToken(argv[2], 'ASYNC')) throw Err.generic(what);
  if (argv.length > 3) throw Err.generic(what);
}

export const scriptingCommands: CommandGroup = {
  eval: (ctx, argv) => monitored(ctx, argv, () => ctx.engine.scripting.eval(ctx, argv, false, false)),
  evalsha: (ctx, argv) => monitored(ctx, argv, () => ctx.engine.scripting.eval(ctx, argv, true, false)),
  eval_ro: (ctx, argv) => monitored(ctx, argv, () => ctx.engine.scripting.eval(ctx, argv, false, true)),
  evalsha_ro: (ctx, argv) => monitored(ctx, argv, () => ctx.engine.scripting.eval(ctx, argv, true, true)),
  fcall: (ctx, argv) => monitored(ctx, argv, () => ctx.engine.scripting.fcall(ctx, argv, false)),
  fcall_ro: (ctx, argv) => monitored(ctx, argv, () => ctx.engine.scripting.fcall(ctx, argv, true)),

  'script|help': (_ctx, argv) => {
    if (argv.length !== 2) throw subcommandSyntaxError(argv);
    return helpReply(argv[0]!, SCRIPT_HELP);
  },
  'script|flush': (ctx, argv) => {
    flushMode(argv, 'SCRIPT FLUSH only support SYNC|ASYNC option');
    ctx.engine.scripting.flushScripts();
    return R.ok;
  },
  'script|exists': (ctx, argv) => {
    const s = ctx.engine.scripting;
    return R.array(argv.slice(2).map((sha) => R.int(s.findScript(sha) ? 1 : 0)));
  },
  'script|load': (ctx, argv) => {
    if (argv.length !== 3) throw subcommandSyntaxError(argv);
    return R.bulk(ctx.engine.scripting.registerScript(argv[2]!, true));
  },
  'script|kill': (ctx, argv) => {
    if (argv.length !== 2) throw subcommandSyntaxError(argv);
    return ctx.engine.scripting.kill(true);
  },
  'script|show': (ctx, argv) => {
    if (argv.length !== 3) throw subcommandSyntaxError(argv);
    const es = argv[2]!.length === 40 ? ctx.engine.scripting.findScript(argv[2]!) : undefined;
    if (!es) throw Err.raw('NOSCRIPT No matching script.');
    return R.bulk(es.body);
  },
  'script|debug': (_ctx, argv) => {
    if (argv.length !== 3 && argv.length !== 4) throw subcommandSyntaxError(argv);
    const engine = argv.length === 4 ? argv[3]! : 'lua';
    if (engine.toLowerCase() !== 'lua') throw Err.generic(`No scripting engine found with name '${engine}' to enable debug`);
    const mode = argv[2]!;
    if (isToken(mode, 'NO')) return R.ok;
    if (isToken(mode, 'YES') || isToken(mode, 'SYNC')) throw Err.generic('SCRIPT DEBUG is not supported by valkey-double');
    throw Err.generic('Use SCRIPT DEBUG YES/SYNC/NO');
  },

  'function|help': (_ctx, argv) => {
    if (argv.length !== 2) throw subcommandSyntaxError(argv);
    return helpReply(argv[0]!, FUNCTION_HELP);
  },
  /** functionFlushCommand: every library removed; counts as a change to the data. */
  'function|flush': (ctx, argv) => {
    if (argv.length > 3) throw subcommandSyntaxError(argv);
    flushMode(argv, 'FUNCTION FLUSH only supports SYNC|ASYNC option');
    ctx.engine.scripting.flushFunctions();
    ctx.dirty();
    return R.ok;
  },
  'function|load': (ctx, argv) => {
    let replace = false;
    let i = 2;
    while (i < argv.length - 1) {
      const a = argv[i++]!;
      if (isToken(a, 'REPLACE')) {
        replace = true;
        continue;
      }
      throw Err.generic(`Unknown option given: ${a.split('\0')[0]!}`);
    }
    if (i >= argv.length) throw Err.generic('Function code is missing');
    const name = ctx.engine.scripting.loadLibrary(argv[i]!, replace);
    ctx.dirty();
    return R.bulk(name);
  },
  'function|delete': (ctx, argv) => {
    if (!ctx.engine.scripting.deleteLibrary(argv[2]!)) throw Err.generic('Library not found');
    ctx.dirty();
    return R.ok;
  },
  'function|kill': (ctx) => ctx.engine.scripting.kill(false),
  'function|stats': (ctx) => {
    const s = ctx.engine.scripting;
    const run = s.running;
    if (run?.eval) throw Err.raw('BUSY Valkey is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.');
    const running: Reply = run
      ? R.map([
        [R.bulk('name'), R.bulk(run.funcname)],
        [R.bulk('command'), R.bulks(run.caller.argv)],
        [R.bulk('duration_ms'), R.int(ctx.engine.clock.now() - run.start)],
      ])
      : R.null;
    let nfn = 0;
    for (const lib of s.libraries.values()) nfn += lib.functions.size;
    return R.map([
      [R.bulk('running_script'), running],
      [R.bulk('engines'), R.map([[R.bulk('LUA'), R.map([
        [R.bulk('libraries_count'), R.int(s.libraries.size)],
        [R.bulk('functions_count'), R.int(nfn)],
      ])]])],
    ]);
  },
  'function|list': (ctx, argv) => {
    let withCode = false;
    let pattern: Bytes | undefined;
    for (let i = 2; i < argv.length; i++) {
      const a = argv[i]!;
      if (!withCode && isToken(a, 'WITHCODE')) {
        withCode = true;
        continue;
      }
      if (pattern === undefined && isToken(a, 'LIBRARYNAME')) {
        if (i >= argv.length - 1) throw Err.generic('library name argument was not given');
        pattern = argv[++i]!;
        continue;
      }
      throw Err.generic(`Unknown argument ${a}`);
    }
    const out: Reply[] = [];
    for (const lib of ctx.engine.scripting.libraries.values()) {
      if (pattern !== undefined && !globMatch(pattern, lib.name, true)) continue;
      const fns: Reply[] = [];
      for (const f of lib.functions.values()) {
        fns.push(R.map([
          [R.bulk('name'), R.bulk(f.name)],
          [R.bulk('description'), f.desc === undefined ? R.null : R.bulk(f.desc)],
          [R.bulk('flags'), R.set(SCRIPT_FLAG_NAMES.filter(([, bit]) => f.flags & bit).map(([n]) => R.simple(n)))],
        ]));
      }
      const items: [Reply, Reply][] = [
        [R.bulk('library_name'), R.bulk(lib.name)],
        [R.bulk('engine'), R.bulk('LUA')],
        [R.bulk('functions'), R.array(fns)],
      ];
      if (withCode) items.push([R.bulk('library_code'), R.bulk(lib.code)]);
      out.push(R.map(items));
    }
    return R.array(out);
  },
  'function|dump': (ctx) => R.bulk(dumpFunctions(ctx.engine.scripting, ctx.engine.config.getBool('rdbcompression'))),
  'function|restore': (ctx, argv) => {
    if (argv.length > 4) throw subcommandSyntaxError(argv);
    let policy: 'append' | 'replace' | 'flush' = 'append';
    if (argv.length === 4) {
      const p = argv[3]!;
      if (isToken(p, 'APPEND')) policy = 'append';
      else if (isToken(p, 'REPLACE')) policy = 'replace';
      else if (isToken(p, 'FLUSH')) policy = 'flush';
      else throw Err.generic('Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
    }
    restoreFunctions(ctx.engine.scripting, argv[2]!, policy);
    ctx.dirty();
    return R.ok;
  },
};

/**
 * EVAL, EVALSHA and FCALL are skip_monitor commands that feed MONITOR
 * themselves, before they run, so the commands of the script follow them.
 */
function monitored(ctx: Context, argv: readonly Bytes[], run: () => HandlerResult): HandlerResult {
  if (ctx.engine.monitors.size) ctx.engine.feedMonitors(ctx.client, ctx.client.db, argv);
  return run();
}
