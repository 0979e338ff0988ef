/**
 * Backend nftables (alias nft): IR → view model for templates/nftables.nft.hbs. One `inet` table
 * that pfc owns, replaced atomically; forwards as verdict-free DNAT maps (nftables-maps.ts),
 * redirects, allows and masquerades as one rule per statement. Pure; docs/targets.md#nftables.
 */

import ipaddr from 'ipaddr.js';
import type { Ir, Pinhole, PortForward, PortRedirect, Prefix } from '../ir/model.js';
import type { Backend, TargetOptions, Unsupported } from './backend.js';
import { dnatMaps, type NftDnatMap } from './nftables-maps.js';
import { type NftSnatSet, snatSets } from './nftables-snat.js';
import { anonymousSet, familyOf, headerText, type NftFamily, nftString, portText, traceComment } from './nftables-syntax.js';

export type { NftDnatMap } from './nftables-maps.js';
export type { NftSnatSet } from './nftables-snat.js';
export type { NftElementLines, NftFamily } from './nftables-syntax.js';
export { nftString } from './nftables-syntax.js';

/**
 * The conntrack mark bit pfc sets on connections an `allow` lets through. The host firewall
 * accepts it with `ct mark and 0x00100000 == 0x00100000 accept` (docs/targets.md#nftables).
 */
export const ALLOW_MARK = '0x00100000';

/** Rule part shared by redirects and allows: protocol, ports, sources, log, trace comment. */
interface NftMatch extends NftFamily {
  readonly protocol: 'tcp' | 'udp';
  /** Destination ports as an anonymous set: `{ 80, 1000-2000 }`. */
  readonly ports: string;
  readonly sourced: boolean;
  /** `{ 203.0.113.0/24 }`, '' when any source. */
  readonly sources: string;
  readonly log: boolean;
  /** Quoted log prefix naming the rule. */
  readonly logPrefix: string;
  /** Quoted trace comment: origin tag and the user's comment. */
  readonly comment: string;
}

/** `redirect` to a port on the router: nft(8) NAT STATEMENTS, redirect. */
export interface NftRedirect extends NftMatch {
  /** Interface ingress: `iifname X fib daddr . iif type local`. */
  readonly hasIface: boolean;
  readonly iface: string;
  /** Address ingress: `ip daddr X`. */
  readonly hasAddress: boolean;
  readonly address: string;
  /** No ingress: any interface, `fib daddr type local`. */
  readonly anyLocal: boolean;
  /** Mapping `port`: `redirect to :PORT`. */
  readonly toPort: boolean;
  readonly port: number;
  /** Mapping `shift`: `redirect to : tcp dport map { 10000 : 20000, … }`. */
  readonly shift: boolean;
  readonly shiftMap: string;
}

/** `allow`: marks new connections in the forward hook so the host firewall can accept them. */
export interface NftAllow extends NftMatch {
  /** Quoted ingress device. */
  readonly iface: string;
  /** Target host or network. */
  readonly target: string;
}

/** `masquerade`: one postrouting rule. */
export interface NftMasquerade extends NftFamily {
  readonly egress: string;
  /** Source is an interface (`iifname`); otherwise `sources` (`ip saddr { … }`). */
  readonly byInterface: boolean;
  readonly iface: string;
  readonly sources: string;
  readonly comment: string;
}

/** Everything templates/nftables.nft.hbs needs; every list present, every flag set. */
export interface NftView {
  /** The source file name for the header comment. */
  readonly source: string;
  /** The table name (`pfc`). */
  readonly table: string;
  readonly markBit: string;
  /** Every DNAT map in evaluation order, for declarations (address, interface, reflect). */
  readonly maps: readonly NftDnatMap[];
  /**
   * The prerouting chain in evaluation order: by tier (narrower sources first), then address
   * ingress, interface ingress, every interface, reflect. Exactly one of map/redirect is set.
   */
  readonly prerouting: readonly { readonly map: NftDnatMap | null; readonly redirect: NftRedirect | null }[];
  readonly snatSets: readonly NftSnatSet[];
  readonly masquerades: readonly NftMasquerade[];
  readonly allows: readonly NftAllow[];
}

const tableName = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

function sourcesText(sources: readonly Prefix[] | null): string {
  return sources === null ? '' : anonymousSet(sources.map((s) => s.text));
}

function match(rule: PortRedirect | Pinhole, what: string): NftMatch {
  return {
    ...familyOf(rule.family),
    protocol: rule.protocol,
    ports: anonymousSet(rule.ports.map(portText)),
    sourced: rule.sources !== null,
    sources: sourcesText(rule.sources),
    log: rule.log,
    logPrefix: nftString(`pfc ${what} ${rule.origin.tag}: `, 64),
    comment: traceComment(rule),
  };
}

