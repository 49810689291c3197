/**
 * `cmsgpack` (lua-cmsgpack 0.4.0 as bundled with Valkey:
 * deps/lua/src/lua_cmsgpack.c): pack of any number of values, unpack of a
 * stream of values, unpack_one / unpack_limit with offsets. Tables nested 16
 * deep pack as nil (circular references survive); a table whose keys are
 * exactly 1..n packs as an array, any other as a map in `next` order.
 */
import { Args } from './auxlib.js';
import type { LuaState } from './state.js';
import { LuaTable } from './table.js';
import type { LuaValue } from './value.js';

const MAX_NESTING = 16;
const f32 = new Float32Array(1);
const dv = new DataView(new ArrayBuffer(8));

function be(n: number, bytes: number): string {
  let s = '';
  for (let i = bytes - 1; i >= 0; i--) s += String.fromCharCode(Math.floor(n / 2 ** (8 * i)) & 0xff);
  return s;
}

function int64(n: number): string {
  const b = BigInt.asUintN(64, BigInt(n));
  let s = '';
  for (let i = 7; i >= 0; i--) s += String.fromCharCode(Number((b >> BigInt(8 * i)) & 0xffn));
  return s;
}

function encodeInt(n: number): string {
  if (n >= 0) {
    if (n <= 127) return String.fromCharCode(n);
    if (n <= 0xff) return '\xcc' + be(n, 1);
    if (n <= 0xffff) return '\xcd' + be(n, 2);
    if (n <= 0xffffffff) return '\xce' + be(n, 4);
    return '\xcf' + int64(n);
  }
  if (n >= -32) return String.fromCharCode(n & 0xff);
  if (n >= -128) return '\xd0' + String.fromCharCode(n & 0xff);
  if (n >= -32768) return '\xd1' + be(n & 0xffff, 2);
  if (n >= -2147483648) return '\xd2' + be(n >>> 0, 4);
  return '\xd3' + int64(n);
}

function encodeDouble(d: number): string {
  f32[0] = d;
  if (f32[0] === d) {
    dv.setFloat32(0, d);
    let s = '\xca';
    for (let i = 0; i < 4; i++) s += String.fromCharCode(dv.getUint8(i));
    return s;
  }
  dv.setFloat64(0, d);
  let s = '\xcb';
  for (let i = 0; i < 8; i++) s += String.fromCharCode(dv.getUint8(i));
  return s;
}

function header(n: number, fix: number, fixMax: number, c16: string, c32: string): string {
  if (n <= fixMax) return String.fromCharCode(fix | n);
  if (n <= 0xffff) return c16 + be(n, 2);
  return c32 + be(n, 4);
}

function isArray(t: LuaTable): boolean {
  let count = 0, max = 0;
  let k: unknown = undefined;
  for (;;) {
    const e = t.next(k);
    if (!e) break;
    k = e[0];
    // IS_INT_EQUIVALENT: (int)n == n
    if (typeof k !== 'number' || k <= 0 || !(k <= 2147483647 && Math.trunc(k) === k)) return false;
    if (k > max) max = k;
    count++;
  }
  return max === count;
}

function encode(L: LuaState, v: LuaValue, level: number, out: string[]): void {
  if (v instanceof LuaTable && level === MAX_NESTING) v = undefined;
  switch (typeof v) {
    case 'string': {
      const n = v.length;
      out.push((n < 32 ? String.fromCharCode(0xa0 | n) : n <= 0xff ? '\xd9' + be(n, 1) : n <= 0xffff ? '\xda' + be(n, 2) : '\xdb' + be(n, 4)) + v);
      return;
    }
    case 'boolean': out.push(v ? '\xc3' : '\xc2'); return;
    case 'number': {
      // IS_INT64_EQUIVALENT: (int64_t)n == n and not inf
      if (Number.isFinite(v) && Math.trunc(v) === v && v >= -9223372036854775808 && v < 9223372036854775808) out.push(encodeInt(v));
      else out.push(encodeDouble(v));
      return;
    }
    default: break;
  }
  if (v instanceof LuaTable) {
    if (isArray(v)) {
      const len = v.length();
      out.push(header(len, 0x90, 15, '\xdc', '\xdd'));
      for (let j = 1; j <= len; j++) encode(L, L.index(v, j, NOSITE) as LuaValue, level + 1, out);
      return;
    }
    let n = 0;
    let k: unknown = undefined;
    for (;;) { const e = v.next(k); if (!e) break; k = e[0]; n++; }
    out.push(header(n, 0x80, 15, '\xde', '\xdf'));
    k = undefined;
    for (;;) {
      const e = v.next(k);
      if (!e) break;
      k = e[0];
      encode(L, e[0] as LuaValue, level + 1, out);
      encode(L, e[1] as LuaValue, level + 1, out);
    }
    return;
  }
  out.push('\xc0');
}

const NOSITE = { chunk: '', line: -1, k1: '', n1: '', k2: '', n2: '', call: false, ck: '', cn: '' };

class Eof extends Error {}
class BadFmt extends Error {}

class Cursor {
  constructor(readonly s: string, public p: number) {}
  need(n: number): void { if (this.p + n > this.s.length) throw new Eof(); }
  byte(i: number): number { return this.s.charCodeAt(this.p + i); }
  uint(off: number, n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + this.byte(off + i);
    return v;
  }
}

