/** Check E021: a forward's target and an ingress address are single hosts. */

import { Messages } from '../../diagnostics/messages.js';
import { isHost } from '../../net/address.js';
import type { RAddressSet } from '../../resolve/model.js';
import type { Check } from '../check.js';

const single = (set: RAddressSet): boolean => set.entries.length === 1 && isHost(set.entries[0]!.net);

/** Reports targets and ingress addresses that are networks or sets. */
export const singleHost: Check = {
  id: 'single-host',
  run(file, ctx) {
    const rules = file.rules;
    // Indexed: see check.ts.
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (rule.kind === 'forward' && rule.target && !single(rule.target))
        ctx.report(Messages.NotSingleHost, rule.target.span, { what: 'Target', name: rule.targetText });
      if ((rule.kind === 'forward' || rule.kind === 'redirect') && rule.ingress?.kind === 'address' && !single(rule.ingress.set))
        ctx.report(Messages.NotSingleHost, rule.ingress.span, { what: 'Ingress address', name: rule.ingressText ?? '' });
    }
  },
};
