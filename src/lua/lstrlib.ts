/** The string library (lstrlib.c): patterns ported semantically, printf-style format. */
import { Args, toInt } from './auxlib.js';
import { fmtFloat, numberToString } from './number.js';
import type { LuaState } from './state.js';
import { LuaTable } from './table.js';
import { LuaError, LuaFunction, typeName, type LuaValue } from './value.js';

const MAXCAPTURES = 32;
const CAP_UNFINISHED = -1;
const CAP_POSITION = -2;
const L_ESC = 37; // %
const SPECIALS = '^$*+?.([%-';
const MAXCCALLS = 200;

interface MS {
  src: string;
  pat: string;
  level: number;
  capStart: number[];
  capLen: number[];
  depth: number;
}

function isalpha(c: number): boolean { return (c >= 65 && c <= 90) || (c >= 97 && c <= 122); }
function isdigit(c: number): boolean { return c >= 48 && c <= 57; }
function islower(c: number): boolean { return c >= 97 && c <= 122; }
function isupper(c: number): boolean { return c >= 65 && c <= 90; }
function isspace(c: number): boolean { return c === 32 || (c >= 9 && c <= 13); }
function iscntrl(c: number): boolean { return c < 32 || c === 127; }
function ispunct(c: number): boolean { return c > 32 && c < 127 && !isalpha(c) && !isdigit(c); }
function isxdigit(c: number): boolean { return isdigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70); }

function classEnd(L: LuaState, ms: MS, p: number): number {
  const pat = ms.pat;
  const c = pat.charCodeAt(p++);
  if (c === L_ESC) {
    if (p >= pat.length) L.error('malformed pattern (ends with \'%\')');
    return p + 1;
  }
  if (c === 91) { // [
    if (pat[p] === '^') p++;
    do {
      if (p >= pat.length) L.error('malformed pattern (missing \']\')');
      const cc = pat.charCodeAt(p++);
      if (cc === L_ESC && p < pat.length) p++;
    } while (pat[p] !== ']');
    return p + 1;
  }
  return p;
}

function singleClass(c: number, cl: number): boolean {
  let res: boolean;
  switch (cl | 0x20) {
    case 97: res = isalpha(c); break; // a
    case 99: res = iscntrl(c); break; // c
    case 100: res = isdigit(c); break; // d
    case 108: res = islower(c); break; // l
    case 112: res = ispunct(c); break; // p
    case 115: res = isspace(c); break; // s
    case 117: res = isupper(c); break; // u
    case 119: res = isalpha(c) || isdigit(c); break; // w
    case 120: res = isxdigit(c); break; // x
    case 122: res = c === 0; break; // z
    default: return cl === c;
  }
  return isupper(cl) ? !res : res;
}

function matchBracketClass(ms: MS, c: number, p: number, ec: number): boolean {
  const pat = ms.pat;
  let sig = true;
  if (pat.charCodeAt(p + 1) === 94) { sig = false; p++; }
  while (++p < ec) {
    const pc = pat.charCodeAt(p);
    if (pc === L_ESC) {
      p++;
      if (singleClass(c, pat.charCodeAt(p))) return sig;
    } else if (pat.charCodeAt(p + 1) === 45 && p + 2 < ec) { // range
      p += 2;
      if (pc <= c && c <= pat.charCodeAt(p)) return sig;
    } else if (pc === c) return sig;
  }
  return !sig;
}

function singleMatch(ms: MS, c: number, p: number, ep: number): boolean {
  const pc = ms.pat.charCodeAt(p);
  switch (pc) {
    case 46: return true; // .
    case L_ESC: return singleClass(c, ms.pat.charCodeAt(p + 1));
    case 91: return matchBracketClass(ms, c, p, ep - 1);
    default: return pc === c;
  }
}

function doMatch(L: LuaState, ms: MS, s: number, p: number): number {
  if (++ms.depth > MAXCCALLS) L.error('pattern too complex');
  try {
    return match(L, ms, s, p);
  } finally { ms.depth--; }
}

