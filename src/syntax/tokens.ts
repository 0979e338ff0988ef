/**
 * Tokens of the pfc language (LANGUAGE.md "Lexical structure"). Keywords come before Name and
 * use `longer_alt` so that `forwarder` is a name; IPv4 comes before Number. Address and number
 * tokens are lexed loosely and validated later, so `300.1.1.1` gets E020, not a syntax error.
 * Each token names the characters it can start with (`start_chars_hint`), which spares building
 * the lexer from parsing every pattern (a few ms of each run); test/syntax/lexer.test.ts checks
 * the hints against Chevrotain's safe mode, which tries every pattern at every offset.
 */

import { createToken, Lexer, type TokenType } from 'chevrotain';

const digits = [...'0123456789'];
const letters = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'];

/** Blanks, line ends and a byte-order mark separate tokens and are skipped. */
export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\uFEFF]+/,
  group: Lexer.SKIPPED,
  start_chars_hint: [' ', '\t', '\r', '\n', '\uFEFF'],
});
/** `#` to the end of the line. */
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: Lexer.SKIPPED, start_chars_hint: ['#'] });

/** A name: `[A-Za-z_][A-Za-z0-9_.-]*`, except that a `-` directly before `>` ends it (`nas->x`). */
export const Name = createToken({ name: 'Name', pattern: /[A-Za-z_](?:[A-Za-z0-9_.]|-(?!>))*/, start_chars_hint: [...letters, '_'] });

const keyword = (word: string): TokenType =>
  createToken({ name: word[0]!.toUpperCase() + word.slice(1), pattern: new RegExp(word), longer_alt: Name, label: `'${word}'`, start_chars_hint: [word[0]!] });

export const Interface = keyword('interface');
export const Subnet = keyword('subnet');
export const Address = keyword('address');
export const Forward = keyword('forward');
export const Redirect = keyword('redirect');
export const Allow = keyword('allow');
export const Masquerade = keyword('masquerade');
export const Include = keyword('include');
export const From = keyword('from');
export const ReflectKw = keyword('reflect');
export const Log = keyword('log');
export const CommentKw = createToken({ name: 'CommentKw', pattern: /comment/, longer_alt: Name, label: "'comment'", start_chars_hint: ['c'] });
export const Tcp = keyword('tcp');
export const Udp = keyword('udp');

/** An IPv6 literal is always bracketed; its content is checked later (E020). */
export const IPv6 = createToken({ name: 'IPv6', pattern: /\[[^\]\s]*\]/, label: 'an IPv6 address', start_chars_hint: ['['] });
/** Dotted numbers with an optional prefix; the exact form is checked later (E020). */
export const IPv4 = createToken({ name: 'IPv4', pattern: /[0-9]+(?:\.[0-9]+)+(?:\/[0-9]+)?/, label: 'an IPv4 address', start_chars_hint: digits });
export const NumberLit = createToken({ name: 'NumberLit', pattern: /[0-9]+/, label: 'a number', start_chars_hint: digits });
/** A string on one line; `\"` and `\\` are its only escapes. */
export const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\n\r]|\\["\\])*"/, label: 'a string', start_chars_hint: ['"'] });

export const Arrow = createToken({ name: 'Arrow', pattern: /->/, label: "'->'", start_chars_hint: ['-'] });
export const Dash = createToken({ name: 'Dash', pattern: /-/, label: "'-'", start_chars_hint: ['-'] });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='", start_chars_hint: ['='] });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'", start_chars_hint: [':'] });
export const Slash = createToken({ name: 'Slash', pattern: /\//, label: "'/'", start_chars_hint: ['/'] });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','", start_chars_hint: [','] });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/, label: "'{'", start_chars_hint: ['{'] });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/, label: "'}'", start_chars_hint: ['}'] });

/** Keywords that start a statement: the parser resynchronises at them after an error. */
export const statementKeywords: readonly TokenType[] = [Interface, Address, Forward, Redirect, Allow, Masquerade, Include];

/** Every token, in matching order. */
export const allTokens: readonly TokenType[] = [
  WhiteSpace,
  Comment,
  Interface,
  Subnet,
  Address,
  Forward,
  Redirect,
  Allow,
  Masquerade,
  Include,
  From,
  ReflectKw,
  Log,
  CommentKw,
  Tcp,
  Udp,
  Name,
  IPv6,
  IPv4,
  NumberLit,
  StringLit,
  Arrow,
  Dash,
  Equals,
  Colon,
  Slash,
  Comma,
  LBrace,
  RBrace,
];
