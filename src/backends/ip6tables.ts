/**
 * Backend ip6tables: the IPv6 rules of the IR as `ip6tables-restore --noflush` input that
 * replaces the chains pfc owns and checks its hooks (built by iptables-builder.ts, rendered by
 * templates/iptables.rules.hbs). Pure; docs/targets.md#iptables-and-ip6tables.
 */

import type { Backend } from './backend.js';
import { type IptablesFlavour, type IptablesView, iptablesUnsupported, iptablesView } from './iptables-builder.js';

const flavour: IptablesFlavour = { family: 'ipv6', tool: 'ip6tables', other: 'iptables' };

/** The ip6tables target (IPv6; IPv4 rules go to iptables). */
export const ip6tables: Backend<IptablesView> = {
  id: 'ip6tables',
  aliases: ['ip6tables-restore'],
  description: 'ip6tables-restore --noflush input (IPv6): chains PFC-*, one hook each in nat and filter',
  template: 'iptables.rules.hbs',
  outputName: 'ip6tables.rules',
  unsupported: (ir, opts) => iptablesUnsupported(ir, opts, flavour),
  toViewModel: (ir, opts) => iptablesView(ir, opts, flavour),
};
