/**
 * Render: the one Handlebars environment. Templates are compiled strict (a missing field is an
 * error), with noEscape (output is not HTML) and knownHelpersOnly (a misspelt helper fails at
 * compile time). Templates only see view models, whose values backends have validated.
 */

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { helpers } from './helpers.js';
import { precompiledTemplates } from './precompiled.js';

const env = Handlebars.create();
for (const [name, fn] of Object.entries(helpers)) env.registerHelper(name, fn);

const knownHelpers = Object.fromEntries(Object.keys(helpers).map((name) => [name, true]));

/** The compile options of every template; scripts/bundle.mjs precompiles with the same. */
export const templateOptions = { strict: true, noEscape: true, knownHelpersOnly: true, knownHelpers };

/** templates/ of this package, found from this module (dist/backends or src/backends). */
export const templatesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');

const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Compiles (once) and runs a template over a view model. Output ends in exactly one newline. */
export function render(template: string, view: object): string {
  let compiled = cache.get(template);
  if (!compiled) {
    const spec = precompiledTemplates[template];
    compiled = spec ? env.template(spec) : env.compile(readFileSync(join(templatesDir, template), 'utf8'), templateOptions);
    cache.set(template, compiled);
  }
  return tidy(compiled(view));
}

/** Whitespace a trimmed end must not have (what String.prototype.trimEnd removes). */
const whitespace = /\s/;

/**
 * At most one blank line in a row, and exactly one newline at the end. Outputs run to tens of
 * megabytes and templates rarely leave anything to tidy, so each whole-text pass (and its copy)
 * happens only when there is something to change.
 */
function tidy(text: string): string {
  const collapsed = text.includes('\n\n\n') ? text.replace(/\n{3,}/g, '\n\n') : text;
  const end = collapsed.length;
  if (end > 0 && collapsed[end - 1] === '\n' && !whitespace.test(collapsed[end - 2] ?? '')) return collapsed;
  return `${collapsed.trimEnd()}\n`;
}
