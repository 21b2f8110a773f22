import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Browser tests load the built dashboard; build it once per run.
    globalSetup: ['test/setup/build-web.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // DuckDB instances are per test file; two workers match the 2-core machines.
    pool: 'forks',
    maxWorkers: 2,
  },
});
