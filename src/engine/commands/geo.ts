/**
 * Geospatial commands (Valkey group "geo"), following geo.c of Valkey 9.1.2:
 * GEOADD (a ZADD of encoded scores), GEOPOS, GEODIST, GEOHASH, and the
 * searches GEOSEARCH / GEOSEARCHSTORE (FROMMEMBER, FROMLONLAT, BYRADIUS,
 * BYBOX, BYPOLYGON) and GEORADIUS / GEORADIUSBYMEMBER with their _RO forms.
 *
 * A geo set is a sorted set whose scores are 52-bit geohashes
 * (types/geohash.ts). A search scans the score ranges of up to nine cells in
 * Valkey's order, keeps the points inside the shape, and replies in that scan
 * order unless ASC/DESC (or COUNT without ANY) asks for a sort by distance:
 * a stable sort (glibc's qsort is a merge sort) or, when COUNT cuts the
 * result, Valkey's partial quicksort, whose order among equal distances is
 * reproduced exactly.
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { getDouble, getLongLong, getRangeLong } from '../args.js';
import type { CommandGroup } from '../command.js';
import type { Context } from '../context.js';
import { Err } from '../errors.js';
import { pqsort } from '../pqsort.js';
import {
  BOX, CIRCLE, POLYGON, GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN,
  cFixed, cellScoreRange, decodeScore, distance, distanceIfWithin, doubleToInt64, encodeScore,
  formatDistance, formatHumanDouble, geohashString, newShape, searchCells,
  type GeoShape, type SearchCells,
} from '../types/geohash.js';
import { cEq } from '../types/string.js';
import { scoreLteMax, ZSet, type ScoreRange } from '../types/zset.js';
import { zsetCommands } from './zset.js';

// --- argument helpers -------------------------------------------------------------------

/** extractLongLatOrReply: two doubles within the WGS84 limits, as [lon, lat]. */
function extractLongLat(lonArg: Bytes, latArg: Bytes): [number, number] {
  const lon = getDouble(lonArg);
  const lat = getDouble(latArg);
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    throw Err.generic(`invalid longitude,latitude pair ${cFixed(lon, 6)},${cFixed(lat, 6)}`);
  }
  return [lon, lat];
}

/** extractUnitOrReply: meters per unit. */
function extractUnit(u: Bytes): number {
  if (cEq(u, 'm')) return 1;
  if (cEq(u, 'km')) return 1000;
  if (cEq(u, 'ft')) return 0.3048;
  if (cEq(u, 'mi')) return 1609.34;
  throw Err.generic('unsupported unit provided. please use M, KM, FT, MI');
}

