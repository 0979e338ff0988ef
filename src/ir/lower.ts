/**
 * Lowering: a resolved file without errors to the IR. Splits rules by family and protocol,
 * normalises ports and sources into sorted disjoint lists, computes tiers (narrower source wins)
 * and puts every list in evaluation order. Pure; assumes validation found no errors.
 */

import { ruleFamilies } from '../analysis/families.js';
import { mergePorts } from '../analysis/intervals.js';
import { portMapping } from '../analysis/mapping.js';
import { findOverlaps, type Overlap, tiersOf } from '../analysis/overlaps.js';
import { translations } from '../analysis/translations.js';
import { byBits, cidrCover, intervalOf, ipv4NetsApart, mergeIntervals, type Net, toPrefix } from '../net/address.js';
import type * as R from '../resolve/model.js';
import type { SourceFile, SourceSet } from '../sources/source-set.js';
import type * as I from './model.js';

const cmp = (a: number | string, b: number | string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A rule's ports, sorted and merged; one port or range (most rules) needs no sorting. */
function portList(ports: readonly R.RPort[]): I.PortRange[] {
  const only = ports.length === 1 ? ports[0]! : null;
  return only ? [{ first: only.first, last: only.last }] : mergePorts(ports);
}

/** The IR form of a list of networks of one family: sorted, disjoint, minimal CIDRs. */
function prefixes(nets: readonly Net[], family: I.Family): I.Prefix[] {
  // One network is its own cover: skip the interval arithmetic (BigInt, allocating) for it.
  const only = nets.length === 1 ? nets[0]! : null;
  if (only) return only.family === family ? [toPrefix(only)] : [];
  const mine = nets.filter((n) => n.family === family).sort(byBits);
  // So are networks that neither overlap nor touch (as most `from` sets are), in address order.
  if (family === 'ipv4' && ipv4NetsApart(mine)) return mine.map(toPrefix);
  return mergeIntervals(mine.map(intervalOf)).flatMap(cidrCover).map(toPrefix);
}

/** Rules on a router address, which lowering puts before every other translating rule. */
const onAddress = (rule: R.RRule): boolean => (rule.kind === 'forward' || rule.kind === 'redirect') && rule.ingress?.kind === 'address';

const rank = (i: I.Ingress | null): number => (i === null ? 2 : i.kind === 'address' ? 0 : 1);

/**
 * Translating rules as lowered, each with its statement's index, put in evaluation order at the
 * end: tier, ingress (address, interface, any), statement, family, protocol. The indexes are
 * kept beside the rules (numbers, not a wrapper object per rule) and the sort permutes
 * positions, which keeps 100k short-lived objects away from the garbage collector.
 */
class Translating<T extends I.PortForward | I.PortRedirect> {
  private readonly items: T[] = [];
  private readonly orders: number[] = [];

  add(order: number, item: T): void {
    this.items.push(item);
    this.orders.push(order);
  }

  inEvaluationOrder(): T[] {
    const { items, orders } = this;
    const positions = new Array<number>(items.length);
    for (let i = 0; i < items.length; i++) positions[i] = i;
    positions.sort((i, j) => {
      const a = items[i]!;
      const b = items[j]!;
      return a.tier - b.tier || rank(a.ingress) - rank(b.ingress) || orders[i]! - orders[j]! || cmp(a.family, b.family) || cmp(a.protocol, b.protocol);
    });
    return positions.map((i) => items[i]!);
  }
}

// Lowering runs once per rule of files with 100k rules: the IR objects are written out as
// literals (no spreads, one shape per kind) and values shared by a rule's family/protocol
// splits are computed once, which keeps allocation and the garbage collector's work down.
class Lowering {
  private readonly interfaces = new Map<string, I.Interface>();
  /** One interface ingress per interface: IR values are read-only, so rules can share it. */
  private readonly ingresses = new Map<string, I.Ingress>();
  /** One ingress per router address (a host, so its bits name it), by family: hundreds of rules share one. */
  private readonly addressIngresses = { ipv4: new Map<bigint, I.Ingress>(), ipv6: new Map<bigint, I.Ingress>() };

  constructor(
    private readonly file: R.RFile,
    private readonly set: SourceSet,
    private readonly overlaps: readonly Overlap[],
  ) {
    for (const i of file.interfaces) {
      const subnets = (['ipv4', 'ipv6'] as const).flatMap((f) =>
        prefixes(
          i.subnets.map((s) => s.net),
          f,
        ),
      );
      const iface: I.Interface = { name: i.name, device: i.device, subnets };
      this.interfaces.set(i.name, iface);
      this.ingresses.set(i.name, { kind: 'interface', iface });
    }
  }

  iface(r: R.RInterface): I.Interface {
    return this.interfaces.get(r.name)!;
  }

  /** The `file:` head of the trace tags of the rules of one file, made once per run of its rules. */
  private tagFile: SourceFile | null = null;
  private tagHead = '';

  origin(rule: R.RRule): I.Origin {
    const { file, line } = this.set.lineAt(rule.span.start);
    if (file !== this.tagFile) {
      this.tagFile = file;
      this.tagHead = `${file.display}:`;
    }
    return { file: file.display, line, span: rule.span, tag: `${this.tagHead}${line}` };
  }

  sources(rule: { sources: R.RAddressSet | null | undefined }, family: I.Family): I.Prefix[] | null {
    return rule.sources
      ? prefixes(
          rule.sources.entries.map((e) => e.net),
          family,
        )
      : null;
  }

  ingress(ingress: R.RIngress): I.Ingress {
    if (ingress.kind === 'interface') return this.ingresses.get(ingress.iface.name)!;
    const net = ingress.set.entries[0]!.net;
    const known = this.addressIngresses[net.family];
    let lowered = known.get(net.bits);
    if (!lowered) known.set(net.bits, (lowered = { kind: 'address', address: toPrefix(net) }));
    return lowered;
  }

  /** The reflection of a reflected forward: the other declared interfaces, by name; null when there is none. */
  reflection(ingress: I.Ingress): I.Reflection | null {
    if (ingress.kind !== 'interface') return null;
    const via = [...this.interfaces.values()].filter((i) => i.device !== ingress.iface.device).sort((a, b) => cmp(a.name, b.name));
    return via.length > 0 ? { via } : null;
  }

  masquerade(rule: R.RMasquerade, origin: I.Origin, into: I.Masquerade[]): void {
    const source = rule.source!;
    for (const family of ruleFamilies(rule))
      into.push({
        kind: 'masquerade',
        origin,
        family,
        source:
          source.kind === 'interface'
            ? { kind: 'interface', iface: this.iface(source.iface) }
            : {
                kind: 'addresses',
                prefixes: prefixes(
                  source.set.entries.map((e) => e.net),
                  family,
                ),
              },
        egress: this.iface(rule.egress!),
      });
  }

  allow(rule: R.RAllow, origin: I.Origin, into: I.Pinhole[]): void {
    const ports = portList(rule.ports!);
    const comment = rule.comment?.text ?? null;
    const ingress = this.iface(rule.ingress!);
    for (const entry of rule.target!.entries) {
      const family = entry.net.family;
      const sources = this.sources(rule, family);
      const target = toPrefix(entry.net);
      for (const protocol of rule.protocols) into.push({ kind: 'allow', origin, log: rule.log, comment, family, protocol, sources, ingress, target, ports });
    }
  }

  run(): I.Ir {
    const tiers = tiersOf(this.overlaps);
    const rules = this.file.rules;
    // Rules on a router address come first: their tiers stay, every other rule's follow them.
    let addressTiers = 0;
    for (let order = 0; order < rules.length; order++) {
      if (onAddress(rules[order]!)) addressTiers = Math.max(addressTiers, (tiers.get(order) ?? 0) + 1);
    }
    const forwards = new Translating<I.PortForward>();
    const redirects = new Translating<I.PortRedirect>();
    const allows: I.Pinhole[] = [];
    const masquerades: I.Masquerade[] = [];
    for (let order = 0; order < rules.length; order++) {
      const rule = rules[order]!;
      const origin = this.origin(rule);
      if (rule.kind === 'masquerade') {
        this.masquerade(rule, origin, masquerades);
        continue;
      }
      if (rule.kind === 'allow') {
        this.allow(rule, origin, allows);
        continue;
      }
      const ports = portList(rule.ports!);
      const comment = rule.comment?.text ?? null;
      const mapping = portMapping(rule.ports!, rule.targetPorts ?? null);
      if (mapping.kind === 'error') throw new Error('lower: invalid port mapping reached lowering');
      const tier = (tiers.get(order) ?? 0) + (onAddress(rule) ? 0 : addressTiers);
      // Indexed loops over families and protocols: a for..of in code not yet optimised
      // allocates an iterator result per step.
      const families = ruleFamilies(rule);
      const protocols = rule.protocols;
      if (rule.kind === 'forward') {
        const ingress = this.ingress(rule.ingress!);
        const target = toPrefix(rule.target!.entries[0]!.net);
        const reflect = rule.reflect ? this.reflection(ingress) : null;
        for (let f = 0; f < families.length; f++) {
          const family = families[f]!;
          const sources = this.sources(rule, family);
          for (let p = 0; p < protocols.length; p++)
            forwards.add(order, {
              kind: 'forward',
              origin,
              log: rule.log,
              comment,
              family,
              protocol: protocols[p]!,
              sources,
              ports,
              mapping,
              tier,
              ingress,
              target,
              reflect,
            });
        }
      } else {
        const ingress = rule.ingress ? this.ingress(rule.ingress) : null;
        for (let f = 0; f < families.length; f++) {
          const family = families[f]!;
          const sources = this.sources(rule, family);
          for (let p = 0; p < protocols.length; p++)
            redirects.add(order, { kind: 'redirect', origin, log: rule.log, comment, family, protocol: protocols[p]!, sources, ports, mapping, tier, ingress });
        }
      }
    }
    return {
      source: this.set.main.display,
      interfaces: [...this.interfaces.values()],
      forwards: forwards.inEvaluationOrder(),
      redirects: redirects.inEvaluationOrder(),
      allows,
      masquerades,
    };
  }
}

/**
 * Lowers a checked rule set to the IR; `set` gives each rule's file and line for its origin, and
 * `overlaps` are the ones validation found (computed here when not given).
 */
export function lower(file: R.RFile, set: SourceSet, overlaps: readonly Overlap[] = findOverlaps(translations(file))): I.Ir {
  return new Lowering(file, set, overlaps).run();
}
