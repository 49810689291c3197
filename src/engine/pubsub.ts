/**
 * The Pub/Sub registry of one engine (Valkey's server.pubsub_channels,
 * pubsub_patterns, pubsubshard_channels): channel -> subscribed clients, and
 * the per-client sets (Client.channels/patterns/shardChannels) kept in step.
 * Messages leave through Engine.push, the one way a push reaches a client's
 * sink; nothing here knows about sockets. Patterns use KEYS' glob matcher.
 */
import { R, type Bytes, type Reply } from '../protocol/index.js';
import type { Client } from './client.js';
import { globMatch } from './keyspace/glob.js';

export type ChannelKind = 'channel' | 'shard';

const MESSAGE = R.bulk('message');
const SMESSAGE = R.bulk('smessage');
const PMESSAGE = R.bulk('pmessage');
const SUNSUBSCRIBE = R.bulk('sunsubscribe');

/** The subscription-count Valkey reports: channels + patterns, or shard channels alone. */
export function subscriptionCount(c: Client, kind: ChannelKind): number {
  return kind === 'shard' ? c.shardChannels.size : c.channels.size + c.patterns.size;
}

export class PubSub {
  readonly channels = new Map<Bytes, Set<Client>>();
  readonly patterns = new Map<Bytes, Set<Client>>();
  readonly shardChannels = new Map<Bytes, Set<Client>>();

  constructor(private readonly push: (c: Client, r: Reply) => void) {}

  private server(kind: ChannelKind): Map<Bytes, Set<Client>> {
    return kind === 'shard' ? this.shardChannels : this.channels;
  }

  private static own(c: Client, kind: ChannelKind): Set<Bytes> {
    return kind === 'shard' ? c.shardChannels : c.channels;
  }

  /** pubsubSubscribeChannel: true when the client was not subscribed yet. */
  subscribe(c: Client, channel: Bytes, kind: ChannelKind): boolean {
    const own = PubSub.own(c, kind);
    if (own.has(channel)) return false;
    own.add(channel);
    add(this.server(kind), channel, c);
    return true;
  }

  /** pubsubUnsubscribeChannel: true when the client was subscribed. */
  unsubscribe(c: Client, channel: Bytes, kind: ChannelKind): boolean {
    const own = PubSub.own(c, kind);
    if (!own.delete(channel)) return false;
    remove(this.server(kind), channel, c);
    return true;
  }

  subscribePattern(c: Client, pattern: Bytes): boolean {
    if (c.patterns.has(pattern)) return false;
    c.patterns.add(pattern);
    add(this.patterns, pattern, c);
    return true;
  }

  unsubscribePattern(c: Client, pattern: Bytes): boolean {
    if (!c.patterns.delete(pattern)) return false;
    remove(this.patterns, pattern, c);
    return true;
  }

  /** freeClientPubSubData / RESET: every subscription of the client goes, without notifications. */
  dropClient(c: Client): void {
    for (const ch of [...c.channels]) this.unsubscribe(c, ch, 'channel');
    for (const ch of [...c.shardChannels]) this.unsubscribe(c, ch, 'shard');
    for (const p of [...c.patterns]) this.unsubscribePattern(c, p);
  }

  /**
   * pubsubPublishMessage: to the channel's subscribers, then (not for shard
   * channels) to every client of every matching pattern; returns the receivers.
   */
  publish(channel: Bytes, message: Bytes, kind: ChannelKind): number {
    let receivers = 0;
    const subs = this.server(kind).get(channel);
    if (subs) {
      const msg = R.push([kind === 'shard' ? SMESSAGE : MESSAGE, R.bulk(channel), R.bulk(message)]);
      for (const c of [...subs]) {
        this.push(c, msg);
        receivers++;
      }
    }
    if (kind === 'shard' || this.patterns.size === 0) return receivers;
    for (const [pattern, clients] of [...this.patterns]) {
      if (!globMatch(pattern, channel)) continue;
      const msg = R.push([PMESSAGE, R.bulk(pattern), R.bulk(channel), R.bulk(message)]);
      for (const c of [...clients]) {
        this.push(c, msg);
        receivers++;
      }
    }
    return receivers;
  }

  /**
   * pubsubShardUnsubscribeAllChannelsInSlot, for the shard channels `lost`
   * names (their slot left this node's shard): each subscriber is told with a
   * sunsubscribe push.
   */
  dropShardChannels(lost: (channel: Bytes) => boolean): void {
    if (this.shardChannels.size === 0) return;
    for (const [ch, clients] of [...this.shardChannels]) {
      if (!lost(ch)) continue;
      for (const c of [...clients]) {
        this.unsubscribe(c, ch, 'shard');
        this.push(c, R.push([SUNSUBSCRIBE, R.bulk(ch), R.int(subscriptionCount(c, 'shard'))]));
      }
    }
  }

  /** Does anyone listen to `channel` (a channel subscriber or a matching pattern)? */
  hasListeners(channel: Bytes): boolean {
    if (this.channels.has(channel)) return true;
    for (const p of this.patterns.keys()) if (globMatch(p, channel)) return true;
    return false;
  }
}

function add(m: Map<Bytes, Set<Client>>, k: Bytes, c: Client): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(c);
}

function remove(m: Map<Bytes, Set<Client>>, k: Bytes, c: Client): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(c);
  if (s.size === 0) m.delete(k);
}
