/**
 * End-to-end tests of the nftables target: the shared scenarios (test/e2e/scenarios.ts)
 * compiled with the public API, loaded with `nft -f` into a router namespace under a default-drop
 * base firewall, and real TCP and UDP probes through the kernel. Needs root and `ip netns`;
 * skips otherwise, except under CI=true.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOW_MARK } from '../../src/backends/nftables.js';
import { compile, renderDiagnostics } from '../../src/index.js';
import { ADDR, createTopology, destroyTopology, flushConntrack, load, loadBaseFirewall, nsExec, topologyNames, unavailableReason } from './netns.js';
import { groupRunner, listenAll, SOURCES, scenarioCases } from './scenarios.js';
import { closeAllListeners } from './traffic.js';

const skipReason = await unavailableReason();
const mustRun = process.env.CI === 'true';
if (skipReason !== null && !mustRun) console.warn(`nftables e2e skipped: ${skipReason}`);

const T = topologyNames('nft');
const C = scenarioCases(T);

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

/** Rules of a scenario group: pfc source to compile, or hand-written nft text. */
type Rules = { readonly pf: string } | { readonly nft: string };

const group = groupRunner<Rules>(async (rules) => {
  if (rules === null) {
    await nsExec(T.router, ['nft', 'delete', 'table', 'inet', 'pfc']);
  } else {
    let text: string;
    if ('pf' in rules) {
      const result = compile(rules.pf, 'e2e.pf', 'nftables');
      if (result.output === null) throw new Error(`compile failed:\n${renderDiagnostics(result.diagnostics, new Map([['e2e.pf', rules.pf]]))}`);
      text = result.output;
    } else text = rules.nft;
    const r = await load(T.router, text, 'nft');
    if (!r.ok) throw new Error(`nft -f rejected the rule set:\n${r.stderr}\n${text}`);
  }
  await flushConntrack(T.router);
});

describe.skipIf(skipReason !== null && !mustRun)('nftables e2e (network namespaces)', () => {
  beforeAll(async () => {
    if (skipReason !== null) throw new Error(`e2e tests must run under CI=true: ${skipReason}`);
    await createTopology({ label: 'nft' });
    await loadBaseFirewall(T, 'nft', { mark: { kind: 'ct', mask: Number(ALLOW_MARK) }, input: 'drop' });
    await listenAll(T);
  });
  afterAll(async () => {
    await closeAllListeners();
    await destroyTopology(T);
  });

  group('baseline: base firewall only, no pfc table', null, C.baseline);

  group(
    'harness: a hand-written DNAT map',
    { nft: HAND_WRITTEN },
    [
      { name: 'tcp 80 reaches 10.0.1.20:8080 with the client address', probe: C.fromWan('tcp', 80), want: C.srv(8080) },
      { name: 'tcp 81 is not forwarded', probe: C.fromWan('tcp', 81), want: 'dropped' },
    ],
    () => {
      it('load() reports nft errors on stderr', async () => {
        const r = await load(T.router, 'table inet pfc_broken {\n  chain c { bogus }\n}\n', 'nft');
        expect(r.ok).toBe(false);
        expect(r.stderr).toMatch(/Error/);
      });
    },
  );

  group('forwards', { pf: SOURCES.forwards }, C.forwards, () => {
    it('log: the forward with log carries a log statement', async () => {
      const r = await nsExec(T.router, ['nft', 'list', 'table', 'inet', 'pfc']);
      expect(String(r.stdout)).toMatch(/log prefix "pfc forward: "/);
    });
  });
  group('reflection (replaces the forwards)', { pf: SOURCES.reflect }, C.reflect);
  group('redirect to a local port (input policy drop)', { pf: SOURCES.redirect }, C.redirect);
  group('IPv6: allow (pinhole) and forward', { pf: SOURCES.ipv6 }, C.ipv6);
  group('masquerade', { pf: SOURCES.masquerade }, C.masquerade);

  it('ADDR documents the topology the scenarios use', () => {
    expect(ADDR.router.wan4).toBe('203.0.113.1');
  });
});
