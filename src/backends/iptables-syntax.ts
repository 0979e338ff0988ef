/**
 * iptables-restore(8) syntax for the iptables and ip6tables backends: the one place that quotes
 * text, and the formatters for addresses, ports and NAT targets. Takes IR values, returns
 * strings ready for templates/iptables.rules.hbs. Pure.
 */

import type { Family, PortRange, Prefix, Protocol } from '../ir/model.js';
import type { IptablesRule } from './iptables-builder.js';

/** xt_comment(8): a comment holds at most 255 characters (256 with the terminating NUL). */
const COMMENT_MAX = 255;
/** iptables-extensions(8) LOG: "--log-prefix prefix ... up to 29 letters long". */
const LOG_PREFIX_MAX = 29;
/** iptables-extensions(8) multiport: "Up to 15 ports can be specified. A port range counts as two". */
const MULTIPORT_MAX = 15;

/** Text made safe for a line of iptables-restore input: printable ASCII, no `"` and no `\`. */
export function plainText(text: string): string {
  return text.replace(/[^\x20-\x7e]|["\\]/g, '_');
}

/**
 * The one place that quotes text for iptables-restore: a double-quoted word. The front end
 * validates comments and devices; file names reach rules through trace tags, so anything
 * outside printable ASCII, `"` and `\` becomes `_` (iptables before 1.6 has no escapes). A
 * quoted word is one argument, so a comment can neither break the line nor add an option.
 */
export function quote(text: string, max = COMMENT_MAX): string {
  return `"${plainText(text).slice(0, max)}"`;
}

/** Trace comment of a rule: origin tag and the user's comment, `"home.pf:12 web UI"`. */
export function traceComment(rule: { origin: { tag: string }; comment: string | null }): string {
  return quote(rule.comment === null ? rule.origin.tag : `${rule.origin.tag} ${rule.comment}`);
}

/** `--log-prefix` of a rule: `"pfc home.pf:12 "`, the tag's end kept when it is too long. */
export function logPrefix(tag: string): string {
  const room = LOG_PREFIX_MAX - 'pfc  '.length;
  const safe = plainText(tag);
  return quote(`pfc ${safe.length > room ? safe.slice(safe.length - room) : safe} `);
}

/** An address match (`-s`, `-d`): always with its length, as iptables-save prints it. */
export function prefixText(p: Prefix): string {
  return `${p.address}/${p.length}`;
}

/** A port or range in a match: `80`, `1000:2000` (iptables-extensions(8) tcp --dport). */
export function portMatchText(r: PortRange): string {
  return r.first === r.last ? `${r.first}` : `${r.first}:${r.last}`;
}

/** A port or range in a NAT target: `80`, `1000-2000` (iptables-extensions(8) DNAT). */
export function portNatText(r: PortRange): string {
  return r.first === r.last ? `${r.first}` : `${r.first}-${r.last}`;
}

/**
 * Destination port matches for a sorted port list: one `-m tcp --dport X` for a single range,
 * else `-m multiport --dports` split into groups of at most 15 ports (a range counts two).
 */
export function portMatches(protocol: Protocol, ports: readonly PortRange[]): string[] {
  const only = ports.length === 1 ? ports[0] : undefined;
  if (only) return [`-m ${protocol} --dport ${portMatchText(only)}`];
  const groups: string[][] = [];
  let current: string[] = [];
  let weight = 0;
  for (const r of ports) {
    const w = r.first === r.last ? 1 : 2;
    if (weight + w > MULTIPORT_MAX) {
      groups.push(current);
      current = [];
      weight = 0;
    }
    current.push(portMatchText(r));
    weight += w;
  }
  if (current.length > 0) groups.push(current);
  return groups.map((g) => `-m multiport --dports ${g.join(',')}`);
}

/**
 * A DNAT `--to-destination` value. `ports` is a NAT port text or null to keep the port; an
 * IPv6 address takes brackets when a port follows (ip6tables DNAT `[addr]:port`). A null
 * address keeps the destination address (iptables-extensions(8) DNAT: the address is optional).
 */
export function natDestination(family: Family, address: string | null, ports: string | null): string {
  if (address === null) return `:${ports ?? ''}`;
  if (ports === null) return address;
  return family === 'ipv6' ? `[${address}]:${ports}` : `${address}:${ports}`;
}

/** A rule's line of iptables-restore input, ending in a newline. */
export function ruleLine(r: IptablesRule): string {
  return `-A ${r.chain} ${r.match} -m comment --comment ${r.comment} -j ${r.jump}\n`;
}
