/**
 * ROLE and INFO replication as a real node shows them (replication.c
 * roleCommand, server.c genValkeyInfoString's "replication" section).
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { getRangeLong, isToken } from '../args.js';
import type { Context } from '../context.js';
import type { Engine } from '../engine.js';
import { Err } from '../errors.js';

function secondsSince(engine: Engine, at: number): number {
  return Math.floor((engine.clock.now() - at) / 1000);
}

/** roleCommand. */
export function roleReply(engine: Engine): Reply {
  const repl = engine.repl;
  const p = repl.primary;
  if (p === null) {
    const replicas = [...repl.replicas.values()]
      .filter((r) => r.state === 'online')
      .map((r) => R.array([R.bulk(r.ip), R.bulk(String(r.port)), R.bulk(String(r.ackOffset))]));
    return R.array([R.bulk('master'), R.int(repl.prop.offset), R.array(replicas)]);
  }
  return R.array([
    R.bulk('slave'), R.bulk(p.host), R.int(p.port),
    R.bulk(p.linkUp ? 'connected' : 'connect'),
    R.int(p.linkUp ? repl.prop.offset : -1),
  ]);
}

/** The lines of INFO replication. */
export function replicationInfo(engine: Engine): string[] {
  const repl = engine.repl;
  const prop = repl.prop;
  const lines: string[] = [];
  const p = repl.primary;
  if (p === null) {
    lines.push('role:master');
  } else {
    lines.push(
      'role:slave',
      `master_host:${p.host}`,
      `master_port:${p.port}`,
      `master_link_status:${p.linkUp ? 'up' : 'down'}`,
      `master_last_io_seconds_ago:${p.linkUp ? secondsSince(engine, p.lastIoAt) : -1}`,
      'master_sync_in_progress:0',
      `slave_read_repl_offset:${prop.offset}`,
      `slave_repl_offset:${prop.offset}`,
      'replicas_repl_buffer_size:0',
      'replicas_repl_buffer_peak:0',
    );
    if (!p.linkUp) lines.push(`master_link_down_since_seconds:${p.everUp ? secondsSince(engine, p.downSince) : -1}`);
    lines.push(
      `slave_priority:${engine.config.get('replica-priority')}`,
      `slave_read_only:${engine.config.getBool('replica-read-only') ? 1 : 0}`,
      `replica_announced:${engine.config.getBool('replica-announced') ? 1 : 0}`,
    );
  }
  lines.push(`connected_slaves:${repl.replicas.size}`);
  let i = 0;
  for (const r of repl.replicas.values()) {
    lines.push(`slave${i++}:ip=${r.ip},port=${r.port},state=${r.state},offset=${r.ackOffset},lag=${secondsSince(engine, r.ackAt)},type=replica`);
  }
  const histlen = prop.active ? Math.min(prop.offset - prop.backlogStart + 1, engine.config.getInt('repl-backlog-size')) : 0;
  lines.push(
    'replicas_waiting_psync:0',
    'master_failover_state:no-failover',
    `master_replid:${repl.replid}`,
    `master_replid2:${repl.replid2}`,
    `master_repl_offset:${prop.offset}`,
    `second_repl_offset:${repl.secondOffset}`,
    `repl_backlog_active:${prop.active ? 1 : 0}`,
    `repl_backlog_size:${engine.config.get('repl-backlog-size')}`,
    `repl_backlog_first_byte_offset:${prop.active ? prop.backlogStart : 0}`,
    `repl_backlog_histlen:${histlen}`,
  );
  return lines;
}

/** replicaofCommand: follow host:port (through the server layer's connector), or NO ONE to become a primary. */
export function replicaof(ctx: Context, argv: readonly Bytes[]): Reply {
  const engine = ctx.engine;
  const repl = engine.repl;
  if (engine.config.getBool('cluster-enabled')) throw Err.generic('REPLICAOF not allowed in cluster mode.');
  if (isToken(argv[1], 'NO') && isToken(argv[2], 'ONE')) {
    if (repl.primary !== null) {
      repl.connector?.(null, 0);
      repl.promote();
    }
    return R.ok;
  }
  const port = getRangeLong(argv[2]!, 0, 65535, 'Invalid master port');
  const host = argv[1]!;
  if (repl.primary !== null && repl.primary.host.toLowerCase() === host.toLowerCase() && repl.primary.port === port) {
    return R.simple('OK Already connected to specified master');
  }
  repl.connector?.(null, 0);
  repl.follow(host, port);
  repl.connector?.(host, port);
  return R.ok;
}
