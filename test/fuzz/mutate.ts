// Mutations of a YAML document's text: line edits, indentation, tokens, retyped values, renamed
// keys, and whole-file transforms (CRLF, BOM, tabs, trailing junk).
import { CONTROL_CHARS, PROTO_NAMES, SERVICE_KEYS, NESTED_KEYS, UNICODE, YAML_TOKENS, interpolation, scalar } from './pools.js';
import type { Rng } from './prng.js';

/** A named mutation of a document's text. */
export interface Mutator {
  readonly name: string;
  readonly apply: (text: string, rng: Rng) => string;
}

const lines = (text: string): string[] => text.split('\n');
const KEY_LINE = /^(\s*(?:-\s+)?)([^\s:#'"][^:#]*?|"[^"]*"|'[^']*'):(\s|$)/;

function onLine(text: string, rng: Rng, edit: (ls: string[], i: number) => void): string {
  const ls = lines(text);
  if (ls.length === 0) return text;
  edit(ls, rng.int(0, ls.length - 1));
  return ls.join('\n');
}

/** Lines with `key:` on them, by index. */
function keyLines(ls: readonly string[]): number[] {
  const out: number[] = [];
  ls.forEach((l, i) => {
    if (KEY_LINE.test(l)) out.push(i);
  });
  return out;
}

function onKeyLine(text: string, rng: Rng, edit: (line: string, m: RegExpExecArray) => string): string {
  const ls = lines(text);
  const candidates = keyLines(ls);
  if (candidates.length === 0) return text;
  const i = rng.pick(candidates);
  ls[i] = edit(ls[i]!, KEY_LINE.exec(ls[i]!)!);
  return ls.join('\n');
}

/** Every mutator, each a small change. */
export const MUTATORS: readonly Mutator[] = [
  { name: 'delete-line', apply: (t, r) => onLine(t, r, (ls, i) => void ls.splice(i, 1)) },
  { name: 'duplicate-line', apply: (t, r) => onLine(t, r, (ls, i) => void ls.splice(i, 0, ls[i]!)) },
  { name: 'swap-lines', apply: (t, r) => onLine(t, r, (ls, i) => { const j = Math.min(ls.length - 1, i + 1); [ls[i], ls[j]] = [ls[j]!, ls[i]!]; }) },
  { name: 'move-line', apply: (t, r) => onLine(t, r, (ls, i) => { const [l] = ls.splice(i, 1); ls.splice(r.int(0, ls.length), 0, l!); }) },
  { name: 'indent', apply: (t, r) => onLine(t, r, (ls, i) => { ls[i] = r.pick([' ', '  ', '    ', '\t', ' \t']) + ls[i]; }) },
  { name: 'dedent', apply: (t, r) => onLine(t, r, (ls, i) => { ls[i] = ls[i]!.replace(r.chance(0.5) ? /^ {1,2}/ : /^\s+/, ''); }) },
  { name: 'tabs', apply: (t, r) => onLine(t, r, (ls, i) => { ls[i] = ls[i]!.replace(/^( {2})+/, (s) => '\t'.repeat(s.length / 2)); }) },
  { name: 'insert-token', apply: (t, r) => onLine(t, r, (ls, i) => { const l = ls[i]!; const at = r.int(0, l.length); ls[i] = l.slice(0, at) + r.pick(YAML_TOKENS) + l.slice(at); }) },
  { name: 'insert-char', apply: (t, r) => onLine(t, r, (ls, i) => { const l = ls[i]!; const at = r.int(0, l.length); ls[i] = l.slice(0, at) + r.pick([...CONTROL_CHARS, ...UNICODE]) + l.slice(at); }) },
  { name: 'delete-chars', apply: (t, r) => { const at = r.int(0, t.length); return t.slice(0, at) + t.slice(at + r.size(1, 40)); } },
  { name: 'truncate', apply: (t, r) => t.slice(0, r.int(0, t.length)) },
  { name: 'retype-value', apply: (t, r) => onKeyLine(t, r, (l, m) => `${m[1]}${m[2]}: ${scalar(r)}`) },
  { name: 'interpolate-value', apply: (t, r) => onKeyLine(t, r, (l, m) => `${m[1]}${m[2]}: "${interpolation(r).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`) },
  { name: 'empty-value', apply: (t, r) => onKeyLine(t, r, (l, m) => `${m[1]}${m[2]}:${r.pick(['', ' ', ' ~', ' null', ' []', ' {}', ' ""'])}`) },
  { name: 'rename-key', apply: (t, r) => onKeyLine(t, r, (l, m) => `${m[1]}${r.weighted<string>([[3, r.pick(PROTO_NAMES)], [3, r.pick(SERVICE_KEYS)], [2, r.pick(NESTED_KEYS)], [1, r.pick(UNICODE)], [1, '<<'], [1, '"a\\nb"'], [1, '"x:y"'], [1, 'x-ext']])}${l.slice(m[0].length - m[3]!.length - 1)}`) },
  { name: 'alias-value', apply: (t, r) => onKeyLine(t, r, (l, m) => `${m[1]}${m[2]}: ${r.pick(['*a', '*nope', '*__proto__', '*base', '*node', '&a x', '&a', '&a {<<: *a}', '{<<: *nope}', '[*a, *a]'])}`) },
  { name: 'merge-line', apply: (t, r) => onKeyLine(t, r, (l, m) => `${l}\n${' '.repeat(m[1]!.replace(/-/, ' ').length + 2)}<<: ${r.pick(['*node', '*nope', '*a', '[*node, *node]', '{a: 1}', '1', '[1, 2]', '*__proto__'])}`) },
  { name: 'anchor-map', apply: (t, r) => onKeyLine(t, r, (l, m) => `${m[1]}${m[2]}: &${r.pick(['a', 'node', 'base', ...PROTO_NAMES])}${l.slice(m[0].length - m[3]!.length)}`) },
  { name: 'flow-fold', apply: (t, r) => onLine(t, r, (ls, i) => { ls[i] = `${ls[i]} ${r.pick(['{', '[', '{a: [1, {b: ', '}', ']'])}`; }) },
  { name: 'crlf', apply: (t) => t.replace(/\r?\n/g, '\r\n') },
  { name: 'lone-cr', apply: (t, r) => onLine(t, r, (ls, i) => { ls[i] = `${ls[i]}\r`; }) },
  { name: 'bom', apply: (t) => `\ufeff${t}` },
  { name: 'bom-inside', apply: (t, r) => onLine(t, r, (ls, i) => { ls[i] = `\ufeff${ls[i]}`; }) },
  { name: 'trailing-space', apply: (t, r) => onLine(t, r, (ls, i) => { ls[i] = `${ls[i]}${r.pick([' ', '\t', '  # c', ' #', '\u00a0'])}`; }) },
  { name: 'no-final-newline', apply: (t) => t.replace(/\n+$/, '') },
  { name: 'strip-comments', apply: (t) => t.replace(/ +#.*$/gm, '') },
  { name: 'second-document', apply: (t, r) => `${t}\n---\n${r.pick(['services: {}', 'a: 1', '', t])}` },
  { name: 'directive', apply: (t, r) => `${r.pick(['%YAML 1.1', '%YAML 1.2', '%YAML 9.9', '%TAG ! tag:x,2000:', '%FOO bar'])}\n---\n${t}` },
  { name: 'long-value', apply: (t, r) => onKeyLine(t, r, (l, m) => `${m[1]}${m[2]}: ${r.pick(['"', "'", ''])}${'x'.repeat(r.size(100, 200_000))}`) },
];

/** Applies 1..max random mutators; returns the text and the names applied. */
export function mutate(text: string, rng: Rng, max: number): { text: string; applied: string[] } {
  const applied: string[] = [];
  let out = text;
  for (let n = rng.int(1, max); n > 0; n--) {
    const m = rng.pick(MUTATORS);
    out = m.apply(out, rng);
    applied.push(m.name);
  }
  return { text: out, applied };
}