/** printf's %s: the string up to its first NUL. */
function cStr(s: Bytes): Bytes {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/** longLatFromMemberOrReply: the decoded position of a member into shape's centre. */
function memberPosition(zs: ZSet, member: Bytes, shape: GeoShape): void {
  const score = zs.score(member);
  if (score === undefined) throw Err.generic(`member ${cStr(member)} does not exist`);
  const xy = decodeScore(score, [0, 0]);
  shape.lon = xy[0]!;
  shape.lat = xy[1]!;
}

/** extractDistanceOrReply: radius and unit. */
function extractRadius(radiusArg: Bytes, unitArg: Bytes, shape: GeoShape): void {
  const radius = getDouble(radiusArg, 'need numeric radius');
  if (radius < 0) throw Err.generic('radius cannot be negative');
  shape.radius = radius;
  shape.conversion = extractUnit(unitArg);
}

/** extractBoxOrReply: width, height and unit. */
function extractBox(wArg: Bytes, hArg: Bytes, unitArg: Bytes, shape: GeoShape): void {
  const w = getDouble(wArg, 'need numeric width');
  const h = getDouble(hArg, 'need numeric height');
  if (h < 0 || w < 0) throw Err.generic('height or width cannot be negative');
  shape.height = h;
  shape.width = w;
  shape.conversion = extractUnit(unitArg);
}

function readGeo(ctx: Context, key: Bytes): ZSet | undefined {
  const e = ctx.read(key, 'zset');
  return e === undefined ? undefined : (e.value as ZSet);
}

const coordReply = (v: number): Reply => R.doubleText(v, formatHumanDouble(v));

// --- GEOADD, GEOPOS, GEOHASH, GEODIST ---------------------------------------------------------

/** GEOADD key [NX|XX] [CH] lon lat member ...: validated, encoded, then handed to ZADD. */
function geoadd(ctx: Context, argv: readonly Bytes[]): Reply {
  let xx = false;
  let nx = false;
  let longidx = 2;
  while (longidx < argv.length) {
    const o = argv[longidx]!;
    if (cEq(o, 'nx')) nx = true;
    else if (cEq(o, 'xx')) xx = true;
    else if (!cEq(o, 'ch')) break;
    longidx++;
  }
  if ((argv.length - longidx) % 3 !== 0 || (xx && nx)) throw Err.syntax();
  const zargv: Bytes[] = ['zadd'];
  for (let i = 1; i < longidx; i++) zargv.push(argv[i]!);
  for (let i = longidx; i < argv.length; i += 3) {
    const [lon, lat] = extractLongLat(argv[i]!, argv[i + 1]!);
    zargv.push(encodeScore(lon, lat), argv[i + 2]!);
  }
  return zsetCommands['zadd']!(ctx, zargv) as Reply;
}

function geopos(ctx: Context, argv: readonly Bytes[]): Reply {
  const zs = readGeo(ctx, argv[1]!);
  const out: Reply[] = [];
  const xy = [0, 0];
  for (let j = 2; j < argv.length; j++) {
    const score = zs?.score(argv[j]!);
    if (score === undefined) {
      out.push(R.nullArray);
      continue;
    }
    decodeScore(score, xy);
    out.push(R.array([coordReply(xy[0]!), coordReply(xy[1]!)]));
  }
  return R.array(out);
}

function geohash(ctx: Context, argv: readonly Bytes[]): Reply {
  const zs = readGeo(ctx, argv[1]!);
  const out: Reply[] = [];
  for (let j = 2; j < argv.length; j++) {
    const score = zs?.score(argv[j]!);
    out.push(score === undefined ? R.null : R.bulk(geohashString(score)));
  }
  return R.array(out);
}

function geodist(ctx: Context, argv: readonly Bytes[]): Reply {
  let toMeter = 1;
  if (argv.length === 5) toMeter = extractUnit(argv[4]!);
  else if (argv.length > 5) throw Err.syntax();
  const zs = readGeo(ctx, argv[1]!);
  if (zs === undefined) return R.null;
  const s1 = zs.score(argv[2]!);
  const s2 = zs.score(argv[3]!);
  if (s1 === undefined || s2 === undefined) return R.null;
  const a = decodeScore(s1, [0, 0]);
  const b = decodeScore(s2, [0, 0]);
  return R.bulk(formatDistance(distance(a[0]!, a[1]!, b[0]!, b[1]!) / toMeter));
}

// --- searches ------------------------------------------------------------------------------------

/** A point found by a search (geoPoint). */
export interface GeoPoint {
  member: Bytes;
  score: number;
  lon: number;
  lat: number;
  /** Meters from the centre; divided by the unit when replied. */
  dist: number;
}

/** geoGetPointsInRange: the members of one cell inside the shape, in score order, until `limit`. */
function pointsInCell(zs: ZSet, range: ScoreRange, shape: GeoShape, out: GeoPoint[], limit: number): void {
  let x = zs.nthInRange(range, 0);
  const xy = [0, 0];
  while (x !== null && scoreLteMax(x.score, range)) {
    decodeScore(x.score, xy);
    const d = distanceIfWithin(shape, xy[0]!, xy[1]!);
    if (d >= 0) out.push({ member: x.member, score: x.score, lon: xy[0]!, lat: xy[1]!, dist: d });
    if (out.length !== 0 && limit !== 0 && out.length >= limit) break;
    x = x.next[0]!;
  }
}

/**
 * membersOfAllNeighbors: the cells in order (centre, N, S, E, W, NE, NW, SE,
 * SW), skipping excluded ones and one equal to the previous scanned cell
 * other than the centre; stops once `limit` points are found (COUNT ANY).
 */
export function searchPoints(zs: ZSet, cells: SearchCells | null, shape: GeoShape, limit: number): GeoPoint[] {
  const out: GeoPoint[] = [];
  if (cells === null) return out;
  let last = 0;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (!c) continue;
    if (last !== 0) {
      const p = cells[last]!;
      if (p.lat === c.lat && p.lon === c.lon && p.step === c.step) continue;
    }
    if (out.length !== 0 && limit !== 0 && out.length >= limit) break;
    const [min, max] = cellScoreRange(c);
    pointsInCell(zs, { min, max, minex: false, maxex: true }, shape, out, limit);
    last = i;
  }
  return out;
}

type Cmp = (a: GeoPoint, b: GeoPoint) => number;

const sortAsc: Cmp = (a, b) => (a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1);
const sortDesc: Cmp = (a, b) => -sortAsc(a, b);

const SORT_NONE = 0;
const SORT_ASC = 1;
const SORT_DESC = 2;

