/** The invalidation sink of tracking properties: a raw RESP2 connection subscribed to __redis__:invalidate. */
import type { RawClient } from '../targets/raw-client.js';
import type { RawValue } from '../../src/index.js';
import type { InvalidationSink } from './property.js';

function isPong(v: RawValue): boolean {
  return v.type === 'array' && v.value?.[0]?.type === 'bulk' && v.value[0].value === 'pong';
}

/** The keys of an invalidation message, null for a flush; undefined when `v` is not one. */
function invalidated(v: RawValue): string[] | null | undefined {
  if (v.type !== 'array' || !v.value || v.value.length !== 3) return undefined;
  const [kind, channel, keys] = v.value;
  if (kind?.type !== 'bulk' || kind.value !== 'message' || channel?.type !== 'bulk' || channel.value !== '__redis__:invalidate') return undefined;
  if (keys?.type === 'null' || (keys?.type === 'array' && keys.value === null)) return null;
  if (keys?.type !== 'array' || !keys.value) return undefined;
  return keys.value.map((k) => (k.type === 'bulk' ? k.value : String(k.type)));
}

export async function openInvalidationSink(c: RawClient): Promise<InvalidationSink> {
  const idReply = await c.send(['CLIENT', 'ID']);
  if (idReply.value.type !== 'int') throw new Error(`CLIENT ID answered ${idReply.raw}`);
  const id = Number(idReply.value.value);
  await c.send(['SUBSCRIBE', '__redis__:invalidate']);
  return {
    id,
    async take() {
      // Messages queued before the PING arrive before its reply: once the pong is in, they all are,
      // some taken as the PING's reply (a message while it waited), the rest waiting unread.
      const seen: RawValue[] = [(await c.send(['PING'])).value];
      while (!isPong(seen[seen.length - 1]!)) seen.push((await c.read(2000)).value);
      for (;;) {
        try {
          seen.push((await c.read(1)).value);
        } catch {
          break;
        }
      }
      const out: (string[] | null)[] = [];
      for (const v of seen) {
        const keys = invalidated(v);
        if (keys !== undefined) out.push(keys);
        else if (!isPong(v)) throw new Error(`unexpected message on the invalidation sink: ${JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x))}`);
      }
      return out;
    },
  };
}
