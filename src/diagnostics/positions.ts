/**
 * Positions for machine formats (JSON, SARIF, GitHub): a span of a file as 1-based lines and
 * UTF-16 columns, the end exclusive. Line maps are built once per file.
 */

import type { Span } from './diagnostic.js';
import { LineMap } from './line-map.js';

/** Where a span lies, 1-based; `endColumn` is the column just after the span. */
export interface Place {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** A function placing spans of the given files (a missing file counts as empty). */
export function placer(sources: ReadonlyMap<string, string>): (file: string, span: Span) => Place {
  const maps = new Map<string, LineMap>();
  const mapOf = (file: string): LineMap => {
    const known = maps.get(file);
    if (known) return known;
    const made = new LineMap(sources.get(file) ?? '');
    maps.set(file, made);
    return made;
  };
  return (file, span) => {
    const start = mapOf(file).position(span.start);
    const end = mapOf(file).position(Math.max(span.start, span.end));
    return { file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  };
}
