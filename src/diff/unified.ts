/**
 * Unified diffs of generated text (the `diff` package), in the form `diff -u` and `git diff`
 * print: `--- OLD`, `+++ NEW`, hunks with three lines of context. Empty when the texts are equal.
 * When the texts differ in very many lines (a trace tag shift touches every rule), the minimal
 * diff is costly; past a bound the changed middle is shown as one hunk instead.
 */

import { createTwoFilesPatch } from 'diff';

/** Edits the minimal diff may have before the changed middle is shown as one hunk. */
export const maxEdits = 400;

const CONTEXT = 3;

/** Lines of a text, each with its line end; the last may have none. */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** One hunk from the first to the last differing line (common prefix and suffix as context). */
function oneHunk(oldText: string, newText: string): string {
  const a = lines(oldText);
  const b = lines(newText);
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const from = Math.max(0, pre - CONTEXT);
  const aEnd = Math.min(a.length, a.length - suf + CONTEXT);
  const bEnd = Math.min(b.length, b.length - suf + CONTEXT);
  const show = (mark: string, line: string): string => (line.endsWith('\n') ? `${mark}${line}` : `${mark}${line}\n\\ No newline at end of file\n`);
  const range = (start: number, count: number): string => (count === 0 ? `${start},0` : count === 1 ? `${start + 1}` : `${start + 1},${count}`);
  let out = `@@ -${range(from, aEnd - from)} +${range(from, bEnd - from)} @@\n`;
  for (let i = from; i < pre; i++) out += show(' ', a[i]!);
  for (let i = pre; i < a.length - suf; i++) out += show('-', a[i]!);
  for (let i = pre; i < b.length - suf; i++) out += show('+', b[i]!);
  for (let i = a.length - suf; i < aEnd; i++) out += show(' ', a[i]!);
  return out;
}

/** The unified diff from `oldText` to `newText`; '' when they are equal. */
export function unifiedDiff(oldName: string, newName: string, oldText: string, newText: string): string {
  if (oldText === newText) return '';
  const patch = createTwoFilesPatch(oldName, newName, oldText, newText, '', '', { context: CONTEXT, maxEditLength: maxEdits });
  if (patch === undefined) return `--- ${oldName}\n+++ ${newName}\n${oneHunk(oldText, newText)}`;
  // The package starts with an `Index:` line and a rule of '='; diff -u does not.
  const all = patch.split('\n');
  const start = all.findIndex((l) => l.startsWith('--- '));
  return all
    .slice(start)
    .map((l) => (l.startsWith('--- ') || l.startsWith('+++ ') ? l.replace(/\t$/, '') : l))
    .join('\n');
}
