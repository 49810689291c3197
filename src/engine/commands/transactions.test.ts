import { describe, expect, test } from 'vitest';
import { encode, R, type Reply } from '../../protocol/index.js';
import { VirtualClock, type Clock } from '../../time/index.js';
import { BLOCKED, type CommandGroup } from '../command.js';
import { Engine, type EngineOptions } from '../engine.js';
import type { Client } from '../client.js';
import { discardTransaction, multiCount, transactionsCommands } from './transactions.js';
import { stringCommands } from './string.js';
import { genericCommands } from './generic.js';

const T0 = 1_700_000_000_000;

function setup(opts: Partial<EngineOptions> = {}) {
  const clock = (opts.clock as VirtualClock | undefined) ?? new VirtualClock({ start: T0 });
  const engine = new Engine({ clock, ...opts });
  const delivered: Reply[] = [];
  const connect = (): Client =>
    engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:2', fd: 7 }, { deliver: (r) => delivered.push(r), close: () => {} });
  const a = connect();
  const b = connect();
  const run = (c: Client, ...argv: string[]) => engine.execute(c, argv);
  /** The reply as RESP2 bytes (what a client reads). */
  const wire = (c: Client, ...argv: string[]) => {
    const r = run(c, ...argv);
    if (r === undefined || r === BLOCKED) return r;
    return encode(r, c.resp);
  };
  return { engine, clock, a, b, run, wire, delivered, connect };
}

/** A clock whose timers never fire: expiry happens only lazily, as when active expiry has not run yet. */
function lazyClock(start = T0): Clock & { t: number } {
  const c = {
    t: start,
    now: () => c.t,
    nowUs: () => c.t * 1000,
    schedule: () => ({ cancel() {} }),
  };
  return c;
}

