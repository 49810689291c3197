/**
 * Differential tests of the connection group: AUTH, HELLO, PING, ECHO, QUIT,
 * RESET, SELECT and CLIENT *, against a real Valkey 9.1.2, in RESP2 and RESP3.
 * CLIENT LIST / INFO lines are compared field for field with the memory and
 * buffer fields masked (normalize.ts); addresses and ports differ between the
 * two servers and are masked where they appear.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { RawClient, encodeCommand, type Arg } from '../../conformance/targets/raw-client.js';
import { raw, useDifferential, type Differential } from './harness.js';
import { alignIds, maskClientList, text } from './normalize.js';
import { ALL_GROUPS } from '../../src/engine/commands/index.js';

/** Blocking tests need a blocking command from the list group. */
const BLPOP = ALL_GROUPS.some((g) => 'blpop' in g);

/** A command as raw RESP bytes (for pipelines whose replies are partly suppressed). */
const wire = (...args: Arg[]) => encodeCommand(args).toString('latin1');

/** Connections to both servers, in one protocol. */
async function pair(d: Differential, resp: 2 | 3): Promise<{ o: RawClient; m: RawClient; close(): void }> {
  const [o, m] = await Promise.all([d.connect('oracle', resp), d.connect('mock', resp)]);
  return { o, m, close: () => { o.close(); m.close(); } };
}

/**
 * CLIENT LIST text with addresses, ports and ids masked too (they differ between the servers), and age: whole
 * seconds of wall time since each server accepted its connection, which two servers can see on either side of a
 * second boundary (the virtual-clock unit tests check age exactly).
 */
