/**
 * `cjson` (lua-cjson 2.1 as bundled with Valkey: deps/lua/src/lua_cjson.c),
 * with its defaults: numbers as %.14g, NaN/Inf refused, sparse arrays
 * refused beyond ratio 2 / safe 10, nesting limited to 1000, decoding of
 * hex/Inf/NaN allowed. Object keys come in `next` order.
 */
import { Args } from './auxlib.js';
import { numberToString } from './number.js';
import type { LuaState } from './state.js';
import { LuaTable } from './table.js';
import { Userdata, typeName, type LuaValue } from './value.js';

const ESCAPE: (string | undefined)[] = new Array<string | undefined>(256).fill(undefined);
for (let i = 0; i < 32; i++) ESCAPE[i] = '\\u' + i.toString(16).padStart(4, '0');
ESCAPE[8] = '\\b'; ESCAPE[9] = '\\t'; ESCAPE[10] = '\\n'; ESCAPE[12] = '\\f'; ESCAPE[13] = '\\r';
ESCAPE[0x22] = '\\"'; ESCAPE[0x2f] = '\\/'; ESCAPE[0x5c] = '\\\\'; ESCAPE[0x7f] = '\\u007f';

interface Config {
  sparseConvert: boolean;
  sparseRatio: number;
  sparseSafe: number;
  encodeMaxDepth: number;
  decodeMaxDepth: number;
  encodeInvalidNumbers: number; // 0 off, 1 on, 2 null
  decodeInvalidNumbers: boolean;
  keepBuffer: boolean;
  precision: number;
}

/** lua_cjson's fpconv_g_fmt: "%.<precision>g". */
function gfmt(n: number, precision: number): string {
  if (precision === 14) return numberToString(n);
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const e = Math.floor(Math.log10(Math.abs(n)));
  let s: string;
  if (e < -4 || e >= precision) {
    s = n.toExponential(precision - 1).replace(/\.?0+e/, 'e');
    s = s.replace(/e([+-])(\d)$/, 'e$10$2');
  } else {
    s = n.toFixed(Math.max(0, precision - 1 - e));
    if (s.includes('.')) s = s.replace(/\.?0+$/, '');
  }
  return s;
}

