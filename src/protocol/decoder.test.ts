/**
 * RequestDecoder and splitArgs: every case is decoded whole, byte by byte and
 * at random split points, and must give the same requests (and the same
 * error, after the same requests) each time. The behaviours asserted here were
 * checked on a real Valkey 9.1.2; test/differential/protocol.test.ts compares
 * them with the real server directly.
 */
import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { RequestDecoder, splitArgs, string2ll, type DecodeResult, type DecoderLimits } from './decoder.js';

type Out = Exclude<DecodeResult, null>;

function drain(d: RequestDecoder): Out[] {
  const out: Out[] = [];
  let r: DecodeResult;
  while ((r = d.next()) !== null) out.push(r);
  return out;
}

/** Decodes `bytes` pushed in the given chunks, draining after each push. */
function decodeChunks(chunks: readonly Buffer[], limits?: DecoderLimits): Out[] {
  const d = new RequestDecoder(limits);
  const out: Out[] = [];
  for (const c of chunks) {
    d.push(c);
    out.push(...drain(d));
  }
  return out;
}

function splitAt(b: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => Math.min(Math.max(c, 0), b.length)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    out.push(b.subarray(from, p));
    from = p;
  }
  out.push(b.subarray(from));
  return out;
}

/** Decodes whole, byte by byte, and at 20 random sets of cuts; asserts all agree and returns the result. */
function decodeEveryWay(bytes: Buffer | string, limits?: DecoderLimits): Out[] {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  const whole = decodeChunks([b], limits);
  const label = JSON.stringify(b.toString('latin1').slice(0, 80));
  expect(decodeChunks([...b].map((x) => Buffer.from([x])), limits), `byte by byte: ${label}`).toEqual(whole);
  fc.assert(
    fc.property(fc.array(fc.nat(b.length), { maxLength: 8 }), (cuts) => {
      expect(decodeChunks(splitAt(b, cuts), limits), `cuts ${cuts.join(',')}: ${label}`).toEqual(whole);
    }),
    { numRuns: 20, seed: 42 },
  );
  return whole;
}

