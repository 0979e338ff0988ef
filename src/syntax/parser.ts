/**
 * Parsing: tokens to AST statements (a Chevrotain EmbeddedActionsParser: the grammar's actions
 * build the nodes, with the constructors of to-ast.ts). Every statement starts with a reserved
 * keyword, so the file is parsed one statement at a time: an error ends that statement and
 * parsing resumes at the next keyword (panic-mode recovery).
 */

import { EmbeddedActionsParser, EOF, type IToken, type ParserMethod } from 'chevrotain';
import type * as A from '../ast.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { Messages } from '../diagnostics/messages.js';
import { makeDiagnostic } from '../diagnostics/report.js';
import { errorMessages } from './parse-errors.js';
import { checkProtocols, type OptionItem, type OptionStatement, optionsOf, smallInt, tokenSpan, unquote } from './to-ast.js';
import * as T from './tokens.js';

type Protocol = { name: 'tcp' | 'udp'; span: Span };

// The options of SUBRULE and CONSUME calls, made once: a literal in a call is a new object on
// every call, and the parser makes about ten calls per statement.
const INGRESS = { LABEL: 'ingress' } as const;
const TARGET = { LABEL: 'target' } as const;
const PORTS = { LABEL: 'ports' } as const;
const TARGET_PORTS = { LABEL: 'targetPorts' } as const;
const DEVICE = { LABEL: 'device' } as const;
const FIRST = { LABEL: 'first' } as const;
const LAST = { LABEL: 'last' } as const;
const SERVICE = { LABEL: 'service' } as const;
const SOURCE = { LABEL: 'source' } as const;
const EGRESS = { LABEL: 'egress' } as const;
const OPTIONS_OF: Record<OptionStatement, { ARGS: [OptionStatement] }> = {
  forward: { ARGS: ['forward'] },
  redirect: { ARGS: ['redirect'] },
  allow: { ARGS: ['allow'] },
};

/**
 * The grammar of LANGUAGE.md; rule names match grammar/pfc.ebnf. The actions also run while
 * Chevrotain records the grammar, with placeholder results: what they do to the parser's state is
 * in ACTION (skipped then); a result of SUBRULE, OR or OPTION is only stored, or one field of it
 * read (its placeholder is an object without fields), while CONSUMEd tokens are safe to read.
 */
export class PfcParser extends EmbeddedActionsParser {
  /** Where offset 0 of the tokens is in the offset space of the spans made (a chunk's place in the source set). */
  base = 0;
  /** The file named in diagnostics. */
  fileName = '';
  /** Diagnostics of the language rules (to-ast.ts) for the statements parsed since the input was set. */
  ruleDiagnostics: Diagnostic[] = [];

  /** `validate: false` skips Chevrotain's grammar checks, which only a changed grammar can fail (a test runs them). */
  constructor(options: { validate: boolean } = { validate: true }) {
    super([...T.allTokens], { recoveryEnabled: false, maxLookahead: 3, errorMessageProvider: errorMessages, skipValidations: !options.validate });
    this.performSelfAnalysis();
  }

  /** From the start of `first` to the end of the last token consumed. */
  private spanFrom(first: IToken): Span {
    const last = this.LA(0);
    return { start: smallInt(this.base + first.startOffset), end: smallInt(this.base + last.startOffset + last.image.length) };
  }

  private ident(t: IToken): A.Ident {
    return { text: t.image, span: tokenSpan(t, this.base) };
  }

  private hostRef(kind: A.HostRef['kind'], t: IToken): A.HostRef {
    return { kind, text: t.image, span: tokenSpan(t, this.base) };
  }

  /** The whole file (used for the grammar documents, and for a chunk without errors). */
  file = this.RULE('file', () => {
    const statements: A.Statement[] = [];
    this.MANY(() => {
      statements.push(this.SUBRULE(this.statement));
    });
    return statements;
  });

