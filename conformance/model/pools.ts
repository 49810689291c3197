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

const INTS = ['0', '1', '-1', '2', '3', '10', '-100', '100', 'x', '1.5', '9223372036854775807', '-9223372036854775808', '9223372036854775808'];
const SMALL_INTS = ['0', '1', '-1', '2', '3', '10', '-10', 'x'];
const OFFSETS = ['0', '1', '7', '8', '15', '100', '-1', 'x', '4294967296', '536870912'];
const BITFIELD_OFFSETS = ['0', '1', '8', '#1', '#0', '100', '-1', 'x'];
const ENCODINGS = ['u8', 'i8', 'u1', 'i64', 'u63', 'u64', 'i5', 'x'];
const DBS = ['0', '1', '2', '15', '16', '-1', 'x'];
const SECONDS = ['0', '-1', '100', '1000', '100000', 'x', '1.5', '9223372036854775807'];
const MILLISECONDS = ['0', '-1', '100000', '1000000', 'x', '9223372036854775807'];
const UNIX_SECONDS = ['0', '1', '100', '4102444800', '-1', 'x'];
const UNIX_MS = ['0', '1', '4102444800000', '-1', 'x'];
const DOUBLES = ['0', '1', '1.5', '-2', 'inf', '-inf', '+inf', 'nan', 'x', '1e308', '-0'];
const SCORE_RANGES = ['0', '-1', '1', '2', '(1', '1.5', '-inf', '+inf', 'x', '(x'];
const LEX_RANGES = ['-', '+', '[a', '(a', '[f2', '(1', 'a', 'x'];
const RANGE_STRINGS = ['0', '-1', '1', '2', '(1', '[a', '-', '+', '-inf', '+inf', 'x'];
const PATTERNS = ['*', 'k*', 'k?', '[k]1', 'nomatch', '*1', '\\*'];
const SORT_PATTERNS = ['nosort', 'k*', '#', 'k*->f1', 'k?'];
const TYPES = ['string', 'list', 'hash', 'set', 'zset', 'stream', 'x'];
const CONFIG_PARAMS = ['maxmemory', 'hz', 'databases', 'appendonly', 'maxmemory-policy', 'list-max-listpack-size', 'nosuch', 'lfu-log-factor', 'timeout', 'max*'];
const COMMAND_NAMES = ['get', 'set', 'client|list', 'nosuch', 'GET', 'client', 'zadd', 'lpush'];
const CURSORS = ['0', '1', 'x', '18446744073709551615', '18446744073709551616'];
const CLIENT_NAMES = ['conn1', '', 'a b', 'x'];
const CATEGORIES = ['string', 'keyspace', 'nosuch', 'read'];

/** The pool for one argument of a command, by its type and name. */
export function poolFor(cmd: string, a: ArgSpec): readonly string[] {
  const n = a.name;
  switch (a.type) {
    case 'key': return KEYS;
    case 'pattern':
      return n === 'by-pattern' || n === 'get-pattern' ? SORT_PATTERNS : PATTERNS;
    case 'unix-time':
      return n.endsWith('milliseconds') ? UNIX_MS : UNIX_SECONDS;
    case 'double':
      if (n === 'min' || n === 'max') return SCORE_RANGES;
      return DOUBLES;
    case 'integer':
      switch (n) {
        case 'offset': return cmd.startsWith('bitfield') ? BITFIELD_OFFSETS : OFFSETS;
        case 'seconds': case 'ttl': return SECONDS;
        case 'milliseconds': return MILLISECONDS;
        case 'unix-time-seconds': return UNIX_SECONDS;
        case 'unix-time-milliseconds': return UNIX_MS;
        case 'db': case 'destination-db': case 'index1': case 'index2': return DBS;
        case 'index': return cmd === 'select' ? DBS : SMALL_INTS;
        case 'cursor': return CURSORS;
        case 'bit': return ['0', '1', '2', 'x'];
        case 'value': return cmd === 'setbit' ? ['0', '1', '2', 'x'] : INTS;
        case 'frequency': return ['0', '1', '255', '256', 'x'];
        default: return INTS;
      }
    case 'string':
      switch (n) {
        case 'field': case 'member': case 'member1': case 'member2': case 'pivot': return FIELDS;
        case 'encoding': return ENCODINGS;
        case 'start': case 'stop': return RANGE_STRINGS;
        case 'min': case 'max': return cmd === 'zrangestore' ? RANGE_STRINGS : LEX_RANGES;
        case 'type': return TYPES;
        case 'parameter': return CONFIG_PARAMS;
        case 'command-name': case 'command': return COMMAND_NAMES;
        case 'connection-name': case 'libname': case 'libver': return CLIENT_NAMES;
        case 'category': return CATEGORIES;
        case 'capability': return ['redirect', 'x'];
        default: return VALUES;
      }
    default:
      return VALUES;
  }
}