/** returns the end index of the match or -1 */
function match(L: LuaState, ms: MS, s: number, p: number): number {
  const pat = ms.pat, src = ms.src;
  for (;;) {
    if (--L.budget <= 0) L.tick();
    if (p >= pat.length) return s;
    const pc = pat.charCodeAt(p);
    switch (pc) {
      case 40: { // (
        if (pat.charCodeAt(p + 1) === 41) return startCapture(L, ms, s, p + 2, CAP_POSITION);
        return startCapture(L, ms, s, p + 1, CAP_UNFINISHED);
      }
      case 41: return endCapture(L, ms, s, p + 1);
      case L_ESC: {
        const n = pat.charCodeAt(p + 1);
        if (n === 98) { // %b
          s = matchBalance(L, ms, s, p + 2);
          if (s === -1) return -1;
          p += 4;
          continue;
        }
        if (n === 102) { // %f
          p += 2;
          if (pat[p] !== '[') L.error("missing '[' after '%f' in pattern");
          const ep = classEnd(L, ms, p);
          const prev = s === 0 ? 0 : src.charCodeAt(s - 1);
          const cur = s < src.length ? src.charCodeAt(s) : 0;
          if (!matchBracketClass(ms, prev, p, ep - 1) && matchBracketClass(ms, cur, p, ep - 1)) { p = ep; continue; }
          return -1;
        }
        if (isdigit(n)) {
          s = matchCapture(L, ms, s, n);
          if (s === -1) return -1;
          p += 2;
          continue;
        }
        break; // default
      }
      case 36: // $
        if (p + 1 === pat.length) return s === src.length ? s : -1;
        break;
    }
    // default
    const ep = classEnd(L, ms, p);
    const m = s < src.length && singleMatch(ms, src.charCodeAt(s), p, ep);
    const epc = pat.charCodeAt(ep);
    switch (epc) {
      case 63: { // ?
        if (m) { const r = doMatch(L, ms, s + 1, ep + 1); if (r !== -1) return r; }
        p = ep + 1;
        continue;
      }
      case 42: return maxExpand(L, ms, s, p, ep); // *
      case 43: return m ? maxExpand(L, ms, s + 1, p, ep) : -1; // +
      case 45: return minExpand(L, ms, s, p, ep); // -
      default:
        if (!m) return -1;
        s++; p = ep;
        continue;
    }
  }
}

function maxExpand(L: LuaState, ms: MS, s: number, p: number, ep: number): number {
  let i = 0;
  while (s + i < ms.src.length && singleMatch(ms, ms.src.charCodeAt(s + i), p, ep)) i++;
  while (i >= 0) {
    const r = doMatch(L, ms, s + i, ep + 1);
    if (r !== -1) return r;
    i--;
  }
  return -1;
}

function minExpand(L: LuaState, ms: MS, s: number, p: number, ep: number): number {
  for (;;) {
    const r = doMatch(L, ms, s, ep + 1);
    if (r !== -1) return r;
    if (s < ms.src.length && singleMatch(ms, ms.src.charCodeAt(s), p, ep)) s++;
    else return -1;
  }
}

function startCapture(L: LuaState, ms: MS, s: number, p: number, what: number): number {
  if (ms.level >= MAXCAPTURES) L.error('too many captures');
  ms.capStart[ms.level] = s;
  ms.capLen[ms.level] = what;
  ms.level++;
  const r = doMatch(L, ms, s, p);
  if (r === -1) ms.level--;
  return r;
}

function endCapture(L: LuaState, ms: MS, s: number, p: number): number {
  let l = -1;
  for (let level = ms.level - 1; level >= 0; level--) if (ms.capLen[level] === CAP_UNFINISHED) { l = level; break; }
  if (l < 0) L.error('invalid pattern capture');
  ms.capLen[l] = s - ms.capStart[l]!;
  const r = doMatch(L, ms, s, p);
  if (r === -1) ms.capLen[l] = CAP_UNFINISHED;
  return r;
}

function matchBalance(L: LuaState, ms: MS, s: number, p: number): number {
  if (p + 1 >= ms.pat.length) L.error('unbalanced pattern');
  const src = ms.src;
  if (s >= src.length || src.charCodeAt(s) !== ms.pat.charCodeAt(p)) return -1;
  const b = ms.pat.charCodeAt(p), e = ms.pat.charCodeAt(p + 1);
  let cont = 1;
  while (++s < src.length) {
    const c = src.charCodeAt(s);
    if (c === e) { if (--cont === 0) return s + 1; }
    else if (c === b) cont++;
  }
  return -1;
}

