import { describe, expect, test } from 'vitest';
import {
  BOX, CIRCLE, POLYGON,
  boundingBox, cFixed, cellScoreRange, crAsin, crAtan2, crCos, crSin, decodeScore, distance, distanceIfWithin,
  doubleToInt64, doubleToUint64, encodeScore, estimateStepsByRadius, formatDistance, formatHumanDouble,
  geohashString, newShape, pointInPolygon, searchCells,
} from './geohash.js';

// Expected values below were read from Valkey 9.1.2 (GEOADD/ZSCORE/GEOPOS/GEOHASH/GEODIST).
const PALERMO = 3479099956230698;
const CATANIA = 3479447370796909;

describe('scores', () => {
  test('GEOADD scores are the interleaved 52-bit cells', () => {
    expect(encodeScore(13.361389, 38.115556)).toBe(String(PALERMO));
    expect(encodeScore(15.087269, 37.502669)).toBe(String(CATANIA));
    expect(encodeScore(-180, -85.05112878)).toBe('0');
  });

  test('the upper limits give cell index 2^26: scores beyond 2^52, as the exact integer ZADD parses', () => {
    expect(encodeScore(180, 85.05112878)).toBe(String(3n * 2n ** 52n));
    expect(BigInt(encodeScore(180, 0))).toBeGreaterThan(2n ** 53n);
  });

  test('decoding gives the centre of the cell, printed as %.17Lf trimmed', () => {
    const xy = decodeScore(PALERMO, [0, 0]);
    expect(formatHumanDouble(xy[0]!)).toBe('13.36138933897018433');
    expect(formatHumanDouble(xy[1]!)).toBe('38.11555639549629859');
  });

  test('any score decodes, as (uint64_t)score on x86-64, clamped to the limits', () => {
    expect(decodeScore(-1, [0, 0])).toEqual([180, 85.05112878]);
    expect(decodeScore(Infinity, [0, 0])).toEqual(decodeScore(0, [0, 0]));
    expect(decodeScore(1.9, [0, 0])).toEqual(decodeScore(1, [0, 0]));
  });

  test('double to integer conversions follow cvttsd2si', () => {
    expect(doubleToUint64(-1)).toBe(2n ** 64n - 1n);
    expect(doubleToUint64(2 ** 64)).toBe(0n);
    expect(doubleToUint64(Infinity)).toBe(0n);
    expect(doubleToUint64(-Infinity)).toBe(2n ** 63n);
    expect(doubleToUint64(1e19)).toBe(10000000000000000000n);
    expect(doubleToInt64(1e19)).toBe(-(2n ** 63n));
    expect(doubleToInt64(-2.7)).toBe(-2n);
    expect(doubleToInt64(PALERMO)).toBe(PALERMO);
  });

  test('GEOHASH strings: standard ranges, 10 characters of the 52 bits and a final 0', () => {
    expect(geohashString(PALERMO)).toBe('sqc8b49rny0');
    expect(geohashString(CATANIA)).toBe('sqdtr74hyu0');
  });
});

describe('distances', () => {
  test('haversine on Valkey\'s earth radius, four decimals', () => {
    const a = decodeScore(PALERMO, [0, 0]);
    const b = decodeScore(CATANIA, [0, 0]);
    expect(formatDistance(distance(a[0]!, a[1]!, b[0]!, b[1]!) / 1000)).toBe('166.2742');
    expect(distance(a[0]!, a[1]!, a[0]!, a[1]!)).toBe(0);
  });

  test('equal longitudes take the meridian shortcut', () => {
    expect(distance(10, 0, 10, 1)).toBe(6372797.560856 * Math.abs((1 * Math.PI) / 180 - 0));
  });

  test('fixedpoint_d2string rounds half to even (llrint)', () => {
    expect(formatDistance(0.00025)).toBe('0.0002');
    expect(formatDistance(0.00035)).toBe('0.0004');
    expect(formatDistance(0)).toBe('0.0000');
    expect(formatDistance(12.3456789)).toBe('12.3457');
    expect(formatDistance(0.00004)).toBe('0.0000');
  });
});

describe('number formatting', () => {
  test('%f is exact with glibc\'s ties to even', () => {
    expect(cFixed(0.0078125, 6)).toBe('0.007812');
    expect(cFixed(0.0234375, 6)).toBe('0.023438');
    expect(cFixed(2.5, 0)).toBe('2');
    expect(cFixed(200, 6)).toBe('200.000000');
    expect(cFixed(-0, 6)).toBe('-0.000000');
    expect(cFixed(-1e-9, 6)).toBe('-0.000000');
    expect(cFixed(1e22, 2)).toBe('10000000000000000000000.00');
    expect(cFixed(-Infinity, 6)).toBe('-inf');
  });

  test('%.17Lf trimmed', () => {
    expect(formatHumanDouble(-0)).toBe('0');
    expect(formatHumanDouble(180)).toBe('180');
    expect(formatHumanDouble(0.1)).toBe('0.10000000000000001');
    expect(formatHumanDouble(-85.05112878)).toBe('-85.0511287799999991');
  });
});

