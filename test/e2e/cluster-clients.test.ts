/**
 * Cluster clients, unchanged, against a valkey-double cluster: ioredis and
 * iovalkey `Cluster`, node-redis `createCluster`. Keys route to their slot's
 * primary, a slot moved by hand answers MOVED and the client follows, and
 * `scaleReads: 'slave'` reads from replicas (after READONLY).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { Cluster as IoValkeyCluster } from 'iovalkey';
import { createCluster as createRedisCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findOracle } from '../../conformance/targets/oracle.js';
import { createCluster, keyHashSlot, type InProcessReplication, type ValkeyCluster } from '../../src/index.js';

const run = promisify(execFile);

/** The node (by port) serving a key's slot. */
function ownerPort(c: ValkeyCluster, key: string): number {
  const slot = keyHashSlot(key);
  return c.nodes.find((n) => n.slots.some(([a, b]) => slot >= a && slot <= b))!.port;
}

/** How many keys each primary holds in database 0. */
function keysPerNode(c: ValkeyCluster): Record<number, number> {
  return Object.fromEntries(c.nodes.filter((n) => n.role === 'primary').map((n) => [n.port, n.server.engine.db(0).size]));
}

describe('cluster clients against createCluster', () => {
  let cluster: ValkeyCluster;
  beforeAll(async () => {
    cluster = await createCluster({ primaries: 3, replicasPerPrimary: 1 });
  });
  afterAll(() => cluster.close());

  for (const [label, Client] of [['ioredis', Cluster], ['iovalkey', IoValkeyCluster as unknown as typeof Cluster]] as const) {
    test(`${label} Cluster: keys land on their slot's primary, MOVED after a slot moves`, async () => {
      cluster.flushAll();
      const first = cluster.nodes[0]!;
      const client = new Client([{ host: first.host, port: first.port }], { scaleReads: 'master' });
      try {
        const keys = Array.from({ length: 30 }, (_, i) => `key:${i}`);
        for (const k of keys) await client.set(k, k.toUpperCase());
        for (const k of keys) expect(await client.get(k)).toBe(k.toUpperCase());
        const perNode = keysPerNode(cluster);
        for (const k of keys) expect(cluster.node(ownerPort(cluster, k))!.server.engine.db(0).size).toBeGreaterThan(0);
        expect(Object.values(perNode).reduce((a, b) => a + b, 0)).toBe(keys.length);
        // Every replica holds what its primary holds (replication is immediate by default).
        for (const r of cluster.nodes.filter((n) => n.role === 'replica')) expect(r.server.engine.db(0).size).toBe(perNode[cluster.node(r.primaryId!)!.port]);

        // Move the slot of "moving" from its owner to another primary by hand (SETSLOT NODE everywhere, as valkey-cli does).
        const key = 'moving';
        const from = cluster.node(ownerPort(cluster, key))!;
        const to = cluster.nodes.find((n) => n.role === 'primary' && n.id !== from.id)!;
        const slot = keyHashSlot(key);
        for (const n of cluster.nodes.filter((x) => x.role === 'primary')) {
          const admin = new Redis({ host: n.host, port: n.port });
          expect(await admin.call('CLUSTER', 'SETSLOT', String(slot), 'NODE', to.id)).toBe('OK');
          admin.disconnect();
        }
        expect(cluster.node(to.port)!.slots.some(([a, b]) => slot >= a && slot <= b)).toBe(true);
        // The client still believes the old owner: it gets MOVED, follows it, and the write lands on the new owner.
        await client.set(key, 'here');
        expect(to.server.engine.db(0).size).toBeGreaterThan(0);
        expect(await client.get(key)).toBe('here');
        expect(from.server.engine.db(0).peek(key)).toBeUndefined();
        expect(to.server.engine.db(0).peek(key)).toBeDefined();
      } finally {
        client.disconnect();
      }
    });
  }

  test('ioredis Cluster follows ASK while a slot migrates (SETSLOT IMPORTING / MIGRATING), then MOVED once it moved', async () => {
    cluster.flushAll();
    const first = cluster.nodes[0]!;
    const client = new Cluster([{ host: first.host, port: first.port }]);
    const admin = (port: number) => new Redis({ host: '127.0.0.1', port });
    try {
      await client.set('warm', 'up'); // the client has loaded the slot table
      const key = 'asked';
      const slot = String(keyHashSlot(key));
      const from = cluster.node(ownerPort(cluster, key))!;
      const to = cluster.nodes.find((n) => n.role === 'primary' && n.id !== from.id)!;
      const [a, b] = [admin(from.port), admin(to.port)];
      expect(await b.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', from.id)).toBe('OK');
      expect(await a.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', to.id)).toBe('OK');
      // Not on the source: ASK, then ASKING + SET on the target.
      await client.set(key, 'on-target');
      expect(to.server.engine.db(0).peek(key)).toBeDefined();
      expect(from.server.engine.db(0).peek(key)).toBeUndefined();
      expect(await client.get(key)).toBe('on-target');
      expect(await b.call('CLUSTER', 'SETSLOT', slot, 'NODE', to.id)).toBe('OK');
      expect(await a.call('CLUSTER', 'SETSLOT', slot, 'NODE', to.id)).toBe('OK');
      expect(await a.call('GET', key).catch((e: Error) => e.message)).toBe(`MOVED ${slot} 127.0.0.1:${to.port}`);
      expect(await client.get(key)).toBe('on-target');
      a.disconnect();
      b.disconnect();
    } finally {
      client.disconnect();
    }
  });

  test('on a virtual clock: a TTL set through the cluster client expires when the cluster clock passes it', async () => {
    const vc = await createCluster({ primaries: 3, clock: 'virtual' });
    const first = vc.nodes[0]!;
    const client = new Cluster([{ host: first.host, port: first.port }]);
    try {
      await client.set('ttl', 'v', 'PX', 1000);
      vc.clock.advance(1000);
      expect(await client.get('ttl')).toBe('v');
      vc.clock.advance(1);
      expect(await client.get('ttl')).toBeNull();
    } finally {
      client.disconnect();
      await vc.close();
    }
  });

  test('ioredis Cluster with scaleReads: slave reads on replicas (READONLY sent, no redirect)', async () => {
    cluster.flushAll();
    const first = cluster.nodes[0]!;
    const client = new Cluster([{ host: first.host, port: first.port }], { scaleReads: 'slave' });
    try {
      await client.set('r', '1');
      // The replica holds the written value (data replication): the read is served there.
      expect(await client.get('r')).toBe('1');
      const owner = cluster.node(ownerPort(cluster, 'r'))!;
      const replica = cluster.nodes.find((n) => n.primaryId === owner.id)!;
      // With the replica's link held back, a new write is not seen there yet: the read really went to the replica.
      const link = (cluster.replication as InProcessReplication).linkOf(replica.id)!;
      link.pause();
      await client.set('r', '2');
      expect(await client.get('r')).toBe('1');
      link.resume();
      expect(await client.get('r')).toBe('2');
      const clients = [...replica.server.engine.clients.values()];
      expect(clients.some((c) => c.readonly)).toBe(true);
    } finally {
      client.disconnect();
    }
  });

  test('node-redis createCluster routes keys to their primaries', async () => {
    cluster.flushAll();
    const first = cluster.nodes[0]!;
    const client = createRedisCluster({ rootNodes: [{ url: `redis://${first.host}:${first.port}` }] });
    await client.connect();
    try {
      for (let i = 0; i < 20; i++) await client.set(`nr:${i}`, String(i));
      for (let i = 0; i < 20; i++) expect(await client.get(`nr:${i}`)).toBe(String(i));
      for (let i = 0; i < 20; i++) expect(cluster.node(ownerPort(cluster, `nr:${i}`))!.server.engine.db(0).peek(`nr:${i}`)).toBeDefined();
    } finally {
      await client.close();
    }
  });

  const bin = findOracle();
  test.skipIf(!bin)('valkey-cli --cluster check is clean', async () => {
    const first = cluster.nodes[0]!;
    const { stdout } = await run(bin!.cli, ['--cluster', 'check', `${first.host}:${first.port}`]);
    expect(stdout).toContain('[OK] All nodes agree about slots configuration.');
    expect(stdout).toContain('[OK] All 16384 slots covered.');
    expect(stdout).not.toMatch(/\[WARNING\]|\[ERR\]/);
  });

  test.skipIf(!bin)('valkey-cli --cluster create builds a cluster out of empty nodes (MEET, ADDSLOTS, REPLICATE)', async () => {
    const empty = await createCluster({ primaries: 3, replicasPerPrimary: 1, topology: 'empty', seed: 7 });
    try {
      const addrs = empty.nodes.map((n) => `${n.host}:${n.port}`);
      await run(bin!.cli, ['--cluster', 'create', ...addrs, '--cluster-replicas', '1', '--cluster-yes']);
      const { stdout } = await run(bin!.cli, ['--cluster', 'check', addrs[0]!]);
      expect(stdout).toContain('[OK] All 16384 slots covered.');
      expect(empty.nodes.filter((n) => n.role === 'replica')).toHaveLength(3);
      expect(empty.nodes.slice(0, 3).map((n) => n.slots)).toEqual([[[0, 5460]], [[5461, 10922]], [[10923, 16383]]]);
    } finally {
      await empty.close();
    }
  }, 30_000);
});

describe('failover under an ioredis Cluster client', () => {
  test('writes continue after killNode + clock advance; no acknowledged write is lost (immediate replication)', async () => {
    const cluster = await createCluster({ primaries: 3, replicasPerPrimary: 1, clock: 'virtual' });
    const first = cluster.nodes[1]!;
    const client = new Cluster([{ host: first.host, port: first.port }], {
      scaleReads: 'master',
      clusterRetryStrategy: () => 20,
      retryDelayOnFailover: 20,
      retryDelayOnClusterDown: 20,
      redisOptions: { maxRetriesPerRequest: 50 },
    });
    try {
      const victim = cluster.nodes[0]!;
      const heir = cluster.nodes.find((n) => n.primaryId === victim.id)!;
      const acked: string[] = [];
      let killed = false;
      const writes = (async () => {
        for (let i = 0; i < 60; i++) {
          const k = `w:${i}`;
          if ((await client.set(k, String(i)).catch(() => null)) === 'OK') acked.push(k);
          if (i === 20) {
            killed = true;
            await cluster.killNode(victim.id);
          }
        }
      })();
      // The failover happens when the test moves the clock: node timeout, then the election delay.
      while (!killed) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 100));
      expect(cluster.node(heir.id)!.role).toBe('replica');
      cluster.clock.advance(15_000);
      cluster.clock.advance(500);
      expect(cluster.node(heir.id)!.role).toBe('primary');
      await writes;
      expect(acked.length).toBeGreaterThan(40);
      for (const k of acked) {
        const owner = cluster.node(ownerPort(cluster, k))!;
        expect(owner.id).not.toBe(victim.id);
        expect(owner.server.engine.db(0).peek(k), k).toBeDefined();
      }
      for (const k of acked) expect(await client.get(k)).toBe(k.slice(2));
      // The old primary comes back as a replica of its heir, with the data.
      await cluster.restartNode(victim.id);
      expect(cluster.node(victim.id)!.primaryId).toBe(heir.id);
      expect(victim.server.engine.db(0).size).toBe(heir.server.engine.db(0).size);
    } finally {
      client.disconnect();
      await cluster.close();
    }
  }, 30_000);
});
