/**
 * Backend nftables, part two: the grouping of forwards into verdict-free DNAT maps and their log
 * sets (the reflect SNAT sets are in nftables-snat.ts). Pure functions from IR lists to view-model pieces (their nft
 * text from nftables-syntax.ts); nftables.ts assembles the whole view.
 */

import ipaddr from 'ipaddr.js';
import type { Family, Interface, PortForward, Prefix, Protocol } from '../ir/model.js';
import { addElementLine, anonymousSet, familyOf, type NftElementLines, type NftFamily, nftString, portText, traceComment } from './nftables-syntax.js';
import { TextBlock } from './text-block.js';

/** A DNAT map (forward or reflect), the rule that uses it, and the log set that mirrors it. */
export interface NftDnatMap extends NftFamily {
  /** `flags interval`: some key is a range or a network (otherwise a hash map). */
  readonly interval: boolean;
  /** Precedence (IR tier) and ingress rank (address 0, interface 1, reflect 3): prerouting order. */
  readonly tier: number;
  readonly rank: number;
  readonly name: string;
  readonly logSet: string;
  /** The key starts with `iifname` (interface ingress, reflect); otherwise with `ip daddr`. */
  readonly byInterface: boolean;
  /**
   * The ingress (device or address) is part of the key; false when every element has the same
   * one, which the rule then matches in `ingressMatch` (`iifname "eth0"`, `ip daddr 192.0.2.1`).
   */
  readonly keyIngress: boolean;
  readonly ingressMatch: string;
  /** The protocol is part of the key; false when every element has the same one, `protocol`. */
  readonly protocol: string;
  readonly keyProtocol: boolean;
  /** Interface ingress: only packets addressed to an address of the arriving interface. */
  readonly localToIif: boolean;
  /** Reflect: router-local, not of the arriving interface, outside the declared subnets. */
  readonly reflect: boolean;
  /** Declared subnets of this family, as an anonymous set; only used by reflect maps. */
  readonly excludes: string;
  readonly hasExcludes: boolean;
  /** The key ends with the source address. */
  readonly sourced: boolean;
  /** Data is `addr . port` (mappings `port` and `shift`); otherwise `addr` (mapping `same`). */
  readonly withPort: boolean;
  /** Key `:` data, one line per element. */
  readonly elements: NftElementLines;
  /** Keys of the rules that have `log` (the log set); '' when none has. */
  readonly logElements: NftElementLines;
  readonly hasLog: boolean;
  readonly logPrefix: string;
}

/** The elements of one port of a forward, one per source (or one): in the map, and in the log set when it logs. */
function addPortElements(g: Group, fwd: PortForward, head: string, port: string, comment: string, data: string): void {
  const sources = fwd.sources;
  const count = sources === null ? 1 : sources.length;
  for (let i = 0; i < count; i++) {
    const source = sources === null ? null : sources[i]!.text;
    addElementLine(g.elements, head, port, source, comment, data);
    if (fwd.log) addElementLine(g.logElements, head, port, source, comment, null);
  }
}

/**
 * Appends the elements of one forward to a group, in port then source order: the map's lines,
 * and the log set's (the same keys, no data) when the forward logs. A `shift` is expanded port by
 * port (a range as DNAT target is an address/port pool in nft(8) NAT STATEMENTS, not an offset).
 * `head` is the line's start: indent, then the key prefix (a quoted device or the ingress address)
 * and the protocol unless the whole group shares them (then the map's rule matches them).
 */
function addForwardElements(g: Group, fwd: PortForward, head: string): void {
  const comment = traceComment(fwd);
  const addr = fwd.target.address;
  const mapping = fwd.mapping;
  if (mapping.kind === 'shift') {
    const base = fwd.ports[0]?.first ?? mapping.first;
    const dataHead = `${addr} . `;
    for (let p = mapping.first; p <= mapping.last; p++) addPortElements(g, fwd, head, `${base + (p - mapping.first)}`, comment, `${dataHead}${p}`);
  } else {
    const data = mapping.kind === 'port' ? `${addr} . ${mapping.port}` : addr;
    // Indexed, like the loops over forwards: once per forward, in code not yet optimised.
    for (let i = 0; i < fwd.ports.length; i++) addPortElements(g, fwd, head, portText(fwd.ports[i]!), comment, data);
  }
}

