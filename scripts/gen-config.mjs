#!/usr/bin/env node
// Generates src/engine/config-table.generated.ts: every configuration parameter
// of the oracle (a real Valkey 9), with
//   - its default value exactly as `CONFIG GET` prints it, read from a freshly
//     started oracle (no config file, only `--port`), and
//   - its type and validation data (bounds, numeric flags, enum values, flags
//     such as IMMUTABLE/HIDDEN/PROTECTED, validator and apply hook names), read
//     from the `static_configs[]` table of Valkey's src/config.c.
//
// Usage: node scripts/gen-config.mjs [path/to/valkey/src]
//   The source folder defaults to $VALKEY_SRC, then ../valkey-src/current/src.
//   The oracle is $VALKEY_SERVER, else ~/.cache/valkey-double/9.*/valkey-server.
// The output is committed; rerun this script when the oracle version changes.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outFile = join(here, '..', 'src', 'engine', 'config-table.generated.ts');
const srcDir = resolve(process.argv[2] ?? process.env.VALKEY_SRC ?? join(here, '..', '..', 'valkey-src', 'current', 'src'));

// ---------------------------------------------------------------- oracle ---

function findOracle() {
  const candidates = [];
  if (process.env.VALKEY_SERVER) candidates.push(process.env.VALKEY_SERVER);
  const cache = process.env.VALKEY_DOUBLE_CACHE ?? join(homedir(), '.cache', 'valkey-double');
  if (existsSync(cache)) {
    for (const d of readdirSync(cache).filter((d) => /^9\./.test(d)).sort().reverse()) candidates.push(join(cache, d, 'valkey-server'));
  }
  for (const server of candidates) {
    if (!existsSync(server)) continue;
    const out = execFileSync(server, ['--version'], { encoding: 'utf8' });
    const m = /v=(\d+\.\d+\.\d+)/.exec(out);
    if (m && m[1].startsWith('9.')) return { server, version: m[1] };
  }
  throw new Error('no Valkey 9 oracle found (run npm run oracle or set VALKEY_SERVER)');
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** Sends commands over one connection and returns the RESP2 replies, parsed. */
function query(port, commands) {
  return new Promise((res, rej) => {
    const sock = connect({ port, host: '127.0.0.1' });
    let buf = Buffer.alloc(0);
    const replies = [];
    sock.on('error', rej);
    sock.on('connect', () => {
      let out = '';
      for (const c of commands) {
        out += `*${c.length}\r\n`;
        for (const a of c) out += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
      }
      sock.write(out);
    });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      let pos = 0;
      for (;;) {
        const r = parse(buf, pos);
        if (!r) break;
        replies.push(r.value);
        pos = r.pos;
        if (replies.length === commands.length) {
          sock.destroy();
          return res(replies);
        }
      }
      buf = buf.subarray(pos);
    });
  });
}

function parse(b, pos) {
  const nl = b.indexOf('\r\n', pos);
  if (nl < 0) return null;
  const t = String.fromCharCode(b[pos]);
  const line = b.toString('latin1', pos + 1, nl);
  if (t === '+' || t === '-' || t === ':') return { value: t === '-' ? new Error(line) : line, pos: nl + 2 };
  if (t === '$') {
    const n = Number(line);
    if (n < 0) return { value: null, pos: nl + 2 };
    if (b.length < nl + 2 + n + 2) return null;
    return { value: b.toString('latin1', nl + 2, nl + 2 + n), pos: nl + 2 + n + 2 };
  }
  if (t === '*') {
    const n = Number(line);
    const arr = [];
    let p = nl + 2;
    for (let i = 0; i < n; i++) {
      const r = parse(b, p);
      if (!r) return null;
      arr.push(r.value);
      p = r.pos;
    }
    return { value: arr, pos: p };
  }
  throw new Error(`unexpected reply type ${t}`);
}

