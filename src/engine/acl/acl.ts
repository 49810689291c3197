/**
 * The ACL state of one engine (acl.c's Users, DefaultUser and ACLLog): the
 * users, the permission checks of ACLCheckAllUserCommandPerm, the ACL log and
 * the ACL file format. No sockets and no clock of its own: callers pass the
 * time and the client description for log entries.
 */
import type { Bytes } from '../../protocol/index.js';
import { doesCommandHaveKeys, getKeysFromCommand } from '../../meta/index.js';
import type { CommandEntry } from '../command.js';
import type { CommandTable } from '../registry.js';
import { channelInList, hasSpaces, RuleFailure, ruleErrorText, type Selector } from './selector.js';
import { mergeSelectorArgs, User, type RuleContext } from './user.js';

/** Why a command was refused (ACL_DENIED_*), in Valkey's order of priority: database < command < key < channel. */
export type AclDenialReason = 'database' | 'command' | 'key' | 'channel';
const PRIORITY: Record<AclDenialReason, number> = { database: 1, command: 2, key: 3, channel: 5 };

/** A refusal: its reason and the argv index of the key, channel or database id at fault (0 for the command). */
export interface AclDenial {
  reason: AclDenialReason;
  argpos: number;
}

/** ACL LOG reasons (the denial reasons plus failed authentication). */
export type AclLogReason = AclDenialReason | 'auth';
/** ACL LOG contexts: where the refused command came from. */
export type AclLogContext = 'toplevel' | 'multi' | 'lua' | 'module' | 'script';

export interface AclLogEntry {
  count: number;
  reason: AclLogReason;
  context: AclLogContext;
  object: Bytes;
  username: Bytes;
  /** Last update, epoch ms. */
  ctime: number;
  cinfo: string;
  entryId: number;
  timestampCreated: number;
}

/** INFO stats acl_access_denied_*. */
export interface AclStats {
  auth: number;
  cmd: number;
  key: number;
  channel: number;
  db: number;
}

/** What the ACL needs from its engine. */
export interface AclHost {
  readonly table: CommandTable;
  /** acl-pubsub-default is allchannels (read when a user or selector is made). */
  pubsubDefaultAll(): boolean;
  /** acllog-max-len. */
  logMaxLen(): number;
  /** The number of databases. */
  databases(): number;
}

/** Commands whose arguments are channels (db.c commands_with_channels): first index, count (-1: to the end). */
const CHANNEL_ARGS: Readonly<Record<string, { start: number; count: number; pattern: boolean; checked: boolean }>> = {
  subscribe: { start: 1, count: -1, pattern: false, checked: true },
  ssubscribe: { start: 1, count: -1, pattern: false, checked: true },
  psubscribe: { start: 1, count: -1, pattern: true, checked: true },
  publish: { start: 1, count: 1, pattern: false, checked: true },
  spublish: { start: 1, count: 1, pattern: false, checked: true },
  // UNSUBSCRIBE and friends carry channels, but ACL never checks them.
};

const GROUPING_WINDOW_MS = 60_000;

export class Acl {
  /** Users by name; listings sort by name, as Valkey's radix tree does. */
  users = new Map<Bytes, User>();
  readonly defaultUser: User;
  /** Newest first. */
  readonly log: AclLogEntry[] = [];
  private logEntryCount = 0;
  readonly stats: AclStats = { auth: 0, cmd: 0, key: 0, channel: 0, db: 0 };

  constructor(private readonly host: AclHost) {
    this.defaultUser = this.makeDefaultUser();
    this.users.set('default', this.defaultUser);
  }

  private get rc(): RuleContext {
    return { table: this.host.table, pubsubDefaultAll: this.host.pubsubDefaultAll() };
  }

  /** ACLCreateDefaultUser. */
  private makeDefaultUser(): User {
    const u = new User('default', this.host.pubsubDefaultAll());
    for (const r of ['+@all', '~*', '&*', 'on', 'nopass', 'alldbs']) u.apply(this.rc, r);
    return u;
  }

  getUser(name: Bytes): User | undefined {
    return this.users.get(name);
  }

