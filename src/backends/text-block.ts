/**
 * A block of output lines that a backend builds itself, for the parts of a rule set with one
 * line per map element or rule (hundreds of thousands of them in a large file): rendering them
 * with an `{{#each}}` costs the template engine a frame per line. The template still places the
 * block. Whoever adds a line has formatted it from validated values only (render.ts runs
 * handlebars with noEscape).
 */

/** Lines are joined in chunks of this many, so that the pieces of each line die young. */
const CHUNK = 512;

/** Text built line by line; `text` is every line added, in order. */
export class TextBlock {
  private done = '';
  private pending: string[] = [];

  /** Appends one line; it must end in a newline. */
  add(line: string): void {
    this.pending.push(line);
    // A line is a tree of the concatenations that formed it: joining flattens a chunk of them
    // into one string, instead of keeping every piece alive (and promoted) until the end.
    if (this.pending.length === CHUNK) this.flush();
  }

  get empty(): boolean {
    return this.done === '' && this.pending.length === 0;
  }

  /** Every line added so far. */
  get text(): string {
    this.flush();
    return this.done;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.done += this.pending.join('');
    this.pending.length = 0;
  }
}
