/**
 * Every loosening of the corpus, in one place. Two replies are compared byte
 * for byte (raw driver) or as equal common values (client drivers) unless a
 * rule below says otherwise; each rule is named, and says why.
 *
 * 1. What client libraries cannot tell apart (`ClientProfile`): the common
 *    value shape (value.ts) already folds string kinds, number kinds, null
 *    kinds and set/array; on top of that, map keys are UTF-8 text in every
 *    client here, a key repeated in one map collapses (JS Map and object
 *    semantics), and some clients lose the order of map entries.
 * 2. Per command, from Valkey's own metadata (command_tips):
 *    - `nondeterministic_output_order` → `unordered`: the reply's top-level
 *      elements are compared as a multiset (map entries as (key, value) pairs).
 *    - `nondeterministic_output` → either excluded from generated sequences,
 *      or compared by `structure` (the shape of the reply, errors exact), or
 *      by `clock` (integers within a tolerance: the reply reads a clock).
 * 3. Not from tips, named here: commands whose reply depends on when they
 *    ran (`clock`: EXPIRETIME after a relative EXPIRE, field TTLs), SORT
 *    (`unordered`: ties follow a hash table's order), and
 *    commands kept out of generated sequences (`EXCLUDED`) because they act
 *    on the connection, the whole server or the disk, or block.
 */
import { COMMAND_SPECS, type CommandSpec, type RawValue } from '../src/index.js';
import { rawBytesOf } from './expect.js';
import { canonical, isErr, isMap, isNum, valueFromRaw, type Value } from './value.js';

// ---------------------------------------------------------------------------
// 1. Client profiles
// ---------------------------------------------------------------------------

/** What a client library loses when it decodes replies, beyond the common value shape. */
export interface ClientProfile {
  /** Map keys arrive as UTF-8 text (every client here): invalid UTF-8 bytes are replaced. */
  readonly mapKeysUtf8: boolean;
  /** Map entries arrive in an order of the client's making (a JS object: integer-like keys first). */
  readonly mapsUnordered: boolean;
  /**
   * A key repeated in one map (Valkey sends them: COMMAND DOCS get get) collapses into one
   * entry, as in a JS Map or object: the first key's place, the last value.
   */
  readonly mapKeysCollapse?: boolean;
}

/** The raw driver: nothing lost (and its replies are compared as bytes anyway). */
export const EXACT_PROFILE: ClientProfile = { mapKeysUtf8: false, mapsUnordered: false };

/** `bytes` (latin1) as a client decodes them to UTF-8 text and we read that text back as UTF-8 bytes. */
export function utf8RoundTrip(bytes: string): string {
  return Buffer.from(Buffer.from(bytes, 'latin1').toString('utf8'), 'utf8').toString('latin1');
}

/** A wire reply as a client with this profile can see it. */
export function clientView(raw: RawValue, profile: ClientProfile): Value {
  return applyProfile(valueFromRaw(raw), profile);
}

/** Applies a profile's losses to a value in the common shape (idempotent). */
export function applyProfile(v: Value, profile: ClientProfile): Value {
  if (profile === EXACT_PROFILE || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => applyProfile(x, profile));
  if (isMap(v)) {
    let entries = v.map.map(([k, x]) => [
      profile.mapKeysUtf8 && typeof k === 'string' ? utf8RoundTrip(k) : applyProfile(k, profile),
      applyProfile(x, profile),
    ] as const);
    if (profile.mapKeysCollapse) {
      const byKey = new Map<string, readonly [Value, Value]>();
      for (const e of entries) {
        const c = canonical(e[0]);
        byKey.set(c, byKey.has(c) ? [byKey.get(c)![0], e[1]] : e);
      }
      entries = [...byKey.values()];
    }
    if (profile.mapsUnordered) entries = [...entries].sort((a, b) => (canonical(a[0]) < canonical(b[0]) ? -1 : 1));
    return { map: entries };
  }
  return v;
}

// ---------------------------------------------------------------------------
// 2 and 3. Per-command comparison
// ---------------------------------------------------------------------------

export type CompareMode =
  | { readonly kind: 'exact' }
  /**
   * Top-level elements as a multiset; `pairs` groups a RESP2 flat map reply
   * into (key, value); `deep` ignores order at every level (COMMAND's
   * subcommand tables are hash tables too).
   */
  | { readonly kind: 'unordered'; readonly pairs: boolean; readonly deep?: boolean; readonly why: string }
  /** Only the reply's shape: kinds of scalars and aggregates, not values or lengths; errors exact. */
  | { readonly kind: 'structure'; readonly why: string }
  /** Integers ≥ 0 within ±tolerance (negative ones, -1/-2 "no TTL"/"no key", exact). */
  | { readonly kind: 'clock'; readonly tolerance: number; readonly why: string };

