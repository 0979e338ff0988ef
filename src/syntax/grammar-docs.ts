/**
 * The grammar as data and as diagrams, generated from the parser itself: grammar/productions.json
 * (the serialized productions, kept equal to the parser by test/grammar.test.ts) and
 * grammar/diagrams.html (Chevrotain's railroad diagrams; the page loads Chevrotain's diagram
 * scripts from its CDN when opened). Run with `npm run gen:grammar`.
 */

import { createSyntaxDiagramsCode } from 'chevrotain';
import { parser } from './parser.js';

/** The serialized productions, as stable pretty JSON. */
export function productionsJson(): string {
  return `${JSON.stringify(parser.getSerializedGastProductions(), null, 2)}\n`;
}

/** An HTML page of railroad diagrams. */
export function diagramsHtml(): string {
  return createSyntaxDiagramsCode(parser.getSerializedGastProductions());
}
