/**
 * Backend nftables, part four: the SNAT half of reflect, the postrouting sets of reflected
 * targets whose connections are masqueraded so that replies come back through the router.
 */

import type { PortForward, PortRange } from '../ir/model.js';
import { elementLine, familyOf, type NftElementLines, type NftFamily, nftString, portText } from './nftables-syntax.js';
import { TextBlock } from './text-block.js';

/** Postrouting set of reflected targets: `iifname . daddr . l4proto . dport` → masquerade. */
export interface NftSnatSet extends NftFamily {
  readonly name: string;
  /** Keys only, one line per element. */
  readonly elements: NftElementLines;
}

/** Target ports a reflected forward's connections go to, after translation. */
function targetPorts(fwd: PortForward): PortRange[] {
  const m = fwd.mapping;
  if (m.kind === 'port') return [{ first: m.port, last: m.port }];
  if (m.kind === 'shift') return [{ first: m.first, last: m.last }];
  return [...fwd.ports];
}

/**
 * The SNAT half of reflect, one set per family: (via device, target, protocol, target ports),
 * merged where several reflected forwards share a target, since an interval set rejects overlaps.
 */
export function snatSets(forwards: readonly PortForward[]): NftSnatSet[] {
  const out: NftSnatSet[] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    const buckets = new Map<string, { head: string; ranges: PortRange[]; tags: string[] }>();
    for (let i = 0; i < forwards.length; i++) {
      const fwd = forwards[i]!;
      if (!fwd.reflect || fwd.family !== family) continue;
      for (const via of fwd.reflect.via) {
        const head = `${nftString(via.device)} . ${fwd.target.address} . ${fwd.protocol}`;
        const bucket = buckets.get(head) ?? { head, ranges: [], tags: [] };
        buckets.set(head, bucket);
        for (const r of targetPorts(fwd)) bucket.ranges.push(r);
        if (!bucket.tags.includes(fwd.origin.tag)) bucket.tags.push(fwd.origin.tag);
      }
    }
    const elements = new TextBlock();
    for (const b of buckets.values()) {
      const comment = nftString(b.tags.join(' '));
      for (const r of mergeRanges(b.ranges)) elements.add(elementLine(`${b.head} . ${portText(r)}`, comment, null));
    }
    if (!elements.empty) out.push({ ...familyOf(family), name: `refl${family === 'ipv4' ? '4' : '6'}_snat`, elements: elements.text });
  }
  return out;
}

/** Sorted union of port ranges, adjacent ranges joined. */
export function mergeRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first || a.last - b.last);
  const out: { first: number; last: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.first <= last.last + 1) last.last = Math.max(last.last, r.last);
    else out.push({ first: r.first, last: r.last });
  }
  return out;
}