const EXACT: CompareMode = { kind: 'exact' };

/**
 * Replies shaped as maps (RESP2: flat arrays of key, value) among the
 * commands whose order is undefined. The metadata has no reply schemas, so
 * the shape is named here.
 */
const MAP_SHAPED = new Set(['hgetall', 'command|docs', 'config|get']);

/** Replies that nest more tables in hash-table order (subcommands of containers). */
const DEEP_UNORDERED = new Set(['command', 'command|info', 'command|docs']);

/**
 * `nondeterministic_output` commands that stay in generated sequences:
 * compared by structure (random picks, cursors, encodings) or on a clock
 * tolerance (they read the time). Every other such command is excluded.
 */
const NONDETERMINISTIC_KEPT: Readonly<Record<string, CompareMode>> = {
  randomkey: { kind: 'structure', why: 'a random key' },
  srandmember: { kind: 'structure', why: 'random members' },
  hrandfield: { kind: 'structure', why: 'random fields' },
  zrandmember: { kind: 'structure', why: 'random members' },
  scan: { kind: 'structure', why: 'cursor values and batch boundaries follow the hash table' },
  sscan: { kind: 'structure', why: 'cursor values and batch boundaries follow the hash table' },
  hscan: { kind: 'structure', why: 'cursor values and batch boundaries follow the hash table' },
  zscan: { kind: 'structure', why: 'cursor values and batch boundaries follow the hash table' },
  'object|encoding': { kind: 'structure', why: 'internal encodings may change between releases' },
  'object|freq': { kind: 'structure', why: 'an LFU counter with a random increment' },
  'object|refcount': { kind: 'structure', why: 'shared objects are an implementation detail' },
  ttl: { kind: 'clock', tolerance: 2, why: 'seconds left, read on each server\'s own clock' },
  pttl: { kind: 'clock', tolerance: 2000, why: 'milliseconds left, read on each server\'s own clock' },
  'object|idletime': { kind: 'clock', tolerance: 2, why: 'seconds since last access, on each server\'s clock' },
};

/** Not tipped, but the reply holds a time computed from "now" when an earlier command ran. */
const CLOCK_DERIVED: Readonly<Record<string, CompareMode>> = {
  expiretime: { kind: 'clock', tolerance: 2, why: 'an expiry set relative to each server\'s clock' },
  pexpiretime: { kind: 'clock', tolerance: 2000, why: 'an expiry set relative to each server\'s clock' },
  httl: { kind: 'clock', tolerance: 2, why: 'seconds left, read on each server\'s own clock' },
  hpttl: { kind: 'clock', tolerance: 2000, why: 'milliseconds left, read on each server\'s own clock' },
  hexpiretime: { kind: 'clock', tolerance: 2, why: 'an expiry set relative to each server\'s clock' },
  hpexpiretime: { kind: 'clock', tolerance: 2000, why: 'an expiry set relative to each server\'s clock' },
};

/**
 * Not tipped, but the order among ties follows a hash table: SORT keeps the
 * load order of elements whose weights compare equal, and it loads sets and
 * sorted sets in the order of their (randomly seeded) dict. Elements are
 * compared as a multiset; example cases check SORT's order where Valkey
 * defines it.
 */
const HASH_ORDER_TIES: Readonly<Record<string, CompareMode>> = {
  sort: { kind: 'unordered', pairs: false, why: 'ties keep the load order, and sets and sorted sets load in hash-table order' },
  sort_ro: { kind: 'unordered', pairs: false, why: 'ties keep the load order, and sets and sorted sets load in hash-table order' },
  'acl|cat': { kind: 'unordered', pairs: false, why: 'the commands of a category come in the order of the command hash table (its seed is random per process)' },
};

/**
 * Kept out of generated sequences, whatever their tips: they act on the
 * connection (a client library manages it), on the whole server beyond one
 * sequence, on the disk or the network, or they block.
 */
