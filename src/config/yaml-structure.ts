// One iterative pass over a parsed document before validation: nesting depth, aliases to unknown
// anchors, `<<` merges of something that is not a mapping, merges that loop, and merge bombs. Each
// is a positioned problem; the validator runs only on a document without them.
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import { closest } from './did-you-mean.js';
import { quote } from './quote.js';
import type { Path } from './schema-dsl.js';
import { bindAlias, computeEntries, isMergeKey, MAX_MERGED_KEYS, mergeSources, resolveAlias, type MergeBudget } from './yaml-merge.js';

/** Collections nested deeper than this are refused (a config file needs a handful of levels). */
export const MAX_DEPTH = 100;

/** Aliases may add at most this many values to the file (each use of an anchor counts its whole content). */
export const MAX_ALIAS_VALUES = 1_000_000;

/** A problem found by the pass: where (a node) and what. */
export interface StructureProblem {
  readonly node: unknown;
  readonly path: Path;
  readonly message: string;
}

interface Frame {
  readonly node: unknown;
  readonly depth: number;
  readonly path: Path;
}

interface Seen {
  /** Every anchor defined so far, by name: the last definition wins (as YAML says). */
  readonly anchors: Map<string, unknown>;
  /** Aliases whose anchor was not defined before them. */
  readonly unknown: { node: { source: string }; path: Path }[];
  /** Mappings with a `<<` key, in document order, with their paths. */
  readonly merging: { node: unknown; path: Path }[];
}

/** Checks the whole document; binds every alias to its anchor on the way (so lookups never search the document). */
export function checkStructure(doc: Document): StructureProblem[] {
  const problems: StructureProblem[] = [];
  const seen: Seen = { anchors: new Map(), unknown: [], merging: [] };
  const stack: Frame[] = doc.contents === null ? [] : [{ node: doc.contents, depth: 0, path: [] }];
  let tooDeep = false;
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    if (isAlias(node)) {
      const target = seen.anchors.get(node.source);
      bindAlias(doc, node, target);
      if (target === undefined) seen.unknown.push({ node, path });
      continue;
    }
    const anchor = (node as { anchor?: unknown } | null)?.anchor;
    if (typeof anchor === 'string') seen.anchors.set(anchor, node);
    if (!isCollection(node)) continue;
    if (depth >= MAX_DEPTH) {
      if (!tooDeep) problems.push({ node, path, message: `nesting deeper than ${MAX_DEPTH} levels; a config file needs only a few` });
      tooDeep = true;
      continue;
    }
    const children: Frame[] = [];
    if (isMap(node)) {
      if (node.items.some((p) => isMergeKey(p.key))) seen.merging.push({ node, path });
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '?';
        children.push({ node: pair.key, depth: depth + 1, path }, { node: pair.value, depth: depth + 1, path: [...path, key] });
      }
    } else {
      node.items.forEach((item, i) => {
        if (isPair(item)) children.push({ node: item.key, depth: depth + 1, path }, { node: item.value, depth: depth + 1, path: [...path, i] });
        else children.push({ node: item, depth: depth + 1, path: [...path, i] });
      });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  problems.push(...unknownAliases(seen));
  if (problems.length === 0) problems.push(...aliasExpansion(doc));
  if (problems.length === 0) problems.push(...mergeProblems(doc, seen));
  return problems;
}

function unknownAliases(seen: Seen): StructureProblem[] {
  const names = [...seen.anchors.keys()];
  return seen.unknown.map(({ node, path }) => {
    const name = node.source;
    if (seen.anchors.has(name)) {
      return { node, path, message: `alias ${quote(`*${name}`)} comes before its anchor ${quote(`&${name}`)}; define the anchor first` };
    }
    const hint = closest(name, names);
    const tail = hint !== undefined ? ` (did you mean ${quote(`*${hint}`)}?)` : names.length ? '' : ' (the file defines no anchors)';
    return { node, path, message: `unknown alias ${quote(`*${name}`)}: no anchor ${quote(`&${name}`)} is defined before it${tail}` };
  });
}

/** The children of a collection node (keys and values of a mapping), or none. */
function childrenOf(node: unknown): unknown[] {
  if (!isCollection(node)) return [];
  const out: unknown[] = [];
  for (const item of node.items) {
    if (isPair(item)) out.push(item.key, item.value);
    else out.push(item);
  }
  return out;
}

/**
 * Counts what aliases add: every use of an anchor adds all the values under it (as the validator
 * will walk them). One pass in document order; an anchor is always complete before its aliases,
 * except an alias inside its own anchor, which counts 1.
 */
function aliasExpansion(doc: Document): StructureProblem[] {
  const sizes = new Map<unknown, number>();
  let added = 0;
  const frames: { node: unknown; children: unknown[]; next: number; size: number }[] = [];
  if (doc.contents !== null) frames.push({ node: doc.contents, children: childrenOf(doc.contents), next: 0, size: 1 });
  while (frames.length > 0) {
    const f = frames[frames.length - 1]!;
    if (f.next < f.children.length) {
      const child = f.children[f.next++];
      if (isAlias(child)) {
        const size = sizes.get(resolveAlias(doc, child)) ?? 1;
        f.size += size;
        added += size;
        if (added > MAX_ALIAS_VALUES) {
          const message = `aliases expand the file to more than ${MAX_ALIAS_VALUES.toLocaleString('en-US')} values here (${quote(`*${child.source}`)} alone adds ${size.toLocaleString('en-US')}); use fewer aliases of large anchors`;
          return [{ node: child, path: [], message }];
        }
      } else if (isCollection(child)) frames.push({ node: child, children: childrenOf(child), next: 0, size: 1 });
      else if (child !== null && child !== undefined) f.size += 1;
      continue;
    }
    frames.pop();
    sizes.set(f.node, f.size);
    const parent = frames[frames.length - 1];
    if (parent) parent.size += f.size;
  }
  return [];
}

function mergeProblems(doc: Document, seen: Seen): StructureProblem[] {
  const problems: StructureProblem[] = [];
  const budget: MergeBudget = { left: MAX_MERGED_KEYS };
  const loops = new Set<unknown>();
  const pathOf = new Map(seen.merging.map((m) => [m.node, m.path]));
  for (const { node, path } of seen.merging) {
    if (!isMap(node)) continue;
    for (const pair of node.items) {
      if (!isMergeKey(pair.key)) continue;
      const value = resolveAlias(doc, pair.value);
      const items = isSeq(value) ? value.items : [value];
      const wrong = items.find((x) => !isMap(resolveAlias(doc, x)));
      if (wrong !== undefined || mergeSources(doc, pair.value).length === 0) {
        problems.push({ node: pair.value ?? pair.key, path: [...path, '<<'], message: '"<<" merges mappings: write "<<: *anchor" or "<<: [*a, *b]" with anchors of mappings' });
      }
    }
    computeEntries(doc, node, budget, ({ map, via }) => {
      if (loops.has(via)) return;
      loops.add(via);
      const name = isAlias(via) ? via.source : '';
      const what = name ? `${quote(`*${name}`)} merges the mapping this "<<" is in` : 'this merge includes the mapping it is in';
      problems.push({ node: via, path: [...(pathOf.get(map) ?? path), '<<'], message: `${what}: a merge cannot include itself${map === node ? '' : ' (through other merges)'}` });
    });
    if (budget.exceeded) {
      problems.push({ node, path, message: `"<<" merges expand to more than ${MAX_MERGED_KEYS.toLocaleString('en-US')} keys; merge less` });
      break;
    }
  }
  return problems;
}
