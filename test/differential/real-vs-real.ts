/**
 * Evidence for a named loosening: the same script on several freshly started
 * real Valkey 9 processes, each with the hash seed it draws at start. When the
 * outcomes differ between processes, Valkey itself does not fix that reply,
 * and a comparison of valkey-double with one oracle process must accept any
 * of them.
 */
import { RawClient, type Arg } from '../../conformance/targets/raw-client.js';
import { startOracle, type OracleBinaries } from '../../conformance/targets/oracle.js';

/**
 * Runs `script` on `processes` fresh valkey-server processes (a few at a time)
 * and returns the raw bytes of the last reply of each run.
 */
export async function outcomesAcrossProcesses(bin: OracleBinaries, script: readonly (readonly Arg[])[], processes: number, parallel = 4): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < processes; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, processes - i) }, async () => {
      const server = await startOracle(bin);
      try {
        const c = await RawClient.connect(server.port);
        try {
          let last = '';
          for (const cmd of script) last = (await c.send(cmd)).raw;
          return last;
        } finally {
          c.close();
        }
      } finally {
        await server.stop();
      }
    });
    outcomes.push(...(await Promise.all(batch)));
  }
  return outcomes;
}
