/**
 * How the CLI shows diagnostics: compiler-style text on stderr (colour only on a TTY and never
 * with NO_COLOR), or on stdout for machines: JSON, SARIF 2.1.0 or GitHub workflow commands.
 */

import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticsGithub } from '../diagnostics/github.js';
import { diagnosticsJson } from '../diagnostics/json.js';
import { renderDiagnostics, summary } from '../diagnostics/render.js';
import { diagnosticsSarif } from '../diagnostics/sarif.js';
import { version } from './version.js';

/** True when stderr is a terminal that wants colour. */
export function useColor(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

/** Prints diagnostics as text on stderr, with a one-line summary. */
export function printText(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void {
  if (diagnostics.length === 0) return;
  process.stderr.write(renderDiagnostics(diagnostics, sources, { color: useColor() }));
  process.stderr.write(`${summary(diagnostics)}\n`);
}

/** Prints diagnostics as the JSON document on stdout. */
export function printJson(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void {
  process.stdout.write(`${JSON.stringify(diagnosticsJson(diagnostics, sources), null, 2)}\n`);
}

/** The formats diagnostics can be printed in. */
export const diagnosticFormats = ['text', 'json', 'sarif', 'github'] as const;

/** One of {@link diagnosticFormats}. */
export type DiagnosticFormat = (typeof diagnosticFormats)[number];

/** Prints diagnostics in a format: text on stderr, the machine formats on stdout. */
export function printDiagnostics(format: DiagnosticFormat, diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void {
  if (format === 'json') printJson(diagnostics, sources);
  else if (format === 'sarif') process.stdout.write(`${JSON.stringify(diagnosticsSarif(diagnostics, sources, { toolVersion: version }), null, 2)}\n`);
  else if (format === 'github') process.stdout.write(diagnosticsGithub(diagnostics, sources));
  else printText(diagnostics, sources);
}
