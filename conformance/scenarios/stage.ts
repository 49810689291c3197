/**
 * Stages: valkey-double itself (the mock), or a fault proxy in front of a
 * real Valkey (the oracle), so the same scenarios run against both.
 */
import { createProxy, createServer, type RawValue } from '../../src/index.js';
import { findOracle, startOracle } from '../targets/oracle.js';
import { RawClient } from '../targets/raw-client.js';
import type { Stage, Val } from './types.js';

export function valOf(v: RawValue): Val {
  switch (v.type) {
    case 'null': return null;
    case 'array': case 'set': case 'push': return v.value === null ? null : v.value.map(valOf);
    case 'map': case 'attr': return v.value.flatMap(([k, x]) => [valOf(k), valOf(x)]);
    case 'error': case 'bloberror': return `!${v.value}`;
    case 'int': return String(v.value);
    case 'bool': return String(v.value);
    default: return v.value;
  }
}

/** A raw connection for `direct`, opened again when it closed. */
function directClient(port: number): { send(args: readonly string[]): Promise<Val>; close(): void } {
  let c: RawClient | undefined;
  return {
    async send(args) {
      if (!c || c.isClosed) c = await RawClient.connect(port);
      return valOf((await c.send(args)).value);
    },
    close: () => c?.close(),
  };
}

/**
 * valkey-double on real time. `direct` goes through a second server on the
 * same engine, whose fault rules are its own (none): the data is the same,
 * the faults never touch it.
 */
export async function mockStage(): Promise<Stage> {
  const server = await createServer();
  const side = await createServer({ engine: server.engine });
  const direct = directClient(side.port);
  return {
    name: 'mock',
    description: 'valkey-double (in this process, real time)',
    endpoint: { host: server.host, port: server.port },
    faults: server.faults,
    direct: (args) => direct.send(args),
    async restart(downMs) {
      await server.crash();
      await new Promise((r) => setTimeout(r, downMs));
      await server.restart();
    },
    async reset() {
      server.faults.reset();
      await direct.send(['FLUSHALL']);
    },
    async close() {
      direct.close();
      await server.close();
      await side.close();
    },
  };
}

/**
 * A fault proxy in front of a real valkey-server 9 started for the run.
 * Throws when no Valkey 9 binary is found.
 */
export async function proxyStage(): Promise<Stage> {
  const bin = findOracle();
  if (!bin) throw new Error('no Valkey 9 valkey-server found (VALKEY_SERVER, the oracle cache, or PATH)');
  const oracle = await startOracle(bin);
  const proxy = await createProxy({ target: { host: '127.0.0.1', port: oracle.port } });
  const direct = directClient(oracle.port);
  return {
    name: 'proxy',
    description: `the fault proxy in front of valkey-server ${oracle.version}`,
    endpoint: { host: proxy.host, port: proxy.port },
    faults: proxy.faults,
    direct: (args) => direct.send(args),
    async restart(downMs) {
      await proxy.crash();
      await new Promise((r) => setTimeout(r, downMs));
      await proxy.restart();
    },
    async reset() {
      proxy.faults.reset();
      await direct.send(['FLUSHALL']);
    },
    async close() {
      direct.close();
      await proxy.close();
      await oracle.stop();
    },
  };
}
