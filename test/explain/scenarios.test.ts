/**
 * explain against the e2e scenarios: for every probe of every scenario group (test/e2e/
 * scenarios.ts), what explain predicts must be the outcome the scenario expects, which the
 * nftables and iptables e2e suites check against the kernel. Runs without root; the real-packet
 * version is test/e2e/explain.e2e.test.ts.
 */

import { describe, expect, it } from 'vitest';
import { check } from '../../src/index.js';
import { topologyNames } from '../e2e/netns.js';
import { SOURCES, scenarioCases } from '../e2e/scenarios.js';
import { predict } from '../support/explain-probes.js';

const T = topologyNames('explainp');
const C = scenarioCases(T);

for (const group of ['forwards', 'reflect', 'redirect', 'ipv6', 'masquerade'] as const) {
  describe(`explain predicts the ${group} scenario`, () => {
    const ir = check(SOURCES[group], 'e2e.pf').ir!;
    it.each(C[group].map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const { packet, want } = predict(ir, T, c.probe);
      expect(want, packet).toEqual(c.want);
    });
  });
}
