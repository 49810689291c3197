/**
 * ACL: users, rules, selectors, permission checks and the ACL log
 * (Valkey's acl.c), and the permission-check API the rest of the engine calls.
 *
 * The API, for dispatch, scripting and pub/sub:
 *
 *   aclCheckCmd(engine, client, cmd, argv, context)
 *     → null when the client's user may run `cmd` with `argv` (argv[0] is the
 *       command name; keys are found through the command's key specs and
 *       checked with their read/write flags; channel arguments of
 *       (P|S)SUBSCRIBE and (S)PUBLISH are checked too), or the NOPERM error
 *       reply Valkey sends. A refusal is counted and written to the ACL log
 *       with `context` ('toplevel', 'multi', 'lua' for commands called from
 *       scripts...). Dispatch calls it where processCommand calls
 *       ACLCheckAllPerm; EXEC calls aclCheckQueued for each queued command.
 *
 *   aclUserOf(engine, client) → the client's User
 *   engine.acl.checkChannel(user, channel, isPattern) / checkKey(user, key, flags)
 *     → boolean, for checks outside a command's arguments.
 */
import { R, type Bytes, type ErrorReply } from '../../protocol/index.js';
import type { Client } from '../client.js';
import type { CommandEntry } from '../command.js';
import { clientInfoString } from '../commands/connection.js';
import { Context } from '../context.js';
import type { Engine } from '../engine.js';
import { oneLine } from '../errors.js';
import { Acl, type AclDenial, type AclLogContext, type AclLogReason } from './acl.js';
import type { User } from './user.js';

export { Acl } from './acl.js';
export type { AclDenial, AclDenialReason, AclHost, AclLogContext, AclLogEntry, AclLogReason, AclStats } from './acl.js';
export { User, hashPassword } from './user.js';
export { Selector } from './selector.js';

/** The user a client is authenticated as (the default user for a name that is gone). */
export function aclUserOf(engine: Engine, client: Client): User {
  return engine.acl.getUser(client.user) ?? engine.acl.defaultUser;
}

/**
 * getAclErrorMessage: the text of a refusal. `verbose` (ACL DRYRUN) names
 * the key, channel or database; the NOPERM error of a refused command does not.
 */
export function aclErrorMessage(d: AclDenial, user: User, cmd: CommandEntry, argv: readonly Bytes[], verbose: boolean): string {
  const val = argv[d.argpos] ?? '';
  switch (d.reason) {
    case 'command':
      return `User ${user.name} has no permissions to run the '${cmd.fullname}' command`;
    case 'key':
      return verbose ? `User ${user.name} has no permissions to access the '${val}' key` : 'No permissions to access a key';
    case 'channel':
      return verbose ? `User ${user.name} has no permissions to access the '${val}' channel` : 'No permissions to access a channel';
    case 'database':
      return verbose ? `User ${cstr(user.name)} has no permissions to access database ${cstr(val)}` : 'No permissions to access database';
  }
}

/** catClientInfoString of the client, for ACL log entries. */
function clientInfo(engine: Engine, client: Client, cmd: CommandEntry | undefined, argv: readonly Bytes[]): string {
  const entry = cmd ?? client.currentCmd;
  if (!entry) return '';
  return clientInfoString(new Context(engine, client, entry, engine.clock.now(), false), client, argv);
}

/** addACLLogEntry for a client. `object` defaults as Valkey's does for the reason. */
export function aclLog(
  engine: Engine, client: Client, reason: AclLogReason, context: AclLogContext, opts: { object: Bytes; username?: Bytes; cmd?: CommandEntry; argv?: readonly Bytes[] },
): void {
  engine.acl.addLogEntry({
    reason, context, object: opts.object,
    username: opts.username ?? aclUserOf(engine, client).name,
    cinfo: clientInfo(engine, client, opts.cmd, opts.argv ?? client.argv),
    now: engine.clock.now(),
  });
}

function logDenial(engine: Engine, client: Client, d: AclDenial, cmd: CommandEntry, argv: readonly Bytes[], context: AclLogContext): void {
  let object: Bytes;
  if (context === 'lua' || context === 'script') object = d.reason === 'command' ? cmd.fullname : argv[d.argpos]!;
  else if (d.reason === 'command' || (d.reason === 'database' && d.argpos === 0)) object = cmd.fullname;
  else object = argv[d.argpos]!;
  aclLog(engine, client, d.reason, context, { object, cmd, argv });
}

/** The database a command is checked against: the transaction's while queueing (MULTI), else the client's. */
function checkedDb(client: Client, context: AclLogContext): number {
  return client.multi && context === 'multi' ? client.multi.dbId : client.db;
}

