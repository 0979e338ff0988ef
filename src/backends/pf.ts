/**
 * Backend `pf` (OpenBSD 4.7+, FreeBSD 15): IR to the view model of templates/pf.conf.hbs, a rule
 * set loaded into one anchor (`pfctl -a pfc -f FILE`). Also exports the builder functions that
 * pf-legacy.ts shares: addresses, ports, portspecs, labels, trace lines and the tcp/udp merge.
 */

import type { Family, Ingress, Interface, Masquerade, Pinhole, PortForward, PortMapping, PortRange, PortRedirect, Prefix } from '../ir/model.js';
import type { Backend } from './backend.js';

/** One pf rule, every clause already formatted; the template only places them. */
export interface PfRuleView {
  /** Text of the `#` line above the rule: trace tag and full comment. */
  readonly trace: string;
  /** `pass in`, `pass out`, `match out`, `rdr pass`, `nat`. */
  readonly action: string;
  readonly log: boolean;
  readonly quick: boolean;
  readonly hasInterface: boolean;
  /** The device (`em0`), empty when the rule has no `on`. */
  readonly iface: string;
  /** `inet` or `inet6`. */
  readonly family: string;
  readonly hasProtocols: boolean;
  /** `tcp`, `udp` or `{ tcp, udp }`. */
  readonly protocols: string;
  /** Source host or list: `any`, `203.0.113.0/24`, `{ a, b }`, `em1:network`. */
  readonly from: string;
  /** Destination host: `(em0)`, `self`, `192.168.1.20`, `any`. */
  readonly to: string;
  readonly hasPorts: boolean;
  /** Destination ports: `80`, `27015:27030`, `{ 80, 443 }`. */
  readonly ports: string;
  readonly hasReceivedOn: boolean;
  readonly receivedOn: string;
  readonly hasTranslation: boolean;
  /** `rdr-to 192.168.1.20 port 8080`, `nat-to (em1)`, `-> 192.168.1.20 port 8080`. */
  readonly translation: string;
  readonly hasLabel: boolean;
  /** Quoted label: `"web UI"`. */
  readonly label: string;
}

/** The whole view of pf.conf.hbs. */
export interface PfView {
  readonly source: string;
  readonly anchor: string;
  /** `match out ... nat-to` rules: evaluated every time, so first. */
  readonly masquerades: readonly PfRuleView[];
  /**
   * Forwards (`pass in quick ... rdr-to`), redirects, and per reflected forward and via interface
   * rdr-to on via then nat-to back out of it: one first-match list in evaluation order.
   */
  readonly translations: readonly PfRuleView[];
  readonly allows: readonly PfRuleView[];
}

/** pf.conf(5) af: `inet` | `inet6`. */
export function pfFamily(family: Family): string {
  return family === 'ipv4' ? 'inet' : 'inet6';
}

/** pf.conf(5) host list: one item bare, several in braces. */
export function pfList(items: readonly string[]): string {
  return items.length === 1 ? (items[0] as string) : `{ ${items.join(', ')} }`;
}

/** Allowed sources: `any` for null, else the prefixes (pfctl expands lists). */
export function pfSources(sources: readonly Prefix[] | null): string {
  return sources === null ? 'any' : pfList(sources.map((p) => p.text));
}

/** pf.conf(5) port: binary-op `:` is an inclusive range (`port 2000:2004`). */
export function pfPortRange(r: PortRange): string {
  return r.first === r.last ? String(r.first) : `${r.first}:${r.last}`;
}

/** pf.conf(5) port list: `80`, `{ 80, 443, 8000:8010 }`. */
export function pfPorts(ports: readonly PortRange[]): string {
  return pfList(ports.map(pfPortRange));
}

/**
 * pf.conf(5) TRANSLATION portspec after rdr-to / `->`: none keeps the port (OBSD-FAQ rule #1),
 * `port P` sends every port to P, `port F:*` maps a range 1:1 (never `F*`).
 */
export function pfPortspec(mapping: PortMapping): string {
  if (mapping.kind === 'same') return '';
  if (mapping.kind === 'port' || mapping.first === mapping.last) {
    return ` port ${mapping.kind === 'port' ? mapping.port : mapping.first}`;
  }
  return ` port ${mapping.first}:*`;
}

/** The destination ports after translation (what a rule on the translated packet matches). */
export function pfTranslatedPorts(ports: readonly PortRange[], mapping: PortMapping): string {
  if (mapping.kind === 'same') return pfPorts(ports);
  if (mapping.kind === 'port') return String(mapping.port);
  return pfPortRange({ first: mapping.first, last: mapping.last });
}

/** The interface a rule is `on` and the destination for "this router's address on ingress". */
export function pfIngress(ingress: Ingress | null): { iface: string; to: string } {
  if (ingress === null) return { iface: '', to: 'self' };
  if (ingress.kind === 'address') return { iface: '', to: ingress.address.address };
  // pf.conf(5) PARAMETERS: "(em0)" follows the interface's address changes (DHCP, PPP).
  return { iface: ingress.iface.device, to: `(${ingress.iface.device})` };
}

