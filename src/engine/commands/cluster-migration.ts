/**
 * Atomic slot migration (Valkey 9): CLUSTER MIGRATESLOTS, GETSLOTMIGRATIONS
 * and CANCELSLOTMIGRATIONS. The handlers validate as
 * clusterCommandMigrateSlots (cluster_migrateslots.c) does, in its order and
 * with its texts; the jobs themselves run in the cluster layer
 * (src/cluster/migration.ts), reached through `engine.cluster.slotMigrations`.
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { isToken, parseLongLong } from '../args.js';
import { CLUSTER_SLOTS, type ClusterHooks, type ClusterNode, type SlotMigrationHooks } from '../cluster.js';
import type { CommandGroup } from '../command.js';
import { Err } from '../errors.js';
import { slotArg, sub } from './cluster.js';

type Range = readonly [number, number];

function hooks(c: ClusterHooks): SlotMigrationHooks {
  if (!c.slotMigrations) throw Err.notImplemented('cluster|migrateslots outside createCluster');
  return c.slotMigrations;
}

/** validateSlotMigrationCanStartOrReply. */
function checkCanStart(c: ClusterHooks): void {
  if (c.myself.primary) throw Err.generic('Slot migration can only be used on primary nodes.');
  let importing = false;
  let migrating = false;
  for (let s = 0; s < CLUSTER_SLOTS; s++) {
    if (c.importingFrom(s)) importing = true;
    if (c.migratingTo(s)) migrating = true;
  }
  if (importing) throw Err.generic('Slots are being manually imported');
  if (migrating) throw Err.generic('Slots are being manually migrated');
}

const overlap = (a: Range, b: Range) => a[0] <= b[1] && b[0] <= a[1];

/** parseSlotRangesOrReply from argv[i]: the ranges, the node serving them all, and the index after them. */
function parseRanges(c: ClusterHooks, argv: readonly Bytes[], i: number): { ranges: Range[]; owner: ClusterNode | null; next: number } {
  const ranges: Range[] = [];
  let owner: ClusterNode | null = null;
  let next = argv.length;
  for (; i < argv.length; i += 2) {
    // The first argument that is not an integer starts what follows the ranges.
    if (parseLongLong(argv[i]!) === null) {
      next = i;
      break;
    }
    const start = slotArg(argv[i]!);
    if (i + 1 >= argv.length) throw Err.generic('No end slot for final slot range');
    const end = slotArg(argv[i + 1]!);
    if (start > end) throw Err.generic(`Start slot number ${start} is greater than end slot number ${end}.`);
    for (let s = start; s <= end; s++) {
      const n = c.slotOwner(s);
      if (n === null) throw Err.generic(`Slot ${s} has no node served.`);
      if (owner === null) owner = n;
      else if (owner !== n) throw Err.generic('Requested slots span multiple shards');
    }
    const r: Range = [start, end];
    const prev = ranges.find((p) => overlap(r, p));
    if (prev) throw Err.generic(`Slot range ${start}-${end} overlaps with previous range ${prev[0]}-${prev[1]}.`);
    ranges.push(r);
  }
  if (ranges.length === 0) throw Err.generic('No slot ranges specified');
  return { ranges, owner, next };
}

/** CLUSTER MIGRATESLOTS SLOTSRANGE start end [start end ...] NODE id [SLOTSRANGE ... NODE id ...] (clusterCommandMigrateSlots). */
const migrateSlots = sub((_ctx, c, argv): Reply => {
  checkCanStart(c);
  const m = hooks(c);
  const jobs: { ranges: Range[]; target: ClusterNode }[] = [];
  let i = 2;
  while (i < argv.length) {
    if (!isToken(argv[i], 'SLOTSRANGE')) throw Err.syntax();
    const { ranges, owner, next } = parseRanges(c, argv, i + 1);
    i = next;
    if (owner !== c.myself) throw Err.generic('Slots are not served by this node.');
    for (const [a, b] of ranges) for (let s = a; s <= b; s++) if (m.exporting(s)) throw Err.generic(`I am already migrating slot ${s}.`);
    if (jobs.some((j) => j.ranges.some((p) => ranges.some((r) => overlap(p, r))))) throw Err.generic('Slot ranges in migrations overlap');
    if (i + 1 >= argv.length || !isToken(argv[i], 'NODE')) throw Err.syntax();
    const id = argv[++i]!;
    if (id.length !== 40) throw Err.generic(`Invalid node name: ${id}`);
    const target = c.lookup(id);
    if (!target) throw Err.generic(`Unknown node name: ${id}`);
    if (target === c.myself) throw Err.generic('Target node can not be this node.');
    i++;
    jobs.push({ ranges, target });
  }
  m.start(jobs);
  return R.ok;
});

function jobReply(j: ReturnType<SlotMigrationHooks['jobs']>[number]): Reply {
  const b = R.bulk;
  return R.map([
    [b('name'), b(j.name)],
    [b('operation'), b(j.operation)],
    [b('slot_ranges'), b(j.slotRanges)],
    [b('target_node'), b(j.targetNode)],
    [b('source_node'), b(j.sourceNode)],
    [b('create_time'), R.int(j.createTime)],
    [b('last_update_time'), R.int(j.lastUpdateTime)],
    [b('last_ack_time'), R.int(j.lastAckTime)],
    [b('state'), b(j.state)],
    [b('message'), b(j.message)],
    [b('cow_size'), R.int(0)],
    [b('remaining_repl_size'), R.int(0)],
  ]);
}

export const slotMigrationCommands: CommandGroup = {
  'cluster|migrateslots': migrateSlots,
  'cluster|getslotmigrations': sub((_ctx, c) => R.array(c.slotMigrations ? c.slotMigrations.jobs().map(jobReply) : [])),
  'cluster|cancelslotmigrations': sub((_ctx, c) => {
    if (!c.slotMigrations?.cancelAll()) throw Err.generic('No migrations ongoing');
    return R.ok;
  }),
};
