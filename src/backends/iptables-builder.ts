/**
 * The iptables and ip6tables view model: IR of one family → the chains pfc owns, their hooks and
 * their rules, in iptables-restore(8) words (syntax in iptables-syntax.ts). Shared by the two
 * thin backends iptables.ts and ip6tables.ts. Pure; docs/targets.md#iptables-and-ip6tables.
 */

import type { Family, Ingress, Ir, PortForward, PortRedirect, Prefix } from '../ir/model.js';
import type { TargetOptions, Unsupported } from './backend.js';
import { logPrefix, natDestination, plainText, portMatches, portMatchText, portNatText, prefixText, quote, ruleLine, traceComment } from './iptables-syntax.js';
import { TextBlock } from './text-block.js';

/** One `-A CHAIN MATCH -m comment --comment COMMENT -j JUMP` line (iptables-syntax.ts ruleLine). */
export interface IptablesRule {
  readonly chain: string;
  readonly match: string;
  readonly comment: string;
  readonly jump: string;
}

/** The rules of one list, as their lines: formatted when added, no record kept per rule. */
class RuleLines {
  private readonly block = new TextBlock();
  push(rule: IptablesRule): void {
    this.block.add(ruleLine(rule));
  }
  get text(): string {
    return this.block.text;
  }
}

/** The one jump from a built-in chain into a chain pfc owns; created once, checked on load. */
export interface IptablesHook {
  readonly tool: string;
  readonly table: 'nat' | 'filter';
  readonly builtin: 'PREROUTING' | 'POSTROUTING' | 'FORWARD' | 'INPUT';
  readonly chain: string;
}

/** The view of templates/iptables.rules.hbs: one `*nat` and one `*filter` block. */
export interface IptablesView {
  readonly source: string;
  readonly restore: string;
  readonly natChains: readonly string[];
  readonly natHooks: readonly IptablesHook[];
  /**
   * The `-A` lines of the nat table, one per rule, each ending in a newline: built here rather
   * than by an `{{#each}}` over rule records, because a large file has hundreds of thousands of
   * rules and the template engine costs a frame per rule. Every part is a validated value.
   */
  readonly natRules: string;
  readonly filterChains: readonly string[];
  readonly filterHooks: readonly IptablesHook[];
  /** The `-A` lines of the filter table, like natRules. */
  readonly filterRules: string;
}

/** The tools of one family: `iptables` for IPv4, `ip6tables` for IPv6. */
export interface IptablesFlavour {
  readonly family: Family;
  readonly tool: 'iptables' | 'ip6tables';
  /** The target that takes the other family's rules. */
  readonly other: 'iptables' | 'ip6tables';
}

/** Longest chain-name prefix: `-POSTROUTING` is 12 characters and a chain name at most 28. */
export const MAX_PREFIX = 16;

/** The chains pfc owns, always all declared (so a reload flushes every one of them). */
export function chainNames(opts: TargetOptions) {
  const p = (opts.table ?? 'pfc').toUpperCase();
  return { prerouting: `${p}-PREROUTING`, reflect: `${p}-REFLECT`, postrouting: `${p}-POSTROUTING`, forward: `${p}-FORWARD`, input: `${p}-INPUT` };
}

/** pfc's hooks, for docs, apply and tests: `tool -t T -N CHAIN; tool -t T -I BUILTIN -j CHAIN`. */
export function hooks(flavour: IptablesFlavour, opts: TargetOptions): IptablesHook[] {
  const c = chainNames(opts);
  const tool = flavour.tool;
  return [
    { tool, table: 'nat', builtin: 'PREROUTING', chain: c.prerouting },
    { tool, table: 'nat', builtin: 'POSTROUTING', chain: c.postrouting },
    { tool, table: 'filter', builtin: 'FORWARD', chain: c.forward },
    { tool, table: 'filter', builtin: 'INPUT', chain: c.input },
  ];
}

