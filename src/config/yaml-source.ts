// The parsed file: the yaml Document with node positions, its syntax problems, and a way to find
// the line and column of any key path (used for problems found after validation).
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import type { ConfigProblem } from './errors.js';
import type { Path } from './schema-dsl.js';

/** 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/** One key of a mapping, after `<<` merge keys are applied. */
export interface Entry {
  readonly key: string;
  readonly keyNode: Node;
  readonly value: unknown;
}

/** The parsed file and position lookups. */
export interface YamlSource {
  /** The file as shown to the user. */
  readonly file: string;
  readonly doc: Document;
  /** YAML syntax problems; when there are any the document is not validated further. */
  readonly problems: readonly ConfigProblem[];
  /** Position of a node (its first character). */
  at(node: unknown): Position;
  /** Position of the value at a key path (or of its key with `key: true`); the nearest existing ancestor when absent. */
  locate(path: Path, options?: { readonly key?: boolean }): Position;
  /** The node at a key path, or undefined. */
  nodeAt(path: Path): unknown;
}

/** Parses the text of a config file, keeping positions. Duplicate keys are left for the validator. */
export function parseYaml(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, keepSourceTokens: false });
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  const problems = doc.errors.map((e): ConfigProblem => {
    const p = pos(e.pos[0]);
    return { file, line: p.line, col: p.col, path: '', message: `YAML syntax: ${e.message.replace(/\s+/g, ' ').trim()}` };
  });
  const at = (node: unknown): Position => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? pos(range[0]) : { line: 1, col: 1 };
  };
  const walk = (path: Path): { node: unknown; keyNode?: unknown; depth: number } => {
    let node: unknown = doc.contents;
    let keyNode: unknown;
    for (let i = 0; i < path.length; i++) {
      node = resolveAlias(doc, node);
      const seg = path[i]!;
      let next: unknown;
      let nextKey: unknown;
      if (isMap(node)) {
        const e = entries(doc, node).find((x) => x.key === String(seg));
        if (e) {
          next = e.value;
          nextKey = e.keyNode;
        }
      } else if (isSeq(node) && typeof seg === 'number') {
        next = node.items[seg];
      }
      if (next === undefined) return { node: nextKey ?? node, keyNode, depth: i };
      node = next;
      keyNode = nextKey;
    }
    return { node, keyNode, depth: path.length };
  };
  return {
    file,
    doc,
    problems,
    at,
    locate(path, options = {}) {
      const { node, keyNode, depth } = walk(path);
      if (depth === path.length && (options.key || isEmptyScalar(node)) && keyNode) return at(keyNode);
      return at(node ?? keyNode);
    },
    nodeAt(path) {
      const r = walk(path);
      return r.depth === path.length ? resolveAlias(doc, r.node) : undefined;
    },
  };
}

/** Follows an alias to its anchored node. */
export function resolveAlias(doc: Document, node: unknown): unknown {
  let n = node;
  for (let hops = 0; isAlias(n) && hops < 100; hops++) n = n.resolve(doc);
  return n;
}

/** True for a `key:` with nothing after it. */
export function isEmptyScalar(node: unknown): boolean {
  return node === null || (isScalar(node) && node.value === null && (node.source ?? '') === '');
}

/** The keys of a mapping in file order, with `<<: *anchor` merges applied (explicit keys win). */
export function entries(doc: Document, map: { items: Pair[] }): Entry[] {
  const own: Entry[] = [];
  const merged: Entry[] = [];
  for (const pair of map.items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : '';
    if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
      const src = resolveAlias(doc, pair.value);
      const sources = isSeq(src) ? src.items.map((n) => resolveAlias(doc, n)) : [src];
      for (const s of sources) if (isMap(s)) merged.push(...entries(doc, s));
      continue;
    }
    own.push({ key, keyNode, value: pair.value });
  }
  const seen = new Set(own.map((e) => e.key));
  for (const e of merged) {
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    own.push(e);
  }
  return own;
}
