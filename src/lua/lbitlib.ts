/** The `bit` library as Valkey bundles it (Lua BitOp, deps/lua/src/lua_bit.c). */
import { Args } from './auxlib.js';
import type { LuaState } from './state.js';
import type { LuaValue } from './value.js';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** barg: the low 32 bits of n + 2^52 + 2^51 (round to nearest, wrap modulo 2^32). */
function barg(L: LuaState, A: Args, i: number): number {
  const v = A.a[i - 1];
  const n = L.tonum(v) ?? 0;
  f64[0] = n + 6755399441055744.0;
  const b = u32[0]!;
  if (b === 0 && L.tonum(v) === undefined) A.typeError(i, 'number');
  return b;
}

export function openBit(L: LuaState): void {
  const B = L.newTable();
  L.globals.set('bit', B);
  const reg = (name: string, f: (A: Args) => number | string): void => {
    B.set(name, L.fn(name, (...a: LuaValue[]) => [f(new Args(L, a))]));
  };
  const fold = (op: (x: number, y: number) => number) => (A: Args): number => {
    let b = barg(L, A, 1);
    for (let i = A.a.length; i > 1; i--) b = op(b, barg(L, A, i));
    return b | 0;
  };
  reg('tobit', (A) => barg(L, A, 1) | 0);
  reg('bnot', (A) => ~barg(L, A, 1));
  reg('band', fold((x, y) => x & y));
  reg('bor', fold((x, y) => x | y));
  reg('bxor', fold((x, y) => x ^ y));
  const shift = (fn: (b: number, n: number) => number) => (A: Args): number => {
    const b = barg(L, A, 1);
    const n = barg(L, A, 2) & 31;
    return fn(b, n) | 0;
  };
  reg('lshift', shift((b, n) => b << n));
  reg('rshift', shift((b, n) => b >>> n));
  reg('arshift', shift((b, n) => b >> n));
  reg('rol', shift((b, n) => (b << n) | (b >>> (32 - n))));
  reg('ror', shift((b, n) => (b >>> n) | (b << (32 - n))));
  reg('bswap', (A) => {
    const b = barg(L, A, 1);
    return ((b >>> 24) | ((b >>> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24)) | 0;
  });
  reg('tohex', (A) => {
    let b = barg(L, A, 1);
    let n = A.a.length < 2 ? 8 : barg(L, A, 2) | 0;
    let digits = '0123456789abcdef';
    if (n === -2147483648) n = -2147483647;
    if (n < 0) { n = -n; digits = '0123456789ABCDEF'; }
    if (n > 8) n = 8;
    let out = '';
    for (let i = 0; i < n; i++) { out = digits[b & 15]! + out; b >>>= 4; }
    return out;
  });
}
