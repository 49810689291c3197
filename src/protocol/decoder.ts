/**
 * Streaming request decoder: multibulk (`*N\r\n$L\r\n...`) and inline
 * commands, as Valkey's networking.c parses a client's query buffer
 * (parseMultibulk / parseInlineBuffer). Feed it chunks in any split; it yields
 * complete argument vectors in order, or the protocol error Valkey would send
 * before closing the connection.
 *
 * Requests are decoded lazily, one per `next()` call, so limits that depend
 * on the connection's state (authentication, proto-max-bulk-len) apply as of
 * the moment the previous request has been executed, as in Valkey.
 *
 * Buffering is linear in the bytes received, whatever the chunking: a bulk
 * payload's chunks are collected and joined once when complete, other pending
 * bytes go to a buffer that grows by doubling, and a line terminator is
 * searched for only in bytes not searched before.
 */
import type { Bytes } from './reply.js';

/** Valkey's PROTO_INLINE_MAX_SIZE. */
export const INLINE_MAX_SIZE = 64 * 1024;
const INT_MAX = 2147483647;
/** The smallest proto-max-bulk-len CONFIG SET accepts: shorter bulks need no limit lookup. */
const MIN_MAX_BULK_LEN = 1024 * 1024;
/** Bulk length limit before AUTH, and multibulk count limit before AUTH. */
const UNAUTH_BULK_LEN = 16384;
const UNAUTH_MULTIBULK_LEN = 10;

export type DecodeResult = { argv: Bytes[] } | { error: string } | null;

export interface DecoderLimits {
  /** proto-max-bulk-len; read on each bulk header longer than 1MB so CONFIG SET applies at once. */
  maxBulkLen(): number;
  /** True while the connection still has to authenticate (tighter limits apply). */
  authRequired(): boolean;
}

const DEFAULT_LIMITS: DecoderLimits = { maxBulkLen: () => 512 * 1024 * 1024, authRequired: () => false };

const CR = 13;
const LF = 10;
const STAR = 0x2a;
const DOLLAR = 0x24;
const EMPTY = Buffer.alloc(0);
const SKIP = 1;

/**
 * buf[from, to) as a latin1 string: one call per argument, on the hot path.
 * Short strings are built in JS (cheaper than a call into the runtime);
 * longer ones use Node's Buffer#latin1Slice (what toString('latin1') calls
 * after checking its arguments) when present.
 */
type Latin1Sliceable = Buffer & { latin1Slice?: (from: number, to: number) => string };
const nativeSlice: (buf: Buffer, from: number, to: number) => string =
  typeof (Buffer.prototype as Latin1Sliceable).latin1Slice === 'function'
    ? (buf, from, to) => (buf as Latin1Sliceable).latin1Slice!(from, to)
    : (buf, from, to) => buf.toString('latin1', from, to);

function latin1Slice(b: Buffer, o: number, end: number): string {
  switch (end - o) {
    case 0: return '';
    case 1: return String.fromCharCode(b[o]!);
    case 2: return String.fromCharCode(b[o]!, b[o + 1]!);
    case 3: return String.fromCharCode(b[o]!, b[o + 1]!, b[o + 2]!);
    case 4: return String.fromCharCode(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!);
    case 5: return String.fromCharCode(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!);
    case 6: return String.fromCharCode(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!, b[o + 5]!);
    case 7: return String.fromCharCode(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!, b[o + 5]!, b[o + 6]!);
    case 8: return String.fromCharCode(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!, b[o + 5]!, b[o + 6]!, b[o + 7]!);
    default: return nativeSlice(b, o, end);
  }
}

export class RequestDecoder {
  /** Pending bytes are buf[pos, end), then the chunks in `parts`. */
  private buf: Buffer = EMPTY;
  private pos = 0;
  private end = 0;
  /** Whether buf is our own allocation, so bytes may be appended in place after `end`. */
  private owned = false;
  /** Chunks received while a bulk payload is incomplete; joined once it is complete. */
  private parts: Buffer[] = [];
  private partsLen = 0;
  /** Bytes after `pos` already searched for the current line's terminator. */
  private scanned = 0;
  /** Remaining bulks of the multibulk being read; 0 when between requests. */
  private multibulk = 0;
  /** Length of the bulk whose payload is awaited, or -1 when its header comes next. */
  private bulkLen = -1;
  private args: Bytes[] = [];
  private failed = false;
  /**
   * An inline request with a NUL byte before its newline never completes:
   * Valkey finds the newline with strchr, which stops at the NUL. Only the
   * "too big inline request" error can end it.
   */
  private inlineStuck = false;

  constructor(private readonly limits: DecoderLimits = DEFAULT_LIMITS) {}

