import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  cmpId, decrId, ID_MAX, ID_ZERO, IdMap, incrId, INVALID_ENTRIES_READ, StreamValue, UINT64_MAX, type StreamID, type TrimArgs,
} from './stream.js';

const id = (ms: number | bigint, seq: number | bigint = 0): StreamID => ({ ms: BigInt(ms), seq: BigInt(seq) });
const LIMITS = { maxEntries: 100, maxBytes: 4096 };
const ids = (s: StreamValue, rev = false) => [...s.range(ID_ZERO, ID_MAX, rev)].map((e) => `${e.id.ms}-${e.id.seq}`);
/** A stream with entries 1-0 .. n-0, each "f" -> i. */
function filled(n: number, limits = LIMITS): StreamValue {
  const s = new StreamValue();
  for (let i = 1; i <= n; i++) expect(s.append(['f'], [String(i)], 0, limits, id(i))).toEqual(id(i));
  return s;
}
const trim = (t: Partial<TrimArgs>): TrimArgs => ({ strategy: 'maxlen', approx: false, limit: 0, maxlen: 0n, minid: ID_ZERO, ...t });

describe('stream IDs', () => {
  test('increment and decrement carry between the parts and stop at the ends', () => {
    expect(incrId(id(1, UINT64_MAX))).toEqual(id(2, 0));
    expect(incrId(ID_MAX)).toBeNull();
    expect(decrId(id(2, 0))).toEqual(id(1, UINT64_MAX));
    expect(decrId(ID_ZERO)).toBeNull();
    expect(cmpId(id(1, 5), id(2, 0))).toBe(-1);
    expect(cmpId(id(2, 1), id(2, 0))).toBe(1);
  });

  test('IdMap keeps IDs in order whatever the insertion order', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(20), fc.nat(3))), (pairs) => {
      const m = new IdMap<number>();
      pairs.forEach(([a, b], i) => m.set(id(a, b), i));
      const keys = [...m.entries()].map(([k]) => k);
      for (let i = 1; i < keys.length; i++) expect(cmpId(keys[i - 1]!, keys[i]!)).toBe(-1);
      expect(m.size).toBe(new Set(pairs.map(([a, b]) => `${a}-${b}`)).size);
    }));
  });
});

describe('appending', () => {
  test('generated IDs follow the time, or the last ID when the time is behind', () => {
    const s = new StreamValue();
    expect(s.append(['f'], ['v'], 1000, LIMITS)).toEqual(id(1000, 0));
    expect(s.append(['f'], ['v'], 1000, LIMITS)).toEqual(id(1000, 1));
    expect(s.append(['f'], ['v'], 900, LIMITS)).toEqual(id(1000, 2));
    expect(s.append(['f'], ['v'], 1001, LIMITS)).toEqual(id(1001, 0));
    expect(s.append(['f'], ['v'], 0, LIMITS, id(1001))).toBe('EDOM');
    expect(s.append(['f'], ['v'], 0, LIMITS, id(1001), false)).toEqual(id(1001, 1));
    expect(s.append(['f'], ['v'], 0, LIMITS, id(5000), false)).toEqual(id(5000, 0));
    expect(s.length).toBe(6);
    expect(s.entriesAdded).toBe(6n);
    expect(s.firstId).toEqual(id(1000, 0));
  });

  test('a new node starts at stream-node-max-entries entries (tombstones included)', () => {
    const s = filled(250);
    expect(s.nodeCount).toBe(3);
    const t = filled(10, { maxEntries: 3, maxBytes: 4096 });
    expect(t.nodeCount).toBe(4);
    t.deleteEntry(id(10));
    t.append(['f'], ['v'], 0, { maxEntries: 3, maxBytes: 4096 }, id(11));
    expect(t.nodeCount).toBe(4); // 10-0 was the only entry of its node, so the node went
  });

  test('a new node starts before stream-node-max-bytes would be reached', () => {
    const s = new StreamValue();
    for (let i = 1; i <= 10; i++) s.append(['f'], ['x'.repeat(1000)], 0, LIMITS, id(i));
    // An entry takes 1012 bytes and the node header 17: with four entries (4065 bytes) the next 1001 would reach 4096.
    expect(s.nodeCount).toBe(3);
  });

  test('the radix tree node count: one key is a chain and a leaf; keys branch where they part', () => {
    expect(new StreamValue().radixTreeNodes()).toBe(1);
    expect(filled(1).radixTreeNodes()).toBe(2);
    // 1-0 and 1-1 part at the last of their 16 bytes: a chain, a branch, two leaves.
    const one = { maxEntries: 1, maxBytes: 4096 };
    const s = new StreamValue();
    s.append(['f'], ['v'], 0, one, id(1, 0));
    s.append(['f'], ['v'], 0, one, id(1, 1));
    expect(s.radixTreeNodes()).toBe(4);
    // 2-0 parts from them at byte 7: the root chain now ends there, and each side has a chain of its own.
    s.append(['f'], ['v'], 0, one, id(2, 0));
    expect(s.radixTreeNodes()).toBe(8); // as Valkey 9.1.2 reports it
  });
});

