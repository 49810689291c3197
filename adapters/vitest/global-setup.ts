/**
 * vitest globalSetup: one valkey-double server (or VALKEY_DOUBLE_TARGET's
 * server) for the whole run.
 *
 *   // vitest.config.ts
 *   export default defineConfig({ test: { globalSetup: ['valkey-double/vitest/global-setup'] } });
 *   // a test file
 *   const valkey = useValkeyDouble({ scope: 'run' });   // or new Redis(process.env.VALKEY_DOUBLE_URL)
 *
 * The URL is also provided to `inject('valkeyDoubleUrl')`.
 */
import { startRunServer } from '../global.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The globalSetup server's URL (valkey-double/vitest/global-setup). */
    valkeyDoubleUrl: string;
  }
}

interface Project {
  provide?(key: string, value: unknown): void;
}

export default async function setup(project?: Project): Promise<() => Promise<void>> {
  const s = await startRunServer();
  project?.provide?.('valkeyDoubleUrl', s.url);
  return () => s.stop();
}
