/**
 * Parses server replies (RESP2 and RESP3) from a byte stream. Used by the
 * raw test client and the conformance corpus: each reply comes with its exact
 * bytes, so two servers can be compared byte for byte.
 *
 * The parser is resumable: a reply split over many chunks is parsed once, the
 * state of unfinished aggregates kept on a stack, and bytes are buffered
 * with amortised growth, so a huge reply costs time linear in its size.
 * Attributes (RESP3 `|`) are read and dropped: the value they annotate is
 * returned in their place.
 */
export type RawValue =
  | { type: 'simple' | 'error' | 'bulk' | 'verbatim' | 'bignum' | 'bloberror'; value: string }
  | { type: 'int'; value: bigint }
  | { type: 'double'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'null' }
  | { type: 'array' | 'set' | 'push'; value: RawValue[] | null }
  | { type: 'map' | 'attr'; value: [RawValue, RawValue][] };

export interface RawReply {
  /** The reply's bytes as a latin1 string. */
  raw: string;
  value: RawValue;
}

/** An aggregate being read: its items so far and how many are still to come. */
interface Frame {
  readonly kind: number;
  remaining: number;
  readonly items: RawValue[];
}

const CR = 13;
const LF = 10;
const EMPTY = Buffer.alloc(0);

export class ReplyParser {
  /** Unconsumed bytes are buf[start, end); the reply being parsed starts at `start`. */
  private buf: Buffer = EMPTY;
  private start = 0;
  private end = 0;
  private owned = false;
  /** Parse position inside the current reply. */
  private pos = 0;
  private readonly stack: Frame[] = [];
  /** Length of the bulk payload awaited at `pos` (its header already read), or -1. */
  private bulkKind = 0;
  private bulkLen = -1;

  push(chunk: Buffer): void {
    const n = chunk.length;
    if (n === 0) return;
    if (this.start === this.end) {
      this.buf = chunk;
      this.pos -= this.start;
      this.start = 0;
      this.end = n;
      this.owned = false;
      return;
    }
    if (this.owned && this.buf.length - this.end >= n) {
      chunk.copy(this.buf, this.end);
      this.end += n;
      return;
    }
    const have = this.end - this.start;
    const next = Buffer.allocUnsafe(Math.max(2 * (have + n), 4096));
    this.buf.copy(next, 0, this.start, this.end);
    chunk.copy(next, have);
    this.pos -= this.start;
    this.buf = next;
    this.start = 0;
    this.end = have + n;
    this.owned = true;
  }

  /** The next complete reply, or null when more bytes are needed. */
  next(): RawReply | null {
    if (this.start === this.end) return null;
    if (this.pos < this.start) this.pos = this.start;
    for (;;) {
      const v = this.value();
      if (v === undefined) return null;
      // Attach to the innermost unfinished aggregate, closing those that are now complete.
      let value: RawValue | undefined = v;
      while (value !== undefined) {
        const top = this.stack[this.stack.length - 1];
        if (top === undefined) {
          const raw = this.buf.toString('latin1', this.start, this.pos);
          this.start = this.pos;
          if (this.start === this.end) {
            this.buf = EMPTY;
            this.start = this.end = this.pos = 0;
            this.owned = false;
          }
          return { raw, value };
        }
        top.items.push(value);
        value = --top.remaining === 0 ? this.close(this.stack.pop()!) : undefined;
      }
    }
  }

  /** The value of a completed aggregate frame. */
  private close(f: Frame): RawValue {
    const items = f.items;
    switch (f.kind) {
      case 0x2a: return { type: 'array', value: items };
      case 0x7e: return { type: 'set', value: items };
      case 0x3e: return { type: 'push', value: items };
      case 0x7c: return items[items.length - 1]!; // an attribute: keep the value it annotates
      default: {
        const pairs: [RawValue, RawValue][] = [];
        for (let i = 0; i < items.length; i += 2) pairs.push([items[i]!, items[i + 1]!]);
        return { type: 'map', value: pairs };
      }
    }
  }

  /**
   * Reads the next complete scalar at `pos`, or opens aggregates until one is
   * found (returning an empty aggregate's value directly). undefined when
   * more bytes are needed.
   */
  private value(): RawValue | undefined {
    for (;;) {
      if (this.bulkLen >= 0) {
        const at = this.pos + this.bulkLen;
        if (at + 2 > this.end) return undefined;
        const body = this.buf.toString('latin1', this.pos, at);
        const kind = this.bulkKind;
        this.bulkLen = -1;
        this.pos = at + 2;
        return { type: kind === 0x24 ? 'bulk' : kind === 0x3d ? 'verbatim' : 'bloberror', value: body };
      }
      const buf = this.buf;
      const p = this.pos;
      if (p >= this.end) return undefined;
      const cr = crlf(buf, p + 1, this.end);
      if (cr < 0) return undefined;
      const kind = buf[p]!;
      const head = buf.toString('latin1', p + 1, cr);
      this.pos = cr + 2;
      switch (kind) {
        case 0x2b: return { type: 'simple', value: head };
        case 0x2d: return { type: 'error', value: head };
        case 0x3a: return { type: 'int', value: BigInt(head) };
        case 0x2c: return { type: 'double', value: head };
        case 0x23: return { type: 'bool', value: head === 't' };
        case 0x28: return { type: 'bignum', value: head };
        case 0x5f: return { type: 'null' };
        case 0x24: case 0x3d: case 0x21: {
          const n = Number(head);
          if (n < 0) return { type: 'null' };
          this.bulkKind = kind;
          this.bulkLen = n;
          continue;
        }
        case 0x2a: case 0x7e: case 0x3e: {
          const n = Number(head);
          const type = kind === 0x2a ? 'array' : kind === 0x7e ? 'set' : 'push';
          if (n < 0) return { type, value: null };
          if (n === 0) return { type, value: [] };
          this.stack.push({ kind, remaining: n, items: [] });
          continue;
        }
        case 0x25: case 0x7c: {
          const n = Number(head);
          if (n === 0 && kind === 0x25) return { type: 'map', value: [] };
          // An attribute's pairs are followed by the value they annotate.
          this.stack.push({ kind, remaining: kind === 0x25 ? 2 * n : 2 * n + 1, items: [] });
          continue;
        }
        default:
          throw new Error(`bad reply type byte ${JSON.stringify(String.fromCharCode(kind))}`);
      }
    }
  }
}

/** Index of the CR of the first CRLF at or after `from` in buf[.., end), or -1. */
function crlf(buf: Buffer, from: number, end: number): number {
  for (let i = from; i + 1 < end; i++) {
    if (buf[i] === CR && buf[i + 1] === LF) return i;
  }
  return -1;
}
