// Merging as compose merges a service with its override (compose.override.yaml) or with the service it
// `extends`: mappings merged key by key, lists like ports and volumes appended, command/entrypoint and
// healthcheck.test replaced; `!reset` removes a value, `!override` replaces it whole.
import type { CEntry, CMap, CNode, CSeq } from './tree.js';
import { text } from './tree.js';

/** Keys whose value is replaced, not merged (paths under a service). */
const REPLACED = new Set(['command', 'entrypoint', 'healthcheck.test']);
/** Mappings that may also be written as `KEY=VALUE` lists. */
const KEY_VALUE_LISTS = new Set(['environment', 'labels', 'build.args', 'annotations']);

/** A whole compose file with its override merged in: each service merged as compose merges services, other keys by mapping. */
export function mergeFiles(main: CNode, over: CNode): CNode {
  if (main.kind !== 'map' || over.kind !== 'map') return over;
  const services = (m: CMap) => m.entries.find((e) => e.key === 'services')?.value;
  const merged = mergeMaps(withoutServices(main), withoutServices(over), '', true);
  const ms = services(main);
  const os = services(over);
  if (!ms || !os) {
    const only = ms ? main.entries.find((e) => e.key === 'services') : over.entries.find((e) => e.key === 'services');
    return only ? { ...merged, entries: [...merged.entries, only] } : merged;
  }
  const out: CEntry[] = [];
  const overSvcs = os.kind === 'map' ? os.entries : [];
  for (const e of ms.kind === 'map' ? ms.entries : []) {
    const o = overSvcs.find((x) => x.key === e.key);
    const v = o ? mergeNodes(e.value, o.value) : e.value;
    if (v) out.push({ key: e.key, keyAt: e.keyAt, value: v });
  }
  for (const o of overSvcs) if (!out.some((x) => x.key === o.key) && !(ms.kind === 'map' && ms.entries.some((x) => x.key === o.key))) out.push(o);
  const svcEntry = main.entries.find((e) => e.key === 'services')!;
  return { ...merged, entries: [...merged.entries, { key: 'services', keyAt: svcEntry.keyAt, value: { kind: 'map', at: ms.at, entries: out } }] };
}

function withoutServices(m: CMap): CMap {
  return { ...m, entries: m.entries.filter((e) => e.key !== 'services') };
}

/** The service `base` with `over` merged into it (`path`: where they are under the service, "" for the service). */
export function mergeNodes(base: CNode, over: CNode, path = ''): CNode | null {
  if (over.tag === '!reset') return null;
  if (over.tag === '!override' || REPLACED.has(path)) return over;
  let b = base;
  let o = over;
  if (KEY_VALUE_LISTS.has(path)) {
    b = asMap(b);
    o = asMap(o);
  }
  if (b.kind === 'map' && o.kind === 'map') return mergeMaps(b, o, path);
  if (b.kind === 'seq' && o.kind === 'seq') return appendUnique(b, o);
  return o;
}

function mergeMaps(base: CMap, over: CMap, path: string, top = false): CMap {
  const out: CEntry[] = [];
  const overKeys = new Map(over.entries.map((e) => [e.key, e]));
  for (const e of base.entries) {
    const o = overKeys.get(e.key);
    if (!o) {
      out.push(e);
      continue;
    }
    // Top-level keys (volumes, networks, x-*) merge as mappings; no service rule applies to them.
    const merged = mergeNodes(e.value, o.value, top ? `(top).${e.key}` : path ? `${path}.${e.key}` : e.key);
    if (merged) out.push({ key: e.key, keyAt: e.keyAt, value: merged });
  }
  const baseKeys = new Set(base.entries.map((e) => e.key));
  for (const e of over.entries) if (!baseKeys.has(e.key) && e.value.tag !== '!reset') out.push(e);
  return { kind: 'map', at: base.at, entries: out };
}

function appendUnique(base: CSeq, over: CSeq): CSeq {
  const seen = new Set(base.items.map(identity));
  const items = [...base.items];
  for (const i of over.items) {
    const id = identity(i);
    if (id !== undefined && seen.has(id)) continue;
    items.push(i);
  }
  return { kind: 'seq', at: base.at, items };
}

/** What makes two list items the same (scalars by text); undefined: never the same. */
function identity(node: CNode): string | undefined {
  return node.kind === 'scalar' ? text(node) : undefined;
}

/** A `KEY=VALUE` list as a mapping (a `KEY` alone: KEY with no value); anything else as it is. */
export function asMap(node: CNode): CNode {
  if (node.kind !== 'seq') return node;
  const entries: CEntry[] = [];
  for (const item of node.items) {
    const t = text(item);
    if (t === undefined) return node;
    const eq = t.indexOf('=');
    const key = eq < 0 ? t : t.slice(0, eq);
    const value: CNode = { kind: 'scalar', at: item.at, value: eq < 0 ? null : t.slice(eq + 1) };
    const i = entries.findIndex((e) => e.key === key);
    const e = { key, keyAt: item.at, value };
    if (i >= 0) entries[i] = e;
    else entries.push(e);
  }
  return { kind: 'map', at: node.at, entries };
}
