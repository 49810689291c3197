/**
 * The configuration parameters the engine knows: every parameter of Valkey
 * 9.1.2 (config-table.generated.ts, made by scripts/gen-config.mjs), turned
 * into definitions whose `set` validates a CONFIG SET value exactly as
 * Valkey's config.c does and returns the value as CONFIG GET then prints it.
 * Parameters that only matter to a real server's process (paths, threads,
 * TLS...) are validated and reported but change nothing.
 */
import { GENERATED_PARAMS } from './config-table.generated.js';

export type ParamFlag =
  | 'immutable' | 'sensitive' | 'debug' | 'multiArg' | 'hidden' | 'protected' | 'denyLoading' | 'volatile';
export type NumType = 'int' | 'uint' | 'long' | 'ulong' | 'longlong' | 'ulonglong' | 'size_t' | 'ssize_t' | 'time_t' | 'off_t';
export type NumFlag = 'memory' | 'percent' | 'octal' | 'unsigned' | 'signedMemory';

/** One row of the generated table (see scripts/gen-config.mjs). */
export interface GeneratedParam {
  readonly name: string;
  readonly alias?: string;
  readonly flags: readonly ParamFlag[];
  readonly type: 'bool' | 'string' | 'sds' | 'enum' | 'numeric' | 'special';
  readonly emptyIsNull?: boolean;
  readonly values?: readonly (readonly [string, number])[];
  readonly numType?: NumType;
  readonly lower?: string;
  readonly upper?: string;
  readonly numFlags?: readonly NumFlag[];
  /** Name of Valkey's is_valid_fn, when there is one. */
  readonly validate?: string;
  /** Name of Valkey's apply function, when there is one. */
  readonly apply?: string;
  readonly default: string;
}

/** A CONFIG SET value was refused: `reason` is Valkey's text after "- ". */
export class ConfigValueError extends Error {
  constructor(readonly reason: string | undefined) {
    super(reason ?? 'invalid value');
  }
}

export interface ParamDef {
  readonly name: string;
  readonly alias?: string;
  readonly flags: ReadonlySet<ParamFlag>;
  /** As CONFIG GET prints it. */
  readonly default: string;
  /**
   * Validates a value (CONFIG SET or a startup option) and returns it as
   * CONFIG GET will print it; throws ConfigValueError with Valkey's reason.
   * `current` is the value now held.
   */
  set(value: string, current: string): string;
}

// ------------------------------------------------------------ C helpers ---

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const isDigit = (c: number) => c >= 48 && c <= 57;

/** strtoll(s, &end, 10) with `end` required to reach the end: the value, or null. Clamps like C on overflow. */
export function cStrtollWhole(s: string): bigint | null {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') neg = s[i++] === '-';
  const start = i;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  if (i === start) return s.length === 0 ? 0n : null; // no digits: end = s, whole only when s is ""
  if (i !== s.length) return null;
  let v = BigInt(s.slice(start, i));
  if (neg) v = -v;
  if (v > 9223372036854775807n) v = 9223372036854775807n;
  if (v < -9223372036854775808n) v = -9223372036854775808n;
  return v;
}

/** string2ll: strict integer (no spaces, no '+', no leading zeros), int64 range. */
export function string2ll(s: string): bigint | null {
  if (s.length === 0 || s.length > 20) return null;
  if (s === '0') return 0n;
  let i = 0;
  if (s[0] === '-') i = 1;
  if (i >= s.length) return null;
  const c0 = s.charCodeAt(i);
  if (c0 < 49 || c0 > 57) return null;
  for (let j = i + 1; j < s.length; j++) if (!isDigit(s.charCodeAt(j))) return null;
  const v = BigInt(s);
  return v > 9223372036854775807n || v < -9223372036854775808n ? null : v;
}

