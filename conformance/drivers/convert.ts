/** Small helpers shared by client adapters. */

/** A plain object (not an array, Buffer, Map, Error...). */
export function isRecord(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const p = Object.getPrototypeOf(x) as unknown;
  return p === Object.prototype || p === null;
}
