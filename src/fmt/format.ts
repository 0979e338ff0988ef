/**
 * `pfc fmt`: one canonical layout for a file. One statement per line in the user's order;
 * runs of rules (forward, redirect, allow, masquerade on consecutive lines) aligned at `->` and
 * at their options, runs of interface or address declarations aligned at `=`, trailing comments
 * aligned within a run; comments kept (a statement that holds comments keeps a line break after
 * each), blank lines kept (at most one). Files with syntax errors
 * are not formatted: their diagnostics are returned instead.
 */

import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { tokenize } from '../syntax/lexer.js';
import { parseTokens } from '../syntax/parser.js';
import { type Item, items } from './items.js';
import { type Columns, columns, joinWithComments } from './layout.js';

/** The formatted text, or the syntax diagnostics that prevent formatting. */
export type FormatResult = { readonly text: string } | { readonly diagnostics: readonly Diagnostic[] };

const ruleKeywords = new Set(['forward', 'redirect', 'allow', 'masquerade']);

/** Which run a statement aligns with: rules together, each kind of declaration on its own. */
function runKey(c: Columns): string {
  return ruleKeywords.has(c.keyword) ? 'rule' : c.keyword;
}

interface Line {
  readonly cols: Columns | null;
  readonly comment: string | null;
  readonly blank: boolean;
}

function renderRun(run: Line[]): string[] {
  const stmts = run.filter((l) => l.cols !== null).map((l) => l.cols!);
  const left = Math.max(0, ...stmts.map((c) => c.left.length));
  const isRule = stmts.length > 0 && ruleKeywords.has(stmts[0]!.keyword);
  const right = Math.max(0, ...stmts.filter((c) => c.options !== '').map((c) => c.right.length));
  const code = (c: Columns): string => {
    if (c.keyword === 'include' || (!isRule && c.right === '')) return `${c.left}${c.right ? ` ${c.right}` : ''}`;
    if (!isRule) return `${c.left.padEnd(left)} ${c.right}`;
    if (c.right === '' && c.options === '') return c.left;
    return `${c.left.padEnd(left)} -> ${c.options ? `${c.right.padEnd(right)} ${c.options}` : c.right}`;
  };
  const codes = run.map((l) => (l.cols ? code(l.cols) : ''));
  const commentAt = Math.max(0, ...run.map((l, i) => (l.cols && l.comment !== null ? codes[i]!.length : 0)));
  return run.map((l, i) => {
    if (!l.cols) return l.comment ?? '';
    return l.comment === null ? codes[i]! : `${codes[i]!.padEnd(commentAt)}  ${l.comment}`;
  });
}

/** Lays out the items: statements of one run share their column widths. */
function render(list: readonly Item[]): string {
  const out: string[] = [];
  let run: Line[] = [];
  let key: string | null = null;
  const flush = (): void => {
    out.push(...renderRun(run));
    run = [];
    key = null;
  };
  for (const item of list) {
    if (item.kind === 'blank') {
      flush();
      if (out.length > 0 && out[out.length - 1] !== '') out.push('');
    } else if (item.kind === 'comment') {
      run.push({ cols: null, comment: item.text, blank: false });
    } else if (item.interior.length > 0) {
      // A statement that holds comments keeps its line breaks and stands alone.
      flush();
      const text = joinWithComments(item.tokens, item.interior);
      out.push(item.trailing === null ? text : `${text}  ${item.trailing}`);
    } else {
      const cols = columns(item.tokens);
      const k = item.tokens[0]?.tokenType.name === 'Include' ? `include:${out.length + run.length}` : runKey(cols);
      if (key !== null && k !== key) {
        // Own-line comments just before a new run belong to it, not to the run before.
        let tail = run.length;
        while (tail > 0 && run[tail - 1]!.cols === null) tail--;
        const comments = run.slice(tail);
        run = run.slice(0, tail);
        flush();
        run = comments;
      }
      key = k;
      run.push({ cols, comment: item.trailing, blank: false });
    }
  }
  flush();
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** Formats a file (named `file` in diagnostics). */
export function formatSource(source: string, file: string): FormatResult {
  const lexed = tokenize(source, file);
  const parsed = parseTokens(lexed.tokens, file, source.length, lexed.errorOffsets);
  const syntax = [...lexed.diagnostics, ...parsed.diagnostics];
  if (syntax.length > 0) return { diagnostics: syntax };
  return { text: render(items(source, lexed.tokens)) };
}
