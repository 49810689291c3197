import { describe, expect, test } from 'vitest';
import { Config } from './config.js';
import { CONFIG_PARAMS, cStrtollWhole, memtoull, normaliseKeyspaceEvents, splitArgs } from './config-params.js';
import { CONFIG_ORACLE_VERSION, GENERATED_PARAMS } from './config-table.generated.js';
import { CommandError } from './errors.js';

const setErr = (c: Config, ...kv: string[]) => {
  const pairs: [string, string][] = [];
  for (let i = 0; i < kv.length; i += 2) pairs.push([kv[i]!, kv[i + 1]!]);
  try {
    c.setMany(pairs);
  } catch (e) {
    if (e instanceof CommandError) return e.message;
    throw e;
  }
  return 'OK';
};

describe('the generated table', () => {
  test('records the oracle version and every parameter once', () => {
    expect(CONFIG_ORACLE_VERSION).toBe('9.1.2');
    const names = GENERATED_PARAMS.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('maxmemory');
    expect(names).toContain('notify-keyspace-events');
    expect(GENERATED_PARAMS.length).toBeGreaterThan(200);
  });

  test('defaults are as CONFIG GET prints them, save excepted (the double never saves)', () => {
    const c = new Config();
    expect(c.get('maxmemory-policy')).toBe('noeviction');
    expect(c.get('client-output-buffer-limit')).toBe('normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60');
    expect(c.get('save')).toBe('');
    expect(GENERATED_PARAMS.find((p) => p.name === 'save')!.default).toBe('3600 1 300 100 60 10000');
    expect(c.get('proto-max-bulk-len')).toBe('536870912');
    expect(c.get('latency-tracking-info-percentiles')).toBe('50 99 99.9');
  });

  test('every default passes its own validation unchanged', () => {
    for (const d of CONFIG_PARAMS) {
      if (['dir', 'port'].includes(d.name)) continue;
      expect(d.set(d.default, d.default), d.name).toBe(d.default);
    }
  });
});

