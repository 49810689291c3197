/**
 * Geohashing as Valkey 9.1.2 does it (geohash.c, geohash_helper.c): the
 * 52-bit interleaved score of a point, its decoding back to the centre of its
 * cell, haversine distances on Valkey's earth radius, the circle / box /
 * polygon membership tests, and the choice of the nine cells (centre plus
 * neighbours) that a search scans.
 *
 * Every floating-point operation is done in the same order as the C code so
 * the doubles come out bit for bit the same. The trigonometric functions are
 * correctly rounded ones of our own (below), which is what glibc returns but
 * for rare near-halfway arguments; V8's Math.sin & co. differ far more often.
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

const degRad = (ang: number): number => ang * D_R;
const radDeg = (ang: number): number => ang / D_R;

// --- correctly rounded sin, cos, asin, atan2 ------------------------------------------------
//
// Valkey calls the C library's sin/cos/asin/atan2. glibc returns the
// correctly rounded result but for rare near-halfway cases (about 0.15% of
// arguments), while V8's Math.* differ from it in the last bit for several
// percent of arguments, which shows in STOREDIST scores. So these functions
// compute about 70 correct bits (a double-double leading part plus small
// corrections in double) and round once.

const SPLITTER = 134217729; // 2^27 + 1: Veltkamp splitting

// Double-double helpers, used to build the tables at load time; results in (hh, ll).
let hh = 0;
let ll = 0;

function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  ll = a - (s - bb) + (b - bb);
  hh = s;
}

function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  ll = ah * bh - p + ah * bl + al * bh + al * bl;
  hh = p;
}

function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh);
  const sh = hh;
  const sl = ll;
  twoSum(al, bl);
  const th = hh;
  const tl = ll;
  let s = sh + (sl + th);
  let e = sl + th - (s - sh);
  const s2 = s + (e + tl);
  e = e + tl - (s2 - s);
  s = s2;
  hh = s;
  ll = e;
}

function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  const lo = ll + (ah * bl + al * bh);
  const s = hh + lo;
  ll = lo - (s - hh);
  hh = s;
}

/** Double-double divided by a double. */
function ddDiv(ah: number, al: number, b: number): void {
  const q = ah / b;
  twoProd(q, b);
  const r = (ah - hh - ll + al) / b;
  const s = q + r;
  ll = r - (s - q);
  hh = s;
}

function splitHi(a: number): number {
  const t = SPLITTER * a;
  return t - (t - a);
}

/** π/2 as three doubles (about 160 bits). */
const PIO2_1 = 1.5707963267948966;
const PIO2_2 = 6.123233995736766e-17;
const PIO2_3 = -1.4973849048591698e-33;
const PIO2_1H = splitHi(PIO2_1);
const PIO2_1L = PIO2_1 - PIO2_1H;
const PIO2_2H = splitHi(PIO2_2);
const PIO2_2L = PIO2_2 - PIO2_2H;

/** sin(j/256) and cos(j/256) for j = 0..202: double-double values and the Veltkamp halves of the high parts. */
const TBL = 202;
const TS = new Float64Array(TBL + 1);
const TSL = new Float64Array(TBL + 1);
const TSH = new Float64Array(TBL + 1);
const TSS = new Float64Array(TBL + 1);
const TC = new Float64Array(TBL + 1);
const TCL = new Float64Array(TBL + 1);
const TCH = new Float64Array(TBL + 1);
const TCS = new Float64Array(TBL + 1);

(function buildTables(): void {
  // Taylor series in double-double: sin x = Σ (-1)^k x^(2k+1)/(2k+1)!, cos x = Σ (-1)^k x^(2k)/(2k)!.
  for (let j = 0; j <= TBL; j++) {
    const x = j / 256;
    ddMul(x, 0, x, 0);
    const x2h = hh;
    const x2l = ll;
    let sh = 0;
    let sl = 0;
    let ch = 0;
    let cl = 0;
    let th = x; // x^(2k+1)/(2k+1)!
    let tl = 0;
    let uh = 1; // x^(2k)/(2k)!
    let ul = 0;
    for (let k = 0; k < 30; k++) {
      const sg = k % 2 === 0 ? 1 : -1;
      ddAdd(sh, sl, sg * th, sg * tl);
      sh = hh;
      sl = ll;
      ddAdd(ch, cl, sg * uh, sg * ul);
      ch = hh;
      cl = ll;
      ddMul(th, tl, x2h, x2l);
      ddDiv(hh, ll, (2 * k + 2) * (2 * k + 3));
      th = hh;
      tl = ll;
      ddMul(uh, ul, x2h, x2l);
      ddDiv(hh, ll, (2 * k + 1) * (2 * k + 2));
      uh = hh;
      ul = ll;
    }
    TS[j] = sh;
    TSL[j] = sl;
    TSH[j] = splitHi(sh);
    TSS[j] = sh - TSH[j]!;
    TC[j] = ch;
    TCL[j] = cl;
    TCH[j] = splitHi(ch);
    TCS[j] = ch - TCH[j]!;
  }
})();