describe('correctly rounded trigonometry (glibc\'s results where V8 differs)', () => {
  test.each([
    [0.9630105028971668, 0.8209144370565215],
    [2.3516646679570115, 0.7103025836006548],
    [-1.3374964993484126, -0.9729088088269949],
  ])('sin(%s)', (x, want) => expect(crSin(x)).toBe(want));

  test.each([
    [-0.715314756858694, 0.7548868437321224],
    [-2.3817410053529784, -0.724938205475424],
    [2.545028023963777, -0.8272704969136514],
  ])('cos(%s)', (x, want) => expect(crCos(x)).toBe(want));

  test.each([
    [0.965007496088635, 1.3054719624643638],
    [0.5465157077785101, 0.5781979589688943],
    [0.4812218953582944, 0.5020480848182866],
  ])('asin(%s)', (x, want) => expect(crAsin(x)).toBe(want));

  test.each([
    [-2.3652698970703234, 8.146076644057379, -0.28258664170191455],
    [9.872417346439379, -1.3326148969632867, 1.7049689942955732],
    [-6.372253073899559, 9.497636614862245, -0.5909486087128673],
  ])('atan2(%s, %s)', (y, x, want) => expect(crAtan2(y, x)).toBe(want));

  test('special values', () => {
    expect(Object.is(crSin(-0), -0)).toBe(true);
    expect(crCos(0)).toBe(1);
    expect(crAsin(1)).toBe(Math.PI / 2);
    expect(crAsin(-1)).toBe(-Math.PI / 2);
    expect(crAsin(0.5)).toBe(0.5235987755982989);
    expect(crAsin(1.5)).toBeNaN();
    expect(crCos(Infinity)).toBeNaN();
    expect(crAtan2(0, -1)).toBe(Math.PI);
    expect(crSin(1e300)).toBe(Math.sin(1e300));
  });

  test('agrees with Math.* to within one unit in the last place', () => {
    for (let i = 0; i < 2000; i++) {
      const x = Math.sin(i * 12.9898) * 4;
      const ulp = 2 ** (Math.floor(Math.log2(Math.abs(Math.sin(x)) || 1)) - 52);
      expect(Math.abs(crSin(x) - Math.sin(x))).toBeLessThanOrEqual(ulp);
      const c = Math.abs(Math.cos(x));
      expect(Math.abs(crCos(x) - Math.cos(x))).toBeLessThanOrEqual(2 ** (Math.floor(Math.log2(c || 1)) - 52));
    }
  });
});

describe('shapes and cells', () => {
  test('ray casting: concave polygon, points outside', () => {
    const u = [[0, 0], [3, 0], [3, 2], [2, 2], [2, 1], [1, 1], [1, 2], [0, 2]];
    expect(pointInPolygon(u, 0.5, 0.5)).toBe(true);
    expect(pointInPolygon(u, 1.5, 1.5)).toBe(false);
    expect(pointInPolygon(u, 2.5, 1.5)).toBe(true);
    expect(pointInPolygon(u, -0.5, 0.5)).toBe(false);
  });

  test('circle and box membership, distances from the centre', () => {
    const c = newShape();
    c.type = CIRCLE;
    c.conversion = 1000;
    c.radius = 100;
    expect(distanceIfWithin(c, 0, 0.5)).toBeCloseTo(55_616, -1);
    expect(distanceIfWithin(c, 0, 1)).toBe(-1);
    const b = newShape();
    b.type = BOX;
    b.conversion = 1000;
    b.width = 200;
    b.height = 50;
    expect(distanceIfWithin(b, 0.8, 0)).toBeGreaterThan(0);
    expect(distanceIfWithin(b, 0, 0.3)).toBe(-1);
  });

  test('step estimate: halving the Mercator extent, coarser towards the poles', () => {
    expect(estimateStepsByRadius(0, 0)).toBe(26);
    expect(estimateStepsByRadius(1000, 0)).toBe(14);
    expect(estimateStepsByRadius(1000, 70)).toBe(13);
    expect(estimateStepsByRadius(1000, -85)).toBe(12);
    expect(estimateStepsByRadius(1e9, 0)).toBe(1);
    expect(estimateStepsByRadius(1e-300, 0)).toBe(26);
  });

  test('a small circle scans the centre cell and the neighbours it needs; the point lies in the centre cell', () => {
    const s = newShape();
    s.type = CIRCLE;
    s.conversion = 1;
    s.radius = 500;
    const xy = decodeScore(PALERMO, [0, 0]);
    s.lon = xy[0]!;
    s.lat = xy[1]!;
    const cells = searchCells(s)!;
    expect(cells).toHaveLength(9);
    const [min, max] = cellScoreRange(cells[0]!);
    expect(PALERMO).toBeGreaterThanOrEqual(min);
    expect(PALERMO).toBeLessThan(max);
    expect(cells.filter((c) => c !== null).length).toBeLessThan(9);
  });

  test('polygon: bounding box and spherical centroid', () => {
    const p = newShape();
    p.type = POLYGON;
    p.conversion = 1;
    p.points = [[0, 0], [2, 0], [2, 2], [0, 2]];
    boundingBox(p);
    expect(p.bounds).toEqual([0, 0, 2, 2]);
    expect(p.lon).toBeCloseTo(1, 10);
    expect(p.lat).toBeCloseTo(1.0001523, 6);
  });

  test('a polygon whose centroid lies beyond the latitude limit has no cells', () => {
    const p = newShape();
    p.type = POLYGON;
    p.conversion = 1;
    p.points = [[-180, 80], [-90, 80], [0, 80], [90, 80], [180, 80], [180, 85], [90, 85], [0, 85], [-90, 85], [-180, 85]];
    expect(searchCells(p)).toBeNull();
  });
});
