/**
 * The JSON form of diagnostics (`--format json`): a stable, documented schema (docs/cli.md)
 * with 1-based lines and columns; the end position is exclusive.
 */

import type { Diagnostic } from './diagnostic.js';
import { LineMap } from './line-map.js';

/** Builds the JSON document for a list of diagnostics. */
export function diagnosticsJson(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): object {
  const maps = new Map<string, LineMap>();
  const mapOf = (file: string): LineMap => {
    let m = maps.get(file);
    if (!m) maps.set(file, (m = new LineMap(sources.get(file) ?? '')));
    return m;
  };
  const place = (file: string, span: { start: number; end: number }) => {
    const start = mapOf(file).position(span.start);
    const end = mapOf(file).position(span.end);
    return { file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  };
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return {
    version: 1,
    diagnostics: diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      ...place(d.file, d.span),
      ...(d.target ? { target: d.target } : {}),
      related: (d.related ?? []).map((r) => ({ message: r.message, ...place(r.file ?? d.file, r.span) })),
    })),
    summary: { errors, warnings: diagnostics.length - errors },
  };
}
