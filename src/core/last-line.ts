// The line a failure reason quotes from a command's output.

/** The last non-blank line of text, trimmed and cut to maxChars (with `…`); '' when there is none. */
export function lastLine(text: string, maxChars = 200): string {
  const lines = text.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = (lines[i] ?? '').trim();
    if (line) return line.length > maxChars ? `${line.slice(0, maxChars - 1)}…` : line;
  }
  return '';
}
