/**
 * Server configuration parameters (CONFIG GET / SET). Each parameter has a
 * kind that decides how values are validated and printed; the defaults are
 * Valkey 9's.
 */
import { CommandError } from './errors.js';
import { globMatch } from './keyspace/glob.js';

export type ParamKind =
  | { kind: 'string' }
  | { kind: 'bool' }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'memory'; min: number; max: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'flags'; validate(v: string): boolean };

export interface ParamDef {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly type: ParamKind;
  readonly default: string;
  /** Cannot change at runtime. */
  readonly immutable?: boolean;
}

export class Config {
  private readonly defs = new Map<string, ParamDef>();
  private readonly values = new Map<string, string>();
  private readonly listeners = new Map<string, ((value: string) => void)[]>();

  constructor(defs: readonly ParamDef[], overrides: Readonly<Record<string, string>> = {}) {
    for (const d of defs) {
      this.defs.set(d.name, d);
      for (const a of d.aliases ?? []) this.defs.set(a, d);
      this.values.set(d.name, d.default);
    }
    for (const [k, v] of Object.entries(overrides)) this.force(k, v);
  }

  has(name: string): boolean {
    return this.defs.has(name.toLowerCase());
  }

  get(name: string): string {
    const d = this.defs.get(name.toLowerCase());
    if (!d) throw new Error(`unknown config parameter ${name}`);
    return this.values.get(d.name)!;
  }

  getInt(name: string): number {
    return Number(this.get(name));
  }

  getBool(name: string): boolean {
    return this.get(name) === 'yes';
  }

  /** Sets without validation or mutability checks (startup options). */
  force(name: string, value: string): void {
    const d = this.defs.get(name.toLowerCase());
    if (!d) throw new Error(`unknown config parameter ${name}`);
    this.values.set(d.name, value);
    for (const fn of this.listeners.get(d.name) ?? []) fn(value);
  }

  onChange(name: string, fn: (value: string) => void): void {
    const d = this.defs.get(name.toLowerCase())!;
    const l = this.listeners.get(d.name) ?? [];
    l.push(fn);
    this.listeners.set(d.name, l);
  }

  /** Name/value pairs of every parameter matching one of the glob patterns. */
  match(patterns: readonly string[]): [string, string][] {
    const out = new Map<string, string>();
    for (const pat of patterns) {
      const p = pat.toLowerCase();
      const exact = this.defs.get(p);
      if (exact && !/[*?[]/.test(p)) {
        out.set(p, this.values.get(exact.name)!);
        continue;
      }
      for (const [name, d] of this.defs) {
        if (globMatch(p, name, true)) out.set(name, this.values.get(d.name)!);
      }
    }
    return [...out];
  }

  def(name: string): ParamDef | undefined {
    return this.defs.get(name.toLowerCase());
  }

  /** Validates and normalises a value for CONFIG SET; throws with Valkey's reason. */
  normalise(name: string, raw: string): string {
    const d = this.defs.get(name.toLowerCase());
    if (!d) throw new CommandError(`ERR Unknown option or number of arguments for CONFIG SET - '${name}'`);
    const t = d.type;
    switch (t.kind) {
      case 'string':
        return raw;
      case 'bool': {
        const v = raw.toLowerCase();
        if (v !== 'yes' && v !== 'no') throw invalid(d, raw, 'argument must be \'yes\' or \'no\'');
        return v;
      }
      case 'int': {
        if (!/^-?\d+$/.test(raw)) throw invalid(d, raw, 'argument couldn\'t be parsed into an integer');
        const n = Number(raw);
        if (n < t.min || n > t.max) throw invalid(d, raw, `argument must be between ${t.min} and ${t.max} inclusive`);
        return String(n);
      }
      case 'memory': {
        const n = parseMemory(raw);
        if (n === null) throw invalid(d, raw, 'argument must be a memory value');
        if (n < t.min || n > t.max) throw invalid(d, raw, `argument must be between ${t.min} and ${t.max} inclusive`);
        return String(n);
      }
      case 'enum': {
        const v = raw.toLowerCase();
        if (!t.values.includes(v)) throw invalid(d, raw, `argument(s) must be one of the following: ${t.values.join(', ')}`);
        return v;
      }
      case 'flags':
        if (!t.validate(raw)) throw invalid(d, raw, 'Invalid event class character. Use \'Ag$lshzxeKEtmdn\'.');
        return raw;
    }
  }
}

function invalid(d: ParamDef, raw: string, why: string): CommandError {
  return new CommandError(`ERR CONFIG SET failed (possibly related to argument '${d.name}') - ${why}`.replace('{raw}', raw));
}

/** "1gb", "100mb", "10k" → bytes, as Valkey's memtoull. */
export function parseMemory(s: string): number | null {
  const m = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(s);
  if (!m) return null;
  const mul: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 * 1024, g: 1e9, gb: 1024 * 1024 * 1024 };
  return Number(m[1]) * (m[2] ? mul[m[2].toLowerCase()]! : 1);
}