  /** Append a chunk read from the socket. The decoder may keep a reference to it. */
  push(chunk: Buffer): void {
    const n = chunk.length;
    if (n === 0 || this.failed) return;
    if (this.pos === this.end && this.partsLen === 0) {
      this.buf = chunk;
      this.pos = 0;
      this.end = n;
      this.owned = false;
      return;
    }
    if (this.multibulk > 0 && this.bulkLen >= 0) {
      // Awaiting a bulk payload: collect, join once when complete.
      this.parts.push(chunk);
      this.partsLen += n;
      return;
    }
    this.append(chunk);
  }

  /** Bytes received but not yet consumed by a request. */
  get pending(): number {
    return this.end - this.pos + this.partsLen;
  }

  /**
   * The next complete request, a protocol error (after which the decoder
   * yields nothing more), or null when more input is needed.
   */
  next(): DecodeResult {
    if (this.failed) return null;
    for (;;) {
      let r: DecodeResult | typeof SKIP;
      if (this.multibulk > 0) r = this.readBulks();
      else if (this.pos === this.end) return null;
      else if (this.buf[this.pos] === STAR) r = this.multibulkHeader();
      else r = this.inline();
      if (r !== SKIP) return r;
    }
  }

  private fail(message: string): DecodeResult {
    this.failed = true;
    // Release the buffered bytes: nothing more is decoded.
    this.buf = EMPTY;
    this.pos = this.end = 0;
    this.parts = [];
    this.partsLen = 0;
    this.args = [];
    return { error: 'ERR Protocol error: ' + message };
  }

  /** Copies a chunk after the pending bytes, growing (and compacting) the buffer by doubling. */
  private append(chunk: Buffer): void {
    const n = chunk.length;
    if (this.owned && this.buf.length - this.end >= n) {
      chunk.copy(this.buf, this.end);
      this.end += n;
      return;
    }
    const have = this.end - this.pos;
    const next = Buffer.allocUnsafe(Math.max(2 * (have + n), 16 * 1024));
    this.buf.copy(next, 0, this.pos, this.end);
    chunk.copy(next, have);
    this.buf = next;
    this.pos = 0;
    this.end = have + n;
    this.owned = true;
  }

  /** Moves every collected chunk into buf (one copy of the pending bytes). */
  private join(): void {
    const parts = this.parts;
    parts.unshift(this.buf.subarray(this.pos, this.end));
    const total = this.end - this.pos + this.partsLen;
    this.buf = Buffer.concat(parts, total);
    this.pos = 0;
    this.end = total;
    this.owned = false;
    this.parts = [];
    this.partsLen = 0;
  }

  /** Index of the first `byte` at or after pos, searching only bytes not searched before; -1 if none yet. */
  private find(byte: number): number {
    const from = this.pos + this.scanned;
    const end = this.end;
    let i = -1;
    if (from < end) {
      // Past `end` an owned buffer holds stale bytes: search a view that stops at `end`.
      if (end === this.buf.length) i = this.buf.indexOf(byte, from);
      else {
        i = this.buf.subarray(from, end).indexOf(byte);
        if (i >= 0) i += from;
      }
    }
    this.scanned = i < 0 ? this.end - this.pos : i - this.pos;
    return i;
  }

  private consume(to: number): void {
    this.pos = to;
    this.scanned = 0;
  }

  /** parseInlineBuffer: one line, split by sdssplitargs rules. */
  private inline(): DecodeResult | typeof SKIP {
    const nl = this.inlineStuck ? -1 : this.find(LF);
    if (nl < 0) {
      if (this.end - this.pos > INLINE_MAX_SIZE) return this.fail('too big inline request');
      return null;
    }
    const buf = this.buf;
    const start = this.pos;
    for (let i = start; i < nl; i++) {
      if (buf[i] === 0) {
        this.inlineStuck = true;
        return this.inline();
      }
    }
    const lineEnd = nl > start && buf[nl - 1] === CR ? nl - 1 : nl;
    const argv = splitArgs(buf, start, lineEnd);
    if (argv === null) return this.fail('unbalanced quotes in request');
    this.consume(nl + 1);
    return argv.length === 0 ? SKIP : { argv };
  }

  /** The `*N\r\n` line of a multibulk request. */
  private multibulkHeader(): DecodeResult | typeof SKIP {
    const buf = this.buf;
    const pos = this.pos;
    let n: number | null;
    let next: number;
    // Fast path: `*<digits>\r\n` entirely in the buffer.
    const fast = scanSmallInt(buf, pos + 1, this.end);
    if (fast >= 0) {
      n = fastValue;
      next = fast;
    } else {
      const cr = this.find(CR);
      if (cr < 0) {
        if (this.end - pos > INLINE_MAX_SIZE) return this.fail('too big mbulk count string');
        return null;
      }
      if (cr + 1 >= this.end) return null;
      if (buf[cr + 1] !== LF) return this.fail('invalid CRLF in request');
      n = string2ll(buf, pos + 1, cr);
      next = cr + 2;
    }
    if (n === null || n > INT_MAX) return this.fail('invalid multibulk length');
    if (n > UNAUTH_MULTIBULK_LEN && this.limits.authRequired()) return this.fail('unauthenticated multibulk length');
    this.consume(next);
    if (n <= 0) return SKIP; // `*0`, `*-1`: nothing to run
    this.multibulk = n;
    this.bulkLen = -1;
    this.args = [];
    return this.readBulks();
  }

