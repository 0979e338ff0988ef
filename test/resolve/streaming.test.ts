/**
 * Resolution a statement at a time: compile hands each statement to the resolver as soon as its
 * chunk is parsed (src/compile.ts loadAndResolve), so what needs the whole file is decided at
 * the end. These files are several chunks long, with the name, its declaration and the broken
 * statements in different chunks, and must be reported as one pass over the whole AST reports
 * them (E005 at a later declaration, E002, silence for a broken declaration, W001).
 */

import { describe, expect, it } from 'vitest';
import type * as A from '../../src/ast.js';
import { check } from '../../src/index.js';
import { Resolver, resolve } from '../../src/resolve/resolve.js';
import { load } from '../../src/sources/load.js';
import { chunkSize } from '../../src/syntax/read-syntax.js';

/** Forwards on distinct ports, enough text to fill `chunks` chunks. */
function filler(firstPort: number, chunks: number): string {
  const lines: string[] = [];
  let length = 0;
  for (let port = firstPort; length < chunks * chunkSize; port++) {
    const line = `forward tcp wan:${port} -> 192.168.1.${2 + (port % 200)}\n`;
    lines.push(line);
    length += line.length;
  }
  return lines.join('');
}

const lineOf = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

describe('resolving statements as their chunk is parsed', () => {
  const text = [
    'interface wan = eth0\n',
    'forward tcp wan:1 -> later\n', // E005: declared two chunks on
    'forward tcp wan:2 -> nowhere\n', // E002
    'forward tcp wan:3 -> broken\n', // silent: its declaration is broken
    filler(1000, 2),
    'address later = 192.168.1.50\n',
    'address unusedButInBroken = 192.168.1.51\n',
    filler(30000, 1),
    'address broken = \n',
    'forward tcp wan:4 -> unusedButInBroken oops\n', // broken, but uses the name: no W001
    'address unused = 192.168.1.52\n', // W001
  ].join('');

  it('spans more than three chunks', () => {
    expect(text.length).toBeGreaterThan(3 * chunkSize);
  });

  it('reports what one pass over the whole AST reports', () => {
    const line = (offset: number | undefined) => (offset === undefined ? null : lineOf(text, offset));
    const streamed = check(text, 'big.pf').diagnostics.map((d) => [d.code, line(d.span.start), line(d.related?.[0]?.span.start)]);
    const at = (needle: string) => lineOf(text, text.indexOf(needle));
    expect(streamed).toEqual([
      ['E005', 2, at('address later')],
      ['E002', 3, null],
      ['E001', at('address broken'), null],
      ['E001', at('oops'), null],
      ['W001', at('address unused ='), null],
    ]);
  });

  it('gives the same model and diagnostics as resolving the whole AST', () => {
    const whole = load(text, 'big.pf');
    const recovered = { broken: new Set(whole.brokenNames), usedInBroken: new Set(whole.namesInBroken) };
    const once = resolve(whole.ast, recovered);
    const resolver = new Resolver('big.pf');
    const handed: A.Statement[] = [];
    const streamed = load(text, 'big.pf', {}, (s) => {
      handed.push(s);
      resolver.add(s);
    });
    expect(streamed.ast.statements).toEqual([]);
    expect(handed).toEqual(whole.ast.statements);
    expect(resolver.finish(recovered)).toEqual(once);
  });

  it('hands over an included file right after its include, before the rest of the including file', () => {
    const readFile = (name: string): string => {
      if (name === 'inc.pf') return 'forward tcp wan:7 -> nas\n';
      throw new Error('no such file');
    };
    const order: string[] = [];
    load('interface wan = eth0\ninclude "inc.pf"\naddress nas = 192.168.1.9\n', 'main.pf', { readFile }, (s) => order.push(s.kind));
    expect(order).toEqual(['interface', 'include', 'forward', 'address']);
  });
});