describe('MULTI / EXEC basics', () => {
  test('commands queue and EXEC answers every reply in order, errors inside the array', () => {
    const { a, wire } = setup();
    expect(wire(a, 'MULTI')).toBe('+OK\r\n');
    expect(wire(a, 'SET', 'k', 'abc')).toBe('+QUEUED\r\n');
    expect(wire(a, 'INCR', 'k')).toBe('+QUEUED\r\n');
    expect(wire(a, 'GET', 'k')).toBe('+QUEUED\r\n');
    expect(wire(a, 'EXEC')).toBe('*3\r\n+OK\r\n-ERR value is not an integer or out of range\r\n$3\r\nabc\r\n');
    expect(a.multi).toBeNull();
    expect(wire(a, 'EXEC')).toBe('-ERR EXEC without MULTI\r\n');
    expect(wire(a, 'DISCARD')).toBe('-ERR DISCARD without MULTI\r\n');
  });

  test('an empty transaction answers an empty array', () => {
    const { a, wire } = setup();
    wire(a, 'MULTI');
    expect(wire(a, 'EXEC')).toBe('*0\r\n');
  });

  test('DISCARD drops the queue', () => {
    const { a, wire } = setup();
    wire(a, 'MULTI');
    wire(a, 'SET', 'k', 'v');
    expect(wire(a, 'DISCARD')).toBe('+OK\r\n');
    expect(wire(a, 'GET', 'k')).toBe('$-1\r\n');
  });

  test('queue-time errors abort EXEC and nothing runs', () => {
    const { a, wire } = setup();
    const cases: string[][] = [['NOSUCH', 'x'], ['GET'], ['MULTI'], ['WATCH', 'x'], ['CLIENT', 'REPLY', 'OFF']];
    for (const bad of cases) {
      wire(a, 'MULTI');
      wire(a, 'SET', 'k', 'v');
      const err = wire(a, ...bad) as string;
      expect(err.startsWith('-ERR '), bad.join(' ')).toBe(true);
      expect(wire(a, 'SET', 'k2', 'v')).toBe('+QUEUED\r\n'); // still queued after the error
      expect(wire(a, 'EXEC')).toBe('-EXECABORT Transaction discarded because of previous errors.\r\n');
      expect(wire(a, 'GET', 'k')).toBe('$-1\r\n');
      expect(wire(a, 'GET', 'k2')).toBe('$-1\r\n');
    }
    expect(wire(a, 'MULTI')).toBe('+OK\r\n');
    expect(wire(a, 'MULTI')).toBe("-ERR Command 'multi' not allowed inside a transaction\r\n");
    expect(wire(a, 'WATCH', 'k')).toBe("-ERR Command 'watch' not allowed inside a transaction\r\n");
  });

  test('a command valkey-double does not implement aborts the transaction at queue time', () => {
    const noop: CommandGroup = {};
    const { a, wire } = setup({ groups: [transactionsCommands, stringCommands, noop] });
    wire(a, 'MULTI');
    expect(wire(a, 'DEL', 'k')).toBe("-ERR command 'del' is not implemented by valkey-double yet\r\n");
    expect(wire(a, 'EXEC')).toBe('-EXECABORT Transaction discarded because of previous errors.\r\n');
  });

  test('EXEC with arguments is rejected with EXECABORT, in MULTI or not, and ends the transaction', () => {
    const { a, wire } = setup();
    expect(wire(a, 'EXEC', 'x')).toBe("-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n");
    wire(a, 'MULTI');
    wire(a, 'SET', 'k', 'v');
    expect(wire(a, 'EXEC', 'x')).toBe("-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n");
    expect(a.multi).toBeNull();
    expect(wire(a, 'EXEC')).toBe('-ERR EXEC without MULTI\r\n');
    expect(wire(a, 'GET', 'k')).toBe('$-1\r\n');
  });

  test('the auth gate comes first: EXEC without authentication aborts with NOAUTH', () => {
    const { a, wire } = setup({ requirepass: 'pw' });
    expect(wire(a, 'MULTI')).toBe('-NOAUTH Authentication required.\r\n');
    expect(wire(a, 'EXEC')).toBe('-EXECABORT Transaction discarded because of: NOAUTH Authentication required.\r\n');
    expect(wire(a, 'EXEC', 'x')).toBe('-EXECABORT Transaction discarded because of: NOAUTH Authentication required.\r\n');
  });

  test('HELLO inside EXEC switches the protocol from its own reply on, as in Valkey', () => {
    const { a, run } = setup();
    run(a, 'MULTI');
    run(a, 'GET', 'missing');
    run(a, 'HELLO', '3');
    run(a, 'GET', 'missing');
    run(a, 'HELLO', '2');
    run(a, 'GET', 'missing');
    const r = run(a, 'EXEC') as Reply;
    expect(a.resp).toBe(2);
    const bytes = encode(r, a.resp);
    // RESP2 null; HELLO 3's reply as a RESP3 map; RESP3 null; HELLO 2's reply as a flat array; RESP2 null.
    expect(bytes).toMatch(/^\*5\r\n\$-1\r\n%7\r\n\$6\r\nserver\r\n[^]*\r\n_\r\n\*14\r\n\$6\r\nserver\r\n[^]*\r\n\$-1\r\n$/);
  });

  test('all commands of an EXEC see one time snapshot', () => {
    // A clock that moves 1 ms every time it is read: only a shared snapshot keeps the key alive.
    const clock = lazyClock();
    const ticking: Clock = { now: () => ++clock.t, nowUs: () => clock.t * 1000, schedule: clock.schedule };
    const { a, wire } = setup({ clock: ticking });
    wire(a, 'MULTI');
    wire(a, 'SET', 'k', 'v', 'PX', '1');
    for (let i = 0; i < 5; i++) wire(a, 'GET', 'k');
    expect(wire(a, 'EXEC')).toBe('*6\r\n+OK\r\n' + '$1\r\nv\r\n'.repeat(5));
    // The next command reads the clock once (its own snapshot): let the millisecond of PX 1 pass first.
    clock.t++;
    expect(wire(a, 'GET', 'k')).toBe('$-1\r\n');
  });
});

