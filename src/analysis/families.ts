/**
 * Address families of rules: which of IPv4 and IPv6 a rule applies to, derived from its target,
 * ingress address or sources. Shared by the E023 check and lowering.
 */

import type { Family } from '../ir/model.js';
import type { RAddressSet, RRule } from '../resolve/model.js';

const both: readonly Family[] = ['ipv4', 'ipv6'];

/** The families present in an address set, IPv4 first. */
export function familiesOf(set: RAddressSet): Family[] {
  return both.filter((f) => set.entries.some((e) => e.net.family === f));
}

/**
 * The families a rule applies to. A forward and an allow take their target's family; a redirect
 * its ingress address's or its sources', else both; a masquerade from an interface is IPv4 only
 * (IPv6 hosts have global addresses), from addresses their families.
 */
export function ruleFamilies(rule: RRule): Family[] {
  switch (rule.kind) {
    case 'forward':
    case 'allow':
      return rule.target ? familiesOf(rule.target).slice(0, 1) : [];
    case 'redirect':
      if (rule.ingress?.kind === 'address') return familiesOf(rule.ingress.set).slice(0, 1);
      if (rule.sources) return familiesOf(rule.sources);
      return [...both];
    case 'masquerade':
      if (!rule.source) return [];
      return rule.source.kind === 'interface' ? ['ipv4'] : familiesOf(rule.source.set);
  }
}
