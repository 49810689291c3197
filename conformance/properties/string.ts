/** Properties of strings (and bitmaps, which are strings): invariants any Valkey 9 keeps. */
import fc from 'fast-check';
import { big, bytes, eq, int64, keyName, num, property, str, type PropertyCase } from './property.js';

const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);

/** Valkey's GETRANGE: negative indexes count from the end, both ends clamped, inclusive. */
export function getrangeModel(s: string, start: number, end: number): string {
  const n = s.length;
  if (n === 0) return '';
  if (start < 0 && end < 0 && start > end) return '';
  if (start < 0) start = n + start;
  if (end < 0) end = n + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= n) end = n - 1;
  if (start > end) return '';
  return s.slice(start, end + 1);
}

export const stringProperties: PropertyCase[] = [
  property('string', ['set', 'get'], 'GET returns the bytes SET stored', fc.tuple(keyName, bytes(40)), async (t, [k, v]) => {
    eq(await t.call('SET', k, v), 'OK');
    eq(await t.call('GET', k), v);
    eq(num(await t.call('STRLEN', k)), v.length, 'STRLEN');
  }),

  property('string', ['incrby', 'decrby'], 'INCRBY sums, and refuses to overflow', fc.tuple(int64, fc.array(int64, { minLength: 1, maxLength: 8 })), async (t, [start, deltas]) => {
    eq(await t.call('SET', 'n', String(start)), 'OK');
    let total = start;
    for (const d of deltas) {
      const r = await t.call('INCRBY', 'n', String(d));
      const next = total + d;
      if (next > MAX || next < MIN) {
        eq(r, { err: 'ERR increment or decrement would overflow' });
      } else {
        total = next;
        eq(big(r), total, `INCRBY ${d}`);
      }
    }
    eq(await t.call('GET', 'n'), String(total));
  }),

  property('string', ['incr', 'decr'], 'INCR then DECR returns to the start', fc.tuple(fc.bigInt({ min: MIN + 5n, max: MAX - 5n }), fc.nat(5)), async (t, [start, times]) => {
    await t.call('SET', 'n', String(start));
    for (let i = 0; i < times; i++) await t.call('INCR', 'n');
    eq(await t.call('GET', 'n'), String(start + BigInt(times)));
    for (let i = 0; i < times; i++) await t.call('DECR', 'n');
    eq(await t.call('GET', 'n'), String(start));
  }),

  property('string', ['append', 'strlen'], 'APPEND lengths add up, and the value is the concatenation', fc.array(bytes(10), { minLength: 1, maxLength: 8 }), async (t, parts) => {
    let expected = '';
    for (const p of parts) {
      expected += p;
      eq(num(await t.call('APPEND', 'k', p)), expected.length, 'APPEND');
    }
    eq(await t.call('GET', 'k'), expected);
    eq(num(await t.call('STRLEN', 'k')), expected.length, 'STRLEN');
  }),

  property('string', ['getrange', 'substr'], 'GETRANGE slices like Valkey (negative indexes from the end, clamped)', fc.tuple(bytes(16), fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 })), async (t, [v, a, b]) => {
    await t.call('SET', 'k', v);
    const want = v.length === 0 ? '' : getrangeModel(v, a, b);
    eq(await t.call('GETRANGE', 'k', String(a), String(b)), want);
    eq(await t.call('SUBSTR', 'k', String(a), String(b)), want, 'SUBSTR');
  }),

  property('string', ['setrange'], 'SETRANGE overwrites at the offset, padding with zero bytes', fc.tuple(bytes(8), fc.nat(12), bytes(6)), async (t, [v, off, patch]) => {
    if (v.length) await t.call('SET', 'k', v);
    const r = await t.call('SETRANGE', 'k', String(off), patch);
    let model = v;
    if (patch.length > 0) {
      if (model.length < off) model += '\x00'.repeat(off - model.length);
      model = model.slice(0, off) + patch + model.slice(off + patch.length);
    }
    eq(num(r), model.length, 'SETRANGE');
    eq(await t.call('GET', 'k'), model.length ? model : null);
  }),

  property('string', ['mset', 'mget'], 'MGET returns what MSET stored, the last write winning', fc.array(fc.tuple(keyName, bytes(6)), { minLength: 1, maxLength: 6 }), async (t, pairs) => {
    eq(await t.call('MSET', ...pairs.flat()), 'OK');
    const model = new Map(pairs);
    const keys = [...model.keys()];
    eq(await t.call('MGET', ...keys, 'absent'), [...keys.map((k) => model.get(k)!), null]);
  }),

  property('string', ['set'], 'SET NX writes only a missing key, XX only an existing one', fc.array(fc.tuple(fc.constantFrom('NX', 'XX', ''), bytes(4)), { minLength: 1, maxLength: 8 }), async (t, ops) => {
    let model: string | null = null;
    for (const [cond, v] of ops) {
      const r = await t.call('SET', 'k', v, ...(cond ? [cond] : []));
      const writes = cond === '' || (cond === 'NX' ? model === null : model !== null);
      eq(r, writes ? 'OK' : null, `SET ${cond}`);
      if (writes) model = v;
    }
    eq(await t.call('GET', 'k'), model);
  }),

  property('bitmap', ['setbit', 'getbit', 'bitcount'], 'GETBIT and BITCOUNT agree with the bits SETBIT wrote', fc.array(fc.tuple(fc.nat(63), fc.constantFrom(0, 1)), { minLength: 1, maxLength: 20 }), async (t, ops) => {
    const bits = new Map<number, number>();
    for (const [off, b] of ops) {
      eq(num(await t.call('SETBIT', 'k', String(off), String(b))), bits.get(off) ?? 0, `SETBIT ${off}`);
      bits.set(off, b);
    }
    for (const [off] of ops) eq(num(await t.call('GETBIT', 'k', String(off))), bits.get(off), `GETBIT ${off}`);
    eq(num(await t.call('BITCOUNT', 'k')), [...bits.values()].filter((b) => b === 1).length, 'BITCOUNT');
    const first = [...bits.entries()].filter(([, b]) => b === 1).map(([o]) => o).sort((a, b) => a - b)[0];
    eq(num(await t.call('BITPOS', 'k', '1')), first ?? -1, 'BITPOS 1');
  }),

  property('bitmap', ['bitop'], 'BITOP AND, OR, XOR work byte by byte, the shorter input padded with zeros', fc.tuple(bytes(6), bytes(6), fc.constantFrom('AND', 'OR', 'XOR')), async (t, [a, b, op]) => {
    if (a.length) await t.call('SET', 'a', a);
    if (b.length) await t.call('SET', 'b', b);
    const n = Math.max(a.length, b.length);
    let out = '';
    for (let i = 0; i < n; i++) {
      const x = i < a.length ? a.charCodeAt(i) : 0;
      const y = i < b.length ? b.charCodeAt(i) : 0;
      out += String.fromCharCode(op === 'AND' ? x & y : op === 'OR' ? x | y : x ^ y);
    }
    eq(num(await t.call('BITOP', op, 'd', 'a', 'b')), n, 'BITOP');
    eq(await t.call('GET', 'd'), n ? out : null);
  }),

  property('string', ['getdel', 'getset'], 'GETSET returns the old value, GETDEL the last one and removes the key', fc.array(bytes(5), { minLength: 1, maxLength: 5 }), async (t, vs) => {
    let model: string | null = null;
    for (const v of vs) {
      eq(await t.call('GETSET', 'k', v), model, 'GETSET');
      model = v;
    }
    eq(await t.call('GETDEL', 'k'), model, 'GETDEL');
    eq(num(await t.call('EXISTS', 'k')), 0, 'EXISTS');
  }),

  property('string', ['incrbyfloat'], 'INCRBYFLOAT of integers prints the integer sum', fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 5 }), async (t, ds) => {
    let total = 0;
    for (const d of ds) {
      total += d;
      eq(await t.call('INCRBYFLOAT', 'f', String(d)), String(total), `INCRBYFLOAT ${d}`);
    }
  }),

  property('string', ['lcs'], 'LCS LEN equals the length of the LCS string, which is a subsequence of both', fc.tuple(fc.string({ maxLength: 8, unit: fc.constantFrom('a', 'b', 'c') }), fc.string({ maxLength: 8, unit: fc.constantFrom('a', 'b', 'c') })), async (t, [a, b]) => {
    await t.call('MSET', 'a', a, 'b', b);
    const s = str(await t.call('LCS', 'a', 'b'))!;
    eq(num(await t.call('LCS', 'a', 'b', 'LEN')), s.length, 'LCS LEN');
    const isSub = (x: string, y: string) => { let i = 0; for (const c of y) if (c === x[i]) i++; return i === x.length; };
    eq(isSub(s, a) && isSub(s, b), true, `"${s}" is a subsequence of both`);
  }),
];
