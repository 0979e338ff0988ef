import { describe, expect, it } from 'vitest';
import { findOverlaps, tiersOf } from '../../src/analysis/overlaps.js';
import { translations } from '../../src/analysis/translations.js';
import { resolve } from '../../src/resolve/resolve.js';
import { tokenize } from '../../src/syntax/lexer.js';
import { parseTokens } from '../../src/syntax/parser.js';

function analyse(body: string) {
  const src = `interface wan = eth0\ninterface lan = br-lan\n${body}`;
  const lexed = tokenize(src, 't.pf');
  const parsed = parseTokens(lexed.tokens, 't.pf', src.length);
  const file = resolve({ file: 't.pf', statements: parsed.statements }).file;
  const list = translations(file);
  return { list, overlaps: findOverlaps(list) };
}

describe('overlaps', () => {
  it('finds each overlapping pair once, with its kind', () => {
    const { overlaps } = analyse(
      [
        'forward tcp/udp wan:80 -> 192.168.1.2',
        'forward tcp wan:1-100 -> 192.168.1.3',
        'forward tcp wan:100-200 -> 192.168.1.4',
        'forward tcp wan:300 -> 192.168.1.5',
      ].join('\n'),
    );
    expect(overlaps.map((o) => (o.kind === 'narrower' ? 'narrower' : `${o.kind}:${o.first.order}-${o.second.order}@${o.port}`)).sort()).toEqual([
      'conflict:0-1@80',
      'conflict:1-2@100',
    ]);
  });
  it('orders tiers along chains of narrower sources', () => {
    const { overlaps } = analyse(
      [
        'forward tcp wan:22 -> 192.168.1.2 from 203.0.113.7',
        'forward tcp wan:22 -> 192.168.1.3 from 203.0.113.0/24',
        'forward tcp wan:22 -> 192.168.1.4 from 203.0.0.0/16',
        'forward tcp wan:22 -> 192.168.1.5',
        'forward tcp wan:23 -> 192.168.1.6',
      ].join('\n'),
    );
    const tiers = tiersOf(overlaps);
    expect([0, 1, 2, 3, 4].map((o) => tiers.get(o) ?? 0)).toEqual([0, 1, 2, 3, 0]);
  });
  it('sees reflected entries compete across ingresses', () => {
    const { overlaps } = analyse('interface wan2 = eth1\nforward tcp wan:443 -> 192.168.1.2 reflect\nforward tcp wan2:443 -> 192.168.1.3 reflect');
    expect(overlaps.map((o) => o.kind)).toEqual(['conflict']);
  });
  it('compares a long run of disjoint forwards without reporting anything', () => {
    const body = Array.from({ length: 5000 }, (_, i) => `forward tcp wan:${10000 + i} -> 10.77.${i >> 7}.${(i & 127) + 1}:80`).join('\n');
    const { list, overlaps } = analyse(body);
    expect(list).toHaveLength(5000);
    expect(overlaps).toEqual([]);
  });
});
