/**
 * The ACL container (Valkey group "server", acl.c aclCommand): SETUSER,
 * GETUSER, DELUSER, LIST, USERS, WHOAMI, CAT, DRYRUN, GENPASS, LOG, LOAD,
 * SAVE, HELP. The users and checks live in ../acl/.
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { ACL_CATEGORIES, arityOk } from '../../meta/index.js';
import {
  aclAfterLoad, aclErrorMessage, aclKillPubsubClients, aclKillUserClients, aclUserOf, type AclLogEntry, type User,
} from '../acl/index.js';
import type { Selector } from '../acl/selector.js';
import { categoryByName, hasSpaces, patternString } from '../acl/selector.js';
import { getLong } from '../args.js';
import type { CommandGroup } from '../command.js';
import type { Context } from '../context.js';
import { Err, cTrunc } from '../errors.js';
import { helpReply, subcommandSyntaxError } from '../help.js';
import { lookupCommand } from '../registry.js';

const ACL_HELP = [
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <rule> [<rule> ...]',
  '    Create or modify a user with the specified rules.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];

const NO_ACLFILE = 'This instance is not configured to use an ACL file. You may want to specify users via the ' +
  'ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a configuration file ' +
  'set) in order to store users in the configuration.';

const GENPASS_MAX_BITS = 4096;

/** aclAddReplySelectorDescription: commands, keys, channels, databases. */
function selectorFields(s: Selector): [Reply, Reply][] {
  const keys = s.allKeys ? '~*' : s.patterns.map(patternString).join(' ');
  const channels = s.allChannels ? '&*' : s.channels.map((c) => '&' + c).join(' ');
  const dbs = s.allDbs ? 'alldbs' : s.dbs.length ? `db=${s.dbs.join(',')}` : '';
  return [
    [R.bulk('commands'), R.bulk(s.describeCommands())],
    [R.bulk('keys'), R.bulk(keys)],
    [R.bulk('channels'), R.bulk(channels)],
    [R.bulk('databases'), R.bulk(dbs)],
  ];
}

function getUserReply(u: User): Reply {
  const flags: Reply[] = [];
  if (u.enabled) flags.push(R.bulk('on'));
  if (u.disabled) flags.push(R.bulk('off'));
  if (u.nopass) flags.push(R.bulk('nopass'));
  return R.map([
    [R.bulk('flags'), R.set(flags)],
    [R.bulk('passwords'), R.bulks(u.passwords)],
    ...selectorFields(u.root),
    [R.bulk('selectors'), R.array(u.selectors.slice(1).map((s) => R.map(selectorFields(s))))],
  ]);
}

function logEntryReply(e: AclLogEntry, now: number): Reply {
  return R.map([
    [R.bulk('count'), R.int(e.count)],
    [R.bulk('reason'), R.bulk(e.reason)],
    [R.bulk('context'), R.bulk(e.context)],
    [R.bulk('object'), R.bulk(e.object)],
    [R.bulk('username'), R.bulk(e.username)],
    [R.bulk('age-seconds'), R.double((now - e.ctime) / 1000)],
    [R.bulk('client-info'), R.bulk(e.cinfo)],
    [R.bulk('entry-id'), R.int(e.entryId)],
    [R.bulk('timestamp-created'), R.int(e.timestampCreated)],
    [R.bulk('timestamp-last-updated'), R.int(e.ctime)],
  ]);
}

function requireAclFile(ctx: Context): void {
  if (ctx.engine.config.get('aclfile') === '') throw Err.generic(NO_ACLFILE);
}

