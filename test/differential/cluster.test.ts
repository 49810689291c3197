/**
 * A real 3-primary, 3-replica Valkey cluster (valkey-cli --cluster create)
 * against a valkey-double cluster of the same shape: the same scenarios on
 * both, replies compared byte for byte in RESP2 and RESP3 after these named
 * normalisations, and no others:
 *
 * - ids: node ids become P0..P2 (primaries by slot range) and R0..R2 (the
 *   replica of Pk), shard ids S0..S2, ports and bus ports <port:Pk> / <bus:Pk>;
 * - replica placement: which replica follows which primary is random in
 *   valkey-cli on one host (see src/cluster/slots.ts), so nodes are named by
 *   role, not by creation order;
 * - times: CLUSTER NODES' ping-sent / pong-received and LINKS' create-time;
 * - bus counters: CLUSTER INFO's cluster_stats_messages_* and bytes lines
 *   (there is no cluster bus in one process), LINKS' send-buffer sizes;
 * - replication-offset in CLUSTER SHARDS: ours counts the stream's commands
 *   only; the real one also counts its primary's periodic PINGs
 *   (repl-ping-replica-period) and so depends on the run's timing;
 * - INFO replication: only its role, connected_slaves and master_link_status
 *   lines (the rest are ids, offsets and times of the run);
 * - failover timing: the real cluster's CLUSTER FAILOVER completes
 *   asynchronously (ours before its OK), so the steps after it wait until
 *   every node agrees on the new roles;
 * - order: CLUSTER NODES lines, SHARDS entries and LINKS entries are compared
 *   as sets (Valkey lists them in hash-table order), GETKEYSINSLOT as a set.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient, type Arg } from '../../conformance/targets/raw-client.js';
import { findOracle, oracleRequired } from '../../conformance/targets/oracle.js';
import { createCluster, keyHashSlot, type ValkeyCluster } from '../../src/index.js';
import type { RawValue } from '../../src/protocol/reply-parser.js';
import { startOracleCluster, type OracleCluster } from '../support/oracle-cluster.js';
import { useDifferential } from './harness.js';

const bin = findOracle();
if (!bin && oracleRequired()) throw new Error('VALKEY_DOUBLE_REQUIRE_ORACLE=1 but no Valkey 9 binary was found');

/** One cluster, its nodes named by role. */
interface Side {
  ports: Record<string, number>;
  ids: Record<string, string>;
  subst: [RegExp, string][];
  conns: Map<string, RawClient>;
}

async function describeSide(ports: number[]): Promise<Side> {
  // (Names by role: P0..P2 by slot range, Rk the replica of Pk, when there are replicas.)
  const c = await RawClient.connect(ports[0]!);
  const text = valueText((await c.send(['CLUSTER', 'NODES'])).value);
  c.close();
  const lines = text.trim().split('\n').map((l) => l.split(' '));
  const byId = new Map(lines.map((l) => [l[0]!, l]));
  const primaries = lines.filter((l) => l[2]!.includes('master')).sort((a, b) => Number(a[8]!.split('-')[0]) - Number(b[8]!.split('-')[0]));
  const side: Side = { ports: {}, ids: {}, subst: [], conns: new Map() };
  const name = (l: string[], n: string) => {
    side.ids[n] = l[0]!;
    const [, port, bus] = /:(\d+)@(\d+)/.exec(l[1]!)!;
    side.ports[n] = Number(port);
    side.subst.push([new RegExp(l[0]!, 'g'), n], [new RegExp(`\\b${port}\\b`, 'g'), `<port:${n}>`], [new RegExp(`\\b${bus}\\b`, 'g'), `<bus:${n}>`]);
  };
  primaries.forEach((p, i) => {
    name(p, `P${i}`);
    const r = lines.find((l) => l[3] === p[0]);
    if (r) name(r, `R${i}`);
  });
  expect(byId.size).toBe(ports.length);
  for (const n of Object.keys(side.ports)) {
    const conn = await RawClient.connect(side.ports[n]!);
    const shard = valueText((await conn.send(['CLUSTER', 'MYSHARDID'])).value);
    side.subst.push([new RegExp(shard, 'g'), `S${n.slice(1)}`]);
    side.conns.set(n, conn);
  }
  return side;
}

function valueText(v: RawValue): string {
  return 'value' in v && typeof v.value === 'string' ? v.value.replace(/^txt:/, '') : '';
}

function subst(side: Side, s: string): string {
  for (const [re, to] of side.subst) s = s.replace(re, to);
  return s;
}

