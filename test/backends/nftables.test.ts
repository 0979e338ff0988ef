import { describe, expect, it } from 'vitest';
import { findBackend } from '../../src/backends/index.js';
import { ALLOW_MARK, nftables, nftString, toNftView } from '../../src/backends/nftables.js';
import { mergeRanges } from '../../src/backends/nftables-snat.js';
import { render } from '../../src/backends/render.js';
import type { Ir } from '../../src/ir/model.js';
import { allow, forward, iface, irOf, masq, origin, port, ports, redirect, shift } from '../support/ir-rules.js';
import { nftAvailable, nftCheck } from '../support/nft.js';

const wan = iface('wan', 'eth0');
const wan2 = iface('wan2', 'ppp0');
const lan = iface('lan', 'br-lan', '192.168.1.0/24', '2001:db8:1::/64');
const dmz = iface('dmz', 'eth2', '10.0.0.0/24', '10.0.0.128/25');

const ir = irOf([wan, lan, dmz]);

const text = (value: Ir, table?: string) => render(nftables.template, toNftView(value, table ? { table } : {}));

// Every case is built once, here, so that the nft -c block below can list them all.
const weird = { ...forward(wan, '192.168.1.5', { ports: '80' }), origin: { ...origin(), tag: 'we"ird\\.pf:9' } };
const cases = {
  port: ir({ forwards: [forward(wan, '192.168.1.20', { ports: '80', mapping: port(8080), comment: 'web UI' })] }),
  same: ir({ forwards: [forward(wan, '192.168.1.40', { proto: 'udp', ports: '27015-27030,27040' })] }),
  shift: ir({ forwards: [forward(wan, '192.168.1.60', { ports: '10000-10009', mapping: shift(20000, 20009) })] }),
  sources: ir({
    forwards: [forward(wan, '192.168.1.5', { ports: '2222,2223', from: ['198.51.100.0/25', '198.51.100.128/25'], mapping: port(22) })],
  }),
  tiers: ir({
    forwards: [
      forward('203.0.113.5', '192.168.1.7', { ports: '80', tier: 0 }),
      forward('2001:db8::1', '2001:db8:1::7', { ports: '443', from: ['2001:db8:2::/48'] }),
      forward(wan, '192.168.1.5', { ports: '80', from: ['198.51.100.0/24'], mapping: port(8080), tier: 0 }),
      forward(wan, '192.168.1.6', { ports: '1-1000', tier: 1 }),
    ],
  }),
  log: ir({
    forwards: [
      forward(wan, '192.168.1.5', { ports: '80', log: true }),
      forward(wan, '192.168.1.6', { ports: '81' }),
      forward(wan, '192.168.1.7', { ports: '82', mapping: port(8080) }),
    ],
  }),
  reflect: ir({
    forwards: [
      forward(wan, '192.168.1.20', { ports: '443', reflect: [lan, dmz] }),
      forward(wan, '192.168.1.20', { ports: '8000-8100', reflect: [lan, dmz], from: ['198.51.100.0/24'] }),
      forward(wan, '192.168.1.30', { ports: '80', mapping: port(8080) }),
    ],
  }),
  reflectMerge: ir({
    interfaces: [wan, lan],
    forwards: [
      forward(wan, '192.168.1.20', { ports: '8080', reflect: [lan] }),
      forward(wan, '192.168.1.20', { ports: '80', mapping: port(8080), reflect: [lan] }),
    ],
  }),
  redirect: ir({
    redirects: [
      redirect('203.0.113.5', { ports: '80', mapping: port(8080) }),
      redirect(wan, { ports: '443,8443', from: ['198.51.100.0/24'], log: true, comment: 'tls' }),
      redirect(null, { proto: 'udp', ports: '10000-10002', mapping: shift(20000, 20002) }),
      redirect(null, { ports: '25', family: 'ipv6', mapping: port(2525) }),
    ],
  }),
  allow: ir({
    allows: [
      allow(wan, '2001:db8:1::10', { ports: '443', comment: 'web6' }),
      allow(wan, '192.168.1.0/24', { proto: 'udp', ports: '5000-5010', from: ['198.51.100.7'], log: true }),
    ],
  }),
  masquerade: ir({ masquerades: [masq(lan, wan), masq(['2001:db8:1::/64'], wan)] }),
  quoting: ir({ source: 'we"ird\n.pf', forwards: [weird] }),
  table: ir({ forwards: [forward(wan, '192.168.1.5', { ports: '80' })] }),
  empty: ir({ interfaces: [] }),
  everything: ir({
    forwards: [
      forward('203.0.113.5', '192.168.1.9', { ports: '53', proto: 'udp', log: true }),
      forward(wan, '192.168.1.20', { ports: '80', mapping: port(8080), comment: 'web UI', log: true }),
      forward(wan, '192.168.1.20', { ports: '443', reflect: [lan, dmz] }),
      forward(wan, '192.168.1.5', { ports: '2222', mapping: port(22), from: ['203.0.113.0/24'], log: true, reflect: [lan, dmz] }),
      forward(wan, '192.168.1.60', { ports: '10000-10009', mapping: shift(20000, 20009), reflect: [lan, dmz] }),
      forward(wan, '2001:db8:1::10', { ports: '8443', mapping: port(443), reflect: [lan, dmz] }),
    ],
    redirects: [redirect(wan, { ports: '80', mapping: port(8080), tier: 1 })],
    allows: [allow(wan, '2001:db8:1::10', { ports: '443' })],
    masquerades: [masq(lan, wan), masq(['192.168.1.0/24', '10.0.0.0/24'], wan)],
  }),
} satisfies Record<string, Ir>;
const tag = (value: Ir, i = 0) => value.forwards[i]?.origin.tag;

