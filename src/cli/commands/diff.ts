/**
 * `pfc diff OLD NEW [--target T] [--format text|json]`: what changed in meaning between two rule
 * sets (statements added, removed, changed, with file:line), then with --target the unified
 * diff of the generated rule sets. Exit 1 when they differ (like diff), 0 when equal.
 */

import { findBackend } from '../../backends/index.js';
import { checkSource, compileSource } from '../../compile.js';
import { type Diagnostic, hasErrors } from '../../diagnostics/diagnostic.js';
import { renderSemanticText, semanticJson } from '../../diff/render.js';
import { isEmpty, semanticDiff } from '../../diff/semantic.js';
import { unifiedDiff } from '../../diff/unified.js';
import type { Ir } from '../../ir/model.js';
import { readInclude, readInput, UsageError } from '../io.js';
import { printText } from '../output.js';
import { checkTableName } from './compile.js';

/** Options of the diff command. */
export interface DiffOptions {
  readonly target?: string;
  readonly table?: string;
  readonly format: string;
}

/** Runs the command; returns the exit status. */
export function diffCommand(oldFile: string, newFile: string, opts: DiffOptions): number {
  if (opts.target !== undefined && !findBackend(opts.target)) throw new UsageError(`unknown target '${opts.target}' (see 'pfc targets')`);
  if (opts.format !== 'text' && opts.format !== 'json') throw new UsageError(`unknown format '${opts.format}' (use text or json)`);
  checkTableName(opts.table);
  if (oldFile === '-' && newFile === '-') throw new UsageError('only one of OLD and NEW can be stdin');
  const sides = [oldFile, newFile].map((file) => {
    const name = file === '-' ? '<stdin>' : file;
    const source = readInput(file);
    return { name, source, checked: checkSource(source, name, { readFile: readInclude }) };
  });
  const [before, after] = sides as [(typeof sides)[0], (typeof sides)[0]];
  const diagnostics: Diagnostic[] = [...before.checked.diagnostics, ...after.checked.diagnostics];
  let output: { target: string; diff: string } | null = null;
  if (before.checked.ir && after.checked.ir && opts.target !== undefined) {
    const options = { ...(opts.table ? { table: opts.table } : {}), readFile: readInclude };
    const compiled = sides.map((s) => compileSource(s.source, s.name, opts.target!, options));
    for (const c of compiled) diagnostics.push(...c.diagnostics.filter((d) => d.target));
    const [a, b] = compiled as [(typeof compiled)[0], (typeof compiled)[0]];
    if (a.output !== null && b.output !== null)
      output = {
        target: findBackend(opts.target)!.id,
        diff: unifiedDiff(`${before.name} (${opts.target})`, `${after.name} (${opts.target})`, a.output, b.output),
      };
  }
  const sources = new Map([...before.checked.sources, ...after.checked.sources]);
  printText(diagnostics, sources);
  if (hasErrors(diagnostics)) return 1;
  const diff = semanticDiff(before.checked.ir as Ir, after.checked.ir as Ir);
  const names = { old: before.name, new: after.name };
  if (opts.format === 'json') process.stdout.write(`${JSON.stringify(semanticJson(diff, names, output), null, 2)}\n`);
  else {
    process.stdout.write(renderSemanticText(diff, names));
    if (output) process.stdout.write(output.diff === '' ? `The generated ${output.target} rule sets are identical.\n` : `\n${output.diff}`);
  }
  return isEmpty(diff) && (output === null || output.diff === '') ? 0 : 1;
}
