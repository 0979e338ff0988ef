/** `pfc compile FILE --target T [-o OUT] [--table NAME]`: the rule set on stdout or in OUT. */

import { findBackend } from '../../backends/index.js';
import { compileSource } from '../../compile.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { readInclude, readInput, UsageError, writeAtomic } from '../io.js';
import { printText } from '../output.js';

/** Options of the compile command. */
export interface CompileOptions {
  readonly target: string;
  readonly output?: string;
  readonly table?: string;
}

/** Names pfc owns on a target: a letter, then letters, digits, '_' or '-', 32 at most. */
export function checkTableName(name: string | undefined): void {
  if (name !== undefined && !/^[A-Za-z][A-Za-z0-9_-]{0,31}$/.test(name))
    throw new UsageError(`invalid --table '${name.slice(0, 40)}': use a letter, then letters, digits, '_' or '-' (32 characters at most)`);
}

/** Runs the command; returns the exit status. */
export function compileCommand(file: string, opts: CompileOptions): number {
  if (!findBackend(opts.target)) throw new UsageError(`unknown target '${opts.target}' (see 'pfc targets')`);
  checkTableName(opts.table);
  const source = readInput(file);
  const name = file === '-' ? '<stdin>' : file;
  const result = compileSource(source, name, opts.target, { ...(opts.table ? { table: opts.table } : {}), readFile: readInclude });
  printText(result.diagnostics, result.sources);
  if (hasErrors(result.diagnostics) || result.output === null) return 1;
  if (opts.output) writeAtomic(opts.output, result.output);
  else process.stdout.write(result.output);
  return 0;
}
