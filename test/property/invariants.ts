/**
 * What must hold for any input, checked by the property tests and by the long fuzz run: no
 * exception, every diagnostic with a code and a span inside its file, output exactly when there
 * is no error, and output free of control characters. Throws an Error naming the broken rule.
 */

import type { Diagnostic } from '../../src/index.js';
import { check, compile, targets } from '../../src/index.js';

/** Every target id. */
export const targetIds: readonly string[] = targets().map((t) => t.id);

function checkSpans(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, where: string): void {
  for (const d of diagnostics) {
    if (!/^[EW]\d{3}$/.test(d.code)) throw new Error(`${where}: bad code '${d.code}'`);
    if (!d.message || /[\u0000-\u0008\u000b-\u001f]/.test(d.message.replace(/\n/g, ''))) throw new Error(`${where}: ${d.code} has an empty or unsafe message`);
    for (const [file, span] of [[d.file, d.span], ...(d.related ?? []).map((r) => [r.file ?? d.file, r.span] as const)] as const) {
      const text = sources.get(file);
      if (text === undefined) throw new Error(`${where}: ${d.code} names unknown file '${file}'`);
      if (!(Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= text.length))
        throw new Error(`${where}: ${d.code} span ${span.start}-${span.end} outside the file (length ${text.length})`);
    }
  }
}

/** Checks one input against every invariant, for `check` and every target; returns the outputs by target. */
export function assertInvariants(source: string, file = 'fuzz.pf', ids: readonly string[] = targetIds): Map<string, string | null> {
  const checked = check(source, file);
  checkSpans(checked.diagnostics, checked.sources, 'check');
  const errors = checked.diagnostics.some((d) => d.severity === 'error');
  if (errors !== (checked.ir === null)) throw new Error('check: IR present together with errors, or missing without');
  const outputs = new Map<string, string | null>();
  for (const target of ids) {
    const r = compile(source, file, target);
    checkSpans(r.diagnostics, r.sources, target);
    const failed = r.diagnostics.some((d) => d.severity === 'error');
    if (failed === (r.output !== null)) throw new Error(`${target}: output and errors disagree`);
    if (!errors && failed && r.diagnostics.some((d) => d.severity === 'error' && d.target === undefined))
      throw new Error(`${target}: a front-end error that check did not report`);
    if (r.output !== null && /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(r.output)) throw new Error(`${target}: control character in the output`);
    outputs.set(target, r.output);
  }
  return outputs;
}

/**
 * Output with every quoted string and comment line blanked: two rule sets that differ only in
 * comment text must be equal after this, or a comment changed a rule.
 */
export function skeleton(output: string): string {
  return output
    .replace(/^\s*#.*$/gm, '#')
    .replace(/"[^"\n]*"/g, '""')
    .replace(/'(?:[^'\n]|'\\'')*'/g, "''");
}
