/**
 * Replication inside the process: the propagated stream (rewrites, MULTI/EXEC
 * wrapping, SELECT, expiry and eviction deletions), a replica following a
 * primary (same data, offsets, lag and pause), ROLE / INFO / WAIT / READONLY.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encode, type Reply } from '../protocol/index.js';
import { VirtualClock } from '../time/index.js';
import { datasetDigest } from '../engine/digest.js';
import { Engine } from '../engine/engine.js';
import type { StreamCommand } from '../engine/replication/index.js';
import { linkReplica } from './replication.js';

const T0 = 1_700_000_000_000;

function node(clock: VirtualClock, port: number, config: Record<string, string> = {}) {
  const engine = new Engine({ clock, seed: port, process: { tcpPort: port }, config: { 'enable-debug-command': 'yes', ...config } });
  const delivered: Reply[] = [];
  const client = engine.connect({ addr: '127.0.0.1:1', laddr: `127.0.0.1:${port}`, fd: 8 }, { deliver: (r) => delivered.push(r), close: () => {} });
  const run = (...argv: string[]): string => {
    const r = engine.execute(client, argv);
    return typeof r === 'symbol' ? 'BLOCKED' : r === undefined ? '' : encode(r, 2);
  };
  return { engine, run, delivered };
}

function pair(config: Record<string, string> = {}) {
  const clock = new VirtualClock({ start: T0 });
  const p = node(clock, 7000, config);
  const r = node(clock, 7001, config);
  const stream: string[][] = [];
  p.engine.repl.prop.attach((c: StreamCommand) => stream.push([...c.argv]));
  const link = linkReplica(p.engine, r.engine);
  const digest = (e: Engine) => datasetDigest(e.allDbs(), clock.now());
  return { clock, p, r, link, stream, digest };
}

describe('the propagated stream', () => {
  test('SELECT first, verbatim writes, nothing for reads or no-op writes', () => {
    const { p, stream } = pair();
    p.run('SET', 'a', '1');
    p.run('GET', 'a');
    p.run('DEL', 'nope');
    p.run('SELECT', '2');
    p.run('LPUSH', 'l', 'x');
    expect(stream).toEqual([['ping'], ['SELECT', '0'], ['SET', 'a', '1'], ['SELECT', '2'], ['LPUSH', 'l', 'x']]);
  });

  test('relative and seconds expiries go out as absolute milliseconds', () => {
    const { p, stream } = pair();
    p.run('SET', 'a', '1', 'EX', '10');
    p.run('SETEX', 'b', '5', 'v');
    p.run('EXPIRE', 'a', '100', 'GT');
    p.run('GETEX', 'b', 'PX', '20');
    p.run('INCRBYFLOAT', 'f', '1.5');
    p.run('SET', 'a', 'z', 'GET');
    expect(stream.slice(2)).toEqual([
      ['SET', 'a', '1', 'PXAT', String(T0 + 10_000)],
      ['SET', 'b', 'v', 'PXAT', String(T0 + 5_000)],
      ['PEXPIREAT', 'a', String(T0 + 100_000), 'GT'],
      ['PEXPIREAT', 'b', String(T0 + 20)],
      ['SET', 'f', '1.5', 'KEEPTTL'],
      ['SET', 'a', 'z'],
    ]);
  });

  test('EXEC and scripts go out as MULTI/EXEC of what they ran; a single write is not wrapped', () => {
    const { p, stream } = pair();
    p.run('MULTI');
    p.run('SET', 'a', '1');
    p.run('INCR', 'a');
    p.run('EXEC');
    p.run('EVAL', "redis.call('set', KEYS[1], 'x') redis.call('del', KEYS[1])", '1', 'k');
    p.run('EVAL', "redis.call('spop', KEYS[1])", '1', 'k');
    p.run('SADD', 's', 'm');
    p.run('EVAL', "return redis.call('spop', KEYS[1])", '1', 's');
    expect(stream.slice(1)).toEqual([
      ['MULTI'], ['SELECT', '0'], ['SET', 'a', '1'], ['INCR', 'a'], ['EXEC'],
      ['MULTI'], ['set', 'k', 'x'], ['del', 'k'], ['EXEC'],
      ['SADD', 's', 'm'],
      ['SREM', 's', 'm'],
    ]);
  });

  test('keys expired lazily or actively, and evicted keys, go out as UNLINK (DEL without lazyfree)', () => {
    const { p, clock, stream } = pair();
    p.run('SET', 'a', '1', 'PX', '100');
    p.run('SET', 'b', '1', 'PX', '100');
    p.run('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    clock.advance(200);
    p.run('GET', 'a');
    p.run('CONFIG', 'SET', 'lazyfree-lazy-expire', 'no');
    p.run('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    clock.advance(1);
    expect(stream.slice(4)).toEqual([['UNLINK', 'a'], ['DEL', 'b']]);
  });

  test('blocking commands go out as their non-blocking forms', () => {
    const { p, stream } = pair();
    p.run('RPUSH', 'l', 'a', 'b', 'c');
    p.run('BLPOP', 'l', '0');
    p.run('BLMPOP', '0', '1', 'l', 'RIGHT', 'COUNT', '5');
    p.run('ZADD', 'z', '1', 'm');
    p.run('BZPOPMIN', 'z', '0');
    expect(stream.slice(3)).toEqual([['LPOP', 'l'], ['RPOP', 'l', '2'], ['ZADD', 'z', '1', 'm'], ['ZPOPMIN', 'z']]);
  });

  test('nothing is collected, and the offset stays 0, while no replica ever attached', () => {
    const clock = new VirtualClock({ start: T0 });
    const p = node(clock, 7000);
    p.run('SET', 'a', '1');
    expect(p.engine.repl.prop.offset).toBe(0);
    expect(p.run('ROLE')).toBe('*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n');
  });
});

describe('a replica following a primary', () => {
  test('starts as a copy, then follows; offsets are the stream bytes on both sides', () => {
    const clock = new VirtualClock({ start: T0 });
    const p = node(clock, 7000);
    const r = node(clock, 7001);
    p.run('SET', 'before', 'x');
    p.run('HSET', 'h', 'f', 'v');
    p.run('FUNCTION', 'LOAD', "#!lua name=lib\nserver.register_function{function_name='f', callback=function() return 7 end, flags={'no-writes'}}");
    r.run('SET', 'stale', 'gone after the sync');
    const link = linkReplica(p.engine, r.engine);
    expect(r.run('GET', 'before')).toBe('$1\r\nx\r\n');
    expect(r.run('EXISTS', 'stale')).toBe(':0\r\n');
    expect(r.run('FCALL_RO', 'f', '0')).toBe(':7\r\n');
    p.run('SET', 'after', 'y');
    expect(r.run('GET', 'after')).toBe('$1\r\ny\r\n');
    // ping (14 bytes), SELECT 0 (23), SET after y (31).
    expect(p.engine.repl.prop.offset).toBe(14 + 23 + 31);
    expect(link.offset).toBe(p.engine.repl.prop.offset);
    expect(p.run('ROLE')).toBe(`*3\r\n$6\r\nmaster\r\n:68\r\n*1\r\n*3\r\n$9\r\n127.0.0.1\r\n$4\r\n7001\r\n$2\r\n68\r\n`);
    expect(r.run('ROLE')).toBe('*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:7000\r\n$9\r\nconnected\r\n:68\r\n');
    const info = p.run('INFO', 'replication');
    expect(info).toContain('connected_slaves:1\r\nslave0:ip=127.0.0.1,port=7001,state=online,offset=68,lag=0,type=replica\r\n');
    expect(info).toContain('master_repl_offset:68\r\n');
    expect(info).toContain('repl_backlog_first_byte_offset:1\r\nrepl_backlog_histlen:68\r\n');
    const rinfo = r.run('INFO', 'replication');
    expect(rinfo).toContain('role:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:7000\r\nmaster_link_status:up\r\n');
    expect(rinfo).toContain(`master_replid:${p.engine.repl.replid}\r\n`);
  });

  test('a replica refuses writes with READONLY, and WAIT with its error; its primary client is obeyed', () => {
    const { p, r } = pair();
    expect(r.run('SET', 'x', '1')).toBe("-READONLY You can't write against a read only replica.\r\n");
    expect(r.run('WAIT', '1', '0')).toMatch(/^-ERR WAIT cannot be used with replica instances/);
    p.run('SET', 'x', '1');
    expect(r.run('GET', 'x')).toBe('$1\r\n1\r\n');
  });

  test('a replica does not expire keys itself: it hides them and waits for the primary', () => {
    const { p, r, clock } = pair();
    p.run('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    p.run('SET', 'a', '1', 'PX', '100');
    clock.advance(200);
    expect(r.run('GET', 'a')).toBe('$-1\r\n');
    expect(r.engine.db(0).peek('a')).toBeDefined();
    p.run('GET', 'a');
    expect(r.engine.db(0).peek('a')).toBeUndefined();
  });

  test('lag delays the stream on the clock; pause holds it until resume; WAIT counts acknowledgements', () => {
    const { p, r, clock, link } = pair();
    link.setLag(50);
    p.run('SET', 'a', '1');
    expect(r.run('GET', 'a')).toBe('$-1\r\n');
    expect(p.run('WAIT', '1', '0')).toBe('BLOCKED');
    clock.advance(50);
    expect(r.run('GET', 'a')).toBe('$1\r\n1\r\n');
    expect(p.delivered.map((x) => encode(x, 2))).toEqual([':1\r\n']);
    link.setLag(0);
    link.pause();
    p.run('SET', 'b', '2');
    expect(p.run('WAIT', '1', '100')).toBe('BLOCKED');
    clock.advance(101);
    expect(p.delivered.map((x) => encode(x, 2))).toEqual([':1\r\n', ':0\r\n']);
    expect(link.pending).toBeGreaterThan(0);
    link.resume();
    expect(r.run('GET', 'b')).toBe('$1\r\n2\r\n');
    expect(link.offset).toBe(p.engine.repl.prop.offset);
    // Failover: held-back commands are applied, then the replica takes writes under a new id.
    link.pause();
    p.run('SET', 'c', '3');
    const oldId = p.engine.repl.replid;
    link.promote();
    expect(r.run('GET', 'c')).toBe('$1\r\n3\r\n');
    expect(r.run('SET', 'd', '4')).toBe('+OK\r\n');
    expect(r.engine.repl.replid2).toBe(oldId);
    expect(r.engine.repl.secondOffset).toBe(p.engine.repl.prop.offset + 1);
    expect(p.run('INFO', 'replication')).toContain('connected_slaves:0\r\n');
  });

  test('random writes, expiries, scripts, transactions and evictions leave the replica with the primary\'s data', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'l', 's', 'z', 'h');
    const val = fc.constantFrom('1', '2', 'x', 'yy', '3.5');
    const cmd = fc.oneof(
      fc.tuple(key, val).map(([k, v]) => ['SET', k, v]),
      fc.tuple(key, fc.integer({ min: 1, max: 300 })).map(([k, t]) => ['SET', k, 'v', 'PX', String(t)]),
      fc.tuple(key, fc.integer({ min: 1, max: 3 })).map(([k, t]) => ['EXPIRE', k, String(t)]),
      fc.tuple(key, val).map(([k, v]) => ['RPUSH', k, v]),
      key.map((k) => ['LPOP', k]),
      fc.tuple(key, val).map(([k, v]) => ['SADD', k, v]),
      key.map((k) => ['SPOP', k]),
      key.map((k) => ['SPOP', k, '2']),
      fc.tuple(key, val).map(([k, v]) => ['ZADD', k, '1', v]),
      key.map((k) => ['BZPOPMIN', k, '0.01']),
      fc.tuple(key, val).map(([k, v]) => ['HSET', k, 'f', v, 'g', v]),
      fc.tuple(key, fc.integer({ min: 0, max: 300 })).map(([k, t]) => ['HPEXPIRE', k, String(t), 'FIELDS', '1', t % 2 ? 'f' : 'g']),
      key.map((k) => ['HINCRBYFLOAT', k, 'n', '0.1']),
      key.map((k) => ['INCRBYFLOAT', k, '1.25']),
      key.map((k) => ['GETDEL', k]),
      key.map((k) => ['GET', k]),
      fc.constantFrom(['SELECT', '0'], ['SELECT', '1'], ['FLUSHDB']),
      key.map((k) => ['EVAL', "redis.call('incr', KEYS[1]..'n') return redis.call('exists', KEYS[1])", '1', k]),
      fc.tuple(key, key).map(([a, b]) => ['__MULTI', a, b]),
      fc.integer({ min: 1, max: 400 }).map((ms) => ['__ADVANCE', String(ms)]),
      fc.constant(['__EVICT']),
    );
    fc.assert(fc.property(fc.array(cmd, { maxLength: 40 }), (cmds) => {
      const { p, r, clock, digest } = pair({ databases: '2' });
      for (const c of cmds) {
        if (c[0] === '__ADVANCE') clock.advance(Number(c[1]));
        else if (c[0] === '__MULTI') {
          p.run('MULTI');
          p.run('INCR', c[1]!);
          p.run('SET', c[2]!, 'm', 'EX', '1');
          p.run('EXEC');
        } else if (c[0] === '__EVICT') {
          p.run('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
          p.run('CONFIG', 'SET', 'maxmemory', '1');
          p.run('PING');
          p.run('CONFIG', 'SET', 'maxmemory', '0');
        } else p.run(...c);
      }
      clock.advance(1);
      expect(digest(r.engine)).toBe(digest(p.engine));
      expect(r.engine.repl.prop.offset).toBe(p.engine.repl.prop.offset);
    }));
  });
});

describe('REPLICAOF between servers of one process', () => {
  test('follows a registered server, reports a down link for an unknown one, and NO ONE promotes with a new id', async () => {
    const { createServer } = await import('./server.js');
    const { ReplicationHub } = await import('./replication.js');
    const { RawClient } = await import('../../conformance/targets/raw-client.js');
    const hub = new ReplicationHub();
    const a = await createServer({ replicationHub: hub });
    const b = await createServer({ replicationHub: hub });
    const ca = await RawClient.connect(a.port);
    const cb = await RawClient.connect(b.port);
    try {
      await ca.send(['SET', 'k', 'v']);
      expect((await cb.send(['REPLICAOF', '127.0.0.1', String(a.port)])).raw).toBe('+OK\r\n');
      expect((await cb.send(['REPLICAOF', '127.0.0.1', String(a.port)])).raw).toBe('+OK Already connected to specified master\r\n');
      expect((await cb.send(['GET', 'k'])).raw).toBe('$1\r\nv\r\n');
      await ca.send(['SET', 'k2', 'w']);
      expect((await cb.send(['GET', 'k2'])).raw).toBe('$1\r\nw\r\n');
      expect((await ca.send(['WAIT', '1', '0'])).raw).toBe(':1\r\n');
      const oldId = a.engine.repl.replid;
      expect(b.engine.repl.replid).toBe(oldId);
      expect((await cb.send(['REPLICAOF', 'NO', 'ONE'])).raw).toBe('+OK\r\n');
      const info = (await cb.send(['INFO', 'replication'])).raw;
      expect(info).toContain('role:master');
      expect(info).toContain(`master_replid2:${oldId}`);
      expect(info).toContain(`second_repl_offset:${a.engine.repl.prop.offset + 1}`);
      expect((await cb.send(['SET', 'x', '1'])).raw).toBe('+OK\r\n');
      expect((await cb.send(['REPLICAOF', '127.0.0.1', '1'])).raw).toBe('+OK\r\n');
      expect((await cb.send(['INFO', 'replication'])).raw).toContain('master_link_status:down\r\n');
      expect((await cb.send(['ROLE'])).raw).toBe('*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:1\r\n$7\r\nconnect\r\n:-1\r\n');
    } finally {
      ca.close();
      cb.close();
      await a.close();
      await b.close();
    }
  });
});

describe('SYNC / PSYNC on a connection', () => {
  test('PSYNC gets FULLRESYNC, an RDB payload without CRLF, then the stream; REPLCONF ACK counts for WAIT', async () => {
    const { createServer } = await import('./server.js');
    const { RawClient } = await import('../../conformance/targets/raw-client.js');
    const { connect } = await import('node:net');
    const server = await createServer();
    const sock = connect(server.port, '127.0.0.1');
    let got = '';
    sock.on('data', (b: Buffer) => { got += b.toString('latin1'); });
    const until = async (pred: () => boolean) => {
      for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 5));
    };
    const c = await RawClient.connect(server.port);
    try {
      sock.write('REPLCONF listening-port 6390\r\nPSYNC ? -1\r\n');
      await until(() => got.includes('REDIS0011'));
      const head = `+OK\r\n+FULLRESYNC ${server.engine.repl.replid} 0\r\n$18\r\nREDIS0011\xff${'\0'.repeat(8)}`;
      expect(got.startsWith(head)).toBe(true);
      await c.send(['SET', 'k', 'v']);
      await until(() => got.endsWith('$1\r\nv\r\n'));
      expect(got.slice(head.length)).toBe('*1\r\n$4\r\nping\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n');
      expect((await c.send(['INFO', 'replication'])).raw).toContain('slave0:ip=127.0.0.1,port=6390,state=online,offset=0,');
      sock.write(`REPLCONF ACK ${server.engine.repl.prop.offset}\r\n`);
      await until(() => server.engine.repl.acked(server.engine.repl.prop.offset) === 1);
      expect((await c.send(['WAIT', '1', '0'])).raw).toBe(':1\r\n');
    } finally {
      c.close();
      sock.destroy();
      await server.close();
    }
  });
});