export const aclCommands: CommandGroup = {
  'acl|setuser'(ctx, argv) {
    // Every argument is hidden from the command log, whatever happens next.
    for (let j = 2; j < argv.length; j++) ctx.redact(j);
    const name = argv[2]!;
    if (hasSpaces(name)) throw Err.generic("Usernames can't contain spaces or null characters");
    const r = ctx.engine.acl.setUser(name, argv.slice(3));
    if ('error' in r) throw Err.generic(r.error);
    // Subscribers of the user that lost one of their channels are disconnected.
    if (r.before) aclKillPubsubClients(ctx.engine, name, r.before, r.after, ctx.client);
    return R.ok;
  },

  'acl|deluser'(ctx, argv) {
    for (let j = 2; j < argv.length; j++) ctx.redact(j);
    const names = argv.slice(2);
    if (names.some((n) => n === 'default')) throw Err.generic("The 'default' user cannot be removed");
    let deleted = 0;
    for (const n of names) {
      if (!ctx.engine.acl.deleteUser(n)) continue;
      aclKillUserClients(ctx.engine, n, ctx.client);
      deleted++;
    }
    return R.int(deleted);
  },

  'acl|getuser'(ctx, argv) {
    ctx.redact(2);
    const u = ctx.engine.acl.getUser(argv[2]!);
    return u ? getUserReply(u) : R.null;
  },

  'acl|list': (ctx) => R.bulks(ctx.engine.acl.sortedUsers().map((u) => `user ${u.name} ${u.describe()}`)),

  'acl|users': (ctx) => R.bulks(ctx.engine.acl.sortedUsers().map((u) => u.name)),

  'acl|whoami': (ctx) => R.bulk(aclUserOf(ctx.engine, ctx.client).name),

  'acl|load'(ctx) {
    requireAclFile(ctx);
    const acl = ctx.engine.acl;
    // The users as they were (the default user is changed in place, so keep a copy of it).
    const old = new Map(acl.users);
    old.set('default', acl.defaultUser.clone());
    const err = ctx.engine.loadAclFile();
    if (err !== null) throw Err.generic(err);
    aclAfterLoad(ctx.engine, old, ctx.client);
    return R.ok;
  },

  'acl|save'(ctx) {
    requireAclFile(ctx);
    try {
      if (!ctx.engine.files) throw new Error('no file access');
      ctx.engine.files.write(ctx.engine.aclFilePath(), ctx.engine.acl.serialize());
    } catch {
      throw Err.generic('There was an error trying to save the ACLs. Please check the server logs for more information');
    }
    return R.ok;
  },

  'acl|cat'(ctx, argv) {
    if (argv.length > 3) throw subcommandSyntaxError(argv);
    if (argv.length === 2) return R.bulks([...ACL_CATEGORIES]);
    const cat = categoryByName(argv[2]!);
    if (!cat) throw Err.generic(`Unknown category '${cTrunc(argv[2]!, 128)}'`);
    const out: Bytes[] = [];
    for (const c of ctx.engine.commands.values()) {
      if (c.spec.aclCategories.includes(cat)) out.push(c.fullname);
      if (c.subcommands) for (const s of c.subcommands.values()) if (s.spec.aclCategories.includes(cat)) out.push(s.fullname);
    }
    return R.bulks(out);
  },

  'acl|genpass'(ctx, argv) {
    if (argv.length > 3) throw subcommandSyntaxError(argv);
    const bits = argv.length === 3 ? getLong(argv[2]!) : 256;
    if (bits <= 0 || bits > GENPASS_MAX_BITS) {
      throw Err.generic(`ACL GENPASS argument must be the number of bits for the output password, a positive number up to ${GENPASS_MAX_BITS}`);
    }
    return R.bulk(ctx.engine.rng.hex(Math.floor((bits + 3) / 4)));
  },

  'acl|log'(ctx, argv) {
    if (argv.length > 3) throw subcommandSyntaxError(argv);
    const acl = ctx.engine.acl;
    let count = 10;
    if (argv.length === 3) {
      if (argv[2]!.toLowerCase() === 'reset') {
        acl.resetLog();
        return R.ok;
      }
      count = Math.max(0, getLong(argv[2]!));
    }
    return R.array(acl.log.slice(0, count).map((e) => logEntryReply(e, ctx.now)));
  },

  'acl|dryrun'(ctx, argv) {
    const u = ctx.engine.acl.getUser(argv[2]!);
    if (!u) throw Err.generic(`User '${cTrunc(argv[2]!, Infinity)}' not found`);
    const args = argv.slice(3);
    const cmd = lookupCommand(ctx.engine.commands, args);
    if (!cmd) throw Err.generic(`Command '${cTrunc(args[0]!, Infinity)}' not found`);
    if (!arityOk(cmd.spec.arity, args.length)) throw Err.generic(`wrong number of arguments for '${cmd.fullname}' command`);
    const dbid = ctx.client.multi ? ctx.client.multi.dbId : ctx.client.db;
    const d = ctx.engine.acl.checkCommand(u, cmd, args, dbid);
    return d ? R.bulk(aclErrorMessage(d, u, cmd, args, true)) : R.ok;
  },

  'acl|help': (_ctx, argv) => helpReply(argv[0]!, ACL_HELP),
};
