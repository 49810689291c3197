/** Bitmap commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD (Valkey group "bitmap"), after bitops.c. */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { getLongLong, parseLongLong } from '../args.js';
import type { CommandGroup } from '../command.js';
import type { Context } from '../context.js';
import { Err } from '../errors.js';
import type { Entry } from '../keyspace/keyspace.js';
import { cEq, growRawString, maxBulkLen, zeros } from '../types/string.js';

const OFFSET_ERR = 'bit offset is not an integer or out of range';

/**
 * getBitOffsetFromArgument: a bit offset within proto-max-bulk-len bytes.
 * With `bits` > 0 (BITFIELD), "#n" means n × bits.
 */
function bitOffset(ctx: Context, arg: Bytes, bits = 0): number {
  const hash = bits > 0 && arg.charCodeAt(0) === 35;
  const v = parseLongLong(hash ? arg.slice(1) : arg);
  if (v === null) throw Err.generic(OFFSET_ERR);
  const off = hash ? BigInt.asIntN(64, v * BigInt(bits)) : v;
  if (off < 0n || off >> 3n >= BigInt(maxBulkLen(ctx))) throw Err.generic(OFFSET_ERR);
  return Number(off);
}

/**
 * lookupStringForBitCommand: the string entry at `key`, created or zero-padded
 * so that bit `maxbit` exists. The entry becomes 'raw' either way (Valkey
 * unshares it for writing). `grown` tells whether it was created or lengthened.
 */
function bitTarget(ctx: Context, key: Bytes, maxbit: number): { e: Entry; grown: boolean } {
  const need = Math.floor(maxbit / 8) + 1;
  const found = ctx.write(key, 'string');
  if (!found) return { e: ctx.db.set(key, 'string', zeros(need), ctx.now, { raw: true }), grown: true };
  const cur = found.value as Bytes;
  growRawString(found, Math.max(need, cur.length));
  if (cur.length >= need) return { e: found, grown: false };
  found.value = cur + zeros(need - cur.length);
  return { e: found, grown: true };
}

const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

function popcount(s: Bytes, from: number, to: number): number {
  let n = 0;
  for (let i = from; i <= to; i++) n += POPCOUNT[s.charCodeAt(i)]!;
  return n;
}

/** BIT or BYTE (strcasecmp); anything else is a syntax error. */
function bitOrByte(arg: Bytes): boolean {
  if (cEq(arg, 'bit')) return true;
  if (cEq(arg, 'byte')) return false;
  throw Err.syntax();
}

/**
 * Resolves a [start, end] range over a string of `strlen` bytes (in bits when
 * `isbit`) like BITCOUNT/BITPOS: negative indexes from the end, clamped.
 * Returns byte bounds and, in bit mode, the masks of the edge bytes' bits
 * outside the range.
 */
function resolveRange(strlen: number, start: bigint, end: bigint, isbit: boolean):
  { start: number; end: number; firstMask: number; lastMask: number } {
  const totlen = BigInt(isbit ? strlen * 8 : strlen);
  if (start < 0n) start += totlen;
  if (end < 0n) end += totlen;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= totlen) end = totlen - 1n;
  let firstMask = 0;
  let lastMask = 0;
  if (isbit && start <= end) {
    firstMask = ~((1 << (8 - Number(start & 7n))) - 1) & 0xff;
    lastMask = (1 << (7 - Number(end & 7n))) - 1;
    start >>= 3n;
    end >>= 3n;
  }
  // Both bounds now fit a double: |end| < strlen, and start is only compared with end.
  const s = start > end ? 1 : Number(start);
  const e = start > end ? 0 : Number(end);
  return { start: s, end: e, firstMask, lastMask };
}

function bitcount(ctx: Context, argv: readonly Bytes[]): Reply {
  const argc = argv.length;
  let start = 0n;
  let end = 0n;
  let isbit = false;
  if (argc >= 3 && argc <= 5) {
    start = getLongLong(argv[2]!);
    if (argc === 5) isbit = bitOrByte(argv[4]!);
    if (argc >= 4) end = getLongLong(argv[3]!);
  } else if (argc !== 2) {
    throw Err.syntax();
  }
  const e = ctx.read(argv[1]!, 'string');
  if (!e) return R.int(0);
  const s = e.value as Bytes;
  if (argc === 2) return R.int(popcount(s, 0, s.length - 1));
  if (argc < 4) end = BigInt(s.length - 1);
  if (start < 0n && end < 0n && start > end) return R.int(0);
  const r = resolveRange(s.length, start, end, isbit);
  if (r.start > r.end) return R.int(0);
  let count = popcount(s, r.start, r.end);
  if (r.firstMask) count -= POPCOUNT[s.charCodeAt(r.start) & r.firstMask]!;
  if (r.lastMask) count -= POPCOUNT[s.charCodeAt(r.end) & r.lastMask]!;
  return R.int(count);
}