describe('ranges, deletion and trimming', () => {
  test('ranges skip tombstones in both directions and honour the bounds', () => {
    const s = filled(12, { maxEntries: 4, maxBytes: 4096 });
    s.deleteEntry(id(4));
    s.deleteEntry(id(5));
    expect(ids(s)).toEqual(['1-0', '2-0', '3-0', '6-0', '7-0', '8-0', '9-0', '10-0', '11-0', '12-0']);
    expect(ids(s, true)).toEqual(['12-0', '11-0', '10-0', '9-0', '8-0', '7-0', '6-0', '3-0', '2-0', '1-0']);
    expect([...s.range(id(4), id(7))].map((e) => Number(e.id.ms))).toEqual([6, 7]);
    expect([...s.range(id(4), id(7), true)].map((e) => Number(e.id.ms))).toEqual([7, 6]);
    expect([...s.range(id(7), id(4))]).toEqual([]);
    expect(s.has(id(5))).toBe(false);
    expect(s.deleteEntry(id(5))).toBe(false);
    expect(s.length).toBe(10);
  });

  test('exact MAXLEN marks entries inside a node; approximate trimming only drops whole nodes', () => {
    const s = filled(30, { maxEntries: 10, maxBytes: 4096 });
    expect(s.trim(trim({ maxlen: 25n, approx: true, limit: 1000 }))).toBe(0);
    expect(s.trim(trim({ maxlen: 15n, approx: true, limit: 1000 }))).toBe(10);
    expect(s.trim(trim({ maxlen: 13n }))).toBe(7);
    expect(s.length).toBe(13);
    expect(s.nodeCount).toBe(2);
    expect(s.firstId).toEqual(id(18));
    expect(s.trim(trim({ strategy: 'minid', minid: id(25), approx: true, limit: 1000 }))).toBe(3); // the rest of node 11..20
    expect(s.trim(trim({ strategy: 'minid', minid: id(25) }))).toBe(4);
    expect(ids(s)[0]).toBe('25-0');
  });

  test('LIMIT stops before a node that would exceed it', () => {
    const s = filled(30, { maxEntries: 10, maxBytes: 4096 });
    expect(s.trim(trim({ maxlen: 0n, approx: true, limit: 15 }))).toBe(10);
    expect(s.length).toBe(20);
  });
});

describe('consumer group counters', () => {
  test('the distance from the first ever entry is known only without fragmentation', () => {
    const s = filled(5);
    expect(s.estimateDistance(id(5))).toBe(5n);
    expect(s.estimateDistance(id(1))).toBe(1n);
    expect(s.estimateDistance(ID_ZERO)).toBe(0n);
    expect(s.estimateDistance(id(3))).toBe(INVALID_ENTRIES_READ);
    expect(s.estimateDistance(id(9))).toBe(INVALID_ENTRIES_READ);
    s.deleteEntry(id(2));
    s.maxDeletedId = id(2);
    expect(s.estimateDistance(id(1))).toBe(INVALID_ENTRIES_READ);
    const g = s.createGroup('g', id(1), 1n)!;
    expect(s.groupLag(g)).toBeNull();
    g.lastId = id(3);
    g.entriesRead = 3n;
    expect(s.groupLag(g)).toBe(2n);
    expect(s.createGroup('g', ID_ZERO, 0n)).toBeUndefined();
  });

  test('dup copies entries, groups, PELs and consumers independently', () => {
    const s = filled(3);
    const g = s.createGroup('g', ID_ZERO, 0n)!;
    const copy = s.dup();
    copy.deleteEntry(id(1));
    copy.lookupGroup('g')!.lastId = id(3);
    expect(s.length).toBe(3);
    expect(g.lastId).toEqual(ID_ZERO);
    expect(ids(copy)).toEqual(['2-0', '3-0']);
  });
});
