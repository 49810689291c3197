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

// ---------------------------------------------------------------------------
// Key extraction: Valkey's getKeysFromCommandWithSpecs (db.c), with the key
// spec walk of getKeysUsingKeySpecs and the native getkeys functions as the
// fallback. Argument indexes count from argv[0], the command name (for a
// subcommand argv[1] is the subcommand name).
// ---------------------------------------------------------------------------

/** Key spec flags as a bitmask (Valkey's CMD_KEY_*), in the order COMMAND replies list them. */
export const KeyFlag = {
  RO: 1 << 0,
  RW: 1 << 1,
  OW: 1 << 2,
  RM: 1 << 3,
  ACCESS: 1 << 4,
  UPDATE: 1 << 5,
  INSERT: 1 << 6,
  DELETE: 1 << 7,
  NOT_KEY: 1 << 8,
  INCOMPLETE: 1 << 9,
  VARIABLE_FLAGS: 1 << 10,
} as const;

/** Names as addReplyFlagsForKeyArgs writes them, indexed by bit. */
const KEY_FLAG_REPLY_NAMES = ['RO', 'RW', 'OW', 'RM', 'access', 'update', 'insert', 'delete', 'not_key', 'incomplete', 'variable_flags'];

/** The reply names of a key flag mask, in Valkey's order. */
export function keyFlagNames(mask: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < KEY_FLAG_REPLY_NAMES.length; i++) if (mask & (1 << i)) out.push(KEY_FLAG_REPLY_NAMES[i]!);
  return out;
}

const maskCache = new WeakMap<KeySpec, number>();

/** The mask of a key spec's flags as the metadata spells them ("RW", "ACCESS"...). */
export function keySpecMask(ks: KeySpec): number {
  let m = maskCache.get(ks);
  if (m === undefined) {
    m = 0;
    for (const f of ks.flags) m |= (KeyFlag as Record<string, number>)[f.toUpperCase()] ?? 0;
    maskCache.set(ks, m);
  }
  return m;
}

/** A key found in a command's arguments: its argv index and access flags. */
export interface KeyReference {
  pos: number;
  flags: number;
}

export interface KeySpecSearchOptions {
  /** GET_KEYSPEC_INCLUDE_NOT_KEYS: report NOT_KEY specs' arguments too. */
  includeNotKeys?: boolean;
  /** GET_KEYSPEC_RETURN_PARTIAL: skip invalid and incomplete specs instead of failing. */
  returnPartial?: boolean;
}

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/**
 * getKeysUsingKeySpecs: the keys the specs locate, or null where Valkey
 * returns -1 (an unknown or INCOMPLETE spec, a keynum that does not parse, a
 * range out of bounds). A keyword that is not found contributes no keys.
 */
export function getKeysUsingKeySpecs(
  specs: readonly KeySpec[],
  argv: readonly string[],
  opts: KeySpecSearchOptions = {},
): KeyReference[] | null {
  const argc = argv.length;
  const out: KeyReference[] = [];
  for (const ks of specs) {
    const mask = keySpecMask(ks);
    if (mask & KeyFlag.NOT_KEY && !opts.includeNotKeys) continue;
    let ok = true;
    let first = 0;
    let last = 0;
    let step = 1;
    const bs = ks.beginSearch;
    if (bs.type === 'index') {
      first = bs.pos;
    } else if (bs.type === 'keyword') {
      const start = bs.startfrom > 0 ? bs.startfrom : argc + bs.startfrom;
      const end = bs.startfrom > 0 ? argc - 1 : 1;
      // Valkey's loop stops before `end`: a keyword in the last slot has no key after it.
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (cstrCaseEq(argv[i]!, bs.keyword)) {
          first = i + 1;
          break;
        }
      }
      if (!first) continue; // keyword not found: this spec has no keys
    } else {
      ok = false;
    }

    if (ok) {
      const fk = ks.findKeys;
      if (fk.type === 'range') {
        step = fk.step;
        if (fk.lastkey >= 0) last = first + fk.lastkey;
        else if (!fk.limit) last = argc + fk.lastkey;
        else last = first + (Math.trunc((argc - first) / fk.limit) + fk.lastkey);
      } else if (fk.type === 'keynum') {
        step = fk.step;
        const at = first + fk.keynumidx;
        const numkeys = fk.keynumidx >= argc || at >= argc ? null : string2ll(argv[at]!);
        if (numkeys === null || numkeys < 0) {
          ok = false;
        } else {
          first += fk.firstkey;
          const tempLast = first + (numkeys - 1) * step;
          if (tempLast > INT_MAX || tempLast < INT_MIN) ok = false;
          else last = tempLast;
        }
      } else {
        ok = false;
      }
    }

    // First or last out of bounds: a syntax error in the command.
    if (ok && (last >= argc || last < first || first >= argc)) ok = false;

    if (ok) {
      for (let i = first; i <= last; i += step) out.push({ pos: i, flags: mask });
      // INCOMPLETE specs fail after contributing their keys (kept only with returnPartial).
      if (mask & KeyFlag.INCOMPLETE) ok = false;
    }

    if (!ok) {
      if (opts.returnPartial) continue;
      return null;
    }
  }
  return out;
}

