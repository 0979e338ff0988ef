/**
 * How the CLI shows diagnostics: compiler-style text on stderr (colour only on a TTY and never
 * with NO_COLOR), or JSON on stdout for machines.
 */

import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticsJson } from '../diagnostics/json.js';
import { renderDiagnostics, summary } from '../diagnostics/render.js';

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
