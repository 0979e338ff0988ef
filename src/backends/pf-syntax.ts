/**
 * pf.conf(5) syntax for the pf and pf-legacy backends: the one place that quotes strings, the
 * formatters for families, addresses, ports and labels, and the text of one rule (its `#` trace
 * line and the rule line, clauses in pf.conf(5) order). Takes IR values, returns text. Pure.
 */

import type { Family, PortMapping, PortRange, Prefix } from '../ir/model.js';

/** pf.conf(5) af: `inet` | `inet6`. */
export function pfFamily(family: Family): string {
  return family === 'ipv4' ? 'inet' : 'inet6';
}

/** pf.conf(5) host list: one item bare, several in braces. */
export function pfList(items: readonly string[]): string {
  return items.length === 1 ? (items[0] as string) : `{ ${items.join(', ')} }`;
}

/** Allowed sources: `any` for null, else the prefixes (pfctl expands lists). */
export function pfSources(sources: readonly Prefix[] | null): string {
  return sources === null ? 'any' : pfList(sources.map((p) => p.text));
}

/** pf.conf(5) port: binary-op `:` is an inclusive range (`port 2000:2004`). */
export function pfPortRange(r: PortRange): string {
  return r.first === r.last ? String(r.first) : `${r.first}:${r.last}`;
}

/** pf.conf(5) port list: `80`, `{ 80, 443, 8000:8010 }`. */
export function pfPorts(ports: readonly PortRange[]): string {
  return pfList(ports.map(pfPortRange));
}

/**
 * pf.conf(5) TRANSLATION portspec after rdr-to / `->`: none keeps the port (OBSD-FAQ rule #1),
 * `port P` sends every port to P, `port F:*` maps a range 1:1 (never `F*`).
 */
export function pfPortspec(mapping: PortMapping): string {
  if (mapping.kind === 'same') return '';
  if (mapping.kind === 'port' || mapping.first === mapping.last) {
    return ` port ${mapping.kind === 'port' ? mapping.port : mapping.first}`;
  }
  return ` port ${mapping.first}:*`;
}

/** The destination ports after translation (what a rule on the translated packet matches). */
export function pfTranslatedPorts(ports: readonly PortRange[], mapping: PortMapping): string {
  if (mapping.kind === 'same') return pfPorts(ports);
  if (mapping.kind === 'port') return String(mapping.port);
  return pfPortRange({ first: mapping.first, last: mapping.last });
}

/** PF_RULE_LABEL_SIZE is 64 bytes with the NUL: labels hold at most 63 characters. */
export const PF_LABEL_MAX = 63;

const printable = /^[\x20-\x7e]*$/;

/** The one place pf strings are quoted. Comments are validated: no `"`, no `\`, printable. */
export function pfQuote(text: string): string {
  if (!printable.test(text) || /["\\]/.test(text)) throw new Error(`pf: unquotable '${text}'`);
  return `"${text}"`;
}

/** pf.conf(5) label: the user's comment, cut to PF_LABEL_MAX (the `#` trace line keeps it whole); '' for none. */
export function pfLabel(comment: string | null): string {
  return comment === null ? '' : pfQuote(comment.slice(0, PF_LABEL_MAX));
}

/** The `#` line above each rule: `home.pf:12` or `home.pf:12: web UI`. */
export function pfTrace(rule: { origin: { tag: string }; comment?: string | null }): string {
  return rule.comment ? `${rule.origin.tag}: ${rule.comment}` : rule.origin.tag;
}

/** One pf rule, every clause already formatted; '' (or false) leaves a clause out. */
export interface PfRule {
  /** Text of the `#` line above the rule: trace tag and full comment. */
  readonly trace: string;
  /** `pass in`, `pass out`, `match out`, `rdr pass`, `nat`. */
  readonly action: string;
  readonly log: boolean;
  readonly quick: boolean;
  /** The device (`em0`) the rule is `on`. */
  readonly iface: string;
  /** `inet` or `inet6`. */
  readonly family: string;
  /** `tcp`, `udp` or `{ tcp, udp }`. */
  readonly protocols: string;
  /** Source host or list: `any`, `203.0.113.0/24`, `{ a, b }`, `em1:network`. */
  readonly from: string;
  /** Destination host: `(em0)`, `self`, `192.168.1.20`, `any`. */
  readonly to: string;
  /** Destination ports: `80`, `27015:27030`, `{ 80, 443 }`. */
  readonly ports: string;
  /** pf (OpenBSD) only: the old grammar has no received-on. */
  readonly receivedOn: string;
  /** `rdr-to 192.168.1.20 port 8080`, `nat-to (em1)`, `-> 192.168.1.20 port 8080`. */
  readonly translation: string;
  /** Quoted label: `"web UI"`. */
  readonly label: string;
}

/** A rule with every optional clause off, then the given ones. */
export function pfRule(fields: Partial<PfRule> & Pick<PfRule, 'trace' | 'action' | 'family'>): PfRule {
  return {
    trace: fields.trace,
    action: fields.action,
    log: fields.log ?? false,
    quick: fields.quick ?? false,
    iface: fields.iface ?? '',
    family: fields.family,
    protocols: fields.protocols ?? '',
    from: fields.from ?? 'any',
    to: fields.to ?? 'any',
    ports: fields.ports ?? '',
    receivedOn: fields.receivedOn ?? '',
    translation: fields.translation ?? '',
    label: fields.label ?? '',
  };
}

/**
 * The text of one rule: `# TRACE` and the rule line, each ending in a newline, clauses in the
 * order of pf.conf(5): action [log] [quick] [on IF] af [proto P] from SRC to DST [port P]
 * [received-on IF] [translation] [label L]. Every value comes from the formatters above.
 */
export function pfRuleText(r: PfRule): string {
  let line = r.action;
  if (r.log) line += ' log';
  if (r.quick) line += ' quick';
  if (r.iface !== '') line += ` on ${r.iface}`;
  line += ` ${r.family}`;
  if (r.protocols !== '') line += ` proto ${r.protocols}`;
  line += ` from ${r.from} to ${r.to}`;
  if (r.ports !== '') line += ` port ${r.ports}`;
  if (r.receivedOn !== '') line += ` received-on ${r.receivedOn}`;
  if (r.translation !== '') line += ` ${r.translation}`;
  if (r.label !== '') line += ` label ${r.label}`;
  return `# ${r.trace}\n${line}\n`;
}
