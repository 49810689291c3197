/**
 * MIGRATE against real servers, both ways: the same script runs on a real
 * Valkey source and on a valkey-double source, each migrating to a target
 * of its own, and the replies and what the targets hold must be the same;
 * then a real source migrates into a valkey-double target and into a real
 * one. Error texts (NOKEY, target errors, IOERR) come from the real thing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Arg } from '../../conformance/targets/raw-client.js';
import { rawReplies } from './harness.js';
import { findOracle, freePort, oracleRequired, startOracle, type RunningOracle } from '../../conformance/targets/oracle.js';
import { createServer, VirtualClock, type ServerOptions, type ValkeyServer } from '../../src/index.js';

const bin = findOracle();
if (!bin && oracleRequired()) throw new Error('VALKEY_DOUBLE_REQUIRE_ORACLE=1 but no Valkey 9 binary was found');
const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.all(stops.map((s) => s()));
});

async function oracle(args: string[] = []): Promise<RunningOracle> {
  const o = await startOracle(bin!, ['--enable-debug-command', 'yes', ...args]);
  stops.push(() => o.stop());
  return o;
}
async function mock(opts: ServerOptions = {}): Promise<ValkeyServer> {
  const s = await createServer({ port: 0, ...opts, config: { 'enable-debug-command': 'yes', ...(opts.config ?? {}) } });
  stops.push(() => s.close());
  return s;
}
const run = rawReplies;
const FAR = '4102444800000';
/** A script with `$T` for the target's port and `$X` for a port where nothing listens. */
const subst = (cmds: readonly Arg[][], t: number, x: number): Arg[][] => cmds.map((c) => c.map((a) => (a === '$T' ? String(t) : a === '$X' ? String(x) : a)));
const mig = (...rest: Arg[]): Arg[] => ['MIGRATE', '127.0.0.1', '$T', ...rest];

const SCRIPT: Arg[][] = [
  ['SET', 's', 'v'], ['SET', 'ttl', 'v', 'PXAT', FAR], ['RPUSH', 'l', 'a', 'b', '3'], ['SADD', 'set', 'x', '1'], ['ZADD', 'z', '1', 'a'],
  ['HSET', 'h', 'f', 'v', 'g', 'w'], ['HPEXPIREAT', 'h', FAR, 'FIELDS', '1', 'f'], ['XADD', 'x', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'x', 'g', '0'],
  mig('s', '0', '1000'), ['EXISTS', 's'],
  mig('', '0', '1000', 'KEYS', 'ttl', 'l', 'missing', 'set'), ['EXISTS', 'ttl', 'l', 'set'],
  mig('nokey', '0', '1000'), mig('', '0', '1000', 'KEYS', 'nokey', 'neither'),
  mig('z', '0', '0', 'COPY'), ['EXISTS', 'z'], mig('z', '0', '1000'), ['EXISTS', 'z'], mig('z', '0', '1000', 'REPLACE', 'COPY'),
  mig('', '5', '1000', 'KEYS', 'h', 'x'), ['EXISTS', 'h', 'x'],
  ['SET', 's', 'again'], mig('s', '5', '1000'), mig('s', '0', '1000'), mig('s', '0', '1000', 'REPLACE'), ['EXISTS', 's'],
  ['SET', 'k', 'v'], mig('k', '99', '1000'), mig('k', '-1', '1000'), mig('k', '0', '1000', 'AUTH', 'pw'), mig('k', '0', '1000', 'AUTH2', 'u', 'pw'),
  mig('k', 'x', '1000'), mig('k', '0', '1e3'), mig('k', '0', '1000', 'KEYS', 'a'), mig('k', '0', '1000', 'AUTH'), mig('k', '0', '1000', 'AUTH2', 'u'),
  mig('k', '0', '1000', 'NOPE'), ['MIGRATE', '127.0.0.1', '$T', 'k'], ['EXISTS', 'k'],
  ['MIGRATE', '127.0.0.1', '$X', 'k', '0', '1000'], ['EXISTS', 'k'],
];
const TARGET_PROBES: Arg[][] = [
  ['DEBUG', 'DIGEST'], ['DBSIZE'], ['TTL', 'ttl'], ['HPEXPIRETIME', 'h', 'FIELDS', '2', 'f', 'g'], ['SELECT', '5'], ['DEBUG', 'DIGEST'], ['DBSIZE'],
  ['TYPE', 'x'], ['XINFO', 'GROUPS', 'x'], ['HPEXPIRETIME', 'h', 'FIELDS', '2', 'f', 'g'],
];

