/** Lua 5.1 lexer (llex.c semantics, error texts included). */
import { str2number } from './number.js';

export const enum T {
  EOF, Name, String, Number,
  And, Break, Do, Else, Elseif, End, False, For, Function, If, In, Local, Nil, Not, Or,
  Repeat, Return, Then, True, Until, While,
  Concat, Dots, Eq, Ge, Le, Ne,
  Char, // single-character token; `value` holds it
}

const RESERVED: Record<string, T> = {
  and: T.And, break: T.Break, do: T.Do, else: T.Else, elseif: T.Elseif, end: T.End,
  false: T.False, for: T.For, function: T.Function, if: T.If, in: T.In, local: T.Local,
  nil: T.Nil, not: T.Not, or: T.Or, repeat: T.Repeat, return: T.Return, then: T.Then,
  true: T.True, until: T.Until, while: T.While,
};

const TOKEN_TEXT: Partial<Record<T, string>> = {
  [T.EOF]: '<eof>', [T.Concat]: '..', [T.Dots]: '...', [T.Eq]: '==', [T.Ge]: '>=', [T.Le]: '<=', [T.Ne]: '~=',
  [T.Name]: '<name>', [T.String]: '<string>', [T.Number]: '<number>',
};
for (const [k, v] of Object.entries(RESERVED)) TOKEN_TEXT[v] = k;

export class LuaSyntaxError {
  constructor(readonly message: string) {}
}

export interface Token {
  t: T;
  /** Name/string contents, the character for T.Char. */
  s: string;
  n: number;
  /** Raw text for error messages (the lexer buffer). */
  raw: string;
  line: number;
}

export function tokenText(t: T, ch: string): string {
  if (t === T.Char) {
    const c = ch.charCodeAt(0);
    return c < 32 || c === 127 ? `char(${c})` : ch;
  }
  return TOKEN_TEXT[t] ?? '?';
}

function isAlpha(c: number): boolean { return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95; }
function isDigit(c: number): boolean { return c >= 48 && c <= 57; }
function isAlnum(c: number): boolean { return isAlpha(c) || isDigit(c); }

export class Lexer {
  private pos = 0;
  line = 1;
  tok: Token = { t: T.EOF, s: '', n: 0, raw: '', line: 1 };
  ahead: Token | undefined;
  /** line of the last token consumed (lastline in llex.c) */
  lastline = 1;

  constructor(private readonly src: string, readonly chunkid: string) {
    if (src.charCodeAt(0) === 35 /* # */) { // skip a first line starting with '#'
      while (this.pos < src.length && src[this.pos] !== '\n' && src[this.pos] !== '\r') this.pos++;
    }
  }

  error(msg: string, token?: Token | null, line = this.line): never {
    let m = `${this.chunkid}:${line}: ${msg}`;
    if (token) m += ` near '${token.t === T.Name || token.t === T.String || token.t === T.Number ? token.raw : tokenText(token.t, token.s)}'`;
    throw new LuaSyntaxError(m);
  }

  private errorRaw(msg: string, raw: string): never {
    throw new LuaSyntaxError(`${this.chunkid}:${this.line}: ${msg} near '${raw}'`);
  }

  next(): void {
    this.lastline = this.line;
    if (this.ahead) { this.tok = this.ahead; this.ahead = undefined; return; }
    this.tok = this.scan();
  }

  peek(): Token {
    if (!this.ahead) this.ahead = this.scan();
    return this.ahead;
  }

  private cur(): number { return this.pos < this.src.length ? this.src.charCodeAt(this.pos) : -1; }

  private newline(): void {
    const old = this.src[this.pos];
    this.pos++;
    const c = this.src[this.pos];
    if ((c === '\n' || c === '\r') && c !== old) this.pos++;
    this.line++;
  }

  private mk(t: T, s = '', raw = s, n = 0): Token {
    return { t, s, n, raw, line: this.line };
  }