/**
 * sinCos's results, each a double-double accurate to about 2^-80 (absolute):
 * sin x = SC[0] + SC[1], cos x = SC[2] + SC[3].
 */
const SC = new Float64Array(4);

/**
 * sin and cos of x into SC. The argument is reduced by k·π/2 (exactly enough
 * for |x| up to 2^30), split as j/256 + t with |t| <= 2^-9, and
 * sin(a + t) = sin a cos t + cos a sin t (cos likewise) is summed with the
 * leading products exact. False when |x| is too large (or not finite).
 */
function sinCos(x: number): boolean {
  const ax = Math.abs(x);
  if (!(ax < 1073741824)) return false;
  let r0 = x;
  let r1 = 0;
  let k = 0;
  if (ax > 0.7853981633974483) {
    k = Math.round(x * 0.6366197723675814);
    // k·P1 exactly (p + pe), then x - p exactly (Sterbenz).
    let t = SPLITTER * k;
    const kh = t - (t - k);
    const kl = k - kh;
    const p = k * PIO2_1;
    const pe = kh * PIO2_1H - p + kh * PIO2_1L + kl * PIO2_1H + kl * PIO2_1L;
    const q = k * PIO2_2;
    const qe = kh * PIO2_2H - q + kh * PIO2_2L + kl * PIO2_2H + kl * PIO2_2L;
    const d = x - p;
    // r = d - (pe + q) - qe - k·P3
    const u = pe + q;
    const bb = u - pe;
    const ue = pe - (u - bb) + (q - bb);
    r0 = d - u;
    t = r0 - d;
    const r0e = d - (r0 - t) + (-u - t);
    r1 = r0e - ue - qe - k * PIO2_3;
    const s = r0 + r1;
    r1 = r1 - (s - r0);
    r0 = s;
  }
  // r = j/256 + t, |t| <= 2^-9 (t = th + tl; r0 - j/256 is exact).
  const j = Math.round(r0 * 256);
  const aj = j < 0 ? -j : j;
  const th = r0 - j / 256;
  const tl = r1;
  // th² exactly (q2 + q2e).
  let t = SPLITTER * th;
  const tH = t - (t - th);
  const tL = th - tH;
  const q2 = th * th;
  const q2e = tH * tH - q2 + 2 * tH * tL + tL * tL;
  // sin t = th + s2, cos t = 1 + c1 + c2 (c1 = -q2/2 exact).
  const s2 = tl + th * (q2 * (-1 / 6 + q2 * (1 / 120 - q2 / 5040)));
  const c1 = -q2 / 2;
  const c2 = -q2e / 2 - th * tl + q2 * q2 * (1 / 24 - q2 / 720);
  t = SPLITTER * c1;
  const cH = t - (t - c1);
  const cL = c1 - cH;
  const sg = j < 0 ? -1 : 1;
  const S = sg * TS[aj]!;
  const Sl = sg * TSL[aj]!;
  const SH = sg * TSH[aj]!;
  const SS = sg * TSS[aj]!;
  const C = TC[aj]!;
  const Cl = TCL[aj]!;
  const CH = TCH[aj]!;
  const CS = TCS[aj]!;
  // sin r = S + C·th + S·c1 + (Sl + C·s2 + S·c2 + Cl·th + Sl·c1)
  let p1 = C * th;
  let e1 = CH * tH - p1 + CH * tL + CS * tH + CS * tL;
  let p2 = S * c1;
  let e2 = SH * cH - p2 + SH * cL + SS * cH + SS * cL;
  let small = Sl + e1 + e2 + Cl * th + S * c2 + C * s2 + Sl * c1;
  let a = S + p1;
  let bv = a - S;
  let ae = S - (a - bv) + (p1 - bv);
  let b = a + p2;
  bv = b - a;
  let be = a - (b - bv) + (p2 - bv);
  let rest = ae + be + small;
  let sh = b + rest;
  let sl = rest - (sh - b);
  // cos r = C - S·th + C·c1 + (Cl + C·c2 - S·s2 - Sl·th + Cl·c1)
  p1 = -(S * th);
  e1 = -(SH * tH - S * th + SH * tL + SS * tH + SS * tL);
  p2 = C * c1;
  e2 = CH * cH - p2 + CH * cL + CS * cH + CS * cL;
  small = Cl + e1 + e2 + C * c2 - S * s2 - Sl * th + Cl * c1;
  a = C + p1;
  bv = a - C;
  ae = C - (a - bv) + (p1 - bv);
  b = a + p2;
  bv = b - a;
  be = a - (b - bv) + (p2 - bv);
  rest = ae + be + small;
  let ch = b + rest;
  let cl = rest - (ch - b);
  switch (k & 3) {
    case 0: break;
    case 1: { const h = sh; const l = sl; sh = ch; sl = cl; ch = -h; cl = -l; break; }
    case 2: sh = -sh; sl = -sl; ch = -ch; cl = -cl; break;
    default: { const h = sh; const l = sl; sh = -ch; sl = -cl; ch = h; cl = l; break; }
  }
  SC[0] = sh;
  SC[1] = sl;
  SC[2] = ch;
  SC[3] = cl;
  return true;
}

