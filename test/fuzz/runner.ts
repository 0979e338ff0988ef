/**
 * The long fuzz run (`npm run fuzz`, PFC_FUZZ_COUNT inputs, default 1,000,000, split over the
 * shard files): in-process through the public API with the property tests' invariants, then a
 * sample through the real CLI and the real nft -c / iptables-restore --test.
 */

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { hooks } from '../../src/backends/iptables-builder.js';
import { compile } from '../../src/index.js';
import { mutated, validFile } from '../property/arbitraries.js';
import { assertInvariants, targetIds } from '../property/invariants.js';
import { fixtureCases } from '../support/fixtures.js';
import { iptablesAvailable, restoreCheck } from '../support/iptables.js';
import { nftAvailable, nftCheck } from '../support/nft.js';

/** Shards run in parallel, one per core. */
export const shards = 2;
const total = Number(process.env.PFC_FUZZ_COUNT ?? 1_000_000);
const fixtures = fixtureCases().map((c) => readFileSync(join(c.dir, 'input.pf'), 'utf8'));

/** Every kind of input the fuzzer makes, weighted towards what reaches deep into the pipeline. */
export const anyInput: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('utf8')) },
  { weight: 3, arbitrary: mutated(fc.constantFrom(...fixtures)) },
  { weight: 3, arbitrary: mutated(validFile({ portable: false })) },
  { weight: 2, arbitrary: validFile({ portable: false }) },
);

/** Runs one shard; returns counts for the closing report. Throws (with a shrunk counterexample) on a failure. */
export async function runShard(shard: number): Promise<Record<string, number>> {
  const count = Math.ceil(total / shards);
  const started = Date.now();
  fc.assert(
    fc.property(anyInput, fc.constantFrom(...targetIds), (source, target) => void assertInvariants(source, 'fuzz.pf', [target])),
    { numRuns: count, seed: 1000 + shard, endOnFailure: true },
  );
  const inProcess = Date.now() - started;
  const cli = fc.sample(anyInput, { numRuns: Number(process.env.PFC_FUZZ_CLI ?? 40), seed: 2000 + shard });
  const main = new URL('../../dist/cli/pfc.js', import.meta.url).pathname;
  for (const [i, input] of cli.entries()) {
    const target = targetIds[i % targetIds.length]!;
    const r = spawnSync(process.execPath, [main, 'compile', '-', '-t', target], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    if (![0, 1, 2].includes(r.status ?? -1) || /\n\s+at /.test(r.stderr)) throw new Error(`CLI status ${r.status} for ${JSON.stringify(input)}: ${r.stderr}`);
    if (r.status === 1 && !/(error|warning) [EW]\d{3}/.test(r.stderr)) throw new Error(`CLI exit 1 without a diagnostic for ${JSON.stringify(input)}`);
  }
  let tools = 0;
  const valid = fc.sample(validFile({ portable: false }), { numRuns: Number(process.env.PFC_FUZZ_TOOLS ?? 10), seed: 3000 + shard });
  const v4hooks = hooks({ family: 'ipv4', tool: 'iptables', other: 'ip6tables' }, {});
  const [nft, ipt] = [await nftAvailable(), await iptablesAvailable()];
  for (const source of valid) {
    const n = compile(source, 'fuzz.pf', 'nftables').output;
    if (nft.ok && n !== null && !(await nftCheck(n)).ok) throw new Error(`nft -c rejects the output of ${JSON.stringify(source)}`);
    const i = compile(source, 'fuzz.pf', 'iptables').output;
    if (ipt.ok && i !== null && !(await restoreCheck('iptables', 'legacy', i, v4hooks)).ok)
      throw new Error(`iptables-restore rejects the output of ${JSON.stringify(source)}`);
    tools++;
  }
  return { shard, inputs: count, inProcessMs: inProcess, cli: cli.length, realTools: nft.ok || ipt.ok ? tools : 0, totalMs: Date.now() - started };
}
