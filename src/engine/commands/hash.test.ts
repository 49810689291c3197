import { describe, expect, test } from 'vitest';
import { encode, type Reply } from '../../protocol/index.js';
import { VirtualClock, type Clock, type Timer } from '../../time/index.js';
import { BLOCKED } from '../command.js';
import { Engine } from '../engine.js';

const T0 = 1_700_000_000_000;

/** A clock whose scheduled callbacks never fire: active expiry only runs when a test calls engine.expireDue(). */
class StuckClock implements Clock {
  t = T0;
  now(): number {
    return this.t;
  }
  nowUs(): number {
    return this.t * 1000;
  }
  schedule(): Timer {
    return { cancel() {} };
  }
}

function setup(clock: Clock = new VirtualClock({ start: T0 })) {
  const engine = new Engine({ clock });
  const connect = () => engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:6379', fd: 7 }, { deliver() {}, close() {} });
  const client = connect();
  const runAs = (c: typeof client, ...argv: string[]): string => {
    const r = engine.execute(c, argv);
    if (r === undefined || r === BLOCKED) throw new Error(`${argv.join(' ')}: no reply`);
    return encode(r as Reply, c.resp);
  };
  const run = (...argv: string[]) => runAs(client, ...argv);
  const events: string[] = [];
  engine.onKeyspaceEvent((cls, ev, key, db) => {
    if (cls !== 'm') events.push(`${cls} ${ev} ${key}${db ? '@' + db : ''}`);
  });
  return { engine, client, connect, run, runAs, events, db: engine.db(0) };
}

const int = (n: number | bigint) => `:${n}\r\n`;
const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const err = (s: string) => `-${s}\r\n`;
const ints = (...n: (number | bigint)[]) => `*${n.length}\r\n` + n.map(int).join('');
const bulks = (...s: (string | null)[]) => `*${s.length}\r\n` + s.map((x) => (x === null ? NIL : bulk(x))).join('');
const OK = '+OK\r\n';
const NIL = '$-1\r\n';

