/**
 * Atomic slot migration (Valkey 9's CLUSTER MIGRATESLOTS) between the nodes
 * of one process. A migration is an export job on the source and, once
 * established, an import job on the target (cluster_migrateslots.c), walking
 * these phases:
 *
 *   phase       source (EXPORT)     target (IMPORT)
 *   connecting  connecting          -
 *   snapshot    snapshotting        receiving-snapshot
 *   streaming   replicating         waiting-for-paused
 *   paused      failover-paused     failover-requested    (writers on the source wait)
 *   handoff     failover-granted    failover-granted      (writers still wait)
 *   done        success             success               (target bumped its epoch, owns the slots; writers get MOVED)
 *
 * The source serves the whole slot, reads and writes, until the handoff; the
 * target shows nothing of what it imports (the keys reach its keyspace only
 * at the handoff, so DBSIZE, KEYS, SCAN and COUNTKEYSINSLOT never see them
 * early). The keys move as DUMP payloads of their state at the handoff: the
 * source is paused for writes then, so that state is the snapshot plus every
 * write streamed since.
 *
 * Phases advance one per event-loop turn (setImmediate) unless a test holds
 * them: `migrations.pauseAt('paused')` stops every migration when it reaches
 * that phase, `step()` moves held migrations one phase on, `resume()` lets
 * them run to the end, `settled()` waits for that. Nothing here reads the
 * clock's timers: on a VirtualClock nothing times out (Valkey's pause
 * timeout and ack timeout are not modelled).
 */
import type { Bytes } from '../protocol/index.js';
import type { ClusterNode, SlotMigrationHooks, SlotMigrationJobView } from '../engine/cluster.js';
import type { Engine } from '../engine/engine.js';
import { keyHashSlot } from '../engine/keyslot.js';
import { createDumpPayload } from '../engine/rdb/dump.js';
import { toU8 } from '../engine/rdb/bytes.js';
import { loadDumpObject } from '../engine/rdb/restore.js';
import { readSetLimits } from '../engine/types/set.js';
import type { Topology, TopologyNode } from './topology.js';

export const MIGRATION_PHASES = ['connecting', 'snapshot', 'streaming', 'paused', 'handoff', 'done'] as const;
export type MigrationPhase = (typeof MIGRATION_PHASES)[number];

const EXPORT_STATE: Record<MigrationPhase, string> = {
  connecting: 'connecting',
  snapshot: 'snapshotting',
  streaming: 'replicating',
  paused: 'failover-paused',
  handoff: 'failover-granted',
  done: 'success',
};
const IMPORT_STATE: Record<MigrationPhase, string> = {
  connecting: 'waiting-for-ack',
  snapshot: 'receiving-snapshot',
  streaming: 'waiting-for-paused',
  paused: 'failover-requested',
  handoff: 'failover-granted',
  done: 'success',
};

type Range = readonly [number, number];

/** One job record, as GETSLOTMIGRATIONS shows it on its node. */
class JobRecord implements SlotMigrationJobView {
  lastUpdateTime: number;
  lastAckTime: number;
  message = '';
  constructor(
    readonly name: string,
    readonly operation: 'EXPORT' | 'IMPORT',
    readonly slotRanges: string,
    readonly sourceNode: string,
    readonly targetNode: string,
    readonly createTime: number,
    public state: string,
  ) {
    this.lastUpdateTime = createTime;
    this.lastAckTime = createTime;
  }
}

/** A migration as a test sees it (`cluster.migrations.list()`). */
export interface MigrationInfo {
  readonly name: string;
  readonly source: string;
  readonly target: string;
  readonly ranges: readonly Range[];
  readonly phase: MigrationPhase | 'cancelled' | 'failed';
}

class Migration {
  phase: MigrationPhase = 'connecting';
  /** Cancelled or failed. */
  ended = false;
  importRec: JobRecord | undefined;
  constructor(readonly name: string, readonly source: TopologyNode, readonly target: TopologyNode, readonly ranges: readonly Range[], readonly exportRec: JobRecord) {}

  get active(): boolean {
    return !this.ended && this.phase !== 'done';
  }

  covers(slot: number): boolean {
    return this.ranges.some(([a, b]) => slot >= a && slot <= b);
  }
}

/** How the migrations reach a node's engine (created on demand for in-process nodes). */
export type EngineOf = (n: TopologyNode) => Engine;

