/** Number <-> string conversions with Lua 5.1 / C library semantics. */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function nanText(x: number, upper: boolean): string {
  f64[0] = x;
  const neg = (u32[1]! >>> 31) === 1;
  return (neg ? '-' : '') + (upper ? 'NAN' : 'nan');
}

/** Exact decimal digits of |x| rounded to `prec` significant digits: [digits, exponent]. */
function expDigits(x: number, prec: number): [string, number] {
  const ex = exactDigits(x);
  if (ex !== undefined) return roundDigits(ex[0], ex[1], prec);
  const s = x.toExponential(prec - 1);
  const e = s.indexOf('e');
  const mant = s.slice(0, e).replace('.', '');
  return [mant, parseInt(s.slice(e + 1), 10)];
}

/** The exact decimal expansion of a positive double with few fraction bits: [digits, exponent of the first digit]. */
function exactDigits(x: number): [string, number] | undefined {
  if (x === 0) return undefined;
  let k = 0, m = x;
  while (m !== Math.floor(m)) { m *= 2; k++; if (k > 60) return undefined; }
  const n = BigInt(m) * 5n ** BigInt(k); // x * 10^k
  const d = n.toString();
  return [d, d.length - 1 - k];
}

/** Round a digit string to `prec` significant digits, ties to even (glibc on exact values). */
function roundDigits(d: string, e: number, prec: number): [string, number] {
  if (d.length <= prec) return [d.padEnd(prec, '0'), e];
  const head = d.slice(0, prec);
  const next = d.charCodeAt(prec) - 48;
  const restZero = /^0*$/.test(d.slice(prec + 1));
  let up = next > 5 || (next === 5 && (!restZero || (head.charCodeAt(prec - 1) - 48) % 2 === 1));
  if (!up) return [head, e];
  const r = (BigInt(head) + 1n).toString();
  if (r.length > prec) return [r.slice(0, prec), e + 1];
  up = false;
  return [r, e];
}

function expSuffix(e: number, upper: boolean): string {
  const a = Math.abs(e);
  return (upper ? 'E' : 'e') + (e < 0 ? '-' : '+') + (a < 10 ? '0' + a : String(a));
}

/** C's %.<prec>e of a finite, non-negative number (no sign handling). */
export function fmtE(x: number, prec: number, upper = false, alt = false): string {
  const [d, e] = expDigits(x, prec + 1);
  let m = d[0]!;
  if (prec > 0 || alt) m += '.' + d.slice(1);
  return m + expSuffix(x === 0 ? 0 : e, upper);
}

/** C's %.<prec>f of a finite, non-negative number. */
export function fmtF(x: number, prec: number, alt = false): string {
  let s: string;
  const tie = x < 1e21 && x !== Math.floor(x) ? exactFixedTie(x, prec) : undefined;
  if (tie !== undefined) s = tie;
  else if (x < 1e21) s = x.toFixed(prec);
  else {
    // toFixed switches to exponential above 1e21; expand exactly with BigInt
    s = BigInt(x).toString();
    if (prec > 0) s += '.' + '0'.repeat(prec);
  }
  if (alt && prec === 0) s += '.';
  return s;
}

/**
 * toFixed rounds exact ties away from zero; glibc rounds them to even. A tie
 * needs exactly prec+1 binary fraction digits, so only then compute exactly.
 */
function exactFixedTie(x: number, prec: number): string | undefined {
  let k = 0, m = x;
  while (m !== Math.floor(m) && k <= prec + 1) { m *= 2; k++; }
  if (k !== prec + 1 || m !== Math.floor(m)) return undefined;
  // x = m / 2^k exactly; scaled by 10^prec it is an odd multiple of 1/2
  const scaled = BigInt(m) * 5n ** BigInt(k); // x * 10^k
  let q = scaled / 10n; // x * 10^prec, truncated; remainder is exactly 5
  if (q % 2n === 1n) q += 1n;
  let digits = q.toString();
  if (prec > 0) {
    digits = digits.padStart(prec + 1, '0');
    digits = digits.slice(0, digits.length - prec) + '.' + digits.slice(digits.length - prec);
  }
  return digits;
}

/** C's %.<prec>g of a finite, non-negative number. */
export function fmtG(x: number, prec: number, upper = false, alt = false): string {
  if (prec === 0) prec = 1;
  if (x === 0) {
    return alt ? '0.' + '0'.repeat(prec - 1) : '0';
  }
  const [d, e] = expDigits(x, prec);
  if (e < -4 || e >= prec) {
    let m = d.slice(1);
    if (!alt) m = m.replace(/0+$/, '');
    return d[0]! + (m.length > 0 || alt ? '.' + m : '') + expSuffix(e, upper);
  }
  // fixed notation with prec-1-e decimals, from the same rounded digits
  let s: string;
  if (e >= 0) {
    const ip = d.slice(0, e + 1);
    let fp = d.slice(e + 1);
    if (!alt) fp = fp.replace(/0+$/, '');
    s = ip + (fp.length > 0 || alt ? '.' + fp : '');
  } else {
    let fp = '0'.repeat(-e - 1) + d;
    if (!alt) fp = fp.replace(/0+$/, '');
    s = '0' + (fp.length > 0 || alt ? '.' + fp : '');
  }
  return s;
}

