/**
 * SLOWLOG, COMMANDLOG and LATENCY against a real Valkey 9.1.2. Replies that
 * hold times, durations or addresses are compared on the fields both servers
 * must agree on: ids relative to the first, arguments as logged (trimmed,
 * redacted), client names, byte sizes, histogram names and call counts.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { RawClient } from '../../conformance/targets/raw-client.js';
import type { RawValue } from '../../src/protocol/reply-parser.js';
import { useDifferential } from './harness.js';

const d = useDifferential();

/** Settings these tests change, put back after each. */
const RESTORE = [
  'slowlog-log-slower-than', '10000', 'slowlog-max-len', '128',
  'commandlog-request-larger-than', '1048576', 'commandlog-reply-larger-than', '1048576',
  'commandlog-large-request-max-len', '128', 'commandlog-large-reply-max-len', '128', 'latency-monitor-threshold', '0',
];

afterEach(async () => {
  if (!d.available) return;
  for (const which of ['oracle', 'mock'] as const) {
    const c = await d.connect(which);
    await c.send(['CONFIG', 'SET', ...RESTORE]);
    c.close();
  }
});

function items(v: RawValue): RawValue[] {
  if ((v.type !== 'array' && v.type !== 'set' && v.type !== 'push') || v.value === null) throw new Error(`not an array: ${JSON.stringify(v)}`);
  return v.value;
}

function str(v: RawValue): string {
  if (v.type === 'int') return String(v.value);
  if ('value' in v && typeof v.value === 'string') return v.value;
  throw new Error(`not a string: ${JSON.stringify(v)}`);
}

/** A log entry without its time, duration and address: [id - first id, value?, argv, name]. */
function entries(reply: RawValue, withValue: boolean): string[][] {
  const es = items(reply).map(items);
  const base = es.length ? Number(str(es[es.length - 1]![0]!)) : 0;
  return es.map((e) => [String(Number(str(e[0]!)) - base), ...(withValue ? [str(e[2]!)] : []), ...items(e[3]!).map(str), `name=${str(e[5]!)}`]);
}

/** Runs `script` on a fresh connection to each server and returns what `project` makes of the last reply. */
async function both<T>(script: readonly (readonly string[])[], project: (last: RawValue, c: RawClient) => T | Promise<T>): Promise<[T, T]> {
  const out: T[] = [];
  for (const which of ['oracle', 'mock'] as const) {
    const c = await d.connect(which);
    try {
      let last: RawValue = { type: 'null' };
      for (const cmd of script) last = (await c.send(cmd)).value;
      out.push(await project(last, c));
    } finally {
      c.close();
    }
  }
  return [out[0]!, out[1]!];
}

