/**
 * The semantic diff: statements paired by meaning across two rule sets (moves, renames and splits
 * into includes change nothing), changed fields named, additions and removals with file:line.
 */

import { describe, expect, it } from 'vitest';
import { renderSemanticText, semanticJson } from '../../src/diff/render.js';
import { isEmpty, semanticDiff } from '../../src/diff/semantic.js';
import { unifiedDiff } from '../../src/diff/unified.js';
import { check, type Ir } from '../../src/index.js';

const head = 'interface wan = eth0\ninterface lan = br-lan subnet 192.168.1.0/24\n';
function ir(body: string, files: Record<string, string> = {}): Ir {
  const r = check(head + body, 'rules/main.pf', {
    readFile: (n) => {
      const text = files[n];
      if (text === undefined) throw new Error('no such file or directory');
      return text;
    },
  });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ir!;
}
const summary = (a: Ir, b: Ir) => renderSemanticText(semanticDiff(a, b), { old: 'old/main.pf', new: 'rules/main.pf' });

describe('semanticDiff', () => {
  const base = 'address nas = 192.168.1.20\nforward tcp wan:80 -> nas:8080\nforward udp wan:5000-5010 -> 192.168.1.30\nmasquerade lan -> wan\n';

  it('finds nothing when only order, names, comments or files differ', () => {
    const same = ir(base);
    const moved = ir('masquerade lan -> wan\naddress box = 192.168.1.20\n# moved\nforward udp wan:5000-5010 -> 192.168.1.30\nforward tcp wan:80 -> box:8080\n');
    expect(isEmpty(semanticDiff(same, moved))).toBe(true);
    const split = ir('include "hosts/web.pf"\nmasquerade lan -> wan\n', {
      'rules/hosts/web.pf': 'forward tcp wan:80 -> 192.168.1.20:8080\nforward udp wan:5000-5010 -> 192.168.1.30\n',
    });
    expect(isEmpty(semanticDiff(same, split))).toBe(true);
    expect(summary(same, split)).toBe('No change in meaning.\n');
  });

  it('names the fields of a retargeted forward, with both locations', () => {
    const d = summary(ir(base), ir(base.replace('192.168.1.20', '192.168.1.21')));
    expect(d).toBe(
      'forwards: 0 added, 0 removed, 1 changed\n  ~ forward tcp wan:80 -> 192.168.1.21:8080    (old/main.pf:4 -> rules/main.pf:4)\n      target: 192.168.1.20:8080 -> 192.168.1.21:8080\n',
    );
  });

  it('pairs a forward whose ports or protocol changed by its target', () => {
    const d = semanticDiff(ir(base), ir(base.replace('udp wan:5000-5010', 'tcp/udp wan:5000-5020')));
    expect(d.rules).toHaveLength(1);
    expect(d.rules[0]).toMatchObject({
      change: 'changed',
      fields: [
        { field: 'protocol', old: 'udp', new: 'tcp/udp' },
        { field: 'ports', old: '5000-5010', new: '5000-5020' },
      ],
    });
  });

  it('reports sources and options', () => {
    const d = semanticDiff(ir(base), ir(base.replace('nas:8080', 'nas:8080 from 203.0.113.0/24 log reflect')));
    expect(d.rules[0]).toMatchObject({
      fields: [
        { field: 'sources', old: 'any', new: '203.0.113.0/24' },
        { field: 'options', old: '', new: 'reflect log' },
      ],
    });
  });

  it('lists additions and removals with their file:line', () => {
    const after = `${base.replace('forward udp wan:5000-5010 -> 192.168.1.30\n', '')}forward tcp wan:443 -> nas\nredirect tcp wan:8081 -> 8080\n`;
    const text = summary(ir(base), ir(after));
    expect(text).toContain('  - forward udp wan:5000-5010 -> 192.168.1.30    (old/main.pf:5)\n');
    expect(text).toContain('  + forward tcp wan:443 -> 192.168.1.20    (rules/main.pf:6)\n');
    expect(text).toContain('redirects: 1 added, 0 removed, 0 changed\n  + redirect tcp wan:8081 -> 8080    (rules/main.pf:7)\n');
  });

  it('reports a changed interface device and the forwards on it', () => {
    const d = semanticDiff(ir(base), check(head.replace('eth0', 'eth1') + base, 'x.pf').ir!);
    expect(d.interfaces).toEqual([{ name: 'wan', old: 'eth0', new: 'eth1' }]);
    expect(d.rules.map((r) => r.change)).toEqual(['changed', 'changed', 'changed']);
  });

  it('has a JSON form with files, lines, fields and the output diff', () => {
    const d = semanticDiff(ir(base), ir(base.replace('8080', '8081')));
    const json = semanticJson(d, { old: 'old/main.pf', new: 'rules/main.pf' }, { target: 'nftables', diff: unifiedDiff('a', 'b', 'x\n', 'y\n') }) as Record<
      string,
      unknown
    >;
    expect(json).toMatchObject({
      version: 1,
      equal: false,
      rules: [
        {
          kind: 'forward',
          change: 'changed',
          old: { file: 'old/main.pf', line: 4, statement: 'forward tcp wan:80 -> 192.168.1.20:8080' },
          new: { file: 'rules/main.pf', line: 4 },
          fields: [{ field: 'target' }],
        },
      ],
      output: { target: 'nftables', diff: '--- a\n+++ b\n@@ -1,1 +1,1 @@\n-x\n+y\n' },
    });
  });
});
