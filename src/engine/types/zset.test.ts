import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { lexGteMin, lexLteMax, scoreGteMin, scoreLteMax, ZSet, type LexBound, type LexRange, type ScoreRange, type ZNode } from './zset.js';

/** The naive model: [member, score] pairs kept sorted by score, then member bytes. */
type Pair = [string, number];
const order = (a: Pair, b: Pair) => (a[1] !== b[1] ? a[1] - b[1] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

class Model {
  pairs: Pair[] = [];
  constructor(readonly listpack: boolean) {}
  set(m: string, s: number): void {
    this.del(m);
    if (this.listpack && s === 0) s = 0;
    this.pairs.push([m, s]);
    this.pairs.sort(order);
  }
  del(m: string): boolean {
    const i = this.pairs.findIndex((p) => p[0] === m);
    if (i < 0) return false;
    this.pairs.splice(i, 1);
    return true;
  }
  inScore(r: ScoreRange): Pair[] {
    return this.pairs.filter((p) => scoreGteMin(p[1], r) && scoreLteMax(p[1], r));
  }
  inLex(r: LexRange): Pair[] {
    return this.pairs.filter((p) => lexGteMin(p[0], r) && lexLteMax(p[0], r));
  }
}

/** The skiplist's invariants: spans agree with positions at every level, back links, tail, length. */
function checkStructure(z: ZSet): void {
  const zsl = z.zsl;
  const nodes: ZNode[] = [];
  for (let x = zsl.first(); x !== null; x = x.next[0]!) nodes.push(x);
  expect(nodes.length).toBe(zsl.length);
  expect(zsl.tail).toBe(nodes.length ? nodes[nodes.length - 1] : null);
  nodes.forEach((n, i) => expect(n.backward).toBe(i === 0 ? null : nodes[i - 1]));
  const pos = new Map(nodes.map((n, i) => [n, i + 1]));
  for (let lvl = 0; lvl < zsl.level; lvl++) {
    let x = zsl.header;
    let at = 0;
    while (x.next[lvl] !== null) {
      at += x.span[lvl]!;
      x = x.next[lvl]!;
      expect(pos.get(x)).toBe(at);
    }
  }
  for (let i = 1; i < nodes.length; i++) expect(order([nodes[i - 1]!.member, nodes[i - 1]!.score], [nodes[i]!.member, nodes[i]!.score])).toBeLessThan(0);
}

const member = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', '', 'ab', 'a\x00', '\xff', '1', '10', '2');
const score = fc.oneof(
  fc.integer({ min: -4, max: 4 }),
  fc.constantFrom(0.5, -0.5, -0, Infinity, -Infinity, 1e300, 0.1),
);
const scoreRange: fc.Arbitrary<ScoreRange> = fc.record({ min: score, max: score, minex: fc.boolean(), maxex: fc.boolean() });
const lexBound: fc.Arbitrary<LexBound> = fc.oneof(
  fc.constant<LexBound>({ kind: 'min' }),
  fc.constant<LexBound>({ kind: 'max' }),
  member.map((value): LexBound => ({ kind: 'str', value })),
);
const lexRange: fc.Arbitrary<LexRange> = fc.record({ min: lexBound, max: lexBound, minex: fc.boolean(), maxex: fc.boolean() });

type Op =
  | { t: 'set'; m: string; s: number }
  | { t: 'del'; m: string }
  | { t: 'rank'; m: string }
  | { t: 'at'; i: number }
  | { t: 'nth'; r: ScoreRange; n: number }
  | { t: 'count'; r: ScoreRange }
  | { t: 'delScore'; r: ScoreRange }
  | { t: 'delRank'; a: number; b: number }
  | { t: 'toSkiplist' }
  | { t: 'toListpack' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ t: fc.constant('set' as const), m: member, s: score }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('del' as const), m: member }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('rank' as const), m: member }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('at' as const), i: fc.integer({ min: -1, max: 16 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('nth' as const), r: scoreRange, n: fc.integer({ min: -6, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('count' as const), r: scoreRange }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('delScore' as const), r: scoreRange }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('delRank' as const), a: fc.integer({ min: 0, max: 10 }), b: fc.integer({ min: 0, max: 10 }) }) },
  { weight: 1, arbitrary: fc.constant({ t: 'toSkiplist' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'toListpack' as const }) },
);

const pairOf = (n: ZNode | null): Pair | null => (n === null ? null : [n.member, n.score]);

