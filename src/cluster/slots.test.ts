import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createAssignment } from './slots.js';

describe('createAssignment: valkey-cli --cluster create', () => {
  // The plans valkey-cli 9.1.2 printed ("Primary[i] -> Slots a - b", "Adding replica #r to #p") for nodes on one host.
  test.each([
    [5, 0, [[0, 3276], [3277, 6553], [6554, 9829], [9830, 13106], [13107, 16383]], []],
    [6, 1, [[0, 5460], [5461, 10922], [10923, 16383]], [[4, 0], [5, 1], [3, 2]]],
    [7, 1, [[0, 5460], [5461, 10922], [10923, 16383]], [[4, 0], [5, 1], [6, 2], [3, 0]]],
    [10, 2, [[0, 5460], [5461, 10922], [10923, 16383]], [[4, 0], [5, 0], [6, 1], [7, 1], [8, 2], [9, 2], [3, 0]]],
    [8, 1, [[0, 4095], [4096, 8191], [8192, 12287], [12288, 16383]], [[5, 0], [6, 1], [7, 2], [4, 3]]],
  ])('%i nodes, %i replicas each: as valkey-cli printed it', (n, r, slots, replicaOf) => {
    expect(createAssignment(n, r)).toEqual({ slots, replicaOf });
  });

  test('too few nodes for the replicas asked is an error', () => {
    expect(() => createAssignment(2, 2)).toThrow('2 nodes cannot have 2 replicas per primary');
  });

  // (Past about 2,600 primaries valkey-cli's single-precision cursor drifts and sizes differ by 2.)
  test('up to 2,000 primaries: consecutive ranges covering every slot, sizes within one of each other; every replica placed once', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 5 }), (p, r, extra) => {
      // Fewer than r + 1 extra nodes (still p primaries), at most one per primary (valkey-cli leaves any more unassigned).
      const n = p * (r + 1) + Math.min(extra, r, p);
      const plan = createAssignment(n, r);
      expect(plan.slots).toHaveLength(p);
      let next = 0;
      for (const [a, b] of plan.slots) {
        expect(a).toBe(next);
        expect(b).toBeGreaterThanOrEqual(a);
        next = b + 1;
      }
      expect(next).toBe(16384);
      const sizes = plan.slots.map(([a, b]) => b - a + 1);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      expect(plan.replicaOf.map(([x]) => x).sort((x, y) => x - y)).toEqual(Array.from({ length: n - p }, (_, i) => p + i));
      const per = new Array<number>(p).fill(0);
      for (const [, q] of plan.replicaOf) per[q]!++;
      for (const c of per) expect(c === r || c === r + 1).toBe(true);
    }), { numRuns: 200 });
  });
});
