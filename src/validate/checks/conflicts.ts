/**
 * Check E030/E031: translating rules that compete for the same packets. Overlaps come from the
 * sort-and-sweep in analysis/overlaps.ts; a narrower source set is not a conflict (it wins).
 * Allows and masquerades that repeat an earlier statement exactly are duplicates too.
 */

import type { Translation } from '../../analysis/translations.js';
import { Messages } from '../../diagnostics/messages.js';
import { limits } from '../../limits.js';
import type { RAddressSet, RRule } from '../../resolve/model.js';
import type { Check } from '../check.js';

const verb = (t: Translation): string => (t.rule.kind === 'forward' ? 'forwarded to' : 'redirected to');
const noun = (t: Translation): string => (t.rule.kind === 'forward' ? 'forward' : 'redirect');

/** The networks of an address set as a canonical text; `*` for none (any). */
const nets = (set: RAddressSet | null | undefined): string =>
  set
    ? set.entries
        .map((e) => `${e.net.family}/${e.net.bits}/${e.net.length}`)
        .sort()
        .join(',')
    : '*';

/** A canonical text for an allow or masquerade: equal keys mean equal rules. */
function ruleKey(rule: RRule): string | null {
  if (rule.kind === 'allow' && rule.ingress && rule.target && rule.ports && rule.sources !== undefined)
    return `allow|${rule.ingress.device}|${rule.protocols.join('/')}|${nets(rule.target)}|${rule.ports
      .map((p) => `${p.first}-${p.last}`)
      .sort()
      .join(',')}|${nets(rule.sources)}`;
  if (rule.kind === 'masquerade' && rule.source && rule.egress)
    return `masquerade|${rule.source.kind === 'interface' ? `if:${rule.source.iface.device}` : nets(rule.source.set)}|${rule.egress.device}`;
  return null;
}

/** Reports conflicting and duplicate rules, naming both locations. */
export const conflicts: Check = {
  id: 'conflicts',
  run(file, ctx) {
    const overlaps = ctx.overlaps();
    if (overlaps.exceeded) ctx.report(Messages.TooManyOverlaps, overlaps.exceeded.portsSpan, { limit: limits.overlapPairs });
    for (const o of overlaps) {
      if (o.kind === 'narrower') continue;
      const { first, second, port } = o;
      const where = second.ingressKey === 'any' ? first.ingressLabel : second.ingressLabel;
      const head = `${second.protocol} port ${port} on ${where} is already ${verb(first)} ${first.destination(port)}`;
      if (o.kind === 'duplicate') {
        ctx.report(Messages.Duplicate, second.portsSpan, { detail: `Duplicate rule: ${head} by an identical ${noun(first)}.` }, [
          { span: first.portsSpan, message: `The first ${noun(first)} is here.` },
        ]);
      } else {
        const partial = first.sources !== null && second.sources !== null ? ' for some of the same sources (neither from set contains the other)' : '';
        ctx.report(Messages.Conflict, second.portsSpan, { detail: `${head}${partial}.` }, [
          { span: first.portsSpan, message: `The other ${noun(first)} is here.` },
        ]);
      }
    }
    const seen = new Map<string, RRule>();
    const rules = file.rules;
    // Indexed: see check.ts.
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      const key = ruleKey(rule);
      if (key === null) continue;
      const earlier = seen.get(key);
      if (earlier) {
        ctx.report(Messages.Duplicate, rule.span, { detail: `Duplicate rule: this ${rule.kind} repeats an earlier one.` }, [
          { span: earlier.span, message: `The first ${rule.kind} is here.` },
        ]);
      } else seen.set(key, rule);
    }
  },
};
