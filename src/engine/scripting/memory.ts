/**
 * What scripts and functions add to INFO memory and MEMORY STATS, estimated
 * (Valkey's evalScriptsMemory, functionsMemoryOverhead, and the Lua heaps).
 *
 * The caches follow Valkey's accounting with this process's allocation
 * sizes: per EVAL script its sha (an sds of 40), its body (embedded up to
 * 44 bytes), the evalScript and its dict entry, an LRU node for scripts
 * EVAL loaded, and the dict's buckets; per library its struct, name and code,
 * per function its struct and name. Checked against Valkey 9.1.2 for small
 * caches (exact for short bodies and a dict not in the middle of a rehash).
 *
 * The Lua heaps (used_memory_vm_eval / _functions) are lua_gc(LUA_GCCOUNT)
 * in Valkey, so they move with the collector; here they are the empty
 * heap plus an estimate of the compiled code kept, in whole kilobytes, so
 * they grow with what is loaded and fall back on SCRIPT / FUNCTION FLUSH.
 */
import { jeSize, sdsReqSize } from '../memory/alloc.js';
import { sdsAlloc } from '../memory/usage.js';
import type { Scripting } from './scripting.js';

/** lua_gc count of a fresh EVAL / functions Lua state (Valkey 9.1.2). */
const EVAL_HEAP = 33792;
const FUNCTIONS_HEAP = 35840;
/** functionsMemoryOverhead with no library: the engine, the libraries context, their dicts. */
const FUNCTIONS_BASE = 328;
/** sizeof(evalScript) with its dict entry; sizeof(listNode). */
const EVAL_SCRIPT = 64;
const LIST_NODE = 24;
/** functionLibInfo and functionInfo with their dict entries, as measured. */
const LIBRARY = 104;
const FUNCTION = 64;
/** Estimated Lua heap bytes per byte of source kept compiled, per EVAL script and per library. */
const HEAP_PER_BYTE = 3;
const HEAP_PER_SCRIPT = 512;
const HEAP_PER_LIBRARY = 1024;

export interface ScriptingMemory {
  /** used_memory_vm_eval (= used_memory_lua). */
  readonly vmEval: number;
  readonly vmFunctions: number;
  /** used_memory_scripts_eval (= MEMORY STATS lua.caches). */
  readonly scriptsEval: number;
  /** used_memory_functions (= MEMORY STATS functions.caches). */
  readonly functions: number;
}

export function scriptingMemory(s: Scripting): ScriptingMemory {
  let scriptsEval = 0;
  let evalHeap = 0;
  for (const es of s.scripts.values()) {
    scriptsEval += sdsAlloc(40) + bodyAlloc(es.body.length) + EVAL_SCRIPT + (es.lru ? LIST_NODE : 0);
    evalHeap += HEAP_PER_SCRIPT + es.body.length * HEAP_PER_BYTE;
  }
  scriptsEval += dictBuckets(s.scripts.size) * 8;
  let functions = FUNCTIONS_BASE;
  let fnHeap = 0;
  for (const lib of s.libraries.values()) {
    functions += LIBRARY + sdsAlloc(lib.name.length) + sdsAlloc(lib.code.length);
    for (const name of lib.functions.keys()) functions += FUNCTION + sdsAlloc(name.length);
    fnHeap += HEAP_PER_LIBRARY + lib.code.length * HEAP_PER_BYTE;
  }
  return {
    vmEval: EVAL_HEAP + kilobytes(evalHeap),
    vmFunctions: FUNCTIONS_HEAP + kilobytes(fnHeap),
    scriptsEval,
    functions,
  };
}

/** getStringObjectSdsUsedMemory of the script body: embedded up to 44 bytes, else its own sds. */
function bodyAlloc(len: number): number {
  if (len <= 44) return jeSize(8 + sdsReqSize(len, true)) - 8;
  return (sdsReqSize(len) + 7) & ~7;
}

/** The buckets of a dict holding n entries (at least 4, a power of two). */
function dictBuckets(n: number): number {
  if (n === 0) return 0;
  let b = 4;
  while (b < n) b *= 2;
  return b;
}

function kilobytes(n: number): number {
  return Math.floor(n / 1024) * 1024;
}
