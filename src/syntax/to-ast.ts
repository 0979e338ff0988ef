/**
 * AST nodes from tokens: the constructors the parser's actions call (every node gets a half-open
 * span), and the language rules the grammar lets through: a repeated protocol or option (E014)
 * and an option the statement does not take (E001).
 */

import type { IToken } from 'chevrotain';
import type * as A from '../ast.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { Messages } from '../diagnostics/messages.js';
import { makeDiagnostic } from '../diagnostics/report.js';

/** The span of a token whose offset 0 is at `base` in the spans' offset space. */
export function tokenSpan(t: IToken, base: number): Span {
  const start = base + t.startOffset;
  return { start: smallInt(start), end: smallInt(start + t.image.length) };
}

/**
 * An offset as a small integer. While Chevrotain records the grammar, the actions see tokens whose
 * offsets are NaN; one NaN stored in a span would make V8 keep the numbers of every span of the
 * run in boxes of their own (a double field), two extra heap objects per span. `| 0` turns the
 * NaN into 0 and leaves real offsets (below 2^31: inputs are capped far lower) as they are.
 */
export function smallInt(offset: number): number {
  return offset | 0;
}

/** The text of a string literal without quotes and escapes. */
export function unquote(image: string): string {
  return image.slice(1, -1).replace(/\\(["\\])/g, '$1');
}

/** The statements that take options, and the options each takes. */
export const optionsTaken = {
  forward: ['from', 'reflect', 'log', 'comment'],
  redirect: ['from', 'log', 'comment'],
  allow: ['from', 'log', 'comment'],
} as const;
export type OptionStatement = keyof typeof optionsTaken;

/** One option as written: its keyword, and the address of `from` or the string of `comment`. */
export interface OptionItem {
  readonly keyword: IToken;
  readonly from: A.AddressValue | null;
  readonly text: IToken | null;
}

/** E014 for each protocol written again after its first mention. */
export function checkProtocols(protocols: A.Protocols, file: string, out: Diagnostic[]): void {
  const list = protocols.list;
  for (let i = 1; i < list.length; i++) {
    const p = list[i]!;
    if (list.slice(0, i).some((q) => q.name === p.name)) out.push(makeDiagnostic(Messages.Repeated, file, p.span, { what: 'Protocol', name: p.name }));
  }
}

/**
 * The options of a statement: the first of each kind it takes. An option it does not take is
 * E001 and a repeated one E014; both are left out.
 */
export function optionsOf(items: readonly OptionItem[], statement: OptionStatement, base: number, file: string, out: Diagnostic[]): A.Options {
  let from: A.AddressValue | null = null;
  let reflect: Span | null = null;
  let log: Span | null = null;
  let comment: { text: string; span: Span } | null = null;
  const allowed: readonly string[] = optionsTaken[statement];
  for (const item of items) {
    const name = item.keyword.image;
    const span = tokenSpan(item.keyword, base);
    if (!allowed.includes(name)) {
      const detail = `Option '${name}' is not valid on ${statement === 'allow' ? 'an' : 'a'} ${statement} statement (it takes ${allowed.join(', ')}).`;
      out.push(makeDiagnostic(Messages.SyntaxError, file, span, { detail }));
      continue;
    }
    const seen = { from, reflect, log, comment }[name as 'from' | 'reflect' | 'log' | 'comment'];
    if (seen !== null) {
      out.push(makeDiagnostic(Messages.Repeated, file, span, { what: 'Option', name }));
      continue;
    }
    if (name === 'from') from = item.from;
    else if (name === 'reflect') reflect = span;
    else if (name === 'log') log = span;
    else if (item.text) comment = { text: unquote(item.text.image), span: tokenSpan(item.text, base) };
  }
  return { from, reflect, log, comment };
}