function maskConn(s: string): string {
  return maskClientList(s, ['fd', 'qbuf', 'qbuf-free', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem', 'addr', 'laddr', 'id', 'tot-net-out', 'age']);
}

describe('connection: PING, ECHO, SELECT, QUIT', () => {
  const d = useDifferential();
  test('PING and ECHO', () =>
    d.check([['PING'], ['PING', 'hi'], ['PING', 'a', 'b'], ['ping', ''], ['ECHO', ''], ['ECHO', 'a\x00b'], ['ECHO', 'a', 'b'], ['ECHO']]));

  test('SELECT: range and integer errors', () =>
    d.check([
      ['SELECT', '1'], ['SET', 'k', 'one'], ['SELECT', '0'], ['GET', 'k'], ['SELECT', '1'], ['GET', 'k'],
      ['SELECT', '15'], ['SELECT', '16'], ['SELECT', '-1'], ['SELECT', 'x'], ['SELECT', '1.5'], ['SELECT', '2147483648'],
      ['SELECT', '99999999999999999999'], ['SELECT', ' 1'], ['SELECT', '+1'], ['SELECT', '01'], ['SELECT'], ['SELECT', '1', '2'],
      ['SELECT', '0'],
    ]));

  test('SELECT inside MULTI is queued and applies at EXEC', () =>
    d.check([['SET', 'k', '0'], ['MULTI'], ['SELECT', '3'], ['SET', 'k', '3'], ['EXEC'], ['GET', 'k'], ['SELECT', '0'], ['GET', 'k']]));

  test('QUIT replies OK and closes', () => d.check([['SET', 'a', '1'], ['QUIT'], ['PING']]));
  test('QUIT with arguments, and inside MULTI', () => d.check([['MULTI'], ['QUIT', 'x']]));
  test('QUIT in a pipeline: later commands are not run', () => d.check([raw(wire('SET', 'q', '1') + wire('QUIT') + wire('SET', 'q', '2'), 0)]));
});

describe('connection: HELLO', () => {
  const d = useDifferential();
  beforeAll(() => alignIds(d));

  test('HELLO versions and options', () =>
    d.check([
      ['HELLO'], ['HELLO', '2'], ['HELLO', '3'], ['HELLO', '2'], ['HELLO', '4'], ['HELLO', '1'], ['HELLO', '0'], ['HELLO', '-1'],
      ['HELLO', 'x'], ['HELLO', '3.0'], ['HELLO', '99999999999999999999'],
      ['HELLO', '3', 'SETNAME', 'myname'], ['CLIENT', 'GETNAME'], ['HELLO', '2', 'SETNAME', 'bad name'], ['CLIENT', 'GETNAME'],
      ['HELLO', '3', 'SETNAME'], ['HELLO', '3', 'AUTH', 'default'], ['HELLO', '3', 'FOO'], ['HELLO', '3', 'setname', 'n\n'],
      ['HELLO', '3', 'AUTH', 'default', 'anything'], ['HELLO', '2', 'AUTH', 'nobody', 'pw'],
      ['HELLO', '3', 'SETNAME', 'a', 'SETNAME', 'b'], ['CLIENT', 'GETNAME'], ['HELLO', '2', 'SETNAME', ''], ['CLIENT', 'GETNAME'],
      ['HELLO', '4', 'SETNAME', 'bad name'], ['HELLO', 'x', 'FOO'],
      ['HELLO', '2'],
    ]));

  test('HELLO 3 switches the protocol of later replies', () =>
    d.check([['HELLO', '3'], ['CONFIG', 'GET', 'maxmemory'], ['HELLO', '2'], ['CONFIG', 'GET', 'maxmemory']]));
});

describe('connection: AUTH without a password', () => {
  const d = useDifferential();
  test('AUTH forms and errors', () =>
    d.check([
      ['AUTH', 'pw'], ['AUTH', 'default', 'pw'], ['AUTH', 'nobody', 'pw'], ['AUTH', 'a', 'b', 'c'], ['AUTH'],
      ['AUTH', 'default', ''], ['PING'],
    ]));
});

describe('connection: requirepass', () => {
  const d = useDifferential({ oracleArgs: ['--requirepass', 's3cr3t'], server: { requirepass: 's3cr3t' } });
  beforeAll(() => alignIds(d, 's3cr3t'));

  // The harness's HELLO 3 fails before AUTH, so each script authenticates itself.
  test('commands need AUTH; AUTH and HELLO AUTH authenticate', () =>
    d.check([
      ['PING'], ['GET', 'k'], ['NOSUCH'], ['CLIENT', 'ID'], ['HELLO'], ['HELLO', '3'], ['HELLO', '3', 'SETNAME', 'x'],
      ['AUTH', 'wrong'], ['AUTH', 'default', 'wrong'], ['AUTH', 'nobody', 's3cr3t'], ['PING'],
      ['HELLO', '3', 'AUTH', 'default', 'wrong'], ['HELLO', '3', 'AUTH', 'default', 's3cr3t', 'SETNAME', 'bad name'], ['PING'],
      ['HELLO', '2', 'AUTH', 'default', 's3cr3t', 'SETNAME', 'named'], ['CLIENT', 'GETNAME'], ['SET', 'k', 'v'], ['GET', 'k'],
      ['AUTH', 'wrong'], ['GET', 'k'], ['QUIT'],
    ], { resp: [2], noFlush: true }));

  test('AUTH with the password; a failed AUTH keeps an authenticated connection authenticated', () =>
    d.check([['AUTH', 's3cr3t'], ['FLUSHALL'], ['SET', 'a', '1'], ['AUTH', 'nope'], ['GET', 'a'], ['AUTH', 'default', 's3cr3t'], ['HELLO', '3'], ['GET', 'a']],
      { resp: [2], noFlush: true }));

  test('RESET makes the connection unauthenticated again', () =>
    d.check([['AUTH', 's3cr3t'], ['SELECT', '2'], ['RESET'], ['PING'], ['AUTH', 's3cr3t'], ['GET', 'a']], { resp: [2], noFlush: true }));

  test('CONFIG SET requirepass changes who must AUTH', () =>
    d.check([
      ['AUTH', 's3cr3t'], ['CONFIG', 'SET', 'requirepass', ''], ['AUTH', 'x'], ['RESET'], ['PING'],
      ['CONFIG', 'SET', 'requirepass', 's3cr3t'], ['PING'], ['RESET'], ['PING'], ['AUTH', 's3cr3t'], ['PING'],
    ], { resp: [2], noFlush: true }));

  test('INFO counts failed authentications (CONFIG RESETSTAT keeps the ACL counters)', async () => {
    if (!d.available) return;
    const count = async (c: RawClient) => Number(/\r\nacl_access_denied_auth:(\d+)\r\n/.exec(text(await c.send(['INFO', 'stats'])))![1]);
    for (const which of ['oracle', 'mock'] as const) {
      const c = await d.connect(which);
      await c.send(['AUTH', 's3cr3t']);
      const before = await count(c);
      await c.send(['AUTH', 'bad']);
      await c.send(['HELLO', '3', 'AUTH', 'default', 'bad']);
      await c.send(['AUTH', 'nobody', 's3cr3t']);
      await c.send(['CONFIG', 'RESETSTAT']);
      expect((await count(c)) - before, which).toBe(3);
      c.close();
    }
  });
});

describe('connection: RESET', () => {
  const d = useDifferential();
  beforeAll(() => alignIds(d));
  test('RESET clears db, protocol, name, MULTI, WATCH, reply mode and flags', () =>
    d.check([
      ['SELECT', '5'], ['SET', 'x', 'five'], ['CLIENT', 'SETNAME', 'n'], ['CLIENT', 'SETINFO', 'LIB-NAME', 'lib'], ['CLIENT', 'NO-EVICT', 'on'],
      ['CLIENT', 'NO-TOUCH', 'on'], ['WATCH', 'x'], ['MULTI'], ['SET', 'x', '1'], ['RESET'], ['GET', 'x'], ['CLIENT', 'GETNAME'],
      ['CONFIG', 'GET', 'hz'], ['EXEC'], ['HELLO', '3'], ['CONFIG', 'GET', 'hz'], ['RESET'], ['CONFIG', 'GET', 'hz'],
      ['RESET', 'extra'], ['SELECT', '5'], ['GET', 'x'],
    ]));

  test('RESET turns replies back on', () =>
    d.check([raw(wire('CLIENT', 'REPLY', 'OFF') + wire('PING') + wire('RESET') + wire('PING'), 2)]));

  test('RESET after CLIENT REPLY SKIP: its own reply is skipped', () =>
    d.check([raw(wire('CLIENT', 'REPLY', 'SKIP') + wire('RESET') + wire('PING', 'after'), 1)]));

  test('CLIENT INFO after RESET keeps lib-name and capa, drops name and flags', async () => {
    if (!d.available) return;
    for (const resp of [2, 3] as const) {
      const p = await pair(d, resp);
      const steps: Arg[][] = [
        ['CLIENT', 'SETNAME', 'nm'], ['CLIENT', 'SETINFO', 'lib-name', 'L'], ['CLIENT', 'SETINFO', 'lib-ver', '1.0'], ['CLIENT', 'CAPA', 'redirect'],
        ['CLIENT', 'NO-EVICT', 'ON'], ['SELECT', '3'], ['WATCH', 'w'], ['RESET'],
      ];
      for (const s of steps) await Promise.all([p.o.send(s), p.m.send(s)]);
      const [a, b] = await Promise.all([p.o.send(['CLIENT', 'INFO']), p.m.send(['CLIENT', 'INFO'])]);
      expect(maskConn(text(b))).toBe(maskConn(text(a)));
      p.close();
    }
  });
});

describe('connection: CLIENT simple subcommands', () => {
  const d = useDifferential();
  beforeAll(() => alignIds(d));

  test('CLIENT ID, SETNAME, GETNAME', () =>
    d.check([
      ['CLIENT', 'ID'], ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', 'alice'], ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME', 'has space'], ['CLIENT', 'SETNAME', 'nl\n'], ['CLIENT', 'SETNAME', 'tab\t'], ['CLIENT', 'SETNAME', 'é'],
      ['CLIENT', 'SETNAME', '~!@#$%^&*()'], ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', ''], ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME'], ['CLIENT', 'SETNAME', 'a', 'b'], ['CLIENT', 'GETNAME', 'x'], ['CLIENT', 'ID', 'x'],
      ['client', 'setname', 'x\x00y'], ['CLIENT'], ['CLIENT', 'NOSUCH'], ['CLIENT', 'NOSUCH', 'a'],
    ]));

  test('CLIENT SETINFO validation', () =>
    d.check([
      ['CLIENT', 'SETINFO', 'LIB-NAME', 'redis-py'], ['CLIENT', 'SETINFO', 'lib-ver', '1.2.3'], ['CLIENT', 'SETINFO', 'Lib-Name', 'a b'],
      ['CLIENT', 'SETINFO', 'LIB-VER', 'x\ny'], ['CLIENT', 'SETINFO', 'foo', 'bar'], ['CLIENT', 'SETINFO', 'LIB-NAME'],
      ['CLIENT', 'SETINFO', 'LIB-NAME', ''], ['CLIENT', 'SETINFO', 'a', 'b', 'c'], ['CLIENT', 'SETINFO', 'x y', 'v'],
    ]));

  test('CLIENT NO-EVICT, NO-TOUCH, CAPA', () =>
    d.check([
      ['CLIENT', 'NO-EVICT', 'on'], ['CLIENT', 'NO-EVICT', 'OFF'], ['CLIENT', 'NO-EVICT', 'maybe'], ['CLIENT', 'NO-EVICT'],
      ['CLIENT', 'NO-TOUCH', 'ON'], ['CLIENT', 'NO-TOUCH', 'off'], ['CLIENT', 'NO-TOUCH', 'yes'], ['CLIENT', 'NO-TOUCH', 'on', 'x'],
      ['CLIENT', 'CAPA', 'redirect'], ['CLIENT', 'CAPA', 'foo', 'bar'], ['CLIENT', 'CAPA'], ['CLIENT', 'CAPA', 'REDIRECT', 'x'],
    ]));

  test('CLIENT HELP', () => d.check([['CLIENT', 'HELP'], ['client', 'help'], ['CLIENT', 'HELP', 'x']]));

  test('CLIENT UNBLOCK errors and no-ops', () =>
    d.check([
      ['CLIENT', 'UNBLOCK', '999999'], ['CLIENT', 'UNBLOCK', 'abc'], ['CLIENT', 'UNBLOCK', '1', 'foo'], ['CLIENT', 'UNBLOCK', 'abc', 'foo'],
      ['CLIENT', 'UNBLOCK', '1', 'TIMEOUT'], ['CLIENT', 'UNBLOCK', '1', 'error'], ['CLIENT', 'UNBLOCK', '-5'], ['CLIENT', 'UNBLOCK'],
      ['CLIENT', 'UNBLOCK', '1', '2', '3'],
    ]));

  test('CLIENT UNBLOCK ends a blocked WAIT (and BLPOP when lists exist) with its timeout reply or an error', async () => {
    if (!d.available) return;
    for (const resp of [2, 3] as const) {
      for (const how of [[], ['TIMEOUT'], ['ERROR']] as Arg[][]) {
        const out: string[] = [];
        for (const which of ['oracle', 'mock'] as const) {
          const a = await d.connect(which, resp);
          const b = await d.connect(which, resp);
          const idNum = (await a.send(['CLIENT', 'ID'])).value as { value: bigint };
          const pending = a.send(BLPOP && resp === 3 ? ['BLPOP', 'nolist', '0'] : ['WAIT', '1', '0']);
          await new Promise((r) => setTimeout(r, 50));
          const list = text(await b.send(['CLIENT', 'LIST', 'FLAGS', 'b']));
          const un = await b.send(['CLIENT', 'UNBLOCK', String(idNum.value), ...how]);
          const again = await b.send(['CLIENT', 'UNBLOCK', String(idNum.value), ...how]);
          const reply = await pending;
          // age and idle count whole seconds of wall time: two servers can straddle a second boundary.
          out.push([maskConn(list).replace(/ age=\d+/, ' age=*').replace(/ idle=\d+/, ''), un.raw, again.raw, reply.raw].join('|'));
          a.close();
          b.close();
        }
        expect(out[1]).toBe(out[0]);
      }
    }
  });
});

