/**
 * Addresses as numbers: parsing IPv4/IPv6 literals strictly, canonical text, and the interval
 * arithmetic that checks and lowering share (containment, overlap, CIDR covers of ranges).
 */

import ipaddr from 'ipaddr.js';
import type { Family, Prefix } from '../ir/model.js';

/** An address or network: `bits` has no host bits set. */
export interface Net {
  readonly family: Family;
  readonly bits: bigint;
  readonly length: number;
}

/** An inclusive interval of addresses of one family. */
export interface AddressInterval {
  readonly family: Family;
  readonly first: bigint;
  readonly last: bigint;
}

/** 32 or 128. */
export const widthOf = (family: Family): number => (family === 'ipv4' ? 32 : 128);

/** The interval a network covers. */
export function intervalOf(net: Net): AddressInterval {
  const hostBits = BigInt(widthOf(net.family) - net.length);
  return { family: net.family, first: net.bits, last: net.bits | ((1n << hostBits) - 1n) };
}

/** True for a single host (/32 or /128). */
export const isHost = (net: Net): boolean => net.length === widthOf(net.family);

/** Canonical address text without prefix: dotted quad, or RFC 5952 IPv6. */
export function addressText(family: Family, bits: bigint): string {
  if (family === 'ipv4') return [24n, 16n, 8n, 0n].map((s) => ((bits >> s) & 255n).toString()).join('.');
  const bytes: number[] = [];
  for (let s = 120n; s >= 0n; s -= 8n) bytes.push(Number((bits >> s) & 255n));
  return (ipaddr.fromByteArray(bytes) as ipaddr.IPv6).toRFC5952String();
}

/** The IR form of a network. */
export function toPrefix(net: Net): Prefix {
  const address = addressText(net.family, net.bits);
  return { family: net.family, address, length: net.length, text: isHost(net) ? address : `${address}/${net.length}` };
}

/** Parses a literal as written (`192.168.1.0/24`, `[2001:db8::/64]`); on failure, says why. */
export function parseAddress(kind: 'ipv4' | 'ipv6', text: string): { net: Net } | { error: string } {
  return kind === 'ipv4' ? parseIPv4(text) : parseIPv6(text);
}

function splitPrefix(text: string, max: number): { addr: string; length: number } | { error: string } {
  const slash = text.indexOf('/');
  if (slash < 0) return { addr: text, length: max };
  const digits = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(digits) || Number(digits) > max)
    return { error: `Invalid prefix length '/${digits.slice(0, 20)}': it must be 0 to ${max}.` };
  return { addr: text.slice(0, slash), length: Number(digits) };
}

function withPrefix(family: Family, bits: bigint, length: number, text: string): { net: Net } | { error: string } {
  const hostMask = (1n << BigInt(widthOf(family) - length)) - 1n;
  if ((bits & hostMask) !== 0n) {
    const network = addressText(family, bits & ~hostMask);
    const shown = family === 'ipv4' ? `${network}/${length}` : `[${network}/${length}]`;
    return { error: `Host bits are set in '${text}': the network is '${shown}'.` };
  }
  return { net: { family, bits, length } };
}

function parseIPv4(text: string): { net: Net } | { error: string } {
  const parts = splitPrefix(text, 32);
  if ('error' in parts) return parts;
  const octets = parts.addr.split('.');
  if (octets.length !== 4) return { error: `Invalid IPv4 address '${text.slice(0, 40)}': it needs four numbers separated by dots.` };
  let bits = 0n;
  for (const o of octets) {
    if (/^0[0-9]/.test(o)) return { error: `Invalid IPv4 address '${text}': the leading zero in '${o}' is ambiguous (octal or decimal).` };
    if (o.length > 3 || Number(o) > 255) return { error: `Invalid IPv4 address '${text.slice(0, 40)}': '${o.slice(0, 20)}' is not a number from 0 to 255.` };
    bits = (bits << 8n) | BigInt(o);
  }
  return withPrefix('ipv4', bits, parts.length, text);
}

function parseIPv6(bracketed: string): { net: Net } | { error: string } {
  const text = bracketed.slice(1, -1);
  const shown = bracketed.length > 50 ? `${bracketed.slice(0, 47)}...` : bracketed;
  if (text.includes('%')) return { error: `Invalid IPv6 address '${shown}': zone ids ('%') are not accepted; a forward names an interface instead.` };
  const parts = splitPrefix(text, 128);
  if ('error' in parts) return parts;
  if (!/^[0-9A-Fa-f:.]+$/.test(parts.addr) || !ipaddr.IPv6.isValid(parts.addr)) return { error: `Invalid IPv6 address '${shown}'.` };
  const addr = ipaddr.IPv6.parse(parts.addr);
  if (addr.isIPv4MappedAddress())
    return { error: `IPv4-mapped IPv6 address '${shown}' is not accepted: write the IPv4 address '${addr.toIPv4Address().toString()}'.` };
  let bits = 0n;
  for (const b of addr.toByteArray()) bits = (bits << 8n) | BigInt(b);
  return withPrefix('ipv6', bits, parts.length, bracketed);
}

/** The smallest list of CIDR networks that covers exactly first..last. */
export function cidrCover(interval: AddressInterval): Net[] {
  const width = widthOf(interval.family);
  const out: Net[] = [];
  let first = interval.first;
  while (first <= interval.last) {
    let size = 0;
    while (size < width) {
      const next = size + 1;
      const block = 1n << BigInt(next);
      if ((first & (block - 1n)) !== 0n || first + block - 1n > interval.last) break;
      size = next;
    }
    out.push({ family: interval.family, bits: first, length: width - size });
    first += 1n << BigInt(size);
  }
  return out;
}

/** Sorts intervals of one family and merges overlapping or adjacent ones. */
export function mergeIntervals(list: readonly AddressInterval[]): AddressInterval[] {
  const sorted = [...list].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: AddressInterval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && iv.first <= last.last + 1n) {
      if (iv.last > last.last) out[out.length - 1] = { ...last, last: iv.last };
    } else out.push(iv);
  }
  return out;
}
