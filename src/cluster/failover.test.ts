import { describe, expect, test } from 'vitest';
import { createCluster, type ClusterNodeHandle, type ValkeyCluster } from './create.js';
import { InProcessReplication } from './replication.js';
import type { Engine } from '../engine/index.js';
import type { Reply } from '../protocol/index.js';
import type { VirtualClock } from '../time/index.js';
import { keyHashSlot } from '../engine/keyslot.js';

/** Runs a command on a node's engine, as a fresh client would. */
function run(engine: Engine, ...argv: string[]): Reply {
  const c = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:2', fd: 9 }, { deliver: () => {}, close: () => {} });
  const r = engine.execute(c, argv);
  engine.disconnect(c);
  return r as Reply;
}

const text = (r: Reply) => ('v' in r && typeof r.v === 'string' ? r.v : JSON.stringify(r));
const info = (e: Engine, section = 'CLUSTER') =>
  Object.fromEntries(text(run(e, ...(section === 'CLUSTER' ? ['CLUSTER', 'INFO'] : ['INFO', section]))).trim().split('\r\n').filter((l) => l.includes(':')).map((l) => l.split(':')));
/** The CLUSTER NODES line of `id` as `on` sees it: [flags, primary, epoch, link, ...slots]. */
const line = (on: Engine, id: string) => {
  const f = text(run(on, 'CLUSTER', 'NODES')).split('\n').find((l) => l.startsWith(id))!.split(' ');
  return [f[2], f[3], f[6], f[7], ...f.slice(8)];
};

async function threeByOne(): Promise<{ c: ValkeyCluster<VirtualClock>; p: ClusterNodeHandle; r: ClusterNodeHandle; other: ClusterNodeHandle }> {
  const c = await createCluster({ primaries: 3, replicasPerPrimary: 1, clock: 'virtual' });
  const p = c.nodes[0]!;
  const r = c.nodes.find((n) => n.primaryId === p.id)!;
  return { c, p, r, other: c.nodes[1]! };
}

describe('data replication in the cluster', () => {
  test('replicas follow their primaries: data, ROLE, offsets in SHARDS, WAIT counts the replica', async () => {
    const { c, p, r } = await threeByOne();
    try {
      run(p.server.engine, 'SET', '{b}x', '1');
      const key = '{b}x';
      expect(r.server.engine.db(0).peek(key)).toBeDefined();
      expect(JSON.stringify(run(r.server.engine, 'ROLE'))).toContain('slave');
      const off = p.server.engine.repl.prop.offset;
      expect(off).toBeGreaterThan(0);
      expect(r.server.engine.repl.prop.offset).toBe(off);
      expect(JSON.stringify(run(p.server.engine, 'CLUSTER', 'SHARDS'))).toContain(`"v":${off}`);
      expect(run(p.server.engine, 'WAIT', '1', '0')).toMatchObject({ v: 1 });
      // REPLICATE NO ONE: the replica leaves, empty, and takes writes; its old primary has no replica left.
      expect(text(run(r.server.engine, 'CLUSTER', 'REPLICATE', 'NO', 'ONE'))).toBe('OK');
      expect(r.server.engine.repl.primary).toBeNull();
      expect(r.server.engine.db(0).size).toBe(0);
      expect(p.server.engine.repl.replicas.size).toBe(0);
      // REPLICATE again: a full resync of the primary's data.
      run(p.server.engine, 'SET', '{b}y', '2');
      expect(text(run(r.server.engine, 'CLUSTER', 'REPLICATE', p.id))).toBe('OK');
      expect(p.server.engine.repl.replicas.size).toBe(1);
      expect(r.server.engine.db(0).size).toBe(2);
      expect(r.server.engine.repl.prop.offset).toBe(p.server.engine.repl.prop.offset);
      // RESET: the replica leaves and is emptied.
      expect(text(run(r.server.engine, 'CLUSTER', 'RESET'))).toBe('OK');
      expect(p.server.engine.repl.replicas.size).toBe(0);
      expect(r.server.engine.repl.primary).toBeNull();
    } finally {
      await c.close();
    }
  });
});

