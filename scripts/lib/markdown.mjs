// Small Markdown helpers shared by the doc generators (services-doc.mjs, cli-doc.mjs) and the docs test.

/** Text safe inside a Markdown table cell: pipes escaped, line breaks flattened. */
export function cell(text) {
  return String(text).replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** A Markdown table from a header row and body rows. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** A slugger that numbers repeated headings as GitHub does (`env`, `env-1`, …). */
export function slugger() {
  const seen = new Map();
  return (heading) => {
    const base = slug(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}-${n}`;
  };
}

/** Every anchor of a Markdown text's headings (outside fenced code blocks), and of its `<a id>`/`<a name>` tags. */
export function anchors(markdown) {
  const next = slugger();
  const found = new Set();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) found.add(next(h[1]));
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) found.add(m[1]);
  }
  return found;
}

/** The targets of a Markdown text's inline links and images (`[x](target)`), outside code, in order. */
export function linkTargets(markdown) {
  const targets = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const outsideCode = line.replace(/`[^`]*`/g, '');
    for (const m of outsideCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]);
    for (const m of outsideCode.matchAll(/<(?:a|img)\s[^>]*?(?:href|src)="([^"]+)"/g)) targets.push(m[1]);
    for (const m of outsideCode.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/g)) targets.push(m[1]);
  }
  return targets;
}
