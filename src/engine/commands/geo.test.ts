import { describe, expect, test } from 'vitest';
import { encode, type Reply } from '../../protocol/index.js';
import { VirtualClock } from '../../time/index.js';
import type { Client } from '../client.js';
import { BLOCKED } from '../command.js';
import { Engine } from '../engine.js';
import type { ZSet } from '../types/zset.js';
import { pqsort } from '../pqsort.js';

function setup() {
  const engine = new Engine({ clock: new VirtualClock({ start: 1_700_000_000_000 }) });
  const connect = (resp: 2 | 3 = 2): Client => {
    const c = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:6379', fd: 7 }, { deliver: (_r: Reply) => {}, close() {} });
    c.resp = resp;
    return c;
  };
  const c2 = connect(2);
  const c3 = connect(3);
  const exec = (c: Client, ...argv: string[]): string => {
    const r = engine.execute(c, argv);
    if (r === BLOCKED || r === undefined) throw new Error(`${argv.join(' ')}: no reply`);
    return encode(r, c.resp);
  };
  const run = (...argv: string[]) => exec(c2, ...argv);
  const run3 = (...argv: string[]) => exec(c3, ...argv);
  const events: string[] = [];
  engine.onKeyspaceEvent((cls, ev, key) => {
    if (cls !== 'm' && cls !== 'n') events.push(`${ev} ${key}`);
  });
  const zset = (k: string) => engine.db(0).peek(k)?.value as ZSet | undefined;
  return { engine, run, run3, events, zset };
}

const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const arr = (...items: string[]) => `*${items.length}\r\n${items.join('')}`;
const SICILY = ['GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'];

describe('GEOADD', () => {
  test('stores the geohash as the score, through ZADD (reply, options, event)', () => {
    const { run, events, zset } = setup();
    expect(run(...SICILY)).toBe(':2\r\n');
    expect(zset('Sicily')!.score('Palermo')).toBe(3479099956230698);
    expect(run('GEOADD', 'Sicily', 'CH', 'XX', '13', '38', 'Palermo', '1', '1', 'new')).toBe(':1\r\n');
    expect(zset('Sicily')!.has('new')).toBe(false);
    expect(run('GEOADD', 'Sicily', 'NX', '0', '0', 'Palermo')).toBe(':0\r\n');
    expect(events).toEqual(['zadd Sicily', 'zadd Sicily']);
  });

  test('validates every pair before writing anything', () => {
    const { run, zset } = setup();
    expect(run('GEOADD', 'g', '1', '1', 'a', '200', '100', 'b')).toBe('-ERR invalid longitude,latitude pair 200.000000,100.000000\r\n');
    expect(run('GEOADD', 'g', '1', '1', 'a', 'x', '1', 'b')).toBe('-ERR value is not a valid float\r\n');
    expect(run('GEOADD', 'g', 'NX', 'XX', '1', '1', 'a')).toBe('-ERR syntax error\r\n');
    expect(run('GEOADD', 'g', '1', '1', 'a', '2')).toBe('-ERR syntax error\r\n');
    expect(zset('g')).toBeUndefined();
    run('SET', 's', 'x');
    expect(run('GEOADD', 's', '1', '1', 'a')).toMatch(/^-WRONGTYPE/);
  });
});

describe('GEOPOS, GEOHASH, GEODIST', () => {
  test('GEOPOS: %.17Lf coordinates, bulk in RESP2 and doubles in RESP3; null arrays for missing members', () => {
    const { run, run3 } = setup();
    run(...SICILY);
    expect(run('GEOPOS', 'Sicily', 'Palermo', 'nope')).toBe(
      arr(arr(bulk('13.36138933897018433'), bulk('38.11555639549629859')), '*-1\r\n'));
    expect(run3('GEOPOS', 'Sicily', 'Palermo', 'nope')).toBe(
      arr(arr(',13.36138933897018433\r\n', ',38.11555639549629859\r\n'), '_\r\n'));
    expect(run('GEOPOS', 'nokey', 'a')).toBe(arr('*-1\r\n'));
  });

  test('GEOHASH and GEODIST', () => {
    const { run, run3 } = setup();
    run(...SICILY);
    expect(run('GEOHASH', 'Sicily', 'Palermo', 'nope')).toBe(arr(bulk('sqc8b49rny0'), '$-1\r\n'));
    expect(run('GEODIST', 'Sicily', 'Palermo', 'Catania', 'km')).toBe(bulk('166.2742'));
    expect(run3('GEODIST', 'Sicily', 'Palermo', 'Catania')).toBe(bulk('166274.1516'));
    expect(run('GEODIST', 'Sicily', 'Palermo', 'nope')).toBe('$-1\r\n');
    expect(run3('GEODIST', 'nokey', 'a', 'b')).toBe('_\r\n');
    expect(run('GEODIST', 'Sicily', 'a', 'b', 'parsec')).toBe('-ERR unsupported unit provided. please use M, KM, FT, MI\r\n');
    expect(run('GEODIST', 'Sicily', 'a', 'b', 'km', 'x')).toBe('-ERR syntax error\r\n');
  });
});