  private scan(): Token {
    const src = this.src;
    for (;;) {
      const c = this.cur();
      switch (c) {
        case -1: return this.mk(T.EOF);
        case 10: case 13: this.newline(); continue;
        case 45: { // -
          this.pos++;
          if (this.cur() !== 45) return this.mk(T.Char, '-');
          this.pos++;
          if (this.cur() === 91) { // [
            const start = this.pos;
            const sep = this.skipSep();
            if (sep >= 0) { this.readLong(sep, true); continue; }
            this.pos = start;
          }
          while (this.pos < src.length && src[this.pos] !== '\n' && src[this.pos] !== '\r') this.pos++;
          continue;
        }
        case 91: { // [
          const start = this.pos;
          const sep = this.skipSep();
          if (sep >= 0) {
            const s = this.readLong(sep, false);
            return this.mk(T.String, s, src.slice(start, this.pos));
          }
          if (sep === -1) { this.pos = start + 1; return this.mk(T.Char, '['); }
          this.errorRaw('invalid long string delimiter', src.slice(start, this.pos));
        }
        // eslint-disable-next-line no-fallthrough
        case 61: this.pos++; if (this.cur() === 61) { this.pos++; return this.mk(T.Eq); } return this.mk(T.Char, '=');
        case 60: this.pos++; if (this.cur() === 61) { this.pos++; return this.mk(T.Le); } return this.mk(T.Char, '<');
        case 62: this.pos++; if (this.cur() === 61) { this.pos++; return this.mk(T.Ge); } return this.mk(T.Char, '>');
        case 126: this.pos++; if (this.cur() === 61) { this.pos++; return this.mk(T.Ne); } return this.mk(T.Char, '~');
        case 34: case 39: return this.readString(c);
        case 46: { // .
          if (src.charCodeAt(this.pos + 1) === 46) {
            if (src.charCodeAt(this.pos + 2) === 46) { this.pos += 3; return this.mk(T.Dots); }
            this.pos += 2; return this.mk(T.Concat);
          }
          if (!isDigit(src.charCodeAt(this.pos + 1))) { this.pos++; return this.mk(T.Char, '.'); }
          return this.readNumber();
        }
        default: {
          if (c === 32 || c === 9 || c === 11 || c === 12) { this.pos++; continue; }
          if (isDigit(c)) return this.readNumber();
          if (isAlpha(c)) {
            const start = this.pos;
            while (isAlnum(this.cur())) this.pos++;
            const w = src.slice(start, this.pos);
            const r = RESERVED[w];
            if (r !== undefined) return this.mk(r, w);
            return this.mk(T.Name, w);
          }
          this.pos++;
          return this.mk(T.Char, String.fromCharCode(c));
        }
      }
    }
  }

  private readNumber(): Token {
    const start = this.pos;
    while (isDigit(this.cur()) || this.cur() === 46) this.pos++;
    if (this.cur() === 69 || this.cur() === 101) {
      this.pos++;
      if (this.cur() === 43 || this.cur() === 45) this.pos++;
    }
    while (isAlnum(this.cur())) this.pos++;
    const raw = this.src.slice(start, this.pos);
    const n = str2number(raw);
    if (n === undefined) this.errorRaw('malformed number', raw);
    return this.mk(T.Number, raw, raw, n);
  }

  /** At '[' or ']': count '='s; returns the count if the bracket repeats, else -count-1. */
  private skipSep(): number {
    const s = this.src[this.pos];
    this.pos++;
    let count = 0;
    while (this.cur() === 61) { this.pos++; count++; }
    return this.src[this.pos] === s ? count : -count - 1;
  }

  private readLong(sep: number, comment: boolean): string {
    const start = this.pos - sep - 1;
    this.pos++; // second [
    if (this.cur() === 10 || this.cur() === 13) this.newline();
    let out = '';
    let segStart = this.pos;
    for (;;) {
      const c = this.cur();
      if (c === -1) {
        this.errorRaw(comment ? 'unfinished long comment' : 'unfinished long string', '<eof>');
      } else if (c === 91) {
        const p = this.pos;
        if (this.skipSep() === sep) {
          if (sep === 0) this.error('nesting of [[...]] is deprecated', { t: T.Char, s: '[', n: 0, raw: '[', line: this.line });
        }
        if (this.pos === p) this.pos++;
      } else if (c === 93) {
        const p = this.pos;
        if (this.skipSep() === sep) {
          out += this.src.slice(segStart, p);
          this.pos++;
          void start;
          return out;
        }
        if (this.pos === p) this.pos++;
      } else if (c === 10 || c === 13) {
        out += this.src.slice(segStart, this.pos) + '\n';
        this.newline();
        segStart = this.pos;
      } else {
        this.pos++;
      }
    }
  }

  private readString(del: number): Token {
    const src = this.src;
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.cur();
      if (c === del) break;
      if (c === -1) this.errorRaw('unfinished string', '<eof>');
      if (c === 10 || c === 13) this.errorRaw('unfinished string', src[start]! + out);
      if (c === 92) { // backslash
        this.pos++;
        const e = this.cur();
        switch (e) {
          case 97: out += '\x07'; this.pos++; break;
          case 98: out += '\b'; this.pos++; break;
          case 102: out += '\f'; this.pos++; break;
          case 110: out += '\n'; this.pos++; break;
          case 114: out += '\r'; this.pos++; break;
          case 116: out += '\t'; this.pos++; break;
          case 118: out += '\v'; this.pos++; break;
          case 10: case 13: out += '\n'; this.newline(); break;
          case -1: continue; // error on next loop
          default: {
            if (!isDigit(e)) { out += String.fromCharCode(e); this.pos++; break; }
            let v = 0, i = 0;
            do { v = 10 * v + (this.cur() - 48); this.pos++; i++; } while (i < 3 && isDigit(this.cur()));
            if (v > 255) this.errorRaw('escape sequence too large', src[start]! + out);
            out += String.fromCharCode(v);
          }
        }
        continue;
      }
      out += src[this.pos];
      this.pos++;
    }
    this.pos++;
    return this.mk(T.String, out, src.slice(start, this.pos));
  }
}
