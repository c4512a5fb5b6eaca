// A compose file as a plain tree (aliases and `<<` merges resolved) whose every node remembers where it was
// written: which file (the compose file or its override), the node for positions, and the range in the main
// file that msdev's document uses for it (the node's own, or, for a value from the override, its service's).
import { isMap, isScalar, isSeq } from 'yaml';
import { entries, resolveAlias, type YamlSource } from '../../yaml-source.js';
import { rangeOf, type Range } from '../node-build.js';

/** One of the files read: the compose file itself or its override. */
export interface Src {
  readonly file: string;
  readonly source: YamlSource;
  readonly main: boolean;
}

/** Where a value was written: its file and node, and the range it gets in msdev's document. */
export interface Loc {
  readonly src: Src;
  readonly node: unknown;
  /** The range in the main file used for what is built from it. */
  readonly range: Range;
}

/** A mapping entry: its key and where the key is. */
export interface CEntry {
  readonly key: string;
  readonly keyAt: Loc;
  readonly value: CNode;
}

/** A mapping, in file order. */
export interface CMap {
  readonly kind: 'map';
  readonly at: Loc;
  readonly entries: CEntry[];
  /** The YAML tag (`!reset`, `!override`), if any. */
  readonly tag?: string;
}

/** A sequence. */
export interface CSeq {
  readonly kind: 'seq';
  readonly at: Loc;
  readonly items: CNode[];
  readonly tag?: string;
}

/** A scalar (string, number, boolean or null). */
export interface CScalar {
  readonly kind: 'scalar';
  readonly at: Loc;
  readonly value: string | number | boolean | null;
  readonly tag?: string;
}

/** Any node of the tree. */
export type CNode = CMap | CSeq | CScalar;

/** At most this many nodes are read from one file (aliases counted at each use). */
export const MAX_TREE_NODES = 200_000;

/** Reads a parsed file as a tree; `anchor` gives the main-file range of a node of another file (null: its own). */
export function readTree(src: Src, anchor: (path: readonly string[]) => Range | null): CNode | { readonly tooBig: true } {
  const doc = src.source.doc;
  let left = MAX_TREE_NODES;
  const loc = (node: unknown, path: readonly string[]): Loc => ({ src, node, range: (src.main ? rangeOf(node) : anchor(path)) ?? [0, 0, 0] });
  // Iterative (a file may nest deep): each frame fills its parent once converted.
  const convert = (raw: unknown, path: readonly string[], depth: number): CNode => {
    if (--left < 0 || depth > 120) throw new TreeTooBig();
    const node = resolveAlias(doc, raw);
    const tag = (node as { tag?: string } | null)?.tag;
    const at = loc(raw, path);
    if (isMap(node)) {
      const out: CEntry[] = entries(doc, node).map((e) => ({ key: e.key, keyAt: loc(e.keyNode, [...path, e.key]), value: convert(e.value, [...path, e.key], depth + 1) }));
      return { kind: 'map', at, entries: out, ...(tag ? { tag } : {}) };
    }
    if (isSeq(node)) return { kind: 'seq', at, items: node.items.map((i) => convert(i, path, depth + 1)), ...(tag ? { tag } : {}) };
    const value = isScalar(node) ? node.value : null;
    const v = value === null || value === undefined ? null : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : ((node as { source?: string }).source ?? '');
    return { kind: 'scalar', at, value: v, ...(tag ? { tag } : {}) };
  };
  try {
    return convert(doc.contents, [], 0);
  } catch (err) {
    if (err instanceof TreeTooBig) return { tooBig: true };
    throw err;
  }
}

class TreeTooBig extends Error {}

/** The entry of a key in a mapping node (undefined when absent or not a mapping). */
export function entry(map: CNode | undefined, key: string): CEntry | undefined {
  return map?.kind === 'map' ? map.entries.find((e) => e.key === key) : undefined;
}

/** The value of a key in a mapping node. */
export function child(map: CNode | undefined, key: string): CNode | undefined {
  return entry(map, key)?.value;
}

/** A scalar's text (numbers and booleans as written), or undefined for anything else. */
export function text(node: CNode | undefined): string | undefined {
  if (node?.kind !== 'scalar' || node.value === null) return undefined;
  if (typeof node.value === 'string') return node.value;
  const n = node.at.node as { source?: string } | null;
  return isScalar(n) && typeof n.source === 'string' ? n.source : String(node.value);
}
