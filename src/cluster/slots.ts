/**
 * How `valkey-cli --cluster create` lays out a new cluster
 * (clusterManagerCommandCreate in valkey-cli.c), for nodes that all share one
 * host, as a cluster in one process does.
 *
 * - The first floor(N / (R + 1)) nodes are primaries. Slots are split with
 *   single-precision arithmetic: primary i gets up to
 *   lround(cursor + 16384/P - 1), the last one up to 16383.
 * - The other nodes are rotated by one, then dealt to the primaries in order,
 *   R each, and any left over one more each ("Adding extra replicas").
 * - valkey-cli then runs an anti-affinity pass that swaps replicas between
 *   primaries at random (rand() seeded from the time and pid); when every
 *   node is on one host no swap changes the score, so the real result is a
 *   random permutation of this one. We keep the placement before that pass.
 */
import { CLUSTER_SLOTS } from '../engine/cluster.js';

export interface CreatePlan {
  /** Slot range [start, end] of each primary (node index = position). */
  slots: [number, number][];
  /** [replica node index, primary node index], in assignment order. */
  replicaOf: [number, number][];
}

export function createAssignment(nodes: number, replicas: number): CreatePlan {
  const primaries = Math.floor(nodes / (replicas + 1));
  if (primaries < 1) throw new Error(`${nodes} nodes cannot have ${replicas} replicas per primary`);
  const f = Math.fround;
  const perNode = f(CLUSTER_SLOTS / primaries);
  const slots: [number, number][] = [];
  let first = 0;
  let cursor = f(0);
  for (let i = 0; i < primaries; i++) {
    let last = Math.round(f(f(cursor + perNode) - 1));
    if (last > CLUSTER_SLOTS || i === primaries - 1) last = CLUSTER_SLOTS - 1;
    if (last < first) last = first;
    slots.push([first, last]);
    first = last + 1;
    cursor = f(cursor + perNode);
  }

  // The replicas-to-be, rotated left by one.
  const rest: number[] = [];
  for (let i = primaries; i < nodes; i++) rest.push(i);
  if (rest.length > 0) rest.push(rest.shift()!);
  const replicaOf: [number, number][] = [];
  let next = 0;
  let unused = false;
  for (;;) {
    for (let p = 0; p < primaries; p++) {
      let assigned = 0;
      while (assigned < replicas) {
        if (next >= rest.length) break;
        replicaOf.push([rest[next++]!, p]);
        assigned++;
        if (unused) break;
      }
    }
    if (unused || next >= rest.length) break;
    unused = true;
  }
  return { slots, replicaOf };
}
