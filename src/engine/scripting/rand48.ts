/**
 * The generator behind Lua's math.random in Valkey (src/rand.c): the
 * 48-bit linear congruential lrand48, x' = (0x5DEECE66D·x + 0xB) mod 2^48,
 * starting from 0x1234ABCD330E. One per engine; it is never reseeded between
 * scripts, only by math.randomseed.
 */
const A = 0x5deece66dn;
const C = 0xbn;
const MASK = (1n << 48n) - 1n;
export const LRAND48_MAX = 0x7fffffff;

export class Rand48 {
  private x = 0x1234abcd330en;

  /** serverLrand48: the next 31-bit value. */
  next(): number {
    this.x = (A * this.x + C) & MASK;
    return Number(this.x >> 17n);
  }

  /** serverSrand48: the high 32 bits become the seed, the low 16 are 0x330E. */
  seed(v: number): void {
    this.x = ((BigInt(v | 0) & 0xffffffffn) << 16n) | 0x330en;
  }

  /** math.random's r: (lrand48() % LRAND48_MAX) / LRAND48_MAX. */
  unit(): number {
    return (this.next() % LRAND48_MAX) / LRAND48_MAX;
  }
}
