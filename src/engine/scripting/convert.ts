/**
 * Conversions between Lua values and replies, as Valkey's Lua engine does
 * them (src/modules/lua/script_lua.c).
 *
 * Command reply → Lua: the reply is encoded in the script's protocol
 * (server.setresp, RESP2 by default) and parsed back, as Valkey's module
 * client does, so RESP2's downgrades (doubles as bulk strings, maps as flat
 * arrays, null arrays) are exactly the encoder's.
 *
 * Lua → reply: luaReplyToServerReply (strings, integers truncated toward
 * zero, tables with err/ok/double/big_number/verbatim_string/map/set, arrays
 * up to the first nil).
 */
import { encode, R, type Reply } from '../../protocol/index.js';
import { LuaTable, type LuaState, type LuaValue } from '../../lua/index.js';

/** Valkey's (long long)d on x86-64: out of range and NaN give LLONG_MIN. */
export function luaNumberToInt(d: number): number | bigint {
  if (d !== d || d >= 9223372036854775808 || d < -9223372036854775808) return -9223372036854775808n;
  const t = Math.trunc(d);
  return Number.isSafeInteger(t) ? (t === 0 ? 0 : t) : BigInt(t);
}

/** sdstrim "\r\n" at both ends, then \r and \n in the middle become spaces (addReplyErrorFormat). */
export function errorLine(s: string): string {
  return s.replace(/^[\r\n]+|[\r\n]+$/g, '').replace(/[\r\n]/g, ' ');
}

/** printf("%s") of a Lua string: stops at the first NUL. */
function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

interface Frame {
  readonly kind: 'array' | 'map' | 'set';
  readonly t: LuaTable;
  readonly depth: number;
  readonly items: Reply[];
  /** array: next index; map/set: iteration key. */
  j: number;
  key: unknown;
  /** map: the value still to convert for the current key. */
  pendingValue: { v: LuaValue } | undefined;
}

/**
 * luaReplyToServerReply. `resp` is the script's protocol (setresp): it only
 * decides how booleans are sent. Errors are returned with their final text
 * (the error reply adds no "ERR " when the text has no code: `-` + text).
 * Iterative (explicit stack): a table nested thousands deep converts too.
 */
export function luaToReply(L: LuaState, root: LuaValue, resp: 2 | 3): Reply {
  const first = convertOne(L, root, resp, 0);
  if (!('kind' in first)) return first;
  const stack: Frame[] = [first];
  for (;;) {
    const f = stack[stack.length - 1]!;
    const next = nextChild(f);
    let r: Reply | Frame;
    if (next === undefined) {
      stack.pop();
      r = finish(f);
      if (stack.length === 0) return r;
    } else {
      r = convertOne(L, next.v, resp, f.depth + 1);
      if ('kind' in r) {
        stack.push(r);
        continue;
      }
    }
    stack[stack.length - 1]!.items.push(r);
  }
}

function nextChild(f: Frame): { v: LuaValue } | undefined {
  if (f.kind === 'array') {
    const x = f.t.getInt(f.j) as LuaValue;
    if (x === undefined) return undefined;
    f.j++;
    return { v: x };
  }
  if (f.pendingValue) {
    const p = f.pendingValue;
    f.pendingValue = undefined;
    return p;
  }
  const e = f.t.next(f.key);
  if (!e) return undefined;
  f.key = e[0];
  if (f.kind === 'map') f.pendingValue = { v: e[1] as LuaValue };
  return { v: e[0] as LuaValue };
}

function finish(f: Frame): Reply {
  if (f.kind === 'array') return R.array(f.items);
  if (f.kind === 'set') return R.set(f.items);
  const pairs: [Reply, Reply][] = [];
  for (let i = 0; i + 1 < f.items.length; i += 2) pairs.push([f.items[i]!, f.items[i + 1]!]);
  return R.map(pairs);
}

function frame(kind: Frame['kind'], t: LuaTable, depth: number): Frame {
  return { kind, t, depth, items: [], j: 1, key: undefined, pendingValue: undefined };
}

