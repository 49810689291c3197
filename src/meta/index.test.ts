import { describe, expect, test } from 'vitest';
import {
  COMMAND_SPECS, commandAclCategories, commandInfoFlags, doesCommandHaveKeys, getKeysFromCommand, getKeysUsingKeySpecs,
  indexSpecs, keyFlagNames, keyPositions, legacyRange, type CommandSpec, type KeySpec,
} from './index.js';

const byName = indexSpecs();

/** lookupCommand over the generated table: a container with an argument resolves to its subcommand. */
function specOf(argv: readonly string[]): CommandSpec {
  const base = byName.get(argv[0]!.toLowerCase());
  if (!base) throw new Error('no command ' + argv[0]);
  if (!base.subcommands || argv.length < 2) return base;
  const sub = base.subcommands.find((s) => s.name === argv[1]!.toLowerCase());
  if (!sub) throw new Error('no subcommand ' + argv.join(' '));
  return sub;
}

// [argv, [[argv index, key flags as COMMAND GETKEYSANDFLAGS names them]...]], as Valkey 9.1.2 answered
// COMMAND GETKEYSANDFLAGS for each argv (an empty list: "Invalid arguments specified" or an empty reply).
const CASES: readonly (readonly [readonly string[], readonly (readonly [number, readonly string[]])[]])[] = [
  [["GET","k"], [[1,["RO","access"]]]],
  [["MSET","a","1","b","2"], [[1,["OW","update"]],[3,["OW","update"]]]],
  [["MSET","a","1","b"], [[1,["OW","update"]],[3,["OW","update"]]]],
  [["SET","k","v"], [[1,["OW","update"]]]],
  [["SET","k","v","GET"], [[1,["RW","access","update"]]]],
  [["SET","k","v","get\u0000x"], [[1,["RW","access","update"]]]],
  [["EVAL","s","0"], []],
  [["EVAL","s","2","a","b","c"], [[3,["RW","access","update"]],[4,["RW","access","update"]]]],
  [["EVAL","s","3","a"], []],
  [["EVAL","s","-1","a"], []],
  [["EVAL","s","4294967297","a"], [[3,[]]]],
  [["EVAL","s","01","a"], [[3,[]]]],
  [["EVAL","s"," 1","a"], [[3,[]]]],
  [["EVAL","s","+1","a"], [[3,[]]]],
  [["ZUNIONSTORE","d","2","a","b"], [[1,["OW","update"]],[3,["RO","access"]],[4,["RO","access"]]]],
  [["ZUNIONSTORE","d","3","a","b"], []],
  [["ZUNIONSTORE","d","0","a"], []],
  [["ZUNION","2","a","b","WEIGHTS","1","2"], [[2,["RO","access"]],[3,["RO","access"]]]],
  [["XREAD","STREAMS","a","b","1","2"], [[2,["RO","access"]],[3,["RO","access"]]]],
  [["XREAD","COUNT","1","STREAMS","a","1"], [[4,["RO","access"]]]],
  [["XREAD","STREAMS","a","b","1"], [[2,["RO","access"]]]],
  [["XREAD","BLOCK","0","STREAMS","STREAMS","s","0","0"], [[4,["RO","access"]],[5,["RO","access"]]]],
  [["XREADGROUP","GROUP","g","c","STREAMS","a","1"], [[5,["RO","access"]]]],
  [["XREADGROUP","GROUP","g","STREAMS","STREAMS","a","1","2"], [[5,["RO","access"]]]],
  [["SORT","k"], [[1,["RO","access"]]]],
  [["SORT","k","STORE","d"], [[1,["RO","access"]],[3,["OW","update"]]]],
  [["SORT","k","BY","store","STORE","d","STORE","e"], [[1,["RO","access"]],[7,["OW","update"]]]],
  [["SORT","k","LIMIT","0","1","STORE"], [[1,["RO","access"]]]],
  [["SORT_RO","k","BY","x"], [[1,["RO","access"]]]],
  [["MIGRATE","h","1","k","0","10"], [[3,["RW","access","delete"]]]],
  [["MIGRATE","h","1","","0","10","KEYS","a","b"], [[7,["RW","access","delete"]],[8,["RW","access","delete"]]]],
  [["MIGRATE","h","1","k","0","10","KEYS","a"], []],
  [["MIGRATE","h","1","","0","10","AUTH","KEYS","KEYS","a"], [[9,["RW","access","delete"]]]],
  [["MIGRATE","h","1","","0","10","COPY","REPLACE","AUTH2","u","p","KEYS","x"], [[12,["RW","access","delete"]]]],
  [["GEORADIUS","k","0","0","1","m","STORE","d"], [[1,["RO","access"]],[7,["OW","update"]]]],
  [["GEORADIUS","k","0","0","1","m","STORE","d","STOREDIST","e"], [[1,["RO","access"]],[9,["OW","update"]]]],
  [["GEORADIUS","k","0","0","1","m"], [[1,["RO","access"]]]],
  [["GEORADIUSBYMEMBER","k","m","1","m","STOREDIST","d"], [[1,["RO","access"]],[6,["OW","update"]]]],
  [["BITFIELD","k","GET","u8","0"], [[1,["RO","access"]]]],
  [["BITFIELD","k","SET","u8","0","1"], [[1,["RW","access","update"]]]],
  [["BITFIELD","k"], [[1,["RO","access"]]]],
  [["BITFIELD","k","GET","u8"], [[1,["RW","access","update"]]]],
  [["BITFIELD_RO","k","GET","u8","0"], [[1,["RO","access"]]]],
  [["LMPOP","2","a","b","LEFT"], [[2,["RW","access","delete"]],[3,["RW","access","delete"]]]],
  [["BLMPOP","0","2","a","b","LEFT"], [[3,["RW","access","delete"]],[4,["RW","access","delete"]]]],
  [["ZMPOP","1","a","MIN"], [[2,["RW","access","delete"]]]],
  [["BZMPOP","0","1","a","MIN"], [[3,["RW","access","delete"]]]],
  [["SINTERCARD","2","a","b"], [[2,["RO","access"]],[3,["RO","access"]]]],
  [["FCALL","f","1","a"], [[3,["RW","access","update"]]]],
  [["FCALL_RO","f","0"], []],
  [["OBJECT","ENCODING","k"], [[2,["RO"]]]],
  [["MSETEX","2","a","1","b","2"], [[2,["OW","update"]],[4,["OW","update"]]]],
  [["MSETEX","2","a","1","b"], [[2,["OW","update"]],[4,["OW","update"]]]],
  [["LCS","a","b"], [[1,["RO","access"]],[2,["RO","access"]]]],
  [["SMOVE","a","b","m"], [[1,["RW","access","delete"]],[2,["RW","insert"]]]],
  [["DEL","a","b","c"], [[1,["RM","delete"]],[2,["RM","delete"]],[3,["RM","delete"]]]],
  [["RENAME","a","b"], [[1,["RW","access","delete"]],[2,["OW","update"]]]],
  [["EXISTS","a"], [[1,["RO"]]]],
  [["BLPOP","a","b","0"], [[1,["RW","access","delete"]],[2,["RW","access","delete"]]]],
  [["XINFO","STREAM","s"], [[2,["RO","access"]]]],
  [["MEMORY","USAGE","k"], [[2,["RO"]]]],
  [["EXPIRE","k","1"], [[1,["RW","update"]]]],
  [["COPY","a","b","DB","1"], [[1,["RO","access"]],[2,["OW","update"]]]],
  [["GEOSEARCHSTORE","d","s","FROMMEMBER","m","BYRADIUS","1","m"], [[1,["OW","update"]],[2,["RO","access"]]]],
  [["ZRANGESTORE","d","s","0","1"], [[1,["OW","update"]],[2,["RO","access"]]]],
  [["WATCH","a","b"], [[1,["RO"]],[2,["RO"]]]],
  [["BITOP","AND","d","a","b"], [[2,["OW","update"]],[3,["RO","access"]],[4,["RO","access"]]]],
  [["PFMERGE","d","a","b"], [[1,["RW","access","insert"]],[2,["RO","access"]],[3,["RO","access"]]]],
  [["XADD","s","*","f","v"], [[1,["RW","update"]]]],
];