function matchCapture(L: LuaState, ms: MS, s: number, l: number): number {
  const idx = l - 49;
  if (idx < 0 || idx >= ms.level || ms.capLen[idx] === CAP_UNFINISHED) L.error('invalid capture index');
  const len = ms.capLen[idx]!;
  const cap = ms.src.substr(ms.capStart[idx]!, len);
  if (ms.src.length - s >= len && ms.src.substr(s, len) === cap) return s + len;
  return -1;
}

function getCapture(L: LuaState, ms: MS, i: number, s: number, e: number): LuaValue {
  if (i >= ms.level) {
    if (i === 0) return ms.src.slice(s, e);
    L.error('invalid capture index');
  }
  const l = ms.capLen[i]!;
  if (l === CAP_UNFINISHED) L.error('unfinished capture');
  if (l === CAP_POSITION) return ms.capStart[i]! + 1;
  return ms.src.substr(ms.capStart[i]!, l);
}

function pushCaptures(L: LuaState, ms: MS, s: number, e: number, wholeIfNone: boolean): LuaValue[] {
  const n = ms.level === 0 && wholeIfNone ? 1 : ms.level;
  const out: LuaValue[] = [];
  for (let i = 0; i < n; i++) out.push(getCapture(L, ms, i, s, e));
  return out;
}

function newMS(src: string, pat: string): MS {
  return { src, pat, level: 0, capStart: [], capLen: [], depth: 0 };
}

function posrelat(pos: number, len: number): number {
  return pos < 0 ? len + pos + 1 : pos;
}

function strFindAux(L: LuaState, A: Args, find: boolean): LuaValue[] {
  const s = A.str(1), p = A.str(2);
  let init = posrelat(A.optInt(3, 1), s.length) - 1;
  if (init < 0) init = 0;
  else if (init > s.length) init = s.length;
  if (find && (A.a[3] !== undefined && A.a[3] !== false || ![...p].some((c) => SPECIALS.includes(c)))) {
    const i = s.indexOf(p, init);
    return i >= 0 ? [i + 1, i + p.length] : [undefined];
  }
  let pi = 0;
  const anchor = p[0] === '^';
  if (anchor) pi = 1;
  let s1 = init;
  do {
    const ms = newMS(s, p);
    const e = doMatch(L, ms, s1, pi);
    if (e !== -1) {
      if (find) return [s1 + 1, e, ...pushCaptures(L, ms, -1, -1, false)];
      return pushCaptures(L, ms, s1, e, true);
    }
  } while (s1++ < s.length && !anchor);
  return [undefined];
}

function addValue(L: LuaState, ms: MS, s: number, e: number, repl: LuaValue, out: string[]): void {
  if (typeof repl === 'string' || typeof repl === 'number') {
    const r = typeof repl === 'number' ? numberToString(repl) : repl;
    for (let i = 0; i < r.length; i++) {
      const c = r.charCodeAt(i);
      if (c !== L_ESC) { out.push(r[i]!); continue; }
      i++;
      const d = r.charCodeAt(i);
      if (!isdigit(d)) { out.push(r[i] ?? ''); continue; }
      if (d === 48) out.push(ms.src.slice(s, e));
      else {
        const v = getCapture(L, ms, d - 49, s, e);
        out.push(typeof v === 'number' ? numberToString(v) : (v as string));
      }
    }
    return;
  }
  let v: LuaValue;
  const cap = getCapture(L, ms, 0, s, e);
  if (repl instanceof LuaTable) v = L.index(repl, cap, L.cur[L.depth]!);
  else v = L.callFromNative(repl, pushCaptures(L, ms, s, e, true))[0];
  if (v === undefined || v === false) { out.push(ms.src.slice(s, e)); return; }
  if (typeof v === 'string' || typeof v === 'number') { out.push(typeof v === 'number' ? numberToString(v) : v); return; }
  L.error(`invalid replacement value (a ${typeName(v)})`);
}

