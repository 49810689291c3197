/**
 * Differential tests: the same programs in /usr/bin/lua5.1 and in our VM must
 * print the same text (errors included). With VALKEY_DOUBLE_REQUIRE_ORACLE=1 a
 * missing lua5.1 fails; otherwise these tests are skipped with a warning.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { oracleAvailable, oracleRequired, runOracle, runOurs, LUA51 } from './testing/oracle.js';
import { PROGRAMS } from './testing/programs.js';

if (!oracleAvailable && !oracleRequired) {
  console.warn(`lua5.1 not found at ${LUA51}: differential Lua tests skipped`);
}

test('the lua5.1 oracle is present when required', () => {
  if (oracleRequired) expect(oracleAvailable, `${LUA51} is required (VALKEY_DOUBLE_REQUIRE_ORACLE=1)`).toBe(true);
});

function compare(programs: string[]): void {
  const expected = runOracle(programs);
  expect(expected.length).toBe(programs.length);
  const diffs: string[] = [];
  programs.forEach((p, i) => {
    const got = runOurs(p);
    if (got !== expected[i]) diffs.push(`program:\n${p}\n--- lua5.1:\n${expected[i]}--- ours:\n${got}`);
  });
  expect(diffs.join('\n\n')).toBe('');
}

describe.skipIf(!oracleAvailable)('lua5.1 differential', () => {
  for (const [area, programs] of Object.entries(PROGRAMS)) {
    test(`${area} (${programs.length} programs)`, () => compare(programs));
  }

  const seed = process.env['VALKEY_DOUBLE_SEED'] ? Number(process.env['VALKEY_DOUBLE_SEED']) : 20261207;

  const num = fc.oneof(
    fc.integer({ min: -1000, max: 1000 }).map(String),
    fc.constantFrom('0', '1', '2', '0.5', '0.1', '1e15', '1e16', '123456789012345', '2^53', '1e300', '3.25', '1/3', '-0.0', '1e-5', '255', '7'),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e20, max: 1e20 }).map((d) => `(${d.toPrecision(12)})`),
  );
  const str = fc.constantFrom('"10"', '" 0x1A "', '"1e2"', '"abc"', '""', '"  7  "', '"0x"', '"1e"', '"-3.5"', '".5"', '"inf"', '"nan"', '"5 5"', '"\\t12\\n"');
  const leaf = fc.oneof({ weight: 5, arbitrary: num }, { weight: 2, arbitrary: str }, { weight: 1, arbitrary: fc.constantFrom('nil', 'true', 'false') });
  const { expr } = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '%', '^', '..', '==', '~=', '<', '<=', '>', '>=', 'and', 'or'), tie('expr')).map(([a, op, b]) => `(${a} ${op} ${b})`),
      fc.tuple(fc.constantFrom('-', 'not ', '#'), tie('expr')).map(([op, a]) => `(${op}${a})`),
      tie('expr').map((a) => `tostring(${a})`),
      tie('expr').map((a) => `tonumber(${a})`),
      fc.tuple(fc.constantFrom('%g', '%.3f', '%d', '%5.1f', '%x', '%.14g', '%e', '%s', '%10.4g', '%-8d|'), tie('expr')).map(([f, a]) => `string.format("${f}", ${a})`),
      tie('expr').map((a) => `math.floor(${a})`),
      fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `math.max(${a}, ${b})`),
      fc.tuple(tie('expr'), fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 4 })).map(([a, i, j]) => `string.sub(${a}, ${i}, ${j})`),
      fc.tuple(tie('expr'), fc.integer({ min: 0, max: 3 })).map(([a, n]) => `string.rep(${a}, ${n})`),
    ),
  }));

  const patAtom = fc.constantFrom('a', 'b', '.', '%a', '%d', '%s', '%w', '[ab]', '[^a]', '[a-c]', '%%', '%.', '(', ')', '()', '%b()', '%f[%w]', '%1', '[%d%s]', '-', 'x');
  const quant = fc.constantFrom('', '', '*', '+', '-', '?');
  const pattern = fc.tuple(fc.boolean(), fc.array(fc.tuple(patAtom, quant).map(([a, q]) => a + q), { minLength: 1, maxLength: 5 }), fc.boolean())
    .map(([anchor, parts, dollar]) => (anchor ? '^' : '') + parts.join('') + (dollar ? '$' : ''));
  const subject = fc.array(fc.constantFrom('a', 'b', 'c', '1', ' ', '(', ')', '.', 'x', '%'), { maxLength: 12 }).map((cs) => cs.join(''));

  test('random patterns agree with lua5.1 (find, match, gsub, gmatch)', () => {
    const programs = fc.sample(fc.tuple(pattern, subject, fc.integer({ min: -3, max: 5 })), { numRuns: 400, seed })
      .map(([p, s, init]) => {
        const P = JSON.stringify(p), S = JSON.stringify(s);
        return [
          `print(pcall(string.find, ${S}, ${P}, ${init}))`,
          `print(pcall(string.match, ${S}, ${P}))`,
          `print(pcall(string.gsub, ${S}, ${P}, "<%0>"))`,
          `print(pcall(function() local r = {} for a, b in string.gmatch(${S}, ${P}) do r[#r + 1] = tostring(a) .. "/" .. tostring(b) end return table.concat(r, ",") end))`,
        ].join('\n');
      });
    compare(programs);
  });

  const key = fc.oneof(fc.integer({ min: -2, max: 24 }).map(String), fc.constantFrom('"a"', '"b"', '"key"', '"x1"', '"x2"', '"longer key"', '1.5', '2^40', 'true', 'false'));
  const op = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(key, fc.integer({ min: 0, max: 99 })).map(([k, v]) => `t[${k}] = ${v}`) },
    { weight: 2, arbitrary: key.map((k) => `t[${k}] = nil`) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 9 }).map((v) => `t[#t + 1] = ${v}`) },
    { weight: 1, arbitrary: fc.constant('table.insert(t, 1, 7)') },
    { weight: 1, arbitrary: fc.constant('table.remove(t)') },
  );
  const ctor = fc.constantFrom('{}', '{1, 2, 3}', '{a = 1, b = 2}', '{1, 2, x = 3, 4, [10] = 5}', '{nil, nil, 3}');

  test('random table edits give lua5.1\'s pairs() order and # border', () => {
    const programs = fc.sample(fc.tuple(ctor, fc.array(op, { maxLength: 30 })), { numRuns: 300, seed })
      .map(([c, ops]) => `local t = ${c}\n${ops.join('\n')}\nlocal r = {} for k, v in pairs(t) do r[#r + 1] = tostring(k) .. "=" .. tostring(v) end print(#t, table.concat(r, " "))`);
    compare(programs);
  });

  test('random expressions agree with lua5.1', () => {
    const programs = fc.sample(fc.array(expr, { minLength: 1, maxLength: 3 }), { numRuns: 400, seed })
      .map((es) => es.map((e) => `print(pcall(function() return ${e} end))`).join('\n'));
    compare(programs);
  });
});
