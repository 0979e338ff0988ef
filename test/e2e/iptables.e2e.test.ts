/**
 * End-to-end tests of the iptables and ip6tables targets: the nftables suite's scenarios and
 * probes, compiled with the public API, loaded with `(ip6)iptables-restore --noflush` into a router
 * namespace under a FORWARD-policy-DROP base firewall, once with iptables-nft and once with
 * iptables-legacy. Also re-apply, replace and removal, counted in the kernel. Root only.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hooks, type IptablesHook } from '../../src/backends/iptables-builder.js';
import { ensureHooks, type IptablesTool, type IptablesVariant, ruleLines, save } from '../support/iptables.js';
import { compileBoth, loaderOf, loadIptablesBase, loadIptablesPair } from './iptables-load.js';
import { ADDR, createTopology, destroyTopology, flushConntrack, load, topologyNames, unavailableReason } from './netns.js';
import { groupRunner, listenAll, SOURCES, scenarioCases } from './scenarios.js';
import { closeAllListeners, probeAll } from './traffic.js';

const skipReason = await unavailableReason();
const mustRun = process.env.CI === 'true';
if (skipReason !== null && !mustRun) console.warn(`iptables e2e skipped: ${skipReason}`);

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

function suite(variant: IptablesVariant): void {
  const T = topologyNames(`ipt${variant}`);
  const C = scenarioCases(T);
  const { fromWan, fromLan, srv } = C;
  const v4 = hooks({ family: 'ipv4', tool: 'iptables', other: 'ip6tables' }, {});
  const v6 = hooks({ family: 'ipv6', tool: 'ip6tables', other: 'iptables' }, {});
  const loader = (tool: IptablesTool) => loaderOf(tool, variant);
  const pfcRules = async (tool: IptablesTool) => {
    // Policy counters aside: iptables-legacy-restore resets them on every commit.
    const all = `${await save(T.router, tool, variant, 'nat')}\n${await save(T.router, tool, variant, 'filter')}`.replace(/\[\d+:\d+\]/g, '[0:0]');
    return { all, own: ruleLines(all).filter((l) => /^-A PFC-/.test(l)), hooks: ruleLines(all).filter((l) => / -j PFC-/.test(l) && !/^-A PFC-/.test(l)) };
  };

  async function loadPfc(pf: string): Promise<void> {
    await loadIptablesPair(T, variant, pf);
    await flushConntrack(T.router);
  }

  const group = groupRunner<string>(async (pf) => {
    if (pf !== null) await loadPfc(pf);
    else await flushConntrack(T.router);
  });

  describe(`${variant}`, () => {
    beforeAll(async () => {
      if (skipReason !== null) throw new Error(`e2e tests must run under CI=true: ${skipReason}`);
      await createTopology({ label: `ipt${variant}` });
      await loadIptablesBase(T, variant);
      await listenAll(T);
    });
    afterAll(async () => {
      await closeAllListeners();
      await destroyTopology(T);
    });

    group('baseline: base firewall only, no pfc chains', null, C.baseline, () => {
      it('a load without pfc hooks fails and changes nothing', async () => {
        const before = await pfcRules('iptables');
        const r = await load(T.router, compileBoth(SOURCES.forwards).iptables, loader('iptables'));
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

    const forwardCases = C.forwards;
    group('forwards', SOURCES.forwards, forwardCases, () => {
      it('log: the forward with log carries a LOG rule with its prefix', async () => {
        expect((await pfcRules('iptables')).own.join('\n')).toMatch(/--dport 2222 .*-j LOG --log-prefix "pfc e2e\.pf:\d+ "/);
      });
      it('re-apply: loading the same file again leaves the same rules, and traffic still flows', async () => {
        const before = { v4: await pfcRules('iptables'), v6: await pfcRules('ip6tables') };
        await loadPfc(SOURCES.forwards);
        await loadPfc(SOURCES.forwards);
        const after = { v4: await pfcRules('iptables'), v6: await pfcRules('ip6tables') };
        expect(after.v4.all).toBe(before.v4.all);
        expect(after.v6.all).toBe(before.v6.all);
        expect(after.v4.own).toHaveLength(
          compileBoth(SOURCES.forwards)
            .iptables.split('\n')
            .filter((l) => l.startsWith('-A ')).length,
        );
        expect(after.v4.hooks).toHaveLength(4);
        expect(after.v6.hooks).toHaveLength(4);
        const again = await probeAll(forwardCases.map((c) => c.probe));
        forwardCases.forEach((c, i) => {
          if (c.want === 'dropped') expect(again[i], c.name).toEqual({ ok: false, reason: 'timeout' });
          else expect(again[i], c.name).toEqual({ ok: true, ...c.want });
        });
      });
    });

    group('reflection (replaces the forwards)', SOURCES.reflect, C.reflect, () => {
      it("replace: only the new file's rules remain, hooks still one each", async () => {
        const now = await pfcRules('iptables');
        expect(now.own).toHaveLength(
          compileBoth(SOURCES.reflect)
            .iptables.split('\n')
            .filter((l) => l.startsWith('-A ')).length,
        );
        expect(now.own.join('\n')).not.toMatch(/7000/);
        expect(now.hooks).toHaveLength(4);
      });
    });

    group('redirect to a local port (INPUT policy DROP)', SOURCES.redirect, C.redirect);

    group('IPv6: allow (pinhole) and forward', SOURCES.ipv6, C.ipv6);

    group('masquerade', SOURCES.masquerade, C.masquerade);

    describe('removal as documented', () => {
      it('deletes every hook and chain pfc owns, leaves the base firewall, and forwards stop', async () => {
        await loadPfc(SOURCES.forwards);
        for (const [tool, list] of [
          ['iptables', v4],
          ['ip6tables', v6],
        ] as const) {
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
