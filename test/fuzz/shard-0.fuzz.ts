/** Fuzz shard 0 of test/fuzz/runner.ts (`npm run fuzz`). */

import { expect, it } from 'vitest';
import { runShard } from './runner.js';

it('fuzz shard 0', async () => {
  const report = await runShard(0);
  console.log(`pfc fuzz: ${JSON.stringify(report)}`);
  expect(report.inputs).toBeGreaterThan(0);
});
