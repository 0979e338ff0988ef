/** Fuzz shard 1 of test/fuzz/runner.ts (`npm run fuzz`). */

import { expect, it } from 'vitest';
import { runShard } from './runner.js';

it('fuzz shard 1', async () => {
  const report = await runShard(1);
  console.log(`pfc fuzz: ${JSON.stringify(report)}`);
  expect(report.inputs).toBeGreaterThan(0);
});
