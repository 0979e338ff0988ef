/**
 * Backend `pf-legacy` (FreeBSD 14 and older, macOS): IR to the view model of
 * templates/pf-legacy.conf.hbs. Translation rules (`nat`, `rdr pass`) come before filter rules,
 * for an anchor attached with the rdr-anchor / nat-anchor / anchor trio. Reuses pf.ts builders.
 */

import type { Masquerade, PortForward, PortRedirect } from '../ir/model.js';
import type { Backend } from './backend.js';
import {
  inEvaluationOrder,
  ingressRank,
  type Merged,
  mergeProtocols,
  type Placed,
  pfAllowRule,
  pfAnchor,
  pfIngress,
  pfInterfaceNetworks,
  pfLoopback,
  ruleBlock,
} from './pf.js';
import { pfFamily, pfPorts, pfPortspec, pfRule, pfRuleText, pfSources, pfTrace, pfTranslatedPorts } from './pf-syntax.js';

/** The whole view of pf-legacy.conf.hbs: blocks of rule text (as pf.ts PfView explains). */
export interface PfLegacyView {
  readonly source: string;
  readonly anchor: string;
  /** `nat on EGRESS ... -> (EGRESS)`. */
  readonly masquerades: string;
  /** `nat on VIA ... -> (VIA)`: the source NAT half of reflection. */
  readonly reflectionNats: string;
  /**
   * `rdr pass` rules in evaluation (first match) order: forwards, redirects, and the redirect
   * half of reflection (`rdr pass on VIA ... to (INGRESS) ... -> HOST`).
   */
  readonly rdrs: string;
  /** Filter section: `pass in quick` pinholes. */
  readonly allows: string;
}

/**
 * pf.conf(5) (FreeBSD <= 14) rdr-rule: `rdr pass [log] [on IF] af proto hosts -> host [portspec]`.
 * The grammar has no label on translation rules: the comment lives in the `#` trace line.
 */
function rdrRule(m: Merged<PortForward | PortRedirect>, iface: string, from: string, to: string, target: string, suffix = ''): string {
  const r = m.rule;
  return pfRuleText(
    pfRule({
      trace: pfTrace(r) + suffix,
      action: 'rdr pass',
      log: r.log,
      iface,
      family: pfFamily(r.family),
      protocols: m.protocols,
      from,
      to,
      ports: pfPorts(r.ports),
      translation: `-> ${target}${pfPortspec(r.mapping)}`,
    }),
  );
}

function forwardRule(m: Merged<PortForward>): string {
  const { iface, to } = pfIngress(m.rule.ingress);
  return rdrRule(m, iface, pfSources(m.rule.sources), to, m.rule.target.address);
}

/** OBSD-FAQ-OLD "RDR and NAT Combination": rdr on the via interface, nat back out of it. */
function reflection(m: Merged<PortForward>): { tier: number; rdrs: string; nats: string } {
  const f = m.rule;
  const { to } = pfIngress(f.ingress);
  let rdrs = '';
  let nats = '';
  for (const v of f.reflect?.via ?? []) {
    const from = f.sources ? pfSources(f.sources) : pfInterfaceNetworks(v, f.family);
    rdrs += rdrRule(m, v.device, from, to, f.target.address, ` (reflection via ${v.name})`);
    nats += pfRuleText(
      pfRule({
        trace: `${pfTrace(f)} (reflection via ${v.name})`,
        action: 'nat',
        iface: v.device,
        family: pfFamily(f.family),
        protocols: m.protocols,
        from,
        to: f.target.address,
        ports: pfTranslatedPorts(f.ports, f.mapping),
        translation: `-> (${v.device})`,
      }),
    );
  }
  return { tier: f.tier, rdrs, nats };
}

function redirectRule(m: Merged<PortRedirect>): string {
  const { iface, to } = pfIngress(m.rule.ingress);
  return rdrRule(m, iface, pfSources(m.rule.sources), to, pfLoopback(m.rule.family));
}

/**
 * pf.conf(5) nat-rule: `nat on EGRESS af from SRC to any -> (EGRESS)`. The old grammar has no
 * received-on, so an interface source becomes its declared subnets (or `IF:network`).
 */
function masqueradeRule(m: Masquerade): string {
  const from = m.source.kind === 'addresses' ? pfSources(m.source.prefixes) : pfInterfaceNetworks(m.source.iface, m.family);
  return pfRuleText(
    pfRule({
      trace: pfTrace(m),
      action: 'nat',
      iface: m.egress.device,
      family: pfFamily(m.family),
      from,
      translation: `-> (${m.egress.device})`,
    }),
  );
}

/** Target `pf-legacy`: FreeBSD <= 14 and macOS, translation section before filter section. */
export const pfLegacy: Backend<PfLegacyView> = {
  id: 'pf-legacy',
  aliases: ['pf-freebsd', 'pf-macos'],
  description: 'FreeBSD <= 14 and macOS pf: rdr pass / nat rules for rdr-anchor, nat-anchor, anchor "pfc"',
  template: 'pf-legacy.conf.hbs',
  outputName: 'pf-legacy.conf',
  // The old syntax expresses every rule kind: nothing is unsupported.
  unsupported: () => [],
  toViewModel(ir, opts) {
    const reflected = mergeProtocols(ir.forwards.filter((f) => f.reflect)).map(reflection);
    const placed: Placed[] = [];
    for (const m of mergeProtocols(ir.forwards)) placed.push({ tier: m.rule.tier, rank: ingressRank(m.rule.ingress), text: () => forwardRule(m) });
    for (const m of mergeProtocols(ir.redirects)) placed.push({ tier: m.rule.tier, rank: ingressRank(m.rule.ingress), text: () => redirectRule(m) });
    for (const r of reflected) placed.push({ tier: r.tier, rank: 3, text: () => r.rdrs });
    return {
      source: ir.source,
      anchor: pfAnchor(opts),
      masquerades: ruleBlock(ir.masquerades, masqueradeRule),
      reflectionNats: ruleBlock(reflected, (r) => r.nats),
      rdrs: inEvaluationOrder(placed),
      allows: ruleBlock(mergeProtocols(ir.allows), pfAllowRule),
    };
  },
};
