/** `npm run fuzz`: the long fuzz run, one fork per shard, no time limit. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['test/fuzz/**/*.fuzz.ts'], testTimeout: 0, pool: 'forks' },
});
