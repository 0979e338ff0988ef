/**
 * Translations: the (ingress, family, protocol, ports, sources) facts of every well-formed
 * forward and redirect, plus one entry per reflected ingress. The conflict check and the tiers
 * of lowering both read them, so both see the same rules the same way.
 */

import type { Span } from '../diagnostics/diagnostic.js';
import type { Family, PortMapping, Protocol } from '../ir/model.js';
import { addressText, isHost } from '../net/address.js';
import type { RFile, RForward, RIngress, RRedirect } from '../resolve/model.js';
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

function ingressOf(ingress: RIngress | null): { key: string; label: string } | undefined {
  if (ingress === null) return { key: 'any', label: 'every interface' };
  if (ingress.kind === 'interface') return { key: `if:${ingress.iface.device}`, label: `'${ingress.iface.name}'` };
  const only = ingress.set.entries[0];
  if (ingress.set.entries.length !== 1 || !only || !isHost(only.net)) return undefined;
  const text = addressText(only.net.family, only.net.bits);
  return { key: `addr:${only.net.family}:${text}`, label: `'${text}'` };
}

/** The translations of every well-formed forward and redirect; malformed rules are skipped. */
export function translations(file: RFile): Translation[] {
  const out: Translation[] = [];
  file.rules.forEach((rule, order) => {
    if (rule.kind !== 'forward' && rule.kind !== 'redirect') return;
    if (!rule.ports?.every(validPort) || rule.ingress === undefined || rule.sources === undefined) return;
    if (rule.targetPorts === undefined || !(rule.targetPorts ?? []).every(validPort)) return;
    const mapped = portMapping(rule.ports, rule.targetPorts);
    if ('error' in mapped) return;
    const ingress = ingressOf(rule.ingress);
    if (!ingress) return;
    let target = '';
    if (rule.kind === 'forward') {
      const host = rule.target?.entries[0];
      if (rule.target?.entries.length !== 1 || !host || !isHost(host.net)) return;
      const text = addressText(host.net.family, host.net.bits);
      target = host.net.family === 'ipv6' ? `[${text}]` : text;
    }
    const ports = mergePorts(rule.ports);
    const destination = (port: number): string => {
      const to = mappedPort(mapped.mapping, ports, port) ?? port;
      return rule.kind === 'forward' ? `${target}:${to}` : `local port ${to}`;
    };
    const keys = [ingress];
    if (rule.kind === 'forward' && rule.reflect && rule.ingress?.kind === 'interface') {
      const ingressDevice = rule.ingress.iface.device;
      for (const iface of file.interfaces)
        if (iface.device !== ingressDevice) keys.push({ key: `reflect:${iface.device}`, label: `'${iface.name}' (reflected)` });
    }
    for (const family of ruleFamilies(rule)) {
      const sources = sourceSet(rule.sources ? rule.sources.entries.map((e) => e.net) : null, family);
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
