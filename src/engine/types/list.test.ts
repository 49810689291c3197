import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ListValue, lpEntrySize, type Where } from './list.js';

/** Every structural invariant of a list: lengths, node links, listpack byte sizes. */
function checkInvariants(l: ListValue): void {
  let count = 0;
  let nodes = 0;
  let prev = null;
  for (let n = l.head; n !== null; n = n.next) {
    expect(n.prev).toBe(prev);
    nodes++;
    count += n.count;
    const items = n.items();
    if (n.plain) {
      expect(items.length).toBe(1);
      expect(n.sz).toBe(items[0]!.length);
    } else {
      expect(n.sz).toBe(7 + items.reduce((s, v) => s + lpEntrySize(v), 0));
    }
    if (l.encoding === 'quicklist') expect(n.count).toBeGreaterThan(0);
    prev = n;
  }
  expect(l.tail).toBe(prev);
  expect(nodes).toBe(l.nodes);
  expect(count).toBe(l.length);
  if (l.encoding === 'listpack') {
    expect(nodes).toBe(1);
    expect(l.head!.plain).toBe(false);
  }
}

describe('lpEntrySize (listpack entry bytes)', () => {
  test('integers use the smallest integer encoding', () => {
    const cases: [string, number][] = [
      ['0', 2], ['127', 2], ['128', 3], ['-1', 3], ['-4096', 3], ['4095', 3], ['4096', 4], ['-32768', 4], ['32767', 4],
      ['32768', 5], ['-8388608', 5], ['8388608', 6], ['2147483647', 6], ['-2147483648', 6], ['2147483648', 10],
      ['9223372036854775807', 10], ['-9223372036854775808', 10],
    ];
    for (const [v, n] of cases) expect(lpEntrySize(v), v).toBe(n);
  });

  test('strings: 6-bit, 12-bit and 32-bit length headers, multi-byte back-lengths', () => {
    const cases: [string, number][] = [
      ['', 2], ['a', 3], ['007', 5], ['-0', 4], ['1.5', 5], ['9223372036854775808', 21], ['x'.repeat(63), 65],
      ['x'.repeat(64), 67], ['x'.repeat(125), 128], ['x'.repeat(126), 130], ['x'.repeat(4095), 4099], ['x'.repeat(4096), 4103],
    ];
    for (const [v, n] of cases) expect(lpEntrySize(v), v.slice(0, 20)).toBe(n);
  });
});

