/** The engine's file access on the real file system (node:fs). */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import type { EngineFiles } from '../engine/files.js';

export const nodeFiles: EngineFiles = {
  read: (path) => readFileSync(path, 'latin1'),
  write(path, data) {
    const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
    try {
      writeFileSync(tmp, data, { encoding: 'latin1', mode: 0o644 });
      renameSync(tmp, path);
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        // the temporary file was never made
      }
      throw e;
    }
  },
};
