import { describe, expect, it } from 'vitest';
import { IPFW_RULES, IPFW_SLOTS, ipfw, ipfwPorts, numberSections, redirectPorts, rulesPerNumber, shQuote } from '../../src/backends/ipfw.js';
import { RuleLines } from '../../src/backends/ipfw-lines.js';
import { render } from '../../src/backends/render.js';
import { Messages } from '../../src/diagnostics/messages.js';
import { compile } from '../../src/index.js';
import { recogniseIpfw } from '../recognise/ipfw-grammar.js';
import { canonical, everything, forward, ir, lan, masquerade, ports, redirect, shift, toPort } from '../recognise/ir-builder.js';

type IrT = Parameters<typeof ipfw.toViewModel>[0];
const text = (i: IrT) => render(ipfw.template, ipfw.toViewModel(i, {}));
const adds = (i: IrT) =>
  text(i)
    .split('\n')
    .filter((l) => l.startsWith('ipfw -q add'))
    .map((l) => l.replace(/^ipfw -q add \d+ set 21 /, '').replace(/ \/\/ .*$/, ''));
const codes = (i: IrT) => ipfw.unsupported(i, {}).map((u) => Messages[u.message].code);
/** A section's lines as rules: the number, and the action and body after the staging set. */
const rulesOf = (lines: string) =>
  lines
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const m = /^ipfw -q add (\d+) set 21 (.+)$/.exec(l);
      expect(m, l).not.toBeNull();
      return { number: Number(m?.[1]), rule: m?.[2] ?? '' };
    });
/** A NAT instance's redirect_port continuations, from a list of their arguments. */
const continued = (redirects: readonly string[]) => redirects.map((r) => ` \\\n    redirect_port ${r}`).join('');

describe('ipfw: canonical cases of bsd-reference.md §4.4', () => {
  it('A-D share one NAT instance on em0 with one redirect_port per protocol and range', () => {
    const all = ir({ forwards: ['A', 'B', 'C', 'D'].flatMap((k) => canonical[k as 'A'].forwards) });
    expect(ipfw.toViewModel(all, {}).nats).toEqual([
      {
        number: 10001,
        config: 'if em0 same_ports reset',
        redirects: continued([
          'tcp 192.168.1.20:8080 80',
          'udp 192.168.1.40:27015-27030 27015-27030',
          'tcp 192.168.1.5:22 2222',
          'tcp 192.168.1.50:5060 5060',
          'udp 192.168.1.50:5060 5060',
        ]),
      },
    ]);
  });
  it('C: the source restriction is on the NAT rule and on the filter rule after NAT', () => {
    expect(adds(canonical.C)).toEqual([
      'nat 10001 tcp from 203.0.113.0/24 to me 2222 in recv em0',
      'nat 10001 tcp from 192.168.1.5 22 to 203.0.113.0/24 out xmit em0',
      'allow tcp from 203.0.113.0/24 to 192.168.1.5 22 in recv em0 keep-state',
      'allow tcp from me 2222 to 203.0.113.0/24 out xmit em0',
    ]);
  });
  it('E: fwd to the loopback address and port', () => {
    expect(adds(canonical.E)).toEqual(['fwd 127.0.0.1,8080 tcp from any to me 80 in recv em0']);
    expect(text(canonical.E)).not.toContain('one_pass');
  });
  it('F: reflection is reported (E130), never emitted', () => {
    expect(codes(canonical.F)).toEqual(['E130']);
    expect(adds(canonical.F)).toEqual([]);
  });
});

