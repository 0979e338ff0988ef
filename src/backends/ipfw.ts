/**
 * Backend `ipfw` (FreeBSD, in-kernel NAT): IR to the view model of templates/ipfw.sh.hbs, a
 * shell script of ipfw(8) commands. One NAT instance per ingress (shared with masquerade on that
 * interface), rules in pfc's number range staged in a disabled set and swapped in atomically.
 */

import type { Family, Ir, Masquerade, PortForward, PortMapping, PortRange, PortRedirect } from '../ir/model.js';
import type { Backend, Unsupported } from './backend.js';
import { expressible, portCount } from './ipfw-capability.js';
import { type IpfwLines, RuleLines, redirectLines } from './ipfw-lines.js';
import { IPFW_RULES, placeSections } from './ipfw-numbers.js';
import { eachPort, ipfwAddresses, ipfwPorts, shQuote } from './ipfw-syntax.js';

export { IPFW_EXPAND_LIMIT } from './ipfw-capability.js';
export { type IpfwLines, redirectPorts } from './ipfw-lines.js';
export { IPFW_RULES, IPFW_SLOTS, numberSections, rulesPerNumber } from './ipfw-numbers.js';
export { ipfwAddresses, ipfwPorts, shQuote } from './ipfw-syntax.js';
/** pfc's sets: rules live in `live`; a new rule set is added to `staging`, then swapped. */
export const IPFW_SETS = { live: 20, staging: 21 } as const;
/** pfc's NAT instances are numbered from here, one per ingress interface or address. */
export const IPFW_NAT_FIRST = 10001;
/** ipfw(8) rule comments hold at most 80 characters. */
export const IPFW_COMMENT_MAX = 80;

/** One `ipfw nat N config` command. */
export interface IpfwNatView {
  readonly number: number;
  /** `if em0 same_ports reset` or `ip 198.51.100.10 same_ports`. */
  readonly config: string;
  /** A ` \`, newline, `    redirect_port tcp 192.168.1.20:8080 80` part per redirect_port. */
  readonly redirects: IpfwLines;
}

/** A titled group of rules, in evaluation order. */
export interface IpfwSectionView {
  readonly title: string;
  /** `ipfw -q add 10000 set 21 nat 10001 tcp from any to me 80 in recv em0 // 'web.pf:3'`, a line per rule. */
  readonly lines: IpfwLines;
}

/** The whole view of ipfw.sh.hbs. */
export interface IpfwView {
  readonly source: string;
  readonly firstRule: number;
  readonly lastRule: number;
  readonly liveSet: number;
  readonly stagingSet: number;
  readonly natFirst: number;
  /** More rules than numbers in the range: up to `rulesPerNumber` rules share a number. */
  readonly sharesNumbers: boolean;
  readonly rulesPerNumber: number;
  /** NAT rules need net.inet.ip.fw.one_pass=0; the script checks it when there are any. */
  readonly needsOnePass: boolean;
  readonly nats: readonly IpfwNatView[];
  /** Only non-empty sections. */
  readonly sections: readonly IpfwSectionView[];
}

/** The script's sections, in evaluation order, with their titles. */
const TITLES = {
  fwd: 'Redirects to local ports (fwd)',
  in: 'Inbound translation (one_pass=0: translated packets continue below)',
  out: 'Outbound translation: replies and masquerade',
  accept: 'Accept translated and allowed connections (stateful)',
  replies: 'Accept replies after the reverse translation',
} as const;
type Section = keyof typeof TITLES;
const SECTIONS = Object.keys(TITLES) as Section[];

/** The destination ports after translation. */
function translatedPorts(ports: readonly PortRange[], mapping: PortMapping): readonly PortRange[] {
  if (mapping.kind === 'same') return ports;
  if (mapping.kind === 'port') return [{ first: mapping.port, last: mapping.port }];
  return [{ first: mapping.first, last: mapping.last }];
}

/** The rule comment: trace tag and comment, cut to IPFW_COMMENT_MAX, quoted for sh. */
function comment(rule: { origin: { tag: string }; comment: string | null }): string {
  return shQuote((rule.comment ? `${rule.origin.tag} ${rule.comment}` : rule.origin.tag).slice(0, IPFW_COMMENT_MAX));
}

/** One NAT instance: an ingress interface or address, its forwards and masquerades. */
interface Instance {
  readonly number: number;
  /** `recv em0` / `xmit em0` suffix parts, or empty for an address instance. */
  readonly device: string | null;
  /** `me` for an interface, the address for an address ingress. */
  readonly self: string;
  readonly config: string;
  readonly forwards: PortForward[];
  readonly masquerades: Masquerade[];
}