interface CompiledKeys {
  hasKeySpec: boolean;
  hasVarFlags: boolean;
  getKeys: GetKeysProc | undefined;
}

type GetKeysProc = (argv: readonly string[]) => KeyReference[];

const compiled = new WeakMap<CommandSpec, CompiledKeys>();

function compile(spec: CommandSpec): CompiledKeys {
  let c = compiled.get(spec);
  if (!c) {
    let hasKeySpec = false;
    let hasVarFlags = false;
    for (const ks of spec.keySpecs) {
      const m = keySpecMask(ks);
      if (!(m & KeyFlag.NOT_KEY)) hasKeySpec = true;
      if (m & KeyFlag.VARIABLE_FLAGS) hasVarFlags = true;
    }
    const getKeys = spec.getKeysFunction ? GETKEYS_PROCS[spec.getKeysFunction] : undefined;
    if (spec.getKeysFunction && !getKeys) throw new Error(`unknown getkeys function ${spec.getKeysFunction}`);
    c = { hasKeySpec, hasVarFlags, getKeys };
    compiled.set(spec, c);
  }
  return c;
}

/**
 * getKeysFromCommandWithSpecs: the keys of a command invocation (argv whole,
 * name first, arity already checked). Key specs are preferred when they are
 * reliable; otherwise, or when they fail, the command's getkeys function
 * decides. An empty result means no keys could be found.
 */
export function getKeysFromCommand(spec: CommandSpec, argv: readonly string[]): KeyReference[] {
  const c = compile(spec);
  if (c.hasKeySpec && !c.hasVarFlags) {
    const keys = getKeysUsingKeySpecs(spec.keySpecs, argv);
    if (keys !== null) return keys;
  }
  return c.getKeys ? c.getKeys(argv) : [];
}

/** The argv indexes of a command's keys (see getKeysFromCommand). */
export function keyPositions(spec: CommandSpec, argv: readonly string[]): number[] {
  return getKeysFromCommand(spec, argv).map((k) => k.pos);
}

/** doesCommandHaveKeys: a getkeys function, or a key spec that is not NOT_KEY. */
export function doesCommandHaveKeys(spec: CommandSpec): boolean {
  const c = compile(spec);
  return c.getKeys !== undefined || c.hasKeySpec;
}

/** strcasecmp on C strings: the argument ends at its first NUL byte. `lit` is ASCII. */
export function cstrCaseEq(arg: string, lit: string): boolean {
  const nul = arg.indexOf('\0');
  const a = nul >= 0 ? arg.slice(0, nul) : arg;
  if (a.length !== lit.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = lit.charCodeAt(i);
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}

/** Valkey's string2ll (strict: no sign '+', no leading zeros, no spaces, int64 range), as a JS number. */
function string2ll(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  if (n === 1 && s === '0') return 0;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    i = 1;
    if (n === 1) return null;
  }
  const c0 = s.charCodeAt(i);
  if (c0 < 49 || c0 > 57) return null;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return Number(v);
}

