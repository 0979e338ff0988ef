/**
 * Address families of rules: which of IPv4 and IPv6 a rule applies to, derived from its target,
 * ingress address or sources. Shared by the E023 check and lowering.
 */

import type { Family } from '../ir/model.js';
import type { RAddressSet, RRule } from '../resolve/model.js';

const both: readonly Family[] = ['ipv4', 'ipv6'];

/** The families present in an address set, IPv4 first. */
export function familiesOf(set: RAddressSet): Family[] {
  let v4 = false;
  let v6 = false;
  for (const e of set.entries) {
    if (e.net.family === 'ipv4') v4 = true;
    else v6 = true;
  }
  return v4 ? (v6 ? ['ipv4', 'ipv6'] : ['ipv4']) : v6 ? ['ipv6'] : [];
}

/** The first family of an address set (IPv4 first), as a list: empty for an empty set. */
export function firstFamily(set: RAddressSet): Family[] {
  for (const e of set.entries) if (e.net.family === 'ipv4') return ['ipv4'];
  return set.entries.length > 0 ? ['ipv6'] : [];
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
      return rule.target ? firstFamily(rule.target) : [];
    case 'redirect':
      if (rule.ingress?.kind === 'address') return firstFamily(rule.ingress.set);
      if (rule.sources) return familiesOf(rule.sources);
      return [...both];
    case 'masquerade':
      if (!rule.source) return [];
      return rule.source.kind === 'interface' ? ['ipv4'] : familiesOf(rule.source.set);
  }
}
