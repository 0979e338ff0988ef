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
import { cidrCover, intervalOf, mergeIntervals, type Net, toPrefix } from '../net/address.js';
import type * as R from '../resolve/model.js';
import type { SourceSet } from '../sources/source-set.js';
import type * as I from './model.js';

const cmp = (a: number | string, b: number | string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The IR form of a list of networks of one family: sorted, disjoint, minimal CIDRs. */
function prefixes(nets: readonly Net[], family: I.Family): I.Prefix[] {
  return mergeIntervals(nets.filter((n) => n.family === family).map(intervalOf))
    .flatMap(cidrCover)
    .map(toPrefix);
}

class Lowering {
  private readonly interfaces = new Map<string, I.Interface>();

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
      this.interfaces.set(i.name, { name: i.name, device: i.device, subnets });
    }
  }

  iface(r: R.RInterface): I.Interface {
    return this.interfaces.get(r.name)!;
  }

  origin(rule: R.RRule): I.Origin {
    const { file, line } = this.set.lineAt(rule.stmt.span.start);
    return { file: file.display, line, span: rule.stmt.span, tag: `${file.display}:${line}` };
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
    if (ingress.kind === 'interface') return { kind: 'interface', iface: this.iface(ingress.iface) };
    return { kind: 'address', address: toPrefix(ingress.set.entries[0]!.net) };
  }

  run(): I.Ir {
    const tiers = tiersOf(this.overlaps);
    // Rules on a router address come first: their tiers stay, every other rule's follow them.
    const onAddress = (rule: R.RRule): boolean => (rule.kind === 'forward' || rule.kind === 'redirect') && rule.ingress?.kind === 'address';
    let addressTiers = 0;
    this.file.rules.forEach((rule, order) => {
      if (onAddress(rule)) addressTiers = Math.max(addressTiers, (tiers.get(order) ?? 0) + 1);
    });
    const forwards: { order: number; item: I.PortForward }[] = [];
    const redirects: { order: number; item: I.PortRedirect }[] = [];
    const allows: I.Pinhole[] = [];
    const masquerades: I.Masquerade[] = [];
    this.file.rules.forEach((rule, order) => {
      const origin = this.origin(rule);
      if (rule.kind === 'masquerade') {
        const source = rule.source!;
        for (const family of ruleFamilies(rule))
          masquerades.push({
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
        return;
      }
      const ports = mergePorts(rule.ports!);
      const common = { origin, log: rule.log, comment: rule.comment?.text ?? null };
      if (rule.kind === 'allow') {
        for (const entry of rule.target!.entries)
          for (const protocol of rule.protocols)
            allows.push({
              kind: 'allow',
              ...common,
              family: entry.net.family,
              protocol,
              sources: this.sources(rule, entry.net.family),
              ingress: this.iface(rule.ingress!),
              target: toPrefix(entry.net),
              ports,
            });
        return;
      }
      const mapped = portMapping(rule.ports!, rule.targetPorts ?? null);
      if ('error' in mapped) throw new Error('lower: invalid port mapping reached lowering');
      const tier = (tiers.get(order) ?? 0) + (onAddress(rule) ? 0 : addressTiers);
      for (const family of ruleFamilies(rule))
        for (const protocol of rule.protocols) {
          const base = { ...common, family, protocol, sources: this.sources(rule, family), ports, mapping: mapped.mapping, tier };
          if (rule.kind === 'forward') {
            const ingress = this.ingress(rule.ingress!);
            const via =
              rule.reflect && ingress.kind === 'interface'
                ? [...this.interfaces.values()].filter((i) => i.device !== ingress.iface.device).sort((a, b) => cmp(a.name, b.name))
                : [];
            const reflect = rule.reflect && via.length > 0 ? { via } : null;
            forwards.push({ order, item: { kind: 'forward', ...base, ingress, target: toPrefix(rule.target!.entries[0]!.net), reflect } });
          } else {
            redirects.push({ order, item: { kind: 'redirect', ...base, ingress: rule.ingress ? this.ingress(rule.ingress) : null } });
          }
        }
    });
    const rank = (i: I.Ingress | null): number => (i === null ? 2 : i.kind === 'address' ? 0 : 1);
    const evaluation = <T extends I.PortForward | I.PortRedirect>(a: { order: number; item: T }, b: { order: number; item: T }): number =>
      a.item.tier - b.item.tier ||
      rank(a.item.ingress) - rank(b.item.ingress) ||
      a.order - b.order ||
      cmp(a.item.family, b.item.family) ||
      cmp(a.item.protocol, b.item.protocol);
    return {
      source: this.set.main.display,
      interfaces: [...this.interfaces.values()],
      forwards: forwards.sort(evaluation).map((f) => f.item),
      redirects: redirects.sort(evaluation).map((r) => r.item),
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
