/**
 * Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH (Valkey group
 * "transactions", src/multi.c). Queueing itself happens in dispatch (the
 * gates of processCommand); this file owns what the commands do, and the
 * helpers RESET and disconnects use.
 *
 * WATCH state: each watched key is a WatchedKey registered in its Keyspace
 * (keyspace.ts) and listed in Client.watched. A write to the key
 * (ctx.modified → Keyspace.touch), its expiry, FLUSHDB/FLUSHALL (Keyspace.clear)
 * or SWAPDB (Keyspace.swapContents) marks the client dirty, and its EXEC
 * then answers a null array.
 */
import { R, type Reply } from '../../protocol/index.js';
import type { Client } from '../client.js';
import type { CommandGroup } from '../command.js';
import type { Context } from '../context.js';
import { aclCheckQueued } from '../acl/index.js';
import { call } from '../dispatch.js';
import type { Engine } from '../engine.js';
import { Err } from '../errors.js';

/** discardTransaction: leaves MULTI, forgets the queue, clears both dirty flags, unwatches everything. */
export function discardTransaction(engine: Engine, client: Client): void {
  client.multi = null;
  client.dirtyCas = false;
  engine.unwatchAll(client);
}

/** CLIENT LIST's multi=: queued commands, or -1 for a client that never ran MULTI or WATCH. */
export function multiCount(client: Client): number {
  if (client.multi) return client.multi.queue.length;
  return client.hasMultiState ? 0 : -1;
}

/** isWatchedKeyExpired: a watched key (live when WATCH ran) is now logically expired. */
function watchedKeyExpired(client: Client, now: number): boolean {
  for (const wk of client.watched) {
    if (wk.expired) continue;
    const e = wk.db.peek(wk.key);
    if (e && wk.db.isExpired(e, now)) return true;
  }
  return false;
}

function exec(ctx: Context): Reply {
  const { engine, client } = ctx;
  const multi = client.multi;
  if (!multi) throw Err.generic('EXEC without MULTI');
  if (watchedKeyExpired(client, ctx.now)) client.dirtyCas = true;
  if (client.dirtyCas || multi.aborted) {
    const aborted = multi.aborted;
    discardTransaction(engine, client);
    if (aborted) throw Err.execAbort();
    return R.nullArray;
  }

  engine.unwatchAll(client);
  const replies: Reply[] = [];
  // Each reply is written in the protocol of its moment: HELLO inside the transaction switches it.
  const protos: (2 | 3)[] = [];
  const denyBefore = client.denyBlocking;
  client.denyBlocking = true; // blocking commands answer at once, as on timeout
  try {
    for (const q of multi.queue) {
      // ACL rules are checked again: they may have changed since the command was queued.
      const r = aclCheckQueued(engine, client, q.cmd, q.argv) ?? call(engine, client, q.cmd, q.argv, ctx.now, true);
      // A handler that blocks although blocking is denied is a bug: never leave the array short.
      replies.push(typeof r === 'symbol' ? R.error(`ERR internal error in valkey-double: '${q.cmd.fullname}' blocked inside EXEC`) : r);
      protos.push(client.resp);
    }
  } finally {
    client.denyBlocking = denyBefore;
    discardTransaction(engine, client);
  }
  const resp = client.resp;
  for (let i = 0; i < replies.length; i++) {
    if (protos[i] !== resp) replies[i] = { t: 'pinned', resp: protos[i]!, v: replies[i]! };
  }
  return R.array(replies);
}

export const transactionsCommands: CommandGroup = {
  multi(ctx) {
    ctx.client.multi = { queue: [], aborted: false, dbId: ctx.client.db };
    ctx.client.hasMultiState = true;
    return R.ok;
  },

  exec,

  discard(ctx) {
    if (!ctx.client.multi) throw Err.generic('DISCARD without MULTI');
    discardTransaction(ctx.engine, ctx.client);
    return R.ok;
  },

  watch(ctx, argv) {
    const client = ctx.client;
    // No point in watching once a watched key has changed: EXEC fails anyway.
    if (client.dirtyCas) return R.ok;
    client.hasMultiState = true;
    const db = ctx.db;
    const already = new Set<string>();
    for (const w of client.watched) if (w.db === db) already.add(w.key);
    for (let i = 1; i < argv.length; i++) {
      const key = argv[i]!;
      if (already.has(key)) continue;
      already.add(key);
      const e = db.peek(key);
      const wk = { watcher: client, db, key, expired: e !== undefined && db.isExpired(e, ctx.now) };
      db.watch(wk);
      client.watched.push(wk);
    }
    return R.ok;
  },

  unwatch(ctx) {
    ctx.engine.unwatchAll(ctx.client);
    ctx.client.dirtyCas = false;
    return R.ok;
  },
};