/** string2ull. */
function string2ull(s: string): bigint | null {
  if (s.length === 0 || s.length > 20) return null;
  if (s === '0') return 0n;
  const c0 = s.charCodeAt(0);
  if (c0 < 49 || c0 > 57) return null;
  for (let j = 1; j < s.length; j++) if (!isDigit(s.charCodeAt(j))) return null;
  const v = BigInt(s);
  return v > 18446744073709551615n ? null : v;
}

const MEM_UNITS: Record<string, bigint> = {
  '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n,
};

/** memtoull: "1gb", "100mb", "10k" → bytes (wrapping like C's unsigned multiply), or null. */
export function memtoull(s: string): bigint | null {
  if (s[0] === '-') return null;
  let i = 0;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  const mul = MEM_UNITS[s.slice(i).toLowerCase()];
  if (mul === undefined) return null;
  if (i >= 128) return null;
  const digits = s.slice(0, i);
  const v = digits === '' ? 0n : BigInt(digits);
  if (v > 18446744073709551615n) return null; // ERANGE
  return BigInt.asUintN(64, v * mul);
}

/** strtoll(s, &end, 8) with the whole string consumed and no overflow. */
function strtollOctal(s: string): bigint | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-7]+)$/.exec(s);
  if (!m) return s.length === 0 ? 0n : null;
  const v = BigInt('0o' + m[2]!) * (m[1] === '-' ? -1n : 1n);
  return v > 9223372036854775807n || v < -9223372036854775808n ? null : v;
}

// --------------------------------------------------------------- kinds ---

function yesno(v: string): string {
  const l = v.toLowerCase();
  if (l === 'yes' || l === 'no') return l;
  throw new ConfigValueError("argument must be 'yes' or 'no'");
}

/** sdssplitlen(value, " "): "" gives no arguments; every single space separates. */
export function splitArgs(v: string): string[] {
  return v.length === 0 ? [] : v.split(' ');
}

/** A C string stops at its first NUL byte. */
const cstring = (v: string) => {
  const i = v.indexOf('\0');
  return i < 0 ? v : v.slice(0, i);
};

const STRING_VALIDATORS: Record<string, (v: string) => void> = {
  isValidDBfilename: (v) => {
    if (v === '') throw new ConfigValueError("dbfilename can't be empty");
    if (v.includes('/')) throw new ConfigValueError("dbfilename can't be a path, just a filename");
  },
  isValidAnnouncedIp: (v) => {
    if (v.length >= 46) throw new ConfigValueError('cluster-announce-ip is too long');
    if (!validAux(v)) throw new ConfigValueError('cluster-announce-ip contains invalid character');
  },
  isValidAnnouncedNodename: (v) => {
    if (!validAux(v)) throw new ConfigValueError('Announced human node name contained invalid character');
  },
  isValidAnnouncedHostname: (v) => {
    if (v.length >= 256) throw new ConfigValueError('Hostnames must be less than 256 characters');
    if (!/^[A-Za-z0-9.-]*$/.test(v)) throw new ConfigValueError('Hostnames may only contain alphanumeric characters, hyphens or dots');
  },
};

/** isValidAuxString: no control characters, space, !"#$%&'()*+, DEL, nor ;<=>?@[]^{|}~\\. */
function validAux(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c <= 0x2c || c === 0x7f || ';<=>?@[]^{|}~\\'.includes(v[i]!)) return false;
  }
  return true;
}

function enumName(values: readonly (readonly [string, number])[], v: number, bitflags: boolean): string {
  let names: string | null = null;
  let unmatched = v;
  for (const [name, val] of values) {
    if (v === val) return name;
    if (bitflags && val && val === (unmatched & val)) {
      names = names === null ? name : names + ' ' + name;
      unmatched &= ~val;
    }
  }
  return names === null || unmatched ? 'unknown' : names;
}

