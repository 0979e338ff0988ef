/**
 * Backend iptables: the IPv4 rules of the IR as `iptables-restore --noflush` input that replaces
 * the chains pfc owns and checks its hooks (built by iptables-builder.ts, rendered by
 * templates/iptables.rules.hbs). Pure; docs/targets.md#iptables-and-ip6tables.
 */

import type { Backend } from './backend.js';
import { type IptablesFlavour, type IptablesView, iptablesUnsupported, iptablesView } from './iptables-builder.js';

const flavour: IptablesFlavour = { family: 'ipv4', tool: 'iptables', other: 'ip6tables' };

/** The iptables target (IPv4; IPv6 rules go to ip6tables). */
export const iptables: Backend<IptablesView> = {
  id: 'iptables',
  aliases: ['iptables-restore'],
  description: 'iptables-restore --noflush input (IPv4): chains PFC-*, one hook each in nat and filter',
  template: 'iptables.rules.hbs',
  outputName: 'iptables.rules',
  unsupported: (ir, opts) => iptablesUnsupported(ir, opts, flavour),
  toViewModel: (ir, opts) => iptablesView(ir, opts, flavour),
};