describe('ipfw: builders and decisions', () => {
  it('ports are comma separated without spaces', () => {
    expect(ipfwPorts(ports('80', '443', '8000-8010'))).toBe('80,443,8000-8010');
  });
  it('redirect_port: equal ranges for shift, one per port for many-to-one', () => {
    expect(redirectPorts(forward({ ports: ports('10000-10009'), target: '192.168.1.60', mapping: shift(20000, 20009) }))).toEqual([
      'tcp 192.168.1.60:20000-20009 10000-10009',
    ]);
    expect(redirectPorts(forward({ ports: ports('8000', '8443'), target: '192.168.1.30', mapping: toPort(443) }))).toEqual([
      'tcp 192.168.1.30:443 8000',
      'tcp 192.168.1.30:443 8443',
    ]);
  });
  it('shift redirects expand into one fwd per port', () => {
    expect(adds(ir({ redirects: [redirect({ ports: ports('8000-8001'), mapping: shift(9000, 9001), ingress: null })] }))).toEqual([
      'fwd 127.0.0.1,9000 tcp from any to me 8000 in',
      'fwd 127.0.0.1,9001 tcp from any to me 8001 in',
    ]);
  });
  it('IPv6 redirect uses ::1 and me6', () => {
    expect(adds(ir({ redirects: [redirect({ family: 'ipv6', ports: ports('80'), mapping: toPort(8080), ingress: null })] }))).toEqual([
      'fwd ::1,8080 tcp from any to me6 80 in',
    ]);
  });
  it('masquerade shares the instance; a restricted forward skips past the catch-all', () => {
    const i = ir({ forwards: canonical.C.forwards, masquerades: [masquerade({ source: lan })] });
    const lines = adds(i);
    expect(ipfw.toViewModel(i, {}).nats).toHaveLength(1);
    expect(lines.slice(0, 4)).toEqual([
      'nat 10001 tcp from 203.0.113.0/24 to me 2222 in recv em0',
      'skipto 10030 tcp from any to me 2222 in recv em0',
      'nat 10001 ip4 from any to me in recv em0',
      'nat 10001 ip4 from any to any out xmit em0 recv em1',
    ]);
  });
  it('comments carry the trace tag, are shell quoted and cut to 80 characters', () => {
    expect(shQuote("it's")).toBe("'it'\\''s'");
    const f = forward({ ports: ports('80'), target: '192.168.1.2', comment: 'c'.repeat(64) });
    const long = ir({ forwards: [{ ...f, origin: { ...f.origin, tag: 'services/web-frontends.pf:1' } }] });
    const line = text(long)
      .split('\n')
      .find((l) => l.includes(' nat 10001 tcp'));
    expect(line).toMatch(/\/\/ 'services\/web-frontends\.pf:1 c+'$/);
    expect(/\/\/ '(.*)'$/.exec(line ?? '')?.[1]).toHaveLength(80);
  });
  it('reports what in-kernel NAT cannot express', () => {
    expect(codes(ir({ forwards: [forward({ ports: ports('443'), target: '2001:db8::10' })] }))).toEqual(['E131']);
    expect(
      codes(
        ir({
          forwards: [
            forward({ ports: ports('80'), target: '192.168.1.2', sources: ['203.0.113.0/24'] }),
            forward({ ports: ports('80'), target: '192.168.1.3', tier: 1 }),
          ],
        }),
      ),
    ).toEqual(['E132']);
    expect(
      codes(
        ir({
          forwards: [
            forward({ ports: ports('3389'), target: '192.168.1.8', sources: ['198.51.100.0/25'] }),
            forward({ ports: ports('3380-3390'), target: '192.168.1.9', sources: ['198.51.100.128/25'] }),
            forward({ protocol: 'udp', ports: ports('3389'), target: '192.168.1.9' }),
            forward({ ingress: '198.51.100.10', ports: ports('3389'), target: '192.168.1.9' }),
          ],
        }),
      ),
    ).toEqual(['E132']);
    expect(codes(ir({ masquerades: [masquerade({ source: ['2001:db8::/64'], family: 'ipv6' })] }))).toEqual(['E133']);
    expect(codes(ir({ forwards: [forward({ ports: ports('1000-1100'), target: '192.168.1.2', mapping: toPort(80) })] }))).toEqual(['E134']);
    expect(codes(ir({ redirects: [redirect({ ports: ports('1000-1100'), mapping: shift(2000, 2100) })] }))).toEqual(['E134']);
  });
  it('unsupported rules carry the span of their statement', () => {
    expect(ipfw.unsupported(canonical.F, {})[0]?.span).toEqual(canonical.F.forwards[0]?.origin.span);
  });
  it('everything else compiles to a staged, swapped script that passes the recogniser', () => {
    const t = text(everything);
    expect(recogniseIpfw(t, { staged: true })).toEqual([]);
    expect(t.indexOf('set disable 21')).toBeLessThan(t.indexOf('ipfw -q add'));
    expect(t.trimEnd().split('\n').slice(-2)).toEqual(['ipfw -q set swap 20 21', 'ipfw -q delete set 21 2>/dev/null || true']);
    expect(codes(everything)).toEqual(['E130']);
  });
  it('an empty rule set still swaps, removing the previous pfc rules', () => {
    expect(text(ir({}))).toContain('ipfw -q set swap 20 21');
  });
});