/** The NAT instances, in order of first use: forwards (IR order), then masquerades. */
function instances(forwards: readonly PortForward[], masquerades: readonly Masquerade[]): Instance[] {
  const byKey = new Map<string, Instance>();
  const get = (key: string, make: (n: number) => Instance): Instance => {
    const found = byKey.get(key);
    if (found) return found;
    const made = make(IPFW_NAT_FIRST + byKey.size);
    byKey.set(key, made);
    return made;
  };
  // ipfw(8) NAT: "if nic Use ip address of NIC for aliasing, dynamically changing it"; reset
  // clears the alias table when it changes.
  const iface = (device: string) =>
    get(`if ${device}`, (number) => ({ number, device, self: 'me', config: `if ${device} same_ports reset`, forwards: [], masquerades: [] }));
  for (const f of forwards) {
    if (f.ingress.kind === 'interface') iface(f.ingress.iface.device).forwards.push(f);
    else {
      const ip = f.ingress.address.address;
      get(`ip ${ip}`, (number) => ({ number, device: null, self: ip, config: `ip ${ip} same_ports`, forwards: [], masquerades: [] })).forwards.push(f);
    }
  }
  for (const m of masquerades) iface(m.egress.device).masquerades.push(m);
  return [...byKey.values()];
}

/** The ipfw target's decisions for one IR: the view, and the rules it cannot express. */
export interface IpfwPlan {
  readonly view: IpfwView;
  readonly unsupported: Unsupported[];
}

/**
 * How many rules each section gets, as writeRules adds them: every rule's number depends on the
 * sizes of all sections, and lines are written with their numbers.
 */
function sectionSizes(redirects: readonly PortRedirect[], insts: readonly Instance[], ir: Ir): Record<Section, number> {
  const sizes = { fwd: 0, in: 0, out: 0, accept: ir.allows.length, replies: 0 };
  for (const r of redirects) sizes.fwd += r.mapping.kind === 'shift' ? portCount(r.ports) : 1;
  for (const inst of insts) {
    const masquerading = inst.masquerades.length > 0;
    // Per forward: nat in (and a skipto when restricted and masquerading), nat out, allow, reply.
    for (const f of inst.forwards) sizes.in += f.sources && masquerading ? 2 : 1;
    if (masquerading) sizes.in += 1;
    sizes.out += inst.masquerades.length + inst.forwards.length;
    sizes.accept += inst.forwards.length;
    sizes.replies += inst.forwards.length;
  }
  return sizes;
}

