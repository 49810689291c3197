/**
 * Geohashing as Valkey 9.1.2 does it (geohash.c, geohash_helper.c): the
 * 52-bit interleaved score of a point, its decoding back to the centre of its
 * cell, haversine distances on Valkey's earth radius, the circle / box /
 * polygon membership tests, and the choice of the nine cells (centre plus
 * neighbours) that a search scans.
 *
 * Every floating-point operation is done in the same order as the C code so
 * the doubles come out bit for bit the same (the trigonometric functions are
 * the platform's: V8's and glibc's agree but for rare last-bit cases).
 *
 * Bit layout: latitude bits in the even positions, longitude bits in the odd
 * ones. Cell indexes are kept as separate integers (lat, lon) and only
 * interleaved when a score is needed; an index may reach 2^step when a
 * coordinate sits exactly on the upper limit, as in Valkey.
 */

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;
/** Earth's quadratic mean radius for WGS-84. */
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
const D_R = Math.PI / 180.0;

const TWO32 = 4294967296;
const TWO63 = 9223372036854775808;
const TWO26 = 67108864;

const degRad = (ang: number): number => ang * D_R;
const radDeg = (ang: number): number => ang / D_R;

// --- bit interleaving -------------------------------------------------------------

/** The low 16 bits of v spread into the even bit positions of a uint32. */
function spread16(v: number): number {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v >>> 0;
}

/** The even bits of a uint32 gathered into a 16-bit value. */
function compact16(v: number): number {
  v &= 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

/** An index (< 2^27) spread into even bit positions, exactly, as a number (< 2^53). */
function spread(v: number): number {
  return spread16(v) + spread16(Math.floor(v / 65536)) * TWO32;
}

/** interleave64(lat, lon): latitude in the even bits, longitude in the odd ones. */
export function interleave(lat: number, lon: number): bigint {
  return BigInt(spread(lat)) + 2n * BigInt(spread(lon));
}

/** C's (uint64_t) conversion of a double as GCC emits it on x86-64 (cvttsd2si, with the 2^63 split). */
export function doubleToUint64(d: number): bigint {
  if (d >= TWO63) return BigInt.asUintN(64, cvttsd2si(d - TWO63) ^ (1n << 63n));
  return BigInt.asUintN(64, cvttsd2si(d));
}

/** cvttsd2si: truncation, or the "integer indefinite" 0x8000000000000000 when out of int64 range or NaN. */
function cvttsd2si(d: number): bigint {
  if (!(d >= -TWO63 && d < TWO63)) return -(1n << 63n);
  return BigInt(Math.trunc(d));
}

/** (long long) of a double, as addReplyLongLong(c, score) gets it (WITHHASH). */
export function doubleToInt64(d: number): bigint | number {
  if (d >= 0 && d < 9007199254740992) return Math.trunc(d);
  return cvttsd2si(d);
}

// --- encode / decode ----------------------------------------------------------------

/** A cell: latitude and longitude indexes at `step` bits each. */
export interface Cell {
  lat: number;
  lon: number;
  step: number;
}

/** geohashEncode with a range: the cell holding (lon, lat), or null where Valkey's encoder fails. */
function encodeCell(
  lon: number, lat: number, step: number,
  lonMin: number, lonMax: number, latMin: number, latMax: number,
): Cell | null {
  if (lon > GEO_LONG_MAX || lon < GEO_LONG_MIN || lat > GEO_LAT_MAX || lat < GEO_LAT_MIN) return null;
  if (lat < latMin || lat > latMax || lon < lonMin || lon > lonMax) return null;
  let latOffset = (lat - latMin) / (latMax - latMin);
  let lonOffset = (lon - lonMin) / (lonMax - lonMin);
  const scale = 2 ** step;
  latOffset *= scale;
  lonOffset *= scale;
  return { lat: Math.trunc(latOffset), lon: Math.trunc(lonOffset), step };
}

/** geohashEncodeWGS84 at `step`. */
export function encodeWGS84(lon: number, lat: number, step: number): Cell | null {
  return encodeCell(lon, lat, step, GEO_LONG_MIN, GEO_LONG_MAX, GEO_LAT_MIN, GEO_LAT_MAX);
}

/**
 * The score GEOADD gives a point (already validated): the 52-bit cell at
 * step 26 as the decimal integer ZADD receives (it can exceed 2^53 on the
 * upper limits, where ZADD's parsing then rounds it).
 */
export function encodeScore(lon: number, lat: number): string {
  const c = encodeWGS84(lon, lat, GEO_STEP_MAX)!;
  return interleave(c.lat, c.lon).toString();
}

/** A decoded cell: its bounds. */
export interface Area {
  lonMin: number;
  lonMax: number;
  latMin: number;
  latMax: number;
}

/** geohashDecode with the WGS84 ranges; `lat`/`lon` are the (uint32) indexes. */
function decodeIndexes(lat: number, lon: number, step: number, out: Area): Area {
  const latScale = GEO_LAT_MAX - GEO_LAT_MIN;
  const lonScale = GEO_LONG_MAX - GEO_LONG_MIN;
  const div = 2 ** step;
  out.latMin = GEO_LAT_MIN + ((lat * 1.0) / div) * latScale;
  out.latMax = GEO_LAT_MIN + (((lat + 1) >>> 0) / div) * latScale;
  out.lonMin = GEO_LONG_MIN + ((lon * 1.0) / div) * lonScale;
  out.lonMax = GEO_LONG_MIN + (((lon + 1) >>> 0) / div) * lonScale;
  return out;
}

export function decodeCell(c: Cell): Area {
  return decodeIndexes(c.lat, c.lon, c.step, { lonMin: 0, lonMax: 0, latMin: 0, latMax: 0 });
}

const SCRATCH: Area = { lonMin: 0, lonMax: 0, latMin: 0, latMax: 0 };

/**
 * decodeGeohash: the point a sorted-set score stands for (the centre of its
 * step-26 cell, clamped to the valid ranges), written into `xy` as
 * [longitude, latitude]. Any score decodes (as (uint64_t)score).
 */
export function decodeScore(score: number, xy: number[]): number[] {
  let hi: number;
  let lo: number;
  if (score >= 0 && score < TWO63) {
    const t = Math.trunc(score);
    hi = Math.floor(t / TWO32);
    lo = t - hi * TWO32;
  } else {
    const b = doubleToUint64(score);
    hi = Number(b >> 32n);
    lo = Number(b & 0xffffffffn);
  }
  const lat = compact16(lo) + compact16(hi) * 65536;
  const lon = compact16(lo >>> 1) + compact16(hi >>> 1) * 65536;
  const a = decodeIndexes(lat, lon, GEO_STEP_MAX, SCRATCH);
  let x = (a.lonMin + a.lonMax) / 2;
  if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
  if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
  let y = (a.latMin + a.latMax) / 2;
  if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
  if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
  xy[0] = x;
  xy[1] = y;
  return xy;
}

const GEOALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/**
 * GEOHASH's string for a score: the point decoded, re-encoded on the
 * standard ranges (latitude ±90), 10 characters of 5 bits plus a final '0'.
 */
export function geohashString(score: number): string {
  const xy = decodeScore(score, [0, 0]);
  const c = encodeCell(xy[0]!, xy[1]!, GEO_STEP_MAX, -180, 180, -90, 90)!;
  const bits = interleave(c.lat, c.lon);
  let s = '';
  for (let i = 0; i < 10; i++) s += GEOALPHABET[Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn)];
  return s + '0';
}