/** Any %e/%f/%g conversion of any double, with sign and inf/nan as glibc prints them. */
export function fmtFloat(x: number, conv: 'e' | 'E' | 'f' | 'F' | 'g' | 'G', prec: number, alt = false): string {
  const upper = conv === 'E' || conv === 'G' || conv === 'F';
  if (x !== x) return nanText(x, upper);
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let body: string;
  if (a === Infinity) body = upper ? 'INF' : 'inf';
  else if (conv === 'e' || conv === 'E') body = fmtE(a, prec, upper, alt);
  else if (conv === 'f' || conv === 'F') body = fmtF(a, prec, alt);
  else body = fmtG(a, prec, upper, alt);
  return neg ? '-' + body : body;
}

/** tostring(number): "%.14g". */
export function numberToString(x: number): string {
  if (Number.isInteger(x) && x > -1e14 && x < 1e14) return Object.is(x, -0) ? '-0' : String(x);
  return fmtFloat(x, 'g', 14);
}

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);
export function isSpace(c: number): boolean { return SPACE.has(c); }

/** glibc strtod on the prefix of s starting at i: [value, end]; end === i when nothing was read. */
export function strtod(s: string, start: number): [number, number] {
  let i = start;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let sign = 1;
  const c0 = s[i];
  if (c0 === '+' || c0 === '-') { if (c0 === '-') sign = -1; i++; }
  const rest = s.slice(i, i + 8).toLowerCase();
  if (rest.startsWith('inf')) {
    const n = rest.startsWith('infinity') ? 8 : 3;
    return [sign * Infinity, i + n];
  }
  if (rest.startsWith('nan')) {
    let j = i + 3;
    if (s[j] === '(') {
      let k = j + 1;
      while (k < s.length && /[0-9A-Za-z_]/.test(s[k]!)) k++;
      if (s[k] === ')') j = k + 1;
    }
    return [sign > 0 ? NaN : -NaN, j];
  }
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X')) {
    let j = i + 2;
    let mant = 0, any = false, exp = 0;
    while (j < s.length && isHex(s.charCodeAt(j))) { mant = mant * 16 + parseInt(s[j]!, 16); j++; any = true; }
    if (s[j] === '.') {
      let k = j + 1;
      let anyf = false;
      while (k < s.length && isHex(s.charCodeAt(k))) { mant = mant * 16 + parseInt(s[k]!, 16); exp -= 4; k++; anyf = true; }
      if (any || anyf) { j = k; any = true; }
    }
    if (!any) return [0 * sign, i + 1]; // just the "0"
    if (s[j] === 'p' || s[j] === 'P') {
      let k = j + 1, es = 1;
      if (s[k] === '+' || s[k] === '-') { if (s[k] === '-') es = -1; k++; }
      let ev = 0, anye = false;
      while (k < s.length && isDigit(s.charCodeAt(k))) { ev = ev * 10 + (s.charCodeAt(k) - 48); k++; anye = true; }
      if (anye) { exp += es * ev; j = k; }
    }
    return [sign * mant * Math.pow(2, exp), j];
  }
  let j = i;
  let digits = 0;
  while (j < s.length && isDigit(s.charCodeAt(j))) { j++; digits++; }
  if (s[j] === '.') {
    j++;
    while (j < s.length && isDigit(s.charCodeAt(j))) { j++; digits++; }
  }
  if (digits === 0) return [0, start];
  if (s[j] === 'e' || s[j] === 'E') {
    let k = j + 1;
    if (s[k] === '+' || s[k] === '-') k++;
    if (k < s.length && isDigit(s.charCodeAt(k))) {
      while (k < s.length && isDigit(s.charCodeAt(k))) k++;
      j = k;
    }
  }
  return [sign * Number(s.slice(i, j)), j];
}

function isDigit(c: number): boolean { return c >= 48 && c <= 57; }
function isHex(c: number): boolean { return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70); }

/** glibc strtoul(s, &end, base) -> [value as double, end]; end === start when nothing was read. */
export function strtoul(s: string, start: number, base: number): [number, number] {
  let i = start;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') { neg = s[i] === '-'; i++; }
  if (base === 16 && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && digitVal(s.charCodeAt(i + 2)) < 16) i += 2;
  let v = 0n, any = false, overflow = false;
  const B = BigInt(base);
  const MAX = (1n << 64n) - 1n;
  while (i < s.length) {
    const d = digitVal(s.charCodeAt(i));
    if (d >= base) break;
    v = v * B + BigInt(d);
    if (v > MAX) overflow = true;
    i++; any = true;
  }
  if (!any) return [0, start];
  if (overflow) return [Number(MAX), i];
  if (neg) v = (MAX + 1n - v) & MAX;
  return [Number(v), i];
}

function digitVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return 99;
}

/** luaO_str2d: a string converted to a number, or undefined. */
export function str2number(s: string): number | undefined {
  const z = s.indexOf('\0');
  if (z >= 0) s = s.slice(0, z); // C sees the string up to its first NUL
  let [v, end] = strtod(s, 0);
  if (end === 0) return undefined;
  if (s[end] === 'x' || s[end] === 'X') [v, end] = strtoul(s, 0, 16);
  while (end < s.length && isSpace(s.charCodeAt(end))) end++;
  if (end !== s.length) return undefined;
  return v;
}
