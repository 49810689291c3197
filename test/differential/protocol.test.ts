/**
 * Differential tests of the protocol layer against a real Valkey 9.1.2:
 * request parsing (networking.c parseMultibulk / parseInlineBuffer and
 * sdssplitargs), every protocol error and what runs before it, limits, the
 * encoding of every reply kind in RESP2 and RESP3, and double formatting
 * (d2string / fpconv_dtoa) for many doubles.
 *
 * Steps use `raw(bytes, n)`: the bytes are written as they are and n replies
 * read (0 = read until the server closes the connection, or 2s pass).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeCommand, type Arg, type RawClient } from '../../conformance/targets/raw-client.js';
import { R, encode, type Reply } from '../../src/protocol/index.js';
import type { RawValue } from '../../src/protocol/reply-parser.js';
import { raw, useDifferential, type Differential } from './harness.js';

const wire = (...args: Arg[]) => encodeCommand(args).toString('latin1');

describe('protocol: inline commands (sdssplitargs)', () => {
  const d = useDifferential();

  test('plain, pipelined, empty and blank lines', () =>
    d.check([
      raw('PING\r\n'), raw('PING\n'), raw('ECHO a\r\n'), raw('  ECHO   a  \r\n'), raw('\tECHO\ta\t\r\n'),
      raw('\r\n\r\n\n   \r\n\t\nPING\r\n'), raw('PING\r\nECHO x\nPING\r\n', 3), raw('PING\r\r\n'), raw('\r\rPING\r\n'),
      raw('ECHO a\rb\r\n'), raw('ECHO\x0ba\r\n'), raw('\x0b\x0cECHO a\x0bb\r\n'), raw('ECHO \xff\xfe\r\n'),
      raw('SET k v\r\nGET k\r\n', 2), raw('ECHO' + ' x'.repeat(3) + '\r\n'),
    ]));

  test('double quotes: escapes, \\xHH, closing quote followed by more bytes', () =>
    d.check([
      raw('ECHO "a b"\r\n'), raw('ECHO ""\r\n'), raw("ECHO ''\r\n"), raw('ECHO "" ""\r\n'),
      raw('ECHO "\\n\\r\\t\\b\\a\\z\\\\\\"\\\'"\r\n'), raw('ECHO "\\x41\\x4a\\x4A\\x00\\xff"\r\n'),
      raw('ECHO "\\x4g\\x\\xZZ\\x1"\r\n'), raw('ECHO "foo"bar\r\n'), raw('ECHO "a"\'b\'c\r\n'),
      raw('ECHO x"y z"w\r\n'), raw('SET "a b" "c\\"d"\r\nGET "a b"\r\n', 2),
      raw('set """tes"t-\'k\'e"y" "test"\'-\'value\r\nget test\'-\'key\r\n', 2),
    ]));

  test('a 0xff byte is dropped, even quoted or escaped; \\xff gives one', () =>
    d.check([
      raw('ECHO \xff\xfe\r\n'), raw('ECHO a\xffb\r\n'), raw('\xffPING\r\n'), raw('ECHO\xffa\r\n'), raw('ECHO \xff\r\n'),
      raw('ECHO \xff\xff\xffa \xffb\r\n'), raw('ECHO "a\xffb"\r\n'), raw("ECHO 'a\xffb'\r\n"), raw('ECHO "a\\\xffb"\r\n'),
      raw('ECHO "\\xff\\xFF"\r\n'), raw('ECHO \x80\xa0\xfe\r\n'),
    ]));

  test('an escape needs a byte after it on the line', () =>
    d.check([raw('ECHO "abc\\"\r\n'), raw('ECHO "abc\\"\n'), raw('ECHO "abc\\" x"\r\n'), raw('ECHO "\\"\r\n')]));

  test('single quotes', () =>
    d.check([
      raw("ECHO 'a b'\r\n"), raw("ECHO 'a\\'b'\r\n"), raw("ECHO 'a\\nb'\r\n"), raw("ECHO 'abc\\'\r\n"),
      raw("ECHO 'a\"b'\r\n"), raw("ECHO \"a'b\"\r\n"), raw("ECHO 'x'y\r\n"),
    ]));

  test('unbalanced quotes close the connection', async () => {
    for (const line of ['ECHO "abc', "ECHO 'abc", "set foo 'b'a'r", 'set foo "b"a"r', 'ECHO "\\x4', 'ECHO "a\\', "ECHO 'a\\'b"]) {
      await d.check([raw('PING\r\n'), raw(line + '\r\nPING\r\n', 0)]);
    }
  });

  test('a NUL byte before the newline: the request never completes', () =>
    d.check([raw('PING\r\n'), raw('PING\x00\r\nPING\r\n', 0)]));

  test('a NUL byte: too big inline request once more than 64KB wait', () =>
    d.check([raw('PING\x00\r\nPING\r\n' + 'x'.repeat(200_000), 0)]));

  test('inline request size: 60KB line runs, 200KB line is too big', () =>
    d.check([raw('ECHO ' + 'x'.repeat(60_000) + '\r\n'), raw('ECHO ' + 'x'.repeat(200_000) + '\r\n', 0)]));

  test('inline line without newline beyond 64KB', () => d.check([raw('PING\r\n' + 'y'.repeat(70_000), 0)]));
});

describe('protocol: multibulk requests', () => {
  const d = useDifferential();

  test('empty and negative multibulk counts are skipped', () =>
    d.check([raw('*0\r\nPING\r\n'), raw('*-1\r\nPING\r\n'), raw('*-10\r\n*1\r\n$4\r\nping\r\n'), raw('*-9223372036854775808\r\nPING\r\n')]));

  test('binary arguments, empty arguments, pipelines', () =>
    d.check([
      raw(wire('ECHO', '\x00\r\n\xff')), raw(wire('ECHO', '')), raw(wire('SET', 'k', 'v') + wire('GET', 'k') + 'PING\r\n' + wire('DEL', 'k'), 4),
      raw('*2\r\n$4\r\nECHO\r\n$0\r\n\r\n'),
    ]));

  test('multibulk count: string2ll strictness', async () => {
    for (const head of ['*+1', '*01', '* 1', '*1 ', '*-0', '*1a', '*', '*-', '*3000000000', '*2147483648',
      '*99999999999999999999', '*9223372036854775808', '*0x1', '*1.0', '*١']) {
      await d.check([raw(head + '\r\n$4\r\nPING\r\n', 0)]);
    }
  });

  test('bulk length: string2ll strictness and range', async () => {
    for (const head of ['$+4', '$04', '$ 4', '$4 ', '$-0', '$-1', '$-5', '$', '$-', '$4a', '$9223372036854775807',
      '$9223372036854775808', '$99999999999999999999', '$2000000000', '$536870913']) {
      await d.check([raw('*1\r\n' + head + '\r\nPING\r\n', 0)]);
    }
  });

  test("expected '$': the byte found, CR and LF shown as spaces", async () => {
    for (const c of ['f', ':', '*', '\x00', '\xff', '\x7f', '\r', '\n', ' ', '"']) {
      await d.check([raw('*1\r\n' + c + '4\r\nPING\r\n', 0)]);
    }
  });

  test('CRLF checks (tests/unit/protocol.tcl)', async () => {
    const cases = [
      '*3x\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n', '*3\rx$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n',
      '*3xx$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n', '*3\r\n$3x\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n',
      '*3\r\n$3\rxSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n', '*3\r\n$3xxSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n',
      '*3\r\n$3\r\nSET\rx$3\r\nkey\r\n$5\r\nvalue\r\n', '*3\r\n$3\r\nSETx\n$3\r\nkey\r\n$5\r\nvalue\r\n',
      '*3\r\n$3\r\nSETxx$3\r\nkey\r\n$5\r\nvalue\r\n', '*3\r\n$3\r\nSET\r\n$3\r\nkeyx\n$5\r\nvalue\r\n',
      '*3\r\n$3\r\nSET\r\n$3\r\nkey\rx$5\r\nvalue\r\n', '*3\r\n$3\r\nSET\r\n$3\r\nkeyxx$5\r\nvalue\r\n',
      '*1\n$4\r\nPING\r\n',
    ];
    for (const c of cases) await d.check([raw(c, 0), ['GET', 'key']]);
  });

  test('what runs before a protocol error', () =>
    d.check([
      raw(wire('SET', 'a', '1') + wire('INCR', 'a') + 'PING\r\n' + '*2\r\n$3\r\nGET\r\n:1\r\n' + wire('INCR', 'a'), 0),
    ]).then(() => d.check([['GET', 'a']], { noFlush: true })));

  test('a request cut by the error is not run', () =>
    d.check([raw('*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$-7\r\n', 0)])
      .then(() => d.check([['MGET', 'b', 'c']], { noFlush: true })));

  test('too big mbulk count / bulk count strings', () =>
    d.check([raw('PING\r\n*' + '1'.repeat(70_000), 0)]).then(() => d.check([raw('*1\r\n$' + '1'.repeat(70_000), 0)])));

  test('a header line that is long but has its CR', () =>
    d.check([raw('*1' + ' '.repeat(1000) + '\r\n', 0)]).then(() => d.check([raw('*1\r\n$1' + 'x'.repeat(1000) + '\r\n', 0)])));

  test('large bulks in one write', () =>
    d.check([raw(wire('SET', 'big', 'v'.repeat(3_000_000)) + wire('STRLEN', 'big') + wire('GETRANGE', 'big', '-3', '-1'), 3)]));

  test('proto-max-bulk-len: the limit is inclusive and applies at once', async () => {
    try {
      await d.check([
        ['CONFIG', 'SET', 'proto-max-bulk-len', '1048576'],
        raw(wire('SET', 'k', 'x'.repeat(1048576)) + wire('STRLEN', 'k'), 2),
        raw('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n', 0),
      ]);
    } finally {
      await d.check([['CONFIG', 'SET', 'proto-max-bulk-len', '536870912']], { resp: [2] });
    }
  });
});

describe('protocol: before AUTH', () => {
  const d = useDifferential({ oracleArgs: ['--requirepass', 'pw'], server: { requirepass: 'pw' } });

  test('at most 10 arguments and 16384-byte bulks before AUTH', async () => {
    await d.check([raw(wire(...Array.from({ length: 10 }, () => 'x'))), raw(wire('ECHO', 'y'.repeat(16384))), raw('*11\r\n', 0)]);
    await d.check([raw('*1\r\n$16385\r\n', 0)]);
    await d.check([raw('*1\r\n$100000\r\n', 0)]);
  });

  test('limits lift after AUTH, even within the same write', () =>
    d.check([
      raw(wire('AUTH', 'pw') + wire('ECHO', 'z'.repeat(20000)) + wire('MSET', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5', 'f'), 3),
    ]));
});

// ---------------------------------------------------------------------------
// Reply encoding.

/** Converts a reply read in RESP3 (and the same reply read in RESP2) into our Reply tree. */
function toReply(v3: RawValue, v2: RawValue): Reply {
  switch (v3.type) {
    case 'simple': return R.simple(v3.value);
    case 'error': return R.error(v3.value);
    case 'int': return R.int(v3.value >= -(2n ** 53n) && v3.value <= 2n ** 53n ? Number(v3.value) : v3.value);
    case 'bulk': return R.bulk(v3.value);
    case 'null': return v2.type === 'array' ? R.nullArray : R.null;
    case 'double': return R.double(v3.value === 'inf' ? Infinity : v3.value === '-inf' ? -Infinity : v3.value === 'nan' ? NaN : Number(v3.value));
    case 'bool': return R.bool(v3.value);
    case 'bignum': return R.bignum(v3.value);
    case 'verbatim': return R.verbatim(v3.value.slice(4), v3.value.slice(0, 3));
    case 'array': case 'set': case 'push': {
      const items2 = (v2 as { value: RawValue[] }).value;
      const items = v3.value!.map((x, i) => toReply(x, items2[i]!));
      return v3.type === 'array' ? R.array(items) : v3.type === 'set' ? R.set(items) : R.push(items);
    }
    case 'map': {
      const flat2 = (v2 as { value: RawValue[] }).value;
      return R.map(v3.value.map(([k, x], i) => [toReply(k, flat2[2 * i]!), toReply(x, flat2[2 * i + 1]!)] as const));
    }
    default:
      throw new Error(`unexpected ${v3.type}`);
  }
}

