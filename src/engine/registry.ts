import { COMMAND_SPECS, type CommandSpec } from '../meta/index.js';
import type { CommandEntry, CommandGroup, Handler } from './command.js';

export type CommandTable = ReadonlyMap<string, CommandEntry>;

/**
 * Builds the command table from the generated metadata and the handler
 * groups. A handler whose name is not in the metadata is a programming error
 * and throws here, so the table cannot drift from Valkey's.
 */
export function buildCommandTable(groups: readonly CommandGroup[], specs: readonly CommandSpec[] = COMMAND_SPECS): CommandTable {
  const handlers = new Map<string, Handler>();
  for (const g of groups) {
    for (const [name, h] of Object.entries(g)) {
      if (handlers.has(name)) throw new Error(`command ${name} is implemented twice`);
      handlers.set(name, h);
    }
  }
  const table = new Map<string, CommandEntry>();
  const used = new Set<string>();
  const make = (spec: CommandSpec, parent?: CommandEntry): CommandEntry => {
    const fullname = parent ? `${parent.fullname}|${spec.name}` : spec.name;
    const run = handlers.get(fullname);
    if (run) used.add(fullname);
    const entry: CommandEntry = {
      spec,
      fullname,
      flags: new Set(spec.flags),
      stats: { calls: 0, usec: 0, rejected: 0, failed: 0 },
      ...(parent ? { parent } : {}),
      ...(run ? { run } : {}),
    };
    if (spec.subcommands) {
      const subs = new Map<string, CommandEntry>();
      (entry as { subcommands?: Map<string, CommandEntry> }).subcommands = subs;
      for (const s of spec.subcommands) subs.set(s.name, make(s, entry));
    }
    return entry;
  };
  for (const spec of specs) table.set(spec.name, make(spec));
  for (const name of handlers.keys()) {
    if (!used.has(name)) throw new Error(`handler ${name} matches no command in the Valkey metadata`);
  }
  return table;
}

/** Valkey's lookupCommand: a container with an argument resolves to its subcommand. */
export function lookupCommand(table: CommandTable, argv: readonly string[]): CommandEntry | undefined {
  const base = table.get(argv[0]!.toLowerCase());
  if (!base) return undefined;
  if (!base.subcommands || argv.length < 2) return base;
  return base.subcommands.get(argv[1]!.toLowerCase());
}

/**
 * lookupCommandBySds: a command by its full name as COMMAND INFO/DOCS take it
 * ("get", "client|list"; case-insensitive). Strict: "get|x" and "client" with
 * more than one '|' are not found.
 */
export function lookupCommandByName(table: CommandTable, name: string): CommandEntry | undefined {
  if (name.length === 0) return undefined;
  const parts = name.split('|');
  if (parts.length > 2) return undefined;
  const base = table.get(parts[0]!.toLowerCase());
  if (parts.length === 1) return base;
  if (!base?.subcommands) return undefined;
  return base.subcommands.get(parts[1]!.toLowerCase());
}

export interface CommandCoverage {
  /** Full names ("get", "client|list") with a handler. */
  implemented: string[];
  /** Full names of real commands that answer "not implemented". */
  missing: string[];
}

/**
 * Which metadata commands have handlers, for the README's command table and
 * coverage checks. A container (CLIENT, CONFIG...) counts through its
 * subcommands; a container that also runs bare (COMMAND) is listed itself too.
 */
export function commandCoverage(table: CommandTable): CommandCoverage {
  const implemented: string[] = [];
  const missing: string[] = [];
  const visit = (c: CommandEntry) => {
    if (c.subcommands) {
      if (c.run) implemented.push(c.fullname);
      for (const s of c.subcommands.values()) visit(s);
      return;
    }
    (c.run ? implemented : missing).push(c.fullname);
  };
  for (const c of table.values()) visit(c);
  return { implemented, missing };
}
