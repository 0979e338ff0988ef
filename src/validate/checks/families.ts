/** Check E023: one rule never mixes IPv4 and IPv6 (target, ingress address and sources agree). */

import { familiesOf, firstFamily } from '../../analysis/families.js';
import { Messages } from '../../diagnostics/messages.js';
import type { Family } from '../../ir/model.js';
import type { RAddressSet } from '../../resolve/model.js';
import type { Check } from '../check.js';

const label = (f: Family): string => (f === 'ipv4' ? 'IPv4' : 'IPv6');

/** Reports addresses whose family differs from the rule's. */
export const familiesCheck: Check = {
  id: 'families',
  run(file, ctx) {
    const mismatch = (set: RAddressSet | null | undefined, allowed: readonly Family[], what: string, rule: string): void => {
      if (!set) return;
      const entries = set.entries;
      for (let j = 0; j < entries.length; j++) {
        const e = entries[j]!;
        if (!allowed.includes(e.net.family))
          ctx.report(Messages.MixedFamilies, e.span, {
            detail: `${label(e.net.family)} ${what} in an ${allowed.map(label).join('/')} ${rule}: IPv4 and IPv6 cannot be mixed in one rule.`,
          });
      }
    };
    const rules = file.rules;
    // Indexed: see check.ts.
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (rule.kind === 'forward' && rule.target) {
        const fam = firstFamily(rule.target);
        if (rule.ingress?.kind === 'address') mismatch(rule.ingress.set, fam, 'ingress address', 'forward');
        mismatch(rule.sources, fam, 'source', 'forward');
      } else if (rule.kind === 'redirect' && rule.ingress?.kind === 'address') {
        mismatch(rule.sources, firstFamily(rule.ingress.set), 'source', 'redirect');
      } else if (rule.kind === 'allow' && rule.target) {
        mismatch(rule.sources, familiesOf(rule.target), 'source', 'allow');
      }
    }
  },
};
