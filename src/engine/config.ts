/**
 * Server configuration (CONFIG GET / SET): the parameters of config-params.ts,
 * their current values (held as CONFIG GET prints them), Valkey's lookup
 * rules (case-insensitive names, aliases as their own entries, hidden
 * parameters only by exact name) and CONFIG SET's all-or-nothing update.
 */
import { CommandError, oneLine } from './errors.js';
import { globMatch } from './keyspace/glob.js';
import { CONFIG_PARAMS, ConfigValueError, type ParamDef } from './config-params.js';

export type { ParamDef } from './config-params.js';

interface Entry {
  /** The name this entry is registered under (the parameter's name or its alias). */
  readonly key: string;
  readonly def: ParamDef;
}

export class Config {
  /** Lower-case name or alias → entry. */
  private readonly entries = new Map<string, Entry>();
  /** Canonical name → value as CONFIG GET prints it. */
  private readonly values = new Map<string, string>();
  private readonly listeners = new Map<string, ((value: string) => void)[]>();

  constructor(defs: readonly ParamDef[] = CONFIG_PARAMS, overrides: Readonly<Record<string, string>> = {}) {
    for (const d of defs) {
      this.entries.set(d.name, { key: d.name, def: d });
      if (d.alias) this.entries.set(d.alias, { key: d.alias, def: d });
      this.values.set(d.name, d.default);
    }
    if (this.values.get('dir') === '') this.values.set('dir', typeof process !== 'undefined' ? process.cwd() : '/');
    for (const [k, v] of Object.entries(overrides)) this.force(k, v);
  }

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  def(name: string): ParamDef | undefined {
    return this.entries.get(name.toLowerCase())?.def;
  }

  /** The value as CONFIG GET prints it. */
  get(name: string): string {
    const v = this.values.get(name);
    if (v !== undefined) return v;
    const e = this.entries.get(name.toLowerCase());
    if (!e) throw new Error(`unknown config parameter ${name}`);
    return this.values.get(e.def.name)!;
  }

  getInt(name: string): number {
    let n = this.ints.get(name);
    if (n === undefined) {
      n = Number(this.get(name));
      this.ints.set(name, n);
    }
    return n;
  }

  /** getInt's parsed values by the name asked for (hot paths read limits on every command); emptied on every store. */
  private readonly ints = new Map<string, number>();

  getBool(name: string): boolean {
    return this.get(name) === 'yes';
  }

  /**
   * Sets a value as a startup option does: validated and normalised like
   * CONFIG SET, but immutable parameters are allowed. Throws on a bad value.
   */
  force(name: string, value: string): void {
    const e = this.entries.get(name.toLowerCase());
    if (!e) throw new Error(`unknown config parameter ${name}`);
    let v: string;
    try {
      v = e.def.set(value, this.values.get(e.def.name)!);
    } catch (err) {
      if (err instanceof ConfigValueError) throw new Error(`bad value for config parameter ${name}: ${err.reason ?? ''}`);
      throw err;
    }
    this.store(e.def.name, v);
  }

  /**
   * Settings derived from some parameters, as one object that is recomputed
   * in place whenever CONFIG SET changes one of them (hot paths read fields,
   * not the config table).
   */
  live<T extends object>(names: readonly string[], read: (cfg: Config) => T): T {
    const target = read(this);
    const reload = () => {
      Object.assign(target, read(this));
    };
    for (const n of names) this.onChange(n, reload);
    return target;
  }

  onChange(name: string, fn: (value: string) => void): void {
    const d = this.entries.get(name.toLowerCase())!.def;
    const l = this.listeners.get(d.name) ?? [];
    l.push(fn);
    this.listeners.set(d.name, l);
  }

  private store(name: string, v: string): void {
    const prev = this.values.get(name);
    this.values.set(name, v);
    this.ints.clear();
    if (prev !== v) for (const fn of this.listeners.get(name) ?? []) fn(v);
  }

  /**
   * CONFIG GET: name/value pairs for the given names and glob patterns,
   * sorted by name (strcmp). An exact name is reported as spelled; a
   * pattern reports the registered names it matches (hidden ones excluded).
   */
  getMatching(patterns: readonly string[]): [string, string][] {
    const found = new Map<string, [string, string]>(); // lower-case key → [key as reported, canonical name]
    for (const p of patterns) {
      if (!/[[*?]/.test(p)) {
        const lp = p.toLowerCase();
        if (found.has(lp)) continue;
        const e = this.entries.get(lp);
        if (e) found.set(lp, [p, e.def.name]);
        continue;
      }
      for (const [lk, e] of this.entries) {
        if (e.def.flags.has('hidden') || found.has(lk)) continue;
        if (globMatch(p, e.key, true)) found.set(lk, [e.key, e.def.name]);
      }
    }
    const out: [string, string][] = [...found.values()].map(([k, name]) => [k, this.values.get(name)!]);
    out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return out;
  }

  /** A SENSITIVE_CONFIG (passwords): CONFIG SET hides its value from the command log. */
  isSensitive(name: string): boolean {
    return this.entries.get(name.toLowerCase())?.def.flags.has('sensitive') ?? false;
  }

  /**
   * CONFIG SET name value [name value ...]: every name is checked first, then
   * every value; either all take effect or none, with Valkey's error texts.
   */
  setMany(pairs: readonly (readonly [string, string])[]): void {
    const chosen: Entry[] = [];
    let unknown: string | undefined;
    let failure: { arg: string; why?: string } | undefined;
    for (const [name] of pairs) {
      const e = this.entries.get(name.toLowerCase());
      if (!e) {
        if (!unknown && !failure) unknown = name;
        continue;
      }
      if (unknown || failure) continue;
      if (e.def.flags.has('immutable') || e.def.flags.has('protected')) {
        failure = { arg: name, why: e.def.flags.has('immutable') ? "can't set immutable config" : "can't set protected config" };
        continue;
      }
      // The same registered entry twice (a name and its alias are different entries).
      if (chosen.includes(e)) failure = { arg: name, why: 'duplicate parameter' };
      chosen.push(e);
    }
    if (unknown !== undefined) throw new CommandError(oneLine(`ERR Unknown option or number of arguments for CONFIG SET - '${unknown}'`));
    if (failure) throw setFailed(failure.arg, failure.why);

    const work = new Map<string, string>();
    chosen.forEach((e, i) => {
      const cur = work.get(e.def.name) ?? this.values.get(e.def.name)!;
      try {
        work.set(e.def.name, e.def.set(pairs[i]![1], cur));
      } catch (err) {
        if (err instanceof ConfigValueError) throw setFailed(e.key, err.reason);
        throw err;
      }
    });
    for (const [name, v] of work) this.store(name, v);
  }
}

function setFailed(arg: string, why: string | undefined): CommandError {
  const msg = `ERR CONFIG SET failed (possibly related to argument '${arg}')` + (why !== undefined ? ` - ${why}` : '');
  return new CommandError(oneLine(msg));
}

/** "1gb", "100mb", "10k" → bytes, as Valkey's memtoull (null when invalid). */
export function parseMemory(s: string): number | null {
  const m = /^(\d*)(b|k|kb|m|mb|g|gb)?$/i.exec(s);
  if (!m) return null;
  const mul: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 * 1024, g: 1e9, gb: 1024 * 1024 * 1024 };
  return Number(m[1] || '0') * (m[2] ? mul[m[2].toLowerCase()]! : 1);
}
