/**
 * End-to-end tests of the nftables target: real .pf sources compiled with the public API, loaded
 * with `nft -f` into a router namespace under a default-drop base firewall, and real TCP and UDP
 * probes through the kernel. Needs root and `ip netns`; skips otherwise, except under CI=true.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOW_MARK } from '../../src/backends/nftables.js';
import { compile, renderDiagnostics } from '../../src/index.js';
import { ADDR, createTopology, destroyTopology, flushConntrack, load, loadBaseFirewall, nsExec, topologyNames, unavailableReason } from './netns.js';
import { closeAllListeners, listen, type ProbeOptions, type ProbeResult, probeAll } from './traffic.js';

const skipReason = await unavailableReason();
const mustRun = process.env.CI === 'true';
if (skipReason !== null && !mustRun) console.warn(`nftables e2e skipped: ${skipReason}`);

const T = topologyNames('nft');
const R = ADDR.router;
const W = ADDR.wanClient;
const LAN = 'interface lan = lan0 subnet { 10.0.1.0/24, [2001:db8:2::/64] }';
const HEAD = `interface wan = wan0\n${LAN}\naddress server = 10.0.1.20\naddress server6 = [2001:db8:2::20]\n`;

const FORWARDS = `${HEAD}address office = 203.0.113.0/24
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
`;
const REFLECT = `${HEAD}forward tcp/udp wan:80 -> server:8080 reflect\nforward tcp wan:81 -> server:8080 from { 10.0.1.30, 203.0.113.0/24 } reflect\n`;
const REDIRECT = `${HEAD}redirect tcp wan:80 -> 8081\nredirect udp wan:53 -> 5354\n`;
const IPV6 = `${HEAD}allow tcp wan -> server6:443 log\nforward tcp wan:8080 -> server6:80 reflect\n`;
const MASQUERADE = `${HEAD}masquerade lan -> wan\n`;

const HAND_WRITTEN = `table inet pfc
delete table inet pfc
table inet pfc {
  map fwd4 {
    type inet_proto . inet_service : ipv4_addr . inet_service
    elements = { tcp . 80 : 10.0.1.20 . 8080 }
  }
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    iifname "wan0" meta nfproto ipv4 dnat ip to meta l4proto . th dport map @fwd4
  }
}
`;

/** What a probe must get: an answer from `server` on `port` that saw `peer`, or nothing (dropped: the probe times out). */
type Want = { readonly server: string; readonly port: number; readonly peer: string } | 'dropped';
interface Case {
  readonly name: string;
  readonly probe: ProbeOptions;
  readonly want: Want;
}

const answer = (server: string, port: number, peer: string): Want => ({ server, port, peer });
const fromWan = (proto: 'tcp' | 'udp', port: number, to: string = R.wan4, sourceAddress?: string) =>
  ({ from: T.wanClient, proto, to, port, sourceAddress }) as const;
const fromLan = (proto: 'tcp' | 'udp', to: string, port: number) => ({ from: T.lanClient, proto, to, port }) as const;
const srv = (port: number, peer: string = W.v4) => answer('lan-server', port, peer);

/** Rules of a scenario group: pfc source to compile, hand-written nft text, or no pfc table. */
type Rules = { readonly pf: string } | { readonly nft: string } | null;

async function loadRules(rules: Rules): Promise<void> {
  if (rules === null) {
    await nsExec(T.router, ['nft', 'delete', 'table', 'inet', 'pfc']);
  } else {
    let text: string;
    if ('pf' in rules) {
      const result = compile(rules.pf, 'e2e.pf', 'nftables');
      const shown = renderDiagnostics(result.diagnostics, new Map([['e2e.pf', rules.pf]]));
      if (result.output === null || result.output === undefined) throw new Error(`compile failed:\n${shown}`);
      text = result.output;
    } else {
      text = rules.nft;
    }
    const r = await load(T.router, text, 'nft');
    if (!r.ok) throw new Error(`nft -f rejected the rule set:\n${r.stderr}\n${text}`);
  }
  await flushConntrack(T.router);
}

/** A scenario group: loads `rules`, runs every probe (in parallel), then checks each result. */
function group(title: string, rules: Rules, cases: readonly Case[], extra?: () => void): void {
  describe(title, () => {
    let results: ProbeResult[] = [];
    beforeAll(async () => {
      await loadRules(rules);
      results = await probeAll(cases.map((c) => c.probe));
    });
    it.each(cases.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
      const want = cases[i]?.want;
      const got = results[i];
      if (want === 'dropped') expect(got).toEqual({ ok: false, reason: 'timeout' });
      else expect(got).toEqual({ ok: true, ...want });
    });
    extra?.();
  });
}