  // The alternatives of each OR are made once per parser, not on every call (Chevrotain's
  // performance guide, "caching arrays of alternatives"): an ALT reads only the parser, never a
  // local of the rule that calls OR.
  private readonly statementAlternatives = [
    { ALT: () => this.SUBRULE(this.interfaceDecl) },
    { ALT: () => this.SUBRULE(this.addressDecl) },
    { ALT: () => this.SUBRULE(this.forwardStmt) },
    { ALT: () => this.SUBRULE(this.redirectStmt) },
    { ALT: () => this.SUBRULE(this.allowStmt) },
    { ALT: () => this.SUBRULE(this.masqueradeStmt) },
    { ALT: () => this.SUBRULE(this.includeStmt) },
  ];

  statement = this.RULE('statement', () => this.OR<A.Statement>(this.statementAlternatives));

  private readonly deviceAlternatives = [
    { ALT: (): A.Ident => this.ident(this.CONSUME2(T.Name, DEVICE)) },
    {
      ALT: (): A.Ident => {
        const text = this.CONSUME(T.StringLit, DEVICE);
        return { text: unquote(text.image), span: tokenSpan(text, this.base) };
      },
    },
  ];

  interfaceDecl = this.RULE('interfaceDecl', (): A.InterfaceDecl => {
    const keyword = this.CONSUME(T.Interface);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.Equals);
    const device = this.OR(this.deviceAlternatives);
    const subnet = this.OPTION(() => {
      this.CONSUME(T.Subnet);
      return this.SUBRULE(this.addressValue);
    });
    return { kind: 'interface', name: this.ident(name), device, subnet: subnet ?? null, span: this.spanFrom(keyword) };
  });

  addressDecl = this.RULE('addressDecl', (): A.AddressDecl => {
    const keyword = this.CONSUME(T.Address);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.Equals);
    const value = this.SUBRULE(this.addressValue);
    return { kind: 'address', name: this.ident(name), value, span: this.spanFrom(keyword) };
  });

  forwardStmt = this.RULE('forwardStmt', (): A.ForwardStmt => {
    const keyword = this.CONSUME(T.Forward);
    const protocols = this.SUBRULE(this.protocols);
    const ingress = this.SUBRULE(this.host, INGRESS);
    this.CONSUME(T.Colon);
    const ports = this.SUBRULE(this.portSpec, PORTS);
    this.CONSUME(T.Arrow);
    const target = this.SUBRULE2(this.host, TARGET);
    const targetPorts = this.OPTION(() => {
      this.CONSUME2(T.Colon);
      return this.SUBRULE2(this.portSpec, TARGET_PORTS);
    });
    const options = this.SUBRULE(this.options, OPTIONS_OF.forward);
    return { kind: 'forward', protocols, ingress, ports, target, targetPorts: targetPorts ?? null, options, span: this.spanFrom(keyword) };
  });

  redirectStmt = this.RULE('redirectStmt', (): A.RedirectStmt => {
    const keyword = this.CONSUME(T.Redirect);
    const protocols = this.SUBRULE(this.protocols);
    const ingress = this.OPTION(() => {
      const host = this.SUBRULE(this.host, INGRESS);
      this.CONSUME(T.Colon);
      return host;
    });
    const ports = this.SUBRULE(this.portSpec, PORTS);
    this.CONSUME(T.Arrow);
    const targetPorts = this.SUBRULE2(this.portSpec, TARGET_PORTS);
    const options = this.SUBRULE(this.options, OPTIONS_OF.redirect);
    return { kind: 'redirect', protocols, ingress: ingress ?? null, ports, targetPorts, options, span: this.spanFrom(keyword) };
  });

  allowStmt = this.RULE('allowStmt', (): A.AllowStmt => {
    const keyword = this.CONSUME(T.Allow);
    const protocols = this.SUBRULE(this.protocols);
    const ingress = this.CONSUME(T.Name, INGRESS);
    this.CONSUME(T.Arrow);
    const target = this.SUBRULE(this.host, TARGET);
    this.CONSUME(T.Colon);
    const ports = this.SUBRULE(this.portSpec, PORTS);
    const options = this.SUBRULE(this.options, OPTIONS_OF.allow);
    return { kind: 'allow', protocols, ingress: this.ident(ingress), target, ports, options, span: this.spanFrom(keyword) };
  });

  masqueradeStmt = this.RULE('masqueradeStmt', (): A.MasqueradeStmt => {
    const keyword = this.CONSUME(T.Masquerade);
    const source = this.SUBRULE(this.addressValue, SOURCE);
    this.CONSUME(T.Arrow);
    const egress = this.CONSUME(T.Name, EGRESS);
    return { kind: 'masquerade', source, egress: this.ident(egress), span: this.spanFrom(keyword) };
  });

  includeStmt = this.RULE('includeStmt', (): A.IncludeStmt => {
    const keyword = this.CONSUME(T.Include);
    const path = this.CONSUME(T.StringLit);
    return { kind: 'include', path: { text: unquote(path.image), span: tokenSpan(path, this.base) }, span: this.spanFrom(keyword) };
  });

  protocols = this.RULE('protocols', (): A.Protocols => {
    const first = this.LA(1);
    const list: Protocol[] = [this.SUBRULE(this.protocol)];
    this.MANY(() => {
      this.CONSUME(T.Slash);
      list.push(this.SUBRULE2(this.protocol));
    });
    const protocols = { list, span: this.spanFrom(first) };
    if (list.length > 1) this.ACTION(() => checkProtocols(protocols, this.fileName, this.ruleDiagnostics));
    return protocols;
  });

  private readonly protocolAlternatives = [
    { ALT: (): Protocol => ({ name: 'tcp', span: tokenSpan(this.CONSUME(T.Tcp), this.base) }) },
    { ALT: (): Protocol => ({ name: 'udp', span: tokenSpan(this.CONSUME(T.Udp), this.base) }) },
  ];

  protocol = this.RULE('protocol', () => this.OR<Protocol>(this.protocolAlternatives));

  private readonly hostAlternatives = [
    { ALT: () => this.hostRef('name', this.CONSUME(T.Name)) },
    { ALT: () => this.hostRef('ipv4', this.CONSUME(T.IPv4)) },
    { ALT: () => this.hostRef('ipv6', this.CONSUME(T.IPv6)) },
  ];

  host = this.RULE('host', () => this.OR<A.HostRef>(this.hostAlternatives));

  /**
   * The alternatives of a value that is one item or a braced list of them (an address value, a
   * port spec): `item` gives the item's rule (a thunk: rules later in the class are not made yet).
   */
  private oneOrBraced<Item extends { readonly span: Span }>(item: () => ParserMethod<[], Item>) {
    return [
      {
        ALT: (): { items: Item[]; braced: boolean; span: Span } => {
          const one = this.SUBRULE(item());
          return { items: [one], braced: false, span: one.span };
        },
      },
      {
        ALT: (): { items: Item[]; braced: boolean; span: Span } => {
          const items: Item[] = [];
          const first = this.CONSUME(T.LBrace);
          this.AT_LEAST_ONE_SEP({
            SEP: T.Comma,
            DEF: () => {
              items.push(this.SUBRULE2(item()));
            },
          });
          this.CONSUME(T.RBrace);
          return { items, braced: true, span: this.spanFrom(first) };
        },
      },
    ];
  }

  private readonly addressValueAlternatives = this.oneOrBraced(() => this.host);

  addressValue = this.RULE('addressValue', () => this.OR<A.AddressValue>(this.addressValueAlternatives));

  private readonly portSpecAlternatives = this.oneOrBraced(() => this.portItem);

  portSpec = this.RULE('portSpec', () => this.OR<A.PortSpec>(this.portSpecAlternatives));

  private readonly lastPort = () => {
    this.CONSUME(T.Dash);
    return this.ident(this.CONSUME2(T.NumberLit, LAST));
  };

  private readonly portItemAlternatives = [
    {
      ALT: (): A.PortItem => {
        const first = this.CONSUME(T.NumberLit, FIRST);
        const last = this.OPTION(this.lastPort);
        const port = this.ident(first);
        if (last === undefined) return { kind: 'port', port, span: port.span };
        return { kind: 'range', first: port, last, span: this.spanFrom(first) };
      },
    },
    {
      ALT: (): A.PortItem => {
        const service = this.CONSUME(T.Name, SERVICE);
        return { kind: 'service', name: service.image, span: tokenSpan(service, this.base) };
      },
    },
  ];

  portItem = this.RULE('portItem', () => this.OR<A.PortItem>(this.portItemAlternatives));

  options = this.RULE('options', (statement: OptionStatement): A.Options => {
    const items: OptionItem[] = [];
    this.MANY(() => {
      items.push(this.SUBRULE(this.optionItem));
    });
    return this.ACTION(() => optionsOf(items, statement, this.base, this.fileName, this.ruleDiagnostics));
  });

  private readonly optionItemAlternatives = [
    {
      ALT: (): OptionItem => {
        const keyword = this.CONSUME(T.From);
        return { keyword, from: this.SUBRULE(this.addressValue), text: null };
      },
    },
    { ALT: (): OptionItem => ({ keyword: this.CONSUME(T.ReflectKw), from: null, text: null }) },
    { ALT: (): OptionItem => ({ keyword: this.CONSUME(T.Log), from: null, text: null }) },
    {
      ALT: (): OptionItem => {
        const keyword = this.CONSUME(T.CommentKw);
        return { keyword, from: null, text: this.CONSUME(T.StringLit) };
      },
    },
  ];

  optionItem = this.RULE('optionItem', () => this.OR<OptionItem>(this.optionItemAlternatives));
}

