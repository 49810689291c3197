/**
 * An ACL selector (acl.c's aclSelector): which commands, keys, channels and
 * databases a set of rules allows. Every user has a root selector, plus the
 * selectors added with `(...)`; a command is allowed when one selector allows it.
 *
 * Commands are tracked by full name ("get", "client|list") in `allowed`, as
 * Valkey's per-command bits; `future` is Valkey's reserved bit set only by
 * +@all / allcommands (ACL LIST then starts with +@all). `rules` keeps the
 * ordered command rules as typed, for descriptions.
 */
import type { Bytes } from '../../protocol/index.js';
import { ACL_CATEGORIES, KeyFlag } from '../../meta/index.js';
import type { CommandEntry } from '../command.js';
import { globMatch } from '../keyspace/glob.js';
import { lookupCommandByName, type CommandTable } from '../registry.js';

/** Key pattern permissions (ACL_READ_PERMISSION, ACL_WRITE_PERMISSION). */
export const PERM_READ = 1;
export const PERM_WRITE = 2;
export const PERM_ALL = 3;

export interface KeyPattern {
  pattern: Bytes;
  flags: number;
}

/** Why an ACL rule was refused: the errno ACLSetUser sets, named. */
export type RuleError = 'ENOENT' | 'EINVAL' | 'EEXIST' | 'EISDIR' | 'ENODEV' | 'EBADMSG' | 'ECHILD' | 'ERANGE';

export class RuleFailure {
  constructor(readonly code: RuleError) {}
}

/** ACLSetUserStringError. */
export function ruleErrorText(code: RuleError): string {
  switch (code) {
    case 'ENOENT': return 'Unknown command or category name in ACL';
    case 'EINVAL': return 'Syntax error';
    case 'EEXIST':
      return "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
    case 'EISDIR':
      return "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
    case 'ENODEV': return 'The password you are trying to remove from the user does not exist';
    case 'EBADMSG': return 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters';
    case 'ECHILD': return 'Allowing first-arg of a subcommand is not supported';
    case 'ERANGE': return 'The provided database ID is out of range';
  }
}

/** ACLStringHasSpaces: isspace() or a NUL byte. */
export function hasSpaces(s: string): boolean {
  return /[ \t\n\v\f\r\0]/.test(s);
}

const eqi = (a: string, b: string) => a.length === b.length && a.toLowerCase() === b.toLowerCase();

/** Every command and subcommand of the table, containers before their subcommands. */
function* allEntries(table: CommandTable): Generator<CommandEntry> {
  for (const c of table.values()) {
    yield c;
    if (c.subcommands) yield* c.subcommands.values();
  }
}

/** ACLGetCommandCategoryFlagByName: the category's canonical name, if known (case-insensitive). */
export function categoryByName(name: string): string | undefined {
  const l = name.toLowerCase();
  return (ACL_CATEGORIES as readonly string[]).includes(l) && l.length === name.length ? l : undefined;
}

export class Selector {
  allKeys = false;
  allChannels: boolean;
  allDbs = true;
  allCommands = false;
  /** The reserved "future commands" bit. */
  future = false;
  readonly allowed = new Set<string>();
  /** allowed_firstargs: full name -> first arguments allowed of an otherwise denied command. */
  firstArgs = new Map<string, string[]>();
  patterns: KeyPattern[] = [];
  channels: Bytes[] = [];
  /** Allowed database ids, ascending (used when !allDbs). */
  dbs: number[] = [];
  rules = '';

  constructor(readonly root: boolean, pubsubDefaultAll: boolean) {
    this.allChannels = pubsubDefaultAll;
  }

  copy(): Selector {
    const s = new Selector(this.root, this.allChannels);
    s.allKeys = this.allKeys;
    s.allDbs = this.allDbs;
    s.allCommands = this.allCommands;
    s.future = this.future;
    for (const a of this.allowed) s.allowed.add(a);
    for (const [k, v] of this.firstArgs) s.firstArgs.set(k, [...v]);
    s.patterns = this.patterns.map((p) => ({ ...p }));
    s.channels = [...this.channels];
    s.dbs = [...this.dbs];
    s.rules = this.rules;
    return s;
  }

  // --------------------------------------------------------------- rules ---

  private setBit(name: string, value: boolean): void {
    if (value) {
      this.allowed.add(name);
    } else {
      this.allowed.delete(name);
      this.allCommands = false;
    }
  }

  /** ACLChangeSelectorPerm: a command and (for a container) all its subcommands. */
  private changePerm(cmd: CommandEntry, allow: boolean): void {
    this.setBit(cmd.fullname, allow);
    this.firstArgs.delete(cmd.fullname);
    if (cmd.subcommands) for (const s of cmd.subcommands.values()) this.setBit(s.fullname, allow);
  }

  /** ACLUpdateCommandRules: drop earlier rules for the same command (or its subcommands), append this one. */
  private updateRules(rule: string, allow: boolean): void {
    const r = rule.toLowerCase();
    const kept = this.rules === '' ? [] : this.rules.split(' ').filter((t) => {
      const body = t.slice(1);
      return !(body === r || body.startsWith(r + '|'));
    });
    kept.push((allow ? '+' : '-') + r);
    this.rules = kept.join(' ');
  }

