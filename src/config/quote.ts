// User text inside problem messages: quoted, shortened, and with control characters escaped, so
// that every problem stays one bounded `file:line:col: path: message` line.

/** How many characters of a user value a message shows before cutting it with "…". */
export const QUOTE_MAX = 60;

/** Longest message a problem line carries (a safety net; messages quote at most QUOTE_MAX of a value). */
export const MESSAGE_MAX = 2000;

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const NAMED = new Map([
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
]);

function escapeChar(c: string): string {
  return NAMED.get(c) ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` cut to `max` characters (plus "…" when cut); never splits a surrogate pair. */
export function shorten(text: string, max = QUOTE_MAX): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** A user value as a message shows it: in double quotes, JSON-escaped, at most `max` characters of it. */
export function quote(text: string, max = QUOTE_MAX): string {
  return JSON.stringify(shorten(text, max)).replace(CONTROL, escapeChar);
}

/** `text` with every control character escaped (`\n`, `\u001b`, …): safe to print on one line. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, escapeChar);
}
