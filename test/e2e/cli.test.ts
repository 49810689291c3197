/**
 * The command line: `npx valkey-double` runs src/cli.ts (built to
 * dist/src/cli.js). Spawned here from source through tsx, on free ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { freePort } from '../../conformance/targets/oracle.js';
import { TestClient } from './support/test-client.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Cli {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

const running: Cli[] = [];
const clients: TestClient[] = [];

function run(args: string[]): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const cli: Cli = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout!.on('data', (d: Buffer) => (cli.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (cli.stderr += d.toString()));
  running.push(cli);
  return cli;
}

/** A base port whose next `n` ports can all be listened on (checked by listening), in 20000–32000. */
async function consecutiveFreePorts(n: number): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * (12_000 - n));
    const servers: Server[] = [];
    try {
      for (let i = 0; i < n; i++) {
        const srv = createNetServer();
        await new Promise<void>((resolve, reject) => { srv.once('error', reject); srv.listen(base + i, '127.0.0.1', () => resolve()); });
        servers.push(srv);
      }
      return base;
    } catch {
      // taken: try another base
    } finally {
      await Promise.all(servers.map((srv) => new Promise((r) => srv.close(r))));
    }
  }
}

async function until(cli: Cli, re: RegExp, ms = 15_000): Promise<RegExpMatchArray> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const m = re.exec(cli.stdout);
    if (m) return m;
    if (cli.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ${re} in output; stdout: ${cli.stdout}; stderr: ${cli.stderr}`);
}

async function connect(port: number): Promise<TestClient> {
  const c = await TestClient.connect(port);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const cli of running.splice(0)) {
    if (cli.child.exitCode === null && cli.child.signalCode === null) {
      cli.child.kill('SIGKILL');
      await cli.exited;
    }
  }
});

describe('npx valkey-double', () => {
  test('listens where told, says so, serves clients, stops on SIGTERM', async () => {
    const port = await freePort();
    const cli = run(['--port', String(port)]);
    const m = await until(cli, /listening on (\S+):(\d+) \((\S+)\)/);
    expect(m[1]).toBe('127.0.0.1');
    expect(Number(m[2])).toBe(port);
    expect(m[3]).toBe(`redis://127.0.0.1:${port}`);
    const c = await connect(port);
    expect(await c.call('PING')).toBe('PONG');
    expect(await c.call('SET', 'k', 'v')).toBe('OK');
    expect(await c.call('GET', 'k')).toBe('v');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    await c.waitClosed();
    await expect(TestClient.connect(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  test('--requirepass, --databases and --bind', async () => {
    const port = await freePort();
    const cli = run(['--port', String(port), '--requirepass', 'pw', '--databases', '2', '--bind', '127.0.0.1']);
    await until(cli, /listening on 127\.0\.0\.1:/);
    const c = await connect(port);
    expect(await c.call('PING')).toEqual({ error: 'NOAUTH Authentication required.' });
    expect(await c.call('AUTH', 'pw')).toBe('OK');
    expect(await c.call('SELECT', '1')).toBe('OK');
    expect(await c.call('SELECT', '2')).toEqual({ error: 'ERR DB index is out of range' });
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });

  test('--aclfile: users come from the file, and a broken file stops the start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vd-cli-acl-'));
    const file = join(dir, 'users.acl');
    writeFileSync(file, 'user bob on >pw ~* +@all\n');
    const port = await freePort();
    const cli = run(['--port', String(port), '--aclfile', file]);
    await until(cli, /listening on/);
    const c = await connect(port);
    expect(await c.call('AUTH', 'bob', 'pw')).toBe('OK');
    expect(await c.call('ACL', 'WHOAMI')).toBe('bob');
    expect(await c.call('ACL', 'SAVE')).toBe('OK');
    expect(readFileSync(file, 'latin1')).toMatch(/^user bob on #[0-9a-f]{64} ~\* resetchannels \+@all\nuser default on nopass ~\* &\* \+@all\n$/);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    writeFileSync(file, 'user bob on +nosuch\n');
    const broken = run(['--port', String(await freePort()), '--aclfile', file]);
    expect(await broken.exited).not.toBe(0);
    expect(broken.stderr).toMatch(/ACL errors: .*Error in applying operation '\+nosuch'/);
  });

  test('--port 0 picks a free port and reports it', async () => {
    const cli = run(['--port', '0']);
    const m = await until(cli, /listening on 127\.0\.0\.1:(\d+)/);
    const port = Number(m[1]);
    expect(port).toBeGreaterThan(0);
    const c = await connect(port);
    expect(await c.call('ECHO', 'hi')).toBe('hi');
  });

  test('a port in use is an error with exit code 1', async () => {
    const port = await freePort();
    const first = run(['--port', String(port)]);
    await until(first, /listening/);
    const second = run(['--port', String(port)]);
    expect(await second.exited).toBe(1);
    expect(second.stderr).toMatch(/address already in use/);
  });

  test('bad arguments print usage and exit 2; --help and --version exit 0', async () => {
    const bad = run(['--port', 'abc']);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr).toMatch(/--port must be an integer from 0 to 65535, got 'abc'/);
    expect(bad.stderr).toMatch(/usage: valkey-double/);
    const unknown = run(['--nope']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--nope'/);
    const help = run(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.stdout).toMatch(/--requirepass PASS/);
    const version = run(['--version']);
    expect(await version.exited).toBe(0);
    expect(version.stdout).toMatch(/^valkey-double \d+\.\d+\.\d+/);
  });

  test('configuration parameters as valkey-server takes them: --enable-debug-command yes, multi-word values, bad values', async () => {
    const port = await freePort();
    const cli = run(['--port', String(port), '--enable-debug-command', 'yes', '--save', '900', '1', '300', '10', '--maxmemory-policy', 'allkeys-lru']);
    await until(cli, /listening/);
    const c = await connect(port);
    expect(await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1')).toBe('OK');
    expect(await c.call('CONFIG', 'GET', 'save')).toEqual(['save', '900 1 300 10']);
    expect(await c.call('CONFIG', 'GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lru']);
    const plain = await freePort();
    const off = run(['--port', String(plain)]);
    await until(off, /listening/);
    const d = await connect(plain);
    expect(await d.call('DEBUG', 'HELP')).toEqual({ error: expect.stringMatching(/^ERR DEBUG command not allowed\. If the enable-debug-command option is set to "local"/) });
    const bad = run(['--port', '0', '--enable-debug-command', 'maybe']);
    expect(await bad.exited).toBe(1);
    expect(bad.stderr).toMatch(/enable-debug-command/);
  });
});

