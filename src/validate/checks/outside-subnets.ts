/**
 * Check W004: a forward target outside every declared subnet of its family (a typo, or a host
 * the router cannot reach directly). Silent when no subnet of that family is declared.
 */

import { Messages } from '../../diagnostics/messages.js';
import { addressText, intervalOf } from '../../net/address.js';
import type { Check } from '../check.js';
import { unusableReason } from './usable-target.js';

/** Warns about forward targets that lie in no declared subnet. */
export const outsideSubnets: Check = {
  id: 'outside-subnets',
  run(file, ctx) {
    const subnets = file.interfaces.flatMap((i) => i.subnets.map((s) => intervalOf(s.net)));
    for (const rule of file.rules) {
      if (rule.kind !== 'forward' || rule.target?.entries.length !== 1) continue;
      const target = rule.target.entries[0]!;
      const same = subnets.filter((s) => s.family === target.net.family);
      if (same.length === 0 || unusableReason(target.net, file.interfaces)) continue;
      if (!same.some((s) => s.first <= target.net.bits && target.net.bits <= s.last))
        ctx.report(Messages.OutsideSubnets, target.span, {
          address: addressText(target.net.family, target.net.bits),
          family: target.net.family === 'ipv4' ? 'IPv4' : 'IPv6',
        });
    }
  },
};
