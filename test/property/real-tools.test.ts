/**
 * Generated rule sets, with hostile-but-valid comments (`;`, `#`, braces, quotes, `$`, backticks,
 * `-j`, `--`), through the real tools: `nft -c` for nftables and `iptables-restore --test` (nft
 * and legacy) for iptables, in throwaway namespaces. Each output must load, and hold exactly the
 * rules of the same file with plain comments. Skips without root, nft or iptables.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hooks } from '../../src/backends/iptables-builder.js';
import { compile } from '../../src/index.js';
import { iptablesAvailable, restoreCheck } from '../support/iptables.js';
import { nftAvailable, nftCheck } from '../support/nft.js';
import { validFile } from './arbitraries.js';

const samples = Number(process.env.PFC_TOOL_SAMPLES ?? 2);
const files = fc.sample(validFile({ portable: false }), { numRuns: samples, seed: Number(process.env.PFC_SEED ?? 20261125) });
const hostile =
  'interface wan = eth0\ninterface lan = br-lan subnet 192.168.1.0/24\n' +
  'forward tcp wan:80 -> 192.168.1.2 log comment "x; -j ACCEPT # } { \' $(id) `id` -- --dport 22"\n' +
  'allow tcp wan -> 192.168.1.3:443 comment "\' ; } { /* */ // %s %n"\n';
const v4hooks = hooks({ family: 'ipv4', tool: 'iptables', other: 'ip6tables' }, {});
const rules = (text: string, pattern: RegExp) => text.split('\n').filter((l) => pattern.test(l)).length;

describe('generated outputs pass the real tools', async () => {
  const nft = await nftAvailable();
  const ipt = await iptablesAvailable();
  it('documents why it may skip', () => {
    expect(typeof nft.reason).toBe('string');
  });
  it.runIf(nft.ok)('nft -c accepts every generated nftables rule set', async () => {
    for (const source of [...files, hostile]) {
      const out = compile(source, 'gen.pf', 'nftables').output;
      if (source === hostile) expect(out).not.toBeNull();
      if (out === null) continue;
      const r = await nftCheck(out);
      expect(r.stderr, source).toBe('');
      expect(r.ok).toBe(true);
      const plain = compile(source.replace(/comment "(?:[^"\\]|\\.)*"/g, 'comment "x"'), 'gen.pf', 'nftables').output ?? '';
      expect(rules(out, /(dnat|snat|masquerade|accept|redirect|log)\b/)).toBe(rules(plain, /(dnat|snat|masquerade|accept|redirect|log)\b/));
    }
  });
  it.runIf(ipt.ok)('iptables-restore --test (nft and legacy) accepts every generated iptables rule set', async () => {
    for (const source of [...files, hostile]) {
      const out = compile(source, 'gen.pf', 'iptables').output;
      if (out === null) continue;
      for (const variant of ['nft', 'legacy'] as const) {
        const r = await restoreCheck('iptables', variant, out, v4hooks);
        expect(r.stderr, `${variant}: ${source}`).toBe('');
        expect(r.ok).toBe(true);
      }
      const plain = compile(source.replace(/comment "(?:[^"\\]|\\.)*"/g, 'comment "x"'), 'gen.pf', 'iptables').output ?? '';
      expect(rules(out, /^-A /)).toBe(rules(plain, /^-A /));
    }
  });
});
