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

/** The host-bit mask of every prefix length, by family: built once, as every mask is a bigint allocation. */
const hostMasks: Readonly<Record<Family, readonly bigint[]>> = {
  ipv4: Array.from({ length: 33 }, (_, length) => (1n << BigInt(32 - length)) - 1n),
  ipv6: Array.from({ length: 129 }, (_, length) => (1n << BigInt(128 - length)) - 1n),
};

/** The mask of the host bits of a prefix length (0 to the family's width). */
const hostMask = (family: Family, length: number): bigint => hostMasks[family][length] ?? (1n << BigInt(widthOf(family) - length)) - 1n;

/** The interval a network covers. */
export function intervalOf(net: Net): AddressInterval {
  return { family: net.family, first: net.bits, last: net.bits | hostMask(net.family, net.length) };
}

/** True for a single host (/32 or /128). */
export const isHost = (net: Net): boolean => net.length === widthOf(net.family);

/** The text of every octet, and of every octet followed by a dot. */
const octets = Array.from({ length: 256 }, (_, i) => String(i));
const octetsDot = octets.map((o) => `${o}.`);

/** Canonical address text without prefix: dotted quad, or RFC 5952 IPv6. */
export function addressText(family: Family, bits: bigint): string {
  if (family === 'ipv4') {
    // An IPv4 address fits in a double: one conversion instead of eight bigint operations, and
    // three joins of ready-made octet texts instead of seven (each join is a new string).
    const n = Number(bits);
    return octetsDot[n >>> 24]! + octetsDot[(n >>> 16) & 255]! + octetsDot[(n >>> 8) & 255]! + octets[n & 255]!;
  }
  return ipv6Text(bits);
}

/**
 * RFC 5952 text of an IPv6 address, as ipaddr.js's toRFC5952String writes it (lower-case groups
 * without leading zeros, the longest run of two or more zero groups as `::`, the leftmost of equal
 * runs), from one hex conversion instead of sixteen bigint shifts and a regex.
 */
function ipv6Text(bits: bigint): string {
  const hex = bits.toString(16).padStart(32, '0');
  const groups: string[] = [];
  let bestStart = -1;
  let bestLength = 1;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    const group = Number.parseInt(hex.slice(i * 4, i * 4 + 4), 16);
    groups.push(group.toString(16));
    if (group !== 0) runStart = -1;
    else {
      if (runStart < 0) runStart = i;
      if (i - runStart + 1 > bestLength) {
        bestStart = runStart;
        bestLength = i - runStart + 1;
      }
    }
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
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
  const mask = hostMask(family, length);
  if ((bits & mask) !== 0n) {
    const network = addressText(family, bits & ~mask);
    const shown = family === 'ipv4' ? `${network}/${length}` : `[${network}/${length}]`;
    return { error: `Host bits are set in '${text}': the network is '${shown}'.` };
  }
  return { net: { family, bits, length } };
}

/**
 * The common case of an IPv4 literal, read in one pass with number arithmetic: four decimal
 * octets without leading zeros, an optional canonical prefix length, no host bits set. Null for
 * anything else, which parseIPv4 then reads (and explains) the careful way.
 */
function quickIPv4(text: string): Net | null {
  let value = 0;
  let octets = 0;
  let i = 0;
  const end = text.length;
  while (octets < 4) {
    const start = i;
    let octet = 0;
    for (let c = text.charCodeAt(i); c >= 48 && c <= 57 && i - start < 3; c = text.charCodeAt(++i)) octet = octet * 10 + (c - 48);
    const digits = i - start;
    if (digits === 0 || octet > 255 || (digits > 1 && text.charCodeAt(start) === 48)) return null;
    value = value * 256 + octet;
    octets++;
    if (octets < 4) {
      if (text.charCodeAt(i) !== 46) return null;
      i++;
    }
  }
  let length = 32;
  if (i < end) {
    if (text.charCodeAt(i) !== 47 || end - i < 2 || end - i > 3) return null;
    length = 0;
    for (let j = i + 1; j < end; j++) {
      const c = text.charCodeAt(j);
      if (c < 48 || c > 57) return null;
      length = length * 10 + (c - 48);
    }
    if (length > 32 || (end - i === 3 && text.charCodeAt(i + 1) === 48)) return null;
    if (value % 2 ** (32 - length) !== 0) return null;
  }
  return { family: 'ipv4', bits: BigInt(value), length };
}

