#!/usr/bin/env node
/**
 * `npx valkey-double [--port 6379] [--bind 127.0.0.1] [--databases 16] [--requirepass pw]`
 * starts a server and says where it listens. `npx valkey-double conformance ...`
 * runs the conformance corpus (see conformance/).
 */
import { parseArgs } from 'node:util';
import { createServer } from './index.js';

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', short: 'p', default: '6379' },
      bind: { type: 'string', default: '127.0.0.1' },
      databases: { type: 'string' },
      requirepass: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log('usage: valkey-double [--port N] [--bind ADDR] [--databases N] [--requirepass PASSWORD]');
    return;
  }
  const server = await createServer({
    port: Number(values.port),
    host: values.bind!,
    ...(values.databases !== undefined ? { databases: Number(values.databases) } : {}),
    ...(values.requirepass !== undefined ? { requirepass: values.requirepass } : {}),
  });
  console.log(`valkey-double listening on ${server.host}:${server.port} (${server.url})`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
