/** Base, table, math, coroutine and os libraries (lbaselib.c, ltablib.c, lmathlib.c). */
import { Args, toInt } from './auxlib.js';
import { numberToString, str2number, strtoul, isSpace } from './number.js';
import type { LuaState } from './state.js';
import { LuaTable, TableError } from './table.js';
import { Coroutine, LuaError, LuaFunction, NATIVE_SITE, Userdata, typeName, type LuaValue, type NativeFn } from './value.js';

function reg(L: LuaState, t: LuaTable, name: string, f: (A: Args) => LuaValue[]): LuaFunction {
  const fn = L.fn(name, (...a) => f(new Args(L, a)));
  t.set(name, fn);
  return fn;
}

export function addressOf(v: LuaValue): string {
  const hid = (v as { hid: number }).hid;
  return '0x' + (0x5555_0000_0000 + hid * 0x40).toString(16).padStart(12, '0');
}

/** tostring() without a metamethod */
export function rawToString(v: LuaValue): string {
  switch (typeof v) {
    case 'undefined': return 'nil';
    case 'boolean': return v ? 'true' : 'false';
    case 'number': return numberToString(v);
    case 'string': return v;
    default:
      return `${typeName(v)}: ${addressOf(v)}`;
  }
}

export function toStringMeta(L: LuaState, v: LuaValue): LuaValue {
  const tm = L.metaOf(v, '__tostring');
  if (tm !== undefined) return L.callFromNative(tm, [v])[0];
  return rawToString(v);
}