function enumSetter(g: GeneratedParam): ParamDef['set'] {
  const values = g.values!;
  const bitflags = g.flags.includes('multiArg');
  const reason = 'argument(s) must be one of the following: ' + values.map(([n]) => n).join(', ');
  return (raw) => {
    const argv = bitflags ? splitArgs(raw) : [raw];
    if (argv.length === 0) throw new ConfigValueError(reason);
    let v = 0;
    for (const a of argv) {
      let matched = false;
      for (const [name, val] of values) {
        if (name.toLowerCase() === a.toLowerCase()) {
          v |= val;
          matched = true;
        }
      }
      if (!matched) throw new ConfigValueError(reason);
    }
    if (g.validate === 'isValidShutdownOnSigFlags' && v & 1 && v & 2) {
      throw new ConfigValueError("shutdown options SAVE and NOSAVE can't be used simultaneously");
    }
    return enumName(values, v, bitflags);
  };
}

const UNSIGNED_TYPES = new Set<NumType>(['uint', 'ulong', 'ulonglong', 'size_t']);
const WIDTH32 = new Set<NumType>(['int', 'uint']);

function numericSetter(g: GeneratedParam): ParamDef['set'] {
  const flags = new Set(g.numFlags ?? []);
  const lower = BigInt(g.lower!);
  const upper = BigInt(g.upper!);
  const t = g.numType!;
  const parse = (s: string): bigint => {
    if (flags.has('memory')) {
      const m = memtoull(s);
      if (m !== null) return BigInt.asIntN(64, m);
      if (flags.has('signedMemory')) {
        const v = string2ll(s);
        if (v !== null) return v;
      }
    }
    if (flags.has('percent') && s.length > 1 && s.endsWith('%')) {
      const v = string2ll(s.slice(0, -1));
      if (v !== null && v >= 0n) return -v;
    }
    if (flags.has('octal')) {
      const v = strtollOctal(s);
      if (v !== null) return v;
    }
    if (flags.has('unsigned')) {
      const v = string2ull(s);
      if (v !== null) return BigInt.asIntN(64, v);
    }
    if (flags.size === 0) {
      const v = string2ll(s);
      if (v !== null) return v;
    }
    if (flags.has('memory') && flags.has('percent')) throw new ConfigValueError('argument must be a memory or percent value');
    if (flags.has('memory')) throw new ConfigValueError('argument must be a memory value');
    if (flags.has('octal')) throw new ConfigValueError("argument couldn't be parsed as an octal number");
    if (flags.has('unsigned')) throw new ConfigValueError("argument couldn't be parsed as an unsigned number");
    throw new ConfigValueError("argument couldn't be parsed into an integer");
  };
  return (raw) => {
    const ll = parse(raw);
    if (UNSIGNED_TYPES.has(t)) {
      const ull = BigInt.asUintN(64, ll);
      const lo = BigInt.asUintN(64, lower);
      const hi = BigInt.asUintN(64, upper);
      if (ull > hi || ull < lo) {
        const f = (x: bigint) => (flags.has('octal') ? x.toString(8) : x.toString());
        throw new ConfigValueError(`argument must be between ${f(lo)} and ${f(hi)} inclusive`);
      }
    } else if (flags.has('percent') && ll < 0n) {
      if (ll < lower) throw new ConfigValueError(`percentage argument must be less or equal to ${-lower}`);
    } else if (ll > upper || ll < lower) {
      throw new ConfigValueError(`argument must be between ${lower} and ${upper} inclusive`);
    }
    // Stored in the parameter's C type, read back as a long long.
    let v = WIDTH32.has(t) ? (t === 'int' ? BigInt.asIntN(32, ll) : BigInt.asUintN(32, ll)) : BigInt.asIntN(64, ll);
    if (g.apply === 'updateHZ') v = v < 1n ? 1n : v > 500n ? 500n : v;
    if (flags.has('percent') && v < 0n) return `${-v}%`;
    if (flags.has('signedMemory') && v < 0n) return String(v);
    if (flags.has('memory')) return String(BigInt.asUintN(64, v));
    if (flags.has('octal')) return BigInt.asUintN(64, v).toString(8);
    if (flags.has('unsigned')) return String(BigInt.asUintN(64, v));
    return String(v);
  };
}

// ------------------------------------------------------------- specials ---

