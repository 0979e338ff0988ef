/**
 * Parsing: tokens to a concrete syntax tree (Chevrotain CstParser, grammar only, no actions).
 * Every statement starts with a reserved keyword, so the file is parsed one statement at a time:
 * an error ends that statement and parsing resumes at the next keyword (panic-mode recovery).
 */

import { type CstNode, CstParser, EOF, type IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { Messages } from '../diagnostics/messages.js';
import { makeDiagnostic } from '../diagnostics/report.js';
import { errorMessages } from './parse-errors.js';
import * as T from './tokens.js';

/** The grammar of LANGUAGE.md; rule names match grammar/pfc.ebnf. */
export class PfcParser extends CstParser {
  constructor() {
    super([...T.allTokens], { recoveryEnabled: false, maxLookahead: 3, errorMessageProvider: errorMessages });
    this.performSelfAnalysis();
  }

  /** The whole file (used for the grammar documents; parseFile() parses statement by statement). */
  file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.statement));
  });

  statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.interfaceDecl) },
      { ALT: () => this.SUBRULE(this.addressDecl) },
      { ALT: () => this.SUBRULE(this.forwardStmt) },
      { ALT: () => this.SUBRULE(this.redirectStmt) },
      { ALT: () => this.SUBRULE(this.allowStmt) },
      { ALT: () => this.SUBRULE(this.masqueradeStmt) },
      { ALT: () => this.SUBRULE(this.includeStmt) },
    ]);
  });

  interfaceDecl = this.RULE('interfaceDecl', () => {
    this.CONSUME(T.Interface);
    this.CONSUME(T.Name);
    this.CONSUME(T.Equals);
    this.OR([{ ALT: () => this.CONSUME2(T.Name, { LABEL: 'device' }) }, { ALT: () => this.CONSUME(T.StringLit, { LABEL: 'device' }) }]);
    this.OPTION(() => {
      this.CONSUME(T.Subnet);
      this.SUBRULE(this.addressValue);
    });
  });

  addressDecl = this.RULE('addressDecl', () => {
    this.CONSUME(T.Address);
    this.CONSUME(T.Name);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.addressValue);
  });

  forwardStmt = this.RULE('forwardStmt', () => {
    this.CONSUME(T.Forward);
    this.SUBRULE(this.protocols);
    this.SUBRULE(this.host, { LABEL: 'ingress' });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.portSpec, { LABEL: 'ports' });
    this.CONSUME(T.Arrow);
    this.SUBRULE2(this.host, { LABEL: 'target' });
    this.OPTION(() => {
      this.CONSUME2(T.Colon);
      this.SUBRULE2(this.portSpec, { LABEL: 'targetPorts' });
    });
    this.SUBRULE(this.options);
  });

  redirectStmt = this.RULE('redirectStmt', () => {
    this.CONSUME(T.Redirect);
    this.SUBRULE(this.protocols);
    this.OPTION(() => {
      this.SUBRULE(this.host, { LABEL: 'ingress' });
      this.CONSUME(T.Colon);
    });
    this.SUBRULE(this.portSpec, { LABEL: 'ports' });
    this.CONSUME(T.Arrow);
    this.SUBRULE2(this.portSpec, { LABEL: 'targetPorts' });
    this.SUBRULE(this.options);
  });

  allowStmt = this.RULE('allowStmt', () => {
    this.CONSUME(T.Allow);
    this.SUBRULE(this.protocols);
    this.CONSUME(T.Name, { LABEL: 'ingress' });
    this.CONSUME(T.Arrow);
    this.SUBRULE(this.host, { LABEL: 'target' });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.portSpec, { LABEL: 'ports' });
    this.SUBRULE(this.options);
  });

  masqueradeStmt = this.RULE('masqueradeStmt', () => {
    this.CONSUME(T.Masquerade);
    this.SUBRULE(this.addressValue, { LABEL: 'source' });
    this.CONSUME(T.Arrow);
    this.CONSUME(T.Name, { LABEL: 'egress' });
  });

  includeStmt = this.RULE('includeStmt', () => {
    this.CONSUME(T.Include);
    this.CONSUME(T.StringLit);
  });

  protocols = this.RULE('protocols', () => {
    this.SUBRULE(this.protocol);
    this.MANY(() => {
      this.CONSUME(T.Slash);
      this.SUBRULE2(this.protocol);
    });
  });

  protocol = this.RULE('protocol', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Tcp) }, { ALT: () => this.CONSUME(T.Udp) }]);
  });

  host = this.RULE('host', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Name) }, { ALT: () => this.CONSUME(T.IPv4) }, { ALT: () => this.CONSUME(T.IPv6) }]);
  });

  addressValue = this.RULE('addressValue', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.host) },
      {
        ALT: () => {
          this.CONSUME(T.LBrace);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.host) });
          this.CONSUME(T.RBrace);
        },
      },
    ]);
  });

  portSpec = this.RULE('portSpec', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.portItem) },
      {
        ALT: () => {
          this.CONSUME(T.LBrace);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.portItem) });
          this.CONSUME(T.RBrace);
        },
      },
    ]);
  });

  portItem = this.RULE('portItem', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.NumberLit, { LABEL: 'first' });
          this.OPTION(() => {
            this.CONSUME(T.Dash);
            this.CONSUME2(T.NumberLit, { LABEL: 'last' });
          });
        },
      },
      { ALT: () => this.CONSUME(T.Name, { LABEL: 'service' }) },
    ]);
  });

  options = this.RULE('options', () => {
    this.MANY(() => this.SUBRULE(this.optionItem));
  });

  optionItem = this.RULE('optionItem', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.From);
          this.SUBRULE(this.addressValue);
        },
      },
      { ALT: () => this.CONSUME(T.ReflectKw) },
      { ALT: () => this.CONSUME(T.Log) },
      {
        ALT: () => {
          this.CONSUME(T.CommentKw);
          this.CONSUME(T.StringLit);
        },
      },
    ]);
  });
}

