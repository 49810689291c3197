import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Rng } from '../../time/index.js';
import { cmpInt, SetValue, type SetLimits } from './set.js';

const DEFAULTS: SetLimits = { intsetEntries: 512, intsetCap: 512, listpackEntries: 128, listpackValue: 64 };
const limits = (intset: number, entries: number, value: number): SetLimits =>
  ({ intsetEntries: intset, intsetCap: Math.min(intset, 2 ** 30), listpackEntries: entries, listpackValue: value });

function build(members: readonly string[], lim = DEFAULTS): SetValue {
  const s = SetValue.create(members[0]!, members.length, lim);
  for (const m of members) s.add(m, lim);
  return s;
}

const rng = new Rng(42);
const rand = (n: number) => rng.int(n);

describe('cmpInt', () => {
  test('orders canonical integer strings as integers', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (a, b) => {
      const want = a < b ? -1 : a > b ? 1 : 0;
      expect(Math.sign(cmpInt(String(a), String(b)))).toBe(want);
    }));
  });
});

describe('SetValue.create (setTypeCreate)', () => {
  test('an integer first member makes an intset, unless the size hint is beyond the intset limit', () => {
    expect(SetValue.create('12', 1, DEFAULTS).enc).toBe('intset');
    expect(SetValue.create('12', 512, DEFAULTS).enc).toBe('intset');
    expect(SetValue.create('12', 513, DEFAULTS).enc).toBe('hashtable');
    expect(SetValue.create('12', 100, limits(50, 128, 64)).enc).toBe('listpack');
  });
  test('a string first member makes a listpack up to the listpack limit, then a hashtable', () => {
    expect(SetValue.create('a', 128, DEFAULTS).enc).toBe('listpack');
    expect(SetValue.create('a', 129, DEFAULTS).enc).toBe('hashtable');
    // Not integers for an intset: leading zeros, '+', '-0', beyond 64 bits, spaces.
    for (const m of ['007', '+1', '-0', '9223372036854775808', ' 1', '1 ', '', '1.0']) expect(SetValue.create(m, 1, DEFAULTS).enc).toBe('listpack');
    expect(SetValue.create('-9223372036854775808', 1, DEFAULTS).enc).toBe('intset');
  });
});

describe('intset', () => {
  test('keeps members sorted as integers and rejects duplicates', () => {
    const s = build(['17', '-3', '100', '0', '-9223372036854775808', '9223372036854775807', '5', '-3']);
    expect(s.enc).toBe('intset');
    expect(s.members()).toEqual(['-9223372036854775808', '-3', '0', '5', '17', '100', '9223372036854775807']);
    expect(s.add('5', DEFAULTS)).toBe(false);
    expect(s.has('5')).toBe(true);
    expect(s.has('05')).toBe(false);
    expect(s.has('x')).toBe(false);
    expect(s.remove('05')).toBe(false);
    expect(s.remove('-3')).toBe(true);
    expect(s.remove('-3')).toBe(false);
    expect(s.size).toBe(6);
  });
  test('grows into a hashtable past set-max-intset-entries', () => {
    const lim = limits(4, 128, 64);
    const s = build(['1', '2', '3', '4'], lim);
    expect(s.enc).toBe('intset');
    s.add('5', lim);
    expect(s.enc).toBe('hashtable');
    expect(s.size).toBe(5);
  });
  test('a string member makes a listpack in intset order when everything fits', () => {
    const s = build(['3', '1', '2']);
    expect(s.add('a', DEFAULTS)).toBe(true);
    expect(s.enc).toBe('listpack');
    expect(s.members()).toEqual(['1', '2', '3', 'a']);
  });
  test('...and a hashtable when the intset is as big as the listpack limit', () => {
    const s = build(Array.from({ length: 128 }, (_, i) => String(i)));
    s.add('a', DEFAULTS);
    expect(s.enc).toBe('hashtable');
    const t = build(Array.from({ length: 127 }, (_, i) => String(i)));
    t.add('a', DEFAULTS);
    expect(t.enc).toBe('listpack');
  });
  test('...or when the new member or the widest integer (sign included) exceeds the value limit', () => {
    const lim = limits(512, 128, 5);
    const grow = (ints: string[], m: string) => {
      const s = build(ints, lim);
      s.add(m, lim);
      return s.enc;
    };
    expect(grow(['1'], 'abcde')).toBe('listpack');
    expect(grow(['1'], 'abcdef')).toBe('hashtable');
    expect(grow(['12345'], 'a')).toBe('listpack');
    expect(grow(['123456'], 'a')).toBe('hashtable');
    expect(grow(['-1234', '5'], 'a')).toBe('listpack');
    expect(grow(['-12345', '5'], 'a')).toBe('hashtable');
    expect(grow(['1', '123456', '2'], 'a')).toBe('hashtable');
  });
});

