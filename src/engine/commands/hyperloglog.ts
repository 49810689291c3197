/** HyperLogLog commands (Valkey group "hyperloglog"), after hyperloglog.c. */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import type { CommandGroup } from '../command.js';
import type { Context } from '../context.js';
import { Err, cTrunc } from '../errors.js';
import type { Entry } from '../keyspace/keyspace.js';
import {
  HLL_DENSE, HLL_REGISTERS, HLL_SPARSE, Hll, cachedCardinality, decodeSparse, denseCompress, denseGet,
  denseGetFromBytes, denseSet, denseSetRegister, estimate, hllAdd, hllPatLen, isValidHll, mergeInto, rawHistogram,
  registerHistogram, sparseSet, sparseToDense, withCachedCardinality,
} from '../types/hyperloglog.js';
import { cEq } from '../types/string.js';

const notHll = () => Err.raw('WRONGTYPE Key is not a valid HyperLogLog string value.');
const corrupt = () => Err.raw('INVALIDOBJ Corrupted HLL object detected');

/** isHLLObjectOrReply after a typed lookup: the string must hold a valid HLL. */
function checkHll(e: Entry): Bytes {
  const v = e.value as Bytes;
  if (!isValidHll(v)) throw notHll();
  return v;
}

function maxSparseBytes(ctx: Context): number {
  return ctx.engine.config.getInt('hll-sparse-max-bytes');
}

/** A uint64 reply written with addReplyLongLong (so 2^63 and above read negative). */
function longLong(card: bigint): Reply {
  const v = BigInt.asIntN(64, card);
  return R.int(v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v);
}

/** PFADD key [element ...] */
function pfadd(ctx: Context, argv: readonly Bytes[]): Reply {
  const key = argv[1]!;
  let e = ctx.write(key, 'string');
  let updated = 0;
  let h: Hll;
  let from = 2;
  if (e === undefined) {
    h = Hll.empty();
    e = ctx.db.set(key, 'string', h.toBytes(), ctx.now, { raw: true });
    updated++;
  } else {
    const v = checkHll(e);
    e.raw = true; // dbUnshareStringValue
    if (v.charCodeAt(4) === HLL_DENSE) {
      // Fast path: elements that change no register leave the value as it is.
      while (from < argv.length) {
        const pl = hllPatLen(argv[from]!);
        const index = pl & (HLL_REGISTERS - 1);
        if ((pl - index) / HLL_REGISTERS > denseGetFromBytes(v, index)) break;
        from++;
      }
      if (from === argv.length) return R.int(0);
    }
    h = Hll.from(v);
  }
  const maxBytes = maxSparseBytes(ctx);
  for (let j = from; j < argv.length; j++) {
    const r = hllAdd(h, argv[j]!, maxBytes);
    if (r === 1) updated++;
    else if (r === -1) {
      e.value = h.toBytes(); // the registers set before the corrupt part stay set
      throw corrupt();
    }
  }
  if (updated) {
    h.invalidateCache();
    e.value = h.toBytes();
    ctx.modified(key);
    ctx.notify('$', 'pfadd', key);
    ctx.dirty(updated);
  }
  return updated ? R.int(1) : R.int(0);
}

/** PFCOUNT key [key ...] */
function pfcount(ctx: Context, argv: readonly Bytes[]): Reply {
  if (argv.length > 2) {
    // The cardinality of the union; no key is modified.
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < argv.length; j++) {
      const e = ctx.read(argv[j]!, 'string');
      if (e === undefined) continue;
      if (!mergeInto(max, checkHll(e))) throw corrupt();
    }
    const histo = new Int32Array(64);
    rawHistogram(max, histo);
    return longLong(estimate(histo));
  }
  const key = argv[1]!;
  const e = ctx.read(key, 'string');
  if (e === undefined) return R.int(0);
  const v = checkHll(e);
  e.raw = true; // dbUnshareStringValue
  const cached = cachedCardinality(v);
  if (cached !== undefined) return R.int(cached);
  const histo = new Int32Array(64);
  if (!registerHistogram(v, histo)) throw corrupt();
  const card = estimate(histo);
  // The cache is part of the value: a read that writes.
  e.value = withCachedCardinality(v, card);
  ctx.modified(key);
  ctx.dirty();
  return longLong(card);
}

/** PFMERGE destkey [sourcekey ...]: the destination is one of the inputs. */
function pfmerge(ctx: Context, argv: readonly Bytes[]): Reply {
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  for (let j = 1; j < argv.length; j++) {
    const e = ctx.read(argv[j]!, 'string');
    if (e === undefined) continue;
    const v = checkHll(e);
    if (v.charCodeAt(4) === HLL_DENSE) useDense = true;
    if (!mergeInto(max, v)) throw corrupt();
  }
  const key = argv[1]!;
  let e = ctx.write(key);
  let h: Hll;
  if (e === undefined) {
    h = Hll.empty();
    e = ctx.db.set(key, 'string', h.toBytes(), ctx.now, { raw: true });
  } else {
    h = Hll.from(e.value as Bytes);
    e.raw = true;
  }
  if (useDense) {
    if (!sparseToDense(h)) throw corrupt(); // unreachable: the destination was validated as a source
    denseCompress(h.buf, max);
  } else {
    const maxBytes = maxSparseBytes(ctx);
    for (let j = 0; j < HLL_REGISTERS; j++) {
      const m = max[j]!;
      if (m === 0) continue;
      if (h.encoding === HLL_DENSE) denseSet(h.buf, j, m);
      else sparseSet(h, j, m, maxBytes);
    }
  }
  h.invalidateCache();
  e.value = h.toBytes();
  ctx.modified(key);
  // A merge is a mass add: Valkey fires 'pfadd' for it.
  ctx.notify('$', 'pfadd', key);
  ctx.dirty();
  return R.ok;
}

