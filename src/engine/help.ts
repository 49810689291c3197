import { R, type Bytes, type Reply } from '../protocol/index.js';
import { cTrunc, Err, type CommandError } from './errors.js';

/** toupper on ASCII letters only (sdstoupper in the C locale). */
export function asciiUpper(s: Bytes): Bytes {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/**
 * addReplyHelp: the usage header naming the container as typed (upper-cased),
 * the subcommand lines, then HELP — every line a status reply.
 */
export function helpReply(argv0: Bytes, lines: readonly string[]): Reply {
  return R.array([
    R.simple(`${asciiUpper(argv0)} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`),
    ...lines.map((l) => R.simple(l)),
    R.simple('HELP'),
    R.simple('    Print this help.'),
  ]);
}

/**
 * addReplySubcommandSyntaxError: a container's subcommand with arguments it
 * does not take ("%.128s" of the subcommand, the container upper-cased).
 */
export function subcommandSyntaxError(argv: readonly Bytes[]): CommandError {
  return Err.generic(`unknown subcommand or wrong number of arguments for '${cTrunc(argv[1]!, 128)}'. Try ${asciiUpper(cTrunc(argv[0]!, Infinity))} HELP.`);
}