  /** Users in name order (byte order). */
  sortedUsers(): User[] {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The default user can be used without AUTH (authRequired's opposite). */
  get defaultNoAuth(): boolean {
    return this.defaultUser.nopass && !this.defaultUser.disabled;
  }

  /** ACLUpdateDefaultUserPassword (requirepass): "" makes the default user nopass. */
  setDefaultPassword(pass: Bytes): void {
    this.defaultUser.apply(this.rc, 'resetpass');
    this.defaultUser.apply(this.rc, pass === '' ? 'nopass' : '>' + pass);
  }

  /**
   * ACLStringSetUser: applies every rule to a copy of the user (or a new
   * one), and only when all of them are valid to the user itself. Returns the
   * error text, or the user before and after the change.
   */
  setUser(name: Bytes, rules: readonly Bytes[]): { error: string } | { before: User | undefined; after: User } {
    const merged = mergeSelectorArgs(rules);
    if (!Array.isArray(merged)) {
      return { error: `Unmatched parenthesis in acl selector starting at '${cstr(rules[merged.unmatched]!)}'.` };
    }
    const existing = this.users.get(name);
    const temp = existing ? existing.clone() : new User(name, this.host.pubsubDefaultAll());
    for (const r of merged) {
      try {
        temp.apply(this.rc, r);
      } catch (e) {
        if (!(e instanceof RuleFailure)) throw e;
        return { error: `Error in ACL SETUSER modifier '${cstr(r)}': ${ruleErrorText(e.code)}` };
      }
    }
    const before = existing?.clone();
    if (existing) {
      existing.copyFrom(temp);
      return { before, after: existing };
    }
    this.users.set(name, temp);
    return { before: undefined, after: temp };
  }

  /** Removes a user (never "default"); true when it existed. */
  deleteUser(name: Bytes): boolean {
    if (name === 'default') return false;
    return this.users.delete(name);
  }

  /** ACLCheckUserCredentials: the user, when it exists, is enabled and the password matches. */
  checkCredentials(name: Bytes, pass: Bytes): User | undefined {
    const u = this.users.get(name);
    return u && u.checkPassword(pass) ? u : undefined;
  }

  // ------------------------------------------------------------- checks ---

  /**
   * ACLCheckAllUserCommandPerm: may `user` run `cmd` with `argv` (argv[0] the
   * command name) in database `dbid`? null when some selector allows it;
   * otherwise the most relevant refusal over all selectors.
   */
  checkCommand(user: User, cmd: CommandEntry, argv: readonly Bytes[], dbid: number): AclDenial | null {
    // A selector that allows everything (the default user's) allows this too, whatever the arguments.
    if (user.selectors.some((s) => s.unrestricted)) return null;
    let best: AclDenial = { reason: 'database', argpos: 0 };
    let keys: { pos: number; flags: number }[] | undefined;
    const getKeys = () => (keys ??= getKeysFromCommand(cmd.spec, argv));
    for (const s of user.selectors) {
      const d = this.checkSelector(s, cmd, argv, dbid, getKeys);
      if (d === null) return null;
      const p = PRIORITY[d.reason];
      const bp = PRIORITY[best.reason];
      if (p > bp || (p === bp && d.argpos > best.argpos)) best = d;
    }
    return best;
  }

  /** ACLSelectorCheckCmd. */
  private checkSelector(
    s: Selector, cmd: CommandEntry, argv: readonly Bytes[], dbid: number, getKeys: () => { pos: number; flags: number }[],
  ): AclDenial | null {
    const databases = this.host.databases();
    const dbArgs = dbidArgs(cmd.fullname, argv, databases);
    if (dbArgs !== undefined) {
      for (const pos of dbArgs ?? []) {
        if (!s.canAccessDb(Number(argv[pos]!), databases)) return { reason: 'database', argpos: pos };
      }
      if (doesCommandHaveKeys(cmd.spec) && !s.canAccessDb(dbid, databases)) return { reason: 'database', argpos: 0 };
    } else if (cmd.flags.has('all_dbs') && !s.allDbs) {
      for (let i = 0; i < databases; i++) if (!s.canAccessDb(i, databases)) return { reason: 'database', argpos: 0 };
    } else if (restricted(cmd) && !s.canAccessDb(dbid, databases)) {
      return { reason: 'database', argpos: 0 };
    }

    if (!s.canRun(cmd, argv)) return { reason: 'command', argpos: 0 };

    if (!s.allKeys && doesCommandHaveKeys(cmd.spec)) {
      for (const k of getKeys()) {
        if (!s.checkKey(argv[k.pos]!, k.flags)) return { reason: 'key', argpos: k.pos };
      }
    }

    const ch = CHANNEL_ARGS[cmd.fullname];
    if (!s.allChannels && ch?.checked) {
      const stop = ch.count === -1 ? argv.length : Math.min(argv.length, ch.start + ch.count);
      for (let i = ch.start; i < stop; i++) {
        if (!s.checkChannel(argv[i]!, ch.pattern)) return { reason: 'channel', argpos: i };
      }
    }
    return null;
  }

  /**
   * ACLUserCheckCmdWithUnrestrictedKeyAccess: some selector allows the
   * command and grants this access (KeyFlag bits) to every key (SORT BY/GET).
   */
  checkCommandWithAllKeys(user: User, cmd: CommandEntry, argv: readonly Bytes[], dbid: number, keySpecFlags: number): boolean {
    let keys: { pos: number; flags: number }[] | undefined;
    const getKeys = () => (keys ??= getKeysFromCommand(cmd.spec, argv));
    return user.selectors.some((s) => this.checkSelector(s, cmd, argv, dbid, getKeys) === null && s.hasUnrestrictedKeyAccess(keySpecFlags));
  }

  /** ACLUserCheckChannelPerm: may `user` use this channel (or, with isPattern, subscribe to this pattern)? */
  checkChannel(user: User, channel: Bytes, isPattern: boolean): boolean {
    for (const s of user.selectors) {
      if (s.allChannels || s.checkChannel(channel, isPattern)) return true;
    }
    return false;
  }

  /** ACLUserCheckKeyPerm: may `user` touch `key` with these key spec flags (KeyFlag bits)? */
  checkKey(user: User, key: Bytes, keySpecFlags: number): boolean {
    return user.selectors.some((s) => s.checkKey(key, keySpecFlags));
  }

  /**
   * getUpcomingChannelList: null when `after` can reach every channel
   * `before` could; otherwise the channel patterns `after` allows.
   */
  upcomingChannels(after: User, before: User): Bytes[] | null {
    if (after.selectors.some((s) => s.allChannels)) return null;
    const upcoming = after.selectors.flatMap((s) => s.channels);
    for (const s of before.selectors) {
      if (s.allChannels) return upcoming;
      for (const c of s.channels) if (!upcoming.includes(c)) return upcoming;
    }
    return null;
  }

  /** ACLShouldKillPubsubClient's test for one subscriber's channels, patterns and shard channels. */
  static violates(upcoming: readonly Bytes[], subs: { channels: Iterable<Bytes>; patterns: Iterable<Bytes>; shardChannels: Iterable<Bytes> }): boolean {
    for (const p of subs.patterns) if (!channelInList(upcoming, p, true)) return true;
    for (const c of subs.channels) if (!channelInList(upcoming, c, false)) return true;
    for (const c of subs.shardChannels) if (!channelInList(upcoming, c, false)) return true;
    return false;
  }

  // ---------------------------------------------------------------- log ---

  /** addACLLogEntry: counts the refusal, then groups it with a similar recent entry or adds one. */
  addLogEntry(e: { reason: AclLogReason; context: AclLogContext; object: Bytes; username: Bytes; cinfo: string; now: number }): void {
    if (e.reason === 'auth') this.stats.auth++;
    else if (e.reason === 'command') this.stats.cmd++;
    else if (e.reason === 'key') this.stats.key++;
    else if (e.reason === 'channel') this.stats.channel++;
    else this.stats.db++;
    const max = this.host.logMaxLen();
    if (max === 0) {
      this.log.length = 0;
      return;
    }
    const scan = Math.min(10, this.log.length);
    for (let i = 0; i < scan; i++) {
      const cur = this.log[i]!;
      if (cur.reason === e.reason && cur.context === e.context && Math.abs(cur.ctime - e.now) <= GROUPING_WINDOW_MS &&
          cur.object === e.object && cur.username === e.username) {
        this.log.splice(i, 1);
        this.log.unshift(cur);
        cur.cinfo = e.cinfo;
        cur.ctime = e.now;
        cur.count++;
        return;
      }
    }
    this.log.unshift({
      count: 1, reason: e.reason, context: e.context, object: e.object, username: e.username,
      ctime: e.now, cinfo: e.cinfo, entryId: this.logEntryCount++, timestampCreated: e.now,
    });
    if (this.log.length > max) this.log.length = max;
  }

  resetLog(): void {
    this.log.length = 0;
  }

  // ----------------------------------------------------------- ACL file ---

  /** ACLSaveToFile's content: one "user <name> <rules>" line per user. */
  serialize(): string {
    return this.sortedUsers().map((u) => `user ${u.name} ${u.describe()}\n`).join('');
  }

  /**
   * ACLLoadFromFile's parsing: the users of an ACL file, or the one-line
   * description of every problem (nothing is applied then). `filename` names
   * the file in messages.
   */
  parseFile(content: string, filename: string): { users: Map<Bytes, User> } | { error: string } {
    const users = new Map<Bytes, User>();
    let errors = '';
    const lines = content.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const linenum = i + 1;
      const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      if (line === '') continue;
      const argv = line.split(' ');
      if (argv[0] !== 'user' || argv.length < 2) {
        errors += `${filename}:${linenum} should start with user keyword followed by the username. `;
        continue;
      }
      const name = argv[1]!;
      if (hasSpaces(name)) {
        errors += `'${filename}:${linenum}: username '${cstr(name)}' contains invalid characters. `;
        continue;
      }
      if (users.has(name)) {
        errors += `WARNING: Duplicate user '${cstr(name)}' found on line ${linenum}. `;
        continue;
      }
      const u = new User(name, this.host.pubsubDefaultAll());
      users.set(name, u);
      const merged = mergeSelectorArgs(argv.slice(2));
      let ops: string[] = [];
      if (!Array.isArray(merged)) errors += `${filename}:${linenum}: Unmatched parenthesis in selector definition.`;
      else ops = merged;
      let syntaxError = false;
      for (const raw of ops) {
        const op = raw.replace(/^[\t\r\n]+|[\t\r\n]+$/g, '');
        try {
          u.apply(this.rc, op);
        } catch (e) {
          if (!(e instanceof RuleFailure)) throw e;
          if (e.code === 'ENOENT') {
            errors += `${filename}:${linenum}: Error in applying operation '${cstr(op)}': ${ruleErrorText(e.code)}. `;
          } else if (!syntaxError) {
            errors += `${filename}:${linenum}: ${ruleErrorText(e.code)}. `;
            syntaxError = true;
          }
        }
      }
    }
    if (errors !== '') return { error: errors + 'WARNING: ACL errors detected, no change to the previously active ACL rules was performed' };
    return { users };
  }

  /**
   * The success half of ACLLoadFromFile: the loaded users replace the old
   * ones; the default user keeps its identity and takes the loaded rules
   * (or the built-in ones when the file has none).
   */
  replaceUsers(users: Map<Bytes, User>): void {
    const loadedDefault = users.get('default') ?? this.makeDefaultUser();
    this.defaultUser.copyFrom(loadedDefault);
    users.set('default', this.defaultUser);
    this.users = users;
  }
}

/** shouldRestrictCmd: commands that touch the keyspace need access to the current database. */
function restricted(cmd: CommandEntry): boolean {
  const cats = cmd.spec.aclCategories;
  return cats.includes('keyspace') || cats.includes('read') || cats.includes('write') || doesCommandHaveKeys(cmd.spec);
}

/** A database id argument as getLongLongFromObject reads it, in range. */
function dbidAt(argv: readonly Bytes[], i: number, databases: number): boolean {
  const a = argv[i];
  if (a === undefined || !/^-?\d+$/.test(a) || (a.length > 1 && /^-?0/.test(a))) return false;
  const v = Number(a);
  return v >= 0 && v < databases;
}

/**
 * The get_dbid_args of SELECT, SWAPDB, MOVE and COPY: argv indexes of valid
 * database ids (null when the arguments do not parse), or undefined for
 * commands without database arguments.
 */
function dbidArgs(name: string, argv: readonly Bytes[], databases: number): number[] | null | undefined {
  switch (name) {
    case 'select':
      return dbidAt(argv, 1, databases) ? [1] : null;
    case 'swapdb':
      return dbidAt(argv, 1, databases) && dbidAt(argv, 2, databases) ? [1, 2] : null;
    case 'move':
      return dbidAt(argv, 2, databases) ? [2] : null;
    case 'copy': {
      if (argv.length < 5) return null;
      const pos: number[] = [];
      for (let j = 3; j < argv.length; j++) {
        const a = argv[j]!.toLowerCase();
        if (a === 'replace') continue;
        if (a === 'db' && j + 1 < argv.length) {
          if (!dbidAt(argv, j + 1, databases)) return null;
          pos.push(j + 1);
          j++;
        } else {
          return null;
        }
      }
      return pos.length ? pos : null;
    }
    default:
      return undefined;
  }
}

function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}