/** Adds every rule to its section, in evaluation order within each. */
function writeRules(rules: Record<Section, RuleLines>, redirects: readonly PortRedirect[], insts: readonly Instance[], ir: Ir): void {
  const at = (device: string | null, dir: 'recv' | 'xmit') => (device ? ` ${dir} ${device}` : '');
  const fam = (f: Family) => (f === 'ipv4' ? 'me' : 'me6');

  // ipfw(8) fwd: "If ipaddr is a local address, then matching packets will be forwarded to
  // port (or the port number in the packet if one is not specified in the rule)".
  for (const r of redirects) {
    const lo = r.family === 'ipv4' ? '127.0.0.1' : '::1';
    const dev = r.ingress?.kind === 'interface' ? r.ingress.iface.device : null;
    const to = r.ingress?.kind === 'address' ? r.ingress.address.address : fam(r.family);
    const body = (port: string) => `${r.protocol} from ${ipfwAddresses(r.sources)} to ${to} ${port} in${at(dev, 'recv')}`;
    const rule = (port: string, target: string) => rules.fwd.add(`fwd ${lo}${target}${r.log ? ' log' : ''}`, body(port), comment(r));
    if (r.mapping.kind === 'same') rule(ipfwPorts(r.ports), '');
    else if (r.mapping.kind === 'port') rule(ipfwPorts(r.ports), `,${r.mapping.port}`);
    else {
      const first = r.mapping.first;
      for (const [i, p] of eachPort(r.ports).entries()) rule(String(p), `,${first + i}`);
    }
  }

  // Masquerade first: a forward's reply from a masqueraded network is undone by the same
  // instance. Instances go last to first: each has its own egress device, so their rules never
  // overlap and this order is only the one scripts have always had.
  for (let i = insts.length - 1; i >= 0; i--) {
    for (const m of insts[i]!.masquerades) {
      const body =
        m.source.kind === 'addresses'
          ? `ip4 from ${ipfwAddresses(m.source.prefixes)} to any out xmit ${m.egress.device}`
          : `ip4 from any to any out xmit ${m.egress.device} recv ${m.source.iface.device}`;
      rules.out.add(`nat ${insts[i]!.number}`, body, comment({ origin: m.origin, comment: null }));
    }
  }
  const skipto = `skipto ${rules.out.first}`;
  for (const inst of insts) {
    const nat = `nat ${inst.number}`;
    const recv = at(inst.device, 'recv');
    const xmit = at(inst.device, 'xmit');
    for (const f of inst.forwards) {
      const src = ipfwAddresses(f.sources);
      const ext = `${inst.self} ${ipfwPorts(f.ports)}`;
      const dst = `${f.target.address} ${ipfwPorts(translatedPorts(f.ports, f.mapping))}`;
      const c = comment(f);
      rules.in.add(nat, `${f.protocol} from ${src} to ${ext} in${recv}`, c);
      // Other sources are left alone: past the instance's catch-all for masquerade replies.
      if (f.sources && inst.masquerades.length > 0) rules.in.add(skipto, `${f.protocol} from any to ${ext} in${recv}`, c);
      rules.out.add(nat, `${f.protocol} from ${dst} to ${src} out${xmit}`, c);
      rules.accept.add(`allow${f.log ? ' log' : ''}`, `${f.protocol} from ${src} to ${dst} in${recv} keep-state`, c);
      rules.replies.add('allow', `${f.protocol} from ${ext} to ${src} out${xmit}`, c);
    }
    if (inst.masquerades.length > 0) {
      rules.in.add(nat, `ip4 from any to me in recv ${inst.device}`, comment({ origin: inst.masquerades[0]!.origin, comment: null }));
    }
  }
  for (const a of ir.allows) {
    const body = `${a.protocol} from ${ipfwAddresses(a.sources)} to ${a.target.text} ${ipfwPorts(a.ports)} in recv ${a.ingress.device} keep-state`;
    rules.accept.add(`allow${a.log ? ' log' : ''}`, body, comment(a));
  }
}

/** Every decision of the ipfw target, with the rules it cannot express. */
export function planIpfw(ir: Ir): IpfwPlan {
  const { forwards, redirects, masquerades, unsupported } = expressible(ir);
  const insts = instances(forwards, masquerades);
  // Rules share numbers when there are more than the range holds (src/backends/ipfw-numbers.ts).
  const sizes = sectionSizes(redirects, insts, ir);
  const placed = placeSections(SECTIONS.map((s) => sizes[s]));
  const section = (s: Section, i: number) => new RuleLines(placed.firsts[i]!, placed.per, sizes[s], IPFW_SETS.staging);
  const rules = Object.fromEntries(SECTIONS.map((s, i) => [s, section(s, i)])) as Record<Section, RuleLines>;
  writeRules(rules, redirects, insts, ir);
  const sections = SECTIONS.filter((s) => sizes[s] > 0).map((s) => ({ title: TITLES[s], lines: rules[s].text }));
  const nats = insts.map((i) => ({ number: i.number, config: i.config, redirects: redirectLines(i.forwards) }));
  const view: IpfwView = {
    source: ir.source,
    firstRule: IPFW_RULES.first,
    lastRule: IPFW_RULES.last,
    liveSet: IPFW_SETS.live,
    stagingSet: IPFW_SETS.staging,
    natFirst: IPFW_NAT_FIRST,
    sharesNumbers: placed.per > 1,
    rulesPerNumber: placed.per,
    needsOnePass: nats.length > 0,
    nats,
    sections,
  };
  return { view, unsupported };
}

/**
 * planIpfw's result per IR object: compile asks for `unsupported`, then for the view, of the same
 * IR, and the plan is made once. The IR is immutable; entries go with their IR.
 */
const plans = new WeakMap<Ir, IpfwPlan>();

/** The plan of an IR, made on first use. */
function planOf(ir: Ir): IpfwPlan {
  const known = plans.get(ir);
  if (known) return known;
  const made = planIpfw(ir);
  plans.set(ir, made);
  return made;
}

/** Target `ipfw`: FreeBSD in-kernel NAT, fwd, and set swap. */
export const ipfw: Backend<IpfwView> = {
  id: 'ipfw',
  aliases: [],
  description: 'FreeBSD ipfw: in-kernel NAT (redirect_port) and fwd, a script swapping set 20 atomically',
  template: 'ipfw.sh.hbs',
  outputName: 'ipfw.sh',
  unsupported: (ir) => [...planOf(ir).unsupported],
  toViewModel: (ir) => planOf(ir).view,
};
