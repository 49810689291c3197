import { COMMAND_SPECS, METADATA_VERSION } from './commands.generated.js';
import type { CommandSpec, KeySpec } from './types.js';

export type { ArgSpec, CommandSpec, KeySpec } from './types.js';
export { COMMAND_SPECS, METADATA_VERSION };

/** Index of the generated table by lower-case name. Built per call site that needs it; cheap. */
export function indexSpecs(specs: readonly CommandSpec[] = COMMAND_SPECS): Map<string, CommandSpec> {
  const m = new Map<string, CommandSpec>();
  for (const s of specs) m.set(s.name, s);
  return m;
}

/** "client|setname" for a subcommand, "get" for a command. */
export function fullName(spec: CommandSpec, parent?: CommandSpec): string {
  return parent ? `${parent.name}|${spec.name}` : spec.name;
}

/** Does argv (whole, command name first) have the arity the spec demands? */
export function arityOk(arity: number, argc: number): boolean {
  return arity >= 0 ? argc === arity : argc >= -arity;
}

/**
 * Key positions (indexes into argv) by the spec's key specs, as Valkey's
 * getKeysUsingKeySpecs does. Returns null when the arguments do not allow
 * keys to be found (Valkey answers "Invalid arguments specified for command").
 */
export function keyPositions(specs: readonly KeySpec[], argv: readonly string[]): number[] | null {
  const argc = argv.length;
  const out: number[] = [];
  for (const ks of specs) {
    let first: number;
    const bs = ks.beginSearch;
    if (bs.type === 'index') {
      first = bs.pos;
    } else if (bs.type === 'keyword') {
      const start = bs.startfrom > 0 ? bs.startfrom : argc + bs.startfrom;
      const end = bs.startfrom > 0 ? argc - 1 : 0;
      const stepDir = bs.startfrom > 0 ? 1 : -1;
      first = 0;
      for (let i = start; stepDir > 0 ? i <= end : i >= end; i += stepDir) {
        if (i >= argc || i < 1) break;
        if (argv[i]!.toLowerCase() === bs.keyword.toLowerCase()) { first = i + 1; break; }
      }
      if (!first) continue;
    } else {
      continue;
    }
    const fk = ks.findKeys;
    let last: number;
    let step: number;
    if (fk.type === 'range') {
      step = fk.step;
      if (fk.lastkey >= 0) last = first + fk.lastkey;
      else if (fk.limit === 0 || fk.limit === 1) last = argc + fk.lastkey;
      else last = first + Math.floor((argc + fk.lastkey + 1 - first) / fk.limit) - 1;
      if (fk.lastkey < 0 && fk.limit > 1) {
        last = first + Math.floor((argc - first) / fk.limit) - 1;
      }
    } else if (fk.type === 'keynum') {
      const numIdx = first + fk.keynumidx;
      if (numIdx >= argc) return null;
      const n = Number(argv[numIdx]);
      if (!Number.isInteger(n) || n < 0) return null;
      first = numIdx + fk.firstkey - fk.keynumidx;
      step = fk.step;
      last = first + (n - 1) * step;
    } else {
      continue;
    }
    for (let i = first; i <= last; i += step) {
      if (i >= argc || i < 1) {
        // Valkey treats out-of-range keys as invalid arguments only for mandatory key specs.
        if (ks.flags.includes('INCOMPLETE')) break;
        return null;
      }
      out.push(i);
    }
  }
  return out;
}
