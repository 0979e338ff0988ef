import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ILexingResult, Lexer } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { createLexer, tokenize } from '../../src/syntax/lexer.js';
import { allTokens, Name } from '../../src/syntax/tokens.js';
import { fixtureCases, inputName } from '../support/fixtures.js';

const kinds = (src: string) => tokenize(src, 't.pf').tokens.map((t) => `${t.tokenType.name}:${t.image}`);

describe('lexer', () => {
  it("passes Chevrotain's checks of the token definitions (skipped when pfc runs)", () => {
    expect(createLexer({ validate: true }).lexerDefinitionErrors).toEqual([]);
  });
  it('hints the start characters of every token exactly (same tokens as safe mode, which tries every pattern everywhere)', () => {
    const safe = new Lexer([...allTokens], { positionTracking: 'onlyOffset', safeMode: true });
    const hinted = createLexer({ validate: false });
    const shown = (r: ILexingResult) => ({
      tokens: r.tokens.map((t) => `${t.tokenType.name}@${t.startOffset}:${t.image}`),
      errors: r.errors.map((e) => `${e.offset}+${e.length}`),
    });
    // Every UTF-16 code unit alone; ASCII also followed by what lets each multi-character token
    // match (a dotted number, the end of a bracket or string, '->'); every keyword; every fixture.
    // Lines are joined by a line end (which ends strings and comments) and a comma (which ends
    // blanks), so that no token runs from one line into the next and hides the next one's start.
    const lines: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const ch = String.fromCharCode(code);
      lines.push(ch);
      if (code < 0x80) lines.push(`${ch}.1`, `${ch}]`, `${ch}"`, `${ch}>`);
    }
    lines.push(...allTokens.filter((t) => t.LONGER_ALT === Name).map((t) => (t.PATTERN as RegExp).source));
    const texts = [lines.join('\n,')];
    for (const c of fixtureCases()) if (existsSync(join(c.dir, inputName))) texts.push(readFileSync(join(c.dir, inputName), 'utf8'));
    for (const text of texts) expect(shown(hinted.tokenize(text))).toEqual(shown(safe.tokenize(text)));
  });
  it('splits a forward into tokens, keywords before names', () => {
    expect(kinds('forward tcp/udp wan:80-90 -> nas:8080 # c')).toEqual([
      'Forward:forward',
      'Tcp:tcp',
      'Slash:/',
      'Udp:udp',
      'Name:wan',
      'Colon::',
      'NumberLit:80',
      'Dash:-',
      'NumberLit:90',
      'Arrow:->',
      'Name:nas',
      'Colon::',
      'NumberLit:8080',
    ]);
  });
  it('keeps names that start with a keyword, and names with dots and dashes', () => {
    expect(kinds('forwarder log-host eth0.100 br-lan')).toEqual(['Name:forwarder', 'Name:log-host', 'Name:eth0.100', 'Name:br-lan']);
  });
  it('ends a name before ->', () => {
    expect(kinds('nas->x')).toEqual(['Name:nas', 'Arrow:->', 'Name:x']);
  });
  it('lexes addresses loosely so that checks can explain them', () => {
    expect(kinds('192.168.1.0/24 1.2.3 [2001:db8::/64] [zz]')).toEqual(['IPv4:192.168.1.0/24', 'IPv4:1.2.3', 'IPv6:[2001:db8::/64]', 'IPv6:[zz]']);
  });
  it('skips a byte-order mark and CRLF line ends', () => {
    expect(kinds('\uFEFFinterface wan = eth0\r\n')).toEqual(['Interface:interface', 'Name:wan', 'Equals:=', 'Name:eth0']);
  });
  it('reads strings with their two escapes', () => {
    expect(kinds('"a\\"b\\\\c"')).toEqual(['StringLit:"a\\"b\\\\c"']);
  });
  it('reports bad characters with spans and goes on', () => {
    const r = tokenize('forward @ tcp \u0007', 't.pf');
    expect(r.diagnostics.map((d) => [d.code, d.span.start, d.message])).toEqual([
      ['E001', 8, "Unexpected character '@'."],
      ['E001', 14, 'Unexpected character U+0007.'],
    ]);
    expect(r.tokens.map((t) => t.image)).toEqual(['forward', 'tcp']);
  });
  it('reports an unterminated string to the end of its line', () => {
    const r = tokenize('comment "abc\nx', 't.pf');
    expect(r.diagnostics[0]?.span).toEqual({ start: 8, end: 12 });
  });
});
