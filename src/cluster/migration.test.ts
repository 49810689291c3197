import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { keyHashSlot } from '../engine/keyslot.js';
import { createCluster, type ValkeyCluster } from './create.js';

/** A key hashing to `slot` (found by trying suffixes). */
function keyIn(slot: number, prefix = 'k'): string {
  for (let i = 0; ; i++) if (keyHashSlot(`${prefix}${i}`) === slot) return `${prefix}${i}`;
}

async function err(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

type Job = Record<string, string | number>;
function jobs(reply: unknown): Job[] {
  return (reply as unknown[][]).map((flat) => {
    const o: Job = {};
    for (let i = 0; i < flat.length; i += 2) o[String(flat[i])] = flat[i + 1] as string | number;
    return o;
  });
}

describe('CLUSTER MIGRATESLOTS (atomic slot migration)', () => {
  let cluster: ValkeyCluster;
  let src: Redis;
  let dst: Redis;
  let other: Redis;
  beforeAll(async () => {
    cluster = await createCluster({ primaries: 3, clock: 'virtual' });
    const [a, b, c] = cluster.nodes;
    src = new Redis({ port: a!.port, host: a!.host });
    dst = new Redis({ port: b!.port, host: b!.host });
    other = new Redis({ port: c!.port, host: c!.host });
  });
  afterAll(async () => {
    src.disconnect();
    dst.disconnect();
    other.disconnect();
    await cluster.close();
  });
  beforeEach(() => cluster.migrations.resume());

  test('argument errors, in Valkey order and with its texts', async () => {
    const b = cluster.nodes[1]!.id;
    const a = cluster.nodes[0]!.id;
    const cases: [string[], string][] = [
      [['SLOTSRANGE', '0', '10', 'NODE'], 'ERR syntax error'],
      [['FOO', '0', '10', 'NODE', b], 'ERR syntax error'],
      [['SLOTSRANGE', 'NODE', b], 'ERR No slot ranges specified'],
      [['SLOTSRANGE', '0', '10', '20', 'NODE', b], 'ERR Invalid or out of range slot'],
      [['SLOTSRANGE', '0', '16384', 'NODE', b], 'ERR Invalid or out of range slot'],
      [['SLOTSRANGE', '10', '0', 'NODE', b], 'ERR Start slot number 10 is greater than end slot number 0.'],
      [['SLOTSRANGE', '0', '10', '5', '6', 'NODE', b], 'ERR Slot range 5-6 overlaps with previous range 0-10.'],
      [['SLOTSRANGE', '0', '6000', 'NODE', b], 'ERR Requested slots span multiple shards'],
      [['SLOTSRANGE', '6000', '6001', 'NODE', b], 'ERR Slots are not served by this node.'],
      [['SLOTSRANGE', '0', '10', 'NODE', 'abc'], 'ERR Invalid node name: abc'],
      [['SLOTSRANGE', '0', '10', 'NODE', 'f'.repeat(40)], `ERR Unknown node name: ${'f'.repeat(40)}`],
      [['SLOTSRANGE', '0', '10', 'NODE', a], 'ERR Target node can not be this node.'],
      [['SLOTSRANGE', '0', '10', 'NODE', b, 'SLOTSRANGE', '5', '20', 'NODE', b], 'ERR Slot ranges in migrations overlap'],
    ];
    for (const [args, e] of cases) expect(await err(src.call('CLUSTER', 'MIGRATESLOTS', ...args)), args.join(' ')).toBe(e);
    expect(await err(src.call('CLUSTER', 'CANCELSLOTMIGRATIONS'))).toBe('ERR No migrations ongoing');
  });

  test('phases: the source serves until the handoff, the target hides the keys, writers wait then get MOVED', async () => {
    const slot = 100;
    const key = keyIn(slot);
    await src.set(key, 'v1');
    const neighbour = keyIn(slot + 1);
    await src.set(neighbour, 'stays'); // another slot of the source
    cluster.migrations.pauseAt('streaming');
    const target = cluster.nodes[1]!;
    expect(await src.call('CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', String(slot), String(slot), 'NODE', target.id)).toBe('OK');
    expect(await err(src.call('CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', String(slot), String(slot + 1), 'NODE', target.id))).toBe(`ERR I am already migrating slot ${slot}.`);
    await cluster.migrations.reached('streaming');
    expect(cluster.migrations.list().at(-1)!.phase).toBe('streaming');
    const exp = jobs(await src.call('CLUSTER', 'GETSLOTMIGRATIONS'));
    expect(exp[0]).toMatchObject({ operation: 'EXPORT', slot_ranges: '100-100', state: 'replicating', source_node: cluster.nodes[0]!.id, target_node: target.id, message: '' });
    const imp = jobs(await dst.call('CLUSTER', 'GETSLOTMIGRATIONS'));
    expect(imp[0]).toMatchObject({ operation: 'IMPORT', state: 'waiting-for-paused', name: exp[0]!.name });
    // Source serves reads and writes; the target has nothing and redirects to the source.
    expect(await src.set(key, 'v2')).toBe('OK');
    expect(await src.get(key)).toBe('v2');
    expect(await dst.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot))).toBe(0);
    expect(await err(dst.get(key))).toBe(`MOVED ${slot} ${cluster.nodes[0]!.host}:${cluster.nodes[0]!.port}`);

    // Paused: a write waits; a read is served.
    cluster.migrations.step();
    expect(cluster.migrations.list().at(-1)!.phase).toBe('paused');
    // (A postponed command holds its connection, as in Valkey: the read goes on another one.)
    const pending = src.set(key, 'v3').then((r) => r, (e: Error) => e.message);
    const reader = new Redis({ port: cluster.nodes[0]!.port, host: cluster.nodes[0]!.host });
    expect(await reader.get(key)).toBe('v2');
    cluster.migrations.step();
    expect(jobs(await reader.call('CLUSTER', 'GETSLOTMIGRATIONS'))[0]!.state).toBe('failover-granted');
    reader.disconnect();
    expect(jobs(await dst.call('CLUSTER', 'GETSLOTMIGRATIONS'))[0]!.state).toBe('failover-granted');
    const epochBefore = target.server.engine.cluster!.myself.configEpoch;
    cluster.migrations.step();
    expect(await pending).toBe(`MOVED ${slot} ${target.host}:${target.port}`);
    expect(target.server.engine.cluster!.myself.configEpoch).toBeGreaterThan(epochBefore);
    expect(await dst.get(key)).toBe('v2');
    expect(cluster.nodes[0]!.server.engine.db(0).peek(key)).toBeUndefined(); // the source dropped its copy
    expect(await src.get(neighbour)).toBe('stays');
    expect(jobs(await src.call('CLUSTER', 'GETSLOTMIGRATIONS'))[0]!.state).toBe('success');
    expect(jobs(await dst.call('CLUSTER', 'GETSLOTMIGRATIONS'))[0]!.state).toBe('success');
    expect(await other.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot))).toBe(0);
    expect(await err(other.get(key))).toBe(`MOVED ${slot} ${target.host}:${target.port}`);
  });

  test('CANCELSLOTMIGRATIONS: export cancelled, import failed, writers released, the slot stays', async () => {
    const slot = 200;
    const key = keyIn(slot);
    await src.set(key, 'x');
    cluster.migrations.pauseAt('paused');
    expect(await src.call('CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '200', '201', 'NODE', cluster.nodes[2]!.id)).toBe('OK');
    await cluster.migrations.reached('paused');
    const pending = src.set(key, 'y');
    const admin = new Redis({ port: cluster.nodes[0]!.port, host: cluster.nodes[0]!.host });
    expect(await admin.call('CLUSTER', 'CANCELSLOTMIGRATIONS')).toBe('OK');
    admin.disconnect();
    expect(await pending).toBe('OK');
    expect(await src.get(key)).toBe('y');
    expect(jobs(await src.call('CLUSTER', 'GETSLOTMIGRATIONS'))[0]).toMatchObject({ state: 'cancelled', slot_ranges: '200-201' });
    expect(jobs(await other.call('CLUSTER', 'GETSLOTMIGRATIONS'))[0]).toMatchObject({
      state: 'failed', message: 'Connection lost to source. Check CLUSTER GETSLOTMIGRATIONS on the source node for more information.',
    });
    expect(await other.call('CLUSTER', 'COUNTKEYSINSLOT', '200')).toBe(0);
  });

  test('unheld, a migration runs to success on its own', async () => {
    const key = keyIn(300);
    await src.set(key, 'z');
    await src.pexpire(key, 50_000);
    expect(await src.call('CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '300', '300', 'NODE', cluster.nodes[1]!.id)).toBe('OK');
    await cluster.migrations.settled();
    expect(await dst.get(key)).toBe('z');
    expect(await dst.pttl(key)).toBe(50_000);
  });
});

describe('moveSlotKeys and replication', () => {
  test('the target propagates RESTORE ... ABSTTL REPLACE, the source DEL: replicas of both follow', async () => {
    const { linkReplica } = await import('../server/replication.js');
    const { ValkeyServer } = await import('../server/index.js');
    const cluster = await createCluster({ primaries: 2, clock: 'virtual', listen: false, basePort: 30000 });
    try {
      const [a, b] = cluster.nodes.map((n) => n.server.engine);
      const ra = new ValkeyServer({ clock: cluster.clock }).engine;
      const rb = new ValkeyServer({ clock: cluster.clock }).engine;
      const key = keyIn(7);
      const now = cluster.clock.now();
      a!.db(0).set(key, 'string', 'v', now);
      a!.db(0).setExpire(a!.db(0).peek(key)!, key, now + 5000);
      const other = keyIn(8);
      a!.db(0).set(other, 'string', 'stays', now);
      // (The links start with a full sync: ra holds the key before the move.)
      linkReplica(a!, ra);
      linkReplica(b!, rb);
      expect(ra.db(0).peek(key)?.value).toBe('v');
      const seen: string[][] = [];
      b!.repl.prop.attach((c) => seen.push([...c.argv.slice(0, 3)]));
      const { moveSlotKeys } = await import('./migration.js');
      expect(moveSlotKeys(a!, b!, (s) => s === 7)).toBe(1);
      expect(seen).toContainEqual(['RESTORE', key, String(now + 5000)]);
      expect(rb.db(0).peek(key)?.value).toBe('v');
      expect(rb.db(0).peek(key)?.expireAt).toBe(now + 5000);
      expect(ra.db(0).peek(key)).toBeUndefined();
      expect(b!.db(0).peek(key)?.value).toBe('v');
      expect(a!.db(0).peek(other)?.value).toBe('stays');
    } finally {
      await cluster.close();
    }
  });
});