const join = (parts: readonly (string | null)[]): string => parts.filter((p) => p !== null).join(' ');
const familyName = (f: Family): string => (f === 'ipv4' ? 'IPv4' : 'IPv6');
const subnetsOf = (subnets: readonly Prefix[], family: Family): Prefix[] => subnets.filter((s) => s.family === family);

/** Capability problems: a chain prefix too long, subnets iptables needs, the other family left out. */
export function iptablesUnsupported(ir: Ir, opts: TargetOptions, flavour: IptablesFlavour): Unsupported[] {
  const out: Unsupported[] = [];
  const { family, tool: target } = flavour;
  const prefix = opts.table ?? 'pfc';
  if (prefix.length > MAX_PREFIX) out.push({ message: 'IptablesChainPrefix', span: { start: 0, end: 0 }, data: { prefix, target, max: MAX_PREFIX } });
  const seen = new Set<string>();
  for (const fwd of ir.forwards) {
    if (fwd.family !== family || fwd.reflect === null) continue;
    for (const via of fwd.reflect.via) {
      const key = `${fwd.origin.span.start}:${via.name}`;
      if (subnetsOf(via.subnets, family).length > 0 || seen.has(key)) continue;
      seen.add(key);
      out.push({ message: 'IptablesReflectSubnet', span: fwd.origin.span, data: { iface: via.name, family: familyName(family), target } });
    }
  }
  for (const m of ir.masquerades) {
    if (m.family !== family || m.source.kind !== 'interface' || subnetsOf(m.source.iface.subnets, family).length > 0) continue;
    out.push({ message: 'IptablesMasqueradeSubnet', span: m.origin.span, data: { iface: m.source.iface.name, family: familyName(family), target } });
  }
  // A statement of both families (a redirect without addresses) is compiled here: not named.
  const rules = [...ir.forwards, ...ir.redirects, ...ir.allows, ...ir.masquerades];
  const compiled = new Set(rules.filter((r) => r.family === family).map((r) => r.origin.span.start));
  const others = rules
    .filter((r) => r.family !== family && !compiled.has(r.origin.span.start))
    .map((r) => r.origin)
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  const first = others[0];
  if (first) {
    const tags = [...new Set(others.map((o) => plainText(o.tag)))].join(', ');
    out.push({
      message: 'IptablesOtherFamily',
      span: first.span,
      data: { family: familyName(family === 'ipv4' ? 'ipv6' : 'ipv4'), tags, target, other: flavour.other },
    });
  }
  return out;
}

/** Where a translating rule's packets arrive, as match parts (iptables-extensions(8) addrtype). */
function ingressParts(ingress: Ingress | null) {
  if (ingress === null) return { dst: null, iface: null, local: '-m addrtype --dst-type LOCAL', origDst: '' };
  if (ingress.kind === 'address')
    return { dst: `-d ${prefixText(ingress.address)}`, iface: null, local: null, origDst: ` --ctorigdst ${ingress.address.address}` };
  return { dst: null, iface: `-i ${ingress.iface.device}`, local: '-m addrtype --dst-type LOCAL --limit-iface-in', origDst: '' };
}

/**
 * Translated port and original port, per original range, for the conntrack matches that accept
 * translated connections: `--dport` after translation, `--ctorigdstport` before it.
 */
function portPairs(rule: PortForward | PortRedirect): { dport: string; orig: string }[] {
  const m = rule.mapping;
  if (m.kind === 'shift') return [{ dport: portMatchText(m), orig: portMatchText(rule.ports[0] ?? m) }];
  return rule.ports.map((r) => ({ dport: m.kind === 'port' ? `${m.port}` : portMatchText(r), orig: portMatchText(r) }));
}

/** DNAT target of a forward: iptables-extensions(8) DNAT, `/baseport` maps a range by offset. */
function dnatJump(fwd: PortForward): string {
  const m = fwd.mapping;
  const base = fwd.ports[0]?.first ?? 0;
  const ports = m.kind === 'same' ? null : m.kind === 'port' ? `${m.port}` : m.first === m.last ? `${m.first}` : `${portNatText(m)}/${base}`;
  return `DNAT --to-destination ${natDestination(fwd.family, fwd.target.address, ports)}`;
}