export class SlotMigrations {
  private readonly all: Migration[] = [];
  /** Per node, its job records, newest first. */
  private readonly records = new Map<TopologyNode, JobRecord[]>();
  private holdAt: MigrationPhase | null = null;
  private scheduled = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly topology: Topology, private readonly engineOf: EngineOf) {}

  /** The hooks a node's engine sees as `engine.cluster.slotMigrations`. */
  forNode(node: TopologyNode): SlotMigrationHooks {
    return {
      exporting: (slot) => this.all.some((m) => m.active && m.source === node && m.covers(slot)),
      start: (jobs) => {
        // Within one command the jobs keep their order; a later command's come first.
        const made = jobs.map((j) => this.create(node, j.target as TopologyNode, j.ranges));
        this.recordsOf(node).unshift(...made.map((m) => m.exportRec));
        this.schedule();
      },
      cancelAll: () => {
        const mine = this.all.filter((m) => m.active && m.source === node);
        if (mine.length === 0) return false;
        for (const m of mine) this.cancel(m);
        return true;
      },
      jobs: () => this.recordsOf(node),
    };
  }

  /** Every migration (newest last) with its phase. */
  list(): MigrationInfo[] {
    return this.all.map((m) => ({
      name: m.name, source: m.source.id, target: m.target.id, ranges: m.ranges,
      phase: m.ended ? (m.exportRec.state === 'failed' ? 'failed' : 'cancelled') : m.phase,
    }));
  }

  /** Migrations stop when they reach `phase` (null: run freely), until step() or resume(). */
  pauseAt(phase: MigrationPhase | null): void {
    this.holdAt = phase;
    if (phase === null) this.schedule();
  }

  /** Moves every unfinished migration one phase on, now (whether held or not). */
  step(): void {
    for (const m of this.inTurnOrder()) if (m.active) this.advance(m);
    this.notify();
  }

  /** No phase is held any more: every migration runs to its end. */
  resume(): void {
    this.pauseAt(null);
  }

  /** Resolves once no migration is unfinished (held ones included: resume them first). */
  settled(): Promise<void> {
    if (!this.all.some((m) => m.active)) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  /** Resolves once every unfinished migration has reached `phase` (or later). */
  async reached(phase: MigrationPhase): Promise<void> {
    const at = MIGRATION_PHASES.indexOf(phase);
    while (this.all.some((m) => m.active && MIGRATION_PHASES.indexOf(m.phase) < at)) await new Promise((r) => setImmediate(r));
  }

  /**
   * The order jobs proceed in within one turn: newest first, as Valkey's
   * list of jobs (so of one command's jobs the last one connects first, and
   * the target lists the imports in the command's order).
   */
  private inTurnOrder(): Migration[] {
    return [...this.all].reverse();
  }

  private recordsOf(n: TopologyNode): JobRecord[] {
    let list = this.records.get(n);
    if (!list) this.records.set(n, (list = []));
    return list;
  }

  private now(): number {
    return Math.floor(this.topology.clock.now() / 1000);
  }

  private create(source: TopologyNode, target: TopologyNode, ranges: readonly Range[]): Migration {
    const name = this.topology.rng.hex(40);
    const str = ranges.map(([a, b]) => `${a}-${b}`).join(' ');
    const rec = new JobRecord(name, 'EXPORT', str, source.id, target.id, this.now(), EXPORT_STATE.connecting);
    const m = new Migration(name, source, target, ranges, rec);
    this.all.push(m);
    return m;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      let moved = false;
      for (const m of this.inTurnOrder()) {
        if (!m.active || m.phase === this.holdAt) continue;
        this.advance(m);
        moved = true;
      }
      this.notify();
      if (moved) this.schedule();
    });
  }

  private notify(): void {
    if (this.all.some((m) => m.active)) return;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private setState(rec: JobRecord | undefined, state: string): void {
    if (!rec) return;
    rec.state = state;
    rec.lastUpdateTime = this.now();
  }

  /** One phase on: the work of entering the next phase. */
  private advance(m: Migration): void {
    const next = MIGRATION_PHASES[MIGRATION_PHASES.indexOf(m.phase) + 1]!;
    if (next === 'snapshot') {
      // SYNCSLOTS ESTABLISH: the target checks it can import, then creates its import job.
      const refused = this.establishError(m);
      if (refused !== undefined) {
        this.fail(m, `Received error during handshake to target: -ERR ${refused}\r\n`);
        return;
      }
      m.importRec = new JobRecord(m.name, 'IMPORT', m.exportRec.slotRanges, m.source.id, m.target.id, this.now(), IMPORT_STATE.connecting);
      this.recordsOf(m.target).unshift(m.importRec);
    } else if (next === 'paused') {
      // The source pauses its writers until the target has taken over.
      this.engineOf(m.source).pause.pause(Number.MAX_SAFE_INTEGER, 'write');
    } else if (next === 'done') {
      this.handoff(m);
    }
    m.phase = next;
    this.setState(m.exportRec, EXPORT_STATE[next]);
    this.setState(m.importRec, IMPORT_STATE[next]);
    if (next === 'done') this.unpause(m.source);
  }

  /** What the target answers CLUSTER SYNCSLOTS ESTABLISH with, when it refuses (clusterCommandSyncSlotsEstablish). */
  private establishError(m: Migration): string | undefined {
    const t = m.target;
    if (t.primary) return 'Slot migration can only be used on primary nodes.';
    if (t.importing.size > 0) return 'Slots are being manually imported';
    if (t.migrating.size > 0) return 'Slots are being manually migrated';
    const busy = this.all.some((o) => o !== m && o.active && o.importRec && o.target === t && m.ranges.some(([a, b]) => o.ranges.some(([c, d]) => a <= d && c <= b)));
    if (busy) return 'Slot is already being imported on the target by a different migration';
    if (m.ranges.some(([a, b]) => { for (let s = a; s <= b; s++) if (t.group.slots[s] !== m.source) return true; return false; })) {
      return 'Target node does not agree about current slot ownership';
    }
    return undefined;
  }

  private fail(m: Migration, message: string): void {
    m.ended = true;
    this.setState(m.exportRec, 'failed');
    m.exportRec.message = message;
    this.notify();
  }

  /** performSlotImportJobFailover: the keys move, the target bumps its epoch and claims the slots. */
  private handoff(m: Migration): void {
    const src = this.engineOf(m.source);
    const dst = this.engineOf(m.target);
    moveSlotKeys(src, dst, (s) => m.covers(s));
    const targetView = dst.cluster!;
    targetView.bumpEpoch();
    const sourceView = src.cluster!;
    // As the source (and every node) learns it by gossip: the target serves the slots now.
    for (const [a, b] of m.ranges) for (let s = a; s <= b; s++) sourceView.setSlotNode(s, m.target as ClusterNode);
  }

  private unpause(source: TopologyNode): void {
    if (this.all.some((o) => o.active && o.source === source && (o.phase === 'paused' || o.phase === 'handoff'))) return;
    this.engineOf(source).pause.unpause();
  }

  private cancel(m: Migration): void {
    const wasPaused = m.phase === 'paused' || m.phase === 'handoff';
    m.ended = true;
    this.setState(m.exportRec, 'cancelled');
    if (m.importRec) {
      this.setState(m.importRec, 'failed');
      m.importRec.message = 'Connection lost to source. Check CLUSTER GETSLOTMIGRATIONS on the source node for more information.';
    }
    if (wasPaused) this.unpause(m.source);
    this.notify();
  }
}