type Kind = 'address' | 'interface' | 'reflect';

interface Group {
  readonly kind: Kind;
  /** The forwards of the group in evaluation order, with the first key part of each. */
  readonly forwards: PortForward[];
  readonly ingresses: string[];
  /** The ingress and the protocol shared by every forward of the group; null when they differ. */
  ingress: string | null;
  protocol: Protocol | null;
  readonly family: Family;
  readonly sourced: boolean;
  readonly withPort: boolean;
  /** Some key is a port range or a network: the map needs `flags interval`. */
  readonly interval: boolean;
  readonly tier: number;
  /** Lines, appended forward by forward (no object per element). */
  readonly elements: TextBlock;
  readonly logElements: TextBlock;
}

/** Address ingress first, interface next, redirects on every interface (2), reflect last. */
const kindRank: Record<Kind, number> = { address: 0, interface: 1, reflect: 3 };

/** Map name: `fwd4_iif_src_port_t0`, `fwd6_daddr_same_t1`, `refl4_port_t0`. */
function mapName(g: Group): string {
  const fam = g.family === 'ipv4' ? '4' : '6';
  const head = g.kind === 'reflect' ? `refl${fam}` : `fwd${fam}_${g.kind === 'address' ? 'daddr' : 'iif'}`;
  return `${head}${g.sourced ? '_src' : ''}_${g.withPort ? 'port' : 'same'}${g.interval ? '_ranges' : ''}_t${g.tier}`;
}

/**
 * True when a forward's keys need an interval map: a port range, or a source network. Forwards
 * of single ports and hosts go into plain (hash) maps, whose lookups and loads are cheaper.
 */
function needsInterval(fwd: PortForward): boolean {
  if (fwd.mapping.kind !== 'shift') for (let i = 0; i < fwd.ports.length; i++) if (fwd.ports[i]!.first !== fwd.ports[i]!.last) return true;
  const width = fwd.family === 'ipv4' ? 32 : 128;
  const sources = fwd.sources ?? [];
  for (let i = 0; i < sources.length; i++) if (sources[i]!.length !== width) return true;
  return false;
}

/**
 * Groups forwards into one map per (kind, family, sourced, data kind, interval or not, tier), in
 * evaluation order:
 * by tier, then address ingress, interface ingress, reflect. Rules of one tier
 * never overlap, so a map never holds overlapping elements (ports and sources are disjoint).
 * A key part every element shares (the ingress of a router with one WAN, one protocol) moves from
 * the key into the map's rule: the key is then what a hand-written map would have, e.g. just
 * `inet_service`, which nft loads and the kernel looks up faster than a concatenation.
 */
