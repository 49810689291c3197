/**
 * Blocking pops (BLPOP, BRPOP, BLMOVE, BLMPOP, BZPOPMIN, BZMPOP) through
 * ioredis and node-redis v6, in RESP2 and RESP3, against valkey-double and a
 * real Valkey 9 with the same expectations: a blocked client woken by a push
 * from another client, several blocked clients served in the order they
 * blocked, timeouts on real time (real server, and valkey-double on its
 * SystemClock) and on a VirtualClock (valkey-double: only advance() fires
 * them, and the client then reads null).
 *
 * Each blocking call runs on a connection of its own: ioredis pipelines every
 * command of a connection behind the blocked one, and node-redis v6 has no
 * `isolated` option any more, so its blocked calls go through `duplicate()`d
 * clients.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { createServer, type ValkeyServer } from '../../src/index.js';
import { findOracle, startOracle, type RunningOracle } from '../../conformance/targets/oracle.js';
import { targetNames, uniq, useTarget } from './support/targets.js';
import { sleep, waitBlocked, watch } from './support/waiting.js';

type NodeRedis = ReturnType<typeof createClient<Record<string, never>, Record<string, never>, Record<string, never>, 2 | 3>>;

const cases = targetNames().flatMap((t) => ([2, 3] as const).map((p) => [t, p] as const));

describe.each(cases)('blocking pops through ioredis against %s, RESP%s', (targetName, resp) => {
  const target = useTarget(targetName);
  let ctl: Redis;
  let extra: Redis[] = [];

  const connect = async (): Promise<Redis> => {
    const r = new Redis({ host: target.host, port: target.port, protocol: resp, lazyConnect: true, maxRetriesPerRequest: 0 });
    await r.connect();
    return r;
  };
  /** A connection of its own for one blocking call, closed after the test. */
  const blocker = async (): Promise<Redis> => {
    const r = await connect();
    extra.push(r);
    return r;
  };
  const blocked = (n: number) => waitBlocked(() => ctl.info('clients'), n);

  beforeAll(async () => {
    ctl = await connect();
  });
  afterEach(async () => {
    for (const r of extra) r.disconnect();
    extra = [];
    await blocked(0);
  });
  afterAll(() => ctl?.disconnect());

  test('BLPOP / BRPOP: a blocked client is woken by a push from another client', async () => {
    const k = uniq('list');
    const a = await blocker();
    const popped = watch(a.blpop(k + 'one', k + 'two', 0));
    await blocked(1);
    expect(popped.settled).toBe(false);
    expect(await ctl.rpush(k + 'two', 'x', 'y', 'z')).toBe(3);
    expect(await popped.promise).toEqual([k + 'two', 'x']);
    expect(await ctl.lrange(k + 'two', 0, -1)).toEqual(['y', 'z']);

    const right = watch(a.brpop(k + 'three', 0));
    await blocked(1);
    expect(await ctl.lpush(k + 'three', 'p', 'q')).toBe(2);
    expect(await right.promise).toEqual([k + 'three', 'p']); // LPUSH p q → [q, p]: the tail is p
    expect(await ctl.lrange(k + 'three', 0, -1)).toEqual(['q']);
    expect(await a.ping()).toBe('PONG'); // the connection serves other commands again
  });

  test('several blocked clients are served first come, first served', async () => {
    const k = uniq('fifo');
    const pops = [];
    for (let i = 0; i < 3; i++) {
      const c = await blocker();
      pops.push(watch(c.blpop(k, 0)));
      await blocked(i + 1); // block in a known order
    }
    expect(await ctl.rpush(k, 'first', 'second')).toBe(2);
    expect(await pops[0]!.promise).toEqual([k, 'first']);
    expect(await pops[1]!.promise).toEqual([k, 'second']);
    await blocked(1);
    expect(pops[2]!.settled).toBe(false);
    expect(await ctl.exists(k)).toBe(0); // both elements went to the waiting clients
    expect(await ctl.rpush(k, 'third')).toBe(1);
    expect(await pops[2]!.promise).toEqual([k, 'third']);
  });

  test('BLMOVE: woken by a push; its move wakes a client blocked on the destination', async () => {
    const k = uniq('move');
    const mover = await blocker();
    const waiter = await blocker();
    const moved = watch(mover.blmove(k + 'src', k + 'dst', 'LEFT', 'RIGHT', 0));
    await blocked(1);
    const fromDst = watch(waiter.brpop(k + 'dst', 0));
    await blocked(2);
    expect(await ctl.rpush(k + 'src', 'a', 'b')).toBe(2);
    expect(await moved.promise).toBe('a');
    expect(await fromDst.promise).toEqual([k + 'dst', 'a']);
    expect(await ctl.lrange(k + 'src', 0, -1)).toEqual(['b']);
    expect(await ctl.exists(k + 'dst')).toBe(0);
  });

  test('BLMPOP: the first non-empty key, up to COUNT elements from the chosen end', async () => {
    const k = uniq('mpop');
    const a = await blocker();
    const popped = watch(a.blmpop(0, 2, k + 'a', k + 'b', 'RIGHT', 'COUNT', 2));
    await blocked(1);
    expect(await ctl.rpush(k + 'b', '1', '2', '3')).toBe(3);
    expect(await popped.promise).toEqual([k + 'b', ['3', '2']]);
    expect(await ctl.lrange(k + 'b', 0, -1)).toEqual(['1']);
  });

  test('BZPOPMIN and BZMPOP: woken by ZADD; ioredis gives scores as strings in both protocols', async () => {
    const k = uniq('zset');
    const a = await blocker();
    const min = watch(a.bzpopmin(k + 'x', k + 'y', 0));
    await blocked(1);
    expect(await ctl.zadd(k + 'y', 2.5, 'two', 1.5, 'one', 3, 'three')).toBe(3);
    expect(await min.promise).toEqual([k + 'y', 'one', '1.5']);

    const b = await blocker();
    const max = watch(b.bzmpop(0, 1, k + 'z', 'MAX', 'COUNT', 2));
    await blocked(1);
    expect(await ctl.zadd(k + 'z', 1, 'a', 0.1, 'b', 30, 'c')).toBe(3);
    expect(await max.promise).toEqual([k + 'z', [['c', '30'], ['a', '1']]]);
    expect(await ctl.zrange(k + 'z', 0, '-1', 'WITHSCORES')).toEqual(['b', '0.1']); // flat in RESP3 too: ioredis flattens the pairs
  });

  test('timeouts on the server clock: the client reads null and its connection goes on', async () => {
    const k = uniq('timeout');
    const conns = await Promise.all([blocker(), blocker(), blocker(), blocker(), blocker(), blocker()]);
    const started = Date.now();
    const calls = [
      watch(conns[0]!.blpop(k + 'l', 0.1)),
      watch(conns[1]!.brpop(k + 'l', 0.1)),
      watch(conns[2]!.blmove(k + 'l', k + 'd', 'LEFT', 'LEFT', 0.1)),
      watch(conns[3]!.blmpop(0.1, 1, k + 'l', 'LEFT')),
      watch(conns[4]!.bzpopmin(k + 'z', 0.1)),
      watch(conns[5]!.bzmpop(0.1, 1, k + 'z', 'MIN')),
    ];
    await blocked(6);
    if (target.mock) {
      // A VirtualClock moves only on advance(): real time does not fire the timeouts.
      await sleep(250);
      expect(calls.map((c) => c.settled)).toEqual([false, false, false, false, false, false]);
      target.mock.clock.advance(100); // at the deadline: still waiting (timeouts fire once now > deadline)
      await ctl.ping(); // a round trip: a reply sent on advance() would have arrived by now
      expect(calls.some((c) => c.settled)).toBe(false);
      target.mock.clock.advance(1);
    }
    const results = await Promise.all(calls.map((c) => c.promise));
    expect(results).toEqual([null, null, null, null, null, null]);
    if (!target.mock) expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(await conns[0]!.ping()).toBe('PONG');
  });

  test.runIf(targetName === 'valkey-double')('timeout 0 waits forever on a VirtualClock: a push still serves it years later', async () => {
    const k = uniq('forever');
    const a = await blocker();
    const popped = watch(a.blpop(k, 0));
    await blocked(1);
    target.mock!.clock.advance(10 * 365 * 86_400_000);
    await ctl.ping();
    expect(popped.settled).toBe(false);
    expect(await ctl.rpush(k, 'late')).toBe(1);
    expect(await popped.promise).toEqual([k, 'late']);
  });
});

