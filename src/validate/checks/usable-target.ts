/**
 * Check E022: targets that can never receive forwarded traffic: unspecified, loopback,
 * multicast, limited broadcast, and the network or broadcast address of a declared subnet.
 */

import { Messages } from '../../diagnostics/messages.js';
import { addressText, intervalOf, type Net } from '../../net/address.js';
import type { RAddress, RInterface } from '../../resolve/model.js';
import type { Check } from '../check.js';

function special(net: Net): string | null {
  const { family, bits } = net;
  if (family === 'ipv4') {
    const n = Number(bits); // fits in a double; bigint shifts would allocate
    if (n === 0) return 'it is the unspecified address';
    if (n >>> 24 === 127) return 'it is a loopback address';
    if (n >>> 28 === 14) return 'it is a multicast address';
    if (n === 0xffffffff) return 'it is the broadcast address';
    return null;
  }
  if (bits === 0n) return 'it is the unspecified address';
  if (bits === 1n) return 'it is the loopback address';
  if (bits >> 120n === 0xffn) return 'it is a multicast address';
  return null;
}

/**
 * The network and broadcast addresses of the declared IPv4 subnets (/30 and wider), each with the
 * reason naming the first subnet it belongs to: one lookup per target instead of a scan of every
 * subnet. Built once per interface list (the two checks that ask share it).
 */
const edgesByInterfaces = new WeakMap<readonly RInterface[], ReadonlyMap<bigint, string>>();

function subnetEdges(interfaces: readonly RInterface[]): ReadonlyMap<bigint, string> {
  let edges = edgesByInterfaces.get(interfaces);
  if (edges) return edges;
  const built = new Map<bigint, string>();
  for (const iface of interfaces)
    for (const s of iface.subnets) {
      if (s.net.family !== 'ipv4' || s.net.length > 30) continue;
      const iv = intervalOf(s.net);
      const where = `of subnet ${addressText('ipv4', s.net.bits)}/${s.net.length} on '${iface.name}'`;
      if (!built.has(iv.first)) built.set(iv.first, `it is the network address ${where}`);
      if (!built.has(iv.last)) built.set(iv.last, `it is the broadcast address ${where}`);
    }
  edges = built;
  edgesByInterfaces.set(interfaces, edges);
  return edges;
}

/** Why a target address is unusable, or null. */
export function unusableReason(net: Net, interfaces: readonly RInterface[]): string | null {
  return special(net) ?? (net.family === 'ipv4' ? (subnetEdges(interfaces).get(net.bits) ?? null) : null);
}

/** Reports forward and allow targets that are not usable hosts. */
export const usableTarget: Check = {
  id: 'usable-target',
  run(file, ctx) {
    const check = (entries: readonly RAddress[]): void => {
      for (let j = 0; j < entries.length; j++) {
        const e = entries[j]!;
        const reason = unusableReason(e.net, file.interfaces);
        if (reason) ctx.report(Messages.UnusableTarget, e.span, { address: addressText(e.net.family, e.net.bits), reason });
      }
    };
    const rules = file.rules;
    // Indexed: see check.ts.
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if ((rule.kind === 'forward' || rule.kind === 'allow') && rule.target) check(rule.target.entries);
    }
  },
};