const RADIUS_COORDS = 1;
const RADIUS_MEMBER = 2;
const RADIUS_NOSTORE = 4;
const GEOSEARCH = 8;
const GEOSEARCHSTORE = 16;

/** zset-max-listpack-* for a stored result. */
function fitsListpack(ctx: Context, size: number, maxLen: number): boolean {
  const cfg = ctx.engine.config;
  return size <= cfg.getInt('zset-max-listpack-entries') && maxLen <= cfg.getInt('zset-max-listpack-value');
}

/** The empty-result tail of a STORE: the destination goes, with a 'del' event. */
function deleteStoreKey(ctx: Context, dst: Bytes): void {
  if (ctx.db.peek(dst) !== undefined) {
    ctx.db.delete(dst);
    ctx.modified(dst);
    ctx.notify('g', 'del', dst);
    ctx.dirty();
  }
}

/**
 * georadiusGeneric: every search command. `srcKeyIndex` is the source key's
 * position; `flags` tell which command this is.
 */
function georadiusGeneric(ctx: Context, argv: readonly Bytes[], srcKeyIndex: number, flags: number): Reply {
  const zs = readGeo(ctx, argv[srcKeyIndex]!);
  let storekey: Bytes | undefined;
  let storedist = false;
  const shape = newShape();
  let base: number;
  if (flags & RADIUS_COORDS) {
    base = 6;
    shape.type = CIRCLE;
    [shape.lon, shape.lat] = extractLongLat(argv[2]!, argv[3]!);
    extractRadius(argv[4]!, argv[5]!, shape);
  } else if (flags & RADIUS_MEMBER) {
    base = 5;
    // Without a source key nothing is looked up: the options decide the reply.
    if (zs !== undefined) {
      shape.type = CIRCLE;
      memberPosition(zs, argv[2]!, shape);
      extractRadius(argv[3]!, argv[4]!, shape);
    }
  } else {
    base = 2;
    if (flags & GEOSEARCHSTORE) {
      base = 3;
      storekey = argv[1]!;
    }
  }

  let withdist = false;
  let withhash = false;
  let withcoords = false;
  let frommember = false;
  let fromloc = false;
  let byradius = false;
  let bybox = false;
  let bypolygon = false;
  let sort = SORT_NONE;
  let any = false;
  let count = 0;
  const remaining = argv.length - base;
  const search = (flags & GEOSEARCH) !== 0;
  for (let i = 0; i < remaining; i++) {
    const arg = argv[base + i]!;
    const at = (k: number): Bytes => argv[base + i + k]!;
    if (cEq(arg, 'withdist')) {
      withdist = true;
    } else if (cEq(arg, 'withhash')) {
      withhash = true;
    } else if (cEq(arg, 'withcoord')) {
      withcoords = true;
    } else if (cEq(arg, 'any')) {
      any = true;
    } else if (cEq(arg, 'asc')) {
      sort = SORT_ASC;
    } else if (cEq(arg, 'desc')) {
      sort = SORT_DESC;
    } else if (cEq(arg, 'count') && i + 1 < remaining) {
      const n = getLongLong(at(1));
      if (n <= 0n) throw Err.generic('COUNT must be > 0');
      count = Number(n);
      i++;
    } else if (cEq(arg, 'store') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !search) {
      storekey = at(1);
      storedist = false;
      i++;
    } else if (cEq(arg, 'storedist') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !search) {
      storekey = at(1);
      storedist = true;
      i++;
    } else if (cEq(arg, 'storedist') && search && flags & GEOSEARCHSTORE) {
      storedist = true;
    } else if (cEq(arg, 'frommember') && i + 1 < remaining && search && !fromloc && !bypolygon) {
      if (zs !== undefined) memberPosition(zs, at(1), shape);
      frommember = true;
      i++;
    } else if (cEq(arg, 'fromlonlat') && i + 2 < remaining && search && !frommember && !bypolygon) {
      [shape.lon, shape.lat] = extractLongLat(at(1), at(2));
      fromloc = true;
      i += 2;
    } else if (cEq(arg, 'byradius') && i + 2 < remaining && search && !bybox && !bypolygon) {
      extractRadius(at(1), at(2), shape);
      shape.type = CIRCLE;
      byradius = true;
      i += 2;
    } else if (cEq(arg, 'bybox') && i + 3 < remaining && search && !byradius && !bypolygon) {
      extractBox(at(1), at(2), at(3), shape);
      shape.type = BOX;
      bybox = true;
      i += 3;
    } else if (cEq(arg, 'bypolygon') && i + 2 < remaining && search && !byradius && !bybox && !frommember && !fromloc) {
      const n = getRangeLong(at(1), -2147483648, 2147483647, 'invalid number of vertices');
      const possible = Math.trunc((remaining - i - 2) / 2);
      if (n < 3 || possible < n) throw Err.generic('GEOSEARCH BYPOLYGON must have at least 3 vertices');
      shape.conversion = 1;
      shape.type = POLYGON;
      shape.points = [];
      bypolygon = true;
      for (let j = 0; j < n * 2; j += 2) shape.points.push(extractLongLat(at(2 + j), at(3 + j)));
      i += 1 + n * 2;
    } else {
      throw Err.syntax();
    }
  }

  if (storekey !== undefined && (withdist || withhash || withcoords)) {
    const what = flags & GEOSEARCHSTORE ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS';
    throw Err.generic(`${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
  }
  if (search && !(frommember || fromloc) && !bypolygon) {
    throw Err.generic(`exactly one of FROMMEMBER or FROMLONLAT can be specified for ${argv[0]!}`);
  }
  if (search && !(byradius || bybox || bypolygon)) {
    throw Err.generic(`exactly one of BYRADIUS, BYBOX and BYPOLYGON can be specified for ${argv[0]!}`);
  }
  if (any && count === 0) throw Err.generic('the ANY argument requires COUNT argument');

  if (zs === undefined) {
    if (storekey !== undefined) {
      deleteStoreKey(ctx, storekey);
      return R.int(0);
    }
    return R.emptyArray;
  }

  // COUNT without a sort (and without ANY) means the closest ones.
  if (count !== 0 && sort === SORT_NONE && !any) sort = SORT_ASC;

  const points = searchPoints(zs, searchCells(shape), shape, any ? count : 0);
  if (points.length === 0 && storekey === undefined) return R.emptyArray;

  const total = points.length;
  const returned = count === 0 || total < count ? total : count;
  if (sort !== SORT_NONE) {
    const cmp = sort === SORT_ASC ? sortAsc : sortDesc;
    if (returned === total) points.sort(cmp);
    else pqsort(points, cmp, 0, returned - 1);
  }

  if (storekey === undefined) {
    const options = (withdist ? 1 : 0) + (withcoords ? 1 : 0) + (withhash ? 1 : 0);
    const out: Reply[] = [];
    for (let i = 0; i < returned; i++) {
      const gp = points[i]!;
      if (options === 0) {
        out.push(R.bulk(gp.member));
        continue;
      }
      const item: Reply[] = [R.bulk(gp.member)];
      if (withdist) item.push(R.bulk(formatDistance(gp.dist / shape.conversion)));
      if (withhash) item.push(R.int(doubleToInt64(gp.score)));
      if (withcoords) item.push(R.array([coordReply(gp.lon), coordReply(gp.lat)]));
      out.push(R.array(item));
    }
    return R.array(out);
  }

  if (returned === 0) {
    deleteStoreKey(ctx, storekey);
    return R.int(0);
  }
  const dst = new ZSet(false);
  let maxLen = 0;
  for (let i = 0; i < returned; i++) {
    const gp = points[i]!;
    dst.set(gp.member, storedist ? gp.dist / shape.conversion : gp.score);
    if (gp.member.length > maxLen) maxLen = gp.member.length;
  }
  if (fitsListpack(ctx, dst.size, maxLen)) dst.toListpack();
  ctx.write(storekey);
  ctx.db.set(storekey, 'zset', dst, ctx.now);
  ctx.modified(storekey);
  ctx.notify('z', search ? 'geosearchstore' : 'georadiusstore', storekey);
  ctx.dirty(returned);
  return R.int(returned);
}

// --- the group ---------------------------------------------------------------------------------------

export const geoCommands: CommandGroup = {
  geoadd,
  geopos,
  geohash,
  geodist,
  georadius: (ctx, argv) => georadiusGeneric(ctx, argv, 1, RADIUS_COORDS),
  georadiusbymember: (ctx, argv) => georadiusGeneric(ctx, argv, 1, RADIUS_MEMBER),
  georadius_ro: (ctx, argv) => georadiusGeneric(ctx, argv, 1, RADIUS_COORDS | RADIUS_NOSTORE),
  georadiusbymember_ro: (ctx, argv) => georadiusGeneric(ctx, argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE),
  geosearch: (ctx, argv) => georadiusGeneric(ctx, argv, 1, GEOSEARCH),
  geosearchstore: (ctx, argv) => georadiusGeneric(ctx, argv, 2, GEOSEARCH | GEOSEARCHSTORE),
};