describe('ZSet against a sorted-array model', () => {
  test('random inserts, updates, deletes, rank and range queries', () => {
    fc.assert(fc.property(fc.boolean(), fc.array(op, { maxLength: 120 }), (listpack, ops) => {
      const z = new ZSet(listpack);
      const m = new Model(listpack);
      const sameLp = () => {
        if (z.listpack !== (m as { listpack: boolean }).listpack) Object.assign(m, { listpack: z.listpack });
      };
      for (const o of ops) {
        switch (o.t) {
          case 'set':
            z.set(o.m, o.s);
            m.set(o.m, o.s);
            break;
          case 'del':
            expect(z.delete(o.m)).toBe(m.del(o.m));
            break;
          case 'rank':
            expect(z.rank(o.m)).toBe(m.pairs.findIndex((p) => p[0] === o.m));
            expect(z.score(o.m)).toBe(m.pairs.find((p) => p[0] === o.m)?.[1]);
            break;
          case 'at':
            expect(pairOf(z.at(o.i))).toEqual(m.pairs[o.i] ?? null);
            break;
          case 'nth': {
            const inr = m.inScore(o.r);
            expect(pairOf(z.nthInRange(o.r, o.n))).toEqual((o.n >= 0 ? inr[o.n] : inr[inr.length + o.n]) ?? null);
            // inRange is Valkey's quick test of the two ends: never false when something is in range.
            if (inr.length > 0) expect(z.inRange(o.r)).toBe(true);
            break;
          }
          case 'count':
            expect(z.countInRange(o.r)).toBe(m.inScore(o.r).length);
            break;
          case 'delScore': {
            const gone = m.inScore(o.r);
            expect(z.deleteRangeByScore(o.r)).toBe(gone.length);
            for (const [mm] of gone) m.del(mm);
            break;
          }
          case 'delRank': {
            const a = Math.min(o.a, o.b);
            const b = Math.min(Math.max(o.a, o.b), m.pairs.length - 1);
            if (a > b) break;
            expect(z.deleteRangeByRank(a, b)).toBe(b - a + 1);
            m.pairs.splice(a, b - a + 1);
            break;
          }
          case 'toSkiplist':
            z.toSkiplist();
            sameLp();
            break;
          case 'toListpack':
            z.toListpack();
            sameLp();
            for (const p of m.pairs) if (p[1] === 0) p[1] = 0;
            break;
        }
        expect(z.toArray()).toEqual(m.pairs);
        expect(z.size).toBe(m.pairs.length);
      }
      checkStructure(z);
      const copy = z.clone();
      expect(copy.toArray()).toEqual(z.toArray());
      expect(copy.listpack).toBe(z.listpack);
      checkStructure(copy);
    }), { numRuns: 300 });
  });

  test('lexicographic ranges on equal scores, in both encodings', () => {
    const lexOp = fc.oneof(
      { weight: 4, arbitrary: fc.record({ t: fc.constant('add' as const), m: member }) },
      { weight: 2, arbitrary: fc.record({ t: fc.constant('del' as const), m: member }) },
      { weight: 3, arbitrary: fc.record({ t: fc.constant('nth' as const), r: lexRange, n: fc.integer({ min: -5, max: 5 }) }) },
      { weight: 2, arbitrary: fc.record({ t: fc.constant('count' as const), r: lexRange }) },
      { weight: 1, arbitrary: fc.record({ t: fc.constant('delLex' as const), r: lexRange }) },
    );
    fc.assert(fc.property(fc.boolean(), fc.array(lexOp, { maxLength: 80 }), (listpack, ops) => {
      const z = new ZSet(listpack);
      const m = new Model(listpack);
      for (const o of ops) {
        if (o.t === 'add') {
          z.set(o.m, 0);
          m.set(o.m, 0);
        } else if (o.t === 'del') {
          expect(z.delete(o.m)).toBe(m.del(o.m));
        } else if (o.t === 'nth') {
          const inr = m.inLex(o.r);
          expect(pairOf(z.nthInLexRange(o.r, o.n))).toEqual((o.n >= 0 ? inr[o.n] : inr[inr.length + o.n]) ?? null);
        } else if (o.t === 'count') {
          expect(z.countInLexRange(o.r)).toBe(m.inLex(o.r).length);
        } else {
          const gone = m.inLex(o.r);
          expect(z.deleteRangeByLex(o.r)).toBe(gone.length);
          for (const [mm] of gone) m.del(mm);
        }
        expect(z.toArray()).toEqual(m.pairs);
      }
      checkStructure(z);
    }), { numRuns: 300 });
  });

  test('a listpack answers lex ranges over unequal scores by scanning from its ends', () => {
    const z = new ZSet(true);
    for (const [m, s] of [['b', 0], ['a', 1], ['d', 2], ['c', 3]] as const) z.set(m, s);
    const r: LexRange = { min: { kind: 'str', value: 'b' }, max: { kind: 'str', value: 'c' }, minex: false, maxex: false };
    // From the left: 'b' is the first member >= 'b'; the walk then goes on while members are <= 'c' ('a', not 'd').
    expect(z.nthInLexRange(r, 0)?.member).toBe('b');
    expect(z.nthInLexRange(r, 1)?.member).toBe('a');
    expect(z.countInLexRange(r)).toBe(2);
    // From the right: 'c' is the first member <= 'c', then plain steps back.
    expect(z.nthInLexRange(r, -1)?.member).toBe('c');
    expect(z.nthInLexRange(r, -2)?.member).toBe('d');
    // The quick checks look at the ends only: the last member 'c' is below '[d'.
    expect(z.nthInLexRange({ ...r, min: { kind: 'str', value: 'd' }, max: { kind: 'max' } }, 0)).toBeNull();
    expect(z.deleteRangeByLex(r)).toBe(2);
    expect(z.toArray()).toEqual([['d', 2], ['c', 3]]);
  });

  test('a listpack stores -0 as 0; a skiplist keeps it until it becomes a listpack', () => {
    const lp = new ZSet(true);
    lp.set('a', -0);
    expect(Object.is(lp.score('a'), 0)).toBe(true);
    const sk = new ZSet(false);
    sk.set('a', -0);
    sk.set('b', 1);
    expect(Object.is(sk.score('a'), -0)).toBe(true);
    expect(Object.is(sk.clone().score('a'), -0)).toBe(true);
    sk.toListpack();
    expect(Object.is(sk.score('a'), 0)).toBe(true);
    expect(sk.encoding).toBe('listpack');
  });

  test('ranks and positions stay right through many operations (spans)', () => {
    const z = new ZSet(false);
    const n = 5000;
    for (let i = 0; i < n; i++) z.set(`m${i}`, (i * 7919) % 1009);
    for (let i = 0; i < n; i += 3) z.delete(`m${i}`);
    const arr = z.toArray();
    expect(arr.length).toBe(z.size);
    for (let i = 0; i < arr.length; i += 97) {
      expect(z.rank(arr[i]![0])).toBe(i);
      expect(z.at(i)!.member).toBe(arr[i]![0]);
    }
    checkStructure(z);
  });
});
