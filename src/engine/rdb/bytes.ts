/** Byte buffers for the RDB codecs: a growing writer, a bounds-checked reader, latin1 conversions. */
import type { Bytes } from '../../protocol/index.js';

/** Bytes (latin1, one char per byte) as a Uint8Array. */
export function toU8(s: Bytes): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'latin1'));
}

/** A Uint8Array as Bytes. */
export function fromU8(u: Uint8Array): Bytes {
  return Buffer.from(u.buffer, u.byteOffset, u.length).toString('latin1') as Bytes;
}

export class ByteWriter {
  private buf = new Uint8Array(64);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.length));
    this.buf = nb;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.length++] = b & 0xff;
  }

  bytes(u: Uint8Array): void {
    this.room(u.length);
    this.buf.set(u, this.length);
    this.length += u.length;
  }

  /** A latin1 string's bytes. */
  str(s: Bytes): void {
    const n = s.length;
    this.room(n);
    if (n > 64) {
      this.length += Buffer.from(this.buf.buffer, this.buf.byteOffset + this.length, n).write(s, 'latin1');
      return;
    }
    for (let i = 0; i < n; i++) this.buf[this.length++] = s.charCodeAt(i);
  }

  /** Little-endian unsigned of `n` bytes (n <= 6). */
  uintLE(v: number, n: number): void {
    this.room(n);
    for (let i = 0; i < n; i++) {
      this.buf[this.length++] = v % 256;
      v = Math.floor(v / 256);
    }
  }

  /** Big-endian 32-bit unsigned. */
  u32BE(v: number): void {
    this.room(4);
    this.buf[this.length++] = (v >>> 24) & 0xff;
    this.buf[this.length++] = (v >>> 16) & 0xff;
    this.buf[this.length++] = (v >>> 8) & 0xff;
    this.buf[this.length++] = v & 0xff;
  }

  /** Little-endian 64-bit two's complement. */
  i64LE(v: bigint): void {
    let u = BigInt.asUintN(64, v);
    this.room(8);
    for (let i = 0; i < 8; i++) {
      this.buf[this.length++] = Number(u & 0xffn);
      u >>= 8n;
    }
  }

  /** An IEEE 754 binary64, little-endian. */
  f64LE(d: number): void {
    this.room(8);
    new DataView(this.buf.buffer, this.buf.byteOffset).setFloat64(this.length, d, true);
    this.length += 8;
  }

  /** Overwrites a little-endian value at `at`. */
  patchLE(at: number, v: number, n: number): void {
    for (let i = 0; i < n; i++) {
      this.buf[at + i] = v % 256;
      v = Math.floor(v / 256);
    }
  }

  /** The bytes written (a view). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Thrown by ByteReader past the end: the payload is truncated. */
export class Truncated extends Error {}

export class ByteReader {
  pos = 0;
  constructor(readonly buf: Uint8Array, readonly end = buf.length) {}

  get left(): number {
    return this.end - this.pos;
  }

  byte(): number {
    if (this.pos >= this.end) throw new Truncated();
    return this.buf[this.pos++]!;
  }

  take(n: number): Uint8Array {
    if (n > this.end - this.pos) throw new Truncated();
    const u = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return u;
  }

  u32BE(): number {
    const u = this.take(4);
    return ((u[0]! << 24) | (u[1]! << 16) | (u[2]! << 8) | u[3]!) >>> 0;
  }

  u32LE(): number {
    const u = this.take(4);
    return (u[0]! | (u[1]! << 8) | (u[2]! << 16) | (u[3]! << 24)) >>> 0;
  }

  u64BE(): bigint {
    const u = this.take(8);
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(u[i]!);
    return v;
  }

  i64LE(): bigint {
    const u = this.take(8);
    let v = 0n;
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(u[i]!);
    return BigInt.asIntN(64, v);
  }

  f64LE(): number {
    const u = this.take(8);
    return new DataView(u.buffer, u.byteOffset, 8).getFloat64(0, true);
  }
}
