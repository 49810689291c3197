import { describe, expect, test } from 'vitest';
import { encode, R, type Reply } from '../../protocol/index.js';
import { VirtualClock } from '../../time/index.js';
import { BLOCKED } from '../command.js';
import type { Client } from '../client.js';
import { Engine, type EngineOptions } from '../engine.js';

const T0 = 1_700_000_000_000;

function setup(opts: Partial<EngineOptions> = {}) {
  const clock = new VirtualClock({ start: T0 });
  const engine = new Engine({ clock, ...opts });
  const closed: number[] = [];
  const delivered: [number, Reply][] = [];
  let port = 50000;
  const connect = (): Client => {
    const p = port++;
    const c: Client = engine.connect({ addr: `127.0.0.1:${p}`, laddr: '127.0.0.1:6379', fd: p - 49990 }, {
      deliver: (r) => delivered.push([c.id, r]),
      close: () => {
        closed.push(c.id);
        engine.disconnect(c);
      },
    });
    return c;
  };
  const wire = (c: Client, ...argv: string[]) => {
    const r = engine.execute(c, argv);
    if (r === undefined || r === BLOCKED) return r;
    return encode(r, c.resp);
  };
  /** The text of a bulk/verbatim reply. */
  const str = (c: Client, ...argv: string[]) => {
    const r = engine.execute(c, argv);
    if (r === undefined || r === BLOCKED) throw new Error('no reply');
    if (r.t !== 'bulk' && r.t !== 'verbatim') throw new Error(encode(r, 2));
    return r.v;
  };
  return { engine, clock, connect, wire, str, closed, delivered };
}

