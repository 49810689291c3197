/**
 * The output side of a connection under faults: bytes go to the socket in
 * order, but one reply can be written in chunks with pauses between them or
 * at a given bandwidth. Whatever is written after a shaped reply waits for
 * it, so replies never overtake each other. Pauses use the real timers
 * captured at load (fake timers do not stop them).
 */
import type { Socket } from 'node:net';
import { realTimers } from '../../time/index.js';
import type { Wire } from '../connection.js';

/** How one piece of output is written. */
export type Shape =
  /** In pieces of these sizes (the rest in one last piece), `intervalMs` apart. */
  | { kind: 'chunks'; sizes: readonly number[]; intervalMs: number }
  /** At about this many bytes per second, in slices every 10 ms. */
  | { kind: 'throttle'; bytesPerSecond: number };

interface Piece {
  data: string;
  shape: Shape | undefined;
}

const TICK_MS = 10;

export class ShapedWire implements Wire {
  private readonly queue: Piece[] = [];
  private busy = false;
  private ending = false;
  private queued = 0;

  constructor(private readonly socket: Socket) {}

  get writableLength(): number {
    return this.socket.writableLength;
  }

  /** Bytes waiting behind a shaped reply. */
  get backlog(): number {
    return this.queued;
  }

  write(data: string): void {
    if (!this.busy && this.queue.length === 0) {
      this.raw(data);
      return;
    }
    this.queue.push({ data, shape: undefined });
    this.queued += data.length;
  }

  /** Writes `data` shaped, after everything written before. */
  writeShaped(data: string, shape: Shape): void {
    this.queue.push({ data, shape });
    this.queued += data.length;
    if (!this.busy) this.pump();
  }

  end(): void {
    this.ending = true;
    if (!this.busy && this.queue.length === 0) this.socket.end();
  }

  private raw(data: string): void {
    if (!this.socket.destroyed) this.socket.write(data, 'latin1');
  }

  private pump(): void {
    while (!this.busy) {
      const p = this.queue.shift();
      if (!p) {
        if (this.ending) this.socket.end();
        return;
      }
      this.queued -= p.data.length;
      if (!p.shape) {
        this.raw(p.data);
        continue;
      }
      this.busy = true;
      const slices = slicesOf(p.data, p.shape);
      const gap = p.shape.kind === 'chunks' ? p.shape.intervalMs : TICK_MS;
      let i = 0;
      const step = () => {
        if (this.socket.destroyed) {
          this.queue.length = 0;
          this.queued = 0;
          this.busy = false;
          return;
        }
        this.raw(slices[i++]!);
        if (i < slices.length) {
          realTimers.setTimeout(step, gap);
        } else {
          this.busy = false;
          this.pump();
        }
      };
      step();
    }
  }
}

function slicesOf(data: string, shape: Shape): string[] {
  const out: string[] = [];
  let pos = 0;
  if (shape.kind === 'chunks') {
    for (const n of shape.sizes) {
      if (pos >= data.length) break;
      const size = Math.max(1, Math.floor(n));
      out.push(data.slice(pos, pos + size));
      pos += size;
    }
  } else {
    const size = Math.max(1, Math.floor((shape.bytesPerSecond * TICK_MS) / 1000));
    while (pos < data.length) {
      out.push(data.slice(pos, pos + size));
      pos += size;
    }
  }
  if (pos < data.length) out.push(data.slice(pos));
  if (out.length === 0) out.push('');
  return out;
}

/** Sizes that split `total` bytes into `n` near-equal chunks. */
export function evenSizes(total: number, n: number): number[] {
  const k = Math.max(1, Math.min(Math.floor(n), Math.max(1, total)));
  const base = Math.floor(total / k);
  const extra = total % k;
  return Array.from({ length: k }, (_, i) => base + (i < extra ? 1 : 0));
}
