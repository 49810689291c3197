/**
 * What a command implementation is: a handler keyed by the command's full
 * name ("get", "client|list"). Arity, flags and key positions come from the
 * generated metadata; handlers never check them.
 */
import type { Bytes, Reply } from '../protocol/index.js';
import type { CommandSpec } from '../meta/index.js';
import type { Context } from './context.js';

/** Returned by a handler that parked its client (blocking commands, WAIT). */
export const BLOCKED: unique symbol = Symbol('blocked');
export type HandlerResult = Reply | typeof BLOCKED;

/**
 * A handler gets the command context and the whole argv (argv[0] is the
 * command name, as in Valkey's c->argv), and returns a typed reply.
 * It throws CommandError for error replies; it must parse and validate
 * everything before it mutates anything.
 */
export type Handler = (ctx: Context, argv: readonly Bytes[]) => HandlerResult;

/** A group file exports one of these: full name -> handler. */
export type CommandGroup = Readonly<Record<string, Handler>>;

/** A command as the dispatcher sees it: metadata plus (maybe) a handler. */
export interface CommandEntry {
  readonly spec: CommandSpec;
  /** "get" or "client|list" */
  readonly fullname: string;
  readonly parent?: CommandEntry;
  readonly subcommands?: ReadonlyMap<string, CommandEntry>;
  readonly flags: ReadonlySet<string>;
  readonly run?: Handler;
  /** INFO commandstats counters. */
  stats: { calls: number; usec: number; rejected: number; failed: number };
}
