import { describe, expect, test } from 'vitest';
import { encode } from '../protocol/index.js';
import { VirtualClock } from '../time/index.js';
import { BLOCKED } from './command.js';
import { Engine } from './engine.js';

function setup() {
  const engine = new Engine({ clock: new VirtualClock({ start: 1_700_000_000_000 }) });
  const c = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:2', fd: 3 }, { deliver() {}, close() {} });
  const wire = (...argv: string[]) => {
    const r = engine.execute(c, argv);
    return r === undefined || r === BLOCKED ? r : encode(r, c.resp);
  };
  return { engine, c, wire };
}

describe('dispatch gates', () => {
  test('a RESP2 client in Pub/Sub mode runs only the Pub/Sub context commands', () => {
    const { c, wire } = setup();
    c.channels.add('ch');
    const refused = (name: string) =>
      `-ERR Can't execute '${name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n`;
    expect(wire('GET', 'k')).toBe(refused('get'));
    expect(wire('CLIENT', 'ID')).toBe(refused('client|id'));
    expect(wire('MULTI')).toBe(refused('multi'));
    // Earlier gates still come first.
    expect(wire('GET')).toBe("-ERR wrong number of arguments for 'get' command\r\n");
    expect(wire('NOSUCH')).toBe("-ERR unknown command 'NOSUCH', with args beginning with: \r\n");
    expect(wire('PING')).toBe('*2\r\n$4\r\npong\r\n$0\r\n\r\n');
    c.resp = 3; // RESP3 has no such context
    expect(wire('GET', 'k')).toBe('_\r\n');
  });

  test('queued commands are not run, and rejected ones are counted', () => {
    const { engine, c, wire } = setup();
    wire('MULTI');
    expect(wire('SET', 'k', 'v')).toBe('+QUEUED\r\n');
    expect(engine.db(0).size).toBe(0);
    expect(c.multi?.queue.map((q) => q.cmd.fullname)).toEqual(['set']);
    const before = engine.stats.rejectedCalls;
    wire('GET');
    expect(engine.stats.rejectedCalls).toBe(before + 1);
    expect(c.multi?.queue).toEqual([]); // flagTransaction drops the queue
    expect(wire('EXEC')).toBe('-EXECABORT Transaction discarded because of previous errors.\r\n');
    expect(engine.stats.errors.get('EXECABORT')).toBe(1);
  });
});
