import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encode, type Reply } from '../../protocol/index.js';
import { KeyFlag } from '../../meta/index.js';
import { VirtualClock } from '../../time/index.js';
import { BLOCKED } from '../command.js';
import type { Client } from '../client.js';
import { Engine, type EngineOptions } from '../engine.js';
import type { EngineFiles } from '../files.js';
import { lookupCommand } from '../registry.js';
import { aclCheckCmd, hashPassword, User } from './index.js';

const T0 = 1_800_000_000_000;

function setup(opts: Partial<EngineOptions> = {}) {
  const clock = new VirtualClock({ start: T0 });
  const engine = new Engine({ clock, ...opts });
  const closed: number[] = [];
  let port = 40000;
  const connect = (): Client => {
    const p = port++;
    const c: Client = engine.connect({ addr: `127.0.0.1:${p}`, laddr: '127.0.0.1:6379', fd: p - 39990 }, {
      deliver: () => undefined,
      close: () => {
        closed.push(c.id);
        engine.disconnect(c);
      },
    });
    return c;
  };
  const run = (c: Client, ...argv: string[]): Reply => {
    const r = engine.execute(c, argv);
    if (r === undefined || r === BLOCKED) throw new Error('no reply');
    return r;
  };
  const wire = (c: Client, ...argv: string[]) => encode(run(c, ...argv), c.resp);
  return { engine, clock, connect, run, wire, closed };
}

describe('the permission-check API', () => {
  test('aclCheckCmd: null when allowed, the NOPERM reply otherwise, logged with the context given', () => {
    const { engine, connect, wire } = setup();
    const admin = connect();
    expect(wire(admin, 'ACL', 'SETUSER', 'u', 'on', 'nopass', '+get', '%R~r*')).toBe('+OK\r\n');
    const c = connect();
    expect(wire(c, 'AUTH', 'u', 'x')).toBe('+OK\r\n');
    const get = lookupCommand(engine.commands, ['get'])!;
    const set = lookupCommand(engine.commands, ['set'])!;
    expect(aclCheckCmd(engine, c, get, ['get', 'r1'], 'lua')).toBeNull();
    expect(aclCheckCmd(engine, c, get, ['get', 'w1'], 'lua')).toEqual({ t: 'error', v: 'NOPERM No permissions to access a key' });
    expect(aclCheckCmd(engine, c, set, ['set', 'r1', 'v'], 'lua')?.v).toBe("NOPERM User u has no permissions to run the 'set' command");
    const log = engine.acl.log;
    expect(log.map((e) => [e.reason, e.context, e.object, e.username])).toEqual([
      ['command', 'lua', 'set', 'u'],
      ['key', 'lua', 'w1', 'u'],
    ]);
  });

  test('checkKey follows the read/write flags of a key spec; checkChannel matches patterns', () => {
    const { engine, connect, wire } = setup();
    const a = connect();
    wire(a, 'ACL', 'SETUSER', 'u', '%R~r*', '%W~w*', '&news.*', '&lit*');
    const u = engine.acl.getUser('u')!;
    expect(engine.acl.checkKey(u, 'r1', KeyFlag.RO | KeyFlag.ACCESS)).toBe(true);
    expect(engine.acl.checkKey(u, 'r1', KeyFlag.RW | KeyFlag.UPDATE)).toBe(false);
    expect(engine.acl.checkKey(u, 'w1', KeyFlag.OW | KeyFlag.UPDATE)).toBe(true);
    expect(engine.acl.checkKey(u, 'w1', KeyFlag.RW | KeyFlag.ACCESS | KeyFlag.UPDATE)).toBe(false);
    // A key spec without access flags (EXISTS, TYPE...) needs no permission beyond the pattern.
    expect(engine.acl.checkKey(u, 'w1', KeyFlag.RO)).toBe(true);
    expect(engine.acl.checkChannel(u, 'news.today', false)).toBe(true);
    expect(engine.acl.checkChannel(u, 'sports', false)).toBe(false);
    expect(engine.acl.checkChannel(u, 'news.*', true)).toBe(true);
    expect(engine.acl.checkChannel(u, 'news.x*', true)).toBe(false);
  });
});

