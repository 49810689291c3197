/**
 * SORT and SORT_RO (Valkey group "generic"), following sort.c and pqsort.c
 * of Valkey 9.1.2:
 *
 * - options parsed left to right before the key is looked up (a bad LIMIT or
 *   an unknown word wins over WRONGTYPE); SORT_RO does not know STORE;
 * - BY without '*' means "don't sort": lists and sorted sets keep their own
 *   order (reversed by DESC), sets their iteration order, except with STORE
 *   where a set is sorted ALPHA so the stored result is deterministic;
 * - BY/GET patterns: the first '*' takes the element, "->field" after it
 *   reads a hash field (expired fields are invisible), "#" is the element
 *   itself; every lookup is a lookupKeyRead (stats, lazy expiry, keymiss);
 * - numeric order with ties broken by the element's bytes; ALPHA compares
 *   with strcoll (the C locale: strcmp, which stops at a NUL byte) unless
 *   STORE is given (memcmp); a missing BY value sorts first under ALPHA;
 * - glibc's qsort is a stable merge sort, so ties that the comparison leaves
 *   (ALPHA with BY) keep the loading order; BY with a LIMIT that cuts the
 *   result uses Valkey's own partial quicksort, reproduced step for step
 *   because its tie order is visible;
 * - a sorted set is converted to a skiplist by any SORT (even SORT_RO);
 * - STORE writes a list built like SORT builds it (ListValue.built),
 *   deletes the destination when the result is empty, fires 'sortstore' and
 *   counts one dirty change per stored element.
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { getLongLong, parseDouble } from '../args.js';
import type { CommandGroup } from '../command.js';
import type { Context } from '../context.js';
import { pqsort } from '../pqsort.js';
import { Err } from '../errors.js';
import type { HashValue } from '../types/hash.js';
import { ListValue } from '../types/list.js';
import type { SetValue } from '../types/set.js';
import { cEq } from '../types/string.js';
import type { ZSet } from '../types/zset.js';
import { KeyFlag } from '../../meta/index.js';
import { aclFullKeyAccess } from '../acl/index.js';

/** strchr(pattern, '*') on the C string. */
const cstrHasStar = (p: Bytes): boolean => { const z = p.indexOf('\0'); return (z < 0 ? p : p.slice(0, z)).includes('*'); };

// --- patterns ---------------------------------------------------------------

/** A BY or GET pattern, split once per command (lookupKeyByPattern's parsing). */
interface Pattern {
  /** "#": the element itself. */
  readonly self: boolean;
  /** No '*' (before any NUL byte): nothing to look up. */
  readonly constant: boolean;
  readonly prefix: Bytes;
  readonly suffix: Bytes;
  /** The hash field after "->", or null for a string key. */
  readonly field: Bytes | null;
}

