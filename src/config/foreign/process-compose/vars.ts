// `vars` (top-level and per process) as the values of `{{.NAME}}` templates.
import { isMap, isScalar } from 'yaml';
import { fail, plainText, type PcContext } from './context.js';

/** The vars of a `vars:` mapping (values as text; null for a value that is not plain), over `under`. */
export function readVars(ctx: PcContext, node: unknown, path: string, under: ReadonlyMap<string, string | null> = ctx.globalVars): Map<string, string | null> {
  const out = new Map(under);
  // process-compose gives every process PC_REPLICA_NUM (0 for a single replica).
  if (!out.has('PC_REPLICA_NUM')) out.set('PC_REPLICA_NUM', '0');
  if (node === undefined) return out;
  const v = ctx.view.resolve(node);
  if (v === null || (isScalar(v) && v.value === null)) return out;
  if (!isMap(v)) {
    fail(ctx, node, path, 'expected a mapping of NAME: value');
    return out;
  }
  for (const e of ctx.view.entries(v)) {
    out.set(e.key, plainText(ctx.view.resolve(e.value)));
  }
  return out;
}
