/**
 * The limits on a client's buffers. client-query-buffer-limit: requests read
 * but not yet run may not pass it (1 MB before the client authenticated).
 *
 * client-output-buffer-limit (networking.c checkClientOutputBufferLimits):
 * the server reports how many reply bytes a connection still holds; past
 * its class's hard limit, or past the soft limit for longer than its
 * seconds (on the engine's clock), the client is to be closed, counted in
 * INFO's client_output_buffer_limit_disconnections. A client that must
 * authenticate and never did may hold no more than 1024 bytes.
 *
 * The bytes are those the connection has not handed to the kernel yet:
 * Valkey counts its reply list past the 16 KB reply buffer, so the figures
 * are of the same order, not equal.
 */
import type { Client } from './client.js';
import type { Config } from './config.js';

/** REPLY_BUFFER_SIZE_UNAUTHENTICATED_CLIENT. */
const UNAUTHENTICATED_LIMIT = 1024;

interface Limit {
  hard: number;
  soft: number;
  softSeconds: number;
}

function readLimits(cfg: Config): { normal: Limit; replica: Limit; pubsub: Limit } {
  const w = cfg.get('client-output-buffer-limit').split(' ');
  const at = (i: number): Limit => ({ hard: Number(w[i * 4 + 1]), soft: Number(w[i * 4 + 2]), softSeconds: Number(w[i * 4 + 3]) });
  return { normal: at(0), replica: at(1), pubsub: at(2) };
}

export class OutputLimits {
  private readonly limits: ReturnType<typeof readLimits>;
  /** obuf_soft_limit_reached_time (seconds) per client over its soft limit. */
  private readonly softSince = new WeakMap<Client, number>();
  /** stat_client_outbuf_limit_disconnections. */
  disconnections = 0;
  /** stat_client_qbuf_limit_disconnections. */
  queryDisconnections = 0;

  constructor(cfg: Config) {
    this.limits = cfg.live(['client-output-buffer-limit'], readLimits);
  }

  /** closeClientOnOutputBufferLimitReached: true when `c`, holding `pending` reply bytes, must be closed now. */
  exceeded(c: Client, pending: number, now: number, replica = false): boolean {
    if (pending === 0) {
      this.softSince.delete(c);
      return false;
    }
    if (pending > UNAUTHENTICATED_LIMIT && !c.authenticated) return this.hit(c);
    const l = replica ? this.limits.replica : c.inPubSub ? this.limits.pubsub : this.limits.normal;
    const hard = l.hard > 0 && pending >= l.hard;
    let soft = l.soft > 0 && pending >= l.soft;
    const unix = Math.floor(now / 1000);
    if (soft) {
      const since = this.softSince.get(c);
      if (since === undefined) {
        this.softSince.set(c, unix);
        soft = false;
      } else if (unix - since <= l.softSeconds) soft = false;
    } else this.softSince.delete(c);
    return hard || soft ? this.hit(c) : false;
  }

  /**
   * readToQueryBuf's check: true when `c`, with `buffered` request bytes not
   * yet run (and its MULTI queue), passes client-query-buffer-limit, or 1 MB
   * before it authenticated; counted in client_query_buffer_limit_disconnections.
   */
  queryExceeded(c: Client, buffered: number, limit: number): boolean {
    let mem = buffered;
    if (c.multi) for (const q of c.multi.queue) for (const a of q.argv) mem += a.length;
    if (mem > limit || (mem > 1024 * 1024 && !c.authenticated)) {
      this.queryDisconnections++;
      return true;
    }
    return false;
  }

  private hit(c: Client): boolean {
    this.softSince.delete(c);
    this.disconnections++;
    return true;
  }
}
