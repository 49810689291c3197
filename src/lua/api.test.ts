/** The embedding API: host functions, chunk names, step hook, call depth, readonly tables, table layout, speed. */
import { describe, expect, test } from 'vitest';
import { createLuaState, LuaError, LuaFunction, LuaTable, valkeyStringHash, type LuaValue } from './index.js';

function run(src: string, L = createLuaState({ print: () => {} })): LuaValue[] {
  return L.call(L.load(src, '@user_script'));
}

function errorOf(f: () => unknown): string {
  try { f(); } catch (e) { if (e instanceof LuaError) return e.toString(); throw e; }
  return '(no error)';
}

describe('embedding', () => {
  test('host functions receive Lua values and return results', () => {
    const L = createLuaState();
    L.globals.set('add', L.fn('add', (a, b) => [(a as number) + (b as number), 'two']));
    expect(run('local x, y = add(2, 3) return x * 10, y', L)).toEqual([50, 'two']);
  });

  test('chunk names follow luaO_chunkid: @name, =name and [string "..."]', () => {
    const L = createLuaState();
    expect(errorOf(() => L.call(L.load('error("boom")', '@user_script')))).toBe('user_script:1: boom');
    expect(errorOf(() => L.call(L.load('\nerror("boom")', '=stdin')))).toBe('stdin:2: boom');
    expect(errorOf(() => L.load('x = = 1', 'x = = 1'))).toBe(`[string "x = = 1"]:1: unexpected symbol near '='`);
  });

  test('arguments and results convert: nil holes and counts survive', () => {
    const L = createLuaState();
    const f = L.load('return select("#", ...), ...', '=t');
    expect(L.call(f, 1, undefined, 'x')).toEqual([3, 1, undefined, 'x']);
  });

  test('print goes to the host sink', () => {
    const lines: string[] = [];
    run('print("a", 1, nil, true) print()', createLuaState({ print: (l) => lines.push(l) }));
    expect(lines).toEqual(['a\t1\tnil\ttrue', '']);
  });

  test('error objects pass through to the host unchanged', () => {
    const L = createLuaState();
    try { run('error({code = 42})', L); expect.unreachable(); } catch (e) {
      expect(e).toBeInstanceOf(LuaError);
      const v = (e as LuaError).value as LuaTable;
      expect(v.get('code')).toBe(42);
    }
  });

  test('readonly tables reject every kind of write with Valkey\'s message', () => {
    const L = createLuaState();
    const t = L.newTable();
    t.set('a', 1);
    t.readonly = true;
    L.globals.set('ro', t);
    expect(errorOf(() => run('ro.a = 2', L))).toBe('user_script:1: Attempt to modify a readonly table');
    expect(errorOf(() => run('rawset(ro, "b", 1)', L))).toBe('Attempt to modify a readonly table');
    expect(errorOf(() => run('setmetatable(ro, {})', L))).toBe('Attempt to modify a readonly table');
    expect(t.get('a')).toBe(1);
  });

  test('a global-protection metatable on _G is honoured', () => {
    const L = createLuaState();
    run(`setmetatable(_G, {__index = function(_, k) error("Script attempted to access nonexistent global variable '" .. k .. "'", 2) end})`, L);
    expect(errorOf(() => run('return nosuch', L))).toBe("user_script:1: Script attempted to access nonexistent global variable 'nosuch'");
  });
});

describe('limits', () => {
  test('the step hook stops an infinite loop, and pcall cannot swallow a host abort', () => {
    const L = createLuaState();
    class Killed extends Error {}
    let ticks = 0;
    L.setStepHook(() => { if (++ticks > 3) throw new Killed('killed'); }, 1000);
    expect(() => run('while true do end', L)).toThrow(Killed);
    ticks = 0;
    expect(() => run('while true do pcall(function() while true do end end) end', L)).toThrow(Killed);
  });

  test('the step hook can raise a Lua error that surfaces as the script error', () => {
    const L = createLuaState();
    L.setStepHook(() => { throw new LuaError('Script killed by user with SCRIPT KILL...'); }, 10000);
    expect(errorOf(() => run('local i = 0 repeat i = i + 1 until false', L))).toBe('Script killed by user with SCRIPT KILL...');
  });

  test('a pathological pattern is stoppable by the hook', () => {
    const L = createLuaState();
    class Killed extends Error {}
    L.setStepHook(() => { throw new Killed('killed'); }, 100000);
    expect(() => run('return string.find(string.rep("a", 40), string.rep("a*", 30) .. "b")', L)).toThrow(Killed);
  });

  test('deep recursion is "stack overflow", not a host crash', () => {
    const L = createLuaState();
    expect(run('local function f(n) return f(n + 1) + 1 end local ok, e = pcall(f, 1) return ok, e', L))
      .toEqual([false, 'user_script:1: stack overflow']);
    const deep = createLuaState({ maxCallDepth: 1e9 });
    const [ok, msg] = run('local function f(n) return f(n + 1) + 1 end return pcall(f, 1)', deep);
    expect(ok).toBe(false);
    expect(msg).toMatch(/stack overflow$/);
    expect(run('return 1 + 1', deep)).toEqual([2]);
  });

  test('metamethod recursion is "C stack overflow"', () => {
    expect(run('local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return pcall(function() return t.x end)'))
      .toEqual([false, 'user_script:1: C stack overflow']);
  });
});

