import { formatDouble } from './double.js';
import type { Reply } from './reply.js';

export type RespVersion = 2 | 3;

/**
 * Encodes a reply for one protocol version, the way Valkey's networking.c
 * writes it: RESP2 downgrades maps to flat arrays, sets and pushes to arrays,
 * doubles and big numbers to bulk strings, booleans to integers, and drops
 * attributes. The result is a latin1 string (one char per byte).
 */
export function encode(r: Reply, resp: RespVersion): string {
  try {
    return encodeRec(r, resp);
  } catch (e) {
    // Nesting too deep for the JS stack (a script returning a table nested thousands deep).
    if (e instanceof RangeError) return encodeFlat(r, resp);
    throw e;
  }
}

/** encode with an explicit stack: the same bytes at any depth. */
function encodeFlat(root: Reply, resp: RespVersion): string {
  const out: string[] = [];
  const todo: (Reply | [RespVersion])[] = [root];
  const respStack: RespVersion[] = [resp];
  while (todo.length) {
    const x = todo.pop()!;
    if (Array.isArray(x)) {
      respStack.pop();
      continue;
    }
    const v = respStack[respStack.length - 1]!;
    const push = (items: readonly Reply[]): void => { for (let i = items.length - 1; i >= 0; i--) todo.push(items[i]!); };
    switch (x.t) {
      case 'array': out.push('*' + x.v.length + '\r\n'); push(x.v); break;
      case 'set': out.push((v === 3 ? '~' : '*') + x.v.length + '\r\n'); push(x.v); break;
      case 'push': out.push((v === 3 ? '>' : '*') + x.v.length + '\r\n'); push(x.v); break;
      case 'map': out.push(v === 3 ? '%' + x.v.length + '\r\n' : '*' + x.v.length * 2 + '\r\n'); push(x.v.flat()); break;
      case 'attr':
        if (v === 3) {
          out.push('|' + x.attrs.length + '\r\n');
          todo.push(x.v);
          push(x.attrs.flat());
        } else {
          todo.push(x.v);
        }
        break;
      case 'pinned': todo.push([v]); todo.push(x.v); respStack.push(x.resp); break;
      default: out.push(encodeRec(x, v));
    }
  }
  return out.join('');
}

function encodeRec(r: Reply, resp: RespVersion): string {
  switch (r.t) {
    case 'simple':
      return '+' + r.v + '\r\n';
    case 'error':
      return '-' + r.v + '\r\n';
    case 'int':
      return ':' + r.v + '\r\n';
    case 'bulk':
      return '$' + r.v.length + '\r\n' + r.v + '\r\n';
    case 'null':
      return resp === 3 ? '_\r\n' : r.array ? '*-1\r\n' : '$-1\r\n';
    case 'array':
      return encodeList('*', r.v, resp);
    case 'set':
      return encodeList(resp === 3 ? '~' : '*', r.v, resp);
    case 'push':
      return encodeList(resp === 3 ? '>' : '*', r.v, resp);
    case 'map': {
      let s = resp === 3 ? '%' + r.v.length + '\r\n' : '*' + r.v.length * 2 + '\r\n';
      for (const [k, v] of r.v) s += encodeRec(k, resp) + encodeRec(v, resp);
      return s;
    }
    case 'double': {
      const d = r.text ?? formatDouble(r.v);
      return resp === 3 ? ',' + d + '\r\n' : '$' + d.length + '\r\n' + d + '\r\n';
    }
    case 'bool':
      return resp === 3 ? (r.v ? '#t\r\n' : '#f\r\n') : r.v ? ':1\r\n' : ':0\r\n';
    case 'bignum':
      return resp === 3 ? '(' + r.v + '\r\n' : '$' + r.v.length + '\r\n' + r.v + '\r\n';
    case 'verbatim':
      return resp === 3
        ? '=' + (r.v.length + 4) + '\r\n' + r.format + ':' + r.v + '\r\n'
        : '$' + r.v.length + '\r\n' + r.v + '\r\n';
    case 'pinned':
      return encodeRec(r.v, r.resp);
    case 'seq': {
      let s = '';
      for (const it of r.v) s += encodeRec(it, resp);
      return s;
    }
    case 'attr': {
      if (resp === 2) return encodeRec(r.v, resp);
      let s = '|' + r.attrs.length + '\r\n';
      for (const [k, v] of r.attrs) s += encodeRec(k, resp) + encodeRec(v, resp);
      return s + encodeRec(r.v, resp);
    }
  }
}

function encodeList(prefix: string, items: readonly Reply[], resp: RespVersion): string {
  let s = prefix + items.length + '\r\n';
  for (const it of items) s += encodeRec(it, resp);
  return s;
}

/**
 * The byte length of encode(r, resp), counted without building the string:
 * what a command's reply adds to the output buffer (COMMANDLOG large-reply).
 */
export function encodedLength(r: Reply, resp: RespVersion): number {
  switch (r.t) {
    case 'simple':
    case 'error':
      return r.v.length + 3;
    case 'int':
      return String(r.v).length + 3;
    case 'bulk':
      return bulkLength(r.v.length);
    case 'null':
      return resp === 3 ? 3 : 5;
    case 'array':
    case 'set':
    case 'push':
      return listLength(r.v, resp);
    case 'map': {
      let n = headerLength(resp === 3 ? r.v.length : r.v.length * 2);
      for (const [k, v] of r.v) n += encodedLength(k, resp) + encodedLength(v, resp);
      return n;
    }
    case 'double': {
      const d = (r.text ?? formatDouble(r.v)).length;
      return resp === 3 ? d + 3 : bulkLength(d);
    }
    case 'bool':
      return 4;
    case 'bignum':
      return resp === 3 ? r.v.length + 3 : bulkLength(r.v.length);
    case 'verbatim':
      return resp === 3 ? bulkLength(r.v.length + 4) : bulkLength(r.v.length);
    case 'pinned':
      return encodedLength(r.v, r.resp);
    case 'seq': {
      let n = 0;
      for (const it of r.v) n += encodedLength(it, resp);
      return n;
    }
    case 'attr': {
      if (resp === 2) return encodedLength(r.v, resp);
      let n = headerLength(r.attrs.length);
      for (const [k, v] of r.attrs) n += encodedLength(k, resp) + encodedLength(v, resp);
      return n + encodedLength(r.v, resp);
    }
  }
}

/** `<type><count>\r\n` */
function headerLength(count: number): number {
  return String(count).length + 3;
}

/** `$<len>\r\n<data>\r\n` */
function bulkLength(len: number): number {
  return headerLength(len) + len + 2;
}

function listLength(items: readonly Reply[], resp: RespVersion): number {
  let n = headerLength(items.length);
  for (const it of items) n += encodedLength(it, resp);
  return n;
}
