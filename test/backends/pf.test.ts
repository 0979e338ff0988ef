import { describe, expect, it } from 'vitest';
import { mergeProtocols, pf } from '../../src/backends/pf.js';
import { pfLabel, pfPorts, pfPortspec, pfQuote } from '../../src/backends/pf-syntax.js';
import { render } from '../../src/backends/render.js';
import { allow, canonical, dmz, everything, forward, iface, ir, lan, masquerade, ports, redirect, same, shift, toPort } from '../recognise/ir-builder.js';
import { recognisePf } from '../recognise/pf-grammar.js';

const rules = (i: Parameters<typeof pf.toViewModel>[0]) =>
  render(pf.template, pf.toViewModel(i, {}))
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));

describe('pf: the six canonical cases of bsd-reference.md §4.1', () => {
  it.each([
    ['A', ['pass in quick on em0 inet proto tcp from any to (em0) port 80 rdr-to 192.168.1.20 port 8080']],
    ['B', ['pass in quick on em0 inet proto udp from any to (em0) port 27015:27030 rdr-to 192.168.1.40']],
    ['C', ['pass in quick on em0 inet proto tcp from 203.0.113.0/24 to (em0) port 2222 rdr-to 192.168.1.5 port 22']],
    ['D', ['pass in quick on em0 inet proto { tcp, udp } from any to (em0) port 5060 rdr-to 192.168.1.50']],
    ['E', ['pass in quick on em0 inet proto tcp from any to (em0) port 80 rdr-to 127.0.0.1 port 8080']],
    [
      'F',
      [
        'pass in quick on em0 inet proto tcp from any to (em0) port 80 rdr-to 192.168.1.20 port 8080',
        'pass in quick on em1 inet proto tcp from 192.168.1.0/24 to (em0) port 80 rdr-to 192.168.1.20 port 8080',
        'pass out quick on em1 inet proto tcp from 192.168.1.0/24 to 192.168.1.20 port 8080 received-on em1 nat-to (em1)',
      ],
    ],
  ] as const)('case %s', (k, expected) => {
    expect(rules(canonical[k])).toEqual(expected);
  });
});

describe('pf: builders', () => {
  it('portspec: same keeps the port, port sends all to one, shift is N:* (never N*)', () => {
    expect(pfPortspec(same)).toBe('');
    expect(pfPortspec(toPort(8080))).toBe(' port 8080');
    expect(pfPortspec(shift(20000, 20009))).toBe(' port 20000:*');
    expect(pfPortspec(shift(20000, 20000))).toBe(' port 20000');
  });
  it('ports: single, range, list', () => {
    expect(pfPorts(ports('80'))).toBe('80');
    expect(pfPorts(ports('8000-8010'))).toBe('8000:8010');
    expect(pfPorts(ports('80', '443', '8000-8010'))).toBe('{ 80, 443, 8000:8010 }');
  });
  it('labels: quoted in one place, cut to 63 characters, never unsafe', () => {
    expect(pfLabel(null)).toBe('');
    expect(pfLabel('web UI')).toBe('"web UI"');
    expect(pfLabel('x'.repeat(64))).toBe(`"${'x'.repeat(63)}"`);
    expect(() => pfQuote('a"b')).toThrow();
    expect(() => pfQuote('a\\b')).toThrow();
  });
  it('merges tcp and udp only when adjacent and otherwise equal', () => {
    const t = forward({ line: 2, protocol: 'tcp', ports: ports('53'), target: '192.168.1.2' });
    const u = forward({ line: 2, protocol: 'udp', ports: ports('53'), target: '192.168.1.2' });
    const other = forward({ line: 3, protocol: 'udp', ports: ports('53'), target: '192.168.1.3' });
    expect(mergeProtocols([t, u]).map((m) => m.protocols)).toEqual(['{ tcp, udp }']);
    expect(mergeProtocols([t, other]).map((m) => m.protocols)).toEqual(['tcp', 'udp']);
    expect(mergeProtocols([u, t]).map((m) => m.protocols)).toEqual(['udp', 'tcp']);
  });
});

