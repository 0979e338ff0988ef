/**
 * pfc's iptables and ip6tables output in the e2e router, for the suites that load it (the
 * iptables suite and explain's): the base firewall with INPUT policy DROP for both families, and
 * a rule set compiled for both families and restored with one variant (nft or legacy).
 */

import { compile, renderDiagnostics } from '../../src/index.js';
import type { IptablesTool, IptablesVariant } from '../support/iptables.js';
import { load, loadBaseFirewall, type Topology } from './netns.js';

/** INPUT policy DROP for one family (what the nftables suite's base does for input). */
export const inputDrop = (icmp: 'icmp' | 'ipv6-icmp') =>
  [
    '*filter',
    ':INPUT DROP [0:0]',
    '-F INPUT',
    '-A INPUT -i lo -j ACCEPT',
    '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    `-A INPUT -p ${icmp} -j ACCEPT`,
    'COMMIT',
    '',
  ].join('\n');

/** A rule set compiled for iptables and ip6tables; throws with the diagnostics when either fails. */
export function compileBoth(pf: string): { iptables: string; ip6tables: string } {
  const out = { iptables: '', ip6tables: '' };
  for (const target of ['iptables', 'ip6tables'] as const) {
    const result = compile(pf, 'e2e.pf', target);
    if (result.output === null) throw new Error(`compile failed:\n${renderDiagnostics(result.diagnostics, new Map([['e2e.pf', pf]]))}`);
    out[target] = result.output;
  }
  return out;
}

/** The restore command of a tool in a variant, as netns.ts's load names it. */
export const loaderOf = (tool: IptablesTool, variant: IptablesVariant) => `${tool}-${variant}` as const;

/** The base firewall (FORWARD policy DROP) and INPUT policy DROP, for both families. */
export async function loadIptablesBase(T: Topology, variant: IptablesVariant): Promise<void> {
  await loadBaseFirewall(T, `iptables-${variant}`);
  for (const [tool, icmp] of [
    ['iptables', 'icmp'],
    ['ip6tables', 'ipv6-icmp'],
  ] as const) {
    const r = await load(T.router, inputDrop(icmp), loaderOf(tool, variant));
    if (!r.ok) throw new Error(`INPUT base (${tool}) did not load: ${r.stderr}`);
  }
}

/** Compiles a rule set for both families and restores each; throws with the tool's complaint. */
export async function loadIptablesPair(T: Topology, variant: IptablesVariant, pf: string): Promise<void> {
  const texts = compileBoth(pf);
  for (const tool of ['iptables', 'ip6tables'] as const) {
    const r = await load(T.router, texts[tool], loaderOf(tool, variant));
    if (!r.ok) throw new Error(`${loaderOf(tool, variant)}-restore rejected the rule set:\n${r.stderr}\n${texts[tool]}`);
  }
}
