import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBackend } from '../../src/backends/index.js';
import { ip6tables } from '../../src/backends/ip6tables.js';
import { iptables } from '../../src/backends/iptables.js';
import { hooks, type IptablesView } from '../../src/backends/iptables-builder.js';
import { logPrefix, portMatches, quote } from '../../src/backends/iptables-syntax.js';
import { render } from '../../src/backends/render.js';
import type { Ir, PortRange } from '../../src/ir/model.js';
import { fixtureCases } from '../support/fixtures.js';
import {
  ensureHooks,
  type IptablesTool,
  type IptablesVariant,
  inNamespace,
  iptablesAvailable,
  restore,
  restoreCheck,
  ruleLines,
  save,
} from '../support/iptables.js';
import { allow, forward, iface, irOf, masq, origin, port, ports, redirect, shift } from '../support/ir-rules.js';

const wan = iface('wan', 'eth0');
const lan = iface('lan', 'br-lan', '192.168.1.0/24', '2001:db8:1::/64');
const dmz = iface('dmz', 'eth2', '10.0.0.0/24');
const bare = iface('guest', 'eth3');

const ir = irOf([wan, lan, dmz]);

const view4 = (value: Ir, table?: string): IptablesView => iptables.toViewModel(value, table ? { table } : {});
const view6 = (value: Ir): IptablesView => ip6tables.toViewModel(value, {});
/** The `-A CHAIN ...` lines of one chain, without `-A CHAIN `. */
const lines = (v: IptablesView, chain: string) =>
  (v.natRules + v.filterRules)
    .split('\n')
    .filter((l) => l.startsWith(`-A ${chain} `))
    .map((l) => l.slice(`-A ${chain} `.length));
const text4 = (value: Ir) => render(iptables.template, view4(value));
const text6 = (value: Ir) => render(ip6tables.template, view6(value));

// Every case is built once, here, so that the kernel block below can load them all.
const cases = {
  kitchen: ir({
    forwards: [
      forward('203.0.113.5', '192.168.1.7', { ports: '80', log: true, comment: 'by address' }),
      forward(wan, '192.168.1.20', { ports: '80', mapping: port(8080), comment: 'web UI' }),
      forward(wan, '192.168.1.20', { ports: '443', reflect: [lan, dmz], from: ['198.51.100.0/25', '198.51.100.128/25'] }),
      forward(wan, '192.168.1.40', { proto: 'udp', ports: '27015-27030,27040' }),
      forward(wan, '192.168.1.30', { ports: '8000,8443', mapping: port(443), log: true }),
      forward(wan, '192.168.1.60', { ports: '10000-10009', mapping: shift(20000, 20009), reflect: [lan] }),
    ],
    redirects: [redirect(wan, { ports: '81', mapping: port(8080) }), redirect(null, { ports: '7000-7009', mapping: shift(17000, 17009), log: true })],
    allows: [allow(wan, '192.168.1.0/24', { ports: '22,80', log: true })],
    masquerades: [masq(lan, wan), masq(['10.0.0.0/24'], wan)],
  }),
  six: ir({
    forwards: [
      forward(wan, '2001:db8:1::10', { ports: '80', mapping: port(8080) }),
      forward('2001:db8::1', '2001:db8:1::10', { ports: '10000-10009', mapping: shift(20000, 20009), from: ['2001:db8:2::/48'] }),
      forward(wan, '2001:db8:1::10', { ports: '443', reflect: [lan] }),
    ],
    redirects: [redirect(null, { ports: '81', mapping: port(8080), family: 'ipv6' })],
    allows: [allow(wan, '2001:db8:1::10', { ports: '443', log: true })],
  }),
  weird: ir({ forwards: [{ ...forward(wan, '192.168.1.5', { ports: '80' }), origin: { ...origin(), tag: 'we"ird\\ --dport 1\n-A X.pf:9' } }] }),
  changed: ir({ forwards: [forward(wan, '192.168.1.21', { ports: '8081', comment: 'changed' })] }),
  empty: ir({}),
};