describe('SLOWLOG', () => {
  test('HELP, LEN, RESET and GET count errors', () =>
    d.check([
      ['SLOWLOG', 'HELP'], ['SLOWLOG', 'help', 'x'], ['CONFIG', 'SET', 'slowlog-log-slower-than', '-1'], ['SLOWLOG', 'RESET'],
      ['SLOWLOG', 'LEN'], ['SLOWLOG', 'GET'], ['SLOWLOG', 'GET', '-1'], ['SLOWLOG', 'GET', '-2'], ['SLOWLOG', 'GET', 'x'],
      ['SLOWLOG', 'GET', '1', '2'], ['SLOWLOG', 'LEN', 'x'], ['SLOWLOG', 'NOPE'], ['SLOWLOG'],
    ]));

  test('what is logged: trimmed arguments, redacted passwords, client names, EXEC by its commands, max-len', async () => {
    const many = Array.from({ length: 40 }, (_, i) => String(i));
    const [o, m] = await both([
      ['CONFIG', 'SET', 'slowlog-log-slower-than', '0', 'slowlog-max-len', '128'], ['SLOWLOG', 'RESET'],
      ['CLIENT', 'SETNAME', 'logged'], ['SADD', 'set', ...many], ['SET', 'k', 'A'.repeat(200)], ['AUTH', 'secret'],
      ['AUTH', 'user', 'secret'], ['HELLO', '2', 'AUTH', 'default', 'secret'], ['CONFIG', 'SET', 'requirepass', '', 'maxmemory', '0'],
      ['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['EXEC'], ['SLOWLOG', 'LEN'], ['SLOWLOG', 'GET', '-1'],
    ], (last) => entries(last, false));
    expect(m).toEqual(o);
    expect(o.some((e) => e.includes('(redacted)'))).toBe(true);

    const [lo, lm] = await both([
      ['CONFIG', 'SET', 'slowlog-log-slower-than', '0', 'slowlog-max-len', '3'], ['PING'], ['PING'], ['ECHO', 'x'], ['SLOWLOG', 'LEN'],
    ], (last) => str(last));
    expect(lm).toBe(lo);
  });

  test('a blocking command is logged once it is served', async () => {
    const run = async (which: 'oracle' | 'mock') => {
      const [a, b] = [await d.connect(which), await d.connect(which)];
      try {
        await a.send(['DEL', 'blist']);
        await a.send(['CONFIG', 'SET', 'slowlog-log-slower-than', '0']);
        await a.send(['SLOWLOG', 'RESET']);
        const popped = b.send(['BLPOP', 'blist', '0']);
        await new Promise((r) => setTimeout(r, 50));
        const before = entries((await a.send(['SLOWLOG', 'GET', '-1'])).value, false).filter((e) => e.includes('BLPOP'));
        await a.send(['LPUSH', 'blist', 'v']);
        await popped;
        const after = entries((await a.send(['SLOWLOG', 'GET', '-1'])).value, false).filter((e) => e.includes('BLPOP'));
        return [before.length, after.map((e) => e.slice(1))];
      } finally {
        a.close();
        b.close();
      }
    };
    if (!d.available) return;
    const o = await run('oracle');
    expect(await run('mock')).toEqual(o);
    expect(o[0]).toBe(0);
  });
});

describe('COMMANDLOG', () => {
  test('HELP and argument errors', () =>
    d.check([
      ['COMMANDLOG', 'HELP'], ['COMMANDLOG', 'LEN', 'slow', 'x'], ['COMMANDLOG', 'LEN', 'nope'], ['COMMANDLOG', 'RESET', 'nope'],
      ['COMMANDLOG', 'GET', '1', 'nope'], ['COMMANDLOG', 'GET', '-2', 'nope'], ['COMMANDLOG', 'GET', 'x', 'slow'], ['COMMANDLOG', 'GET', '1'],
      ['COMMANDLOG', 'RESET', 'large-request'], ['COMMANDLOG', 'LEN', 'LARGE-REQUEST'], ['COMMANDLOG', 'GET', '5', 'Large-Reply'],
    ]));

  test('large requests and replies are logged with their byte sizes', async () => {
    const [o, m] = await both([
      ['CONFIG', 'SET', 'commandlog-request-larger-than', '1024', 'commandlog-reply-larger-than', '1024'],
      ['COMMANDLOG', 'RESET', 'large-request'], ['COMMANDLOG', 'RESET', 'large-reply'],
      ['SET', 'big', 'A'.repeat(2048)], ['GET', 'big'], ['PING'], ['MGET', 'big', 'big', 'nokey'], ['HELLO', '3'], ['GET', 'big'],
      ['LPUSH', 'lst', 'B'.repeat(600), 'C'.repeat(600)], ['LRANGE', 'lst', '0', '-1'],
    ], async (_last, c) => [
      entries((await c.send(['COMMANDLOG', 'GET', '-1', 'large-request'])).value, true),
      entries((await c.send(['COMMANDLOG', 'GET', '-1', 'large-reply'])).value, true),
    ]);
    expect(m).toEqual(o);
    expect(o[1]!.length).toBeGreaterThanOrEqual(3);
  });
});

describe('LATENCY', () => {
  test('HELP, empty history, reset of unknown events, GRAPH without samples, DOCTOR when disabled', () =>
    d.check([
      ['LATENCY', 'HELP'], ['LATENCY', 'help', 'xxx'], ['LATENCY', 'RESET'], ['LATENCY', 'HISTORY', 'blabla'], ['LATENCY', 'RESET', 'blabla', 'x'],
      ['LATENCY', 'GRAPH', 'command'], ['LATENCY', 'LATEST'], ['LATENCY', 'DOCTOR'], ['LATENCY', 'NOPE'], ['LATENCY', 'LATEST', 'x'],
    ]));

  test('HISTOGRAM names the commands run since CONFIG RESETSTAT, with their calls', async () => {
    const calls = (v: RawValue): string[] => {
      const pairs: [RawValue, RawValue][] = v.type === 'map' ? v.value : [];
      if (v.type === 'array') for (let i = 0; i < items(v).length; i += 2) pairs.push([items(v)[i]!, items(v)[i + 1]!]);
      return pairs.map(([k, h]) => `${str(k)} ${JSON.stringify(h.type === 'map' ? str(h.value[0]![1]) : str(items(h)[1]!))}`).sort();
    };
    for (const resp of [2, 3] as const) {
      const script = [['HELLO', String(resp)], ['CONFIG', 'RESETSTAT'], ['SET', 'a', 'b'], ['SET', 'c', 'd'], ['CLIENT', 'ID'], ['GET', 'a']];
      const all = await both([...script, ['LATENCY', 'HISTOGRAM']], calls);
      expect(all[1]).toEqual(all[0]);
      const some = await both([...script, ['LATENCY', 'HISTOGRAM', 'client', 'set', 'nope', 'client|id']], calls);
      expect(some[1]).toEqual(some[0]);
    }
  });
});

describe('COMMANDLOG redaction of ACL arguments', () => {
  test('SETUSER, GETUSER and DELUSER arguments are redacted; the SET after them in a MULTI is not', async () => {
    const [o, m] = await both([
      ['CONFIG', 'SET', 'slowlog-log-slower-than', '0'], ['SLOWLOG', 'RESET'], ['ACL', 'SETUSER', 'log-user', 'on', '>pw', '+get'],
      ['ACL', 'GETUSER', 'log-user'], ['MULTI'], ['ACL', 'SETUSER', 'log-user', '+set'], ['SET', 'foo', 'bar'], ['EXEC'],
      ['ACL', 'DELUSER', 'log-user', 'nobody'], ['SLOWLOG', 'GET', '-1'],
    ], (last) => entries(last, false));
    expect(m).toEqual(o);
    expect(o.some((e) => e.join(' ').includes('set foo bar'.toUpperCase()) || e.join(' ').includes('SET foo bar'))).toBe(true);
  });
});
