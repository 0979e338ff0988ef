/** Check W001: declarations that nothing uses. */

import { Messages } from '../../diagnostics/messages.js';
import type { Check } from '../check.js';

/** Warns about interfaces and addresses declared but never used. */
export const unused: Check = {
  id: 'unused',
  run(file, ctx) {
    for (const d of file.declarations)
      if (!d.used) ctx.report(Messages.UnusedDeclaration, d.nameSpan, { kind: d.kind === 'interface' ? 'Interface' : 'Address', name: d.name });
  },
};
