/**
 * Backend `ipfw` (FreeBSD, in-kernel NAT): IR to the view model of templates/ipfw.sh.hbs, a
 * shell script of ipfw(8) commands. One NAT instance per ingress (shared with masquerade on that
 * interface), rules in pfc's number range staged in a disabled set and swapped in atomically.
 */

import type { Family, Ir, Masquerade, PortForward, PortMapping, PortRange } from '../ir/model.js';
import type { Backend, Unsupported } from './backend.js';
import { expressible } from './ipfw-capability.js';
import { IPFW_RULES, numberSections } from './ipfw-numbers.js';
import { ipfwAddresses, ipfwPorts, shQuote } from './ipfw-syntax.js';

export { IPFW_EXPAND_LIMIT } from './ipfw-capability.js';
export { IPFW_RULES, IPFW_SLOTS, numberSections, rulesPerNumber } from './ipfw-numbers.js';
export { ipfwAddresses, ipfwPorts, shQuote } from './ipfw-syntax.js';
/** pfc's sets: rules live in `live`; a new rule set is added to `staging`, then swapped. */
export const IPFW_SETS = { live: 20, staging: 21 } as const;
/** pfc's NAT instances are numbered from here, one per ingress interface or address. */
export const IPFW_NAT_FIRST = 10001;
/** ipfw(8) rule comments hold at most 80 characters. */
export const IPFW_COMMENT_MAX = 80;

/** One `ipfw add` command. */
export interface IpfwRuleView {
  readonly number: number;
  readonly set: number;
  /** `nat 10001`, `allow log`, `fwd 127.0.0.1,8080`, `skipto 10040`. */
  readonly action: string;
  /** `tcp from any to me 80 in recv em0`. */
  readonly body: string;
  readonly hasComment: boolean;
  /** Shell-quoted comment text after `//`. */
  readonly comment: string;
}

/** One `ipfw nat N config` command. */
export interface IpfwNatView {
  readonly number: number;
  /** `if em0 same_ports reset` or `ip 198.51.100.10 same_ports`. */
  readonly config: string;
  /** Arguments of each `redirect_port`: `tcp 192.168.1.20:8080 80`. */
  readonly redirects: readonly string[];
}

