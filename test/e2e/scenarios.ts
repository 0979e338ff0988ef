/**
 * The e2e scenarios every Linux target runs: the .pf sources, the probes with the outcome each
 * must have (an answer from a named listener that saw a given peer, or dropped), the listeners,
 * and a describe-group runner parameterised by how a target loads a .pf source.
 */

import { beforeAll, describe, expect, it } from 'vitest';
import { ADDR, type Topology } from './netns.js';
import { listen, type ProbeOptions, type ProbeResult, probeAll } from './traffic.js';

const R = ADDR.router;
const W = ADDR.wanClient;
const HEAD = `interface wan = wan0
interface lan = lan0 subnet { 10.0.1.0/24, [2001:db8:2::/64] }
address server = 10.0.1.20
address server6 = [2001:db8:2::20]
`;

/** The rule sets, one per scenario group. */
export const SOURCES = {
  forwards: `${HEAD}address office = 203.0.113.0/24
forward tcp wan:80 -> server:8080 comment "single port"
forward udp wan:53 -> server:5353
forward tcp wan:7000-7003 -> server
forward tcp wan:10000-10009 -> server:20000-20009
forward tcp wan:{8000, 8443} -> server:443
forward udp wan:{5000, 5005} -> server
forward tcp wan:6000-6009 -> server:6100
forward tcp/udp wan:5060 -> server
forward tcp wan:2222 -> server:22 from office log
forward tcp wan:4000 -> server:22
forward tcp wan:4000 -> server:443 from 198.51.100.7
forward tcp 198.51.100.1:3000 -> server:8080
forward tcp 198.51.100.2:3001 -> server:8080
`,
  reflect: `${HEAD}forward tcp/udp wan:80 -> server:8080 reflect
forward tcp wan:81 -> server:8080 from { 10.0.1.30, 203.0.113.0/24 } reflect
`,
  redirect: `${HEAD}redirect tcp wan:80 -> 8081\nredirect udp wan:53 -> 5354\n`,
  ipv6: `${HEAD}allow tcp wan -> server6:443 log\nforward tcp wan:8080 -> server6:80 reflect\n`,
  masquerade: `${HEAD}masquerade lan -> wan\n`,
} as const;

/** What a probe must get: an answer from `server` on `port` that saw `peer`, or nothing (it times out). */
export type Want = { readonly server: string; readonly port: number; readonly peer: string } | 'dropped';

/** One probe and its expected outcome. */
export interface Case {
  readonly name: string;
  readonly probe: ProbeOptions;
  readonly want: Want;
}

/** An answer from a listener. */
export const answer = (server: string, port: number, peer: string): Exclude<Want, 'dropped'> => ({ server, port, peer });

