// What the config fuzzer does with a failing case: save it where it can be rerun, describe it, and
// (in FUZZ_COLLECT mode) group failures into classes with the smallest example of each.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CaseResult, Violation } from './check-case.js';
import type { FuzzCase } from './config-gen.js';

/** One failing case. */
export interface Failure {
  readonly c: FuzzCase;
  readonly result: CaseResult;
  readonly violations: readonly Violation[];
}

/** A class of failures: same rule, same message shape. */
export interface FailureClass {
  readonly key: string;
  count: number;
  /** The smallest failing case of the class. */
  smallest: Failure;
  /** The first few case indices. */
  readonly indices: number[];
}

/** The message with positions, numbers, quoted text and file names blurred, so alike failures share a key. */
export function shape(detail: string): string {
  return detail
    .replace(/^.+?:\d+:\d+: /, 'FILE:L:C: ')
    .replace(/^[^:]*services\.yaml: /, 'FILE: ')
    .replace(/\([^()]*\)$/, '(…)')
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/"[^"]*$/, '"…')
    .replace(/\d+/g, 'N')
    .replace(/\s+/g, ' ')
    .slice(0, 120);
}

/** The class key of a failure: its first violation's rule and message shape. */
export function classKey(f: Failure): string {
  const v = f.violations[0]!;
  switch (v.rule) {
    case 'slow':
      return `slow: ${f.c.kind.replace(/ \+ .*$/, '').replace(/\d+/g, 'N')}`;
    case 'fallback-position':
      return `fallback-position: a problem two keys deep reported at 1:1 (${/got [^"]*$/.exec(v.detail)?.[0] ?? 'other'})`;
    case 'timer-overflow-accepted':
      return 'timer-overflow-accepted: a duration past the timer limit is accepted without a word';
    case 'unknown-merge-accepted':
      return 'unknown-merge-accepted: a merge of an anchor that does not exist is accepted';
    case 'long-line':
      return `long-line: a message quotes a long value${/ YAML syntax: /.test(v.detail) ? ' (YAML syntax error)' : ''}`;
    case 'unpositioned':
      return v.detail.startsWith('(split) ') ? 'unpositioned: a line break inside a quoted name or value splits an error line' : `unpositioned: ${shape(v.detail)}`;
    default:
      return `${v.rule}: ${shape(v.detail)}`;
  }
}

/** Saves the case (services.yaml, its files, result.txt) in `dir`; returns the folder. */
export function saveFailure(f: Failure, dir: string, seed: number): string {
  mkdirSync(join(dir, f.c.cwd), { recursive: true });
  writeFileSync(join(dir, 'services.yaml'), Buffer.from(f.c.text, f.c.latin1 ? 'latin1' : 'utf8'));
  for (const [name, text] of Object.entries(f.c.files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  writeFileSync(join(dir, 'result.txt'), describeFailure(f, seed, dir));
  return dir;
}

/** How to see and rerun the failure. */
export function describeFailure(f: Failure, seed: number, saved: string | null): string {
  const r = f.result;
  const yaml = f.c.text.length > 3000 ? `${f.c.text.slice(0, 3000)}… (${f.c.text.length} characters in all)` : f.c.text;
  return [
    `fuzz case ${f.c.index} of seed ${seed} (${f.c.kind}) ${f.violations.length ? 'breaks the validate contract:' : 'keeps the validate contract'}`,
    ...f.violations.slice(0, 5).map((v) => `  ${v.rule}: ${v.detail.slice(0, 400)}`),
    `exit: ${r.code}; ${Math.round(r.ms)} ms; profiles: ${JSON.stringify(f.c.profiles)}; cwd: ${f.c.cwd || '.'}${f.c.latin1 ? '; written as latin1' : ''}`,
    `stdout: ${JSON.stringify(r.stdout.slice(0, 1000))}`,
    `stderr: ${JSON.stringify(r.stderr.slice(0, 2000))}`,
    `services.yaml (JSON-escaped): ${JSON.stringify(yaml)}`,
    ...Object.entries(f.c.files).map(([n, t]) => `${n}: ${JSON.stringify(t.slice(0, 500))}`),
    saved ? `saved in ${saved} (run \`msdev validate\` there${f.c.cwd ? ` from ${f.c.cwd}/` : ''})` : '',
    `rerun: FUZZ_SEED=${seed} FUZZ_ONLY=${f.c.index} npx vitest run test/config-fuzz.test.ts   (or FUZZ_CASES=${f.c.index + 1} for all up to it)`,
  ].join('\n');
}

/** Adds a failure to its class. */
export function addToClasses(classes: Map<string, FailureClass>, f: Failure): void {
  const key = classKey(f);
  const cls = classes.get(key);
  if (!cls) return void classes.set(key, { key, count: 1, smallest: f, indices: [f.c.index] });
  cls.count++;
  if (cls.indices.length < 20) cls.indices.push(f.c.index);
  if (f.c.text.length < cls.smallest.c.text.length) cls.smallest = f;
}

/** Writes every class (its smallest case in a folder, a summary.md over all) under `out`; returns the summary text. */
export function writeClasses(classes: Map<string, FailureClass>, out: string, seed: number, cases: number): string {
  mkdirSync(out, { recursive: true });
  const sorted = [...classes.values()].sort((a, b) => b.count - a.count);
  const parts = [`# config fuzz: ${sorted.length} failure classes in ${cases} cases (seed ${seed})`, ''];
  sorted.forEach((cls, i) => {
    const folder = join(out, `class-${String(i + 1).padStart(2, '0')}`);
    saveFailure(cls.smallest, folder, seed);
    parts.push(`## ${i + 1}. ${cls.key}`, '', `${cls.count} cases, e.g. ${cls.indices.join(', ')}; smallest in ${folder}`, '', '```', describeFailure(cls.smallest, seed, null), '```', '');
  });
  const text = parts.join('\n');
  writeFileSync(join(out, 'summary.md'), text);
  return text;
}
