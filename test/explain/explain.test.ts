/**
 * explain from the IR: packet parsing, interface and address ingress, tiers (narrower source
 * first, across forwards and redirects), port mappings, reflection, allows, masquerade, and
 * notes when nothing matches.
 */

import { describe, expect, it } from 'vitest';
import { explainPacket, UnknownInterface } from '../../src/explain/match.js';
import { parsePacket } from '../../src/explain/packet.js';
import { check } from '../../src/index.js';

const RULES = `interface wan = eth0
interface lan = br-lan subnet { 192.168.1.0/24, [2001:db8:2::/64] }
address nas = 192.168.1.20
forward tcp wan:80 -> nas:8080
forward tcp wan:443 -> nas reflect
forward tcp wan:10000-10009 -> 192.168.1.60:20000-20009
forward tcp wan:{8000, 8443} -> 192.168.1.30:443
forward tcp wan:4000 -> nas:22
forward tcp wan:4000 -> nas:443 from 198.51.100.7
forward tcp 198.51.100.1:3000 -> nas:8080
redirect udp wan:53 -> 5353
redirect tcp 8081 -> 8080
allow tcp wan -> [2001:db8:2::20]:443
masquerade lan -> wan
`;
const ir = check(RULES, 'r.pf').ir!;

function explain(text: string) {
  const parsed = parsePacket(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return explainPacket(ir, parsed.packet);
}
const line = (text: string) => {
  const e = explain(text);
  return [e.verdict, e.rule?.origin.line ?? null, e.to ? `${e.to.host}:${e.to.port}` : null, e.rewrittenVia?.name ?? null];
};

describe('parsePacket', () => {
  it('reads protocol, source, destination, ports and the arrival interface', () => {
    expect(parsePacket('tcp 203.0.113.9:4444 -> wan:https on eth0')).toMatchObject({
      packet: { protocol: 'tcp', sourcePort: 4444, destination: { kind: 'interface', name: 'wan' }, port: 443, on: 'eth0' },
    });
    expect(parsePacket('udp [2001:db8::1] -> [2001:db8::2]:53')).toMatchObject({ packet: { destination: { kind: 'address' }, port: 53 } });
  });
  it('says what is wrong', () => {
    expect(parsePacket('icmp 1.2.3.4 -> wan:1')).toEqual({ error: "the protocol is tcp or udp, not 'icmp'" });
    expect(parsePacket('tcp 1.2.3.4 -> wan')).toEqual({ error: "the destination needs a port: 'wan:PORT'" });
    expect(parsePacket('tcp 1.2.3.4 -> wan:70000')).toEqual({ error: "the destination port '70000' is out of range (1..65535)" });
    expect(parsePacket('tcp 1.2.3.0/24 -> wan:1')).toEqual({ error: "the source '1.2.3.0/24' is a network, not one address" });
    expect(parsePacket('tcp 1.2.3.4 -> [2001:db8::1]:1')).toEqual({ error: 'the source and the destination are of different address families' });
    expect('error' in parsePacket('tcp 1.2.3.4 wan:1 x y')).toBe(true);
  });
});

describe('explainPacket', () => {
  it('follows forwards and their port mappings', () => {
    expect(line('tcp 203.0.113.9 -> wan:80')).toEqual(['forward', 4, '192.168.1.20:8080', null]);
    expect(line('tcp 203.0.113.9 -> wan:10003')).toEqual(['forward', 6, '192.168.1.60:20003', null]);
    expect(line('tcp 203.0.113.9 -> wan:8443')).toEqual(['forward', 7, '192.168.1.30:443', null]);
  });
  it('lets the narrower source win', () => {
    expect(line('tcp 198.51.100.7 -> wan:4000')).toEqual(['forward', 9, '192.168.1.20:443', null]);
    expect(line('tcp 198.51.100.8 -> wan:4000')).toEqual(['forward', 8, '192.168.1.20:22', null]);
  });
  it('takes an address ingress from any interface, and nothing to other addresses', () => {
    expect(line('tcp 203.0.113.9 -> 198.51.100.1:3000 on wan')).toEqual(['forward', 10, '192.168.1.20:8080', null]);
    expect(line('tcp 203.0.113.9 -> 198.51.100.2:3000 on wan')).toEqual(['none', null, null, null]);
  });
  it('reflects only forwards with reflect, rewriting the source to the router on the client side', () => {
    expect(line('tcp 192.168.1.50 -> wan:443')).toEqual(['forward', 5, '192.168.1.20:443', 'lan']);
    expect(explain('tcp 192.168.1.50 -> wan:443').reflected).toBe(true);
    const miss = explain('tcp 192.168.1.50 -> wan:80');
    expect(miss.verdict).toBe('none');
    expect(miss.notes).toEqual([
      "the forward at r.pf:4 takes tcp port 80 only for packets to the router's address on 'wan' arriving there (it has no reflect)",
    ]);
  });
  it('redirects to the router, on one interface or any', () => {
    expect(line('udp 203.0.113.9 -> wan:53')).toEqual(['redirect', 11, 'router:5353', null]);
    expect(line('tcp 192.168.1.50 -> wan:8081')).toEqual(['redirect', 12, 'router:8080', null]);
    expect(line('udp 192.168.1.50 -> wan:53')[0]).toBe('none');
  });
  it('lets an allow through unchanged and masquerades outbound traffic', () => {
    expect(line('tcp [2001:db8:1::10] -> [2001:db8:2::20]:443 on wan')).toEqual(['allow', 13, '2001:db8:2::20:443', null]);
    expect(line('tcp [2001:db8:1::10] -> [2001:db8:2::20]:444 on wan')[0]).toBe('none');
    expect(line('tcp 192.168.1.50 -> 8.8.8.8:443')).toEqual(['masquerade', 14, null, 'wan']);
  });
  it("takes an outside address arriving from outside as the router's own, and says so", () => {
    const e = explain('TCP 203.0.113.9 -> 203.0.113.1:80');
    expect(e.arrival).toMatchObject({ iface: { name: 'wan' }, reason: 'only interface without subnet' });
    expect([e.verdict, e.to]).toEqual(['forward', { host: '192.168.1.20', port: 8080 }]);
    expect(e.notes).toEqual(["203.0.113.1 is taken as the router's own address on 'wan' (pfc does not know the router's addresses)"]);
  });
  it('notes what it could not know', () => {
    const lan = explain('tcp 192.168.1.50 -> 203.0.113.1:443');
    expect(lan.verdict).toBe('masquerade');
    expect(lan.notes).toEqual(["if 203.0.113.1 is the router's address on 'wan', write '-> wan:443': the forward at r.pf:5 reflects it"]);
    expect(explain('tcp 203.0.113.9 -> 192.168.1.20:8080').notes).toEqual([
      "192.168.1.20 lies behind 'lan' (its subnet): pfc translates nothing sent straight to it; only an allow lets it through",
    ]);
    expect(() => explain('tcp 1.2.3.4 -> dmz:80')).toThrow(UnknownInterface);
  });
});