export const EXCLUDED: Readonly<Record<string, string>> = {
  auth: 'changes the connection\'s user',
  hello: 'changes the connection\'s protocol',
  quit: 'closes the connection',
  reset: 'resets the connection (protocol, db, name)',
  'client|kill': 'closes connections',
  'client|reply': 'silences the connection\'s replies',
  'client|pause': 'pauses the whole server',
  'client|unpause': 'pairs with CLIENT PAUSE',
  'client|id': 'a server-assigned id that depends on connection history',
  'client|unblock': 'takes server-assigned client ids',
  'client|tracking': 'turns on invalidation pushes for the connection',
  'client|caching': 'pairs with CLIENT TRACKING',
  'client|getredir': 'pairs with CLIENT TRACKING',
  'client|import-source': 'marks the connection as an import source',
  'config|set': 'changes the server for every later sequence',
  'config|rewrite': 'writes the config file',
  'config|resetstat': 'resets server-wide statistics',
  save: 'writes to disk',
  bgsave: 'forks and writes to disk; the next reply depends on timing',
  bgrewriteaof: 'forks and writes to disk',
  shutdown: 'stops the server',
  debug: 'debugging hooks, off by default',
  monitor: 'turns the connection into a monitor',
  sync: 'replication handshake',
  psync: 'replication handshake',
  replconf: 'replication handshake',
  replicaof: 'changes the server\'s role',
  slaveof: 'changes the server\'s role',
  failover: 'changes the server\'s role',
  'restore-asking': 'cluster migration internals',
  lolwut: 'draws with random numbers',
  migrate: 'opens a connection to another server',
  spop: 'removes random members: later replies would differ for that reason alone',
  subscribe: 'puts the connection in subscriber mode',
  psubscribe: 'puts the connection in subscriber mode',
  ssubscribe: 'puts the connection in subscriber mode',
  unsubscribe: 'replies with pushes that pair with SUBSCRIBE',
  punsubscribe: 'replies with pushes that pair with PSUBSCRIBE',
  sunsubscribe: 'replies with pushes that pair with SSUBSCRIBE',
  'acl|genpass': 'a random password',
  'memory|usage': 'sizes that depend on the allocator',
  pfselftest: 'a slow self test of the HyperLogLog code, nothing to compare',
  'acl|setuser': 'changes server-wide users', 'acl|deluser': 'changes server-wide users',
  'acl|load': 'reads the ACL file', 'acl|save': 'writes the ACL file', 'acl|log': 'server-wide security log',
  'module|load': 'loads code into the server', 'module|loadex': 'loads code into the server', 'module|unload': 'unloads modules',
  'latency|reset': 'server-wide statistics', 'slowlog|reset': 'server-wide statistics', 'commandlog|reset': 'server-wide statistics',
  'memory|purge': 'allocator internals',
  'script|kill': 'acts on another connection\'s script', 'function|kill': 'acts on another connection\'s function',
};

/** Whole groups kept out of generated sequences. */
export const EXCLUDED_GROUPS: Readonly<Record<string, string>> = {
  cluster: 'cluster mode only',
  sentinel: 'sentinel mode only',
};

/** Walks the metadata: every callable command by its full name ("get", "client|list"). */
export function allCommandSpecs(): Map<string, CommandSpec> {
  const out = new Map<string, CommandSpec>();
  for (const s of COMMAND_SPECS) {
    if (s.subcommands?.length) {
      for (const c of s.subcommands) out.set(`${s.name}|${c.name}`, c);
      // A container that also runs bare (COMMAND) keeps its own entry.
      if (s.arity === -1 || s.arity === 1) out.set(s.name, s);
    } else {
      out.set(s.name, s);
    }
  }
  return out;
}

let specCache: Map<string, CommandSpec> | undefined;
export function specOf(fullname: string): CommandSpec | undefined {
  specCache ??= allCommandSpecs();
  return specCache.get(fullname);
}

/** The full name of the command argv calls ("client|list" for CLIENT LIST), if the metadata knows it. */
export function commandNameOf(argv: readonly (string | Buffer | number)[]): string {
  const name = String(argv[0] ?? '').toLowerCase();
  specCache ??= allCommandSpecs();
  if (argv.length >= 2) {
    const sub = `${name}|${String(argv[1]).toLowerCase()}`;
    if (specCache.has(sub)) return sub;
  }
  return name;
}

/** Why a command is kept out of generated sequences, or undefined when it may be generated. */
export function exclusionReason(fullname: string): string | undefined {
  const spec = specOf(fullname);
  if (!spec) return 'not a Valkey 9 command';
  if (EXCLUDED[fullname]) return EXCLUDED[fullname];
  if (EXCLUDED_GROUPS[spec.group]) return EXCLUDED_GROUPS[spec.group];
  if (spec.flags.includes('blocking')) return 'may block the connection';
  if (spec.tips.includes('nondeterministic_output') && !NONDETERMINISTIC_KEPT[fullname]) {
    return 'nondeterministic_output, and no structural comparison is defined for it';
  }
  return undefined;
}