describe.each(cases)('blocking pops through node-redis against %s, RESP%s', (targetName, resp) => {
  const target = useTarget(targetName);
  let ctl: NodeRedis;
  let extra: NodeRedis[] = [];

  const blocked = (n: number) => waitBlocked(() => ctl.info('clients'), n);
  /** node-redis v6: a blocking call goes on a duplicate of the client (its own connection). */
  const blocker = async (): Promise<NodeRedis> => {
    const d = ctl.duplicate();
    d.on('error', () => {});
    await d.connect();
    extra.push(d);
    return d;
  };

  beforeAll(async () => {
    ctl = createClient({ socket: { host: target.host, port: target.port, reconnectStrategy: false }, RESP: resp }) as NodeRedis;
    ctl.on('error', () => {});
    await ctl.connect();
  });
  afterEach(async () => {
    for (const c of extra) c.destroy();
    extra = [];
    await blocked(0);
  });
  afterAll(() => ctl?.destroy());

  test('blPop / brPop: a blocked duplicate is woken by a push from the main client', async () => {
    const k = uniq('list');
    const a = await blocker();
    const popped = watch(a.blPop([k + 'one', k + 'two'], 0));
    await blocked(1);
    expect(popped.settled).toBe(false);
    expect(await ctl.rPush(k + 'two', ['x', 'y'])).toBe(2);
    expect(await popped.promise).toEqual({ key: k + 'two', element: 'x' });

    const right = watch(a.brPop(k + 'two', 0));
    await blocked(0); // 'y' is there: served without blocking
    expect(await right.promise).toEqual({ key: k + 'two', element: 'y' });
    expect(await ctl.exists(k + 'two')).toBe(0);
  });

  test('several blocked clients are served first come, first served', async () => {
    const k = uniq('fifo');
    const pops = [];
    for (let i = 0; i < 3; i++) {
      const c = await blocker();
      pops.push(watch(c.brPop(k, 0)));
      await blocked(i + 1);
    }
    expect(await ctl.lPush(k, ['1', '2', '3', '4'])).toBe(4); // the list is 4 3 2 1: BRPOP takes 1, then 2, then 3
    expect(await Promise.all(pops.map((p) => p.promise))).toEqual([
      { key: k, element: '1' },
      { key: k, element: '2' },
      { key: k, element: '3' },
    ]);
    expect(await ctl.lRange(k, 0, -1)).toEqual(['4']);
  });

  test('blMove into a list another duplicate waits on; blmPop with COUNT', async () => {
    const k = uniq('move');
    const mover = await blocker();
    const waiter = await blocker();
    const moved = watch(mover.blMove(k + 'src', k + 'dst', 'RIGHT', 'LEFT', 0));
    await blocked(1);
    const fromDst = watch(waiter.blmPop(0, [k + 'other', k + 'dst'], 'LEFT', { COUNT: 5 }));
    await blocked(2);
    expect(await ctl.rPush(k + 'src', ['a', 'b', 'c'])).toBe(3);
    expect(await moved.promise).toBe('c');
    expect(await fromDst.promise).toEqual([k + 'dst', ['c']]);
    expect(await ctl.lRange(k + 'src', 0, -1)).toEqual(['a', 'b']);
    expect(await ctl.exists(k + 'dst')).toBe(0);
  });

  test('bzPopMin and bzmPop: woken by zAdd; node-redis gives scores as numbers in both protocols', async () => {
    const k = uniq('zset');
    const a = await blocker();
    const min = watch(a.bzPopMin([k + 'x', k + 'y'], 0));
    await blocked(1);
    expect(await ctl.zAdd(k + 'y', [{ score: 0.25, value: 'q' }, { score: -1, value: 'n' }])).toBe(2);
    expect(await min.promise).toEqual({ key: k + 'y', value: 'n', score: -1 });

    const b = await blocker();
    const max = watch(b.bzmPop(0, k + 'z', 'MAX', { COUNT: 3 }));
    await blocked(1);
    expect(await ctl.zAdd(k + 'z', [{ score: 1, value: 'a' }, { score: 1e20, value: 'big' }])).toBe(2);
    expect(await max.promise).toEqual({ key: k + 'z', members: [{ value: 'big', score: 1e20 }, { value: 'a', score: 1 }] });
    expect(await ctl.exists(k + 'z')).toBe(0);
  });

  test('timeouts on the server clock: null replies, and the duplicates go on', async () => {
    const k = uniq('timeout');
    const conns = await Promise.all([blocker(), blocker(), blocker(), blocker(), blocker()]);
    const started = Date.now();
    const calls = [
      watch(conns[0]!.blPop(k + 'l', 0.1)),
      watch(conns[1]!.blMove(k + 'l', k + 'd', 'LEFT', 'LEFT', 0.1)),
      watch(conns[2]!.blmPop(0.1, k + 'l', 'RIGHT')),
      watch(conns[3]!.bzPopMin(k + 'z', 0.1)),
      watch(conns[4]!.bzmPop(0.1, k + 'z', 'MAX')),
    ];
    await blocked(5);
    if (target.mock) {
      await sleep(250);
      expect(calls.some((c) => c.settled)).toBe(false);
      target.mock.clock.advance(100); // at the deadline: still waiting (timeouts fire once now > deadline)
      await ctl.ping();
      expect(calls.some((c) => c.settled)).toBe(false);
      target.mock.clock.advance(1);
    }
    expect(await Promise.all(calls.map((c) => c.promise))).toEqual([null, null, null, null, null]);
    if (!target.mock) expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(await conns[3]!.ping()).toBe('PONG');
  });

  test.runIf(targetName === 'valkey-double')('a VirtualClock fires the earlier timeout first; a push serves the later one', async () => {
    const k = uniq('two-timeouts');
    const a = await blocker();
    const b = await blocker();
    const short = watch(a.blPop(k, 1));
    await blocked(1);
    const long = watch(b.blPop(k, 5));
    await blocked(2);
    target.mock!.clock.advance(1001);
    expect(await short.promise).toBeNull();
    await blocked(1);
    expect(long.settled).toBe(false);
    expect(await ctl.rPush(k, 'v')).toBe(1);
    expect(await long.promise).toEqual({ key: k, element: 'v' });
  });
});

