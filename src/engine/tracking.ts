/**
 * Client-side caching (Valkey's tracking.c): the table of keys tracked
 * clients read (key -> client ids, one table for every database), the BCAST
 * prefix table, and the invalidation messages: a RESP3 push
 * ["invalidate", keys], or, for a RESP2 client redirecting to a subscribed
 * connection, a message on __redis__:invalidate. Messages leave through
 * Engine.push (after the running command's reply when the target is the
 * client running it); BCAST batches go out at beforeSleep().
 */
import { R, type Bytes, type Reply } from '../protocol/index.js';
import type { Client } from './client.js';

export interface TrackingState {
  /** Client id invalidations go to; 0 = this connection. */
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING yes|no given for the next command (tracking_caching). */
  caching: boolean;
  brokenRedirect: boolean;
  /** BCAST prefixes, kept sorted as Valkey's rax lists them. */
  prefixes: Bytes[];
}

interface Bcast {
  /** Keys changed since the last broadcast, with the client that changed each last (null: the server). */
  keys: Map<Bytes, Client | null>;
  clients: Set<Client>;
}

const INVALIDATE = R.bulk('invalidate');
const CHANNEL = R.bulk('__redis__:invalidate');
const MESSAGE = R.bulk('message');

const byteOrder = (a: Bytes, b: Bytes) => (a < b ? -1 : a > b ? 1 : 0);

export interface TrackingHost {
  clientById(id: number): Client | undefined;
  push(c: Client, r: Reply): void;
  /** The client whose command is running (Valkey's server.current_client), if any. */
  currentClient(): Client | null;
  allClients(): Iterable<Client>;
  random(n: number): number;
}

export class Tracking {
  /** key -> ids of the clients that read it. */
  private readonly table = new Map<Bytes, Set<number>>();
  private readonly prefixTable = new Map<Bytes, Bcast>();
  private items = 0;
  clients = 0;

  constructor(private readonly host: TrackingHost) {}

  get totalKeys(): number {
    return this.table.size;
  }

  get totalItems(): number {
    return this.items;
  }

  get totalPrefixes(): number {
    return this.prefixTable.size;
  }

  /** enableTracking: (re)sets the mode; prefixes add to those a BCAST client has. */
  enable(c: Client, redirect: number, opts: { bcast: boolean; optin: boolean; optout: boolean; noloop: boolean }, prefixes: readonly Bytes[]): void {
    if (!c.tracking) {
      this.clients++;
      c.tracking = { redirect, bcast: false, optin: false, optout: false, noloop: false, caching: false, brokenRedirect: false, prefixes: [] };
    }
    const t = c.tracking;
    t.redirect = redirect;
    t.brokenRedirect = false;
    t.bcast = opts.bcast;
    t.optin = opts.optin;
    t.optout = opts.optout;
    t.noloop = opts.noloop;
    if (opts.bcast) {
      if (prefixes.length === 0) this.addPrefix(c, t, '');
      for (const p of prefixes) this.addPrefix(c, t, p);
    }
  }

  private addPrefix(c: Client, t: TrackingState, p: Bytes): void {
    let bs = this.prefixTable.get(p);
    if (!bs) this.prefixTable.set(p, (bs = { keys: new Map(), clients: new Set() }));
    if (bs.clients.has(c)) return;
    bs.clients.add(c);
    t.prefixes.push(p);
    t.prefixes.sort(byteOrder);
  }

  /** disableTracking (CLIENT TRACKING OFF, RESET, disconnect). */
  disable(c: Client): void {
    const t = c.tracking;
    if (!t) return;
    for (const p of t.prefixes) {
      const bs = this.prefixTable.get(p);
      if (!bs) continue;
      bs.clients.delete(c);
      if (bs.clients.size === 0) this.prefixTable.delete(p);
    }
    c.tracking = null;
    this.clients--;
  }