describe('iptables syntax', () => {
  it('quotes in one place: printable ASCII without " and \\, so a word never ends early', () => {
    expect(quote('a "b" \\c\n-j DROP')).toBe('"a _b_ _c_-j DROP"');
    expect(quote('x'.repeat(300))).toHaveLength(257);
  });
  it('keeps a log prefix within 29 characters, the tag end first', () => {
    expect(logPrefix('home.pf:12')).toBe('"pfc home.pf:12 "');
    const long = logPrefix('a-very-long-file-name.pf:1234');
    expect(long.length - 2).toBeLessThanOrEqual(29);
    expect(long).toBe('"pfc y-long-file-name.pf:1234 "');
  });
  it('splits multiport lists at 15 ports, a range counting two', () => {
    const list: PortRange[] = Array.from({ length: 10 }, (_, i) => ({ first: 1000 + i * 10, last: 1000 + i * 10 + 1 }));
    const groups = portMatches('tcp', list);
    expect(groups).toHaveLength(2);
    expect(groups[0]).toBe('-m multiport --dports 1000:1001,1010:1011,1020:1021,1030:1031,1040:1041,1050:1051,1060:1061');
    expect(portMatches('udp', ports('53'))).toEqual(['-m udp --dport 53']);
    expect(portMatches('tcp', ports('80,443'))).toEqual(['-m multiport --dports 80,443']);
  });
});

