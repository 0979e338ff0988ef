/**
 * SARIF 2.1.0 (`--format sarif`): one run of the pfc tool, a rule per code that occurs, and a
 * result per diagnostic with rule id, level, message and location (related locations as notes).
 * Columns are UTF-16 code units, as everywhere in pfc. Validated in tests against the schema.
 */

import type { Diagnostic } from './diagnostic.js';
import { type Place, placer } from './positions.js';
import { codeName, codeTitle } from './titles.js';

/** Options of the SARIF log. */
export interface SarifOptions {
  /** pfc's version, for tool.driver.version. */
  readonly toolVersion: string;
}

/** A file name as a URI reference: relative names stay relative; each segment percent-encoded. */
export function fileUri(file: string): string {
  const name = file === '<stdin>' ? 'stdin' : file;
  const encoded = name
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
  return name.startsWith('/') ? `file://${encoded}` : encoded;
}

function physical(p: Place) {
  return {
    artifactLocation: { uri: fileUri(p.file) },
    region: { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn },
  };
}

/** Builds the SARIF log for a list of diagnostics. */
export function diagnosticsSarif(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, options: SarifOptions): object {
  const place = placer(sources);
  const codes = [...new Set(diagnostics.map((d) => d.code))].sort();
  const rules = codes.map((code) => {
    const severity = diagnostics.find((d) => d.code === code)?.severity ?? 'error';
    return {
      id: code,
      name: codeName(code),
      shortDescription: { text: `${codeTitle(code)}.` },
      help: { text: `${code}: see the Diagnostics table of pfc's docs/language.md.` },
      defaultConfiguration: { level: severity },
    };
  });
  const results = diagnostics.map((d) => ({
    ruleId: d.code,
    ruleIndex: codes.indexOf(d.code),
    level: d.severity,
    message: { text: d.message },
    locations: [{ physicalLocation: physical(place(d.file, d.span)) }],
    ...(d.related && d.related.length > 0
      ? {
          relatedLocations: d.related.map((r, i) => ({ id: i + 1, physicalLocation: physical(place(r.file ?? d.file, r.span)), message: { text: r.message } })),
        }
      : {}),
    ...(d.target ? { properties: { target: d.target } } : {}),
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'pfc', version: options.toolVersion, rules } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