/** A reply as a normalised string (see the file comment). */
function normalise(side: Side, cmd: readonly Arg[], raw: string, value: RawValue): string {
  const name = cmd.map(String).join(' ').toLowerCase();
  if (name === 'cluster nodes' || name.startsWith('cluster replicas') || name.startsWith('cluster slaves')) {
    const text = value.type === 'array' ? (value.value ?? []).map(valueText).join('\n') : valueText(value);
    const lines = subst(side, text).split('\n').filter(Boolean).map((l) => l.replace(/ (\d+) (\d+) (\d+) connected/, ' <ping> <pong> $3 connected'));
    return `${raw[0]} ${lines.sort().join('\n')}`;
  }
  if (name === 'info replication') {
    return valueText(value).split('\r\n').filter((l) => /^(role|connected_slaves|master_link_status):/.test(l)).join('\n');
  }
  if (name === 'cluster info') {
    return `${raw[0]} ${valueText(value).split('\r\n').filter((l) => !/^cluster_stats_(messages|bytes|pubsub|module)/.test(l)).join('\n')}`;
  }
  if (name === 'cluster shards' || name === 'cluster links' || name.startsWith('cluster getkeysinslot')) {
    const items = value.type === 'array' ? (value.value ?? []).map((v) => canonical(side, v)) : [canonical(side, value)];
    return `${raw[0]} ${items.sort().join('|')}`.replace(/(create-time|send-buffer-allocated|send-buffer-used|replication-offset)([,:]+)\d+/g, '$1$2<n>');
  }
  return subst(side, raw);
}

/** A value as text, with the per-run fields of SHARDS and LINKS blanked. */
function canonical(side: Side, v: RawValue): string {
  switch (v.type) {
    case 'array': case 'set': case 'push': return `[${(v.value ?? []).map((x) => canonical(side, x)).join(',')}]`;
    case 'map': case 'attr': return `{${v.value.map(([k, x]) => `${canonical(side, k)}:${canonical(side, x)}`).join(',')}}`;
    case 'int': return subst(side, `:${v.value}`);
    case 'null': return '_';
    case 'bool': return String(v.value);
    default: return subst(side, `${v.type}:${v.value}`);
  }
}

/** Keys served by each primary's slot range, found by their slot. */
function keyIn(range: [number, number], n: number): string {
  for (let i = 0; ; i++) if (keyHashSlot(`k${i}`) >= range[0] && keyHashSlot(`k${i}`) <= range[1] && n-- === 0) return `k${i}`;
}
const P0 = [0, 5460] as [number, number];
const P1 = [5461, 10922] as [number, number];
const a0 = keyIn(P0, 0);
const b0 = keyIn(P0, 1);
const a1 = keyIn(P1, 0);
const slotA0 = keyHashSlot(a0);

/** A step: on node `on`, a command (ids written as {P0} / {R1} are the side's real ids). */
type Step = [on: string, cmd: Arg[]];

/** Runs the steps on one side; `wait` steps sleep (real time) for Valkey's cron. */
async function runSteps(side: Side, steps: readonly Step[], resp: 2 | 3): Promise<string[]> {
  const out: string[] = [];
  for (const [on, cmd] of steps) {
    if (on === 'wait') {
      // Valkey recomputes some state in its cron (every 100 ms): give it time.
      await new Promise((r) => setTimeout(r, Number(cmd[0])));
      continue;
    }
    const c = side.conns.get(on)!;
    await c.send(['HELLO', String(resp)]);
    const args = cmd.map((a) => typeof a === 'string' ? a.replace(/\{([PR]\d)\}/g, (_, n: string) => side.ids[n]!) : a);
    const r = await c.send(args);
    out.push(`${on} ${cmd.map(String).join(' ')} -> ${normalise(side, cmd, r.raw, r.value)}`);
  }
  return out;
}

/**
 * Runs the steps on both sides, in RESP2 and RESP3, and asserts the same normalised replies.
 * `settle` (the real cluster's) runs after each pass: a real cluster's gossip after SETSLOT and epoch bumps is
 * asynchronous, so the next pass (or test) must not start while nodes still disagree (ours agree at once).
 */
async function checkSteps(sides: readonly [Side, Side], steps: readonly Step[], settle?: () => Promise<void>): Promise<void> {
  for (const resp of [2, 3] as const) {
    const [a, b] = [await runSteps(sides[0], steps, resp), await runSteps(sides[1], steps, resp)];
    await settle?.();
    expect(b, `RESP${resp}`).toEqual(a);
  }
}

/**
 * A real cluster and ours of the same shape, started before the describe's
 * tests and stopped after them; `sides` are [real, ours].
 */
function useClusterPair(shape: { primaries: number; replicasPerPrimary: number; databases?: number }): { readonly sides: [Side, Side]; settle(): Promise<void> } {
  let real: OracleCluster | undefined;
  let ours: ValkeyCluster | undefined;
  const pair = { sides: undefined as unknown as [Side, Side], settle: async (): Promise<void> => { await real?.settle(); } };
  beforeAll(async () => {
    const args = shape.databases !== undefined ? ['--cluster-databases', String(shape.databases)] : [];
    real = await startOracleCluster(bin!, { primaries: shape.primaries, replicasPerPrimary: shape.replicasPerPrimary, args });
    ours = await createCluster(shape);
    pair.sides = [await describeSide(real.ports), await describeSide(ours.nodes.map((n) => n.port))];
  }, 60_000);
  afterAll(async () => {
    for (const s of pair.sides ?? []) for (const c of s.conns.values()) c.close();
    await ours?.close();
    await real?.stop();
  });
  return pair;
}

