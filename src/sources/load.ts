/**
 * Loading a rule set: lexes, parses and builds the AST of the main file and, at each `include`,
 * of the included file (read through the injected reader, once per file), giving one statement
 * list in reading order with spans in the source set's offset space. E006 and E007 are found here.
 */

import type * as A from '../ast.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { Messages } from '../diagnostics/messages.js';
import { makeDiagnostic } from '../diagnostics/report.js';
import { Budget } from '../limits.js';
import { chunkSize, readSyntax } from '../syntax/read-syntax.js';
import { includedName, type SourceFile, SourceSet } from './source-set.js';

/**
 * Reads an included file by name (the including file's directory joined with the path). Throws
 * an Error whose message is the reason when the file cannot be read.
 */
export type ReadFile = (name: string) => string;

/** How includes are read. Without `readFile`, every include is E007. */
export interface SourceOptions {
  readonly readFile?: ReadFile;
}

/** Every statement of the rule set, in reading order, and what the syntax stages reported. */
export interface Loaded {
  readonly set: SourceSet;
  readonly ast: A.AstFile;
  /** Diagnostics with spans in the set's offset space (localize before showing them). */
  readonly diagnostics: Diagnostic[];
  readonly brokenNames: string[];
  readonly namesInBroken: string[];
}

/** Includes nest at most this deep: a deeper chain is E007 at the include that goes too far. */
export const maxIncludeDepth = 64;

/**
 * Loads the main file and everything it includes. With `each`, every statement goes to it in
 * reading order as soon as it is parsed (an included file's statements right after its include)
 * and `ast.statements` stays empty: compile resolves them as they come, so the whole file's AST
 * never exists at once.
 */
export function load(source: string, file: string, options: SourceOptions = {}, each?: (statement: A.Statement) => void): Loaded {
  const set = new SourceSet(file, source);
  const statements: A.Statement[] = [];
  /** One statement of file f, in reading order. */
  const take = (f: SourceFile, s: A.Statement): void => {
    if (each) each(s);
    else statements.push(s);
    // After the include statement itself: the included file's statements follow it.
    if (s.kind === 'include') include(f, s);
  };
  const diagnostics: Diagnostic[] = [];
  const brokenNames: string[] = [];
  const namesInBroken: string[] = [];
  const reading: string[] = [];
  const read = new Set<string>();
  const budget = new Budget();

  const visit = (f: SourceFile): void => {
    reading.push(f.name);
    read.add(f.name);
    // Limits first (src/limits.ts): a file over a limit is not lexed at all.
    const over = budget.scan(f.text, f.name);
    for (const d of over) diagnostics.push({ ...d, span: { start: d.span.start + f.base, end: d.span.end + f.base } });
    if (over.length > 0) return void reading.pop();
    // Spans come out in the set's offset space (base), diagnostics included.
    const parsed = readSyntax(f.text, f.name, f.base, chunkSize, (s) => take(f, s));
    // Loops, not push(...list): a hostile file can make these lists longer than the call stack.
    for (const d of parsed.diagnostics) diagnostics.push(d);
    for (const d of parsed.ruleDiagnostics) diagnostics.push(d);
    for (const n of parsed.brokenNames) brokenNames.push(n);
    for (const n of parsed.namesInBroken) namesInBroken.push(n);
    reading.pop();
  };

  const include = (from: SourceFile, s: A.IncludeStmt): void => {
    const fail = (reason: string) => diagnostics.push(makeDiagnostic(Messages.IncludeUnreadable, from.name, s.path.span, { path: s.path.text, reason }));
    const name = includedName(from.name, s.path.text);
    if (name === null) return void fail('an include path is relative to the including file, never absolute');
    if (reading.includes(name)) {
      const names = [...reading.slice(reading.indexOf(name)), name].map((n) => `'${set.get(n)?.display ?? n}'`);
      const chain = `${names[0]} includes ${names.slice(1).join(', which includes ')}`;
      return void diagnostics.push(makeDiagnostic(Messages.IncludeCycle, from.name, s.path.span, { chain }));
    }
    if (read.has(name)) return; // A file included twice is read once.
    if (reading.length >= maxIncludeDepth) return void fail(`includes nest deeper than ${maxIncludeDepth} files`);
    if (!options.readFile) return void fail('no file reader was given to pfc');
    let text: string;
    try {
      text = options.readFile(name);
    } catch (error) {
      return void fail(error instanceof Error ? error.message : String(error));
    }
    visit(set.add(name, text));
  };

  visit(set.main);
  return { set, ast: { file, statements }, diagnostics, brokenNames, namesInBroken };
}