/**
 * The permission check (ACLCheckAllPerm with processCommand's reply): null,
 * or the NOPERM error. See the module comment.
 */
export function aclCheckCmd(engine: Engine, client: Client, cmd: CommandEntry, argv: readonly Bytes[], context: AclLogContext): ErrorReply | null {
  const user = aclUserOf(engine, client);
  const d = engine.acl.checkCommand(user, cmd, argv, checkedDb(client, context));
  if (!d) return null;
  logDenial(engine, client, d, cmd, argv, context);
  return R.error(oneLine(`NOPERM ${aclErrorMessage(d, user, cmd, argv, false)}`));
}

/** Does the client's user have this access (KeyFlag bits) to every key for this command (SORT's BY and GET)? */
export function aclFullKeyAccess(engine: Engine, client: Client, cmd: CommandEntry, argv: readonly Bytes[], keySpecFlags: number): boolean {
  return engine.acl.checkCommandWithAllKeys(aclUserOf(engine, client), cmd, argv, client.db, keySpecFlags);
}

/** EXEC's check of a queued command, in case the rules changed since it was queued. */
export function aclCheckQueued(engine: Engine, client: Client, cmd: CommandEntry, argv: readonly Bytes[]): ErrorReply | null {
  const user = aclUserOf(engine, client);
  const d = engine.acl.checkCommand(user, cmd, argv, client.db);
  if (!d) return null;
  logDenial(engine, client, d, cmd, argv, 'multi');
  const reason = d.reason === 'command' ? 'no permission to execute the command or subcommand'
    : d.reason === 'key' ? 'no permission to touch the specified keys'
      : d.reason === 'channel' ? 'no permission to access one of the channels used as arguments'
        : 'no permission';
  return R.error('NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. ' +
    `This command is no longer allowed for the following reason: ${reason}`);
}

/**
 * Authenticates a client with a user name and password (checkPasswordBasedAuth):
 * true on success; on failure the client is unchanged and the attempt is logged.
 */
export function aclAuthenticate(engine: Engine, client: Client, username: Bytes, pass: Bytes, argv0: Bytes): boolean {
  const u = engine.acl.checkCredentials(username, pass);
  if (u) {
    client.user = u.name;
    client.authenticated = true;
    return true;
  }
  aclLog(engine, client, 'auth', client.multi ? 'multi' : 'toplevel', { object: argv0, username });
  return false;
}

/** Closes a client: after its pending reply when it is the one running the command (freeClientOrCloseLater). */
function closeClient(client: Client, current: Client | undefined): void {
  if (client === current) client.closing = true;
  else client.sink.close();
}

/** ACLFreeUserAndKillClients: connections of a deleted user fall back to the default user, unauthenticated, and close. */
export function aclKillUserClients(engine: Engine, name: Bytes, current: Client | undefined): void {
  for (const c of [...engine.clients.values()]) {
    if (c.user !== name) continue;
    c.user = 'default';
    c.authenticated = false;
    closeClient(c, current);
  }
}

/** ACLKillPubsubClientsIfNeeded: subscribers of `name` that lost access to one of their channels are closed. */
export function aclKillPubsubClients(engine: Engine, name: Bytes, before: User, after: User, current: Client | undefined): void {
  const upcoming = engine.acl.upcomingChannels(after, before);
  if (!upcoming) return;
  for (const c of [...engine.clients.values()]) {
    if (c.user !== name || !c.inPubSub) continue;
    if (Acl.violates(upcoming, c)) closeClient(c, current);
  }
}

/**
 * After ACL LOAD: clients whose user is gone, or who lost a channel they
 * are subscribed to, go back to the default user and are closed.
 */
export function aclAfterLoad(engine: Engine, old: ReadonlyMap<Bytes, User>, current: Client | undefined): void {
  const upcomingByUser = new Map<Bytes, Bytes[] | null>();
  for (const c of [...engine.clients.values()]) {
    const after = engine.acl.getUser(c.user);
    let kill = after === undefined;
    if (after && c.inPubSub) {
      const before = old.get(c.user);
      if (before) {
        if (!upcomingByUser.has(c.user)) upcomingByUser.set(c.user, engine.acl.upcomingChannels(after, before));
        const up = upcomingByUser.get(c.user)!;
        if (up && Acl.violates(up, c)) kill = true;
      }
    }
    if (kill) {
      c.user = 'default';
      c.authenticated = false;
      closeClient(c, current);
    }
  }
}

function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}