  private setCategory(table: CommandTable, category: string, allow: boolean): void {
    const cat = categoryByName(category.slice(1));
    if (!cat) throw new RuleFailure('ENOENT');
    this.updateRules(category, allow);
    // ACLSetSelectorCommandBitsForCategory: a container in the category takes all its subcommands with it.
    for (const c of table.values()) {
      if (c.spec.aclCategories.includes(cat)) this.changePerm(c, allow);
      if (c.subcommands) for (const s of c.subcommands.values()) if (s.spec.aclCategories.includes(cat)) this.changePerm(s, allow);
    }
  }

  private all(table: CommandTable, allow: boolean): void {
    this.allowed.clear();
    if (allow) for (const c of allEntries(table)) this.allowed.add(c.fullname);
    this.allCommands = allow;
    this.future = allow;
    this.rules = '';
    this.firstArgs.clear();
  }

  /** ACLSetSelector: applies one rule; throws RuleFailure. */
  apply(table: CommandTable, op: string): void {
    const lop = op.toLowerCase();
    if (lop === 'allkeys' || op === '~*') {
      this.allKeys = true;
      this.patterns = [];
    } else if (lop === 'resetkeys') {
      this.allKeys = false;
      this.patterns = [];
    } else if (lop === 'allchannels' || op === '&*') {
      this.allChannels = true;
      this.channels = [];
    } else if (lop === 'resetchannels') {
      this.allChannels = false;
      this.channels = [];
    } else if (lop === 'alldbs') {
      this.allDbs = true;
      this.dbs = [];
    } else if (lop === 'resetdbs') {
      this.allDbs = false;
      this.dbs = [];
    } else if (lop.startsWith('db=')) {
      this.setDbs(op.slice(3));
    } else if (lop === 'allcommands' || lop === '+@all') {
      this.all(table, true);
    } else if (lop === 'nocommands' || lop === '-@all') {
      this.all(table, false);
    } else if (op[0] === '~' || op[0] === '%') {
      this.addKeyPattern(op);
    } else if (op[0] === '&') {
      if (this.allChannels) throw new RuleFailure('EISDIR');
      const pat = op.slice(1);
      if (hasSpaces(pat)) throw new RuleFailure('EINVAL');
      if (!this.channels.includes(pat)) this.channels.push(pat);
      this.allChannels = false;
    } else if (op[0] === '+' && op[1] !== '@') {
      this.allowCommand(table, op.slice(1));
    } else if (op[0] === '-' && op[1] !== '@') {
      const cmd = lookupCommandByName(table, cstr(op.slice(1)));
      if (!cmd) throw new RuleFailure('ENOENT');
      this.changePerm(cmd, false);
      this.updateRules(cmd.fullname, false);
    } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
      this.setCategory(table, op.slice(1), op[0] === '+');
    } else {
      throw new RuleFailure('EINVAL');
    }
  }

  private allowCommand(table: CommandTable, name: string): void {
    name = cstr(name);
    const bar = name.lastIndexOf('|');
    if (bar < 0) {
      const cmd = lookupCommandByName(table, name);
      if (!cmd) throw new RuleFailure('ENOENT');
      this.changePerm(cmd, true);
      this.updateRules(cmd.fullname, true);
      return;
    }
    const base = name.slice(0, bar);
    const sub = name.slice(bar + 1);
    const cmd = lookupCommandByName(table, base);
    if (!cmd) throw new RuleFailure('ENOENT');
    if (cmd.parent) throw new RuleFailure('ECHILD');
    if (sub.length === 0) throw new RuleFailure('EINVAL');
    if (cmd.subcommands) {
      const subcmd = lookupCommandByName(table, name);
      if (!subcmd) throw new RuleFailure('ENOENT');
      this.changePerm(subcmd, true);
    } else {
      // A first argument of an otherwise denied command (SELECT|0): deprecated, still honoured.
      const list = this.firstArgs.get(cmd.fullname) ?? [];
      if (!list.some((a) => eqi(a, sub))) list.push(sub);
      this.firstArgs.set(cmd.fullname, list);
    }
    this.updateRules(name, true);
  }

  private addKeyPattern(op: string): void {
    if (this.allKeys) throw new RuleFailure('EEXIST');
    let flags = 0;
    let offset = 1;
    if (op[0] === '%') {
      let ok = true;
      for (; offset < op.length; offset++) {
        const c = op[offset]!.toUpperCase();
        if (c === 'R' && !(flags & PERM_READ)) {
          flags |= PERM_READ;
        } else if (c === 'W' && !(flags & PERM_WRITE)) {
          flags |= PERM_WRITE;
        } else if (op[offset] === '~') {
          offset++;
          break;
        } else {
          ok = false;
          break;
        }
      }
      if (!flags || !ok) throw new RuleFailure('EINVAL');
    } else {
      flags = PERM_ALL;
    }
    const pattern = op.slice(offset);
    if (hasSpaces(pattern)) throw new RuleFailure('EINVAL');
    const existing = this.patterns.find((p) => p.pattern === pattern);
    if (existing) existing.flags |= flags;
    else this.patterns.push({ pattern, flags });
    this.allKeys = false;
  }

  /** ACLSetSelectorDatabasePermissions: "db=1,2" replaces the set of databases. */
  private setDbs(list: string): void {
    this.allDbs = false;
    list = cstr(list);
    if (list.length === 0 || list.startsWith(',') || list.endsWith(',')) throw new RuleFailure('EINVAL');
    const ids = new Set<number>();
    for (const tok of list.split(',')) {
      if (tok.length === 0) throw new RuleFailure('EINVAL');
      // strtoll: leading blanks and a sign, then digits to the end.
      const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(tok);
      if (!m) throw new RuleFailure('EINVAL');
      const v = BigInt(m[1] === '-' ? '-' + m[2]! : m[2]!);
      if (v < 0n || v > 2147483647n) throw new RuleFailure('ERANGE');
      ids.add(Number(v));
    }
    this.dbs = [...ids].sort((a, b) => a - b);
  }

  // ------------------------------------------------------------ describe ---

  /** ACLDescribeSelectorCommandRules. */
  describeCommands(): string {
    const head = this.future ? '+@all' : '-@all';
    return this.rules === '' ? head : `${head} ${this.rules}`;
  }

  /** ACLDescribeSelector: keys, channels, databases, then command rules. */
  describe(): string {
    let res = '';
    if (this.allKeys) res += '~* ';
    else for (const p of this.patterns) res += patternString(p) + ' ';
    if (this.allChannels) {
      res += '&* ';
    } else {
      res += 'resetchannels ';
      for (const c of this.channels) res += `&${c} `;
    }
    if (!this.allDbs) res += this.dbs.length === 0 ? 'resetdbs ' : `db=${this.dbs.join(',')} `;
    return res + this.describeCommands();
  }

  // -------------------------------------------------------------- checks ---

  /** Every command, key, channel and database (+@all ~* &* and all databases). */
  get unrestricted(): boolean {
    return this.allCommands && this.allKeys && this.allChannels && this.allDbs;
  }

  /** ACLSelectorCanAccessDb. */
  canAccessDb(dbid: number, databases: number): boolean {
    if (this.allDbs) return true;
    if (dbid < 0 || dbid >= databases) return false;
    return this.dbs.includes(dbid);
  }

  /** The command bit, or an allowed first argument. */
  canRun(cmd: CommandEntry, argv: readonly Bytes[]): boolean {
    if (this.allCommands || cmd.flags.has('no_auth')) return true;
    if (this.allowed.has(cmd.fullname)) return true;
    const firsts = this.firstArgs.get(cmd.fullname);
    if (argv.length < 2 || !firsts) return false;
    const arg = argv[cmd.parent ? 2 : 1];
    return arg !== undefined && firsts.some((f) => eqi(f, cstr(arg)));
  }

  /** ACLSelectorCheckKey: a key with the key spec flags of its position. */
  checkKey(key: Bytes, keySpecFlags: number): boolean {
    if (this.allKeys) return true;
    const want = keyPerm(keySpecFlags);
    for (const p of this.patterns) {
      if ((p.flags & want) !== want) continue;
      if (globMatch(p.pattern, key)) return true;
    }
    return false;
  }

  /** ACLSelectorHasUnrestrictedKeyAccess. */
  hasUnrestrictedKeyAccess(keySpecFlags: number): boolean {
    if (this.allKeys) return true;
    const want = keyPerm(keySpecFlags);
    return this.patterns.some((p) => (p.flags & want) === want && p.pattern === '*');
  }

  /** ACLCheckChannelAgainstList with this selector's list (allchannels already handled by the caller). */
  checkChannel(channel: Bytes, isPattern: boolean): boolean {
    return channelInList(this.channels, channel, isPattern);
  }
}

/** ACLCheckChannelAgainstList: a pattern (PSUBSCRIBE) must appear literally; a channel is glob-matched. */
export function channelInList(list: readonly Bytes[], channel: Bytes, isPattern: boolean): boolean {
  for (const p of list) {
    if (isPattern ? cstr(p) === cstr(channel) : globMatch(p, channel)) return true;
  }
  return false;
}

/** The read/write permission a key spec needs (ACCESS reads; INSERT, DELETE, UPDATE write). */
export function keyPerm(keySpecFlags: number): number {
  let f = 0;
  if (keySpecFlags & KeyFlag.ACCESS) f |= PERM_READ;
  if (keySpecFlags & (KeyFlag.INSERT | KeyFlag.DELETE | KeyFlag.UPDATE)) f |= PERM_WRITE;
  return f;
}

/** sdsCatPatternString. */
export function patternString(p: KeyPattern): string {
  const prefix = p.flags === PERM_ALL ? '~' : p.flags === PERM_READ ? '%R~' : '%W~';
  return prefix + p.pattern;
}

/** A C string ends at its first NUL. */
function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}
