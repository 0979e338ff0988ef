/** Check W003: a `from` set that covers every address restricts nothing. */

import { familiesOf } from '../../analysis/families.js';
import { coversFamily, sourceSet } from '../../analysis/intervals.js';
import { Messages } from '../../diagnostics/messages.js';
import type { Family } from '../../ir/model.js';
import type { RAddress } from '../../resolve/model.js';
import type { Check } from '../check.js';

/**
 * The share of the family's address space the networks would cover if disjoint (1 = all of it),
 * in doubles: an over-estimate, exact to far better than the 0.5 it is compared with.
 */
function spaceShare(entries: readonly RAddress[], family: Family): number {
  let share = 0;
  for (let i = 0; i < entries.length; i++) {
    const n = entries[i]!.net;
    if (n.family === family) share += 2 ** -n.length;
  }
  return share;
}

/** Warns about from sets equal to the whole address space of a family. */
export const fromEverything: Check = {
  id: 'from-everything',
  run(file, ctx) {
    const rules = file.rules;
    // Indexed: see check.ts.
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (rule.kind === 'masquerade' || !rule.sources) continue;
      const families = familiesOf(rule.sources);
      for (let f = 0; f < families.length; f++) {
        const family = families[f]!;
        if (spaceShare(rule.sources.entries, family) < 0.5) continue; // far too small to be everything: no need to merge
        const nets = rule.sources.entries.map((e) => e.net);
        if (coversFamily(sourceSet(nets, family), family))
          ctx.report(Messages.FromEverything, rule.sources.span, { family: family === 'ipv4' ? 'IPv4' : 'IPv6' });
      }
    }
  },
};