describe('getKeysFromCommand (getKeysFromCommandWithSpecs) matches Valkey 9.1.2', () => {
  test.each(CASES.map(([argv, keys]) => [argv.join(' ').replace(/\0/g, '\\0'), argv, keys] as const))('%s', (_name, argv, keys) => {
    const got = getKeysFromCommand(specOf(argv), argv).map((k) => [k.pos, keyFlagNames(k.flags)]);
    expect(got).toEqual(keys);
    expect(keyPositions(specOf(argv), argv)).toEqual(keys.map(([p]) => p));
  });
});

describe('getKeysUsingKeySpecs', () => {
  const ks = (over: Partial<KeySpec>): KeySpec => ({
    flags: ['RO'], beginSearch: { type: 'index', pos: 1 }, findKeys: { type: 'range', lastkey: 0, step: 1, limit: 0 }, ...over,
  });

  test('keyword search from a negative startfrom walks backwards and never looks at argv[1]', () => {
    const spec = ks({ beginSearch: { type: 'keyword', keyword: 'KEYS', startfrom: -2 }, findKeys: { type: 'range', lastkey: -1, step: 1, limit: 0 } });
    expect(getKeysUsingKeySpecs([spec], ['CMD', 'x', 'keys', 'a', 'b'])?.map((k) => k.pos)).toEqual([3, 4]);
    // The last KEYS before the end wins when searching backwards.
    expect(getKeysUsingKeySpecs([spec], ['CMD', 'keys', 'KEYS', 'a'])?.map((k) => k.pos)).toEqual([3]);
    // argv[1] is never examined: no keyword found, no keys (and no failure).
    expect(getKeysUsingKeySpecs([spec], ['CMD', 'KEYS', 'a'])).toEqual([]);
  });

  test('keyword search forwards stops before the last argument', () => {
    const spec = ks({ beginSearch: { type: 'keyword', keyword: 'STORE', startfrom: 2 } });
    expect(getKeysUsingKeySpecs([spec], ['CMD', 'k', 'x', 'STORE'])).toEqual([]);
    expect(getKeysUsingKeySpecs([spec], ['CMD', 'k', 'store', 'd'])?.map((k) => k.pos)).toEqual([3]);
    expect(getKeysUsingKeySpecs([spec], ['CMD', 'STORE', 'd'])).toEqual([]); // before startfrom
  });

  test('range with a limit takes 1/limit of the remaining arguments', () => {
    const spec = ks({ beginSearch: { type: 'keyword', keyword: 'STREAMS', startfrom: 1 }, findKeys: { type: 'range', lastkey: -1, step: 1, limit: 2 } });
    expect(getKeysUsingKeySpecs([spec], ['XREAD', 'STREAMS', 'a', 'b', 'c', '1', '2', '3'])?.map((k) => k.pos)).toEqual([2, 3, 4]);
    expect(getKeysUsingKeySpecs([spec], ['XREAD', 'STREAMS', 'a', 'b', '1'])?.map((k) => k.pos)).toEqual([2]);
  });

  test('keynum: unparsable, negative or zero counts are invalid; a count past the end is invalid', () => {
    const spec = ks({ beginSearch: { type: 'index', pos: 2 }, findKeys: { type: 'keynum', keynumidx: 0, firstkey: 1, step: 1 } });
    expect(getKeysUsingKeySpecs([spec], ['EVAL', 's', '2', 'a', 'b'])?.map((k) => k.pos)).toEqual([3, 4]);
    for (const n of ['0', '-1', '01', '+1', ' 1', 'x', '3', '99999999999']) {
      expect(getKeysUsingKeySpecs([spec], ['EVAL', 's', n, 'a', 'b']), n).toBeNull();
    }
  });

  test('INCOMPLETE specs fail after their keys; returnPartial keeps them', () => {
    const spec = ks({ flags: ['RW', 'INCOMPLETE'] });
    expect(getKeysUsingKeySpecs([spec], ['CMD', 'k'])).toBeNull();
    expect(getKeysUsingKeySpecs([spec], ['CMD', 'k'], { returnPartial: true })?.map((k) => k.pos)).toEqual([1]);
  });

  test('NOT_KEY specs are skipped unless asked for; unknown specs are invalid', () => {
    const notKey = ks({ flags: ['NOT_KEY'] });
    expect(getKeysUsingKeySpecs([notKey], ['SPUBLISH', 'c', 'm'])).toEqual([]);
    expect(getKeysUsingKeySpecs([notKey], ['SPUBLISH', 'c', 'm'], { includeNotKeys: true })?.map((k) => k.pos)).toEqual([1]);
    expect(getKeysUsingKeySpecs([ks({ beginSearch: { type: 'unknown' } })], ['CMD', 'k'])).toBeNull();
  });
});

