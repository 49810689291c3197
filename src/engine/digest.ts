/**
 * DEBUG DIGEST and DIGEST-VALUE (debug.c xorObjectDigest,
 * computeDatasetDigest): a SHA1-based signature of the data that ignores the
 * order of unordered things. Elements of sets, hashes, sorted sets and the
 * keys of a database are xor-ed together; lists and streams, whose order
 * matters, are "mixed" (digest = SHA1(digest xor SHA1(data))). Sorted-set
 * scores go in as fpconv_dtoa writes them, integers as decimal strings, and a
 * key with an expiry xors in "!!expire!!" (the time itself does not count).
 */
import { createHash } from 'node:crypto';
import { formatDouble, type Bytes } from '../protocol/index.js';
import type { Entry, Keyspace } from './keyspace/keyspace.js';
import type { HashValue } from './types/hash.js';
import type { ListValue } from './types/list.js';
import type { SetValue } from './types/set.js';
import type { StreamValue } from './types/stream.js';
import type { ZSet } from './types/zset.js';

/** server.h OBJ_* type numbers, as the digest hashes them. */
const OBJ_TYPE = { string: 0, list: 1, set: 2, zset: 3, hash: 4, stream: 6 } as const;

type Digest = Uint8Array;

function sha1(data: Uint8Array): Uint8Array {
  return createHash('sha1').update(data).digest();
}

function bytesOf(s: Bytes): Uint8Array {
  return Buffer.from(s, 'latin1');
}

/** xorDigest: digest ^= SHA1(data). */
function xorDigest(d: Digest, data: Uint8Array): void {
  const h = sha1(data);
  for (let i = 0; i < 20; i++) d[i]! ^= h[i]!;
}

/** mixDigest: digest = SHA1(digest ^ SHA1(data)). */
function mixDigest(d: Digest, data: Uint8Array): void {
  xorDigest(d, data);
  d.set(sha1(d));
}

function u32BE(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0);
  return b;
}

/** An element pair (field/value, member/score) digested on its own, then xor-ed in (as a SHA1 of that digest). */
function xorPair(d: Digest, a: Bytes, b: Bytes): void {
  const e = new Uint8Array(20);
  mixDigest(e, bytesOf(a));
  mixDigest(e, bytesOf(b));
  xorDigest(d, e);
}

/** xorObjectDigest: mixes the value of `e` (and whether it expires) into `d`. */
function objectDigest(d: Digest, e: Entry, now: number): void {
  mixDigest(d, u32BE(OBJ_TYPE[e.type]));
  switch (e.type) {
    case 'string':
      mixDigest(d, bytesOf(e.value as Bytes));
      break;
    case 'list':
      for (const v of (e.value as ListValue).toArray()) mixDigest(d, bytesOf(v));
      break;
    case 'set':
      for (const m of (e.value as SetValue).members()) xorDigest(d, bytesOf(m));
      break;
    case 'zset':
      for (let n = (e.value as ZSet).first(); n !== null; n = n.next[0]!) xorPair(d, n.member, formatDouble(n.score));
      break;
    case 'hash':
      (e.value as HashValue).forEachLive(now, (f, v) => xorPair(d, f, v));
      break;
    case 'stream':
      for (const en of (e.value as StreamValue).range()) {
        mixDigest(d, bytesOf(`${en.id.ms}.${en.id.seq}`));
        for (let i = 0; i < en.fields.length; i++) {
          mixDigest(d, bytesOf(en.fields[i]!));
          mixDigest(d, bytesOf(en.values[i]!));
        }
      }
      break;
  }
  if (e.expireAt !== 0) xorDigest(d, bytesOf('!!expire!!'));
}

function hex(d: Digest): string {
  return Buffer.from(d).toString('hex');
}

/** DEBUG DIGEST-VALUE of one key: 40 zeros when there is no such entry. */
export function valueDigest(e: Entry | undefined, now: number): string {
  const d = new Uint8Array(20);
  if (e !== undefined) objectDigest(d, e, now);
  return hex(d);
}

/**
 * computeDatasetDigest: for every non-empty database its number is mixed in,
 * then the digest of each key and value is xor-ed in. Keys are taken as
 * stored, logically expired ones included (as Valkey's iteration does).
 */
export function datasetDigest(dbs: readonly Keyspace[], now: number): string {
  const final = new Uint8Array(20);
  for (const db of dbs) {
    if (db.size === 0) continue;
    mixDigest(final, u32BE(db.id));
    for (const key of db.keys()) {
      const e = db.peek(key);
      if (e === undefined) continue;
      const d = new Uint8Array(20);
      mixDigest(d, bytesOf(key));
      objectDigest(d, e, now);
      xorDigest(final, d);
    }
  }
  return hex(final);
}
