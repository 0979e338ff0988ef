import { describe, expect, it } from 'vitest';
import { createLexer, tokenize } from '../../src/syntax/lexer.js';

const kinds = (src: string) => tokenize(src, 't.pf').tokens.map((t) => `${t.tokenType.name}:${t.image}`);

describe('lexer', () => {
  it("passes Chevrotain's checks of the token definitions (skipped when pfc runs)", () => {
    expect(createLexer({ validate: true }).lexerDefinitionErrors).toEqual([]);
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
