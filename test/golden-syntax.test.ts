/**
 * Goldens are checked by the real tool, not only compared: every expected nftables output under
 * fixtures/ must pass `nft -c -f` inside a throwaway network namespace. (The iptables goldens are
 * checked with iptables-restore --test in test/backends/iptables.test.ts.)
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureCases } from './support/fixtures.js';
import { nftAvailable, nftCheck } from './support/nft.js';

const nft = await nftAvailable();
const mustRun = process.env.CI === 'true';
if (!nft.ok && !mustRun) console.warn(`golden nft -c skipped: ${nft.reason}`);

const goldens = fixtureCases()
  .map((c) => ({ name: c.name, path: join(c.dir, 'nftables.nft') }))
  .filter((g) => existsSync(g.path));

describe.skipIf(!nft.ok && !mustRun)('every nftables golden passes nft -c', () => {
  it('there are goldens to check', () => {
    expect(nft.reason).toBe('');
    expect(goldens.length).toBeGreaterThan(20);
  });
  it.each(goldens.map((g) => [g.name, g.path] as const))('%s', async (_name, path) => {
    const result = await nftCheck(readFileSync(path, 'utf8'));
    expect(result.stderr).toBe('');
    expect(result.ok).toBe(true);
  });
});
