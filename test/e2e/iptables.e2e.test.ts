/**
 * End-to-end tests of the iptables and ip6tables targets: the nftables suite's scenarios and
 * probes, compiled with the public API, loaded with `(ip6)iptables-restore --noflush` into a router
 * namespace under a FORWARD-policy-DROP base firewall, once with iptables-nft and once with
 * iptables-legacy. Also re-apply, replace and removal, counted in the kernel. Root only.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hooks, type IptablesHook } from '../../src/backends/iptables-builder.js';
import { compile, renderDiagnostics } from '../../src/index.js';
import { ensureHooks, type IptablesTool, type IptablesVariant, ruleLines, save } from '../support/iptables.js';
import { ADDR, createTopology, destroyTopology, flushConntrack, load, loadBaseFirewall, topologyNames, unavailableReason } from './netns.js';
import { closeAllListeners, listen, type ProbeOptions, type ProbeResult, probeAll } from './traffic.js';

const skipReason = await unavailableReason();
const mustRun = process.env.CI === 'true';
if (skipReason !== null && !mustRun) console.warn(`iptables e2e skipped: ${skipReason}`);

const R = ADDR.router;
const W = ADDR.wanClient;
const LAN = 'interface lan = lan0 subnet { 10.0.1.0/24, [2001:db8:2::/64] }';
const HEAD = `interface wan = wan0\n${LAN}\naddress server = 10.0.1.20\naddress server6 = [2001:db8:2::20]\n`;

// The scenarios of test/e2e/nftables.e2e.test.ts.
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
const REFLECT = `${HEAD}forward tcp/udp wan:80 -> server:8080 reflect\n`;
const REDIRECT = `${HEAD}redirect tcp wan:80 -> 8081\nredirect udp wan:53 -> 5354\n`;
const IPV6 = `${HEAD}allow tcp wan -> server6:443 log\nforward tcp wan:8080 -> server6:80 reflect\n`;
const MASQUERADE = `${HEAD}masquerade lan -> wan\n`;

/** INPUT policy DROP for both families (what the nftables suite's base does for input). */
const inputDrop = (icmp: string) =>
  ['*filter', ':INPUT DROP [0:0]', '-F INPUT', '-A INPUT -i lo -j ACCEPT', '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT', `-A INPUT -p ${icmp} -j ACCEPT`, 'COMMIT', ''].join('\n');

/** The removal documented in docs/targets.md, as one restore input per family. */
const removal = (list: readonly IptablesHook[], natOwned: readonly string[], filterOwned: readonly string[]) =>
  (['nat', 'filter'] as const)
    .flatMap((table) => {
      const owned = table === 'nat' ? natOwned : filterOwned;
      const own = list.filter((h) => h.table === table);
      return [`*${table}`, ...own.map((h) => `-D ${h.builtin} -j ${h.chain}`), ...owned.map((c) => `-F ${c}`), ...owned.map((c) => `-X ${c}`), 'COMMIT'];
    })
    .join('\n')
    .concat('\n');

type Want = { readonly server: string; readonly port: number; readonly peer: string } | 'dropped';
interface Case {
  readonly name: string;
  readonly probe: ProbeOptions;
  readonly want: Want;
}
const answer = (server: string, port: number, peer: string): Want => ({ server, port, peer });

function compileBoth(pf: string): { iptables: string; ip6tables: string } {
  const out = { iptables: '', ip6tables: '' };
  for (const target of ['iptables', 'ip6tables'] as const) {
    const result = compile(pf, 'e2e.pf', target);
    if (result.output === null) throw new Error(`compile failed:\n${renderDiagnostics(result.diagnostics, new Map([['e2e.pf', pf]]))}`);
    out[target] = result.output;
  }
  return out;
}