export function openBase(L: LuaState): void {
  const G = L.globals;
  G.set('_G', G);
  G.set('_VERSION', 'Lua 5.1');
  reg(L, G, 'print', (A) => {
    const tostring = G.get('tostring') as LuaValue;
    const parts: string[] = [];
    for (let i = 0; i < A.a.length; i++) {
      const s = L.callFromNative(tostring, [A.a[i]])[0];
      if (typeof s !== 'string') L.error("'tostring' must return a string to 'print'");
      parts.push(s);
    }
    L.print(parts.join('\t'));
    return [];
  });
  reg(L, G, 'type', (A) => [typeName(A.any(1))]);
  reg(L, G, 'tostring', (A) => [toStringMeta(L, A.any(1))]);
  reg(L, G, 'tonumber', (A) => {
    const base = A.optInt(2, 10);
    if (base === 10) {
      const v = A.any(1);
      if (typeof v === 'number') return [v];
      if (typeof v === 'string') return [str2number(v)];
      return [undefined];
    }
    const s = A.str(1);
    if (!(base >= 2 && base <= 36)) L.argError(2, 'base out of range');
    const [n, end] = strtoul(s, 0, base);
    if (end !== 0) {
      let e = end;
      while (e < s.length && isSpace(s.charCodeAt(e))) e++;
      if (e === s.length) return [n];
    }
    return [undefined];
  });
  reg(L, G, 'rawequal', (A) => [A.any(1) === A.any(2)]);
  reg(L, G, 'rawget', (A) => { const t = A.table(1); A.any(2); return [t.get(A.a[1]) as LuaValue]; });
  reg(L, G, 'rawset', (A) => {
    const t = A.table(1); A.any(2); A.any(3);
    if (t.readonly) throw new LuaError('Attempt to modify a readonly table');
    try { t.set(A.a[1], A.a[2]); } catch (e) { if (e instanceof TableError) throw new LuaError(e.message); throw e; }
    return [t];
  });
  reg(L, G, 'getmetatable', (A) => {
    const mt = L.getMetatable(A.any(1));
    if (!mt) return [undefined];
    const p = mt.getStr('__metatable') as LuaValue;
    return [p !== undefined ? p : mt];
  });
  reg(L, G, 'setmetatable', (A) => {
    const t = A.table(1);
    const mt = A.a[1];
    if (!(mt === undefined || mt instanceof LuaTable)) L.argError(2, 'nil or table expected');
    if (t.metatable && t.metatable.getStr('__metatable') !== undefined) L.error('cannot change a protected metatable');
    if (t.readonly) throw new LuaError('Attempt to modify a readonly table');
    t.metatable = mt;
    return [t];
  });
  reg(L, G, 'assert', (A) => {
    const v = A.any(1);
    if (v === undefined || v === false) L.error(A.optStr(2, 'assertion failed!'));
    return A.a;
  });
  reg(L, G, 'error', (A) => {
    const level = A.optInt(2, 1);
    let v = A.a[0];
    if ((typeof v === 'string' || typeof v === 'number') && level > 0) v = L.where(level) + (typeof v === 'number' ? numberToString(v) : v);
    throw new LuaError(v);
  });
  reg(L, G, 'pcall', (A) => {
    A.any(1);
    const d0 = L.depth, c0 = L.nC;
    try {
      return [true, ...L.callFromNative(A.a[0], A.a.slice(1))];
    } catch (e) {
      L.depth = d0; L.nC = c0;
      const le = L.toLuaError(e);
      if (!(le instanceof LuaError)) throw le;
      return [false, le.value];
    }
  });
  // In a preemptible task (LuaState.runTask) pcall lets the protected call suspend with the task.
  // Inside a coroutine it stays a C boundary, as in 5.1 (a yield there is an error).
  const pcall = G.getStr('pcall') as LuaFunction;
  G.set('pcall', new LuaFunction(pcall.hid, pcall.f, function* (...a: LuaValue[]) {
    if (L.current !== undefined || L.task === undefined) return pcall.f(...a);
    new Args(L, a).any(1);
    const f = a[0];
    const d0 = L.depth, c0 = L.nC;
    L.cur[++L.depth] = NATIVE_SITE;
    try {
      let r: LuaValue[];
      if (f instanceof LuaFunction) r = f.g ? yield* f.g(...a.slice(1)) : f.f(...a.slice(1));
      else r = L.callMeta(f, NATIVE_SITE, a.slice(1));
      L.depth = d0;
      return [true, ...r];
    } catch (e) {
      L.depth = d0; L.nC = c0;
      const le = L.toLuaError(e);
      if (!(le instanceof LuaError)) throw le;
      return [false, le.value];
    }
  }, 'pcall', true));
  reg(L, G, 'xpcall', (A) => {
    A.any(2);
    const d0 = L.depth, c0 = L.nC;
    try {
      return [true, ...L.callFromNative(A.a[0], [])];
    } catch (e) {
      L.depth = d0; L.nC = c0;
      const le = L.toLuaError(e);
      if (!(le instanceof LuaError)) throw le;
      return [false, L.callFromNative(A.a[1], [le.value])[0]];
    }
  });
  reg(L, G, 'select', (A) => {
    const n = A.a.length;
    const v = A.a[0];
    if (typeof v === 'string' && v[0] === '#') return [n - 1];
    let i = A.int(1);
    if (i < 0) i = n + i;
    else if (i > n) i = n;
    if (!(1 <= i)) L.argError(1, 'index out of range');
    return A.a.slice(i);
  });
  reg(L, G, 'next', (A) => L.nextFn.f(...A.a));
  G.set('next', L.nextFn);
  const ipairsAux = L.fn('ipairs_aux', (t, i) => {
    const n = (i as number) + 1;
    const v = (t as LuaTable).getInt(n) as LuaValue;
    return v === undefined ? [undefined] : [n, v];
  });
  reg(L, G, 'ipairs', (A) => [ipairsAux, A.table(1), 0]);
  reg(L, G, 'pairs', (A) => [L.nextFn, A.table(1), undefined]);
  reg(L, G, 'unpack', (A) => unpack(L, A));
  reg(L, G, 'loadstring', (A) => {
    const s = A.str(1);
    const name = A.optStr(2, s);
    try { return [L.load(s, name)]; } catch (e) { if (e instanceof LuaError) return [undefined, e.value]; throw e; }
  });
  reg(L, G, 'load', (A) => {
    const f = A.a[0];
    if (!(f instanceof LuaFunction)) A.typeError(1, 'function');
    const name = A.optStr(2, '=(load)');
    let src = '';
    for (;;) {
      const piece = L.callFromNative(f, [])[0];
      if (piece === undefined || piece === '') break;
      if (typeof piece !== 'string') return [undefined, 'reader function must return a string'];
      src += piece;
    }
    try { return [L.load(src, name)]; } catch (e) { if (e instanceof LuaError) return [undefined, e.value]; throw e; }
  });
  reg(L, G, 'collectgarbage', (A) => {
    const opt = A.optStr(1, 'collect');
    const opts = ['stop', 'restart', 'collect', 'count', 'step', 'setpause', 'setstepmul'];
    if (!opts.includes(opt)) L.argError(1, `invalid option '${opt}'`);
    if (opt === 'count') return [0];
    if (opt === 'step') return [false];
    return [0];
  });
  reg(L, G, 'gcinfo', () => [0]);
  reg(L, G, 'getfenv', () => [G]);
  reg(L, G, 'setfenv', () => L.error("'setfenv' is not supported"));
  reg(L, G, 'newproxy', () => [new Userdata(L.newId(), undefined)]);
}

