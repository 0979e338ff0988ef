/**
 * The JSON form of diagnostics (`--format json`): a stable, documented schema (docs/cli.md,
 * version 1) with 1-based lines and columns; the end position is exclusive.
 */

import type { Diagnostic } from './diagnostic.js';
import { placer } from './positions.js';

/** Builds the JSON document for a list of diagnostics. */
export function diagnosticsJson(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): object {
  const place = placer(sources);
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