describe('iptables view model', () => {
  it('is registered as iptables and ip6tables, sharing one template', () => {
    expect(findBackend('iptables')).toBe(iptables);
    expect(findBackend('ip6tables')).toBe(ip6tables);
    expect(iptables.template).toBe(ip6tables.template);
  });

  it('always declares every chain pfc owns and checks one hook per built-in chain', () => {
    const v = view4(cases.empty);
    expect(v.natChains).toEqual(['PFC-PREROUTING', 'PFC-REFLECT', 'PFC-POSTROUTING']);
    expect(v.filterChains).toEqual(['PFC-FORWARD', 'PFC-INPUT']);
    expect(v.natHooks.map((h) => `${h.builtin}>${h.chain}`)).toEqual(['PREROUTING>PFC-PREROUTING', 'POSTROUTING>PFC-POSTROUTING']);
    expect(v.filterHooks.map((h) => `${h.builtin}>${h.chain}`)).toEqual(['FORWARD>PFC-FORWARD', 'INPUT>PFC-INPUT']);
    expect(view4(cases.empty, 'edge').natChains[0]).toBe('EDGE-PREROUTING');
  });

  it('translates forwards in IR order: address ingress, sources one rule each, lists, shifts', () => {
    expect(lines(view4(cases.kitchen), 'PFC-PREROUTING')).toEqual([
      '-d 203.0.113.5/32 -p tcp -m tcp --dport 80 -m comment --comment "t.pf:1 by address" -j LOG --log-prefix "pfc t.pf:1 "',
      '-d 203.0.113.5/32 -p tcp -m tcp --dport 80 -m comment --comment "t.pf:1 by address" -j DNAT --to-destination 192.168.1.7',
      '-i eth0 -p tcp -m addrtype --dst-type LOCAL --limit-iface-in -m tcp --dport 80 -m comment --comment "t.pf:2 web UI" -j DNAT --to-destination 192.168.1.20:8080',
      '-s 198.51.100.0/25 -i eth0 -p tcp -m addrtype --dst-type LOCAL --limit-iface-in -m tcp --dport 443 -m comment --comment "t.pf:3" -j DNAT --to-destination 192.168.1.20',
      '-s 198.51.100.128/25 -i eth0 -p tcp -m addrtype --dst-type LOCAL --limit-iface-in -m tcp --dport 443 -m comment --comment "t.pf:3" -j DNAT --to-destination 192.168.1.20',
      '-i eth0 -p udp -m addrtype --dst-type LOCAL --limit-iface-in -m multiport --dports 27015:27030,27040 -m comment --comment "t.pf:4" -j DNAT --to-destination 192.168.1.40',
      '-i eth0 -p tcp -m addrtype --dst-type LOCAL --limit-iface-in -m multiport --dports 8000,8443 -m comment --comment "t.pf:5" -j LOG --log-prefix "pfc t.pf:5 "',
      '-i eth0 -p tcp -m addrtype --dst-type LOCAL --limit-iface-in -m multiport --dports 8000,8443 -m comment --comment "t.pf:5" -j DNAT --to-destination 192.168.1.30:443',
      '-i eth0 -p tcp -m addrtype --dst-type LOCAL --limit-iface-in -m tcp --dport 10000:10009 -m comment --comment "t.pf:6" -j DNAT --to-destination 192.168.1.60:20000-20009/10000',
      '-i eth0 -p tcp -m addrtype --dst-type LOCAL --limit-iface-in -m tcp --dport 81 -m comment --comment "t.pf:7" -j REDIRECT --to-ports 8080',
      '-m addrtype --dst-type LOCAL -m comment --comment "pfc reflection" -j PFC-REFLECT',
      '-p tcp -m addrtype --dst-type LOCAL -m tcp --dport 7000:7009 -m comment --comment "t.pf:8" -j LOG --log-prefix "pfc t.pf:8 "',
      '-p tcp -m addrtype --dst-type LOCAL -m tcp --dport 7000:7009 -m comment --comment "t.pf:8" -j DNAT --to-destination :17000-17009/7000',
    ]);
  });

  it('puts the narrower source first by tier, whatever the order of the lists', () => {
    const wide = forward(wan, '192.168.1.6', { ports: '1-1000', tier: 1 });
    const narrow = forward(wan, '192.168.1.5', { ports: '80', from: ['198.51.100.0/24'], tier: 0 });
    const v = view4(ir({ forwards: [wide, narrow] }));
    expect(lines(v, 'PFC-PREROUTING').map((l) => l.split(' -j ')[1])).toEqual(['DNAT --to-destination 192.168.1.5', 'DNAT --to-destination 192.168.1.6']);
  });

  it('accepts forwarded connections by conntrack state DNAT and original port, never by the internal address alone', () => {
    const accepts = lines(view4(cases.kitchen), 'PFC-FORWARD').filter((l) => !l.includes('--ctstate NEW'));
    expect(accepts.length).toBeGreaterThan(0);
    for (const a of accepts) expect(a).toMatch(/-m conntrack --ctstate DNAT( --ctorigdst \S+)? --ctorigdstport \d+(:\d+)? /);
    expect(accepts).toContain(
      '-d 192.168.1.7/32 -p tcp -m tcp --dport 80 -m conntrack --ctstate DNAT --ctorigdst 203.0.113.5 --ctorigdstport 80 -m comment --comment "t.pf:1 by address" -j ACCEPT',
    );
    expect(accepts).toContain(
      '-d 192.168.1.30/32 -i eth0 -p tcp -m tcp --dport 443 -m conntrack --ctstate DNAT --ctorigdstport 8443 -m comment --comment "t.pf:5" -j ACCEPT',
    );
    expect(accepts).toContain(
      '-d 192.168.1.60/32 -i eth0 -p tcp -m tcp --dport 20000:20009 -m conntrack --ctstate DNAT --ctorigdstport 10000:10009 -m comment --comment "t.pf:6" -j ACCEPT',
    );
  });

  it('reflects with both halves, keeping from, skipping declared subnets', () => {
    const v = view4(cases.kitchen);
    expect(lines(v, 'PFC-REFLECT')).toEqual([
      '-d 192.168.1.0/24 -m comment --comment "pfc reflection: a declared subnet" -j RETURN',
      '-d 10.0.0.0/24 -m comment --comment "pfc reflection: a declared subnet" -j RETURN',
      '-s 198.51.100.0/25 -i br-lan -p tcp -m addrtype --dst-type LOCAL -m addrtype ! --dst-type LOCAL --limit-iface-in -m tcp --dport 443 -m comment --comment "t.pf:3" -j DNAT --to-destination 192.168.1.20',
      '-s 198.51.100.128/25 -i br-lan -p tcp -m addrtype --dst-type LOCAL -m addrtype ! --dst-type LOCAL --limit-iface-in -m tcp --dport 443 -m comment --comment "t.pf:3" -j DNAT --to-destination 192.168.1.20',
      '-s 198.51.100.0/25 -i eth2 -p tcp -m addrtype --dst-type LOCAL -m addrtype ! --dst-type LOCAL --limit-iface-in -m tcp --dport 443 -m comment --comment "t.pf:3" -j DNAT --to-destination 192.168.1.20',
      '-s 198.51.100.128/25 -i eth2 -p tcp -m addrtype --dst-type LOCAL -m addrtype ! --dst-type LOCAL --limit-iface-in -m tcp --dport 443 -m comment --comment "t.pf:3" -j DNAT --to-destination 192.168.1.20',
      '-i br-lan -p tcp -m addrtype --dst-type LOCAL -m addrtype ! --dst-type LOCAL --limit-iface-in -m tcp --dport 10000:10009 -m comment --comment "t.pf:6" -j DNAT --to-destination 192.168.1.60:20000-20009/10000',
    ]);
    expect(lines(v, 'PFC-POSTROUTING')).toEqual([
      '-s 192.168.1.0/24 -d 192.168.1.20/32 -p tcp -m tcp --dport 443 -m conntrack --ctstate DNAT --ctorigdstport 443 -m comment --comment "t.pf:3" -j MASQUERADE',
      '-s 10.0.0.0/24 -d 192.168.1.20/32 -p tcp -m tcp --dport 443 -m conntrack --ctstate DNAT --ctorigdstport 443 -m comment --comment "t.pf:3" -j MASQUERADE',
      '-s 192.168.1.0/24 -d 192.168.1.60/32 -p tcp -m tcp --dport 20000:20009 -m conntrack --ctstate DNAT --ctorigdstport 10000:10009 -m comment --comment "t.pf:6" -j MASQUERADE',
      '-s 192.168.1.0/24 -o eth0 -m comment --comment "t.pf:10" -j MASQUERADE',
      '-s 10.0.0.0/24 -o eth0 -m comment --comment "t.pf:11" -j MASQUERADE',
    ]);
    expect(lines(v, 'PFC-FORWARD')).toContain(
      '-s 198.51.100.0/25 -d 192.168.1.20/32 -i eth2 -p tcp -m tcp --dport 443 -m conntrack --ctstate DNAT --ctorigdstport 443 -m comment --comment "t.pf:3" -j ACCEPT',
    );
  });

  it('accepts new connections for allow, logging first; redirected ones in INPUT', () => {
    const v = view4(cases.kitchen);
    expect(lines(v, 'PFC-FORWARD').filter((l) => l.includes('--ctstate NEW'))).toEqual([
      '-d 192.168.1.0/24 -i eth0 -p tcp -m multiport --dports 22,80 -m conntrack --ctstate NEW -m comment --comment "t.pf:9" -j LOG --log-prefix "pfc t.pf:9 "',
      '-d 192.168.1.0/24 -i eth0 -p tcp -m multiport --dports 22,80 -m conntrack --ctstate NEW -m comment --comment "t.pf:9" -j ACCEPT',
    ]);
    expect(lines(v, 'PFC-INPUT')).toEqual([
      '-i eth0 -p tcp -m tcp --dport 8080 -m conntrack --ctstate DNAT --ctorigdstport 81 -m comment --comment "t.pf:7" -j ACCEPT',
      '-p tcp -m tcp --dport 17000:17009 -m conntrack --ctstate DNAT --ctorigdstport 7000:7009 -m comment --comment "t.pf:8" -j ACCEPT',
    ]);
  });

  it('writes IPv6 NAT targets with brackets only when a port follows', () => {
    const pre = lines(view6(cases.six), 'PFC-PREROUTING');
    expect(pre[0]).toBe(
      '-s 2001:db8:2::/48 -d 2001:db8::1/128 -p tcp -m tcp --dport 10000:10009 -m comment --comment "t.pf:13" -j DNAT --to-destination [2001:db8:1::10]:20000-20009/10000',
    );
    expect(pre[1]).toContain('-j DNAT --to-destination [2001:db8:1::10]:8080');
    expect(pre[2]).toContain('-j DNAT --to-destination 2001:db8:1::10');
    expect(lines(view6(cases.six), 'PFC-POSTROUTING')[0]).toContain('-s 2001:db8:1::/64 -d 2001:db8:1::10/128');
  });

  it('keeps a hostile file name inside one quoted word', () => {
    const out = text4(cases.weird);
    expect(out).toContain('--comment "we_ird_ --dport 1_-A X.pf:9" -j DNAT');
    expect(out.split('\n').filter((l) => l.startsWith('-A X'))).toEqual([]);
  });

  it('renders deterministic bytes with a short header', () => {
    const out = text4(cases.kitchen);
    expect(text4(cases.kitchen)).toBe(out);
    expect(out.split('\n').slice(0, 2)).toEqual([
      '# generated by pfc from t.pf; do not edit',
      "# load: iptables-restore --noflush < FILE (replaces pfc's chains; needs pfc's hooks, docs/targets.md)",
    ]);
    expect(out.endsWith('COMMIT\n')).toBe(true);
    expect(text6(cases.six)).toContain(
      '# hook, once per boot: ip6tables -t nat -N PFC-PREROUTING; ip6tables -t nat -I PREROUTING -j PFC-PREROUTING\n-C PREROUTING -j PFC-PREROUTING\n',
    );
  });
});

