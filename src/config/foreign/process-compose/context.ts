// What the process-compose translator keeps while it reads: the merged view, problems said so far, the
// vars of the templates, the shell commands run with; and readers of scalar values that say what is wrong.
import { isScalar } from 'yaml';
import type { ConfigProblem } from '../../errors.js';
import type { Range } from '../node-build.js';
import { renderTemplate } from './templates.js';
import type { PcView } from './view.js';

/** The reading of one process-compose file. */
export interface PcContext {
  readonly view: PcView;
  readonly errors: ConfigProblem[];
  readonly warnings: ConfigProblem[];
  /** The top-level `vars` (values as text; null when not a plain value). */
  readonly globalVars: ReadonlyMap<string, string | null>;
  /** The shell process-compose runs commands with (`shell.shell_command`, `shell.shell_argument`; default bash -c). */
  readonly shell: readonly [string, string];
  /** is_strict: true (process-compose then refuses what it otherwise only logs). */
  readonly strict: boolean;
  /** The names of the processes. */
  readonly processes: ReadonlySet<string>;
}

/** A positioned warning: what msdev ignores or does differently. */
export function warn(ctx: PcContext, node: unknown, path: string, message: string): void {
  ctx.warnings.push(ctx.view.problem(node, path, message));
}

/** A positioned error: the file cannot be run as it is. */
export function fail(ctx: PcContext, node: unknown, path: string, message: string): void {
  ctx.errors.push(ctx.view.problem(node, path, message));
}

/** The text of a scalar (numbers and booleans as written), or null with an error when it is none. */
export function readText(ctx: PcContext, node: unknown, path: string): string | null {
  const t = plainText(ctx.view.resolve(node));
  if (t !== null) return t;
  fail(ctx, node, path, 'expected a string');
  return null;
}

/** The text of a scalar node (a number or boolean as written), or null for anything else. */
export function plainText(v: unknown): string | null {
  if (!isScalar(v)) return null;
  const x = v.value;
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return v.source ?? String(x);
  return null;
}

/** True for a missing value or a `key:` with nothing. */
export function isNullNode(v: unknown): boolean {
  return v === null || v === undefined || (isScalar(v) && v.value === null);
}

/** A whole number of at least `min`, from a number or a string of digits; null with a warning otherwise (the default is used). */
export function readCount(ctx: PcContext, node: unknown, path: string, min: number): number | null {
  const v = ctx.view.resolve(node);
  const raw = isScalar(v) ? v.value : undefined;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (Number.isInteger(n) && n >= min) return n;
  warn(ctx, node, path, `expected a whole number of at least ${min}; process-compose's default is used`);
  return null;
}

/** True for `true` (and the strings yes/true/on that process-compose's YAML reads as true). */
export function readFlag(ctx: PcContext, node: unknown): boolean {
  const v = ctx.view.resolve(node);
  if (!isScalar(v)) return false;
  return v.value === true || (typeof v.value === 'string' && /^(true|yes|on|y)$/i.test(v.value));
}

/** The text of a field rendered with the process's and the top-level vars; null with an error when it cannot be. */
export function readTemplated(ctx: PcContext, node: unknown, path: string, vars: ReadonlyMap<string, string | null>): string | null {
  const text = readText(ctx, node, path);
  if (text === null) return null;
  const r = renderTemplate(text, vars);
  if ('error' in r) {
    fail(ctx, node, path, r.error);
    return null;
  }
  return r.text;
}

/** The range for a node built from `node`: its own in the main file, else the fallback. */
export function rangeFor(ctx: PcContext, node: unknown, fallback: Range): Range {
  return ctx.view.range(node, fallback);
}
