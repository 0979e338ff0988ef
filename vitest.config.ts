import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // e2e files build network namespaces and load kernel rules; they take seconds, not ms.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
