/**
 * Safe text for generated output: file names reach every target through trace tags and header
 * comments, and a file name may hold anything (a newline, a quote, an escape sequence). Backends
 * quote again in their own place; this keeps the names themselves harmless before any of them.
 */

/** A file name as shown in output: characters outside `[A-Za-z0-9 ._+,=@%~/-]` become `_`, at most 96 kept. */
export function safeFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9 ._+,=@%~/-]/g, '_');
  return safe.length > 96 ? `...${safe.slice(safe.length - 93)}` : safe;
}