describe.skipIf(!bin)('cluster: valkey-double against a real 3×1 Valkey cluster', () => {
  const pair = useClusterPair({ primaries: 3, replicasPerPrimary: 1 });
  let sides: [Side, Side];
  beforeAll(() => {
    sides = pair.sides;
  });
  const run = runSteps;
  const check = (steps: readonly Step[]) => checkSteps(sides, steps, pair.settle);

  test('CLUSTER replies about the topology', () => check([
    ['P0', ['CLUSTER', 'INFO']], ['R1', ['CLUSTER', 'INFO']],
    ['P0', ['CLUSTER', 'MYID']], ['R2', ['CLUSTER', 'MYSHARDID']],
    ['P0', ['CLUSTER', 'NODES']], ['R0', ['CLUSTER', 'NODES']],
    ['P1', ['CLUSTER', 'SLOTS']], ['R2', ['CLUSTER', 'SHARDS']],
    ['P0', ['CLUSTER', 'REPLICAS', '{P1}']], ['P0', ['CLUSTER', 'SLAVES', '{P2}']],
    ['P0', ['CLUSTER', 'REPLICAS', '{R1}']], ['P0', ['CLUSTER', 'REPLICAS', 'nosuchnode']],
    ['P2', ['CLUSTER', 'COUNT-FAILURE-REPORTS', '{P0}']], ['P2', ['CLUSTER', 'COUNT-FAILURE-REPORTS', 'x']],
    ['P0', ['CLUSTER', 'LINKS']],
    ['P0', ['CLUSTER', 'KEYSLOT', 'user:{42}:name']], ['P0', ['CLUSTER', 'KEYSLOT', '']],
    ['P0', ['CLUSTER', 'COUNTKEYSINSLOT', '16384']], ['P0', ['CLUSTER', 'COUNTKEYSINSLOT', 'x']],
    ['P0', ['CLUSTER', 'GETKEYSINSLOT', '1', '-1']], ['P0', ['CLUSTER', 'GETKEYSINSLOT', '1', 'x']],
    ['P0', ['CLUSTER', 'HELP']], ['P0', ['CLUSTER', 'NOPE']], ['P0', ['CLUSTER', 'INFO', 'x']],
    ['P0', ['CLUSTER', 'SETSLOT', '1', 'BOGUS']], ['P0', ['CLUSTER', 'SETSLOT', '99999', 'STABLE']],
    ['P0', ['CLUSTER', 'SETSLOT', '9000', 'MIGRATING', '{P1}']], ['P0', ['CLUSTER', 'SETSLOT', '1', 'IMPORTING', '{P1}']],
    ['P0', ['CLUSTER', 'SETSLOT', '1', 'MIGRATING', '{P0}']], ['P0', ['CLUSTER', 'SETSLOT', '1', 'MIGRATING', '{R1}']],
    ['P0', ['CLUSTER', 'SETSLOT', '1', 'NODE', 'x']], ['R0', ['CLUSTER', 'SETSLOT', '1', 'STABLE']],
    ['P0', ['CLUSTER', 'ADDSLOTS', '1']], ['P0', ['CLUSTER', 'ADDSLOTS', 'x']], ['P0', ['CLUSTER', 'DELSLOTSRANGE', '5', '1']],
    ['P0', ['CLUSTER', 'ADDSLOTSRANGE', '1']], ['P0', ['CLUSTER', 'ADDSLOTSRANGE', '1', '2', '3']],
    ['P0', ['CLUSTER', 'FORGET', '{P0}']], ['P0', ['CLUSTER', 'FORGET', 'x']], ['R0', ['CLUSTER', 'FORGET', '{P0}']],
    ['P0', ['CLUSTER', 'REPLICATE', '{P0}']], ['P0', ['CLUSTER', 'REPLICATE', '{R1}']], ['P0', ['CLUSTER', 'REPLICATE', '{P1}']],
    ['P0', ['CLUSTER', 'REPLICATE', 'x']], ['P0', ['CLUSTER', 'REPLICATE', 'NO', 'TWO']],
    ['P0', ['CLUSTER', 'SET-CONFIG-EPOCH', '5']], ['P0', ['CLUSTER', 'SET-CONFIG-EPOCH', '-1']],
    ['P0', ['CLUSTER', 'MEET', '127.0.0.1', 'x']], ['P0', ['CLUSTER', 'MEET', '127.0.0.1', '70000']],
    ['P0', ['CLUSTER', 'MEET', 'nope', '7000']], ['P0', ['CLUSTER', 'MEET', '127.0.0.1', '7000', '0']],
    ['P0', ['CLUSTER', 'RESET', 'MAYBE']], ['P0', ['CLUSTER', 'SAVECONFIG']],
    ['P0', ['ASKING']], ['P0', ['READONLY']], ['P0', ['READWRITE']], ['P0', ['ASKING', 'x']],
    ['P0', ['INFO', 'cluster']],
  ]));

  test('routing: MOVED, CROSSSLOT, hash tags, replica reads, transactions', () => check([
    ['P0', ['SET', a0, 'v']], ['P0', ['GET', a0]], ['P0', ['SET', a1, 'v']], ['P1', ['SET', a1, 'v']],
    ['P0', ['MGET', a0, a1]], ['P0', ['MGET', `{${a0}}x`, `{${a0}}y`]], ['P0', ['MSET', a0, '1', b0, '2']],
    ['P0', ['GET', 'foo']], ['P1', ['EXISTS', a0]], ['P0', ['PING']], ['P0', ['DBSIZE']],
    ['P0', ['CLUSTER', 'COUNTKEYSINSLOT', String(slotA0)]], ['P0', ['CLUSTER', 'GETKEYSINSLOT', String(slotA0), '10']],
    ['R0', ['GET', a0]], ['R0', ['READONLY']], ['R0', ['GET', a1]], ['R0', ['SET', a0, 'x']],
    ['R0', ['READWRITE']], ['R0', ['EXISTS', a0]],
    ['P0', ['MULTI']], ['P0', ['SET', a0, '1']], ['P0', ['SET', b0, '2']], ['P0', ['EXEC']],
    ['P0', ['MULTI']], ['P0', ['SET', a1, '1']], ['P0', ['EXEC']],
    ['P0', ['EVAL', 'return 1', '2', a0, a1]], ['P0', ['EVAL', 'return 1', '1', a1]],
    ['P0', ['SELECT', '1']], ['P0', ['SWAPDB', '0', '1']],
    ['P0', ['CLUSTER', 'SLOT-STATS', 'SLOTSRANGE', String(slotA0 - 1), String(slotA0 + 1)]],
    ['R0', ['CLUSTER', 'SLOT-STATS', 'SLOTSRANGE', '0', '2']], // (a replica's keys would need data replication)
    ['P0', ['CLUSTER', 'SLOT-STATS', 'ORDERBY', 'KEY-COUNT', 'LIMIT', '3']],
    ['P0', ['CLUSTER', 'SLOT-STATS', 'ORDERBY', 'key-count', 'ASC', 'LIMIT', '2']],
    ['P0', ['CLUSTER', 'SLOT-STATS', 'ORDERBY', 'cpu-usec']], ['P0', ['CLUSTER', 'SLOT-STATS', 'ORDERBY', 'key-count', 'LIMIT', '0']],
    ['P0', ['CLUSTER', 'SLOT-STATS', 'ORDERBY', 'key-count', 'ASC', 'DESC']], ['P0', ['CLUSTER', 'SLOT-STATS', 'ORDERBY', 'key-count', 'X']],
    ['P0', ['CLUSTER', 'SLOT-STATS', 'SLOTSRANGE', '5', '1']], ['P0', ['CLUSTER', 'SLOT-STATS', 'SLOTSRANGE', '1']],
    ['P0', ['CLUSTER', 'SLOT-STATS', 'ORDERBY', 'key-count', 'LIMIT']],
    ['P0', ['SET', a0, '1']], ['P0', ['SELECT', '0']], ['P0', ['CLUSTER', 'FLUSHSLOT', String(slotA0), 'LAZY']],
    ['P0', ['CLUSTER', 'FLUSHSLOT', '16384']], ['P0', ['CLUSTER', 'FLUSHSLOT', String(slotA0), 'SYNC']], ['P0', ['EXISTS', a0]],
    ['P0', ['DEL', a0, b0]], ['P1', ['DEL', a1]],
  ]));

  test('resharding one slot with SETSLOT: ASK, TRYAGAIN, then MOVED', async () => {
    const s = String(slotA0);
    const twin = (() => {
      for (let i = 0; ; i++) if (keyHashSlot(`{${a0}}${i}`) === slotA0) return `{${a0}}${i}`;
    })();
    await check([
      ['P0', ['SET', a0, 'v']],
      ['P1', ['CLUSTER', 'SETSLOT', s, 'IMPORTING', '{P0}']], ['P0', ['CLUSTER', 'SETSLOT', s, 'MIGRATING', '{P1}']],
      ['P0', ['GET', a0]], ['P0', ['GET', twin]], ['P0', ['MGET', a0, twin]], ['P0', ['SET', twin, 'x']],
      ['P1', ['GET', twin]], ['P1', ['ASKING']], ['P1', ['GET', twin]], ['P1', ['ASKING']], ['P1', ['MGET', twin, a0]],
      ['P0', ['CLUSTER', 'NODES']], ['P1', ['CLUSTER', 'NODES']],
      ['P0', ['CLUSTER', 'SETSLOT', s, 'NODE', '{P1}']],
      ['P0', ['DEL', a0]],
      ['P1', ['CLUSTER', 'SETSLOT', s, 'NODE', '{P1}']], ['P0', ['CLUSTER', 'SETSLOT', s, 'NODE', '{P1}']],
      ['P0', ['GET', a0]], ['P1', ['GET', a0]], ['P1', ['CLUSTER', 'INFO']],
      // And back, so the layout is as before.
      ['P0', ['CLUSTER', 'SETSLOT', s, 'IMPORTING', '{P1}']], ['P1', ['CLUSTER', 'SETSLOT', s, 'MIGRATING', '{P0}']],
      ['P0', ['CLUSTER', 'SETSLOT', s, 'NODE', '{P0}']], ['P1', ['CLUSTER', 'SETSLOT', s, 'NODE', '{P0}']],
      ['P0', ['GET', a0]], ['P1', ['GET', a0]], ['P0', ['CLUSTER', 'INFO']],
    ].map(([on, cmd]) => [on, cmd] as Step));
  }, 30_000);

  test('CLUSTERDOWN: an unserved slot, full coverage, reads when down', () => {
    const z0 = keyIn(P0, 2);
    const zs = String(keyHashSlot(z0));
    return check([
      ['P0', ['CLUSTER', 'DELSLOTS', zs]], ['P0', ['CLUSTER', 'DELSLOTS', zs]],
      ['P0', ['CLUSTER', 'INFO']], ['P0', ['GET', z0]], ['P0', ['GET', a0]], ['P0', ['PING']],
      ['P0', ['CONFIG', 'SET', 'cluster-allow-reads-when-down', 'yes']],
      ['P0', ['GET', a0]], ['P0', ['SET', a0, 'x']], ['P0', ['GET', z0]],
      ['P0', ['CONFIG', 'SET', 'cluster-require-full-coverage', 'no']], ['wait', ['300']],
      ['P0', ['CLUSTER', 'INFO']], ['P0', ['SET', a0, 'x']], ['P0', ['GET', z0]], ['P0', ['DEL', a0]],
      ['P0', ['CONFIG', 'SET', 'cluster-allow-reads-when-down', 'no']], ['P0', ['CONFIG', 'SET', 'cluster-require-full-coverage', 'yes']],
      ['P0', ['CLUSTER', 'ADDSLOTS', zs]], ['wait', ['300']], ['P0', ['CLUSTER', 'INFO']], ['P0', ['GET', z0]],
    ]);
  });

  test('a client blocked on a key whose slot moves away gets MOVED', async () => {
    const s = String(slotA0);
    const replies: string[] = [];
    for (const side of sides) {
      const blocked = await RawClient.connect(side.ports['P0']!);
      const pending = blocked.send(['BLPOP', a0, '0']);
      const move: Step[] = [
        ['P1', ['CLUSTER', 'SETSLOT', s, 'IMPORTING', '{P0}']], ['P0', ['CLUSTER', 'SETSLOT', s, 'MIGRATING', '{P1}']],
        ['P1', ['CLUSTER', 'SETSLOT', s, 'NODE', '{P1}']], ['P0', ['CLUSTER', 'SETSLOT', s, 'NODE', '{P1}']],
      ];
      const steps = await run(side, move, 2);
      // Valkey's cron sees it within a second or so; valkey-double at once.
      const r = await pending;
      replies.push([...steps, normalise(side, ['BLPOP'], r.raw, r.value)].join('\n'));
      blocked.close();
      await run(side, [
        ['P0', ['CLUSTER', 'SETSLOT', s, 'IMPORTING', '{P1}']], ['P1', ['CLUSTER', 'SETSLOT', s, 'MIGRATING', '{P0}']],
        ['P0', ['CLUSTER', 'SETSLOT', s, 'NODE', '{P0}']], ['P1', ['CLUSTER', 'SETSLOT', s, 'NODE', '{P0}']],
      ], 2);
    }
    expect(replies[1]).toBe(replies[0]);
    expect(replies[0]).toContain(`-MOVED ${s} 127.0.0.1:<port:P1>`);
  }, 30_000);
});

