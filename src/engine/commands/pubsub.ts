/**
 * Pub/Sub commands (Valkey group "pubsub"): SUBSCRIBE, UNSUBSCRIBE,
 * PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH, SPUBLISH and
 * the PUBSUB container, after Valkey's pubsub.c. The SUBSCRIBE family
 * answers with pushes, one per channel (R.seq), written even under CLIENT
 * REPLY OFF; on one node every shard channel is local.
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import type { CommandGroup } from '../command.js';
import type { Context } from '../context.js';
import { Err } from '../errors.js';
import { helpReply, subcommandSyntaxError } from '../help.js';
import { globMatch } from '../keyspace/glob.js';
import { subscriptionCount, type ChannelKind } from '../pubsub.js';

const NAMES: Record<ChannelKind | 'pattern', { sub: Reply; unsub: Reply }> = {
  channel: { sub: R.bulk('subscribe'), unsub: R.bulk('unsubscribe') },
  shard: { sub: R.bulk('ssubscribe'), unsub: R.bulk('sunsubscribe') },
  pattern: { sub: R.bulk('psubscribe'), unsub: R.bulk('punsubscribe') },
};

/** addReplyPubsub(Pat)(Un)Subscribed: [kind, name or null, the client's count]. */
function confirmation(ctx: Context, what: ChannelKind | 'pattern', sub: boolean, name: Bytes | null): Reply {
  const count = subscriptionCount(ctx.client, what === 'shard' ? 'shard' : 'channel');
  const n = NAMES[what];
  return R.push([sub ? n.sub : n.unsub, name === null ? R.null : R.bulk(name), R.int(count)]);
}

/** CLIENT_DENY_BLOCKING (a script, EXEC for SSUBSCRIBE): the client expects one reply per command. */
function checkMayBlock(ctx: Context, name: string, multiAllowed: boolean): void {
  if (ctx.client.denyBlocking && !(multiAllowed && ctx.client.multi)) {
    throw Err.raw(`ERR ${name} isn't allowed for a DENY BLOCKING client`);
  }
}

function subscribe(ctx: Context, argv: readonly Bytes[], kind: ChannelKind): Reply {
  const out: Reply[] = [];
  for (let j = 1; j < argv.length; j++) {
    ctx.engine.pubsub.subscribe(ctx.client, argv[j]!, kind);
    out.push(confirmation(ctx, kind, true, argv[j]!));
  }
  return R.seq(out);
}

function unsubscribe(ctx: Context, argv: readonly Bytes[], kind: ChannelKind): Reply {
  const { client, engine } = ctx;
  const out: Reply[] = [];
  const names = argv.length > 1 ? argv.slice(1) : [...(kind === 'shard' ? client.shardChannels : client.channels)];
  for (const ch of names) {
    engine.pubsub.unsubscribe(client, ch, kind);
    out.push(confirmation(ctx, kind, false, ch));
  }
  // Unsubscribing from everything while subscribed to nothing still answers once.
  if (out.length === 0) out.push(confirmation(ctx, kind, false, null));
  return R.seq(out);
}

function channelList(map: ReadonlyMap<Bytes, unknown>, argv: readonly Bytes[]): Reply {
  if (argv.length > 3) throw subcommandSyntaxError(argv);
  const pattern = argv[2];
  const out: Reply[] = [];
  for (const ch of map.keys()) if (pattern === undefined || globMatch(pattern, ch)) out.push(R.bulk(ch));
  return R.array(out);
}

function numsub(map: ReadonlyMap<Bytes, ReadonlySet<unknown>>, argv: readonly Bytes[]): Reply {
  const out: Reply[] = [];
  for (let j = 2; j < argv.length; j++) out.push(R.bulk(argv[j]!), R.int(map.get(argv[j]!)?.size ?? 0));
  return R.array(out);
}

const PUBSUB_HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

/**
 * PUBLISH / SPUBLISH; outside cluster mode replicas get the message too
 * (forceCommandPropagation); in a cluster it goes over the bus
 * (clusterPropagatePublish: SPUBLISH to the shard's nodes, PUBLISH to all).
 */
function publish(ctx: Context, argv: readonly Bytes[], kind: 'channel' | 'shard'): Reply {
  const receivers = ctx.engine.pubsub.publish(argv[1]!, argv[2]!, kind);
  if (!ctx.engine.config.getBool('cluster-enabled')) ctx.forcePropagation();
  else ctx.engine.cluster?.publish(argv[1]!, argv[2]!, kind);
  return R.int(receivers);
}

export const pubsubCommands: CommandGroup = {
  subscribe(ctx, argv) {
    checkMayBlock(ctx, 'SUBSCRIBE', true);
    return subscribe(ctx, argv, 'channel');
  },
  ssubscribe(ctx, argv) {
    checkMayBlock(ctx, 'SSUBSCRIBE', false);
    return subscribe(ctx, argv, 'shard');
  },
  unsubscribe: (ctx, argv) => unsubscribe(ctx, argv, 'channel'),
  sunsubscribe: (ctx, argv) => unsubscribe(ctx, argv, 'shard'),

  psubscribe(ctx, argv) {
    checkMayBlock(ctx, 'PSUBSCRIBE', true);
    const out: Reply[] = [];
    for (let j = 1; j < argv.length; j++) {
      ctx.engine.pubsub.subscribePattern(ctx.client, argv[j]!);
      out.push(confirmation(ctx, 'pattern', true, argv[j]!));
    }
    return R.seq(out);
  },

  punsubscribe(ctx, argv) {
    const { client, engine } = ctx;
    const out: Reply[] = [];
    const names = argv.length > 1 ? argv.slice(1) : [...client.patterns];
    for (const p of names) {
      engine.pubsub.unsubscribePattern(client, p);
      out.push(confirmation(ctx, 'pattern', false, p));
    }
    if (out.length === 0) out.push(confirmation(ctx, 'pattern', false, null));
    return R.seq(out);
  },

  publish: (ctx, argv) => publish(ctx, argv, 'channel'),
  spublish: (ctx, argv) => publish(ctx, argv, 'shard'),

  'pubsub|help': (_ctx, argv) => helpReply(argv[0]!, PUBSUB_HELP),
  'pubsub|channels': (ctx, argv) => channelList(ctx.engine.pubsub.channels, argv),
  'pubsub|shardchannels': (ctx, argv) => channelList(ctx.engine.pubsub.shardChannels, argv),
  'pubsub|numsub': (ctx, argv) => numsub(ctx.engine.pubsub.channels, argv),
  'pubsub|shardnumsub': (ctx, argv) => numsub(ctx.engine.pubsub.shardChannels, argv),
  'pubsub|numpat': (ctx) => R.int(ctx.engine.pubsub.patterns.size),
};