/** sin(x), correctly rounded (but for extremely rare cases). */
export function crSin(x: number): number {
  if (x === 0) return x;
  if (!sinCos(x)) return Math.sin(x);
  return SC[0]!;
}

/** cos(x), correctly rounded. */
export function crCos(x: number): number {
  if (!sinCos(x)) return Math.cos(x);
  return SC[2]!;
}

/** asin(x), correctly rounded: one Newton step from Math.asin, with sin and cos to about 80 bits. */
export function crAsin(x: number): number {
  if (!(x >= -1 && x <= 1)) return NaN;
  const ax = Math.abs(x);
  if (ax < 1.4901161193847656e-8) return x; // below 2^-26 asin(x) rounds to x
  let res: number;
  if (ax <= 0.5) {
    const y0 = Math.asin(ax);
    sinCos(y0);
    const e = (ax - SC[0]! - SC[1]!) / SC[2]!;
    res = y0 + e;
  } else {
    // asin(x) = π/2 - 2·asin(w), w = sqrt((1 - x)/2) (1 - x and the halving are exact).
    const z = (1 - ax) / 2;
    const wh = Math.sqrt(z);
    let ah = 0;
    let al = 0;
    if (wh !== 0) {
      let t = SPLITTER * wh;
      const h = t - (t - wh);
      const l = wh - h;
      const w2 = wh * wh;
      const w2e = h * h - w2 + 2 * h * l + l * l;
      const wl = (z - w2 - w2e) / (2 * wh);
      const y0 = Math.asin(wh);
      sinCos(y0);
      const e = (wh - SC[0]! + (wl - SC[1]!)) / SC[2]!;
      ah = y0 + e;
      t = ah - y0;
      al = e - t;
    }
    // π/2 - 2a in double-double.
    const bh = -2 * ah;
    const s = PIO2_1 + bh;
    const bb = s - PIO2_1;
    const se = PIO2_1 - (s - bb) + (bh - bb);
    res = s + (se + PIO2_2 - 2 * al);
  }
  return x < 0 ? -res : res;
}

/** atan2(y, x), correctly rounded: one Newton step from Math.atan2. */
export function crAtan2(y: number, x: number): number {
  const t0 = Math.atan2(y, x);
  const m = Math.max(Math.abs(x), Math.abs(y));
  if (x === 0 || y === 0 || !(m < 1e150) || !(m > 1e-150)) return t0;
  sinCos(t0);
  // tan(θ - θ0) = (y cos θ0 - x sin θ0) / (x cos θ0 + y sin θ0), the numerator with exact leading products.
  const c = SC[2]!;
  const s = SC[0]!;
  let t = SPLITTER * y;
  const yh = t - (t - y);
  const yl = y - yh;
  t = SPLITTER * x;
  const xh = t - (t - x);
  const xl = x - xh;
  t = SPLITTER * c;
  const ch = t - (t - c);
  const cl = c - ch;
  t = SPLITTER * s;
  const sh = t - (t - s);
  const sl = s - sh;
  const p = y * c;
  const pe = yh * ch - p + yh * cl + yl * ch + yl * cl;
  const q = x * s;
  const qe = xh * sh - q + xh * sl + xl * sh + xl * sl;
  const num = p - q + (pe - qe + y * SC[3]! - x * SC[1]!);
  const den = x * c + y * s;
  return t0 + num / den;
}

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
  // Below 2^26 per coordinate the interleaved value is under 2^52: exact as a number.
  if (c.lat < 67108864 && c.lon < 67108864) return String(spread(c.lat) + 2 * spread(c.lon));
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
  const v = crSin((lon2r - lon1r) / 2);
  // Longitudes practically the same: the distance along the meridian.
  if (Math.abs(v) <= 1e-15) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = crSin((lat2r - lat1r) / 2);
  const a = u * u + crCos(lat1r) * crCos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * crAsin(Math.sqrt(a));
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
      x += crCos(latR) * crCos(lonR);
      y += crCos(latR) * crSin(lonR);
      z += crSin(latR);
    }
    bounds[0] = minLon;
    bounds[1] = minLat;
    bounds[2] = maxLon;
    bounds[3] = maxLat;
    const centralLon = crAtan2(y, x);
    const centralHyp = Math.sqrt(x * x + y * y);
    const centralLat = crAtan2(z, centralHyp);
    shape.lon = radDeg(centralLon);
    shape.lat = radDeg(centralLat);
    return;
  }
  const lon = shape.lon;
  const lat = shape.lat;
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const lonDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / crCos(degRad(lat + latDelta)));
  const lonDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / crCos(degRad(lat - latDelta)));
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
    // toFixed breaks an exact tie upwards; glibc goes to the even digit. A
    // tie is a value whose exact expansion has n+1 decimals ending in 5,
    // i.e. an odd multiple of 2^-(n+1).
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
