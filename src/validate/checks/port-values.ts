/** Check E010/E011: every port is 1..65535 and every range runs upwards. */

import { Messages } from '../../diagnostics/messages.js';
import type { RPort } from '../../resolve/model.js';
import type { Check } from '../check.js';

const inRange = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 65535;

/** Reports ports out of range and reversed ranges, in rule ports and target ports. */
export const portValues: Check = {
  id: 'port-values',
  run(file, ctx) {
    const checkList = (list: readonly RPort[] | null | undefined): void => {
      if (!list) return;
      for (let j = 0; j < list.length; j++) {
        const p = list[j]!;
        const firstOk = inRange(p.first);
        const lastOk = inRange(p.last);
        if (firstOk && lastOk && p.first <= p.last) continue; // the common case, without splitting the text
        // Out-of-range values are always numbers (service ports are valid), so text is `N` or `N-M`.
        const [firstText = p.text, lastText = firstText] = p.text.split('-');
        if (!firstOk) ctx.report(Messages.PortOutOfRange, p.span, { port: shorten(firstText) });
        else if (!lastOk) ctx.report(Messages.PortOutOfRange, p.span, { port: shorten(lastText) });
        else ctx.report(Messages.ReversedRange, p.span, { range: p.text, first: p.first, last: p.last });
      }
    };
    const rules = file.rules;
    // Indexed: see check.ts.
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (rule.kind === 'masquerade') continue;
      checkList(rule.ports);
      if (rule.kind !== 'allow') checkList(rule.targetPorts);
    }
  },
};

function shorten(text: string): string {
  return text.length > 24 ? `${text.slice(0, 21)}...` : text;
}