const NOTIFY_CHARS = 'Ag$lshzxeKEtmdn';

/** Valkey's NOTIFY_* bits, by class character. */
export const NOTIFY_BITS: Readonly<Record<string, number>> = {
  K: 1 << 0, E: 1 << 1, g: 1 << 2, $: 1 << 3, l: 1 << 4, s: 1 << 5, h: 1 << 6, z: 1 << 7, x: 1 << 8, e: 1 << 9,
  t: 1 << 10, m: 1 << 11, d: 1 << 13, n: 1 << 14,
};
const NOTIFY_ALL = ['g', '$', 'l', 's', 'h', 'z', 'x', 'e', 't', 'd'].reduce((a, c) => a | NOTIFY_BITS[c]!, 0);

/** keyspaceEventsStringToFlags: the NOTIFY_* bits of a class string, null on an unknown character. */
export function keyspaceEventFlags(classes: string): number | null {
  let flags = 0;
  for (const ch of cstring(classes)) {
    if (ch === 'A') flags |= NOTIFY_ALL;
    else if (NOTIFY_BITS[ch] !== undefined) flags |= NOTIFY_BITS[ch]!;
    else return null;
  }
  return flags;
}

/** keyspaceEventsStringToFlags + keyspaceEventsFlagsToString: the canonical class string. */
export function normaliseKeyspaceEvents(classes: string): string | null {
  const flags = keyspaceEventFlags(classes);
  if (flags === null) return null;
  let out = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) out = 'A';
  else for (const ch of 'g$lshzxetdn') if (flags & NOTIFY_BITS[ch]!) out += ch;
  for (const ch of 'KEm') if (flags & NOTIFY_BITS[ch]!) out += ch;
  return out;
}

function saveSetter(raw: string): string {
  let argv = splitArgs(raw);
  if (argv.length === 1 && argv[0] === '') argv = [];
  if (argv.length & 1) throw new ConfigValueError('Invalid save parameters');
  const nums: bigint[] = [];
  for (let j = 0; j < argv.length; j++) {
    const v = cStrtollWhole(argv[j]!);
    if (v === null || ((j & 1) === 0 && v < 1n) || ((j & 1) === 1 && v < 0n)) throw new ConfigValueError('Invalid save parameters');
    nums.push(v);
  }
  const parts: string[] = [];
  for (let j = 0; j < nums.length; j += 2) parts.push(`${nums[j]} ${BigInt.asIntN(32, nums[j + 1]!)}`);
  return parts.join(' ');
}

const OBUF_CLASSES: Record<string, number> = { normal: 0, slave: 1, replica: 1, pubsub: 2 };
const OBUF_NAMES = ['normal', 'slave', 'pubsub'];

function clientOutputBufferLimitSetter(raw: string, current: string): string {
  const argv = splitArgs(raw);
  if (argv.length % 4) throw new ConfigValueError('Wrong number of arguments in buffer limit configuration.');
  const cur = current.split(' ');
  const values: string[][] = [0, 1, 2].map((i) => cur.slice(i * 4 + 1, i * 4 + 4));
  for (let j = 0; j < argv.length; j += 4) {
    const cls = OBUF_CLASSES[argv[j]!.toLowerCase()];
    if (cls === undefined) throw new ConfigValueError('Invalid client class specified in buffer limit configuration.');
    const hard = memtoull(argv[j + 1]!);
    const soft = memtoull(argv[j + 2]!);
    const secs = cStrtollWhole(argv[j + 3]!);
    if (hard === null || soft === null || secs === null || BigInt.asIntN(32, secs) < 0n) {
      throw new ConfigValueError('Error in hard, soft or soft_seconds setting in buffer limit configuration.');
    }
    values[cls] = [String(hard), String(soft), String(BigInt.asIntN(32, secs))];
  }
  return values.map((v, i) => `${OBUF_NAMES[i]} ${v.join(' ')}`).join(' ');
}

