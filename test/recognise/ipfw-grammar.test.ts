import { describe, expect, it } from 'vitest';
import { ipfw } from '../../src/backends/ipfw.js';
import { render } from '../../src/backends/render.js';
import { recogniseIpfw } from './ipfw-grammar.js';
import { canonical } from './ir-builder.js';

// bsd-reference.md §4.4, verbatim (the main snippet; the hairpin sketch is left out on purpose).
const reference = `# prerequisites: kldload ipfw ipfw_nat ; sysctl net.inet.ip.fw.one_pass=0 ;
ipfw -q nat 1 config if em0 same_ports reset \\
    redirect_port tcp 192.168.1.20:8080 80 \\
    redirect_port udp 192.168.1.40:27015-27030 27015-27030 \\
    redirect_port tcp 192.168.1.5:22 2222 \\
    redirect_port tcp 192.168.1.50:5060 5060 \\
    redirect_port udp 192.168.1.50:5060 5060
ipfw -q add 1000 nat 1 ip4 from any to any in recv em0
ipfw -q add 1010 deny tcp from not 203.0.113.0/24 to 192.168.1.5 22 in recv em0
ipfw -q add 5000 nat 1 ip4 from any to any out xmit em0
ipfw -q add 500 fwd 127.0.0.1,8080 tcp from any to me 80 in
ipfw nat 123 config ip 192.168.0.123 log deny_in reset same_ports
ipfw set disable 1
ipfw add 100 set 1 allow tcp from any to me 22
ipfw set swap 0 1
ipfw delete set 1
`;

describe('ipfw recogniser: positive cases', () => {
  it('accepts the FreeBSD snippet of bsd-reference.md §4.4', () => {
    expect(recogniseIpfw(reference)).toEqual([]);
  });
  it.each(Object.entries(canonical))('accepts pfc output for canonical case %s, staged', (_, ir) => {
    expect(recogniseIpfw(render(ipfw.template, ipfw.toViewModel(ir, {})), { staged: true })).toEqual([]);
  });
});

describe('ipfw recogniser: negative cases', () => {
  const nat = 'ipfw -q nat 1 config if em0\n';
  const staged = 'ipfw -q set disable 21\n';
  const bad: [string, string, RegExp][] = [
    ['unequal redirect_port ranges', 'ipfw nat 1 config if em0 redirect_port udp 10.0.0.1:27015-27030 27015-27031', /equal in size/],
    ['a single port onto a range', 'ipfw nat 1 config if em0 redirect_port tcp 10.0.0.1:443 8000-8010', /equal in size/],
    ['two protocols in one redirect_port', 'ipfw nat 1 config if em0 redirect_port tcp,udp 10.0.0.1:80 80', /one protocol/],
    ['pf-style 8080:* ranges', 'ipfw nat 1 config if em0 redirect_port tcp 10.0.0.1:8080:* 80', /port or port range/],
    ['nat before its config', 'ipfw -q add 100 nat 7 tcp from any to me 80 in', /before 'nat 7 config'/],
    ['skipto backwards', 'ipfw -q add 100 skipto 50 tcp from any to me 80 in', /jump forward/],
    ['fwd without an address', 'ipfw -q add 100 fwd localhost,8080 tcp from any to me 80 in', /ipaddr\[,port\]/],
    ['ports on ip4', `${nat}ipfw -q add 100 nat 1 ip4 from any to me 80 in`, /need tcp, udp or sctp/],
    ['spaces in a port list', 'ipfw -q add 100 allow tcp from any to me 80, 443 in', /not a port/],
    ['reversed port range', 'ipfw -q add 100 allow tcp from any to me 90-80 in', /port or port range/],
    ['unknown option', 'ipfw -q add 100 allow tcp from any to me 80 inbound', /unknown option/],
    ['unknown action', 'ipfw -q add 100 redirect tcp from any to me 80', /unknown action/],
    ['rule number 65535', 'ipfw -q add 65535 allow tcp from any to me 80', /out of range/],
    ['long comment', `ipfw -q add 100 allow tcp from any to me 80 // '${'x'.repeat(81)}'`, /80 characters/],
    ['unbalanced quote', "ipfw -q add 100 allow tcp from any to me 80 // 'x", /quotes/],
    ['a stray shell command', 'rm -rf /tmp/x', /not an ipfw command/],
    ['missing to', 'ipfw -q add 100 allow tcp from any 80 in', /expected 'to'/],
  ];
  it.each(bad)('rejects %s', (_, text, message) => {
    const problems = recogniseIpfw(text);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => p.message).join('\n')).toMatch(message);
  });
  it('in staged mode, rejects a rule added to the live set and a script that never swaps', () => {
    expect(recogniseIpfw('ipfw -q add 100 set 20 allow tcp from any to me 80', { staged: true })[0]?.message).toMatch(/staging/);
    const problems = recogniseIpfw(`${staged}ipfw -q add 100 set 21 allow tcp from any to me 80`, { staged: true });
    expect(problems.map((p) => p.message)).toEqual(['staged rules are never swapped in']);
  });
});
