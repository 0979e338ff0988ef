/**
 * Unified diffs of generated text (the `diff` package), in the form `diff -u` and `git diff`
 * print: `--- OLD`, `+++ NEW`, hunks with three lines of context. Empty when the texts are equal.
 */

import { createTwoFilesPatch } from 'diff';

/** The unified diff from `oldText` to `newText`; '' when they are equal. */
export function unifiedDiff(oldName: string, newName: string, oldText: string, newText: string): string {
  if (oldText === newText) return '';
  const patch = createTwoFilesPatch(oldName, newName, oldText, newText, '', '', { context: 3 });
  // The package starts with an `Index:` line and a rule of '='; diff -u does not.
  const lines = patch.split('\n');
  const start = lines.findIndex((l) => l.startsWith('--- '));
  return lines
    .slice(start)
    .map((l) => (l.startsWith('--- ') || l.startsWith('+++ ') ? l.replace(/\t$/, '') : l))
    .join('\n');
}