function redirectView(r: PortRedirect): NftRedirect {
  const m = r.mapping;
  const base = r.ports[0]?.first ?? 0;
  const shiftMap = m.kind === 'shift' ? Array.from({ length: m.last - m.first + 1 }, (_, i) => `${base + i} : ${m.first + i}`).join(', ') : '';
  return {
    ...match(r, 'redirect'),
    hasIface: r.ingress?.kind === 'interface',
    iface: r.ingress?.kind === 'interface' ? nftString(r.ingress.iface.device) : '',
    hasAddress: r.ingress?.kind === 'address',
    address: r.ingress?.kind === 'address' ? r.ingress.address.address : '',
    anyLocal: r.ingress === null,
    toPort: m.kind === 'port',
    port: m.kind === 'port' ? m.port : 0,
    shift: m.kind === 'shift',
    shiftMap,
  };
}

/** Builds the view model; pure, and the same IR always gives the same view. */
export function toNftView(ir: Ir, opts: TargetOptions): NftView {
  const table = opts.table ?? 'pfc';
  if (!tableName.test(table)) throw new Error(`nftables: invalid table name '${table}'`);
  const maps = dnatMaps(ir.forwards, ir.interfaces);
  const redirectRank = (r: PortRedirect): number => (r.ingress === null ? 2 : r.ingress.kind === 'address' ? 0 : 1);
  const entries = [
    ...maps.map((map) => ({ tier: map.tier, rank: map.rank, map, redirect: null })),
    ...ir.redirects.map((r) => ({ tier: r.tier, rank: redirectRank(r), map: null, redirect: redirectView(r) })),
  ];
  // A stable sort keeps the maps' own order and the IR order of redirects within (tier, rank).
  const prerouting = entries.sort((a, b) => a.tier - b.tier || a.rank - b.rank).map(({ map, redirect }) => ({ map, redirect }));
  return {
    source: headerText(ir.source),
    table,
    markBit: ALLOW_MARK,
    maps,
    prerouting,
    snatSets: snatSets(ir.forwards),
    masquerades: ir.masquerades.map((m) => ({
      ...familyOf(m.family),
      egress: nftString(m.egress.device),
      byInterface: m.source.kind === 'interface',
      iface: m.source.kind === 'interface' ? nftString(m.source.iface.device) : '',
      sources: m.source.kind === 'addresses' ? sourcesText(m.source.prefixes) : '',
      comment: nftString(m.origin.tag),
    })),
    allows: ir.allows.map((a) => ({
      ...match(a, 'allow'),
      iface: nftString(a.ingress.device),
      target: a.target.text,
    })),
  };
}

/** True when two source lists (null = any) share an address. */
function sourcesOverlap(a: readonly Prefix[] | null, b: readonly Prefix[] | null): boolean {
  if (a === null || b === null) return true;
  return a.some((p) => b.some((q) => prefixOverlap(p, q)));
}

function prefixOverlap(p: Prefix, q: Prefix): boolean {
  return p.family === q.family && ipaddr.parse(p.address).match(ipaddr.parse(q.address), Math.min(p.length, q.length));
}

const ingressName = (f: PortForward): string => (f.ingress.kind === 'interface' ? f.ingress.iface.name : '');

/**
 * Reflected forwards of different ingresses that would share a reflect key (via device,
 * protocol, port, source). nftables cannot tell which router address a hairpin connection was
 * for (fib gives no device for a local address), so the map would hold overlapping elements.
 * Sweep over port ranges sorted by first port; only overlapping candidates are compared.
 */
function reflectCollisions(ir: Ir): Unsupported[] {
  const items = ir.forwards
    .filter((f) => f.reflect !== null)
    .flatMap((f) => f.ports.map((r) => ({ f, r })))
    .sort((a, b) => a.r.first - b.r.first);
  const out: Unsupported[] = [];
  const seen = new Set<PortForward>();
  let active: typeof items = [];
  for (const it of items) {
    active = active.filter((a) => a.r.last >= it.r.first);
    for (const a of active) {
      if (a.f.family !== it.f.family || a.f.protocol !== it.f.protocol || seen.has(it.f)) continue;
      if (ingressName(a.f) === ingressName(it.f) || !sourcesOverlap(a.f.sources, it.f.sources)) continue;
      if (!a.f.reflect?.via.some((v) => it.f.reflect?.via.some((w) => w.device === v.device))) continue;
      const [first, second] = a.f.origin.span.start <= it.f.origin.span.start ? [a.f, it.f] : [it.f, a.f];
      seen.add(it.f);
      out.push({
        message: 'Conflict',
        span: second.origin.span,
        data: {
          detail: `${second.protocol} port ${it.r.first} is also reflected by the forward on '${ingressName(first)}' at ${first.origin.tag}; nftables cannot tell which router address a reflected connection was for.`,
        },
      });
    }
    active.push(it);
  }
  return out;
}

/** The nftables target. */
export const nftables: Backend<NftView> = {
  id: 'nftables',
  aliases: ['nft'],
  description: 'nftables (Linux): one inet table with DNAT maps, loaded atomically with nft -f',
  template: 'nftables.nft.hbs',
  outputName: 'nftables.nft',
  unsupported: (ir) => reflectCollisions(ir),
  toViewModel: toNftView,
};
