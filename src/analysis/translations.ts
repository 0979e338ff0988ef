/**
 * Translations: the (ingress, family, protocol, ports, sources) facts of every well-formed
 * forward and redirect, plus one entry per reflected ingress. The conflict check and the tiers
 * of lowering both read them, so both see the same rules the same way.
 */

import type { Span } from '../diagnostics/diagnostic.js';
import type { Family, PortMapping, Protocol } from '../ir/model.js';
import { addressText, isHost, type Net } from '../net/address.js';
import type { RFile, RForward, RIngress, RInterface, RRedirect } from '../resolve/model.js';
import { ruleFamilies } from './families.js';
import { mergePorts, type PortInterval, portsMerged, type SourceSet, sourceSet } from './intervals.js';
import { mappedPort, portMapping, validPort } from './mapping.js';

/** One translating rule, for one family and protocol, seen from one ingress. */
export interface Translation {
  readonly rule: RForward | RRedirect;
  /** Position of the rule in the file (source order). */
  readonly order: number;
  readonly family: Family;
  readonly protocol: Protocol;
  /** Rules compete only within one key: `if:eth0`, `addr:ipv4:…`, `any`, `reflect:eth1`. */
  readonly ingressKey: string;
  /** For messages: `'wan'`, `'203.0.113.5'`, `every interface`, `'lan' (reflected)`. */
  readonly ingressLabel: string;
  readonly ports: readonly PortInterval[];
  readonly portsSpan: Span;
  readonly sources: SourceSet;
  readonly mapping: PortMapping;
  /** Where a port ends up, for messages and duplicate detection: `192.168.1.20:8080`. */
  readonly destination: (port: number) => string;
}

/** An ingress key with its label. */
interface IngressKey {
  readonly key: string;
  readonly label: string;
}

const everyInterface: IngressKey = { key: 'any', label: 'every interface' };

/**
 * The ingress keys of a file, made once per interface, address and reflecting interface rather
 * than once per rule: thousands of rules share a handful of them.
 */
class IngressKeys {
  private readonly byInterface = new Map<RInterface, IngressKey>();
  /** By family, then by the address's bits (a host's bits name it): literals of one address share its key. */
  private readonly byAddress = { ipv4: new Map<bigint, IngressKey>(), ipv6: new Map<bigint, IngressKey>() };
  private readonly reflectedByDevice = new Map<string, readonly IngressKey[]>();

  constructor(private readonly interfaces: readonly RInterface[]) {}

  of(ingress: RIngress | null): IngressKey | undefined {
    if (ingress === null) return everyInterface;
    if (ingress.kind === 'interface') {
      let k = this.byInterface.get(ingress.iface);
      if (!k) this.byInterface.set(ingress.iface, (k = { key: `if:${ingress.iface.device}`, label: `'${ingress.iface.name}'` }));
      return k;
    }
    const only = ingress.set.entries[0];
    if (ingress.set.entries.length !== 1 || !only || !isHost(only.net)) return undefined;
    const known = this.byAddress[only.net.family];
    let k = known.get(only.net.bits);
    if (!k) {
      const text = addressText(only.net.family, only.net.bits);
      known.set(only.net.bits, (k = { key: `addr:${only.net.family}:${text}`, label: `'${text}'` }));
    }
    return k;
  }

  /** The reflected keys of a rule on `device`: every other interface. */
  reflected(device: string): readonly IngressKey[] {
    let keys = this.reflectedByDevice.get(device);
    if (!keys) {
      keys = this.interfaces.filter((i) => i.device !== device).map((i) => ({ key: `reflect:${i.device}`, label: `'${i.name}' (reflected)` }));
      this.reflectedByDevice.set(device, keys);
    }
    return keys;
  }
}

/** A forward target as messages show it: `192.168.1.20`, `[2001:db8::20]`. */
function targetText(net: Net): string {
  const text = addressText(net.family, net.bits);
  return net.family === 'ipv6' ? `[${text}]` : text;
}

/**
 * A translation as an object of one shape whose destination is a method: no closure per rule
 * (there are as many translations as rules, and they live until lowering is done). What it can
 * read from its rule or ingress key, it reads there rather than keeping a copy.
 */
class RuleTranslation implements Translation {
  constructor(
    readonly rule: RForward | RRedirect,
    readonly order: number,
    readonly family: Family,
    readonly protocol: Protocol,
    private readonly ingress: IngressKey,
    readonly ports: readonly PortInterval[],
    readonly sources: SourceSet,
    readonly mapping: PortMapping,
    /** The forward's target host; undefined for a redirect. */
    private readonly host: Net | undefined,
  ) {}

  get ingressKey(): string {
    return this.ingress.key;
  }

  get ingressLabel(): string {
    return this.ingress.label;
  }

  get portsSpan(): Span {
    return this.rule.portsSpan;
  }

  destination(port: number): string {
    const to = mappedPort(this.mapping, this.ports, port) ?? port;
    return this.host === undefined ? `local port ${to}` : `${targetText(this.host)}:${to}`;
  }
}

const noKeys: readonly IngressKey[] = [];

/** The translations of every well-formed forward and redirect; malformed rules are skipped. */
export function translations(file: RFile): Translation[] {
  const out: Translation[] = [];
  const ingressKeys = new IngressKeys(file.interfaces);
  const rules = file.rules;
  // Indexed loops, here and below: this runs for every rule, and a for..of in code not yet
  // optimised allocates an iterator result per step.
  for (let order = 0; order < rules.length; order++) {
    const rule = rules[order]!;
    if (rule.kind !== 'forward' && rule.kind !== 'redirect') continue;
    if (!rule.ports?.every(validPort) || rule.ingress === undefined || rule.sources === undefined) continue;
    if (rule.targetPorts === undefined || (rule.targetPorts !== null && !rule.targetPorts.every(validPort))) continue;
    const mapping = portMapping(rule.ports, rule.targetPorts);
    if (mapping.kind === 'error') continue;
    const ingress = ingressKeys.of(rule.ingress);
    if (!ingress) continue;
    let host: Net | undefined;
    if (rule.kind === 'forward') {
      const only = rule.target?.entries[0];
      if (rule.target?.entries.length !== 1 || !only || !isHost(only.net)) continue;
      host = only.net;
    }
    // Ports already merged (a single valid port or range, most lists) are shared with the rule.
    const ports: readonly PortInterval[] = portsMerged(rule.ports) ? rule.ports : mergePorts(rule.ports);
    const reflected = rule.kind === 'forward' && rule.reflect && rule.ingress?.kind === 'interface' ? ingressKeys.reflected(rule.ingress.iface.device) : noKeys;
    const nets = rule.sources ? rule.sources.entries.map((e) => e.net) : null;
    const families = ruleFamilies(rule);
    const protocols = rule.protocols;
    for (let f = 0; f < families.length; f++) {
      const family = families[f]!;
      const sources = sourceSet(nets, family);
      for (let p = 0; p < protocols.length; p++) {
        const protocol = protocols[p]!;
        out.push(new RuleTranslation(rule, order, family, protocol, ingress, ports, sources, mapping, host));
        for (let r = 0; r < reflected.length; r++) out.push(new RuleTranslation(rule, order, family, protocol, reflected[r]!, ports, sources, mapping, host));
      }
    }
  }
  return out;
}