/**
 * Every key of the slots `inSlot` accepts, every database: from `src` to
 * `dst` (as DUMP / RESTORE ABSTTL REPLACE), then deleted on `src`; both
 * engines propagate what they did to their replicas.
 */
export function moveSlotKeys(src: Engine, dst: Engine, inSlot: (slot: number) => boolean): number {
  const cfg = src.config;
  const opts = { compression: cfg.getBool('rdbcompression'), compressDepth: cfg.getInt('list-compress-depth') };
  const dcfg = dst.config;
  const limits = {
    listFill: dcfg.getInt('list-max-listpack-size'),
    set: readSetLimits(dcfg),
    zset: dst.zsetLimits,
    hash: { maxEntries: dcfg.getInt('hash-max-listpack-entries'), maxValue: dcfg.getInt('hash-max-listpack-value') },
  };
  const now = src.clock.now();
  let moved = 0;
  for (const db of src.allDbs()) {
    const keys: Bytes[] = [];
    for (const k of db.keys()) if (inSlot(keyHashSlot(k))) keys.push(k);
    const into = dst.db(db.id);
    for (const k of keys) {
      const e = db.peek(k)!;
      if (!db.isExpired(e, now)) {
        const payload = createDumpPayload(e, opts);
        const p = toU8(payload);
        const v = loadDumpObject(p[0]!, p, limits);
        if (v) {
          if (into.peek(k)) into.delete(k);
          const ne = into.set(k, v.type, v.value, now);
          if (e.expireAt !== 0) into.setExpire(ne, k, e.expireExact ?? e.expireAt);
          dst.signalModifiedKey(into, k, null);
          // The target's replicas receive the key as a RESTORE with its absolute expiry.
          dst.repl.prop.feed(db.id, ['RESTORE', k, String(e.expireExact ?? e.expireAt), payload, 'ABSTTL', 'REPLACE']);
          moved++;
        }
      }
      db.delete(k);
      src.signalModifiedKey(db, k, null);
      // delKeysInSlot: the source's replicas drop it too.
      src.repl.prop.feed(db.id, [src.config.getBool('lazyfree-lazy-server-del') ? 'UNLINK' : 'DEL', k]);
    }
  }
  return moved;
}