function oomScoreAdjValuesSetter(raw: string): string {
  const argv = splitArgs(raw);
  if (argv.length !== 3) throw new ConfigValueError('wrong number of arguments');
  const out: string[] = [];
  for (const a of argv) {
    const v = cStrtollWhole(a);
    if (v === null || v < -2000n || v > 2000n) {
      throw new ConfigValueError('Invalid oom-score-adj-values, elements must be between -2000 and 2000.');
    }
    out.push(String(v));
  }
  return out.join(' ');
}

function bindSetter(raw: string): string {
  let argv = splitArgs(raw);
  if (argv.length > 16) throw new ConfigValueError('Too many bind addresses specified.');
  if (argv.length === 1 && argv[0] === '') argv = [];
  return argv.map(cstring).join(' ');
}

const PERCENTILE_RE = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?)$/i;

function percentilesSetter(raw: string): string {
  const argv = splitArgs(raw);
  if (argv.length === 1 && argv[0] === '') return '';
  const out: string[] = [];
  for (const a of argv) {
    if (!PERCENTILE_RE.test(a)) throw new ConfigValueError('Invalid latency-tracking-info-percentiles parameters');
    const p = Number(a.replace(/^\+/, '').replace(/^(-?)inf(inity)?$/i, '$1Infinity'));
    if (Number.isNaN(p)) throw new ConfigValueError('Invalid latency-tracking-info-percentiles parameters');
    if (p > 100 || p < 0) throw new ConfigValueError('latency-tracking-info-percentiles parameters should sit between [0.0,100.0]');
    // "%f" then trailing zeros (and a trailing dot) trimmed.
    out.push(p.toFixed(6).replace(/\.?0+$/, ''));
  }
  return out.join(' ');
}

function dirSetter(raw: string): string {
  const argv = [raw];
  if (argv.length !== 1) throw new ConfigValueError('wrong number of arguments');
  if (raw === '') throw new ConfigValueError("dir can't be empty");
  return raw;
}

const SPECIAL_SETTERS: Record<string, ParamDef['set']> = {
  save: saveSetter,
  'client-output-buffer-limit': clientOutputBufferLimitSetter,
  'oom-score-adj-values': oomScoreAdjValuesSetter,
  'notify-keyspace-events': (raw) => {
    const v = normaliseKeyspaceEvents(raw);
    if (v === null) throw new ConfigValueError(`Invalid event class character. Use '${NOTIFY_CHARS}'.`);
    return v;
  },
  bind: bindSetter,
  'rdma-bind': bindSetter,
  dir: dirSetter,
  'latency-tracking-info-percentiles': percentilesSetter,
  replicaof: (raw) => raw,
};

/**
 * Defaults that differ from a bare valkey-server's: valkey-double never
 * writes RDB files, so it starts like `valkey-server --save ""` (and
 * FLUSHALL does not save).
 */
const DOUBLE_DEFAULTS: Readonly<Record<string, string>> = { save: '' };

function makeDef(g: GeneratedParam): ParamDef {
  let set: ParamDef['set'];
  switch (g.type) {
    case 'bool':
      set = yesno;
      break;
    case 'string':
    case 'sds': {
      const validate = g.validate ? STRING_VALIDATORS[g.validate] : undefined;
      const sds = g.type === 'sds';
      set = (raw) => {
        const v = sds ? raw : cstring(raw);
        validate?.(v);
        return v;
      };
      break;
    }
    case 'enum':
      set = enumSetter(g);
      break;
    case 'numeric':
      set = numericSetter(g);
      break;
    case 'special': {
      const s = SPECIAL_SETTERS[g.name];
      if (!s) throw new Error(`no setter for the special config parameter ${g.name}`);
      set = s;
      break;
    }
  }
  return {
    name: g.name,
    ...(g.alias ? { alias: g.alias } : {}),
    flags: new Set(g.flags),
    default: DOUBLE_DEFAULTS[g.name] ?? g.default,
    set,
  };
}

export const CONFIG_PARAMS: readonly ParamDef[] = GENERATED_PARAMS.map(makeDef);
