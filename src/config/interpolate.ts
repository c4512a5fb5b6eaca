// `${VAR}`-style interpolation: `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`,
// `${VAR?message}`, `${VAR:+alt}`, `${VAR+alt}`, and `$$` for a literal `$`. A bare `$NAME` is left
// alone (the shell of a string command sees it). Runs in two passes: environment variables while
// validating (escapes kept), then `${port}`/`${services.…}` per service in normalize.

import { escapeControls, quote, shorten } from './quote.js';

/** `${A:-${B:-…}}` may nest this deep; deeper is a problem (not a stack overflow). */
export const MAX_NESTING = 20;

/** The operator of a `${NAME<op>arg}` reference. */
export type VarOp = ':-' | '-' | ':?' | '?' | ':+' | '+';

/** One parsed `${…}`. */
export interface VarRef {
  readonly name: string;
  readonly op: VarOp | null;
  /** The raw text after the operator (a default, message or alternative); itself interpolated when used. */
  readonly arg: string;
  /** The whole `${…}` as written. */
  readonly source: string;
}

/** What a resolver says about a name: its value, unset, keep as written, or a problem. */
export type Resolution = string | undefined | { readonly keep: true } | { readonly error: string };

/** Looks a name up. */
export type Resolver = (name: string, ref: VarRef) => Resolution;

/** The expanded text and every problem met (messages without position). */
export interface Expansion {
  readonly text: string;
  readonly errors: readonly string[];
}

/** True for msdev's own references, resolved in the second pass: `port` and `services.NAME.…`. */
export function isServiceRef(name: string): boolean {
  return name === 'port' || name.startsWith('services.');
}

/** Doubles every `$` so that a second pass gives the text back. */
export function escapeDollars(text: string): string {
  return text.replaceAll('$', () => '$$');
}

/** Finds the index of the `}` closing a `${` that starts at `start`, or -1. */
function closingBrace(text: string, start: number): number {
  let depth = 1;
  let i = start + 2;
  while (i < text.length) {
    const c = text[i];
    if (c === '$' && (text[i + 1] === '$' || text[i + 1] === '{')) {
      if (text[i + 1] === '{') depth++;
      i += 2;
      continue;
    }
    if (c === '}' && --depth === 0) return i;
    i++;
  }
  return -1;
}

const OPS: readonly VarOp[] = [':-', ':?', ':+', '-', '?', '+'];

/** Parses the inside of `${…}`, or null when it is not a valid reference. */
export function parseRef(body: string, source: string): VarRef | null {
  if (/^services\.[^:?+}]*$/.test(body)) return { name: body, op: null, arg: '', source };
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(body);
  if (!m) return null;
  const name = m[0];
  const rest = body.slice(name.length);
  if (rest === '') return { name, op: null, arg: '', source };
  const op = OPS.find((o) => rest.startsWith(o));
  return op ? { name, op, arg: rest.slice(op.length), source } : null;
}

/** Expands every `${…}` of `text`; with keepEscapes `$$` stays `$$` (first pass), else it becomes `$`. */
export function expand(text: string, resolve: Resolver, keepEscapes: boolean): Expansion {
  return expandAt(text, resolve, keepEscapes, 0);
}

function expandAt(text: string, resolve: Resolver, keepEscapes: boolean, depth: number): Expansion {
  const errors: string[] = [];
  if (depth > MAX_NESTING) return { text: '', errors: [`"\${…}" nested more than ${MAX_NESTING} levels deep; simplify the defaults`] };
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
      out += keepEscapes ? '$$' : '$';
      i += 2;
      continue;
    }
    if (next !== '{') {
      out += '$';
      i++;
      continue;
    }
    const end = closingBrace(text, i);
    if (end < 0) {
      errors.push(`unterminated "\${" in ${quote(text)}: add the closing "}" (write "$$" for a literal "$")`);
      return { text: out, errors };
    }
    const source = text.slice(i, end + 1);
    const ref = parseRef(text.slice(i + 2, end), source);
    i = end + 1;
    if (!ref) {
      errors.push(`invalid reference ${quote(source)}: use \${NAME}, \${NAME:-default} or \${NAME:?message}`);
      continue;
    }
    out += apply(ref, resolve, keepEscapes, errors, depth);
  }
  return { text: out, errors };
}

function apply(ref: VarRef, resolve: Resolver, keepEscapes: boolean, errors: string[], depth: number): string {
  const r = resolve(ref.name, ref);
  if (typeof r === 'object') {
    if ('keep' in r) return ref.source;
    errors.push(r.error);
    return '';
  }
  const sub = (): string => {
    const e = expandAt(ref.arg, resolve, keepEscapes, depth + 1);
    errors.push(...e.errors);
    return e.text;
  };
  const unset = r === undefined;
  const empty = unset || r === '';
  switch (ref.op) {
    case null:
      return r ?? '';
    case ':-':
      return empty ? sub() : r;
    case '-':
      return unset ? sub() : r;
    case ':+':
      return empty ? '' : sub();
    case '+':
      return unset ? '' : sub();
    case ':?':
    case '?':
      if (ref.op === ':?' ? empty : unset) {
        errors.push(`required variable ${ref.name} is ${unset ? 'not set' : 'empty'}${ref.arg ? `: ${shortArg(ref.arg)}` : ''}`);
        return '';
      }
      return r!;
  }
}

/** The message of `${VAR:?message}`, as written but bounded. */
function shortArg(text: string): string {
  return escapeControls(shorten(text, 200));
}
