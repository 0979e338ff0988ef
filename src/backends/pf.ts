/**
 * Backend `pf` (OpenBSD 4.7+, FreeBSD 15): IR to the view model of templates/pf.conf.hbs, a rule
 * set loaded into one anchor (`pfctl -a pfc -f FILE`). Also exports what pf-legacy.ts shares: the
 * ingress and interface-network decisions, the tcp/udp merge and the evaluation order. The text
 * of each rule comes from pf-syntax.ts.
 */

import type { Family, Ingress, Interface, Masquerade, Pinhole, PortForward, PortRedirect } from '../ir/model.js';
import type { Backend } from './backend.js';
import { pfFamily, pfLabel, pfList, pfPorts, pfPortspec, pfRule, pfRuleText, pfSources, pfTrace, pfTranslatedPorts } from './pf-syntax.js';
import { TextBlock } from './text-block.js';

/**
 * The whole view of pf.conf.hbs: three blocks of rule text (pf-syntax.ts pfRuleText, one `#`
 * trace line and one rule line per rule), built here rather than by an `{{#each}}` over rule
 * records, because a large file has hundreds of thousands of rules and the template engine
 * costs a frame per rule. Every clause is a validated, formatted value.
 */
export interface PfView {
  readonly source: string;
  readonly anchor: string;
  /** `match out ... nat-to` rules: evaluated every time, so first. */
  readonly masquerades: string;
  /**
   * Forwards (`pass in quick ... rdr-to`), redirects, and per reflected forward and via interface
   * rdr-to on via then nat-to back out of it: one first-match list in evaluation order.
   */
  readonly translations: string;
  readonly allows: string;
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

/** A group of IR rules equal in everything but protocol, adjacent in evaluation order. */
export interface Merged<T> {
  readonly rule: T;
  /** `tcp`, `udp` or `{ tcp, udp }`. */
  readonly protocols: string;
}

/**
 * True when two IR values hold the same data, keys in the same order (what comparing their JSON
 * would say, without building it); at the top level, `protocol` and `tier` are not compared.
 * The tcp and udp rules split from one statement share their parts, so this is mostly `===`.
 */
function sameData(a: unknown, b: unknown, top = false): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i] as string;
    if (k !== kb[i]) return false;
    if (top && (k === 'protocol' || k === 'tier')) continue;
    if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** Merges adjacent tcp and udp items split from one statement into `proto { tcp, udp }`. */
export function mergeProtocols<T extends { protocol: string; origin: { tag: string } }>(rules: readonly T[]): Merged<T>[] {
  const out: Merged<T>[] = [];
  for (let i = 0; i < rules.length; i++) {
    const a = rules[i] as T;
    const b = rules[i + 1];
    if (b && a.protocol === 'tcp' && b.protocol === 'udp' && sameData(a, b, true)) {
      out.push({ rule: a, protocols: '{ tcp, udp }' });
      i++;
    } else out.push({ rule: a, protocols: a.protocol });
  }
  return out;
}

/** A translating rule (one or more pf rules) with its place in the evaluation order. */
export interface Placed {
  readonly tier: number;
  /** Address ingress 0, interface 1, every interface 2, reflection 3. */
  readonly rank: number;
  /**
   * Its text, made once the order is known: texts made before sorting would all stay alive
   * (each a tree of concatenations) until the end, which costs the garbage collector dearly.
   */
  readonly text: () => string;
}

/** The rank of an ingress in the evaluation order (reflection rules use 3). */
export const ingressRank = (ingress: Ingress | null): number => (ingress === null ? 2 : ingress.kind === 'address' ? 0 : 1);

/**
 * Puts translating rules in the IR's evaluation order: by tier (narrower sources first), then
 * ingress rank. pf is first-match with `quick`, so this order is the meaning. Stable, so rules
 * of equal (tier, rank) keep their IR order.
 */
export function inEvaluationOrder(placed: readonly Placed[]): string {
  const block = new TextBlock();
  for (const p of [...placed].sort((a, b) => a.tier - b.tier || a.rank - b.rank)) block.add(p.text());
  return block.text;
}

