/**
 * What the ipfw target cannot express (E130-E134, E136): the checks behind planIpfw's `unsupported`,
 * and the rules that remain expressible. Pure; each finding carries the rule's span.
 */

import type { Ir, Masquerade, PortForward, PortRange, PortRedirect } from '../ir/model.js';
import type { Unsupported } from './backend.js';
import { ipfwPorts } from './ipfw-syntax.js';

/** Most ports pfc expands into one redirect_port or fwd rule each. */
export const IPFW_EXPAND_LIMIT = 64;
/** Number of ports in a list of ranges. */
export const portCount = (ports: readonly PortRange[]): number => ports.reduce((n, r) => n + r.last - r.first + 1, 0);

const unsupportedForward = (f: PortForward): Unsupported | null => {
  const span = f.origin.span;
  if (f.family === 'ipv6') return { message: 'IpfwIpv6Forward', span, data: { target: f.target.address } };
  if (f.reflect) return { message: 'IpfwReflect', span, data: { target: f.target.address } };
  if (f.mapping.kind === 'port' && portCount(f.ports) > IPFW_EXPAND_LIMIT) {
    const data = { what: 'redirect_port', count: portCount(f.ports), limit: IPFW_EXPAND_LIMIT };
    return { message: 'IpfwTooManyPorts', span, data };
  }
  return null;
};

/**
 * libalias takes the first redirect_port of an alias port: two forwards of one protocol whose
 * ports overlap on one ingress (disjoint or nested `from` sets) cannot share an instance. Found
 * by sorting each (ingress, protocol) group's port intervals and sweeping; the later forward in
 * IR order is the one reported.
 */
function sharedPorts(forwards: readonly PortForward[]): Set<PortForward> {
  const groups = new Map<string, { first: number; last: number; at: number }[]>();
  forwards.forEach((f, at) => {
    const key = `${f.ingress.kind === 'interface' ? f.ingress.iface.device : f.ingress.address.address}|${f.protocol}`;
    const items = groups.get(key) ?? [];
    for (const p of f.ports) items.push({ first: p.first, last: p.last, at });
    groups.set(key, items);
  });
  const clashing = new Set<PortForward>();
  for (const items of groups.values()) {
    items.sort((a, b) => a.first - b.first || a.last - b.last);
    let open: { last: number; at: number } | null = null;
    for (const item of items) {
      if (open && item.first <= open.last && item.at !== open.at) clashing.add(forwards[Math.max(item.at, open.at)]!);
      if (!open || item.last > open.last) open = { last: item.last, at: item.at };
    }
  }
  return clashing;
}

/**
 * ipfw runs the `fwd` rules of redirects before the `nat` rules of forwards, so a forward that
 * must win over an overlapping redirect (a lower tier: narrower sources) cannot be expressed.
 */
function forwardBeforeRedirect(forwards: readonly PortForward[], redirects: readonly PortRedirect[]): Set<PortForward> {
  const out = new Set<PortForward>();
  const sameIngress = (f: PortForward, r: PortRedirect): boolean =>
    r.ingress === null ||
    (r.ingress.kind === 'interface' && f.ingress.kind === 'interface' && r.ingress.iface.device === f.ingress.iface.device) ||
    (r.ingress.kind === 'address' && f.ingress.kind === 'address' && r.ingress.address.address === f.ingress.address.address);
  const overlap = (a: readonly PortRange[], b: readonly PortRange[]) => a.some((x) => b.some((y) => x.first <= y.last && y.first <= x.last));
  // Redirects are few (one per statement and family), so each forward meets each at most once.
  for (const f of forwards)
    if (redirects.some((r) => r.family === f.family && r.protocol === f.protocol && f.tier < r.tier && sameIngress(f, r) && overlap(f.ports, r.ports)))
      out.add(f);
  return out;
}

const unsupportedRedirect = (r: PortRedirect): Unsupported | null =>
  r.mapping.kind === 'shift' && portCount(r.ports) > IPFW_EXPAND_LIMIT
    ? { message: 'IpfwTooManyPorts', span: r.origin.span, data: { what: 'fwd rule', count: portCount(r.ports), limit: IPFW_EXPAND_LIMIT } }
    : null;

const unsupportedMasquerade = (m: Masquerade): Unsupported | null =>
  m.family === 'ipv6' ? { message: 'IpfwIpv6Masquerade', span: m.origin.span, data: { egress: m.egress.name } } : null;

/** The rules ipfw can express, and a finding for each one it cannot. */
export function expressible(ir: Ir): { forwards: PortForward[]; redirects: PortRedirect[]; masquerades: Masquerade[]; unsupported: Unsupported[] } {
  const unsupported: Unsupported[] = [];
  const keep =
    <T>(check: (x: T) => Unsupported | null) =>
    (x: T) => {
      const u = check(x);
      if (u) unsupported.push(u);
      return u === null;
    };
  const candidates = ir.forwards.filter(keep(unsupportedForward));
  const redirects = ir.redirects.filter(keep(unsupportedRedirect));
  const shared = sharedPorts(candidates);
  const shadowed = forwardBeforeRedirect(candidates, redirects);
  const forwards = candidates.filter(
    keep((f) => {
      const ingress = f.ingress.kind === 'interface' ? f.ingress.iface.name : f.ingress.address.address;
      const data = { protocol: f.protocol, ports: ipfwPorts(f.ports), ingress };
      if (shared.has(f)) return { message: 'IpfwSourceOverlap', span: f.origin.span, data };
      if (shadowed.has(f)) return { message: 'IpfwRedirectOrder', span: f.origin.span, data };
      return null;
    }),
  );
  const masquerades = ir.masquerades.filter(keep(unsupportedMasquerade));
  return { forwards, redirects, masquerades, unsupported };
}
