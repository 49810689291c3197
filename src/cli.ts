#!/usr/bin/env node
/**
 * `npx valkey-double [--port 6379] [--bind 127.0.0.1] [--databases 16] [--requirepass pw] [--aclfile users.acl]`
 * starts a server on real time and says where it listens. Ctrl-C (SIGINT) or
 * SIGTERM stops it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfigFile } from './engine/config-rewrite.js';
import { CONFIG_PARAMS } from './engine/config-params.js';
import { createProxy, createServer } from './index.js';

const USAGE = `usage: valkey-double [/path/to/valkey.conf] [options]

A Valkey 9 test double: a real RESP2/RESP3 server, in-process and in-memory.

options:
  -p, --port N            TCP port (default 6379; 0 picks a free one)
      --bind ADDR         interface to listen on (default 127.0.0.1)
      --databases N       number of databases (default 16)
      --requirepass PASS  require AUTH with this password
      --aclfile PATH      load ACL users from this file (ACL LOAD / ACL SAVE use it)
      --dir DIR, --dbfilename NAME
                          the RDB file (default ./dump.rdb): loaded at start when it exists, written by
                          SAVE, BGSAVE, save points and SHUTDOWN (without either, saves stay in memory)
      --config FILE       read parameters from this valkey.conf (also the first argument, as
                          valkey-server takes it); CONFIG REWRITE rewrites it
      --admin             accept the DOUBLE.FAULT / DOUBLE.CLOCK admin commands (fault rules over the wire)
      --seed N            seed of probabilistic faults (default: VALKEY_DOUBLE_SEED, else from the clock)
      --<name> VALUE...   any Valkey configuration parameter, as valkey-server takes it
                          (e.g. --enable-debug-command yes, --maxmemory-policy allkeys-lru,
                          --save 900 1): the words up to the next --option are its value
  -v, --version           print the version
  -h, --help              print this help

  valkey-double conformance [options]   run the conformance corpus (--help for its options)
  valkey-double cluster [options]       serve a whole cluster on consecutive ports (--help for its options)
  valkey-double proxy --target HOST:PORT [--port N] [--bind ADDR] [--admin] [--seed N]
                                        a fault proxy in front of a real Valkey: the same fault
                                        rules (DOUBLE.FAULT over the wire with --admin)`;

class UsageError extends Error {}

function intOption(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${value}'`);
  }
  return Number(value);
}

function version(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'valkey-double' && pkg.version) return pkg.version;
    } catch {
      // try the next location (src/ when run from source, dist/src/ when built)
    }
  }
  return 'unknown';
}

/** Options of this command line itself; any other --name that is a configuration parameter goes to the engine. */
const OWN_OPTIONS = new Set(['port', 'bind', 'databases', 'requirepass', 'version', 'help']);

/**
 * Takes the `--name value...` of configuration parameters out of argv, as
 * valkey-server reads them: every word up to the next `--option` belongs to
 * the value, joined by spaces. Returns the rest of argv and the parameters.
 */
function splitConfigArgs(argv: readonly string[]): { rest: string[]; config: Record<string, string> } {
  const known = new Set<string>();
  for (const d of CONFIG_PARAMS) {
    known.add(d.name);
    if (d.alias) known.add(d.alias);
  }
  const rest: string[] = [];
  const config: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.startsWith('--') ? a.slice(2).toLowerCase() : '';
    if (!name || name.includes('=') || OWN_OPTIONS.has(name) || !known.has(name)) {
      rest.push(a);
      continue;
    }
    const words: string[] = [];
    while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) words.push(argv[++i]!);
    if (words.length === 0) throw new UsageError(`--${name} needs a value`);
    config[name] = words.join(' ');
  }
  return { rest, config };
}

