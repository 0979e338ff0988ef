/**
 * `pfc compile FILE --target T [-o OUT] [--table NAME] [--check]`: the rule set on stdout or in
 * OUT; with --check, compares OUT with what FILE compiles to (exit 1 and a unified diff if stale).
 */

import { findBackend } from '../../backends/index.js';
import { compileSource } from '../../compile.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { unifiedDiff } from '../../diff/unified.js';
import { readExisting, readInclude, readInput, UsageError, writeAtomic } from '../io.js';
import { printText } from '../output.js';

/** Options of the compile command. */
export interface CompileOptions {
  readonly target: string;
  readonly output?: string;
  readonly table?: string;
  /** Compare OUT with the compiled rule set instead of writing it. */
  readonly check?: boolean;
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
  if (opts.check && !opts.output) throw new UsageError('--check compares with the file given by -o OUT; give -o');
  const source = readInput(file);
  const name = file === '-' ? '<stdin>' : file;
  const result = compileSource(source, name, opts.target, { ...(opts.table ? { table: opts.table } : {}), readFile: readInclude });
  printText(result.diagnostics, result.sources);
  if (hasErrors(result.diagnostics) || result.output === null) return 1;
  if (opts.check && opts.output) return checkStale(opts.output, name, result.output);
  if (opts.output) writeAtomic(opts.output, result.output);
  else process.stdout.write(result.output);
  return 0;
}

/** compile --check: 0 when `out` holds exactly `compiled`, else 1 with a unified diff on stdout. */
function checkStale(out: string, from: string, compiled: string): number {
  const current = readExisting(out);
  if (current === compiled) return 0;
  process.stdout.write(unifiedDiff(current === null ? '/dev/null' : out, out, current ?? '', compiled));
  process.stderr.write(
    `pfc: '${out}' is ${current === null ? 'missing' : 'stale'}: it is not what '${from}' compiles to (run pfc compile without --check to write it)\n`,
  );
  return 1;
}
