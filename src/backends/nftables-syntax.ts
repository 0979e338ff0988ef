/**
 * Backend nftables, part three: nft syntax for values. The one string-quoting function, ports,
 * anonymous sets, the family names and the lines of map and set elements. Every function takes
 * validated IR values (or text it quotes itself) and returns nft text.
 */

import type { Family, PortRange } from '../ir/model.js';
import type { TextBlock } from './text-block.js';

/**
 * The elements of a map or set as text (a TextBlock): one line per element,
 * `\t\t\tKEY comment "C" : DATA,\n`, indented for its place in templates/nftables.nft.hbs. Every
 * part is a validated value (addresses and ports from the IR, protocols, strings quoted by
 * nftString). Never empty: a map or set exists only with elements.
 */
export type NftElementLines = string;

/** What every rule of one family needs to name its family in nft. */
export interface NftFamily {
  /** `meta nfproto` value. */
  readonly nfproto: 'ipv4' | 'ipv6';
  /** Payload protocol for `daddr`/`saddr` and `dnat … to`. */
  readonly ip: 'ip' | 'ip6';
  /** Address data type in set and map declarations. */
  readonly addrType: 'ipv4_addr' | 'ipv6_addr';
}

const printable = /^[\x20-\x7e]*$/;

/**
 * The one place that quotes text for nft: comments, log prefixes, interface names. The front end
 * validates comments and devices; anything else outside printable ASCII, `"` or `\` becomes `_`
 * (file names reach us through trace tags). nft keeps at most 128 characters of a comment.
 */
export function nftString(text: string, max = 128): string {
  const safe = text.replace(/[^\x20-\x7e]|["\\]/g, '_').slice(0, max);
  return `"${safe}"`;
}

/** Header text for a `#` comment line: printable ASCII only. */
export function headerText(text: string): string {
  return printable.test(text) ? text : text.replace(/[^\x20-\x7e]/g, '?');
}

/** `80` or `1000-2000`. */
export function portText(range: PortRange): string {
  return range.first === range.last ? `${range.first}` : `${range.first}-${range.last}`;
}

/** An anonymous set: `{ 80, 1000-2000 }`. */
export function anonymousSet(items: readonly string[]): string {
  return `{ ${items.join(', ')} }`;
}

/** The nft names of one family. */
export function familyOf(family: Family): NftFamily {
  return family === 'ipv4' ? { nfproto: 'ipv4', ip: 'ip', addrType: 'ipv4_addr' } : { nfproto: 'ipv6', ip: 'ip6', addrType: 'ipv6_addr' };
}

/** Trace comment: origin tag plus the user's comment. */
export function traceComment(rule: { origin: { tag: string }; comment: string | null }): string {
  return nftString(rule.comment === null ? rule.origin.tag : `${rule.origin.tag} ${rule.comment}`);
}

/** One element line: key, trace comment, and map data when `data` is not null. */
export function elementLine(key: string, comment: string, data: string | null): string {
  return data === null ? `\t\t\t${key} comment ${comment},\n` : `\t\t\t${key} comment ${comment} : ${data},\n`;
}

/**
 * Appends an element line in pieces, `elementLine` without making the line: `head` is `\t\t\t`
 * and the key up to the port, then ` . SOURCE` when `source` is not null.
 */
export function addElementLine(block: TextBlock, head: string, port: string, source: string | null, comment: string, data: string | null): void {
  block.add(head);
  block.add(port);
  if (source !== null) {
    block.add(' . ');
    block.add(source);
  }
  block.add(' comment ');
  block.add(comment);
  if (data !== null) {
    block.add(' : ');
    block.add(data);
  }
  block.add(',\n');
}
