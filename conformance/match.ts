/**
 * Checks a reply against an example case's expectation: byte for byte for
 * the raw driver, as common values (what the client can tell apart, see
 * normalize.ts) for client drivers.
 */
import { ReplyParser, type RawValue } from '../src/index.js';
import type { DriverReply } from './drivers/driver.js';
import { encodeExpect, forVersion, hasMatcher, matchRaw, type Expect } from './expect.js';
import { applyProfile, clientView, type ClientProfile } from './normalize.js';
import { canonical, isErr, isMap, isNum, showValue, type Value } from './value.js';

/** Parses the bytes of exactly one reply. */
export function parseReply(bytes: string): RawValue {
  const p = new ReplyParser();
  p.push(Buffer.from(bytes, 'latin1'));
  const r = p.next();
  if (!r) throw new Error(`incomplete reply ${JSON.stringify(bytes)}`);
  return r.value;
}

/** Undefined when the reply meets the expectation; otherwise what was expected and what came. */
export function checkReply(e: Expect, r: DriverReply, resp: 2 | 3, exact: boolean, profile: ClientProfile): string | undefined {
  const want = forVersion(e, resp);
  if (exact && r.raw !== undefined && r.rawValue) {
    if (!hasMatcher(want)) {
      const bytes = encodeExpect(want, resp);
      return r.raw === bytes ? undefined : `expected ${JSON.stringify(bytes)}\n  got      ${JSON.stringify(r.raw)}`;
    }
    const p = matchRaw(want, r.rawValue, resp);
    return p ? `${p}\n  got ${JSON.stringify(r.raw)}` : undefined;
  }
  const got = r.rawValue ? clientView(r.rawValue, profile) : applyProfile(r.value, profile);
  const p = matchValue(want, got, resp, profile);
  return p ? `${p}\n  got ${showValue(got)}` : undefined;
}

/** Matches a value in the common shape against an expectation (client drivers). */
export function matchValue(e: Expect, got: Value, resp: 2 | 3, profile: ClientProfile): string | undefined {
  if (!hasMatcher(e)) {
    const want = clientView(parseReply(encodeExpect(e, resp)), profile);
    return canonical(want) === canonical(got) ? undefined : `expected ${showValue(want)}`;
  }
  if (Array.isArray(e)) {
    if (!Array.isArray(got)) return `expected an array`;
    if (got.length !== e.length) return `expected ${e.length} elements, got ${got.length}`;
    for (let i = 0; i < e.length; i++) {
      const p = matchValue(e[i]!, got[i]!, resp, profile);
      if (p) return `element ${i + 1}: ${p}`;
    }
    return undefined;
  }
  const s = e as { x: string } & Record<string, unknown>;
  switch (s.x) {
    case 'any': return isErr(got) ? 'expected a reply that is not an error' : undefined;
    case 'intIn': {
      if (!isNum(got)) return 'expected an integer';
      const n = Number(got.num);
      return n >= (s['lo'] as number) && n <= (s['hi'] as number) ? undefined : `expected an integer in [${String(s['lo'])}, ${String(s['hi'])}]`;
    }
    case 'errLike': return isErr(got) && (s['re'] as RegExp).test(got.err) ? undefined : `expected an error matching ${String(s['re'])}`;
    case 'like': return typeof got === 'string' && (s['re'] as RegExp).test(got) ? undefined : `expected a string matching ${String(s['re'])}`;
    case 'unordered': {
      const inner = s['v'] as Expect;
      const want = clientView(parseReply(encodeExpect(inner, resp)), profile);
      const items = (v: Value): string[] | undefined => {
        if (Array.isArray(v)) {
          // A RESP2 map arrives as a flat array: keep (key, value) together.
          const isPairs = !Array.isArray(inner) && (inner as { x: string }).x === 'map' && resp === 2;
          if (!isPairs) return v.map(canonical);
          const out: string[] = [];
          for (let i = 0; i < v.length; i += 2) out.push(canonical(v[i]!) + '=' + canonical(v[i + 1] ?? null));
          return out;
        }
        if (isMap(v)) return v.map.map(([k, x]) => canonical(k) + '=' + canonical(x));
        return undefined;
      };
      const a = items(want);
      const b = items(got);
      if (!a || !b) return 'expected an aggregate';
      return JSON.stringify(a.sort()) === JSON.stringify(b.sort()) ? undefined : `expected ${showValue(want)} (in any order)`;
    }
    case 'map': {
      const entries = s['v'] as readonly (readonly [Expect, Expect])[];
      if (resp === 2) return matchValue(entries.flatMap(([k, x]) => [k, x]), got, resp, profile);
      if (!isMap(got) || got.map.length !== entries.length) return `expected a map of ${entries.length}`;
      for (let i = 0; i < entries.length; i++) {
        const p = matchValue(entries[i]![0], got.map[i]![0], resp, profile) ?? matchValue(entries[i]![1], got.map[i]![1], resp, profile);
        if (p) return `entry ${i + 1}: ${p}`;
      }
      return undefined;
    }
    case 'set':
      return matchValue(s['v'] as Expect[], got, resp, profile);
    case 'pin':
      return matchValue(s['v'] as Expect, got, s['version'] as 2 | 3, profile);
    default:
      return `cannot match ${s.x}`;
  }
}