describe.skipIf(skipReason !== null && !mustRun)('nftables e2e (network namespaces)', () => {
  beforeAll(async () => {
    if (skipReason !== null) throw new Error(`e2e tests must run under CI=true: ${skipReason}`);
    await createTopology({ label: 'nft' });
    await loadBaseFirewall(T, 'nft', { mark: { kind: 'ct', mask: Number(ALLOW_MARK) }, input: 'drop' });
    const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, k) => a + k);
    await listen({
      ns: T.lanServer,
      name: 'lan-server',
      tcp: [22, 53, 80, 443, 5060, 5353, 6100, 8080, 9000, ...range(7000, 7003), ...range(20000, 20009)],
      udp: [53, 80, 443, 5000, 5001, 5005, 5060, 5353, 8080],
    });
    await listen({ ns: T.router, name: 'router', tcp: [8081], udp: [5354] });
    await listen({ ns: T.wanClient, name: 'wan-client', tcp: [9000], udp: [9000] });
  });
  afterAll(async () => {
    await closeAllListeners();
    await destroyTopology(T);
  });

  group('baseline: base firewall only, no pfc table', null, [
    { name: 'LAN to LAN works (the bridge)', probe: fromLan('tcp', ADDR.lanServer.v4, 22), want: srv(22, ADDR.lanClient.v4) },
    { name: 'LAN to WAN without masquerade keeps the LAN address', probe: fromLan('tcp', W.v4, 9000), want: answer('wan-client', 9000, ADDR.lanClient.v4) },
    { name: 'WAN to router:80 is not forwarded', probe: fromWan('tcp', 80), want: 'dropped' },
    { name: 'WAN straight to 10.0.1.20:8080 is dropped', probe: fromWan('tcp', 8080, ADDR.lanServer.v4), want: 'dropped' },
    { name: 'WAN to [2001:db8:2::20]:443 is dropped', probe: fromWan('tcp', 443, ADDR.lanServer.v6), want: 'dropped' },
  ]);

  group(
    'harness: a hand-written DNAT map',
    { nft: HAND_WRITTEN },
    [
      { name: 'tcp 80 reaches 10.0.1.20:8080 with the client address', probe: fromWan('tcp', 80), want: srv(8080) },
      { name: 'tcp 81 is not forwarded', probe: fromWan('tcp', 81), want: 'dropped' },
    ],
    () => {
      it('load() reports nft errors on stderr', async () => {
        const r = await load(T.router, 'table inet pfc_broken {\n  chain c { bogus }\n}\n', 'nft');
        expect(r.ok).toBe(false);
        expect(r.stderr).toMatch(/Error/);
      });
    },
  );

  group(
    'forwards',
    { pf: FORWARDS },
    [
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
      { name: 'from refused: 198.51.100.7 -> 2222', probe: fromWan('tcp', 2222, R.wan4, W.alt4), want: 'dropped' },
      { name: 'narrower from wins: 198.51.100.7 -> 4000 -> :443', probe: fromWan('tcp', 4000, R.wan4, W.alt4), want: srv(443, W.alt4) },
      { name: 'the wider rule keeps the rest: 203.0.113.10 -> 4000 -> :22', probe: fromWan('tcp', 4000, R.wan4, W.v4), want: srv(22) },
      { name: 'address ingress: 198.51.100.1:3000 -> :8080', probe: fromWan('tcp', 3000, R.wanAlt4, W.alt4), want: srv(8080, W.alt4) },
      { name: 'address ingress: not on the other WAN address', probe: fromWan('tcp', 3000, R.wan4), want: 'dropped' },
      { name: 'wrong port: tcp 81', probe: fromWan('tcp', 81), want: 'dropped' },
      { name: 'wrong port: tcp 10010, just past the range', probe: fromWan('tcp', 10010), want: 'dropped' },
      { name: 'wrong port: tcp 6010, just past the range', probe: fromWan('tcp', 6010), want: 'dropped' },
      { name: 'wrong port: udp 5001, between list members', probe: fromWan('udp', 5001), want: 'dropped' },
      { name: 'wrong protocol: udp 80', probe: fromWan('udp', 80), want: 'dropped' },
      { name: 'wrong protocol: tcp 53', probe: fromWan('tcp', 53), want: 'dropped' },
      { name: 'straight to 10.0.1.20:8080 is dropped', probe: fromWan('tcp', 8080, ADDR.lanServer.v4), want: 'dropped' },
      { name: 'straight to 10.0.1.20:5353/udp is dropped', probe: fromWan('udp', 5353, ADDR.lanServer.v4), want: 'dropped' },
      { name: 'LAN client to the WAN address is not reflected', probe: fromLan('tcp', R.wan4, 80), want: 'dropped' },
    ],
    () => {
      it('log: the forward with log carries a log statement', async () => {
        const r = await nsExec(T.router, ['nft', 'list', 'table', 'inet', 'pfc']);
        expect(String(r.stdout)).toMatch(/log prefix "pfc forward: "/);
      });
    },
  );

  group('reflection', { pf: REFLECT }, [
    { name: 'LAN client via the WAN address, tcp: server sees the router', probe: fromLan('tcp', R.wan4, 80), want: srv(8080, R.lan4) },
    { name: 'LAN client via the WAN address, udp: server sees the router', probe: fromLan('udp', R.wan4, 80), want: srv(8080, R.lan4) },
    { name: 'the server itself via the WAN address', probe: { from: T.lanServer, proto: 'tcp', to: R.wan4, port: 80 }, want: srv(8080, R.lan4) },
    { name: 'WAN client still keeps its address', probe: fromWan('tcp', 80), want: srv(8080) },
    { name: 'the previous rule set is gone (tcp 7000)', probe: fromWan('tcp', 7000), want: 'dropped' },
    { name: 'reflect keeps from: the allowed LAN client is reflected', probe: fromLan('tcp', R.wan4, 81), want: srv(8080, R.lan4) },
    { name: 'reflect keeps from: another LAN host is not', probe: { from: T.lanServer, proto: 'tcp', to: R.wan4, port: 81 }, want: 'dropped' },
    { name: 'reflect keeps from: an allowed WAN client is forwarded', probe: fromWan('tcp', 81), want: srv(8080) },
    { name: 'reflect keeps from: a refused WAN client is not', probe: fromWan('tcp', 81, R.wan4, W.alt4), want: 'dropped' },
  ]);

  group('redirect to a local port', { pf: REDIRECT }, [
    { name: 'tcp 80 -> router:8081', probe: fromWan('tcp', 80), want: answer('router', 8081, W.v4) },
    { name: 'tcp [2001:db8:1::1]:80 -> router:8081', probe: fromWan('tcp', 80, R.wan6), want: answer('router', 8081, W.v6) },
    { name: 'udp 53 -> router:5354', probe: fromWan('udp', 53), want: answer('router', 5354, W.v4) },
    { name: 'not on the LAN interface', probe: fromLan('tcp', R.lan4, 80), want: 'dropped' },
    { name: 'wrong port: tcp 81', probe: fromWan('tcp', 81), want: 'dropped' },
  ]);

  group('IPv6: allow (pinhole) and forward', { pf: IPV6 }, [
    { name: 'allow: [2001:db8:2::20]:443 passes unchanged', probe: fromWan('tcp', 443, ADDR.lanServer.v6), want: srv(443, W.v6) },
    { name: 'allow: another port is dropped by the base firewall', probe: fromWan('tcp', 22, ADDR.lanServer.v6), want: 'dropped' },
    { name: 'allow: udp 443 is dropped', probe: fromWan('udp', 443, ADDR.lanServer.v6), want: 'dropped' },
    { name: 'forward: [2001:db8:1::1]:8080 -> [2001:db8:2::20]:80', probe: fromWan('tcp', 8080, R.wan6), want: srv(80, W.v6) },
    { name: 'reflect: LAN client via [2001:db8:1::1]:8080, server sees the router', probe: fromLan('tcp', R.wan6, 8080), want: srv(80, R.lan6) },
  ]);

  group('masquerade', { pf: MASQUERADE }, [
    { name: 'LAN client to the WAN, tcp: seen as the router', probe: fromLan('tcp', W.v4, 9000), want: answer('wan-client', 9000, R.wan4) },
    { name: 'LAN client to the WAN, udp: seen as the router', probe: fromLan('udp', W.v4, 9000), want: answer('wan-client', 9000, R.wan4) },
    { name: 'WAN straight to 10.0.1.20 is still dropped', probe: fromWan('tcp', 8080, ADDR.lanServer.v4), want: 'dropped' },
  ]);
});
