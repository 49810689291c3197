/** Properties of transactions, connection and server commands. */
import fc from 'fast-check';
import { bytes, eq, num, property, score, type PropertyCase } from './property.js';
import type { Value } from '../value.js';

/** Small scripts over two keys, for comparing MULTI/EXEC with running commands one by one. */
const script = fc.array(fc.oneof(
  fc.tuple(fc.constant('SET'), fc.constantFrom('a', 'b'), fc.constantFrom('1', 'x', '10')),
  fc.tuple(fc.constant('INCR'), fc.constantFrom('a', 'b')),
  fc.tuple(fc.constant('APPEND'), fc.constantFrom('a', 'b'), fc.constantFrom('z', '5')),
  fc.tuple(fc.constant('GET'), fc.constantFrom('a', 'b')),
  fc.tuple(fc.constant('RPUSH'), fc.constantFrom('a', 'b'), fc.constant('e')),
  fc.tuple(fc.constant('DEL'), fc.constantFrom('a', 'b')),
).map((c) => [...c] as string[]), { minLength: 1, maxLength: 10 });

export const miscProperties: PropertyCase[] = [
  property('transactions', ['multi', 'exec'], 'EXEC returns what the same commands return one by one', script, async (t, cmds) => {
    const direct: Value[] = [];
    for (const c of cmds) direct.push(await t.call(...c));
    await t.call('FLUSHALL');
    eq(await t.call('MULTI'), 'OK');
    for (const c of cmds) eq(await t.call(...c), 'QUEUED', c.join(' '));
    eq(await t.call('EXEC'), direct, 'EXEC');
  }),

  property('transactions', ['multi', 'discard'], 'DISCARD leaves the data as it was', script, async (t, cmds) => {
    await t.call('SET', 'a', 'before');
    eq(await t.call('MULTI'), 'OK');
    for (const c of cmds) await t.call(...c);
    eq(await t.call('DISCARD'), 'OK');
    eq(await t.call('GET', 'a'), 'before');
    eq(num(await t.call('EXISTS', 'b')), 0, 'EXISTS b');
  }),

  property('connection', ['echo', 'ping'], 'ECHO and PING return any bytes unchanged', bytes(64), async (t, v) => {
    eq(await t.call('ECHO', v), v, 'ECHO');
    eq(await t.call('PING', v), v, 'PING');
  }),

  property('server', ['select', 'flushdb', 'dbsize'], 'Databases are separate: FLUSHDB empties only the selected one', fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 5 })), async (t, [db, n]) => {
    for (let i = 0; i < n; i++) await t.call('SET', `k${i}`, 'v');
    eq(await t.call('SELECT', String(db)), 'OK');
    eq(num(await t.call('DBSIZE')), db === 0 ? n : 0, `DBSIZE of db ${db}`);
    await t.call('SET', 'mine', 'v');
    eq(await t.call('FLUSHDB'), 'OK');
    eq(await t.call('SELECT', '0'), 'OK');
    eq(num(await t.call('DBSIZE')), db === 0 ? 0 : n, 'DBSIZE of db 0');
  }),
];

/** A longitude/latitude pair Valkey accepts. */
const lonLat = fc.tuple(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -85.05112878, max: 85.05112878, noNaN: true }));

export const geoHllProperties: PropertyCase[] = [
  property('hyperloglog', ['pfmerge', 'pfcount'], 'PFCOUNT of several keys equals PFCOUNT of their PFMERGE', fc.tuple(fc.array(fc.nat(200), { maxLength: 30 }), fc.array(fc.nat(200), { maxLength: 30 })), async (t, [a, b]) => {
    await t.call('PFADD', 'a', ...a.map(String));
    await t.call('PFADD', 'b', ...b.map(String));
    const union = num(await t.call('PFCOUNT', 'a', 'b'));
    eq(await t.call('PFMERGE', 'd', 'a', 'b'), 'OK');
    eq(num(await t.call('PFCOUNT', 'd')), union, 'PFCOUNT after PFMERGE');
    const distinct = new Set([...a, ...b]).size;
    eq(Math.abs(union - distinct) <= Math.max(2, distinct * 0.05), true, `PFCOUNT ${union} near ${distinct}`);
  }),

  property('geo', ['geoadd', 'geodist', 'geopos'], 'GEODIST is symmetric and zero to itself; GEOPOS is within a metre of what GEOADD stored', fc.tuple(lonLat, lonLat), async (t, [[lo1, la1], [lo2, la2]]) => {
    eq(num(await t.call('GEOADD', 'g', String(lo1), String(la1), 'a', String(lo2), String(la2), 'b')), 2, 'GEOADD');
    eq(await t.call('GEODIST', 'g', 'a', 'b'), await t.call('GEODIST', 'g', 'b', 'a'), 'GEODIST a b = b a');
    eq(await t.call('GEODIST', 'g', 'a', 'a'), '0.0000', 'GEODIST a a');
    const pos = await t.call('GEOPOS', 'g', 'a');
    const [lon, lat] = (pos as Value[][])[0]!.map((x) => score(x));
    eq(Math.abs(lon! - lo1) < 1e-5 && Math.abs(lat! - la1) < 1e-5, true, `GEOPOS ${lon},${lat} near ${lo1},${la1}`);
  }),
];