async function both(d: Differential): Promise<{ c2: RawClient; c3: RawClient; close(): void }> {
  const [c2, c3] = await Promise.all([d.connect('oracle', 2), d.connect('oracle', 3)]);
  return { c2, c3, close: () => { c2.close(); c3.close(); } };
}

describe('protocol: reply encoding matches the real server', () => {
  const d = useDifferential({ oracleArgs: ['--enable-debug-command', 'yes'] });

  test('DEBUG PROTOCOL: every reply kind in RESP2 and RESP3', async () => {
    if (!d.available) return;
    const { c2, c3, close } = await both(d);
    try {
      const expected: [string, Reply][] = [
        ['string', R.bulk('Hello World')],
        ['integer', R.int(12345)],
        ['double', R.double(3.141)],
        ['bignum', R.bignum('1234567999999999999999999999999999999')],
        ['null', R.null],
        ['array', R.array([R.int(0), R.int(1), R.int(2)])],
        ['set', R.set([R.int(0), R.int(1), R.int(2)])],
        ['map', R.map([[R.int(0), R.bool(false)], [R.int(1), R.bool(true)], [R.int(2), R.bool(false)]])],
        ['attrib', R.attr([[R.bulk('key-popularity'), R.array([R.bulk('key:123'), R.int(90)])]], R.bulk('Some real reply following the attribute'))],
        ['verbatim', R.verbatim('This is a verbatim\nstring')],
        ['true', R.bool(true)],
        ['false', R.bool(false)],
      ];
      for (const [kind, reply] of expected) {
        const [r2, r3] = await Promise.all([c2.send(['DEBUG', 'PROTOCOL', kind]), c3.send(['DEBUG', 'PROTOCOL', kind])]);
        expect(encode(reply, 2), `RESP2 ${kind}`).toBe(r2.raw);
        expect(encode(reply, 3), `RESP3 ${kind}`).toBe(r3.raw);
      }
      // A push: RESP3 only; the server sends the reply, then the push.
      const r = await c3.sendRawMany(wire('DEBUG', 'PROTOCOL', 'push'), 2);
      expect(r[0]!.raw).toBe(encode(R.bulk('Some real reply following the push reply'), 3));
      expect(r[1]!.raw).toBe(encode(R.push([R.bulk('server-cpu-usage'), R.int(42)]), 3));
    } finally {
      close();
    }
  });

  test('real command replies, decoded from RESP3 and re-encoded in both protocols', async () => {
    if (!d.available) return;
    const { c2, c3, close } = await both(d);
    try {
      const setup: Arg[][] = [
        ['FLUSHALL'], ['HSET', 'h', 'f1', 'v1', 'f2', ''], ['SADD', 's', 'only'], ['ZADD', 'z', '1.5', 'a', '-inf', 'b', 'inf', 'c', '0.1', 'd'],
        ['SET', 'n', '9223372036854775807'], ['SET', 'm', '-9223372036854775808'], ['RPUSH', 'l', 'x', 'y'], ['XADD', 'st', '1-1', 'f', 'v'],
      ];
      for (const cmd of setup) await c2.send(cmd);
      const cmds: Arg[][] = [
        // Each command runs on both connections: none of these changes the data.
        ['PING'], ['PING', 'x\x00\xff'], ['GET', 'nosuch'], ['INCRBY', 'n', '0'], ['DECRBY', 'm', '0'], ['STRLEN', 'n'], ['GET'],
        ['HGETALL', 'h'], ['HGETALL', 'nosuch'], ['SMEMBERS', 's'], ['ZSCORE', 'z', 'a'], ['ZSCORE', 'z', 'b'], ['ZSCORE', 'z', 'c'],
        ['ZSCORE', 'z', 'd'], ['ZSCORE', 'z', 'nosuch'], ['ZINCRBY', 'z', '0', 'd'], ['ZMSCORE', 'z', 'a', 'nosuch', 'c'],
        ['CONFIG', 'GET', 'maxmemory-policy'], ['LRANGE', 'l', '0', '-1'], ['LRANGE', 'nosuch', '0', '-1'], ['LPOS', 'l', 'y', 'COUNT', '0'],
        ['LPOP', 'nosuch', '5'], ['BLPOP', 'nosuch', '0.01'], ['COMMAND', 'DOCS', 'get', 'set'], ['COMMAND', 'INFO', 'get', 'nosuch'],
        ['XRANGE', 'st', '-', '+'], ['XINFO', 'STREAM', 'st', 'FULL'], ['OBJECT', 'FREQ', 'h'], ['SCAN', '0', 'COUNT', '100', 'TYPE', 'hash'],
        ['CLIENT', 'TRACKINGINFO'], ['LCS', 'h', 'h'], ['SINTERCARD', '1', 's'], ['SMISMEMBER', 's', 'only', 'no'],
      ];
      for (const cmd of cmds) {
        const [r2, r3] = await Promise.all([c2.send(cmd), c3.send(cmd)]);
        const tree = toReply(r3.value, r2.value);
        expect(encode(tree, 3), `RESP3 ${JSON.stringify(cmd)}`).toBe(r3.raw);
        expect(encode(tree, 2), `RESP2 ${JSON.stringify(cmd)}`).toBe(r2.raw);
      }
    } finally {
      close();
    }
  });
});