describe('ListValue', () => {
  test('a deque: pushes and pops at both ends, long queues stay compact', () => {
    const l = new ListValue();
    for (let i = 0; i < 1000; i++) l.push(String(i), i % 2 ? 'head' : 'tail');
    expect(l.length).toBe(1000);
    expect(l.get(0)).toBe('999');
    expect(l.get(-1)).toBe('998');
    // A queue: push at the tail, pop at the head, many times over.
    for (let i = 0; i < 50_000; i++) {
      l.tryConvertGrowing(1, 1, -2);
      l.push('q', 'tail');
      l.pop('head');
    }
    expect(l.length).toBe(1000);
    checkInvariants(l);
    expect(l.toArray().slice(-3)).toEqual(['q', 'q', 'q']);
  });

  test('listpack until 8 KiB (default -2), quicklist beyond, back to listpack below half', () => {
    const l = new ListValue();
    const v = 'x'.repeat(60); // 62 bytes an entry
    let n = 0;
    while (l.encoding === 'listpack') {
      l.tryConvertGrowing(v.length, 1, -2);
      if (l.encoding === 'listpack') {
        l.push(v, 'tail');
        n++;
      }
    }
    // Entries of 62 bytes: with 131 the listpack has 8129 bytes, + 60 (the new string's length) fits in 8192;
    // with 132 it has 8191 and the next one converts.
    expect(n).toBe(132);
    l.push(v, 'tail');
    // A quicklist node takes entries while its size + the string + 8 stays within 8192: 131 per node.
    for (let i = 0; i < 200; i++) l.push(v, 'tail');
    expect(l.layout().map((x) => x[1])).toEqual([132, 131, 70]);
    checkInvariants(l);
    l.deleteRange(0, 200);
    l.tryConvertShrinking(-2);
    expect(l.encoding).toBe('quicklist'); // two nodes left
    l.deleteRange(0, 70);
    l.tryConvertShrinking(-2);
    // One node of 63 entries: 7 + 62 * 63 = 3913 bytes, within half of 8192.
    expect(l.encoding).toBe('listpack');
    checkInvariants(l);
  });

  test('plain nodes hold elements above the node limit', () => {
    const l = new ListValue();
    l.tryConvertGrowing(9000, 1, -2);
    expect(l.encoding).toBe('quicklist');
    l.push('a', 'tail');
    l.push('x'.repeat(9000), 'tail');
    l.push('b', 'tail');
    expect(l.layout()).toEqual([[10, 1, false], [9000, 1, true], [10, 1, false]]);
    l.set(1, 'small');
    expect(l.layout().map((x) => x[2])).toEqual([false, false]);
    expect(l.toArray()).toEqual(['a', 'small', 'b']);
    checkInvariants(l);
  });

  test('lists built in one go (SORT STORE) and from serialized nodes (RESTORE)', () => {
    expect(ListValue.built(['a', 'b'], -2).encoding).toBe('listpack');
    const big = ListValue.built(Array.from({ length: 300 }, () => 'x'.repeat(60)), -2);
    expect(big.encoding).toBe('quicklist');
    expect(big.layout().map((n) => n[1])).toEqual([131, 131, 38]);
    checkInvariants(big);
    // A single node within the full (not halved) limit becomes a listpack.
    const one = ListValue.fromNodes([{ items: Array.from({ length: 100 }, () => 'x'.repeat(60)), plain: false }], -2)!;
    expect(one.encoding).toBe('listpack');
    expect(one.length).toBe(100);
    checkInvariants(one);
    const plain = ListValue.fromNodes([{ items: [], plain: false }, { items: ['y'.repeat(10)], plain: true }], -2)!;
    expect(plain.encoding).toBe('quicklist');
    checkInvariants(plain);
    expect(ListValue.fromNodes([{ items: [], plain: false }], -2)).toBeUndefined();
  });

  test('dup is independent and keeps the layout', () => {
    const l = ListValue.of(Array.from({ length: 300 }, (_, i) => 'e'.repeat(50) + i), -2);
    const c = l.dup();
    expect(c.layout()).toEqual(l.layout());
    expect(c.encoding).toBe('quicklist');
    c.pop('head');
    c.set(0, 'changed');
    expect(l.length).toBe(300);
    expect(l.get(1)).toBe('e'.repeat(50) + 1);
    checkInvariants(l);
    checkInvariants(c);
  });

  test('LPOS-style scans and LREM from either end', () => {
    const l = ListValue.of(['a', 'b', 'a', 'c', 'a'], -2);
    const seen: [string, number][] = [];
    l.scan(true, (v, i) => {
      seen.push([v, i]);
      return i === 2;
    });
    expect(seen).toEqual([['a', 0], ['c', 1], ['a', 2]]);
    expect(l.remove('a', 1, true)).toBe(1);
    expect(l.toArray()).toEqual(['a', 'b', 'a', 'c']);
    expect(l.remove('a', 0, false)).toBe(2);
    expect(l.toArray()).toEqual(['b', 'c']);
    checkInvariants(l);
  });

  test('property: behaves like an array under every operation and fill, with consistent node sizes', () => {
    const val = fc.oneof(
      fc.constantFrom('a', 'b', '1', '-300', '70000', ''),
      fc.integer({ min: 1, max: 40 }).map((n) => 'v'.repeat(n * 50)),
      fc.constantFrom('L'.repeat(9000), 'M'.repeat(20000)),
    );
    const side = fc.constantFrom<Where>('head', 'tail');
    const op = fc.oneof(
      fc.tuple(fc.constant('push' as const), side, fc.array(val, { minLength: 1, maxLength: 20 })),
      fc.tuple(fc.constant('pop' as const), side, fc.integer({ min: 1, max: 15 })),
      fc.tuple(fc.constant('set' as const), fc.integer({ min: -30, max: 30 }), val),
      fc.tuple(fc.constant('insert' as const), val, val, fc.boolean()),
      fc.tuple(fc.constant('remove' as const), val, fc.integer({ min: 0, max: 3 }), fc.boolean()),
      fc.tuple(fc.constant('trim' as const), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 })),
    );
    const fill = fc.constantFrom(-1, -2, -5, 0, 1, 3, 8, 100);
    fc.assert(fc.property(fill, fc.array(op, { minLength: 20, maxLength: 120, size: 'max' }), (f, ops) => {
      let l = new ListValue();
      let model: string[] = [];
      let steps = 0;
      for (const o of ops) {
        switch (o[0]) {
          case 'push':
            l.tryConvertGrowing(o[2].reduce((s, v) => s + v.length, 0), o[2].length, f);
            for (const v of o[2]) {
              l.push(v, o[1]);
              if (o[1] === 'head') model.unshift(v);
              else model.push(v);
            }
            break;
          case 'pop': {
            const got = l.popMany(o[1], o[2]);
            const n = Math.min(o[2], model.length);
            const want = o[1] === 'head' ? model.splice(0, n) : model.splice(model.length - n, n).reverse();
            expect(got).toEqual(want);
            l.tryConvertShrinking(f);
            break;
          }
          case 'set': {
            l.tryConvertGrowing(o[2].length, 1, f);
            const i = o[1] < 0 ? model.length + o[1] : o[1];
            expect(l.set(o[1], o[2])).toBe(i >= 0 && i < model.length);
            if (i >= 0 && i < model.length) model[i] = o[2];
            l.tryConvertShrinking(f);
            break;
          }
          case 'insert': {
            l.tryConvertGrowing(o[2].length, 1, f);
            const i = model.indexOf(o[1]);
            expect(l.insert(o[1], o[2], o[3])).toBe(i >= 0);
            if (i >= 0) model.splice(o[3] ? i + 1 : i, 0, o[2]);
            break;
          }
          case 'remove': {
            const [, v, limit, fromTail] = o;
            let removed = 0;
            const idx = model.map((_, i) => i);
            if (fromTail) idx.reverse();
            const drop = new Set<number>();
            for (const i of idx) {
              if (model[i] === v && (limit === 0 || removed < limit)) {
                drop.add(i);
                removed++;
              }
            }
            expect(l.remove(v, limit, fromTail)).toBe(removed);
            model = model.filter((_, i) => !drop.has(i));
            l.tryConvertShrinking(f);
            break;
          }
          case 'trim': {
            const s = Math.min(o[1], model.length);
            const e = Math.min(o[2], model.length - s);
            l.deleteRange(0, s);
            l.deleteRange(l.length - e, e);
            model = model.slice(s, model.length - e);
            l.tryConvertShrinking(f);
            break;
          }
        }
        expect(l.toArray()).toEqual(model);
        if (model.length > 0) {
          expect(l.range(0, model.length - 1, true)).toEqual([...model].reverse());
          expect(l.get(-1)).toBe(model[model.length - 1]);
        }
        checkInvariants(l);
        steps++;
        if (model.length === 0) l = new ListValue(); // the key is gone: the next push makes a new one
      }
      return steps === ops.length;
    }), { numRuns: 300 });
  });
});
