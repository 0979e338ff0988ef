import { describe, expect, it } from 'vitest';
import { coversFamily, intervalsContain, mergePorts, sourceSet, sourceSize } from '../../src/analysis/intervals.js';
import { type Net, parseAddress } from '../../src/net/address.js';

const nets = (...texts: string[]): Net[] =>
  texts.map((t) => {
    const r = parseAddress(t.startsWith('[') ? 'ipv6' : 'ipv4', t);
    if ('error' in r) throw new Error(r.error);
    return r.net;
  });

describe('source sets', () => {
  it('keeps one network as its interval, and only of the family asked', () => {
    expect(sourceSet(nets('10.0.0.0/8'), 'ipv4')).toEqual([{ family: 'ipv4', first: 0x0a000000n, last: 0x0affffffn }]);
    expect(sourceSet(nets('10.0.0.0/8'), 'ipv6')).toEqual([]);
    expect(sourceSet(null, 'ipv4')).toBeNull();
  });
  it('knows a set that is the whole space, as the sizes say', () => {
    for (const [texts, all] of [
      [['0.0.0.0/0'], true],
      [['0.0.0.0/1', '128.0.0.0/1'], true],
      [['0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/2'], true],
      [['0.0.0.0/1', '128.0.0.0/2'], false],
      [['10.0.0.0/8'], false],
      [['[::/0]'], false],
    ] as const) {
      const set = sourceSet(nets(...texts), 'ipv4');
      expect(coversFamily(set, 'ipv4')).toBe(all);
      expect(sourceSize(set, 'ipv4') === sourceSize(null, 'ipv4')).toBe(all);
    }
    expect(coversFamily(sourceSet(nets('[::/0]'), 'ipv6'), 'ipv6')).toBe(true);
  });
  it('finds an address in sorted disjoint intervals', () => {
    const set = sourceSet(nets('10.0.0.0/8', '192.168.1.0/24', '172.16.0.0/12'), 'ipv4')!;
    const has = (text: string) => intervalsContain(set, nets(text)[0]!.bits);
    expect(['10.0.0.0', '10.255.255.255', '172.31.0.1', '192.168.1.255'].map(has)).toEqual([true, true, true, true]);
    expect(['9.255.255.255', '11.0.0.0', '172.32.0.0', '192.168.2.0', '0.0.0.0'].map(has)).toEqual([false, false, false, false, false]);
    expect(intervalsContain([], 0n)).toBe(false);
  });
});

describe('ports', () => {
  it('merges a single port or range as a copy of it', () => {
    const one = [{ first: 80, last: 81 }];
    const merged = mergePorts(one);
    expect(merged).toEqual(one);
    expect(merged[0]).not.toBe(one[0]);
  });
});