describe.skipIf(!bin)('cluster: numbered databases (cluster-databases 4) on 3 primaries', () => {
  const pair = useClusterPair({ primaries: 3, replicasPerPrimary: 0, databases: 4 });

  test('SELECT, MOVE, COPY ... DB, SWAPDB; keys route by slot in every database; per-database slot counts', () => checkSteps(pair.sides, [
    ['P0', ['CONFIG', 'GET', 'cluster-databases']], ['P0', ['SELECT', '3']], ['P0', ['SELECT', '4']],
    ['P0', ['SET', a0, 'in3']], ['P0', ['GET', a1]], ['P0', ['DBSIZE']],
    ['P0', ['CLUSTER', 'COUNTKEYSINSLOT', String(slotA0)]], ['P0', ['CLUSTER', 'GETKEYSINSLOT', String(slotA0), '5']],
    ['P0', ['MOVE', a0, '1']], ['P0', ['SELECT', '1']], ['P0', ['GET', a0]], ['P0', ['CLUSTER', 'COUNTKEYSINSLOT', String(slotA0)]],
    ['P0', ['COPY', a0, `{${a0}}c`, 'DB', '2']], ['P0', ['COPY', a0, a1, 'DB', '2']], ['P0', ['SWAPDB', '1', '2']],
    ['P0', ['SELECT', '2']], ['P0', ['GET', `{${a0}}c`]], ['P0', ['MOVE', a1, '0']],
    ['P0', ['CLUSTER', 'SLOT-STATS', 'SLOTSRANGE', String(slotA0), String(slotA0)]],
    ['P0', ['INFO', 'keyspace']], ['P0', ['FLUSHALL']], ['P0', ['SELECT', '0']],
  ]));
});

