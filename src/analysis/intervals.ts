/**
 * Sets of addresses and ports as sorted, disjoint intervals, and the relations the checks and
 * lowering need between two of them (overlap, subset, equality), each a linear merge walk.
 */

import type { Family } from '../ir/model.js';
import { type AddressInterval, intervalOf, mergeIntervals, type Net, widthOf } from '../net/address.js';

/** A source restriction: merged intervals of one family, or null for "any source". */
export type SourceSet = readonly AddressInterval[] | null;

/** Merges a rule's networks of `family` into a source set. */
export function sourceSet(nets: readonly Net[] | null, family: Family): SourceSet {
  if (nets === null) return null;
  // One network, as most `from`s are: its interval, without filtering, copying and sorting.
  if (nets.length === 1) return nets[0]!.family === family ? [intervalOf(nets[0]!)] : [];
  return mergeIntervals(nets.filter((n) => n.family === family).map(intervalOf));
}

/** Number of addresses in a source set (the universe for null). */
export function sourceSize(set: SourceSet, family: Family): bigint {
  if (set === null) return 1n << BigInt(widthOf(family));
  return set.reduce((sum, iv) => sum + (iv.last - iv.first + 1n), 0n);
}

/** True when a source set holds every address of the family (as sourceSize would say, without summing bigints). */
export function coversFamily(set: SourceSet, family: Family): boolean {
  // Merged intervals are disjoint and not adjacent: all of the space is one interval.
  if (set === null) return true;
  const only = set[0];
  return set.length === 1 && only !== undefined && only.first === 0n && only.last === intervalOf({ family, bits: 0n, length: 0 }).last;
}

/** True when some address is in both sets. */
export function sourcesOverlap(a: SourceSet, b: SourceSet): boolean {
  if (a === null || b === null) return (a ?? b ?? [1]).length > 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x.last < y.first) i++;
    else if (y.last < x.first) j++;
    else return true;
  }
  return false;
}

/** True when `bits` lies in one of the sorted, disjoint intervals (a binary search). */
export function intervalsContain(set: readonly AddressInterval[], bits: bigint): boolean {
  let low = 0;
  let high = set.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const iv = set[mid]!;
    if (bits < iv.first) high = mid - 1;
    else if (bits > iv.last) low = mid + 1;
    else return true;
  }
  return false;
}

/** True when every address of `a` is in `b`. */
export function sourceSubset(a: SourceSet, b: SourceSet): boolean {
  if (b === null) return true;
  if (a === null) return false;
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j]!.last < x.first) j++;
    const y = b[j];
    if (!y || y.first > x.first || y.last < x.last) return false;
  }
  return true;
}

/** True when both sets hold the same addresses. */
export function sourcesEqual(a: SourceSet, b: SourceSet): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((x, i) => x.first === b[i]!.first && x.last === b[i]!.last);
}

/** An inclusive port interval. */
export interface PortInterval {
  readonly first: number;
  readonly last: number;
}

/**
 * True when port intervals are already what mergePorts makes of them: each runs upwards, and
 * each starts past the end of the one before without touching it (lists are usually written so).
 */
export function portsMerged(list: readonly PortInterval[]): boolean {
  for (let i = 0; i < list.length; i++) {
    const p = list[i]!;
    if (p.first > p.last || (i > 0 && p.first <= list[i - 1]!.last + 1)) return false;
  }
  return true;
}

const copyPort = (p: PortInterval): PortInterval => ({ first: p.first, last: p.last });

/** Sorts port intervals and merges overlapping or adjacent ones. */
export function mergePorts(list: readonly PortInterval[]): PortInterval[] {
  // One port or range, as most rules have, or a list already merged: copied, without a sort.
  if (list.length === 1) return [copyPort(list[0]!)];
  if (portsMerged(list)) return list.map(copyPort);
  const sorted = [...list].sort((a, b) => a.first - b.first || a.last - b.last);
  const out: PortInterval[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && p.first <= last.last + 1) {
      if (p.last > last.last) out[out.length - 1] = { first: last.first, last: p.last };
    } else out.push({ first: p.first, last: p.last });
  }
  return out;
}
