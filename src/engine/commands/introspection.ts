/**
 * COMMAND and its subcommands (Valkey group "server"), answered from the
 * generated metadata the way server.c builds them: COMMAND INFO's 10-element
 * entries (flags with the derived movablekeys, the legacy key range, ACL
 * categories, tips, key specs, subcommands), COMMAND DOCS' maps, COMMAND LIST
 * with its filters, and COMMAND GETKEYS[ANDFLAGS] through the key specs and
 * the native getkeys functions (src/meta/index.ts).
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import {
  commandAclCategories, commandGroupName, cstrCaseEq, commandInfoFlags, doesCommandHaveKeys, getKeysFromCommand, keyFlagNames,
  keySpecMask, legacyRange, type ArgSpec, type KeySpec,
} from '../../meta/index.js';
import type { CommandEntry, CommandGroup } from '../command.js';
import { Err } from '../errors.js';
import { helpReply } from '../help.js';
import { globMatch } from '../keyspace/glob.js';
import { lookupCommand, lookupCommandByName, type CommandTable } from '../registry.js';

const bulk = R.bulk;
const status = R.simple;

// --- COMMAND INFO ---

const infoCache = new WeakMap<CommandEntry, Reply>();

/** addReplyCommandInfo: the 10-element description of one command. */
export function commandInfoReply(cmd: CommandEntry): Reply {
  let r = infoCache.get(cmd);
  if (r) return r;
  const spec = cmd.spec;
  const range = legacyRange(spec);
  r = R.array([
    bulk(cmd.fullname),
    R.int(spec.arity),
    R.set(commandInfoFlags(spec).map(status)),
    R.int(range.firstkey),
    R.int(range.lastkey),
    R.int(range.step),
    R.set(commandAclCategories(spec).map((c) => status('@' + c))),
    R.set(spec.tips.map(bulk)),
    R.set(spec.keySpecs.map(keySpecReply)),
    R.array(cmd.subcommands ? [...cmd.subcommands.values()].map(commandInfoReply) : []),
  ]);
  infoCache.set(cmd, r);
  return r;
}

function keySpecReply(ks: KeySpec): Reply {
  const entries: [Reply, Reply][] = [];
  if (ks.notes) entries.push([bulk('notes'), bulk(ks.notes)]);
  entries.push([bulk('flags'), R.set(keyFlagNames(keySpecMask(ks)).map(status))]);
  const bs = ks.beginSearch;
  let bsSpec: [Reply, Reply][];
  if (bs.type === 'index') bsSpec = [[bulk('index'), R.int(bs.pos)]];
  else if (bs.type === 'keyword') bsSpec = [[bulk('keyword'), bulk(bs.keyword)], [bulk('startfrom'), R.int(bs.startfrom)]];
  else bsSpec = [];
  entries.push([bulk('begin_search'), R.map([[bulk('type'), bulk(bs.type)], [bulk('spec'), R.map(bsSpec)]])]);
  const fk = ks.findKeys;
  let fkSpec: [Reply, Reply][];
  if (fk.type === 'range') {
    fkSpec = [[bulk('lastkey'), R.int(fk.lastkey)], [bulk('keystep'), R.int(fk.step)], [bulk('limit'), R.int(fk.limit)]];
  } else if (fk.type === 'keynum') {
    fkSpec = [[bulk('keynumidx'), R.int(fk.keynumidx)], [bulk('firstkey'), R.int(fk.firstkey)], [bulk('keystep'), R.int(fk.step)]];
  } else {
    fkSpec = [];
  }
  entries.push([bulk('find_keys'), R.map([[bulk('type'), bulk(fk.type)], [bulk('spec'), R.map(fkSpec)]])]);
  return R.map(entries);
}

const allInfoCache = new WeakMap<CommandTable, Reply>();

function allCommandsInfo(table: CommandTable): Reply {
  let r = allInfoCache.get(table);
  if (!r) {
    r = R.array([...table.values()].map(commandInfoReply));
    allInfoCache.set(table, r);
  }
  return r;
}

