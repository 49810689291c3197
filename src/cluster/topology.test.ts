import { describe, expect, test } from 'vitest';
import { createCluster, type ValkeyCluster } from './create.js';
import type { Engine } from '../engine/index.js';
import type { Reply } from '../protocol/index.js';

/** Runs a command on a node's engine, as a fresh client would. */
function run(engine: Engine, ...argv: string[]): Reply {
  const c = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:2', fd: 9 }, { deliver: () => {}, close: () => {} });
  const r = engine.execute(c, argv);
  engine.disconnect(c);
  return r as Reply;
}

const text = (r: Reply) => ('v' in r && typeof r.v === 'string' ? r.v : JSON.stringify(r));
const info = (e: Engine) => Object.fromEntries(text(run(e, 'CLUSTER', 'INFO')).trim().split('\r\n').map((l) => l.split(':')));

describe('a topology built by hand, as Valkey tools do', () => {
  let c: ValkeyCluster;
  const engine = (i: number) => c.nodes[i]!.server.engine;
  test('fresh nodes know only themselves; MEET joins them; equal epochs are told apart; ADDSLOTS brings the state ok', async () => {
    c = await createCluster({ primaries: 3, topology: 'empty', listen: false, basePort: 30000 });
    try {
      expect(info(engine(0))).toMatchObject({ cluster_state: 'fail', cluster_known_nodes: '1', cluster_size: '0', cluster_current_epoch: '0' });
      expect(text(run(engine(0), 'CLUSTER', 'MEET', '127.0.0.1', '30001'))).toBe('OK');
      expect(text(run(engine(2), 'CLUSTER', 'MEET', '127.0.0.1', '30000'))).toBe('OK');
      // Nobody at that address: OK, and nothing happens (the handshake never completes).
      expect(text(run(engine(2), 'CLUSTER', 'MEET', '127.0.0.1', '39999'))).toBe('OK');
      for (let i = 0; i < 3; i++) expect(info(engine(i)).cluster_known_nodes).toBe('3');
      // Three primaries at epoch 0: the collision resolution gives two of them new epochs (smaller ids first).
      const epochs = c.nodes.map((n) => Number(text(run(n.server.engine, 'CLUSTER', 'NODES')).split('\n').find((l) => l.includes('myself'))!.split(' ')[6]));
      expect([...epochs].sort()).toEqual([0, 1, 2]);
      expect(info(engine(1)).cluster_current_epoch).toBe('2');
      expect(text(run(engine(0), 'CLUSTER', 'ADDSLOTSRANGE', '0', '5460'))).toBe('OK');
      expect(text(run(engine(1), 'CLUSTER', 'ADDSLOTSRANGE', '5461', '10922'))).toBe('OK');
      expect(info(engine(2)).cluster_state).toBe('fail');
      expect(text(run(engine(1), 'CLUSTER', 'ADDSLOTS', '5461'))).toBe('ERR Slot 5461 is already busy');
      expect(text(run(engine(2), 'CLUSTER', 'ADDSLOTSRANGE', '10923', '16383'))).toBe('OK');
      for (let i = 0; i < 3; i++) expect(info(engine(i))).toMatchObject({ cluster_state: 'ok', cluster_size: '3', cluster_slots_assigned: '16384' });
      expect(c.nodes.map((n) => n.slots)).toEqual([[[0, 5460]], [[5461, 10922]], [[10923, 16383]]]);
      // SET-CONFIG-EPOCH only on a node that knows nobody.
      expect(text(run(engine(0), 'CLUSTER', 'SET-CONFIG-EPOCH', '9'))).toBe('ERR The user can assign a config epoch only when the node does not know any other node.');
    } finally {
      await c.close();
    }
  });

  test('REPLICATE, REPLICATE NO ONE, FORGET, RESET HARD, BUMPEPOCH', async () => {
    c = await createCluster({ primaries: 2, replicasPerPrimary: 1, listen: false, basePort: 31000 });
    try {
      const [p0, p1, r0] = [c.nodes[0]!, c.nodes[1]!, c.nodes[2]!];
      expect(r0.primaryId).toBe(p1.id); // valkey-cli's rotation: the first replica-to-be goes to the last primary
      expect(text(run(engine(0), 'CLUSTER', 'REPLICATE', p1.id))).toBe('ERR To set a master the node must be empty and without assigned slots.');
      expect(text(run(engine(2), 'CLUSTER', 'REPLICATE', p0.id))).toBe('OK');
      expect(c.nodes[2]!.primaryId).toBe(p0.id);
      expect(c.nodes[2]!.shardId).toBe(p0.shardId);
      expect(text(run(engine(2), 'CLUSTER', 'FORGET', p0.id))).toBe("ERR Can't forget my master!");
      expect(text(run(engine(2), 'CLUSTER', 'REPLICATE', 'NO', 'ONE'))).toBe('OK');
      expect(c.nodes[2]!.role).toBe('primary');
      expect(c.nodes[2]!.shardId).not.toBe(p0.shardId);
      expect(text(run(engine(0), 'CLUSTER', 'BUMPEPOCH'))).toMatch(/^BUMPED \d+$/);
      expect(text(run(engine(0), 'CLUSTER', 'BUMPEPOCH'))).toMatch(/^STILL \d+$/);
      expect(text(run(engine(0), 'CLUSTER', 'FORGET', c.nodes[3]!.id))).toBe('OK');
      expect(info(engine(0)).cluster_known_nodes).toBe('3');
      // Forgotten a moment ago: FORGET again answers OK.
      expect(text(run(engine(0), 'CLUSTER', 'FORGET', c.nodes[3]!.id))).toBe('OK');
      const oldId = c.nodes[2]!.id;
      expect(text(run(engine(2), 'CLUSTER', 'RESET', 'HARD'))).toBe('OK');
      expect(c.nodes[2]!.id).not.toBe(oldId);
      expect(info(engine(2))).toMatchObject({ cluster_known_nodes: '1', cluster_current_epoch: '0', cluster_my_epoch: '0' });
      engine(0).db(0).set('k', 'string', 'v', Date.now());
      expect(text(run(engine(0), 'CLUSTER', 'RESET'))).toBe("ERR CLUSTER RESET can't be called with master nodes containing keys");
    } finally {
      await c.close();
    }
  });

  test('node ids and shard ids are the same for the same seed, different for another', async () => {
    const a = await createCluster({ primaries: 3, replicasPerPrimary: 1, listen: false, basePort: 32000, seed: 5 });
    const b = await createCluster({ primaries: 3, replicasPerPrimary: 1, listen: false, basePort: 32000, seed: 5 });
    const d = await createCluster({ primaries: 3, replicasPerPrimary: 1, listen: false, basePort: 32000, seed: 6 });
    expect(b.nodes.map((n) => [n.id, n.shardId])).toEqual(a.nodes.map((n) => [n.id, n.shardId]));
    expect(d.nodes.map((n) => n.id)).not.toEqual(a.nodes.map((n) => n.id));
    expect(a.nodes[0]!.server.engine.runId).toBe(b.nodes[0]!.server.engine.runId);
    await Promise.all([a.close(), b.close(), d.close()]);
  });

  test('the replication link hears every replica attach and detach, with the nodes\' handles', async () => {
    const events: string[] = [];
    c = await createCluster({
      primaries: 2, replicasPerPrimary: 1, listen: false, basePort: 34000,
      replication: {
        attach: (r, p) => events.push(`attach ${r.port}->${p.port} ${r.server.engine === p.server.engine ? 'same' : 'two engines'}`),
        detach: (r) => events.push(`detach ${r.port}`),
      },
    });
    try {
      expect(events).toEqual(['attach 34002->34001 two engines', 'attach 34003->34000 two engines']);
      events.length = 0;
      expect(text(run(engine(2), 'CLUSTER', 'REPLICATE', c.nodes[0]!.id))).toBe('OK');
      expect(text(run(engine(3), 'CLUSTER', 'REPLICATE', 'NO', 'ONE'))).toBe('OK');
      expect(events).toEqual(['detach 34002', 'attach 34002->34000 two engines', 'detach 34003']);
      events.length = 0;
      c.replication = { attach: (r, p) => events.push(`new ${r.port}->${p.port}`), detach: () => {} };
      expect(events).toEqual(['detach 34002', 'new 34002->34000']); // the old link lets go, the new one takes over
    } finally {
      await c.close();
    }
  });

  test('cluster-databases: SELECT within them; SWAPDB refused', async () => {
    c = await createCluster({ primaries: 3, databases: 4, listen: false, basePort: 33000 });
    try {
      expect(text(run(engine(0), 'SELECT', '3'))).toBe('OK');
      expect(text(run(engine(0), 'SELECT', '4'))).toBe('ERR DB index is out of range');
      expect(text(run(engine(0), 'SWAPDB', '0', '1'))).toBe('ERR SWAPDB is not allowed in cluster mode');
      expect(engine(0).databases).toBe(4);
    } finally {
      await c.close();
    }
  });
});