describe('npx valkey-double cluster', () => {
  test('serves the nodes on consecutive ports from the base port, primaries first, and stops on SIGTERM', async () => {
    // Six consecutive ports, below the ephemeral range so that other tests' client sockets do not take one
    // between the check and the CLI's listen; a base taken anyway (EADDRINUSE) is tried again with another.
    let base = 0;
    let cli: Cli | undefined;
    for (let tries = 0; tries < 8 && !cli; tries++) {
      base = await consecutiveFreePorts(6);
      const attempt = run(['cluster', '--primaries', '3', '--replicas-per-primary', '1', '--base-port', String(base)]);
      try {
        await until(attempt, /cluster of 6 nodes serving/);
        cli = attempt;
      } catch (e) {
        attempt.child.kill('SIGKILL');
        if (!/EADDRINUSE/.test(attempt.stderr)) throw e;
      }
    }
    if (!cli) throw new Error('no six consecutive free ports found');
    const lines = cli.stdout.trim().split('\n').slice(0, 6);
    expect(lines.map((l) => l.split(' ')[0])).toEqual([0, 1, 2, 3, 4, 5].map((i) => `127.0.0.1:${base + i}`));
    expect(lines.map((l) => l.split(' ')[2])).toEqual(['primary', 'primary', 'primary', 'replica', 'replica', 'replica']);
    expect(lines[0]).toMatch(/ slots 0-5460$/);
    const c = await connect(base);
    expect(await c.call('CLUSTER', 'KEYSLOT', 'foo')).toBe(12182);
    expect(await c.call('GET', 'foo')).toEqual({ error: `MOVED 12182 127.0.0.1:${base + 2}` });
    const info = await c.call('CLUSTER', 'INFO');
    expect(String(info)).toContain('cluster_state:ok');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  test('bad options are usage errors', async () => {
    const cli = run(['cluster', '--primaries', 'x']);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr).toContain("--primaries must be an integer from 1 to 16384, got 'x'");
  });
});
