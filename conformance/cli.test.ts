/**
 * The conformance command line: `valkey-double conformance ...` reaches
 * conformance/cli.ts through the package CLI, prints the per-command table,
 * writes JUnit and JSON, and says why a target cannot be had.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from './cli.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'conformance-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const lines: string[] = [];
  const errs: string[] = [];
  const origError = console.error;
  console.error = (...a: unknown[]) => { errs.push(a.map(String).join(' ')); };
  try {
    const code = await main(args, { log: (s) => lines.push(s), progress: () => {} });
    return { code, out: lines.join('\n'), err: errs.join('\n') };
  } finally {
    console.error = origError;
  }
}

describe('valkey-double conformance', () => {
  test('the package CLI hands `conformance` to the corpus', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'conformance', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: valkey-double conformance \[options\]/);
    expect(r.stdout).toContain('--target T');
  }, 60_000);

  test('a run prints the per-command table and writes JUnit XML and JSON', async () => {
    const junit = join(dir, 'c.xml');
    const json = join(dir, 'c.json');
    const r = await run(['--target', 'mock', '--kind', 'example', '--group', 'string', '--resp', '2', '--junit', junit, '--json', json]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^command +group +passed +failed +skipped +model calls +notes$/m);
    expect(r.out).toMatch(/^append +string +2 +0 +0 +0$/m);
    expect(r.out).toMatch(/conformance: \d+ passed, 0 failed, 0 skipped \(seed \d+\)/);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuite name="conformance raw RESP2 example string" tests="\d+" failures="0"/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { totals: { failed: number; passed: number }; runs: { commands: { command: string }[] }[] };
    expect(report.totals.failed).toBe(0);
    expect(report.totals.passed).toBeGreaterThan(20);
    expect(report.runs[0]!.commands.map((c) => c.command)).toContain('setrange');
  }, 60_000);

  test('usage errors and unavailable targets exit with 2 and say why', async () => {
    expect((await run(['--target', 'nowhere'])).err).toMatch(/unknown target 'nowhere'/);
    expect((await run(['--group', 'strings'])).code).toBe(2);
    expect((await run(['--path', '1:2'])).err).toMatch(/--path needs the --seed/);
    expect((await run(['--path', '1:2', '--seed', '1'])).err).toMatch(/give its --kind/);
    const prev = process.env['VALKEY_URL'];
    delete process.env['VALKEY_URL'];
    try {
      const r = await run(['--target', 'url']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/target url is unavailable: set VALKEY_URL/);
    } finally {
      if (prev !== undefined) process.env['VALKEY_URL'] = prev;
    }
  });
});