async function main(argv: string[]): Promise<void> {
  let values;
  let positionals: string[];
  const split = splitConfigArgs(argv);
  try {
    ({ values, positionals } = parseArgs({
      args: split.rest,
      options: {
        port: { type: 'string', short: 'p' },
        bind: { type: 'string' },
        databases: { type: 'string' },
        requirepass: { type: 'string' },
        aclfile: { type: 'string' },
        config: { type: 'string' },
        admin: { type: 'boolean' },
        seed: { type: 'string' },
        version: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.version) {
    console.log(`valkey-double ${version()}`);
    return;
  }
  if (positionals.length > 1 || (positionals.length === 1 && values.config !== undefined)) {
    throw new UsageError(`unexpected argument '${positionals[positionals.length - 1]}'`);
  }
  const configFile = values.config ?? positionals[0];
  let fileConfig: Record<string, string> = {};
  if (configFile !== undefined) {
    const known = new Set(CONFIG_PARAMS.flatMap((d) => (d.alias ? [d.name, d.alias] : [d.name])));
    fileConfig = parseConfigFile(readFileSync(configFile, 'latin1'), (n) => known.has(n));
    // The command line's parameters come after the file's, so they win (as valkey-server appends them).
    split.config = { ...fileConfig, ...split.config };
  }
  // port and bind from the file say where to listen, unless the command line does.
  const { port: filePort, bind: fileBind } = split.config;
  delete split.config['port'];
  delete split.config['bind'];
  const port = intOption('port', values.port ?? filePort ?? '6379', 0, 65535);
  const host = values.bind ?? fileBind?.split(' ')[0] ?? '127.0.0.1';
  const databases = values.databases !== undefined ? intOption('databases', values.databases, 1, 1_000_000) : undefined;
  const seed = values.seed !== undefined ? intOption('seed', values.seed, 0, 4294967295) : undefined;
  const server = await createServer({
    // Without --admin nothing outside this process can read the fault layer's request history
    // (DOUBLE.FAULT HISTORY is an admin command): keeping it would cost half the CPU of a pipelined request.
    faults: { admin: values.admin ?? false, ...(values.admin ? {} : { historyLimit: 0 }), ...(seed !== undefined ? { seed } : {}) },
    port,
    host,
    ...(databases !== undefined ? { databases } : {}),
    ...(values.requirepass !== undefined ? { requirepass: values.requirepass } : {}),
    ...(configFile !== undefined ? { configFile: resolve(configFile) } : {}),
    ...(Object.keys(split.config).length > 0 || values.aclfile !== undefined
      ? { config: { ...split.config, ...(values.aclfile !== undefined ? { aclfile: values.aclfile } : {}) } }
      : {}),
  });
  const where = server.host.includes(':') ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
  console.log(`valkey-double ${version()} listening on ${where} (${server.url})`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`valkey-double: ${signal}, shutting down`);
    // prepareForShutdown: with save points, the dataset is saved first.
    const p = server.engine.persistence;
    if (p.hasSavePoints && !p.save(server.engine.clock.now(), 'internal')) console.error(`valkey-double: error trying to save the DB to ${p.path}`);
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** `valkey-double proxy --target host:port`: the fault proxy (src/proxy) in front of a real server. */
async function proxyMain(argv: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        target: { type: 'string' },
        port: { type: 'string', short: 'p', default: '0' },
        bind: { type: 'string', default: '127.0.0.1' },
        admin: { type: 'boolean' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const m = /^(.*):(\d+)$/.exec(values.target ?? '');
  if (!m) throw new UsageError('proxy needs --target host:port');
  const target = { host: m[1]!.replace(/^\[|\]$/g, '') || '127.0.0.1', port: intOption('target', m[2]!, 1, 65535) };
  const seed = values.seed !== undefined ? intOption('seed', values.seed, 0, 4294967295) : undefined;
  const proxy = await createProxy({
    target,
    port: intOption('port', values.port, 0, 65535),
    host: values.bind,
    faults: { admin: values.admin ?? false, ...(seed !== undefined ? { seed } : {}) },
  });
  console.log(`valkey-double ${version()} fault proxy listening on ${proxy.host}:${proxy.port} (${proxy.url}), forwarding to ${target.host}:${target.port}`);
  const stop = () => void proxy.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const args = process.argv.slice(2);
if (args[0] === 'proxy') {
  proxyMain(args.slice(1)).catch((e: unknown) => {
    console.error(`valkey-double proxy: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(e instanceof UsageError ? 2 : 1);
  });
} else if (args[0] === 'conformance') {
  // The conformance corpus has its own command line (conformance/cli.ts), loaded only when asked for.
  import('../conformance/cli.js').then((m) => m.main(args.slice(1))).then((code) => process.exit(code), (e: unknown) => {
    console.error(`valkey-double conformance: ${e instanceof Error ? e.stack : String(e)}`);
    process.exit(1);
  });
} else if (args[0] === 'cluster') {
  import('./cluster/cli.js').then((m) => m.clusterMain(args.slice(1)).catch((e: unknown) => {
    console.error(`valkey-double cluster: ${e instanceof Error ? e.message : String(e)}${e instanceof m.ClusterUsageError ? `\n\n${m.CLUSTER_USAGE}` : ''}`);
    process.exit(e instanceof m.ClusterUsageError ? 2 : 1);
  }), (e: unknown) => {
    console.error(`valkey-double cluster: ${String(e)}`);
    process.exit(1);
  });
} else main(args).catch((e: unknown) => {
  if (e instanceof UsageError) {
    console.error(`valkey-double: ${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  const code = (e as { code?: string } | null)?.code;
  console.error(`valkey-double: ${code === 'EADDRINUSE' ? 'address already in use: ' : ''}${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
