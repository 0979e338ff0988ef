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
import { mergePorts, type PortInterval, type SourceSet, sourceSet } from './intervals.js';
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
 * The ingress keys of a file, made once per interface (and per reflecting interface) rather than
 * once per rule: thousands of rules share a handful of interfaces.
 */
class IngressKeys {
  private readonly byInterface = new Map<RInterface, IngressKey>();
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
    const text = addressText(only.net.family, only.net.bits);
    return { key: `addr:${only.net.family}:${text}`, label: `'${text}'` };
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

/** The translations of every well-formed forward and redirect; malformed rules are skipped. */
export function translations(file: RFile): Translation[] {
  const out: Translation[] = [];
  const ingressKeys = new IngressKeys(file.interfaces);
  file.rules.forEach((rule, order) => {
    if (rule.kind !== 'forward' && rule.kind !== 'redirect') return;
    if (!rule.ports?.every(validPort) || rule.ingress === undefined || rule.sources === undefined) return;
    if (rule.targetPorts === undefined || !(rule.targetPorts ?? []).every(validPort)) return;
    const mapped = portMapping(rule.ports, rule.targetPorts);
    if ('error' in mapped) return;
    const ingress = ingressKeys.of(rule.ingress);
    if (!ingress) return;
    let host: Net | undefined;
    if (rule.kind === 'forward') {
      const only = rule.target?.entries[0];
      if (rule.target?.entries.length !== 1 || !only || !isHost(only.net)) return;
      host = only.net;
    }
    const ports = mergePorts(rule.ports);
    // The target's text is made only when a message or a duplicate test asks for a destination.
    let target: string | undefined;
    const destination = (port: number): string => {
      const to = mappedPort(mapped.mapping, ports, port) ?? port;
      if (host === undefined) return `local port ${to}`;
      target ??= targetText(host);
      return `${target}:${to}`;
    };
    const keys =
      rule.kind === 'forward' && rule.reflect && rule.ingress?.kind === 'interface'
        ? [ingress, ...ingressKeys.reflected(rule.ingress.iface.device)]
        : [ingress];
    const nets = rule.sources ? rule.sources.entries.map((e) => e.net) : null;
    for (const family of ruleFamilies(rule)) {
      const sources = sourceSet(nets, family);
      for (const protocol of rule.protocols)
        for (const k of keys)
          out.push({
            rule,
            order,
            family,
            protocol,
            ingressKey: k.key,
            ingressLabel: k.label,
            ports,
            portsSpan: rule.stmt.ports.span,
            sources,
            mapping: mapped.mapping,
            destination,
          });
    }
  });
  return out;
}
