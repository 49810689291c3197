import { describe, expect, test } from 'vitest';
import { encode } from '../../protocol/index.js';
import { VirtualClock } from '../../time/index.js';
import { BLOCKED } from '../command.js';
import type { Client } from '../client.js';
import { Engine, type EngineOptions } from '../engine.js';
import { bytesToHuman, fixed2 } from '../info.js';

const T0 = 1_700_000_000_123;

function setup(opts: Partial<EngineOptions> = {}) {
  const clock = new VirtualClock({ start: T0 });
  const engine = new Engine({ clock, process: { tcpPort: 7777, pid: 42, executable: '/bin/valkey-double' }, ...opts });
  const connect = (): Client => engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:7777', fd: 9 }, { deliver: () => {}, close: () => {} });
  const a = connect();
  const wire = (c: Client, ...argv: string[]) => {
    const r = engine.execute(c, argv);
    if (r === undefined || r === BLOCKED) return r;
    return encode(r, c.resp);
  };
  const str = (...argv: string[]) => {
    const r = engine.execute(a, argv);
    if (r === undefined || r === BLOCKED || (r.t !== 'bulk' && r.t !== 'verbatim')) throw new Error('not a string reply');
    return r.v;
  };
  const field = (info: string, name: string) => new RegExp(`\\r\\n${name}:([^\\r]*)\\r\\n`).exec('\r\n' + info)?.[1];
  return { engine, clock, a, connect, wire: (...argv: string[]) => wire(a, ...argv), wireAs: wire, str, field };
}

describe('TIME, LASTSAVE, SAVE, BGSAVE', () => {
  test('TIME reads the engine clock', () => {
    const { wire, clock } = setup();
    expect(wire('TIME')).toBe('*2\r\n$10\r\n1700000000\r\n$6\r\n123000\r\n');
    clock.advance(1_877);
    expect(wire('TIME')).toBe('*2\r\n$10\r\n1700000002\r\n$1\r\n0\r\n');
  });

  test('SAVE and BGSAVE mark the data saved now', () => {
    const { wire, clock, str, field } = setup();
    expect(wire('LASTSAVE')).toBe(':1700000000\r\n');
    wire('SET', 'a', '1');
    expect(field(str('INFO', 'persistence'), 'rdb_changes_since_last_save')).toBe('1');
    clock.advance(10_000);
    expect(wire('SAVE')).toBe('+OK\r\n');
    expect(wire('LASTSAVE')).toBe(':1700000010\r\n');
    const info = str('INFO', 'persistence');
    expect([field(info, 'rdb_changes_since_last_save'), field(info, 'rdb_saves'), field(info, 'rdb_last_save_time')]).toEqual(['0', '1', '1700000010']);
    clock.advance(5_000);
    expect(wire('BGSAVE')).toBe('+Background saving started\r\n');
    expect(wire('LASTSAVE')).toBe(':1700000015\r\n');
    expect(wire('BGSAVE', 'SCHEDULE')).toBe('+Background saving started\r\n');
    expect(wire('BGSAVE', 'CANCEL')).toBe('-ERR Background saving is currently not in progress or scheduled\r\n');
    expect(wire('BGSAVE', 'NOW')).toBe('-ERR syntax error\r\n');
    wire('MULTI');
    wire('BGSAVE');
    expect(wire('EXEC')).toBe('*1\r\n+Background saving scheduled\r\n');
  });

  test('FLUSHALL saves when save points are configured', () => {
    const { wire, clock } = setup({ config: { save: '3600 1' } });
    wire('SET', 'a', '1');
    clock.advance(7_000);
    wire('FLUSHALL');
    expect(wire('LASTSAVE')).toBe(':1700000007\r\n');
  });
});