function decode(L: LuaState, c: Cursor): LuaValue {
  c.need(1);
  const b = c.byte(0);
  const str = (hdr: number, len: number): string => {
    c.need(hdr + len);
    const s = c.s.slice(c.p + hdr, c.p + hdr + len);
    c.p += hdr + len;
    return s;
  };
  const arr = (hdr: number, n: number): LuaValue => {
    c.p += hdr;
    const t = L.newTable();
    for (let i = 1; i <= n; i++) {
      const v = decode(L, c);
      if (v !== undefined) t.set(i, v);
    }
    return t;
  };
  const map = (hdr: number, n: number): LuaValue => {
    c.p += hdr;
    const t = L.newTable();
    for (let i = 0; i < n; i++) {
      const k = decode(L, c);
      const v = decode(L, c);
      if (k === undefined || k !== k) throw new BadFmt();
      t.set(k, v);
    }
    return t;
  };
  if (b <= 0x7f) { c.p++; return b; }
  if (b >= 0xe0) { c.p++; return b - 256; }
  if ((b & 0xe0) === 0xa0) return str(1, b & 0x1f);
  if ((b & 0xf0) === 0x90) { c.need(1); return arr(1, b & 0xf); }
  if ((b & 0xf0) === 0x80) { c.need(1); return map(1, b & 0xf); }
  switch (b) {
    case 0xcc: c.need(2); c.p += 2; return c.byte(-1);
    case 0xd0: c.need(2); c.p += 2; return (c.byte(-1) << 24) >> 24;
    case 0xcd: c.need(3); { const v = c.uint(1, 2); c.p += 3; return v; }
    case 0xd1: c.need(3); { const v = (c.uint(1, 2) << 16) >> 16; c.p += 3; return v; }
    case 0xce: c.need(5); { const v = c.uint(1, 4); c.p += 5; return v; }
    case 0xd2: c.need(5); { const v = c.uint(1, 4) | 0; c.p += 5; return v; }
    case 0xcf: c.need(9); { const v = c.uint(1, 8); c.p += 9; return v; }
    case 0xd3: c.need(9); {
      let x = 0n;
      for (let i = 1; i <= 8; i++) x = (x << 8n) | BigInt(c.byte(i));
      c.p += 9;
      return Number(BigInt.asIntN(64, x));
    }
    case 0xc0: c.p++; return undefined;
    case 0xc3: c.p++; return true;
    case 0xc2: c.p++; return false;
    case 0xca: c.need(5); { for (let i = 0; i < 4; i++) dv.setUint8(i, c.byte(1 + i)); c.p += 5; return dv.getFloat32(0); }
    case 0xcb: c.need(9); { for (let i = 0; i < 8; i++) dv.setUint8(i, c.byte(1 + i)); c.p += 9; return dv.getFloat64(0); }
    case 0xd9: c.need(2); return str(2, c.byte(1));
    case 0xda: c.need(3); return str(3, c.uint(1, 2));
    case 0xdb: c.need(5); return str(5, c.uint(1, 4));
    case 0xdc: c.need(3); return arr(3, c.uint(1, 2));
    case 0xdd: c.need(5); return arr(5, c.uint(1, 4));
    case 0xde: c.need(3); return map(3, c.uint(1, 2));
    case 0xdf: c.need(5); return map(5, c.uint(1, 4));
    default: throw new BadFmt();
  }
}

export function openCmsgpack(L: LuaState): LuaTable {
  const M = L.newTable();
  const reg = (name: string, f: (A: Args) => LuaValue[]): void => { M.set(name, L.fn(name, (...a) => f(new Args(L, a)))); };
  reg('pack', (A) => {
    if (A.a.length === 0) L.argError(0, 'MessagePack pack needs input.');
    const out: string[] = [];
    for (const v of A.a) encode(L, v, 0, out);
    return [out.join('')];
  });
  const full = (s: string, limit: number, offset: number): LuaValue[] => {
    const decodeAll = limit === 0 && offset === 0;
    if (offset < 0 || limit < 0) L.error(`Invalid request to unpack with offset of ${offset} and limit of ${s.length}.`);
    else if (offset > s.length) L.error(`Start offset ${offset} greater than input length ${s.length}.`);
    if (decodeAll) limit = 2147483647;
    const c = new Cursor(s, offset);
    const out: LuaValue[] = [];
    for (let cnt = 0; c.p < s.length && cnt < limit; cnt++) {
      try {
        out.push(decode(L, c));
      } catch (e) {
        if (e instanceof Eof) L.error('Missing bytes in input.');
        if (e instanceof BadFmt) L.error('Bad data format in input.');
        throw e;
      }
    }
    if (!decodeAll) out.unshift(c.p >= s.length ? -1 : c.p);
    return out;
  };
  reg('unpack', (A) => full(A.str(1), 0, 0));
  reg('unpack_one', (A) => { const off = A.optInt(2, 0); return full(A.str(1), 1, off); });
  reg('unpack_limit', (A) => { const lim = A.int(2); const off = A.optInt(3, 0); return full(A.str(1), lim, off); });
  M.set('_NAME', 'cmsgpack');
  M.set('_VERSION', 'lua-cmsgpack 0.4.0');
  M.set('_COPYRIGHT', 'Copyright (C) 2012, Redis Ltd.');
  M.set('_DESCRIPTION', 'MessagePack C implementation for Lua');
  return M;
}