/**
 * Real-time timeouts on valkey-double's default SystemClock, with the same
 * expectations as on the real server: a 0.1 s BLPOP returns null after about
 * 100 ms of wall time.
 */
const oracleBin = findOracle();
describe.each([
  ['valkey-double (SystemClock)', true],
  ...(targetNames().includes('valkey') ? ([['valkey', false]] as const) : []),
] as const)('real-time blocking timeouts against %s', (_name, isMock) => {
  let server: ValkeyServer | undefined;
  let oracle: RunningOracle | undefined;
  let port = 0;
  beforeAll(async () => {
    if (isMock) {
      server = await createServer();
      port = server.port;
    } else {
      if (!oracleBin) throw new Error('VALKEY_DOUBLE_REQUIRE_ORACLE=1 but no Valkey 9 binary was found (run npm run oracle)');
      oracle = await startOracle(oracleBin);
      port = oracle.port;
    }
  });
  afterAll(async () => {
    await Promise.all([server?.close(), oracle?.stop()]);
  });

  test('ioredis RESP3 BLPOP 0.1 / BZPOPMIN 0.1 and node-redis RESP2 BLMPOP 0.1 return null after ~100 ms', async () => {
    const io = new Redis({ port, protocol: 3, lazyConnect: true });
    await io.connect();
    const io2 = new Redis({ port, protocol: 3, lazyConnect: true });
    await io2.connect();
    const nr = createClient({ socket: { port, reconnectStrategy: false }, RESP: 2 });
    nr.on('error', () => {});
    await nr.connect();
    try {
      const k = uniq('rt');
      const started = Date.now();
      const results = await Promise.all([io.blpop(k, 0.1), io2.bzpopmin(k + 'z', 0.1), nr.blmPop(0.1, k, 'LEFT')]);
      const elapsed = Date.now() - started;
      expect(results).toEqual([null, null, null]);
      expect(elapsed).toBeGreaterThanOrEqual(95);
      expect(elapsed).toBeLessThan(2000);
      // A BLPOP with a timeout that a push serves in time.
      const served = io.blpop(k, 0.5);
      await waitBlocked(() => nr.info('clients'), 1);
      expect(await nr.rPush(k, 'in-time')).toBe(1);
      expect(await served).toEqual([k, 'in-time']);
    } finally {
      io.disconnect();
      io2.disconnect();
      nr.destroy();
    }
  });
});