describe('searches', () => {
  test('WITHDIST / WITHHASH / WITHCOORD, ASC and DESC', () => {
    const { run } = setup();
    run(...SICILY);
    expect(run('GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'WITHDIST', 'WITHHASH', 'WITHCOORD', 'ASC')).toBe(arr(
      arr(bulk('Catania'), bulk('56.4413'), ':3479447370796909\r\n', arr(bulk('15.08726745843887329'), bulk('37.50266842333162032'))),
      arr(bulk('Palermo'), bulk('190.4424'), ':3479099956230698\r\n', arr(bulk('13.36138933897018433'), bulk('38.11555639549629859'))),
    ));
    expect(run('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'DESC')).toBe(arr(bulk('Palermo'), bulk('Catania')));
    expect(run('GEORADIUS', 'Sicily', '15', '37', '100', 'km')).toBe(arr(bulk('Catania')));
  });

  test('COUNT picks the nearest; COUNT ANY stops at the first ones found, in scan order', () => {
    const { run } = setup();
    run('GEOADD', 'g', '0', '0', 'a', '0.001', '0', 'b', '0.002', '0', 'c', '-0.003', '0', 'd');
    expect(run('GEOSEARCH', 'g', 'FROMLONLAT', '0.0021', '0', 'BYRADIUS', '10', 'km', 'COUNT', '2')).toBe(arr(bulk('c'), bulk('b')));
    const any = run('GEOSEARCH', 'g', 'FROMLONLAT', '0.0021', '0', 'BYRADIUS', '10', 'km', 'COUNT', '2', 'ANY');
    expect(any.startsWith('*2\r\n')).toBe(true);
  });

  test('option errors in Valkey\'s order', () => {
    const { run } = setup();
    run(...SICILY);
    expect(run('GEOSEARCH', 'Sicily', 'FROMMEMBER', 'nope', 'BYRADIUS', '1', 'km')).toBe('-ERR member nope does not exist\r\n');
    expect(run('geosearch', 'Sicily', 'BYRADIUS', '1', 'km', 'ASC', 'DESC')).toBe('-ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for geosearch\r\n');
    expect(run('GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'ASC', 'WITHDIST', 'WITHHASH')).toBe('-ERR exactly one of BYRADIUS, BYBOX and BYPOLYGON can be specified for GEOSEARCH\r\n');
    expect(run('GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'km', 'ANY')).toBe('-ERR the ANY argument requires COUNT argument\r\n');
    expect(run('GEOSEARCH', 'Sicily', 'BYPOLYGON', '2', '0', '0', '1', '1', '1', '0')).toBe('-ERR GEOSEARCH BYPOLYGON must have at least 3 vertices\r\n');
    expect(run('GEOSEARCH', 'Sicily', 'BYPOLYGON', 'x', '0', '0', '1', '1', '1', '0')).toBe('-ERR invalid number of vertices\r\n');
    expect(run('GEORADIUS', 'Sicily', '0', '0', '1', 'km', 'STORE', 'd', 'WITHDIST')).toBe(
      '-ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options\r\n');
    expect(run('GEORADIUS_RO', 'Sicily', '0', '0', '1', 'km', 'STORE', 'd')).toBe('-ERR syntax error\r\n');
    // Without the source key GEORADIUSBYMEMBER does not look at its member or radius.
    expect(run('GEORADIUSBYMEMBER', 'nokey', 'x', 'bad', 'parsec')).toBe('*0\r\n');
  });

  test('BYPOLYGON finds the points inside, with distances from the centroid', () => {
    const { run } = setup();
    run('GEOADD', 'p', '0.5', '0.5', 'in', '1.5', '1.5', 'notch', '-0.5', '0', 'out');
    expect(run('GEOSEARCH', 'p', 'BYPOLYGON', '8', '0', '0', '3', '0', '3', '2', '2', '2', '2', '1', '1', '1', '1', '2', '0', '2')).toBe(arr(bulk('in')));
    // A centroid beyond the latitude limit: nothing (Valkey reads an uninitialised cell there).
    run('GEOADD', 'p', '0', '82', 'north');
    expect(run('GEOSEARCH', 'p', 'BYPOLYGON', '10', '-180', '80', '-90', '80', '0', '80', '90', '80', '180', '80',
      '180', '85', '90', '85', '0', '85', '-90', '85', '-180', '85')).toBe('*0\r\n');
  });

  test('STORE / STOREDIST write sorted sets and fire georadiusstore / geosearchstore; empty results delete', () => {
    const { run, events, zset } = setup();
    run(...SICILY);
    events.length = 0;
    expect(run('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'd1')).toBe(':2\r\n');
    expect(zset('d1')!.score('Palermo')).toBe(3479099956230698);
    expect(run('GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '200', 'km', 'STOREDIST', 'd2')).toBe(':2\r\n');
    expect(zset('d2')!.score('Palermo')).toBe(0);
    expect(run('ZSCORE', 'd2', 'Catania')).toBe(bulk('166.27415156960032'));
    expect(run('GEOSEARCHSTORE', 'd3', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '200', 'km', 'STOREDIST', 'COUNT', '1')).toBe(':1\r\n');
    expect(run('GEOSEARCHSTORE', 'd3', 'Sicily', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km')).toBe(':0\r\n');
    expect(run('GEORADIUS', 'nokey', '0', '0', '1', 'km', 'STORE', 'd1')).toBe(':0\r\n');
    expect(zset('d1')).toBeUndefined();
    expect(events).toEqual(['georadiusstore d1', 'georadiusstore d2', 'geosearchstore d3', 'del d3', 'del d1']);
  });
});

describe('pqsort', () => {
  test('the requested positions hold what a full sort would put there', () => {
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let run = 0; run < 300; run++) {
      const n = 1 + Math.floor(rnd() * 120);
      const a = Array.from({ length: n }, (_, i) => ({ k: Math.floor(rnd() * 20), i }));
      const sorted = [...a].sort((x, y) => x.k - y.k).map((x) => x.k);
      const hi = Math.floor(rnd() * n);
      const b = [...a];
      pqsort(b, (x, y) => (x.k > y.k ? 1 : x.k === y.k ? 0 : -1), 0, hi);
      expect(b.slice(0, hi + 1).map((x) => x.k)).toEqual(sorted.slice(0, hi + 1));
      expect(b.map((x) => x.i).sort((x, y) => x - y)).toEqual(a.map((x) => x.i));
    }
  });
});