describe('ACL LOG on the injected clock', () => {
  test('timestamps, age and grouping within 60 seconds come from the engine clock', () => {
    const { engine, clock, connect, run } = setup();
    const a = connect();
    run(a, 'AUTH', 'nobody', 'x');
    clock.advance(1500);
    run(a, 'AUTH', 'nobody', 'y');
    expect(engine.acl.log).toHaveLength(1);
    expect(engine.acl.log[0]).toMatchObject({ count: 2, timestampCreated: T0, ctime: T0 + 1500, entryId: 0, object: 'AUTH' });
    clock.advance(2500);
    const r = run(a, 'ACL', 'LOG');
    expect(encode(r, 3)).toContain('$11\r\nage-seconds\r\n,2.5\r\n');
    clock.advance(60_001);
    run(a, 'AUTH', 'nobody', 'z');
    expect(engine.acl.log.map((e) => [e.entryId, e.count])).toEqual([[1, 1], [0, 2]]);
  });
});

describe('GENPASS', () => {
  test('draws from the seeded rng: two engines with one seed give the same passwords', () => {
    const one = setup({ seed: 7 });
    const two = setup({ seed: 7 });
    const a = one.connect();
    const b = two.connect();
    expect(one.wire(a, 'ACL', 'GENPASS')).toBe(two.wire(b, 'ACL', 'GENPASS'));
    expect(one.wire(a, 'ACL', 'GENPASS', '9')).toMatch(/^\$3\r\n[0-9a-f]{3}\r\n$/);
  });
});