describe('listpack', () => {
  test('keeps insertion order through removals', () => {
    const s = build(['c', 'a', '2', 'b', '1']);
    expect(s.enc).toBe('listpack');
    expect(s.remove('2')).toBe(true);
    s.add('z', DEFAULTS);
    expect(s.members()).toEqual(['c', 'a', 'b', '1', 'z']);
    expect(s.has('1')).toBe(true);
    expect(s.has('01')).toBe(false);
  });
  test('converts to a hashtable when full or for a long member, keeping every member', () => {
    const lim = limits(512, 3, 4);
    const s = build(['a', 'b', 'c'], lim);
    expect(s.enc).toBe('listpack');
    s.add('d', lim);
    expect(s.enc).toBe('hashtable');
    expect(s.members().sort()).toEqual(['a', 'b', 'c', 'd']);
    const t = build(['a'], lim);
    t.add('abcd', lim);
    expect(t.enc).toBe('listpack');
    t.add('abcde', lim);
    expect(t.enc).toBe('hashtable');
    // A duplicate never converts.
    const u = build(['a', 'b', 'c'], lim);
    expect(u.add('a', lim)).toBe(false);
    expect(u.enc).toBe('listpack');
  });
  test('maybeConvert (a SADD with many arguments) goes straight to a hashtable', () => {
    const s = build(['a']);
    s.maybeConvert(128, DEFAULTS);
    expect(s.enc).toBe('listpack');
    s.maybeConvert(129, DEFAULTS);
    expect(s.enc).toBe('hashtable');
    const i = build(['1']);
    i.maybeConvert(513, DEFAULTS);
    expect(i.enc).toBe('hashtable');
  });
});

describe('hashtable', () => {
  const big = () => build(Array.from({ length: 300 }, (_, i) => `m${i}`));

  test('membership, removal and size through many holes', () => {
    const s = big();
    expect(s.enc).toBe('hashtable');
    for (let i = 0; i < 300; i += 2) expect(s.remove(`m${i}`)).toBe(true);
    expect(s.size).toBe(150);
    for (let i = 0; i < 300; i++) expect(s.has(`m${i}`)).toBe(i % 2 === 1);
    expect(s.members().length).toBe(150);
    expect(s.remove('m0')).toBe(false);
    expect(s.add('m0', DEFAULTS)).toBe(true);
    expect(s.add('m1', DEFAULTS)).toBe(false);
    expect(s.size).toBe(151);
  });

  test('random picks are members and reach every member', () => {
    const s = big();
    for (let i = 0; i < 290; i++) s.remove(`m${i}`);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(s.random(rand));
    expect([...seen].sort()).toEqual(s.members().sort());
  });

  test('SSCAN: members present throughout are returned, whatever changes in between', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer({ min: 0, max: 399 }), { maxLength: 200 }), (count, churn) => {
      const s = big();
      const removed = new Set<string>();
      const seen = new Set<string>();
      let cursor = 0;
      let steps = 0;
      do {
        const r = s.scan(cursor, count);
        expect(r.members.length).toBeLessThanOrEqual(count);
        for (const m of r.members) seen.add(m);
        cursor = r.next;
        // Churn: remove and add members between calls.
        const c = churn[steps % Math.max(1, churn.length)];
        if (c !== undefined) {
          if (c < 300) {
            s.remove(`m${c}`);
            removed.add(`m${c}`);
          } else {
            s.add(`n${c}`, DEFAULTS);
          }
        }
        steps++;
      } while (cursor !== 0 && steps < 10_000);
      expect(cursor).toBe(0);
      for (let i = 0; i < 300; i++) if (!removed.has(`m${i}`)) expect(seen.has(`m${i}`)).toBe(true);
    }));
  });

  test('a cursor past the end finishes the scan', () => {
    const s = big();
    expect(s.scan(1e12, 10)).toEqual({ members: [], next: 0 });
    expect(s.scan(0, 1000).members.length).toBe(300);
    expect(s.scan(0, 1000).next).toBe(0);
  });
});

