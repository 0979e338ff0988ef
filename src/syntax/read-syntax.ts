/**
 * Reading a file's syntax a chunk at a time: lexes and parses a piece of the text, keeps its
 * statements and drops its tokens before the next piece is lexed, so that a 100k-line file never
 * holds all of its million tokens at once. The pieces give what the whole file would.
 */

import type * as A from '../ast.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { tokenize } from './lexer.js';
import { parseTokens } from './parser.js';
import * as T from './tokens.js';

/** About this many characters per chunk (a thousand statements, some ten thousand tokens). */
export const chunkSize = 64 * 1024;

// Sticky copies of the lexer's own patterns, to find the first token after a line end.
const blanks = new RegExp(`(?:${(T.WhiteSpace.PATTERN as RegExp).source})?`, 'y');
const name = new RegExp((T.Name.PATTERN as RegExp).source, 'y');
const statementWords = new Set(T.statementKeywords.map((k) => (k.PATTERN as RegExp).source));

/**
 * Where the chunk that starts at `from` ends: at the first line end at least `size` characters on
 * after which the next token is a statement keyword, or at the end of the text. A line end is
 * always between tokens (strings, comments and bracketed IPv6 end before one, and a run of bad
 * characters too), and the parser resynchronises at every statement keyword, so each chunk parses
 * as it would within the whole text.
 */
export function chunkEnd(text: string, from: number, size = chunkSize): number {
  let at = from + size;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) break;
    blanks.lastIndex = nl + 1;
    blanks.exec(text);
    const next = blanks.lastIndex;
    name.lastIndex = next;
    const word = name.exec(text);
    // The lexer takes a keyword only when the name there is the keyword itself (longer_alt).
    if (word !== null && statementWords.has(word[0])) return nl + 1;
    // Every line end in that run of blanks leads to the same token: go on after it.
    at = next;
  }
  return text.length;
}

/** What lexing and parsing a whole file found (spans in the set's offset space). */
export interface SyntaxResult {
  /** Every statement, in order; empty when they were handed to `each` instead. */
  readonly statements: A.Statement[];
  /** Lexer and parser errors (E001). */
  readonly diagnostics: Diagnostic[];
  /** E014 and E001 for what the grammar lets through but the language forbids. */
  readonly ruleDiagnostics: Diagnostic[];
  readonly brokenNames: string[];
  readonly namesInBroken: string[];
}

/**
 * Lexes and parses a file chunk by chunk; its offset 0 is at `base` in the spans made. With
 * `each`, every statement goes to it as soon as its chunk is parsed, and none is kept: a caller
 * that turns statements into something smaller never holds the whole file's AST.
 */
export function readSyntax(text: string, file: string, base = 0, size = chunkSize, each?: (statement: A.Statement) => void): SyntaxResult {
  const out: SyntaxResult = { statements: [], diagnostics: [], ruleDiagnostics: [], brokenNames: [], namesInBroken: [] };
  for (let from = 0; from < text.length; ) {
    const to = chunkEnd(text, from, size);
    const piece = text.slice(from, to);
    const lexed = tokenize(piece, file, base + from);
    const parsed = parseTokens(lexed.tokens, file, piece.length, lexed.errorOffsets, base + from);
    // Loops, not push(...list): a hostile file can make these lists longer than the call stack.
    for (const d of lexed.diagnostics) out.diagnostics.push(d);
    for (const d of parsed.diagnostics) out.diagnostics.push(d);
    for (const d of parsed.ruleDiagnostics) out.ruleDiagnostics.push(d);
    for (const s of parsed.statements) {
      if (each) each(s);
      else out.statements.push(s);
    }
    for (const n of parsed.brokenNames) out.brokenNames.push(n);
    for (const n of parsed.namesInBroken) out.namesInBroken.push(n);
    from = to;
  }
  return out;
}
