import { defineConfig } from 'vitest/config';

// VALKEY_DOUBLE_JSON_REPORT=path adds a JSON report (CI prints its counts as the closing summary line).
const jsonReport = process.env['VALKEY_DOUBLE_JSON_REPORT'];

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'adapters/**/*.test.ts', 'conformance/**/*.test.ts'],
    // Every fast-check property takes its seed from test/support/seeds.ts: the same commit, the same inputs.
    setupFiles: ['test/support/fast-check-setup.ts'],
    pool: 'forks',
    // Generous: the heaviest properties take ~7 s alone and three times that on a loaded two-core machine.
    // Timeouts only catch hangs here; speed is measured by `npm run bench`.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    ...(jsonReport ? { reporters: ['default', 'json'], outputFile: { json: jsonReport } } : {}),
  },
});
