/**
 * GitHub Actions workflow commands (`--format github`): one `::error` or `::warning` line per
 * diagnostic with file, line, col, endLine, endColumn and title, escaped as GitHub documents
 * (data: `%`, CR, LF; properties also `:` and `,`). Related locations follow in the message.
 */

import type { Diagnostic } from './diagnostic.js';
import { placer } from './positions.js';

/** Escapes a command's message (its data). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a command property value. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One workflow command line per diagnostic, each ending in a newline. */
export function diagnosticsGithub(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  const place = placer(sources);
  return diagnostics
    .map((d) => {
      const p = place(d.file, d.span);
      const props = [
        `file=${escapeProperty(d.file)}`,
        `line=${p.line}`,
        `col=${p.column}`,
        `endLine=${p.endLine}`,
        `endColumn=${p.endColumn}`,
        `title=${escapeProperty(d.target ? `${d.code} [${d.target}]` : d.code)}`,
      ].join(',');
      const notes = (d.related ?? []).map((r) => {
        const rp = place(r.file ?? d.file, r.span);
        return `\n${r.file ?? d.file}:${rp.line}:${rp.column}: note: ${r.message}`;
      });
      return `::${d.severity === 'error' ? 'error' : 'warning'} ${props}::${escapeData(`${d.code}: ${d.message}${notes.join('')}`)}\n`;
    })
    .join('');
}
