/**
 * Rendering diagnostics as a compiler does: `file:line:col: error E030: message`, the source
 * line with a gutter and a marker under the span, then each related location as a note.
 * Control characters never reach the terminal: they are shown as '?'.
 */

import pc from 'picocolors';
import type { Diagnostic, Span } from './diagnostic.js';
import { LineMap } from './line-map.js';

/** Replaces control and bidi-override characters one for one, so columns still line up. */
export function sanitize(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '?');
}

/** Options for rendering. */
export interface RenderOptions {
  readonly color: boolean;
}

type Paint = (s: string) => string;

/** Source lines longer than this are shown as a window around the span, with '...' marks. */
const maxShown = 120;

function frame(lines: LineMap, span: Span, paint: Paint): string[] {
  const start = lines.position(span.start);
  const end = lines.position(Math.max(span.start, span.end));
  const range = lines.lineRange(start.line);
  const length = range.end - range.start;
  const col = start.column - 1;
  const last = end.line === start.line ? Math.min(end.column - 1, length) : length;
  // A long line (a minified or hostile file) is cut to a window, so output stays small.
  const from = length > maxShown ? Math.max(0, Math.min(col - 40, length - maxShown)) : 0;
  const to = Math.min(length, from + maxShown);
  const text = lines.text.slice(range.start + from, range.start + to);
  const before = from > 0 ? '...' : '';
  const after = to < length ? '...' : '';
  const width = Math.max(1, Math.min(last, to) - col);
  const gutter = String(start.line).padStart(5);
  const pad = ' '.repeat(before.length) + [...text.slice(0, col - from)].map((c) => (c === '\t' ? '\t' : ' ')).join('');
  return [
    `${gutter} | ${before}${sanitize(text)}${after}`,
    `${' '.repeat(gutter.length)} | ${pad}${paint('^'.repeat(Math.min(width, Math.max(1, to - col))))}`,
  ];
}

/** Renders diagnostics; `sources` maps each file name to its text. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, options: RenderOptions = { color: false }): string {
  const maps = new Map<string, LineMap>();
  const mapOf = (file: string): LineMap => {
    let m = maps.get(file);
    if (!m) maps.set(file, (m = new LineMap(sources.get(file) ?? '')));
    return m;
  };
  const c = options.color ? pc : { red: String, yellow: String, cyan: String, bold: String };
  const out: string[] = [];
  for (const d of diagnostics) {
    const lines = mapOf(d.file);
    const at = lines.position(d.span.start);
    const level = d.severity === 'error' ? c.red(`error ${d.code}`) : c.yellow(`warning ${d.code}`);
    const target = d.target ? ` [${d.target}]` : '';
    out.push(`${c.bold(`${sanitize(d.file)}:${at.line}:${at.column}:`)} ${level}${target}: ${sanitize(d.message)}`);
    out.push(...frame(lines, d.span, d.severity === 'error' ? c.red : c.yellow));
    for (const r of d.related ?? []) {
      const file = r.file ?? d.file;
      const rl = mapOf(file);
      const rat = rl.position(r.span.start);
      out.push(`${c.bold(`${sanitize(file)}:${rat.line}:${rat.column}:`)} ${c.cyan('note')}: ${sanitize(r.message)}`);
      out.push(...frame(rl, r.span, c.cyan));
    }
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/** "2 errors, 1 warning" (empty when there is nothing). */
export function summary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const parts: string[] = [];
  if (errors) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.join(', ');
}