describe('PING, ECHO, SELECT, QUIT', () => {
  test('PING forms, including the RESP2 subscribed form', () => {
    const { connect, wire } = setup();
    const a = connect();
    expect(wire(a, 'PING')).toBe('+PONG\r\n');
    expect(wire(a, 'PING', 'x')).toBe('$1\r\nx\r\n');
    expect(wire(a, 'PING', 'x', 'y')).toBe("-ERR wrong number of arguments for 'ping' command\r\n");
    a.channels.add('ch');
    expect(wire(a, 'PING')).toBe('*2\r\n$4\r\npong\r\n$0\r\n\r\n');
    expect(wire(a, 'PING', 'hi')).toBe('*2\r\n$4\r\npong\r\n$2\r\nhi\r\n');
    a.resp = 3;
    expect(wire(a, 'PING')).toBe('+PONG\r\n');
  });

  test('SELECT errors and effect', () => {
    const { connect, wire } = setup({ databases: 4 });
    const a = connect();
    expect(wire(a, 'SELECT', '3')).toBe('+OK\r\n');
    expect(a.db).toBe(3);
    expect(wire(a, 'SELECT', '4')).toBe('-ERR DB index is out of range\r\n');
    expect(wire(a, 'SELECT', 'x')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(wire(a, 'SELECT', '-2147483649')).toBe('-ERR value is out of range, value must between -2147483648 and 2147483647\r\n');
    expect(a.db).toBe(3);
  });

  test('QUIT marks the client to close after the reply', () => {
    const { connect, wire } = setup();
    const a = connect();
    expect(wire(a, 'QUIT')).toBe('+OK\r\n');
    expect(a.closing).toBe(true);
  });
});

describe('AUTH and HELLO', () => {
  test('without requirepass', () => {
    const { connect, wire } = setup();
    const a = connect();
    expect(wire(a, 'AUTH', 'x')).toBe('-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n');
    expect(wire(a, 'AUTH', 'default', 'whatever')).toBe('+OK\r\n');
    expect(wire(a, 'AUTH', 'bob', 'whatever')).toBe('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
  });

  test('with requirepass: gate, AUTH, HELLO AUTH, failures keep state', () => {
    const { connect, wire, engine } = setup({ requirepass: 'pw' });
    const a = connect();
    expect(wire(a, 'GET', 'k')).toBe('-NOAUTH Authentication required.\r\n');
    expect(wire(a, 'HELLO', '3')).toMatch(/^-NOAUTH HELLO must be called with the client already authenticated/);
    expect(a.resp).toBe(2);
    expect(wire(a, 'HELLO', '3', 'AUTH', 'default', 'bad')).toBe('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    expect(a.resp).toBe(2);
    const hello = wire(a, 'HELLO', '3', 'AUTH', 'default', 'pw', 'SETNAME', 'me') as string;
    expect(hello.startsWith('%7\r\n$6\r\nserver\r\n$6\r\nvalkey\r\n$7\r\nversion\r\n$5\r\n9.1.2\r\n$5\r\nproto\r\n:3\r\n')).toBe(true);
    expect(a.authenticated).toBe(true);
    expect(a.name).toBe('me');
    expect(wire(a, 'AUTH', 'bad')).toBe('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    expect(a.authenticated).toBe(true);
    expect(wire(a, 'GET', 'k')).toBe('_\r\n');
    // A new password does not log anyone out; RESET does.
    expect(wire(a, 'CONFIG', 'SET', 'requirepass', 'other')).toBe('+OK\r\n');
    expect(wire(a, 'PING')).toBe('+PONG\r\n');
    expect(wire(a, 'RESET')).toBe('+RESET\r\n');
    expect(wire(a, 'PING')).toBe('-NOAUTH Authentication required.\r\n');
    expect(engine.config.get('requirepass')).toBe('other');
  });

  test('HELLO validates everything before changing anything', () => {
    const { connect, wire } = setup();
    const a = connect();
    expect(wire(a, 'HELLO', '3', 'SETNAME', 'ok', 'BOGUS')).toBe("-ERR Syntax error in HELLO option 'BOGUS'\r\n");
    expect([a.resp, a.name]).toEqual([2, '']);
    expect(wire(a, 'HELLO', '4')).toBe('-NOPROTO unsupported protocol version\r\n');
    expect(wire(a, 'HELLO', 'three')).toBe('-ERR Protocol version is not an integer or out of range\r\n');
    expect(wire(a, 'HELLO', '2', 'SETNAME', 'a b')).toBe('-ERR Client names cannot contain spaces, newlines or special characters.\r\n');
  });
});

describe('RESET', () => {
  test('clears the connection state but keeps lib-name and capa', () => {
    const { connect, wire } = setup();
    const a = connect();
    wire(a, 'SELECT', '2');
    wire(a, 'HELLO', '3', 'SETNAME', 'n');
    wire(a, 'CLIENT', 'SETINFO', 'LIB-NAME', 'lib');
    wire(a, 'CLIENT', 'CAPA', 'redirect');
    wire(a, 'CLIENT', 'NO-EVICT', 'on');
    wire(a, 'CLIENT', 'NO-TOUCH', 'on');
    wire(a, 'WATCH', 'k');
    wire(a, 'MULTI');
    a.patterns.add('p*');
    expect(wire(a, 'RESET')).toBe('+RESET\r\n');
    expect([a.db, a.resp, a.name, a.libName, a.noEvict, a.noTouch, a.multi, a.watched.length, a.patterns.size])
      .toEqual([0, 2, '', 'lib', false, false, null, 0, 0]);
    expect(a.capa.has('redirect')).toBe(true);
  });
});

describe('CLIENT REPLY', () => {
  test('OFF, SKIP and ON drive which replies are sent', () => {
    const { connect, engine } = setup();
    const a = connect();
    const run = (...argv: string[]) => engine.execute(a, argv);
    expect(run('CLIENT', 'REPLY', 'OFF')).toBeUndefined();
    expect(run('PING')).toBeUndefined();
    expect(run('CLIENT', 'REPLY', 'SKIP')).toBeUndefined();
    expect(run('CLIENT', 'REPLY', 'ON')).toEqual(R.ok);
    expect(run('CLIENT', 'REPLY', 'SKIP')).toBeUndefined();
    expect(run('PING')).toBeUndefined();
    expect(run('PING')).toEqual(R.pong);
    expect(run('CLIENT', 'REPLY', 'SKIP')).toBeUndefined();
    expect(run('CLIENT', 'REPLY', 'ON')).toEqual(R.ok); // ON clears a pending skip before replying
    expect(encode(run('CLIENT', 'REPLY', 'X') as Reply, 2)).toBe('-ERR syntax error\r\n');
  });
});

describe('CLIENT LIST / INFO / KILL', () => {
  test('the line format, with age and idle from the engine clock', () => {
    const { connect, str, clock, wire } = setup();
    const a = connect();
    const b = connect();
    clock.advance(5_000);
    wire(b, 'CLIENT', 'SETNAME', 'bee');
    clock.advance(3_000);
    const info = str(a, 'CLIENT', 'INFO');
    expect(info).toBe(
      `id=${a.id} addr=127.0.0.1:50000 laddr=127.0.0.1:6379 fd=10 name= age=8 idle=0 flags=N capa= db=0 sub=0 psub=0 ssub=0 multi=-1 ` +
      'watch=0 qbuf=0 qbuf-free=0 argv-mem=10 multi-mem=0 rbs=16384 rbp=16384 obl=0 oll=0 omem=0 tot-mem=17044 events=r cmd=client|info ' +
      'user=default redir=-1 resp=2 lib-name= lib-ver= tot-net-in=0 tot-net-out=0 tot-cmds=0\n',
    );
    const list = str(a, 'CLIENT', 'LIST').split('\n');
    expect(list.length).toBe(3);
    expect(list[1]).toMatch(/^id=\d+ addr=127\.0\.0\.1:50001 .* name=bee age=8 idle=3 flags=N .* cmd=client\|setname .* tot-cmds=1$/);
  });

  test('MAXAGE and IDLE filters follow the clock', () => {
    const { connect, str, clock, wire } = setup();
    const a = connect();
    clock.advance(10_000);
    const b = connect();
    clock.advance(2_000);
    const ids = (s: string) => [...s.matchAll(/^id=(\d+)/gm)].map((m) => Number(m[1]));
    expect(ids(str(a, 'CLIENT', 'LIST', 'MAXAGE', '11'))).toEqual([a.id]);
    expect(ids(str(a, 'CLIENT', 'LIST', 'IDLE', '2'))).toEqual([b.id]);
    expect(ids(str(a, 'CLIENT', 'LIST', 'IDLE', '3'))).toEqual([]);
    expect(wire(a, 'CLIENT', 'LIST', 'MAXAGE', '0')).toBe('-ERR maxage should be greater than 0\r\n');
  });

  test('flags reflect the client state', () => {
    const { connect, str, wire } = setup();
    const a = connect();
    const b = connect();
    wire(b, 'WATCH', 'k');
    wire(b, 'MULTI');
    wire(a, 'SET', 'k', '1');
    b.channels.add('c');
    b.noEvict = true;
    expect(str(a, 'CLIENT', 'LIST', 'ID', String(b.id))).toMatch(/ flags=Pxde .* sub=1 psub=0 ssub=0 multi=0 watch=0 /);
    expect(str(a, 'CLIENT', 'LIST', 'TYPE', 'pubsub')).toMatch(new RegExp(`^id=${b.id} `));
    expect(str(a, 'CLIENT', 'LIST', 'FLAGS', 'N')).toMatch(new RegExp(`^id=${a.id} `));
  });

  test('KILL closes others at once and itself after the reply', () => {
    const { connect, wire, closed, engine } = setup();
    const a = connect();
    const b = connect();
    const c = connect();
    wire(b, 'CLIENT', 'SETNAME', 'x');
    wire(c, 'CLIENT', 'SETNAME', 'x');
    expect(wire(a, 'CLIENT', 'KILL', 'NAME', 'x')).toBe(':2\r\n');
    expect(closed).toEqual([b.id, c.id]);
    expect([...engine.clients.keys()]).toEqual([a.id]);
    expect(wire(a, 'CLIENT', 'KILL', '127.0.0.1:50000')).toBe('+OK\r\n');
    expect(a.closing).toBe(true);
    expect(wire(a, 'CLIENT', 'KILL', '127.0.0.1:9')).toBe('-ERR No such client\r\n');
  });

  test('filter errors', () => {
    const { connect, wire } = setup();
    const a = connect();
    expect(wire(a, 'CLIENT', 'LIST', 'DB', '16')).toBe('-ERR DB number should be between 0 and 15\r\n');
    expect(wire(a, 'CLIENT', 'LIST', 'NOT-DB', 'x')).toBe('-ERR NOT-DB is not an integer or out of range\r\n');
    expect(wire(a, 'CLIENT', 'LIST', 'FLAGS', 'xz')).toBe('-ERR Unknown flags found in the provided filter: xz\r\n');
    expect(wire(a, 'CLIENT', 'LIST', 'USER', 'bob')).toBe("-ERR No such user 'bob'\r\n");
    expect(wire(a, 'CLIENT', 'LIST', 'TYPE', 'x')).toBe("-ERR Unknown client type 'x'\r\n");
    expect(wire(a, 'CLIENT', 'LIST', 'ID', '0')).toBe('-ERR client-id should be greater than 0\r\n');
    expect(wire(a, 'CLIENT', 'LIST', 'CAPA', 'q')).toBe('-ERR Unknown capa found in the provided filter: q\r\n');
  });
});

describe('CLIENT UNBLOCK', () => {
  test('ends a wait with its timeout reply, or with UNBLOCKED', () => {
    const { connect, wire, engine, delivered } = setup();
    const a = connect();
    const b = connect();
    const park = () => engine.block(a, { deadline: 0, cmd: 'blpop', onTimeout: () => R.nullArray });
    park();
    expect(wire(b, 'CLIENT', 'UNBLOCK', String(a.id))).toBe(':1\r\n');
    expect(delivered.pop()).toEqual([a.id, R.nullArray]);
    expect(wire(b, 'CLIENT', 'UNBLOCK', String(a.id))).toBe(':0\r\n');
    park();
    expect(wire(b, 'CLIENT', 'UNBLOCK', String(a.id), 'ERROR')).toBe(':1\r\n');
    expect(delivered.pop()).toEqual([a.id, R.error('UNBLOCKED client unblocked via CLIENT UNBLOCK')]);
    expect(wire(b, 'CLIENT', 'UNBLOCK', String(a.id), 'NOW')).toBe('-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n');
  });
});

describe('CLIENT SETNAME / SETINFO / GETNAME', () => {
  test('a NUL ends the validated part, as in C', () => {
    const { connect, wire, str } = setup();
    const a = connect();
    expect(wire(a, 'CLIENT', 'SETNAME', 'ab\0 c')).toBe('+OK\r\n');
    expect(wire(a, 'CLIENT', 'GETNAME')).toBe('$5\r\nab\0 c\r\n');
    expect(str(a, 'CLIENT', 'INFO')).toMatch(/ name=ab age=/);
    expect(wire(a, 'CLIENT', 'SETINFO', 'lib-Ver', 'a b')).toBe('-ERR lib-Ver cannot contain spaces, newlines or special characters.\r\n');
    expect(wire(a, 'CLIENT', 'SETINFO', 'lib-ver', '')).toBe('+OK\r\n');
  });
});
