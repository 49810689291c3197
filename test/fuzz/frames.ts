/**
 * What the protocol fuzzer sends: sessions of RESP frames, valid and broken,
 * as fast-check arbitraries.
 *
 * A session is the bytes one connection writes (in chunks: at once, byte by
 * byte, or cut at random points) before it half-closes. Its frames are drawn
 * from:
 * - valid commands from a pool whose replies are deterministic on any server
 *   (no clocks, ids, random picks, hash-table orders, other connections),
 *   multibulk or inline, with keys in the session's own database;
 * - the same commands mutated: truncated, a byte flipped, inserted or
 *   deleted, a length changed;
 * - frames made to break the decoder: oversized and negative lengths, huge
 *   argument counts, inline lines with stray quotes, NUL bytes, lines and
 *   headers longer than the inline limit, random bytes.
 *
 * The sizes stay clear of Valkey's arrival-dependent limits: a line is
 * either well under 64KB or (without a newline) far over it. Between the two,
 * whether Valkey finds the newline before its buffer passes the limit depends
 * on how its reads of the socket cut the bytes (16KB, then growing with its
 * buffer), which valkey-double does not model.
 */
import fc from 'fast-check';

export interface Session {
  /** The bytes to write, one write per chunk. */
  chunks: Buffer[];
  /** How many frames the session holds (valid or not). */
  frames: number;
  /** How the bytes were cut, for reports. */
  split: 'whole' | 'bytes' | 'cuts';
}

const KEYS = ['a', 'b', 'l', 'h', 'z', 's', 'n', '{x}', ''];
const VALUES = ['', 'v', '0', '1', '-1', '10', '3.5', 'abc', 'x y', '9223372036854775807', '9223372036854775808', 'nan', 'inf', '-0', '\x00', '\r\n', '"', "'"];

const key = fc.constantFrom(...KEYS);
const value = fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 12 }), fc.integer({ min: -1000, max: 1000 }).map(String));

/** Commands whose replies depend only on this connection's requests and its own database. */
const COMMAND: fc.Arbitrary<readonly string[]> = fc.oneof(
  fc.tuple(fc.constantFrom('PING', 'ECHO'), fc.array(value, { maxLength: 2 })).map(([c, a]) => [c, ...a]),
  fc.tuple(key, value).map(([k, v]) => ['SET', k, v]),
  fc.tuple(key, value, fc.constantFrom('NX', 'XX', 'GET', 'KEEPTTL', 'EX', 'PX')).map(([k, v, o]) => ['SET', k, v, o]),
  fc.tuple(fc.constantFrom('GET', 'INCR', 'DECR', 'STRLEN', 'DEL', 'EXISTS', 'TYPE', 'LLEN', 'HLEN', 'SCARD', 'ZCARD', 'RPOP', 'LPOP', 'PERSIST', 'TTL'), key).map(([c, k]) => [c, k]),
  fc.tuple(fc.constantFrom('INCRBY', 'APPEND', 'LPUSH', 'RPUSH', 'SADD', 'SREM', 'SISMEMBER', 'HGET', 'HDEL', 'ZSCORE', 'ZREM', 'EXPIRE', 'GETRANGE'), key, value).map(([c, k, v]) => [c, k, v]),
  fc.tuple(key, value, value).map(([k, f, v]) => ['HSET', k, f, v]),
  fc.tuple(key, value, value).map(([k, s, m]) => ['ZADD', k, s, m]),
  fc.tuple(key, value, value).map(([k, a, b]) => ['LRANGE', k, a, b]),
  fc.tuple(key, value, value).map(([k, a, b]) => ['ZRANGE', k, a, b]),
  fc.tuple(key, value, value).map(([k, a, b]) => ['SETRANGE', k, a, b]),
  fc.tuple(key).map(([k]) => ['HGETALL', k]),
  fc.constantFrom(['MULTI'], ['EXEC'], ['DISCARD'], ['DBSIZE'], ['FLUSHDB'], ['WATCH', 'a'], ['UNWATCH'], ['QUIT'], ['NOSUCHCOMMAND', 'x'], ['GET'], ['SET', 'a']),
);

export function multibulk(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return s;
}

