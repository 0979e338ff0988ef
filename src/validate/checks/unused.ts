/**
 * Check W001: declarations that nothing uses. An interface with a subnet is used by the checks
 * (E022, W004), and every interface is used when a forward reflects (clients come from them).
 */

import { Messages } from '../../diagnostics/messages.js';
import type { Check } from '../check.js';

/** Warns about interfaces and addresses declared but never used. */
export const unused: Check = {
  id: 'unused',
  run(file, ctx) {
    const reflects = file.rules.some((r) => r.kind === 'forward' && r.reflect !== null);
    const implied = new Set(file.interfaces.filter((i) => reflects || i.subnets.length > 0).map((i) => i.name));
    for (const d of file.declarations)
      if (!d.used && !(d.kind === 'interface' && implied.has(d.name)))
        ctx.report(Messages.UnusedDeclaration, d.nameSpan, { kind: d.kind === 'interface' ? 'Interface' : 'Address', name: d.name });
  },
};
