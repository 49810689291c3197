/** Runtime value types. nil is `undefined`, booleans/numbers are JS primitives, strings are latin1 JS strings. */
import { LuaTable } from './table.js';
import { numberToString } from './number.js';

export type LuaValue = undefined | boolean | number | string | LuaTable | LuaFunction | Coroutine | Userdata;

export type NativeFn = (...args: LuaValue[]) => LuaValue[];
export type GenFn = (...args: LuaValue[]) => Generator<LuaValue[], LuaValue[], LuaValue[]>;

/** A Lua or host function. `f` runs it; `g` (Lua functions only) runs it as a generator inside coroutines. */
export class LuaFunction {
  /** set on coroutine.yield: in a coroutine the call suspends it */
  y = false;
  constructor(
    readonly hid: number,
    readonly f: NativeFn,
    readonly g: GenFn | undefined,
    readonly name: string,
    readonly native: boolean,
  ) {}
}

export class Userdata {
  metatable: LuaTable | undefined = undefined;
  constructor(readonly hid: number, public data: unknown) {}
}

export type CoStatus = 'suspended' | 'running' | 'normal' | 'dead';

export class Coroutine {
  status: CoStatus = 'suspended';
  gen: Generator<LuaValue[], LuaValue[], LuaValue[]> | undefined;
  cur: Site[] = [];
  depth = 0;
  constructor(readonly hid: number, readonly fn: LuaFunction) {}
}

/** Static facts about a place in the code, for error messages. */
export interface Site {
  readonly chunk: string;
  readonly line: number;
  /** kind/name of the first operand or the callee ('global', 'local', 'field', ...), '' = none */
  readonly k1: string;
  readonly n1: string;
  readonly k2: string;
  readonly n2: string;
  /** for call sites: how the callee is named in "bad argument" messages */
  readonly call: boolean;
  readonly ck: string;
  readonly cn: string;
}

/** A frame entered from host code (pcall, sort, metamethod drivers): no line, no name. */
export const NATIVE_SITE: Site = { chunk: '', line: -1, k1: '', n1: '', k2: '', n2: '', call: false, ck: '', cn: '' };

/** A Lua error in flight; `value` is the error object. */
export class LuaError {
  traceback: string | undefined;
  constructor(readonly value: LuaValue) {}
  toString(): string {
    const v = this.value;
    return typeof v === 'string' ? v : typeof v === 'number' ? numberToString(v) : `(error object is a ${typeName(v)} value)`;
  }
}

export function typeName(v: LuaValue): string {
  switch (typeof v) {
    case 'undefined': return 'nil';
    case 'boolean': return 'boolean';
    case 'number': return 'number';
    case 'string': return 'string';
    default:
      if (v instanceof LuaTable) return 'table';
      if (v instanceof LuaFunction) return 'function';
      if (v instanceof Coroutine) return 'thread';
      return 'userdata';
  }
}

export function truthy(v: LuaValue): boolean { return v !== undefined && v !== false; }
