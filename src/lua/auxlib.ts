/** Argument checking for host functions (lauxlib.c texts). */
import { numberToString, str2number } from './number.js';
import type { LuaState } from './state.js';
import { LuaTable } from './table.js';
import { typeName, type LuaValue } from './value.js';

export class Args {
  constructor(readonly L: LuaState, readonly a: LuaValue[]) {}

  typeError(i: number, tname: string): never {
    const got = i > this.a.length ? 'no value' : typeName(this.a[i - 1]);
    this.L.argError(i, `${tname} expected, got ${got}`);
  }

  any(i: number): LuaValue {
    if (i > this.a.length) this.L.argError(i, 'value expected');
    return this.a[i - 1];
  }

  str(i: number): string {
    const v = this.a[i - 1];
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return numberToString(v);
    this.typeError(i, 'string');
  }

  optStr(i: number, def: string): string {
    const v = this.a[i - 1];
    return v === undefined ? def : this.str(i);
  }

  num(i: number): number {
    const v = this.a[i - 1];
    if (typeof v === 'number') return v;
    if (typeof v === 'string') { const n = str2number(v); if (n !== undefined) return n; }
    this.typeError(i, 'number');
  }

  optNum(i: number, def: number): number {
    return this.a[i - 1] === undefined ? def : this.num(i);
  }

  /** luaL_checkint: truncation toward zero like a C cast */
  int(i: number): number {
    const n = this.num(i);
    return toInt(n);
  }

  optInt(i: number, def: number): number {
    return this.a[i - 1] === undefined ? def : this.int(i);
  }

  table(i: number): LuaTable {
    const v = this.a[i - 1];
    if (v instanceof LuaTable) return v;
    this.typeError(i, 'table');
  }
}

/** (ptrdiff_t)d on x86-64: truncate; out of range gives INT64_MIN, which we clamp */
export function toInt(n: number): number {
  if (n !== n) return -0x8000000000000000;
  const t = Math.trunc(n);
  if (t >= 9.223372036854776e18 || t < -9.223372036854776e18) return -9.223372036854776e18;
  return t === 0 ? 0 : t;
}
