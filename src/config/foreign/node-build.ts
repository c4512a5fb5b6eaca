// Building msdev's document out of another format's: every node made carries the range of the node it came
// from, so a problem found in the result points at the line and column of the original file.
import { Pair, Scalar, YAMLMap, YAMLSeq, isNode, type Node } from 'yaml';

/** A source range ([start, value end, node end]) as the yaml nodes carry it. */
export type Range = [number, number, number];

/** The range of a node (of a pair: its key's), or null. */
export function rangeOf(node: unknown): Range | null {
  const n = node instanceof Pair ? (node.key as unknown) : node;
  const r = isNode(n) ? n.range : null;
  return r ? [r[0], r[1], r[2]] : null;
}

/** A scalar with this value, placed where `from` is (a node or a range). */
export function scalarAt(value: unknown, from: unknown): Scalar {
  const s = new Scalar(value);
  place(s, from);
  return s;
}

/** An empty mapping placed where `from` is; fill it with set(). */
export function mapAt(from: unknown): YAMLMap {
  const m = new YAMLMap();
  place(m, from);
  return m;
}

/** An empty sequence placed where `from` is. */
export function seqAt(from: unknown): YAMLSeq {
  const s = new YAMLSeq();
  place(s, from);
  return s;
}

/** Adds `key: value` to a mapping; the key is placed where `keyFrom` is (default: where the value is). */
export function set(map: YAMLMap, key: string, value: Node, keyFrom: unknown = value): void {
  map.items.push(new Pair(scalarAt(key, keyFrom), value));
}

/** Gives a node the range of `from`. */
function place(node: Node, from: unknown): void {
  const r = Array.isArray(from) ? (from as Range) : rangeOf(from);
  if (r) node.range = r;
}
