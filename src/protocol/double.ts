/**
 * Number formatting as Valkey writes doubles on the wire (d2string in util.c):
 * integers within ±2^62 print as integers, other finite values in the shortest
 * round-trip form (fpconv_dtoa), with its plain / scientific layout rules.
 */
export function formatDouble(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  if (Number.isInteger(d) && d >= -4611686018427387904 && d <= 4611686018427387904) {
    return Number.isSafeInteger(d) ? String(d) : BigInt(d).toString();
  }
  return fpconvLayout(d);
}

/** fpconv_dtoa's layout of the shortest digits of a finite, non-zero double. */
export function fpconvLayout(d: number): string {
  const neg = d < 0;
  const e = Math.abs(d).toExponential(); // shortest round-trip digits: "d.ddddde±x"
  const at = e.indexOf('e');
  const mant = e.slice(0, at).replace('.', '');
  const exp10 = Number(e.slice(at + 1));
  const digits = mant;
  const ndigits = digits.length;
  const K = exp10 - (ndigits - 1); // value = digits × 10^K
  const exp = Math.abs(K + ndigits - 1);
  let out: string;
  if (K >= 0 && exp < ndigits + 7) {
    out = digits + '0'.repeat(K);
  } else if (K < 0 && (K > -7 || exp < 4)) {
    const offset = ndigits - Math.abs(K);
    if (offset <= 0) out = '0.' + '0'.repeat(-offset) + digits;
    else out = digits.slice(0, offset) + '.' + digits.slice(offset);
  } else {
    const nd = Math.min(ndigits, 18 - (neg ? 1 : 0));
    out = digits[0]! + (nd > 1 ? '.' + digits.slice(1, nd) : '') + 'e' + (K + nd - 1 < 0 ? '-' : '+');
    // fpconv prints the exponent without leading zeros, but a hundreds digit forces the tens digit.
    out += exp >= 100 ? String(exp).padStart(3, '0') : String(exp);
  }
  return neg ? '-' + out : out;
}
