/**
 * A Lua 5.1 VM for TypeScript. Standalone: imports nothing outside src/lua.
 *
 *   const L = createLuaState({ print: (line) => out.push(line) });
 *   L.globals.set('greet', L.fn('greet', (name) => ['hi ' + String(name)]));
 *   const f = L.load('return greet(...)', '@user_script');
 *   L.call(f, 'bob'); // ['hi bob']
 */
import { LuaState, type LuaStateOptions } from './state.js';
import { openBase, openCoroutine, openMath, openOs, openTable } from './stdlib.js';
import { openString } from './lstrlib.js';
import { openBit } from './lbitlib.js';

export { LuaState, LuaTask, chunkId, type LuaStateOptions } from './state.js';
export { LuaTable } from './table.js';
export { LuaError, LuaFunction, Coroutine, Userdata, typeName, truthy, type LuaValue, type NativeFn } from './value.js';
export { valkeyStringHash, lua51StringHash, type StringHash } from './hash.js';
export { numberToString, str2number } from './number.js';
export { Args } from './auxlib.js';
export { openCjson } from './lcjson.js';
export { openCmsgpack } from './lcmsgpack.js';
export { openStruct } from './lstruct.js';
export { rawToString, toStringMeta } from './stdlib.js';

export interface CreateOptions extends LuaStateOptions {
  /** math.random source in [0, 1) (default: a fixed-seed generator) */
  random?: () => number;
  /** os.clock source in seconds (default: process CPU time) */
  clock?: () => number;
}

/** A state with the base, string, table, math, coroutine, os (clock only) and bit libraries. */
export function createLuaState(opts: CreateOptions = {}): LuaState {
  const L = new LuaState(opts);
  openBase(L);
  openString(L);
  openTable(L);
  openMath(L, opts.random ?? lcg());
  openCoroutine(L);
  openOs(L, opts.clock ?? (() => process.cpuUsage().user / 1e6));
  openBit(L);
  return L;
}

function lcg(): () => number {
  let s = 0x1234abcd;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}