describe('iptables unsupported', () => {
  it('names the other family once, with the target that takes it', () => {
    const both = redirect(wan, { ports: '80', mapping: port(8080) });
    const found = iptables.unsupported(ir({ forwards: cases.six.forwards, redirects: [both, { ...both, family: 'ipv6' }] }), {});
    expect(found.map((u) => [u.message, u.data])).toEqual([
      ['IptablesOtherFamily', { family: 'IPv6', target: 'iptables', other: 'ip6tables', tags: 't.pf:12, t.pf:13, t.pf:14' }],
    ]);
    expect(ip6tables.unsupported(cases.six, {})).toEqual([]);
  });
  it('needs a subnet where it masquerades by source: reflection through and masquerade from an interface', () => {
    const value = ir({
      interfaces: [wan, lan, bare],
      forwards: [forward(wan, '192.168.1.5', { ports: '80', reflect: [lan, bare] })],
      masquerades: [masq(bare, wan)],
    });
    expect(iptables.unsupported(value, {}).map((u) => `${u.message} ${u.data.iface}`)).toEqual([
      'IptablesReflectSubnet guest',
      'IptablesMasqueradeSubnet guest',
    ]);
  });
  it('refuses a chain prefix that makes names longer than 28 characters', () => {
    expect(iptables.unsupported(cases.empty, { table: 'p'.repeat(17) }).map((u) => u.message)).toEqual(['IptablesChainPrefix']);
    expect(iptables.unsupported(cases.empty, { table: 'p'.repeat(16) })).toEqual([]);
  });
});