describe('CONFIG SET validation', () => {
  test('numbers: integer, bounds, memory units, percent', () => {
    const c = new Config();
    expect(setErr(c, 'hz', 'x')).toBe("ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer");
    expect(setErr(c, 'maxmemory-samples', '65')).toBe("ERR CONFIG SET failed (possibly related to argument 'maxmemory-samples') - argument must be between 1 and 64 inclusive");
    expect(setErr(c, 'maxmemory', '-1')).toBe("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value");
    expect(setErr(c, 'maxclients', '-1')).toBe("ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between 1 and 4294967295 inclusive");
    expect(setErr(c, 'maxmemory-clients', '101%')).toBe("ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - percentage argument must be less or equal to 100");
    expect(setErr(c, 'maxmemory-clients', 'x')).toBe("ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - argument must be a memory or percent value");
    expect(setErr(c, 'maxmemory', '1gb', 'maxmemory-clients', '5%', 'hz', '1000')).toBe('OK');
    expect(c.get('maxmemory')).toBe('1073741824');
    expect(c.get('maxmemory-clients')).toBe('5%');
    expect(c.get('hz')).toBe('500'); // updateHZ caps
    expect(setErr(c, 'cluster-blacklist-ttl', '-1')).toBe('OK');
    expect(c.get('cluster-blacklist-ttl')).toBe('-1'); // stored unsigned, printed as a long long
  });

  test('booleans and enums (case-insensitive, canonical spelling back)', () => {
    const c = new Config();
    expect(setErr(c, 'appendonly', 'YES', 'maxmemory-policy', 'ALLKEYS-LFU', 'oom-score-adj', 'yes')).toBe('OK');
    expect([c.get('appendonly'), c.get('maxmemory-policy'), c.get('oom-score-adj')]).toEqual(['yes', 'allkeys-lfu', 'yes']);
    expect(setErr(c, 'oom-score-adj', 'relative')).toBe('OK');
    expect(c.get('oom-score-adj')).toBe('yes'); // the first name with that value
    expect(setErr(c, 'appendonly', '1')).toBe("ERR CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or 'no'");
    expect(setErr(c, 'loglevel', 'loud')).toBe("ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must be one of the following: debug, verbose, notice, warning, nothing");
    expect(setErr(c, 'shutdown-on-sigint', 'now save')).toBe('OK');
    expect(c.get('shutdown-on-sigint')).toBe('save now');
    expect(setErr(c, 'shutdown-on-sigint', 'save nosave')).toBe("ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigint') - shutdown options SAVE and NOSAVE can't be used simultaneously");
  });

  test('notify-keyspace-events is validated and normalised', () => {
    expect(normaliseKeyspaceEvents('KEA')).toBe('AKE');
    expect(normaliseKeyspaceEvents('xE')).toBe('xE');
    expect(normaliseKeyspaceEvents('g$lshzxetd')).toBe('A');
    expect(normaliseKeyspaceEvents('nA')).toBe('A');
    expect(normaliseKeyspaceEvents('mK')).toBe('Km');
    expect(normaliseKeyspaceEvents('q')).toBeNull();
    const c = new Config();
    expect(setErr(c, 'notify-keyspace-events', 'Eq')).toBe("ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
    expect(setErr(c, 'notify-keyspace-events', 'Kx')).toBe('OK');
    expect(c.get('notify-keyspace-events')).toBe('xK');
  });

  test('save, client-output-buffer-limit, oom-score-adj-values', () => {
    const c = new Config();
    expect(setErr(c, 'save', '900 1 60 100')).toBe('OK');
    expect(c.get('save')).toBe('900 1 60 100');
    expect(setErr(c, 'save', '0 1')).toBe("ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters");
    expect(setErr(c, 'save', '5 4294967297')).toBe('OK');
    expect(c.get('save')).toBe('5 1'); // the change count is an int
    expect(setErr(c, 'client-output-buffer-limit', 'pubsub 1mb 2k 5')).toBe('OK');
    expect(c.get('client-output-buffer-limit')).toBe('normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 2000 5');
    expect(setErr(c, 'client-output-buffer-limit', 'master 1 2 3')).toBe("ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid client class specified in buffer limit configuration.");
    expect(setErr(c, 'oom-score-adj-values', '1 2')).toBe("ERR CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - wrong number of arguments");
  });

  test('unknown names, immutable and protected parameters, duplicates, aliases', () => {
    const c = new Config();
    expect(setErr(c, 'nosuch', '1')).toBe("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
    expect(setErr(c, 'databases', '1')).toBe("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config");
    expect(setErr(c, 'DIR', '/')).toBe("ERR CONFIG SET failed (possibly related to argument 'DIR') - can't set protected config");
    expect(setErr(c, 'databases', '1', 'nosuch', '1')).toBe("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config");
    expect(setErr(c, 'hz', '5', 'HZ', '6')).toBe("ERR CONFIG SET failed (possibly related to argument 'HZ') - duplicate parameter");
    expect(setErr(c, 'slave-read-only', 'no', 'replica-read-only', 'yes')).toBe('OK');
    expect(c.get('slave-read-only')).toBe('yes');
    expect(setErr(c, 'slave-read-only', 'x')).toBe("ERR CONFIG SET failed (possibly related to argument 'slave-read-only') - argument must be 'yes' or 'no'");
  });

  test('all or nothing: a bad value leaves every parameter unchanged', () => {
    const c = new Config();
    expect(setErr(c, 'hz', '20', 'maxmemory', '1mb', 'maxmemory-policy', 'nope')).toMatch(/maxmemory-policy/);
    expect([c.get('hz'), c.get('maxmemory'), c.get('maxmemory-policy')]).toEqual(['10', '0', 'noeviction']);
  });

  test('onChange fires on a change only', () => {
    const c = new Config();
    const seen: string[] = [];
    c.onChange('hz', (v) => seen.push(v));
    c.setMany([['hz', '10']]);
    c.setMany([['hz', '11']]);
    c.force('HZ', '12');
    expect(seen).toEqual(['11', '12']);
  });

  test('startup overrides are validated; immutable ones are allowed', () => {
    const c = new Config(CONFIG_PARAMS, { databases: '4', maxmemory: '1kb' });
    expect(c.getInt('databases')).toBe(4);
    expect(c.get('maxmemory')).toBe('1024');
    expect(() => new Config(CONFIG_PARAMS, { hz: 'x' })).toThrow(/hz/);
    expect(() => new Config(CONFIG_PARAMS, { nosuch: '1' })).toThrow(/nosuch/);
  });
});

describe('CONFIG GET matching', () => {
  test('exact names keep their spelling; patterns report registered names; sorted by strcmp', () => {
    const c = new Config();
    expect(c.getMatching(['maxmemory', 'MAXMEMORY-policy'])).toEqual([['MAXMEMORY-policy', 'noeviction'], ['maxmemory', '0']]);
    expect(c.getMatching(['MAXMEMORY', 'maxmemory*']).map(([k]) => k)).toEqual(['MAXMEMORY', 'maxmemory-clients', 'maxmemory-eviction-tenacity', 'maxmemory-policy', 'maxmemory-samples']);
    expect(c.getMatching(['*slave-read*'])).toEqual([['slave-read-only', 'yes']]);
    expect(c.getMatching(['use-exit-*'])).toEqual([]); // hidden: exact name only
    expect(c.getMatching(['use-exit-on-panic'])).toEqual([['use-exit-on-panic', 'no']]);
  });
});

describe('C parsing helpers', () => {
  test('memtoull', () => {
    expect(memtoull('1gb')).toBe(1073741824n);
    expect(memtoull('1G')).toBe(1000000000n);
    expect(memtoull('')).toBe(0n);
    expect(memtoull('kb')).toBe(0n);
    expect(memtoull('-1')).toBeNull();
    expect(memtoull('1 gb')).toBeNull();
    expect(memtoull('18446744073709551616')).toBeNull();
    expect(memtoull('20000000000gb')).toBe(BigInt.asUintN(64, 20000000000n * 1073741824n));
  });
  test('strtoll-whole and the space split of multi-argument values', () => {
    expect(cStrtollWhole(' 5')).toBe(5n);
    expect(cStrtollWhole('+5')).toBe(5n);
    expect(cStrtollWhole('5 ')).toBeNull();
    expect(cStrtollWhole('')).toBe(0n);
    expect(cStrtollWhole('x')).toBeNull();
    expect(splitArgs('')).toEqual([]);
    expect(splitArgs('a  b')).toEqual(['a', '', 'b']);
  });
});
