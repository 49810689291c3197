import { describe, expect, test } from 'vitest';
import { encode, type Bytes } from '../protocol/index.js';
import { VirtualClock } from '../time/index.js';
import { BLOCKED } from './command.js';
import { Engine } from './engine.js';
import type { Connector, LinkEvents } from './migrate.js';

/** A connector whose connections the test drives: it sees what was written and answers by hand. */
function fakeConnector() {
  const links: { host: string; port: number; events: LinkEvents; written: string[]; closed: boolean }[] = [];
  const connector: Connector = {
    connect(host, port, _timeout, events) {
      const l = { host, port, events, written: [] as string[], closed: false };
      links.push(l);
      return {
        write: (d) => { l.written.push(d); },
        readTimeout: () => {},
        close: () => { l.closed = true; },
      };
    },
  };
  return { connector, links };
}

function setup(connector?: Connector) {
  const clock = new VirtualClock({ start: 1_700_000_000_000 });
  const engine = new Engine({ clock, ...(connector ? { connector } : {}) });
  const replies: string[] = [];
  const a = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:7777', fd: 9 }, { deliver: (r) => { replies.push(encode(r, 2)); }, close: () => {} });
  const wire = (...argv: string[]) => {
    const r = engine.execute(a, argv);
    if (r === undefined || r === BLOCKED) return r;
    return encode(r, a.resp);
  };
  return { engine, clock, wire, replies };
}

describe('MIGRATE over an injected connector', () => {
  test('without a connector: the connect error', () => {
    const { wire } = setup();
    wire('SET', 'k', 'v');
    expect(wire('MIGRATE', 'h', '1', 'k', '0', '10')).toBe('-IOERR error or timeout connecting to the client\r\n');
  });

  test('the client waits for the replies; the key goes once acknowledged; SELECT only when the db changes', () => {
    const { connector, links } = fakeConnector();
    const { wire, replies, engine } = setup(connector);
    wire('SET', 'k', 'v');
    wire('SET', 'j', 'w');
    expect(wire('MIGRATE', 'h', '7', 'k', '3', '10')).toBe(BLOCKED);
    expect(links).toHaveLength(1);
    links[0]!.events.connected();
    expect(links[0]!.written[0]!.startsWith('*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n*4\r\n$7\r\nRESTORE\r\n$1\r\nk\r\n$1\r\n0\r\n')).toBe(true);
    links[0]!.events.data('+OK\r\n+O' as Bytes);
    expect(replies).toEqual([]);
    links[0]!.events.data('K\r\n' as Bytes);
    expect(replies).toEqual(['+OK\r\n']);
    expect(engine.db(0).peek('k')).toBeUndefined();
    // Same target and db: the cached link, no SELECT.
    expect(wire('MIGRATE', 'h', '7', 'j', '3', '10', 'COPY')).toBe(BLOCKED);
    expect(links).toHaveLength(1);
    expect(links[0]!.written[1]!.startsWith('*4\r\n$7\r\nRESTORE\r\n')).toBe(true);
    links[0]!.events.data('-BUSYKEY Target key name already exists.\r\n' as Bytes);
    expect(replies[1]).toBe('-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n');
    expect(engine.db(0).peek('j')).toBeDefined();
  });

  test('a stale cached link is retried once on a new one; a second failure is an IOERR', () => {
    const { connector, links } = fakeConnector();
    const { wire, replies } = setup(connector);
    wire('SET', 'k', 'v');
    wire('MIGRATE', 'h', '7', 'k', '0', '10', 'COPY');
    links[0]!.events.connected();
    links[0]!.events.data('+OK\r\n+OK\r\n' as Bytes);
    wire('MIGRATE', 'h', '7', 'k', '0', '10', 'COPY');
    links[0]!.events.failed('ECONNRESET');
    expect(links).toHaveLength(2);
    expect(links[0]!.closed).toBe(true);
    links[1]!.events.connected();
    links[1]!.events.failed('ECONNRESET');
    expect(replies).toEqual(['+OK\r\n', '-IOERR error or timeout reading to target instance\r\n']);
    // A timeout is not retried.
    wire('MIGRATE', 'h', '7', 'k', '0', '10', 'COPY');
    links[2]!.events.connected();
    links[2]!.events.failed('ETIMEDOUT');
    expect(links).toHaveLength(3);
    expect(replies[2]).toBe('-IOERR error or timeout reading to target instance\r\n');
  });

  test('cached links close after more than 10 idle seconds on the clock', () => {
    const { connector, links } = fakeConnector();
    const { wire, clock, engine } = setup(connector);
    wire('SET', 'k', 'v');
    wire('MIGRATE', 'h', '7', 'k', '0', '10', 'COPY');
    links[0]!.events.connected();
    links[0]!.events.data('+OK\r\n+OK\r\n' as Bytes);
    clock.advance(10_500);
    expect(engine.migrateLinks.size).toBe(1);
    clock.advance(1_000);
    expect(engine.migrateLinks.size).toBe(0);
    expect(links[0]!.closed).toBe(true);
  });

  test('inside MULTI the client cannot wait', () => {
    const { connector } = fakeConnector();
    const { wire } = setup(connector);
    wire('SET', 'k', 'v');
    wire('MULTI');
    wire('MIGRATE', 'h', '7', 'k', '0', '10');
    expect(wire('EXEC')).toBe('*1\r\n-IOERR error or timeout reading to target instance\r\n');
  });
});