/** The C string Valkey's strchr/strstr/strcoll see: up to the first NUL byte. */
function cstr(s: Bytes): Bytes {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

function parsePattern(pat: Bytes): Pattern {
  const self = pat.length > 0 && pat.charCodeAt(0) === 35 && (pat.length === 1 || pat.charCodeAt(1) === 0);
  const c = cstr(pat);
  const star = c.indexOf('*');
  if (self || star < 0) return { self, constant: !self, prefix: '', suffix: '', field: null };
  // A "->" after the '*' followed by at least one (non-NUL) byte names a hash field; the field and the
  // key's tail take their lengths from the whole argument, NUL bytes included.
  const arrow = c.indexOf('->', star + 1);
  const hasField = arrow >= 0 && arrow + 2 < c.length;
  const fieldLen = hasField ? pat.length - arrow - 2 : 0;
  const suffixLen = pat.length - (star + 1) - (hasField ? fieldLen + 2 : 0);
  return {
    self: false,
    constant: false,
    prefix: pat.slice(0, star),
    suffix: pat.slice(star + 1, star + 1 + suffixLen),
    field: hasField ? pat.slice(pat.length - fieldLen) : null,
  };
}

/**
 * lookupKeyByPattern: the string value (or hash field) the pattern names for
 * `elem`, or null when there is none (missing key, wrong type, no field).
 */
function lookupByPattern(ctx: Context, p: Pattern, elem: Bytes): Bytes | null {
  if (p.self) return elem;
  if (p.constant) return null;
  const e = ctx.read(p.prefix + elem + p.suffix);
  if (e === undefined) return null;
  if (p.field !== null) {
    if (e.type !== 'hash') return null;
    return (e.value as HashValue).get(p.field, ctx.now) ?? null;
  }
  return e.type === 'string' ? (e.value as Bytes) : null;
}

// --- comparison ---------------------------------------------------------------

/** One element of the sorting vector (serverSortObject). */
interface SortItem {
  readonly obj: Bytes;
  score: number;
  /** ALPHA: the bytes compared (already cut at NUL for strcoll); null for a missing BY value. */
  key: Bytes | null;
}

type Cmp = (a: SortItem, b: SortItem) => number;

/** compareStringObjects: memcmp, then the shorter first. Latin1 JS strings order exactly so. */
function binCmp(a: Bytes, b: Bytes): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** sortCompare for the options in force. */
function comparator(alpha: boolean, desc: boolean): Cmp {
  let cmp: Cmp;
  if (!alpha) {
    cmp = (a, b) => (a.score > b.score ? 1 : a.score < b.score ? -1 : binCmp(a.obj, b.obj));
  } else {
    // Without BY every key is set; with BY a missing value (null) sorts first and equals another missing one.
    cmp = (a, b) => {
      const x = a.key;
      const y = b.key;
      if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
      return binCmp(x, y);
    };
  }
  return desc ? (a, b) => -cmp(a, b) : cmp;
}

// --- SORT -------------------------------------------------------------------

function item(obj: Bytes): SortItem {
  return { obj, score: 0, key: null };
}

function clamp(v: bigint, lo: number, hi: number): number {
  return v < BigInt(lo) ? lo : v > BigInt(hi) ? hi : Number(v);
}

function sortGeneric(ctx: Context, argv: readonly Bytes[], readonly: boolean): Reply {
  let desc = false;
  let alpha = false;
  let dontsort = false;
  let limitStart = 0n;
  let limitCount = -1n;
  let sortby: Pattern | null = null;
  let storekey: Bytes | null = null;
  const gets: Pattern[] = [];
  let fullKeys: boolean | undefined;

  for (let j = 2; j < argv.length; j++) {
    const a = argv[j]!;
    const left = argv.length - j - 1;
    if (cEq(a, 'asc')) desc = false;
    else if (cEq(a, 'desc')) desc = true;
    else if (cEq(a, 'alpha')) alpha = true;
    else if (cEq(a, 'limit') && left >= 2) {
      limitStart = getLongLong(argv[j + 1]!);
      limitCount = getLongLong(argv[j + 2]!);
      j += 2;
    } else if (!readonly && cEq(a, 'store') && left >= 1) {
      storekey = argv[++j]!;
    } else if (cEq(a, 'by') && left >= 1) {
      // A real BY pattern reads keys no key spec names: the user needs read access to every key.
      if (cstrHasStar(argv[j + 1]!) && !(fullKeys ??= aclFullKeyAccess(ctx.engine, ctx.client, ctx.cmd, argv, KeyFlag.ACCESS))) {
        throw Err.generic('BY option of SORT denied due to insufficient ACL permissions.');
      }
      sortby = parsePattern(argv[++j]!);
      // A BY pattern without '*' is constant: nothing to sort, nothing to look up. A later BY with a
      // '*' does not undo it (Valkey never clears the flag).
      if (sortby.constant || sortby.self) dontsort = true;
    } else if (cEq(a, 'get') && left >= 1) {
      if (!(fullKeys ??= aclFullKeyAccess(ctx.engine, ctx.client, ctx.cmd, argv, KeyFlag.ACCESS))) {
        throw Err.generic('GET option of SORT denied due to insufficient ACL permissions.');
      }
      gets.push(parsePattern(argv[++j]!));
    } else {
      throw Err.syntax();
    }
  }

  const e = ctx.read(argv[1]!);
  if (e !== undefined && e.type !== 'set' && e.type !== 'list' && e.type !== 'zset') throw Err.wrongType();
  const type = e?.type ?? 'list';

  // A set has no order of its own: sort it when the result is stored (scripts too, in Valkey).
  if (dontsort && type === 'set' && (storekey !== null || ctx.client.script)) {
    dontsort = false;
    alpha = true;
    sortby = null;
  }
  if (type === 'zset') (e!.value as ZSet).toSkiplist();

  let vectorlen = e === undefined ? 0 : type === 'list' ? (e.value as ListValue).length : type === 'set' ? (e.value as SetValue).size : (e.value as ZSet).size;

  let start = clamp(limitStart, 0, vectorlen);
  const count = clamp(limitCount, -1, vectorlen);
  let end = count < 0 ? vectorlen - 1 : start + count - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;
  if ((type === 'zset' || type === 'list') && dontsort && (start !== 0 || end !== vectorlen - 1)) vectorlen = end - start + 1;

  // Load the vector.
  let vector: SortItem[];
  if (e === undefined) {
    vector = [];
  } else if (type === 'list') {
    const list = e.value as ListValue;
    if (!dontsort) {
      vector = list.toArray().map(item);
    } else if (end >= start) {
      // The list's own order (from the tail with DESC), only the range LIMIT asks for.
      const len = list.length;
      vector = (desc ? list.range(len - 1 - end, len - 1 - start, true) : list.range(start, end)).map(item);
      end -= start;
      start = 0;
    } else {
      vector = [];
    }
  } else if (type === 'set') {
    vector = (e.value as SetValue).members().map(item);
  } else {
    const zs = e.value as ZSet;
    if (dontsort) {
      vector = [];
      let node = desc ? zs.at(zs.size - 1 - start) : zs.at(start);
      for (let i = 0; i < vectorlen && node !== null; i++) {
        vector.push(item(node.member));
        node = desc ? node.backward : node.next[0]!;
      }
      end -= start;
      start = 0;
    } else {
      vector = [];
      for (const m of zs.members()) vector.push(item(m));
    }
  }

  let conversionError = false;
  if (!dontsort) {
    for (const it of vector) {
      let byval: Bytes | null;
      if (sortby !== null) {
        byval = lookupByPattern(ctx, sortby, it.obj);
        if (byval === null) continue;
      } else {
        byval = it.obj;
      }
      if (alpha) {
        // strcoll in the C locale is strcmp: it stops at a NUL byte. STORE compares all the bytes.
        it.key = storekey !== null ? byval : cstr(byval);
      } else {
        // The number must end at the string's end or at a NUL byte; nan and overflow are refused.
        const d = parseDouble(cstr(byval));
        if (d === null) conversionError = true;
        else it.score = d;
      }
    }
    if (vector.length !== 0) {
      const cmp = comparator(alpha, desc);
      if (sortby !== null && (start !== 0 || end !== vector.length - 1)) pqsort(vector, cmp, start, end);
      else vector.sort(cmp); // glibc's qsort is a merge sort: stable, as Array.prototype.sort
    }
  }

  const outputlen = gets.length > 0 ? gets.length * (end - start + 1) : end - start + 1;
  if (conversionError) throw Err.generic("One or more scores can't be converted into double");

  if (storekey === null) {
    const out: Reply[] = new Array<Reply>(outputlen);
    let k = 0;
    for (let j = start; j <= end; j++) {
      const obj = vector[j]!.obj;
      if (gets.length === 0) out[k++] = R.bulk(obj);
      for (const g of gets) out[k++] = R.bulkOrNull(lookupByPattern(ctx, g, obj));
    }
    return R.array(out);
  }

  const items: Bytes[] = [];
  for (let j = start; j <= end; j++) {
    const obj = vector[j]!.obj;
    if (gets.length === 0) items.push(obj);
    else for (const g of gets) items.push(lookupByPattern(ctx, g, obj) ?? '');
  }
  if (outputlen > 0) {
    const list = ListValue.built(items, ctx.engine.config.getInt('list-max-listpack-size'));
    ctx.write(storekey); // setKey's lookupKeyWrite: an expired destination goes first
    ctx.db.set(storekey, 'list', list, ctx.now);
    ctx.modified(storekey);
    ctx.notify('l', 'sortstore', storekey);
    ctx.dirty(outputlen);
  } else if (ctx.db.delete(storekey)) {
    ctx.modified(storekey);
    ctx.notify('g', 'del', storekey);
    ctx.dirty();
  }
  return R.int(outputlen);
}

export const sortCommands: CommandGroup = {
  sort: (ctx, argv) => sortGeneric(ctx, argv, false),
  sort_ro: (ctx, argv) => sortGeneric(ctx, argv, true),
};