// Kernel checks: in throwaway network namespaces, with the nf_tables and the legacy variant.
const kernel = await iptablesAvailable();
const mustRun = process.env.CI === 'true';
if (!kernel.ok) console.warn(`iptables: namespace checks ${mustRun ? 'will fail' : 'skipped'}: ${kernel.reason}`);
const variants: IptablesVariant[] = ['nft', 'legacy'];
const v4hooks = hooks({ family: 'ipv4', tool: 'iptables', other: 'ip6tables' }, {});
const v6hooks = hooks({ family: 'ipv6', tool: 'ip6tables', other: 'iptables' }, {});

describe.skipIf(!kernel.ok && !mustRun)('iptables output passes restore --test (in a network namespace)', () => {
  for (const variant of variants) {
    for (const [name, value] of Object.entries(cases)) {
      it(`${name}: iptables-${variant}-restore --test`, async () => {
        const r = await restoreCheck('iptables', variant, text4(value), v4hooks);
        expect(r.stderr).toBe('');
        expect(r.ok).toBe(true);
      });
      it(`${name}: ip6tables-${variant}-restore --test`, async () => {
        const r = await restoreCheck('ip6tables', variant, text6(value), v6hooks);
        expect(r.stderr).toBe('');
        expect(r.ok).toBe(true);
      });
    }
  }
});

