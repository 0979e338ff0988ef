/**
 * Building diagnostics from catalogue entries: the one place that interpolates message text.
 * Stages collect what they report in a Reporter and hand the list on.
 */

import type { Diagnostic, RelatedLocation, Span } from './diagnostic.js';
import { formatMessage, type Message } from './messages.js';

/** Values for a message's placeholders. */
export type MessageData = Readonly<Record<string, string | number>>;

/** Makes one diagnostic from a catalogue entry. */
export function makeDiagnostic(message: Message, file: string, span: Span, data: MessageData, related?: readonly RelatedLocation[]): Diagnostic {
  const base = { code: message.code, severity: message.severity, message: formatMessage(message.text, data), file, span };
  return related && related.length > 0 ? { ...base, related } : base;
}

/** Collects diagnostics for one file. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly file: string) {}

  /** Reports a catalogue entry at a span. */
  report(message: Message, span: Span, data: MessageData = {}, related?: readonly RelatedLocation[]): void {
    this.diagnostics.push(makeDiagnostic(message, this.file, span, data, related));
  }
}
