/**
 * Overlaps between translations, found by sorting and sweeping, never by comparing all pairs:
 * within each (family, protocol, ingress) group, port intervals are sorted by their first port
 * and compared only with the intervals still open. Cost O(n log n + k) for k overlapping pairs.
 */

import { sourceSize, sourceSubset, sourcesEqual, sourcesOverlap } from './intervals.js';
import type { Translation } from './translations.js';

/** How two translations that share ports relate. */
export type Overlap =
  | { readonly kind: 'conflict' | 'duplicate'; readonly first: Translation; readonly second: Translation; readonly port: number }
  | { readonly kind: 'narrower'; readonly narrow: Translation; readonly wide: Translation; readonly port: number };

interface Item {
  readonly first: number;
  readonly last: number;
  readonly t: Translation;
}

function relate(a: Translation, b: Translation, port: number): Overlap | null {
  if (!sourcesOverlap(a.sources, b.sources)) return null;
  const [first, second] = a.order <= b.order ? [a, b] : [b, a];
  if (sourcesEqual(a.sources, b.sources)) {
    const same = a.rule.kind === b.rule.kind && a.destination(port) === b.destination(port);
    return { kind: same ? 'duplicate' : 'conflict', first, second, port };
  }
  if (sourceSubset(a.sources, b.sources)) return { kind: 'narrower', narrow: a, wide: b, port };
  if (sourceSubset(b.sources, a.sources)) return { kind: 'narrower', narrow: b, wide: a, port };
  return { kind: 'conflict', first, second, port };
}

function sweep(items: Item[], seen: Set<string>, out: Overlap[], onlyAcross?: (a: Translation, b: Translation) => boolean): void {
  items.sort((x, y) => x.first - y.first || x.last - y.last);
  let open: Item[] = [];
  for (const item of items) {
    open = open.filter((o) => o.last >= item.first);
    for (const o of open) {
      if (o.t.order === item.t.order) continue;
      if (onlyAcross && !onlyAcross(o.t, item.t)) continue;
      const key = o.t.order < item.t.order ? `${o.t.order}/${item.t.order}` : `${item.t.order}/${o.t.order}`;
      if (seen.has(key)) continue;
      const overlap = relate(o.t, item.t, item.first);
      if (overlap) {
        seen.add(key);
        out.push(overlap);
      }
    }
    open.push(item);
  }
}

/** Every pair of rules that overlap, once per pair of rules, in a deterministic order. */
export function findOverlaps(list: readonly Translation[]): Overlap[] {
  const groups = new Map<string, Item[]>();
  const anyGroups = new Map<string, Item[]>();
  for (const t of list) {
    const base = `${t.family}|${t.protocol}`;
    const target = t.ingressKey === 'any' ? anyGroups : groups;
    const key = t.ingressKey === 'any' ? base : `${base}|${t.ingressKey}`;
    const items = target.get(key) ?? [];
    for (const p of t.ports) items.push({ first: p.first, last: p.last, t });
    target.set(key, items);
  }
  const seen = new Set<string>();
  const out: Overlap[] = [];
  for (const [, items] of [...anyGroups].sort(([a], [b]) => (a < b ? -1 : 1))) sweep([...items], seen, out);
  for (const [key, items] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const base = key.split('|').slice(0, 2).join('|');
    const any = key.includes('|reflect:') ? [] : (anyGroups.get(base) ?? []);
    // "any" rules were swept among themselves above; here only pairs that involve this group count.
    sweep([...items, ...any], seen, out, (a, b) => a.ingressKey !== 'any' || b.ingressKey !== 'any');
  }
  return out;
}

/**
 * Tiers: tier 0 for rules no narrower rule must precede; a wider rule gets one more than the
 * highest tier of the narrower rules it overlaps. Keyed by rule order.
 */
export function tiersOf(overlaps: readonly Overlap[]): Map<number, number> {
  const edges = overlaps.filter((o): o is Extract<Overlap, { kind: 'narrower' }> => o.kind === 'narrower');
  const size = (t: Translation) => sourceSize(t.sources, t.family);
  // Narrower rules have strictly fewer sources, so ascending size is a topological order.
  edges.sort((a, b) => {
    const d = size(a.narrow) - size(b.narrow);
    return d < 0n ? -1 : d > 0n ? 1 : a.narrow.order - b.narrow.order || a.wide.order - b.wide.order;
  });
  const tiers = new Map<number, number>();
  for (const e of edges) {
    const t = (tiers.get(e.narrow.order) ?? 0) + 1;
    if (t > (tiers.get(e.wide.order) ?? 0)) tiers.set(e.wide.order, t);
  }
  return tiers;
}