  /** trackingRememberKeys: after a read-only command of a tracking (non-BCAST) client. */
  rememberKeys(c: Client, keys: readonly Bytes[]): void {
    const t = c.tracking!;
    if ((t.optin && !t.caching) || (t.optout && t.caching)) return;
    for (const k of keys) {
      let ids = this.table.get(k);
      if (!ids) this.table.set(k, (ids = new Set()));
      if (!ids.has(c.id)) {
        ids.add(c.id);
        this.items++;
      }
    }
  }

  /**
   * trackingInvalidateKey: `key` changed (by `by`, null for the server:
   * expiry, eviction). Every client that read it is told once and forgotten;
   * BCAST prefixes matching it remember it for the next broadcast.
   */
  invalidateKey(key: Bytes, by: Client | null, bcast = true): void {
    if (this.clients === 0 && this.table.size === 0) return;
    if (bcast && this.prefixTable.size > 0) {
      for (const [p, bs] of this.prefixTable) if (key.startsWith(p)) bs.keys.set(key, by);
    }
    const ids = this.table.get(key);
    if (!ids) return;
    const current = this.host.currentClient();
    for (const id of ids) {
      const target = this.host.clientById(id);
      if (!target || !target.tracking || target.tracking.bcast) continue;
      if (target.tracking.noloop && target === current) continue;
      this.send(target, R.array([R.bulk(key)]));
    }
    this.items -= ids.size;
    this.table.delete(key);
  }

  /** trackingInvalidateKeysOnFlush: every tracking client gets a null invalidation; the table empties. */
  invalidateAll(): void {
    if (this.clients > 0) {
      for (const c of this.host.allClients()) if (c.tracking) this.send(c, R.null);
    }
    this.table.clear();
    this.items = 0;
  }

  /** trackingLimitUsedSlots: over tracking-table-max-keys, invalidate random keys until under it. */
  limit(maxKeys: number): void {
    if (maxKeys === 0 || this.table.size <= maxKeys) return;
    while (this.table.size > maxKeys) {
      const keys = [...this.table.keys()];
      this.invalidateKey(keys[this.host.random(keys.length)]!, null, false);
    }
  }

  /** trackingBroadcastInvalidationMessages: once per event-loop turn, each prefix's changed keys. */
  broadcast(): void {
    if (this.clients === 0 || this.prefixTable.size === 0) return;
    for (const [, bs] of [...this.prefixTable].sort((a, b) => byteOrder(a[0], b[0]))) {
      if (bs.keys.size === 0) continue;
      const keys = [...bs.keys].sort((a, b) => byteOrder(a[0], b[0]));
      bs.keys = new Map();
      const all = R.bulks(keys.map(([k]) => k));
      for (const c of [...bs.clients]) {
        if (c.tracking?.noloop) {
          const own = keys.filter(([, by]) => by !== c);
          if (own.length) this.send(c, R.bulks(own.map(([k]) => k)));
        } else {
          this.send(c, all);
        }
      }
    }
  }

  /** Any BCAST keys waiting for beforeSleep? */
  get pendingBroadcast(): boolean {
    for (const bs of this.prefixTable.values()) if (bs.keys.size) return true;
    return false;
  }

  /** sendTrackingMessage: `keys` is an array of keys or a null (flush). */
  private send(c: Client, keys: Reply): void {
    const t = c.tracking!;
    let to = c;
    if (t.redirect) {
      const redir = this.host.clientById(t.redirect);
      if (!redir || redir.closing) {
        t.brokenRedirect = true;
        if (c.resp === 3) this.host.push(c, R.push([R.bulk('tracking-redir-broken'), R.int(t.redirect)]));
        return;
      }
      to = redir;
    }
    if (to.resp === 3) this.host.push(to, R.push([INVALIDATE, keys]));
    else if (to !== c && to.inPubSub) this.host.push(to, R.push([MESSAGE, CHANNEL, keys]));
  }
}
