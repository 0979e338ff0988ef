/**
 * explain against real packets: each scenario's rule set compiled for a Linux target (nftables,
 * and iptables with ip6tables through iptables-nft) and loaded into the router namespace under
 * the default-drop base firewall; every probe is sent through the kernel, and its real outcome
 * must be what `explain` predicted from the IR (the rule's target and port, the peer the server
 * saw: the client, or the router when the source is rewritten; or dropped when explain finds no
 * rule). explain reads the IR, not a target's output, so one prediction holds for both targets.
 * Needs root and `ip netns`; skips otherwise, except under CI=true.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hooks } from '../../src/backends/iptables-builder.js';
import { ALLOW_MARK } from '../../src/backends/nftables.js';
import { check, compile } from '../../src/index.js';
import { predict } from '../support/explain-probes.js';
import { ensureHooks } from '../support/iptables.js';
import { loadIptablesBase, loadIptablesPair } from './iptables-load.js';
import { createTopology, destroyTopology, flushConntrack, load, loadBaseFirewall, type Topology, topologyNames, unavailableReason } from './netns.js';
import { listenAll, SOURCES, scenarioCases } from './scenarios.js';
import { closeAllListeners, type ProbeResult, probeAll } from './traffic.js';

const skipReason = await unavailableReason();
const mustRun = process.env.CI === 'true';
if (skipReason !== null && !mustRun) console.warn(`explain e2e skipped: ${skipReason}`);

/** How a target's rule sets get into the router: its base firewall once, then each group's rule set. */
interface Loader {
  readonly label: string;
  setUp(T: Topology): Promise<void>;
  loadGroup(T: Topology, pf: string): Promise<void>;
}

const loaders: Record<'nftables' | 'iptables', Loader> = {
  nftables: {
    label: 'explain',
    setUp: (T) => loadBaseFirewall(T, 'nft', { mark: { kind: 'ct', mask: Number(ALLOW_MARK) }, input: 'drop' }),
    async loadGroup(T, pf) {
      const compiled = compile(pf, 'e2e.pf', 'nftables');
      if (compiled.output === null) throw new Error('compile failed');
      const loaded = await load(T.router, compiled.output, 'nft');
      if (!loaded.ok) throw new Error(`nft -f rejected the rule set:\n${loaded.stderr}`);
    },
  },
  iptables: {
    label: 'explainipt',
    async setUp(T) {
      await loadIptablesBase(T, 'nft');
      // pfc's hooks from the built-in chains, created once per boot as docs/targets.md says.
      await ensureHooks(T.router, 'nft', hooks({ family: 'ipv4', tool: 'iptables', other: 'ip6tables' }, {}));
      await ensureHooks(T.router, 'nft', hooks({ family: 'ipv6', tool: 'ip6tables', other: 'iptables' }, {}));
    },
    loadGroup: (T, pf) => loadIptablesPair(T, 'nft', pf),
  },
};

for (const [target, loader] of Object.entries(loaders)) {
  const T = topologyNames(loader.label);
  const C = scenarioCases(T);

  describe.skipIf(skipReason !== null && !mustRun)(`explain e2e: predictions against real packets (${target})`, () => {
    beforeAll(async () => {
      if (skipReason !== null) throw new Error(`e2e tests must run under CI=true: ${skipReason}`);
      await createTopology({ label: loader.label });
      await loader.setUp(T);
      await listenAll(T);
    });
    afterAll(async () => {
      await closeAllListeners();
      await destroyTopology(T);
    });

    for (const group of ['forwards', 'reflect', 'redirect', 'ipv6', 'masquerade'] as const) {
      describe(group, () => {
        const ir = check(SOURCES[group], 'e2e.pf').ir!;
        const cases = C[group].map((c) => ({ name: c.name, probe: c.probe, ...predict(ir, T, c.probe) }));
        let results: ProbeResult[] = [];
        beforeAll(async () => {
          await loader.loadGroup(T, SOURCES[group]);
          await flushConntrack(T.router);
          results = await probeAll(cases.map((c) => c.probe));
        });
        it.each(cases.map((c, i) => [`${c.name}: ${c.packet}`, i] as const))('%s', (_name, i) => {
          const c = cases[i]!;
          if (c.want === 'dropped') expect(results[i], c.packet).toEqual({ ok: false, reason: 'timeout' });
          else expect(results[i], c.packet).toEqual({ ok: true, ...c.want });
        });
      });
    }
  });
}
