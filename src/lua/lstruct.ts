/**
 * `struct` (Roberto Ierusalimschy's struct library as bundled with Valkey:
 * deps/lua/src/lua_struct.c) for an x86-64 host: little endian by default,
 * short 2, int 4, long and size_t 8 bytes, maximum alignment 8.
 */
import { Args } from './auxlib.js';
import type { LuaState } from './state.js';
import type { LuaTable } from './table.js';
import type { LuaValue } from './value.js';

const MAXINTSIZE = 32;
const MAXALIGN = 8;
const BIG = 0;
const LITTLE = 1;

interface Header { endian: number; align: number }

interface Fmt { s: string; i: number }

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function getnum(L: LuaState, f: Fmt, df: number): number {
  if (!isDigit(f.s[f.i])) return df;
  let a = 0;
  do {
    const d = f.s.charCodeAt(f.i) - 48;
    if (a > Math.floor(2147483647 / 10) || a * 10 > 2147483647 - d) L.error('integral size overflow');
    a = a * 10 + d;
    f.i++;
  } while (isDigit(f.s[f.i]));
  return a;
}

function optsize(L: LuaState, opt: string, f: Fmt): number {
  switch (opt) {
    case 'B': case 'b': return 1;
    case 'H': case 'h': return 2;
    case 'L': case 'l': case 'T': return 8;
    case 'f': return 4;
    case 'd': return 8;
    case 'x': return 1;
    case 'c': return getnum(L, f, 1);
    case 'i': case 'I': {
      const sz = getnum(L, f, 4);
      if (sz > MAXINTSIZE) L.error(`integral size ${sz} is larger than limit of ${MAXINTSIZE}`);
      return sz;
    }
    default: return 0;
  }
}

function gettoalign(len: number, h: Header, opt: string, size: number): number {
  if (size === 0 || opt === 'c') return 0;
  if (size > h.align) size = h.align;
  return (size - (len & (size - 1))) & (size - 1);
}

function controloptions(L: LuaState, opt: string, f: Fmt, h: Header): void {
  switch (opt) {
    case ' ': return;
    case '>': h.endian = BIG; return;
    case '<': h.endian = LITTLE; return;
    case '!': {
      const a = getnum(L, f, MAXALIGN);
      if (!(a > 0 && (a & (a - 1)) === 0)) L.error(`alignment ${a} is not a power of 2`);
      h.align = a;
      return;
    }
    default: L.argError(1, `invalid format option '${opt}'`);
  }
}

const dv = new DataView(new ArrayBuffer(8));