  /** The bulks of the multibulk request being read. */
  private readBulks(): DecodeResult | typeof SKIP {
    while (this.multibulk > 0) {
      if (this.bulkLen < 0) {
        const r = this.bulkHeader();
        if (r !== SKIP) return r;
      }
      const need = this.bulkLen + 2;
      if (this.end - this.pos < need) {
        if (this.end - this.pos + this.partsLen < need) return null;
        this.join();
      }
      const buf = this.buf;
      const at = this.pos + this.bulkLen;
      if (buf[at] !== CR || buf[at + 1] !== LF) return this.fail('invalid CRLF in request');
      this.args.push(latin1Slice(buf, this.pos, at));
      this.consume(at + 2);
      this.bulkLen = -1;
      this.multibulk--;
    }
    const argv = this.args;
    this.args = [];
    return { argv };
  }

  /** A `$L\r\n` line; SKIP when read (bulkLen is set), else null or an error. */
  private bulkHeader(): DecodeResult | typeof SKIP {
    if (this.partsLen > 0) this.join();
    const buf = this.buf;
    const pos = this.pos;
    let len: number | null;
    let next: number;
    const fast = buf[pos] === DOLLAR ? scanSmallInt(buf, pos + 1, this.end) : -1;
    if (fast >= 0) {
      len = fastValue;
      next = fast;
    } else {
      const cr = this.find(CR);
      if (cr < 0) {
        if (this.end - pos > INLINE_MAX_SIZE) return this.fail('too big bulk count string');
        return null;
      }
      if (cr + 1 >= this.end) return null;
      const c = buf[pos]!;
      if (c !== DOLLAR) {
        // Valkey's error reply turns CR and LF into spaces.
        return this.fail(`expected '$', got '${c === CR || c === LF ? ' ' : String.fromCharCode(c)}'`);
      }
      if (buf[cr + 1] !== LF) return this.fail('invalid CRLF in request');
      len = string2ll(buf, pos + 1, cr);
      next = cr + 2;
    }
    if (len === null || len < 0 || (len > MIN_MAX_BULK_LEN && len > this.limits.maxBulkLen())) {
      return this.fail('invalid bulk length');
    }
    if (len > UNAUTH_BULK_LEN && this.limits.authRequired()) return this.fail('unauthenticated bulk length');
    this.consume(next);
    this.bulkLen = len;
    return SKIP;
  }
}

/** The value found by the last successful scanSmallInt(). */
let fastValue = 0;

/**
 * Fast path for a header number: a canonical non-negative integer of at most
 * 15 digits directly followed by CRLF, all within [start, end). Returns the
 * index after the CRLF (the value in `fastValue`), or -1 for anything else
 * (left to the exact, slower path).
 */
function scanSmallInt(buf: Buffer, start: number, end: number): number {
  let i = start;
  let v = 0;
  const limit = Math.min(end, start + 15);
  while (i < limit) {
    const c = buf[i]! - 0x30;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
    i++;
  }
  const digits = i - start;
  if (digits === 0 || (digits > 1 && buf[start] === 0x30)) return -1;
  if (i + 1 >= end || buf[i] !== CR || buf[i + 1] !== LF) return -1;
  fastValue = v;
  return i + 2;
}

const LLONG_MAX_DIGITS = '9223372036854775807';
const LLONG_MIN_DIGITS = '9223372036854775808';

/**
 * Valkey's string2ll over buf[start, end): an optional '-', then digits with
 * no leading zero (or exactly "0"), nothing else (no '+', no spaces), at most
 * 20 bytes, within the int64 range. Returns null when invalid. Values beyond
 * 2^53 come back rounded, which no caller can tell apart (they exceed every
 * limit but a proto-max-bulk-len of the same magnitude).
 */
