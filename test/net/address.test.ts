import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { addressText, byBits, cidrCover, ipv4NetsApart, mergeIntervals, type Net, parseAddress, toPrefix } from '../../src/net/address.js';

const ok = (kind: 'ipv4' | 'ipv6', text: string) => {
  const r = parseAddress(kind, text);
  if ('error' in r) throw new Error(r.error);
  return toPrefix(r.net).text;
};
const err = (kind: 'ipv4' | 'ipv6', text: string) => {
  const r = parseAddress(kind, text);
  return 'error' in r ? r.error : null;
};

describe('address literals', () => {
  it('canonicalises', () => {
    expect(ok('ipv4', '192.168.1.0/24')).toBe('192.168.1.0/24');
    expect(ok('ipv4', '10.0.0.1')).toBe('10.0.0.1');
    expect(ok('ipv6', '[2001:DB8:0:0::10]')).toBe('2001:db8::10');
    expect(ok('ipv6', '[2001:db8::/64]')).toBe('2001:db8::/64');
  });
  it('rejects what is ambiguous or wrong, saying why', () => {
    expect(err('ipv4', '010.0.0.1')).toMatch(/leading zero/);
    expect(err('ipv4', '1.2.3.4/24')).toMatch(/Host bits .* '1.2.3.0\/24'/);
    expect(err('ipv4', '1.2.3.4/33')).toMatch(/prefix length/);
    expect(err('ipv4', '1.2.3.4.5')).toMatch(/four numbers/);
    expect(err('ipv4', '99999999999.1.1.1')).toMatch(/not a number from 0 to 255/);
    expect(err('ipv6', '[fe80::1%eth0]')).toMatch(/zone ids/);
    expect(err('ipv6', '[::ffff:1.2.3.4]')).toMatch(/IPv4-mapped/);
    expect(err('ipv6', '[2001:db8::g]')).toMatch(/Invalid IPv6/);
    expect(err('ipv6', '[]')).toMatch(/Invalid IPv6/);
  });
});

describe('IPv4 literals, the one-pass reader and the careful one', () => {
  // The one-pass reader takes the common forms; everything else goes to the careful parser.
  const net = (text: string) => {
    const r = parseAddress('ipv4', text);
    return 'error' in r ? r.error : [r.net.bits, r.net.length];
  };
  it('reads every canonical form to the same value', () => {
    expect(net('0.0.0.0')).toEqual([0n, 32]);
    expect(net('0.0.0.0/0')).toEqual([0n, 0]);
    expect(net('255.255.255.255')).toEqual([0xffffffffn, 32]);
    expect(net('10.0.0.0/8')).toEqual([0x0a000000n, 8]);
    expect(net('192.168.1.0/24')).toEqual([0xc0a80100n, 24]);
    expect(net('198.18.0.1/32')).toEqual([0xc6120001n, 32]);
    expect(net('128.0.0.0/1')).toEqual([0x80000000n, 1]);
  });
  it('leaves what is odd to the careful parser and its messages', () => {
    expect(net('1.2.3.4/0')).toMatch(/Host bits .* '0.0.0.0\/0'/);
    expect(net('1.2.3.5/31')).toMatch(/Host bits .* '1.2.3.4\/31'/);
    expect(net('1.2.3.0/024')).toMatch(/prefix length/);
    expect(net('1.2.3.0/07')).toMatch(/prefix length/);
    expect(net('1.2.3.0/')).toMatch(/prefix length/);
    expect(net('1.2.3.256')).toMatch(/not a number from 0 to 255/);
    expect(net('1.2.3.1000')).toMatch(/not a number from 0 to 255/);
    expect(net('1.2.03.4')).toMatch(/leading zero/);
    expect(net('1.2.3')).toMatch(/four numbers/);
  });
});

