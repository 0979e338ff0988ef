/**
 * Unified diffs: the form `diff -u` prints, and for texts that differ in very many lines the
 * one-hunk form; both must apply back (the `diff` package's applyPatch) to give the new text.
 */

import { applyPatch } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxEdits, unifiedDiff } from '../../src/diff/unified.js';

describe('unifiedDiff', () => {
  it('prints --- and +++ without the Index header, and nothing for equal texts', () => {
    expect(unifiedDiff('a', 'b', 'x\ny\nz\n', 'x\nY\nz\n')).toBe('--- a\n+++ b\n@@ -1,3 +1,3 @@\n x\n-y\n+Y\n z\n');
    expect(unifiedDiff('a', 'b', 'same\n', 'same\n')).toBe('');
  });
  it('shows the changed middle as one hunk when the texts differ in very many lines', () => {
    const old = Array.from({ length: 2000 }, (_, i) => `rule ${i} tag a.pf:${i}\n`).join('');
    const changed = `head\n${Array.from({ length: 2000 }, (_, i) => `rule ${i} tag a.pf:${i + 1}\n`).join('')}`;
    const d = unifiedDiff('a', 'b', old, changed);
    expect(d.startsWith('--- a\n+++ b\n@@ -1,2000 +1,2001 @@\n-rule 0 tag a.pf:0\n')).toBe(true);
    expect(applyPatch(old, d)).toBe(changed);
  });
  it('applies back, small or large, with or without a final newline', () => {
    const line = fc.constantFrom('a', 'b', 'c', 'd', '');
    const text = fc.tuple(fc.array(line, { maxLength: 3 * maxEdits }), fc.boolean()).map(([ls, nl]) => ls.join('\n') + (nl && ls.length > 0 ? '\n' : ''));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const d = unifiedDiff('a', 'b', a, b);
        if (a === b) expect(d).toBe('');
        else expect(applyPatch(a, d)).toBe(b);
      }),
      { numRuns: 200 },
    );
  });
});
