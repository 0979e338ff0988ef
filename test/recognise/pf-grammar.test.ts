import { describe, expect, it } from 'vitest';
import { pf } from '../../src/backends/pf.js';
import { pfLegacy } from '../../src/backends/pf-legacy.js';
import { render } from '../../src/backends/render.js';
import { canonical } from './ir-builder.js';
import { recognisePf } from './pf-grammar.js';

// bsd-reference.md §4.1, verbatim: OpenBSD 4.7+ syntax for the six canonical cases.
const openbsd = `ext_if = "em0"            # or use the interface group: egress
int_if = "em1"
pass in quick on $ext_if inet proto tcp from any to ($ext_if) port 80 rdr-to 192.168.1.20 port 8080
pass in quick on $ext_if inet proto udp from any to ($ext_if) port 27015:27030 rdr-to 192.168.1.40
pass in quick on $ext_if inet proto tcp from 203.0.113.0/24 to ($ext_if) port 2222 rdr-to 192.168.1.5 port 22
pass in quick on $ext_if inet proto { tcp, udp } from any to ($ext_if) port 5060 rdr-to 192.168.1.50 port 5060
pass in quick on $ext_if inet proto tcp from any to ($ext_if) port 80 rdr-to 127.0.0.1 port 8080
pass in quick on $int_if inet proto tcp from $int_if:network to ($ext_if) port 80 rdr-to 192.168.1.20 port 8080
pass out quick on $int_if inet proto tcp to 192.168.1.20 port 8080 received-on $int_if nat-to ($int_if)
match in on em0 proto tcp from any to (em0) port 80 rdr-to 192.168.1.20 port 8080
pass in quick on em0 inet proto tcp from any to 192.168.1.20 port 8080
match in on lo0 inet proto tcp from any to 192.168.0.0/24 port 8000:8010 rdr-to 127.0.0.1 port 8000:*
`;

// bsd-reference.md §4.2 and §4.3, verbatim: FreeBSD <= 14 and macOS.
const legacy = `ext_if = "em0"
int_if = "em1"
rdr pass on $ext_if inet proto tcp from any to ($ext_if) port 80 -> 192.168.1.20 port 8080
rdr pass on $ext_if inet proto udp from any to ($ext_if) port 27015:27030 -> 192.168.1.40
rdr pass on $ext_if inet proto tcp from 203.0.113.0/24 to ($ext_if) port 2222 -> 192.168.1.5 port 22
rdr pass on $ext_if inet proto { tcp, udp } from any to ($ext_if) port 5060 -> 192.168.1.50 port 5060
rdr pass on $ext_if inet proto tcp from any to ($ext_if) port 80 -> 127.0.0.1 port 8080
rdr pass on $int_if inet proto tcp from $int_if:network to ($ext_if) port 80 -> 192.168.1.20 port 8080
nat on $int_if inet proto tcp from $int_if:network to 192.168.1.20 port 8080 -> ($int_if)
rdr pass on en0 inet proto tcp from any to (en0) port 80 -> 127.0.0.1 port 8080
rdr pass on lo0 inet proto tcp from any to 127.0.0.1 port 80 -> 127.0.0.1 port 8080
no nat on em1 proto tcp from em1 to 192.168.1.0/24
pass in on $ext_if inet proto tcp from any to 192.168.1.20 port 8080
`;

describe('pf recogniser: positive cases', () => {
  it('accepts the OpenBSD snippets of bsd-reference.md §4.1', () => {
    expect(recognisePf(openbsd, 'pf')).toEqual([]);
  });
  it('accepts the FreeBSD and macOS snippets of bsd-reference.md §4.2-4.3', () => {
    expect(recognisePf(legacy, 'pf-legacy')).toEqual([]);
  });
  it('accepts the main-ruleset anchor lines of each dialect', () => {
    expect(recognisePf('anchor "pfc"\n', 'pf')).toEqual([]);
    expect(recognisePf('nat-anchor "pfc"\nrdr-anchor "pfc"\nanchor "pfc"\n', 'pf-legacy')).toEqual([]);
    expect(recognisePf('nat-anchor "com.apple/*"\nrdr-anchor "com.apple/*"\nanchor "com.apple/*"\n', 'pf-legacy')).toEqual([]);
  });
  it.each(Object.entries(canonical))('accepts pfc output for canonical case %s', (_, ir) => {
    expect(recognisePf(render(pf.template, pf.toViewModel(ir, {})), 'pf')).toEqual([]);
    expect(recognisePf(render(pfLegacy.template, pfLegacy.toViewModel(ir, {})), 'pf-legacy')).toEqual([]);
  });
});

