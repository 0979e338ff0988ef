/**
 * Templates precompiled at build time, by file name under templates/. Empty here: the CLI bundle
 * (scripts/bundle.mjs) replaces this module with Handlebars.precompile of every template, made
 * with the options of render.ts, so that `pfc` does not compile them on each run (~70 ms of a
 * run). Everything else (the library in dist/, the tests) compiles templates when first used.
 */

import type Handlebars from 'handlebars';

/** What Handlebars.precompile describes (its functions come from the generated code). */
type TemplateSpecification = Parameters<typeof Handlebars.template>[0];

export const precompiledTemplates: Readonly<Record<string, TemplateSpecification>> = {};
