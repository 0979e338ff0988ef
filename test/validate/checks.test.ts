/**
 * Every check in the ESLint style: `valid` sources give no diagnostic of the check's codes,
 * `invalid` sources give exactly the listed codes (in position order).
 */

import { describe, expect, it } from 'vitest';
import { check } from '../../src/index.js';

const head = 'interface wan = eth0\ninterface lan = br-lan subnet 192.168.1.0/24\n';
const codes = (body: string, only: RegExp) =>
  check(head + body, 't.pf')
    .diagnostics.map((d) => d.code)
    .filter((c) => only.test(c));

const cases: Record<string, { codes: RegExp; valid: string[]; invalid: [string, string[]][] }> = {
  'port-values': {
    codes: /^E01[01]$/,
    valid: ['forward tcp wan:1-65535 -> 192.168.1.2', 'forward tcp wan:80 -> 192.168.1.2:65535'],
    invalid: [
      ['forward tcp wan:0 -> 192.168.1.2', ['E010']],
      ['forward tcp wan:80-65536 -> 192.168.1.2', ['E010']],
      ['forward tcp wan:90-80 -> 192.168.1.2', ['E011']],
      ['redirect tcp 80 -> 0', ['E010']],
    ],
  },
  'port-mapping': {
    codes: /^E012$/,
    valid: ['forward tcp wan:1000-1009 -> 192.168.1.2:2000-2009', 'forward tcp wan:{1, 2} -> 192.168.1.2:3', 'redirect tcp 80-81 -> 8080-8081'],
    invalid: [
      ['forward tcp wan:1000-1009 -> 192.168.1.2:2000-2008', ['E012']],
      ['forward tcp wan:80 -> 192.168.1.2:2000-2001', ['E012']],
      ['redirect tcp 80 -> {1, 2}', ['E012']],
    ],
  },
  'single-host': {
    codes: /^E021$/,
    valid: ['forward tcp wan:80 -> 192.168.1.2', 'address a = 203.0.113.1\nforward tcp a:80 -> 192.168.1.2', 'allow tcp wan -> 192.168.1.0/24:80'],
    invalid: [
      ['forward tcp wan:80 -> 192.168.1.0/30', ['E021']],
      ['address s = { 192.168.1.2, 192.168.1.3 }\nforward tcp wan:80 -> s', ['E021']],
      ['forward tcp 203.0.113.0/24:80 -> 192.168.1.2', ['E021']],
    ],
  },
  'usable-target': {
    codes: /^E022$/,
    valid: ['forward tcp wan:80 -> 192.168.1.1', 'forward tcp wan:80 -> 192.168.1.254'],
    invalid: [
      ['forward tcp wan:80 -> 192.168.1.255', ['E022']],
      ['forward tcp wan:80 -> 127.0.0.2', ['E022']],
      ['allow tcp wan -> [ff02::1]:80', ['E022']],
      ['forward tcp wan:80 -> 192.168.1.0', ['E022']],
      ['interface dmz = eth2 subnet { 10.9.0.0/16, 10.8.0.0/30 }\nforward tcp wan:80 -> 10.8.0.3', ['E022']],
    ],
  },
  families: {
    codes: /^E023$/,
    valid: ['forward tcp wan:80 -> [2001:db8::1] from [2001:db8:1::/48]', 'redirect tcp 80 -> 8080 from { 203.0.113.0/24, [2001:db8::/32] }'],
    invalid: [
      ['forward tcp wan:80 -> [2001:db8::1] from 203.0.113.0/24', ['E023']],
      ['redirect tcp 203.0.113.1:80 -> 8080 from [2001:db8::/32]', ['E023']],
    ],
  },
  conflicts: {
    codes: /^E03[01]$/,
    valid: [
      'forward tcp wan:80 -> 192.168.1.2\nforward udp wan:80 -> 192.168.1.3',
      'forward tcp wan:80 -> 192.168.1.2\nforward tcp lan:80 -> 192.168.1.3',
      'forward tcp wan:80 -> 192.168.1.2 from 203.0.113.0/24\nforward tcp wan:80 -> 192.168.1.3',
      'forward tcp wan:80 -> 192.168.1.2 from 203.0.113.0/25\nforward tcp wan:80 -> 192.168.1.3 from 203.0.113.128/25',
      'forward tcp wan:80 -> 192.168.1.2\nforward tcp 203.0.113.1:80 -> 192.168.1.3',
      'forward tcp wan:80 -> 192.168.1.2\nforward tcp wan:80 -> [2001:db8::2]',
    ],
    invalid: [
      ['forward tcp wan:80 -> 192.168.1.2\nforward tcp wan:70-90 -> 192.168.1.3', ['E030']],
      ['forward tcp wan:80 -> 192.168.1.2\nforward tcp wan:80 -> 192.168.1.2:80', ['E031']],
      ['forward tcp wan:80 -> 192.168.1.2\nredirect tcp 80 -> 8080', ['E030']],
      ['redirect tcp 80 -> 8080\nredirect tcp wan:80 -> 8081', ['E030']],
      [
        'forward tcp wan:80 -> 192.168.1.2 from { 10.0.0.0/9, 10.200.0.0/16 }\nforward tcp wan:80 -> 192.168.1.3 from 10.0.0.0/8 \nforward tcp wan:80 -> 192.168.1.4 from 10.128.0.0/9',
        ['E030'],
      ],
      ['allow tcp wan -> 192.168.1.2:80\nallow tcp wan -> 192.168.1.2:80', ['E031']],
    ],
  },
  reflect: {
    codes: /^E040$/,
    valid: ['forward tcp wan:80 -> 192.168.1.2 reflect'],
    invalid: [['forward tcp 203.0.113.1:80 -> 192.168.1.2 reflect', ['E040']]],
  },
  'comment-text': {
    codes: /^E041$/,
    valid: ['forward tcp wan:80 -> 192.168.1.2 comment "web (UI) #1; ok"'],
    invalid: [
      ['forward tcp wan:80 -> 192.168.1.2 comment "a\\"b"', ['E041']],
      [`forward tcp wan:80 -> 192.168.1.2 comment "${'x'.repeat(65)}"`, ['E041']],
      ['forward tcp wan:80 -> 192.168.1.2 comment "tab\there"', ['E041']],
    ],
  },
  'device-name': {
    codes: /^E042$/,
    valid: ['interface x = eth0.100\nforward tcp x:80 -> 192.168.1.2', 'interface x = "wlan-0_1"\nforward tcp x:80 -> 192.168.1.2'],
    invalid: [
      ['interface x = "a;b"\nforward tcp x:80 -> 192.168.1.2', ['E042']],
      ['interface x = ".."\nforward tcp x:80 -> 192.168.1.2', ['E042']],
    ],
  },
  unused: {
    codes: /^W001$/,
    valid: ['forward tcp wan:80 -> 192.168.1.2'],
    invalid: [['address a = 192.168.1.2\nforward tcp wan:80 -> 192.168.1.3', ['W001']]],
  },
  'ssh-port': {
    codes: /^W002$/,
    valid: ['forward tcp wan:2222 -> 192.168.1.2:22', 'forward tcp 203.0.113.1:22 -> 192.168.1.2'],
    invalid: [
      ['forward tcp wan:22 -> 192.168.1.2', ['W002']],
      ['redirect tcp 1-100 -> 8080', ['W002']],
    ],
  },
  'from-everything': {
    codes: /^W003$/,
    valid: ['forward tcp wan:80 -> 192.168.1.2 from 0.0.0.0/1', 'forward tcp wan:80 -> 192.168.1.2 from { 0.0.0.0/1, 128.0.0.0/2, 224.0.0.0/3 }'],
    invalid: [
      ['forward tcp wan:80 -> 192.168.1.2 from 0.0.0.0/0', ['W003']],
      ['forward tcp wan:80 -> 192.168.1.2 from { 0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/2 }', ['W003']],
      ['allow tcp wan -> [2001:db8::1]:80 from [::/0]', ['W003']],
    ],
  },
  'outside-subnets': {
    codes: /^W004$/,
    valid: [
      'forward tcp wan:80 -> 192.168.1.2',
      'forward tcp wan:80 -> [2001:db8::2]',
      'interface dmz = eth2 subnet { 10.9.0.0/16, 10.7.0.0/16 }\nforward tcp wan:80 -> 10.7.255.2',
    ],
    invalid: [
      ['forward tcp wan:80 -> 10.0.0.2', ['W004']],
      ['interface dmz = eth2 subnet { 10.9.0.0/16, 10.7.0.0/16 }\nforward tcp wan:80 -> 10.8.0.2', ['W004']],
    ],
  },
};

