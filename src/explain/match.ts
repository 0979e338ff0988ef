/**
 * Explaining a packet from the IR: the first translating rule (forwards and redirects, by tier)
 * that takes it, else an allow, else a masquerade, else nothing; where it ends up and whether
 * its source is rewritten. The rules of matching are the backends' (docs/targets.md): an
 * interface ingress takes packets to the router's own address on that interface arriving on it;
 * an address ingress takes packets to that address from anywhere; reflection takes packets from
 * the other interfaces to a router address that is not theirs.
 */

import ipaddr from 'ipaddr.js';
import { mappedPort } from '../analysis/mapping.js';
import type { Family, Interface, Ir, Origin, Pinhole, PortForward, PortRange, PortRedirect, Prefix } from '../ir/model.js';
import { intervalOf, type Net, toPrefix } from '../net/address.js';
import type { PacketSpec } from './packet.js';

/** How the arrival interface was found. */
export type ArrivalReason = 'given' | 'destination' | 'source subnet' | 'only interface without subnet';

/** What happens to a packet. */
export interface Explanation {
  readonly family: Family;
  readonly arrival: { readonly iface: Interface; readonly reason: ArrivalReason } | null;
  readonly verdict: 'forward' | 'redirect' | 'allow' | 'masquerade' | 'none';
  /** The rule that decides (absent for `none`). */
  readonly rule: { readonly kind: 'forward' | 'redirect' | 'allow' | 'masquerade'; readonly origin: Origin; readonly comment: string | null } | null;
  /** Where the packet goes: the target (forward, allow) or this host (redirect); null otherwise. */
  readonly to: { readonly host: 'router' | string; readonly port: number } | null;
  /** The source is rewritten to the router's address on this interface (reflection, masquerade). */
  readonly rewrittenVia: Interface | null;
  readonly reflected: boolean;
  readonly logged: boolean;
  /** Things the reader should know: assumptions, why nothing matched. */
  readonly notes: readonly string[];
}

/** A name in the packet that the rule set does not declare (a usage error). */
export class UnknownInterface extends Error {}

const contains = (prefixes: readonly Prefix[] | null, host: Prefix): boolean =>
  prefixes === null || prefixes.some((p) => p.family === host.family && ipaddr.parse(host.address).match(ipaddr.parse(p.address), p.length));

const inPorts = (ports: readonly PortRange[], port: number): boolean => ports.some((r) => r.first <= port && port <= r.last);
const sameIface = (a: Interface | null, b: Interface): boolean => a !== null && a.device === b.device;

function hostPrefix(net: Net): Prefix {
  return toPrefix({ ...net, bits: intervalOf(net).first });
}

/** Finds an interface by name, or by device; throws UnknownInterface. */
function iface(ir: Ir, name: string): Interface {
  const found = ir.interfaces.find((i) => i.name === name) ?? ir.interfaces.find((i) => i.device === name);
  if (!found) throw new UnknownInterface(`'${name}' is not an interface of this rule set (${ir.interfaces.map((i) => i.name).join(', ') || 'none declared'})`);
  return found;
}

function arrivalOf(ir: Ir, p: PacketSpec, src: Prefix): Explanation['arrival'] {
  if (p.on !== null) return { iface: iface(ir, p.on), reason: 'given' };
  // A source inside a declared subnet is a host behind that interface (a LAN client).
  const bySubnet = ir.interfaces.find((i) => i.subnets.some((s) => contains([s], src)));
  if (bySubnet) return { iface: bySubnet, reason: 'source subnet' };
  if (p.destination.kind === 'interface') return { iface: iface(ir, p.destination.name), reason: 'destination' };
  const outside = ir.interfaces.filter((i) => !i.subnets.some((s) => s.family === src.family));
  return outside.length === 1 ? { iface: outside[0]!, reason: 'only interface without subnet' } : null;
}

