/**
 * Diagnostics: the one shape every stage reports problems in.
 * Spans are UTF-16 offsets into the source text, half-open [start, end).
 */

/** A half-open range of UTF-16 offsets into one source file. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Errors stop compilation; warnings do not. */
export type Severity = 'error' | 'warning';

/** A secondary location that explains a diagnostic ("the other forward is here"). */
export interface RelatedLocation {
  readonly span: Span;
  readonly message: string;
  /** The file of the related span, when it differs from the diagnostic's own file. */
  readonly file?: string;
}

/** One problem found in the input, already interpolated, pinned to a span. */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly span: Span;
  readonly related?: readonly RelatedLocation[];
  /** Set for target capability diagnostics (E1xx): the target that cannot express the rule. */
  readonly target?: string;
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorts diagnostics by file, position, then code, so output order never depends on check order. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.span.start - b.span.start ||
      a.span.end - b.span.end ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}