function convertOne(L: LuaState, v: LuaValue, resp: 2 | 3, depth: number): Reply | Frame {
  switch (typeof v) {
    case 'string': return R.bulk(v);
    case 'boolean': return resp === 2 ? (v ? R.int(1) : R.null) : R.bool(v);
    case 'number': return R.int(luaNumberToInt(v));
    default: break;
  }
  if (!(v instanceof LuaTable)) return R.null;
  // lua_checkstack fails this deep (LUAI_MAXCSTACK): the nested reply ends with an error there.
  if (depth >= 7995) return R.error('ERR reached lua stack limit');
  const err = v.getStr('err');
  if (typeof err === 'string') return R.error(errorLine(cstr(errorMessage(L, v))));
  const ok = v.getStr('ok');
  if (typeof ok === 'string') return R.simple(cstr(ok).replace(/[\r\n]/g, ' '));
  const dbl = v.getStr('double');
  if (typeof dbl === 'number') return R.double(dbl);
  const big = v.getStr('big_number');
  if (typeof big === 'string') return R.bignum(cstr(big).replace(/[\r\n]/g, ' '));
  const verb = v.getStr('verbatim_string');
  if (verb instanceof LuaTable) {
    const format = verb.getStr('format');
    const str = verb.getStr('string');
    if (typeof format === 'string' && typeof str === 'string') return R.verbatim(str, cstr(format).slice(0, 3).padEnd(3, '\0'));
  }
  const map = v.getStr('map');
  if (map instanceof LuaTable) return frame('map', map, depth);
  const set = v.getStr('set');
  if (set instanceof LuaTable) return frame('set', set, depth);
  return frame('array', v, depth);
}

/** luaExtractErrorInformation's msg for a table: its err field as a string, or "ERR unknown error". */
export function errorMessage(L: LuaState, t: LuaTable): string {
  const e = t.getStr('err') as LuaValue;
  const s = L.tostr(e);
  return s ?? 'ERR unknown error';
}

/**
 * luaPushErrorBuff: "-CODE msg" keeps its code (a code without a message
 * becomes "ERR CODE"), a plain message gets "ERR "; trailing CR/LF go.
 */
export function errorTable(L: LuaState, text: string, ignoreStats = false): LuaTable {
  let msg: string;
  if (text.startsWith('-')) {
    const sp = text.indexOf(' ');
    msg = sp < 0 ? `ERR ${text.slice(1)}` : `${text.slice(1, sp)} ${trimCrLf(text.slice(sp + 1))}`;
  } else {
    msg = `ERR ${trimCrLf(text)}`;
  }
  // Sized for its keys up front: the same layout as growing into them.
  const t = L.newTable(0, ignoreStats ? 2 : 1);
  t.set('err', msg);
  if (ignoreStats) t.set('ignore_error_stats_update', true);
  return t;
}

function trimCrLf(s: string): string {
  return s.replace(/^[\r\n]+|[\r\n]+$/g, '');
}

/** A command's reply as the script sees it, in protocol `resp`; `error` tells whether it was an error reply. */
export function replyToLua(L: LuaState, reply: Reply, resp: 2 | 3): { value: LuaValue; error: boolean } {
  const direct = directToLua(L, reply, resp, 0);
  if (direct !== NOT_DIRECT) return { value: direct, error: reply.t === 'error' };
  const p = new RespToLua(L, encode(reply, resp));
  const value = p.value();
  return { value, error: p.topError };
}

const NOT_DIRECT = Symbol('not direct');

/**
 * The common replies converted without the round trip through RESP, giving
 * what RespToLua would parse from their encoding: simple strings, errors,
 * integers, bulk strings, nulls and arrays of these. NOT_DIRECT for anything
 * else (the types whose encoding depends on the protocol, a text holding
 * CRLF, an array with an error inside, deep nesting).
 */
