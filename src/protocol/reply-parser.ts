/**
 * Parses server replies (RESP2 and RESP3) from a byte stream. Used by the
 * raw test client and the conformance corpus: each reply comes with its exact
 * bytes, so two servers can be compared byte for byte.
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

class Incomplete extends Error {}
const INCOMPLETE = new Incomplete('incomplete');

export class ReplyParser {
  private buf = '';

  push(chunk: Buffer): void {
    this.buf += chunk.toString('latin1');
  }

  /** The next complete reply, or null when more bytes are needed. */
  next(): RawReply | null {
    if (this.buf.length === 0) return null;
    try {
      const [value, end] = this.parse(0);
      const raw = this.buf.slice(0, end);
      this.buf = this.buf.slice(end);
      return { raw, value };
    } catch (e) {
      if (e === INCOMPLETE) return null;
      throw e;
    }
  }

  private line(pos: number): [string, number] {
    const i = this.buf.indexOf('\r\n', pos);
    if (i < 0) throw INCOMPLETE;
    return [this.buf.slice(pos, i), i + 2];
  }

  private parse(pos: number): [RawValue, number] {
    if (pos >= this.buf.length) throw INCOMPLETE;
    const kind = this.buf[pos]!;
    const [head, after] = this.line(pos + 1);
    switch (kind) {
      case '+': return [{ type: 'simple', value: head }, after];
      case '-': return [{ type: 'error', value: head }, after];
      case ':': return [{ type: 'int', value: BigInt(head) }, after];
      case ',': return [{ type: 'double', value: head }, after];
      case '#': return [{ type: 'bool', value: head === 't' }, after];
      case '(': return [{ type: 'bignum', value: head }, after];
      case '_': return [{ type: 'null' }, after];
      case '$': case '=': case '!': {
        const n = Number(head);
        if (n < 0) return [{ type: 'null' }, after];
        if (this.buf.length < after + n + 2) throw INCOMPLETE;
        const body = this.buf.slice(after, after + n);
        const type = kind === '$' ? 'bulk' : kind === '=' ? 'verbatim' : 'bloberror';
        return [{ type, value: body }, after + n + 2];
      }
      case '*': case '~': case '>': {
        const n = Number(head);
        const type = kind === '*' ? 'array' : kind === '~' ? 'set' : 'push';
        if (n < 0) return [{ type, value: null }, after];
        const items: RawValue[] = [];
        let p = after;
        for (let i = 0; i < n; i++) {
          const [v, e] = this.parse(p);
          items.push(v);
          p = e;
        }
        return [{ type, value: items }, p];
      }
      case '%': case '|': {
        const n = Number(head);
        const pairs: [RawValue, RawValue][] = [];
        let p = after;
        for (let i = 0; i < n; i++) {
          const [k, e1] = this.parse(p);
          const [v, e2] = this.parse(e1);
          pairs.push([k, v]);
          p = e2;
        }
        if (kind === '|') {
          // An attribute precedes the reply it annotates; return that reply.
          return this.parse(p);
        }
        return [{ type: 'map', value: pairs }, p];
      }
      default:
        throw new Error(`bad reply type byte ${JSON.stringify(kind)}`);
    }
  }
}