describe('shared operations', () => {
  test('orderedSample: k distinct ascending positions, every position reachable', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), (size, k0) => {
      const k = Math.min(size, k0);
      const p = SetValue.orderedSample(size, k, rand);
      expect(p.length).toBe(k);
      for (let i = 1; i < p.length; i++) expect(p[i]!).toBeGreaterThan(p[i - 1]!);
      for (const x of p) expect(x >= 0 && x < size).toBe(true);
    }));
    const hits = new Array<number>(10).fill(0);
    for (let i = 0; i < 3000; i++) for (const x of SetValue.orderedSample(10, 3, rand)) hits[x]!++;
    for (const h of hits) expect(h).toBeGreaterThan(700); // ~900 each
  });

  test('removePositions keeps the order of the rest', () => {
    const s = build(['a', 'b', 'c', 'd', 'e']);
    s.removePositions([0, 2, 4]);
    expect(s.members()).toEqual(['b', 'd']);
    const h = build(Array.from({ length: 200 }, (_, i) => `m${i}`));
    const all = h.members();
    h.removePositions([0, 5, 199]);
    expect(h.size).toBe(197);
    for (const i of [0, 5, 199]) expect(h.has(all[i]!)).toBe(false);
  });

  test('popRandom removes what it returns, down to empty', () => {
    for (const members of [['1', '2', '3'], ['a', 'b', 'c'], Array.from({ length: 200 }, (_, i) => `m${i}`)]) {
      const s = build(members);
      const got: string[] = [];
      while (s.size > 0) got.push(s.popRandom(rand));
      expect(got.sort()).toEqual([...members].sort());
    }
  });

  test('maybeConvertToIntset: integer-only sets within the intset limit become sorted intsets', () => {
    const l = SetValue.empty('listpack');
    for (const m of ['5', '-1', '3']) l.add(m, DEFAULTS);
    l.maybeConvertToIntset(DEFAULTS);
    expect(l.enc).toBe('intset');
    expect(l.members()).toEqual(['-1', '3', '5']);
    expect(l.has('3')).toBe(true);
    const h = SetValue.empty('hashtable');
    for (let i = 10; i > 0; i--) h.add(String(i), DEFAULTS);
    h.maybeConvertToIntset(limits(9, 128, 64));
    expect(h.enc).toBe('hashtable');
    h.maybeConvertToIntset(limits(10, 128, 64));
    expect(h.enc).toBe('intset');
    expect(h.members()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  });

  test('dup: same encoding and members, independent', () => {
    for (const members of [['3', '1'], ['b', 'a'], Array.from({ length: 200 }, (_, i) => `m${i}`)]) {
      const s = build(members);
      const c = s.dup();
      expect(c.enc).toBe(s.enc);
      expect(c.members()).toEqual(s.members());
      c.add('zz', DEFAULTS);
      c.remove(members[0]!);
      expect(s.has('zz')).toBe(false);
      expect(s.has(members[0]!)).toBe(true);
    }
  });

  test('a model check: any add/remove sequence keeps the members of a plain Set', () => {
    const member = fc.oneof(fc.integer({ min: -5, max: 20 }).map(String), fc.constantFrom('a', 'bb', 'ccccccc', '', '-0', '08'));
    const op = fc.tuple(fc.boolean(), member);
    const lim = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 8 }));
    fc.assert(fc.property(lim, member, fc.array(op, { maxLength: 60 }), ([a, b, c], first, ops) => {
      const l = limits(a, b, c);
      const s = SetValue.create(first, 1, l);
      const model = new Set<string>();
      let wasBig = false;
      for (const [add, m] of ops) {
        expect(add ? s.add(m, l) : s.remove(m)).toBe(add ? !model.has(m) : model.has(m));
        if (add) model.add(m);
        else model.delete(m);
        expect(s.size).toBe(model.size);
        if (s.enc === 'hashtable') wasBig = true;
        // Nothing converts back.
        if (wasBig) expect(s.enc).toBe('hashtable');
        if (s.enc === 'intset') expect(s.members()).toEqual([...model].sort((x, y) => cmpInt(x, y)));
      }
      expect(s.members().sort()).toEqual([...model].sort());
    }));
  });
});