function directToLua(L: LuaState, r: Reply, resp: 2 | 3, depth: number): LuaValue | typeof NOT_DIRECT {
  switch (r.t) {
    case 'bulk': return r.v;
    case 'int': return Number(r.v);
    case 'null': return resp === 2 ? false : undefined;
    case 'simple': {
      if (r.v.includes('\r\n')) return NOT_DIRECT;
      const t = L.newTable(0, 1);
      t.set('ok', r.v);
      return t;
    }
    case 'error':
      if (depth > 0 || r.v.includes('\r\n')) return NOT_DIRECT;
      return errorTable(L, '-' + r.v, true);
    case 'array': {
      if (depth >= 8) return NOT_DIRECT;
      const n = r.v.length;
      const t = L.newTable(n, 0);
      for (let i = 0; i < n; i++) {
        const v = directToLua(L, r.v[i]!, resp, depth + 1);
        if (v === NOT_DIRECT) return NOT_DIRECT;
        if (v !== undefined) t.set(i + 1, v);
      }
      return t;
    }
    default: return NOT_DIRECT;
  }
}

/** A RESP parser building Lua values (the reply handlers of script_lua.c). */
class RespToLua {
  private pos = 0;
  topError = false;
  private depth = 0;

  constructor(private readonly L: LuaState, private readonly s: string) {}

  private line(): string {
    const e = this.s.indexOf('\r\n', this.pos);
    const l = this.s.slice(this.pos, e);
    this.pos = e + 2;
    return l;
  }

  private blob(n: number): string {
    const b = this.s.slice(this.pos, this.pos + n);
    this.pos += n + 2;
    return b;
  }

  value(): LuaValue {
    const L = this.L;
    const type = this.s[this.pos++]!;
    const l = this.line();
    switch (type) {
      case '+': { const t = L.newTable(); t.set('ok', l); return t; }
      case '-': {
        // Valkey raises for an error anywhere in the reply (errorCallback sets call_ctx.error).
        this.topError = true;
        return errorTable(L, '-' + l, true);
      }
      case ':': return Number(l);
      case '$': {
        const n = Number(l);
        return n < 0 ? false : this.blob(n);
      }
      case '*': case '~': case '%': case '>': {
        const n = Number(l);
        if (n < 0) return false;
        this.depth++;
        try {
          if (type === '%') {
            const inner = L.newTable(0, n);
            for (let i = 0; i < n; i++) {
              const k = this.value();
              const v = this.value();
              if (k !== undefined && k === k) inner.set(k, v);
            }
            const t = L.newTable();
            t.set('map', inner);
            return t;
          }
          if (type === '~') {
            const inner = L.newTable(0, n);
            for (let i = 0; i < n; i++) {
              const k = this.value();
              if (k !== undefined && k === k) inner.set(k, true);
            }
            const t = L.newTable();
            t.set('set', inner);
            return t;
          }
          const t = L.newTable(n, 0);
          for (let i = 1; i <= n; i++) {
            const v = this.value();
            if (v !== undefined) t.set(i, v);
          }
          return t;
        } finally {
          this.depth--;
        }
      }
      case '_': return undefined;
      case '#': return l === 't';
      case ',': {
        const t = L.newTable();
        t.set('double', parseRespDouble(l));
        return t;
      }
      case '(': { const t = L.newTable(); t.set('big_number', l); return t; }
      case '=': {
        const body = this.blob(Number(l));
        const t = L.newTable();
        const inner = L.newTable();
        inner.set('string', body.slice(4));
        inner.set('format', body.slice(0, 3));
        t.set('verbatim_string', inner);
        return t;
      }
      case '|': {
        // An attribute: skipped, the value it annotates follows.
        const n = Number(l);
        for (let i = 0; i < 2 * n; i++) this.value();
        return this.value();
      }
      default:
        return undefined;
    }
  }
}

function parseRespDouble(l: string): number {
  if (l === 'inf') return Infinity;
  if (l === '-inf') return -Infinity;
  if (l === 'nan' || l === '-nan') return NaN;
  return Number(l);
}
