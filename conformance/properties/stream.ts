/**
 * Consumer-group properties: the pending entries list (PEL) of a group is
 * what was delivered and not acknowledged, whoever holds it now.
 *
 * A model follows XREADGROUP (new entries to a consumer, delivery count 1),
 * XACK (removes) and XCLAIM (moves ownership, delivery count + 1); after each
 * step the server's XPENDING (summary and extended) and XINFO CONSUMERS must
 * say the same, and the summary's count must be the sum of its consumers'.
 * Entry IDs are explicit and idle times are not compared, so nothing depends
 * on the clock.
 */
import fc from 'fast-check';
import { arr, eq, fail, num, pairs, property, str, type PropertyCase, type PropertyContext } from './property.js';
import { isMap, type Value } from '../value.js';

type Op =
  | { op: 'add'; n: number }
  | { op: 'read'; consumer: string; count: number }
  | { op: 'ack'; pick: number }
  | { op: 'claim'; consumer: string; pick: number };

const consumer = fc.constantFrom('alice', 'bob', 'carol');
const ops = fc.array(fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 3 }).map((n): Op => ({ op: 'add', n })), weight: 2 },
  { arbitrary: fc.record({ consumer, count: fc.integer({ min: 1, max: 3 }) }).map((r): Op => ({ op: 'read', ...r })), weight: 3 },
  { arbitrary: fc.nat().map((pick): Op => ({ op: 'ack', pick })), weight: 2 },
  { arbitrary: fc.record({ consumer, pick: fc.nat() }).map((r): Op => ({ op: 'claim', ...r })), weight: 2 },
), { minLength: 1, maxLength: 20 });

interface Pending {
  owner: string;
  deliveries: number;
}

/** The IDs of entries ([id, [field, value...]] each). */
function ids(entries: Value): string[] {
  return arr(entries).map((e) => str(arr(e)[0]!) ?? fail('nil entry id'));
}

/** The IDs an XREADGROUP of one stream delivered: RESP2 [[name, entries]], RESP3 {name: entries}, or nil. */
function readIds(v: Value): string[] {
  if (v === null) return [];
  if (isMap(v)) return ids(v.map[0]![1]);
  return ids(arr(arr(v)[0]!)[1]!);
}

const cmpId = (a: string, b: string) => Number(a.split('-')[0]) - Number(b.split('-')[0]);

async function check(t: PropertyContext, pel: Map<string, Pending>, step: string): Promise<void> {
  const ids = [...pel.keys()].sort(cmpId);
  const summary = arr(await t.call('XPENDING', 's', 'g'));
  eq(num(summary[0]!), pel.size, `${step}: XPENDING count`);
  eq(summary[1], ids[0] ?? null, `${step}: XPENDING smallest ID`);
  eq(summary[2], ids[ids.length - 1] ?? null, `${step}: XPENDING greatest ID`);
  const perConsumer = new Map<string, number>();
  for (const p of pel.values()) perConsumer.set(p.owner, (perConsumer.get(p.owner) ?? 0) + 1);
  const want = [...perConsumer].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, n]) => [c, String(n)]);
  eq(summary[3], want.length ? want : null, `${step}: XPENDING consumers`);
  const listed = summary[3] === null ? [] : arr(summary[3]!).map((x) => Number(str(arr(x)[1]!)));
  eq(listed.reduce((a, b) => a + b, 0), num(summary[0]!), `${step}: the summary's count is the sum of its consumers' counts`);

  const ext = arr(await t.call('XPENDING', 's', 'g', '-', '+', '100'));
  eq(ext.map((e) => {
    const x = arr(e);
    return [str(x[0]!), str(x[1]!), num(x[3]!)];
  }), ids.map((id) => [id, pel.get(id)!.owner, pel.get(id)!.deliveries]), `${step}: XPENDING - + 100 (id, owner, deliveries)`);

  for (const c of ['alice', 'bob', 'carol']) {
    const own = ids.filter((id) => pel.get(id)!.owner === c);
    const mine = arr(await t.call('XPENDING', 's', 'g', '-', '+', '100', c)).map((e) => str(arr(e)[0]!));
    eq(mine, own, `${step}: XPENDING ... ${c}`);
  }
  const info = arr(await t.call('XINFO', 'CONSUMERS', 's', 'g'));
  const pendingOf = new Map(info.map((c) => {
    const fields = new Map(pairs(c).map(([k, v]) => [t.mapKey(str(k) ?? ''), v]));
    return [str(fields.get(t.mapKey('name'))!), num(fields.get(t.mapKey('pending'))!)] as const;
  }));
  for (const [c, n] of pendingOf) eq(n, perConsumer.get(c ?? '') ?? 0, `${step}: XINFO CONSUMERS pending of ${c}`);
}

export const streamProperties: PropertyCase[] = [
  property('stream', ['xgroup|create', 'xadd', 'xreadgroup', 'xack', 'xclaim', 'xpending', 'xinfo|consumers'], 'The PEL is what was delivered and not acknowledged; XCLAIM moves it; counts add up', ops, async (t, steps) => {
    eq(await t.call('XGROUP', 'CREATE', 's', 'g', '0', 'MKSTREAM'), 'OK');
    const pel = new Map<string, Pending>();
    const added: string[] = [];
    let delivered = 0;
    let seq = 0;
    for (const s of steps) {
      let step: string;
      switch (s.op) {
        case 'add':
          for (let i = 0; i < s.n; i++) {
            const id = `${++seq}-0`;
            eq(await t.call('XADD', 's', id, 'f', String(seq)), id, `XADD ${id}`);
            added.push(id);
          }
          step = `XADD ×${s.n}`;
          break;
        case 'read': {
          step = `XREADGROUP ${s.consumer} COUNT ${s.count}`;
          const got = readIds(await t.call('XREADGROUP', 'GROUP', 'g', s.consumer, 'COUNT', String(s.count), 'STREAMS', 's', '>'));
          const want = added.slice(delivered, delivered + s.count);
          eq(got, want, step);
          delivered += want.length;
          for (const id of want) pel.set(id, { owner: s.consumer, deliveries: 1 });
          break;
        }
        case 'ack': {
          if (added.length === 0) continue;
          const id = added[s.pick % added.length]!;
          step = `XACK ${id}`;
          eq(num(await t.call('XACK', 's', 'g', id)), pel.has(id) ? 1 : 0, step);
          pel.delete(id);
          break;
        }
        case 'claim': {
          if (added.length === 0) continue;
          const id = added[s.pick % added.length]!;
          step = `XCLAIM ${s.consumer} 0 ${id}`;
          const got = ids(await t.call('XCLAIM', 's', 'g', s.consumer, '0', id));
          const p = pel.get(id);
          eq(got, p ? [id] : [], step);
          if (p) pel.set(id, { owner: s.consumer, deliveries: p.deliveries + 1 });
          break;
        }
      }
      await check(t, pel, step);
    }
  }, { runs: 30 }),
];