/** An argument written inline: bare when it can be, else quoted (double or single) with escapes. */
const inlineArg = (a: string, quote: number): string => {
  if (quote === 0 && a !== '' && !/[\s"'\xff]/.test(a) && !a.includes('\0')) return a;
  if (quote === 1 || /[^\x20-\x7e]/.test(a)) {
    let out = '"';
    for (const ch of a) {
      const c = ch.charCodeAt(0);
      if (ch === '"' || ch === '\\') out += '\\' + ch;
      else if (c < 0x20 || c > 0x7e) out += '\\x' + c.toString(16).padStart(2, '0');
      else out += ch;
    }
    return out + '"';
  }
  return "'" + a.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
};

const inline: fc.Arbitrary<string> = fc
  .tuple(COMMAND, fc.array(fc.nat(2), { minLength: 8, maxLength: 8 }), fc.constantFrom('\r\n', '\n'), fc.constantFrom(' ', '  ', '\t'))
  .map(([argv, quotes, eol, sep]) => argv.map((a, i) => inlineArg(a, quotes[i % 8]!)).join(sep) + eol);

const valid: fc.Arbitrary<string> = fc.oneof({ arbitrary: COMMAND.map(multibulk), weight: 4 }, { arbitrary: inline, weight: 1 });

const byte = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
const interesting = fc.constantFrom('\r', '\n', '\r\n', '*', '$', '-', '0', '9', '"', "'", '\\', '\x00', '\xff', ' ');

/** A valid frame with one to three edits. */
const mutated: fc.Arbitrary<string> = fc
  .tuple(valid, fc.array(fc.tuple(fc.nat(4), fc.nat(), fc.oneof(byte, interesting)), { minLength: 1, maxLength: 3 }))
  .map(([f, edits]) => {
    let s = f;
    for (const [kind, at, b] of edits) {
      const i = s.length === 0 ? 0 : at % s.length;
      switch (kind) {
        case 0: s = s.slice(0, i); break; // truncate
        case 1: s = s.slice(0, i) + b + s.slice(i + 1); break; // replace
        case 2: s = s.slice(0, i) + b + s.slice(i); break; // insert
        case 3: s = s.slice(0, i) + s.slice(i + 1); break; // delete
        default: s = s.replace(/\d+/, (d) => String(Number(d) + (at % 5) - 2)); // a length off by -2..2
      }
    }
    return s;
  });

const big = (n: number, c = 'x') => c.repeat(n);

/** Frames aimed at the decoder's limits and error paths. */
const nasty: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '*-1\r\n', '*0\r\n', '*-5\r\n', '*2147483647\r\n', '*2147483648\r\n', '*9223372036854775807\r\n', '*9223372036854775808\r\n',
    '*-9223372036854775808\r\n', '*1\r\n$-1\r\n', '*1\r\n$-0\r\n', '*1\r\n$+1\r\n', '*1\r\n$01\r\nx\r\n', '*01\r\n$1\r\nx\r\n',
    '*1\r\n$3\r\nab\r\n', '*1\r\n$1\r\nab\r\n', '*1\r\n$1\r\nx\n\n', '*1\r\nfoo\r\n', '*1\r\n\r\n', '*1\n$4\r\nPING\r\n',
    '*1\r\n$4\nPING\r\n', '*1\r\n$99999999999\r\n', '*1\r\n$536870913\r\n', '*1\r\n$ 4\r\nPING\r\n', '*\r\n', '$4\r\nPING\r\n',
    '*1\r\n$4\r\nPI\x00G\r\n', 'PI\x00NG\r\n', 'PING\x00\r\n', '\x00', 'ECHO "abc\r\n', "ECHO 'abc\r\n", 'SET k "a"b"\r\n',
    'ECHO "\\x4\r\n', 'ECHO "a\\', '"\r\n', "'\r\n", '""\r\n', ' \r\n', '\r\n', '\n', '*3\r\n$3\r\nSET\r\n', '*2\r\n$4\r\nECHO\r\n$',
    '*1000000\r\n$4\r\nPING\r\n', '*1\r\n$4\r\nPING\r', '*1\r\n$4\r\nPING', '*1\r', '*1\rx\n',
  ),
  fc.nat({ max: 4 }).map((k) => {
    switch (k) {
      case 0: return big(200_000); // inline, no newline: too big inline request
      case 1: return '*' + big(200_000, '1'); // too big mbulk count string
      case 2: return '*1\r\n$' + big(200_000, '1'); // too big bulk count string
      case 3: return 'ECHO ' + big(40_000) + '\r\n'; // a long line that is still under the limit
      // A bulk over Valkey's big-argument size (32KB), under the inline limit should it be read as a line.
      default: return `*2\r\n$4\r\nECHO\r\n$40000\r\n${big(40_000)}\r\n`;
    }
  }),
  fc.array(byte, { minLength: 1, maxLength: 30 }).map((a) => a.join('')),
  fc.tuple(fc.integer({ min: -3, max: 1 << 20 }), fc.array(valid, { maxLength: 3 })).map(([n, rest]) => `*${n}\r\n${rest.join('')}`),
  fc.tuple(fc.integer({ min: -3, max: 1 << 20 }), valid).map(([n, rest]) => `*2\r\n$4\r\nECHO\r\n$${n}\r\n${rest}`),
);

export const frame: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: valid, weight: 6 },
  { arbitrary: mutated, weight: 2 },
  { arbitrary: nasty, weight: 1 },
);

/** A session: frames, then how they are cut into writes. */
export const session: fc.Arbitrary<Session> = fc
  .tuple(fc.array(frame, { minLength: 1, maxLength: 40 }), fc.nat(9), fc.array(fc.nat(), { maxLength: 12 }))
  .map(([frames, how, cuts]) => {
    const all = Buffer.from(frames.join(''), 'latin1');
    let split: Session['split'] = how < 5 ? 'whole' : how < 7 && all.length <= 4096 ? 'bytes' : 'cuts';
    let chunks: Buffer[];
    if (split === 'whole') chunks = [all];
    else if (split === 'bytes') chunks = Array.from({ length: all.length }, (_, i) => all.subarray(i, i + 1));
    else {
      const at = [...new Set(cuts.map((c) => c % Math.max(1, all.length)))].sort((x, y) => x - y);
      chunks = [];
      let prev = 0;
      for (const c of at) {
        if (c > prev) chunks.push(all.subarray(prev, c));
        prev = Math.max(prev, c);
      }
      chunks.push(all.subarray(prev));
      if (chunks.length === 1) split = 'whole';
    }
    return { chunks, frames: frames.length, split };
  });