describe('COMMAND INFO derivations', () => {
  test('movablekeys and the legacy key range follow populateCommandLegacyRangeSpec', () => {
    expect(legacyRange(specOf(['GET']))).toEqual({ firstkey: 1, lastkey: 1, step: 1, movablekeys: false });
    expect(legacyRange(specOf(['MSET']))).toEqual({ firstkey: 1, lastkey: -1, step: 2, movablekeys: false });
    // SMOVE: two consecutive single-key ranges glued together.
    expect(legacyRange(specOf(['SMOVE']))).toEqual({ firstkey: 1, lastkey: 2, step: 1, movablekeys: false });
    // EVAL: a keynum spec cannot be expressed as a range.
    expect(legacyRange(specOf(['EVAL']))).toEqual({ firstkey: 0, lastkey: 0, step: 0, movablekeys: true });
    // SORT: the first key is a plain range, the others are unknown.
    expect(legacyRange(specOf(['SORT']))).toEqual({ firstkey: 1, lastkey: 1, step: 1, movablekeys: true });
    expect(commandInfoFlags(specOf(['ZUNIONSTORE']))).toEqual(['write', 'denyoom', 'movablekeys']);
    expect(commandInfoFlags(specOf(['MULTI']))).toEqual(['noscript', 'loading', 'stale', 'fast', 'no_multi', 'allow_busy']);
  });

  test('ACL categories come in the order of the category table', () => {
    expect(commandAclCategories(specOf(['GET']))).toEqual(['read', 'string', 'fast']);
    expect(commandAclCategories(specOf(['KEYS']))).toEqual(['keyspace', 'read', 'slow', 'dangerous']);
  });

  test('doesCommandHaveKeys: NOT_KEY-only commands have none; every getkeys function is known', () => {
    expect(doesCommandHaveKeys(specOf(['SPUBLISH']))).toBe(false);
    expect(doesCommandHaveKeys(specOf(['PING']))).toBe(false);
    expect(doesCommandHaveKeys(specOf(['EVAL']))).toBe(true);
    const all = COMMAND_SPECS.flatMap((s) => [s, ...(s.subcommands ?? [])]);
    for (const s of all) expect(() => doesCommandHaveKeys(s), s.name).not.toThrow();
  });
});