export function openCjson(L: LuaState): LuaTable {
  const cfg: Config = {
    sparseConvert: false, sparseRatio: 2, sparseSafe: 10, encodeMaxDepth: 1000, decodeMaxDepth: 1000,
    encodeInvalidNumbers: 0, decodeInvalidNumbers: true, keepBuffer: true, precision: 14,
  };
  const NULL = new Userdata(0, null);
  const M = L.newTable();
  const reg = (name: string, f: (A: Args) => LuaValue[]): void => { M.set(name, L.fn(name, (...a) => f(new Args(L, a)))); };

  const fail = (v: LuaValue, reason: string): never => L.error(`Cannot serialise ${typeName(v)}: ${reason}`);

  const number = (out: string[], n: number): void => {
    if (cfg.encodeInvalidNumbers === 0) {
      if (!Number.isFinite(n)) fail(n, 'must not be NaN or Inf');
    } else if (cfg.encodeInvalidNumbers === 1) {
      if (n !== n) { out.push('nan'); return; }
    } else if (!Number.isFinite(n)) { out.push('null'); return; }
    out.push(n === Infinity ? 'inf' : n === -Infinity ? '-inf' : gfmt(n, cfg.precision));
  };

  const string = (out: string[], s: string): void => {
    let r = '"';
    let from = 0;
    for (let i = 0; i < s.length; i++) {
      const e = ESCAPE[s.charCodeAt(i)];
      if (e !== undefined) {
        r += s.slice(from, i) + e;
        from = i + 1;
      }
    }
    out.push(r + s.slice(from) + '"');
  };

  /** lua_array_length: the array size, or -1 for an object. */
  const arrayLength = (t: LuaTable): number => {
    let max = 0, items = 0;
    let k: unknown = undefined;
    for (;;) {
      const e = t.next(k);
      if (!e) break;
      k = e[0];
      if (typeof k === 'number' && k !== 0 && Math.floor(k) === k && k >= 1) {
        if (k > max) max = k;
        items++;
        continue;
      }
      return -1;
    }
    if (cfg.sparseRatio > 0 && max > items * cfg.sparseRatio && max > cfg.sparseSafe) {
      if (!cfg.sparseConvert) fail(t, 'excessively sparse array');
      return -1;
    }
    return max;
  };

  const data = (out: string[], v: LuaValue, depth: number): void => {
    switch (typeof v) {
      case 'string': string(out, v); return;
      case 'number': number(out, v); return;
      case 'boolean': out.push(v ? 'true' : 'false'); return;
      case 'undefined': out.push('null'); return;
      default: break;
    }
    if (v instanceof LuaTable) {
      depth++;
      if (depth > cfg.encodeMaxDepth) L.error(`Cannot serialise, excessive nesting (${depth})`);
      const len = arrayLength(v);
      if (len > 0) {
        out.push('[');
        for (let i = 1; i <= len; i++) {
          if (i > 1) out.push(',');
          data(out, v.getInt(i) as LuaValue, depth);
        }
        out.push(']');
        return;
      }
      out.push('{');
      let k: unknown = undefined;
      let comma = false;
      for (;;) {
        const e = v.next(k);
        if (!e) break;
        k = e[0];
        if (comma) out.push(',');
        comma = true;
        if (typeof k === 'number') {
          out.push('"');
          number(out, k);
          out.push('":');
        } else if (typeof k === 'string') {
          string(out, k);
          out.push(':');
        } else {
          fail(k as LuaValue, 'table key must be a number or string');
        }
        data(out, e[1] as LuaValue, depth);
      }
      out.push('}');
      return;
    }
    if (v === NULL) { out.push('null'); return; }
    fail(v, 'type not supported');
  };

  reg('encode', (A) => {
    if (A.a.length !== 1) L.argError(1, 'expected 1 argument');
    const out: string[] = [];
    data(out, A.a[0], 0);
    return [out.join('')];
  });

  reg('decode', (A) => {
    if (A.a.length !== 1) L.argError(1, 'expected 1 argument');
    const s = A.str(1);
    if (s.length >= 2 && (s.charCodeAt(0) === 0 || s.charCodeAt(1) === 0)) L.error('JSON parser does not support UTF-16 or UTF-32');
    return [new Decoder(L, s, cfg, NULL).run()];
  });

  const cfgInt = (name: string, get: () => number, set: (n: number) => void, min: number, max: number): void => {
    reg(name, (A) => {
      if (A.a.length > 1) L.error('wrong number of arguments');
      if (A.a.length === 1 && A.a[0] !== undefined) {
        const n = A.int(1);
        if (n < min || n > max) L.argError(1, `expected integer between ${min} and ${max}`);
        set(n);
      }
      return [get()];
    });
  };
  cfgInt('encode_max_depth', () => cfg.encodeMaxDepth, (n) => { cfg.encodeMaxDepth = n; }, 1, 2147483647);
  cfgInt('decode_max_depth', () => cfg.decodeMaxDepth, (n) => { cfg.decodeMaxDepth = n; }, 1, 2147483647);
  cfgInt('encode_number_precision', () => cfg.precision, (n) => { cfg.precision = n; }, 1, 14);
  const cfgBool = (name: string, get: () => LuaValue, set: (v: LuaValue) => void): void => {
    reg(name, (A) => {
      if (A.a.length > 1) L.error('wrong number of arguments');
      if (A.a.length === 1 && A.a[0] !== undefined) set(A.a[0]);
      return [get()];
    });
  };
  const onOff = (v: LuaValue): boolean => v === true || v === 1 || v === 'on';
  cfgBool('encode_keep_buffer', () => cfg.keepBuffer, (v) => { cfg.keepBuffer = onOff(v); });
  cfgBool('encode_invalid_numbers', () => (cfg.encodeInvalidNumbers === 2 ? 'null' : cfg.encodeInvalidNumbers === 1),
    (v) => { cfg.encodeInvalidNumbers = v === 'null' ? 2 : onOff(v) ? 1 : 0; });
  cfgBool('decode_invalid_numbers', () => cfg.decodeInvalidNumbers, (v) => { cfg.decodeInvalidNumbers = onOff(v); });
  reg('encode_sparse_array', (A) => {
    if (A.a[0] !== undefined) cfg.sparseConvert = onOff(A.a[0]);
    if (A.a[1] !== undefined) cfg.sparseRatio = A.int(2);
    if (A.a[2] !== undefined) cfg.sparseSafe = A.int(3);
    return [cfg.sparseConvert, cfg.sparseRatio, cfg.sparseSafe];
  });
  reg('new', () => [openCjson(L)]);
  M.set('null', NULL);
  M.set('_NAME', 'cjson');
  M.set('_VERSION', '2.1.0');
  return M;
}

