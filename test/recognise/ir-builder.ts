/**
 * Test support: builds IR values by hand (no front end needed) for the pf, pf-legacy and ipfw
 * backend tests and the recogniser tests, including the six canonical cases of
 * bsd-reference.md §4 (wan = em0, lan = em1 subnet 192.168.1.0/24).
 */

import type { Interface, Ir, Masquerade, Origin, Pinhole, PortForward, PortMapping, PortRange, PortRedirect, Prefix } from '../../src/ir/model.js';

/** `192.168.1.0/24`, `2001:db8::10` → Prefix. */
export function prefix(text: string): Prefix {
  const [address = '', len] = text.split('/');
  const family = address.includes(':') ? 'ipv6' : 'ipv4';
  const length = len === undefined ? (family === 'ipv4' ? 32 : 128) : Number(len);
  const host = length === (family === 'ipv4' ? 32 : 128);
  return { family, address, length, text: host ? address : `${address}/${length}` };
}

/** An interface with optional subnets. */
export function iface(name: string, device: string, subnets: string[] = []): Interface {
  return { name, device, subnets: subnets.map(prefix) };
}

export const wan = iface('wan', 'em0');
export const lan = iface('lan', 'em1', ['192.168.1.0/24']);

/** An origin on line `line` of home.pf. */
export function origin(line: number, file = 'home.pf'): Origin {
  return { file, line, span: { start: line * 100, end: line * 100 + 20 }, tag: `${file}:${line}` };
}

/** `80` or `27015-27030` → PortRange. */
export function ports(...list: string[]): PortRange[] {
  return list.map((p) => {
    const [a, b = a] = p.split('-');
    return { first: Number(a), last: Number(b) };
  });
}

export const same: PortMapping = { kind: 'same' };
export const toPort = (port: number): PortMapping => ({ kind: 'port', port });
export const shift = (first: number, last: number): PortMapping => ({ kind: 'shift', first, last });

type Common = { line?: number; sources?: string[] | null; log?: boolean; comment?: string | null };
const common = (c: Common, family: Prefix['family']) => ({
  origin: origin(c.line ?? 1),
  family,
  sources: c.sources ? c.sources.map(prefix) : null,
  log: c.log ?? false,
  comment: c.comment ?? null,
});

/** A forward on an interface (or `{ address }`) ingress. */
export function forward(
  o: Common & {
    protocol?: 'tcp' | 'udp';
    ingress?: Interface | string;
    ports: PortRange[];
    target: string;
    mapping?: PortMapping;
    reflect?: Interface[] | null;
    tier?: number;
  },
): PortForward {
  const target = prefix(o.target);
  const ingress = o.ingress ?? wan;
  return {
    kind: 'forward',
    ...common(o, target.family),
    protocol: o.protocol ?? 'tcp',
    ingress: typeof ingress === 'string' ? { kind: 'address', address: prefix(ingress) } : { kind: 'interface', iface: ingress },
    ports: o.ports,
    target,
    mapping: o.mapping ?? same,
    reflect: o.reflect ? { via: o.reflect } : null,
    tier: o.tier ?? 0,
  };
}

/** A redirect; `ingress: null` = every interface. */
export function redirect(
  o: Common & { protocol?: 'tcp' | 'udp'; family?: 'ipv4' | 'ipv6'; ingress?: Interface | string | null; ports: PortRange[]; mapping: PortMapping },
): PortRedirect {
  const ingress = o.ingress === undefined ? wan : o.ingress;
  return {
    kind: 'redirect',
    ...common(o, o.family ?? 'ipv4'),
    protocol: o.protocol ?? 'tcp',
    ingress: ingress === null ? null : typeof ingress === 'string' ? { kind: 'address', address: prefix(ingress) } : { kind: 'interface', iface: ingress },
    ports: o.ports,
    mapping: o.mapping,
    tier: 0,
  };
}

/** A pinhole. */
export function allow(o: Common & { protocol?: 'tcp' | 'udp'; ingress?: Interface; target: string; ports: PortRange[] }): Pinhole {
  const target = prefix(o.target);
  return { kind: 'allow', ...common(o, target.family), protocol: o.protocol ?? 'tcp', ingress: o.ingress ?? wan, target, ports: o.ports };
}

