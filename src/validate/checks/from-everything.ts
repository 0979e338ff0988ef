/** Check W003: a `from` set that covers every address restricts nothing. */

import { familiesOf } from '../../analysis/families.js';
import { coversFamily, sourceSet } from '../../analysis/intervals.js';
import { Messages } from '../../diagnostics/messages.js';
import type { Family } from '../../ir/model.js';
import type { Net } from '../../net/address.js';
import type { Check } from '../check.js';

/**
 * The share of the family's address space the networks would cover if disjoint (1 = all of it),
 * in doubles: an over-estimate, exact to far better than the 0.5 it is compared with.
 */
function spaceShare(nets: readonly Net[], family: Family): number {
  let share = 0;
  for (const n of nets) if (n.family === family) share += 2 ** -n.length;
  return share;
}

/** Warns about from sets equal to the whole address space of a family. */
export const fromEverything: Check = {
  id: 'from-everything',
  run(file, ctx) {
    for (const rule of file.rules) {
      if (rule.kind === 'masquerade' || !rule.sources) continue;
      const nets = rule.sources.entries.map((e) => e.net);
      for (const family of familiesOf(rule.sources)) {
        if (spaceShare(nets, family) < 0.5) continue; // far too small to be everything: no need to merge
        if (coversFamily(sourceSet(nets, family), family))
          ctx.report(Messages.FromEverything, rule.sources.span, { family: family === 'ipv4' ? 'IPv4' : 'IPv6' });
      }
    }
  },
};
