/**
 * Render: the one Handlebars environment, of handlebars' runtime (no compiler): templates come as
 * specifications from precompiled.ts, compiled strict, with noEscape and knownHelpersOnly (its
 * templateOptions). Templates only see view models, whose values backends have validated.
 */

import type { TemplateDelegate } from 'handlebars';
import Handlebars from 'handlebars/runtime.js';
import { helpers } from './helpers.js';
import { templateSpec } from './precompiled.js';

const env = Handlebars.create();
for (const [name, fn] of Object.entries(helpers)) env.registerHelper(name, fn);

const cache = new Map<string, TemplateDelegate>();

/** Runs a template (file name under templates/) over a view model. Output ends in exactly one newline. */
export function render(template: string, view: object): string {
  let compiled = cache.get(template);
  if (!compiled) {
    compiled = env.template(templateSpec(template));
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
