/**
 * explain against real packets: each scenario's rule set compiled for nftables and loaded into
 * the router namespace under the default-drop base firewall; every probe is sent through the
 * kernel, and its real outcome must be what `explain` predicted from the IR (the rule's target
 * and port, the peer the server saw: the client, or the router when the source is rewritten; or
 * dropped when explain finds no rule). Needs root and `ip netns`; skips otherwise, except under CI=true.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOW_MARK } from '../../src/backends/nftables.js';
import { check, compile } from '../../src/index.js';
import { predict } from '../support/explain-probes.js';
import { createTopology, destroyTopology, flushConntrack, load, loadBaseFirewall, topologyNames, unavailableReason } from './netns.js';
import { listenAll, SOURCES, scenarioCases } from './scenarios.js';
import { closeAllListeners, type ProbeResult, probeAll } from './traffic.js';

const skipReason = await unavailableReason();
const mustRun = process.env.CI === 'true';
if (skipReason !== null && !mustRun) console.warn(`explain e2e skipped: ${skipReason}`);

const T = topologyNames('explain');
const C = scenarioCases(T);

describe.skipIf(skipReason !== null && !mustRun)('explain e2e: predictions against real packets (nftables)', () => {
  beforeAll(async () => {
    if (skipReason !== null) throw new Error(`e2e tests must run under CI=true: ${skipReason}`);
    await createTopology({ label: 'explain' });
    await loadBaseFirewall(T, 'nft', { mark: { kind: 'ct', mask: Number(ALLOW_MARK) }, input: 'drop' });
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
        const compiled = compile(SOURCES[group], 'e2e.pf', 'nftables');
        if (compiled.output === null) throw new Error(`compile failed for ${group}`);
        const loaded = await load(T.router, compiled.output, 'nft');
        if (!loaded.ok) throw new Error(`nft -f rejected the ${group} rule set:\n${loaded.stderr}`);
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
