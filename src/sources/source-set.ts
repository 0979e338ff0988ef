/**
 * The source set of one compilation: the main file and every file it includes, each placed at a
 * base offset in one offset space (as Go's token.FileSet does), so that a span alone says which
 * file it is in. The main file's base is 0: for a file without includes, offsets are file offsets.
 */

import { basename, dirname, isAbsolute, join, normalize, relative } from 'node:path/posix';
import type { Diagnostic, RelatedLocation, Span } from '../diagnostics/diagnostic.js';
import { LineMap } from '../diagnostics/line-map.js';
import { safeFileName } from '../safe-text.js';

/** One file of the set. */
export interface SourceFile {
  /** The name diagnostics use: the main file as given, an included file joined onto its directory. */
  readonly name: string;
  /** The name shown in generated output (trace tags): never absolute, relative to the main file's directory. */
  readonly display: string;
  readonly text: string;
  /** Where the file starts in the set's offset space. */
  readonly base: number;
  readonly lines: LineMap;
}

/** The name shown in generated output for a main file: the file name without directories. */
export function displayName(file: string): string {
  return file === '-' || file === '<stdin>' ? 'stdin' : basename(file);
}

/** The name of an included file: `path` joined onto the including file's directory; null when absolute. */
export function includedName(including: string, path: string): string | null {
  if (isAbsolute(path)) return null;
  const dir = including === '<stdin>' || including === '-' ? '.' : dirname(including);
  return normalize(join(dir, path));
}

/** Files placed one after the other in one offset space. */
export class SourceSet {
  private readonly list: SourceFile[] = [];
  private readonly byName = new Map<string, SourceFile>();
  private next = 0;

  /** Starts the set with the main file. */
  constructor(mainName: string, mainText: string) {
    this.add(mainName, mainText);
  }

  /** The main file. */
  get main(): SourceFile {
    return this.list[0]!;
  }

  /** Every file, in the order they were added (the main file first). */
  get files(): readonly SourceFile[] {
    return this.list;
  }

  /** Adds a file (by its diagnostic name) and returns it; a name already present is returned as is. */
  add(name: string, text: string): SourceFile {
    const known = this.byName.get(name);
    if (known) return known;
    const mainDir = this.list.length === 0 ? '.' : dirname(this.main.name);
    // safeFileName: a file name reaches every target's output, so it is made harmless here.
    const display = safeFileName(this.list.length === 0 ? displayName(name) : relative(mainDir === '<stdin>' ? '.' : mainDir, name) || name);
    const file: SourceFile = { name, display, text, base: this.next, lines: new LineMap(text) };
    // One offset between files, so an end-of-file position never belongs to the next file.
    this.next += text.length + 1;
    this.list.push(file);
    this.byName.set(name, file);
    return file;
  }

  /** The file a diagnostic name refers to. */
  get(name: string): SourceFile | undefined {
    return this.byName.get(name);
  }

  /** The file that holds an offset of the set. */
  fileAt(offset: number): SourceFile {
    let lo = 0;
    let hi = this.list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.list[mid]!.base <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.list[lo]!;
  }

  /** A span of the set as a file and a span in that file. */
  locate(span: Span): { file: SourceFile; span: Span } {
    const file = this.fileAt(span.start);
    return { file, span: { start: span.start - file.base, end: span.end - file.base } };
  }

  /** The 1-based line of an offset of the set, in its file. */
  lineAt(offset: number): { file: SourceFile; line: number } {
    const file = this.fileAt(offset);
    return { file, line: file.lines.position(offset - file.base).line };
  }

  /** A diagnostic whose spans are offsets of the set, rewritten to file names and file offsets. */
  localize(d: Diagnostic): Diagnostic {
    const at = this.locate(d.span);
    const related = d.related?.map((r): RelatedLocation => {
      const rel = this.locate(r.span);
      return rel.file.name === at.file.name ? { span: rel.span, message: r.message } : { span: rel.span, message: r.message, file: rel.file.name };
    });
    return { ...d, file: at.file.name, span: at.span, ...(related ? { related } : {}) };
  }

  /** Every file's text by diagnostic name, for rendering diagnostics. */
  texts(): Map<string, string> {
    return new Map(this.list.map((f) => [f.name, f.text]));
  }
}
