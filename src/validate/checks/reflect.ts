/** Check E040: `reflect` needs an ingress interface and another interface for clients behind. */

import { Messages } from '../../diagnostics/messages.js';
import type { RInterface } from '../../resolve/model.js';
import type { Check } from '../check.js';

/** True when some interface has another device than `device`. */
const hasOtherDevice = (interfaces: readonly RInterface[], device: string): boolean => interfaces.some((i) => i.device !== device);

/** Reports reflections that cannot work. */
export const reflect: Check = {
  id: 'reflect',
  run(file, ctx) {
    const rules = file.rules;
    // Indexed: see check.ts.
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (rule.kind !== 'forward' || !rule.reflect || !rule.ingress) continue;
      if (rule.ingress.kind !== 'interface') {
        ctx.report(Messages.ReflectNeedsInterfaces, rule.reflect, {
          detail: `'reflect' needs the ingress to be an interface, but '${rule.ingressText}' is an address.`,
        });
      } else if (!hasOtherDevice(file.interfaces, rule.ingress.iface.device)) {
        ctx.report(Messages.ReflectNeedsInterfaces, rule.reflect, {
          detail: `'reflect' needs another declared interface besides '${rule.ingress.iface.name}': reflected clients connect from behind it.`,
        });
      }
    }
  },
};
