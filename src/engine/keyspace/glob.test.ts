import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { globMatch } from './glob.js';

describe('globMatch (Valkey stringmatchlen)', () => {
  const cases: [string, string, boolean][] = [
    // An empty string only matches the empty pattern: the loop needs a char to start (KEYS * has its own shortcut).
    ['*', '', false], ['**', '', false], ['*', 'anything', true], ['', '', true], ['', 'a', false], ['a', '', false],
    ['?', 'a', true], ['?', '', false], ['??', 'a', false], ['h?llo', 'hello', true], ['h?llo', 'hllo', false],
    ['h*llo', 'hllo', true], ['h*llo', 'heeeello', true], ['h*llo', 'hello!', false], ['*o', 'foo', true], ['f*', 'bar', false],
    ['h[ae]llo', 'hallo', true], ['h[ae]llo', 'hillo', false], ['h[^e]llo', 'hallo', true], ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true], ['h[a-b]llo', 'hcllo', false], ['h[b-a]llo', 'hallo', true], // reversed ranges are swapped
    ['h\\*llo', 'h*llo', true], ['h\\*llo', 'hello', false], ['\\', '\\', true], ['a\\', 'a\\', true],
    ['[\\]]', ']', true], ['[\\-]', '-', true], ['[a-]', ']', true], ['[a-]', 'a', true], ['[a-]', 'b', false], ['[a-]', '-', false],
    // An unterminated class matches what it has seen so far.
    ['[a', 'a', true], ['[a', 'b', false], ['h[', 'h', false], ['[', 'x', false], ['[^', 'x', true],
    ['[]', 'x', false], ['[^]', 'x', true], ['[]]', ']', false], ['[]a]', 'a', false],
    ['a*', 'a', true], ['a**', 'a', true], ['a**b', 'ab', true], ['*a*b*c*', 'xaxbxcx', true], ['*a*b*c*', 'xaxcxbx', false],
    ['\x80', '\x80', true], ['[\x80-\xff]', '\xc3', true], ['[a-\xff]', 'b', false], // bytes compare as signed chars
    ['[\xff-a]', '\x00', true], ['[\xff-a]', '\x90', false], ['a*', 'A', false],
  ];
  test.each(cases)('%j matches %j: %s', (p, s, want) => {
    expect(globMatch(p, s)).toBe(want);
  });

  test('nocase folds ASCII letters only', () => {
    expect(globMatch('HeLLo', 'hello', true)).toBe(true);
    expect(globMatch('h[A-C]llo', 'hbllo', true)).toBe(true);
    expect(globMatch('h[^E]llo', 'hello', true)).toBe(false);
    expect(globMatch('\xc9', '\xe9', true)).toBe(false);
    expect(globMatch('HeLLo', 'hello')).toBe(false);
  });

  test('nesting beyond 1000 stars gives up', () => {
    expect(globMatch('a*'.repeat(1100) + 'b', 'a'.repeat(1100))).toBe(false);
  });

  test('long patterns with many stars finish quickly (skipLongerMatches)', () => {
    const t0 = performance.now();
    expect(globMatch('*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(100))).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

/**
 * A plain backtracking reference, written from the rules (no early exit):
 * the skipLongerMatches shortcut must never change an answer.
 */
function reference(p: string, s: string): boolean {
  const signed = (c: number) => (c >= 128 ? c - 256 : c);
  const go = (pi: number, si: number): boolean => {
    // Trailing stars match the end of a string, once at least one char was consumed.
    if (si === s.length) return pi === p.length || (si > 0 && /^\**$/.test(p.slice(pi)));
    if (pi === p.length) return false;
    const c = p[pi]!;
    if (c === '*') {
      for (let k = si; k <= s.length; k++) if (go(pi + 1, k)) return true;
      return false;
    }
    if (c === '?') return go(pi + 1, si + 1);
    if (c === '[') {
      let i = pi + 1;
      const not = p[i] === '^';
      if (not) i++;
      let hit = false;
      const ch = s.charCodeAt(si);
      while (true) {
        const rem = p.length - i;
        if (rem >= 2 && p[i] === '\\') {
          i++;
          if (p.charCodeAt(i) === ch) hit = true;
        } else if (rem === 0) {
          i--;
          break;
        } else if (p[i] === ']') {
          break;
        } else if (rem >= 3 && p[i + 1] === '-') {
          const [lo, hi] = [signed(p.charCodeAt(i)), signed(p.charCodeAt(i + 2))].sort((a, b) => a - b) as [number, number];
          if (signed(ch) >= lo && signed(ch) <= hi) hit = true;
          i += 2;
        } else if (p.charCodeAt(i) === ch) {
          hit = true;
        }
        i++;
      }
      if (not) hit = !hit;
      return hit && go(i + 1, si + 1);
    }
    let i = pi;
    if (c === '\\' && p.length - pi >= 2) i++;
    return p.charCodeAt(i) === s.charCodeAt(si) && go(i + 1, si + 1);
  };
  return go(0, 0);
}

describe('globMatch agrees with a plain backtracking reference', () => {
  const chars = fc.constantFrom('a', 'b', '-', '*', '?', '[', ']', '^', '\\', '\xe9');
  test('random patterns over random strings', () => {
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 8 }), fc.array(fc.constantFrom('a', 'b', '-', ']', '^', '\\', '\xe9', '*'), { maxLength: 8 }), (pa, sa) => {
        const p = pa.join('');
        const s = sa.join('');
        expect(globMatch(p, s), `${JSON.stringify(p)} ~ ${JSON.stringify(s)}`).toBe(reference(p, s));
      }),
      { numRuns: 5000 },
    );
  });
});
