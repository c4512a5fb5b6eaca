// Compose's `$` in values: `${VAR}` and `$VAR` are interpolated, `$$` is a literal `$`. msdev's interpolator reads
// `${VAR}` and `$$` the same way but leaves a bare `$VAR`; so `$VAR` is written `${VAR}`. Also: compose's string
// command split into words (no shell), and words quoted for `sh -c`.

/** Rewrites compose's bare `$VAR` as `${VAR}`; `$$`, `${…}` and a `$` before anything else are kept as written. */
export function composeDollars(text: string): string {
  if (!text.includes('$')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$$';
      i += 2;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1, i + 257));
    if (next !== '{' && m) {
      out += `\${${m[0]}}`;
      i += 1 + m[0].length;
      continue;
    }
    out += '$';
    i++;
  }
  return out;
}

/**
 * Splits a command string into words as compose does (shell-like quoting: '…', "…", backslash), without
 * running a shell; null when a quote is not closed.
 */
export function splitWords(text: string): string[] | null {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word += text[++i];
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return null;
  if (inWord) words.push(word);
  return words;
}

/** Quotes a word for `sh -c` (kept as is when it needs no quoting). */
export function shellWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", () => `'\\''`)}'`;
}
