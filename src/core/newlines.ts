// Counting the lines of a text without splitting it (a batch of log lines, an NDJSON chunk).

/** How many `\n` text holds. */
export function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