describe('pf: view-model decisions', () => {
  it('address ingress has no interface and matches that address', () => {
    expect(rules(ir({ forwards: [forward({ ingress: '198.51.100.10', ports: ports('25'), target: '192.168.1.25' })] }))).toEqual([
      'pass in quick inet proto tcp from any to 198.51.100.10 port 25 rdr-to 192.168.1.25',
    ]);
  });
  it('keeps IR order (first match with quick): narrower sources first', () => {
    const narrow = forward({ line: 2, ports: ports('80'), target: '192.168.1.2', sources: ['203.0.113.0/24'] });
    const wide = forward({ line: 3, ports: ports('80'), target: '192.168.1.3', tier: 1 });
    expect(rules(ir({ forwards: [narrow, wide] })).map((r) => r.split(' rdr-to ')[1])).toEqual(['192.168.1.2', '192.168.1.3']);
  });
  it('log goes after the direction, comment becomes label and trace line', () => {
    const text = render(
      pf.template,
      pf.toViewModel(ir({ forwards: [forward({ line: 7, log: true, comment: 'web', ports: ports('80'), target: '192.168.1.2' })] }), {}),
    );
    expect(text).toContain('# home.pf:7: web\npass in log quick on em0 inet proto tcp from any to (em0) port 80 rdr-to 192.168.1.2 label "web"\n');
  });
  it('IPv6 forward, redirect and allow use inet6 and bare addresses', () => {
    const out = rules(
      ir({
        forwards: [forward({ ports: ports('443'), target: '2001:db8::10' })],
        redirects: [redirect({ family: 'ipv6', ports: ports('80'), mapping: toPort(8080), ingress: null })],
        allows: [allow({ target: '2001:db8::/64', ports: ports('22') })],
      }),
    );
    expect(out).toEqual([
      'pass in quick on em0 inet6 proto tcp from any to (em0) port 443 rdr-to 2001:db8::10',
      'pass in quick inet6 proto tcp from any to self port 80 rdr-to ::1 port 8080',
      'pass in quick on em0 inet6 proto tcp from any to 2001:db8::/64 port 22',
    ]);
  });
  it('reflection keeps the from restriction and uses IF:network without subnets', () => {
    const f = forward({ ports: ports('443'), target: '192.168.1.20', sources: ['192.168.1.0/25'], reflect: [dmz, lan] });
    const out = rules(ir({ forwards: [f] }));
    expect(out[1]).toBe('pass in quick on em2 inet proto tcp from 192.168.1.0/25 to (em0) port 443 rdr-to 192.168.1.20');
    const g = forward({ ports: ports('443'), target: '192.168.1.20', reflect: [dmz] });
    expect(rules(ir({ forwards: [g] }))[2]).toBe('pass out quick on em2 inet proto tcp from em2:network to 192.168.1.20 port 443 received-on em2 nat-to (em2)');
  });
  it('masquerade: match ... nat-to, from addresses or received-on the source interface', () => {
    expect(rules(ir({ masquerades: [masquerade({ source: lan }), masquerade({ source: ['10.8.0.0/24'], egress: iface('wan2', 'em3') })] }))).toEqual([
      'match out on em0 inet from any to any received-on em1 nat-to (em0)',
      'match out on em3 inet from 10.8.0.0/24 to any nat-to (em3)',
    ]);
  });
  it('the anchor name follows --table and appears in the header', () => {
    const text = render(pf.template, pf.toViewModel(canonical.A, { table: 'fw' }));
    expect(text.split('\n').slice(0, 3).join('\n')).toBe(
      '# Generated by pfc from home.pf; do not edit. Contents of anchor "fw".\n# The main ruleset needs the line: anchor "fw"\n# Load: pfctl -a fw -nf FILE && pfctl -a fw -f FILE',
    );
  });
  it('expresses everything: no unsupported rules, output passes the recogniser, deterministic', () => {
    expect(pf.unsupported(everything, {})).toEqual([]);
    const text = render(pf.template, pf.toViewModel(everything, {}));
    expect(recognisePf(text, 'pf')).toEqual([]);
    expect(render(pf.template, pf.toViewModel(everything, {}))).toBe(text);
    expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
  });
});