// --- COMMAND DOCS ---

const docsCache = new WeakMap<CommandEntry, Reply>();

/** addReplyCommandDocs: the documentation map of one command. */
export function commandDocsReply(cmd: CommandEntry): Reply {
  let r = docsCache.get(cmd);
  if (r) return r;
  const spec = cmd.spec;
  const m: [Reply, Reply][] = [];
  if (spec.summary) m.push([bulk('summary'), bulk(spec.summary)]);
  if (spec.since) m.push([bulk('since'), bulk(spec.since)]);
  m.push([bulk('group'), bulk(commandGroupName(spec))]);
  if (spec.complexity) m.push([bulk('complexity'), bulk(spec.complexity)]);
  const docFlags = ['deprecated', 'syscmd'].filter((f) => spec.docFlags?.includes(f));
  if (docFlags.length) m.push([bulk('doc_flags'), R.set(docFlags.map(status))]);
  if (spec.deprecatedSince) m.push([bulk('deprecated_since'), bulk(spec.deprecatedSince)]);
  if (spec.replacedBy) m.push([bulk('replaced_by'), bulk(spec.replacedBy)]);
  if (spec.history?.length) {
    m.push([bulk('history'), R.set(spec.history.map(([since, what]) => R.array([bulk(since), bulk(what)])))]);
  }
  if (spec.arguments?.length) m.push([bulk('arguments'), argListReply(spec.arguments)]);
  if (cmd.subcommands) {
    m.push([bulk('subcommands'), R.map([...cmd.subcommands.values()].map((s) => [bulk(s.fullname), commandDocsReply(s)] as const))]);
  }
  r = R.map(m);
  docsCache.set(cmd, r);
  return r;
}