/** The rule text of every item, in order. */
export function ruleBlock<T>(items: readonly T[], text: (item: T) => string): string {
  const block = new TextBlock();
  for (const item of items) block.add(text(item));
  return block.text;
}

/** pf.conf(5) TRANSLATION: `pass in quick on IF ... rdr-to HOST [portspec]` (first match). */
function forwardRule({ rule: f, protocols }: Merged<PortForward>): string {
  const { iface, to } = pfIngress(f.ingress);
  return pfRuleText(
    pfRule({
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
      label: pfLabel(f.comment),
    }),
  );
}

/** pf.conf(5) reflection example: rdr-to on the via interface, nat-to (via) back out of it. */
function reflectionRules({ rule: f, protocols }: Merged<PortForward>): string {
  const { to } = pfIngress(f.ingress);
  const family = pfFamily(f.family);
  const label = pfLabel(f.comment);
  let text = '';
  for (const via of f.reflect?.via ?? []) {
    const from = f.sources ? pfSources(f.sources) : pfInterfaceNetworks(via, f.family);
    const trace = `${pfTrace(f)} (reflection via ${via.name})`;
    text += pfRuleText(
      pfRule({
        trace,
        action: 'pass in',
        log: f.log,
        quick: true,
        iface: via.device,
        family,
        protocols,
        from,
        to,
        ports: pfPorts(f.ports),
        translation: `rdr-to ${f.target.address}${pfPortspec(f.mapping)}`,
        label,
      }),
    );
    text += pfRuleText(
      pfRule({
        trace,
        action: 'pass out',
        quick: true,
        iface: via.device,
        family,
        protocols,
        from,
        to: f.target.address,
        ports: pfTranslatedPorts(f.ports, f.mapping),
        receivedOn: via.device,
        translation: `nat-to (${via.device})`,
        label,
      }),
    );
  }
  return text;
}

/** pf.conf(5) EXAMPLES: `pass in quick on $ext_if ... port 80 rdr-to 127.0.0.1 port 8080`. */
function redirectRule({ rule: r, protocols }: Merged<PortRedirect>): string {
  const { iface, to } = pfIngress(r.ingress);
  return pfRuleText(
    pfRule({
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
      label: pfLabel(r.comment),
    }),
  );
}

/** A pinhole: a plain filter rule, no translation (shared with pf-legacy's filter section). */
export function pfAllowRule({ rule: a, protocols }: Merged<Pinhole>): string {
  return pfRuleText(
    pfRule({
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
      label: pfLabel(a.comment),
    }),
  );
}

/** pf.conf(5) nat-to: `match out on EGRESS from SRC nat-to (EGRESS)`; interface source = received-on. */
function masqueradeRule(m: Masquerade): string {
  return pfRuleText(
    pfRule({
      trace: pfTrace(m),
      action: 'match out',
      iface: m.egress.device,
      family: pfFamily(m.family),
      from: m.source.kind === 'addresses' ? pfSources(m.source.prefixes) : 'any',
      receivedOn: m.source.kind === 'interface' ? m.source.iface.device : '',
      translation: `nat-to (${m.egress.device})`,
    }),
  );
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
    const placed: Placed[] = [];
    for (const m of mergeProtocols(ir.forwards)) placed.push({ tier: m.rule.tier, rank: ingressRank(m.rule.ingress), text: () => forwardRule(m) });
    for (const m of mergeProtocols(ir.redirects)) placed.push({ tier: m.rule.tier, rank: ingressRank(m.rule.ingress), text: () => redirectRule(m) });
    for (const m of mergeProtocols(ir.forwards.filter((f) => f.reflect))) placed.push({ tier: m.rule.tier, rank: 3, text: () => reflectionRules(m) });
    return {
      source: ir.source,
      anchor: pfAnchor(opts),
      masquerades: ruleBlock(ir.masquerades, masqueradeRule),
      translations: inEvaluationOrder(placed),
      allows: ruleBlock(mergeProtocols(ir.allows), pfAllowRule),
    };
  },
};
