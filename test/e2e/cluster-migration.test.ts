/**
 * Atomic slot migration (CLUSTER MIGRATESLOTS) seen by an unchanged ioredis
 * `Cluster`: held at each phase with `cluster.migrations.pauseAt`, every
 * write the client makes during the migration succeeds and lands, nothing is
 * ever redirected with ASK, and after the handoff the client follows MOVED
 * to the new owner.
 */
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createCluster, keyHashSlot, type ValkeyCluster } from '../../src/index.js';
import { MIGRATION_PHASES } from '../../src/cluster/index.js';

let cluster: ValkeyCluster;
beforeAll(async () => {
  cluster = await createCluster({ primaries: 3, replicasPerPrimary: 1, clock: 'virtual' });
});
afterAll(() => cluster.close());

test('ioredis Cluster: writes during every phase succeed and land; after the handoff it follows MOVED; no ASK', async () => {
  const client = new Cluster([{ host: cluster.nodes[0]!.host, port: cluster.nodes[0]!.port }]);
  const from = cluster.nodes[0]!;
  const to = cluster.nodes[1]!;
  try {
    let n = 0;
    while (!from.slots.some(([a, b]) => keyHashSlot(`{mig${n}}`) >= a && keyHashSlot(`{mig${n}}`) <= b)) n++;
    const tag = `{mig${n}}`;
    const slot = keyHashSlot(tag);
    await client.set(`${tag}:0`, 'before');
    const admin = new Redis({ host: from.host, port: from.port });
    cluster.migrations.pauseAt('connecting');
    expect(await admin.call('CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', String(slot), String(slot), 'NODE', to.id)).toBe('OK');
    admin.disconnect();
    const written: string[] = [];
    const waiting = <T>(p: Promise<T>) => Promise.race([p, new Promise((r) => setTimeout(() => r('waiting'), 30))]);
    // connecting, snapshot, streaming: the source serves the writes at once.
    for (const phase of MIGRATION_PHASES.slice(0, 3)) {
      if (phase !== 'connecting') cluster.migrations.step();
      expect(cluster.migrations.list()[0]!.phase).toBe(phase);
      expect(await client.set(`${tag}:${phase}`, phase)).toBe('OK');
      written.push(`${tag}:${phase}`);
    }
    // paused, handoff: the write waits on the source...
    cluster.migrations.step();
    expect(cluster.migrations.list()[0]!.phase).toBe('paused');
    const w = client.set(`${tag}:paused`, 'paused');
    expect(await waiting(w)).toBe('waiting');
    cluster.migrations.step();
    expect(cluster.migrations.list()[0]!.phase).toBe('handoff');
    expect(await waiting(w)).toBe('waiting');
    // ...and after the handoff it gets MOVED, which the client follows to the target.
    cluster.migrations.step();
    expect(await w).toBe('OK');
    written.push(`${tag}:paused`);
    expect(cluster.migrations.list()[0]!.phase).toBe('done');
    // Every key of the slot is on the target now, none left on the source.
    for (const k of [`${tag}:0`, ...written]) {
      expect(to.server.engine.db(0).peek(k), k).toBeDefined();
      expect(from.server.engine.db(0).peek(k), k).toBeUndefined();
      expect(await client.get(k)).not.toBeNull();
    }
    expect(await client.get(`${tag}:paused`)).toBe('paused');
    await client.set(`${tag}:after`, 'x');
    expect(to.server.engine.db(0).peek(`${tag}:after`)).toBeDefined();
    // The source answered MOVED (the postponed write); the client never sent ASKING anywhere.
    const info = async (port: number, section: string) => {
      const r = new Redis({ host: from.host, port });
      try {
        return String(await r.info(section));
      } finally {
        r.disconnect();
      }
    };
    expect(await info(from.port, 'errorstats')).toMatch(/errorstat_MOVED:count=[1-9]/);
    for (const node of cluster.nodes) expect(await info(node.port, 'commandstats')).not.toContain('cmdstat_asking');
  } finally {
    client.disconnect();
  }
});