describe('CLUSTER FAILOVER', () => {
  test('errors as Valkey: on a primary, a bad argument', async () => {
    const { c, p, r } = await threeByOne();
    try {
      expect(text(run(p.server.engine, 'CLUSTER', 'FAILOVER'))).toContain('You should send CLUSTER FAILOVER to a replica');
      expect(text(run(r.server.engine, 'CLUSTER', 'FAILOVER', 'NOW'))).toContain('syntax error');
    } finally {
      await c.close();
    }
  });

  for (const mode of [[], ['FORCE'], ['TAKEOVER']]) {
    test(`CLUSTER FAILOVER ${mode.join(' ')}: the replica takes the slots with a new epoch, the old primary follows it, data kept`, async () => {
      const { c, p, r, other } = await threeByOne();
      try {
        const slots = p.slots;
        // Find a key of p's slots.
        let key = '';
        for (let i = 0; !key; i++) if (text(run(p.server.engine, 'SET', `k${i}`, 'v')) === 'OK') key = `k${i}`;
        expect(info(other.server.engine).cluster_current_epoch).toBe('6');
        expect(text(run(r.server.engine, 'CLUSTER', 'FAILOVER', ...mode))).toBe('OK');
        const now = c.node(r.id)!;
        expect(now.role).toBe('primary');
        expect(now.slots).toEqual(slots);
        expect(c.node(p.id)!.primaryId).toBe(r.id);
        for (const n of c.nodes) expect(info(n.server.engine).cluster_current_epoch).toBe('7');
        expect(line(other.server.engine, r.id)).toEqual(['master', '-', '7', 'connected', ...slots.map(([a, b]) => `${a}-${b}`)]);
        expect(line(other.server.engine, p.id)).toEqual(['slave', r.id, '7', 'connected']);
        expect(info(r.server.engine, 'replication').role).toBe('master');
        expect(info(p.server.engine, 'replication').role).toBe('slave');
        // The data stayed; writes on the new primary reach the old one.
        expect(text(run(r.server.engine, 'GET', key))).toBe('v');
        expect(text(run(r.server.engine, 'SET', key, 'w'))).toBe('OK');
        expect(p.server.engine.db(0).peek(key)).toBeDefined();
        expect(text(run(p.server.engine, 'SET', key, 'x'))).toMatch(/^MOVED/);
      } finally {
        await c.close();
      }
    });
  }
});

describe('a manual failover and a lagging replica', () => {
  for (const [mode, kept] of [[[], true], [['FORCE'], false]] as const) {
    test(`CLUSTER FAILOVER ${mode.join(' ')}: the replica ${kept ? 'catches up first' : 'is promoted with what it has'}`, async () => {
      const c = await createCluster({ primaries: 3, replicasPerPrimary: 1, clock: 'virtual', replication: new InProcessReplication({ lagMs: 1000 }) });
      try {
        const p = c.nodes[0]!;
        const r = c.nodes.find((n) => n.primaryId === p.id)!;
        expect(text(run(p.server.engine, 'SET', '{b}late', '1'))).toBe('OK');
        expect(r.server.engine.db(0).peek('{b}late')).toBeUndefined();
        expect(text(run(r.server.engine, 'CLUSTER', 'FAILOVER', ...mode))).toBe('OK');
        expect(r.server.engine.db(0).peek('{b}late') !== undefined).toBe(kept);
        // The old primary resyncs from the new one: both hold the same data.
        expect(p.server.engine.db(0).size).toBe(r.server.engine.db(0).size);
      } finally {
        await c.close();
      }
    });
  }
});