for (const [id, c] of Object.entries(cases)) {
  describe(id, () => {
    for (const body of c.valid) it(`valid: ${body.split('\n').join(' | ')}`, () => expect(codes(body, c.codes)).toEqual([]));
    for (const [body, expected] of c.invalid) it(`invalid: ${body.split('\n').join(' | ')}`, () => expect(codes(body, c.codes)).toEqual(expected));
  });
}

describe('names', () => {
  it('E002-E005 and no cascade from a broken declaration', () => {
    expect(codes('forward tcp wan:80 -> nope', /^E00/)).toEqual(['E002']);
    expect(codes('address wan = 192.168.1.2', /^E00/)).toEqual(['E003']);
    expect(codes('forward tcp wan:80 -> lan', /^E00/)).toEqual(['E004']);
    expect(codes('forward tcp wan:80 -> a\naddress a = 192.168.1.2', /^E00|W/)).toEqual(['E005']);
    expect(codes('address a = \nforward tcp wan:80 -> a', /^E|W/)).toEqual(['E001']);
  });
});

describe('usable-target message', () => {
  it('names the first declared subnet an edge address belongs to', () => {
    const body =
      'interface dmz = eth2 subnet { 10.8.0.0/30, 10.8.0.0/24 }\ninterface lab = eth3 subnet 10.8.0.0/24\nforward tcp wan:80 -> 10.8.0.0\nforward tcp wan:81 -> 10.8.0.255';
    const messages = check(head + body, 't.pf')
      .diagnostics.filter((d) => d.code === 'E022')
      .map((d) => d.message);
    expect(messages).toEqual([
      "Target '10.8.0.0' is unusable: it is the network address of subnet 10.8.0.0/30 on 'dmz'.",
      "Target '10.8.0.255' is unusable: it is the broadcast address of subnet 10.8.0.0/24 on 'dmz'.",
    ]);
  });
});