describe.skipIf(!kernel.ok && !mustRun)('every golden passes restore --test with both variants', () => {
  for (const variant of variants)
    for (const [tool, list] of [
      ['iptables', v4hooks],
      ['ip6tables', v6hooks],
    ] as const)
      it(`fixtures/**/${tool}.rules: ${tool}-${variant}-restore --test`, async () => {
        const goldens = fixtureCases()
          .map((c) => join(c.dir, `${tool}.rules`))
          .filter((f) => existsSync(f));
        expect(goldens.length).toBeGreaterThan(10);
        const failed = await inNamespace('golden', async (ns) => {
          await ensureHooks(ns, variant, list);
          const out: string[] = [];
          for (const f of goldens) {
            const r = await restore(ns, tool, variant, readFileSync(f, 'utf8'), true);
            if (!r.ok || r.stderr !== '') out.push(`${f}: ${r.stderr}`);
          }
          return out;
        });
        expect(failed).toEqual([]);
      });
});

describe.skipIf(!kernel.ok && !mustRun)('loading into the kernel: one hook each, idempotent, replaced whole', () => {
  const foreign = (tool: IptablesTool) =>
    [
      // Another tool's chain and rules (Docker style), before pfc exists; pfc must not touch them.
      '*nat',
      ':DOCKER - [0:0]',
      '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
      `-A DOCKER -i docker0 -j RETURN`,
      'COMMIT',
      '*filter',
      ':DOCKER-USER - [0:0]',
      '-A FORWARD -j DOCKER-USER',
      '-A DOCKER-USER -j RETURN',
      `-A INPUT -p tcp -m tcp --dport ${tool === 'iptables' ? 22 : 2222} -j ACCEPT`,
      'COMMIT',
      '',
    ].join('\n');
  const snapshot = async (ns: string, tool: IptablesTool, variant: IptablesVariant) =>
    `${await save(ns, tool, variant, 'nat')}\n${await save(ns, tool, variant, 'filter')}`;
  const notPfc = (saved: string) =>
    saved
      .split('\n')
      .filter((l) => !l.includes('PFC-'))
      .join('\n');

  for (const variant of variants)
    for (const [tool, text, first, second, hookList] of [
      ['iptables', text4, cases.kitchen, cases.changed, v4hooks],
      ['ip6tables', text6, cases.six, cases.empty, v6hooks],
    ] as const)
      it(`${tool}-${variant}: fails atomically without hooks, then loads twice to one state and reloads with no stale rule`, async () => {
        await inNamespace('load', async (ns) => {
          expect((await restore(ns, tool, variant, foreign(tool))).ok).toBe(true);
          const before = await snapshot(ns, tool, variant);
          // Without pfc's hooks the load fails at the first `-C`, and nothing changes.
          const missing = await restore(ns, tool, variant, text(first));
          expect(missing.ok).toBe(false);
          expect(await snapshot(ns, tool, variant)).toBe(before);
          // Hooks, created twice the documented way: one jump each.
          await ensureHooks(ns, variant, hookList);
          await ensureHooks(ns, variant, hookList);
          const hooked = await snapshot(ns, tool, variant);
          for (const h of hookList) expect(ruleLines(hooked, h.builtin).filter((l) => l.endsWith(`-j ${h.chain}`))).toHaveLength(1);
          // Load twice: the same state, rule for rule.
          expect((await restore(ns, tool, variant, text(first))).ok).toBe(true);
          const once = await snapshot(ns, tool, variant);
          expect((await restore(ns, tool, variant, text(first))).ok).toBe(true);
          const twice = await snapshot(ns, tool, variant);
          expect(twice).toBe(once);
          const rendered = text(first)
            .split('\n')
            .filter((l) => l.startsWith('-A ')).length;
          expect(ruleLines(twice).filter((l) => /^-A PFC-/.test(l))).toHaveLength(rendered);
          for (const h of hookList) expect(ruleLines(twice, h.builtin).filter((l) => l.endsWith(`-j ${h.chain}`))).toHaveLength(1);
          // A changed file replaces pfc's rules whole: only the new ones remain.
          expect((await restore(ns, tool, variant, text(second))).ok).toBe(true);
          const changed = await snapshot(ns, tool, variant);
          const expected = text(second)
            .split('\n')
            .filter((l) => l.startsWith('-A ')).length;
          expect(ruleLines(changed).filter((l) => /^-A PFC-/.test(l))).toHaveLength(expected);
          // Nothing outside pfc's chains changed at any step (hook lines aside).
          expect(notPfc(changed)).toBe(notPfc(before));
          expect(notPfc(twice)).toBe(notPfc(before));
        });
      });
});
