/**
 * Templates as specifications (what Handlebars.precompile makes of them), by file name under
 * templates/, for render.ts to run with handlebars' runtime. Here (the library in dist/, the tests)
 * each is precompiled when first used, with the full handlebars package. The CLI bundle
 * (scripts/bundle.mjs) replaces this module with the specifications made at build time by
 * precompileTemplate, so `pfc` neither compiles templates (~70 ms of a run) nor carries the
 * handlebars compiler (~200 KB of JavaScript to parse on every start).
 */

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { helpers } from './helpers.js';

/** What Handlebars.precompile describes (its functions come from the generated code). */
export type TemplateSpecification = Parameters<typeof Handlebars.template>[0];

const knownHelpers = Object.fromEntries(Object.keys(helpers).map((name) => [name, true]));

/**
 * The compile options of every template: strict (a missing field is an error), noEscape (output
 * is not HTML) and knownHelpersOnly (a misspelt helper fails at compile time).
 */
export const templateOptions = { strict: true, noEscape: true, knownHelpersOnly: true, knownHelpers };

/** templates/ of this package, found from this module (dist/backends or src/backends). */
export const templatesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');

/** A template precompiled with templateOptions: its specification as JavaScript source. */
export function precompileTemplate(template: string): string {
  // precompile returns JavaScript source, though its type in @types says otherwise.
  return Handlebars.precompile(readFileSync(join(templatesDir, template), 'utf8'), templateOptions) as unknown as string;
}

/** The specification of a template (file name under templates/), precompiled now. */
export function templateSpec(template: string): TemplateSpecification {
  // The source is one object expression, as the bundle inlines it; Handlebars.compile
  // evaluates its own generated code the same way (new Function).
  return new Function(`return ${precompileTemplate(template)};`)() as TemplateSpecification;
}