describe('pf recogniser: negative cases', () => {
  const bad: [string, string, 'pf' | 'pf-legacy', RegExp][] = [
    ['port 8080* instead of 8080:*', 'pass in quick on em0 proto tcp to (em0) port 8000:8010 rdr-to 10.0.0.1 port 8080*', 'pf', /portspec/],
    ['legacy port 8080*', 'rdr pass on em0 proto tcp to (em0) port 8000:8010 -> 10.0.0.1 port 8080*', 'pf-legacy', /portspec/],
    [':* in a filter port', 'pass in quick on em0 proto tcp to (em0) port 8000:*', 'pf', /port or range/],
    ['reversed port range', 'pass in on em0 proto tcp to any port 90:80', 'pf', /port or range/],
    ['port 0', 'pass in on em0 proto tcp to any port 0', 'pf', /port or range/],
    ['rdr rule on OpenBSD', 'rdr pass on em0 proto tcp to (em0) port 80 -> 10.0.0.1', 'pf', /removed in OpenBSD 4.7/],
    ['nat-anchor on OpenBSD', 'nat-anchor "pfc"', 'pf', /not in the OpenBSD/],
    ['-> on a filter rule', 'pass in on em0 proto tcp to (em0) port 80 -> 10.0.0.1', 'pf', /belongs to nat\/rdr/],
    ['rdr-to on FreeBSD 14', 'pass in on em0 proto tcp to (em0) port 80 rdr-to 10.0.0.1', 'pf-legacy', /unknown or misplaced/],
    ['match on FreeBSD 14', 'match out on em0 from any to any nat-to (em0)', 'pf-legacy', /'match'/],
    [
      'translation after filter',
      'pass in on em0 proto tcp to any port 22\nrdr pass on em0 proto tcp to (em0) port 80 -> 10.0.0.1',
      'pf-legacy',
      /after filter rules/,
    ],
    ['rdr-anchor after anchor', 'anchor "pfc"\nrdr-anchor "pfc"', 'pf-legacy', /after filter rules/],
    ['label on rdr', 'rdr pass on em0 proto tcp to (em0) port 80 -> 10.0.0.1 label "x"', 'pf-legacy', /no label/],
    ['rdr without ->', 'rdr pass on em0 proto tcp to (em0) port 80', 'pf-legacy', /expected '->'/],
    ['label too long', `pass in on em0 label "${'x'.repeat(64)}"`, 'pf', /63/],
    ['bad address', 'pass in on em0 proto tcp from 300.1.1.1 to any', 'pf', /not a host/],
    ['bad prefix', 'pass in on em0 proto tcp from 10.0.0.0/33 to any', 'pf', /not a host/],
    ['unclosed list', 'pass in on em0 proto { tcp, udp from any to any', 'pf', /protocol/],
    ['unknown protocol', 'pass in on em0 proto tcpp from any to any', 'pf', /protocol/],
    ['unknown statement', 'forward tcp wan:80 -> 10.0.0.1', 'pf', /unknown statement/],
    ['trailing junk', 'pass in on em0 proto tcp from any to any port 80 quick', 'pf', /unknown or misplaced/],
    ['rdr-to a network name', 'pass in on em0 proto tcp to (em0) port 80 rdr-to lan', 'pf', /redirection address/],
  ];
  it.each(bad)('rejects %s', (_, text, dialect, message) => {
    const problems = recognisePf(text, dialect);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => p.message).join('\n')).toMatch(message);
  });
  it('reports the line of each bad statement and keeps going', () => {
    const text = 'pass in on em0 proto tcp to any port 80\npass in on em0 port 8080*\npass in on em0 proto udpp to any\n';
    expect(recognisePf(text, 'pf').map((p) => p.line)).toEqual([2, 3]);
  });
});
