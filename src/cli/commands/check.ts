/**
 * `pfc check FILE... [--format text|json|sarif|github]`: diagnostics only, for people and for CI.
 * Each file is checked as a rule set of its own, with the files it includes; a file that another
 * given file includes is checked as part of that file only.
 */

import { resolve } from 'node:path';
import { checkSource } from '../../compile.js';
import { type Diagnostic, hasErrors } from '../../diagnostics/diagnostic.js';
import { readInclude, readInput, UsageError } from '../io.js';
import { type DiagnosticFormat, diagnosticFormats, printDiagnostics } from '../output.js';

const key = (d: Diagnostic): string => JSON.stringify([d.file, d.span.start, d.span.end, d.code, d.message, d.related ?? []]);

/** Runs the command over every file; returns the exit status. */
export function checkCommand(files: readonly string[], opts: { format: string }): number {
  if (!(diagnosticFormats as readonly string[]).includes(opts.format))
    throw new UsageError(`unknown format '${opts.format}' (use ${diagnosticFormats.join(', ')})`);
  const sources = new Map<string, string>();
  const results = files.map((file) => {
    const name = file === '-' ? '<stdin>' : file;
    return { name, result: checkSource(readInput(file), name, { readFile: readInclude }) };
  });
  const reads = results.map((r) => new Set([...r.result.sources.keys()].map((f) => resolve(f))));
  // Skip a file that another given file includes (unless they include each other: a cycle).
  const partOfAnother = (i: number): boolean =>
    results[i]!.name !== '<stdin>' && reads.some((set, j) => j !== i && set.has(resolve(results[i]!.name)) && !reads[i]!.has(resolve(results[j]!.name)));
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const [i, { result }] of results.entries()) {
    if (partOfAnother(i)) continue;
    for (const [f, text] of result.sources) sources.set(f, text);
    // Two rule sets that include one file report its problems once.
    for (const d of result.diagnostics) if (!seen.has(key(d)) && seen.add(key(d))) diagnostics.push(d);
  }
  printDiagnostics(opts.format as DiagnosticFormat, diagnostics, sources);
  return hasErrors(diagnostics) ? 1 : 0;
}
