/**
 * Differential harness: runs Lua programs in /usr/bin/lua5.1 (one process for a
 * whole batch) and in our VM, returning what each printed plus its error text.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createLuaState, lua51StringHash, LuaError, LuaTable, numberToString, typeName } from '../index.js';

export const LUA51 = process.env['VALKEY_DOUBLE_LUA51'] ?? '/usr/bin/lua5.1';
export const oracleAvailable = existsSync(LUA51);
export const oracleRequired = process.env['VALKEY_DOUBLE_REQUIRE_ORACLE'] === '1';

const SEP = '\n----END----\n';
const OUT_SEP = '\n====\n';

const DRIVER = `
local data = io.read("*a")
local pos = 1
while true do
  local s, e = string.find(data, ${JSON.stringify(SEP)}, pos, true)
  if not s then break end
  local src = string.sub(data, pos, s - 1)
  pos = e + 1
  local f, err = loadstring(src, "=input")
  if not f then print("ERR: " .. err) else
    local env = setmetatable({}, {__index = _G})
    setfenv(f, env)
    local ok, e2 = pcall(f)
    if not ok then print("ERR: " .. ((type(e2) == "string" or type(e2) == "number") and tostring(e2) or "(" .. type(e2) .. ")")) end
  end
  io.write(${JSON.stringify(OUT_SEP)})
end
`;

/** Output of each program under lua5.1. */
export function runOracle(programs: string[]): string[] {
  const input = programs.map((p) => p + SEP).join('');
  const out = execFileSync(LUA51, ['-e', DRIVER], { input: Buffer.from(input, 'latin1'), maxBuffer: 64 << 20 }).toString('latin1');
  const parts = out.split(OUT_SEP);
  parts.pop();
  return parts;
}

/** Output of one program under our VM (fresh state, stock 5.1 string hash so pairs() order compares). */
export function runOurs(program: string): string {
  let out = '';
  const L = createLuaState({ stringHash: lua51StringHash, print: (l) => { out += l + '\n'; }, write: (t) => { out += t; } });
  const io = new LuaTable(L);
  io.set('write', L.fn('write', (...a) => {
    for (const v of a) out += typeof v === 'number' ? numberToString(v) : String(v);
    return [];
  }));
  L.globals.set('io', io);
  try {
    L.call(L.load(program, '=input'));
  } catch (e) {
    if (!(e instanceof LuaError)) throw e;
    const v = e.value;
    out += 'ERR: ' + (typeof v === 'string' || typeof v === 'number' ? e.toString() : `(${typeName(v)})`) + '\n';
  }
  return out;
}
