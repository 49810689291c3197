/**
 * Streams in the RDB format (rdb.c rdbSaveObject / rdbLoadObject for
 * RDB_TYPE_STREAM_LISTPACKS_3): each radix-tree node as its 16-byte master
 * ID and its listpack (t_stream.c's layout: the master entry, then per entry
 * flags, ID deltas, fields unless they are the master's, values and the
 * element count), then the length, the last, first and max-deleted IDs, the
 * entries-added counter, and the consumer groups with their PELs and
 * consumers, in radix-tree order.
 */
import type { Bytes } from '../../protocol/index.js';
import {
  cmpId, encodeId, IdMap, lpIntSize, sortedNames, StreamValue, type Consumer, type Nack, type StreamEntry, type StreamID, type StreamNode,
} from '../types/stream.js';
import type { RdbWriter } from './dump.js';
import { decodeListpack, encodeListpack } from './listpack.js';
import { BadPayload, type RdbReader } from './restore.js';

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;

function idFromBytes(b: Uint8Array): StreamID {
  let ms = 0n;
  let seq = 0n;
  for (let i = 0; i < 8; i++) {
    ms = (ms << 8n) | BigInt(b[i]!);
    seq = (seq << 8n) | BigInt(b[8 + i]!);
  }
  return { ms, seq };
}

/** The node's listpack elements, as streamAppendItem and streamDeleteItem leave them. */
function nodeItems(n: StreamNode): Bytes[] {
  const items: Bytes[] = [String(n.live), String(n.deleted), String(n.masterFields.length), ...n.masterFields, '0'];
  for (const e of n.entries) {
    const same = e.fields === n.masterFields;
    const nf = e.values.length;
    items.push(String((same ? FLAG_SAMEFIELDS : 0) | (e.deleted ? FLAG_DELETED : 0)));
    items.push(String(BigInt.asIntN(64, e.id.ms - n.master.ms)), String(BigInt.asIntN(64, e.id.seq - n.master.seq)));
    if (same) items.push(...e.values);
    else {
      items.push(String(nf));
      for (let i = 0; i < nf; i++) items.push(e.fields[i]!, e.values[i]!);
    }
    items.push(String(same ? nf + 3 : nf * 2 + 4));
  }
  return items;
}

/** rdbSaveObject of a stream (RDB_TYPE_STREAM_LISTPACKS_3), the type byte excluded. */
export function saveStream(r: RdbWriter, s: StreamValue): void {
  const w = r.w;
  const nodes = s.listpackNodes;
  r.len(nodes.length);
  for (const n of nodes) {
    r.blob(encodeId(n.master));
    r.blob(encodeListpack(nodeItems(n)));
  }
  r.len(s.length);
  for (const id of [s.lastId, s.firstId, s.maxDeletedId]) {
    r.lenBig(id.ms);
    r.lenBig(id.seq);
  }
  r.lenBig(s.entriesAdded);
  const groups = s.groups;
  r.len(groups?.size ?? 0);
  if (!groups) return;
  for (const name of sortedNames(groups)) {
    const g = groups.get(name)!;
    r.string(name);
    r.lenBig(g.lastId.ms);
    r.lenBig(g.lastId.seq);
    r.lenBig(BigInt.asUintN(64, g.entriesRead));
    r.len(g.pel.size);
    for (const [id, nack] of g.pel.entries()) {
      w.bytes(encodeId(id));
      w.i64LE(BigInt(nack.deliveryTime));
      r.lenBig(nack.deliveryCount);
    }
    r.len(g.consumers.size);
    for (const cname of sortedNames(g.consumers)) {
      const c = g.consumers.get(cname)!;
      r.string(cname);
      w.i64LE(BigInt(c.seenTime));
      w.i64LE(BigInt(c.activeTime));
      r.len(c.pel.size);
      for (const [id] of c.pel.entries()) w.bytes(encodeId(id));
    }
  }
}

function int(items: readonly Bytes[], i: number): bigint {
  const v = items[i];
  if (v === undefined || !/^-?\d+$/.test(v)) throw new BadPayload();
  return BigInt(v);
}

