import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Bytes } from '../../protocol/index.js';
import { fromU8, toU8 } from './bytes.js';
import { crc64 } from './crc64.js';
import { decodeIntset, encodeIntset } from './intset.js';
import { decodeListpack, encodeListpack } from './listpack.js';
import { LzfCompressor, lzfDecompress } from './lzf.js';
import { decodeZiplist, decodeZipmap } from './ziplist.js';
import { verifyDumpPayload } from './restore.js';

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
const B = (s: string) => s as Bytes;

describe('crc64 (Jones)', () => {
  test('the check value and crc64.c test vectors', () => {
    expect(crc64(toU8(B('123456789')))).toBe(0xe9c6d914c4b8d9can);
    expect(crc64(new Uint8Array(0))).toBe(0n);
    // The checksum Valkey 9.1.2 puts after DUMP of "bar" (read from the real server).
    expect(crc64(toU8(B('\x00\x03barP\x00')))).toBe(0xe39a3470f1809429n);
  });
  test('continuing over a split equals one pass', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(200), (u, cut) => {
      const k = Math.min(cut, u.length);
      expect(crc64(u, k, u.length, crc64(u, 0, k))).toBe(crc64(u));
    }), { numRuns: 200, seed: 7 });
  });
});

describe('LZF', () => {
  test('a run of one byte: what Valkey writes for 46 x "a"', () => {
    const c = new LzfCompressor().compress(toU8(B('a'.repeat(46))), 42)!;
    expect(fromU8(c)).toBe('\x01aa\xe0\x21\x00\x01aa');
  });
  test('incompressible input does not fit in len - 4', () => {
    const u = Uint8Array.from({ length: 40 }, (_, i) => (i * 97 + 13) & 0xff);
    expect(new LzfCompressor().compress(u, u.length - 4)).toBeNull();
  });
  test('compress then decompress gives the input back (one compressor reused)', () => {
    const z = new LzfCompressor();
    const arb = fc.oneof(
      fc.uint8Array({ minLength: 21, maxLength: 3000 }),
      fc.array(fc.constantFrom(...'abcab '), { minLength: 21, maxLength: 3000 }).map((a) => toU8(B(a.join('')))),
    );
    fc.assert(fc.property(arb, (u) => {
      const c = z.compress(u, u.length + 64);
      expect(c).not.toBeNull();
      expect(hex(lzfDecompress(c!, u.length)!)).toBe(hex(u));
    }), { numRuns: 300, seed: 11 });
  });
  test('malformed input is refused', () => {
    expect(lzfDecompress(Uint8Array.from([5, 0x61]), 6)).toBeNull(); // literal past the input
    expect(lzfDecompress(Uint8Array.from([0x20, 0x00]), 3)).toBeNull(); // back reference before the start
    expect(lzfDecompress(Uint8Array.from([0, 0x61]), 2)).toBeNull(); // shorter than announced
  });
});

describe('listpack', () => {
  test('entry encodings', () => {
    expect(hex(encodeListpack([]))).toBe('0700000000' + '00ff');
    // "a", 1, -1 (13-bit), 300 (13-bit), 40000 (24-bit)
    expect(hex(encodeListpack([B('a'), B('1'), B('-1'), B('300'), B('40000')]))).toBe(
      '17000000' + '0500' + '816102' + '0101' + 'dfff02' + 'c12c02' + 'f2409c0004' + 'ff');
  });
  test('round trip', () => {
    const el = fc.oneof(
      fc.string({ unit: 'binary-ascii', maxLength: 80 }),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
      fc.integer({ min: -70000, max: 70000 }).map(String),
      fc.constantFrom('x'.repeat(4095), 'y'.repeat(4096), 'z'.repeat(20000)),
    );
    fc.assert(fc.property(fc.array(el, { maxLength: 40 }), (items) => {
      expect(decodeListpack(encodeListpack(items as Bytes[]))).toEqual(items);
    }), { numRuns: 300, seed: 3 });
  });
  test('corruption is detected', () => {
    const lp = encodeListpack([B('abc'), B('12')]);
    const bad = (f: (u: Uint8Array) => void) => {
      const u = lp.slice();
      f(u);
      return decodeListpack(u);
    };
    expect(bad((u) => { u[0]!++; })).toBeNull(); // total bytes
    expect(bad((u) => { u[4] = 3; })).toBeNull(); // count
    expect(bad((u) => { u[u.length - 1] = 0; })).toBeNull(); // terminator
    expect(bad((u) => { u[10] = 9; })).toBeNull(); // back-length of "abc"
    expect(bad((u) => { u[6] = 0xf5; })).toBeNull(); // unknown encoding
    expect(decodeListpack(lp.subarray(0, 6))).toBeNull();
  });
});

describe('intset', () => {
  test('layout and validation', () => {
    expect(hex(encodeIntset([B('-1'), B('5')], 2))).toBe('02000000' + '02000000' + 'ffff' + '0500');
    expect(decodeIntset(encodeIntset([B('-5000000000'), B('7')], 8))).toEqual({ members: ['-5000000000', '7'], width: 8 });
    expect(decodeIntset(encodeIntset([B('7'), B('5')], 4))).toBeNull(); // unsorted
    expect(decodeIntset(encodeIntset([], 2))).toBeNull(); // empty
    expect(decodeIntset(Uint8Array.from([3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]))).toBeNull(); // bad width
  });
});

describe('verifyDumpPayload', () => {
  const body = toU8(B('\x00\x03barP\x00'));
  const good = new Uint8Array([...body, 0x29, 0x94, 0x80, 0xf1, 0x70, 0x34, 0x9a, 0xe3]);
  test('version and checksum', () => {
    expect(verifyDumpPayload(good, true)).toBe(80);
    const wrong = good.slice();
    wrong[wrong.length - 1]! ^= 1;
    expect(verifyDumpPayload(wrong, true)).toBeNull();
    expect(verifyDumpPayload(wrong, true, true)).toBe(80);
    expect(verifyDumpPayload(good.subarray(0, 9), true)).toBeNull();
  });
});

describe('ziplist and zipmap (older payloads)', () => {
  // "a", 5 (4-bit immediate), -100 (int8): the bytes a Redis 6 ziplist holds.
  // zlbytes 19, zltail 15, zllen 3; entries [prevlen, encoding, data]; 0xff.
  const zl = Uint8Array.from([19, 0, 0, 0, 15, 0, 0, 0, 3, 0, 0, 1, 0x61, 3, 0xf6, 2, 0xfe, 0x9c, 0xff]);
  test('decoding', () => {
    expect(decodeZiplist(zl)).toEqual(['a', '5', '-100']);
    const bad = zl.slice();
    bad[13] = 9; // wrong prevlen of the second entry
    expect(decodeZiplist(bad)).toBeNull();
    expect(decodeZipmap(Uint8Array.from([1, 1, 0x66, 1, 0, 0x76, 0xff]))).toEqual([['f', 'v']]);
    // an overlong (5-byte) length for a 3-byte field is refused (CVE-2026-25243)
    expect(decodeZipmap(Uint8Array.from([1, 0xfe, 3, 0, 0, 0, 0x61, 0x62, 0x63, 1, 0, 0x76, 0xff]))).toBeNull();
  });
});
