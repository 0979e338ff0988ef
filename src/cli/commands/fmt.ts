/**
 * `pfc fmt [--check|--write] FILE...`: the canonical layout. Prints the formatted files, or with
 * --check prints a unified diff for each file that is not formatted (exit 1), or with --write
 * rewrites them in place (atomically). Files with syntax errors are left alone (exit 1).
 */

import { unifiedDiff } from '../../diff/unified.js';
import { formatSource } from '../../fmt/format.js';
import { readInput, UsageError, writeAtomic } from '../io.js';
import { printText } from '../output.js';

/** Options of the fmt command. */
export interface FmtOptions {
  readonly check?: boolean;
  readonly write?: boolean;
}

/** Runs the command over every file; returns the exit status. */
export function fmtCommand(files: readonly string[], opts: FmtOptions): number {
  if (opts.check && opts.write) throw new UsageError('give --check or --write, not both');
  if (opts.write && files.includes('-')) throw new UsageError("--write cannot rewrite stdin ('-')");
  let status = 0;
  for (const file of files) {
    const name = file === '-' ? '<stdin>' : file;
    const source = readInput(file);
    const result = formatSource(source, name);
    if (!('text' in result)) {
      printText(result.diagnostics, new Map([[name, source]]));
      status = 1;
      continue;
    }
    if (opts.check) {
      if (result.text !== source) {
        process.stdout.write(unifiedDiff(name, name, source, result.text));
        process.stderr.write(`pfc: '${name}' is not formatted (run pfc fmt --write)\n`);
        status = 1;
      }
    } else if (opts.write) {
      if (result.text !== source) writeAtomic(file, result.text);
    } else process.stdout.write(result.text);
  }
  return status;
}