/** The probes of every scenario group, for one topology. */
export function scenarioCases(T: Topology) {
  const fromWan = (proto: 'tcp' | 'udp', port: number, to: string = R.wan4, sourceAddress?: string): ProbeOptions => ({
    from: T.wanClient,
    proto,
    to,
    port,
    sourceAddress,
  });
  const fromLan = (proto: 'tcp' | 'udp', to: string, port: number): ProbeOptions => ({ from: T.lanClient, proto, to, port });
  const fromServer = (proto: 'tcp' | 'udp', to: string, port: number): ProbeOptions => ({ from: T.lanServer, proto, to, port });
  const srv = (port: number, peer: string = W.v4) => answer('lan-server', port, peer);
  const dropped = 'dropped' as const;
  return {
    fromWan,
    fromLan,
    srv,
    baseline: [
      { name: 'LAN to LAN works (the bridge)', probe: fromLan('tcp', ADDR.lanServer.v4, 22), want: srv(22, ADDR.lanClient.v4) },
      { name: 'LAN to WAN without masquerade keeps the LAN address', probe: fromLan('tcp', W.v4, 9000), want: answer('wan-client', 9000, ADDR.lanClient.v4) },
      { name: 'WAN to router:80 is not forwarded', probe: fromWan('tcp', 80), want: dropped },
      { name: 'WAN straight to 10.0.1.20:8080 is dropped', probe: fromWan('tcp', 8080, ADDR.lanServer.v4), want: dropped },
      { name: 'WAN to [2001:db8:2::20]:443 is dropped', probe: fromWan('tcp', 443, ADDR.lanServer.v6), want: dropped },
    ],
    forwards: [
      { name: 'single port: tcp 80 -> :8080', probe: fromWan('tcp', 80), want: srv(8080) },
      { name: 'single port from a second internet address keeps it', probe: fromWan('tcp', 80, R.wan4, W.alt4), want: srv(8080, W.alt4) },
      { name: 'single port: udp 53 -> :5353', probe: fromWan('udp', 53), want: srv(5353) },
      { name: 'range, same ports: tcp 7000', probe: fromWan('tcp', 7000), want: srv(7000) },
      { name: 'range, same ports: tcp 7003', probe: fromWan('tcp', 7003), want: srv(7003) },
      { name: 'shifted range: tcp 10000 -> 20000', probe: fromWan('tcp', 10000), want: srv(20000) },
      { name: 'shifted range: tcp 10003 -> 20003', probe: fromWan('tcp', 10003), want: srv(20003) },
      { name: 'shifted range: tcp 10009 -> 20009', probe: fromWan('tcp', 10009), want: srv(20009) },
      { name: 'port list to one port: tcp 8000 -> 443', probe: fromWan('tcp', 8000), want: srv(443) },
      { name: 'port list to one port: tcp 8443 -> 443', probe: fromWan('tcp', 8443), want: srv(443) },
      { name: 'port list, same ports: udp 5000', probe: fromWan('udp', 5000), want: srv(5000) },
      { name: 'port list, same ports: udp 5005', probe: fromWan('udp', 5005), want: srv(5005) },
      { name: 'many-to-one: tcp 6000 -> 6100', probe: fromWan('tcp', 6000), want: srv(6100) },
      { name: 'many-to-one: tcp 6009 -> 6100', probe: fromWan('tcp', 6009), want: srv(6100) },
      { name: 'tcp/udp: tcp 5060', probe: fromWan('tcp', 5060), want: srv(5060) },
      { name: 'tcp/udp: udp 5060', probe: fromWan('udp', 5060), want: srv(5060) },
      { name: 'from allowed: 203.0.113.10 -> 2222 -> :22', probe: fromWan('tcp', 2222, R.wan4, W.v4), want: srv(22) },
      { name: 'from refused: 198.51.100.7 -> 2222', probe: fromWan('tcp', 2222, R.wan4, W.alt4), want: dropped },
      { name: 'narrower from wins: 198.51.100.7 -> 4000 -> :443', probe: fromWan('tcp', 4000, R.wan4, W.alt4), want: srv(443, W.alt4) },
      { name: 'the wider rule keeps the rest: 203.0.113.10 -> 4000 -> :22', probe: fromWan('tcp', 4000, R.wan4, W.v4), want: srv(22) },
      { name: 'address ingress: 198.51.100.1:3000 -> :8080', probe: fromWan('tcp', 3000, R.wanAlt4, W.alt4), want: srv(8080, W.alt4) },
      { name: 'address ingress: not on the other WAN address', probe: fromWan('tcp', 3000, R.wan4), want: dropped },
      // Two router addresses in one map: the address stays in the map's key (nftables), so each
      // port is forwarded on its own address only.
      { name: 'address ingress: 198.51.100.2:3001 -> :8080', probe: fromWan('tcp', 3001, R.wanAlt4b, W.alt4), want: srv(8080, W.alt4) },
      { name: 'address ingress: 3001 not on 198.51.100.1', probe: fromWan('tcp', 3001, R.wanAlt4, W.alt4), want: dropped },
      { name: 'wrong port: tcp 81', probe: fromWan('tcp', 81), want: dropped },
      { name: 'wrong port: tcp 10010, just past the range', probe: fromWan('tcp', 10010), want: dropped },
      { name: 'wrong port: tcp 6010, just past the range', probe: fromWan('tcp', 6010), want: dropped },
      { name: 'wrong port: udp 5001, between list members', probe: fromWan('udp', 5001), want: dropped },
      { name: 'wrong protocol: udp 80', probe: fromWan('udp', 80), want: dropped },
      { name: 'wrong protocol: tcp 53', probe: fromWan('tcp', 53), want: dropped },
      { name: 'straight to 10.0.1.20:8080 is dropped', probe: fromWan('tcp', 8080, ADDR.lanServer.v4), want: dropped },
      { name: 'straight to 10.0.1.20:5353/udp is dropped', probe: fromWan('udp', 5353, ADDR.lanServer.v4), want: dropped },
      { name: 'LAN client to the WAN address is not reflected', probe: fromLan('tcp', R.wan4, 80), want: dropped },
    ],
    reflect: [
      { name: 'LAN client via the WAN address, tcp: server sees the router', probe: fromLan('tcp', R.wan4, 80), want: srv(8080, R.lan4) },
      { name: 'LAN client via the WAN address, udp: server sees the router', probe: fromLan('udp', R.wan4, 80), want: srv(8080, R.lan4) },
      { name: 'the server itself via the WAN address', probe: fromServer('tcp', R.wan4, 80), want: srv(8080, R.lan4) },
      { name: 'WAN client still keeps its address', probe: fromWan('tcp', 80), want: srv(8080) },
      { name: 'the previous rule set is gone (tcp 7000)', probe: fromWan('tcp', 7000), want: dropped },
      { name: 'LAN client to the router LAN address:80 is not reflected', probe: fromLan('tcp', R.lan4, 80), want: dropped },
      { name: 'reflect keeps from: the allowed LAN client is reflected', probe: fromLan('tcp', R.wan4, 81), want: srv(8080, R.lan4) },
      { name: 'reflect keeps from: another LAN host is not', probe: fromServer('tcp', R.wan4, 81), want: dropped },
      { name: 'reflect keeps from: an allowed WAN client is forwarded', probe: fromWan('tcp', 81), want: srv(8080) },
      { name: 'reflect keeps from: a refused WAN client is not', probe: fromWan('tcp', 81, R.wan4, W.alt4), want: dropped },
    ],
    redirect: [
      { name: 'tcp 80 -> router:8081', probe: fromWan('tcp', 80), want: answer('router', 8081, W.v4) },
      { name: 'tcp [2001:db8:1::1]:80 -> router:8081', probe: fromWan('tcp', 80, R.wan6), want: answer('router', 8081, W.v6) },
      { name: 'udp 53 -> router:5354', probe: fromWan('udp', 53), want: answer('router', 5354, W.v4) },
      { name: 'not on the LAN interface', probe: fromLan('tcp', R.lan4, 80), want: dropped },
      { name: 'wrong port: tcp 81', probe: fromWan('tcp', 81), want: dropped },
      { name: 'straight to router:8081 is dropped (only redirected connections are accepted)', probe: fromWan('tcp', 8081), want: dropped },
    ],
    ipv6: [
      { name: 'allow: [2001:db8:2::20]:443 passes unchanged', probe: fromWan('tcp', 443, ADDR.lanServer.v6), want: srv(443, W.v6) },
      { name: 'allow: another port is dropped by the base firewall', probe: fromWan('tcp', 22, ADDR.lanServer.v6), want: dropped },
      { name: 'allow: udp 443 is dropped', probe: fromWan('udp', 443, ADDR.lanServer.v6), want: dropped },
      { name: 'forward: [2001:db8:1::1]:8080 -> [2001:db8:2::20]:80', probe: fromWan('tcp', 8080, R.wan6), want: srv(80, W.v6) },
      { name: 'reflect: LAN client via [2001:db8:1::1]:8080, server sees the router', probe: fromLan('tcp', R.wan6, 8080), want: srv(80, R.lan6) },
      { name: 'forward: straight to [2001:db8:2::20]:80 is dropped', probe: fromWan('tcp', 80, ADDR.lanServer.v6), want: dropped },
    ],
    masquerade: [
      { name: 'LAN client to the WAN, tcp: seen as the router', probe: fromLan('tcp', W.v4, 9000), want: answer('wan-client', 9000, R.wan4) },
      { name: 'LAN client to the WAN, udp: seen as the router', probe: fromLan('udp', W.v4, 9000), want: answer('wan-client', 9000, R.wan4) },
      { name: 'WAN straight to 10.0.1.20 is still dropped', probe: fromWan('tcp', 8080, ADDR.lanServer.v4), want: dropped },
    ],
  } satisfies Record<string, unknown>;
}

