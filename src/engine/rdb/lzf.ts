/**
 * LZF as liblzf 3.6 does it in Valkey's lzf_c.c / lzf_d.c, with Valkey's
 * build settings (HLOG 16, VERY_FAST, not ULTRA_FAST), so compressed strings
 * in DUMP payloads come out byte for byte as the real server writes them.
 *
 * Format: a control byte c < 32 starts a run of c + 1 literal bytes; any
 * other is a back reference of length (c >> 5) + 2 (7 means one more length
 * byte follows, added), at distance ((c & 31) << 8 | next byte) + 1.
 *
 * liblzf leaves its hash table uninitialised (INIT_HTAB 0); this one starts
 * empty, which is what the real server does whenever the stale slots cannot
 * form a match.
 */

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/** Reusable compression state: the hash table of positions (0 = empty), and the slots a run touched. */
export class LzfCompressor {
  private readonly htab = new Int32Array(HSIZE);
  private touched: number[] = [];

  /**
   * lzf_compress(in, in_len, out, out_len): the compressed bytes, or null
   * when they would not fit in `outLen` bytes.
   */
  compress(inp: Uint8Array, outLen: number): Uint8Array | null {
    try {
      return this.run(inp, outLen);
    } finally {
      for (const i of this.touched) this.htab[i] = 0;
      this.touched = [];
    }
  }

  private put(idx: number, pos: number): void {
    if (this.htab[idx] === 0) this.touched.push(idx);
    this.htab[idx] = pos;
  }

  private run(inp: Uint8Array, outLen: number): Uint8Array | null {
    const inLen = inp.length;
    if (inLen === 0 || outLen === 0) return null;
    const out = new Uint8Array(outLen + 4);
    const htab = this.htab;
    let ip = 0;
    let op = 0;
    let lit = 0;
    op++; // start run
    let hval = ((inp[0]! << 8) | inp[1]!) >>> 0;
    while (ip < inLen - 2) {
      hval = ((hval << 8) | inp[ip + 2]!) >>> 0;
      const idx = ((hval >>> 8) - Math.imul(hval, 5)) & (HSIZE - 1);
      const ref = htab[idx]!; // 0: no entry (position 0 is never a reference)
      this.put(idx, ip);
      const off = ip - ref - 1;
      if (
        ref !== 0 &&
        off >= 0 &&
        off < MAX_OFF &&
        inp[ref + 2] === inp[ip + 2] &&
        inp[ref] === inp[ip] &&
        inp[ref + 1] === inp[ip + 1]
      ) {
        let len = 2;
        let maxlen = inLen - ip - len;
        if (maxlen > MAX_REF) maxlen = MAX_REF;
        if (op + 3 + 1 >= outLen) {
          if (op - (lit === 0 ? 1 : 0) + 3 + 1 >= outLen) return null;
        }
        out[op - lit - 1] = lit - 1; // stop run
        if (lit === 0) op--; // undo run if length is zero
        let done = false;
        if (maxlen > 16) {
          for (let k = 0; k < 16; k++) {
            len++;
            if (inp[ref + len] !== inp[ip + len]) {
              done = true;
              break;
            }
          }
        }
        if (!done) {
          do len++;
          while (len < maxlen && inp[ref + len] === inp[ip + len]);
        }
        len -= 2; // octets - 1
        ip++;
        if (len < 7) {
          out[op++] = (off >> 8) + (len << 5);
        } else {
          out[op++] = (off >> 8) + (7 << 5);
          out[op++] = len - 7;
        }
        out[op++] = off & 0xff;
        lit = 0;
        op++; // start run
        ip += len + 1;
        if (ip >= inLen - 2) break;
        ip -= 2;
        hval = ((inp[ip]! << 8) | inp[ip + 1]!) >>> 0;
        hval = ((hval << 8) | inp[ip + 2]!) >>> 0;
        this.put(((hval >>> 8) - Math.imul(hval, 5)) & (HSIZE - 1), ip);
        ip++;
        hval = ((hval << 8) | inp[ip + 2]!) >>> 0;
        this.put(((hval >>> 8) - Math.imul(hval, 5)) & (HSIZE - 1), ip);
        ip++;
      } else {
        if (op >= outLen) return null;
        lit++;
        out[op++] = inp[ip++]!;
        if (lit === MAX_LIT) {
          out[op - lit - 1] = lit - 1;
          lit = 0;
          op++;
        }
      }
    }
    if (op + 3 > outLen) return null;
    while (ip < inLen) {
      lit++;
      out[op++] = inp[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
    out[op - lit - 1] = lit - 1; // end run
    if (lit === 0) op--;
    return out.subarray(0, op);
  }
}

/** lzf_decompress into exactly `outLen` bytes: null on any malformed input or a length mismatch. */
export function lzfDecompress(inp: Uint8Array, outLen: number): Uint8Array | null {
  const out = new Uint8Array(outLen);
  let ip = 0;
  let op = 0;
  const inLen = inp.length;
  while (ip < inLen) {
    let ctrl = inp[ip++]!;
    if (ctrl < 32) {
      ctrl++;
      if (op + ctrl > outLen) return null;
      if (ip + ctrl > inLen) return null;
      out.set(inp.subarray(ip, ip + ctrl), op);
      op += ctrl;
      ip += ctrl;
    } else {
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= inLen) return null;
      if (len === 7) {
        len += inp[ip++]!;
        if (ip >= inLen) return null;
      }
      ref -= inp[ip++]!;
      if (op + len + 2 > outLen) return null;
      if (ref < 0) return null;
      len += 2;
      for (let k = 0; k < len; k++) out[op++] = out[ref++]!;
    }
  }
  return op === outLen ? out : null;
}
