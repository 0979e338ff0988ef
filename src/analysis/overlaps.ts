/**
 * Overlaps between translations, found by sorting and sweeping, never by comparing all pairs:
 * within each (family, protocol, ingress) group, port intervals are sorted by their first port
 * and compared only with the intervals still open. Rules without ingress ("any") join every
 * interface group. Rules on a router address meet only rules on the same address: they are
 * evaluated before all others (lowering gives them the first tiers). Cost O(n log n + k) for k
 * overlapping pairs.
 */

import { limits } from '../limits.js';
import { sourceSubset, sourcesEqual, sourcesOverlap } from './intervals.js';
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

const budget = { pairs: 0 };

/** How two overlapping rules relate: a narrower source set wins; equal sources conflict. */
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

/** The overlaps found, and the translation at which the pair budget ran out (E057), if it did. */
export type Overlaps = Overlap[] & { exceeded?: Translation };

/**
 * Sweeps one group's items (sorting them in place). Loops are indexed and the open list is kept
 * with a count, not shortened: sweeps run once per group, many small and not yet optimised, where
 * a for..of allocates per step, and an array shortened to nothing drops its storage, so the next
 * push allocated it again.
 */
function sweep(items: Item[], seen: Set<string>, out: Overlaps, counts: (a: Translation, b: Translation) => boolean): void {
  if (out.exceeded) return;
  items.sort((x, y) => x.first - y.first || x.last - y.last);
  const open: Item[] = [];
  let openCount = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    // Drop the intervals that ended before this one, in place.
    let kept = 0;
    for (let j = 0; j < openCount; j++) {
      const o = open[j]!;
      if (o.last >= item.first) open[kept++] = o;
    }
    openCount = kept;
    // Rules that share ports are compared pairwise: a budget keeps a hostile file from taking hours.
    budget.pairs += openCount;
    if (budget.pairs > limits.overlapPairs) {
      out.exceeded = item.t;
      return;
    }
    for (let j = 0; j < openCount; j++) {
      const o = open[j]!;
      if (o.t.order === item.t.order || !counts(o.t, item.t)) continue;
      const key = o.t.order < item.t.order ? `${o.t.order}/${item.t.order}` : `${item.t.order}/${o.t.order}`;
      if (seen.has(key)) continue;
      const overlap = relate(o.t, item.t, item.first);
      if (overlap) {
        seen.add(key);
        out.push(overlap);
      }
    }
    open[openCount++] = item;
  }
}

const byKey = <T>(map: Map<string, T>): [string, T][] => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Every pair of rules that overlap, once per pair of rules, in a deterministic order. */
export function findOverlaps(list: readonly Translation[]): Overlaps {
  budget.pairs = 0;
  // Per family and protocol: the groups of one ingress each, and the rules on every interface.
  // Nested maps keyed by the family and protocol strings themselves: a joined key would be a new
  // string to hash for every translation. Indexed loops: one step per translation.
  const classes = new Map<string, Map<string, { groups: Map<string, Item[]>; any: Item[] }>>();
  for (let i = 0; i < list.length; i++) {
    const t = list[i]!;
    let byProtocol = classes.get(t.family);
    if (!byProtocol) classes.set(t.family, (byProtocol = new Map()));
    let c = byProtocol.get(t.protocol);
    if (!c) byProtocol.set(t.protocol, (c = { groups: new Map(), any: [] }));
    const key = t.ingressKey;
    let items = key === 'any' ? c.any : c.groups.get(key);
    if (!items) c.groups.set(key, (items = []));
    const ports = t.ports;
    for (let p = 0; p < ports.length; p++) items.push({ first: ports[p]!.first, last: ports[p]!.last, t });
  }
  const seen = new Set<string>();
  const out: Overlaps = [];
  const all = () => true;
  const ordered = byKey(classes).flatMap(([, byProtocol]) => byKey(byProtocol).map(([, c]) => c));
  for (const c of ordered) {
    // Every-interface rules among themselves. Sorting them in place changes nothing below: the
    // sort is stable, so they keep their relative order in every group they join.
    sweep(c.any, seen, out, all);
    for (const [key, items] of byKey(c.groups)) {
      // Each interface with the every-interface rules (pairs of those were counted above);
      // one address alone; reflected entries alone (they match other destination addresses).
      // A group's items are its own: swept in place, the every-interface ones appended.
      const withAny = key.startsWith('if:');
      if (withAny) for (let i = 0; i < c.any.length; i++) items.push(c.any[i]!);
      sweep(items, seen, out, withAny ? (a, b) => a.ingressKey === key || b.ingressKey === key : all);
      if (out.exceeded) return out;
    }
  }
  return out;
}

/**
 * Tiers: a layering of the "narrower wins" pairs, keyed by rule order. A rule's tier is one more
 * than the highest tier of the rules that must precede it, so evaluating tier by tier honours
 * every pair, and rules of one tier never overlap. Longest-path layering by Kahn's algorithm.
 */
export function tiersOf(overlaps: readonly Overlap[]): Map<number, number> {
  const next = new Map<number, Set<number>>();
  const indegree = new Map<number, number>();
  for (const o of overlaps) {
    if (o.kind !== 'narrower') continue;
    const from = o.narrow.order;
    const to = o.wide.order;
    if (from === to) continue;
    let set = next.get(from);
    if (!set) next.set(from, (set = new Set()));
    if (set.has(to)) continue;
    set.add(to);
    indegree.set(to, (indegree.get(to) ?? 0) + 1);
    if (!indegree.has(from)) indegree.set(from, 0);
  }
  const tiers = new Map<number, number>();
  const queue = [...indegree]
    .filter(([, d]) => d === 0)
    .map(([n]) => n)
    .sort((a, b) => a - b);
  for (let i = 0; i < queue.length; i++) {
    const n = queue[i]!;
    const tier = tiers.get(n) ?? 0;
    for (const m of next.get(n) ?? []) {
      if ((tiers.get(m) ?? 0) < tier + 1) tiers.set(m, tier + 1);
      const d = (indegree.get(m) ?? 1) - 1;
      indegree.set(m, d);
      if (d === 0) queue.push(m);
    }
  }
  return tiers;
}
