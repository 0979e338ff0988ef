/**
 * The grammar files follow the parser: grammar/productions.json and grammar/diagrams.html must be
 * what the parser generates (run `npm run gen:grammar` after changing the syntax), and every rule
 * of the parser is described in grammar/pfc.ebnf.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagramsHtml, productionsJson } from '../src/syntax/grammar-docs.js';
import { parser } from '../src/syntax/parser.js';

const read = (name: string): string => readFileSync(new URL(`../grammar/${name}`, import.meta.url), 'utf8');

describe('grammar files', () => {
  it('productions.json equals the parser', () => {
    expect(productionsJson()).toBe(read('productions.json'));
  });
  it('diagrams.html equals the parser', () => {
    expect(diagramsHtml()).toBe(read('diagrams.html'));
  });
  it('pfc.ebnf defines every parser rule', () => {
    const ebnf = read('pfc.ebnf');
    const rules = parser.getGAstProductions();
    const names = [...(rules instanceof Map ? rules.keys() : Object.keys(rules))];
    for (const name of names) expect(ebnf, `rule '${name}' in pfc.ebnf`).toMatch(new RegExp(`^${name}\\s*::=`, 'm'));
  });
});