describe('FLUSHDB, FLUSHALL, SWAPDB, DBSIZE', () => {
  test('flushes count as writes, one per key', () => {
    const { wire, str, field } = setup();
    wire('SET', 'a', '1');
    wire('SET', 'b', '1');
    wire('SELECT', '1');
    wire('SET', 'c', '1');
    expect(wire('DBSIZE')).toBe(':1\r\n');
    expect(wire('FLUSHDB', 'ASYNC')).toBe('+OK\r\n');
    expect(wire('DBSIZE')).toBe(':0\r\n');
    expect(field(str('INFO', 'persistence'), 'rdb_changes_since_last_save')).toBe('4');
    expect(wire('FLUSHALL', 'SYNC')).toBe('+OK\r\n');
    expect(field(str('INFO', 'persistence'), 'rdb_changes_since_last_save')).toBe('6');
    expect(wire('FLUSHALL', 'LAZY')).toBe('-ERR syntax error\r\n');
  });

  test('FLUSHDB makes a WATCHer of an existing key fail, not of a missing one', () => {
    const { wire, wireAs, connect } = setup();
    const b = connect();
    wire('SET', 'k', '1');
    wireAs(b, 'WATCH', 'k', 'missing');
    wire('FLUSHDB');
    expect(b.dirtyCas).toBe(true);
    const c = connect();
    wireAs(c, 'WATCH', 'missing');
    wire('FLUSHALL');
    expect(c.dirtyCas).toBe(false);
  });

  test('SWAPDB exchanges contents and touches watchers on both sides', () => {
    const { wire, wireAs, connect } = setup();
    const b = connect();
    wire('SET', 'k', 'zero');
    wireAs(b, 'SELECT', '1');
    wireAs(b, 'WATCH', 'other');
    wire('SELECT', '1');
    wire('SET', 'other', 'one');
    wire('SELECT', '0');
    expect(wire('SWAPDB', '0', '1')).toBe('+OK\r\n');
    expect(b.dirtyCas).toBe(true);
    expect(wire('GET', 'other')).toBe('$3\r\none\r\n');
    expect(wire('SWAPDB', '0', '16')).toBe('-ERR DB index is out of range\r\n');
    expect(wire('SWAPDB', 'a', '1')).toBe('-ERR invalid first DB index\r\n');
    expect(wire('SWAPDB', '0', '99999999999')).toBe('-ERR invalid second DB index\r\n');
  });
});

describe('CONFIG', () => {
  test('GET reports the port the engine serves and a RESP3 map', () => {
    const { wire, a } = setup();
    expect(wire('CONFIG', 'GET', 'port')).toBe('*2\r\n$4\r\nport\r\n$4\r\n7777\r\n');
    a.resp = 3;
    expect(wire('CONFIG', 'GET', 'port', 'hz')).toBe('%2\r\n$2\r\nhz\r\n$2\r\n10\r\n$4\r\nport\r\n$4\r\n7777\r\n');
  });

  test('SET changes what the engine uses, REWRITE has no file, HELP lists subcommands', () => {
    const { wire, engine } = setup();
    expect(wire('CONFIG', 'SET', 'notify-keyspace-events', 'KEA', 'maxmemory', '2mb')).toBe('+OK\r\n');
    expect(engine.config.get('notify-keyspace-events')).toBe('AKE');
    expect(engine.config.getInt('maxmemory')).toBe(2 * 1024 * 1024);
    expect(wire('CONFIG', 'SET', 'hz')).toBe("-ERR wrong number of arguments for 'config|set' command\r\n");
    expect(wire('CONFIG', 'SET', 'hz', '1', 'maxmemory')).toBe('-ERR syntax error\r\n');
    expect(wire('CONFIG', 'REWRITE')).toBe('-ERR The server is running without a config file\r\n');
    expect((wire('config', 'HELP') as string).split('\r\n').slice(0, 3)).toEqual(['*11', '+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:', '+GET <pattern>']);
  });

  test('RESETSTAT zeroes the counters INFO shows, counting itself', () => {
    const { wire, str, field } = setup();
    wire('GET', 'x');
    wire('NOSUCH');
    wire('CONFIG', 'RESETSTAT');
    const stats = str('INFO', 'stats');
    expect([field(stats, 'total_commands_processed'), field(stats, 'keyspace_misses'), field(stats, 'total_error_replies')]).toEqual(['1', '0', '0']);
    expect(str('INFO', 'commandstats')).toBe('# Commandstats\r\ncmdstat_config|resetstat:calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=0\r\ncmdstat_info:calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=0\r\n');
    expect(str('INFO', 'errorstats')).toBe('# Errorstats\r\n');
  });
});