describe('field expiry on a virtual clock', () => {
  test('HSETEX PX 100: visible at the deadline, gone one millisecond later with the key', () => {
    const clock = new VirtualClock({ start: T0 });
    const { run, events, engine } = setup(clock);
    expect(run('HSETEX', 'h', 'PX', '100', 'FIELDS', '1', 'f', 'v')).toBe(int(1));
    expect(run('OBJECT', 'ENCODING', 'h')).toBe(bulk('hashtable'));
    clock.advance(100);
    expect(run('HGET', 'h', 'f')).toBe(bulk('v'));
    expect(run('HPTTL', 'h', 'FIELDS', '1', 'f')).toBe(ints(0));
    clock.advance(1);
    expect(run('HGET', 'h', 'f')).toBe(NIL);
    expect(run('HLEN', 'h')).toBe(int(0));
    expect(run('EXISTS', 'h')).toBe(int(0));
    expect(events).toEqual(['n new h', 'h hset h', 'h hexpire h', 'x hexpired h', 'g del h']);
    expect(engine.stats.expiredFields).toBe(1);
  });

  test('fields go one by one at their own deadlines; the index follows', () => {
    const clock = new VirtualClock({ start: T0 });
    const { run, events, db } = setup(clock);
    run('HSET', 'h', 'a', '1', 'b', '2', 'c', '3', 'keep', 'k');
    run('HPEXPIRE', 'h', '300', 'FIELDS', '1', 'a');
    run('HPEXPIRE', 'h', '100', 'FIELDS', '1', 'b');
    run('HPEXPIRE', 'h', '200', 'FIELDS', '1', 'c');
    expect(db.volatileItemsCount).toBe(1);
    expect(run('INFO', 'keyspace')).toContain('keys_with_volatile_items=1');
    events.length = 0;
    clock.advance(101);
    expect(run('HKEYS', 'h')).toBe(bulks('a', 'c', 'keep'));
    clock.advance(100);
    expect(run('HLEN', 'h')).toBe(int(2));
    expect(db.volatileItemsCount).toBe(1);
    clock.advance(100);
    expect(run('HGETALL', 'h')).toBe(bulks('keep', 'k'));
    expect(db.volatileItemsCount).toBe(0);
    expect(events).toEqual(['x hexpired h', 'x hexpired h', 'x hexpired h']);
    expect(run('INFO', 'keyspace')).toContain('keys_with_volatile_items=0');
  });

  test('moving a deadline earlier or later, removing it, or overwriting the field reschedules', () => {
    const clock = new VirtualClock({ start: T0 });
    const { run, db } = setup(clock);
    run('HSET', 'h', 'a', '1', 'b', '2', 'c', '3', 'd', '4');
    run('HPEXPIRE', 'h', '1000', 'FIELDS', '4', 'a', 'b', 'c', 'd');
    run('HPEXPIRE', 'h', '50', 'FIELDS', '1', 'a'); // earlier
    run('HPEXPIRE', 'h', '5000', 'FIELDS', '1', 'b'); // later
    run('HPERSIST', 'h', 'FIELDS', '1', 'c');
    run('HSET', 'h', 'd', '44'); // an overwrite clears the TTL
    clock.advance(51);
    expect(run('HKEYS', 'h')).toBe(bulks('b', 'c', 'd'));
    clock.advance(1000);
    expect(run('HGETALL', 'h')).toBe(bulks('b', '2', 'c', '3', 'd', '44'));
    expect(run('HTTL', 'h', 'FIELDS', '3', 'b', 'c', 'd')).toBe(ints(4, -1, -1));
    run('HDEL', 'h', 'b');
    expect(db.volatileItemsCount).toBe(0);
    clock.advance(10_000);
    expect(run('HLEN', 'h')).toBe(int(2));
  });

  test('DEL, SET over the hash and FLUSHALL drop the schedule', () => {
    const clock = new VirtualClock({ start: T0 });
    const { run, events, db } = setup(clock);
    run('HSETEX', 'a', 'PX', '100', 'FIELDS', '1', 'f', 'v');
    run('HSETEX', 'b', 'PX', '100', 'FIELDS', '1', 'f', 'v');
    run('HSETEX', 'c', 'PX', '100', 'FIELDS', '1', 'f', 'v');
    expect(db.volatileItemsCount).toBe(3);
    run('DEL', 'a');
    run('SET', 'b', 'str');
    expect(db.volatileItemsCount).toBe(1);
    run('FLUSHALL');
    expect(db.volatileItemsCount).toBe(0);
    run('HSET', 'c', 'x', 'y');
    events.length = 0;
    clock.advance(1000);
    expect(events).toEqual([]);
    expect(run('GET', 'b')).toBe(NIL);
    expect(run('HGETALL', 'c')).toBe(bulks('x', 'y'));
  });

  test('RENAME, MOVE and COPY carry the deadlines; the fields expire under the new name', () => {
    const clock = new VirtualClock({ start: T0 });
    const { run, events, engine } = setup(clock);
    run('HSET', 'h', 'a', '1', 'b', '2');
    run('HPEXPIRE', 'h', '100', 'FIELDS', '1', 'a');
    run('COPY', 'h', 'copy');
    run('RENAME', 'h', 'r');
    run('HSET', 'm', 'a', '1');
    run('HPEXPIRE', 'm', '200', 'FIELDS', '1', 'a');
    run('MOVE', 'm', '3');
    expect(engine.db(0).volatileItemsCount).toBe(2);
    expect(engine.db(3).volatileItemsCount).toBe(1);
    events.length = 0;
    clock.advance(101);
    expect(events).toEqual(['x hexpired copy', 'x hexpired r']);
    expect(run('HKEYS', 'r')).toBe(bulks('b'));
    expect(run('HKEYS', 'copy')).toBe(bulks('b'));
    clock.advance(100);
    expect(events.slice(2)).toEqual(['x hexpired m@3', 'g del m@3']);
  });

  test('SWAPDB takes the schedule along', () => {
    const clock = new VirtualClock({ start: T0 });
    const { run, events } = setup(clock);
    run('HSETEX', 'h', 'PX', '100', 'FIELDS', '2', 'a', '1', 'b', '2');
    run('HPERSIST', 'h', 'FIELDS', '1', 'b');
    run('SWAPDB', '0', '1');
    events.length = 0;
    clock.advance(101);
    expect(events).toEqual(['x hexpired h@1']);
    run('SELECT', '1');
    expect(run('HGETALL', 'h')).toBe(bulks('b', '2'));
  });

  test('a key TTL and field TTLs: whichever comes first', () => {
    const clock = new VirtualClock({ start: T0 });
    const { run, events } = setup(clock);
    run('HSET', 'h', 'a', '1');
    run('HPEXPIRE', 'h', '200', 'FIELDS', '1', 'a');
    run('PEXPIRE', 'h', '100');
    events.length = 0;
    clock.advance(1000);
    expect(events).toEqual(['x expired h']);
    run('HSET', 'k', 'a', '1');
    run('PEXPIRE', 'k', '200');
    run('HPEXPIRE', 'k', '100', 'FIELDS', '1', 'a');
    run('PERSIST', 'k');
    events.length = 0;
    clock.advance(1000);
    expect(events).toEqual(['x hexpired k', 'g del k']);
  });

  test('WATCH: an actively expired field makes EXEC fail', () => {
    const clock = new VirtualClock({ start: T0 });
    const { run } = setup(clock);
    run('HSETEX', 'w', 'PX', '50', 'FIELDS', '1', 'a', '1');
    run('HSET', 'w', 'b', '2');
    run('WATCH', 'w');
    clock.advance(51);
    run('MULTI');
    run('HLEN', 'w');
    expect(run('EXEC')).toBe('*-1\r\n');
    run('WATCH', 'w');
    clock.advance(1000);
    run('MULTI');
    run('HLEN', 'w');
    expect(run('EXEC')).toBe('*1\r\n:1\r\n');
  });

  test('relative times count from the command time; HTTL rounds, HEXPIRETIME rounds too', () => {
    const clock = new VirtualClock({ start: T0 });
    const { run } = setup(clock);
    run('HSET', 'h', 'a', '1', 'b', '2');
    run('HPEXPIRE', 'h', '1499', 'FIELDS', '1', 'a');
    run('HPEXPIREAT', 'h', String(T0 + 10_500), 'FIELDS', '1', 'b');
    expect(run('HPTTL', 'h', 'FIELDS', '2', 'a', 'b')).toBe(ints(1499, 10_500));
    expect(run('HTTL', 'h', 'FIELDS', '2', 'a', 'b')).toBe(ints(1, 11));
    expect(run('HPEXPIRETIME', 'h', 'FIELDS', '1', 'a')).toBe(ints(T0 + 1499));
    expect(run('HEXPIRETIME', 'h', 'FIELDS', '2', 'a', 'b')).toBe(ints(T0 / 1000 + 1, T0 / 1000 + 11));
    clock.advance(999);
    expect(run('HPTTL', 'h', 'FIELDS', '1', 'a')).toBe(ints(500));
    expect(run('HTTL', 'h', 'FIELDS', '1', 'a')).toBe(ints(1));
    clock.advance(1);
    expect(run('HTTL', 'h', 'FIELDS', '1', 'a')).toBe(ints(0));
  });

  test('inside EXEC the time stands still', () => {
    const clock = new VirtualClock({ start: T0 });
    const { run } = setup(clock);
    run('HSETEX', 'h', 'PX', '10', 'FIELDS', '1', 'a', '1');
    run('MULTI');
    run('HGET', 'h', 'a');
    run('HPTTL', 'h', 'FIELDS', '1', 'a');
    expect(run('EXEC')).toBe('*2\r\n' + bulk('1') + ints(10));
  });
});

