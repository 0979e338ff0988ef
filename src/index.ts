/**
 * pfc's public API: compile a rules.pf text for a target, check it, list the targets.
 * Everything here is pure; applying a rule set to a system is the CLI's `apply` command.
 */

import { backends } from './backends/index.js';
import { type CheckResult, type CompileResult, checkSource, compileSource } from './compile.js';
import type { TargetOptions } from './backends/backend.js';

export type { Diagnostic, Span } from './diagnostics/diagnostic.js';
export { renderDiagnostics } from './diagnostics/render.js';
export type * from './ir/model.js';
export type { CheckResult, CompileResult, TargetOptions };

/** Compiles `source` (named `file` in diagnostics) for a target id or alias. */
export function compile(source: string, file: string, target: string, options: TargetOptions = {}): CompileResult {
  return compileSource(source, file, target, options);
}

/** Checks `source` without compiling: all diagnostics, and the IR when there is no error. */
export function check(source: string, file: string): CheckResult {
  return checkSource(source, file);
}

/** The registered targets: id, aliases and a one-line description. */
export function targets(): { id: string; aliases: readonly string[]; description: string }[] {
  return backends.map((b) => ({ id: b.id, aliases: b.aliases, description: b.description }));
}