export function string2ll(buf: Uint8Array, start: number, end: number): number | null {
  const len = end - start;
  if (len <= 0 || len >= 21) return null;
  let i = start;
  if (len === 1) {
    const c = buf[i]! - 0x30;
    return c >= 0 && c <= 9 ? c : null;
  }
  const neg = buf[i] === 0x2d;
  if (neg) i++;
  const first = buf[i]! - 0x30;
  if (first < 1 || first > 9) return null;
  let v = 0;
  for (let j = i; j < end; j++) {
    const c = buf[j]! - 0x30;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  const digits = end - i;
  if (digits >= 16) {
    // Beyond 2^53: check the int64 range on the digits, round the value once.
    if (digits > 19) return null;
    let s = '';
    for (let j = i; j < end; j++) s += String.fromCharCode(buf[j]!);
    if (digits === 19 && s > (neg ? LLONG_MIN_DIGITS : LLONG_MAX_DIGITS)) return null;
    v = Number(s);
  }
  return neg ? -v : v;
}

/** C isspace() in the C locale. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

const BACKSLASH = 0x5c;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
/** A byte sdssplitargs never keeps (see splitArgs). */
const DROPPED = 0xff;

/**
 * Splits an inline request line buf[start, end) as Valkey's sdsnsplitargs
 * does. Blanks (isspace) separate arguments; within an argument, "double
 * quotes" take \xHH and \n \r \t \b \a escapes (any other escaped byte stands
 * for itself) and 'single quotes' take \'. A closing quote does not end the
 * argument: `"foo"bar` is `foobar`. An escape needs a byte after it on the
 * line, so `"abc\"` at the end of the line is `abc\`. A 0xff byte, raw or
 * escaped by a backslash, is dropped (Valkey reads it as a signed char, -1, its
 * "no character" marker); `\xff` gives one. A NUL byte ends the line.
 * Returns null on unbalanced quotes.
 */
export function splitArgs(buf: Uint8Array, start: number, end: number): Bytes[] | null {
  const out: Bytes[] = [];
  let p = start;
  for (;;) {
    while (p < end && buf[p] !== 0 && isSpace(buf[p]!)) p++;
    if (p >= end || buf[p] === 0) return out;
    let inq = false;
    let insq = false;
    let cur = '';
    for (;;) {
      const c = buf[p]!; // p < end here
      if (inq) {
        if (c === 0) return null;
        if (c === BACKSLASH && p + 4 < end && buf[p + 1] === 0x78 && hexVal(buf[p + 2]!) >= 0 && hexVal(buf[p + 3]!) >= 0) {
          cur += String.fromCharCode(hexVal(buf[p + 2]!) * 16 + hexVal(buf[p + 3]!));
          p += 4;
        } else if (c === BACKSLASH && p + 2 < end && buf[p + 1] !== 0) {
          const n = buf[p + 1]!;
          if (n !== 0xff) {
            cur += n === 0x6e ? '\n' : n === 0x72 ? '\r' : n === 0x74 ? '\t' : n === 0x62 ? '\b' : n === 0x61 ? '\x07' : String.fromCharCode(n);
          }
          p += 2;
        } else if (c === DQUOTE) {
          inq = false;
          p++;
        } else if (c === DROPPED) {
          p++;
        } else {
          // A run of ordinary bytes, copied at once.
          let q = p + 1;
          while (q < end) {
            const d = buf[q]!;
            if (d === BACKSLASH || d === DQUOTE || d === 0 || d === DROPPED) break;
            q++;
          }
          cur += latin1(buf, p, q);
          p = q;
        }
      } else if (insq) {
        if (c === 0) return null;
        if (c === BACKSLASH && p + 2 < end && buf[p + 1] === SQUOTE) {
          cur += "'";
          p += 2;
        } else if (c === SQUOTE) {
          insq = false;
          p++;
        } else if (c === DROPPED) {
          p++;
        } else {
          let q = p + 1;
          while (q < end) {
            const d = buf[q]!;
            if (d === BACKSLASH || d === SQUOTE || d === 0 || d === DROPPED) break;
            q++;
          }
          cur += latin1(buf, p, q);
          p = q;
        }
      } else if (c === 0x20 || c === LF || c === CR || c === 0x09 || c === 0) {
        if (c !== 0) p++;
        break;
      } else if (c === DQUOTE) {
        inq = true;
        p++;
      } else if (c === SQUOTE) {
        insq = true;
        p++;
      } else if (c === DROPPED) {
        p++;
      } else {
        let q = p + 1;
        while (q < end) {
          const d = buf[q]!;
          if (d === 0x20 || d === LF || d === CR || d === 0x09 || d === 0 || d === DQUOTE || d === SQUOTE || d === DROPPED) break;
          q++;
        }
        cur += latin1(buf, p, q);
        p = q;
      }
      if (p >= end) {
        if (inq || insq) return null;
        break;
      }
    }
    out.push(cur);
  }
}

function latin1(buf: Uint8Array, from: number, to: number): string {
  if (to - from === 1) return String.fromCharCode(buf[from]!);
  return Buffer.isBuffer(buf) ? latin1Slice(buf, from, to) : Buffer.from(buf.buffer, buf.byteOffset + from, to - from).toString('latin1');
}