describe('expired fields before active expiry reclaims them (Valkey semantics)', () => {
  function hidden() {
    const clock = new StuckClock();
    const s = setup(clock);
    s.run('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
    s.run('HPEXPIRE', 'h', '10', 'FIELDS', '2', 'a', 'c');
    clock.t += 11;
    s.events.length = 0;
    return { ...s, clock };
  }

  test('reads hide them; HLEN and EXISTS still count them', () => {
    const { run } = hidden();
    expect(run('HGET', 'h', 'a')).toBe(NIL);
    expect(run('HMGET', 'h', 'a', 'b')).toBe(bulks(null, '2'));
    expect(run('HEXISTS', 'h', 'a')).toBe(int(0));
    expect(run('HSTRLEN', 'h', 'a')).toBe(int(0));
    expect(run('HGETALL', 'h')).toBe(bulks('b', '2'));
    expect(run('HVALS', 'h')).toBe(bulks('2'));
    expect(run('HSCAN', 'h', '0')).toBe('*2\r\n' + bulk('0') + bulks('b', '2'));
    expect(run('HRANDFIELD', 'h', '-5')).toBe(bulks('b', 'b', 'b', 'b', 'b'));
    expect(run('HRANDFIELD', 'h', '2')).toBe(bulks('b'));
    expect(run('HRANDFIELD', 'h')).toBe(bulk('b'));
    expect(run('HTTL', 'h', 'FIELDS', '3', 'a', 'b', 'c')).toBe(ints(-2, -1, -2));
    expect(run('HLEN', 'h')).toBe(int(3));
    expect(run('EXISTS', 'h')).toBe(int(1));
  });

  test('HDEL, HGETDEL, HGETEX, HEXPIRE and HPERSIST cannot touch them', () => {
    const { run, events } = hidden();
    expect(run('HDEL', 'h', 'a')).toBe(int(0));
    expect(run('HGETDEL', 'h', 'FIELDS', '1', 'a')).toBe(bulks(null));
    expect(run('HGETEX', 'h', 'EX', '0', 'FIELDS', '1', 'a')).toBe(bulks(null));
    expect(run('HGETEX', 'h', 'PERSIST', 'FIELDS', '1', 'a')).toBe(bulks(null));
    expect(run('HEXPIRE', 'h', '100', 'FIELDS', '1', 'a')).toBe(ints(-2));
    expect(run('HEXPIRE', 'h', '0', 'FIELDS', '1', 'a')).toBe(ints(-2));
    expect(run('HPERSIST', 'h', 'FIELDS', '1', 'a')).toBe(ints(-2));
    expect(run('HSETEX', 'h', 'FXX', 'FIELDS', '1', 'a', 'x')).toBe(int(0));
    expect(run('HLEN', 'h')).toBe(int(3));
    expect(events).toEqual([]);
  });

  test('writes revive them as new fields, reported as expired', () => {
    const { run, events, engine } = hidden();
    expect(run('HSET', 'h', 'a', 'new', 'b', '22')).toBe(int(1));
    expect(run('HTTL', 'h', 'FIELDS', '1', 'a')).toBe(ints(-1));
    expect(run('HSETNX', 'h', 'c', 'x')).toBe(int(1));
    expect(events).toEqual(['h hexpired h', 'h hset h', 'h hexpired h', 'h hset h']);
    expect(engine.stats.expiredFields).toBe(2);
    expect(run('HLEN', 'h')).toBe(int(3));
    expect(run('HGETALL', 'h')).toBe(bulks('a', 'new', 'b', '22', 'c', 'x'));
  });

  test('HINCRBY, HINCRBYFLOAT and HSETEX KEEPTTL start over without the TTL', () => {
    const { run, events } = hidden();
    expect(run('HINCRBY', 'h', 'a', '5')).toBe(int(5));
    expect(run('HINCRBYFLOAT', 'h', 'c', '1.5')).toBe(bulk('1.5'));
    expect(run('HTTL', 'h', 'FIELDS', '2', 'a', 'c')).toBe(ints(-1, -1));
    expect(events).toEqual(['h hexpired h', 'h hincrby h', 'h hexpired h', 'h hincrbyfloat h']);
    const s = hidden();
    expect(s.run('HSETEX', 'h', 'KEEPTTL', 'FIELDS', '1', 'a', 'v')).toBe(int(1));
    expect(s.run('HTTL', 'h', 'FIELDS', '1', 'a')).toBe(ints(-1));
    expect(s.events).toEqual(['h hexpired h', 'h hset h']);
  });

  test('HSETEX with a past time deletes them; COPY leaves them behind', () => {
    const { run, engine } = hidden();
    run('COPY', 'h', 'h2');
    expect(run('HLEN', 'h2')).toBe(int(1));
    const before = engine.stats.expiredFields;
    expect(run('HSETEX', 'h', 'EX', '0', 'FIELDS', '2', 'a', 'x', 'nope', 'y')).toBe(int(1));
    expect(engine.stats.expiredFields).toBe(before + 2); // counted per field, found or not
    expect(run('HLEN', 'h')).toBe(int(2));
  });

  test('active expiry reclaims them: hexpired, then del when nothing is left', () => {
    const { run, events, engine, clock } = hidden();
    engine.expireDue();
    expect(events).toEqual(['x hexpired h']);
    expect(run('HLEN', 'h')).toBe(int(1));
    run('HPEXPIRE', 'h', '5', 'FIELDS', '1', 'b');
    clock.t += 6;
    events.length = 0;
    expect(run('EXISTS', 'h')).toBe(int(1));
    expect(run('HGETALL', 'h')).toBe('*0\r\n');
    engine.expireDue();
    expect(events).toEqual(['x hexpired h', 'g del h']);
    expect(run('EXISTS', 'h')).toBe(int(0));
  });

  test('WATCH is not touched by hidden fields, only by their reclaiming', () => {
    const { run, runAs, connect, engine } = hidden();
    run('WATCH', 'h');
    run('MULTI');
    run('HLEN', 'h');
    expect(run('EXEC')).toBe('*1\r\n:3\r\n');
    const other = connect();
    runAs(other, 'WATCH', 'h');
    engine.expireDue();
    runAs(other, 'MULTI');
    expect(runAs(other, 'EXEC')).toBe('*-1\r\n');
  });
});

describe('commands', () => {
  test('HSET and HMSET replies, arity of pairs', () => {
    const { run } = setup();
    expect(run('HSET', 'h', 'a', '1', 'b', '2', 'a', '3')).toBe(int(2));
    expect(run('HMSET', 'h', 'a', '1', 'c', '2')).toBe(OK);
    expect(run('HSET', 'h', 'a', '1', 'b')).toBe(err("ERR wrong number of arguments for 'hset' command"));
    expect(run('HMSET', 'h', 'a', '1', 'b')).toBe(err("ERR wrong number of arguments for 'hmset' command"));
    expect(run('HGETALL', 'h')).toBe(bulks('a', '1', 'b', '2', 'c', '2'));
  });

  test('keyspace events of the write commands', () => {
    const { run, events } = setup();
    run('HSET', 'h', 'a', '1', 'b', '2');
    run('HINCRBY', 'h', 'n', '1');
    run('HINCRBYFLOAT', 'h', 'n', '1');
    run('HEXPIRE', 'h', '100', 'FIELDS', '2', 'a', 'zz');
    run('HEXPIRE', 'h', '100', 'NX', 'FIELDS', '1', 'a'); // nothing changes: no event
    run('HPERSIST', 'h', 'FIELDS', '1', 'a');
    run('HGETEX', 'h', 'PX', '100', 'FIELDS', '1', 'a');
    run('HGETEX', 'h', 'PERSIST', 'FIELDS', '1', 'a');
    run('HDEL', 'h', 'a', 'zz');
    run('HGETDEL', 'h', 'FIELDS', '1', 'n');
    run('HEXPIRE', 'h', '0', 'FIELDS', '1', 'b');
    expect(events).toEqual([
      'n new h', 'h hset h', 'h hincrby h', 'h hincrbyfloat h', 'h hexpire h', 'h hpersist h', 'h hexpire h', 'h hpersist h',
      'h hdel h', 'h hdel h', 'h hexpired h', 'g del h',
    ]);
    events.length = 0;
    run('HSETEX', 'n', 'EX', '0', 'FIELDS', '1', 'a', 'b');
    expect(events).toEqual(['n new n', 'h hset n', 'h hexpire n', 'h hexpired n', 'g del n']);
    events.length = 0;
    run('HSET', 'x', 'a', '1');
    run('HGETEX', 'x', 'EX', '0', 'FIELDS', '1', 'a');
    run('HSET', 'y', 'a', '1');
    run('HGETDEL', 'y', 'FIELDS', '2', 'a', 'a');
    expect(events).toEqual(['n new x', 'h hset x', 'h hexpired x', 'g del x', 'n new y', 'h hset y', 'h hdel y', 'g del y']);
  });

  test('HINCRBY overflow and HINCRBYFLOAT long double results', () => {
    const { run } = setup();
    run('HSET', 'h', 'max', '9223372036854775807', 'f', '1.1');
    expect(run('HINCRBY', 'h', 'max', '1')).toBe(err('ERR increment or decrement would overflow'));
    expect(run('HINCRBY', 'h', 'max', '-9223372036854775807')).toBe(int(0));
    expect(run('HINCRBY', 'h', 'f', '1')).toBe(err('ERR hash value is not an integer'));
    expect(run('HINCRBYFLOAT', 'h', 'f', '2.2')).toBe(bulk('3.3'));
    expect(run('HINCRBYFLOAT', 'h', 'g', '1e-5')).toBe(bulk('0.00001'));
    expect(run('HINCRBYFLOAT', 'h', 'g', '-1e-5')).toBe(bulk('0'));
    expect(run('HINCRBYFLOAT', 'h', 'g', 'inf')).toBe(err('ERR value is NaN or Infinity'));
    expect(run('HINCRBYFLOAT', 'h', 'g', 'x')).toBe(err('ERR value is not a valid float'));
    run('HSET', 'h', 'w', 'word');
    expect(run('HINCRBYFLOAT', 'h', 'w', '1')).toBe(err('ERR hash value is not a float'));
    expect(run('HINCRBYFLOAT', 'nokey', 'w', 'x')).toBe(err('ERR value is not a valid float'));
    expect(run('EXISTS', 'nokey')).toBe(int(0));
  });

  test('OBJECT ENCODING follows the limits set by CONFIG SET', () => {
    const { run } = setup();
    run('CONFIG', 'SET', 'hash-max-listpack-entries', '2');
    run('HSET', 'h', 'a', '1', 'b', '2');
    expect(run('OBJECT', 'ENCODING', 'h')).toBe(bulk('listpack'));
    run('HSET', 'h', 'c', '3');
    expect(run('OBJECT', 'ENCODING', 'h')).toBe(bulk('hashtable'));
    run('HDEL', 'h', 'a', 'b');
    expect(run('OBJECT', 'ENCODING', 'h')).toBe(bulk('hashtable'));
    run('CONFIG', 'SET', 'hash-max-listpack-value', '3');
    run('HSET', 'v', 'a', 'abc');
    expect(run('OBJECT', 'ENCODING', 'v')).toBe(bulk('listpack'));
    run('HINCRBYFLOAT', 'v', 'f', '0.5');
    expect(run('OBJECT', 'ENCODING', 'v')).toBe(bulk('listpack'));
    run('HINCRBYFLOAT', 'v', 'f', '0.25');
    expect(run('OBJECT', 'ENCODING', 'v')).toBe(bulk('hashtable'));
  });

  test('HRANDFIELD shapes in RESP2 and RESP3', () => {
    const { run, runAs, client } = setup();
    run('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
    expect(run('HRANDFIELD', 'h', '3')).toBe(bulks('a', 'b', 'c'));
    expect(run('HRANDFIELD', 'h', '5', 'WITHVALUES')).toBe(bulks('a', '1', 'b', '2', 'c', '3'));
    const two = run('HRANDFIELD', 'h', '2');
    expect(two.startsWith('*2\r\n')).toBe(true);
    const picks = two.split('\r\n').filter((_, i) => i % 2 === 0 && i > 0).filter(Boolean);
    expect(new Set(picks).size).toBe(2);
    expect(run('HRANDFIELD', 'h', '-7').startsWith('*7\r\n')).toBe(true);
    expect(run('HRANDFIELD', 'h', '-2', 'WITHVALUES').startsWith('*4\r\n')).toBe(true);
    runAs(client, 'HELLO', '3');
    const r3 = runAs(client, 'HRANDFIELD', 'h', '-2', 'WITHVALUES');
    expect(r3.startsWith('*2\r\n*2\r\n')).toBe(true);
    expect(runAs(client, 'HRANDFIELD', 'nokey')).toBe('_\r\n');
    expect(runAs(client, 'HGETALL', 'nokey')).toBe('%0\r\n');
  });

  test('HSCAN on a hashtable: every field once across cursors', () => {
    const { run } = setup();
    const args: string[] = [];
    for (let i = 0; i < 1000; i++) args.push(`f${i}`, `v${i}`);
    run('HSET', 'h', ...args);
    let cursor = '0';
    const seen = new Set<string>();
    let calls = 0;
    do {
      const r = run('HSCAN', 'h', cursor, 'COUNT', '100', 'NOVALUES');
      const lines = r.split('\r\n');
      cursor = lines[2]!;
      for (let i = 5; i < lines.length; i += 2) seen.add(lines[i]!);
      calls++;
    } while (cursor !== '0');
    expect(seen.size).toBe(1000);
    expect(calls).toBe(10);
  });

  test('WRONGTYPE and argument order', () => {
    const { run } = setup();
    run('SET', 's', 'x');
    const WT = err('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run('HGET', 's', 'a')).toBe(WT);
    expect(run('HSETEX', 's', 'FIELDS', '1', 'a', 'b')).toBe(WT);
    expect(run('HEXPIRE', 's', '-1', 'FIELDS', '1', 'a')).toBe(err("ERR invalid expire time in 'hexpire' command"));
    expect(run('HGETEX', 's', 'EX', '-1', 'FIELDS', '1', 'a')).toBe(WT);
    expect(run('HSETEX', 's', 'EX', '-1', 'FIELDS', '1', 'a', 'b')).toBe(WT);
    expect(run('HSETEX', 'n', 'EX', '-1', 'FIELDS', '1', 'a', 'b')).toBe(err("ERR invalid expire time in 'hsetex' command"));
    expect(run('HSETEX', 'n', 'XX', 'EX', '-1', 'FIELDS', '1', 'a', 'b')).toBe(int(0));
    expect(run('TYPE', 's')).toBe('+string\r\n');
  });
});
