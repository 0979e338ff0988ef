/** `pfc check FILE... [--format text|json]`: diagnostics only, for people and for CI. */

import { checkSource } from '../../compile.js';
import { type Diagnostic, hasErrors } from '../../diagnostics/diagnostic.js';
import { readInput, UsageError } from '../io.js';
import { printJson, printText } from '../output.js';

/** Output formats of the check command. */
export const checkFormats = ['text', 'json'] as const;

/** Runs the command over every file; returns the exit status. */
export function checkCommand(files: readonly string[], opts: { format: string }): number {
  if (!(checkFormats as readonly string[]).includes(opts.format))
    throw new UsageError(`unknown format '${opts.format}' (use ${checkFormats.join(' or ')})`);
  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const name = file === '-' ? '<stdin>' : file;
    const source = readInput(file);
    sources.set(name, source);
    diagnostics.push(...checkSource(source, name).diagnostics);
  }
  if (opts.format === 'json') printJson(diagnostics, sources);
  else printText(diagnostics, sources);
  return hasErrors(diagnostics) ? 1 : 0;
}
