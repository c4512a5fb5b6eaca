// Env files in dotenv syntax: KEY=VAL, `export KEY=VAL`, single quotes (literal), double quotes
// (\n \r \t \\ \" escapes; may span lines), `#` comments, blank lines. A bare `KEY` is skipped
// (the variable passes through from the shell, as in compose). Values are taken literally: no
// interpolation inside env files. A NUL character is refused (no process can take it).
import { quote as quoteText } from './quote.js';

/** A line of an env file that could not be read. */
export interface EnvFileError {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, when known (1 otherwise). */
  readonly col?: number;
  readonly message: string;
}

/** The variables of an env file, in file order, and the lines that could not be read. */
export interface ParsedEnvFile {
  readonly vars: Readonly<Record<string, string>>;
  readonly errors: readonly EnvFileError[];
}

const KEY = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(=)?/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"', $: '$' };

/** Parses the text of an env file. */
export function parseEnvFile(text: string): ParsedEnvFile {
  // No prototype: a variable named __proto__ or toString is a plain key.
  const vars = Object.create(null) as Record<string, string>;
  const errors: EnvFileError[] = [];
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const before = text.slice(0, nul);
    const line = before.split('\n').length;
    return { vars, errors: [{ line, col: nul - before.lastIndexOf('\n'), message: 'contains a NUL character (\\0), which no environment variable can hold; remove it' }] };
  }
  const src = text.replace(/\r\n?/g, '\n');
  let i = 0;
  let line = 1;
  while (i < src.length) {
    const eol = src.indexOf('\n', i) < 0 ? src.length : src.indexOf('\n', i);
    const raw = src.slice(i, eol);
    const trimmed = raw.trim();
    const startLine = line;
    if (trimmed === '' || trimmed.startsWith('#')) {
      i = eol + 1;
      line++;
      continue;
    }
    const lead = raw.length - raw.trimStart().length;
    const m = KEY.exec(trimmed);
    if (!m) {
      errors.push({ line, message: `expected KEY=VALUE, got ${quoteText(trimmed)}` });
      i = eol + 1;
      line++;
      continue;
    }
    if (!m[2]) {
      if (trimmed.length !== m[0].trimEnd().length) errors.push({ line, message: `expected KEY=VALUE, got ${quoteText(trimmed)}` });
      i = eol + 1;
      line++;
      continue;
    }
    let j = i + lead + m[0].length;
    while (src[j] === ' ' || src[j] === '\t') j++;
    const quote = src[j];
    if (quote === '"' || quote === "'") {
      let value = '';
      let k = j + 1;
      let closed = false;
      while (k < src.length) {
        const c = src[k]!;
        if (c === quote) {
          closed = true;
          break;
        }
        if (c === '\n') line++;
        if (quote === '"' && c === '\\' && k + 1 < src.length) {
          const e = src[k + 1]!;
          value += ESCAPES[e] ?? `\\${e}`;
          k += 2;
          continue;
        }
        value += c;
        k++;
      }
      if (!closed) {
        errors.push({ line: startLine, message: `unterminated ${quote === '"' ? 'double' : 'single'}-quoted value of ${m[1]}` });
        return { vars, errors };
      }
      const after = src.indexOf('\n', k) < 0 ? src.length : src.indexOf('\n', k);
      const tail = src.slice(k + 1, after).trim();
      if (tail !== '' && !tail.startsWith('#')) errors.push({ line, message: `unexpected text after the quoted value of ${m[1]}: ${quoteText(tail)}` });
      else vars[m[1]!] = value;
      i = after + 1;
      line++;
      continue;
    }
    const rest = src.slice(j, eol);
    const hash = rest.search(/(^|\s)#/);
    vars[m[1]!] = (hash < 0 ? rest : rest.slice(0, hash)).trim();
    i = eol + 1;
    line++;
  }
  return { vars, errors };
}
