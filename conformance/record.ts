/**
 * Writing example cases: record what a real Valkey 9 answers, then review.
 * Never write a reply from memory.
 *
 *   npx tsx conformance/record.ts drafts.json            (binary target, found like the oracle)
 *   VALKEY_URL=redis://... npx tsx conformance/record.ts drafts.json --target url
 *
 * drafts.json: [{ "command": "append", "name": "APPEND creates", "steps": [["APPEND","k","ab"], ["GET","k"]] }]
 * A step ["@b", "GET", "k"] runs on a second connection; ["__elapse", "100"] waits 100 ms.
 * Each draft runs on an emptied server in RESP2 and in RESP3 (raw driver),
 * and is printed as an `example(...)` call with the expectation that gives
 * both byte forms: a single one where the two agree (`5`, `'v'`, `ok`,
 * `map(...)`, `dbl(...)`), `resp(e2, e3)` where they do not.
 */
import { readFileSync } from 'node:fs';
import type { RawValue } from '../src/index.js';
import { rawDriver } from './drivers/raw.js';
import { encodeExpect, type Expect } from './expect.js';
import { startTarget, type TargetName } from './targets/target.js';
import { err, map, nilArr, ok, queued, resp, set, simple, dbl, bool, verb } from './expect.js';

/** An expectation read off a wire reply (RESP3 form gives the types; RESP2 decides null kinds). */
export function expectFromRaw(v: RawValue): Expect {
  switch (v.type) {
    case 'simple': return v.value === 'OK' ? ok : v.value === 'QUEUED' ? queued : simple(v.value);
    case 'error': case 'bloberror': return err(v.value);
    case 'bulk': return v.value;
    case 'verbatim': return verb(v.value.slice(4), v.value.slice(0, 3));
    case 'int': return Number.isSafeInteger(Number(v.value)) ? Number(v.value) : v.value;
    case 'double': return dbl(v.value);
    case 'bool': return bool(v.value);
    case 'bignum': return simple(v.value);
    case 'null': return null;
    case 'array': case 'push': return v.value === null ? nilArr : v.value.map(expectFromRaw);
    case 'set': return v.value === null ? nilArr : set(...v.value.map(expectFromRaw));
    case 'map': case 'attr': return map(...v.value.map(([k, x]) => [expectFromRaw(k), expectFromRaw(x)] as const));
  }
}

/** The expectation for one step, given its RESP2 and RESP3 replies. */
export function expectFor(r2: { raw: string; value: RawValue }, r3: { raw: string; value: RawValue }): Expect {
  const e3 = expectFromRaw(r3.value);
  if (safeEncode(e3, 2) === r2.raw && safeEncode(e3, 3) === r3.raw) return e3;
  const e2 = expectFromRaw(r2.value);
  const n2 = r2.raw === '*-1\r\n' ? nilArr : e2;
  if (safeEncode(n2, 2) === r2.raw && safeEncode(n2, 3) === r3.raw) return n2;
  return resp(n2, e3);
}

function safeEncode(e: Expect, v: 2 | 3): string | undefined {
  try {
    return encodeExpect(e, v);
  } catch {
    return undefined;
  }
}

function lit(s: string): string {
  let out = "'";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (s[i] === "'" || s[i] === '\\') out += '\\' + s[i];
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c < 0x20 || c > 0x7e) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += s[i];
  }
  return out + "'";
}

/** Source text of an expectation, in the DSL of expect.ts. */
export function expectSource(e: Expect): string {
  if (e === null) return 'null';
  if (typeof e === 'string') return lit(e);
  if (typeof e === 'number') return String(e);
  if (typeof e === 'bigint') return `${e}n`;
  if (Array.isArray(e)) return '[' + e.map(expectSource).join(', ') + ']';
  const s = e as { x: string } & Record<string, unknown>;
  switch (s.x) {
    case 'simple': return s['v'] === 'OK' ? 'ok' : s['v'] === 'QUEUED' ? 'queued' : `simple(${lit(s['v'] as string)})`;
    case 'err': return `err(${lit(s['v'] as string)})`;
    case 'nilArr': return 'nilArr';
    case 'map': return `map(${(s['v'] as [Expect, Expect][]).map(([k, x]) => `[${expectSource(k)}, ${expectSource(x)}]`).join(', ')})`;
    case 'set': return `set(${(s['v'] as Expect[]).map(expectSource).join(', ')})`;
    case 'dbl': return `dbl(${lit(s['v'] as string)})`;
    case 'bool': return `bool(${String(s['v'])})`;
    case 'verb': return s['format'] === 'txt' ? `verb(${lit(s['v'] as string)})` : `verb(${lit(s['v'] as string)}, ${lit(s['format'] as string)})`;
    case 'resp': return `resp(${expectSource(s['v2'] as Expect)}, ${expectSource(s['v3'] as Expect)})`;
    default: return JSON.stringify(e);
  }
}

interface Draft {
  command: string | string[];
  name: string;
  steps: string[][];
}

async function main(argv: string[]): Promise<void> {
  const file = argv.find((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: record.ts drafts.json [--target binary|url|container]');
  const ti = argv.indexOf('--target');
  const targetName = (ti >= 0 ? argv[ti + 1] : 'binary') as TargetName;
  const drafts = JSON.parse(readFileSync(file, 'utf8')) as Draft[];
  const target = await startTarget(targetName);
  const admin = await rawDriver.connect(target.endpoint, { resp: 2 });
  try {
    for (const d of drafts) {
      const replies: Record<2 | 3, { raw: string; value: RawValue }[]> = { 2: [], 3: [] };
      for (const v of [2, 3] as const) {
        await admin.send(['FLUSHALL']);
        const conns = new Map<string, Awaited<ReturnType<typeof rawDriver.connect>>>();
        for (const s of d.steps) {
          if (s[0] === '__elapse') {
            await new Promise((r) => setTimeout(r, Number(s[1])));
            replies[v].push({ raw: '', value: { type: 'null' } });
            continue;
          }
          const on = s[0]!.startsWith('@') ? s[0]!.slice(1) : 'a';
          let c = conns.get(on);
          if (!c) conns.set(on, (c = await rawDriver.connect(target.endpoint, { resp: v })));
          const r = await c.send(on === 'a' && !s[0]!.startsWith('@') ? s : s.slice(1));
          replies[v].push({ raw: r.raw!, value: r.rawValue! });
        }
        for (const c of conns.values()) await c.close();
      }
      const cmd = Array.isArray(d.command) ? `[${d.command.map(lit).join(', ')}]` : lit(d.command);
      const lines = d.steps.map((s, i) => {
        if (s[0] === '__elapse') return `  { elapse: ${s[1]} },`;
        const e = expectSource(expectFor(replies[2][i]!, replies[3][i]!));
        if (s[0]!.startsWith('@')) return `  { on: ${lit(s[0]!.slice(1))}, cmd: [${s.slice(1).map(lit).join(', ')}], expect: ${e} },`;
        return `  [[${s.map(lit).join(', ')}], ${e}],`;
      });
      console.log(`example(${cmd}, ${lit(d.name)}, [\n${lines.join('\n')}\n]);`);
    }
  } finally {
    await admin.close();
    await target.close();
  }
}

if (process.argv[1] && /record\.(ts|js)$/.test(process.argv[1])) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