/** How replies of a command are compared. */
export function compareModeFor(fullname: string): CompareMode {
  const kept = NONDETERMINISTIC_KEPT[fullname] ?? CLOCK_DERIVED[fullname] ?? HASH_ORDER_TIES[fullname];
  if (kept) return kept;
  const spec = specOf(fullname);
  if (spec?.tips.includes('nondeterministic_output_order')) {
    return {
      kind: 'unordered', pairs: MAP_SHAPED.has(fullname), why: 'nondeterministic_output_order',
      ...(DEEP_UNORDERED.has(fullname) ? { deep: true } : {}),
    };
  }
  if (MAP_SHAPED.has(fullname)) {
    // CONFIG GET replies in the order of the server's config dictionary.
    return { kind: 'unordered', pairs: true, why: 'entries follow a hash table' };
  }
  return EXACT;
}

// ---------------------------------------------------------------------------
// Comparing two replies
// ---------------------------------------------------------------------------

/** Compares two wire replies (raw driver on both sides), keeping RESP types. Undefined when they match. */
export function compareRaw(mode: CompareMode, a: { raw: string; value: RawValue }, b: { raw: string; value: RawValue }, resp: 2 | 3): string | undefined {
  if (mode.kind === 'exact' || a.value.type === 'error' || b.value.type === 'error') {
    return a.raw === b.raw ? undefined : 'bytes differ';
  }
  switch (mode.kind) {
    case 'unordered': {
      if (mode.deep) return deepRaw(a.value, resp) === deepRaw(b.value, resp) ? undefined : 'elements differ (order ignored at every level: ' + mode.why + ')';
      const ca = rawMultiset(a.value, mode.pairs, resp);
      const cb = rawMultiset(b.value, mode.pairs, resp);
      if (ca === undefined || cb === undefined) return a.raw === b.raw ? undefined : 'bytes differ';
      return ca === cb ? undefined : 'elements differ (order ignored: ' + mode.why + ')';
    }
    case 'structure':
      return sameShape(rawShape(a.value), rawShape(b.value)) ? undefined : `shapes differ (compared by structure: ${mode.why})`;
    case 'clock':
      return rawWithinClock(a.value, b.value, mode.tolerance) ? undefined : `not within ±${mode.tolerance} (${mode.why})`;
  }
}

/** A canonical form with every aggregate's elements sorted, recursively (RESP types kept). */
function deepRaw(v: RawValue, resp: 2 | 3): string {
  switch (v.type) {
    case 'array': case 'set': case 'push':
      return v.value === null ? rawBytesOf(v, resp) : v.type + '[' + v.value.map((x) => deepRaw(x, resp)).sort().join(',') + ']';
    case 'map': case 'attr':
      return v.type + '{' + v.value.map(([k, x]) => deepRaw(k, resp) + '=' + deepRaw(x, resp)).sort().join(',') + '}';
    default:
      return rawBytesOf(v, resp);
  }
}

function deepValue(v: Value): string {
  if (Array.isArray(v)) return '[' + v.map(deepValue).sort().join(',') + ']';
  if (isMap(v)) return '{' + v.map.map(([k, x]) => deepValue(k) + '=' + deepValue(x)).sort().join(',') + '}';
  return canonical(v);
}

function rawMultiset(v: RawValue, pairs: boolean, resp: 2 | 3): string | undefined {
  if ((v.type === 'array' || v.type === 'set') && v.value) {
    const parts = v.value.map((x) => rawBytesOf(x, resp));
    const items: string[] = [];
    if (pairs) for (let i = 0; i < parts.length; i += 2) items.push(parts[i]! + (parts[i + 1] ?? ''));
    else items.push(...parts);
    return v.type + JSON.stringify(items.sort());
  }
  if (v.type === 'map') return 'map' + JSON.stringify(v.value.map(([k, x]) => rawBytesOf(k, resp) + rawBytesOf(x, resp)).sort());
  return undefined;
}

/**
 * The shape of a reply, as a tree: a scalar is its kind (an error its whole
 * message), an aggregate its kind and the distinct shapes of its elements.
 */
export interface Shape {
  readonly kind: string;
  readonly items?: readonly Shape[];
}