/** PFDEBUG SIMD's switch, per engine: Valkey reports "enabled" on AVX2/NEON machines until turned off. */

/** PFDEBUG <GETREG|DECODE|ENCODING|TODENSE> key, PFDEBUG SIMD <ON|OFF> */
function pfdebug(ctx: Context, argv: readonly Bytes[]): Reply {
  const cmd = argv[1]!;
  if (cEq(cmd, 'simd')) {
    const arg = argv[2]!;
    if (cEq(arg, 'on')) ctx.engine.debugFlags.hllSimd = true;
    else if (cEq(arg, 'off')) ctx.engine.debugFlags.hllSimd = false;
    // Valkey sends the error and then the status as well: two replies.
    else ctx.client.sink.deliver(R.error('ERR Argument must be ON or OFF'));
    return R.simple(ctx.engine.debugFlags.hllSimd ? 'enabled' : 'disabled');
  }
  const key = argv[2]!;
  const e = ctx.write(key, 'string');
  if (e === undefined) throw Err.generic('The specified key does not exist');
  const v = checkHll(e);
  e.raw = true;
  if (cEq(cmd, 'getreg')) {
    const h = Hll.from(v);
    if (h.encoding === HLL_SPARSE) {
      if (!sparseToDense(h)) throw corrupt();
      e.value = h.toBytes();
      ctx.dirty();
    }
    const regs: Reply[] = new Array<Reply>(HLL_REGISTERS);
    for (let j = 0; j < HLL_REGISTERS; j++) regs[j] = R.int(denseGet(h.buf, j));
    return R.array(regs);
  }
  if (cEq(cmd, 'decode')) {
    if (v.charCodeAt(4) !== HLL_SPARSE) throw Err.generic('HLL encoding is not sparse');
    return R.bulk(decodeSparse(v));
  }
  if (cEq(cmd, 'encoding')) return R.simple(v.charCodeAt(4) === HLL_DENSE ? 'dense' : 'sparse');
  if (cEq(cmd, 'todense')) {
    if (v.charCodeAt(4) !== HLL_SPARSE) return R.int(0);
    const h = Hll.from(v);
    if (!sparseToDense(h)) throw corrupt();
    e.value = h.toBytes();
    ctx.dirty();
    return R.int(1);
  }
  throw Err.generic(`Unknown PFDEBUG subcommand '${cTrunc(cmd, Infinity)}'`);
}

/**
 * PFSELFTEST: Valkey's register and estimator self-test, on a smaller scale
 * (Valkey runs 10 million additions); it answers +OK unless the
 * implementation is broken.
 */
function pfselftest(ctx: Context): Reply {
  const rng = ctx.engine.rng;
  const dense = Hll.from('HYLL\0' + '\0'.repeat(11 + (HLL_REGISTERS * 6) / 8));
  const expected = new Uint8Array(HLL_REGISTERS);
  for (let cycle = 0; cycle < 10; cycle++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = rng.int(64);
      expected[i] = r;
      denseSetRegister(dense.buf, i, r);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const got = denseGet(dense.buf, i);
      if (got !== expected[i]) return R.error(`TESTFAILED Register ${i} should be ${expected[i]} but is ${got}`);
    }
  }
  dense.buf.fill(0, 16);
  const sparse = Hll.empty();
  const maxBytes = maxSparseBytes(ctx);
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  const seed = rng.int(0x100000000);
  let checkpoint = 1;
  for (let j = 1; j <= 100_000; j++) {
    const ele = String(j ^ seed);
    hllAdd(dense, ele, maxBytes);
    hllAdd(sparse, ele, maxBytes);
    if (j !== checkpoint) continue;
    if (j < maxBytes / 2 && sparse.encoding !== HLL_SPARSE) return R.error('TESTFAILED sparse encoding not used');
    const cd = count(dense);
    if (cd !== count(sparse)) return R.error('TESTFAILED dense/sparse disagree');
    const abserr = Math.abs(checkpoint - cd);
    const maxerr = j === 10 ? 1 : Math.ceil(relerr * 6 * checkpoint);
    if (abserr > maxerr) return R.error(`TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`);
    checkpoint *= 10;
  }
  return R.ok;
}

function count(h: Hll): number {
  const histo = new Int32Array(64);
  registerHistogram(h.toBytes(), histo);
  return Number(estimate(histo));
}

export const hyperloglogCommands: CommandGroup = {
  pfadd,
  pfcount,
  pfmerge,
  pfdebug,
  pfselftest,
};