describe('ipfw: rule numbers beyond the ~1,000 the range holds one to a number', () => {
  /** Numbers in the order added: in pfc's range, on its step, never decreasing. */
  const ordered = (numbers: readonly number[]) =>
    numbers.every((n, i) => n >= IPFW_RULES.first && n <= IPFW_RULES.last && n % IPFW_RULES.step === 0 && n >= (numbers[i - 1] ?? n));
  /** Every number of a view, section by section, in the order the script adds them. */
  const numbersOf = (i: IrT) => ipfw.toViewModel(i, {}).sections.map((s) => rulesOf(s.lines).map((r) => r.number));
  /** 300 forwards on em0, every third from one network, and a masquerade: 1,300 rules and skiptos. */
  const big = ir({
    forwards: Array.from({ length: 300 }, (_, n) =>
      forward({ line: n + 1, ports: ports(String(1000 + n)), target: `192.168.1.${(n % 250) + 2}`, sources: n % 3 === 0 ? ['203.0.113.0/24'] : null }),
    ),
    masquerades: [masquerade({ source: lan })],
  });

  it('one rule to a number while the rules fit: 10000, 10010, ... (as before)', () => {
    expect(rulesPerNumber([2, 0, 3])).toBe(1);
    expect(numberSections([['a', 'b'], [], ['c', 'd', 'e']]).sections.map((s) => [s.first, s.rules.map((r) => r.number)])).toEqual([
      [10000, [10000, 10010]],
      [10020, []],
      [10020, [10020, 10030, 10040]],
    ]);
    expect(rulesPerNumber([IPFW_SLOTS])).toBe(1);
    expect(rulesPerNumber([IPFW_SLOTS, 1])).toBe(2);
  });
  it('sections of 400,000 rules share numbers, never decrease, stay in range, and start above the last section', () => {
    const sizes = [2, 100_000, 100_001, 99_999, 100_000];
    const { per, sections } = numberSections(sizes.map((n) => Array.from({ length: n }, (_, i) => i)));
    expect(per).toBe(rulesPerNumber(sizes));
    expect(per).toBeGreaterThan(1);
    const all = sections.flatMap((s) => s.rules.map((r) => r.number));
    expect(all).toHaveLength(400_002);
    expect(ordered(all)).toBe(true);
    sections.forEach((s, i) => {
      expect(s.rules[0]?.number).toBe(s.first);
      // Numbers never decrease, so the previous section's last number is its largest.
      const last = sections[i - 1]?.rules.at(-1)?.number;
      if (last !== undefined) expect(s.first).toBeGreaterThan(last);
      // No number holds more than `per` rules.
      const counts = new Map<number, number>();
      for (const r of s.rules) counts.set(r.number, (counts.get(r.number) ?? 0) + 1);
      expect(Math.max(...counts.values())).toBeLessThanOrEqual(per);
    });
    // The fewest to a number: one fewer would not fit the range.
    expect(sizes.reduce((n, size) => n + Math.ceil(size / (per - 1)), 0)).toBeGreaterThan(IPFW_SLOTS);
  });
  it('1,300 rules compile (no E135) with shared numbers, and each skipto lands on the first outbound rule', () => {
    expect(codes(big)).toEqual([]);
    const view = ipfw.toViewModel(big, {});
    expect(view.sharesNumbers).toBe(true);
    expect(view.rulesPerNumber).toBe(2);
    const sections = numbersOf(big);
    const all = sections.flat();
    // 300 nat in, 100 skipto, the catch-all, the masquerade, 300 nat out, 300 allow, 300 replies.
    expect(all).toHaveLength(1302);
    expect(ordered(all)).toBe(true);
    for (let i = 1; i < sections.length; i++) expect(sections[i]?.[0]).toBeGreaterThan(sections[i - 1]?.at(-1) ?? 0);
    const out = view.sections.find((s) => s.title.startsWith('Outbound'));
    const firstOut = rulesOf(out?.lines ?? '')[0]?.number;
    const skips = view.sections.flatMap((s) => rulesOf(s.lines)).filter((r) => r.rule.startsWith('skipto'));
    expect(skips).toHaveLength(100);
    for (const r of skips) {
      const [action, target] = r.rule.split(' ');
      expect(`${action} ${target}`).toBe(`skipto ${firstOut}`);
      expect(Number(target)).toBeGreaterThan(r.number);
    }
    const t = text(big);
    expect(t).toContain('# More rules than numbers in 10000-19990: up to 2 rules share a number and run in the order added.');
    expect(recogniseIpfw(t, { staged: true })).toEqual([]);
  });
  it('a section is written numbered, with exactly the rules it was placed for', () => {
    const lines = new RuleLines(10020, 2, 3, 21);
    expect(() => lines.text).toThrow();
    for (const port of [80, 81, 82]) lines.add('allow', `tcp from any to me ${port} in`, "'t.pf:1'");
    expect(() => lines.add('allow', 'tcp from any to me 83 in', "'t.pf:1'")).toThrow();
    expect(lines.text).toBe(
      [80, 81, 82].map((port, i) => `ipfw -q add ${i < 2 ? 10020 : 10030} set 21 allow tcp from any to me ${port} in // 't.pf:1'\n`).join(''),
    );
  });
  it('small rule sets say nothing about shared numbers', () => {
    expect(ipfw.toViewModel(canonical.C, {}).sharesNumbers).toBe(false);
    expect(text(canonical.C)).not.toContain('share a number');
  });
  it('plans once per IR: unsupported and toViewModel of one IR share the plan', () => {
    expect(ipfw.toViewModel(big, {})).toBe(ipfw.toViewModel(big, {}));
    const found = ipfw.unsupported(canonical.F, {});
    found.length = 0;
    expect(codes(canonical.F)).toEqual(['E130']);
  });
  it('a generated file of 2,500 forwards (about 8,000 rules) compiles to ipfw without diagnostics', () => {
    const lines = ['interface wan = em0', 'interface lan = em1 subnet 192.168.0.0/16', 'masquerade lan -> wan'];
    for (let i = 0; i < 2500; i++) {
      const host = `192.168.${Math.floor(i / 250) + 1}.${(i % 250) + 2}`;
      if (i % 5 === 0) lines.push(`forward tcp/udp wan:${20000 + i} -> ${host}:${2000 + (i % 7)} from 203.0.113.0/24`);
      else lines.push(`forward tcp wan:${20000 + i} -> ${host}`);
    }
    const result = compile(`${lines.join('\n')}\n`, 'hosting.pf', 'ipfw');
    expect(result.diagnostics).toEqual([]);
    const adds = (result.output ?? '').split('\n').filter((l) => l.startsWith('ipfw -q add '));
    expect(adds.length).toBeGreaterThan(IPFW_SLOTS);
    const numbers = adds.map((l) => Number(l.split(' ')[3]));
    expect(ordered(numbers)).toBe(true);
    expect(recogniseIpfw(result.output ?? '', { staged: true })).toEqual([]);
  });
});
