import { describe, expect, it } from 'vitest';
import { pfLegacy } from '../../src/backends/pf-legacy.js';
import { render } from '../../src/backends/render.js';
import { allow, canonical, everything, forward, iface, ir, masquerade, ports, redirect, toPort } from '../recognise/ir-builder.js';
import { recognisePf } from '../recognise/pf-grammar.js';

const text = (i: Parameters<typeof pfLegacy.toViewModel>[0]) => render(pfLegacy.template, pfLegacy.toViewModel(i, {}));
const rules = (i: Parameters<typeof pfLegacy.toViewModel>[0]) =>
  text(i)
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));

describe('pf-legacy: the six canonical cases of bsd-reference.md §4.2', () => {
  it.each([
    ['A', ['rdr pass on em0 inet proto tcp from any to (em0) port 80 -> 192.168.1.20 port 8080']],
    ['B', ['rdr pass on em0 inet proto udp from any to (em0) port 27015:27030 -> 192.168.1.40']],
    ['C', ['rdr pass on em0 inet proto tcp from 203.0.113.0/24 to (em0) port 2222 -> 192.168.1.5 port 22']],
    ['D', ['rdr pass on em0 inet proto { tcp, udp } from any to (em0) port 5060 -> 192.168.1.50']],
    ['E', ['rdr pass on em0 inet proto tcp from any to (em0) port 80 -> 127.0.0.1 port 8080']],
    [
      'F',
      [
        'nat on em1 inet proto tcp from 192.168.1.0/24 to 192.168.1.20 port 8080 -> (em1)',
        'rdr pass on em0 inet proto tcp from any to (em0) port 80 -> 192.168.1.20 port 8080',
        'rdr pass on em1 inet proto tcp from 192.168.1.0/24 to (em0) port 80 -> 192.168.1.20 port 8080',
      ],
    ],
  ] as const)('case %s', (k, expected) => {
    expect(rules(canonical[k])).toEqual(expected);
  });
});

describe('pf-legacy: view-model decisions', () => {
  it('puts every translation rule before the filter rules', () => {
    const out = rules(
      ir({
        allows: [allow({ target: '2001:db8::10', ports: ports('443') })],
        forwards: [forward({ ports: ports('80'), target: '192.168.1.2' })],
        masquerades: [masquerade({ source: ['10.8.0.0/24'] })],
      }),
    );
    expect(out.map((r) => r.split(' ')[0])).toEqual(['nat', 'rdr', 'pass']);
  });
  it('translation rules carry log after pass and no label (the comment is in the trace line)', () => {
    const t = text(ir({ forwards: [forward({ line: 4, log: true, comment: 'web', ports: ports('80'), target: '192.168.1.2' })] }));
    expect(t).toContain('# home.pf:4: web\nrdr pass log on em0 inet proto tcp from any to (em0) port 80 -> 192.168.1.2\n');
    expect(t).not.toContain('label');
  });
  it('filter rules keep the label', () => {
    expect(rules(ir({ allows: [allow({ target: '192.168.1.9', ports: ports('22'), comment: 'ssh' })] }))).toEqual([
      'pass in quick on em0 inet proto tcp from any to 192.168.1.9 port 22 label "ssh"',
    ]);
  });
  it('masquerade from an interface becomes its subnets, or IF:network without them', () => {
    expect(
      rules(
        ir({ masquerades: [masquerade({ source: iface('lan', 'em1', ['192.168.1.0/24', '192.168.2.0/24']) }), masquerade({ source: iface('dmz', 'em2') })] }),
      ),
    ).toEqual(['nat on em0 inet from { 192.168.1.0/24, 192.168.2.0/24 } to any -> (em0)', 'nat on em0 inet from em2:network to any -> (em0)']);
  });
  it('redirect on every interface matches self', () => {
    expect(rules(ir({ redirects: [redirect({ ports: ports('80'), mapping: toPort(8080), ingress: null })] }))).toEqual([
      'rdr pass inet proto tcp from any to self port 80 -> 127.0.0.1 port 8080',
    ]);
  });
  it('header names the anchor trio and the macOS child anchor', () => {
    const head = text(canonical.A).split('\n').slice(0, 3).join('\n');
    expect(head).toContain('nat-anchor "pfc", rdr-anchor "pfc", anchor "pfc"');
    expect(head).toContain('com.apple/pfc');
  });
  it('expresses everything: no unsupported rules, output passes the recogniser', () => {
    expect(pfLegacy.unsupported(everything, {})).toEqual([]);
    expect(recognisePf(text(everything), 'pf-legacy')).toEqual([]);
  });
});
