/**
 * Resource limits: the bounds that keep a hostile rules file from making pfc run for minutes or
 * eat all memory (docs/security.md). A linear pre-scan of each file's text runs before lexing;
 * later stages consult the same numbers (resolution, overlaps, lowering, diagnostics).
 */

import type { Diagnostic, Span } from './diagnostics/diagnostic.js';
import { type Message, Messages } from './diagnostics/messages.js';
import { makeDiagnostic } from './diagnostics/report.js';

/**
 * The limits, each far above what a real router needs (a large site has hundreds of forwards;
 * 100,000 forwards are about 4 MiB of text and compile), and low enough that the work stays
 * bounded: every stage is at worst O(n log n) in these numbers, and the pairwise work of the
 * overlap sweep has its own budget.
 */
export const limits = {
  /** Bytes of UTF-8 text in a rule set, the main file and its includes together (E050). */
  sourceBytes: 8 * 1024 * 1024,
  /** Statements in a rule set (E051). */
  statements: 200_000,
  /** Tokens in a rule set: names, numbers, addresses, strings and punctuation (E052). */
  tokens: 2_000_000,
  /** Entries in one braced list as written, or in one address set once names are expanded (E053). */
  listEntries: 65_536,
  /** Address entries materialised by resolution over the whole file, every name use counted (E054). */
  addressEntries: 2_000_000,
  /** Elements the rule set expands into: ports (port by port for shifted ranges) times sources (E055). */
  elements: 1_048_576,
  /** Pairs of rules that share a port, compared by the overlap sweep (E057). */
  overlapPairs: 1_000_000,
  /** Runs of characters that are no token, before pfc stops reading the file as rules (E056). */
  badCharacterRuns: 256,
  /** Characters the lexer may scan again for strings and brackets that do not close (E056). */
  lexerRetries: 16_000_000,
  /** Diagnostics reported for one run; the rest are summed up in one E059 or W059. */
  diagnostics: 1000,
} as const;

const keywords = new Set(['interface', 'address', 'forward', 'redirect', 'allow', 'masquerade', 'include']);

// The rest of a word or number, as the lexer reads it (a regular expression runs as native code
// from the start, where a character loop is slow until the JIT has compiled it).
const wordRest = /(?:[A-Za-z0-9_.]|-(?!>))*/y;
const numberRest = /[0-9.]*/y;

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/** The UTF-16 offset at which a text's UTF-8 encoding passes `bytes` bytes. */
export function offsetOfByte(text: string, bytes: number): number {
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    used += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 4 : c >= 0xdc00 && c <= 0xdfff ? 0 : 3;
    if (used > bytes) return i;
  }
  return text.length;
}

/**
 * Where the string starting at `i` ends: the offset of its closing quote, or of the character at
 * which it fails (line end, bad escape), -1 at the end of the text. As StringLit in tokens.ts.
 */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; ) {
    const d = text.charCodeAt(j);
    if (d === 34 || d === 10 || d === 13) return j;
    if (d !== 92) j++;
    else if (text.charCodeAt(j + 1) === 34 || text.charCodeAt(j + 1) === 92) j += 2;
    else return j;
  }
  return -1;
}

/** Where the bracketed IPv6 literal at `i` ends: its `]`, or the blank that stops it; -1 at the end. */
function bracketEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) if (text.charCodeAt(j) === 93 || /\s/.test(text[j]!)) return j;
  return -1;
}

/** Running totals over the files of one rule set; `scan` each file before lexing it. */
export class Budget {
  private bytes = 0;
  private statements = 0;
  private tokens = 0;

