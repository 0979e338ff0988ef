/**
 * Turning an e2e probe into an `explain --packet` description, and an explanation into the
 * outcome the probe must have, for the e2e topology (test/e2e/README.md). Shared by the explain
 * tests that check explain against the scenarios' outcomes and against real packets.
 */

import { explainPacket } from '../../src/explain/match.js';
import { parsePacket } from '../../src/explain/packet.js';
import type { Ir } from '../../src/index.js';
import { ADDR, type Topology } from '../e2e/netns.js';
import type { Want } from '../e2e/scenarios.js';
import type { ProbeOptions } from '../e2e/traffic.js';

const R = ADDR.router;
const bracket = (a: string): string => (a.includes(':') ? `[${a}]` : a);

/** The `--packet` text for a probe: router addresses by interface name, the rest by address. */
export function packetOf(T: Topology, p: ProbeOptions): string {
  const v6 = p.to.includes(':');
  const host = p.from === T.wanClient ? ADDR.wanClient : p.from === T.lanServer ? ADDR.lanServer : ADDR.lanClient;
  const src = p.sourceAddress ?? (v6 ? host.v6 : host.v4);
  const on = p.from === T.wanClient ? 'wan' : 'lan';
  const routerIface: Record<string, string> = { [R.wan4]: 'wan', [R.wan6]: 'wan', [R.lan4]: 'lan', [R.lan6]: 'lan' };
  const dst = routerIface[p.to] ?? bracket(p.to);
  return `${p.proto} ${bracket(src)} -> ${dst}:${p.port} on ${on}`;
}

const listenerAt: Record<string, string> = {
  [ADDR.lanServer.v4]: 'lan-server',
  [ADDR.lanServer.v6]: 'lan-server',
  [ADDR.wanClient.v4]: 'wan-client',
  [ADDR.wanClient.v6]: 'wan-client',
};
const routerOn = (iface: string, v6: boolean): string => (iface === 'wan' ? (v6 ? R.wan6 : R.wan4) : v6 ? R.lan6 : R.lan4);

/** What explain predicts for a probe: the listener, port and peer, or dropped (no rule: the default-drop firewall). */
export function predict(ir: Ir, T: Topology, p: ProbeOptions): { packet: string; want: Want } {
  const packet = packetOf(T, p);
  const parsed = parsePacket(packet);
  if ('error' in parsed) throw new Error(`${packet}: ${parsed.error}`);
  const e = explainPacket(ir, parsed.packet);
  const v6 = e.family === 'ipv6';
  const src = packet.split(' ')[1]!.replace(/^\[|\]$/g, '');
  const peer = e.rewrittenVia ? routerOn(e.rewrittenVia.name, v6) : src;
  switch (e.verdict) {
    case 'forward':
    case 'allow':
      return { packet, want: { server: listenerAt[e.to!.host] ?? `unknown host ${e.to!.host}`, port: e.to!.port, peer } };
    case 'redirect':
      return { packet, want: { server: 'router', port: e.to!.port, peer } };
    case 'masquerade':
      return { packet, want: { server: listenerAt[p.to] ?? `unknown host ${p.to}`, port: p.port, peer } };
    default:
      return { packet, want: 'dropped' };
  }
}
