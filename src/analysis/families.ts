/**
 * Address families of rules: which of IPv4 and IPv6 a rule applies to, derived from its target,
 * ingress address or sources. Shared by the E023 check and lowering.
 */

import type { Family } from '../ir/model.js';
import type { RAddressSet, RRule } from '../resolve/model.js';

// The answers are shared, read-only lists: checks, translations and lowering each ask for every
// rule's families, and a new list per question was garbage.
const none: readonly Family[] = [];
const onlyV4: readonly Family[] = ['ipv4'];
const onlyV6: readonly Family[] = ['ipv6'];
const both: readonly Family[] = ['ipv4', 'ipv6'];

/** The families present in an address set, IPv4 first. */
export function familiesOf(set: RAddressSet): readonly Family[] {
  let v4 = false;
  let v6 = false;
  const entries = set.entries;
  // Indexed: a for..of in code not yet optimised allocates an iterator result per step.
  for (let i = 0; i < entries.length; i++) {
    if (entries[i]!.net.family === 'ipv4') v4 = true;
    else v6 = true;
  }
  return v4 ? (v6 ? both : onlyV4) : v6 ? onlyV6 : none;
}

/** The first family of an address set (IPv4 first), as a list: empty for an empty set. */
export function firstFamily(set: RAddressSet): readonly Family[] {
  const entries = set.entries;
  for (let i = 0; i < entries.length; i++) if (entries[i]!.net.family === 'ipv4') return onlyV4;
  return entries.length > 0 ? onlyV6 : none;
}

/**
 * The families a rule applies to. A forward and an allow take their target's family; a redirect
 * its ingress address's or its sources', else both; a masquerade from an interface is IPv4 only
 * (IPv6 hosts have global addresses), from addresses their families.
 */
export function ruleFamilies(rule: RRule): readonly Family[] {
  switch (rule.kind) {
    case 'forward':
    case 'allow':
      return rule.target ? firstFamily(rule.target) : none;
    case 'redirect':
      if (rule.ingress?.kind === 'address') return firstFamily(rule.ingress.set);
      if (rule.sources) return familiesOf(rule.sources);
      return both;
    case 'masquerade':
      if (!rule.source) return none;
      return rule.source.kind === 'interface' ? onlyV4 : familiesOf(rule.source.set);
  }
}