export function unpack(L: LuaState, A: Args): LuaValue[] {
  const t = A.table(1);
  const i = A.optInt(2, 1);
  const e = A.a[2] === undefined ? t.length() : A.int(3);
  if (i > e) return [];
  const n = e - i + 1;
  if (n <= 0 || n >= 8000) L.error('too many results to unpack');
  const out: LuaValue[] = new Array<LuaValue>(n);
  for (let k = 0; k < n; k++) out[k] = t.getInt(i + k) as LuaValue;
  return out;
}

export function openTable(L: LuaState): void {
  const T = L.newTable();
  L.globals.set('table', T);
  reg(L, T, 'getn', (A) => [A.table(1).length()]);
  reg(L, T, 'setn', (A) => { A.table(1); return L.error("'setn' is obsolete"); });
  reg(L, T, 'maxn', (A) => {
    const t = A.table(1);
    let max = 0;
    let k: LuaValue = undefined;
    for (;;) {
      const r = t.next(k);
      if (!r) break;
      k = r[0] as LuaValue;
      if (typeof k === 'number' && k > max) max = k;
    }
    return [max];
  });
  reg(L, T, 'insert', (A) => {
    const t = A.table(1);
    let e = t.length() + 1;
    let pos: number;
    if (A.a.length === 2) pos = e;
    else if (A.a.length === 3) {
      pos = A.int(2);
      if (pos > e) e = pos;
      for (let i = e; i > pos; i--) rawSetI(L, t, i, t.getInt(i - 1) as LuaValue);
    } else L.error("wrong number of arguments to 'insert'");
    rawSetI(L, t, pos, A.a[A.a.length - 1]);
    return [];
  });
  reg(L, T, 'remove', (A) => {
    const t = A.table(1);
    const e = t.length();
    let pos = A.optInt(2, e);
    if (!(1 <= pos && pos <= e)) return [];
    const v = t.getInt(pos) as LuaValue;
    for (; pos < e; pos++) rawSetI(L, t, pos, t.getInt(pos + 1) as LuaValue);
    rawSetI(L, t, e, undefined);
    return [v];
  });
  reg(L, T, 'concat', (A) => {
    const t = A.table(1);
    const sep = A.optStr(2, '');
    const i = A.optInt(3, 1);
    const j = A.a[3] === undefined ? t.length() : A.int(4);
    const parts: string[] = [];
    for (let k = i; k <= j; k++) {
      const v = t.getInt(k) as LuaValue;
      if (typeof v === 'string') parts.push(v);
      else if (typeof v === 'number') parts.push(numberToString(v));
      else L.error(`invalid value (${typeName(v)}) at index ${k} in table for 'concat'`);
    }
    return [parts.join(sep)];
  });
  reg(L, T, 'foreach', (A) => {
    const t = A.table(1);
    const f = A.a[1];
    if (!(f instanceof LuaFunction)) A.typeError(2, 'function');
    let k: LuaValue = undefined;
    for (;;) {
      const r = t.next(k);
      if (!r) return [];
      k = r[0] as LuaValue;
      const v = L.callFromNative(f, [k, r[1] as LuaValue])[0];
      if (v !== undefined) return [v];
    }
  });
  reg(L, T, 'foreachi', (A) => {
    const t = A.table(1);
    const f = A.a[1];
    if (!(f instanceof LuaFunction)) A.typeError(2, 'function');
    const n = t.length();
    for (let i = 1; i <= n; i++) {
      const v = L.callFromNative(f, [i, t.getInt(i) as LuaValue])[0];
      if (v !== undefined) return [v];
    }
    return [];
  });
  reg(L, T, 'sort', (A) => {
    const t = A.table(1);
    const n = t.length();
    const cmp = A.a[1];
    if (cmp !== undefined && !(cmp instanceof LuaFunction)) A.typeError(2, 'function');
    sort(L, t, n, cmp as LuaFunction | undefined);
    return [];
  });
}