/** The element lines of a map or set (`\t\t\tKEY comment "C" : DATA,`), read back into parts. */
const elementsOf = (lines: string | undefined) =>
  (lines ?? '')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const m = /^\t\t\t(.*) comment ("[^"]*")(?: : (.*))?,$/.exec(line);
      if (!m) throw new Error(`not an element line: ${JSON.stringify(line)}`);
      return { key: m[1], data: m[3] ?? '', comment: m[2] };
    });

const redirectsOf = (v: ReturnType<typeof toNftView>) => v.prerouting.flatMap((e) => (e.redirect ? [e.redirect] : []));

describe('nftables view model', () => {
  it('is registered under its id and the alias nft', () => {
    expect(findBackend('nft')).toBe(nftables);
    expect(findBackend('nftables')).toBe(nftables);
  });

  it('puts a port forward in one map with the trace tag and comment on its element', () => {
    const v = toNftView(cases.port, {});
    expect(v.maps.map((m) => m.name)).toEqual(['fwd4_iif_port_t0']);
    const [m] = v.maps.filter((m) => m.localToIif);
    // One interface and one protocol: both are matched by the rule, the key is the port alone.
    expect(m?.elements).toBe(`\t\t\t80 comment "${tag(cases.port)} web UI" : 192.168.1.20 . 8080,\n`);
    expect(m).toMatchObject({ byInterface: true, localToIif: true, reflect: false, sourced: false, withPort: true, hasLog: false });
    expect(m).toMatchObject({ keyIngress: false, ingressMatch: 'iifname "eth0"', keyProtocol: false, protocol: 'tcp' });
    expect(text(cases.port)).toContain(
      'meta nfproto ipv4 iifname "eth0" meta l4proto tcp fib daddr . iif type local dnat ip to th dport map @fwd4_iif_port_t0\n',
    );
    expect(v.maps.filter((m) => !m.byInterface)).toEqual([]);
    expect(v.maps.filter((m) => m.reflect)).toEqual([]);
  });

  it('keeps the ingress and the protocol in the key when the elements of a map differ in them', () => {
    const v = toNftView(ir({ forwards: [forward(wan, '192.168.1.20', { ports: '80' }), forward(wan2, '192.168.1.21', { proto: 'udp', ports: '53' })] }), {});
    expect(v.maps).toHaveLength(1);
    expect(v.maps[0]).toMatchObject({ keyIngress: true, ingressMatch: '', keyProtocol: true, protocol: '' });
    expect(elementsOf(v.maps[0]?.elements).map((e) => e.key)).toEqual(['"eth0" . tcp . 80', '"ppp0" . udp . 53']);
    const out = render(nftables.template, v);
    expect(out).toContain('type ifname . inet_proto . inet_service : ipv4_addr\n');
    expect(out).toContain('meta l4proto { tcp, udp } fib daddr . iif type local dnat ip to iifname . meta l4proto . th dport map @fwd4_iif_same_t0\n');
  });

  it('keeps a same-port range as one interval element with address-only data', () => {
    const v = toNftView(cases.same, {});
    expect(v.maps.map((m) => [m.name, m.withPort])).toEqual([['fwd4_iif_same_ranges_t0', false]]);
    expect(elementsOf(v.maps[0]?.elements).map((e) => `${e.key} : ${e.data}`)).toEqual(['27015-27030 : 192.168.1.40', '27040 : 192.168.1.40']);
  });

  it('expands a shift port by port', () => {
    const v = toNftView(cases.shift, {});
    const elements = elementsOf(v.maps[0]?.elements);
    expect(elements).toHaveLength(10);
    expect(elements[0]).toMatchObject({ key: '10000', data: '192.168.1.60 . 20000' });
    expect(elements[3]).toMatchObject({ key: '10003', data: '192.168.1.60 . 20003' });
    expect(elements[9]).toMatchObject({ key: '10009', data: '192.168.1.60 . 20009' });
  });

  it('keys sourced forwards by source too, and adjacent ports and sources stay separate elements', () => {
    const v = toNftView(cases.sources, {});
    expect(v.maps.map((m) => [m.name, m.sourced])).toEqual([['fwd4_iif_src_port_ranges_t0', true]]);
    expect(elementsOf(v.maps[0]?.elements).map((e) => e.key)).toEqual([
      '2222 . 198.51.100.0/25',
      '2222 . 198.51.100.128/25',
      '2223 . 198.51.100.0/25',
      '2223 . 198.51.100.128/25',
    ]);
  });

  it('evaluates address ingress before interface ingress, and tier 0 before tier 1', () => {
    const v = toNftView(cases.tiers, {});
    expect(v.maps.map((m) => m.name)).toEqual([
      'fwd4_daddr_same_t0',
      'fwd6_daddr_src_same_ranges_t0',
      'fwd4_iif_src_port_ranges_t0',
      'fwd4_iif_same_ranges_t1',
    ]);
    expect(v.maps.filter((m) => !m.byInterface).map((m) => m.name)).toEqual(['fwd4_daddr_same_t0', 'fwd6_daddr_src_same_ranges_t0']);
    expect(elementsOf(v.maps[1]?.elements)[0]?.key).toBe('443 . 2001:db8:2::/48');
    expect(v.maps[1]).toMatchObject({ keyIngress: false, ingressMatch: 'ip6 daddr 2001:db8::1', keyProtocol: false, protocol: 'tcp' });
    const out = text(cases.tiers);
    const order = ['@fwd4_daddr_same_t0', '@fwd6_daddr_src_same_ranges_t0', '@fwd4_iif_src_port_ranges_t0', '@fwd4_iif_same_ranges_t1'].map((n) =>
      out.indexOf(`map ${n}\n`),
    );
    expect(order.every((i, k) => i > 0 && (k === 0 || i > (order[k - 1] ?? 0)))).toBe(true);
  });

  it('logs only the rules that have log, through a set that mirrors the map keys', () => {
    const v = toNftView(cases.log, {});
    const same = v.maps.find((m) => m.name === 'fwd4_iif_same_t0');
    expect(same?.hasLog).toBe(true);
    expect(elementsOf(same?.logElements)).toEqual([{ key: '80', data: '', comment: elementsOf(same?.elements)[0]?.comment }]);
    expect(same?.logElements).not.toContain(' : ');
    expect(v.maps.find((m) => m.name === 'fwd4_iif_port_t0')?.hasLog).toBe(false);
    const out = text(cases.log);
    const logRule = out.indexOf('@fwd4_iif_same_t0_log log prefix "pfc forward: " level info');
    expect(logRule).toBeGreaterThan(0);
    expect(out.indexOf('map @fwd4_iif_same_t0\n')).toBeGreaterThan(logRule);
    expect(out).not.toContain('fwd4_iif_port_t0_log');
  });

  it('reflects through every via device, outside the declared subnets, and masquerades only reflected targets', () => {
    const v = toNftView(cases.reflect, {});
    expect(v.maps.filter((m) => m.reflect).map((m) => m.name)).toEqual(['refl4_src_same_ranges_t0', 'refl4_same_t0']);
    const plain = v.maps.filter((m) => m.reflect)[1];
    // Two via devices: the device stays in the key; the one protocol does not.
    expect(elementsOf(plain?.elements).map((e) => e.key)).toEqual(['"br-lan" . 443', '"eth2" . 443']);
    expect(plain).toMatchObject({ byInterface: true, localToIif: false, reflect: true, hasExcludes: true, keyIngress: true, keyProtocol: false });
    expect(plain?.excludes).toBe('{ 10.0.0.0/24, 192.168.1.0/24 }');
    expect(v.snatSets).toHaveLength(1);
    // 443 and 8000-8100 to the same target are merged; the unreflected forward is absent.
    expect(elementsOf(v.snatSets[0]?.elements).map((e) => e.key)).toEqual([
      '"br-lan" . 192.168.1.20 . tcp . 443',
      '"br-lan" . 192.168.1.20 . tcp . 8000-8100',
      '"eth2" . 192.168.1.20 . tcp . 443',
      '"eth2" . 192.168.1.20 . tcp . 8000-8100',
    ]);
    expect(text(cases.reflect)).not.toMatch(/192\.168\.1\.30 \. tcp/);
  });

  it('merges overlapping reflected target ports into one set element', () => {
    expect(mergeRanges(ports('8080,8000-8100,9000,9001-9002'))).toEqual(ports('8000-8100,9000-9002'));
    const v = toNftView(cases.reflectMerge, {});
    expect(elementsOf(v.snatSets[0]?.elements)).toEqual([
      { key: '"br-lan" . 192.168.1.20 . tcp . 8080', data: '', comment: `"${tag(cases.reflectMerge, 0)} ${tag(cases.reflectMerge, 1)}"` },
    ]);
  });

  it('reports reflected forwards of two ingresses that share a via key, and nothing else', () => {
    const a = forward(wan, '192.168.1.20', { ports: '80-90', reflect: [lan, wan2] });
    const b = forward(wan2, '192.168.1.21', { ports: '85', reflect: [lan, wan] });
    const c = forward(wan2, '192.168.1.22', { ports: '91', reflect: [lan, wan] });
    const problems = nftables.unsupported(ir({ forwards: [a, b, c], interfaces: [wan, wan2, lan] }), {});
    expect(problems).toEqual([
      {
        message: 'Conflict',
        span: b.origin.span,
        data: {
          detail: `tcp port 85 is also reflected by the forward on 'wan' at ${a.origin.tag}; nftables cannot tell which router address a reflected connection was for.`,
        },
      },
    ]);
    expect(nftables.unsupported(cases.reflect as Ir, {})).toEqual([]);
    const disjointSources = [
      forward(wan, '192.168.1.20', { ports: '80', reflect: [lan, wan2], from: ['198.51.100.0/24'] }),
      forward(wan2, '192.168.1.21', { ports: '80', reflect: [lan, wan], from: ['203.0.113.0/24'] }),
    ];
    expect(nftables.unsupported(ir({ forwards: disjointSources }), {})).toEqual([]);
  });

  it('orders redirects by ingress kind and formats port, same and shift', () => {
    const v = toNftView(cases.redirect, {});
    expect(
      redirectsOf(v)
        .filter((r) => r.hasAddress)
        .map((r) => [r.address, r.toPort, r.port]),
    ).toEqual([['203.0.113.5', true, 8080]]);
    expect(
      redirectsOf(v)
        .filter((r) => !r.hasAddress)
        .map((r) => [r.hasIface, r.anyLocal, r.shift]),
    ).toEqual([
      [true, false, false],
      [false, true, true],
      [false, true, false],
    ]);
    expect(redirectsOf(v).filter((r) => !r.hasAddress)[1]?.shiftMap).toBe('10000 : 20000, 10001 : 20001, 10002 : 20002');
    expect(redirectsOf(v).filter((r) => !r.hasAddress)[0]).toMatchObject({
      ports: '{ 443, 8443 }',
      sources: '{ 198.51.100.0/24 }',
      log: true,
      toPort: false,
      shift: false,
    });
    const out = text(cases.redirect);
    expect(out).toContain('redirect to : udp dport map { 10000 : 20000, 10001 : 20001, 10002 : 20002 }');
    expect(out).toMatch(/iifname "eth0" fib daddr \. iif type local tcp dport \{ 443, 8443 \} .*redirect comment "t\.pf:\d+ tls"/);
  });

  it('marks allowed connections with the documented bit in a forward chain before filter', () => {
    const v = toNftView(cases.allow, {});
    expect(v.markBit).toBe(ALLOW_MARK);
    expect(v.allows.map((a) => [a.ip, a.target, a.sourced, a.log])).toEqual([
      ['ip6', '2001:db8:1::10', false, false],
      ['ip', '192.168.1.0/24', true, true],
    ]);
    const out = text(cases.allow);
    expect(out).toContain('type filter hook forward priority filter - 10; policy accept;');
    expect(out).toContain(`ct state new iifname "eth0" ip6 daddr 2001:db8:1::10 tcp dport { 443 } ct mark set ct mark or ${ALLOW_MARK}`);
    expect(out).not.toContain('masquerade');
  });

  it('masquerades by source interface or source addresses', () => {
    const v = toNftView(cases.masquerade, {});
    expect(v.masquerades.map((m) => [m.byInterface, m.iface, m.sources, m.ip])).toEqual([
      [true, '"br-lan"', '', 'ip'],
      [false, '', '{ 2001:db8:1::/64 }', 'ip6'],
    ]);
  });

  it('quotes nft strings in one place', () => {
    expect(nftString('t.pf:3 web UI')).toBe('"t.pf:3 web UI"');
    expect(nftString('a"b\\c\td\u00e9')).toBe('"a_b_c_d_"');
    expect(nftString('x'.repeat(200))).toBe(`"${'x'.repeat(128)}"`);
    const v = toNftView(cases.quoting, {});
    expect(elementsOf(v.maps[0]?.elements)[0]?.comment).toBe('"we_ird_.pf:9"');
    expect(v.source).toBe('we"ird?.pf');
  });

  it('replaces only its own table, named by --table, with a short deterministic header', () => {
    const value = cases.table;
    const out = text(value, 'edge');
    expect(out.split('\n').slice(0, 5)).toEqual([
      '# Generated by pfc from t.pf; do not edit.',
      '# Check with `nft -c -f FILE`, load with `nft -f FILE`; remove with `nft delete table inet edge`.',
      'table inet edge',
      'delete table inet edge',
      'table inet edge {',
    ]);
    expect(out).toBe(text(value, 'edge'));
    expect(out.endsWith('}\n')).toBe(true);
    expect(out).not.toMatch(/\n\n\n/);
    expect(() => toNftView(value, { table: 'bad name' })).toThrow(/invalid table name/);
  });

  it('renders an empty rule set as the table with its three chains', () => {
    const out = text(cases.empty);
    expect(out.match(/^\tchain /gm)).toHaveLength(3);
    expect(out).not.toMatch(/^\t(map|set) /m);
  });
});

const nft = await nftAvailable();
const mustRun = process.env.CI === 'true';
if (!nft.ok) console.warn(`nftables: nft -c checks ${mustRun ? 'will fail' : 'skipped'}: ${nft.reason}`);

describe.skipIf(!nft.ok && !mustRun)('nftables output passes nft -c (in a network namespace)', () => {
  it('has nft, root and network namespaces', () => {
    expect(nft.reason).toBe('');
  });
  it('rejects a broken rule set (the check can fail)', async () => {
    const bad = text(cases.same).replace('flags interval', 'flags nonsense');
    expect((await nftCheck(bad)).ok).toBe(false);
  });
  it.each(Object.keys(cases))('%s', async (name) => {
    const result = await nftCheck(text(cases[name as keyof typeof cases]));
    expect(result.stderr).toBe('');
    expect(result.ok).toBe(true);
  });
});
