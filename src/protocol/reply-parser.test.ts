/**
 * ReplyParser reads back what the encoder writes: random reply trees, encoded
 * in RESP2 or RESP3, concatenated and split at arbitrary points, parse to the
 * expected values with their exact bytes.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatDouble } from './double.js';
import { encode, type RespVersion } from './encoder.js';
import { ReplyParser, type RawReply, type RawValue } from './reply-parser.js';
import { R, type Reply } from './reply.js';
import { reply } from './testing/arbitraries.js';

/** What the parser should return for a reply encoded in `resp` (attributes are dropped). */
function expected(r: Reply, resp: RespVersion): RawValue {
  switch (r.t) {
    case 'simple': return { type: 'simple', value: r.v };
    case 'error': return { type: 'error', value: r.v };
    case 'int': return { type: 'int', value: BigInt(r.v) };
    case 'bulk': return { type: 'bulk', value: r.v };
    case 'null': return resp === 2 && r.array ? { type: 'array', value: null } : { type: 'null' };
    case 'array': return { type: 'array', value: r.v.map((x) => expected(x, resp)) };
    case 'set': return { type: resp === 3 ? 'set' : 'array', value: r.v.map((x) => expected(x, resp)) };
    case 'push': return { type: resp === 3 ? 'push' : 'array', value: r.v.map((x) => expected(x, resp)) };
    case 'map':
      return resp === 3
        ? { type: 'map', value: r.v.map(([k, v]) => [expected(k, resp), expected(v, resp)]) }
        : { type: 'array', value: r.v.flatMap(([k, v]) => [expected(k, resp), expected(v, resp)]) };
    case 'double': return resp === 3 ? { type: 'double', value: formatDouble(r.v) } : { type: 'bulk', value: formatDouble(r.v) };
    case 'bool': return resp === 3 ? { type: 'bool', value: r.v } : { type: 'int', value: r.v ? 1n : 0n };
    case 'bignum': return { type: resp === 3 ? 'bignum' : 'bulk', value: r.v };
    case 'verbatim': return resp === 3 ? { type: 'verbatim', value: r.format + ':' + r.v } : { type: 'bulk', value: r.v };
    case 'attr': return expected(r.v, resp);
    case 'pinned': return expected(r.v, r.resp);
    case 'seq': throw new Error('a seq is several replies, not one value');
  }
}

function parseAll(chunks: readonly Buffer[]): RawReply[] {
  const p = new ReplyParser();
  const out: RawReply[] = [];
  for (const c of chunks) {
    p.push(c);
    let r: RawReply | null;
    while ((r = p.next()) !== null) out.push(r);
  }
  return out;
}

describe('ReplyParser', () => {
  test('round trip: encode(random replies) split anywhere parses back', () => {
    fc.assert(
      fc.property(fc.array(reply, { minLength: 1, maxLength: 6 }), fc.constantFrom(2 as const, 3 as const), fc.array(fc.nat(), { maxLength: 20 }), (replies, resp, cuts) => {
        const encoded = replies.map((r) => encode(r, resp));
        const stream = Buffer.from(encoded.join(''), 'latin1');
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let from = 0;
        for (const p of points) {
          chunks.push(stream.subarray(from, p));
          from = p;
        }
        chunks.push(stream.subarray(from));
        const got = parseAll(chunks);
        expect(got.map((g) => g.raw)).toEqual(encoded);
        expect(got.map((g) => g.value)).toEqual(replies.map((r) => expected(r, resp)));
      }),
      { numRuns: 500 },
    );
  });

  test('byte by byte', () => {
    const r = R.map([[R.bulk('a\r\nb'), R.array([R.double(1.5), R.null, R.set([]), R.verbatim('x\r\ny')])], [R.int(-3n), R.attr([[R.simple('k'), R.int(1)]], R.bool(true))]]);
    const bytes = Buffer.from(encode(r, 3), 'latin1');
    const got = parseAll([...bytes].map((b) => Buffer.from([b])));
    expect(got).toHaveLength(1);
    expect(got[0]!.raw).toBe(bytes.toString('latin1'));
    expect(got[0]!.value).toEqual(expected(r, 3));
  });

  test('a large reply in small chunks is parsed in linear time', () => {
    const size = 50 * 1024 * 1024;
    const head = Buffer.from(`*2\r\n$${size}\r\n`);
    const chunk = Buffer.alloc(4096, 'q');
    const p = new ReplyParser();
    const t0 = performance.now();
    p.push(head);
    for (let sent = 0; sent < size; sent += chunk.length) {
      p.push(chunk);
      expect(p.next()).toBeNull();
    }
    p.push(Buffer.from('\r\n:7\r\n+OK\r\n'));
    const r = p.next()!;
    expect(r.raw.length).toBe(head.length + size + 2 + 4);
    expect((r.value as { value: RawValue[] }).value[1]).toEqual({ type: 'int', value: 7n });
    expect(p.next()!.value).toEqual({ type: 'simple', value: 'OK' });
    expect(p.next()).toBeNull();
    expect(performance.now() - t0).toBeLessThan(10_000);

    // An aggregate of many elements arriving in small pieces.
    const many = encode(R.array(Array.from({ length: 200_000 }, (_, i) => R.int(i))), 2);
    const q = new ReplyParser();
    const t1 = performance.now();
    const b = Buffer.from(many, 'latin1');
    for (let i = 0; i < b.length; i += 100) {
      q.push(b.subarray(i, i + 100));
      if (i + 100 < b.length) expect(q.next()).toBeNull();
    }
    expect((q.next()!.value as { value: RawValue[] }).value).toHaveLength(200_000);
    expect(performance.now() - t1).toBeLessThan(10_000);
  }, 30_000);

  test('a bad type byte throws', () => {
    const p = new ReplyParser();
    p.push(Buffer.from('?x\r\n'));
    expect(() => p.next()).toThrow(/bad reply type byte/);
  });
});
