// Compose's `$` in values: `${VAR}` and `$VAR` are interpolated, `$$` is a literal `$`. msdev's interpolator reads
// `${VAR}` and `$$` the same way but leaves a bare `$VAR`; so `$VAR` is written `${VAR}`. Also: words quoted for `sh -c`.

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


/** Quotes a word for `sh -c` (kept as is when it needs no quoting). */
export function shellWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", () => `'\\''`)}'`;
}
