/** What the scenario drivers share: reply values in the common shape, and the library's version. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Val } from '../types.js';

/** A client's reply as text, arrays of it, or null (numbers as their digits). */
export function toVal(x: unknown): Val {
  if (x === null || x === undefined) return null;
  if (Buffer.isBuffer(x)) return x.toString('latin1');
  if (Array.isArray(x)) return x.map(toVal);
  if (x instanceof Error) return `!${x.message}`;
  if (x instanceof Map) return [...x.entries()].flatMap(([k, v]) => [toVal(k), toVal(v)]);
  if (x instanceof Set) return [...x].map(toVal);
  return String(x as string | number | boolean);
}

/** The installed version of a package, or "?". */
export function packageVersion(pkg: string): string {
  try {
    const require = createRequire(import.meta.url);
    let dir = require.resolve(pkg);
    for (let i = 0; i < 6; i++) {
      dir = dir.slice(0, dir.lastIndexOf('/'));
      try {
        const j = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { name?: string; version?: string };
        if (j.name === pkg && j.version) return j.version;
      } catch {
        // keep climbing
      }
    }
  } catch {
    // not installed
  }
  return '?';
}
