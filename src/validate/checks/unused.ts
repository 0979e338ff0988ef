/**
 * Check W001: declarations that nothing uses. An interface with a subnet is used by the checks
 * (E022, W004) and by reflection, so it never counts as unused.
 */

import { Messages } from '../../diagnostics/messages.js';
import type { Check } from '../check.js';

/** Warns about interfaces and addresses declared but never used. */
export const unused: Check = {
  id: 'unused',
  run(file, ctx) {
    const withSubnet = new Set(file.interfaces.filter((i) => i.subnets.length > 0).map((i) => i.name));
    for (const d of file.declarations)
      if (!d.used && !(d.kind === 'interface' && withSubnet.has(d.name))) ctx.report(Messages.UnusedDeclaration, d.nameSpan, { kind: d.kind === 'interface' ? 'Interface' : 'Address', name: d.name });
  },
};