function parseIPv4(text: string): { net: Net } | { error: string } {
  const quick = quickIPv4(text);
  if (quick) return { net: quick };
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

/** The value of a hex digit's character code, or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * The common case of an IPv6 address, read in one pass: groups of one to four hex digits, eight
 * of them or fewer around one `::`, no dotted IPv4 tail, not IPv4-mapped. Null for anything
 * else, which parseIPv6 then leaves to ipaddr.js (and explains).
 */
function quickIPv6(text: string): bigint | null {
  const groups: number[] = [];
  let gap = -1; // where `::` stands, as an index into groups
  let i = 0;
  const end = text.length;
  if (text.startsWith('::')) {
    gap = 0;
    i = 2;
  }
  while (i < end) {
    let group = 0;
    const start = i;
    for (let d = hexDigit(text.charCodeAt(i)); d >= 0 && i - start < 5; d = hexDigit(text.charCodeAt(++i))) group = group * 16 + d;
    if (i === start || i - start > 4) return null;
    groups.push(group);
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return null;
    i++;
    if (text.charCodeAt(i) === 58) {
      if (gap >= 0) return null;
      gap = groups.length;
      i++;
    } else if (i === end) return null;
  }
  if (gap < 0 ? groups.length !== 8 : groups.length > 7) return null;
  if (gap >= 0) groups.splice(gap, 0, ...new Array<number>(8 - groups.length).fill(0));
  // ::ffff:0:0/96 is refused with its own message by the careful path.
  if (groups[5] === 0xffff && groups.slice(0, 5).every((g) => g === 0)) return null;
  return BigInt(`0x${groups.map((g) => g.toString(16).padStart(4, '0')).join('')}`);
}

function parseIPv6(bracketed: string): { net: Net } | { error: string } {
  const text = bracketed.slice(1, -1);
  const shown = bracketed.length > 50 ? `${bracketed.slice(0, 47)}...` : bracketed;
  if (text.includes('%')) return { error: `Invalid IPv6 address '${shown}': zone ids ('%') are not accepted; a forward names an interface instead.` };
  const parts = splitPrefix(text, 128);
  if ('error' in parts) return parts;
  const quick = quickIPv6(parts.addr);
  if (quick !== null) return withPrefix('ipv6', quick, parts.length, bracketed);
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
  if (interval.family === 'ipv4') return cidrCoverIPv4(Number(interval.first), Number(interval.last));
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

/** cidrCover for IPv4, in doubles (exact below 2^53): the bigint loop allocates on every step. */
function cidrCoverIPv4(from: number, last: number): Net[] {
  const out: Net[] = [];
  let first = from;
  while (first <= last) {
    let size = 0;
    while (size < 32) {
      const block = 2 ** (size + 1);
      if (first % block !== 0 || first + block - 1 > last) break;
      size++;
    }
    out.push({ family: 'ipv4', bits: BigInt(first), length: 32 - size });
    first += 2 ** size;
  }
  return out;
}

/** Orders networks of one family by their first address. */
export const byBits = (a: Net, b: Net): number => (a.bits < b.bits ? -1 : a.bits > b.bits ? 1 : 0);

/**
 * True when IPv4 networks sorted byBits neither overlap nor touch (a gap after each): merging
 * their intervals would leave them as they are. In doubles (exact below 2^53), not bigints.
 */
export function ipv4NetsApart(sorted: readonly Net[]): boolean {
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1]!;
    // The address just after the network before: this one must start beyond it.
    const after = Number(before.bits) + 2 ** (32 - before.length);
    if (Number(sorted[i]!.bits) <= after) return false;
  }
  return true;
}

/** Sorts intervals of one family and merges overlapping or adjacent ones. */
export function mergeIntervals(list: readonly AddressInterval[]): AddressInterval[] {
  if (list.length < 2) return [...list];
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