function mb(...args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(a, 'latin1');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

const argv = (...a: string[]): Out => ({ argv: a });
const err = (m: string): Out => ({ error: 'ERR Protocol error: ' + m });

describe('RequestDecoder: valid requests', () => {
  test('a mixed stream, whatever the split', () => {
    const stream = Buffer.concat([
      mb('SET', 'key', 'a\r\nb'),
      Buffer.from('PING\r\n'),
      Buffer.from('\r\n'), // empty inline line: skipped
      Buffer.from('*0\r\n'), // empty multibulk: skipped
      Buffer.from('*-1\r\n'),
      mb('ECHO', Buffer.from([0, 1, 255, 13])),
      Buffer.from('ECHO "x\\ny" \'s q\'\n'),
      mb('GET', ''),
      Buffer.from('   \t \r\n'),
    ]);
    expect(decodeEveryWay(stream)).toEqual([
      argv('SET', 'key', 'a\r\nb'), argv('PING'), argv('ECHO', '\x00\x01\xff\r'), argv('ECHO', 'x\ny', 's q'), argv('GET', ''),
    ]);
  });

  test('every pair of cut points of a small stream', () => {
    const small = Buffer.concat([mb('ECHO', 'ab'), Buffer.from('PING\r\n')]);
    for (let i = 0; i <= small.length; i++) {
      for (let j = i; j <= small.length; j++) {
        const chunks = [small.subarray(0, i), small.subarray(i, j), small.subarray(j)];
        expect(decodeChunks(chunks), `cuts ${i},${j}`).toEqual([argv('ECHO', 'ab'), argv('PING')]);
      }
    }
  });

  test('empty and negative multibulk counts are skipped, then decoding goes on', () => {
    expect(decodeEveryWay('*0\r\n*-1\r\n*-10\r\n*-9223372036854775808\r\nPING\r\n')).toEqual([argv('PING')]);
  });

  test('the largest multibulk count is accepted (and waits for its bulks)', () => {
    const d = new RequestDecoder();
    d.push(Buffer.from('*2147483647\r\n$4\r\nPING\r\n'));
    expect(d.next()).toBeNull();
    expect(d.pending).toBe(0);
  });

  test('a bulk length up to proto-max-bulk-len (inclusive) is accepted', () => {
    const limits = { maxBulkLen: () => 2 * 1024 * 1024, authRequired: () => false };
    const v = 'x'.repeat(2 * 1024 * 1024);
    expect(decodeChunks([mb('SET', 'k', v)], limits)).toEqual([argv('SET', 'k', v)]);
    expect(decodeChunks([Buffer.from('*1\r\n$2097153\r\n')], limits)).toEqual([err('invalid bulk length')]);
  });

  test('proto-max-bulk-len is read for each bulk over 1MB, so a change applies at once', () => {
    let max = 2 * 1024 * 1024;
    const maxBulkLen = vi.fn(() => max);
    const d = new RequestDecoder({ maxBulkLen, authRequired: () => false });
    d.push(mb('ECHO', 'x'.repeat(100)));
    expect(drain(d)).toHaveLength(1);
    expect(maxBulkLen).not.toHaveBeenCalled(); // no bulk can exceed the smallest limit Valkey accepts (1MB)
    d.push(mb('ECHO', 'y'.repeat(1_500_000)));
    expect(drain(d)).toHaveLength(1);
    max = 1024 * 1024;
    d.push(Buffer.from('*2\r\n$4\r\nECHO\r\n$1500000\r\n'));
    expect(drain(d)).toEqual([err('invalid bulk length')]);
  });

  test('before AUTH: up to 10 arguments and 16384-byte bulks', () => {
    let auth = true;
    const limits = { maxBulkLen: () => 512 * 1024 * 1024, authRequired: () => auth };
    const ten = Array.from({ length: 10 }, (_, i) => 'a' + i);
    expect(decodeEveryWay(mb(...ten), limits)).toEqual([argv(...ten)]);
    expect(decodeEveryWay(mb('ECHO', 'b'.repeat(16384)), limits)).toEqual([argv('ECHO', 'b'.repeat(16384))]);
    expect(decodeEveryWay('*11\r\n', limits)).toEqual([err('unauthenticated multibulk length')]);
    expect(decodeEveryWay('*1\r\n$16385\r\n', limits)).toEqual([err('unauthenticated bulk length')]);
    // An invalid length is reported as such even before AUTH.
    expect(decodeEveryWay('*1\r\n$-1\r\n', limits)).toEqual([err('invalid bulk length')]);
    // The limit is evaluated when each request is decoded: after AUTH has run, it is lifted.
    const d = new RequestDecoder(limits);
    d.push(Buffer.concat([mb('AUTH', 'pw'), mb(...ten, 'eleven')]));
    expect(d.next()).toEqual(argv('AUTH', 'pw'));
    auth = false;
    expect(d.next()).toEqual(argv(...ten, 'eleven'));
  });
});

describe('RequestDecoder: protocol errors (networking.c texts)', () => {
  const cases: [string, Out[]][] = [
    ['*abc\r\n', [err('invalid multibulk length')]],
    ['*3000000000\r\n', [err('invalid multibulk length')]],
    ['*2147483648\r\n', [err('invalid multibulk length')]],
    ['*\r\n', [err('invalid multibulk length')]],
    ['*1\r\n$-5\r\n', [err('invalid bulk length')]],
    ['*1\r\n$-1\r\n', [err('invalid bulk length')]],
    ['*1\r\n$\r\n', [err('invalid bulk length')]],
    ['*1\r\n$abc\r\n', [err('invalid bulk length')]],
    ['*1\r\nfoo\r\n', [err("expected '$', got 'f'")]],
    ['*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n', [err("expected '$', got 'f'")]],
    ['*1\r\n\r\n', [err("expected '$', got ' '")]], // CR and LF print as spaces
    ['*1\r\n\n\r\n', [err("expected '$', got ' '")]],
    ['*1\r\n\x00\r\n', [err("expected '$', got '\x00'")]],
    ['*1\r\n\xff\r\n', [err("expected '$', got '\xff'")]],
    ['*1\r\n$3\r\nabcXY', [err('invalid CRLF in request')]],
    ['ECHO "abc\r\n', [err('unbalanced quotes in request')]],
    ["set foo 'b'a'r\r\n", [err('unbalanced quotes in request')]],
    ['set foo "b"a"r\r\n', [err('unbalanced quotes in request')]],
    // tests/unit/protocol.tcl "Check CRLF when parsing the querybuf"
    ['*3x\n$3\r\nSET\r\n', [err('invalid multibulk length')]],
    ['*3\rx$3\r\nSET\r\n', [err('invalid CRLF in request')]],
    ['*3xx$3\r\nSET\r\n', [err('invalid multibulk length')]],
    ['*3\r\n$3x\nSET\r\n', [err('invalid bulk length')]],
    ['*3\r\n$3\rxSET\r\n', [err('invalid CRLF in request')]],
    ['*3\r\n$3xxSET\r\n', [err('invalid bulk length')]],
    ['*3\r\n$3\r\nSET\rx$3\r\n', [err('invalid CRLF in request')]],
    ['*3\r\n$3\r\nSETx\n$3\r\n', [err('invalid CRLF in request')]],
    ['*3\r\n$3\r\nSETxx$3\r\n', [err('invalid CRLF in request')]],
    // What was decoded before the error is kept; a request cut by it is not.
    ['PING\r\n*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n:1\r\n', [argv('PING'), argv('PING'), err("expected '$', got ':'")]],
    ['*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$-7\r\n', [argv('SET', 'b', '2'), err('invalid bulk length')]],
  ];
  for (const [bytes, expected] of cases) {
    test(JSON.stringify(bytes), () => {
      // Nothing after the error is decoded.
      expect(decodeEveryWay(bytes + 'PING\r\n' + mb('PING').toString('latin1'))).toEqual(expected);
    });
  }

  test('after an error the decoder yields nothing and releases its buffer', () => {
    const d = new RequestDecoder();
    d.push(Buffer.from('*1\r\n$x\r\n' + 'PING\r\n'.repeat(100)));
    expect(d.next()).toEqual(err('invalid bulk length'));
    expect(d.next()).toBeNull();
    d.push(Buffer.from('PING\r\n'));
    expect(d.next()).toBeNull();
    expect(d.pending).toBe(0);
  });
});

describe('RequestDecoder: header numbers are parsed like string2ll', () => {
  const valid: [string, number][] = [['0', 0], ['1', 1], ['9', 9], ['10', 10], ['16', 16], ['-1', -1], ['-10', -10]];
  const invalid = ['', '+1', '01', '00', '-0', '-', ' 1', '1 ', '1a', '0x1', '1.0', '1e3', '--1', '+0', '\t1',
    '99999999999999999999', '9223372036854775808', '-9223372036854775809', '123456789012345678901'];

  test('string2ll', () => {
    for (const [s, v] of valid) expect(string2ll(Buffer.from(s), 0, s.length), s).toBe(v);
    for (const s of invalid) expect(string2ll(Buffer.from(s), 0, s.length), JSON.stringify(s)).toBeNull();
    expect(string2ll(Buffer.from('9223372036854775807'), 0, 19)).toBe(2 ** 63);
    expect(string2ll(Buffer.from('-9223372036854775808'), 0, 20)).toBe(-9223372036854775808);
    expect(string2ll(Buffer.from('x12y'), 1, 3)).toBe(12);
  });

  test('multibulk counts and bulk lengths in requests', () => {
    for (const s of invalid) {
      expect(decodeEveryWay(`*${s}\r\n$4\r\nPING\r\n`), `*${s}`).toEqual([err('invalid multibulk length')]);
      expect(decodeEveryWay(`*1\r\n$${s}\r\nPING\r\n`), `$${s}`).toEqual([err('invalid bulk length')]);
    }
    expect(decodeEveryWay('*1\r\n$9223372036854775807\r\n')).toEqual([err('invalid bulk length')]);
    expect(decodeEveryWay('*1\r\n$0\r\n\r\n')).toEqual([argv('')]);
    expect(decodeEveryWay('*2\r\n$4\r\nECHO\r\n$10\r\n0123456789\r\n')).toEqual([argv('ECHO', '0123456789')]);
  });
});

describe('RequestDecoder: sizes', () => {
  test('too big inline request / mbulk count / bulk count: more than 64KB without a line end', () => {
    const big = 64 * 1024;
    expect(decodeChunks([Buffer.alloc(big, 'a')])).toEqual([]);
    expect(decodeChunks([Buffer.alloc(big + 1, 'a')])).toEqual([err('too big inline request')]);
    expect(decodeChunks([Buffer.from('*' + '1'.repeat(big - 1))])).toEqual([]);
    expect(decodeChunks([Buffer.from('*' + '1'.repeat(big))])).toEqual([err('too big mbulk count string')]);
    expect(decodeChunks([Buffer.from('*1\r\n$' + '1'.repeat(big - 1))])).toEqual([]);
    expect(decodeChunks([Buffer.from('*1\r\n$' + '1'.repeat(big))])).toEqual([err('too big bulk count string')]);
    // Requests before the oversized one still run.
    expect(decodeChunks([Buffer.from('PING\r\n' + 'x'.repeat(big + 1))])).toEqual([argv('PING'), err('too big inline request')]);
  });

  test('the limit is checked on what has arrived: a long line that comes at once is decoded', () => {
    // As in Valkey, where a line longer than 64KB read in one go is accepted.
    const line = 'ECHO ' + 'x'.repeat(70_000) + '\r\n';
    expect(decodeChunks([Buffer.from(line)])).toEqual([argv('ECHO', 'x'.repeat(70_000))]);
    expect(decodeChunks([Buffer.from(line.slice(0, 66_000)), Buffer.from(line.slice(66_000))])).toEqual([err('too big inline request')]);
  });

  test('a header line with its CR but longer than 20 bytes is an invalid number', () => {
    expect(decodeEveryWay('*1' + ' '.repeat(100) + '\r\n')).toEqual([err('invalid multibulk length')]);
  });

  test('a NUL byte before the newline: the inline request never completes (strchr stops at the NUL)', () => {
    const d = new RequestDecoder();
    d.push(Buffer.from('PING\x00\r\nPING\r\n'));
    expect(d.next()).toBeNull();
    d.push(Buffer.from('PING\r\n'.repeat(100)));
    expect(d.next()).toBeNull();
    // ...until more than 64KB wait.
    d.push(Buffer.alloc(64 * 1024, 'z'));
    expect(d.next()).toEqual(err('too big inline request'));
    expect(decodeEveryWay('PING\r\nPING\x00\r\nPING\r\n')).toEqual([argv('PING')]);
    // A NUL after the newline belongs to the next request; a NUL in a bulk is data.
    expect(decodeEveryWay('PING\r\n\x00\r\n')).toEqual([argv('PING')]);
    expect(decodeEveryWay(mb('ECHO', '\x00'))).toEqual([argv('ECHO', '\x00')]);
  });
});

describe('RequestDecoder: buffering stays linear', () => {
  test('a large bulk in many chunks is joined once, and exactly', () => {
    const value = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < value.length; i++) value[i] = (i * 31) & 255;
    const stream = Buffer.concat([mb('SET', 'k', value), mb('PING')]);
    const d = new RequestDecoder();
    const got: Out[] = [];
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
    expect(copied).toBeLessThan(1.01 * stream.length);
    expect(got).toHaveLength(2);
    expect((got[0] as { argv: string[] }).argv[2]).toBe(value.toString('latin1'));
    expect(got[1]).toEqual(argv('PING'));
  });

  test('100MB bulk in 4KB chunks, and a 64KB header line byte by byte, in reasonable time', () => {
    const size = 100 * 1024 * 1024;
    const head = Buffer.from(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${size}\r\n`);
    const chunk = Buffer.alloc(4096, 'v');
    const d = new RequestDecoder();
    const t0 = performance.now();
    d.push(head);
    expect(d.next()).toBeNull();
    for (let sent = 0; sent < size; sent += chunk.length) {
      d.push(chunk);
      expect(d.next()).toBeNull();
    }
    d.push(Buffer.from('\r\n'));
    const r = d.next() as { argv: string[] };
    expect(r.argv[2]!.length).toBe(size);
    // Quadratic re-joining would copy ~1.2 TB here; linear work is well under a few seconds.
    expect(performance.now() - t0).toBeLessThan(15_000);

    const e = new RequestDecoder();
    const t1 = performance.now();
    for (let i = 0; i < 64 * 1024; i++) {
      e.push(Buffer.from('a'));
      expect(e.next()).toBeNull();
    }
    e.push(Buffer.from('\n'));
    expect((e.next() as { argv: string[] }).argv[0]!.length).toBe(64 * 1024);
    expect(performance.now() - t1).toBeLessThan(5_000);
  }, 30_000);

  test('pending counts unconsumed bytes', () => {
    const d = new RequestDecoder();
    d.push(Buffer.from('PING\r\nPI'));
    expect(d.next()).toEqual(argv('PING'));
    expect(d.next()).toBeNull();
    expect(d.pending).toBe(2);
    d.push(Buffer.from('NG\r\n*1\r\n$4\r\nPI'));
    expect(drain(d)).toEqual([argv('PING')]);
    expect(d.pending).toBe(2); // the headers are parsed: the payload's 2 bytes wait
  });
});

describe('RequestDecoder: any split of valid requests decodes the same (property)', () => {
  /** Bytes allowed unquoted in an inline token: no blank, quote, NUL or 0xff. */
  const plainByte = fc.integer({ min: 0x21, max: 0xfe }).filter((c) => c !== 0x22 && c !== 0x27);
  const anyByte = fc.integer({ min: 0, max: 255 });
  const bytesOf = (arb: fc.Arbitrary<number>, min: number, max: number) =>
    fc.array(arb, { minLength: min, maxLength: max }).map((a) => String.fromCharCode(...a));

  /** An inline token: [what it decodes to, how it is written]. */
  const token: fc.Arbitrary<[string, string]> = fc.oneof(
    bytesOf(plainByte, 1, 12).map((s): [string, string] => [s, s]),
    // Double quotes: \xHH for anything, C escapes, \" and \\, plain bytes.
    fc.array(fc.tuple(anyByte, fc.nat(3)), { maxLength: 10 }).map((parts): [string, string] => {
      let value = '';
      let text = '"';
      for (const [c, how] of parts) {
        const ch = String.fromCharCode(c);
        value += ch;
        if (c === 0x22 || c === 0x5c) text += '\\' + ch;
        else if (c === 10 && how === 0) text += '\\n';
        else if (c >= 0x20 && c < 0x7f && c !== 0x22 && how !== 1) text += ch;
        else text += '\\x' + c.toString(16).padStart(2, '0').toUpperCase();
      }
      return [value, text + '"'];
    }),
    // Single quotes: anything but NUL, LF, 0xff and backslash; \' for quotes.
    bytesOf(anyByte.filter((c) => c !== 0 && c !== 10 && c !== 0xff && c !== 0x5c), 0, 10)
      .map((s): [string, string] => [s, "'" + s.replace(/'/g, "\\'") + "'"]),
  );
  const sep = fc.constantFrom(' ', '  ', '\t', ' \t ');
  const inline = fc.tuple(fc.array(token, { minLength: 1, maxLength: 5 }), sep, fc.constantFrom('\r\n', '\n'), fc.boolean())
    .map(([toks, s, eol, lead]) => ({
      argv: toks.map((t) => t[0]),
      bytes: Buffer.from((lead ? ' ' : '') + toks.map((t) => t[1]).join(s) + eol, 'latin1'),
    }))
    // A request starting with '*' is multibulk.
    .filter((r) => r.bytes[0] !== 0x2a);
  const multibulk = fc.array(fc.oneof(bytesOf(anyByte, 0, 20), bytesOf(anyByte, 0, 3000)), { minLength: 1, maxLength: 6 })
    .map((args) => ({ argv: args, bytes: mb(...args) }));
  const skipped = fc.constantFrom('\r\n', '\n', '*0\r\n', '*-1\r\n', '   \r\n').map((s) => ({ argv: null, bytes: Buffer.from(s) }));
  const request = fc.oneof({ arbitrary: multibulk, weight: 3 }, { arbitrary: inline, weight: 3 }, { arbitrary: skipped, weight: 1 });

  test('concatenated requests split at arbitrary points', () => {
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 30 }), (reqs, cuts) => {
        const stream = Buffer.concat(reqs.map((r) => r.bytes));
        const expected = reqs.filter((r) => r.argv !== null).map((r) => argv(...r.argv!));
        expect(decodeChunks(splitAt(stream, cuts.map((c) => c % (stream.length + 1))))).toEqual(expected);
        expect(decodeChunks([stream])).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('splitArgs (sdssplitargs as Valkey 9.1.2 runs it)', () => {
  const split = (s: string) => splitArgs(Buffer.from(s, 'latin1'), 0, Buffer.byteLength(s, 'latin1'));
  const cases: [string, string[] | null][] = [
    ['', []],
    ['   ', []],
    ['a b  c', ['a', 'b', 'c']],
    ['\x0b\x0ca\x0bb', ['a\x0bb']], // leading \v \f are blanks; inside a token they are bytes
    ['a\tb\rc', ['a', 'b', 'c']],
    ['"a b"', ['a b']],
    ['""', ['']],
    ["''", ['']],
    ['"" ""', ['', '']],
    ['"foo"bar', ['foobar']], // a closing quote does not end the argument
    ['x"y z"w', ['xy zw']],
    ['"a"\'b\'c', ['abc']],
    ['"\\n\\r\\t\\b\\a\\z\\\\\\""', ['\n\r\t\b\x07z\\"']],
    ['"\\x41\\x4a\\x4A\\x00\\xff"', ['AJJ\x00\xff']],
    ['"\\x4g\\xZZ"', ['x4gxZZ']],
    ["'a\\'b'", ["a'b"]],
    ["'a\\nb'", ['a\\nb']],
    ["'a\"b'", ['a"b']],
    ['"abc\\"', ['abc\\']], // an escape needs a byte after it on the line
    ["'abc\\'", ['abc\\']],
    ['"abc\\" x"', ['abc" x']],
    ['a\xffb', ['ab']], // 0xff is dropped...
    ['\xff', ['']],
    ['"a\xffb"', ['ab']],
    ["'a\xffb'", ['ab']],
    ['"a\\\xffb"', ['ab']],
    ['\x80\xa0\xfe', ['\x80\xa0\xfe']],
    ['a\x00b c', ['a']], // NUL ends the line
    ['"a', null],
    ["'a", null],
    ['"a\x00"', null],
    ["set foo 'b'a'r", null],
    ['"\\x4', null],
    ['"a\\', null],
  ];
  for (const [input, expected] of cases) {
    test(JSON.stringify(input), () => expect(split(input)).toEqual(expected));
  }

  test('within bounds of a larger buffer', () => {
    const b = Buffer.from('xxECHO "a b"yy');
    expect(splitArgs(b, 2, 12)).toEqual(['ECHO', 'a b']);
    expect(splitArgs(new Uint8Array(b), 2, 12)).toEqual(['ECHO', 'a b']);
  });
});
