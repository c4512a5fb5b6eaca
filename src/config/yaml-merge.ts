// Aliases and `<<` merge keys, resolved once per document without recursion: every alias is tied
// to its anchor in one pass, and the merged keys of each mapping are computed once and kept.
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

/** One key of a mapping, after `<<` merge keys are applied. */
export interface Entry {
  readonly key: string;
  readonly keyNode: Node;
  readonly value: unknown;
}

/** At most this many merged keys are copied across all the merges of one file. */
export const MAX_MERGED_KEYS = 1_000_000;

/** A `<<` whose source merges (directly or through other merges) the mapping the `<<` is in. */
export interface MergeLoop {
  /** The mapping whose merge comes back to itself. */
  readonly map: YAMLMap;
  /** The source node of the merge that closes the loop (an alias, usually). */
  readonly via: unknown;
}

/** What is known about one document: alias targets, merged entries and key indexes of its mappings. */
interface DocMemo {
  readonly targets: Map<object, unknown>;
  readonly merged: Map<object, Entry[]>;
  readonly byKey: Map<object, Map<string, Entry>>;
}

// One entry per document (plain Maps inside: a WeakMap per node would burden the garbage collector).
const memos = new WeakMap<Document, DocMemo>();

function memoOf(doc: Document): DocMemo {
  let m = memos.get(doc);
  if (!m) memos.set(doc, (m = { targets: new Map(), merged: new Map(), byKey: new Map() }));
  return m;
}

/** Remembers what an alias points at (filled by the one pass over the document). */
export function bindAlias(doc: Document, alias: object, target: unknown): void {
  memoOf(doc).targets.set(alias, target);
}

/** Follows an alias to its anchored node (undefined for an alias to an unknown anchor). */
export function resolveAlias(doc: Document, node: unknown): unknown {
  if (!isAlias(node)) return node;
  const { targets } = memoOf(doc);
  if (targets.has(node)) return targets.get(node);
  const target = node.resolve(doc);
  targets.set(node, target);
  return target;
}

/** True for a `<<` key (plain, not quoted). */
export function isMergeKey(keyNode: unknown): boolean {
  return isScalar(keyNode) && keyNode.value === '<<' && keyNode.type === 'PLAIN';
}

/** The mappings a `<<` value merges, each with the node that names it, in priority order. */
export function mergeSources(doc: Document, value: unknown): { map: YAMLMap; via: unknown }[] {
  const src = resolveAlias(doc, value);
  const items = isSeq(src) ? src.items.map((n) => ({ node: resolveAlias(doc, n), via: n })) : [{ node: src, via: value }];
  return items.filter((x): x is { node: YAMLMap; via: unknown } => isMap(x.node)).map((x) => ({ map: x.node, via: x.via }));
}

function ownEntries(map: YAMLMap): { own: Entry[]; merges: Pair[] } {
  const own: Entry[] = [];
  const merges: Pair[] = [];
  for (const pair of map.items) {
    const keyNode = pair.key as Node;
    if (isMergeKey(keyNode)) merges.push(pair);
    else own.push({ key: isScalar(keyNode) ? String(keyNode.value) : '', keyNode, value: pair.value });
  }
  return { own, merges };
}

/** Work left for merging; shared by every mapping of one document. */
export interface MergeBudget {
  left: number;
  /** Set when the budget ran out: the mapping being merged then. */
  exceeded?: YAMLMap;
}

/**
 * Computes (once) the entries of `root` and of every mapping it merges, iteratively. Loops are
 * cut (the looping source adds nothing) and reported to `onLoop`; when `budget` runs out, merged
 * keys beyond it are dropped.
 */
export function computeEntries(doc: Document, root: YAMLMap, budget: MergeBudget, onLoop: (loop: MergeLoop) => void = () => {}): Entry[] {
  const { merged } = memoOf(doc);
  const open = new Set<YAMLMap>();
  const stack: YAMLMap[] = [root];
  while (stack.length > 0) {
    const map = stack[stack.length - 1]!;
    if (merged.has(map)) {
      stack.pop();
      continue;
    }
    const { own, merges } = ownEntries(map);
    const sources = merges.flatMap((p) => mergeSources(doc, p.value));
    if (!open.has(map)) {
      open.add(map);
      const todo = sources.filter((s) => !merged.has(s.map) && !open.has(s.map));
      for (const s of sources) if (open.has(s.map)) onLoop({ map, via: s.via });
      if (todo.length > 0) {
        for (let i = todo.length - 1; i >= 0; i--) stack.push(todo[i]!.map);
        continue;
      }
    }
    const seen = new Set(own.map((e) => e.key));
    const out = own;
    for (const s of sources) {
      for (const e of merged.get(s.map) ?? []) {
        if (budget.left <= 0) {
          budget.exceeded ??= map;
          break;
        }
        budget.left--;
        if (seen.has(e.key)) continue;
        seen.add(e.key);
        out.push(e);
      }
    }
    merged.set(map, out);
    open.delete(map);
    stack.pop();
  }
  return merged.get(root)!;
}

/** The keys of a mapping in file order, with `<<: *anchor` merges applied (explicit keys win, then earlier sources). */
export function entries(doc: Document, map: YAMLMap): Entry[] {
  return memoOf(doc).merged.get(map) ?? computeEntries(doc, map, { left: MAX_MERGED_KEYS });
}

/** The entry of `key` in a mapping (the first one when a key is repeated), merges applied. */
export function entryOf(doc: Document, map: YAMLMap, key: string): Entry | undefined {
  const { byKey } = memoOf(doc);
  let index = byKey.get(map);
  if (!index) {
    index = new Map();
    for (const e of entries(doc, map)) if (!index.has(e.key)) index.set(e.key, e);
    byKey.set(map, index);
  }
  return index.get(key);
}