// ---------------------------------------------------------------------------
// Doubles: ZADD a score, read it back with ZSCORE (RESP2 bulk, RESP3 double).

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const fromBits = (hi: number, lo: number): number => {
  U32[1] = hi >>> 0;
  U32[0] = lo >>> 0;
  return F64[0]!;
};

/** A score string the server's strtod reads back as exactly d. */
function scoreArg(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  const s = d.toPrecision(17);
  if (Number(s) !== d) throw new Error(`${s} does not round-trip`);
  return Object.is(d, -0) ? '-0' : s;
}

function interestingDoubles(): number[] {
  const out: number[] = [
    0, -0, 1, -1, 0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3, Math.PI, Math.E, 1e21, 1e22, 1e-7, 1e-6, 1.5e-7, 123456.789,
    0.000001, 0.0000001, 1e15, 1e16, 1e17, 1.7976931348623157e308, -1.7976931348623157e308, 5e-324, -5e-324,
    2.2250738585072014e-308, 2.225073858507201e-308, 4.9406564584124654e-324 * 3, Infinity, -Infinity,
    9007199254740991, 9007199254740992, -9007199254740992, 2 ** 62, -(2 ** 62), 2 ** 62 + 2048,
    2 ** 62 - 512, 2 ** 63, -(2 ** 63), 2 ** 64, 2 ** 63 - 1024, 1.5, 2.5, 100.25, 1e100, 1e-100, 12345678.9,
    0.3, 3.14159, 299792458.5, 1e300 * 10, -1e-300,
  ];
  for (let e = -330; e <= 310; e++) out.push(10 ** e, 1.5 * 10 ** e, -7.3 * 10 ** e);
  for (let b = -1080; b <= 1030; b += 7) out.push(2 ** b, -(2 ** b) * 1.25);
  for (let k = -4; k <= 4; k++) out.push(2 ** 53 + k * 2, 2 ** 62 + k * 1024, 2 ** 63 + k * 2048);
  // Subnormals with few significant bits, and the largest ones.
  for (let f = 1; f < 40; f++) out.push(fromBits(0, f), fromBits(0x000fffff, -f));
  return out.filter((x) => !Number.isNaN(x));
}

