/**
 * Streaming request decoder: multibulk (`*N\r\n$L\r\n...`) and inline
 * commands, as Valkey's networking.c parses a client's query buffer. Feed it
 * chunks in any split; it yields complete argument vectors in order, or the
 * protocol error Valkey would send before closing the connection.
 */
import type { Bytes } from './reply.js';

/** Valkey's PROTO_INLINE_MAX_SIZE. */
export const INLINE_MAX_SIZE = 64 * 1024;
const INT_MAX = 2147483647;

export type DecodeResult = { argv: Bytes[] } | { error: string } | null;

export interface DecoderLimits {
  /** proto-max-bulk-len; read on each bulk header so CONFIG SET applies at once. */
  maxBulkLen(): number;
  /** True while the connection still has to authenticate (tighter limits apply). */
  authRequired(): boolean;
}

const DEFAULT_LIMITS: DecoderLimits = { maxBulkLen: () => 512 * 1024 * 1024, authRequired: () => false };

const CR = 13;
const LF = 10;

export class RequestDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Remaining bulks of the multibulk being read; 0 when between requests. */
  private multibulk = 0;
  private bulkLen = -1;
  private args: Bytes[] = [];
  private failed = false;

  constructor(private readonly limits: DecoderLimits = DEFAULT_LIMITS) {}

  /** Append a chunk read from the socket. */
  push(chunk: Buffer): void {
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    }
    this.pos = 0;
  }

  /** Bytes received but not yet parsed into a request. */
  get pending(): number {
    return this.buf.length - this.pos;
  }

  /**
   * The next complete request, a protocol error (after which the decoder
   * yields nothing more), or null when more input is needed.
   */
  next(): DecodeResult {
    if (this.failed) return null;
    while (this.pos < this.buf.length || this.multibulk > 0) {
      if (this.multibulk === 0 && this.buf[this.pos] !== 0x2a /* '*' */) {
        const r = this.inline();
        if (r === 'skip') continue;
        return r;
      }
      const r = this.multibulkRequest();
      if (r === 'skip') continue;
      return r;
    }
    return null;
  }

  private fail(message: string): DecodeResult {
    this.failed = true;
    return { error: 'ERR Protocol error: ' + message };
  }

  private inline(): DecodeResult | 'skip' {
    const buf = this.buf;
    const nl = buf.indexOf(LF, this.pos);
    if (nl < 0) {
      if (buf.length - this.pos > INLINE_MAX_SIZE) return this.fail('too big inline request');
      return null;
    }
    let end = nl;
    if (end > this.pos && buf[end - 1] === CR) end--;
    const argv = splitArgs(buf, this.pos, end);
    if (argv === null) return this.fail('unbalanced quotes in request');
    this.pos = nl + 1;
    if (argv.length === 0) return 'skip';
    return { argv };
  }

  private multibulkRequest(): DecodeResult | 'skip' {
    const buf = this.buf;
    if (this.multibulk === 0) {
      const cr = buf.indexOf(CR, this.pos);
      if (cr < 0) {
        if (buf.length - this.pos > INLINE_MAX_SIZE) return this.fail('too big mbulk count string');
        return null;
      }
      if (cr + 1 >= buf.length) return null;
      if (buf[cr + 1] !== LF) return this.fail('invalid CRLF in request');
      const n = parseLL(buf, this.pos + 1, cr);
      if (n === null || n > INT_MAX) return this.fail('invalid multibulk length');
      if (n > 10 && this.limits.authRequired()) return this.fail('unauthenticated multibulk length');
      this.pos = cr + 2;
      if (n <= 0) return 'skip';
      this.multibulk = n;
      this.bulkLen = -1;
      this.args = [];
    }
    while (this.multibulk > 0) {
      if (this.bulkLen === -1) {
        const cr = buf.indexOf(CR, this.pos);
        if (cr < 0) {
          if (buf.length - this.pos > INLINE_MAX_SIZE) return this.fail('too big bulk count string');
          return null;
        }
        if (cr + 1 >= buf.length) return null;
        if (buf[this.pos] !== 0x24 /* '$' */) {
          return this.fail(`expected '$', got '${String.fromCharCode(buf[this.pos]!)}'`);
        }
        if (buf[cr + 1] !== LF) return this.fail('invalid CRLF in request');
        const len = parseLL(buf, this.pos + 1, cr);
        if (len === null || len < 0 || len > this.limits.maxBulkLen()) return this.fail('invalid bulk length');
        if (len > 16384 && this.limits.authRequired()) return this.fail('unauthenticated bulk length');
        this.pos = cr + 2;
        this.bulkLen = len;
      }
      if (buf.length - this.pos < this.bulkLen + 2) return null;
      const end = this.pos + this.bulkLen;
      if (buf[end] !== CR || buf[end + 1] !== LF) return this.fail('invalid CRLF in request');
      this.args.push(buf.toString('latin1', this.pos, end));
      this.pos = end + 2;
      this.bulkLen = -1;
      this.multibulk--;
    }
    const argv = this.args;
    this.args = [];
    return { argv };
  }
}

