// Runs one fuzz case through the code `msdev validate` runs, in-process, and checks the contract:
// exit 0 with the success line, or exit 2 with `file:line:col: ` on every line; nothing else.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { validateCommand } from '../../src/cli/validate-command.js';
import type { FuzzCase } from './config-gen.js';
import { TIMER_LIMIT_MS, atFallbackPosition, overlongDurations, unknownMerges } from './oracles.js';

/** What one run printed and returned. */
export interface CaseResult {
  /** The exit code, or 'threw' when an exception escaped validateCommand. */
  readonly code: number | 'threw';
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** One broken rule. */
export interface Violation {
  readonly rule:
    | 'exit-code'
    | 'exception'
    | 'stack-trace'
    | 'unpositioned'
    | 'bad-position'
    | 'fallback-position'
    | 'stdout-on-error'
    | 'success-output'
    | 'unknown-merge-accepted'
    | 'timer-overflow-accepted'
    | 'long-line'
    | 'slow'
    | 'pollution';
  /** The offending output line or a description. */
  readonly detail: string;
}

/** Longest output line accepted (error messages must not quote whole huge values). */
export const MAX_LINE = 10_000;
const POSITIONED = /^(.+?):(\d+):(\d+): /;
/**
 * The one positionless line accepted: a --profile name the file does not define is a problem of the
 * command line, not of a place in the file (src/config/active.ts reports it at the file).
 */
const COMMAND_LINE_PROBLEM = /^(?:\.\.\/)?services\.yaml: unknown profile ".*" named with --profile/;
const SUCCESS = /^✓ (?:\.\.\/)?services\.yaml: \d+ services?(?: \(\d+ active; name a --profile for the others\))?\n$/;

/** Writes the case into `dir` (services.yaml, its files, the folder it runs from); returns the paths to remove afterwards. */
export function writeCase(c: FuzzCase, dir: string): string[] {
  const written = [join(dir, 'services.yaml')];
  writeFileSync(written[0]!, Buffer.from(c.text, c.latin1 ? 'latin1' : 'utf8'));
  for (const [name, text] of Object.entries(c.files)) {
    const p = join(dir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    written.push(p);
  }
  if (c.cwd !== '') mkdirSync(join(dir, c.cwd), { recursive: true });
  return written;
}

/** Removes what writeCase wrote. */
export function unwriteCase(paths: readonly string[]): void {
  for (const p of paths) rmSync(p, { force: true });
}

/** Runs validateCommand on the case already written in `dir`. */
export async function runCase(c: FuzzCase, dir: string): Promise<CaseResult> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (s: string) => void (stdout += s), stderr: (s: string) => void (stderr += s) };
  const t0 = performance.now();
  let code: number | 'threw';
  try {
    code = await validateCommand({ profiles: c.profiles, color: false, quiet: false, cwd: join(dir, c.cwd) }, io);
  } catch (err) {
    code = 'threw';
    stderr += `${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`;
  }
  return { code, stdout, stderr, ms: performance.now() - t0 };
}

/** A fingerprint of Object.prototype (its own keys and their values), to see that no case polluted it. */
export function prototypeFingerprint(): string {
  const proto = Object.prototype as unknown as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto)
    .map((k) => `${k}:${typeof Object.getOwnPropertyDescriptor(proto, k)?.value}`)
    .join(',');
}

/** How many lines a file has (any of \n, \r\n, \r ends a line); null when it is not a regular file. */
function lineCount(path: string): number | null {
  try {
    if (!statSync(path).isFile()) return null;
    return readFileSync(path, 'latin1').split(/\r\n|\r|\n/).length;
  } catch {
    return null;
  }
}

/** The rules the result breaks (empty when it keeps the contract). */
export function checkResult(c: FuzzCase, r: CaseResult, dir: string, boundMs: number): Violation[] {
  const out: Violation[] = [];
  const cwd = join(dir, c.cwd);
  if (r.code === 'threw') out.push({ rule: 'exception', detail: r.stderr.split('\n')[0] ?? '' });
  else if (r.code !== 0 && r.code !== 2) out.push({ rule: 'exit-code', detail: `exit ${r.code}: ${r.stderr.split('\n')[0] ?? ''}` });
  if (/^ {4}at /m.test(r.stderr)) out.push({ rule: 'stack-trace', detail: r.stderr.split('\n').find((l) => l.startsWith('    at ')) ?? '' });
  for (const line of `${r.stdout}${r.stderr}`.split('\n')) {
    if (line.length > MAX_LINE) out.push({ rule: 'long-line', detail: `${line.length} characters: ${line.slice(0, 200)}` });
  }
  if (r.code === 2) {
    if (r.stdout !== '') out.push({ rule: 'stdout-on-error', detail: r.stdout.slice(0, 200) });
    const lines = r.stderr.endsWith('\n') ? r.stderr.slice(0, -1).split('\n') : r.stderr.split('\n');
    const counts = new Map<string, number | null>();
    let open = false;
    for (const line of lines) {
      const m = POSITIONED.exec(line);
      // An odd number of `"` leaves a quote open: the next line is the rest of a split one.
      const split: boolean = open;
      open = split !== ((line.match(/"/g)?.length ?? 0) % 2 === 1);
      if (!m && COMMAND_LINE_PROBLEM.test(line) && c.profiles.length > 0) continue;
      if (!m) {
        out.push({ rule: 'unpositioned', detail: split ? `(split) ${line}` : line });
        continue;
      }
      const [, file, l, col] = m;
      const path = resolve(cwd, file!);
      if (!counts.has(path)) counts.set(path, lineCount(path));
      const count = counts.get(path) ?? null;
      if (count === null || Number(l) < 1 || Number(col) < 1 || Number(l) > count) out.push({ rule: 'bad-position', detail: line });
      else if (atFallbackPosition(line)) out.push({ rule: 'fallback-position', detail: line });
    }
  }
  if (r.code === 0) {
    // A valid file may come with warnings, each positioned like an error.
    const warnings = r.stderr === '' ? [] : r.stderr.replace(/\n$/, '').split('\n');
    if (!SUCCESS.test(r.stdout) || warnings.some((w) => !POSITIONED.test(w))) out.push({ rule: 'success-output', detail: `${r.stdout}${r.stderr}`.slice(0, 300) });
    const unknown = c.latin1 ? [] : unknownMerges(c.text);
    if (unknown.length > 0) out.push({ rule: 'unknown-merge-accepted', detail: `<<: *${unknown[0]} names no anchor, yet the file is valid` });
    const overlong = c.latin1 ? [] : overlongDurations(c.text).filter((k) => !warnings.some((w) => w.includes(k)));
    if (overlong.length > 0) out.push({ rule: 'timer-overflow-accepted', detail: `${overlong[0]} is past the ${TIMER_LIMIT_MS} ms timer limit, yet accepted without a word` });
  }
  if (r.ms > boundMs) out.push({ rule: 'slow', detail: `${Math.round(r.ms)} ms (bound ${boundMs} ms)` });
  return out;
}
