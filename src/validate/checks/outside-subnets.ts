/**
 * Check W004: a forward target outside every declared subnet of its family (a typo, or a host
 * the router cannot reach directly). Silent when no subnet of that family is declared.
 */

import { intervalsContain } from '../../analysis/intervals.js';
import { Messages } from '../../diagnostics/messages.js';
import type { Family } from '../../ir/model.js';
import { addressText, intervalOf, mergeIntervals } from '../../net/address.js';
import type { Check } from '../check.js';
import { unusableReason } from './usable-target.js';

/** Warns about forward targets that lie in no declared subnet. */
export const outsideSubnets: Check = {
  id: 'outside-subnets',
  run(file, ctx) {
    // The declared subnets of each family merged once, so each target is a binary search.
    const subnets = file.interfaces.flatMap((i) => i.subnets.map((s) => s.net));
    const merged = (family: Family) => mergeIntervals(subnets.filter((n) => n.family === family).map(intervalOf));
    const byFamily = { ipv4: merged('ipv4'), ipv6: merged('ipv6') };
    const rules = file.rules;
    // Indexed: see check.ts.
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (rule.kind !== 'forward' || rule.target?.entries.length !== 1) continue;
      const target = rule.target.entries[0]!;
      const same = byFamily[target.net.family];
      if (same.length === 0 || unusableReason(target.net, file.interfaces)) continue;
      if (!intervalsContain(same, target.net.bits))
        ctx.report(Messages.OutsideSubnets, target.span, {
          address: addressText(target.net.family, target.net.bits),
          family: target.net.family === 'ipv4' ? 'IPv4' : 'IPv6',
        });
    }
  },
};
