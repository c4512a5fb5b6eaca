// A batch of complete lines kept as one string; the array of lines is made only when someone asks for it.

/** Complete lines of one stream, in order: `text` is them joined with `\n` (no final newline). */
export class LineBatch {
  private split: string[] | null;

  constructor(
    /** The lines joined with `\n`, without a final newline. */
    readonly text: string,
    lines: string[] | null = null,
    /** The bytes the service wrote for these lines, each ended by `\n` (a `\r` before it dropped), copied to files as they are: text is their decoding. */
    readonly bytes: Buffer | null = null,
  ) {
    this.split = lines;
  }

  /** A batch of these lines. */
  static of(lines: string[]): LineBatch {
    return new LineBatch(lines.join('\n'), lines);
  }

  /** The lines, split on first use. */
  get lines(): string[] {
    this.split ??= this.text.split('\n');
    return this.split;
  }

  /** The last n lines (fewer when the batch has fewer), without splitting the whole batch. */
  last(n: number): string[] {
    if (this.split) return this.split.length <= n ? this.split : this.split.slice(-n);
    let from = this.text.length;
    for (let i = 0; i < n; i++) {
      const nl = this.text.lastIndexOf('\n', from - 1);
      if (nl === -1) return this.text.split('\n');
      from = nl;
    }
    return this.text.slice(from + 1).split('\n');
  }
}