/** The one parser instance (Chevrotain parsers are reusable; building one is the costly part). */
export const parser = new PfcParser({ validate: false });

/** The statements of a file that parsed, and E001 for each statement that did not. */
export interface ParseResult {
  readonly statements: A.Statement[];
  readonly diagnostics: Diagnostic[];
  /** What the grammar lets through but the language forbids (E014, E001 for options), in the statements that parsed. */
  readonly ruleDiagnostics: Diagnostic[];
  /** Names that broken declarations meant to declare, so later uses are not reported again. */
  readonly brokenNames: string[];
  /** Names written in broken statements: their declarations count as used (no W001). */
  readonly namesInBroken: string[];
}

/**
 * Parses tokens statement by statement; a broken statement never hides errors in the next,
 * and the statements that did parse go on to resolution and checks. Spans are token offsets
 * plus `base`; `sourceLength` and `lexErrorOffsets` are in token offsets.
 */
export function parseTokens(tokens: readonly IToken[], file: string, sourceLength: number, lexErrorOffsets: readonly number[] = [], base = 0): ParseResult {
  parser.base = base;
  parser.fileName = file;
  // Fast path: a file without errors parses in one call; only a broken file is re-parsed
  // statement by statement for recovery.
  if (lexErrorOffsets.length === 0) {
    parser.ruleDiagnostics = [];
    parser.input = tokens as IToken[];
    const statements = parser.file();
    if (parser.errors.length === 0) return { statements, diagnostics: [], ruleDiagnostics: parser.ruleDiagnostics, brokenNames: [], namesInBroken: [] };
  }
  const statements: A.Statement[] = [];
  const diagnostics: Diagnostic[] = [];
  const ruleDiagnostics: Diagnostic[] = [];
  const brokenNames: string[] = [];
  const namesInBroken: string[] = [];
  const starts = new Set(T.statementKeywords);
  let i = 0;
  while (i < tokens.length) {
    let end = i + 1;
    while (end < tokens.length && !starts.has(tokens[end]!.tokenType)) end++;
    const chunk = tokens.slice(i, end);
    parser.ruleDiagnostics = [];
    parser.input = chunk;
    const statement = parser.statement();
    const error = parser.errors[0];
    if (error) {
      const at = error.token.tokenType === EOF ? endOf(chunk, sourceLength) : spanOf(error.token);
      // A bad character inside the statement already explains it; a second error would repeat it.
      const from = chunk[0]?.startOffset ?? 0;
      const to = tokens[end]?.startOffset ?? sourceLength;
      if (!lexErrorOffsets.some((o) => o >= from && o < to))
        diagnostics.push(makeDiagnostic(Messages.SyntaxError, file, { start: base + at.start, end: base + at.end }, { detail: error.message }));
      for (const t of chunk) if (t.tokenType === T.Name) namesInBroken.push(t.image);
      const [keyword, name] = chunk;
      if ((keyword?.tokenType === T.Interface || keyword?.tokenType === T.Address) && name?.tokenType === T.Name) brokenNames.push(name.image);
    } else {
      statements.push(statement);
      for (const d of parser.ruleDiagnostics) ruleDiagnostics.push(d);
    }
    i = end;
  }
  return { statements, diagnostics, ruleDiagnostics, brokenNames, namesInBroken };
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