describe('IPv6, the one-pass reader and writer against ipaddr.js', () => {
  // Addresses with zero runs of every length and place, from a fixed seed.
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  const samples = Array.from({ length: 400 }, () =>
    Array.from({ length: 8 }, () => {
      const r = next() % 4;
      return r < 2 ? 0 : r === 2 ? next() % 16 : next() % 0x10000;
    }),
  );
  const bitsOf = (groups: number[]) => groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);

  it('writes what toRFC5952String writes', () => {
    for (const groups of samples) expect(addressText('ipv6', bitsOf(groups))).toBe(new ipaddr.IPv6(groups).toRFC5952String());
  });
  // Every group in four digits (ipaddr.js has toFixedLengthString, but its types do not).
  const fixedLength = (v6: ipaddr.IPv6) => v6.parts.map((p) => p.toString(16).padStart(4, '0')).join(':');
  it('reads every way of writing an address to the value ipaddr.js reads', () => {
    for (const groups of samples) {
      const v6 = new ipaddr.IPv6(groups);
      const forms = [v6.toRFC5952String(), fixedLength(v6), v6.toNormalizedString(), v6.toRFC5952String().toUpperCase()];
      for (const text of forms) {
        const r = parseAddress('ipv6', `[${text}]`);
        if (v6.isIPv4MappedAddress()) expect('error' in r && r.error).toMatch(/IPv4-mapped/);
        else expect('net' in r && r.net.bits).toBe(bitsOf(groups));
      }
    }
  });
  it('leaves odd forms to ipaddr.js and its messages', () => {
    const err = (text: string) => {
      const r = parseAddress('ipv6', text);
      return 'error' in r ? r.error : null;
    };
    for (const bad of ['[1:2:3:4:5:6:7:8::]', '[1::2:3:4:5:6:7:8]', '[1::2::3]', '[:1::]', '[1:]', '[12345::]', '[::1:]', '[1:2:3:4:5:6:7]'])
      expect(err(bad)).toMatch(/Invalid IPv6/);
    expect(err('[::ffff:a01:203]')).toMatch(/IPv4-mapped .* '10.1.2.3'/);
    expect(err('[::1.2.3.4]')).toMatch(/IPv4-mapped .* '1.2.3.4'/);
    expect(err('[2001:db8::1/64]')).toMatch(/Host bits .* '\[2001:db8::\/64\]'/);
    expect(ok('ipv6', '[::]')).toBe('::');
    expect(ok('ipv6', '[::/0]')).toBe('::/0');
    expect(ok('ipv6', '[1::]')).toBe('1::');
    expect(ok('ipv6', '[0:0:1:0:0:1:0:0]')).toBe('::1:0:0:1:0:0');
  });
});

describe('intervals', () => {
  it('covers a range with minimal CIDRs', () => {
    const v4 = (s: string) => {
      const r = parseAddress('ipv4', s);
      if ('error' in r) throw new Error(r.error);
      return r.net.bits;
    };
    const cover = cidrCover({ family: 'ipv4', first: v4('10.0.0.1'), last: v4('10.0.0.6') }).map((n) => toPrefix(n).text);
    expect(cover).toEqual(['10.0.0.1', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6']);
  });
  it('covers an IPv4 block with itself and a whole range with halves', () => {
    const texts = (first: bigint, last: bigint) => cidrCover({ family: 'ipv4', first, last }).map((n) => toPrefix(n).text);
    expect(texts(0xc0a80100n, 0xc0a801ffn)).toEqual(['192.168.1.0/24']);
    expect(texts(0n, 0xffffffffn)).toEqual(['0.0.0.0/0']);
    expect(texts(1n, 0xffffffffn)).toHaveLength(32);
  });
  it('merges overlapping and adjacent intervals', () => {
    const m = mergeIntervals([
      { family: 'ipv4', first: 10n, last: 20n },
      { family: 'ipv4', first: 0n, last: 9n },
      { family: 'ipv4', first: 15n, last: 30n },
      { family: 'ipv4', first: 40n, last: 41n },
    ]);
    expect(m.map((i) => [i.first, i.last])).toEqual([
      [0n, 30n],
      [40n, 41n],
    ]);
  });
  it('knows IPv4 networks that merging would leave as they are (a gap after each)', () => {
    const nets = (...texts: string[]): Net[] =>
      texts
        .map((t) => {
          const r = parseAddress('ipv4', t);
          if ('error' in r) throw new Error(r.error);
          return r.net;
        })
        .sort(byBits);
    expect(ipv4NetsApart(nets('10.0.2.0/24', '10.0.0.0/24', '10.0.4.1'))).toBe(true);
    expect(ipv4NetsApart(nets('10.0.0.0/24', '10.0.1.0/25'))).toBe(false); // touching
    expect(ipv4NetsApart(nets('10.0.0.0/8', '10.1.0.0/16'))).toBe(false); // inside
    expect(ipv4NetsApart(nets('10.0.0.0/24', '10.0.0.0/24'))).toBe(false); // equal
    expect(ipv4NetsApart(nets('255.255.255.255', '0.0.0.0/1'))).toBe(true);
  });
});
