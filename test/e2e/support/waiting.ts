/**
 * Helpers for client-level tests of blocking commands and of expiry: watch
 * whether a client's pending call has settled, wait until the server reports
 * a number of blocked clients, and poll a read until it shows what active
 * expiry will eventually make true on a real server.
 */

/** A promise whose settlement can be inspected without awaiting it. */
export interface Watched<T> {
  readonly promise: Promise<T>;
  /** True once the promise resolved or rejected. */
  readonly settled: boolean;
}

export function watch<T>(promise: Promise<T>): Watched<T> {
  const w = { promise, settled: false };
  promise.then(
    () => {
      w.settled = true;
    },
    () => {
      w.settled = true;
    },
  );
  return w;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `blocked_clients` from an INFO (clients section) reply. */
export function blockedClients(info: string): number {
  const m = /^blocked_clients:(\d+)\r?$/m.exec(info);
  if (!m) throw new Error(`no blocked_clients in INFO reply: ${info.slice(0, 200)}`);
  return Number(m[1]);
}

/**
 * Polls `read` until it returns `want` (compared as JSON) or `timeoutMs`
 * passes; returns the last value read, for the caller's expect().
 */
export async function until<T>(read: () => Promise<T>, want: T, timeoutMs = 3000): Promise<T> {
  const end = Date.now() + timeoutMs;
  const target = JSON.stringify(want);
  for (;;) {
    const v = await read();
    if (JSON.stringify(v) === target || Date.now() > end) return v;
    await sleep(10);
  }
}

/** Waits until the server reports exactly `n` blocked clients (INFO clients). */
export async function waitBlocked(info: () => Promise<string>, n: number): Promise<void> {
  const got = await until(async () => blockedClients(await info()), n);
  if (got !== n) throw new Error(`expected ${n} blocked clients, the server reports ${got}`);
}