// --- distances ---------------------------------------------------------------------------

/** Distance along a meridian. */
export function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/** Haversine great-circle distance in meters (geohashGetDistance). */
export function distance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = Math.sin((lon2r - lon1r) / 2);
  // Longitudes practically the same: the distance along the meridian.
  if (Math.abs(v) <= 1e-15) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

// --- search shapes ------------------------------------------------------------------------

export const CIRCLE = 1;
export const BOX = 2;
export const POLYGON = 3;

/** GeoShape: a search area. Sizes are in the user's unit; `conversion` turns them into meters. */
export interface GeoShape {
  type: number;
  /** Centre (circle, box) or, once the areas are computed, a polygon's centroid. */
  lon: number;
  lat: number;
  conversion: number;
  radius: number;
  width: number;
  height: number;
  /** Polygon vertices, [lon, lat] pairs. */
  points: number[][];
  /** min lon, min lat, max lon, max lat (set by the area computation). */
  bounds: number[];
}

export function newShape(): GeoShape {
  return { type: 0, lon: 0, lat: 0, conversion: 0, radius: 0, width: 0, height: 0, points: [], bounds: [0, 0, 0, 0] };
}

/**
 * The point's distance from the shape's centre (centroid for a polygon) in
 * meters when it is inside the shape, else -1 (geoWithinShape).
 */