describe('connection: CLIENT REPLY', () => {
  const d = useDifferential();
  test('OFF silences until ON', () =>
    d.check([raw(wire('CLIENT', 'REPLY', 'OFF') + wire('SET', 'a', '1') + wire('GET', 'a') + wire('CLIENT', 'REPLY', 'FOO') + wire('CLIENT', 'REPLY', 'ON') + wire('GET', 'a'), 2)]));
  test('SKIP drops the next reply only', () =>
    d.check([raw(wire('CLIENT', 'REPLY', 'SKIP') + wire('INCR', 'n') + wire('INCR', 'n') + wire('GET', 'n'), 2)]));
  test('SKIP then an error: the error is dropped too', () =>
    d.check([raw(wire('CLIENT', 'REPLY', 'SKIP') + wire('NOSUCHCMD') + wire('PING', 'x'), 1)]));
  test('SKIP then SKIP, SKIP then ON, SKIP then OFF', () =>
    d.check([
      raw(wire('CLIENT', 'REPLY', 'SKIP') + wire('CLIENT', 'REPLY', 'SKIP') + wire('PING', '1') + wire('PING', '2'), 1),
      raw(wire('CLIENT', 'REPLY', 'SKIP') + wire('CLIENT', 'REPLY', 'ON') + wire('PING', '3'), 2),
      raw(wire('CLIENT', 'REPLY', 'SKIP') + wire('CLIENT', 'REPLY', 'OFF') + wire('PING', '4') + wire('CLIENT', 'REPLY', 'ON') + wire('PING', '5'), 2),
      raw(wire('CLIENT', 'REPLY', 'OFF') + wire('CLIENT', 'REPLY', 'SKIP') + wire('PING', '6') + wire('CLIENT', 'REPLY', 'ON') + wire('PING', '7'), 2),
    ]));
  test('bad arguments and MULTI', () =>
    d.check([['CLIENT', 'REPLY', 'maybe'], ['CLIENT', 'REPLY'], ['MULTI'], ['CLIENT', 'REPLY', 'OFF'], ['EXEC']]));
});