function suite(variant: IptablesVariant): void {
  const T = topologyNames(`ipt${variant}`);
  const fromWan = (proto: 'tcp' | 'udp', port: number, to: string = R.wan4, sourceAddress?: string) => ({ from: T.wanClient, proto, to, port, sourceAddress }) as const;
  const fromLan = (proto: 'tcp' | 'udp', to: string, port: number) => ({ from: T.lanClient, proto, to, port }) as const;
  const srv = (port: number, peer: string = W.v4) => answer('lan-server', port, peer);
  const v4 = hooks({ family: 'ipv4', tool: 'iptables', other: 'ip6tables' }, {});
  const v6 = hooks({ family: 'ipv6', tool: 'ip6tables', other: 'iptables' }, {});
  const loader = (tool: IptablesTool) => (`${tool}-${variant}` as const);
  const pfcRules = async (tool: IptablesTool) => {
    // Policy counters aside: iptables-legacy-restore resets them on every commit.
    const all = `${await save(T.router, tool, variant, 'nat')}\n${await save(T.router, tool, variant, 'filter')}`.replace(/\[\d+:\d+\]/g, '[0:0]');
    return { all, own: ruleLines(all).filter((l) => /^-A PFC-/.test(l)), hooks: ruleLines(all).filter((l) => / -j PFC-/.test(l) && !/^-A PFC-/.test(l)) };
  };

  async function loadPfc(pf: string): Promise<void> {
    const texts = compileBoth(pf);
    for (const tool of ['iptables', 'ip6tables'] as const) {
      const r = await load(T.router, texts[tool], loader(tool));
      if (!r.ok) throw new Error(`${loader(tool)}-restore rejected the rule set:\n${r.stderr}\n${texts[tool]}`);
    }
    await flushConntrack(T.router);
  }

  function group(title: string, pf: string | null, cases: readonly Case[], extra?: () => void): void {
    describe(title, () => {
      let results: ProbeResult[] = [];
      beforeAll(async () => {
        if (pf !== null) await loadPfc(pf);
        else await flushConntrack(T.router);
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

  describe(`${variant}`, () => {
    beforeAll(async () => {
      if (skipReason !== null) throw new Error(`e2e tests must run under CI=true: ${skipReason}`);
      await createTopology({ label: `ipt${variant}` });
      await loadBaseFirewall(T, `iptables-${variant}`);
      for (const [tool, icmp] of [['iptables', 'icmp'], ['ip6tables', 'ipv6-icmp']] as const) {
        const r = await load(T.router, inputDrop(icmp), loader(tool));
        if (!r.ok) throw new Error(`INPUT base (${tool}) did not load: ${r.stderr}`);
      }
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

    group('baseline: base firewall only, no pfc chains', null, [
      { name: 'LAN to LAN works (the bridge)', probe: fromLan('tcp', ADDR.lanServer.v4, 22), want: srv(22, ADDR.lanClient.v4) },
      { name: 'LAN to WAN without masquerade keeps the LAN address', probe: fromLan('tcp', W.v4, 9000), want: answer('wan-client', 9000, ADDR.lanClient.v4) },
      { name: 'WAN to router:80 is not forwarded', probe: fromWan('tcp', 80), want: 'dropped' },
      { name: 'WAN straight to 10.0.1.20:8080 is dropped', probe: fromWan('tcp', 8080, ADDR.lanServer.v4), want: 'dropped' },
      { name: 'WAN to [2001:db8:2::20]:443 is dropped', probe: fromWan('tcp', 443, ADDR.lanServer.v6), want: 'dropped' },
    ], () => {
      it('a load without pfc hooks fails and changes nothing', async () => {
        const before = await pfcRules('iptables');
        const r = await load(T.router, compileBoth(FORWARDS).iptables, loader('iptables'));
        expect(r.ok).toBe(false);
        expect((await pfcRules('iptables')).all).toBe(before.all);
        await ensureHooks(T.router, variant, v4);
        await ensureHooks(T.router, variant, v6);
        await ensureHooks(T.router, variant, v4);
        const want = ['-A FORWARD -j PFC-FORWARD', '-A INPUT -j PFC-INPUT', '-A POSTROUTING -j PFC-POSTROUTING', '-A PREROUTING -j PFC-PREROUTING'];
        expect((await pfcRules('iptables')).hooks.sort()).toEqual(want);
        expect((await pfcRules('ip6tables')).hooks.sort()).toEqual(want);
      });
    });

    const forwardCases: Case[] = [
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
    ];
    group('forwards', FORWARDS, forwardCases, () => {
      it('log: the forward with log carries a LOG rule with its prefix', async () => {
        expect((await pfcRules('iptables')).own.join('\n')).toMatch(/--dport 2222 .*-j LOG --log-prefix "pfc e2e\.pf:\d+ "/);
      });
      it('re-apply: loading the same file again leaves the same rules, and traffic still flows', async () => {
        const before = { v4: await pfcRules('iptables'), v6: await pfcRules('ip6tables') };
        await loadPfc(FORWARDS);
        await loadPfc(FORWARDS);
        const after = { v4: await pfcRules('iptables'), v6: await pfcRules('ip6tables') };
        expect(after.v4.all).toBe(before.v4.all);
        expect(after.v6.all).toBe(before.v6.all);
        expect(after.v4.own).toHaveLength(compileBoth(FORWARDS).iptables.split('\n').filter((l) => l.startsWith('-A ')).length);
        expect(after.v4.hooks).toHaveLength(4);
        expect(after.v6.hooks).toHaveLength(4);
        const again = await probeAll(forwardCases.map((c) => c.probe));
        forwardCases.forEach((c, i) => {
          if (c.want === 'dropped') expect(again[i], c.name).toEqual({ ok: false, reason: 'timeout' });
          else expect(again[i], c.name).toEqual({ ok: true, ...c.want });
        });
      });
    });

    group('reflection (replaces the forwards)', REFLECT, [
      { name: 'LAN client via the WAN address, tcp: server sees the router', probe: fromLan('tcp', R.wan4, 80), want: srv(8080, R.lan4) },
      { name: 'LAN client via the WAN address, udp: server sees the router', probe: fromLan('udp', R.wan4, 80), want: srv(8080, R.lan4) },
      { name: 'the server itself via the WAN address', probe: { from: T.lanServer, proto: 'tcp', to: R.wan4, port: 80 }, want: srv(8080, R.lan4) },
      { name: 'WAN client still keeps its address', probe: fromWan('tcp', 80), want: srv(8080) },
      { name: 'the previous rule set is gone (tcp 7000)', probe: fromWan('tcp', 7000), want: 'dropped' },
      { name: 'LAN client to the router LAN address:80 is not reflected', probe: fromLan('tcp', R.lan4, 80), want: 'dropped' },
    ], () => {
      it('replace: only the new file\'s rules remain, hooks still one each', async () => {
        const now = await pfcRules('iptables');
        expect(now.own).toHaveLength(compileBoth(REFLECT).iptables.split('\n').filter((l) => l.startsWith('-A ')).length);
        expect(now.own.join('\n')).not.toMatch(/7000/);
        expect(now.hooks).toHaveLength(4);
      });
    });

    group('redirect to a local port (INPUT policy DROP)', REDIRECT, [
      { name: 'tcp 80 -> router:8081', probe: fromWan('tcp', 80), want: answer('router', 8081, W.v4) },
      { name: 'tcp [2001:db8:1::1]:80 -> router:8081', probe: fromWan('tcp', 80, R.wan6), want: answer('router', 8081, W.v6) },
      { name: 'udp 53 -> router:5354', probe: fromWan('udp', 53), want: answer('router', 5354, W.v4) },
      { name: 'not on the LAN interface', probe: fromLan('tcp', R.lan4, 80), want: 'dropped' },
      { name: 'wrong port: tcp 81', probe: fromWan('tcp', 81), want: 'dropped' },
      { name: 'straight to router:8081 is dropped (only redirected connections are accepted)', probe: fromWan('tcp', 8081), want: 'dropped' },
    ]);

    group('IPv6: allow (pinhole) and forward', IPV6, [
      { name: 'allow: [2001:db8:2::20]:443 passes unchanged', probe: fromWan('tcp', 443, ADDR.lanServer.v6), want: srv(443, W.v6) },
      { name: 'allow: another port is dropped by the base firewall', probe: fromWan('tcp', 22, ADDR.lanServer.v6), want: 'dropped' },
      { name: 'allow: udp 443 is dropped', probe: fromWan('udp', 443, ADDR.lanServer.v6), want: 'dropped' },
      { name: 'forward: [2001:db8:1::1]:8080 -> [2001:db8:2::20]:80', probe: fromWan('tcp', 8080, R.wan6), want: srv(80, W.v6) },
      { name: 'reflect: LAN client via [2001:db8:1::1]:8080, server sees the router', probe: fromLan('tcp', R.wan6, 8080), want: srv(80, R.lan6) },
      { name: 'forward: straight to [2001:db8:2::20]:80 is dropped', probe: fromWan('tcp', 80, ADDR.lanServer.v6), want: 'dropped' },
    ]);

    group('masquerade', MASQUERADE, [
      { name: 'LAN client to the WAN, tcp: seen as the router', probe: fromLan('tcp', W.v4, 9000), want: answer('wan-client', 9000, R.wan4) },
      { name: 'LAN client to the WAN, udp: seen as the router', probe: fromLan('udp', W.v4, 9000), want: answer('wan-client', 9000, R.wan4) },
      { name: 'WAN straight to 10.0.1.20 is still dropped', probe: fromWan('tcp', 8080, ADDR.lanServer.v4), want: 'dropped' },
    ]);

    describe('removal as documented', () => {
      it('deletes every hook and chain pfc owns, leaves the base firewall, and forwards stop', async () => {
        await loadPfc(FORWARDS);
        for (const [tool, list] of [['iptables', v4], ['ip6tables', v6]] as const) {
          const r = await load(T.router, removal(list, ['PFC-PREROUTING', 'PFC-REFLECT', 'PFC-POSTROUTING'], ['PFC-FORWARD', 'PFC-INPUT']), loader(tool));
          expect(r.stderr).toBe('');
          const left = await pfcRules(tool);
          expect(left.all).not.toMatch(/PFC-/);
          expect(left.all).toMatch(/-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT/);
        }
        await flushConntrack(T.router);
        const [gone, lan] = await probeAll([fromWan('tcp', 80), fromLan('tcp', ADDR.lanServer.v4, 22)]);
        expect(gone).toEqual({ ok: false, reason: 'timeout' });
        expect(lan).toEqual({ ok: true, ...srv(22, ADDR.lanClient.v4) });
      });
    });
  });
}

describe.skipIf(skipReason !== null && !mustRun)('iptables e2e (network namespaces)', () => {
  suite('nft');
  suite('legacy');
});
