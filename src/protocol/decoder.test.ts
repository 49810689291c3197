import { describe, expect, test, vi } from 'vitest';
import { RequestDecoder, type DecodeResult } from './decoder.js';

function drain(d: RequestDecoder): Exclude<DecodeResult, null>[] {
  const out: Exclude<DecodeResult, null>[] = [];
  let r: DecodeResult;
  while ((r = d.next()) !== null) out.push(r);
  return out;
}

function mb(...args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(a, 'latin1');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

const STREAM = Buffer.concat([
  mb('SET', 'key', 'a\r\nb'),
  Buffer.from('PING\r\n'),
  Buffer.from('\r\n'), // empty inline line: skipped
  Buffer.from('*0\r\n'), // empty multibulk: skipped
  mb('ECHO', Buffer.from([0, 1, 255, 13])),
  Buffer.from('ECHO "x\\ny" \'s q\'\n'),
  mb('GET', ''),
]);
const EXPECTED = [
  ['SET', 'key', 'a\r\nb'],
  ['PING'],
  ['ECHO', '\x00\x01\xff\r'],
  ['ECHO', 'x\ny', 's q'],
  ['GET', ''],
];

describe('RequestDecoder', () => {
  test('decodes a mixed stream in one chunk', () => {
    const d = new RequestDecoder();
    d.push(STREAM);
    expect(drain(d)).toEqual(EXPECTED.map((argv) => ({ argv })));
    expect(d.pending).toBe(0);
  });

  test('the same requests whatever the split into two chunks', () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      const d = new RequestDecoder();
      d.push(STREAM.subarray(0, cut));
      const got = drain(d);
      d.push(STREAM.subarray(cut));
      got.push(...drain(d));
      expect(got, `cut at ${cut}`).toEqual(EXPECTED.map((argv) => ({ argv })));
    }
  });

  test('the same requests fed one byte at a time, and in three chunks at every pair of cuts', () => {
    const d = new RequestDecoder();
    const got: Exclude<DecodeResult, null>[] = [];
    for (let i = 0; i < STREAM.length; i++) {
      d.push(STREAM.subarray(i, i + 1));
      got.push(...drain(d));
    }
    expect(got).toEqual(EXPECTED.map((argv) => ({ argv })));

    const small = Buffer.concat([mb('ECHO', 'ab'), Buffer.from('PING\r\n')]);
    for (let i = 0; i <= small.length; i++) {
      for (let j = i; j <= small.length; j++) {
        const e = new RequestDecoder();
        const out: Exclude<DecodeResult, null>[] = [];
        for (const part of [small.subarray(0, i), small.subarray(i, j), small.subarray(j)]) {
          e.push(part);
          out.push(...drain(e));
        }
        expect(out, `cuts ${i},${j}`).toEqual([{ argv: ['ECHO', 'ab'] }, { argv: ['PING'] }]);
      }
    }
  });

  test('a large bulk in many chunks is assembled once and exactly', () => {
    const value = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < value.length; i++) value[i] = (i * 31) & 255;
    const stream = Buffer.concat([mb('SET', 'k', value), mb('PING')]);
    const d = new RequestDecoder();
    const got: Exclude<DecodeResult, null>[] = [];
    // Count the bytes copied by Buffer.concat: re-joining per chunk would copy ~stream²/2000 bytes.
    let copied = 0;
    const concat = Buffer.concat.bind(Buffer);
    const spy = vi.spyOn(Buffer, 'concat').mockImplementation((list, total) => {
      const b = concat(list, total);
      copied += b.length;
      return b;
    });
    try {
      for (let i = 0; i < stream.length; i += 1000) {
        d.push(stream.subarray(i, i + 1000));
        got.push(...drain(d));
      }
    } finally {
      spy.mockRestore();
    }
    expect(copied).toBeLessThan(2 * stream.length);
    expect(got).toHaveLength(2);
    expect((got[0] as { argv: string[] }).argv[2]).toBe(value.toString('latin1'));
    expect(got[1]).toEqual({ argv: ['PING'] });
  });

  test('protocol errors, after which nothing more is decoded', () => {
    const cases: [string, string][] = [
      ['*1\r\n$-5\r\n', 'ERR Protocol error: invalid bulk length'],
      ['*abc\r\n', 'ERR Protocol error: invalid multibulk length'],
      ['*1\r\nfoo\r\n', "ERR Protocol error: expected '$', got 'f'"],
      ['*1\r\n$3\r\nabcXY', 'ERR Protocol error: invalid CRLF in request'],
      ['ECHO "abc\r\n', 'ERR Protocol error: unbalanced quotes in request'],
    ];
    for (const [bytes, error] of cases) {
      const d = new RequestDecoder();
      d.push(Buffer.from(bytes + 'PING\r\n', 'latin1'));
      expect(d.next(), bytes).toEqual({ error });
      expect(d.next()).toBeNull();
    }
  });

  test('limits: unauthenticated clients and proto-max-bulk-len', () => {
    const unauth = new RequestDecoder({ maxBulkLen: () => 512 * 1024 * 1024, authRequired: () => true });
    unauth.push(Buffer.from('*11\r\n'));
    expect(unauth.next()).toEqual({ error: 'ERR Protocol error: unauthenticated multibulk length' });
    const big = new RequestDecoder({ maxBulkLen: () => 512 * 1024 * 1024, authRequired: () => true });
    big.push(Buffer.from('*1\r\n$16385\r\n'));
    expect(big.next()).toEqual({ error: 'ERR Protocol error: unauthenticated bulk length' });
    // proto-max-bulk-len is at least 1MB (Valkey's lower bound), so only longer bulks consult it.
    const capped = new RequestDecoder({ maxBulkLen: () => 2 * 1024 * 1024, authRequired: () => false });
    capped.push(Buffer.from('*2\r\n$' + 2 * 1024 * 1024 + '\r\n'));
    expect(capped.next()).toBeNull();
    const over = new RequestDecoder({ maxBulkLen: () => 2 * 1024 * 1024, authRequired: () => false });
    over.push(Buffer.from('*1\r\n$' + (2 * 1024 * 1024 + 1) + '\r\n'));
    expect(over.next()).toEqual({ error: 'ERR Protocol error: invalid bulk length' });
    const inline = new RequestDecoder();
    inline.push(Buffer.alloc(64 * 1024 + 1, 'a'));
    expect(inline.next()).toEqual({ error: 'ERR Protocol error: too big inline request' });
  });
});
