// The changed files in words: a short reason for state events (`watch: app.js (+3 more)`) and a
// longer list for the service's log line. Always one bounded line, whatever the file names hold.
import { relative } from 'node:path';
import type { FileChange } from './change-debouncer.js';

/** The longest file name shown in the short reason (its end is kept: the file name says most). */
const REASON_NAME_MAX = 80;
/** The longest file name shown in the list. */
const LIST_NAME_MAX = 120;

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: a file name may hold any.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** text with control characters escaped (`\n`, `\u001b`): a file name can never break the line. */
function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** text cut to its last `max` characters, with "…" in front when cut; never splits a surrogate pair. */
function keepEnd(text: string, max: number): string {
  if (text.length <= max) return text;
  let start = text.length - max + 1;
  const code = text.charCodeAt(start);
  if (code >= 0xdc00 && code <= 0xdfff) start++;
  return `…${text.slice(start)}`;
}

/** One change as shown: its path relative to root (`lib/` for a folder), `(deleted)` when it was removed. */
function showChange(change: FileChange, root: string, max: number): string {
  const dir = change.kind === 'addDir' || change.kind === 'unlinkDir';
  const name = keepEnd(escapeControls(relative(root, change.path) || '.'), max) + (dir ? '/' : '');
  return change.kind === 'unlink' || change.kind === 'unlinkDir' ? `${name} (deleted)` : name;
}

/** The changes in a few words, for a state event's reason: `app.js`, `src/app.js (+3 more)`, `app.js (deleted)`. */
export function describeChanges(changes: readonly FileChange[], root: string): string {
  const first = changes[0];
  if (!first) return 'no files';
  const more = changes.length > 1 ? ` (+${changes.length - 1} more)` : '';
  return showChange(first, root, REASON_NAME_MAX) + more;
}

/** The changed files for the log line, at most max of them: `app.js, lib/x.js, … (+12 more)`. */
export function listChanges(changes: readonly FileChange[], root: string, max = 10): string {
  const shown = changes.slice(0, Math.max(1, max)).map((c) => showChange(c, root, LIST_NAME_MAX));
  const rest = changes.length - shown.length;
  return rest > 0 ? `${shown.join(', ')}, … (+${rest} more)` : shown.join(', ');
}
