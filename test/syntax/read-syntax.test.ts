import { describe, expect, it } from 'vitest';
import { sortDiagnostics } from '../../src/diagnostics/diagnostic.js';
import { tokenize } from '../../src/syntax/lexer.js';
import { parseTokens } from '../../src/syntax/parser.js';
import { chunkEnd, readSyntax } from '../../src/syntax/read-syntax.js';

/** The file lexed and parsed in one piece. */
function whole(src: string) {
  const lexed = tokenize(src, 't.pf');
  const parsed = parseTokens(lexed.tokens, 't.pf', src.length, lexed.errorOffsets);
  return { ...parsed, diagnostics: [...lexed.diagnostics, ...parsed.diagnostics] };
}

function expectSameAsWhole(src: string, size: number): void {
  const one = whole(src);
  const chunked = readSyntax(src, 't.pf', 0, size);
  expect(chunked.statements).toEqual(one.statements);
  expect(sortDiagnostics(chunked.diagnostics)).toEqual(sortDiagnostics(one.diagnostics));
  expect(chunked.ruleDiagnostics).toEqual(one.ruleDiagnostics);
  expect(chunked.brokenNames).toEqual(one.brokenNames);
  expect(chunked.namesInBroken).toEqual(one.namesInBroken);
}

describe('reading in chunks', () => {
  it('ends a chunk only before a line whose first token is a statement keyword', () => {
    // A string never spans lines: the quote alone on its line is an unterminated string.
    const src = 'forward tcp wan:1 -> x\n  forwarder\n# forward\n"\nforward" x\n\n \t forward tcp wan:2 -> y\n';
    const chunks: string[] = [];
    for (let from = 0; from < src.length; ) {
      const to = chunkEnd(src, from, 1);
      chunks.push(src.slice(from, to));
      from = to;
    }
    expect(chunks).toEqual(['forward tcp wan:1 -> x\n  forwarder\n# forward\n"\n', 'forward" x\n', '\n \t forward tcp wan:2 -> y\n']);
  });

  it('gives what the whole file gives, with statements over several lines and broken ones', () => {
    const src = [
      '\uFEFFinterface wan = eth0',
      'address a = {',
      '  1.2.3.4,',
      '  5.6.7.8 }',
      'forward tcp/tcp wan:80 -> a log log # comment with forward',
      'forward tcp wan 80 -> x',
      'redirect tcp 80 -> 8080 reflect',
      'allow tcp wan -> [2001:db8::1]:22 comment "say',
      'forward tcp wan:81 -> b @',
      'masquerade { 10.0.0.0/8,',
      '  10.1.0.0/16 } -> wan',
      'address broken =',
      'include "x.pf"',
    ].join('\n');
    for (const size of [1, 7, 40, 1000]) expectSameAsWhole(src, size);
  });

  it('gives what the whole file gives on random garbage', () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = [
      'forward ',
      'address ',
      'interface ',
      'tcp ',
      'wan:80',
      '->',
      '{',
      '}',
      ',',
      '"',
      '#',
      '\n',
      '\n',
      ' ',
      '[',
      ']',
      '1.2.3.4',
      'x',
      '=',
      '@',
    ];
    for (let n = 0; n < 200; n++) {
      let s = '';
      for (let i = 0; i < 40; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      expectSameAsWhole(s, 1 + Math.floor(rnd() * 20));
    }
  });
});
