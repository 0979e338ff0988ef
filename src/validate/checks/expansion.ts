/**
 * Check E055: the elements a rule set expands into (ports, port by port for a shifted range,
 * times sources, targets and protocols) stay within limits.elements, so no backend is asked to
 * write millions of map entries or rules. An over-estimate: it counts before any merging.
 */

import { portMapping, validPort } from '../../analysis/mapping.js';
import { Messages } from '../../diagnostics/messages.js';
import { limits } from '../../limits.js';
import type { RRule } from '../../resolve/model.js';
import type { Check } from '../check.js';

/** How many elements one rule can become in the largest backend; 0 for a malformed rule. */
export function ruleElements(rule: RRule, interfaces: number): number {
  if (rule.kind === 'masquerade') return rule.source?.kind === 'addresses' ? rule.source.set.entries.length : 1;
  const ports = rule.ports;
  if (!ports?.every(validPort)) return 0;
  let count = ports.length;
  if (rule.kind !== 'allow' && rule.targetPorts && rule.targetPorts.every(validPort)) {
    const mapping = portMapping(ports, rule.targetPorts);
    if (mapping.kind === 'shift') count = mapping.last - mapping.first + 1;
  }
  const sources = Math.max(1, rule.sources?.entries.length ?? 1);
  const targets = rule.kind === 'allow' ? Math.max(1, rule.target?.entries.length ?? 1) : 1;
  const reflect = rule.kind === 'forward' && rule.reflect ? 1 + interfaces : 1;
  return count * sources * targets * reflect * rule.protocols.length;
}

/** Reports the rule at which the running total passes the limit. */
export const expansion: Check = {
  id: 'expansion',
  run(file, ctx) {
    let total = 0;
    const rules = file.rules;
    // Indexed: see check.ts.
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      total += ruleElements(rule, file.interfaces.length);
      if (total > limits.elements) {
        ctx.report(Messages.TooManyElements, rule.span, { limit: limits.elements });
        return;
      }
    }
  },
};