describe('cluster commands on a standalone server', () => {
  const d = useDifferential();
  test('CLUSTER answers that cluster support is disabled; READONLY and READWRITE still answer OK', () => d.check([
    ['CLUSTER', 'INFO'], ['CLUSTER', 'NODES'], ['CLUSTER', 'HELP'], ['CLUSTER', 'KEYSLOT', 'x'], ['CLUSTER', 'SLOTS'],
    ['CLUSTER', 'NOPE'], ['CLUSTER', 'INFO', 'x'], ['CLUSTER'], ['CLUSTER', 'SETSLOT', '1', 'STABLE'],
    ['ASKING'], ['READONLY'], ['READWRITE'], ['READONLY', 'x'],
    ['SET', 'a', '1'], ['MGET', 'a', 'b'], ['INFO', 'cluster'],
  ]));
});

/** Until every node lists `primary` as a master and `replica` as its replica, without fail flags, and the replica's link is up. */
async function untilFailedOver(side: Side, primary: string, replica: string): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    let ok = true;
    for (const conn of side.conns.values()) {
      await conn.send(['HELLO', '2']);
      const lines = valueText((await conn.send(['CLUSTER', 'NODES'])).value).split('\n');
      const p = lines.find((l) => l.startsWith(side.ids[primary]!)) ?? '';
      const r = lines.find((l) => l.startsWith(side.ids[replica]!)) ?? '';
      if (!/ (myself,)?master /.test(p) || !r.includes(`slave ${side.ids[primary]!}`) || lines.some((l) => /fail/.test(l))) ok = false;
    }
    const info = valueText((await side.conns.get(replica)!.send(['INFO', 'replication'])).value);
    if (ok && info.includes('master_link_status:up')) return;
    if (Date.now() > until) throw new Error(`${primary} did not take over from ${replica}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!bin)('cluster failover: valkey-double against a real 3×1 Valkey cluster', () => {
  const pair = useClusterPair({ primaries: 3, replicasPerPrimary: 1 });
  const after: Step[] = [
    ['P1', ['CLUSTER', 'NODES']], ['R0', ['CLUSTER', 'NODES']], ['P0', ['CLUSTER', 'NODES']],
    ['P2', ['CLUSTER', 'SHARDS']], ['P1', ['CLUSTER', 'SLOTS']], ['R0', ['CLUSTER', 'INFO']], ['P0', ['CLUSTER', 'INFO']],
    ['R0', ['INFO', 'replication']], ['P0', ['INFO', 'replication']],
    ['R0', ['CLUSTER', 'REPLICAS', '{R0}']], ['P0', ['CLUSTER', 'REPLICAS', '{P0}']],
  ];

  test('CLUSTER FAILOVER on a replica: errors, then the replica is the primary on every node; TAKEOVER back', async () => {
    const [real, ours] = pair.sides;
    for (const resp of [2, 3] as const) {
      // The first round: R0 takes over from P0 (a manual failover); the second, P0 back by TAKEOVER.
      const [from, to] = resp === 2 ? ['R0', 'P0'] : ['P0', 'R0'];
      const steps: Step[] = [
        [to, ['CLUSTER', 'FAILOVER']], [to, ['CLUSTER', 'FAILOVER', 'FORCE']], [from, ['CLUSTER', 'FAILOVER', 'NOW']],
        [from, ['CLUSTER', 'FAILOVER', 'FORCE', 'x']], [from, ['CLUSTER', 'FAILOVER', 'REPLICAID', `{${from}}`]],
        [to, ['SET', a0, `before-${resp}`]],
      ];
      expect(await runSteps(ours, steps, resp), `RESP${resp}`).toEqual(await runSteps(real, steps, resp));
      const failover: Step[] = [[from, ['CLUSTER', 'FAILOVER', ...(resp === 2 ? [] : ['TAKEOVER'])]]];
      expect(await runSteps(ours, failover, resp)).toEqual(await runSteps(real, failover, resp));
      await untilFailedOver(real, from, to);
      await untilFailedOver(ours, from, to);
      const check: Step[] = [
        ...after, [from, ['GET', a0]], [to, ['GET', a0]], [to, ['READONLY']], [to, ['GET', a0]], [to, ['READWRITE']],
      ];
      expect(await runSteps(ours, check, resp), `RESP${resp} after ${from} took over`).toEqual(await runSteps(real, check, resp));
    }
  }, 60_000);
});

describe.skipIf(!bin)('cluster sharded Pub/Sub: valkey-double against a real 3×1 Valkey cluster', () => {
  const pair = useClusterPair({ primaries: 3, replicasPerPrimary: 1 });

  /** On one side: subscribers on P0 and R0, SPUBLISH / PUBLISH, then the slot moves to P1: what each subscriber receives. */
  async function scenario(side: Side, resp: 2 | 3): Promise<string[]> {
    const out: string[] = [];
    const subs = { P0: await RawClient.connect(side.ports.P0!), R0: await RawClient.connect(side.ports.R0!), P2: await RawClient.connect(side.ports.P2!) };
    const note = (who: string, r: { raw: string }) => out.push(`${who} ${subst(side, r.raw)}`);
    try {
      for (const c of Object.values(subs)) await c.send(['HELLO', String(resp)]);
      const ch = `{${a0}}ch${resp}`;
      note('P0', await subs.P0.send(['SSUBSCRIBE', ch]));
      note('R0', await subs.R0.send(['SSUBSCRIBE', ch]));
      note('P2', await subs.P2.send(['SSUBSCRIBE', ch]));
      note('P2', await subs.P2.send(['SUBSCRIBE', 'news']));
      const [pub] = await runSteps(side, [['P0', ['SPUBLISH', ch, 'hi']], ['R1', ['PUBLISH', 'news', 'all']]], resp).then((r) => [r.join('\n')]);
      out.push(pub!);
      note('P0', await subs.P0.read());
      note('R0', await subs.R0.read());
      note('P2', await subs.P2.read());
      // The slot goes to P1 (SETSLOT NODE on the owner, then the new owner): its shard subscribers are told.
      out.push(...await runSteps(side, [['P0', ['CLUSTER', 'SETSLOT', String(slotA0), 'NODE', '{P1}']], ['P1', ['CLUSTER', 'SETSLOT', String(slotA0), 'NODE', '{P1}']]], resp));
      note('P0', await subs.P0.read());
      note('R0', await subs.R0.read(5000));
      // And back, for the next round.
      out.push(...await runSteps(side, [['P1', ['CLUSTER', 'SETSLOT', String(slotA0), 'NODE', '{P0}']], ['P0', ['CLUSTER', 'SETSLOT', String(slotA0), 'NODE', '{P0}']]], resp));
    } finally {
      for (const c of Object.values(subs)) c.close();
    }
    return out;
  }

  test('SSUBSCRIBE routes by slot; SPUBLISH reaches the shard (its replica too), PUBLISH every node; a moved slot sends sunsubscribe', async () => {
    const [real, ours] = pair.sides;
    for (const resp of [2, 3] as const) {
      const a = await scenario(real, resp);
      const b = await scenario(ours, resp);
      expect(b, `RESP${resp}`).toEqual(a);
      // Let the real cluster's replicas see the slot back before the next round.
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 60_000);
});

/**
 * Atomic slot migration (CLUSTER MIGRATESLOTS). Normalisations, beyond the
 * ids and ports above: job names become <job:N> (numbered in order of first
 * appearance on the side, so the EXPORT and IMPORT of one migration share a
 * number); create_time / last_update_time / last_ack_time become <time>;
 * cow_size becomes <n> (Valkey forks a child for the snapshot and counts its
 * copy-on-write bytes; in one process nothing is copied on write); the
 * target's IMPORT jobs are compared in sorted order (on the real side the
 * source's connections race, and whichever ESTABLISH arrives first is listed
 * last).
 * The intermediate states pass too quickly on a real node to be observed by a
 * test; what is compared is each job's end state and message.
 */
describe.skipIf(!bin)('cluster: atomic slot migration against a real 3×1 Valkey cluster', () => {
  const pair = useClusterPair({ primaries: 3, replicasPerPrimary: 1 });
  const keyAt = (slot: number) => keyIn([slot, slot], 0);

  /** Job names numbered per side, times blanked. */
  function jobNormaliser(): (s: string) => string {
    const names = new Map<string, number>();
    const sortImports = (s: string) => {
      if (!/^P1 CLUSTER GETSLOTMIGRATIONS/.test(s)) return s;
      const [head, ...jobs] = s.split(/(?=\*24\r\n|%12\r\n)/);
      return head + jobs.sort().join('');
    };
    return (s) => sortImports(s
      .replace(/(create_time|last_update_time|last_ack_time)(\r\n|,|:)+:?\d+/g, '$1 <time>')
      .replace(/cow_size(\r\n|,|:)+:?\d+/g, 'cow_size <n>')
      .replace(/\b[0-9a-f]{40}\b/g, (n) => {
        if (!names.has(n)) names.set(n, names.size + 1);
        return `<job:${names.get(n)}>`;
      }));
  }

  /** Polls GETSLOTMIGRATIONS on `on` until no job is in progress (10 s at most). */
  async function settle(side: Side, on: string): Promise<void> {
    const until = Date.now() + 10_000;
    for (;;) {
      const r = await side.conns.get(on)!.send(['CLUSTER', 'GETSLOTMIGRATIONS']);
      const states = [...r.raw.matchAll(/\$5\r\nstate\r\n\$\d+\r\n([a-z-]+)\r\n/g)].map((m) => m[1]);
      if (states.every((s) => s === 'success' || s === 'failed' || s === 'cancelled')) return;
      if (Date.now() > until) throw new Error(`migrations did not finish: ${states.join(',')}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }

  test('MIGRATESLOTS argument errors, CANCELSLOTMIGRATIONS with nothing to cancel, arity', () => checkSteps(pair.sides, [
    ['P0', ['CLUSTER', 'GETSLOTMIGRATIONS']], ['P0', ['CLUSTER', 'CANCELSLOTMIGRATIONS']],
    ['P0', ['CLUSTER', 'CANCELSLOTMIGRATIONS', 'ALL']], ['P0', ['CLUSTER', 'GETSLOTMIGRATIONS', 'x']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS']], ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0', '10', 'NODE']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'FOO', '0', '10', 'NODE', '{P1}']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', 'NODE', '{P1}']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0', '10', '20', 'NODE', '{P1}']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0', '16384', 'NODE', '{P1}']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '-1', '3', 'NODE', '{P1}']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0', 'x', 'NODE', '{P1}']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '10', '0', 'NODE', '{P1}']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0', '10', '5', '6', 'NODE', '{P1}']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0', '6000', 'NODE', '{P1}']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '6000', '6001', 'NODE', '{P1}']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0', '10', 'NODE', 'abc']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0', '10', 'NODE', 'f'.repeat(40)]],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0', '10', 'NODE', '{P0}']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0', '10', 'NODE', '{P1}', 'SLOTSRANGE', '5', '20', 'NODE', '{P1}']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0', '10', 'NODE', '{P1}', 'extra']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0', '10', 'NODE', '{P1}', 'SLOTSRANGE']],
    ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0', '10', 'FOO', '{P1}']],
    ['R0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0', '10', 'NODE', '{P1}']],
    ['P0', ['CLUSTER', 'GETSLOTMIGRATIONS']],
  ]));

  // (Once a script on a connection was refused a non-local key, the real node refuses local keys to later
  // scripts of that connection too: the steps run once, in RESP2, on one connection per node. Not modelled.)
  test('commands inside scripts are routed: a non-local key, keys of two slots, the local key', async () => {
    const [a, b] = await Promise.all(pair.sides.map((side) => runSteps(side, scriptSteps, 2)));
    expect(b).toEqual(a);
  });
  const scriptSteps: Step[] = [
    ['P0', ['SET', a0, 'local']],
    ['P0', ['EVAL', `return redis.call('GET', '${a0}')`, '0']],
    ['P0', ['EVAL', `return redis.call('GET', '${a1}')`, '0']],
    ['P0', ['EVAL', `return redis.pcall('SET', '${a1}', 'x')`, '0']],
    ['P0', ['EVAL', `return redis.call('MGET', '${a0}', '${b0}')`, '0']],
    ['P0', ['EVAL', `return redis.call('MGET', '${a0}', '${a1}')`, '0']],
    ['P0', ['EVAL', 'return redis.call(\'GET\', KEYS[1])', '1', a1]],
    ['P0', ['EVAL', `#!lua\nreturn redis.call('GET', '${a1}')`, '0']],
    ['R0', ['EVAL', `return redis.call('GET', '${a0}')`, '0']],
    ['P0', ['DEL', a0]],
  ];

  test('a migration to a replica fails at the handshake; two migrations succeed; keys, MOVED and epochs after', async () => {
    const outs: string[][] = [];
    for (const side of pair.sides) {
      const norm = jobNormaliser();
      const steps = (list: readonly Step[]) => runSteps(side, list, 2);
      const out = await steps([
        ['P0', ['SET', keyAt(0), 'zero']], ['P0', ['RPUSH', keyAt(1), 'a', 'b']], ['P0', ['SET', keyAt(100), 'hundred', 'PX', '100000']],
        ['P0', ['SET', keyAt(5), 'stays']],
        ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '2', '2', 'NODE', '{R1}']],
      ]);
      await settle(side, 'P0');
      out.push(...await steps([
        ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0', '1', 'NODE', '{P1}', 'SLOTSRANGE', '100', '100', '200', '201', 'NODE', '{P1}']],
      ]));
      await settle(side, 'P0');
      await settle(side, 'P1');
      out.push(...await steps([
        ['P0', ['CLUSTER', 'GETSLOTMIGRATIONS']], ['P1', ['CLUSTER', 'GETSLOTMIGRATIONS']], ['P2', ['CLUSTER', 'GETSLOTMIGRATIONS']],
        ['P0', ['GET', keyAt(0)]], ['P1', ['GET', keyAt(0)]], ['P1', ['LRANGE', keyAt(1), '0', '-1']], ['P1', ['GET', keyAt(100)]],
        ['P0', ['GET', keyAt(5)]], ['P0', ['DBSIZE']], ['P1', ['DBSIZE']], ['P1', ['CLUSTER', 'COUNTKEYSINSLOT', '0']],
        ['P0', ['CLUSTER', 'COUNTKEYSINSLOT', '0']], ['P1', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0', '0', 'NODE', '{P1}']],
        ['P0', ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', '0', '0', 'NODE', '{P2}']], ['P0', ['CLUSTER', 'CANCELSLOTMIGRATIONS']],
      ]));
      const ttl = await side.conns.get('P1')!.send(['PTTL', keyAt(100)]);
      expect(Number(/:(\d+)/.exec(ttl.raw)![1])).toBeGreaterThan(90_000);
      outs.push(out.map(norm));
      await new Promise((r) => setTimeout(r, 300)); // (the epoch reaches every node by gossip on the real side)
      const epoch = await runSteps(side, [['P1', ['CLUSTER', 'INFO']], ['P2', ['CLUSTER', 'SLOTS']]], 2);
      outs[outs.length - 1]!.push(...epoch);
    }
    expect(outs[1]).toEqual(outs[0]);
    for (const resp of [2, 3] as const) {
      const [a, b] = await Promise.all(pair.sides.map(async (side) => (await runSteps(side, [['P0', ['CLUSTER', 'GETSLOTMIGRATIONS']], ['P1', ['CLUSTER', 'GETSLOTMIGRATIONS']]], resp)).map(jobNormaliser())));
      expect(b, `RESP${resp}`).toEqual(a);
    }
  }, 60_000);
});
