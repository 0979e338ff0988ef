/**
 * Parser error messages in pfc's own words ("Expected '->' but found 'nas'."), replacing
 * Chevrotain's defaults. Token images are shown safely: long or non-printable text is shortened.
 */

import { EOF, type IParserErrorMessageProvider, type IToken, type TokenType, tokenLabel } from 'chevrotain';
import { showChar } from './lexer.js';

const ruleWords: Record<string, string> = {
  statement: 'a statement (interface, address, forward, redirect, allow, masquerade or include)',
  protocols: "a protocol ('tcp', 'udp' or 'tcp/udp')",
  protocol: "'tcp' or 'udp'",
  host: 'an address or a name',
  addressValue: "an address, a name or '{'",
  portSpec: "a port, a range, a service name or '{'",
  portItem: 'a port, a range or a service name',
  optionItem: "an option ('from', 'reflect', 'log' or 'comment')",
};

function describe(type: TokenType): string {
  if (type === EOF) return 'the end of the statement';
  if (type.name === 'Name') return 'a name';
  return tokenLabel(type);
}

/** Shows what was found: the token's text, quoted and shortened, or "the end of the statement". */
export function found(token: IToken): string {
  if (token.tokenType === EOF) return 'the end of the statement';
  const image = token.image.length > 40 ? `${token.image.slice(0, 37)}...` : token.image;
  const safe = [...image].every((c) => showChar(c).startsWith("'"));
  return safe ? `'${image}'` : `${describe(token.tokenType)}`;
}

function alternatives(paths: TokenType[][][]): string {
  const firsts = new Set<string>();
  for (const alt of paths) for (const path of alt) if (path[0]) firsts.add(describe(path[0]));
  const list = [...firsts];
  if (list.length <= 1) return list[0] ?? 'something else';
  return `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
}

/** The message provider handed to the parser. */
export const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `Expected ${describe(expected)} but found ${found(actual)}.`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `Unexpected ${found(firstRedundant)}: the statement should end here (or take one of the options from, reflect, log, comment).`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const first = actual[0];
    const what = ruleWords[ruleName] ?? alternatives(expectedPathsPerAlt);
    return `Expected ${what} but found ${first ? found(first) : 'the end of the statement'}.`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const first = actual[0];
    const what = ruleWords[ruleName] ?? alternatives([expectedIterationPaths]);
    return `Expected ${what} but found ${first ? found(first) : 'the end of the statement'}.`;
  },
};