describe('tables', () => {
  test('pairs() order matches Valkey 9.1.2 for the same inserts (murmur string hash)', () => {
    // captured from valkey-server 9.1.2: EVAL of the same script
    const expected = 'key3 key22 3.5 beta key27 key14 key21 key28 key6 key35 key5 key7 key16 key34 key9 key17 key33 key18 true key26 alpha key19 key31 key39 key38 key37 key23 key25 key29 key10 key32 key4 key2 key12 key8 key24 key1 key13 key36 key30 key40 key20 key15 key11';
    const [got] = run('local t = {} for i = 1, 40 do t["key" .. i] = i end t.alpha = 1 t.beta = 2 t[3.5] = 1 t[true] = 1 local ks = {} for k in pairs(t) do ks[#ks + 1] = tostring(k) end return table.concat(ks, " ")');
    expect(got).toBe(expected);
  });

  test('murmur hash known values', () => {
    expect(valkeyStringHash('')).toBe(0);
    expect(valkeyStringHash('a')).not.toBe(valkeyStringHash('b'));
  });

  test('array part and border', () => {
    const L = createLuaState();
    const t = L.newTable();
    for (let i = 1; i <= 8; i++) t.set(i, i);
    expect(t.sizeArray).toBe(8);
    t.set(8, undefined);
    expect(t.length()).toBe(7);
  });
});

describe('bit', () => {
  test('Lua BitOp results equal Valkey 9.1.2\'s bundled bit library', () => {
    // captured from valkey-server 9.1.2: EVAL of the same script
    const expected = '-1 5 2 2 -2 12 -1 3 7 6 -2147483648 2 15 -16 878082066 2014458966 2018915346 000000ff FFFF 34 00000001 false false false bad argument #1 to \'?\' (number expected, got no value)';
    const [got] = run(`local r = {} local function p(...) for _, v in ipairs({...}) do r[#r+1] = tostring(v) end end
      p(bit.tobit(0xffffffff), bit.tobit(2^32 + 5), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-1.5), bit.tobit("12"))
      p(bit.bnot(0), bit.band(0xff, 0x0f, 0x3), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.lshift(1, 31), bit.lshift(1, 33), bit.rshift(-1, 28), bit.arshift(-256, 4))
      p(bit.rol(0x12345678, 8), bit.ror(0x12345678, 8), bit.bswap(0x12345678), bit.tohex(255), bit.tohex(-1, -4), bit.tohex(0x1234, 2), bit.tohex(1, 10))
      p(pcall(bit.band, nil), pcall(bit.band, "x"), pcall(bit.tohex))
      return table.concat(r, " ")`);
    expect(got).toBe(expected);
  });
});

describe('speed', () => {
  test('a million additions and table stores run well under a second', () => {
    const L = createLuaState();
    const f = L.load('local t = {} local s = 0 for i = 1, 1000000 do s = s + i t[i] = s end return s, #t', '=bench');
    const t0 = performance.now();
    const r = L.call(f);
    const ms = performance.now() - t0;
    expect(r).toEqual([500000500000, 1000000]);
    expect(ms).toBeLessThan(1000);
  });

  test('function calls and string keys', () => {
    const L = createLuaState();
    const f = L.load('local t = {} local function g(x) return x + 1 end local n = 0 for i = 1, 200000 do n = g(n) t["k" .. (i % 1000)] = n end return n', '=bench');
    const t0 = performance.now();
    expect(L.call(f)).toEqual([200000]);
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(L.globals.get('print')).toBeInstanceOf(LuaFunction);
  });
});

describe('preemptible tasks', () => {
  const slices = (src: string): { slices: number; result: LuaValue; line: number } => {
    const L = createLuaState({ print: () => {} });
    const f = L.load(src, '@t');
    L.setStepHook(() => true, 10000);
    const task = L.runTask(f, []);
    let n = 0;
    while (!task.step()) n++;
    return { slices: n, result: task.result[0], line: L.hookLine };
  };

  test('a loop yields at its back edge even when the hook keeps firing inside what it calls (pcall, functions)', () => {
    const r = slices('local a = 0\nfor i = 1, 200000 do\n  pcall(function() a = a + 1 end)\nend\nreturn a');
    expect(r.result).toBe(200000);
    expect(r.slices).toBeGreaterThan(5);
    expect(slices('local function f(x) return x + 1 end\nlocal a = 0\nwhile a < 200000 do\n  a = f(a)\nend\nreturn a').slices).toBeGreaterThan(5);
  });

  test('the hook knows the line of the loop whose back edge ran it', () => {
    expect(slices('local a = 0\nwhile a < 100000 do\n  a = a + 1\nend\nreturn a').line).toBe(3);
  });
});