describe('connection: CLIENT LIST, INFO, KILL', () => {
  const d = useDifferential();
  beforeAll(() => alignIds(d));

  test('CLIENT LIST / INFO lines match field for field', async () => {
    if (!d.available) return;
    for (const resp of [2, 3] as const) {
      const p = await pair(d, resp);
      const steps: Arg[][] = [
        ['SET', 'k', 'v'], ['CLIENT', 'SETNAME', 'lister'], ['SELECT', '2'], ['CLIENT', 'SETINFO', 'LIB-NAME', 'mylib'],
        ['CLIENT', 'NO-TOUCH', 'on'], ['CLIENT', 'CAPA', 'redirect'], ['WATCH', 'a', 'b'], ['MULTI'], ['GET', 'a'],
      ];
      for (const s of steps) await Promise.all([p.o.send(s), p.m.send(s)]);
      for (const q of [['CLIENT', 'INFO'], ['CLIENT', 'LIST', 'NAME', 'lister'], ['CLIENT', 'LIST', 'ID', '1', '2']] as Arg[][]) {
        const [a, b] = await Promise.all([p.o.send(q), p.m.send(q)]);
        expect(b.raw.slice(0, 1), JSON.stringify(q)).toBe(a.raw.slice(0, 1));
        expect(maskConn(text(b)), JSON.stringify(q)).toBe(maskConn(text(a)));
      }
      const [ea, eb] = await Promise.all([p.o.send(['EXEC']), p.m.send(['EXEC'])]);
      const items = (r: typeof ea) => (r.value as { value: { value?: string }[] }).value.map((x) => maskConn(String(x.value ?? 'null')));
      expect(items(eb)).toEqual(items(ea));
      for (const q of [['CLIENT', 'INFO'], ['CLIENT', 'LIST', 'SKIPME', 'no', 'NAME', 'lister']] as Arg[][]) {
        const [a, b] = await Promise.all([p.o.send(q), p.m.send(q)]);
        expect(maskConn(text(b)), JSON.stringify(q)).toBe(maskConn(text(a)));
        expect(b.value.type).toBe(a.value.type);
      }
      p.close();
    }
  });

  test('CLIENT LIST filters and their errors', async () => {
    if (!d.available) return;
    const filters: Arg[][] = [
      ['TYPE', 'normal'], ['TYPE', 'pubsub'], ['TYPE', 'replica'], ['TYPE', 'slave'], ['TYPE', 'master'], ['TYPE', 'primary'], ['TYPE', 'bogus'],
      ['NOT-TYPE', 'normal'], ['NOT-TYPE', 'x'], ['ID', '0'], ['ID', '-3'], ['ID', 'abc'], ['ID', '99999', 'abc'], ['NOT-ID', '0'],
      ['ID', '99999', '99998'], ['NOT-ID', '99999'], ['ID', 'TYPE', 'normal'],
      ['USER', 'default', 'NAME', 'nobody'], ['USER', 'default'], ['USER', 'nouser'], ['NOT-USER', 'default'], ['NOT-USER', 'zz'],
      ['SKIPME', 'yes'], ['SKIPME', 'no'], ['SKIPME', 'maybe'], ['MAXAGE', '0'], ['MAXAGE', 'x'], ['MAXAGE', '100000'], ['IDLE', '0'], ['IDLE', '-1'],
      ['IDLE', 'x'], ['IDLE', '100000'], ['FLAGS', 'Z'], ['FLAGS', 'xb'], ['FLAGS', 'P'], ['FLAGS', 'N'], ['NOT-FLAGS', 'N'], ['NOT-FLAGS', 'q'],
      ['NAME', 'nope'], ['NAME', 'me'], ['NOT-NAME', 'me'], ['LIB-NAME', 'other'], ['LIB-NAME', 'lib'], ['NOT-LIB-NAME', 'lib'], ['LIB-VER', '8'],
      ['NOT-LIB-VER', '7'], ['DB', '0'], ['DB', '1'], ['DB', '16'], ['DB', '-1'], ['DB', 'x'], ['DB', '99999999999'], ['NOT-DB', '0'],
      ['NOT-DB', '16'], ['NOT-DB', 'y'], ['CAPA', 'r'], ['CAPA', 'x'], ['NOT-CAPA', 'r'], ['NOT-CAPA', 'rx'], ['IP', '10.0.0.1'],
      ['IP', '127.0.0.1'], ['IP', '127.0.0'], ['NOT-IP', '127.0.0.1'], ['ADDR', '1.2.3.4:5'], ['LADDR', '1.2.3.4:5'], ['BOGUS', 'x'], ['TYPE'],
      ['NAME', 'me', 'TYPE'], ['x'], ['NAME', 'me', 'NAME', 'you'],
    ];
    for (const resp of [2, 3] as const) {
      const p = await pair(d, resp);
      for (const s of [['CLIENT', 'SETNAME', 'me'], ['CLIENT', 'SETINFO', 'LIB-NAME', 'lib'], ['CLIENT', 'SETINFO', 'LIB-VER', '7']] as Arg[][]) {
        await Promise.all([p.o.send(s), p.m.send(s)]);
      }
      for (const f of filters) {
        const q: Arg[] = ['CLIENT', 'LIST', ...f];
        const [a, b] = await Promise.all([p.o.send(q), p.m.send(q)]);
        expect(b.value.type, JSON.stringify(q)).toBe(a.value.type);
        expect(maskConn(text(b)), `RESP${resp} ${JSON.stringify(q)}`).toBe(maskConn(text(a)));
      }
      p.close();
    }
  });

  test('CLIENT KILL: old and new forms, counts and errors', () =>
    d.check([
      ['CLIENT', 'KILL', '1.2.3.4:5'], ['CLIENT', 'KILL'], ['CLIENT', 'KILL', 'ID'], ['CLIENT', 'KILL', 'ID', '0'], ['CLIENT', 'KILL', 'ID', '999999'],
      ['CLIENT', 'KILL', 'TYPE', 'master'], ['CLIENT', 'KILL', 'TYPE', 'x'], ['CLIENT', 'KILL', 'SKIPME', 'no', 'NAME', 'nobody'],
      ['CLIENT', 'KILL', 'USER', 'nobody'], ['CLIENT', 'KILL', 'MAXAGE', '99999'], ['CLIENT', 'KILL', 'DB', '15', 'SKIPME', 'yes'],
      ['CLIENT', 'KILL', 'FLAGS', '?'], ['CLIENT', 'KILL', 'NAME'], ['CLIENT', 'KILL', 'IDLE', '0'],
      ['CLIENT', 'SETNAME', 'victim'], ['CLIENT', 'KILL', 'NAME', 'victim'], ['CLIENT', 'KILL', 'NAME', 'victim', 'SKIPME', 'no'], ['PING'],
    ]));

  test('CLIENT KILL of another connection, by id, name, addr and laddr', async () => {
    if (!d.available) return;
    const outcome: string[][] = [[], []];
    for (const [i, which] of (['oracle', 'mock'] as const).entries()) {
      for (const by of ['ID', 'NAME', 'ADDR', 'OLD', 'LADDR', 'MAXAGE'] as const) {
        const victim = await d.connect(which);
        const killer = await d.connect(which);
        await victim.send(['CLIENT', 'SETNAME', 'v' + by]);
        const info = text(await victim.send(['CLIENT', 'INFO']));
        const id = /id=(\d+)/.exec(info)![1]!;
        const addr = / addr=(\S+)/.exec(info)![1]!;
        const laddr = / laddr=(\S+)/.exec(info)![1]!;
        const args: Arg[] = by === 'ID' ? ['ID', id] : by === 'NAME' ? ['NAME', 'v' + by] : by === 'ADDR' ? ['ADDR', addr]
          : by === 'OLD' ? [addr] : by === 'LADDR' ? ['LADDR', laddr, 'ID', id] : ['MAXAGE', '1000', 'ID', id];
        const r = await killer.send(['CLIENT', 'KILL', ...args]);
        let closed = false;
        try {
          await victim.send(['PING']);
        } catch {
          closed = true;
        }
        const again = await killer.send(['CLIENT', 'KILL', ...args]);
        outcome[i]!.push(`${by}: ${r.raw.trim()} closed=${closed} again=${again.raw.trim()}`);
        victim.close();
        killer.close();
      }
    }
    expect(outcome[1]).toEqual(outcome[0]);
  });

  test('CLIENT KILL of itself closes after the reply', () =>
    d.check([['CLIENT', 'KILL', 'SKIPME', 'no', 'NAME', 'self'], ['CLIENT', 'SETNAME', 'self'], ['CLIENT', 'KILL', 'NAME', 'self', 'SKIPME', 'no'], ['PING']]));
});

