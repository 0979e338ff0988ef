/**
 * ipfw(8) and sh(1) text for the ipfw target: the one place values are quoted or formatted for
 * the generated script. Used by the backend (src/backends/ipfw.ts) and its capability checks.
 */

import type { PortRange, Prefix } from '../ir/model.js';

/** The one place ipfw.sh quotes text for sh(1): single quotes, `'` as `'\''`. */
export function shQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** ipfw(8) addr-list: `any`, `203.0.113.0/24`, `a,b` (commas, no spaces). */
export function ipfwAddresses(list: readonly Prefix[] | null): string {
  return list === null ? 'any' : list.map((p) => p.text).join(',');
}

/** One port or inclusive range: `80`, `8000-8009` (ipfw(8) ports and natd's redirect_port alike). */
export const ipfwPortRange = (r: PortRange): string => (r.first === r.last ? `${r.first}` : `${r.first}-${r.last}`);

/** ipfw(8) ports: "separated by commas but no spaces", `-` for an inclusive range. */
export function ipfwPorts(ports: readonly PortRange[]): string {
  return ports.map(ipfwPortRange).join(',');
}

/** Every port of a list of ranges, in order: for what one ipfw(8) rule cannot map by range. */
export function eachPort(ports: readonly PortRange[]): number[] {
  return ports.flatMap((r) => Array.from({ length: r.last - r.first + 1 }, (_, i) => r.first + i));
}
