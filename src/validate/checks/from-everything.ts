/** Check W003: a `from` set that covers every address restricts nothing. */

import { familiesOf } from '../../analysis/families.js';
import { coversFamily, sourceSet } from '../../analysis/intervals.js';
import { Messages } from '../../diagnostics/messages.js';
import type { Check } from '../check.js';

/** Warns about from sets equal to the whole address space of a family. */
export const fromEverything: Check = {
  id: 'from-everything',
  run(file, ctx) {
    for (const rule of file.rules) {
      if (rule.kind === 'masquerade' || !rule.sources) continue;
      const nets = rule.sources.entries.map((e) => e.net);
      for (const family of familiesOf(rule.sources)) {
        if (coversFamily(sourceSet(nets, family), family))
          ctx.report(Messages.FromEverything, rule.sources.span, { family: family === 'ipv4' ? 'IPv4' : 'IPv6' });
      }
    }
  },
};
