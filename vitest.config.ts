import { defineConfig } from 'vitest/config';

// VALKEY_DOUBLE_JSON_REPORT=path adds a JSON report (CI prints its counts as the closing summary line).
const jsonReport = process.env['VALKEY_DOUBLE_JSON_REPORT'];

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'adapters/**/*.test.ts', 'conformance/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    ...(jsonReport ? { reporters: ['default', 'json'], outputFile: { json: jsonReport } } : {}),
  },
});