/** A masquerade from an interface or from addresses. */
export function masquerade(o: { line?: number; source: Interface | string[]; egress?: Interface; family?: 'ipv4' | 'ipv6' }): Masquerade {
  return {
    kind: 'masquerade',
    origin: origin(o.line ?? 1),
    family: o.family ?? 'ipv4',
    source: Array.isArray(o.source) ? { kind: 'addresses', prefixes: o.source.map(prefix) } : { kind: 'interface', iface: o.source },
    egress: o.egress ?? wan,
  };
}

/** A whole IR. */
export function ir(parts: Partial<Omit<Ir, 'source'>> & { source?: string }): Ir {
  return {
    source: parts.source ?? 'home.pf',
    interfaces: parts.interfaces ?? [wan, lan],
    forwards: parts.forwards ?? [],
    redirects: parts.redirects ?? [],
    allows: parts.allows ?? [],
    masquerades: parts.masquerades ?? [],
  };
}

/** The six canonical cases of bsd-reference.md §4, as IR. */
export const canonical: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F', Ir> = {
  A: ir({ forwards: [forward({ ports: ports('80'), target: '192.168.1.20', mapping: toPort(8080) })] }),
  B: ir({ forwards: [forward({ protocol: 'udp', ports: ports('27015-27030'), target: '192.168.1.40' })] }),
  C: ir({ forwards: [forward({ ports: ports('2222'), target: '192.168.1.5', mapping: toPort(22), sources: ['203.0.113.0/24'] })] }),
  D: ir({
    forwards: [
      forward({ protocol: 'tcp', ports: ports('5060'), target: '192.168.1.50' }),
      forward({ protocol: 'udp', ports: ports('5060'), target: '192.168.1.50' }),
    ],
  }),
  E: ir({ redirects: [redirect({ ports: ports('80'), mapping: toPort(8080) })] }),
  F: ir({ forwards: [forward({ ports: ports('80'), target: '192.168.1.20', mapping: toPort(8080), reflect: [lan] })] }),
};

export const dmz = iface('dmz', 'em2');

/** Every rule kind and option at once (IPv4 and IPv6), for whole-output checks. */
export const everything: Ir = ir({
  interfaces: [wan, lan, dmz],
  forwards: [
    forward({ line: 3, ingress: '198.51.100.10', ports: ports('25'), target: '192.168.1.25' }),
    forward({ line: 4, ports: ports('80'), target: '192.168.1.20', mapping: toPort(8080), comment: "web UI: it's #1" }),
    forward({ line: 5, ports: ports('443'), target: '192.168.1.20', reflect: [dmz, lan] }),
    forward({ line: 6, protocol: 'udp', ports: ports('27015-27030'), target: '192.168.1.40' }),
    forward({ line: 7, ports: ports('2222'), target: '192.168.1.5', mapping: toPort(22), sources: ['198.51.100.7', '203.0.113.0/24'], log: true }),
    forward({ line: 8, protocol: 'tcp', ports: ports('5060'), target: '192.168.1.50' }),
    forward({ line: 8, protocol: 'udp', ports: ports('5060'), target: '192.168.1.50' }),
    forward({ line: 9, ports: ports('8000', '8443'), target: '192.168.1.30', mapping: toPort(443) }),
    forward({ line: 10, ports: ports('10000-10009'), target: '192.168.1.60', mapping: shift(20000, 20009) }),
  ],
  redirects: [
    redirect({ line: 12, ports: ports('80'), mapping: toPort(8080), ingress: lan }),
    redirect({ line: 13, ports: ports('53'), protocol: 'udp', mapping: toPort(5353), ingress: null, log: true }),
    redirect({ line: 14, ports: ports('8000-8001'), mapping: shift(9000, 9001), ingress: '192.168.1.1', comment: 'dev' }),
    redirect({ line: 15, family: 'ipv6', ports: ports('80'), mapping: toPort(8080), ingress: dmz }),
  ],
  allows: [
    allow({ line: 17, target: '2001:db8::10', ports: ports('443') }),
    allow({ line: 18, target: '2001:db8::/64', ports: ports('22', '2000-2010'), sources: ['2001:db8:1::/48'], log: true, comment: 'admins' }),
  ],
  masquerades: [masquerade({ line: 20, source: lan }), masquerade({ line: 21, source: ['10.8.0.0/24'] })],
});
