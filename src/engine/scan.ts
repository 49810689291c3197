/**
 * SCAN, HSCAN, SSCAN and ZSCAN share one option grammar (Valkey's
 * parseScanOptionsOrReply): COUNT n, MATCH pattern, TYPE name (SCAN only),
 * NOVALUES (HSCAN only), NOSCORES (ZSCAN only). Options compare as C strings.
 */
import type { Bytes } from '../protocol/index.js';
import { getLong } from './args.js';
import { Err, cTrunc } from './errors.js';
import type { ValueType } from './keyspace/keyspace.js';
import { cEq } from './types/string.js';

export interface ScanOptions {
  count: number;
  /** Undefined when every element matches (no MATCH, or MATCH *). */
  pattern: Bytes | undefined;
  /** SCAN TYPE filter. */
  type: ValueType | undefined;
  /** NOVALUES / NOSCORES: reply with the elements only. */
  onlyKeys: boolean;
}

const TYPE_NAMES: ReadonlyMap<string, ValueType> = new Map<string, ValueType>(
  (['string', 'list', 'set', 'zset', 'hash', 'stream'] as const).map((t) => [t, t]),
);

/**
 * Parses the options from argv[start]. `target` is the scanned value's type,
 * or null for SCAN over the keyspace.
 */
export function parseScanOptions(argv: readonly Bytes[], start: number, target: ValueType | null): ScanOptions {
  const opts: ScanOptions = { count: 10, pattern: undefined, type: undefined, onlyKeys: false };
  for (let i = start; i < argv.length; ) {
    const opt = argv[i]!;
    const more = argv.length - i >= 2;
    if (cEq(opt, 'count') && more) {
      opts.count = getLong(argv[i + 1]!);
      if (opts.count < 1) throw Err.syntax();
      i += 2;
    } else if (cEq(opt, 'match') && more) {
      const p = argv[i + 1]!;
      opts.pattern = p === '*' ? undefined : p;
      i += 2;
    } else if (cEq(opt, 'type') && target === null && more) {
      const name = cTrunc(argv[i + 1]!, Infinity);
      opts.type = TYPE_NAMES.get(name.toLowerCase());
      if (opts.type === undefined) throw Err.generic(`unknown type name '${name}'`);
      i += 2;
    } else if (cEq(opt, 'novalues')) {
      if (target !== 'hash') throw Err.generic('NOVALUES option can only be used in HSCAN');
      opts.onlyKeys = true;
      i++;
    } else if (cEq(opt, 'noscores')) {
      if (target !== 'zset') throw Err.generic('NOSCORES option can only be used in ZSCAN');
      opts.onlyKeys = true;
      i++;
    } else {
      throw Err.syntax();
    }
  }
  return opts;
}