export function distanceIfWithin(shape: GeoShape, lon: number, lat: number): number {
  if (shape.type === CIRCLE) {
    const d = distance(shape.lon, shape.lat, lon, lat);
    return d > shape.radius * shape.conversion ? -1 : d;
  }
  if (shape.type === BOX) {
    const widthM = shape.width * shape.conversion;
    const heightM = shape.height * shape.conversion;
    if (latDistance(lat, shape.lat) > heightM / 2) return -1;
    if (distance(lon, lat, shape.lon, lat) > widthM / 2) return -1;
    return distance(shape.lon, shape.lat, lon, lat);
  }
  if (shape.type === POLYGON) {
    return pointInPolygon(shape.points, lon, lat) ? distance(shape.lon, shape.lat, lon, lat) : -1;
  }
  return -1;
}

/** Ray casting (PNPOLY) in the longitude/latitude plane. */
export function pointInPolygon(vertices: readonly (readonly number[])[], x: number, y: number): boolean {
  let inside = false;
  const n = vertices.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = vertices[i]!;
    const b = vertices[j]!;
    const ay = a[1]!;
    const by = b[1]!;
    if (ay > y !== by > y && x < ((b[0]! - a[0]!) * (y - ay)) / (by - ay) + a[0]!) inside = !inside;
  }
  return inside;
}

/** geohashEstimateStepsByRadius: the cell size (bits per coordinate) for a search radius. */
export function estimateStepsByRadius(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/**
 * geohashBoundingBox: fills shape.bounds; for a polygon also sets the
 * centre to the vertices' centroid on the sphere.
 */
export function boundingBox(shape: GeoShape): void {
  const bounds = shape.bounds;
  let height = 0.0;
  let width = 0.0;
  if (shape.type === CIRCLE) {
    height = shape.conversion * shape.radius;
    width = shape.conversion * shape.radius;
  } else if (shape.type === BOX) {
    height = (shape.conversion * shape.height) / 2;
    width = (shape.conversion * shape.width) / 2;
  } else if (shape.type === POLYGON) {
    let x = 0.0;
    let y = 0.0;
    let z = 0.0;
    let minLon = GEO_LONG_MAX;
    let maxLon = GEO_LONG_MIN;
    let minLat = GEO_LAT_MAX;
    let maxLat = GEO_LAT_MIN;
    for (const p of shape.points) {
      const lon = p[0]!;
      const lat = p[1]!;
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
      const lonR = degRad(lon);
      const latR = degRad(lat);
      x += Math.cos(latR) * Math.cos(lonR);
      y += Math.cos(latR) * Math.sin(lonR);
      z += Math.sin(latR);
    }
    bounds[0] = minLon;
    bounds[1] = minLat;
    bounds[2] = maxLon;
    bounds[3] = maxLat;
    const centralLon = Math.atan2(y, x);
    const centralHyp = Math.sqrt(x * x + y * y);
    const centralLat = Math.atan2(z, centralHyp);
    shape.lon = radDeg(centralLon);
    shape.lat = radDeg(centralLat);
    return;
  }
  const lon = shape.lon;
  const lat = shape.lat;
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const lonDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(lat + latDelta)));
  const lonDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(lat - latDelta)));
  const southern = lat < 0;
  bounds[0] = southern ? lon - lonDeltaBottom : lon - lonDeltaTop;
  bounds[2] = southern ? lon + lonDeltaBottom : lon + lonDeltaTop;
  bounds[1] = lat - latDelta;
  bounds[3] = lat + latDelta;
}

/** A cell moved by (dlon, dlat): a moved coordinate wraps around (mod 2^step), an unmoved one is kept as is. */
function moved(c: Cell, dlon: number, dlat: number): Cell {
  const mod = 2 ** c.step;
  const lon = dlon === 0 ? c.lon : (((c.lon + dlon) % mod) + mod) % mod;
  const lat = dlat === 0 ? c.lat : (((c.lat + dlat) % mod) + mod) % mod;
  return { lat, lon, step: c.step };
}

/** The cells a search scans, in Valkey's order: centre, N, S, E, W, NE, NW, SE, SW (null = excluded). */
export type SearchCells = (Cell | null)[];

function neighbourhood(c: Cell): SearchCells {
  return [
    c,
    moved(c, 0, 1), moved(c, 0, -1), moved(c, 1, 0), moved(c, -1, 0),
    moved(c, 1, 1), moved(c, -1, 1), moved(c, 1, -1), moved(c, -1, -1),
  ];
}

/**
 * geohashCalculateAreasByShapeWGS84: the nine cells covering the shape's
 * bounding box, the useless ones nulled. Returns null where Valkey's encoder
 * fails on the centre (a polygon whose centroid lies beyond ±85.05112878
 * latitude: Valkey then reads an uninitialised cell; see geo.ts).
 */
