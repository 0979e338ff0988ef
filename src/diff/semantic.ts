/**
 * The semantic diff of two rule sets (two IRs): which statements were added, removed or changed,
 * and in which fields. A statement that means the same in both is unchanged wherever it moved
 * (another line, another file). Others are paired in passes: same listening side (kind, ingress,
 * protocol, ports), then same ingress and target, then same protocol, ports and target (the
 * ingress changed); what is left is added or removed.
 */

import type { Ir } from '../ir/model.js';
import { type FieldName, fieldNames, interfaceFacts, type RuleFacts, type RuleKind, ruleFacts } from './facts.js';

/** A field that differs: its text before and after. */
export interface FieldChange {
  readonly field: FieldName;
  readonly old: string;
  readonly new: string;
}

/** One change between the rule sets. */
export type RuleChange =
  | { readonly change: 'added'; readonly kind: RuleKind; readonly new: RuleFacts }
  | { readonly change: 'removed'; readonly kind: RuleKind; readonly old: RuleFacts }
  | { readonly change: 'changed'; readonly kind: RuleKind; readonly old: RuleFacts; readonly new: RuleFacts; readonly fields: readonly FieldChange[] };

/** A change of a declared interface (by name): its device or subnets. */
export interface InterfaceChange {
  readonly name: string;
  readonly old: string | null;
  readonly new: string | null;
}

/** Everything that differs in meaning. */
export interface SemanticDiff {
  readonly rules: readonly RuleChange[];
  readonly interfaces: readonly InterfaceChange[];
}

const keyOf = (r: RuleFacts, fields: readonly FieldName[]): string => JSON.stringify([r.kind, ...fields.map((f) => r.fields[f].key)]);

/** Pairs rules whose keys are equal, first come first paired; removes them from both lists. */
function pair(olds: RuleFacts[], news: RuleFacts[], fields: readonly FieldName[]): [RuleFacts, RuleFacts][] {
  const waiting = new Map<string, RuleFacts[]>();
  for (const o of olds) {
    const k = keyOf(o, fields);
    waiting.set(k, [...(waiting.get(k) ?? []), o]);
  }
  const pairs: [RuleFacts, RuleFacts][] = [];
  const keptNew: RuleFacts[] = [];
  for (const n of news) {
    const match = waiting.get(keyOf(n, fields))?.shift();
    if (match) pairs.push([match, n]);
    else keptNew.push(n);
  }
  const paired = new Set(pairs.map(([o]) => o));
  olds.splice(0, olds.length, ...olds.filter((o) => !paired.has(o)));
  news.splice(0, news.length, ...keptNew);
  return pairs;
}

const order: Record<RuleKind, number> = { forward: 0, redirect: 1, allow: 2, masquerade: 3 };
const place = (c: RuleChange): RuleFacts => (c.change === 'removed' ? c.old : c.new);

/** Compares two rule sets by meaning. */
export function semanticDiff(oldIr: Ir, newIr: Ir): SemanticDiff {
  const olds = ruleFacts(oldIr);
  const news = ruleFacts(newIr);
  pair(olds, news, fieldNames);
  const changes: RuleChange[] = [];
  for (const pass of [
    ['ingress', 'protocol', 'ports'],
    ['ingress', 'target'],
    ['protocol', 'ports', 'target'],
  ] as const) {
    for (const [o, n] of pair(olds, news, pass)) {
      const fields = fieldNames.filter((f) => o.fields[f].key !== n.fields[f].key).map((f) => ({ field: f, old: o.fields[f].text, new: n.fields[f].text }));
      changes.push({ change: 'changed', kind: n.kind, old: o, new: n, fields });
    }
  }
  for (const o of olds) changes.push({ change: 'removed', kind: o.kind, old: o });
  for (const n of news) changes.push({ change: 'added', kind: n.kind, new: n });
  // Kind, then removed/added/changed together in the order of the files they are shown from.
  changes.sort(
    (a, b) =>
      order[a.kind] - order[b.kind] ||
      (a.change === 'removed' ? 0 : 1) - (b.change === 'removed' ? 0 : 1) ||
      place(a).origin.span.start - place(b).origin.span.start,
  );
  const before = new Map(interfaceFacts(oldIr).map((i) => [i.name, i.text]));
  const after = new Map(interfaceFacts(newIr).map((i) => [i.name, i.text]));
  const interfaces: InterfaceChange[] = [];
  for (const [name, text] of before) if (after.get(name) !== text) interfaces.push({ name, old: text, new: after.get(name) ?? null });
  for (const [name, text] of after) if (!before.has(name)) interfaces.push({ name, old: null, new: text });
  return { rules: changes, interfaces };
}

/** True when nothing differs in meaning. */
export function isEmpty(diff: SemanticDiff): boolean {
  return diff.rules.length === 0 && diff.interfaces.length === 0;
}