function bitpos(ctx: Context, argv: readonly Bytes[]): Reply {
  const argc = argv.length;
  const bitArg = getLongLong(argv[2]!);
  if (bitArg !== 0n && bitArg !== 1n) throw Err.generic('The bit argument must be 1 or 0.');
  const bit = Number(bitArg);
  let start = 0n;
  let end = 0n;
  let isbit = false;
  let endGiven = false;
  if (argc >= 4 && argc <= 6) {
    start = getLongLong(argv[3]!);
    if (argc === 6) isbit = bitOrByte(argv[5]!);
    if (argc >= 5) {
      end = getLongLong(argv[4]!);
      endGiven = true;
    }
  } else if (argc !== 3) {
    throw Err.syntax();
  }
  const e = ctx.read(argv[1]!, 'string');
  if (!e) return R.int(bit ? -1 : 0);
  const s = e.value as Bytes;
  let r: { start: number; end: number; firstMask: number; lastMask: number };
  if (argc === 3) r = { start: 0, end: s.length - 1, firstMask: 0, lastMask: 0 };
  else {
    if (argc < 5) end = BigInt(s.length - 1);
    r = resolveRange(s.length, start, end, isbit);
  }
  if (r.start > r.end) return R.int(-1);
  // Scan the bytes of the range; bits outside it (edge masks) never match.
  for (let i = r.start; i <= r.end; i++) {
    let byte = s.charCodeAt(i);
    let outside = 0;
    if (i === r.start) outside |= r.firstMask;
    if (i === r.end) outside |= r.lastMask;
    if (bit) byte &= ~outside;
    else byte |= outside;
    const want = bit ? byte : ~byte & 0xff;
    if (want !== 0) return R.int(i * 8 + (Math.clz32(want) - 24));
  }
  if (bit) return R.int(-1);
  // No clear bit: past the range, unless the range was explicit.
  if (endGiven) return R.int(-1);
  return R.int((r.end + 1) * 8);
}

// --- BITOP ---

const enum Op { And, Or, Xor, Not }

function bitop(ctx: Context, argv: readonly Bytes[]): Reply {
  const name = argv[1]!;
  let op: Op;
  if (cEq(name, 'and')) op = Op.And;
  else if (cEq(name, 'or')) op = Op.Or;
  else if (cEq(name, 'xor')) op = Op.Xor;
  else if (cEq(name, 'not')) op = Op.Not;
  else throw Err.syntax();
  if (op === Op.Not && argv.length !== 4) throw Err.generic('BITOP NOT must be called with a single source key.');
  const dest = argv[2]!;
  const srcs: Bytes[] = [];
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const e = ctx.read(argv[j]!, 'string');
    const v = e ? (e.value as Bytes) : '';
    srcs.push(v);
    if (v.length > maxlen) maxlen = v.length;
  }
  if (maxlen === 0) {
    if (ctx.db.delete(dest)) ctx.wrote(dest, 'g', 'del');
    return R.int(0);
  }
  const res = Buffer.alloc(maxlen);
  const first = srcs[0]!;
  for (let k = 0; k < first.length; k++) res[k] = first.charCodeAt(k);
  if (op === Op.Not) {
    for (let k = 0; k < maxlen; k++) res[k] = ~res[k]! & 0xff;
  } else {
    for (let i = 1; i < srcs.length; i++) {
      const src = srcs[i]!;
      const n = src.length;
      if (op === Op.And) {
        for (let k = 0; k < maxlen; k++) res[k] = res[k]! & (k < n ? src.charCodeAt(k) : 0);
      } else if (op === Op.Or) {
        for (let k = 0; k < n; k++) res[k] = res[k]! | src.charCodeAt(k);
      } else {
        for (let k = 0; k < n; k++) res[k] = res[k]! ^ src.charCodeAt(k);
      }
    }
  }
  ctx.write(dest);
  ctx.db.set(dest, 'string', res.toString('latin1'), ctx.now, { raw: true });
  ctx.wrote(dest, '$', 'set');
  return R.int(maxlen);
}

// --- BITFIELD ---