type Tok =
  | { t: 'obj' | 'objend' | 'arr' | 'arrend' | 'colon' | 'comma' | 'end' | 'null'; i: number }
  | { t: 'str'; i: number; v: string }
  | { t: 'num'; i: number; v: number }
  | { t: 'bool'; i: number; v: boolean }
  | { t: 'err'; i: number; v: string };

const TOKEN_NAME: Record<string, string> = {
  obj: 'T_OBJ_BEGIN', objend: 'T_OBJ_END', arr: 'T_ARR_BEGIN', arrend: 'T_ARR_END', str: 'T_STRING', num: 'T_NUMBER',
  bool: 'T_BOOLEAN', null: 'T_NULL', colon: 'T_COLON', comma: 'T_COMMA', end: 'T_END',
};

const NUM = /^[+-]?(?:inf(?:inity)?|nan|0x(?:[0-9a-f]+\.?[0-9a-f]*|\.[0-9a-f]+)(?:p[+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)/i;

class Decoder {
  private p = 0;
  private depth = 0;
  constructor(private readonly L: LuaState, private readonly s: string, private readonly cfg: Config, private readonly NULL: Userdata) {}

  private ch(i = this.p): number {
    return i < this.s.length ? this.s.charCodeAt(i) : 0;
  }

  run(): LuaValue {
    const v = this.value(this.next());
    const t = this.next();
    if (t.t !== 'end') this.error('the end', t);
    return v;
  }

  private error(exp: string, t: Tok): never {
    const found = t.t === 'err' ? t.v : TOKEN_NAME[t.t]!;
    this.L.error(`Expected ${exp} but found ${found} at character ${t.i + 1}`);
  }

  private descend(): void {
    this.depth++;
    if (this.depth > this.cfg.decodeMaxDepth) this.L.error(`Found too many nested data structures (${this.depth}) at character ${this.p}`);
  }

  private value(t: Tok): LuaValue {
    switch (t.t) {
      case 'str': case 'num': case 'bool': return t.v;
      case 'null': return this.NULL;
      case 'obj': {
        this.descend();
        const o = this.L.newTable();
        let tk = this.next();
        if (tk.t !== 'objend') {
          for (;;) {
            if (tk.t !== 'str') this.error('object key string', tk);
            const key = tk.v;
            tk = this.next();
            if (tk.t !== 'colon') this.error('colon', tk);
            const v = this.value(this.next());
            o.set(key, v);
            tk = this.next();
            if (tk.t === 'objend') break;
            if (tk.t !== 'comma') this.error('comma or object end', tk);
            tk = this.next();
          }
        }
        this.depth--;
        return o;
      }
      case 'arr': {
        this.descend();
        const a = this.L.newTable();
        let tk = this.next();
        if (tk.t !== 'arrend') {
          for (let i = 1; ; i++) {
            a.set(i, this.value(tk));
            tk = this.next();
            if (tk.t === 'arrend') break;
            if (tk.t !== 'comma') this.error('comma or array end', tk);
            tk = this.next();
          }
        }
        this.depth--;
        return a;
      }
      default: return this.error('value', t);
    }
  }

  private next(): Tok {
    const s = this.s;
    let c = this.ch();
    while (c === 0x20 || c === 9 || c === 10 || c === 13) c = this.ch(++this.p);
    const i = this.p;
    if (this.p >= s.length || c === 0) return { t: 'end', i };
    const single: Record<number, Tok['t']> = { 0x7b: 'obj', 0x7d: 'objend', 0x5b: 'arr', 0x5d: 'arrend', 0x3a: 'colon', 0x2c: 'comma' };
    const one = single[c];
    if (one) {
      this.p++;
      return { t: one, i } as Tok;
    }
    const unknown = c === 0x22 || c === 0x2d || c === 0x2b || (c >= 0x30 && c <= 0x39) || 'fiIntN'.includes(String.fromCharCode(c));
    if (!unknown) return { t: 'err', i, v: 'invalid token' };
    if (c === 0x22) return this.string(i);
    const rest = s.slice(this.p, this.p + 5);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      if (!this.cfg.decodeInvalidNumbers && this.invalidNumber()) return { t: 'err', i, v: 'invalid number' };
      return this.number(i);
    }
    if (rest.startsWith('true')) { this.p += 4; return { t: 'bool', i, v: true }; }
    if (rest.startsWith('false')) { this.p += 5; return { t: 'bool', i, v: false }; }
    if (rest.startsWith('null')) { this.p += 4; return { t: 'null', i }; }
    if (this.cfg.decodeInvalidNumbers && this.invalidNumber()) return this.number(i);
    return { t: 'err', i, v: 'invalid token' };
  }

  private invalidNumber(): boolean {
    let p = this.p;
    if (this.ch(p) === 0x2b) return true;
    if (this.ch(p) === 0x2d) p++;
    const c = this.ch(p);
    if (c === 0x30) {
      const c2 = this.ch(p + 1);
      return (c2 | 0x20) === 0x78 || (c2 >= 0x30 && c2 <= 0x39);
    }
    if (c <= 0x39) return false;
    const w = this.s.slice(p, p + 3).toLowerCase();
    return w === 'inf' || w === 'nan';
  }

  private number(i: number): Tok {
    const m = NUM.exec(this.s.slice(this.p, this.p + 400));
    if (!m) return { t: 'err', i, v: 'invalid number' };
    this.p += m[0].length;
    const txt = m[0].toLowerCase();
    const neg = txt.startsWith('-');
    const body = txt.replace(/^[+-]/, '');
    let v: number;
    if (body.startsWith('inf')) v = Infinity;
    else if (body === 'nan') v = NaN;
    else if (body.startsWith('0x')) v = hexFloat(body.slice(2));
    else v = Number(body);
    return { t: 'num', i, v: neg ? -v : v };
  }

  private string(i: number): Tok {
    const s = this.s;
    this.p++;
    let out = '';
    for (;;) {
      const c = this.ch();
      if (c === 0x22) break;
      if (this.p >= s.length || c === 0) return { t: 'err', i: this.p, v: 'unexpected end of string' };
      if (c === 0x5c) {
        const e = s[this.p + 1];
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', t: '\t', n: '\n', f: '\f', r: '\r' };
        if (e === 'u') {
          const r = this.unicode();
          if (r === null) return { t: 'err', i: this.p, v: 'invalid unicode escape code' };
          out += r;
          continue;
        }
        const m = e === undefined ? undefined : map[e];
        if (m === undefined) return { t: 'err', i: this.p, v: 'invalid escape code' };
        out += m;
        this.p += 2;
        continue;
      }
      out += s[this.p];
      this.p++;
    }
    this.p++;
    return { t: 'str', i, v: out };
  }

  private hex4(at: number): number {
    const h = this.s.slice(at, at + 4);
    return /^[0-9a-fA-F]{4}$/.test(h) ? parseInt(h, 16) : -1;
  }

  private unicode(): string | null {
    let cp = this.hex4(this.p + 2);
    if (cp < 0) return null;
    let len = 6;
    if ((cp & 0xf800) === 0xd800) {
      if (cp & 0x400) return null;
      if (this.s[this.p + 6] !== '\\' || this.s[this.p + 7] !== 'u') return null;
      const lo = this.hex4(this.p + 8);
      if (lo < 0 || (lo & 0xfc00) !== 0xdc00) return null;
      cp = (((cp & 0x3ff) << 10) | (lo & 0x3ff)) + 0x10000;
      len = 12;
    }
    this.p += len;
    return Buffer.from(String.fromCodePoint(cp), 'utf8').toString('latin1');
  }
}

function hexFloat(h: string): number {
  const m = /^([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/.exec(h);
  if (!m) return NaN;
  let v = parseInt(m[1] || '0', 16);
  const frac = m[2] ?? '';
  for (let i = 0; i < frac.length; i++) v += parseInt(frac[i]!, 16) / 16 ** (i + 1);
  return v * 2 ** Number(m[3] ?? 0);
}

