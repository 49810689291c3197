/**
 * The pure parts of scripts/valkey-suite.ts: reading runtest's output, the
 * ratchet's verdict, and the README table being what the results say.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { compareRatchet, hangingTest, parseRuntestOutput, readmeTable, withDebugTags } from '../../scripts/valkey-suite.js';

const green = (s: string) => `\u001b[0;32;49m${s}\u001b[0m`;

describe('parseRuntestOutput', () => {
  const out = [
    'Starting test server at port 21079',
    '\u001b[1;37;49mTesting unit/type/incr\u001b[0m',
    `[${green('ok')}]: INCR against non existing key (0 ms)`,
    `[${green('ok')}]: a name (with parens) in it (12 ms)`,
    '[\u001b[0;31;49merr\u001b[0m]: INCR fails in odd ways in tests/unit/type/incr.tcl',
    'Expected 1 == 2 (context: type eval line 3)',
    '[\u001b[0;36;49mignore\u001b[0m]: INCR in place: Tag: needs:debug denied',
    '[\u001b[0;33;49mskip\u001b[0m]: skipped one',
    '[\u001b[0;31;49mexception\u001b[0m]: Executing test client: I/O error reading reply.',
    'while executing',
    '[1/1 \u001b[0;33;49mdone\u001b[0m]: unit/type/incr (0 seconds)',
  ].join('\n');
  const { result, tests } = parseRuntestOutput('unit/type/incr', out);

  test('counts each outcome, colours stripped', () => {
    expect(result).toMatchObject({ file: 'unit/type/incr', ok: 2, err: 1, exception: 1, ignored: 1, skipped: 1, end: 'exception' });
  });

  test('names tests as runtest does, and keeps the failure text', () => {
    expect(tests.map((t) => [t.name, t.outcome])).toEqual([
      ['INCR against non existing key', 'ok'],
      ['a name (with parens) in it', 'ok'],
      ['INCR fails in odd ways', 'err'],
      ['(exception)', 'exception'],
    ]);
    expect(tests[1]!.ms).toBe(12);
    expect(tests[2]!.detail).toBe('Expected 1 == 2 (context: type eval line 3)');
  });
});

describe('hangingTest', () => {
  const red = (t: string) => `\u001b[0;31;49m${t}\u001b[0m`;
  test('names the test runtest --timeout stopped, from its closing list', () => {
    const out = [
      `[${green('ok')}]: Pub/Sub PING on RESP2 (1 ms)`,
      `[${red('TIMEOUT')}]: clients state report follows.`,
      'sock6 => (IN PROGRESS) PubSub messages with CLIENT REPLY OFF',
      'Killing still running Valkey server 123',
      'The End',
      '',
      'The following tests failed:',
      '',
      `*** [${red('TIMEOUT')}]: PubSub messages with CLIENT REPLY OFF in tests/unit/pubsub.tcl`,
      'Cleanup: may take some time... OK',
    ].join('\n');
    expect(hangingTest(out)).toBe('PubSub messages with CLIENT REPLY OFF');
  });
  test('nothing when the file ran to its end or failed otherwise', () => {
    const out = [`[${red('err')}]: X in tests/unit/pubsub.tcl`, '', 'The following tests failed:', '',
      `*** [${red('err')}]: X in tests/unit/pubsub.tcl`].join('\n');
    expect(hangingTest(out)).toBeUndefined();
  });
});

describe('compareRatchet', () => {
  const k = (file: string, name: string) => `${file}\t${name}`;
  const listed = [k('unit/a', 'x'), k('unit/a', 'dup'), k('unit/a', 'dup'), k('unit/b', 'y'), k('unit/a', 'flaky')];

  test('a listed test that did not pass is a regression; an unlisted pass is new', () => {
    const r = compareRatchet(listed, [k('unit/a', 'dup'), k('unit/a', 'dup'), k('unit/a', 'new'), k('unit/b', 'y')], new Set([k('unit/a', 'flaky')]), ['unit/a', 'unit/b']);
    expect(r).toEqual({ regressions: [k('unit/a', 'x')], added: [k('unit/a', 'new')] });
  });

  test('a name listed twice must pass twice', () => {
    const r = compareRatchet(listed, [k('unit/a', 'x'), k('unit/a', 'dup'), k('unit/b', 'y')], new Set(), ['unit/a', 'unit/b']);
    expect(r.regressions).toEqual([k('unit/a', 'dup'), k('unit/a', 'flaky')]);
    expect(r.added).toEqual([]);
  });

  test('files not run are not judged, and known tests count neither way', () => {
    const r = compareRatchet(listed, [k('unit/a', 'x'), k('unit/a', 'dup'), k('unit/a', 'dup'), k('unit/a', 'flaky')], new Set([k('unit/a', 'flaky')]), ['unit/a']);
    expect(r).toEqual({ regressions: [], added: [] });
  });
});

test('the README table is the one the committed results give (npm run valkey-suite -- --readme)', () => {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('<!-- valkey-suite:start -->');
  const end = readme.indexOf('<!-- valkey-suite:end -->') + '<!-- valkey-suite:end -->'.length;
  expect(readme.slice(start, end)).toBe(readmeTable());
});

describe('--with-debug', () => {
  test('takes -needs:debug out of the tags and keeps the others', () => {
    expect(withDebugTags('-slow -needs:debug -needs:pfdebug -needs:repl -needs:save -needs:local-process'))
      .toBe('-slow -needs:pfdebug -needs:repl -needs:save -needs:local-process');
    expect(withDebugTags('  -needs:debug  ')).toBe('');
    expect(withDebugTags('-slow')).toBe('-slow');
  });
});
