/**
 * Scripting and functions (Valkey group "scripting": src/eval.c,
 * src/functions.c). The Lua VM lives in src/lua/; the bridge (EVAL, FCALL,
 * FUNCTION LOAD...) is still to come. What is here answers as Valkey does
 * while no function library is loaded.
 */
import { R } from '../../protocol/index.js';
import type { CommandGroup } from '../command.js';
import { isToken } from '../args.js';
import { Err } from '../errors.js';
import { subcommandSyntaxError } from '../help.js';

export const scriptingCommands: CommandGroup = {
  /** functionFlushCommand: every library removed (there are none yet); counts as a change to the data. */
  'function|flush': (ctx, argv) => {
    if (argv.length > 3) throw subcommandSyntaxError(argv);
    if (argv.length === 3 && !isToken(argv[2], 'SYNC') && !isToken(argv[2], 'ASYNC')) {
      throw Err.generic('FUNCTION FLUSH only supports SYNC|ASYNC option');
    }
    ctx.dirty();
    return R.ok;
  },
};
