/**
 * pfc fmt: the canonical layout on hand-written files in other styles, and two properties over
 * every fixture and over generated inputs: formatting twice gives the same text, and the
 * formatted file means exactly what the original did (same IR apart from positions, same
 * diagnostics apart from positions).
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSource } from '../../src/fmt/format.js';
import { check, type ReadFile } from '../../src/index.js';
import { caseReader, fixtureCases, fixturesDir } from '../support/fixtures.js';

function fmt(source: string): string {
  const r = formatSource(source, 'x.pf');
  if (!('text' in r)) throw new Error(`not formatted: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.text;
}

/** What a file means: its IR without positions, and its diagnostics without positions. */
function meaning(source: string, readFile?: ReadFile): string {
  const r = check(source, 'x.pf', readFile ? { readFile } : {});
  const ir = JSON.stringify(r.ir, (k, v) => (k === 'origin' ? undefined : v));
  const diagnostics = r.diagnostics.map((d) => `${d.file} ${d.code} ${d.message}`).sort();
  return `${ir}\n${diagnostics.join('\n')}`;
}

describe('fmt layout', () => {
  it('aligns runs of rules at -> and options, declarations at =, and trailing comments of a run', () => {
    const source = [
      '# Rules',
      'interface   wan=eth0   # uplink',
      'interface lan = "br-lan"    subnet {192.168.1.0/24,[2001:db8::/64]}',
      'address nas=192.168.1.20',
      'address friends = {198.51.100.7 , 198.51.100.9}',
      '',
      '',
      '',
      'forward tcp   wan : 80->nas : 8080 comment "web UI"',
      'forward tcp/udp wan:{ 5060 ,5061 } -> 192.168.1.50   # voip',
      '   # games',
      'forward udp wan:27015 - 27030',
      '   -> 192.168.1.40   # inside',
      '   from friends log',
      'redirect tcp wan:8081->8080',
      'masquerade {192.168.1.0/24} -> wan',
      'include "extra.pf"',
    ].join('\r\n');
    expect(fmt(source)).toBe(
      [
        '# Rules',
        'interface wan = eth0  # uplink',
        'interface lan = "br-lan" subnet { 192.168.1.0/24, [2001:db8::/64] }',
        'address nas     = 192.168.1.20',
        'address friends = { 198.51.100.7, 198.51.100.9 }',
        '',
        'forward tcp wan:80               -> nas:8080 comment "web UI"',
        'forward tcp/udp wan:{5060, 5061} -> 192.168.1.50  # voip',
        '# games',
        'forward udp wan:27015-27030 -> 192.168.1.40  # inside',
        '  from friends log',
        'redirect tcp wan:8081         -> 8080',
        'masquerade { 192.168.1.0/24 } -> wan',
        'include "extra.pf"',
        '',
      ].join('\n'),
    );
  });
  it('keeps a line break after each comment inside a statement', () => {
    const source = 'address friends = {\n  198.51.100.7,   # alice\n  198.51.100.9    # bob\n}\nforward tcp wan:1 -> 10.0.0.1 from friends\n';
    expect(fmt(source)).toBe('address friends = { 198.51.100.7,  # alice\n  198.51.100.9  # bob\n  }\nforward tcp wan:1 -> 10.0.0.1 from friends\n');
  });
  it('puts the trailing comments of a run in one column', () => {
    expect(fmt('allow tcp wan -> 10.0.0.1:22 # a\nmasquerade lan -> wan # b\n')).toBe(
      'allow tcp wan  -> 10.0.0.1:22  # a\nmasquerade lan -> wan          # b\n',
    );
  });
  it('keeps the user order, one statement per line, at most one blank line', () => {
    expect(fmt('\n\naddress b = 10.0.0.2 address a = 10.0.0.1\n\n\n\ninterface wan = eth0\n\n')).toBe(
      'address b = 10.0.0.2\naddress a = 10.0.0.1\n\ninterface wan = eth0\n',
    );
  });
  it('keeps every comment: a file of comments only, a comment at the end without a newline', () => {
    expect(fmt('# one\n  # two  \n')).toBe('# one\n# two\n');
    expect(fmt('interface wan = eth0 # end')).toBe('interface wan = eth0  # end\n');
    expect(fmt('')).toBe('');
  });
  it('refuses a file with syntax errors and says why', () => {
    const r = formatSource('forward tcp wan:80 192.168.1.2\n', 'bad.pf');
    expect('diagnostics' in r && r.diagnostics.map((d) => d.code)).toEqual(['E001']);
  });
});