function rawSetI(L: LuaState, t: LuaTable, i: number, v: LuaValue): void {
  if (t.readonly) throw new LuaError('Attempt to modify a readonly table');
  void L;
  t.setInt(i, v);
}

/** ltablib.c's auxsort: quicksort with median of three, same comparisons in the same order. */
function sort(L: LuaState, t: LuaTable, n: number, cmp: LuaFunction | undefined): void {
  const S = NATIVE_SITE;
  const lt = (a: LuaValue, b: LuaValue): boolean => {
    if (cmp) { const r = L.callFromNative(cmp, [a, b])[0]; return r !== undefined && r !== false; }
    return (L.ops['LT'] as (a: LuaValue, b: LuaValue, s: typeof S) => boolean)(a, b, S);
  };
  const get = (i: number): LuaValue => t.getInt(i) as LuaValue;
  const set = (i: number, v: LuaValue): void => rawSetI(L, t, i, v);
  const auxsort = (l: number, u: number): void => {
    while (l < u) {
      if (--L.budget <= 0) L.tick();
      let a = get(l), b = get(u);
      if (lt(b, a)) { set(l, b); set(u, a); }
      if (u - l === 1) break;
      let i = Math.floor((l + u) / 2);
      a = get(i); b = get(l);
      if (lt(a, b)) { set(i, b); set(l, a); }
      else {
        b = get(u);
        if (lt(b, a)) { set(i, b); set(u, a); }
      }
      if (u - l === 2) break;
      const P = get(i);
      set(i, get(u - 1)); set(u - 1, P);
      i = l;
      let j = u - 1;
      for (;;) {
        while (lt(a = get(++i), P)) {
          if (i > u) L.error('invalid order function for sorting');
        }
        while (lt(P, b = get(--j))) {
          if (j < l) L.error('invalid order function for sorting');
        }
        if (j < i) break;
        set(i, b); set(j, a);
      }
      { const x = get(u - 1), y = get(i); set(u - 1, y); set(i, x); }
      if (i - l < u - i) { j = l; i = i - 1; l = i + 2; }
      else { j = i + 1; i = u; u = j - 2; }
      auxsort(j, i);
    }
  };
  auxsort(1, n);
}

