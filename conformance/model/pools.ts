/**
 * Small pools of argument values, so generated commands collide: three keys
 * shared by every type (so WRONGTYPE comes up), a few fields and members,
 * numbers at the edges of Valkey's parsers, and malformed values.
 *
 * Two limits keep sequences safe to run against any server:
 *   - offsets and sizes stay small (SETBIT k 4294967295 would allocate 512 MB);
 *     the largest values in the pools hit the range checks instead.
 *   - relative times are 0, negative or at least 100 s, absolute times far in
 *     the past or the future, so no key expires while a sequence runs
 *     (the two servers would see it at slightly different moments).
 */
import type { ArgSpec } from '../../src/index.js';

export const KEYS = ['k1', 'k2', 'k3'] as const;
export const FIELDS = ['f1', 'f2', 'f3', '1', 'a'] as const;
export const VALUES = ['a', 'b', '1', '2', '10', '-1', '3.5', '', 'hello', 'a\x00\xff', 'f1'] as const;
/** What malformed calls insert or substitute. */
export const GARBAGE = ['x', '', '-1', '0', '1.5', 'NX', 'EX', 'GET', 'WITHSCORES', '9223372036854775808'] as const;

/**
 * Values for one argument: `good` ones parse (though they may still be out
 * of range for the data at hand), `bad` ones hit the argument's error paths.
 * The grammar draws a bad one about one time in ten.
 */
export interface Pool {
  readonly good: readonly string[];
  readonly bad: readonly string[];
}
const pool = (good: readonly string[], bad: readonly string[] = []): Pool => ({ good, bad });

const INTS = pool(['0', '1', '-1', '2', '3', '10', '-100', '100', '9223372036854775807', '-9223372036854775808'], ['x', '1.5', '9223372036854775808', '']);
const SMALL_INTS = pool(['0', '1', '-1', '2', '3', '10', '-10'], ['x', '1.5']);
/** Bit offsets (SETBIT, GETBIT): the largest valid one would allocate 512 MB, so only its invalid neighbour. */
const BIT_OFFSETS = pool(['0', '1', '7', '8', '15', '100'], ['-1', 'x', '4294967296']);
/** Byte offsets (SETRANGE): 536870912 is just past the 512 MB limit, an error. */
const BYTE_OFFSETS = pool(['0', '1', '5', '100'], ['-1', 'x', '536870912']);
const BITFIELD_OFFSETS = pool(['0', '1', '8', '#1', '#0', '100'], ['-1', 'x', '#x']);
const ENCODINGS = pool(['u8', 'i8', 'u1', 'i64', 'u63', 'i5', 'u16'], ['u64', 'x', 'i65']);
const DBS = pool(['0', '1', '2', '15'], ['16', '-1', 'x']);
const SECONDS = pool(['0', '-1', '100', '1000', '100000'], ['x', '1.5', '9223372036854775807']);
const MILLISECONDS = pool(['0', '-1', '100000', '1000000'], ['x', '9223372036854775807']);
const UNIX_SECONDS = pool(['0', '1', '100', '4102444800', '-1'], ['x']);
const UNIX_MS = pool(['0', '1', '4102444800000', '-1'], ['x']);
const DOUBLES = pool(['0', '1', '1.5', '-2', 'inf', '-inf', '+inf', '1e308', '-0', '3'], ['nan', 'x', '']);
const SCORE_RANGES = pool(['0', '-1', '1', '2', '(1', '1.5', '-inf', '+inf', '(2'], ['x', '(x']);
const LEX_RANGES = pool(['-', '+', '[a', '(a', '[f2', '(1', '[1'], ['a', 'x']);
/** ZRANGE's start and stop are indexes, scores or lex bounds depending on BYSCORE/BYLEX. */
const RANGE_STRINGS = pool(['0', '-1', '1', '2', '(1', '[a', '-', '+', '-inf', '+inf'], ['x']);
const PATTERNS = pool(['*', 'k*', 'k?', '[k]1', 'nomatch', '*1', '\\*', 'f*']);
const SORT_PATTERNS = pool(['nosort', 'k*', '#', 'k*->f1', 'k?']);
const TYPES = pool(['string', 'list', 'hash', 'set', 'zset'], ['stream', 'x']);
const CONFIG_PARAMS = pool(['maxmemory', 'hz', 'databases', 'appendonly', 'maxmemory-policy', 'list-max-listpack-size', 'lfu-log-factor', 'timeout', 'max*'], ['nosuch']);
const COMMAND_NAMES = pool(['get', 'set', 'client|list', 'GET', 'zadd', 'lpush', 'hset'], ['nosuch', 'client']);
const CURSORS = pool(['0', '1', '18446744073709551615'], ['x', '18446744073709551616']);
const CLIENT_NAMES = pool(['conn1', ''], ['a b', 'x\ny']);
const CATEGORIES = pool(['string', 'keyspace', 'read'], ['nosuch']);
const LONGITUDES = pool(['13.361389', '15.087269', '0', '-180', '180', '13.5'], ['181', 'x']);
const LATITUDES = pool(['38.115556', '37.502669', '0', '85.05112878', '-85.05112878', '38'], ['86', 'x']);
const DISTANCES = pool(['1', '100', '200', '200000', '0', '1e6'], ['-1', 'x']);
const HLL_SUBCOMMANDS = pool(['GETREG', 'DECODE', 'ENCODING', 'TODENSE'], ['nosuch']);
const VALUE_POOL = pool(VALUES);
const KEY_POOL = pool(KEYS);
const FIELD_POOL = pool(FIELDS);