/** The shape of a wire reply (RESP types kept). */
export function rawShape(v: RawValue): Shape {
  switch (v.type) {
    case 'error': return { kind: 'err:' + v.value };
    case 'array': case 'set': case 'push':
      return v.value === null ? { kind: v.type + ':null' } : { kind: v.type, items: distinct(v.value.map(rawShape)) };
    case 'map': case 'attr':
      return { kind: v.type, items: distinct(v.value.flatMap(([k, x]) => [rawShape(k), rawShape(x)])) };
    default: return { kind: v.type };
  }
}

function distinct(shapes: Shape[]): Shape[] {
  const seen = new Map<string, Shape>();
  for (const s of shapes) seen.set(JSON.stringify(s), s);
  return [...seen.values()];
}

/**
 * Same kinds all the way down; an empty aggregate matches any aggregate of
 * its kind (a SCAN batch may be empty on one server and not on the other).
 */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.kind !== b.kind) return false;
  if (!a.items || !b.items || a.items.length === 0 || b.items.length === 0) return true;
  return a.items.every((x) => b.items!.some((y) => sameShape(x, y))) && b.items.every((y) => a.items!.some((x) => sameShape(x, y)));
}

function rawWithinClock(a: RawValue, b: RawValue, tol: number): boolean {
  if (a.type === 'array' && b.type === 'array' && a.value && b.value) {
    return a.value.length === b.value.length && a.value.every((x, i) => rawWithinClock(x, b.value![i]!, tol));
  }
  if (a.type === 'int' && b.type === 'int') {
    const x = Number(a.value);
    const y = Number(b.value);
    if (x < 0 || y < 0) return x === y;
    return Math.abs(x - y) <= tol;
  }
  return rawBytesOf(a, 3) === rawBytesOf(b, 3);
}

/** Compares two values in the common shape (client drivers). Undefined when they match. */
export function compareValues(mode: CompareMode, a: Value, b: Value): string | undefined {
  if (mode.kind === 'exact' || isErr(a) || isErr(b)) return canonical(a) === canonical(b) ? undefined : 'replies differ';
  switch (mode.kind) {
    case 'unordered': {
      if (mode.deep) return deepValue(a) === deepValue(b) ? undefined : 'elements differ (order ignored at every level: ' + mode.why + ')';
      const ca = multiset(a, mode.pairs);
      const cb = multiset(b, mode.pairs);
      if (ca === undefined || cb === undefined) return canonical(a) === canonical(b) ? undefined : 'replies differ';
      return ca === cb ? undefined : 'elements differ (order ignored: ' + mode.why + ')';
    }
    case 'structure':
      return sameShape(shape(a), shape(b)) ? undefined : `shapes differ (compared by structure: ${mode.why})`;
    case 'clock':
      return withinClock(a, b, mode.tolerance) ? undefined : `not within ±${mode.tolerance} (${mode.why})`;
  }
}

function multiset(v: Value, pairs: boolean): string | undefined {
  if (Array.isArray(v)) {
    const items: string[] = [];
    if (pairs) for (let i = 0; i < v.length; i += 2) items.push(canonical(v[i]!) + '=' + canonical(v[i + 1] ?? null));
    else for (const x of v) items.push(canonical(x));
    return 'a' + JSON.stringify(items.sort());
  }
  if (isMap(v)) return 'm' + JSON.stringify(v.map.map(([k, x]) => canonical(k) + '=' + canonical(x)).sort());
  return undefined;
}

/** The shape of a value in the common shape. */
export function shape(v: Value): Shape {
  if (v === null) return { kind: 'nil' };
  if (typeof v === 'string') return { kind: 'str' };
  if (typeof v === 'boolean') return { kind: 'bool' };
  if (Array.isArray(v)) return { kind: 'array', items: distinct(v.map(shape)) };
  if (isErr(v)) return { kind: 'err:' + v.err };
  if (isNum(v)) return { kind: 'num' };
  if (isMap(v)) return { kind: 'map', items: distinct(v.map.flatMap(([k, x]) => [shape(k), shape(x)])) };
  return { kind: '?' };
}

function withinClock(a: Value, b: Value, tol: number): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => withinClock(x, b[i]!, tol));
  if (isNum(a) && isNum(b)) {
    const x = Number(a.num);
    const y = Number(b.num);
    if (x < 0 || y < 0) return x === y;
    return Math.abs(x - y) <= tol;
  }
  return canonical(a) === canonical(b);
}
