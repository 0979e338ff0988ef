/**
 * The formatter's view of a file: statements (their tokens), comments and blank lines in source
 * order. The lexer skips comments, so they are found again in the gaps between tokens. A comment
 * after a statement on its line trails it; a comment inside a statement (one that spans lines)
 * stays after the token it follows, and the statement keeps a line break there.
 */

import type { IToken } from 'chevrotain';
import { statementKeywords } from '../syntax/tokens.js';

/** One line of the formatted file, before alignment. */
export type Item =
  | {
      readonly kind: 'statement';
      readonly tokens: readonly IToken[];
      readonly trailing: string | null;
      /** Comments inside the statement: each after the token with index `after`. */
      readonly interior: readonly { readonly after: number; readonly text: string }[];
    }
  | { readonly kind: 'comment'; readonly text: string }
  | { readonly kind: 'blank' };

interface Comment {
  readonly start: number;
  readonly text: string;
}

/** Comments in the gaps between tokens (where the lexer found only blanks and comments). */
function comments(source: string, tokens: readonly IToken[]): Comment[] {
  const out: Comment[] = [];
  let from = 0;
  const scan = (to: number): void => {
    const gap = source.slice(from, to);
    for (const m of gap.matchAll(/#[^\n]*/g)) out.push({ start: from + m.index, text: m[0].replace(/\s+$/, '') });
  };
  for (const t of tokens) {
    scan(t.startOffset);
    from = t.startOffset + t.image.length;
  }
  scan(source.length);
  return out;
}

const newlines = (text: string): number => (text.match(/\n/g) ?? []).length;

/** Splits a file into statements, comments and blank lines, in order. */
export function items(source: string, tokens: readonly IToken[]): Item[] {
  const starts = new Set(statementKeywords);
  const statements: { tokens: IToken[]; start: number; end: number }[] = [];
  for (const t of tokens) {
    if (starts.has(t.tokenType) || statements.length === 0) statements.push({ tokens: [], start: t.startOffset, end: 0 });
    const s = statements[statements.length - 1]!;
    s.tokens.push(t);
    s.end = t.startOffset + t.image.length;
  }
  type Event = { at: number; end: number; statement?: (typeof statements)[number]; comment?: Comment };
  const events: Event[] = [
    ...statements.map((s) => ({ at: s.start, end: s.end, statement: s })),
    ...comments(source, tokens).map((c) => ({ at: c.start, end: c.start + c.text.length, comment: c })),
  ].sort((a, b) => a.at - b.at);
  // Comments inside a statement (it spans lines) stay after their token; events are sorted by start.
  const inside = new Map<(typeof statements)[number], { after: number; text: string }[]>();
  const interior = new Set<Event>();
  let current: (typeof statements)[number] | undefined;
  for (const e of events) {
    if (e.statement) current = e.statement;
    else if (current && e.at < current.end) {
      let after = current.tokens.length - 1;
      while (after > 0 && current.tokens[after]!.startOffset > e.at) after--;
      inside.set(current, [...(inside.get(current) ?? []), { after, text: e.comment!.text }]);
      interior.add(e);
    }
  }
  const out: Item[] = [];
  let lastEnd = -1;
  for (const e of events) {
    if (interior.has(e)) continue;
    const gap = lastEnd < 0 ? '' : source.slice(lastEnd, e.at);
    const prev = out[out.length - 1];
    if (e.comment && prev?.kind === 'statement' && prev.trailing === null && lastEnd >= 0 && newlines(gap) === 0) {
      out[out.length - 1] = { ...prev, trailing: e.comment.text };
      lastEnd = e.end;
      continue;
    }
    if (lastEnd >= 0 && newlines(gap) >= 2) out.push({ kind: 'blank' });
    if (e.comment) out.push({ kind: 'comment', text: e.comment.text });
    else out.push({ kind: 'statement', tokens: e.statement!.tokens, trailing: null, interior: inside.get(e.statement!) ?? [] });
    lastEnd = e.end;
  }
  return out;
}