function fmtQ(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    switch (c) {
      case '"': case '\\': case '\n': out += '\\' + c; break;
      case '\r': out += '\\r'; break;
      case '\0': out += '\\000'; break;
      default: out += c;
    }
  }
  return out + '"';
}

/** (unsigned long long)d as gcc on x86-64 computes it */
function toU64(n: number): bigint {
  const TOP = 9223372036854775808;
  const MIN = -(1n << 63n);
  const i64 = (v: number): bigint => (v !== v || v >= TOP || v < -TOP ? MIN : BigInt(Math.trunc(v)));
  if (n >= TOP) return BigInt.asUintN(64, i64(n - TOP)) ^ (1n << 63n);
  return BigInt.asUintN(64, i64(n));
}

function pad(body: string, flags: string, width: number, numeric: boolean): string {
  if (body.length >= width) return body;
  if (flags.includes('-')) return body + ' '.repeat(width - body.length);
  if (numeric && flags.includes('0')) {
    const m = /^([+\- ]?(?:0[xX])?)(.*)$/.exec(body)!;
    return m[1] + '0'.repeat(width - body.length) + m[2];
  }
  return ' '.repeat(width - body.length) + body;
}

function format(L: LuaState, A: Args): string {
  const fmt = A.str(1);
  let arg = 1;
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c !== '%') { out += c; continue; }
    if (fmt[i + 1] === '%') { out += '%'; i++; continue; }
    // scan flags / width / precision
    let j = i + 1;
    while (j < fmt.length && '-+ #0'.includes(fmt[j]!)) j++;
    const flags = fmt.slice(i + 1, j);
    if (flags.length >= 6) L.error('invalid format (repeated flags)');
    let w = j;
    if (isdigit(fmt.charCodeAt(j))) j++;
    if (isdigit(fmt.charCodeAt(j))) j++;
    const width = j > w ? parseInt(fmt.slice(w, j), 10) : 0;
    let prec = -1;
    if (fmt[j] === '.') {
      j++;
      w = j;
      if (isdigit(fmt.charCodeAt(j))) j++;
      if (isdigit(fmt.charCodeAt(j))) j++;
      prec = j > w ? parseInt(fmt.slice(w, j), 10) : 0;
    }
    if (isdigit(fmt.charCodeAt(j))) L.error('invalid format (width or precision too long)');
    const conv = fmt[j];
    arg++;
    i = j;
    if (arg > A.a.length && conv !== undefined && 'cdiouxXeEfgGqs'.includes(conv)) L.argError(arg, 'no value');
    switch (conv) {
      case 'c': out += pad(String.fromCharCode(toInt(A.num(arg)) & 255), flags, width, false); break;
      case 'd': case 'i': {
        const n = toInt(A.num(arg));
        let digits = (n < 0 ? -BigInt(n) : BigInt(n)).toString();
        if (prec >= 0) digits = prec === 0 && n === 0 ? '' : digits.padStart(prec, '0');
        const sign = n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
        out += pad(sign + digits, prec >= 0 ? flags.replace('0', '') : flags, width, true);
        break;
      }
      case 'o': case 'u': case 'x': case 'X': {
        const big = toU64(A.num(arg));
        let digits = big.toString(conv === 'o' ? 8 : conv === 'u' ? 10 : 16);
        if (conv === 'X') digits = digits.toUpperCase();
        if (prec >= 0) digits = prec === 0 && big === 0n ? '' : digits.padStart(prec, '0');
        let prefix = '';
        if (flags.includes('#') && big !== 0n) prefix = conv === 'x' ? '0x' : conv === 'X' ? '0X' : '';
        if (flags.includes('#') && conv === 'o' && !digits.startsWith('0')) digits = '0' + digits;
        out += pad(prefix + digits, prec >= 0 ? flags.replace('0', '') : flags, width, true);
        break;
      }
      case 'e': case 'E': case 'f': case 'g': case 'G': {
        const x = A.num(arg);
        let body = fmtFloat(x, conv, prec < 0 ? 6 : prec, flags.includes('#'));
        if (!body.startsWith('-')) body = (flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + body;
        out += pad(body, Number.isFinite(x) ? flags : flags.replace('0', ''), width, true);
        break;
      }
      case 'q': out += fmtQ(A.str(arg)); break;
      case 's': {
        let s = A.str(arg);
        if (prec >= 0) s = s.slice(0, prec);
        out += pad(s, flags, width, false);
        break;
      }
      default:
        L.error(`invalid option '%${conv ?? ''}' to 'format'`);
    }
  }
  return out;
}