describe('connection: CLIENT LIST across clients', () => {
  const d = useDifferential();
  beforeAll(() => alignIds(d));
  test('a listing of several clients in several states', async () => {
    if (!d.available) return;
    const lists: string[] = [];
    for (const which of ['oracle', 'mock'] as const) {
      const a = await d.connect(which, 3);
      const b = await d.connect(which, 2);
      await a.send(['CLIENT', 'SETNAME', 'first']);
      await b.send(['CLIENT', 'SETNAME', 'second']);
      await b.send(['SELECT', '4']);
      await b.send(['MULTI']);
      await b.send(['SET', 'x', 'y']);
      const r = await a.send(['CLIENT', 'LIST', 'NAME', 'second']);
      const r2 = await a.send(['CLIENT', 'LIST', 'FLAGS', 'x', 'NOT-NAME', 'first']);
      const r3 = await a.send(['CLIENT', 'LIST', 'DB', '4', 'NOT-FLAGS', 'N']);
      lists.push([text(r), text(r2), text(r3)].map(maskConn).join('\n---\n'));
      a.close();
      b.close();
    }
    expect(lists[1]).toBe(lists[0]);
  });
});

/** Subscribed-context tests need the pubsub group. */
const SUBSCRIBE = ALL_GROUPS.some((g) => 'subscribe' in g);

