/**
 * The IR: the backend-neutral rule set, the contract between the front end and the backends.
 * Built by ir/lower.ts from a checked file; every name is bound, every port and address parsed,
 * every rule split to one family and one protocol, and every list in evaluation order.
 */

import type { Span } from '../diagnostics/diagnostic.js';

/** Address family. */
export type Family = 'ipv4' | 'ipv6';

/** Transport protocol. `tcp/udp` in the language becomes two IR rules. */
export type Protocol = 'tcp' | 'udp';

/** An address or network in canonical text form. Host bits are never set. */
export interface Prefix {
  readonly family: Family;
  /** Canonical address text: `192.168.1.0`, `2001:db8::10` (RFC 5952 form, no brackets). */
  readonly address: string;
  /** Prefix length: 0..32 or 0..128. A host has 32 or 128. */
  readonly length: number;
  /** `address` for a host, `address/length` for a network. */
  readonly text: string;
}

/** An inclusive port range; a single port has first === last. */
export interface PortRange {
  readonly first: number;
  readonly last: number;
}

/** A declared interface. `device` has been checked against [A-Za-z0-9_.-]{1,15}. */
export interface Interface {
  readonly name: string;
  readonly device: string;
  /** The networks declared behind it (`subnet`), sorted; empty when none were declared. */
  readonly subnets: readonly Prefix[];
}

/** Where translated traffic arrives: on an interface, or addressed to one router address. */
export type Ingress = { readonly kind: 'interface'; readonly iface: Interface } | { readonly kind: 'address'; readonly address: Prefix };

/**
 * How matched destination ports become target ports.
 * - `same`: the port is kept (target ports omitted in the source).
 * - `port`: every matched port goes to `port`.
 * - `shift`: the rule has exactly one port range, mapped 1:1 onto first..last (same size).
 */
export type PortMapping =
  | { readonly kind: 'same' }
  | { readonly kind: 'port'; readonly port: number }
  | { readonly kind: 'shift'; readonly first: number; readonly last: number };

/** Where a rule came from, for trace tags and diagnostics. */
export interface Origin {
  /** File name as shown to the user: relative to the main file's directory, never absolute. */
  readonly file: string;
  /** 1-based line of the statement in `file`. */
  readonly line: number;
  /**
   * The statement's span in the compilation's source set: the main file starts at offset 0 and
   * each included file after the previous one, so spans of different files never collide.
   */
  readonly span: Span;
  /** A short trace tag for generated rules: `home.pf:12`. */
  readonly tag: string;
}

/** What every translating or filtering rule has. */
interface RuleBase {
  readonly origin: Origin;
  readonly family: Family;
  readonly protocol: Protocol;
  /**
   * Allowed sources, sorted and disjoint, all of `family`; `null` means any source.
   * Never an empty list.
   */
  readonly sources: readonly Prefix[] | null;
  readonly log: boolean;
  /** Validated: at most 64 printable ASCII characters, no `"` and no `\`. */
  readonly comment: string | null;
}

/**
 * Precedence among translating rules (forwards and redirects together) that can match the same
 * packet: rules on a router address first (their tiers come before all others), then among the
 * rest a narrower source set wins. Tier 0 is evaluated first; rules of one tier never match the
 * same packet, so a backend may put one tier in one map, and must evaluate tiers in ascending
 * order across forwards and redirects alike.
 */
export type Tier = number;

/** Hairpin: hosts behind `via` that connect to the router's ingress address reach the target. */
export interface Reflection {
  /** The other declared interfaces (not the ingress), sorted by name. Never empty. */
  readonly via: readonly Interface[];
}

/** `forward`: destination NAT to an internal host, plus the filter accept that goes with it. */
export interface PortForward extends RuleBase {
  readonly kind: 'forward';
  readonly ingress: Ingress;
  /** Matched destination ports, sorted and disjoint. */
  readonly ports: readonly PortRange[];
  /** A single host of `family`. */
  readonly target: Prefix;
  readonly mapping: PortMapping;
  readonly reflect: Reflection | null;
  readonly tier: Tier;
}

/** `redirect`: to a port on the router itself. `ingress` null means every interface. */
export interface PortRedirect extends RuleBase {
  readonly kind: 'redirect';
  readonly ingress: Ingress | null;
  readonly ports: readonly PortRange[];
  /** Never `same` when `ports` is a single port equal to the target; lowering keeps it as written. */
  readonly mapping: PortMapping;
  readonly tier: Tier;
}

/** `allow`: new connections arriving on `ingress` may reach target:ports, untranslated. */
export interface Pinhole extends RuleBase {
  readonly kind: 'allow';
  readonly ingress: Interface;
  /** A host or a network of `family`. */
  readonly target: Prefix;
  readonly ports: readonly PortRange[];
}

/** `masquerade`: connections from `source` leaving through `egress` take egress's address. */
export interface Masquerade {
  readonly kind: 'masquerade';
  readonly origin: Origin;
  readonly family: Family;
  /** An interface (packets that came in on it), or a list of networks of `family`. */
  readonly source: { readonly kind: 'interface'; readonly iface: Interface } | { readonly kind: 'addresses'; readonly prefixes: readonly Prefix[] };
  readonly egress: Interface;
}

/**
 * A whole checked rule set. Lists are in evaluation order: translating rules by tier, then
 * ingress (addresses before interfaces before "any"), then source order; the rest in source
 * order, IPv4 before IPv6 and tcp before udp for rules split from one statement.
 */
export interface Ir {
  /** The main file's name as the user gave it, without directories. */
  readonly source: string;
  /** Every declared interface, in declaration order. */
  readonly interfaces: readonly Interface[];
  readonly forwards: readonly PortForward[];
  readonly redirects: readonly PortRedirect[];
  readonly allows: readonly Pinhole[];
  readonly masquerades: readonly Masquerade[];
}