describe('INFO', () => {
  test('server fields follow the engine and its clock', () => {
    const { str, field, clock, engine } = setup();
    clock.advance(2 * 86_400_000 + 5_000);
    const info = str('INFO', 'server');
    expect(info.startsWith('# Server\r\nredis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:9.1.2\r\nvalkey_release_stage:ga\r\n')).toBe(true);
    expect(field(info, 'uptime_in_seconds')).toBe(String(2 * 86_400 + 5));
    expect(field(info, 'uptime_in_days')).toBe('2');
    expect(field(info, 'run_id')).toBe(engine.runId);
    expect(field(info, 'tcp_port')).toBe('7777');
    expect(field(info, 'process_id')).toBe('42');
    expect(field(info, 'server_time_usec')).toBe(String((T0 + 2 * 86_400_000 + 5_000) * 1000));
    expect(field(info, 'executable')).toBe('/bin/valkey-double');
  });

  test('section selection and order', () => {
    const { str } = setup();
    const titles = (s: string) => [...s.matchAll(/^# (.+)\r$/gm)].map((m) => m[1]);
    expect(titles(str('INFO'))).toEqual(['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Errorstats', 'Cluster', 'Keyspace']);
    expect(titles(str('INFO', 'everything'))).toEqual(['Server', 'TLS', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Commandstats', 'Errorstats', 'Latencystats', 'Cluster', 'Cluster Info', 'Scripting Engines', 'Keyspace']);
    expect(titles(str('INFO', 'KEYSPACE', 'cpu', 'keyspace'))).toEqual(['CPU', 'Keyspace']);
    expect(str('INFO', 'nosuch')).toBe('');
    expect(str('INFO', 'cluster')).toBe('# Cluster\r\ncluster_enabled:0\r\n');
  });

  test('keyspace lines', () => {
    const { str, wire, clock } = setup();
    wire('SET', 'a', '1');
    wire('SET', 'b', '1', 'PX', '10000');
    wire('SELECT', '5');
    wire('SET', 'c', '1');
    clock.advance(4_000);
    expect(str('INFO', 'keyspace')).toBe('# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=6000,keys_with_volatile_items=0\r\ndb5:keys=1,expires=0,avg_ttl=0,keys_with_volatile_items=0\r\n');
  });

  test('clients and commandstats count what happened before INFO itself', () => {
    const { str, field, wire, connect, wireAs } = setup();
    const b = connect();
    wireAs(b, 'WATCH', 'x', 'y');
    wire('GET', 'nope');
    wire('GET');
    const clients = str('INFO', 'clients');
    expect([field(clients, 'connected_clients'), field(clients, 'watching_clients'), field(clients, 'total_watched_keys')]).toEqual(['2', '1', '2']);
    const stats = str('INFO', 'commandstats');
    expect(stats).toContain('cmdstat_get:calls=1,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0\r\n');
    expect(stats).toContain('cmdstat_info:calls=1,');
    expect(stats).toContain('cmdstat_config|get:calls=2,'); // the Lua engine's two calls at startup
    expect(str('INFO', 'errorstats')).toBe('# Errorstats\r\nerrorstat_ERR:count=1\r\n');
  });

  test('memory reports maxmemory and the policy', () => {
    const { str, field, wire } = setup();
    wire('CONFIG', 'SET', 'maxmemory', '3gb', 'maxmemory-policy', 'allkeys-lru');
    const m = str('INFO', 'memory');
    expect([field(m, 'maxmemory'), field(m, 'maxmemory_human'), field(m, 'maxmemory_policy')]).toEqual(['3221225472', '3.00G', 'allkeys-lru']);
  });

  test('number formatting as C prints it', () => {
    expect(bytesToHuman(0)).toBe('0B');
    expect(bytesToHuman(1023)).toBe('1023B');
    expect(bytesToHuman(947032)).toBe('924.84K');
    expect(bytesToHuman(7000064)).toBe('6.68M');
    expect(fixed2(0.125)).toBe('0.12'); // ties to even on the exact binary value
    expect(fixed2(0.375)).toBe('0.38');
    expect(fixed2(-0.125)).toBe('-0.12');
    expect(fixed2(-0.001)).toBe('-0.00');
    expect(fixed2(Infinity)).toBe('inf');
    expect(fixed2(Math.fround(0.1))).toBe('0.10');
  });
});

describe('LOLWUT', () => {
  test('version 9 with constants is deterministic; the banner follows the version', () => {
    const { str, wire } = setup();
    const art = str('LOLWUT', 'VERSION', '9', '20', '10', '0.1', '0.2');
    expect(art.split('\n').slice(2, 4)).toEqual(['     .:-=+@+:.      ', '   .:@@@@@@@@+..    ']);
    expect(art.endsWith("Ascii representation of Julia set with constant 0.10 + 0.20i\nDon't forget to have fun! Valkey ver. 9.1.2\n")).toBe(true);
    expect(str('LOLWUT', 'VERSION', '7')).toBe('Valkey ver.9.1.2\n');
    expect(wire('LOLWUT', '1')).toBe('-ERR Syntax error. Use: LOLWUT [columns rows] [real imaginary]\r\n');
    expect(wire('LOLWUT', '1', '2', 'x', '1')).toBe('-ERR value is not a valid float\r\n');
  });

  test('version 5 without random rows is the real Schotter', () => {
    const { str } = setup();
    expect(str('LOLWUT', 'VERSION', '5', '5', '2', '2')).toBe('⠀⡤⣤⢤⠀\n⠀⣟⣿⣻⠀\n⠀⠀⠀⠀⠀\n\nGeorg Nees - schotter, plotter on paper, 1968. Valkey ver. 9.1.2\n'
      .split('').map((ch) => ch.charCodeAt(0) < 128 ? ch : Buffer.from(ch, 'utf8').toString('latin1')).join(''));
  });

  test('random art uses the engine rng: same seed, same art', () => {
    const one = setup({ seed: 7 }).str('LOLWUT', 'VERSION', '6', '20', '8');
    const two = setup({ seed: 7 }).str('LOLWUT', 'VERSION', '6', '20', '8');
    expect(one).toBe(two);
    expect(one.split('\n').length).toBe(8 + 3); // 8 rows, two trailer lines, and the final newline
  });
});

describe('INFO stats expiry counters', () => {
  test('expired_keys and expired_fields count active expiry on the virtual clock, and RESETSTAT clears them', () => {
    const { wire, clock, str, field } = setup();
    wire('SET', 'k', 'v', 'PX', '100');
    wire('HSETEX', 'h', 'PX', '100', 'FIELDS', '2', 'f1', 'v1', 'f2', 'v2');
    wire('HSET', 'h', 'f3', 'v3');
    expect(field(str('INFO', 'stats'), 'expired_fields')).toBe('0');
    clock.advance(101);
    const stats = str('INFO', 'stats');
    expect(field(stats, 'expired_keys')).toBe('1');
    expect(field(stats, 'expired_fields')).toBe('2');
    wire('CONFIG', 'RESETSTAT');
    expect(field(str('INFO', 'stats'), 'expired_fields')).toBe('0');
  });
});

test('INFO commandstats usec follows the clock: DEBUG SLEEP on a virtual clock counts its time', () => {
  const { wire, str } = setup({ config: { 'enable-debug-command': 'yes' } });
  wire('DEBUG', 'SLEEP', '0.25');
  wire('DEBUG', 'SLEEP', '0.5');
  const line = /cmdstat_debug:([^\r]*)/.exec(str('INFO', 'commandstats'))?.[1];
  expect(line).toBe('calls=2,usec=750000,usec_per_call=375000.00,rejected_calls=0,failed_calls=0');
});