const enum Overflow { Wrap, Sat, Fail }
const enum BfOp { Get, Set, Incrby }

interface BitfieldOp {
  offset: number;
  /** SET value or INCRBY increment (int64). */
  i64: bigint;
  op: BfOp;
  ow: Overflow;
  bits: number;
  signed: boolean;
}

const TYPE_ERR = 'Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

function bitfieldType(arg: Bytes): { signed: boolean; bits: number } {
  const c = arg.charCodeAt(0);
  let signed: boolean;
  if (c === 105) signed = true; // 'i'
  else if (c === 117) signed = false; // 'u'
  else throw Err.generic(TYPE_ERR);
  const n = parseLongLong(arg.slice(1));
  if (n === null || n < 1n || (signed && n > 64n) || (!signed && n > 63n)) throw Err.generic(TYPE_ERR);
  return { signed, bits: Number(n) };
}

/** Reads `bits` bits at bit `offset` as an unsigned integer; bytes past `len` read as zero. */
function getBits(buf: Buffer | Bytes, len: number, offset: number, bits: number): bigint {
  let v = 0n;
  const str = typeof buf === 'string';
  for (let j = 0; j < bits; j++, offset++) {
    const byte = Math.floor(offset / 8);
    let bit = 0;
    if (byte < len) {
      const bv = str ? (buf as string).charCodeAt(byte) : (buf as Buffer)[byte]!;
      bit = (bv >> (7 - (offset & 7))) & 1;
    }
    v = (v << 1n) | BigInt(bit);
  }
  return v;
}

function setBits(buf: Buffer, offset: number, bits: number, value: bigint): void {
  const u = BigInt.asUintN(64, value);
  for (let j = 0; j < bits; j++, offset++) {
    const bitval = Number((u >> BigInt(bits - 1 - j)) & 1n);
    const byte = Math.floor(offset / 8);
    const sh = 7 - (offset & 7);
    buf[byte] = (buf[byte]! & ~(1 << sh)) | (bitval << sh);
  }
}

function toSigned(u: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, u);
}

/** checkUnsignedBitfieldOverflow: [direction (0 = fits), limit value for WRAP/SAT]. */
function checkUnsigned(value: bigint, incr: bigint, bits: number, ow: Overflow): [number, bigint] {
  const max = (1n << BigInt(bits)) - 1n;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, -value);
  const wrap = (): bigint => BigInt.asUintN(64, value + incr) & max;
  if (value > max || (incr > 0n && incr > maxincr)) return [1, ow === Overflow.Wrap ? wrap() : max];
  if (incr < 0n && incr < minincr) return [-1, ow === Overflow.Wrap ? wrap() : 0n];
  return [0, 0n];
}