export function openString(L: LuaState): void {
  const S = L.newTable();
  L.globals.set('string', S);
  const reg = (name: string, f: (A: Args) => LuaValue[]): LuaFunction => {
    const fn = L.fn(name, (...a) => f(new Args(L, a)));
    S.set(name, fn);
    return fn;
  };
  reg('len', (A) => [A.str(1).length]);
  reg('sub', (A) => {
    const s = A.str(1);
    const l = s.length;
    let i = posrelat(A.optInt(2, 1), l);
    let j = posrelat(A.optInt(3, -1), l);
    if (i < 1) i = 1;
    if (j > l) j = l;
    return [i <= j ? s.slice(i - 1, j) : ''];
  });
  reg('upper', (A) => [A.str(1).replace(/[a-z]+/g, (m) => m.toUpperCase())]);
  reg('lower', (A) => [A.str(1).replace(/[A-Z]+/g, (m) => m.toLowerCase())]);
  reg('rep', (A) => {
    const s = A.str(1), n = A.int(2);
    if (n <= 0 || s.length === 0) return [''];
    if (s.length * n > 0x1fffffe8) throw new LuaError('not enough memory');
    return [s.repeat(n)];
  });
  reg('reverse', (A) => [A.str(1).split('').reverse().join('')]);
  reg('byte', (A) => {
    const s = A.str(1);
    const l = s.length;
    let i = posrelat(A.optInt(2, 1), l);
    let j = posrelat(A.a[2] === undefined ? i : A.int(3), l);
    if (i <= 0) i = 1;
    if (j > l) j = l;
    if (i > j) return [];
    const n = j - i + 1;
    if (n >= 8000) L.error('string slice too long');
    const out: LuaValue[] = [];
    for (let k = i; k <= j; k++) out.push(s.charCodeAt(k - 1));
    return out;
  });
  reg('char', (A) => {
    let out = '';
    for (let i = 1; i <= A.a.length; i++) {
      const c = A.int(i);
      if (!((c & 255) === c)) L.argError(i, 'invalid value');
      out += String.fromCharCode(c);
    }
    return [out];
  });
  reg('format', (A) => [format(L, A)]);
  reg('find', (A) => strFindAux(L, A, true));
  reg('match', (A) => strFindAux(L, A, false));
  reg('gmatch', (A) => {
    const s = A.str(1), p = A.str(2);
    let src = 0;
    return [L.fn('gmatch_aux', () => {
      for (; src <= s.length; src++) {
        const ms = newMS(s, p);
        const e = doMatch(L, ms, src, 0);
        if (e !== -1) {
          const start = src;
          src = e === src ? e + 1 : e;
          return pushCaptures(L, ms, start, e, true);
        }
      }
      return [undefined];
    })];
  });
  reg('gsub', (A) => {
    const src = A.str(1), p = A.str(2);
    const repl = A.a[2];
    const maxN = A.a[3] === undefined ? src.length + 1 : A.int(4);
    if (!(typeof repl === 'number' || typeof repl === 'string' || repl instanceof LuaTable || repl instanceof LuaFunction)) {
      L.argError(3, 'string/function/table expected');
    }
    const anchor = p[0] === '^';
    const pi = anchor ? 1 : 0;
    let s = 0, n = 0;
    const out: string[] = [];
    while (n < maxN) {
      const ms = newMS(src, p);
      const e = doMatch(L, ms, s, pi);
      if (e !== -1) { n++; addValue(L, ms, s, e, repl, out); }
      if (e !== -1 && e > s) s = e;
      else if (s < src.length) out.push(src[s++]!);
      else break;
      if (anchor) break;
    }
    out.push(src.slice(s));
    return [out.join(''), n];
  });
  reg('dump', () => L.error('unable to dump given function'));
  const meta = L.newTable();
  meta.set('__index', S);
  L.stringMeta = meta;
}
