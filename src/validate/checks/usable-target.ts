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
    if (bits === 0n) return 'it is the unspecified address';
    if (bits >> 24n === 127n) return 'it is a loopback address';
    if (bits >> 28n === 14n) return 'it is a multicast address';
    if (bits === 0xffffffffn) return 'it is the broadcast address';
    return null;
  }
  if (bits === 0n) return 'it is the unspecified address';
  if (bits === 1n) return 'it is the loopback address';
  if (bits >> 120n === 0xffn) return 'it is a multicast address';
  return null;
}

function subnetEdge(net: Net, interfaces: readonly RInterface[]): string | null {
  for (const iface of interfaces)
    for (const s of iface.subnets) {
      if (s.net.family !== 'ipv4' || net.family !== 'ipv4' || s.net.length > 30) continue;
      const iv = intervalOf(s.net);
      const where = `of subnet ${addressText('ipv4', s.net.bits)}/${s.net.length} on '${iface.name}'`;
      if (net.bits === iv.first) return `it is the network address ${where}`;
      if (net.bits === iv.last) return `it is the broadcast address ${where}`;
    }
  return null;
}

/** Why a target address is unusable, or null. */
export function unusableReason(net: Net, interfaces: readonly RInterface[]): string | null {
  return special(net) ?? subnetEdge(net, interfaces);
}

/** Reports forward and allow targets that are not usable hosts. */
export const usableTarget: Check = {
  id: 'usable-target',
  run(file, ctx) {
    const check = (entries: readonly RAddress[]): void => {
      for (const e of entries) {
        const reason = unusableReason(e.net, file.interfaces);
        if (reason) ctx.report(Messages.UnusableTarget, e.span, { address: addressText(e.net.family, e.net.bits), reason });
      }
    };
    for (const rule of file.rules) if ((rule.kind === 'forward' || rule.kind === 'allow') && rule.target) check(rule.target.entries);
  },
};
