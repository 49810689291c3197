/** The mock target: valkey-double, in this process. */
import { createServer, SystemClock, VirtualClock, type ValkeyServer } from '../../src/index.js';
import { sleep, type Capability, type Target, type TargetOptions } from './target.js';

export async function startMock(opts: TargetOptions = {}, server?: ValkeyServer): Promise<Target> {
  const virtual = (opts.clock ?? 'virtual') === 'virtual';
  const clock = virtual ? new VirtualClock() : new SystemClock();
  const s = server ?? (await createServer({ port: 0, clock }));
  const vclock = s.clock instanceof VirtualClock ? s.clock : undefined;
  const caps = new Set<Capability>(vclock ? ['virtual-clock'] : []);
  return {
    name: 'mock',
    description: `valkey-double (in-process, ${vclock ? 'virtual' : 'system'} clock)`,
    endpoint: { host: s.host, port: s.port },
    capabilities: caps,
    async elapse(ms) {
      if (vclock) vclock.advance(ms);
      else await sleep(ms);
    },
    close: () => (server ? Promise.resolve() : s.close()),
  };
}

/** A target around a server the caller made (e.g. with an engine of its own); closing it is the caller's business. */
export function mockTargetFor(server: ValkeyServer): Promise<Target> {
  return startMock({}, server);
}