async function checkScores(client: RawClient, resp: 2 | 3, values: readonly number[]): Promise<string[]> {
  const problems: string[] = [];
  // A skiplist-encoded sorted set keeps the double as it is (a listpack stores integral scores, -0 too, as integers).
  await client.send(['CONFIG', 'SET', 'zset-max-listpack-entries', '0']);
  const batch = 500;
  for (let i = 0; i < values.length; i += batch) {
    const chunk = values.slice(i, i + batch);
    let bytes = '';
    for (const [j, v] of chunk.entries()) bytes += wire('ZADD', 'dz', scoreArg(v), 'm' + j) + wire('ZSCORE', 'dz', 'm' + j);
    const replies = await client.sendRawMany(bytes, 2 * chunk.length);
    for (const [j, v] of chunk.entries()) {
      const got = replies[2 * j + 1]!.raw;
      const want = encode(R.double(v), resp);
      if (got !== want) problems.push(`RESP${resp} ${scoreArg(v)}: valkey ${JSON.stringify(got)}, ours ${JSON.stringify(want)}`);
    }
    await client.send(['DEL', 'dz']);
  }
  await client.send(['CONFIG', 'SET', 'zset-max-listpack-entries', '128']);
  return problems;
}

describe('protocol: doubles are formatted as Valkey formats them', () => {
  const d = useDifferential();

  test('chosen doubles: powers, boundaries, integers near 2^53 / 2^62 / 2^63, subnormals', async () => {
    if (!d.available) return;
    const values = interestingDoubles();
    for (const resp of [2, 3] as const) {
      const c = await d.connect('oracle', resp);
      try {
        const problems = await checkScores(c, resp, values);
        expect(problems.slice(0, 20), problems.join('\n')).toEqual([]);
      } finally {
        c.close();
      }
    }
  }, 60_000);

  test('random doubles (random bit patterns and decimal-looking values)', async () => {
    if (!d.available) return;
    const bits = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff })).map(([hi, lo]) => fromBits(hi, lo));
    const decimal = fc.tuple(fc.integer({ min: -99999999, max: 99999999 }), fc.integer({ min: -30, max: 30 })).map(([m, e]) => m * 10 ** e);
    const subnormal = fc.tuple(fc.integer({ min: 0, max: 0xfffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.boolean())
      .map(([hi, lo, neg]) => fromBits(hi | (neg ? 0x80000000 : 0), lo));
    const arb = fc.oneof(bits, bits, decimal, subnormal, fc.double({ noNaN: true }))
      .filter((x) => Number.isFinite(x));
    const values = fc.sample(arb, { numRuns: 3000, seed: 20261127 });
    for (const resp of [2, 3] as const) {
      const c = await d.connect('oracle', resp);
      try {
        const problems = await checkScores(c, resp, values);
        expect(problems.slice(0, 20), problems.join('\n')).toEqual([]);
      } finally {
        c.close();
      }
    }
  }, 120_000);
});
