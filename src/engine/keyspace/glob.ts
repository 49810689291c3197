/**
 * Glob-style matching with Valkey's semantics (KEYS, SCAN MATCH, CLIENT LIST
 * filters...): `*`, `?`, `[abc]`, `[^a-z]`, `\x` escapes, optional case
 * folding. Bytes compare as C's signed chars, as on the x86 server.
 */
import type { Bytes } from '../../protocol/index.js';

const signed = (c: number) => (c >= 128 ? c - 256 : c);
const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

export function globMatch(pattern: Bytes, str: Bytes, nocase = false): boolean {
  const state = { skipLonger: false };
  return match(pattern, 0, str, 0, nocase, state, 0);
}

function match(p: string, pi: number, s: string, si: number, nocase: boolean, st: { skipLonger: boolean }, nesting: number): boolean {
  if (nesting > 1000) return false;
  const pl = p.length;
  const sl = s.length;
  while (pi < pl && si < sl) {
    const pc = p.charCodeAt(pi);
    switch (pc) {
      case 42 /* * */: {
        while (pi + 1 < pl && p.charCodeAt(pi + 1) === 42) pi++;
        if (pi + 1 === pl) return true;
        while (si < sl) {
          if (match(p, pi + 1, s, si, nocase, st, nesting + 1)) return true;
          if (st.skipLonger) return false;
          si++;
        }
        st.skipLonger = true;
        return false;
      }
      case 63 /* ? */:
        si++;
        break;
      case 91 /* [ */: {
        pi++;
        const not = pi < pl && p.charCodeAt(pi) === 94;
        if (not) pi++;
        let matched = false;
        const c0 = s.charCodeAt(si);
        while (true) {
          const rem = pl - pi;
          if (rem >= 2 && p.charCodeAt(pi) === 92) {
            pi++;
            if (p.charCodeAt(pi) === c0) matched = true;
          } else if (rem === 0) {
            pi--;
            break;
          } else if (p.charCodeAt(pi) === 93) {
            break;
          } else if (rem >= 3 && p.charCodeAt(pi + 1) === 45) {
            let start = signed(p.charCodeAt(pi));
            let end = signed(p.charCodeAt(pi + 2));
            let c = signed(c0);
            if (start > end) [start, end] = [end, start];
            if (nocase) {
              start = lower(start);
              end = lower(end);
              c = lower(c);
            }
            pi += 2;
            if (c >= start && c <= end) matched = true;
          } else if (nocase ? lower(p.charCodeAt(pi)) === lower(c0) : p.charCodeAt(pi) === c0) {
            matched = true;
          }
          pi++;
        }
        if (not) matched = !matched;
        if (!matched) return false;
        si++;
        break;
      }
      default: {
        if (pc === 92 /* \ */ && pl - pi >= 2) pi++;
        const a = p.charCodeAt(pi);
        const b = s.charCodeAt(si);
        if (nocase ? lower(a) !== lower(b) : a !== b) return false;
        si++;
        break;
      }
    }
    pi++;
    if (si === sl) {
      while (pi < pl && p.charCodeAt(pi) === 42) pi++;
      break;
    }
  }
  return pi === pl && si === sl;
}
