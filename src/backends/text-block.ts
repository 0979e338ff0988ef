/**
 * A block of output lines that a backend builds itself, for the parts of a rule set with one
 * line per map element or rule (hundreds of thousands of them in a large file): rendering them
 * with an `{{#each}}` costs the template engine a frame per line. The template still places the
 * block. Whoever adds a line has formatted it from validated values only (render.ts runs
 * handlebars with noEscape).
 */

/** Texts are joined in chunks of this many, so that the pieces of each line die young. */
const CHUNK = 512;

/** Text built line by line; `text` is every line added, in order. */
export class TextBlock {
  private done = '';
  /**
   * The texts not joined yet: the first `count` of an array kept for every chunk (emptied, an
   * array gives its storage back, and growing it again for the next chunk was garbage).
   */
  private readonly pending: string[] = [];
  private count = 0;

  /**
   * Appends one line, which must end in a newline, or a piece of one: the text is every piece in
   * order. Pieces are joined with their chunk, so a line made of values needs no string of its own.
   */
  add(text: string): void {
    this.pending[this.count++] = text;
    // A line is a tree of the concatenations that formed it: joining flattens a chunk of them
    // into one string, instead of keeping every piece alive (and promoted) until the end.
    if (this.count === CHUNK) this.flush();
  }

  get empty(): boolean {
    return this.done === '' && this.count === 0;
  }

  /** Every line added so far. */
  get text(): string {
    this.flush();
    return this.done;
  }

  private flush(): void {
    if (this.count === 0) return;
    // Shortened only for the last, partial chunk.
    if (this.count < this.pending.length) this.pending.length = this.count;
    this.done += this.pending.join('');
    this.count = 0;
  }
}