describe('users and connections', () => {
  test('DELUSER closes the user\'s other connections; CONFIG SET requirepass is the default password', () => {
    const { connect, wire, closed } = setup();
    const admin = connect();
    wire(admin, 'ACL', 'SETUSER', 'bob', 'on', '>pw', '+@all', '~*');
    const b = connect();
    expect(wire(b, 'AUTH', 'bob', 'pw')).toBe('+OK\r\n');
    expect(wire(admin, 'ACL', 'DELUSER', 'bob')).toBe(':1\r\n');
    expect(closed).toEqual([b.id]);
    expect(wire(admin, 'CONFIG', 'SET', 'requirepass', 'sec')).toBe('+OK\r\n');
    expect(wire(admin, 'ACL', 'GETUSER', 'default')).toContain(hashPassword('sec'));
    const c = connect();
    expect(wire(c, 'PING')).toBe('-NOAUTH Authentication required.\r\n');
    expect(wire(c, 'AUTH', 'sec')).toBe('+OK\r\n');
  });

  test('SETUSER that revokes a channel closes the subscribers that use it', () => {
    const { connect, wire, closed } = setup();
    const admin = connect();
    wire(admin, 'ACL', 'SETUSER', 'ps', 'on', 'nopass', '+@all', '&a*', '&b');
    const s = connect();
    wire(s, 'AUTH', 'ps', 'x');
    s.channels.add('apple');
    const p = connect();
    wire(p, 'AUTH', 'ps', 'x');
    p.patterns.add('b');
    wire(admin, 'ACL', 'SETUSER', 'ps', '&c');
    expect(closed).toEqual([]);
    wire(admin, 'ACL', 'SETUSER', 'ps', 'resetchannels', '&a*');
    expect(closed).toEqual([p.id]);
  });

  test('an ACL file is read and written through the injected file access', () => {
    const files = new Map<string, string>([['/acl/users.acl', 'user alice on >pw ~* +@all\n']]);
    const fs: EngineFiles = {
      read: (path) => {
        const v = files.get(path);
        if (v === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
        return v;
      },
      write: (path, data) => void files.set(path, data),
    };
    const { connect, wire } = setup({ files: fs, config: { dir: '/acl', aclfile: 'users.acl' } });
    const a = connect();
    expect(wire(a, 'AUTH', 'alice', 'pw')).toBe('+OK\r\n');
    expect(wire(a, 'ACL', 'SETUSER', 'bob', 'on', 'nopass')).toBe('+OK\r\n');
    expect(wire(a, 'ACL', 'SAVE')).toBe('+OK\r\n');
    expect(files.get('/acl/users.acl')).toBe(
      `user alice on #${hashPassword('pw')} ~* resetchannels +@all\nuser bob on nopass resetchannels -@all\nuser default on nopass ~* &* +@all\n`,
    );
    files.delete('/acl/users.acl');
    expect(wire(a, 'ACL', 'LOAD')).toBe("-ERR Error loading ACLs, opening file 'users.acl': No such file or directory\r\n");
    expect(() => setup({ files: fs, config: { aclfile: '/nowhere.acl' } })).toThrow(/Aborting valkey-double startup because of ACL errors/);
  });
});

describe('categories', () => {
  test('ACL CAT lists exactly the categories the command metadata uses, in Valkey\'s table order', () => {
    const { engine, connect, run } = setup();
    const used = new Set<string>();
    for (const c of engine.commands.values()) {
      for (const cat of c.spec.aclCategories) used.add(cat);
      for (const s of c.subcommands?.values() ?? []) for (const cat of s.spec.aclCategories) used.add(cat);
    }
    const r = run(connect(), 'ACL', 'CAT');
    const listed = (r as unknown as { v: { v: string }[] }).v.map((x) => x.v);
    expect(new Set(listed)).toEqual(used);
    expect(listed.slice(0, 3)).toEqual(['keyspace', 'read', 'write']);
  });

  test('+@category takes a container with all its subcommands; its own subcommands follow their categories', () => {
    const { engine, connect, wire } = setup();
    const a = connect();
    wire(a, 'ACL', 'SETUSER', 'u', '+@fast');
    const u = engine.acl.getUser('u')!;
    const client = engine.commands.get('client')!;
    // CLIENT (a container) is @slow: +@fast reaches CLIENT ID (fast) but not CLIENT LIST (slow).
    expect(u.root.allowed.has('client|id')).toBe(client.subcommands!.get('id')!.spec.aclCategories.includes('fast'));
    expect(u.root.allowed.has('client|list')).toBe(false);
    wire(a, 'ACL', 'SETUSER', 'u', '+@slow');
    expect([...client.subcommands!.keys()].every((n) => u.root.allowed.has(`client|${n}`))).toBe(true);
  });
});

describe('rule descriptions', () => {
  const RULES = [
    'on', 'off', 'nopass', 'resetpass', '>p1', '>p2', '<p1', '+get', '-get', '+set', '+@hash', '-@write', '+@all', '-@all', 'allcommands',
    'nocommands', '+client|id', '-client', '+client', '+select|0', '~a*', '%R~b', '%W~c', '%RW~d', 'allkeys', 'resetkeys', '&ch', 'allchannels',
    'resetchannels', 'db=1,2', 'db=3', 'alldbs', 'resetdbs', '(+get ~x)', '(%R~y +@read db=0)', 'clearselectors', 'reset',
  ];

  test('a user described by ACL LIST is rebuilt exactly from that description', () => {
    const { engine } = setup();
    const rc = { table: engine.commands, pubsubDefaultAll: false };
    fc.assert(fc.property(fc.array(fc.constantFrom(...RULES), { maxLength: 12 }), (rules) => {
      const u = new User('u', false);
      for (const r of rules) {
        try {
          u.apply(rc, r);
        } catch {
          // Rules that conflict (~a after allkeys...) are refused as Valkey refuses them.
        }
      }
      const descr = u.describe();
      const again = new User('u', false);
      const merged: string[] = [];
      // The description splits as an ACL file line does, with selectors in one piece.
      for (const part of descr.split(/ (?![^(]*\))/)) merged.push(part);
      for (const r of merged) again.apply(rc, r);
      expect(again.describe()).toBe(descr);
      // And the same commands are allowed.
      for (const name of ['get', 'set', 'hset', 'client|id', 'client|list', 'select']) {
        const cmd = lookupCommand(engine.commands, name.split('|'))!;
        const argv = name === 'select' ? ['select', '0'] : name.split('|');
        expect(again.selectors.some((s) => s.canRun(cmd, argv))).toBe(u.selectors.some((s) => s.canRun(cmd, argv)));
      }
    }));
  });
});
