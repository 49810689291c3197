import { expect, test } from 'vitest';
import { VirtualClock } from '../time/index.js';
import { Engine } from './engine.js';

function setup(config: Record<string, string> = {}) {
  const clock = new VirtualClock({ start: 1_700_000_000_000 });
  const engine = new Engine({ clock, config });
  const c = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:7777', fd: 9 }, { deliver: () => {}, close: () => {} });
  return { engine, clock, c, over: (bytes: number) => engine.outputLimits.exceeded(c, bytes, clock.now()) };
}

test('the hard limit closes at once; the soft one only after it held for more than its seconds', () => {
  const { engine, clock, over } = setup({ 'client-output-buffer-limit': 'normal 1000 500 2' });
  expect(over(999)).toBe(false);
  expect(over(1000)).toBe(true);
  expect(over(600)).toBe(false); // the soft limit is first seen now
  clock.advance(2_000);
  expect(over(600)).toBe(false); // 2 s: not more than 2
  clock.advance(1_000);
  expect(over(600)).toBe(true);
  expect(over(600)).toBe(false); // counting starts over
  clock.advance(1_000);
  expect(over(100)).toBe(false); // below the soft limit: the count resets
  clock.advance(5_000);
  expect(over(600)).toBe(false);
  expect(engine.outputLimits.disconnections).toBe(2);
});

test('pubsub clients have their class; a client yet to authenticate may hold 1024 bytes', () => {
  const { engine, c, over } = setup({ 'client-output-buffer-limit': 'pubsub 2000 0 0', requirepass: 'pw' });
  expect(over(1024)).toBe(false);
  expect(over(1025)).toBe(true);
  c.authenticated = true;
  expect(over(100_000)).toBe(false);
  c.channels.add('ch');
  expect(over(2000)).toBe(true);
  engine.config.setMany([['client-output-buffer-limit', 'pubsub 0 0 0']]);
  expect(over(100_000)).toBe(false);
});