/** A titled group of rules, in evaluation order. */
export interface IpfwSectionView {
  readonly title: string;
  readonly rules: readonly IpfwRuleView[];
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

/** The destination ports after translation. */
function translatedPorts(ports: readonly PortRange[], mapping: PortMapping): readonly PortRange[] {
  if (mapping.kind === 'same') return ports;
  if (mapping.kind === 'port') return [{ first: mapping.port, last: mapping.port }];
  return [{ first: mapping.first, last: mapping.last }];
}

const each = (ports: readonly PortRange[]): number[] => ports.flatMap((r) => Array.from({ length: r.last - r.first + 1 }, (_, i) => r.first + i));

/**
 * ipfw(8) / natd(8) `redirect_port proto targetIP:targetPORT[-targetPORT] aliasPORT[-aliasPORT]`:
 * one protocol each, ranges of equal size (nat.c setup_redir_port), so `port` mappings expand.
 */
export function redirectPorts(f: PortForward): string[] {
  const host = f.target.address;
  const range = (r: PortRange): string => (r.first === r.last ? `${r.first}` : `${r.first}-${r.last}`);
  if (f.mapping.kind === 'same') return f.ports.map((r) => `${f.protocol} ${host}:${range(r)} ${range(r)}`);
  if (f.mapping.kind === 'shift') {
    const to = range({ first: f.mapping.first, last: f.mapping.last });
    return f.ports.map((r) => `${f.protocol} ${host}:${to} ${range(r)}`);
  }
  const port = f.mapping.port;
  return each(f.ports).map((p) => `${f.protocol} ${host}:${port} ${p}`);
}

/** The rule comment: trace tag and comment, cut to IPFW_COMMENT_MAX, quoted for sh. */
function comment(rule: { origin: { tag: string }; comment: string | null }): string {
  return shQuote((rule.comment ? `${rule.origin.tag} ${rule.comment}` : rule.origin.tag).slice(0, IPFW_COMMENT_MAX));
}

/** A rule before numbering; `skipTo` names the section whose first rule it jumps to. */
interface Draft {
  readonly action: string;
  readonly body: string;
  readonly comment: string;
  readonly skipTo?: string;
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

/** Every decision of the ipfw target, with the rules it cannot express. */
export function planIpfw(ir: Ir): IpfwPlan {
  const { forwards, redirects, masquerades, unsupported } = expressible(ir);
  const insts = instances(forwards, masquerades);
  const at = (device: string | null, dir: 'recv' | 'xmit') => (device ? ` ${dir} ${device}` : '');
  const fam = (f: Family) => (f === 'ipv4' ? 'me' : 'me6');

  // ipfw(8) fwd: "If ipaddr is a local address, then matching packets will be forwarded to
  // port (or the port number in the packet if one is not specified in the rule)".
  const fwd: Draft[] = redirects.flatMap((r) => {
    const lo = r.family === 'ipv4' ? '127.0.0.1' : '::1';
    const dev = r.ingress?.kind === 'interface' ? r.ingress.iface.device : null;
    const to = r.ingress?.kind === 'address' ? r.ingress.address.address : fam(r.family);
    const rule = (port: string, target: string): Draft => ({
      action: `fwd ${lo}${target}${r.log ? ' log' : ''}`,
      body: `${r.protocol} from ${ipfwAddresses(r.sources)} to ${to} ${port} in${at(dev, 'recv')}`,
      comment: comment(r),
    });
    if (r.mapping.kind === 'same') return [rule(ipfwPorts(r.ports), '')];
    if (r.mapping.kind === 'port') return [rule(ipfwPorts(r.ports), `,${r.mapping.port}`)];
    const first = r.mapping.first;
    return each(r.ports).map((p, i) => rule(String(p), `,${first + i}`));
  });

  const natIn: Draft[] = [];
  const natOut: Draft[] = [];
  const accept: Draft[] = [];
  const replies: Draft[] = [];
  for (const inst of insts) {
    const nat = `nat ${inst.number}`;
    for (const f of inst.forwards) {
      const src = ipfwAddresses(f.sources);
      const ext = `${inst.self} ${ipfwPorts(f.ports)}`;
      const dst = `${f.target.address} ${ipfwPorts(translatedPorts(f.ports, f.mapping))}`;
      const c = comment(f);
      natIn.push({ action: nat, body: `${f.protocol} from ${src} to ${ext} in${at(inst.device, 'recv')}`, comment: c });
      // Other sources are left alone: past the instance's catch-all for masquerade replies.
      if (f.sources && inst.masquerades.length > 0) {
        natIn.push({ action: 'skipto', skipTo: 'out', body: `${f.protocol} from any to ${ext} in${at(inst.device, 'recv')}`, comment: c });
      }
      natOut.push({ action: nat, body: `${f.protocol} from ${dst} to ${src} out${at(inst.device, 'xmit')}`, comment: c });
      accept.push({ action: `allow${f.log ? ' log' : ''}`, body: `${f.protocol} from ${src} to ${dst} in${at(inst.device, 'recv')} keep-state`, comment: c });
      replies.push({ action: 'allow', body: `${f.protocol} from ${ext} to ${src} out${at(inst.device, 'xmit')}`, comment: c });
    }
    if (inst.masquerades.length > 0) {
      natIn.push({
        action: nat,
        body: `ip4 from any to me in recv ${inst.device}`,
        comment: comment({ origin: (inst.masquerades[0] as Masquerade).origin, comment: null }),
      });
    }
    // Masquerade first: a forward's reply from a masqueraded network is undone by the same instance.
    natOut.unshift(
      ...inst.masquerades.map((m) => ({
        action: nat,
        body:
          m.source.kind === 'addresses'
            ? `ip4 from ${ipfwAddresses(m.source.prefixes)} to any out xmit ${m.egress.device}`
            : `ip4 from any to any out xmit ${m.egress.device} recv ${m.source.iface.device}`,
        comment: comment({ origin: m.origin, comment: null }),
      })),
    );
  }
  for (const a of ir.allows) {
    accept.push({
      action: `allow${a.log ? ' log' : ''}`,
      body: `${a.protocol} from ${ipfwAddresses(a.sources)} to ${a.target.text} ${ipfwPorts(a.ports)} in recv ${a.ingress.device} keep-state`,
      comment: comment(a),
    });
  }

  const drafts: [string, string, Draft[]][] = [
    ['fwd', 'Redirects to local ports (fwd)', fwd],
    ['in', 'Inbound translation (one_pass=0: translated packets continue below)', natIn],
    ['out', 'Outbound translation: replies and masquerade', natOut],
    ['accept', 'Accept translated and allowed connections (stateful)', accept],
    ['replies', 'Accept replies after the reverse translation', replies],
  ];
  // Rules share numbers when there are more than the range holds (src/backends/ipfw-numbers.ts).
  const placed = numberSections(drafts.map(([, , list]) => list));
  const firstOf = new Map(drafts.map(([key], i) => [key, placed.sections[i]?.first]));
  const sections = drafts.flatMap(([, title], i) => {
    const rules = placed.sections[i]?.rules ?? [];
    if (rules.length === 0) return [];
    const view = rules.map(({ item: d, number }) => ({
      number,
      set: IPFW_SETS.staging,
      action: d.skipTo ? `skipto ${firstOf.get(d.skipTo)}` : d.action,
      body: d.body,
      hasComment: d.comment !== '',
      comment: d.comment,
    }));
    return [{ title, rules: view }];
  });
  const nats = insts.map((i) => ({ number: i.number, config: i.config, redirects: i.forwards.flatMap(redirectPorts) }));
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