/** checkSignedBitfieldOverflow, with C's int64 wrap-around in the limit computations. */
function checkSigned(value: bigint, incr: bigint, bits: number, ow: Overflow): [number, bigint] {
  const max = (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, min - value);
  const wrap = (): bigint => BigInt.asIntN(bits, BigInt.asUintN(64, value + incr));
  if (value > max || (bits !== 64 && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) {
    return [1, ow === Overflow.Wrap ? wrap() : max];
  }
  if (value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) {
    return [-1, ow === Overflow.Wrap ? wrap() : min];
  }
  return [0, 0n];
}

function bitfield(ctx: Context, argv: readonly Bytes[], readonlyCmd: boolean): Reply {
  const ops: BitfieldOp[] = [];
  let ow = Overflow.Wrap;
  let readonly = true;
  let highest = 0;
  const argc = argv.length;
  for (let j = 2; j < argc; j++) {
    const rem = argc - j - 1;
    const sub = argv[j]!;
    let op: BfOp;
    if (cEq(sub, 'get') && rem >= 2) op = BfOp.Get;
    else if (cEq(sub, 'set') && rem >= 3) op = BfOp.Set;
    else if (cEq(sub, 'incrby') && rem >= 3) op = BfOp.Incrby;
    else if (cEq(sub, 'overflow') && rem >= 1) {
      const t = argv[++j]!;
      if (cEq(t, 'wrap')) ow = Overflow.Wrap;
      else if (cEq(t, 'sat')) ow = Overflow.Sat;
      else if (cEq(t, 'fail')) ow = Overflow.Fail;
      else throw Err.generic('Invalid OVERFLOW type specified');
      continue;
    } else throw Err.syntax();
    const { signed, bits } = bitfieldType(argv[j + 1]!);
    const offset = bitOffset(ctx, argv[j + 2]!, bits);
    let i64 = 0n;
    if (op !== BfOp.Get) {
      readonly = false;
      if (highest < offset + bits - 1) highest = offset + bits - 1;
      i64 = getLongLong(argv[j + 3]!);
    }
    ops.push({ offset, i64, op, ow, bits, signed });
    j += op === BfOp.Get ? 2 : 3;
  }

  const key = argv[1]!;
  if (readonly) {
    const e = ctx.read(key, 'string');
    const s = e ? (e.value as Bytes) : '';
    return R.array(ops.map((o) => {
      const u = getBits(s, s.length, o.offset, o.bits);
      return R.int(o.signed ? toSigned(u, o.bits) : u);
    }));
  }
  if (readonlyCmd) throw Err.generic('BITFIELD_RO only supports the GET subcommand');

  const { e, grown } = bitTarget(ctx, key, highest);
  const buf = Buffer.from(e.value as Bytes, 'latin1');
  let changes = 0;
  const out: Reply[] = [];
  for (const o of ops) {
    if (o.op === BfOp.Get) {
      const u = getBits(buf, buf.length, o.offset, o.bits);
      out.push(R.int(o.signed ? toSigned(u, o.bits) : u));
      continue;
    }
    let oldval: bigint;
    let newval: bigint;
    let retval: bigint;
    let overflow: number;
    let limit: bigint;
    if (o.signed) {
      oldval = toSigned(getBits(buf, buf.length, o.offset, o.bits), o.bits);
      if (o.op === BfOp.Incrby) {
        [overflow, limit] = checkSigned(oldval, o.i64, o.bits, o.ow);
        newval = overflow ? limit : oldval + o.i64;
        retval = newval;
      } else {
        newval = o.i64;
        [overflow, limit] = checkSigned(newval, 0n, o.bits, o.ow);
        if (overflow) newval = limit;
        retval = oldval;
      }
    } else {
      oldval = getBits(buf, buf.length, o.offset, o.bits);
      if (o.op === BfOp.Incrby) {
        [overflow, limit] = checkUnsigned(oldval, o.i64, o.bits, o.ow);
        newval = overflow ? limit : BigInt.asUintN(64, oldval + o.i64);
        retval = newval;
      } else {
        newval = BigInt.asUintN(64, o.i64);
        [overflow, limit] = checkUnsigned(newval, 0n, o.bits, o.ow);
        if (overflow) newval = limit;
        retval = oldval;
      }
    }
    if (overflow && o.ow === Overflow.Fail) {
      out.push(R.null);
      continue;
    }
    out.push(R.int(retval));
    setBits(buf, o.offset, o.bits, newval);
    if (grown || oldval !== newval) changes++;
  }
  e.value = buf.toString('latin1');
  if (changes) {
    ctx.modified(key);
    ctx.notify('$', 'setbit', key);
    ctx.dirty(changes);
  }
  return R.array(out);
}

export const bitmapCommands: CommandGroup = {
  setbit(ctx, argv) {
    const key = argv[1]!;
    const offset = bitOffset(ctx, argv[2]!);
    const on = parseLongLong(argv[3]!);
    const err = 'bit is not an integer or out of range';
    if (on === null || (on !== 0n && on !== 1n)) throw Err.generic(err);
    const { e, grown } = bitTarget(ctx, key, offset);
    const s = e.value as Bytes;
    const byte = Math.floor(offset / 8);
    const sh = 7 - (offset % 8);
    const cur = s.charCodeAt(byte);
    const old = (cur >> sh) & 1;
    if (grown || old !== Number(on)) {
      const next = (cur & ~(1 << sh)) | (Number(on) << sh);
      e.value = s.slice(0, byte) + String.fromCharCode(next) + s.slice(byte + 1);
      ctx.wrote(key, '$', 'setbit');
    }
    return R.int(old);
  },

  getbit(ctx, argv) {
    const offset = bitOffset(ctx, argv[2]!);
    const e = ctx.read(argv[1]!, 'string');
    if (!e) return R.int(0);
    const s = e.value as Bytes;
    const byte = Math.floor(offset / 8);
    if (byte >= s.length) return R.int(0);
    return R.int((s.charCodeAt(byte) >> (7 - (offset % 8))) & 1);
  },

  bitcount: bitcount,
  bitpos: bitpos,
  bitop: bitop,

  bitfield(ctx, argv) {
    return bitfield(ctx, argv, false);
  },

  bitfield_ro(ctx, argv) {
    return bitfield(ctx, argv, true);
  },
};
