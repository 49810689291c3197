import { describe, expect, test } from 'vitest';
import { encode } from '../protocol/index.js';
import { VirtualClock } from '../time/index.js';
import { BLOCKED } from './command.js';
import { Engine, type EngineOptions } from './engine.js';
import type { EngineFiles } from './files.js';

const T0 = 1_700_000_000_000;

/** An in-memory file system standing in for node:fs. */
function memFiles(): EngineFiles & { files: Map<string, string>; fail: string | undefined } {
  const files = new Map<string, string>();
  const fs = {
    files,
    fail: undefined as string | undefined,
    read(path: string): string {
      const f = files.get(path);
      if (f === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return f;
    },
    write(path: string, data: string): void {
      if (fs.fail) throw Object.assign(new Error('nope'), { code: fs.fail });
      files.set(path, data);
    },
  };
  return fs;
}

function setup(opts: Partial<EngineOptions> = {}) {
  const clock = opts.clock as VirtualClock | undefined ?? new VirtualClock({ start: T0 });
  const engine = new Engine({ ...opts, clock, config: { 'enable-debug-command': 'yes', ...opts.config } });
  const a = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:7777', fd: 9 }, { deliver: () => {}, close: () => {} });
  const wire = (...argv: string[]) => {
    const r = engine.execute(a, argv);
    if (r === undefined || r === BLOCKED) return r;
    return encode(r, a.resp);
  };
  const info = (name: string) => new RegExp(`\\r\\n${name}:([^\\r]*)\\r\\n`).exec(String(wire('INFO', 'persistence')))?.[1];
  return { engine, clock, wire, info };
}

describe('RDB files', () => {
  test('SAVE writes dir/dbfilename through the files given; a new engine starts from it', () => {
    const files = memFiles();
    const { wire, clock } = setup({ files, config: { dir: '/data', dbfilename: 'x.rdb' } });
    wire('SET', 'k', 'v');
    wire('HSET', 'h', 'f', '1');
    wire('PEXPIRE', 'h', '60000');
    expect(wire('SAVE')).toBe('+OK\r\n');
    expect(files.files.get('/data/x.rdb')?.startsWith('VALKEY080')).toBe(true);
    const b = setup({ files, clock, config: { dir: '/data', dbfilename: 'x.rdb' } });
    expect(b.wire('GET', 'k')).toBe('$1\r\nv\r\n');
    expect(b.wire('PTTL', 'h')).toBe(':60000\r\n');
    expect(b.info('rdb_last_load_keys_loaded')).toBe('2');
    expect(b.info('rdb_changes_since_last_save')).toBe('0');
  });

  test('without a dir the file stays in memory: DEBUG RELOAD NOSAVE loads what SAVE left', () => {
    const files = memFiles();
    const { wire } = setup({ files });
    expect(wire('DEBUG', 'RELOAD', 'NOSAVE')).toBe('-ERR Error trying to load the RDB dump, check server logs.\r\n');
    wire('SET', 'a', '1');
    wire('SAVE');
    wire('SET', 'b', '2');
    expect(wire('DEBUG', 'RELOAD', 'NOSAVE')).toBe('+OK\r\n');
    expect([wire('EXISTS', 'a'), wire('EXISTS', 'b')]).toEqual([':1\r\n', ':0\r\n']);
    expect(files.files.size).toBe(0);
  });

  test('a key already expired when the file loads is dropped and counted', () => {
    const { wire, clock, engine } = setup({});
    wire('SET', 'gone', 'v', 'PX', '100');
    wire('SET', 'stays', 'v');
    wire('SAVE');
    clock.advance(200);
    expect(wire('DEBUG', 'RELOAD', 'NOSAVE')).toBe('+OK\r\n');
    expect(engine.db(0).size).toBe(1);
    const info = String(wire('INFO', 'persistence'));
    expect(info).toContain('rdb_last_load_keys_expired:1\r\n');
    expect(info).toContain('rdb_last_load_keys_loaded:1\r\n');
  });

  test('the rdb option as bytes: a fixture', () => {
    const a = setup({});
    a.wire('RPUSH', 'l', 'x', 'y');
    a.wire('SELECT', '2');
    a.wire('SET', 's', 'two');
    a.wire('SAVE');
    const image = a.engine.persistence.read();
    const b = setup({ rdb: image });
    expect(b.wire('LRANGE', 'l', '0', '-1')).toBe('*2\r\n$1\r\nx\r\n$1\r\ny\r\n');
    b.wire('SELECT', '2');
    expect(b.wire('GET', 's')).toBe('$3\r\ntwo\r\n');
  });

  test('a corrupt or foreign file stops the engine from starting; a missing one is an empty dataset', () => {
    const a = setup({});
    a.wire('SET', 'k', 'v');
    a.wire('SAVE');
    const image = a.engine.persistence.read().slice();
    image[20] = image[20]! ^ 0xff;
    expect(() => setup({ rdb: image })).toThrow(/Wrong RDB checksum|Bad data format|Short read/);
    expect(() => setup({ rdb: new TextEncoder().encode('NOTRDB0001') })).toThrow(/Wrong signature/);
    expect(() => setup({ rdb: image.subarray(0, 30) })).toThrow(/Short read/);
    const files = memFiles();
    expect(setup({ files, rdb: '/nowhere/dump.rdb' }).engine.db(0).size).toBe(0);
  });

  test('a failed SAVE answers -ERR; a failed BGSAVE sets rdb_last_bgsave_status:err; SHUTDOWN refuses without FORCE', () => {
    const files = memFiles();
    const { wire, info, engine } = setup({ files, config: { dir: '/ro', save: '3600 1' } });
    let closed = 0;
    engine.onShutdown = () => { closed++; };
    files.fail = 'EACCES';
    wire('SET', 'k', 'v');
    expect(wire('SAVE')).toBe('-ERR\r\n');
    expect(info('rdb_last_bgsave_status')).toBe('ok');
    expect(wire('BGSAVE')).toBe('+Background saving started\r\n');
    expect(info('rdb_last_bgsave_status')).toBe('err');
    expect(info('rdb_changes_since_last_save')).toBe('1');
    expect(wire('SET', 'x', 'y')).toMatch(/^-MISCONF Valkey is configured to save RDB snapshots/);
    expect(wire('PING')).toMatch(/^-MISCONF/);
    expect(wire('GET', 'k')).toBe('$1\r\nv\r\n');
    expect(wire('SHUTDOWN')).toBe('-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
    expect(closed).toBe(0);
    wire('SHUTDOWN', 'FORCE');
    expect(closed).toBe(1);
    files.fail = undefined;
    expect(wire('BGSAVE')).toBe('+Background saving started\r\n');
    expect(info('rdb_last_bgsave_status')).toBe('ok');
    expect(info('rdb_saves')).toBe('3');
    expect(wire('SET', 'x', 'y')).toBe('+OK\r\n');
  });

  test('save points fire on the clock: once both the changes and the seconds are reached', () => {
    const { wire, clock, info } = setup({ config: { save: '10 2 100 1' } });
    wire('SET', 'a', '1');
    clock.advance(60_000);
    expect(info('rdb_saves')).toBe('0');
    wire('SET', 'b', '1');
    clock.advance(99);
    expect(info('rdb_saves')).toBe('0');
    clock.advance(1);
    expect(info('rdb_saves')).toBe('1');
    expect(info('rdb_changes_since_last_save')).toBe('0');
    expect(info('rdb_last_bgsave_time_sec')).toBe('0');
    wire('SET', 'c', '1');
    clock.advance(100_000);
    expect(info('rdb_saves')).toBe('1');
    clock.advance(1_000);
    expect(info('rdb_saves')).toBe('2');
    expect(wire('LASTSAVE')).toBe(`:${Math.floor(clock.now() / 1000)}\r\n`);
    wire('CONFIG', 'SET', 'save', '');
    wire('SET', 'd', '1');
    clock.advance(1_000_000);
    expect(info('rdb_saves')).toBe('2');
  });

  test('BGSAVE in MULTI is scheduled: BGSAVE CANCEL cancels it, else the cron runs it', () => {
    const { wire, clock, info } = setup({});
    wire('MULTI');
    wire('BGSAVE');
    expect(wire('EXEC')).toBe('*1\r\n+Background saving scheduled\r\n');
    expect(wire('BGSAVE', 'CANCEL')).toBe('+Scheduled background saving cancelled\r\n');
    clock.advance(1000);
    expect(info('rdb_saves')).toBe('0');
    wire('MULTI');
    wire('BGSAVE');
    wire('EXEC');
    clock.advance(100);
    expect(info('rdb_saves')).toBe('1');
    expect(wire('BGSAVE', 'CANCEL')).toBe('-ERR Background saving is currently not in progress or scheduled\r\n');
  });
});