describe('fmt over every fixture', () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.pf') ? [join(dir, e.name)] : []));
  const cases = fixtureCases();
  for (const c of cases) {
    it(c.name, () => {
      for (const path of walk(c.dir)) {
        const source = readFileSync(path, 'utf8');
        const r = formatSource(source, path);
        if (!('text' in r)) {
          expect(c.name.startsWith('syntax/') || r.diagnostics.length > 0).toBe(true);
          continue;
        }
        expect(fmt(r.text)).toBe(r.text);
        if (path.endsWith('/input.pf')) expect(meaning(r.text, caseReader(c.dir))).toBe(meaning(source, caseReader(c.dir)));
      }
    });
  }
  it('found the fixtures', () => expect(fixturesDir).toBeTruthy());
});

describe('fmt over generated inputs', () => {
  const name = fc.constantFrom('wan', 'lan', 'nas', 'web', 'office', 'br-lan', 'eth0.100', 'x_1');
  const v4 = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `192.168.${a}.${b}`);
  const host = fc.oneof(name, v4, fc.constantFrom('[2001:db8::10]', '203.0.113.0/24', '[2001:db8::/64]'));
  const port = fc.oneof(
    fc.integer({ min: 0, max: 70000 }).map(String),
    fc.constantFrom('https', 'ssh', 'nope'),
    fc.tuple(fc.integer({ min: 1, max: 9000 }), fc.integer({ min: 1, max: 9000 })).map(([a, b]) => `${a}-${b}`),
  );
  const ws = fc.constantFrom(' ', '  ', '\t', '\n  ', ' \r\n ', ' # note\n ');
  const sp = fc.constantFrom('', ' ', '\t');
  const ports = fc.oneof(
    port,
    fc.array(port, { minLength: 1, maxLength: 3 }).map((l) => `{${l.join(' , ')}}`),
  );
  const set = fc.oneof(
    host,
    fc.array(host, { minLength: 1, maxLength: 3 }).map((l) => `{ ${l.join(',')} }`),
  );
  const proto = fc.constantFrom('tcp', 'udp', 'tcp/udp', 'tcp / udp', 'udp/tcp');
  const options = fc
    .subarray(['reflect', 'log', 'comment "x y"', 'from 203.0.113.0/24', 'from { office, 198.51.100.7 }'])
    .chain((l) => fc.shuffledSubarray(l, { minLength: l.length }));
  const statement = fc.oneof(
    fc.tuple(name, ws, name, fc.option(set)).map(([n, w, d, s]) => `interface${w}${n} =${w}${d}${s ? ` subnet ${s}` : ''}`),
    fc.tuple(name, sp, set).map(([n, s, v]) => `address ${n}${s}=${s}${v}`),
    fc
      .tuple(proto, ws, host, sp, ports, host, fc.option(port), options)
      .map(([p, w, i, s, ps, t, tp, o]) => `forward ${p}${w}${i}${s}:${s}${ps}${s}->${w}${t}${tp ? `:${tp}` : ''} ${o.join(' ')}`),
    fc
      .tuple(proto, fc.option(host), ports, port, options)
      .map(([p, i, ps, t, o]) => `redirect ${p} ${i ? `${i}:` : ''}${ps} -> ${t} ${o.filter((x) => x !== 'reflect').join(' ')}`),
    fc.tuple(proto, name, host, ports, ws).map(([p, i, t, ps, w]) => `allow ${p} ${i}${w}-> ${t}:${ps}`),
    fc.tuple(set, name).map(([s, e]) => `masquerade ${s} -> ${e}`),
    fc.constantFrom('# a comment', '', '   ', '#', '# ##'),
  );
  const file = fc
    .tuple(fc.array(fc.tuple(statement, fc.constantFrom('', '  # trailing', '\t#t')), { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\n\n'))
    .map(([lines, nl]) => lines.map(([s, c]) => (s.startsWith('#') || s.trim() === '' ? s : s + c)).join(nl));

  it('is idempotent and keeps the meaning (IR and diagnostics without positions)', () => {
    fc.assert(
      fc.property(file, (source) => {
        const r = formatSource(source, 'x.pf');
        if (!('text' in r)) return;
        expect(fmt(r.text)).toBe(r.text);
        expect(meaning(r.text)).toBe(meaning(source));
      }),
      { numRuns: 300 },
    );
  });
});
