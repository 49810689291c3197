/**
 * The error catalogue: every error text the engine sends comes from here, in
 * Valkey's words. Handlers throw `CommandError` (or return `R.error`); the
 * dispatcher turns a thrown CommandError into its reply.
 */
import { R, type ErrorReply } from '../protocol/index.js';

export class CommandError extends Error {
  readonly reply: ErrorReply;
  constructor(message: string) {
    super(message);
    this.reply = R.error(message);
  }
}

/** Replace \r and \n by spaces, as sdsmapchars does before an error goes out. */
export function oneLine(s: string): string {
  return s.replace(/[\r\n]/g, ' ');
}

export const Err = {
  raw: (full: string) => new CommandError(oneLine(full)),
  generic: (msg: string) => new CommandError('ERR ' + oneLine(msg)),
  wrongType: () => new CommandError('WRONGTYPE Operation against a key holding the wrong kind of value'),
  syntax: () => new CommandError('ERR syntax error'),
  noSuchKey: () => new CommandError('ERR no such key'),
  notInteger: () => new CommandError('ERR value is not an integer or out of range'),
  notFloat: () => new CommandError('ERR value is not a valid float'),
  outOfRange: () => new CommandError('ERR value is out of range'),
  indexOutOfRange: () => new CommandError('ERR index out of range'),
  overflow: () => new CommandError('ERR increment or decrement would overflow'),
  busyKey: () => new CommandError('BUSYKEY Target key name already exists.'),
  noAuth: () => new CommandError('NOAUTH Authentication required.'),
  execAbort: () => new CommandError('EXECABORT Transaction discarded because of previous errors.'),
  dbIndexOutOfRange: () => new CommandError('ERR DB index is out of range'),
  sameObject: () => new CommandError('ERR source and destination objects are the same'),
  wrongArity: (fullname: string) => new CommandError(`ERR wrong number of arguments for '${fullname}' command`),
  unknownSubcommand: (sub: string, container: string) =>
    new CommandError(oneLine(`ERR unknown subcommand '${cTrunc(sub, 128)}'. Try ${container.toUpperCase()} HELP.`)),
  invalidExpire: (cmd: string) => new CommandError(`ERR invalid expire time in '${cmd}' command`),
  /** A bug in valkey-double surfaced as an error reply for the one client that hit it. */
  internal: (where: string, e: unknown) =>
    new CommandError(oneLine(`ERR internal error in valkey-double while running '${where}': ${e instanceof Error ? e.message : String(e)}`)),
  notImplemented: (fullname: string) =>
    new CommandError(`ERR command '${fullname}' is not implemented by valkey-double yet`),
};

/** printf's "%.Ns": stops at a NUL byte and at N chars. */
export function cTrunc(s: string, n: number): string {
  const nul = s.indexOf('\0');
  const t = nul >= 0 ? s.slice(0, nul) : s;
  return t.length > n ? t.slice(0, n) : t;
}