/** C's atoi as glibc does it: strtol (leading spaces, a sign, digits; clamped to long) truncated to int. */
function atoi(s: string): number {
  let i = 0;
  const n = s.length;
  while (i < n && (s.charCodeAt(i) === 32 || (s.charCodeAt(i) >= 9 && s.charCodeAt(i) <= 13))) i++;
  let neg = false;
  if (i < n && (s[i] === '+' || s[i] === '-')) {
    neg = s[i] === '-';
    i++;
  }
  let j = i;
  while (j < n && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
  if (j === i) return 0;
  let v = BigInt(s.slice(i, j));
  if (neg) v = -v;
  if (v > 9223372036854775807n) v = 9223372036854775807n;
  if (v < -9223372036854775808n) v = -9223372036854775808n;
  return Number(BigInt.asIntN(32, v));
}

// --- the native getkeys functions (db.c), by the name the metadata gives ---

/** genericGetKeys: [dest] numkeys key... — keys first, the destination last. */
function genericGetKeys(storeKeyOfs: number, keyCountOfs: number, firstKeyOfs: number, keyStep: number, argv: readonly string[]): KeyReference[] {
  const argc = argv.length;
  const num = atoi(argv[keyCountOfs] ?? '');
  if (num < 1 || num > Math.trunc((argc - firstKeyOfs) / keyStep)) return [];
  const out: KeyReference[] = [];
  for (let i = 0; i < num; i++) out.push({ pos: firstKeyOfs + i * keyStep, flags: 0 });
  if (storeKeyOfs) out.push({ pos: storeKeyOfs, flags: 0 });
  return out;
}

const RO_ACCESS = KeyFlag.RO | KeyFlag.ACCESS;
const OW_UPDATE = KeyFlag.OW | KeyFlag.UPDATE;
const RW_ACCESS_UPDATE = KeyFlag.RW | KeyFlag.ACCESS | KeyFlag.UPDATE;

const GETKEYS_PROCS: Readonly<Record<string, GetKeysProc>> = {
  sintercardGetKeys: (argv) => genericGetKeys(0, 1, 2, 1, argv),
  zunionInterDiffStoreGetKeys: (argv) => genericGetKeys(1, 2, 3, 1, argv),
  zunionInterDiffGetKeys: (argv) => genericGetKeys(0, 1, 2, 1, argv),
  evalGetKeys: (argv) => genericGetKeys(0, 2, 3, 1, argv),
  functionGetKeys: (argv) => genericGetKeys(0, 2, 3, 1, argv),
  lmpopGetKeys: (argv) => genericGetKeys(0, 1, 2, 1, argv),
  blmpopGetKeys: (argv) => genericGetKeys(0, 2, 3, 1, argv),
  zmpopGetKeys: (argv) => genericGetKeys(0, 1, 2, 1, argv),
  bzmpopGetKeys: (argv) => genericGetKeys(0, 2, 3, 1, argv),

  sortROGetKeys: () => [{ pos: 1, flags: RO_ACCESS }],

  // SORT key ... STORE dest: skips the arguments of LIMIT, GET and BY; the last STORE wins.
  sortGetKeys(argv) {
    const out: KeyReference[] = [{ pos: 1, flags: RO_ACCESS }];
    let store = 0;
    const skips: readonly (readonly [string, number])[] = [['limit', 2], ['get', 1], ['by', 1]];
    for (let i = 2; i < argv.length; i++) {
      // Valkey checks STORE inside the loop over the skip list, before each entry that does not match.
      for (const [name, skip] of skips) {
        if (cstrCaseEq(argv[i]!, name)) {
          i += skip;
          break;
        } else if (cstrCaseEq(argv[i]!, 'store') && i + 1 < argv.length) {
          store = i + 1;
          break;
        }
      }
    }
    if (store) out.push({ pos: store, flags: OW_UPDATE });
    return out;
  },

  // MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw] [AUTH2 user pw] [KEYS key...]
  migrateGetKeys(argv) {
    const argc = argv.length;
    let first = 3;
    let num = 1;
    if (argc > 6) {
      const skips: readonly (readonly [string, number])[] = [['copy', 0], ['replace', 0], ['auth', 1], ['auth2', 2]];
      for (let i = 6; i < argc; i++) {
        if (cstrCaseEq(argv[i]!, 'keys')) {
          // A key argument that is not empty together with KEYS is a syntax error: no keys.
          if (argv[3]!.length > 0) {
            num = 0;
          } else {
            first = i + 1;
            num = argc - first;
          }
          break;
        }
        for (const [name, skip] of skips) {
          if (cstrCaseEq(argv[i]!, name)) {
            i += skip;
            break;
          }
        }
      }
    }
    const out: KeyReference[] = [];
    for (let i = 0; i < num; i++) out.push({ pos: first + i, flags: KeyFlag.RW | KeyFlag.ACCESS | KeyFlag.DELETE });
    return out;
  },

  // GEORADIUS(BYMEMBER) key ... [STORE key] [STOREDIST key]: the last store option wins.
  georadiusGetKeys(argv) {
    let stored = -1;
    for (let i = 5; i < argv.length; i++) {
      if ((cstrCaseEq(argv[i]!, 'store') || cstrCaseEq(argv[i]!, 'storedist')) && i + 1 < argv.length) {
        stored = i + 1;
        i++;
      }
    }
    const out: KeyReference[] = [{ pos: 1, flags: RO_ACCESS }];
    if (stored !== -1) out.push({ pos: stored, flags: OW_UPDATE });
    return out;
  },

  // XREAD/XREADGROUP: the first STREAMS after the options; half of what follows are keys.
  xreadGetKeys(argv) {
    const argc = argv.length;
    let streamsPos = -1;
    for (let i = 1; i < argc; i++) {
      const a = argv[i]!;
      if (cstrCaseEq(a, 'block') || cstrCaseEq(a, 'count')) i++;
      else if (cstrCaseEq(a, 'group')) i += 2;
      else if (cstrCaseEq(a, 'noack')) continue;
      else if (cstrCaseEq(a, 'streams')) {
        streamsPos = i;
        break;
      } else break;
    }
    const num = streamsPos === -1 ? 0 : argc - streamsPos - 1;
    if (streamsPos === -1 || num === 0 || num % 2 !== 0) return [];
    const out: KeyReference[] = [];
    for (let i = streamsPos + 1; i < argc - num / 2; i++) out.push({ pos: i, flags: 0 });
    return out;
  },

  // SET key value ... GET: read-write when GET is present, else overwrite.
  setGetKeys(argv) {
    for (let i = 3; i < argv.length; i++) {
      if (cstrCaseEq(argv[i]!, 'get')) return [{ pos: 1, flags: RW_ACCESS_UPDATE }];
    }
    return [{ pos: 1, flags: OW_UPDATE }];
  },

  // BITFIELD key [GET ...] [SET ...] [INCRBY ...] [OVERFLOW ...]: read-only with only GETs.
  bitfieldGetKeys(argv) {
    let readonly = true;
    for (let i = 2; i < argv.length; i++) {
      const rem = argv.length - i - 1;
      const a = argv[i]!;
      if (cstrCaseEq(a, 'get') && rem >= 2) {
        i += 2;
      } else if ((cstrCaseEq(a, 'set') || cstrCaseEq(a, 'incrby')) && rem >= 3) {
        readonly = false;
        break;
      } else if (cstrCaseEq(a, 'overflow') && rem >= 1) {
        i += 1;
      } else {
        readonly = false; // a syntax error: assume it writes
        break;
      }
    }
    return [{ pos: 1, flags: readonly ? RO_ACCESS : RW_ACCESS_UPDATE }];
  },
};

// ---------------------------------------------------------------------------
// What COMMAND INFO derives from the metadata at startup.
// ---------------------------------------------------------------------------

/** The legacy (first, last, step) key range of COMMAND INFO, and whether keys are "movable". */
export interface LegacyRange {
  firstkey: number;
  lastkey: number;
  step: number;
  movablekeys: boolean;
}

const legacyCache = new WeakMap<CommandSpec, LegacyRange>();

/**
 * populateCommandLegacyRangeSpec (server.c): glues consecutive index/range
 * specs into one (first, last, step) triple and sets movablekeys when the
 * triple cannot describe every key.
 */
export function legacyRange(spec: CommandSpec): LegacyRange {
  const cached = legacyCache.get(spec);
  if (cached) return cached;
  const r = computeLegacyRange(spec.keySpecs);
  legacyCache.set(spec, r);
  return r;
}

function computeLegacyRange(specs: readonly KeySpec[]): LegacyRange {
  const none = { firstkey: 0, lastkey: 0, step: 0 };
  if (specs.length === 0) return { ...none, movablekeys: false };
  const isRange = (ks: KeySpec) => ks.beginSearch.type === 'index' && ks.findKeys.type === 'range';
  const k0 = specs[0]!;
  if (specs.length === 1 && isRange(k0)) {
    const bs = k0.beginSearch as { pos: number };
    const fk = k0.findKeys as { lastkey: number; step: number };
    return {
      firstkey: bs.pos,
      lastkey: fk.lastkey >= 0 ? fk.lastkey + bs.pos : fk.lastkey,
      step: fk.step,
      movablekeys: (keySpecMask(k0) & KeyFlag.INCOMPLETE) !== 0,
    };
  }
  let movable = false;
  let firstkey = INT_MAX;
  let lastkey = 0;
  let prevLastkey = 0;
  const u32 = (x: number) => x >>> 0;
  for (const ks of specs) {
    if (!isRange(ks)) {
      movable = true;
      continue;
    }
    const pos = (ks.beginSearch as { pos: number }).pos;
    const fk = ks.findKeys as { lastkey: number; step: number };
    if (fk.step !== 1 || (prevLastkey && prevLastkey !== pos - 1)) {
      movable = true;
      continue;
    }
    if (keySpecMask(ks) & KeyFlag.INCOMPLETE) movable = true;
    firstkey = Math.min(firstkey, pos);
    let abs = fk.lastkey;
    if (abs >= 0) abs += pos;
    // Valkey compares as unsigned, so a negative (relative-to-end) lastkey wins.
    lastkey = u32(lastkey) >= u32(abs) ? lastkey : abs;
    prevLastkey = lastkey;
  }
  if (firstkey === INT_MAX) return { ...none, movablekeys: true };
  const rel = lastkey < 0 ? lastkey : lastkey - firstkey;
  return { firstkey, lastkey: rel >= 0 ? rel + firstkey : rel, step: 1, movablekeys: movable };
}

/** Command flags as COMMAND INFO lists them (addReplyFlagsForCommand), movablekeys included. */
const COMMAND_INFO_FLAGS = [
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_commandlog', 'asking', 'fast', 'no_auth', 'no_mandatory_keys', 'no_async_loading',
  'no_multi', 'movablekeys', 'allow_busy',
];

export function commandInfoFlags(spec: CommandSpec): string[] {
  const have = new Set(spec.flags);
  if (legacyRange(spec).movablekeys) have.add('movablekeys');
  return COMMAND_INFO_FLAGS.filter((f) => have.has(f));
}

/** ACL categories in the order of Valkey's category table (ACL CAT, COMMAND INFO). */
export const ACL_CATEGORIES = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
] as const;

export function commandAclCategories(spec: CommandSpec): string[] {
  const have = new Set(spec.aclCategories);
  return ACL_CATEGORIES.filter((c) => have.has(c));
}

/** COMMAND DOCS' group name (commandGroupStr): "sorted_set" is "sorted-set". */
export function commandGroupName(spec: CommandSpec): string {
  return spec.group.replace(/_/g, '-');
}
