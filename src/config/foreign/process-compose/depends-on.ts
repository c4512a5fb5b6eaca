// depends_on: process name → { condition } (or the condition alone) as msdev's conditions.
import { isMap, type YAMLMap } from 'yaml';
import { mapAt, scalarAt, set, type Range } from '../node-build.js';
import { fail, isNullNode, rangeFor, readText, warn, type PcContext } from './context.js';

/** What the translation of one process needs to know about the others. */
export interface ProcessFacts {
  /** Its ready_log_line, when it has one. */
  readonly readyLogLine: string | null;
  /** Set `disabled: true`. */
  readonly disabled: boolean;
  /** Has a readiness probe or a ready_log_line: it is meant to keep running. */
  readonly longRunning: boolean;
}

/** process-compose's conditions as msdev's. */
const CONDITIONS: Readonly<Record<string, string>> = {
  process_started: 'started',
  process_healthy: 'healthy',
  process_log_ready: 'healthy',
  process_completed: 'completed',
  process_completed_successfully: 'completed',
};

/** The depends_on mapping as msdev's `name: condition`, or null. */
export function readDependsOn(ctx: PcContext, node: unknown, path: string, facts: ReadonlyMap<string, ProcessFacts>, at: Range): YAMLMap | null {
  const d = ctx.view.resolve(node);
  if (!isMap(d)) {
    if (!isNullNode(d)) fail(ctx, node, path, 'expected a mapping of process name → { condition: … }');
    return null;
  }
  const out = mapAt(rangeFor(ctx, d, at));
  for (const e of ctx.view.entries(d)) {
    const p = `${path}.${e.key}`;
    const dep = facts.get(e.key);
    if (!dep) {
      if (ctx.strict) fail(ctx, e.keyNode, p, `no process "${e.key}" in this file`);
      else warn(ctx, e.keyNode, p, `no process "${e.key}" in this file; ignored (process-compose refuses it under is_strict)`);
      continue;
    }
    const v = ctx.view.resolve(e.value);
    let condNode: unknown = e.value;
    let cond = 'process_started';
    if (isMap(v)) {
      const c = ctx.view.entries(v).find((x) => x.key === 'condition');
      for (const x of ctx.view.entries(v)) if (x.key !== 'condition' && !x.key.startsWith('x-')) warn(ctx, x.keyNode, `${p}.${x.key}`, 'unknown key of a dependency; ignored');
      if (c) {
        condNode = c.value;
        cond = readText(ctx, c.value, `${p}.condition`) ?? cond;
      }
    } else if (!isNullNode(v)) {
      cond = readText(ctx, e.value, p) ?? cond;
    }
    const mapped = CONDITIONS[cond];
    if (!mapped) {
      fail(ctx, condNode, `${p}.condition`, `"${cond}" is not a condition; use ${Object.keys(CONDITIONS).join(', ')}`);
      continue;
    }
    if (cond === 'process_log_ready' && dep.readyLogLine === null) {
      fail(ctx, condNode, `${p}.condition`, `process_log_ready needs a ready_log_line in process "${e.key}"`);
      continue;
    }
    if (cond === 'process_completed') {
      warn(ctx, condNode, `${p}.condition`, `msdev starts this process once "${e.key}" exits 0, and fails it when "${e.key}" fails (process-compose starts it on any exit code)`);
    }
    if (dep.disabled) warn(ctx, e.keyNode, p, `"${e.key}" is disabled; msdev starts it anyway because this process depends on it`);
    set(out, e.key, scalarAt(mapped, rangeFor(ctx, condNode, at)), e.keyNode);
  }
  return out;
}
