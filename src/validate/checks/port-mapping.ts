/** Check E012: target ports are one port, or one range as large as the rule's single range. */

import { portMapping, validPort } from '../../analysis/mapping.js';
import { Messages } from '../../diagnostics/messages.js';
import type { Check } from '../check.js';

/** Reports target port ranges that cannot map port by port. */
export const portMappingCheck: Check = {
  id: 'port-mapping',
  run(file, ctx) {
    const rules = file.rules;
    // Indexed: see check.ts.
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (rule.kind !== 'forward' && rule.kind !== 'redirect') continue;
      if (!rule.ports?.every(validPort) || !rule.targetPorts?.every(validPort)) continue;
      const result = portMapping(rule.ports, rule.targetPorts);
      const span = rule.targetPortsSpan;
      if (result.kind === 'error' && span) ctx.report(Messages.RangeSizeMismatch, span, { detail: result.error });
    }
  },
};
