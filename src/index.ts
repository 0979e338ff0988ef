/**
 * pfc's public API: compile a rules.pf text for a target, check it, list the targets.
 * Everything here is pure; applying a rule set to a system is the CLI's `apply` command.
 */

import type { TargetOptions } from './backends/backend.js';
import { backends } from './backends/index.js';
import { type CheckResult, type CompileOptions, type CompileResult, checkSource, compileSource } from './compile.js';
import type { ReadFile, SourceOptions } from './sources/load.js';

export type { Diagnostic, Span } from './diagnostics/diagnostic.js';
export { renderDiagnostics } from './diagnostics/render.js';
export type * from './ir/model.js';
export type { CheckResult, CompileOptions, CompileResult, ReadFile, SourceOptions, TargetOptions };

/**
 * Compiles `source` (named `file` in diagnostics) for a target id or alias. Included files are
 * read through `options.readFile` (given the included file's name: the including file's
 * directory joined with the include path); without it, every `include` is E007.
 */
export function compile(source: string, file: string, target: string, options: CompileOptions = {}): CompileResult {
  return compileSource(source, file, target, options);
}

/** Checks `source` without compiling: all diagnostics, and the IR when there is no error. */
export function check(source: string, file: string, options: SourceOptions = {}): CheckResult {
  return checkSource(source, file, options);
}

/** The registered targets: id, aliases and a one-line description. */
export function targets(): { id: string; aliases: readonly string[]; description: string }[] {
  return backends.map((b) => ({ id: b.id, aliases: b.aliases, description: b.description }));
}