describe('connection: a subscribed client', () => {
  const d = useDifferential();
  beforeAll(() => alignIds(d));
  test.skipIf(!SUBSCRIBE)('PING answers [pong, arg] in RESP2 subscribe mode; CLIENT LIST shows type pubsub and flag P', async () => {
    if (!d.available) return;
    const out: string[][] = [[], []];
    for (const [i, which] of (['oracle', 'mock'] as const).entries()) {
      for (const resp of [2, 3] as const) {
        const sub = await d.connect(which, resp);
        const other = await d.connect(which, resp);
        await sub.send(['CLIENT', 'SETNAME', 'sub' + resp]);
        await sub.send(['SUBSCRIBE', 'ch1']); // one channel: one confirmation to read
        out[i]!.push((await sub.send(['PING'])).raw, (await sub.send(['PING', 'x'])).raw);
        out[i]!.push(maskConn(text(await other.send(['CLIENT', 'LIST', 'TYPE', 'pubsub']))));
        out[i]!.push(maskConn(text(await other.send(['CLIENT', 'LIST', 'FLAGS', 'P', 'NAME', 'sub' + resp]))));
        out[i]!.push((await sub.send(['RESET'])).raw, (await sub.send(['PING'])).raw);
        out[i]!.push(maskConn(text(await other.send(['CLIENT', 'LIST', 'TYPE', 'pubsub']))));
        sub.close();
        other.close();
      }
    }
    expect(out[1]).toEqual(out[0]);
  });
});

