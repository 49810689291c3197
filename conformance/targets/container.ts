/**
 * The container target: Valkey 9 in Docker, through @testcontainers/valkey
 * (an optional peer dependency, imported only when this target is asked for).
 * Without a container runtime it is unavailable, with the reason.
 */
import { sleep, TargetUnavailable, type Target, type TargetOptions } from './target.js';

interface StartedValkey {
  getHost(): string;
  getPort(): number;
  stop(): Promise<unknown>;
}
interface ValkeyContainerModule {
  ValkeyContainer: new (image: string) => { start(): Promise<StartedValkey> };
}
interface TestcontainersModule {
  getContainerRuntimeClient(): Promise<unknown>;
}

export const DEFAULT_IMAGE = 'valkey/valkey:9';

export async function startContainer(opts: TargetOptions = {}): Promise<Target> {
  const image = opts.image ?? process.env['VALKEY_IMAGE'] ?? DEFAULT_IMAGE;
  let mod: ValkeyContainerModule;
  let tc: TestcontainersModule;
  try {
    // Specifiers held in variables: the packages are optional, and nothing loads them unless this target runs.
    const valkeyPkg = '@testcontainers/valkey';
    const tcPkg = 'testcontainers';
    mod = (await import(valkeyPkg)) as ValkeyContainerModule;
    tc = (await import(tcPkg)) as TestcontainersModule;
  } catch (e) {
    throw new TargetUnavailable('container', `@testcontainers/valkey is not installed (npm i -D @testcontainers/valkey): ${(e as Error).message}`);
  }
  try {
    await tc.getContainerRuntimeClient();
  } catch (e) {
    throw new TargetUnavailable('container', `no container runtime (Docker) found: ${(e as Error).message.split('\n')[0]}`);
  }
  const started = await new mod.ValkeyContainer(image).start();
  return {
    name: 'container',
    description: `${image} (container)`,
    endpoint: { host: started.getHost(), port: started.getPort() },
    capabilities: new Set(),
    elapse: sleep,
    close: async () => { await started.stop(); },
  };
}
