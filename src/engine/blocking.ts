/**
 * What the blocking commands (BLPOP, BLMOVE, BZPOPMIN, BZMPOP...) share:
 * Valkey's getTimeoutFromObjectOrReply for their timeout argument, and
 * parking a client on keys of one type until one becomes ready, when the
 * command runs again from the start (as Valkey re-executes it).
 */
import { R, type Bytes, type Reply } from '../protocol/index.js';
import { LLONG_MAX } from './args.js';
import type { HandlerResult } from './command.js';
import { Context } from './context.js';
import { countError } from './dispatch.js';
import { CommandError, Err } from './errors.js';
import type { ValueType } from './keyspace/keyspace.js';
import { parseLongDouble } from './types/long-double.js';
import { endUnit } from './replication/index.js';

/**
 * getTimeoutFromObjectOrReply in seconds: the absolute deadline in ms, or 0
 * to wait forever. The seconds are a long double; the milliseconds are
 * rounded up.
 */
export function parseBlockTimeout(ctx: Context, arg: Bytes): number {
  const ms = timeoutMs(arg);
  if (ms < 0n) throw Err.generic('timeout is negative');
  if (ms === 0n) return 0;
  if (ms > LLONG_MAX - BigInt(ctx.now)) throw Err.generic('timeout is out of range');
  return ctx.now + Number(ms);
}

/** ceill(seconds * 1000) computed in x87 long double, with the range errors of getTimeoutFromObjectOrReply. */
function timeoutMs(arg: Bytes): bigint {
  const n = arg.length;
  if (n > 0 && n <= 9) {
    let digits = true;
    for (let i = 0; i < n; i++) {
      const c = arg.charCodeAt(i);
      if (c < 48 || c > 57) {
        digits = false;
        break;
      }
    }
    if (digits) return BigInt(Number(arg) * 1000);
  }
  const ld = parseLongDouble(arg);
  if (ld === null || ld.kind === 'nan') throw Err.generic('timeout is not a float or out of range');
  if (ld.kind === 'zero') return 0n;
  if (ld.kind === 'inf') {
    if (ld.neg) return -1n;
    throw Err.generic('timeout is out of range');
  }
  // The product rounded to a 64-bit significand (nearest, ties to even).
  let m = ld.m * 1000n;
  let e = ld.e;
  const extra = m.toString(2).length - 64;
  if (extra > 0) {
    const sh = BigInt(extra);
    let q = m >> sh;
    const r = m - (q << sh);
    const half = 1n << (sh - 1n);
    if (r > half || (r === half && (q & 1n) === 1n)) q++;
    m = q;
    e += extra;
  }
  if (ld.neg) {
    // ceil of a negative value: 0 when it lies within (-1, 0] (a wait forever), else negative.
    return e < 0 && m >> BigInt(-e) === 0n ? 0n : -1n;
  }
  if (e >= 64) throw Err.generic('timeout is out of range');
  const v = e >= 0 ? m << BigInt(e) : (m + (1n << BigInt(-e)) - 1n) >> BigInt(-e);
  if (v > LLONG_MAX) throw Err.generic('timeout is out of range');
  return v;
}

/**
 * Parks the client on `keys` until one of them holds a live value of `type`
 * (handleClientsBlockedOnKey looks it up without side effects), then runs
 * `attempt` again with a fresh context: its reply ends the wait, undefined
 * keeps waiting with the same deadline. The timeout reply is a null array.
 * `type` 'any' runs `attempt` on any change of a key, its deletion or a new
 * type included (Valkey's unblock_on_nokey, for XREADGROUP).
 */
export function blockOnKeys(
  ctx: Context, keys: readonly Bytes[], type: ValueType | 'any', deadline: number, attempt: (c: Context) => Reply | undefined,
): HandlerResult {
  const { engine, client, cmd } = ctx;
  const db = ctx.db;
  return engine.block(client, {
    deadline,
    keys,
    db,
    cmd: cmd.fullname,
    unblockOnNoKey: type === 'any',
    tryServe(now, key) {
      const e = db.peek(key);
      if (type !== 'any' && (e === undefined || e.type !== type || db.isExpired(e, now))) return undefined;
      try {
        // Valkey serves the command by running it again through call(): what it changed is propagated.
        const c = new Context(engine, client, cmd, now, false);
        const dirty = engine.stats.dirty;
        const r = attempt(c);
        if (engine.repl.prop.active) {
          if (engine.stats.dirty > dirty && c.propMode !== 'prevent') c.alsoPropagate(c.propArgv ?? client.argv);
          // Each served client is an execution unit of its own.
          if (engine.repl.prop.nesting === 0 && !engine.scripting.running) endUnit(engine, client);
        }
        return r;
      } catch (err) {
        if (!(err instanceof CommandError)) throw err;
        // The re-run command's error reply counts as call() would count it.
        cmd.stats.failed++;
        countError(engine, err.reply.v);
        return err.reply;
      }
    },
    onTimeout: () => R.nullArray,
  });
}
