/**
 * The pipeline: source text (and the files it includes) → tokens → statements → AST → resolved
 * model → checks → IR → target view → text, the stages up to the resolved model a chunk of text
 * at a time. Each stage is a pure function; a statement with a syntax error is left out of the
 * AST (the others go on), any error stops before lowering, and a target's capability errors stop
 * before rendering. Files are read only through `readFile`.
 */

import type { TargetOptions } from './backends/backend.js';
import { findBackend } from './backends/index.js';
import { render } from './backends/render.js';
import { type Diagnostic, hasErrors, sortDiagnostics } from './diagnostics/diagnostic.js';
import { Messages } from './diagnostics/messages.js';
import { makeDiagnostic } from './diagnostics/report.js';
import { lower } from './ir/lower.js';
import type { Ir } from './ir/model.js';
import { capDiagnostics } from './limits.js';
import type { RFile } from './resolve/model.js';
import { Resolver } from './resolve/resolve.js';
import { load, type SourceOptions } from './sources/load.js';
import type { SourceSet } from './sources/source-set.js';
import { factsOf, validate } from './validate/index.js';

export { displayName } from './sources/source-set.js';

/** The result of checking a file: every diagnostic, and the IR when there is no error. */
export interface CheckResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly ir: Ir | null;
  /** The text of every file read (the main file and its includes), by diagnostic file name. */
  readonly sources: ReadonlyMap<string, string>;
}

/** The result of compiling: the rule set text when there is no error. */
export interface CompileResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly output: string | null;
  /** The text of every file read, by diagnostic file name (for rendering diagnostics). */
  readonly sources: ReadonlyMap<string, string>;
}

/** Options of compile: the target's options and how included files are read. */
export type CompileOptions = TargetOptions & SourceOptions;

/**
 * Loading and resolution, fused: each statement is resolved as soon as its chunk is parsed, and
 * the resolved model keeps the spans and names it needs, not the statements. So only one chunk's
 * AST is alive at a time, and it dies young (a 100k-forward file's AST never fills the heap).
 */
function loadAndResolve(source: string, file: string, options: SourceOptions): { set: SourceSet; file: RFile; diagnostics: Diagnostic[] } {
  const resolver = new Resolver(file);
  // Statements that parsed are still resolved and checked, so one run reports every problem.
  const loaded = load(source, file, options, (s) => resolver.add(s));
  const resolved = resolver.finish({ broken: new Set(loaded.brokenNames), usedInBroken: new Set(loaded.namesInBroken) });
  return { set: loaded.set, file: resolved.file, diagnostics: [...loaded.diagnostics, ...resolved.diagnostics] };
}

/** The front end with its source set, which compile needs to place capability diagnostics. */
function frontEnd(source: string, file: string, options: SourceOptions): CheckResult & { set: SourceSet } {
  const resolved = loadAndResolve(source, file, options);
  const { set } = resolved;
  // Translations and overlaps are computed once, for the checks and for lowering.
  const facts = factsOf(resolved.file);
  const found = [...resolved.diagnostics, ...validate(resolved.file, facts)];
  const diagnostics = capDiagnostics(sortDiagnostics(found.map((d) => set.localize(d))));
  const sources = set.texts();
  if (hasErrors(diagnostics)) return { diagnostics, ir: null, sources, set };
  return { diagnostics, ir: lower(resolved.file, set, facts.overlaps()), sources, set };
}

/** Runs the front end: every diagnostic of the language, and the IR when there is no error. */
export function checkSource(source: string, file: string, options: SourceOptions = {}): CheckResult {
  const { diagnostics, ir, sources } = frontEnd(source, file, options);
  return { diagnostics, ir, sources };
}

/** Compiles a file for a target (by id or alias). Throws only for an unknown target (a usage error). */
export function compileSource(source: string, file: string, target: string, options: CompileOptions = {}): CompileResult {
  const backend = findBackend(target);
  if (!backend) throw new Error(`unknown target '${target}'`);
  const checked = frontEnd(source, file, options);
  if (!checked.ir) return { diagnostics: checked.diagnostics, output: null, sources: checked.sources };
  const targetOptions: TargetOptions = options.table === undefined ? {} : { table: options.table };
  const capability = backend.unsupported(checked.ir, targetOptions).map((u) => ({
    ...checked.set.localize(makeDiagnostic(Messages[u.message], file, u.span, u.data)),
    target: backend.id,
  }));
  const diagnostics = capDiagnostics(sortDiagnostics([...checked.diagnostics, ...capability]));
  if (hasErrors(capability)) return { diagnostics, output: null, sources: checked.sources };
  return { diagnostics, output: render(backend.template, backend.toViewModel(checked.ir, targetOptions)), sources: checked.sources };
}
