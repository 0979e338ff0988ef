/**
 * The pipeline: source text → tokens → statements → AST → resolved model → checks → IR →
 * target view → text. Each stage is a pure function; a statement with a syntax error is left
 * out of the AST (the others go on), any error stops before lowering, and a target's capability errors stop before rendering.
 */

import { basename } from 'node:path';
import { findBackend } from './backends/index.js';
import type { TargetOptions } from './backends/backend.js';
import { render } from './backends/render.js';
import { type Diagnostic, hasErrors, sortDiagnostics } from './diagnostics/diagnostic.js';
import { LineMap } from './diagnostics/line-map.js';
import { Messages } from './diagnostics/messages.js';
import { makeDiagnostic } from './diagnostics/report.js';
import { lower } from './ir/lower.js';
import type { Ir } from './ir/model.js';
import { resolve } from './resolve/resolve.js';
import { tokenize } from './syntax/lexer.js';
import { parseTokens } from './syntax/parser.js';
import { toAst } from './syntax/to-ast.js';
import { validate } from './validate/index.js';

/** The result of checking a file: every diagnostic, and the IR when there is no error. */
export interface CheckResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly ir: Ir | null;
}

/** The result of compiling: the rule set text when there is no error. */
export interface CompileResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly output: string | null;
}

/** The name shown in generated output: the file name without directories. */
export function displayName(file: string): string {
  return file === '-' || file === '<stdin>' ? 'stdin' : basename(file);
}

/** Runs the front end: every diagnostic of the language, and the IR when there is no error. */
export function checkSource(source: string, file: string): CheckResult {
  const lexed = tokenize(source, file);
  const parsed = parseTokens(lexed.tokens, file, source.length, lexed.errorOffsets);
  const syntax = [...lexed.diagnostics, ...parsed.diagnostics];
  const built = toAst(parsed.statements, file);
  // Statements that parsed are still resolved and checked, so one run reports every problem.
  const includes = built.ast.statements.filter((s) => s.kind === 'include');
  const resolved = resolve(built.ast, { broken: new Set(parsed.brokenNames), usedInBroken: new Set(parsed.namesInBroken) });
  const diagnostics = [...syntax, ...built.diagnostics, ...resolved.diagnostics, ...validate(resolved.file)];
  for (const inc of includes)
    diagnostics.push(makeDiagnostic(Messages.IncludeUnreadable, file, inc.path.span, { path: inc.path.text, reason: 'include is not available in this version of pfc' }));
  if (hasErrors(diagnostics)) return { diagnostics: sortDiagnostics(diagnostics), ir: null };
  return { diagnostics: sortDiagnostics(diagnostics), ir: lower(resolved.file, new LineMap(source), displayName(file)) };
}

/** Compiles a file for a target (by id or alias). Throws only for an unknown target (a usage error). */
export function compileSource(source: string, file: string, target: string, options: TargetOptions = {}): CompileResult {
  const backend = findBackend(target);
  if (!backend) throw new Error(`unknown target '${target}'`);
  const checked = checkSource(source, file);
  if (!checked.ir) return { diagnostics: checked.diagnostics, output: null };
  const capability = backend.unsupported(checked.ir, options).map((u) => ({
    ...makeDiagnostic(Messages[u.message], file, u.span, u.data),
    target: backend.id,
  }));
  const diagnostics = sortDiagnostics([...checked.diagnostics, ...capability]);
  if (hasErrors(capability)) return { diagnostics, output: null };
  return { diagnostics, output: render(backend.template, backend.toViewModel(checked.ir, options)) };
}