export function dnatMaps(forwards: readonly PortForward[], interfaces: readonly Interface[]): NftDnatMap[] {
  const groups = new Map<number, Group>();
  const devices = new Map<string, string>();
  const quotedDevice = (device: string): string => {
    let quoted = devices.get(device);
    if (quoted === undefined) devices.set(device, (quoted = nftString(device)));
    return quoted;
  };
  // The start of an element line, `\t\t\tFIRST . PROTOCOL . ` (either part '' when the group
  // shares it), made once per key prefix and protocol.
  const heads = { '': new Map<string, string>(), tcp: new Map<string, string>(), udp: new Map<string, string>() };
  const lineHead = (first: string, protocol: Protocol | ''): string => {
    let head = heads[protocol].get(first);
    if (head === undefined) heads[protocol].set(first, (head = `\t\t\t${first === '' ? '' : `${first} . `}${protocol === '' ? '' : `${protocol} . `}`));
    return head;
  };
  const add = (kind: Kind, fwd: PortForward, first: string): void => {
    const sourced = fwd.sources !== null;
    const withPort = fwd.mapping.kind !== 'same';
    const interval = needsInterval(fwd);
    // The group's identity as one number (a string key would be built for every forward).
    const id = ((fwd.tier * 4 + kindRank[kind]) * 2 + (fwd.family === 'ipv4' ? 0 : 1)) * 8 + (sourced ? 4 : 0) + (withPort ? 2 : 0) + (interval ? 1 : 0);
    let g = groups.get(id);
    if (!g) {
      g = {
        kind,
        forwards: [],
        ingresses: [],
        ingress: first,
        protocol: fwd.protocol,
        family: fwd.family,
        sourced,
        withPort,
        interval,
        tier: fwd.tier,
        elements: new TextBlock(),
        logElements: new TextBlock(),
      };
      groups.set(id, g);
    }
    g.forwards.push(fwd);
    g.ingresses.push(first);
    if (g.ingress !== first) g.ingress = null;
    if (g.protocol !== fwd.protocol) g.protocol = null;
  };
  // Indexed: once per forward, where a for..of not yet optimised allocates an iterator result per step.
  for (let i = 0; i < forwards.length; i++) {
    const fwd = forwards[i]!;
    if (fwd.ingress.kind === 'address') add('address', fwd, fwd.ingress.address.address);
    else add('interface', fwd, quotedDevice(fwd.ingress.iface.device));
    if (fwd.reflect) for (const via of fwd.reflect.via) add('reflect', fwd, quotedDevice(via.device));
  }
  // The element lines, once each group knows which key parts all of its forwards share.
  for (const g of groups.values()) {
    for (let i = 0; i < g.forwards.length; i++) {
      const fwd = g.forwards[i]!;
      addForwardElements(g, fwd, lineHead(g.ingress === null ? g.ingresses[i]! : '', g.protocol === null ? fwd.protocol : ''));
    }
  }
  const ordered = [...groups.values()].sort(
    (a, b) =>
      a.tier - b.tier ||
      kindRank[a.kind] - kindRank[b.kind] ||
      (a.family < b.family ? -1 : a.family > b.family ? 1 : 0) ||
      Number(b.sourced) - Number(a.sourced) ||
      Number(b.withPort) - Number(a.withPort) ||
      Number(a.interval) - Number(b.interval),
  );
  return ordered.map((g) => {
    const name = mapName(g);
    const excludes =
      g.kind === 'reflect'
        ? outermost(
            interfaces.flatMap((i) => i.subnets),
            g.family,
          )
        : [];
    return {
      ...familyOf(g.family),
      tier: g.tier,
      rank: kindRank[g.kind],
      name,
      logSet: `${name}_log`,
      byInterface: g.kind !== 'address',
      keyIngress: g.ingress === null,
      ingressMatch: g.ingress === null ? '' : `${g.kind === 'address' ? `${familyOf(g.family).ip} daddr` : 'iifname'} ${g.ingress}`,
      keyProtocol: g.protocol === null,
      protocol: g.protocol ?? '',
      localToIif: g.kind === 'interface',
      reflect: g.kind === 'reflect',
      excludes: excludes.length > 0 ? anonymousSet(excludes) : '',
      hasExcludes: excludes.length > 0,
      sourced: g.sourced,
      withPort: g.withPort,
      interval: g.interval,
      elements: g.elements.text,
      logElements: g.logElements.text,
      hasLog: !g.logElements.empty,
      logPrefix: nftString(g.kind === 'reflect' ? 'pfc reflect: ' : 'pfc forward: '),
    };
  });
}

/** Subnets of one family without those inside another (an anonymous interval set rejects overlaps). */
function outermost(subnets: readonly Prefix[], family: Family): string[] {
  const mine = subnets.filter((s) => s.family === family).sort((a, b) => a.length - b.length);
  const kept: Prefix[] = [];
  for (const s of mine) {
    const addr = ipaddr.parse(s.address);
    if (!kept.some((k) => addr.match(ipaddr.parse(k.address), k.length))) kept.push(s);
  }
  return kept.map((s) => s.text).sort();
}