/** addReplyCommandArgList, with the generator's rewrites (names and display text lower-cased, tokens upper-cased). */
function argListReply(args: readonly ArgSpec[]): Reply {
  return R.array(args.map((a) => {
    const container = a.type === 'oneof' || a.type === 'block';
    const name = a.name.toLowerCase();
    const m: [Reply, Reply][] = [[bulk('name'), bulk(name)], [bulk('type'), bulk(a.type)]];
    if (!container) m.push([bulk('display_text'), bulk(a.display !== undefined ? a.display.toLowerCase() : name)]);
    if (a.keySpecIndex !== undefined && a.keySpecIndex !== -1) m.push([bulk('key_spec_index'), R.int(a.keySpecIndex)]);
    // The token reaches the server through a C string literal: MIGRATE's '""' becomes "" "", the empty string.
    if (a.token) m.push([bulk('token'), bulk(a.token.toUpperCase().replace(/"/g, ''))]);
    if (a.summary) m.push([bulk('summary'), bulk(a.summary)]);
    if (a.since) m.push([bulk('since'), bulk(a.since)]);
    if (a.deprecatedSince) m.push([bulk('deprecated_since'), bulk(a.deprecatedSince)]);
    const flags = ['optional', 'multiple', 'multiple_token'].filter((f) => a.flags?.includes(f));
    if (flags.length) m.push([bulk('flags'), R.set(flags.map(status))]);
    if (container) m.push([bulk('arguments'), argListReply(a.arguments ?? [])]);
    return R.map(m);
  }));
}

const allDocsCache = new WeakMap<CommandTable, Reply>();

function allCommandsDocs(table: CommandTable): Reply {
  let r = allDocsCache.get(table);
  if (!r) {
    r = R.map([...table.values()].map((c) => [bulk(c.fullname), commandDocsReply(c)] as const));
    allDocsCache.set(table, r);
  }
  return r;
}

// --- COMMAND LIST ---

type ListFilter = { type: 'module' | 'aclcat' | 'pattern'; arg: Bytes };

function listed(cmd: CommandEntry, f: ListFilter | undefined): boolean {
  if (!f) return true;
  switch (f.type) {
    case 'module':
      return false; // no modules are loaded
    case 'aclcat':
      return cmd.spec.aclCategories.some((c) => cstrCaseEq(f.arg, c));
    case 'pattern':
      return globMatch(f.arg, cmd.fullname, true);
  }
}

function commandList(table: CommandTable, f: ListFilter | undefined): Reply {
  const out: Reply[] = [];
  const walk = (cmds: Iterable<CommandEntry>) => {
    for (const c of cmds) {
      if (listed(c, f)) out.push(bulk(c.fullname));
      if (c.subcommands) walk(c.subcommands.values());
    }
  };
  walk(table.values());
  return R.array(out);
}

// --- COMMAND GETKEYS ---

function getKeys(table: CommandTable, argv: readonly Bytes[], withFlags: boolean): Reply {
  const args = argv.slice(2);
  const cmd = lookupCommand(table, args);
  if (!cmd) throw Err.generic('Invalid command specified');
  if (!doesCommandHaveKeys(cmd.spec)) throw Err.generic('The command has no key arguments');
  const arity = cmd.spec.arity;
  if ((arity > 0 && arity !== args.length) || args.length < -arity) {
    throw Err.generic('Invalid number of arguments specified for command');
  }
  const keys = getKeysFromCommand(cmd.spec, args);
  if (keys.length === 0) {
    if (cmd.flags.has('no_mandatory_keys')) return R.emptyArray;
    throw Err.generic('Invalid arguments specified for command');
  }
  return R.array(keys.map((k) => {
    const key = bulk(args[k.pos]!);
    return withFlags ? R.array([key, R.set(keyFlagNames(k.flags).map(status))]) : key;
  }));
}

const HELP = [
  '(no subcommand)',
  '    Return details about all commands.',
  'COUNT',
  '    Return the total number of commands in this server.',
  'LIST',
  '    Return a list of all commands in this server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full command.',
];

export const introspectionCommands: CommandGroup = {
  command: (ctx) => allCommandsInfo(ctx.engine.commands),

  'command|count': (ctx) => R.int(ctx.engine.commands.size),

  'command|list'(ctx, argv) {
    let filter: ListFilter | undefined;
    for (let i = 2; i < argv.length; i++) {
      const more = argv.length - 1 - i;
      if (cstrCaseEq(argv[i]!, 'filterby') && more === 2) {
        const t = (['module', 'aclcat', 'pattern'] as const).find((x) => cstrCaseEq(argv[i + 1]!, x));
        if (!t) throw Err.syntax();
        filter = { type: t, arg: argv[i + 2]! };
        i += 2;
      } else {
        throw Err.syntax();
      }
    }
    return commandList(ctx.engine.commands, filter);
  },

  'command|info'(ctx, argv) {
    if (argv.length === 2) return allCommandsInfo(ctx.engine.commands);
    const out: Reply[] = [];
    for (let i = 2; i < argv.length; i++) {
      const cmd = lookupCommandByName(ctx.engine.commands, argv[i]!);
      out.push(cmd ? commandInfoReply(cmd) : R.null);
    }
    return R.array(out);
  },

  'command|docs'(ctx, argv) {
    if (argv.length === 2) return allCommandsDocs(ctx.engine.commands);
    const out: (readonly [Reply, Reply])[] = [];
    for (let i = 2; i < argv.length; i++) {
      const cmd = lookupCommandByName(ctx.engine.commands, argv[i]!);
      if (cmd) out.push([bulk(cmd.fullname), commandDocsReply(cmd)]);
    }
    return R.map(out);
  },

  'command|getkeys': (ctx, argv) => getKeys(ctx.engine.commands, argv, false),
  'command|getkeysandflags': (ctx, argv) => getKeys(ctx.engine.commands, argv, true),
  'command|help': (_ctx, argv) => helpReply(argv[0]!, HELP),
};
