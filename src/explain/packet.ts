/**
 * The packet of `pfc explain --packet`: `PROTO SRC[:SPORT] -> DST:DPORT [on IFACE]`, parsed into
 * values. DST is an interface name (the router's own address on it) or an address; addresses
 * are written as in pfc (IPv6 in brackets); ports are numbers or service names.
 */

import type { Protocol } from '../ir/model.js';
import { type Net, parseAddress } from '../net/address.js';
import { services } from '../resolve/services.js';

/** Where the packet is sent. */
export type PacketDestination = { readonly kind: 'interface'; readonly name: string } | { readonly kind: 'address'; readonly net: Net };

/** A packet as the user described it; interface names are not bound yet. */
export interface PacketSpec {
  readonly protocol: Protocol;
  readonly source: Net;
  readonly sourcePort: number | null;
  readonly destination: PacketDestination;
  readonly port: number;
  /** `on IFACE`: the interface it arrives on, when given. */
  readonly on: string | null;
}

const name = /^[A-Za-z_](?:[A-Za-z0-9_.]|-(?!>))*$/;

function port(text: string): number | string {
  if (/^[0-9]+$/.test(text)) {
    const n = Number(text);
    return n >= 1 && n <= 65535 ? n : `port '${text}' is out of range (1..65535)`;
  }
  return services.get(text) ?? `unknown port or service name '${text.slice(0, 40)}'`;
}

function host(text: string): Net | string {
  const v6 = /^\[(.*)\]$/.exec(text);
  const parsed = parseAddress(v6 ? 'ipv6' : 'ipv4', text);
  if ('error' in parsed) return `'${text.slice(0, 60)}': ${parsed.error}`;
  const width = parsed.net.family === 'ipv4' ? 32 : 128;
  return parsed.net.length === width ? parsed.net : `'${text.slice(0, 60)}' is a network, not one address`;
}

/** Splits `HOST[:PORT]`, where an IPv6 host is bracketed. */
function hostPort(text: string): { host: string; port: string | null } {
  const m = /^(\[[^\]]*\]|[^:[\]]+)(?::([^:]+))?$/.exec(text);
  return m ? { host: m[1]!, port: m[2] ?? null } : { host: text, port: null };
}

/** Parses a packet description; on failure, says what is wrong. */
export function parsePacket(text: string): { packet: PacketSpec } | { error: string } {
  const words = text.trim().split(/\s+/);
  const usage = 'describe the packet as "PROTO SRC[:SPORT] -> DST:DPORT [on IFACE]", e.g. "tcp 203.0.113.9 -> wan:8080"';
  if (words.length !== 4 && words.length !== 6) return { error: usage };
  const [protoWord, src, arrow, dst, on, iface] = words as [string, string, string, string, string?, string?];
  const proto = protoWord.toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp') return { error: `the protocol is tcp or udp, not '${protoWord.slice(0, 20)}'` };
  if (arrow !== '->' || (on !== undefined && on.toLowerCase() !== 'on')) return { error: usage };
  const s = hostPort(src);
  const source = host(s.host);
  if (typeof source === 'string') return { error: `the source ${source}` };
  let sourcePort: number | null = null;
  if (s.port !== null) {
    const p = port(s.port);
    if (typeof p === 'string') return { error: `the source ${p}` };
    sourcePort = p;
  }
  const d = hostPort(dst);
  if (d.port === null) return { error: `the destination needs a port: '${dst.slice(0, 60)}:PORT'` };
  const p = port(d.port);
  if (typeof p === 'string') return { error: `the destination ${p}` };
  let destination: PacketDestination;
  if (name.test(d.host)) destination = { kind: 'interface', name: d.host };
  else {
    const net = host(d.host);
    if (typeof net === 'string') return { error: `the destination ${net}` };
    if (net.family !== source.family) return { error: 'the source and the destination are of different address families' };
    destination = { kind: 'address', net };
  }
  if (iface !== undefined && !name.test(iface)) return { error: `'${iface.slice(0, 40)}' is not an interface name` };
  return { packet: { protocol: proto, source, sourcePort, destination, port: p, on: iface ?? null } };
}