describe.skipIf(!bin)('MIGRATE', () => {
  let nobody = 0;
  beforeAll(async () => {
    nobody = await freePort();
  });

  test('from valkey-double to a real target, as from a real source', async () => {
    const [so, to, tm] = await Promise.all([oracle(), oracle(), oracle()]);
    const sm = await mock();
    const theirs = await run(so.port, subst(SCRIPT, to.port, nobody));
    const mine = await run(sm.port, subst(SCRIPT, tm.port, nobody));
    expect(mine).toEqual(theirs);
    expect(await run(tm.port, TARGET_PROBES)).toEqual(await run(to.port, TARGET_PROBES));
  });

  test('from a real source to a valkey-double target, as to a real one', async () => {
    const [sa, sb, to] = await Promise.all([oracle(), oracle(), oracle()]);
    const tm = await mock();
    const theirs = await run(sa.port, subst(SCRIPT, to.port, nobody));
    const mine = await run(sb.port, subst(SCRIPT, tm.port, nobody));
    expect(mine).toEqual(theirs);
    expect(await run(tm.port, TARGET_PROBES)).toEqual(await run(to.port, TARGET_PROBES));
  });

  test('AUTH and AUTH2 to a target with a password, either way', async () => {
    const script: Arg[][] = [
      ['SET', 'a', '1'], ['SET', 'b', '2'], mig('a', '0', '1000'), mig('a', '0', '1000', 'AUTH', 'bad'),
      mig('a', '0', '1000', 'AUTH', 'secret'), mig('b', '0', '1000', 'AUTH2', 'default', 'secret'), ['EXISTS', 'a', 'b'],
    ];
    const [so, to, so2] = await Promise.all([oracle(), oracle(['--requirepass', 'secret']), oracle()]);
    const [sm, tm] = await Promise.all([mock(), mock({ requirepass: 'secret' })]);
    const theirs = await run(so.port, subst(script, to.port, nobody));
    expect(await run(sm.port, subst(script, (await oracle(['--requirepass', 'secret'])).port, nobody))).toEqual(theirs);
    expect(await run(so2.port, subst(script, tm.port, nobody))).toEqual(theirs);
  });

  test('the connection is cached per target and closed after 10 idle seconds of the clock', async () => {
    const clock = new VirtualClock();
    const [sm, to] = await Promise.all([mock({ clock }), oracle()]);
    const clients = async () => (await run(to.port, [['CLIENT', 'LIST']]))[0]!.split('\n').filter((l) => l.includes('id=')).length;
    await run(sm.port, [['SET', 'a', '1'], ['SET', 'b', '1'], mig('a', '0', '1000'), mig('b', '0', '1000')].map((c) => c.map((a) => (a === '$T' ? String(to.port) : a))));
    expect(sm.engine.migrateLinks.size).toBe(1);
    expect(await clients()).toBe(2); // the cached link and the probe itself
    clock.advance(10_000);
    expect(sm.engine.migrateLinks.size).toBe(1);
    clock.advance(1_000);
    expect(sm.engine.migrateLinks.size).toBe(0);
    let n = await clients();
    for (let i = 0; i < 50 && n !== 1; i++) {
      await new Promise((r) => setTimeout(r, 20));
      n = await clients();
    }
    expect(n).toBe(1);
  });
});