/** Explains what the rule set does with a packet. Throws UnknownInterface for an undeclared name. */
export function explainPacket(ir: Ir, p: PacketSpec): Explanation {
  const src = hostPrefix(p.source);
  const family = src.family;
  const dstIface = p.destination.kind === 'interface' ? iface(ir, p.destination.name) : null;
  const dstAddr = p.destination.kind === 'address' ? hostPrefix(p.destination.net) : null;
  const arrival = arrivalOf(ir, p, src);
  const at = arrival?.iface ?? null;
  const notes: string[] = [];
  // A router address pfc knows of: one that some rule uses as its ingress.
  const knownLocal =
    dstAddr !== null && [...ir.forwards, ...ir.redirects].some((r) => r.ingress?.kind === 'address' && r.ingress.address.address === dstAddr.address);
  // An address outside every declared subnet, arriving on an interface without a subnet of its
  // family (the outside), can only be for the router itself: taken as its address there.
  const assumed =
    dstAddr !== null && !knownLocal && at !== null && !ir.interfaces.some((i) => contains(i.subnets, dstAddr)) && !at.subnets.some((s) => s.family === family);
  if (assumed) notes.push(`${dstAddr.address} is taken as the router's own address on '${at.name}' (pfc does not know the router's addresses)`);
  const local = dstIface !== null || knownLocal || assumed;
  const toRouterOn = (i: Interface): boolean => (dstIface !== null ? sameIface(dstIface, i) : (knownLocal || assumed) && sameIface(at, i));
  const common = (r: PortForward | PortRedirect | Pinhole) =>
    r.family === family && r.protocol === p.protocol && inPorts(r.ports, p.port) && contains(r.sources, src);

  const translating = [...ir.forwards, ...ir.redirects].sort((a, b) => a.tier - b.tier);
  for (const r of translating) {
    if (!common(r)) continue;
    let reflected = false;
    if (r.ingress === null) {
      if (!local) continue;
    } else if (r.ingress.kind === 'address') {
      if (dstAddr?.address !== r.ingress.address.address) continue;
    } else if (!(sameIface(at, r.ingress.iface) && toRouterOn(r.ingress.iface))) {
      // Reflection: from another declared interface to a router address that is not its own.
      const via = r.kind === 'forward' ? (r.reflect?.via ?? []) : [];
      if (!(dstIface !== null && at !== null && !sameIface(at, dstIface) && via.some((v) => sameIface(at, v)))) continue;
      reflected = true;
    }
    const port = mappedPort(r.mapping, r.ports, p.port) ?? p.port;
    const rule = { kind: r.kind, origin: r.origin, comment: r.comment };
    if (r.kind === 'redirect')
      return { family, arrival, verdict: 'redirect', rule, to: { host: 'router', port }, rewrittenVia: null, reflected: false, logged: r.log, notes };
    return {
      family,
      arrival,
      verdict: 'forward',
      rule,
      to: { host: r.target.address, port },
      rewrittenVia: reflected ? at : null,
      reflected,
      logged: r.log,
      notes,
    };
  }
  if (dstAddr !== null && at !== null)
    for (const a of ir.allows)
      if (common(a) && sameIface(at, a.ingress) && contains([a.target], dstAddr))
        return {
          family,
          arrival,
          verdict: 'allow',
          rule: { kind: 'allow', origin: a.origin, comment: a.comment },
          to: { host: dstAddr.address, port: p.port },
          rewrittenVia: null,
          reflected: false,
          logged: a.log,
          notes,
        };
  // From a LAN to an address beyond the subnets: maybe the router's outside address, reflected.
  const reflector =
    dstAddr !== null && !local ? translating.find((r) => r.kind === 'forward' && common(r) && r.reflect?.via.some((v) => sameIface(at, v))) : undefined;
  if (reflector?.kind === 'forward' && reflector.ingress.kind === 'interface')
    notes.push(
      `if ${dstAddr!.address} is the router's address on '${reflector.ingress.iface.name}', write '-> ${reflector.ingress.iface.name}:${p.port}': the forward at ${reflector.origin.tag} reflects it`,
    );
  if (dstAddr !== null && !local)
    for (const m of ir.masquerades) {
      const from = m.source.kind === 'interface' ? sameIface(at, m.source.iface) : contains(m.source.prefixes, src);
      if (m.family === family && from && !(at !== null && sameIface(at, m.egress)))
        return {
          family,
          arrival,
          verdict: 'masquerade',
          rule: { kind: 'masquerade', origin: m.origin, comment: null },
          to: null,
          rewrittenVia: m.egress,
          reflected: false,
          logged: false,
          notes,
        };
    }
  // A near miss explains more than "nothing": the rule that takes this port, and why not here.
  const near = translating.find((r) => r.family === family && r.protocol === p.protocol && inPorts(r.ports, p.port));
  if (near) {
    const why = !contains(near.sources, src)
      ? `only from ${near.sources!.map((x) => x.text).join(', ')}`
      : near.ingress?.kind === 'interface'
        ? `only for packets to the router's address on '${near.ingress.iface.name}' arriving there${near.kind === 'forward' && near.reflect ? ', or reflected from another interface' : ' (it has no reflect)'}`
        : near.ingress?.kind === 'address'
          ? `only for packets to ${near.ingress.address.address}`
          : "only for packets to one of the router's addresses";
    notes.push(`the ${near.kind} at ${near.origin.tag} takes ${p.protocol} port ${p.port} ${why}`);
  }
  if (arrival === null) notes.push('pfc cannot tell which interface the packet arrives on: give "on IFACE"');
  const behind = dstAddr !== null ? ir.interfaces.find((i) => contains(i.subnets, dstAddr)) : undefined;
  if (behind && dstAddr !== null && !local && !sameIface(at, behind))
    notes.push(`${dstAddr.address} lies behind '${behind.name}' (its subnet): pfc translates nothing sent straight to it; only an allow lets it through`);
  else if (dstAddr !== null && !local)
    notes.push(`pfc does not know the router's own addresses: if ${dstAddr.address} is one of them, name its interface instead (-> IFACE:${p.port})`);
  return { family, arrival, verdict: 'none', rule: null, to: null, rewrittenVia: null, reflected: false, logged: false, notes };
}