/**
 * Target of a redirect: REDIRECT keeps or sets one port (iptables-extensions(8) REDIRECT); a
 * range by offset needs `/baseport`, which only DNAT has, so a shift is a DNAT that keeps the
 * (local) destination address and changes only the port.
 */
function redirectJump(red: PortRedirect): string {
  const m = red.mapping;
  if (m.kind === 'same') return 'REDIRECT';
  if (m.kind === 'port' || m.first === m.last) return `REDIRECT --to-ports ${m.kind === 'port' ? m.port : m.first}`;
  return `DNAT --to-destination ${natDestination(red.family, null, `${portNatText(m)}/${red.ports[0]?.first ?? 0}`)}`;
}

/** Builds the whole view for one family. Assumes iptablesUnsupported found no error. */
export function iptablesView(ir: Ir, opts: TargetOptions, flavour: IptablesFlavour): IptablesView {
  const { family } = flavour;
  const c = chainNames(opts);
  const pre = new RuleLines();
  const reflect = new RuleLines();
  const post = new RuleLines();
  const forward = new RuleLines();
  const input = new RuleLines();
  const sourcesOf = (r: { sources: readonly Prefix[] | null }): (string | null)[] => r.sources?.map((s) => `-s ${prefixText(s)}`) ?? [null];
  const conntrack = (origDst: string, orig: string) => `-m conntrack --ctstate DNAT${origDst} --ctorigdstport ${orig}`;

  /** Rules that translate: LOG first when asked (nat sees only a connection's first packet). */
  const translate = (into: RuleLines, chain: string, rule: PortForward | PortRedirect, parts: (src: string | null) => (string | null)[], jump: string) => {
    const comment = traceComment(rule);
    for (const src of sourcesOf(rule))
      for (const ports of portMatches(rule.protocol, rule.ports)) {
        const match = join([...parts(src), ports]);
        if (rule.log) into.push({ chain, match, comment, jump: `LOG --log-prefix ${logPrefix(rule.origin.tag)}` });
        into.push({ chain, match, comment, jump });
      }
  };

  /** The FORWARD (or INPUT) accept of translated connections: state DNAT and the original port. */
  const accept = (into: RuleLines, chain: string, rule: PortForward | PortRedirect, dst: string | null, iface: string | null, origDst: string) => {
    for (const src of sourcesOf(rule))
      for (const p of portPairs(rule))
        into.push({
          chain,
          match: join([src, dst, iface, `-p ${rule.protocol}`, `-m ${rule.protocol} --dport ${p.dport}`, conntrack(origDst, p.orig)]),
          comment: traceComment(rule),
          jump: 'ACCEPT',
        });
  };

  const forwardRule = (fwd: PortForward) => {
    const ing = ingressParts(fwd.ingress);
    const target = `-d ${prefixText(fwd.target)}`;
    translate(pre, c.prerouting, fwd, (src) => [src, ing.dst, ing.iface, `-p ${fwd.protocol}`, ing.local], dnatJump(fwd));
    accept(forward, c.forward, fwd, target, ing.iface, ing.origDst);
    for (const via of fwd.reflect?.via ?? []) {
      // Reflection: to a router address that is not one of via's own, and (the RETURNs at the
      // top of the reflect chain) not in a declared subnet; then masquerade by source network.
      const local = '-m addrtype --dst-type LOCAL -m addrtype ! --dst-type LOCAL --limit-iface-in';
      translate(reflect, c.reflect, fwd, (src) => [src, `-i ${via.device}`, `-p ${fwd.protocol}`, local], dnatJump(fwd));
      accept(forward, c.forward, fwd, target, `-i ${via.device}`, '');
      for (const subnet of subnetsOf(via.subnets, family))
        for (const p of portPairs(fwd))
          post.push({
            chain: c.postrouting,
            match: join([`-s ${prefixText(subnet)}`, target, `-p ${fwd.protocol}`, `-m ${fwd.protocol} --dport ${p.dport}`, conntrack('', p.orig)]),
            comment: traceComment(fwd),
            jump: 'MASQUERADE',
          });
    }
  };

  const redirectRule = (red: PortRedirect) => {
    const ing = ingressParts(red.ingress);
    translate(pre, c.prerouting, red, (src) => [src, ing.dst, ing.iface, `-p ${red.protocol}`, ing.local], redirectJump(red));
    accept(input, c.input, red, null, ing.iface, ing.origDst);
  };

  // Translating rules in evaluation order: tier by tier across forwards and redirects, then
  // address ingress, interface, any (IR); DNAT and REDIRECT are terminal, so the first match
  // wins. Reflection has its own chain, entered before the first rule on every interface (an
  // interface rule is more specific); its matches never overlap an interface rule's.
  const rank = (i: Ingress | null) => (i === null ? 2 : i.kind === 'address' ? 0 : 1);
  const translating = [...ir.forwards, ...ir.redirects]
    .filter((r) => r.family === family)
    .map((rule, order) => ({ rule, order }))
    .sort((a, b) => a.rule.tier - b.rule.tier || rank(a.rule.ingress) - rank(b.rule.ingress) || a.order - b.order);
  const reflects = translating.some(({ rule }) => rule.kind === 'forward' && rule.reflect !== null);
  const enterReflect: IptablesRule = { chain: c.prerouting, match: '-m addrtype --dst-type LOCAL', comment: quote('pfc reflection'), jump: c.reflect };
  let entered = !reflects;
  for (const { rule } of translating) {
    if (!entered && rank(rule.ingress) === 2) {
      pre.push(enterReflect);
      entered = true;
    }
    if (rule.kind === 'forward') forwardRule(rule);
    else redirectRule(rule);
  }
  if (!entered) pre.push(enterReflect);
  const declared = [...new Set(ir.interfaces.flatMap((i) => subnetsOf(i.subnets, family).map(prefixText)))];
  const returns = new RuleLines();
  if (reflects)
    for (const d of declared) returns.push({ chain: c.reflect, match: `-d ${d}`, comment: quote('pfc reflection: a declared subnet'), jump: 'RETURN' });

  for (const allow of ir.allows.filter((a) => a.family === family)) {
    const comment = traceComment(allow);
    for (const src of sourcesOf(allow))
      for (const ports of portMatches(allow.protocol, allow.ports)) {
        const match = join([src, `-d ${prefixText(allow.target)}`, `-i ${allow.ingress.device}`, `-p ${allow.protocol}`, ports, '-m conntrack --ctstate NEW']);
        if (allow.log) forward.push({ chain: c.forward, match, comment, jump: `LOG --log-prefix ${logPrefix(allow.origin.tag)}` });
        forward.push({ chain: c.forward, match, comment, jump: 'ACCEPT' });
      }
  }
  for (const m of ir.masquerades.filter((x) => x.family === family)) {
    const from = m.source.kind === 'interface' ? subnetsOf(m.source.iface.subnets, family) : m.source.prefixes;
    for (const p of from)
      post.push({
        chain: c.postrouting,
        match: join([`-s ${prefixText(p)}`, `-o ${m.egress.device}`]),
        comment: traceComment({ origin: m.origin, comment: null }),
        jump: 'MASQUERADE',
      });
  }

  const all = hooks(flavour, opts);
  return {
    source: plainText(ir.source),
    restore: `${flavour.tool}-restore`,
    natChains: [c.prerouting, c.reflect, c.postrouting],
    natHooks: all.filter((h) => h.table === 'nat'),
    natRules: pre.text + returns.text + reflect.text + post.text,
    filterChains: [c.forward, c.input],
    filterHooks: all.filter((h) => h.table === 'filter'),
    filterRules: forward.text + input.text,
  };
}