describe('WATCH', () => {
  test('another client touching a watched key makes EXEC answer a null array (RESP2 *-1, RESP3 _)', () => {
    const { a, b, run, wire } = setup();
    run(b, 'SET', 'k', '1');
    expect(wire(a, 'WATCH', 'k')).toBe('+OK\r\n');
    wire(a, 'MULTI');
    wire(a, 'INCR', 'k');
    run(b, 'SET', 'k', '10');
    const r = run(a, 'EXEC') as Reply;
    expect(encode(r, 2)).toBe('*-1\r\n');
    expect(encode(r, 3)).toBe('_\r\n');
    expect(wire(a, 'GET', 'k')).toBe('$2\r\n10\r\n');
  });

  test('the watching client touching the key itself before MULTI also fails EXEC', () => {
    const { a, wire } = setup();
    wire(a, 'WATCH', 'k');
    wire(a, 'SET', 'k', 'x');
    wire(a, 'MULTI');
    wire(a, 'SET', 'k', 'y');
    expect(wire(a, 'EXEC')).toBe('*-1\r\n');
    expect(wire(a, 'GET', 'k')).toBe('$1\r\nx\r\n');
  });

  test('an untouched watch lets EXEC run; EXEC, DISCARD and UNWATCH all unwatch', () => {
    const { engine, a, b, run, wire } = setup();
    wire(a, 'WATCH', 'k', 'k', 'other');
    expect(a.watched.length).toBe(2); // a key is watched once
    wire(a, 'MULTI');
    wire(a, 'SET', 'k', 'v');
    expect(wire(a, 'EXEC')).toBe('*1\r\n+OK\r\n');
    expect(a.watched.length).toBe(0);
    expect(engine.db(0).watched.size).toBe(0);

    wire(a, 'WATCH', 'k');
    wire(a, 'MULTI');
    wire(a, 'DISCARD');
    expect(engine.db(0).watched.size).toBe(0);
    run(b, 'SET', 'k', 'changed'); // no longer watched: the next transaction is unaffected
    wire(a, 'MULTI');
    expect(wire(a, 'EXEC')).toBe('*0\r\n');

    wire(a, 'WATCH', 'k');
    run(b, 'SET', 'k', 'again');
    expect(a.dirtyCas).toBe(true);
    expect(wire(a, 'UNWATCH')).toBe('+OK\r\n');
    expect(a.dirtyCas).toBe(false);
    wire(a, 'MULTI');
    expect(wire(a, 'EXEC')).toBe('*0\r\n');
  });

  test('a touched client stops watching and queues nothing; WATCH is a no-op once dirty', () => {
    const { engine, a, b, run, wire } = setup();
    wire(a, 'WATCH', 'k', 'j');
    run(b, 'SET', 'k', '1');
    expect(a.watched.length).toBe(0);
    expect(engine.db(0).watched.size).toBe(0);
    expect(wire(a, 'WATCH', 'x')).toBe('+OK\r\n');
    expect(a.watched.length).toBe(0);
    wire(a, 'MULTI');
    expect(wire(a, 'SET', 'z', '1')).toBe('+QUEUED\r\n');
    expect(multiCount(a)).toBe(0);
    expect(wire(a, 'EXEC')).toBe('*-1\r\n');
  });

  test('watches are per database', () => {
    const { a, b, run, wire } = setup();
    wire(a, 'WATCH', 'k');
    run(b, 'SELECT', '1');
    run(b, 'SET', 'k', 'v'); // same name, other database
    wire(a, 'MULTI');
    expect(wire(a, 'EXEC')).toBe('*0\r\n');
  });

  test('a watched key that expires (active expiry) fails EXEC', () => {
    const { a, b, run, wire, clock } = setup();
    run(b, 'SET', 'k', 'v', 'PX', '100');
    wire(a, 'WATCH', 'k');
    clock.advance(200);
    wire(a, 'MULTI');
    wire(a, 'GET', 'k');
    expect(wire(a, 'EXEC')).toBe('*-1\r\n');
  });

  test('a watched key that is logically expired at EXEC fails it even before anyone deletes it', () => {
    const clock = lazyClock();
    const { engine, a, b, run, wire } = setup({ clock });
    run(b, 'SET', 'k', 'v', 'PX', '100');
    wire(a, 'WATCH', 'k');
    clock.t += 200;
    expect(engine.db(0).peek('k')).toBeDefined(); // still stored
    wire(a, 'MULTI');
    wire(a, 'SET', 'x', '1');
    expect(wire(a, 'EXEC')).toBe('*-1\r\n');
    expect(wire(a, 'GET', 'x')).toBe('$-1\r\n');
  });

  test('a key already expired when WATCH ran does not fail EXEC when it is deleted, but does when it is set', () => {
    const clock = lazyClock();
    const { a, b, run, wire } = setup({ clock });
    run(b, 'SET', 'k', 'v', 'PX', '100');
    clock.t += 200;
    wire(a, 'WATCH', 'k');
    expect(a.watched[0]!.expired).toBe(true);
    wire(a, 'MULTI');
    expect(wire(a, 'EXEC')).toBe('*0\r\n'); // still stored and expired: not a change

    wire(a, 'WATCH', 'k');
    run(b, 'GET', 'k'); // lazy expiry deletes it: logically nothing changed
    expect(a.watched[0]!.expired).toBe(false);
    wire(a, 'MULTI');
    expect(wire(a, 'EXEC')).toBe('*0\r\n');

    run(b, 'SET', 'k', 'v', 'PX', '100');
    clock.t += 200;
    wire(a, 'WATCH', 'k');
    run(b, 'GET', 'k'); // deleted (flag cleared)...
    run(b, 'SET', 'k', 'new'); // ...then really written
    wire(a, 'MULTI');
    expect(wire(a, 'EXEC')).toBe('*-1\r\n');
  });

  test('FLUSHDB, FLUSHALL and SWAPDB touch the watchers of keys that exist, and keep the watches', () => {
    const { engine, a, b, run, wire } = setup();
    run(b, 'SET', 'k', 'v');
    wire(a, 'WATCH', 'k', 'missing');
    run(b, 'FLUSHDB');
    expect(a.dirtyCas).toBe(true);
    expect(a.watched.length).toBe(2); // touchAllWatchedKeysInDb does not unwatch
    wire(a, 'MULTI');
    expect(wire(a, 'EXEC')).toBe('*-1\r\n');

    wire(a, 'WATCH', 'missing');
    run(b, 'FLUSHALL');
    expect(a.dirtyCas).toBe(false); // nothing existed to be flushed
    wire(a, 'MULTI');
    expect(wire(a, 'EXEC')).toBe('*0\r\n');

    wire(a, 'WATCH', 'missing');
    run(b, 'SELECT', '1');
    run(b, 'SET', 'missing', 'there');
    run(b, 'SWAPDB', '0', '1');
    expect(a.dirtyCas).toBe(true); // absent here, present in the database swapped in
    discardTransaction(engine, a);
    expect(a.watched.length).toBe(0);
    expect(a.dirtyCas).toBe(false);
  });

  test('a disconnect unwatches', () => {
    const { engine, a, wire } = setup();
    wire(a, 'WATCH', 'k', 'j');
    expect(engine.db(0).watched.size).toBe(2);
    engine.disconnect(a);
    expect(engine.db(0).watched.size).toBe(0);
  });

  test('multiCount is -1 until MULTI or WATCH, then the queue length', () => {
    const { a, wire } = setup();
    expect(multiCount(a)).toBe(-1);
    wire(a, 'WATCH', 'k');
    expect(multiCount(a)).toBe(0);
    wire(a, 'MULTI');
    wire(a, 'SET', 'k', '1');
    wire(a, 'SET', 'k', '2');
    expect(multiCount(a)).toBe(2);
    wire(a, 'GET');
    expect(multiCount(a)).toBe(0); // a queue-time error drops the queue
    wire(a, 'DISCARD');
    expect(multiCount(a)).toBe(0);
  });
});

describe('blocking commands inside EXEC', () => {
  // A stand-in blocking command: waits on a key, times out with a null array.
  const waits: CommandGroup = {
    blpop: (ctx, argv) =>
      ctx.engine.block(ctx.client, {
        deadline: 0,
        keys: [argv[1]!],
        db: ctx.db,
        cmd: 'blpop',
        tryServe: () => R.bulk('served'),
        onTimeout: () => R.nullArray,
      }),
  };

  test('outside EXEC the client blocks; inside EXEC it answers the timeout reply at once', () => {
    const { a, wire } = setup({ groups: [transactionsCommands, stringCommands, genericCommands, waits] });
    wire(a, 'MULTI');
    wire(a, 'BLPOP', 'list', '0');
    wire(a, 'SET', 'k', 'v');
    expect(wire(a, 'EXEC')).toBe('*2\r\n*-1\r\n+OK\r\n');
    expect(a.blocked).toBeNull();
    expect(a.denyBlocking).toBe(false);
    expect(wire(a, 'BLPOP', 'list', '0')).toBe(BLOCKED);
    expect(a.blocked).not.toBeNull();
  });
});