async function readOracleConfig(bin, hiddenNames) {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), 'valkey-double-gen-config-'));
  const child = spawn(bin.server, ['--port', String(port)], { cwd, stdio: 'ignore' });
  try {
    for (let i = 0; ; i++) {
      try {
        const [all, ...hidden] = await query(port, [['CONFIG', 'GET', '*'], ...hiddenNames.map((n) => ['CONFIG', 'GET', n])]);
        const values = new Map();
        for (let j = 0; j < all.length; j += 2) values.set(all[j], all[j + 1]);
        const hiddenValues = new Map();
        for (const r of hidden) if (r.length === 2) hiddenValues.set(r[0], r[1]);
        return { values, hiddenValues, port, cwd };
      } catch (e) {
        if (i > 100) throw e;
        await sleep(50);
      }
    }
  } finally {
    child.kill('SIGKILL');
    rmSync(cwd, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------- config.c ---

/** #define NAME value, from every header and C file of the source folder. */
function readDefines() {
  const defs = new Map();
  for (const f of readdirSync(srcDir).filter((f) => /\.[ch]$/.test(f))) {
    const text = readFileSync(join(srcDir, f), 'utf8');
    for (const m of text.matchAll(/^#define\s+([A-Za-z_]\w*)\s+([^\n]*?)\s*(?:\/\*.*)?$/gm)) {
      if (!defs.has(m[1])) defs.set(m[1], m[2]);
    }
  }
  return defs;
}

const LIMITS = {
  INT_MAX: 2147483647n, INT_MIN: -2147483648n, UINT_MAX: 4294967295n,
  LONG_MAX: 9223372036854775807n, LONG_MIN: -9223372036854775808n, ULONG_MAX: 18446744073709551615n,
  LLONG_MAX: 9223372036854775807n, LLONG_MIN: -9223372036854775808n, ULLONG_MAX: 18446744073709551615n,
  SSIZE_MAX: 9223372036854775807n, SIZE_MAX: 18446744073709551615n,
};

/** Evaluates a C integer constant expression (+ - * / << >> | ~, parentheses, macros). */
function evalC(expr, defines, depth = 0) {
  if (depth > 20) throw new Error(`macro recursion in ${expr}`);
  const toks = expr.match(/0[xX][0-9a-fA-F]+|\d+[uUlL]*|[A-Za-z_]\w*|<<|>>|[-+*/()|~]/g) ?? [];
  let i = 0;
  const peek = () => toks[i];
  const next = () => toks[i++];
  const primary = () => {
    const t = next();
    if (t === '(') { const v = orExpr(); next(); return v; }
    if (t === '-') return -primary();
    if (t === '~') return ~primary();
    if (/^0[xX]/.test(t)) return BigInt(t);
    if (/^\d/.test(t)) {
      const d = t.replace(/[uUlL]+$/, '');
      return d.length > 1 && d[0] === '0' ? BigInt('0o' + d.slice(1)) : BigInt(d);
    }
    if (t in LIMITS) return LIMITS[t];
    if (defines.has(t)) return evalC(defines.get(t), defines, depth + 1);
    throw new Error(`cannot evaluate identifier ${t} in "${expr}"`);
  };
  const mul = () => { let v = primary(); while (peek() === '*' || peek() === '/') v = next() === '*' ? v * primary() : v / primary(); return v; };
  const add = () => { let v = mul(); while (peek() === '+' || peek() === '-') v = next() === '+' ? v + mul() : v - mul(); return v; };
  const shift = () => { let v = add(); while (peek() === '<<' || peek() === '>>') v = next() === '<<' ? v << add() : v >> add(); return v; };
  const orExpr = () => { let v = shift(); while (peek() === '|') { next(); v = v | shift(); } return v; };
  const v = orExpr();
  if (i !== toks.length) throw new Error(`trailing tokens in "${expr}"`);
  return v;
}

/** Splits a C argument list at top-level commas. */
function splitArgs(s) {
  const out = [];
  let depth = 0;
  let cur = '';
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      cur += c;
      if (c === '\\') cur += s[++i];
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') { inStr = true; cur += c; continue; }
    if (c === '(' || c === '{') depth++;
    if (c === ')' || c === '}') depth--;
    if (c === ',' && depth === 0) { out.push(cur.trim()); cur = ''; continue; }
    cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const cstr = (s) => (s === 'NULL' ? null : JSON.parse(s.replace(/"\s+"/g, '')));
const fn = (s) => (s === 'NULL' ? undefined : s);

function parseFlags(s, defines) {
  const names = ['IMMUTABLE_CONFIG', 'SENSITIVE_CONFIG', 'DEBUG_CONFIG', 'MULTI_ARG_CONFIG', 'HIDDEN_CONFIG',
    'PROTECTED_CONFIG', 'DENY_LOADING_CONFIG', 'VOLATILE_CONFIG'];
  const v = evalC(s, defines);
  const out = [];
  for (const n of names) {
    if (v & evalC(n, defines)) out.push(n.replace(/_CONFIG$/, '').toLowerCase().replace(/_(\w)/g, (_, c) => c.toUpperCase()));
  }
  return out;
}

function parseNumFlags(s, defines) {
  const v = evalC(s, defines);
  const out = [];
  for (const [n, name] of [['MEMORY_CONFIG', 'memory'], ['PERCENT_CONFIG', 'percent'], ['OCTAL_CONFIG', 'octal'],
    ['UNSIGNED_CONFIG', 'unsigned'], ['SIGNED_MEMORY_CONFIG', 'signedMemory']]) {
    if (v & evalC(n, defines)) out.push(name);
  }
  return out;
}

function readEnums(text, defines) {
  const enums = new Map();
  for (const m of text.matchAll(/configEnum\s+(\w+)\[\]\s*=\s*\{([\s\S]*?)\{NULL,\s*0\}\s*\};/g)) {
    const entries = [];
    const seen = new Map();
    for (const e of m[2].matchAll(/\{\s*"([^"]*)"\s*,\s*([^}]+?)\s*\}/g)) {
      let v;
      try {
        v = evalC(e[2], defines);
      } catch {
        // C enum members: give each distinct expression its own value.
        if (!seen.has(e[2])) seen.set(e[2], BigInt(1000 + seen.size));
        v = seen.get(e[2]);
      }
      entries.push([e[1], Number(v)]);
    }
    enums.set(m[1], entries);
  }
  return enums;
}

const NUMERIC_KINDS = {
  createIntConfig: 'int', createUIntConfig: 'uint', createLongConfig: 'long', createULongConfig: 'ulong',
  createLongLongConfig: 'longlong', createULongLongConfig: 'ulonglong', createSizeTConfig: 'size_t',
  createSSizeTConfig: 'ssize_t', createTimeTConfig: 'time_t', createOffTConfig: 'off_t',
};

function readStaticConfigs() {
  const text = readFileSync(join(srcDir, 'config.c'), 'utf8');
  const defines = readDefines();
  const enums = readEnums(text, defines);
  const start = text.indexOf('standardConfig static_configs[] = {');
  const end = text.indexOf('{NULL},', start);
  if (start < 0 || end < 0) throw new Error('static_configs[] not found in config.c');
  const body = text.slice(start, end).replace(/\/\*[\s\S]*?\*\//g, '');
  const configs = [];
  for (const m of body.matchAll(/(create\w+Config)\(/g)) {
    let depth = 1;
    let j = m.index + m[0].length;
    while (depth > 0) {
      if (body[j] === '(') depth++;
      else if (body[j] === ')') depth--;
      j++;
    }
    const a = splitArgs(body.slice(m.index + m[0].length, j - 1));
    const kind = m[1];
    const c = { name: cstr(a[0]), alias: cstr(a[1]) ?? undefined, flags: parseFlags(a[2], defines) };
    if (kind === 'createBoolConfig') {
      Object.assign(c, { type: 'bool', validate: fn(a[5]), apply: fn(a[6]) });
    } else if (kind === 'createStringConfig' || kind === 'createSDSConfig') {
      Object.assign(c, { type: kind === 'createSDSConfig' ? 'sds' : 'string', emptyIsNull: a[3] === 'EMPTY_STRING_IS_NULL', validate: fn(a[6]), apply: fn(a[7]) });
    } else if (kind === 'createEnumConfig') {
      const values = enums.get(a[3]);
      if (!values) throw new Error(`enum ${a[3]} not found`);
      Object.assign(c, { type: 'enum', values, validate: fn(a[6]), apply: fn(a[7]) });
    } else if (NUMERIC_KINDS[kind]) {
      Object.assign(c, {
        type: 'numeric', numType: NUMERIC_KINDS[kind],
        lower: String(evalC(a[3], defines)), upper: String(evalC(a[4], defines)),
        numFlags: parseNumFlags(a[7], defines), validate: fn(a[8]), apply: fn(a[9]),
      });
    } else if (kind === 'createSpecialConfig') {
      Object.assign(c, { type: 'special', apply: fn(a[6]) });
    } else {
      throw new Error(`unknown config kind ${kind}`);
    }
    for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k];
    configs.push(c);
  }
  return configs;
}

// ----------------------------------------------------------------- main ---

const bin = findOracle();
const configs = readStaticConfigs();
const hiddenNames = configs.filter((c) => c.flags.includes('hidden')).map((c) => c.name);
const { values, hiddenValues, port, cwd } = await readOracleConfig(bin, hiddenNames);

const out = [];
for (const c of configs) {
  let def = values.get(c.name) ?? hiddenValues.get(c.name);
  if (def === undefined) continue; // compiled out (LOG_REQ_RES...)
  // Process-dependent values: recorded as the engine computes them.
  if (c.name === 'port') def = '6379';
  if (c.name === 'dir') def = '';
  if (def.includes(cwd) || def.includes(String(port))) throw new Error(`process-dependent default for ${c.name}: ${def}`);
  out.push({ ...c, default: def });
}
const known = new Set(out.flatMap((c) => [c.name, c.alias].filter(Boolean)));
const missing = [...values.keys()].filter((k) => !known.has(k));
if (missing.length) throw new Error(`oracle parameters not found in config.c: ${missing.join(', ')}`);

const header = `/**
 * Every configuration parameter of Valkey ${bin.version}, generated by scripts/gen-config.mjs
 * (do not edit by hand): the default as \`CONFIG GET\` of a freshly started
 * valkey-server ${bin.version} prints it, and the type and validation data of
 * Valkey's src/config.c (static_configs[]). \`port\` and \`dir\` depend on the
 * process and are filled in by the engine.
 *
 * Derived from Valkey (https://github.com/valkey-io/valkey), BSD-3-Clause.
 */
import type { GeneratedParam } from './config-params.js';

export const CONFIG_ORACLE_VERSION = '${bin.version}';

export const GENERATED_PARAMS: readonly GeneratedParam[] = [
`;
const body = out.map((c) => '  ' + JSON.stringify(c) + ',\n').join('');
writeFileSync(outFile, header + body + '];\n');
console.log(`wrote ${out.length} parameters to ${outFile}`);