  /**
   * Pre-scans one file the way the lexer will read it (blanks, `#` comments, strings, bracketed
   * IPv6, words, punctuation), counting what the limits bound. Returns the diagnostics for the
   * limits it exceeds (spans in the file's own offsets); the file must not be lexed when any.
   */
  scan(text: string, file: string): Diagnostic[] {
    const out: Diagnostic[] = [];
    const report = (message: Message, span: Span, data: Record<string, string | number>) => out.push(makeDiagnostic(message, file, span, data));
    const size = Buffer.byteLength(text, 'utf8');
    if (this.bytes + size > limits.sourceBytes) {
      const at = offsetOfByte(text, limits.sourceBytes - this.bytes);
      report(Messages.SourceTooLarge, { start: at, end: Math.min(text.length, at + 1) }, { size, limit: limits.sourceBytes });
      return out;
    }
    this.bytes += size;
    const n = text.length;
    let listStart = -1;
    let listEntries = 0;
    let badRuns = 0;
    let lastBad = -2;
    let stringFail = -1;
    let bracketFail = -1;
    let retries = 0;
    let i = 0;
    const bad = (at: number): void => {
      if (at !== lastBad + 1) badRuns++;
      lastBad = at;
      i = at + 1;
    };
    while (i < n) {
      const c = text.charCodeAt(i);
      if (isBlank(c) || (c === 0xfeff && i === 0)) {
        i++;
        continue;
      }
      if (c === 35) {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? n : nl;
        continue;
      }
      const start = i;
      if (++this.tokens > limits.tokens) {
        report(Messages.TooManyTokens, { start, end: start + 1 }, { limit: limits.tokens });
        return out;
      }
      // A string or bracket that does not close costs the lexer a scan to where it fails, from
      // every quote or bracket before that point: count that work, or lexing could be quadratic.
      if (c === 34 || c === 91) {
        const failEnd = c === 34 ? stringFail : bracketFail;
        let end = -1;
        if (i >= failEnd) {
          const j = c === 34 ? stringEnd(text, i) : bracketEnd(text, i);
          if (j >= 0 && text.charCodeAt(j) === (c === 34 ? 34 : 93)) end = j + 1;
          else if (c === 34) stringFail = j < 0 ? n : j;
          else bracketFail = j < 0 ? n : j;
        }
        if (end >= 0) {
          i = end;
          continue;
        }
        retries += (c === 34 ? stringFail : bracketFail) - i;
        bad(i);
        if (retries > limits.lexerRetries) {
          report(Messages.NotRules, { start, end: start + 1 }, { why: 'too many strings or brackets that do not close' });
          return out;
        }
        continue;
      }
      if (isLetter(c)) {
        wordRest.lastIndex = i + 1;
        wordRest.test(text);
        i = wordRest.lastIndex;
        const word = i - start <= 10 ? text.slice(start, i) : '';
        if (keywords.has(word)) {
          listStart = -1;
          if (++this.statements > limits.statements) {
            report(Messages.TooManyStatements, { start, end: i }, { limit: limits.statements });
            return out;
          }
        }
        continue;
      }
      if (isDigit(c)) {
        numberRest.lastIndex = i + 1;
        numberRest.test(text);
        i = numberRest.lastIndex;
        continue;
      }
      if (c === 45 && text.charCodeAt(i + 1) === 62) {
        i += 2;
        continue;
      }
      if (c === 123) {
        listStart = i;
        listEntries = 1;
      } else if (c === 44 && listStart >= 0) {
        if (++listEntries > limits.listEntries) {
          report(Messages.ListTooLarge, { start: listStart, end: listStart + 1 }, { what: 'This list', limit: limits.listEntries });
          return out;
        }
      } else if (c === 125) listStart = -1;
      else if (c !== 58 && c !== 61 && c !== 47 && c !== 45 && c !== 44) {
        bad(i);
        if (badRuns > limits.badCharacterRuns) {
          report(Messages.NotRules, { start, end: start + 1 }, { why: `more than ${limits.badCharacterRuns} runs of characters that are no token` });
          return out;
        }
        continue;
      }
      i++;
    }
    return out;
  }
}

/**
 * At most {@link limits.diagnostics} diagnostics (already sorted), then one E059 (or W059 when
 * every diagnostic left out is a warning) at the first one left out, saying how many there were.
 */
export function capDiagnostics(sorted: readonly Diagnostic[]): readonly Diagnostic[] {
  if (sorted.length <= limits.diagnostics) return sorted;
  const kept = sorted.slice(0, limits.diagnostics);
  const rest = sorted.slice(limits.diagnostics);
  const first = rest[0]!;
  const anyError = rest.some((d) => d.severity === 'error');
  const message = anyError ? Messages.MoreErrors : Messages.MoreWarnings;
  return [...kept, makeDiagnostic(message, first.file, first.span, { count: rest.length, limit: limits.diagnostics })];
}