export function openStruct(L: LuaState): LuaTable {
  const M = L.newTable();
  const reg = (name: string, fn: (A: Args) => LuaValue[]): void => { M.set(name, L.fn(name, (...a) => fn(new Args(L, a)))); };

  reg('pack', (A) => {
    const f: Fmt = { s: A.str(1), i: 0 };
    const h: Header = { endian: LITTLE, align: 1 };
    let arg = 2;
    let total = 0;
    let out = '';
    while (f.i < f.s.length && f.s[f.i] !== '\0') {
      const opt = f.s[f.i++]!;
      let size = optsize(L, opt, f);
      const toalign = gettoalign(total, h, opt, size);
      total += toalign;
      out += '\0'.repeat(toalign);
      switch (opt) {
        case 'b': case 'B': case 'h': case 'H': case 'l': case 'L': case 'T': case 'i': case 'I': {
          const n = A.num(arg++);
          let v = BigInt.asUintN(64, BigInt(Number.isFinite(n) ? Math.trunc(n) : 0));
          const bytes: number[] = [];
          for (let i = 0; i < size; i++) { bytes.push(Number(v & 0xffn)); v >>= 8n; }
          if (h.endian === BIG) bytes.reverse();
          out += String.fromCharCode(...bytes);
          break;
        }
        case 'x': out += '\0'; break;
        case 'f': case 'd': {
          const n = A.num(arg++);
          if (opt === 'f') dv.setFloat32(0, n, h.endian === LITTLE); else dv.setFloat64(0, n, h.endian === LITTLE);
          for (let i = 0; i < size; i++) out += String.fromCharCode(dv.getUint8(i));
          break;
        }
        case 'c': case 's': {
          const s = A.str(arg++);
          if (size === 0) size = s.length;
          if (!(s.length >= size)) L.argError(arg, 'string too short');
          out += s.slice(0, size);
          if (opt === 's') { out += '\0'; size++; }
          break;
        }
        default: controloptions(L, opt, f, h);
      }
      total += size;
    }
    return [out];
  });

  reg('unpack', (A) => {
    const f: Fmt = { s: A.str(1), i: 0 };
    const data = A.str(2);
    const ld = data.length;
    let pos = A.optInt(3, 1);
    if (!(pos > 0)) L.argError(3, 'offset must be 1 or greater');
    pos--;
    const h: Header = { endian: LITTLE, align: 1 };
    const res: LuaValue[] = [];
    while (f.i < f.s.length && f.s[f.i] !== '\0') {
      const opt = f.s[f.i++]!;
      let size = optsize(L, opt, f);
      pos += gettoalign(pos, h, opt, size);
      if (!(size <= ld && pos <= ld - size)) L.argError(2, 'data string too short');
      switch (opt) {
        case 'b': case 'B': case 'h': case 'H': case 'l': case 'L': case 'T': case 'i': case 'I': {
          let l = 0n;
          for (let k = 0; k < size; k++) {
            const idx = h.endian === BIG ? pos + k : pos + size - 1 - k;
            l = BigInt.asUintN(64, (l << 8n) | BigInt(data.charCodeAt(idx)));
          }
          if (opt === opt.toLowerCase() && size * 8 - 1 < 64) {
            const mask = BigInt.asUintN(64, ~0n << BigInt(size * 8 - 1));
            if (l & mask) l |= mask;
            res.push(Number(BigInt.asIntN(64, l)));
          } else {
            res.push(Number(l));
          }
          break;
        }
        case 'x': break;
        case 'f': case 'd': {
          for (let k = 0; k < size; k++) dv.setUint8(k, data.charCodeAt(pos + k));
          res.push(opt === 'f' ? dv.getFloat32(0, h.endian === LITTLE) : dv.getFloat64(0, h.endian === LITTLE));
          break;
        }
        case 'c': {
          if (size === 0) {
            const prev = res[res.length - 1];
            if (res.length === 0 || L.tonum(prev) === undefined) L.error("format 'c0' needs a previous size");
            size = Math.trunc(L.tonum(prev)!);
            res.pop();
            if (!(size <= ld && pos <= ld - size)) L.argError(2, 'data string too short');
          }
          res.push(data.slice(pos, pos + size));
          break;
        }
        case 's': {
          const e = data.indexOf('\0', pos);
          if (e < 0) L.error('unfinished string in data');
          size = e - pos + 1;
          res.push(data.slice(pos, e));
          break;
        }
        default: controloptions(L, opt, f, h);
      }
      pos += size;
    }
    res.push(pos + 1);
    return res;
  });

  reg('size', (A) => {
    const f: Fmt = { s: A.str(1), i: 0 };
    const h: Header = { endian: LITTLE, align: 1 };
    let pos = 0;
    while (f.i < f.s.length && f.s[f.i] !== '\0') {
      const opt = f.s[f.i++]!;
      const size = optsize(L, opt, f);
      pos += gettoalign(pos, h, opt, size);
      if (opt === 's') L.argError(1, "option 's' has no fixed size");
      else if (opt === 'c' && size === 0) L.argError(1, "option 'c0' has no fixed size");
      if (!/[a-zA-Z0-9]/.test(opt)) controloptions(L, opt, f, h);
      pos += size;
    }
    return [pos];
  });
  return M;
}