export function openMath(L: LuaState, random: () => number): void {
  const M = L.newTable();
  L.globals.set('math', M);
  M.set('pi', Math.PI);
  M.set('huge', Infinity);
  const f1 = (name: string, f: (x: number) => number): void => { reg(L, M, name, (A) => [f(A.num(1))]); };
  f1('abs', Math.abs); f1('ceil', Math.ceil); f1('floor', Math.floor); f1('sqrt', Math.sqrt);
  f1('sin', Math.sin); f1('cos', Math.cos); f1('tan', Math.tan); f1('asin', Math.asin); f1('acos', Math.acos);
  f1('atan', Math.atan); f1('exp', Math.exp); f1('log10', Math.log10); f1('sinh', Math.sinh); f1('cosh', Math.cosh);
  f1('tanh', Math.tanh); f1('deg', (x) => x * (180 / Math.PI)); f1('rad', (x) => x * (Math.PI / 180));
  f1('log', Math.log);
  reg(L, M, 'atan2', (A) => [Math.atan2(A.num(1), A.num(2))]);
  reg(L, M, 'pow', (A) => [(L.ops['POW'] as (a: number, b: number) => number)(A.num(1), A.num(2))]);
  reg(L, M, 'fmod', (A) => [A.num(1) % A.num(2)]);
  reg(L, M, 'modf', (A) => {
    const x = A.num(1);
    const ip = x >= 0 ? Math.floor(x) : Math.ceil(x);
    const fp = x === Infinity || x === -Infinity ? 0 : x - ip;
    return [ip, fp];
  });
  reg(L, M, 'frexp', (A) => {
    const x = A.num(1);
    if (x === 0 || !Number.isFinite(x)) return [x, 0];
    let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
    let m = x * Math.pow(2, -e);
    while (Math.abs(m) < 0.5) { m *= 2; e--; }
    while (Math.abs(m) >= 1) { m /= 2; e++; }
    return [m, e];
  });
  reg(L, M, 'ldexp', (A) => [A.num(1) * Math.pow(2, A.int(2))]);
  reg(L, M, 'min', (A) => {
    let m = A.num(1);
    for (let i = 2; i <= A.a.length; i++) { const v = A.num(i); if (v < m) m = v; }
    return [m];
  });
  reg(L, M, 'max', (A) => {
    let m = A.num(1);
    for (let i = 2; i <= A.a.length; i++) { const v = A.num(i); if (v > m) m = v; }
    return [m];
  });
  reg(L, M, 'random', (A) => {
    const r = random();
    switch (A.a.length) {
      case 0: return [r];
      case 1: {
        const u = A.int(1);
        if (!(1 <= u)) L.argError(1, 'interval is empty');
        return [Math.floor(r * u) + 1];
      }
      case 2: {
        const l = A.int(1), u = A.int(2);
        if (!(l <= u)) L.argError(2, 'interval is empty');
        return [Math.floor(r * (u - l + 1)) + l];
      }
      default: return L.error('wrong number of arguments');
    }
  });
  reg(L, M, 'randomseed', (A) => { A.int(1); return []; });
}

export function openCoroutine(L: LuaState): void {
  const C = L.newTable();
  L.globals.set('coroutine', C);
  const co = (A: Args): Coroutine => {
    const c = A.a[0];
    if (!(c instanceof Coroutine)) L.argError(1, 'coroutine expected');
    return c;
  };
  const create = (A: Args): Coroutine => {
    const f = A.a[0];
    if (!(f instanceof LuaFunction) || f.native) L.argError(1, 'Lua function expected');
    return new Coroutine(L.newId(), f);
  };
  reg(L, C, 'create', (A) => [create(A)]);
  reg(L, C, 'resume', (A) => L.resume(co(A), A.a.slice(1)));
  reg(L, C, 'status', (A) => [co(A).status]);
  reg(L, C, 'running', () => [L.current]);
  reg(L, C, 'wrap', (A) => {
    const c = create(A);
    return [L.fn('wrap', (...args) => {
      const r = L.resume(c, args);
      if (r[0] === true) return r.slice(1);
      let e = r[1];
      if (typeof e === 'string' || typeof e === 'number') e = L.where(1) + (typeof e === 'number' ? numberToString(e) : e);
      throw new LuaError(e);
    })];
  });
  const y = reg(L, C, 'yield', () => {
    throw new LuaError('attempt to yield across metamethod/C-call boundary');
  });
  y.y = true;
}

export function openOs(L: LuaState, clock: () => number): void {
  const O = L.newTable();
  L.globals.set('os', O);
  reg(L, O, 'clock', () => [clock()]);
}

export type { NativeFn };
export { toInt };
