/**
 * The canonical layout of one statement: its tokens as written, joined by pfc's spacing (one
 * space between words, none around ':' '/' and a range's '-', `{80, 443}` for ports and
 * `{ a, b }` for addresses), split into the columns that runs of statements align.
 */

import type { IToken } from 'chevrotain';

/** A statement split into alignable columns. */
export interface Columns {
  /** The statement keyword: `forward`, `interface`, ... */
  readonly keyword: string;
  /** Rules: the part before `->`; declarations: `interface NAME`. */
  readonly left: string;
  /** Rules: after `->` up to the options; declarations: `= VALUE`; include: the path. */
  readonly right: string;
  /** Rules: the options (`from ...`, `reflect`, `log`, `comment "..."`); else empty. */
  readonly options: string;
}

const tight = new Set(['Colon', 'Slash', 'Dash']);
const optionWords = new Set(['From', 'Reflect', 'Log', 'CommentKw']);

/** Each token with the separator that goes before it ('' or ' '). */
function spaced(tokens: readonly IToken[]): { sep: string; image: string }[] {
  const out: { sep: string; image: string }[] = [];
  // For each open brace: true when it holds ports (after ':' or '->' of a redirect).
  const braces: boolean[] = [];
  let prev: IToken | undefined;
  for (const t of tokens) {
    const type = t.tokenType.name;
    let space = prev !== undefined;
    if (prev && (tight.has(type) || tight.has(prev.tokenType.name))) space = false;
    if (type === 'Comma') space = false;
    if (prev?.tokenType.name === 'LBrace' && braces[braces.length - 1]) space = false;
    if (type === 'RBrace' && braces[braces.length - 1]) space = false;
    if (type === 'LBrace') braces.push(prev?.tokenType.name === 'Colon' || (prev?.tokenType.name === 'Arrow' && tokens[0]?.tokenType.name === 'Redirect'));
    out.push({ sep: space ? ' ' : '', image: t.image });
    if (type === 'RBrace') braces.pop();
    prev = t;
  }
  return out;
}

/** Joins tokens with the canonical spacing. */
export function joinTokens(tokens: readonly IToken[]): string {
  return spaced(tokens)
    .map((p) => p.sep + p.image)
    .join('');
}

/**
 * A statement that holds comments, on several lines: a line ends after each token a comment
 * follows (the comment two spaces after it, further comments on lines of their own), and the
 * lines after the first are indented by two spaces.
 */
export function joinWithComments(tokens: readonly IToken[], comments: readonly { readonly after: number; readonly text: string }[]): string {
  const parts = spaced(tokens);
  let out = '';
  let fresh = false;
  parts.forEach((p, i) => {
    out += fresh ? `  ${p.image}` : p.sep + p.image;
    fresh = false;
    const here = comments.filter((c) => c.after === i);
    if (here.length > 0 && i < parts.length - 1) {
      out += `  ${here.map((c) => c.text).join('\n  ')}\n`;
      fresh = true;
    }
  });
  return out;
}

/** Splits a statement into its columns. */
export function columns(tokens: readonly IToken[]): Columns {
  const keyword = tokens[0]?.image ?? '';
  const kind = tokens[0]?.tokenType.name;
  if (kind === 'Interface' || kind === 'Address') {
    const eq = tokens.findIndex((t) => t.tokenType.name === 'Equals');
    return { keyword, left: joinTokens(tokens.slice(0, eq)), right: joinTokens(tokens.slice(eq)), options: '' };
  }
  const arrow = tokens.findIndex((t) => t.tokenType.name === 'Arrow');
  if (arrow < 0) return { keyword, left: joinTokens(tokens), right: '', options: '' };
  let opt = tokens.findIndex((t, i) => i > arrow && optionWords.has(t.tokenType.name));
  if (opt < 0) opt = tokens.length;
  return { keyword, left: joinTokens(tokens.slice(0, arrow)), right: joinTokens(tokens.slice(arrow + 1, opt)), options: joinTokens(tokens.slice(opt)) };
}