/** Valkey's string2ll: optional '-', no '+', no leading zeros, no spaces, fits in int64. */
function parseLL(buf: Buffer, start: number, end: number): number | null {
  const len = end - start;
  if (len <= 0 || len > 20) return null;
  let i = start;
  let neg = false;
  if (buf[i] === 0x2d) {
    neg = true;
    i++;
    if (i === end) return null;
  }
  if (buf[i] === 0x30) return i + 1 === end && !neg ? 0 : null;
  let v = 0;
  for (; i < end; i++) {
    const c = buf[i]! - 0x30;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  // Beyond 2^53 precision is lost, but every such length is refused by the callers' limits.
  return neg ? -v : v;
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/**
 * Splits an inline request line as Valkey's sdssplitargs does: blanks separate
 * arguments, "double quotes" take C escapes (\n \r \t \b \a \xHH), 'single
 * quotes' take \'. A NUL byte ends the line. Returns null on unbalanced quotes.
 */
export function splitArgs(buf: Uint8Array, start: number, end: number): Bytes[] | null {
  const out: Bytes[] = [];
  let p = start;
  while (p < end && buf[p] !== 0) {
    while (p < end && buf[p] !== 0 && isSpace(buf[p]!)) p++;
    if (p >= end || buf[p] === 0) break;
    let inq = false;
    let insq = false;
    let cur = '';
    let done = false;
    while (!done) {
      if (inq) {
        if (p >= end || buf[p] === 0) return null;
        const c = buf[p]!;
        if (c === 0x5c && p + 3 < end && buf[p + 1] === 0x78 && hexVal(buf[p + 2]!) >= 0 && hexVal(buf[p + 3]!) >= 0) {
          cur += String.fromCharCode(hexVal(buf[p + 2]!) * 16 + hexVal(buf[p + 3]!));
          p += 4;
        } else if (c === 0x5c && p + 1 < end && buf[p + 1] !== 0) {
          const n = buf[p + 1]!;
          const map: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x61: 7 };
          cur += String.fromCharCode(map[n] ?? n);
          p += 2;
        } else if (c === 0x22) {
          inq = false;
          p++;
        } else {
          cur += String.fromCharCode(c);
          p++;
        }
      } else if (insq) {
        if (p >= end || buf[p] === 0) return null;
        const c = buf[p]!;
        if (c === 0x5c && p + 1 < end && buf[p + 1] === 0x27) {
          cur += "'";
          p += 2;
        } else if (c === 0x27) {
          insq = false;
          p++;
        } else {
          cur += String.fromCharCode(c);
          p++;
        }
      } else {
        const c = p < end ? buf[p]! : 0;
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0) done = true;
        else if (c === 0x22) inq = true;
        else if (c === 0x27) insq = true;
        else cur += String.fromCharCode(c);
        if (c !== 0) p++;
      }
      if (p >= end) {
        if (inq || insq) return null;
        done = true;
      }
    }
    out.push(cur);
  }
  return out;
}