/** The one parser instance (Chevrotain parsers are reusable; building one is the costly part). */
export const parser = new PfcParser();

/** The statements of a file that parsed, and E001 for each statement that did not. */
export interface ParseResult {
  readonly statements: CstNode[];
  readonly diagnostics: Diagnostic[];
  /** Names that broken declarations meant to declare, so later uses are not reported again. */
  readonly brokenNames: string[];
  /** Names written in broken statements: their declarations count as used (no W001). */
  readonly namesInBroken: string[];
}

/**
 * Parses tokens statement by statement; a broken statement never hides errors in the next,
 * and the statements that did parse go on to resolution and checks.
 */
export function parseTokens(tokens: readonly IToken[], file: string, sourceLength: number, lexErrorOffsets: readonly number[] = []): ParseResult {
  // Fast path: a file without errors parses in one call; only a broken file is re-parsed
  // statement by statement for recovery.
  if (lexErrorOffsets.length === 0) {
    parser.input = tokens as IToken[];
    const whole = parser.file();
    if (parser.errors.length === 0) {
      const list = (whole.children.statement ?? []) as CstNode[];
      return { statements: list, diagnostics: [], brokenNames: [], namesInBroken: [] };
    }
  }
  const statements: CstNode[] = [];
  const diagnostics: Diagnostic[] = [];
  const brokenNames: string[] = [];
  const namesInBroken: string[] = [];
  const starts = new Set(T.statementKeywords);
  let i = 0;
  while (i < tokens.length) {
    let end = i + 1;
    while (end < tokens.length && !starts.has(tokens[end]!.tokenType)) end++;
    const chunk = tokens.slice(i, end);
    parser.input = chunk;
    const cst = parser.statement();
    const error = parser.errors[0];
    if (error) {
      const at = error.token.tokenType === EOF ? endOf(chunk, sourceLength) : spanOf(error.token);
      // A bad character inside the statement already explains it; a second error would repeat it.
      const from = chunk[0]?.startOffset ?? 0;
      const to = tokens[end]?.startOffset ?? sourceLength;
      if (!lexErrorOffsets.some((o) => o >= from && o < to)) diagnostics.push(makeDiagnostic(Messages.SyntaxError, file, at, { detail: error.message }));
      for (const t of chunk) if (t.tokenType === T.Name) namesInBroken.push(t.image);
      const [keyword, name] = chunk;
      if ((keyword?.tokenType === T.Interface || keyword?.tokenType === T.Address) && name?.tokenType === T.Name) brokenNames.push(name.image);
    } else {
      statements.push(cst);
    }
    i = end;
  }
  return { statements, diagnostics, brokenNames, namesInBroken };
}

function spanOf(token: IToken): { start: number; end: number } {
  return { start: token.startOffset, end: token.startOffset + token.image.length };
}

/** A point just after the last token of a statement, where the missing part should have been. */
function endOf(chunk: readonly IToken[], sourceLength: number): { start: number; end: number } {
  const last = chunk[chunk.length - 1];
  const at = last ? last.startOffset + last.image.length : sourceLength;
  return { start: at, end: at };
}