describe('killNode / restartNode', () => {
  test('a killed primary: fail after cluster-node-timeout on the clock, its replica promoted, restarted as a replica', async () => {
    const { c, p, r, other } = await threeByOne();
    try {
      let key = '';
      for (let i = 0; !key; i++) if (text(run(p.server.engine, 'SET', `k${i}`, 'v')) === 'OK') key = `k${i}`;
      await c.killNode(p.id);
      expect(line(other.server.engine, p.id).slice(0, 4)).toEqual(['master', '-', '1', 'disconnected']);
      expect(text(run(r.server.engine, 'CLUSTER', 'FAILOVER'))).toBe('ERR Master is down or failed, please use CLUSTER FAILOVER FORCE');
      expect(info(r.server.engine, 'replication').master_link_status).toBe('down');
      c.clock.advance(14_999);
      expect(line(other.server.engine, p.id)[0]).toBe('master');
      c.clock.advance(1);
      expect(line(other.server.engine, p.id)[0]).toBe('master,fail');
      expect(info(other.server.engine).cluster_state).toBe('fail');
      expect(c.node(r.id)!.role).toBe('replica');
      c.clock.advance(500);
      expect(c.node(r.id)!.role).toBe('primary');
      expect(info(other.server.engine)).toMatchObject({ cluster_state: 'ok', cluster_current_epoch: '7' });
      expect(line(other.server.engine, p.id)).toEqual(['master,fail', '-', '1', 'disconnected']);
      expect(text(run(r.server.engine, 'GET', key))).toBe('v');
      run(r.server.engine, 'SET', key, 'after');
      await c.restartNode(p.id);
      expect(line(other.server.engine, p.id)).toEqual(['slave', r.id, '7', 'connected']);
      expect(text(run(p.server.engine, 'CLUSTER', 'NODES'))).toContain('myself,slave');
      const v = p.server.engine.db(0).peek(key);
      expect(v && 'value' in v ? String(v.value) : v).toBe('after');
    } finally {
      await c.close();
    }
  });

  test('without a majority of primaries nothing fails over; a killed replica comes back re-linked', async () => {
    const { c, p, r, other } = await threeByOne();
    try {
      await c.killNode(r.id);
      run(p.server.engine, 'SET', '{x}', '1');
      c.clock.advance(15_000);
      expect(line(other.server.engine, r.id)[0]).toBe('slave,fail');
      await c.restartNode(r.id);
      expect(line(other.server.engine, r.id)).toEqual(['slave', p.id, '1', 'connected']);
      expect(r.server.engine.repl.prop.offset).toBe(p.server.engine.repl.prop.offset);
      // Two of three primaries down: the others flag them fail? only; no promotion.
      await c.killNode(p.id);
      await c.killNode(other.id);
      c.clock.advance(20_000);
      expect(line(c.nodes[2]!.server.engine, p.id)[0]).toBe('master,fail?');
      expect(c.node(r.id)!.role).toBe('replica');
    } finally {
      await c.close();
    }
  });
});

describe('Pub/Sub across the nodes', () => {
  /** A client of `e` whose pushes are collected (as flat strings). */
  const subscriber = (e: Engine) => {
    const got: string[] = [];
    const flat = (r: Reply): string => ('v' in r ? (Array.isArray(r.v) ? (r.v as Reply[]).map(flat).join(' ') : String(r.v)) : '');
    const c = e.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:2', fd: 9 }, { deliver: (r, push) => { if (push) got.push(flat(r)); }, close: () => {} });
    return { got, run: (...argv: string[]) => e.execute(c, argv) as Reply };
  };

  test('SPUBLISH reaches the shard (replicas included), PUBLISH every node; a slot that moves away sunsubscribes', async () => {
    const { c, p, r, other } = await threeByOne();
    try {
      // A channel of p's slots.
      let ch = '';
      for (let i = 0; !ch; i++) if (p.slots.some(([a, b]) => keyHashSlot(`ch${i}`) >= a && keyHashSlot(`ch${i}`) <= b)) ch = `ch${i}`;
      const onReplica = subscriber(r.server.engine);
      const onPrimary = subscriber(p.server.engine);
      const elsewhere = subscriber(other.server.engine);
      onReplica.run('SSUBSCRIBE', ch);
      onPrimary.run('SSUBSCRIBE', ch);
      elsewhere.run('SUBSCRIBE', 'news');
      expect(run(p.server.engine, 'SPUBLISH', ch, 'hi')).toMatchObject({ v: 1 });
      expect(onReplica.got).toContain(`smessage ${ch} hi`);
      expect(onPrimary.got).toContain(`smessage ${ch} hi`);
      expect(run(r.server.engine, 'PUBLISH', 'news', 'all')).toMatchObject({ v: 0 });
      expect(elsewhere.got).toContain('message news all');
      // The slot moves to another shard: its subscribers there are told.
      const slot = keyHashSlot(ch);
      for (const n of c.nodes) run(n.server.engine, 'CLUSTER', 'SETSLOT', String(slot), 'NODE', other.id);
      expect(onPrimary.got).toContain(`sunsubscribe ${ch} 0`);
      expect(onReplica.got).toContain(`sunsubscribe ${ch} 0`);
      expect(p.server.engine.pubsub.shardChannels.size).toBe(0);
    } finally {
      await c.close();
    }
  });
});