describe('timeout: idle clients', () => {
  const d = useDifferential();
  test('a connection idle for more than `timeout` seconds is closed; a subscribed-free, active one is not', async () => {
    if (!d.available) return;
    const run = async (which: 'oracle' | 'mock') => {
      const admin = await d.connect(which);
      await admin.send(['CONFIG', 'SET', 'timeout', '1']);
      const idle = await d.connect(which);
      const active = await d.connect(which);
      const pinger = setInterval(() => { active.send(['PING']).catch(() => {}); }, 300);
      await new Promise((r) => setTimeout(r, 3500));
      clearInterval(pinger);
      const result = [idle.isClosed, active.isClosed];
      await active.send(['CONFIG', 'SET', 'timeout', '0']);
      for (const c of [admin, idle, active]) c.close();
      return result;
    };
    const [o, m] = await Promise.all([run('oracle'), run('mock')]);
    expect(m).toEqual(o);
    expect(o).toEqual([true, false]);
  }, 10_000);
});

describe('maxclients', () => {
  const d = useDifferential();
  test('a connection beyond maxclients gets the error and is closed; rejected_connections counts it', async () => {
    if (!d.available) return;
    const run = async (which: 'oracle' | 'mock') => {
      const admin = await d.connect(which);
      await admin.send(['CONFIG', 'RESETSTAT']);
      const clients = Number(/connected_clients:(\d+)/.exec(text(await admin.send(['INFO', 'clients'])))![1]);
      await admin.send(['CONFIG', 'SET', 'maxclients', String(clients)]);
      const extra = await RawClient.connect(which === 'oracle' ? d.oraclePort : d.mockPort);
      const { replies, closed } = await extra.sendUntilClose(wire('PING'));
      await admin.send(['CONFIG', 'SET', 'maxclients', '10000']);
      const rejected = /rejected_connections:(\d+)/.exec(text(await admin.send(['INFO', 'stats'])))![1];
      admin.close();
      return [replies.map((r) => r.raw), closed, rejected];
    };
    const o = await run('oracle');
    expect(await run('mock')).toEqual(o);
    expect(o[1]).toBe(true);
  });
});
