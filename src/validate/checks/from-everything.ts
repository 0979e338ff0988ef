/** Check W003: a `from` set that covers every address restricts nothing. */

import { familiesOf } from '../../analysis/families.js';
import { sourceSet, sourceSize } from '../../analysis/intervals.js';
import { Messages } from '../../diagnostics/messages.js';
import type { Check } from '../check.js';

/** Warns about from sets equal to the whole address space of a family. */
export const fromEverything: Check = {
  id: 'from-everything',
  run(file, ctx) {
    for (const rule of file.rules) {
      if (rule.kind === 'masquerade' || !rule.sources) continue;
      for (const family of familiesOf(rule.sources)) {
        const set = sourceSet(
          rule.sources.entries.map((e) => e.net),
          family,
        );
        if (sourceSize(set, family) === sourceSize(null, family))
          ctx.report(Messages.FromEverything, rule.sources.span, { family: family === 'ipv4' ? 'IPv4' : 'IPv6' });
      }
    }
  },
};
