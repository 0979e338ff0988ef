/** Check E040: `reflect` needs an ingress interface and another interface for clients behind. */

import { Messages } from '../../diagnostics/messages.js';
import type { Check } from '../check.js';

/** Reports reflections that cannot work. */
export const reflect: Check = {
  id: 'reflect',
  run(file, ctx) {
    for (const rule of file.rules) {
      if (rule.kind !== 'forward' || !rule.reflect || !rule.ingress) continue;
      if (rule.ingress.kind !== 'interface') {
        ctx.report(Messages.ReflectNeedsInterfaces, rule.reflect, {
          detail: `'reflect' needs the ingress to be an interface, but '${rule.ingressText}' is an address.`,
        });
      } else if (!file.interfaces.some((i) => rule.ingress?.kind === 'interface' && i.device !== rule.ingress.iface.device)) {
        ctx.report(Messages.ReflectNeedsInterfaces, rule.reflect, {
          detail: `'reflect' needs another declared interface besides '${rule.ingress.iface.name}': reflected clients connect from behind it.`,
        });
      }
    }
  },
};