export function searchCells(shape: GeoShape): SearchCells | null {
  boundingBox(shape);
  const [minLon, minLat, maxLon, maxLat] = shape.bounds as [number, number, number, number];
  const lon = shape.lon;
  const lat = shape.lat;
  let radiusMeters = 0.0;
  if (shape.type === CIRCLE) {
    radiusMeters = shape.radius;
  } else if (shape.type === BOX) {
    radiusMeters = Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  } else if (shape.type === POLYGON) {
    radiusMeters = distance(lon, lat, minLon, maxLat);
    const tr = distance(lon, lat, maxLon, maxLat);
    const bl = distance(lon, lat, minLon, minLat);
    const br = distance(lon, lat, maxLon, minLat);
    if (tr > radiusMeters) radiusMeters = tr;
    if (bl > radiusMeters) radiusMeters = bl;
    if (br > radiusMeters) radiusMeters = br;
  }
  radiusMeters *= shape.conversion;

  let steps = estimateStepsByRadius(radiusMeters, lat);
  let cell = encodeWGS84(lon, lat, steps);
  if (cell === null) return null;
  let cells = neighbourhood(cell);
  let area = decodeCell(cell);

  // The estimated step may be too coarse when the area is near a cell edge.
  const north = decodeCell(cells[1]!);
  const south = decodeCell(cells[2]!);
  const east = decodeCell(cells[3]!);
  const west = decodeCell(cells[4]!);
  const decrease = north.latMax < maxLat || south.latMin > minLat || east.lonMax < maxLon || west.lonMin > minLon;
  if (steps > 1 && decrease) {
    steps--;
    cell = encodeWGS84(lon, lat, steps)!;
    cells = neighbourhood(cell);
    area = decodeCell(cell);
  }

  // Exclude the useless cells.
  if (steps >= 2) {
    if (area.latMin < minLat) cells[2] = cells[8] = cells[7] = null; // south, south-west, south-east
    if (area.latMax > maxLat) cells[1] = cells[5] = cells[6] = null; // north, north-east, north-west
    if (area.lonMin < minLon) cells[4] = cells[8] = cells[6] = null; // west, south-west, north-west
    if (area.lonMax > maxLon) cells[3] = cells[7] = cells[5] = null; // east, south-east, north-east
  }
  return cells;
}

/**
 * scoresOfGeoHashBox: the score interval [min, max) of the points inside a
 * cell (as the doubles Valkey compares scores with).
 */
export function cellScoreRange(c: Cell): [number, number] {
  const shift = BigInt(52 - c.step * 2);
  const bits = interleave(c.lat, c.lon);
  return [Number(bits << shift), Number((bits + 1n) << shift)];
}

// --- number formatting ------------------------------------------------------------------------

/**
 * printf("%.Nf", x) as glibc prints it: the exact decimal value of the double
 * rounded to N places, ties to even.
 */
export function cFixed(x: number, n: number): string {
  if (x !== x) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let s: string;
  if (a >= 1e21) {
    s = BigInt(a).toString() + (n > 0 ? '.' + '0'.repeat(n) : '');
  } else {
    s = a.toFixed(n);
    // toFixed breaks an exact tie upwards; glibc goes to the even digit.
    // A tie is a value with exactly n+1 binary... decimal places ending in 5: a = odd / 2^(n+1).
    if (Number.isInteger(a * 2 ** (n + 1)) && !Number.isInteger(a * 2 ** n)) {
      const last = s.charCodeAt(s.length - 1) - 48;
      if (last % 2 === 1) s = s.slice(0, -1) + String(last - 1);
    }
  }
  return neg ? '-' + s : s;
}

/** ld2string(LD_STR_HUMAN): "%.17Lf" with trailing zeros (and a bare '.') removed, "-0" as "0". */
export function formatHumanDouble(x: number): string {
  if (x !== x) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  let s = cFixed(x, 17);
  if (s.includes('.')) {
    let end = s.length;
    while (s.charCodeAt(end - 1) === 48) end--;
    if (s.charCodeAt(end - 1) === 46) end--;
    s = s.slice(0, end);
  }
  return s === '-0' ? '0' : s;
}

/** fixedpoint_d2string(d, 4): llrint(d * 10^4) printed with four decimals (distances). */
export function formatDistance(d: number): string {
  if (d === 0) return '0.0000';
  const scaled = d * 10000;
  let r = Math.round(scaled);
  // llrint rounds ties to even; Math.round rounds them up.
  if (r - scaled === 0.5 && r % 2 !== 0) r -= 1;
  const neg = r < 0;
  const digits = (neg ? -r : r).toString().padStart(5, '0');
  const s = digits.slice(0, -4) + '.' + digits.slice(-4);
  return neg ? '-' + s : s;
}
