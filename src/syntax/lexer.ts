/**
 * Lexing: source text to tokens. Characters no token matches become E001 diagnostics (one per
 * run of bad characters), and lexing goes on, so the parser still sees the rest of the file.
 */

import { type IToken, Lexer } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { Messages } from '../diagnostics/messages.js';
import { makeDiagnostic } from '../diagnostics/report.js';
import { lookAlike } from './confusables.js';
import { allTokens } from './tokens.js';

/**
 * A lexer over the tokens of tokens.ts. `validate: false` skips Chevrotain's checks of the token
 * definitions, which only a changed tokens.ts can fail (a test builds the lexer with them).
 */
export function createLexer(options: { validate: boolean }): Lexer {
  return new Lexer([...allTokens], { positionTracking: 'onlyOffset', ensureOptimizations: true, skipValidations: !options.validate });
}

const lexer = createLexer({ validate: false });

/** Tokens of a file, plus the diagnostics for text that is no token. */
export interface LexResult {
  readonly tokens: IToken[];
  readonly diagnostics: Diagnostic[];
  /** Where each run of bad characters starts (offsets in `source`, without `base`). */
  readonly errorOffsets: number[];
}

/** Shows a character safely in a message: printable ASCII as is, anything else as its code point (U+00E9). */
export function showChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code >= 0x20 && code < 0x7f ? `'${ch}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Splits a file into tokens; the diagnostics' spans are offsets plus `base`. */
export function tokenize(source: string, file: string, base = 0): LexResult {
  const result = lexer.tokenize(source);
  const diagnostics = result.errors.map((e) => {
    const text = source.slice(e.offset, e.offset + e.length);
    const first = text[0] ?? '';
    const detail =
      first === '"' ? 'Unterminated string: a string ends with " on the same line; \\" and \\\\ are its only escapes.' : unexpected(text.codePointAt(0) ?? 0);
    const span = { start: base + e.offset, end: base + e.offset + Math.max(1, first === '"' ? lineEnd(source, e.offset) - e.offset : e.length) };
    return makeDiagnostic(Messages.SyntaxError, file, span, { detail });
  });
  return { tokens: result.tokens, diagnostics, errorOffsets: result.errors.map((e) => e.offset) };
}

/** E001 text for a character no token takes, naming the ASCII character it looks like. */
function unexpected(code: number): string {
  const like = code > 0x7e ? lookAlike(code) : null;
  const shown = showChar(String.fromCodePoint(code));
  if (like === null) return `Unexpected character ${shown}.`;
  return `Unexpected character ${shown}: it looks like '${like}', but pfc reads only ASCII outside strings and comments.`;
}

function lineEnd(source: string, offset: number): number {
  const nl = source.indexOf('\n', offset);
  return nl < 0 ? source.length : nl;
}
