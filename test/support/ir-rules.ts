/**
 * Test support: builds IR rules by hand (no front end) for the Linux backend tests. Every rule
 * gets the next line of "t.pf" as its origin, so trace tags are predictable within one file.
 */

import ipaddr from 'ipaddr.js';
import type { Interface, Ir, Masquerade, Pinhole, PortForward, PortMapping, PortRange, PortRedirect, Prefix, Protocol } from '../../src/ir/model.js';

let line = 0;

/** The next origin: `t.pf:1`, `t.pf:2`, ... */
export const origin = () => {
  line += 1;
  return { file: 't.pf', line, span: { start: line * 100, end: line * 100 + 10 }, tag: `t.pf:${line}` };
};

/** `192.168.1.0/24` or `2001:db8::1` as an IR prefix. */
export const prefix = (text: string): Prefix => {
  const [address = '', len] = text.split('/');
  const family = ipaddr.parse(address).kind() === 'ipv4' ? 'ipv4' : 'ipv6';
  const length = len === undefined ? (family === 'ipv4' ? 32 : 128) : Number(len);
  return { family, address, length, text };
};

/** An interface with subnets. */
export const iface = (name: string, device: string, ...subnets: string[]): Interface => ({ name, device, subnets: subnets.map(prefix) });

/** `80,8000-8010` as port ranges. */
export const ports = (text: string): PortRange[] =>
  text.split(',').map((p) => {
    const [a, b = a] = p.split('-').map(Number);
    return { first: a ?? 0, last: b ?? 0 };
  });

/** The parts of a rule a test chooses; the rest gets defaults. */
export interface RuleSpec {
  proto?: Protocol;
  ports: string;
  from?: string[];
  log?: boolean;
  comment?: string;
  mapping?: PortMapping;
  tier?: number;
}

const base = (s: RuleSpec, family: 'ipv4' | 'ipv6') => ({
  origin: origin(),
  family,
  protocol: s.proto ?? 'tcp',
  sources: s.from ? s.from.map(prefix) : null,
  log: s.log ?? false,
  comment: s.comment ?? null,
  ports: ports(s.ports),
  mapping: s.mapping ?? { kind: 'same' },
  tier: s.tier ?? 0,
});

/** A forward on an interface, or on a router address given as text. */
export const forward = (on: Interface | string, to: string, s: RuleSpec & { reflect?: Interface[] }): PortForward => {
  const target = prefix(to);
  return {
    ...base(s, target.family),
    kind: 'forward',
    ingress: typeof on === 'string' ? { kind: 'address', address: prefix(on) } : { kind: 'interface', iface: on },
    target,
    reflect: s.reflect ? { via: s.reflect } : null,
  };
};

/** A redirect on an interface, a router address, or every interface (null). */
export const redirect = (on: Interface | string | null, s: RuleSpec & { family?: 'ipv4' | 'ipv6' }): PortRedirect => ({
  ...base(s, s.family ?? (typeof on === 'string' ? prefix(on).family : 'ipv4')),
  kind: 'redirect',
  ingress: on === null ? null : typeof on === 'string' ? { kind: 'address', address: prefix(on) } : { kind: 'interface', iface: on },
});

/** An allow (pinhole). */
export const allow = (on: Interface, to: string, s: RuleSpec): Pinhole => {
  const { mapping: _m, tier: _t, ...rest } = base(s, prefix(to).family);
  return { ...rest, kind: 'allow', ingress: on, target: prefix(to) };
};

/** A masquerade from an interface or from networks. */
export const masq = (from: Interface | string[], egress: Interface): Masquerade => ({
  kind: 'masquerade',
  origin: origin(),
  family: Array.isArray(from) ? prefix(from[0] ?? '').family : 'ipv4',
  source: Array.isArray(from) ? { kind: 'addresses', prefixes: from.map(prefix) } : { kind: 'interface', iface: from },
  egress,
});

/** A whole IR with these interfaces and the given rules. */
export const irOf =
  (interfaces: Interface[]) =>
  (parts: Partial<Ir>): Ir => ({ source: 't.pf', interfaces, forwards: [], redirects: [], allows: [], masquerades: [], ...parts });

/** Port mappings. */
export const port = (p: number): PortMapping => ({ kind: 'port', port: p });
export const shift = (first: number, last: number): PortMapping => ({ kind: 'shift', first, last });