/** The pool for one argument of a command, by its type and name. */
export function poolFor(cmd: string, a: ArgSpec): Pool {
  const n = a.name;
  switch (a.type) {
    case 'key': return KEY_POOL;
    case 'pattern':
      return n === 'by-pattern' || n === 'get-pattern' ? SORT_PATTERNS : PATTERNS;
    case 'unix-time':
      return n.endsWith('milliseconds') ? UNIX_MS : UNIX_SECONDS;
    case 'double':
      if (n === 'min' || n === 'max') return SCORE_RANGES;
      if (n === 'longitude') return LONGITUDES;
      if (n === 'latitude') return LATITUDES;
      if (n === 'radius' || n === 'width' || n === 'height') return DISTANCES;
      return DOUBLES;
    case 'integer':
      switch (n) {
        case 'offset': return cmd.startsWith('bitfield') ? BITFIELD_OFFSETS : cmd === 'setrange' ? BYTE_OFFSETS : cmd.startsWith('sort') ? SMALL_INTS : BIT_OFFSETS;
        case 'seconds': case 'ttl': return SECONDS;
        case 'milliseconds': return MILLISECONDS;
        case 'unix-time-seconds': return UNIX_SECONDS;
        case 'unix-time-milliseconds': return UNIX_MS;
        case 'db': case 'destination-db': case 'index1': case 'index2': return DBS;
        case 'index': return cmd === 'select' ? DBS : SMALL_INTS;
        case 'cursor': return CURSORS;
        case 'bit': return pool(['0', '1'], ['2', 'x']);
        case 'value': return cmd === 'setbit' ? pool(['0', '1'], ['2', 'x']) : INTS;
        case 'frequency': return pool(['0', '1', '255'], ['256', 'x']);
        case 'start': case 'stop': case 'end': case 'count': case 'rank': case 'len': case 'num-matches': case 'limit':
          return SMALL_INTS;
        default: return INTS;
      }
    case 'string':
      switch (n) {
        case 'field': case 'member': case 'member1': case 'member2': case 'pivot': return FIELD_POOL;
        case 'encoding': return ENCODINGS;
        case 'start': case 'stop': return RANGE_STRINGS;
        case 'min': case 'max': return cmd === 'zrangestore' ? RANGE_STRINGS : LEX_RANGES;
        case 'type': return TYPES;
        case 'parameter': return CONFIG_PARAMS;
        case 'command-name': case 'command': return COMMAND_NAMES;
        case 'connection-name': case 'libname': case 'libver': return CLIENT_NAMES;
        case 'category': return CATEGORIES;
        case 'capability': return pool(['redirect'], ['x']);
        case 'subcommand': return cmd === 'pfdebug' ? HLL_SUBCOMMANDS : VALUE_POOL;
        default: return VALUE_POOL;
      }
    default:
      return VALUE_POOL;
  }
}
