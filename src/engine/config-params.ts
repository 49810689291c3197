/**
 * The configuration parameters the engine knows, with Valkey 9's defaults.
 * Parameters that only matter to a real server's process (paths, threads...)
 * are accepted and reported but change nothing.
 */
import type { ParamDef } from './config.js';

const INT_MAX = 2147483647;
const LLONG_MAX = Number.MAX_SAFE_INTEGER;

const int = (name: string, def: number, min = 0, max = INT_MAX, extra: Partial<ParamDef> = {}): ParamDef => ({
  name, type: { kind: 'int', min, max }, default: String(def), ...extra,
});
const mem = (name: string, def: number, min = 0, max = LLONG_MAX): ParamDef => ({
  name, type: { kind: 'memory', min, max }, default: String(def),
});
const bool = (name: string, def: boolean, extra: Partial<ParamDef> = {}): ParamDef => ({
  name, type: { kind: 'bool' }, default: def ? 'yes' : 'no', ...extra,
});
const str = (name: string, def: string, extra: Partial<ParamDef> = {}): ParamDef => ({
  name, type: { kind: 'string' }, default: def, ...extra,
});
const oneOf = (name: string, def: string, values: string[]): ParamDef => ({
  name, type: { kind: 'enum', values }, default: def,
});

export const CONFIG_PARAMS: readonly ParamDef[] = [
  int('databases', 16, 1, INT_MAX, { immutable: true }),
  str('requirepass', ''),
  {
    name: 'notify-keyspace-events',
    type: { kind: 'flags', validate: (v) => /^[Ag$lshzxeKEtmdn]*$/.test(v) },
    default: '',
  },
  mem('maxmemory', 0),
  oneOf('maxmemory-policy', 'noeviction', [
    'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl',
    'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction',
  ]),
  int('maxmemory-samples', 5, 1, 64),
  mem('proto-max-bulk-len', 512 * 1024 * 1024, 1024 * 1024),
  int('hash-max-listpack-entries', 128, 0, LLONG_MAX),
  mem('hash-max-listpack-value', 64),
  int('list-max-listpack-size', -2, -5, INT_MAX),
  int('list-compress-depth', 0, 0, INT_MAX),
  int('set-max-intset-entries', 512, 0, LLONG_MAX),
  int('set-max-listpack-entries', 128, 0, LLONG_MAX),
  int('set-max-listpack-value', 64, 0, LLONG_MAX),
  int('zset-max-listpack-entries', 128, 0, LLONG_MAX),
  mem('zset-max-listpack-value', 64),
  int('hll-sparse-max-bytes', 3000, 0, LLONG_MAX),
  int('stream-node-max-bytes', 4096, 0, LLONG_MAX),
  int('stream-node-max-entries', 100, 0, LLONG_MAX),
  int('lfu-log-factor', 10, 0, INT_MAX),
  int('lfu-decay-time', 1, 0, INT_MAX),
  int('maxclients', 10000, 1, INT_MAX),
  int('timeout', 0, 0, INT_MAX),
  int('port', 6379, 0, 65535),
  str('bind', '* -::*'),
  str('save', '3600 1 300 100 60 10000'),
  bool('appendonly', false),
  str('dir', '/'),
  str('dbfilename', 'dump.rdb'),
  int('hz', 10, 1, 500),
  bool('cluster-enabled', false, { immutable: true }),
  bool('protected-mode', true),
  oneOf('loglevel', 'notice', ['debug', 'verbose', 'notice', 'warning', 'nothing']),
  int('slowlog-log-slower-than', 10000, -1, LLONG_MAX),
  int('slowlog-max-len', 128, 0, LLONG_MAX),
  bool('lazyfree-lazy-expire', true),
  bool('lazyfree-lazy-user-del', true),
  bool('lazyfree-lazy-user-flush', true),
  int('active-expire-effort', 1, 1, 10),
  int('io-threads', 1, 1, 256, { immutable: true }),
];