/** One node back from its listpack (streamValidateListpackIntegrity's checks): the live entries it holds. */
function loadNode(master: StreamID, lp: Uint8Array): { node: StreamNode; live: number } {
  const items = decodeListpack(lp);
  if (items === null || items.length === 0) throw new BadPayload();
  const live = Number(int(items, 0));
  const deleted = Number(int(items, 1));
  const nmf = Number(int(items, 2));
  if (nmf < 0 || 3 + nmf >= items.length) throw new BadPayload();
  const masterFields = items.slice(3, 3 + nmf);
  if (int(items, 3 + nmf) !== 0n) throw new BadPayload();
  const entries: StreamEntry[] = [];
  let p = 4 + nmf;
  let valid = 0;
  let prev: StreamID | undefined;
  while (p < items.length) {
    const start = p;
    const flags = Number(int(items, p++));
    const id = { ms: BigInt.asUintN(64, master.ms + int(items, p++)), seq: BigInt.asUintN(64, master.seq + int(items, p++)) };
    if (prev !== undefined && cmpId(id, prev) <= 0) throw new BadPayload();
    prev = id;
    let fields: readonly Bytes[];
    let values: Bytes[];
    if (flags & FLAG_SAMEFIELDS) {
      fields = masterFields;
      values = items.slice(p, p + nmf);
      p += nmf;
    } else {
      const nf = Number(int(items, p++));
      if (nf < 0) throw new BadPayload();
      const f: Bytes[] = [];
      values = [];
      for (let i = 0; i < nf; i++) {
        f.push(items[p++]!);
        values.push(items[p++]!);
      }
      fields = f;
    }
    if (p >= items.length || int(items, p) !== BigInt(p - start)) throw new BadPayload();
    p++;
    const del = (flags & FLAG_DELETED) !== 0;
    if (!del) valid++;
    entries.push({ id, fields, values, deleted: del });
  }
  if (entries.length === 0 || valid !== live || entries.length - valid !== deleted) throw new BadPayload();
  const bytes = lp.length - 7 - lpIntSize(live) - lpIntSize(deleted);
  return { node: { master, masterFields, entries, live, deleted, bytes }, live };
}

/** rdbLoadObject of RDB_TYPE_STREAM_LISTPACKS(_2,_3). Throws BadPayload. */
export function loadStream(r: RdbReader, version: 1 | 2 | 3): StreamValue {
  const s = new StreamValue();
  const nodes: StreamNode[] = [];
  let valid = 0;
  for (let n = r.len(); n > 0; n--) {
    const key = r.bytesObj();
    if (key.length !== 16) throw new BadPayload();
    const lp = r.bytesObj();
    const master = idFromBytes(key);
    if (nodes.length > 0 && cmpId(master, nodes[nodes.length - 1]!.master) <= 0) throw new BadPayload();
    const { node, live } = loadNode(master, lp);
    nodes.push(node);
    valid += live;
  }
  s.loadNodes(nodes);
  s.length = r.len();
  s.lastId = { ms: r.lenBig(), seq: r.lenBig() };
  if (version >= 2) {
    s.firstId = { ms: r.lenBig(), seq: r.lenBig() };
    s.maxDeletedId = { ms: r.lenBig(), seq: r.lenBig() };
    s.entriesAdded = r.lenBig();
  } else {
    s.entriesAdded = BigInt(s.length);
    s.firstId = s.length > 0 ? s.edgeId(true) : { ms: 0n, seq: 0n };
  }
  if (s.length !== valid) throw new BadPayload();
  for (let ng = r.len(); ng > 0; ng--) {
    const name = r.str();
    const lastId = { ms: r.lenBig(), seq: r.lenBig() };
    const entriesRead = version >= 2 ? BigInt.asIntN(64, r.lenBig()) : s.estimateDistance(lastId);
    const g = s.createGroup(name, lastId, entriesRead);
    if (g === undefined) throw new BadPayload();
    for (let np = r.len(); np > 0; np--) {
      const id = idFromBytes(r.take(16));
      const nack: Nack = { deliveryTime: Number(r.i64LE()), deliveryCount: r.lenBig(), consumer: null };
      if (!g.pel.tryInsert(id, nack)) throw new BadPayload();
    }
    for (let nc = r.len(); nc > 0; nc--) {
      const cname = r.str();
      if (g.consumers.has(cname)) throw new BadPayload();
      const seen = Number(r.i64LE());
      const c: Consumer = { name: cname, seenTime: seen, activeTime: version >= 3 ? Number(r.i64LE()) : seen, pel: new IdMap() };
      g.consumers.set(cname, c);
      for (let np = r.len(); np > 0; np--) {
        const id = idFromBytes(r.take(16));
        const nack = g.pel.get(id);
        // Not in the group's PEL, or already another consumer's (shared NACKs are not valid).
        if (nack === undefined || (nack.consumer !== null && nack.consumer !== c)) throw new BadPayload();
        nack.consumer = c;
        if (!c.pel.tryInsert(id, nack)) throw new BadPayload();
      }
    }
    // Every pending entry of the group got its consumer.
    for (const [, nack] of g.pel.entries()) if (nack.consumer === null) throw new BadPayload();
  }
  return s;
}