/** Sources of an interface: its declared subnets of `family`, else pf's `IF:network`. */
export function pfInterfaceNetworks(iface: Interface, family: Family): string {
  const subnets = iface.subnets.filter((s) => s.family === family);
  return subnets.length > 0 ? pfList(subnets.map((s) => s.text)) : `${iface.device}:network`;
}

/** The loopback address a redirect goes to (pf.conf(5) EXAMPLES: rdr-to 127.0.0.1). */
export function pfLoopback(family: Family): string {
  return family === 'ipv4' ? '127.0.0.1' : '::1';
}

/** PF_RULE_LABEL_SIZE is 64 bytes with the NUL: labels hold at most 63 characters. */
export const PF_LABEL_MAX = 63;

/** The one place pf strings are quoted. Comments are validated: no `"`, no `\`, printable. */
export function pfQuote(text: string): string {
  if (!/^[\x20-\x7e]*$/.test(text) || /["\\]/.test(text)) throw new Error(`pf: unquotable '${text}'`);
  return `"${text}"`;
}

/** pf.conf(5) label: the user's comment, cut to PF_LABEL_MAX (the `#` trace line keeps it whole). */
export function pfLabel(comment: string | null): { hasLabel: boolean; label: string } {
  return comment === null ? { hasLabel: false, label: '' } : { hasLabel: true, label: pfQuote(comment.slice(0, PF_LABEL_MAX)) };
}

/** The `#` line above each rule: `home.pf:12` or `home.pf:12: web UI`. */
export function pfTrace(rule: { origin: { tag: string }; comment?: string | null }): string {
  return rule.comment ? `${rule.origin.tag}: ${rule.comment}` : rule.origin.tag;
}

/** A group of IR rules equal in everything but protocol, adjacent in evaluation order. */
export interface Merged<T> {
  readonly rule: T;
  /** `tcp`, `udp` or `{ tcp, udp }`. */
  readonly protocols: string;
}

/** Merges adjacent tcp and udp items split from one statement into `proto { tcp, udp }`. */
export function mergeProtocols<T extends { protocol: string; origin: { tag: string } }>(rules: readonly T[]): Merged<T>[] {
  const key = (r: T): string => JSON.stringify({ ...r, protocol: undefined, tier: undefined });
  const out: Merged<T>[] = [];
  for (let i = 0; i < rules.length; i++) {
    const a = rules[i] as T;
    const b = rules[i + 1];
    if (b && a.protocol === 'tcp' && b.protocol === 'udp' && key(a) === key(b)) {
      out.push({ rule: a, protocols: '{ tcp, udp }' });
      i++;
    } else out.push({ rule: a, protocols: a.protocol });
  }
  return out;
}

/** A translating rule's view(s) with its place in the evaluation order. */
export interface Placed {
  readonly tier: number;
  /** Address ingress 0, interface 1, every interface 2, reflection 3. */
  readonly rank: number;
  readonly views: readonly PfRuleView[];
}

/** The rank of an ingress in the evaluation order (reflection rules use 3). */
export const ingressRank = (ingress: Ingress | null): number => (ingress === null ? 2 : ingress.kind === 'address' ? 0 : 1);

/**
 * Puts translating rules in the IR's evaluation order: by tier (narrower sources first), then
 * ingress rank. pf is first-match with `quick`, so this order is the meaning. Stable, so rules
 * of equal (tier, rank) keep their IR order.
 */
export function inEvaluationOrder(placed: readonly Placed[]): PfRuleView[] {
  return [...placed].sort((a, b) => a.tier - b.tier || a.rank - b.rank).flatMap((p) => p.views);
}

/** A rule with every optional clause off; builders override what they use. */
export function pfRule(fields: Partial<PfRuleView> & Pick<PfRuleView, 'trace' | 'action' | 'family'>): PfRuleView {
  const base = { log: false, quick: false, iface: '', protocols: '', from: 'any', to: 'any', ports: '' };
  const r = { ...base, receivedOn: '', translation: '', label: '', ...fields };
  return {
    ...r,
    hasInterface: r.iface !== '',
    hasProtocols: r.protocols !== '',
    hasPorts: r.ports !== '',
    hasReceivedOn: r.receivedOn !== '',
    hasTranslation: r.translation !== '',
    hasLabel: r.label !== '',
  };
}

/** pf.conf(5) TRANSLATION: `pass in quick on IF ... rdr-to HOST [portspec]` (first match). */
function forwardRule({ rule: f, protocols }: Merged<PortForward>): PfRuleView {
  const { iface, to } = pfIngress(f.ingress);
  return pfRule({
    trace: pfTrace(f),
    action: 'pass in',
    log: f.log,
    quick: true,
    iface,
    family: pfFamily(f.family),
    protocols,
    from: pfSources(f.sources),
    to,
    ports: pfPorts(f.ports),
    translation: `rdr-to ${f.target.address}${pfPortspec(f.mapping)}`,
    ...pfLabel(f.comment),
  });
}

/** pf.conf(5) reflection example: rdr-to on the via interface, nat-to (via) back out of it. */
function reflectionRules({ rule: f, protocols }: Merged<PortForward>): PfRuleView[] {
  const { to } = pfIngress(f.ingress);
  return (f.reflect?.via ?? []).flatMap((via) => {
    const from = f.sources ? pfSources(f.sources) : pfInterfaceNetworks(via, f.family);
    const common = { trace: `${pfTrace(f)} (reflection via ${via.name})`, quick: true, iface: via.device };
    const fam = { family: pfFamily(f.family), protocols, from };
    return [
      pfRule({
        ...common,
        ...fam,
        action: 'pass in',
        log: f.log,
        to,
        ports: pfPorts(f.ports),
        translation: `rdr-to ${f.target.address}${pfPortspec(f.mapping)}`,
        ...pfLabel(f.comment),
      }),
      pfRule({
        ...common,
        ...fam,
        action: 'pass out',
        to: f.target.address,
        ports: pfTranslatedPorts(f.ports, f.mapping),
        receivedOn: via.device,
        translation: `nat-to (${via.device})`,
        ...pfLabel(f.comment),
      }),
    ];
  });
}

/** pf.conf(5) EXAMPLES: `pass in quick on $ext_if ... port 80 rdr-to 127.0.0.1 port 8080`. */
function redirectRule({ rule: r, protocols }: Merged<PortRedirect>): PfRuleView {
  const { iface, to } = pfIngress(r.ingress);
  return pfRule({
    trace: pfTrace(r),
    action: 'pass in',
    log: r.log,
    quick: true,
    iface,
    family: pfFamily(r.family),
    protocols,
    from: pfSources(r.sources),
    to,
    ports: pfPorts(r.ports),
    translation: `rdr-to ${pfLoopback(r.family)}${pfPortspec(r.mapping)}`,
    ...pfLabel(r.comment),
  });
}

/** A pinhole: a plain filter rule, no translation (shared with pf-legacy's filter section). */
export function pfAllowRule({ rule: a, protocols }: Merged<Pinhole>): PfRuleView {
  return pfRule({
    trace: pfTrace(a),
    action: 'pass in',
    log: a.log,
    quick: true,
    iface: a.ingress.device,
    family: pfFamily(a.family),
    protocols,
    from: pfSources(a.sources),
    to: a.target.text,
    ports: pfPorts(a.ports),
    ...pfLabel(a.comment),
  });
}

/** pf.conf(5) nat-to: `match out on EGRESS from SRC nat-to (EGRESS)`; interface source = received-on. */
function masqueradeRule(m: Masquerade): PfRuleView {
  const fromIface = m.source.kind === 'interface';
  return pfRule({
    trace: pfTrace(m),
    action: 'match out',
    iface: m.egress.device,
    family: pfFamily(m.family),
    from: m.source.kind === 'addresses' ? pfSources(m.source.prefixes) : 'any',
    receivedOn: fromIface && m.source.kind === 'interface' ? m.source.iface.device : '',
    translation: `nat-to (${m.egress.device})`,
  });
}

/** The anchor pfc owns: `--table`, else `pfc`. */
export function pfAnchor(opts: { table?: string }): string {
  return opts.table ?? 'pfc';
}

/** Target `pf`: OpenBSD 4.7+ syntax, loaded into one anchor. */
export const pf: Backend<PfView> = {
  id: 'pf',
  aliases: ['pf-openbsd'],
  description: 'OpenBSD pf (4.7 and later; FreeBSD 15): pass ... rdr-to in anchor "pfc"',
  template: 'pf.conf.hbs',
  outputName: 'pf.conf',
  // pf expresses every rule kind: nothing is unsupported.
  unsupported: () => [],
  toViewModel(ir, opts) {
    return {
      source: ir.source,
      anchor: pfAnchor(opts),
      masquerades: ir.masquerades.map(masqueradeRule),
      translations: inEvaluationOrder([
        ...mergeProtocols(ir.forwards).map((m) => ({ tier: m.rule.tier, rank: ingressRank(m.rule.ingress), views: [forwardRule(m)] })),
        ...mergeProtocols(ir.redirects).map((m) => ({ tier: m.rule.tier, rank: ingressRank(m.rule.ingress), views: [redirectRule(m)] })),
        ...mergeProtocols(ir.forwards.filter((f) => f.reflect)).map((m) => ({ tier: m.rule.tier, rank: 3, views: reflectionRules(m) })),
      ]),
      allows: mergeProtocols(ir.allows).map(pfAllowRule),
    };
  },
};