/** Starts the listeners every scenario probes: the LAN server, the router and the WAN client. */
export async function listenAll(T: Topology): Promise<void> {
  const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, k) => a + k);
  await listen({
    ns: T.lanServer,
    name: 'lan-server',
    tcp: [22, 53, 80, 443, 5060, 5353, 6100, 8080, 9000, ...range(7000, 7003), ...range(20000, 20009)],
    udp: [53, 80, 443, 5000, 5001, 5005, 5060, 5353, 8080],
  });
  await listen({ ns: T.router, name: 'router', tcp: [8081], udp: [5354] });
  await listen({ ns: T.wanClient, name: 'wan-client', tcp: [9000], udp: [9000] });
}

/** Asserts that each probe result is what its case wants. */
export function expectOutcome(c: Case, got: ProbeResult | undefined): void {
  if (c.want === 'dropped') expect(got, c.name).toEqual({ ok: false, reason: 'timeout' });
  else expect(got, c.name).toEqual({ ok: true, ...c.want });
}

/**
 * A describe-group runner: `group(title, rules, cases, extra)` loads `rules` with `loadRules`
 * (null: none), runs every probe in parallel, then checks each result in its own test.
 */
export function groupRunner<R>(loadRules: (rules: R | null) => Promise<void>) {
  return (title: string, rules: R | null, cases: readonly Case[], extra?: () => void): void => {
    describe(title, () => {
      let results: ProbeResult[] = [];
      beforeAll(async () => {
        await loadRules(rules);
        results = await probeAll(cases.map((c) => c.probe));
      });
      it.each(cases.map((c, i) => [c.name, i] as const))('%s', (_name, i) => expectOutcome(cases[i]!, results[i]));
      extra?.();
    });
  };
}
